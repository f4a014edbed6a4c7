"""A map of places drawn as inline SVG from a vendored world outline: no tile server, no network.

The outline is Natural Earth 1:110m (public domain) as TopoJSON from the npm package `world-atlas`
(see world/NOTICE.txt). Countries are decoded once into SVG path data in degrees (x = longitude,
y = -latitude); a map shows the countries that meet the view around its places, squeezed
horizontally by cos(latitude) so that the north does not look stretched.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WORLD = Path(__file__).with_name("world") / "countries-110m.json"


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    bbox: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    path: str  # SVG path data, x = lon, y = -lat
    boxes: tuple[tuple[float, float, float, float], ...] = ()  # the bbox of each ring


@dataclass(frozen=True, slots=True)
class Pin:
    """A place on the map, in view coordinates."""

    name: str
    x: float
    y: float
    r: float
    count: int
    label_x: float
    anchor: str  # "start" (label right of the pin) or "end" (left of it, in the east half of the view)


@dataclass(frozen=True, slots=True)
class MapView:
    view_box: str
    x_scale: float  # applied to country paths (degrees of longitude -> view units)
    countries: list[Country]
    pins: list[Pin]
    font_size: float


@cache
def countries() -> tuple[Country, ...]:
    """Decode the vendored TopoJSON into one path per country."""
    topo = json.loads(WORLD.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    result = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}.get(
            geometry["type"], [])
        rings = [r for rs in (_unwrap(ring(r)) for polygon in polygons for r in polygon) for r in rs if len(r) > 2]
        if not rings:
            continue
        boxes = tuple((min(p[0] for p in r), min(p[1] for p in r), max(p[0] for p in r), max(p[1] for p in r))
                      for r in rings)
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        path = "".join("M" + "L".join(f"{lon:g},{-lat:g}" for lon, lat in r) + "Z" for r in rings)
        result.append(Country(geometry.get("properties", {}).get("name", ""), bbox, path, boxes))
    return tuple(result)


def _unwrap(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian, made continuous and drawn on both edges of the map.

    Without this a ring of Russia or Fiji jumps from +180 to -180 and draws a band across the whole map.
    A ring around a pole (Antarctica) crosses once, closes along the map's edge, and stays as it is.
    """
    shift, unwrapped = 0.0, [points[0]]
    for (lon0, _), (lon, lat) in zip(points, points[1:], strict=False):
        if lon - lon0 > 180:
            shift -= 360
        elif lon - lon0 < -180:
            shift += 360
        unwrapped.append((round(lon + shift, 2), lat))
    if shift or unwrapped == points:
        return [points]
    rings = [unwrapped]
    if max(p[0] for p in unwrapped) > 180:
        rings.append([(round(lon - 360, 2), lat) for lon, lat in unwrapped])
    if min(p[0] for p in unwrapped) < -180:
        rings.append([(round(lon + 360, 2), lat) for lon, lat in unwrapped])
    return rings


def place_map(places: list[tuple[str, float, float, int]]) -> MapView | None:
    """A view around `places` (name, lat, lon, article count), or None when no place has coordinates."""
    located = [(name, lat, lon, count) for name, lat, lon, count in places
               if -90 <= lat <= 90 and -180 <= lon <= 180]
    if not located:
        return None
    lats = [p[1] for p in located]
    lons = [p[2] for p in located]
    pad_lat = max((max(lats) - min(lats)) * 0.25, 4.0)
    pad_lon = max((max(lons) - min(lons)) * 0.25, 6.0)
    south, north = max(min(lats) - pad_lat, -85.0), min(max(lats) + pad_lat, 85.0)
    west, east = max(min(lons) - pad_lon, -180.0), min(max(lons) + pad_lon, 180.0)
    k = max(math.cos(math.radians((south + north) / 2)), 0.2)
    width, height = (east - west) * k, north - south
    if width < height * 1.4:  # keep a landscape frame
        grow = (height * 1.4 - width) / k / 2
        west, east = max(west - grow, -180.0), min(east + grow, 180.0)
        width = (east - west) * k
    unit = max(width, height) / 100
    shown = [c for c in countries() if any(b[0] <= east and b[2] >= west and b[1] <= north and b[3] >= south
                                           for b in c.boxes or (c.bbox,))]
    pins = []
    for name, lat, lon, count in sorted(located, key=lambda p: -p[3]):
        r = unit * min(1.0 + 0.4 * (count - 1), 2.5)
        east_half = lon > (west + east) / 2
        pins.append(Pin(name, round(lon * k, 3), round(-lat, 3), round(r, 3), count,
                        round(lon * k + (-1.4 if east_half else 1.4) * r, 3), "end" if east_half else "start"))
    return MapView(f"{west * k:.3f} {-north:.3f} {width:.3f} {height:.3f}", round(k, 4), shown, pins,
                   round(unit * 2.6, 3))
