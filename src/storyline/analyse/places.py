"""Places geocoded offline; facilities (air bases, airports, ports) are placed at their city."""

from __future__ import annotations

import re

from spacy.tokens import Span

from storyline.analyse.entities import _FACILITY, REGIONS
from storyline.analyse.gazetteer import country_name, lookup
from storyline.analyse.records import Entity, Place

# Words that name a kind of place, not a place: "Airport" alone is a town in Hawaii in the gazetteer, so
# "International Airport" (a name cut short) must not be placed there.
_GENERIC = re.compile(r"(international|national|regional|municipal|military|air|naval|central|main|new|old|"
                      r"north|south|east|west|northern|southern|eastern|western|city|station|terminal)", re.I)


def _generic(word: str) -> bool:
    return bool(_GENERIC.fullmatch(word) or _FACILITY.fullmatch(word))


def extract_places(groups: list[tuple[Entity, list[Span]]]) -> list[Place]:
    """Geocode the PLACE entities of an article (from `entities.group_entities`)."""
    places = [(e, spans) for e, spans in groups if e.type == "PLACE"]
    hits = {e.name: None if e.name.lower() in REGIONS or all(map(_generic, e.name.split())) else lookup(e.name)
            for e, _ in places}
    countries = frozenset(h.country for h in hits.values() if h and h.kind == "country")
    hits = {
        name: (lookup(name, countries) if hit and hit.kind == "city" else hit) for name, hit in hits.items()
    }
    out: list[Place] = []
    for e, spans in places:
        hit = hits[e.name]
        if e.name.lower() in REGIONS:
            out.append(Place(e.name, None, None, None, "region"))
            continue
        if hit is None and (_FACILITY.search(e.name) or any(s.label_ == "FAC" for s in spans)):
            city = _city_of(e, spans, countries)
            if city is not None:
                out.append(Place(e.name, city.lat, city.lon, country_name(city.country), "facility"))
                continue
        if hit is None:
            out.append(Place(e.name, None, None, None, "facility" if _FACILITY.search(e.name) else "unknown"))
            continue
        out.append(Place(e.name, hit.lat, hit.lon, country_name(hit.country), hit.kind))
    return out


def _city_of(entity: Entity, spans: list[Span], countries: frozenset[str]):
    """The city a facility belongs to: named in it ("Niamey airport"), or in the same sentence and in a country
    the article names (if it names any)."""
    for word in [w for name in [entity.name, *entity.aliases] for w in name.replace("'s", "").split()]:
        hit = lookup(word, countries) if word[:1].isupper() and len(word) > 3 and not _generic(word) else None
        if hit and hit.kind == "city":
            return hit
    for span in spans:
        for ent in span.sent.ents:
            if ent.label_ in ("GPE", "ORG", "LOC") and ent.text != span.text:
                hit = lookup(ent.text, countries)
                if hit and hit.kind == "city" and (hit.country in countries or not countries):
                    return hit
    return None
