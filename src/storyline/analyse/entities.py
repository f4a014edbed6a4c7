"""Named entities of an article with canonical names and aliases.

Mentions come from spaCy's NER. Within an article they are grouped when they name the same thing:
known short forms ("U.S."/"US"/"United States", "IS"/"ISIS"/"Islamic State"), spacing and hyphen
variants ("Airbase 101"/"Air Base 101"), one-letter spelling variants of long names ("Winer"/"Winner"),
a surname or title-less form of a full name ("Austin" -> "Lloyd Austin"), and acronyms of a longer name.
A country or city tagged as a person or organisation is retyped as a place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from storyline.analyse.crossdoc import one_edit_apart as _close
from storyline.analyse.gazetteer import COUNTRY_ALIASES, country_name, lookup
from storyline.analyse.quotes import strip_title
from storyline.analyse.records import Entity

_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "NORP": "GROUP",
    "EVENT": "EVENT",
    "PRODUCT": "OTHER",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
}
# Short forms news uses for the same organisation.
ALIASES = {
    "is": "Islamic State",
    "isis": "Islamic State",
    "isil": "Islamic State",
    "daesh": "Islamic State",
    "islamic state group": "Islamic State",
    "islamic state": "Islamic State",
    "un": "United Nations",
    "u.n.": "United Nations",
    "united nations": "United Nations",
    "eu": "European Union",
    "e.u.": "European Union",
    "european union": "European Union",
    "nato": "NATO",
    "pentagon": "Pentagon",
    "the pentagon": "Pentagon",
    "wagner": "Wagner Group",
    "wagner group": "Wagner Group",
    "africa corps": "Africa Corps",
    "cia": "CIA",
    "fbi": "FBI",
    "who": "World Health Organization",
    "imf": "International Monetary Fund",
}
# Regions the gazetteer does not hold (and must not mistake for a town of the same name).
REGIONS = {
    r.lower(): r
    for r in (
        "Africa",
        "Europe",
        "Asia",
        "North America",
        "South America",
        "Latin America",
        "Middle East",
        "Sahel",
        "Mediterranean",
        "Balkans",
        "Caucasus",
        "Gulf",
        "Persian Gulf",
        "Red Sea",
        "Black Sea",
        "Indian Ocean",
        "Pacific",
        "Atlantic",
        "Arctic",
        "Antarctica",
        "Scandinavia",
        "Central Asia",
        "Southeast Asia",
        "West Africa",
        "East Africa",
        "North Africa",
        "Sub-Saharan Africa",
        "Horn of Africa",
        "Arabian Peninsula",
        "Eastern Europe",
        "Western Europe",
        "Central Europe",
        "Oceania",
        "Caribbean",
        "Levant",
        "Maghreb",
    )
}
_FACILITY = re.compile(r"\b(air ?base|airport|airfield|port|harbou?r|base|camp|barracks|compound)\b", re.I)


@dataclass(eq=False)
class _Group:
    name: str
    type: str
    surfaces: Counter[str] = field(default_factory=Counter)
    spans: list[Span] = field(default_factory=list)
    types: Counter[str] = field(default_factory=Counter)


_FACILITY_NAME = re.compile(
    r"\b(?:[A-Z][\w'-]+ )?(?:Air ?[Bb]ase|Airbase|Naval Base|Airport|Air Field|Airfield)"
    r"(?: \d+| [A-Z][\w-]+)?"
)


def _facilities(doc: Doc) -> list[Span]:
    """Named facilities spaCy missed ("Air Base 101", "Diori Hamani Airport")."""
    taken = {t.i for e in doc.ents for t in e}
    out = []
    for m in _FACILITY_NAME.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), label="FAC", alignment_mode="contract")
        if span is not None and len(span) and not any(t.i in taken for t in span):
            out.append(span)
    return out


def _first_line(span: Span) -> Span | None:
    """A mention cut at its first line break (a name does not run from a headline into the next line)."""
    if "\n" not in span.text:
        return span
    end = span.start
    for tok in span:
        if "\n" in tok.text:
            break
        end = tok.i + 1
        if "\n" in tok.whitespace_:
            break
    return Span(span.doc, span.start, end, label=span.label) if end > span.start else None


def _big_city(name: str) -> bool:
    hit = lookup(name)
    return bool(hit and hit.kind == "city" and hit.population >= 100_000)


def _clean(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    text = re.sub(r"^(the|The)\s+", "", text)
    text = " ".join(text.split()).strip(" ,;:-–—\"“”'’")
    return text if re.search(r"\b[A-Z]\.$", text) else text.rstrip(".")


def _squash(text: str) -> str:
    """Comparison key: lower case, no dots, spaces or hyphens ("Air Base 101" == "Airbase 101")."""
    return re.sub(r"[\s.\-’']", "", text.lower())


def _canonical(surface: str, label: str) -> tuple[str, str]:
    """(canonical name, type) for one mention, before grouping with other mentions."""
    key = surface.lower()
    if key in ALIASES:
        return ALIASES[key], "GROUP" if ALIASES[key] in ("Islamic State", "Wagner Group") else "ORG"
    kind = _TYPES.get(label, "OTHER")
    if _FACILITY_NAME.fullmatch(surface):
        return surface, "PLACE"
    if key in REGIONS:
        return REGIONS[key], "PLACE"
    if key in COUNTRY_ALIASES or len(surface) > 3:
        hit = lookup(surface)
        if label == "NORP" and not (hit and hit.name.lower() == key):
            hit = None
        if hit and hit.kind == "country":
            return hit.name, "PLACE"  # "Niger" tagged as a person is still the country
        if hit and (
            label in ("GPE", "LOC") or label != "PERSON" and hit.kind == "city" and _big_city(surface)
        ):
            return surface, "PLACE"
    if kind == "PERSON":
        return strip_title(surface), kind
    if kind == "PLACE" and _FACILITY.search(surface):
        return surface, "PLACE"
    return surface, kind


def extract_entities(doc: Doc) -> list[Entity]:
    """Canonical entities of a parsed article, most mentioned first."""
    return [e for e, _ in group_entities(doc)]


def group_entities(doc: Doc) -> list[tuple[Entity, list[Span]]]:
    """Canonical entities with the mentions (spaCy spans) grouped under each, most mentioned first."""
    groups: list[_Group] = []
    for ent in sorted([*doc.ents, *_facilities(doc)], key=lambda e: e.start):
        if ent.label_ not in _TYPES:
            continue
        ent = _first_line(ent)
        if ent is None:
            continue
        surface = _clean(ent.text)
        if len(surface) < 2 or not any(c.isalpha() for c in surface):
            continue
        name, kind = _canonical(surface, ent.label_)
        group = _find(groups, name, kind)
        if group is None:
            group = _Group(name, kind)
            groups.append(group)
        group.surfaces[surface] += 1
        group.types[kind] += 1
        group.spans.append(ent)
    _retype_misread_people(groups)
    _merge_short_forms(groups)
    out = []
    for g in groups:
        g.type = max(g.types, key=lambda t: (g.types[t], t == "PLACE")) if g.types else g.type
        name = _best_name(g)
        aliases = sorted(s for s in g.surfaces if s != name)
        out.append(
            (Entity(name=name, type=g.type, aliases=aliases, mentions=sum(g.surfaces.values())), g.spans)
        )
    out.sort(key=lambda es: (-es[0].mentions, es[0].name))
    return out


def _find(groups: list[_Group], name: str, kind: str) -> _Group | None:
    key = _squash(name)
    for g in groups:
        if _squash(g.name) == key and {kind, g.type} != {"PLACE", "GROUP"}:
            return g
        if kind != g.type and not {kind, g.type} <= {"PERSON", "ORG", "OTHER"}:
            continue
        if kind == g.type and _close(_squash(g.name), key) and len(key) >= 5:
            return g
        if kind == g.type == "PERSON" and _same_person_variant(g.name, name):
            return g
    return None


def _same_person_variant(a: str, b: str) -> bool:
    """ "Abdourahamane Winer" vs "Abdourahamane Winner": same first name, surnames one edit apart."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2:
        return False
    diffs = [(x, y) for x, y in zip(wa, wb, strict=True) if x.lower() != y.lower()]
    return len(diffs) == 1 and _close(diffs[0][0].lower(), diffs[0][1].lower())


