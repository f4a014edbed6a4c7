"""What the web pages draw beyond the story layout they share with the report (`storyline.report.layout`):
citation links, quotes, the map and the highlighted article text, computed from the JSON contracts.

Every string here may come from an article; the templates autoescape it. The one piece of markup made here,
the citation links, goes through markupsafe's `Markup.format`, which escapes every value it inserts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from storyline.web.worldmap import MapView, place_map


class Citations:
    """Footnote links [n] to a story's articles, numbered in date order.

    `cite(ids)` gives the links of `ids`, folded after `FOLD` of them.
    """

    _LINK = Markup('<a class="cite" href="/articles/{0}" title="{1}">[{2}]</a>')
    FOLD = 12

    def __init__(self, ids: list[int], labels: dict[int, str]) -> None:
        self.number = {article_id: n for n, article_id in enumerate(ids, 1)}
        self._links = {i: self._LINK.format(i, labels.get(i, f"article {i}"), self.number[i]) for i in ids}

    def __call__(self, ids: list[Any]) -> Markup:
        ids = [i for i in ids if isinstance(i, int)]
        links = Markup("").join(self._links.get(i) or self._LINK.format(i, f"article {i}", i)
                                for i in ids[:self.FOLD])
        return links + Markup('<span class="cite">+{0}</span>').format(len(ids) - self.FOLD) \
            if len(ids) > self.FOLD else links


def quotes(story: dict[str, Any]) -> list[dict[str, Any]]:
    """The story's quotes, those given by more articles first; `show_variants` is false when the only
    variant is the quote itself (nothing to compare)."""
    found = []
    for quote in story.get("quotes") or []:
        if not isinstance(quote, dict):
            continue
        variants = [v for v in quote.get("variants") or [] if isinstance(v, dict)]
        ids = {i for i in quote.get("article_ids") or [] if isinstance(i, int)}
        ids.update(v["article_id"] for v in variants if isinstance(v.get("article_id"), int))
        show = len(variants) > 1 or any(v.get("text") != quote.get("text") or v.get("altered") for v in variants)
        found.append({**quote, "variants": variants, "show_variants": show, "sources": len(ids)})
    return sorted(found, key=lambda q: -q["sources"])


def story_map(facts_by_article: dict[int, dict[str, Any]]) -> MapView | None:
    """The places named in a story's articles, one pin per spot sized by how many articles name it.

    Names at the same coordinates share a pin, town first ("Copenhagen, Denmark" where the gazetteer puts a
    country at its capital), so their labels do not overprint each other; of a name's spellings the one not
    in capitals wins ("Oslo" over a dateline's "OSLO").
    """
    spots: dict[tuple[float, float], dict[str, Any]] = {}
    for article_id, facts in facts_by_article.items():
        for place in facts.get("places") or []:
            lat, lon, name = place.get("lat"), place.get("lon"), place.get("name")
            if not (isinstance(lat, int | float) and isinstance(lon, int | float) and name):
                continue
            spot = spots.setdefault((round(float(lat), 2), round(float(lon), 2)),
                                    {"lat": float(lat), "lon": float(lon), "names": {}, "ids": set()})
            spot["ids"].add(article_id)
            entry = spot["names"].setdefault(str(name).casefold(), {"country": True, "spellings": {}})
            entry["country"] = entry["country"] and place.get("kind") == "country"
            entry["spellings"][str(name)] = entry["spellings"].get(str(name), 0) + 1
    places = []
    for spot in spots.values():  # the town before the country it stands for, then by mentions
        names = sorted(spot["names"].values(), key=lambda e: (e["country"], -sum(e["spellings"].values())))
        label = ", ".join(max(e["spellings"], key=lambda n: (not n.isupper(), e["spellings"][n])) for e in names)
        places.append((label, spot["lat"], spot["lon"], len(spot["ids"])))
    return place_map(places)


# highlighting

_KIND_ORDER = ("quote", "number", "time", "place", "entity")


@dataclass(slots=True)
class Segment:
    """A run of article text; `kind` and `note` when it is a fact, `inner` the facts marked inside a quote."""

    text: str
    kind: str | None = None
    note: str | None = None
    inner: list[Segment] = field(default_factory=list)


def highlight(text: str, facts: dict[str, Any] | None) -> list[list[Segment]]:
    """Paragraphs of `text` as segments marking the facts found in it.

    Quotes are marked first; the numbers, times, places and entities inside a quote are marked within it
    (a death toll in reported speech is still a number).
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    terms = _terms(facts or {})
    quotes = {t: v for t, v in terms.items() if v[0] == "quote"}
    others = {t: v for t, v in terms.items() if v[0] != "quote"}
    result = []
    for paragraph in paragraphs:
        segments = []
        for segment in _split(paragraph, quotes):
            if segment.kind:
                inner = _split(segment.text, others)
                segment.inner = inner if any(s.kind for s in inner) else []
                segments.append(segment)
            else:
                segments.extend(_split(segment.text, others))
        result.append(segments)
    return result


def _split(text: str, terms: dict[str, tuple[str, str | None]]) -> list[Segment]:
    """`text` cut into plain runs and occurrences of `terms` (longest first, whole words)."""
    if not terms:
        return [Segment(text)]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                         + r")(?!\w)")
    segments: list[Segment] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            segments.append(Segment(text[at:match.start()]))
        kind, note = terms[match.group()]
        segments.append(Segment(match.group(), kind, note))
        at = match.end()
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments


def _terms(facts: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """Text to mark -> (kind, note); a text claimed by several kinds keeps the first of `_KIND_ORDER`."""
    found: dict[str, tuple[str, str | None]] = {}

    def add(term: Any, kind: str, note: str | None) -> None:
        term = str(term or "").strip()
        if len(term) >= 2:
            current = found.get(term)
            if current is None or _KIND_ORDER.index(kind) < _KIND_ORDER.index(current[0]):
                found[term] = (kind, note)

    for quote in facts.get("quotes") or []:
        add(quote.get("text"), "quote", f"quote: {quote.get('speaker') or 'unknown speaker'}")
    for quantity in facts.get("quantities") or []:
        counted = quantity.get("counted")
        value = quantity.get("value")
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # "number: 12", not "12.0"
        add(quantity.get("text"), "number", f"number: {value}" + (f" ({counted})" if counted else ""))
    for time in facts.get("times") or []:
        add(time.get("text"), "time", f"time: {time.get('date') or 'unresolved'}")
    for place in facts.get("places") or []:
        add(place.get("name"), "place", f"place: {place.get('name')}" + (
            f", {place.get('country')}" if place.get("country") else ""))
    for entity in facts.get("entities") or []:
        note = f"{str(entity.get('type') or 'entity').lower()}: {entity.get('name')}"
        for name in [entity.get("name"), *(entity.get("aliases") or [])]:
            add(name, "entity", note)
    return found
