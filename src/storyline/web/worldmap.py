"""A map of places drawn as inline SVG from a vendored world outline: no tile server, no network.

The outline is Natural Earth 1:110m (public domain) as TopoJSON from the npm package `world-atlas`
(see world/NOTICE.txt). Countries are decoded once into SVG path data in degrees (x = longitude,
y = -latitude); a map shows the countries that meet the view around its places, squeezed
horizontally by cos(latitude) so that the north does not look stretched. Labels are laid out three times,
for phone, tablet and desktop widths (style.css shows one layout), so that they stay 9-15 px and never overlap.
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

    name: str  # every name at this spot, town first
    lead: str  # the first of them, for a label
    x: float
    y: float
    r: float
    count: int


@dataclass(frozen=True, slots=True)
class Label:
    """One label for a cluster of nearby pins: the lead name of its biggest pin, "+n" for the others."""

    text: str
    names: str  # every place of the cluster, for its tooltip
    x: float
    y: float  # baseline
    anchor: str  # "start", "middle" or "end"


@dataclass(frozen=True, slots=True)
class Layer:
    """The labels laid out for one range of screen widths (CSS shows one layer at a time)."""

    name: str  # "narrow", "mid" or "wide": the class style.css keys the media query on
    font_size: float  # view units
    labels: list[Label]


@dataclass(frozen=True, slots=True)
class MapView:
    view_box: str
    x_scale: float  # applied to country paths (degrees of longitude -> view units)
    countries: list[Country]
    pins: list[Pin]
    layers: list[Layer]


# (layer, map width in px it is laid out for, font size in px there): the map is at most 760 px wide
# (style.css), 294-454 px on phones up to 480 px, 455-674 px up to 700 px; the labels stay 9-15 px.
LAYERS = (("narrow", 360, 11.5), ("mid", 560, 12.5), ("wide", 740, 13.0))
CHAR_WIDTH = 0.64  # of the font size: a generous average for the bold sans-serif labels
CLUSTER = 2.5  # pins closer than this many font sizes share one label
MAX_LABELS = 40  # clusters labelled at most, biggest first


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


def place_map(places: list[tuple[list[str], float, float, int]]) -> MapView | None:
    """A view around `places` (names at one spot, lat, lon, article count), or None when none has coordinates."""
    located = [(names, lat, lon, count) for names, lat, lon, count in places
               if names and -90 <= lat <= 90 and -180 <= lon <= 180]
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
    unit = width / 100
    shown = [c for c in countries() if any(b[0] <= east and b[2] >= west and b[1] <= north and b[3] >= south
                                           for b in c.boxes or (c.bbox,))]
    pins = [Pin(", ".join(names), names[0], round(lon * k, 3), round(-lat, 3),
                round(unit * min(1.0 + 0.25 * (count - 1), 1.8), 3), count)
            for names, lat, lon, count in sorted(located, key=lambda p: (-p[3], -len(p[0]), p[0]))]
    frame = (west * k, -north, east * k, -south)
    layers = [Layer(name, round(font, 3), _labels(pins, frame, font))
              for name, px, font_px in LAYERS for font in [font_px * width / px]]
    return MapView(f"{west * k:.3f} {-north:.3f} {width:.3f} {height:.3f}", round(k, 4), shown, pins, layers)


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _labels(pins: list[Pin], frame: Box, font: float) -> list[Label]:
    """Labels inside the frame that overlap neither each other nor another cluster's pin: pins closer than
    `CLUSTER` font sizes to a bigger one share its label ("Niamey +3"); the `MAX_LABELS` biggest clusters are
    labelled, where a side is free (the pins keep their tooltips and the list under the map names every place)."""
    cell = CLUSTER * font
    grid: dict[tuple[int, int], list[list[Pin]]] = {}  # clusters by the cell of their biggest pin
    clusters: list[list[Pin]] = []
    for pin in pins:  # biggest first
        cx, cy = int(pin.x // cell), int(pin.y // cell)
        near = next((c for dx in (-1, 0, 1) for dy in (-1, 0, 1) for c in grid.get((cx + dx, cy + dy), [])
                     if math.dist((c[0].x, c[0].y), (pin.x, pin.y)) < cell), None)
        if near:
            near.append(pin)
        else:
            clusters.append([pin])
            grid.setdefault((cx, cy), []).append(clusters[-1])
    placed: list[Box] = []
    labels = []
    for cluster in clusters[:MAX_LABELS]:
        head, members = cluster[0], {id(p) for p in cluster}
        text = head.lead + (f" +{len(cluster) - 1}" if len(cluster) > 1 else "")
        w, h, gap = len(text) * CHAR_WIDTH * font, 1.2 * font, head.r + 0.3 * font
        reach = w + h + gap
        obstacles = placed + [(p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r) for p in pins
                              if abs(p.x - head.x) < reach and abs(p.y - head.y) < reach and id(p) not in members]
        sides = [(head.x + gap, head.y - h / 2, "start"), (head.x - gap - w, head.y - h / 2, "end"),
                 (head.x - w / 2, head.y - gap - h, "middle"), (head.x - w / 2, head.y + gap, "middle")]
        for left, top, anchor in sides:
            box = (left, top, left + w, top + h)
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]
            if inside and not any(_overlap(box, other) for other in obstacles):
                placed.append(box)
                x = {"start": box[0], "end": box[2], "middle": (box[0] + box[2]) / 2}[anchor]
                labels.append(Label(text, "; ".join(p.name for p in cluster), round(x, 3),
                                    round(top + h / 2 + 0.35 * font, 3), anchor))
                break
    return labels


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