def _retype_misread_people(groups: list[_Group]) -> None:
    """A "place" the gazetteer does not know, named like a person of the article, is that person.

    spaCy's small model reads some names as places ("Hugh Jackman" GPE next to "Jackman" PERSON,
    "Mo Cheeks" FAC next to "Cheeks"): a multi-word place name whose last word is the surname of a person
    mentioned in the article becomes a person.
    """
    surnames = {g.name.split()[-1].lower() for g in groups if g.type == "PERSON" and g.name.split()}
    for g in groups:
        words = g.name.split()
        if (
            g.type == "PLACE"
            and 1 < len(words) <= 3
            and words[-1].lower() in surnames
            and all(w[:1].isupper() for w in words)
            and g.name.lower() not in REGIONS
            and not _FACILITY.search(g.name)
            and lookup(g.name) is None
        ):
            g.type = "PERSON"
            g.types = Counter({"PERSON": sum(g.types.values())})


def _merge_short_forms(groups: list[_Group]) -> None:
    """Fold a surname into the full name, and an acronym into the name it abbreviates."""
    shape = {}  # id(group) -> (words, last word lower-cased, upper-cased initials of the other words)
    for g in groups:
        words = g.name.split()
        initials = "".join(w[0] for w in words if w.lower() not in ("of", "the", "and", "for")).upper()
        shape[id(g)] = (words, words[-1].lower() if words else "", initials)
    for g in list(groups):
        words = shape[id(g)][0]
        surname = words[0].lower() if g.type == "PERSON" and len(words) == 1 else None
        acronym = (
            g.name.replace(".", "")
            if g.name.isupper() and len(g.name) >= 2 and g.type in ("ORG", "GROUP", "OTHER")
            else None
        )
        if surname is None and acronym is None:
            continue
        for other in groups:
            if other is g:
                continue
            o_words, o_last, o_initials = shape[id(other)]
            if len(o_words) > 1 and (
                surname is not None and other.type == "PERSON" and o_last == surname or acronym == o_initials
            ):
                other.surfaces.update(g.surfaces)
                other.types.update(g.types)
                other.spans.extend(g.spans)
                groups.remove(g)
                break


def _best_name(g: _Group) -> str:
    """The canonical name: the alias-table or gazetteer name, else the most frequent full spelling."""
    if g.name in ALIASES.values() or g.type == "PLACE" and country_name_of(g.name):
        return g.name
    longest = max(len(s.split()) for s in g.surfaces)
    full = [s for s in g.surfaces if len(s.split()) == longest]
    return max(full, key=lambda s: (g.surfaces[s], s == g.name))


def country_name_of(name: str) -> str | None:
    """The country's gazetteer name when `name` is a country."""
    hit = lookup(name)
    return country_name(hit.country) if hit and hit.kind == "country" else None
