"""What the templates draw, computed from the JSON contracts: comparison table, copy graph, highlights, map.

Every string here may come from an article; the templates autoescape it. The one piece of markup made here,
the citation links, goes through markupsafe's `Markup.format`, which escapes every value it inserts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from storyline.models import Article
from storyline.web.worldmap import MapView, place_map

COPY_KINDS = ("exact", "near-duplicate", "rewrite", "syndicated")
MATRIX_SOURCES = 8  # above this many sources the comparison groups sources by value


def source_label(article: Article) -> str:
    """The outlet's name, else the web site, else the file name."""
    if article.publisher:
        return article.publisher
    host = urlsplit(article.url).hostname if article.url else None
    if host:
        return host.removeprefix("www.")
    return PurePath(article.source.split("#", 1)[0]).name or article.source


def safe_href(url: str | None) -> str | None:
    """`url` when it is an http(s) link, else None (a `javascript:` or `data:` URL is shown as text only)."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


@dataclass(slots=True)
class Column:
    label: str
    article_ids: list[int]


@dataclass(slots=True)
class Row:
    """One attribute across the sources.

    `cells[i]` lists the (value, variant index) that column i gives; `values` lists each value with its
    variant index, the articles giving it and their sources (the grouped view).
    """

    attribute: str
    conflict: bool
    cells: list[list[tuple[str, int]]]
    values: list[tuple[str, int, list[int], list[str]]] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (value, sentence)


@dataclass(slots=True)
class Comparison:
    columns: list[Column]
    rows: list[Row]

    @property
    def grouped(self) -> bool:
        """Too many sources for one column each: show each value with the sources that give it."""
        return len(self.columns) > MATRIX_SOURCES


def comparison(story: dict[str, Any], articles: dict[int, Article]) -> Comparison:
    """Attribute x source: contradictions first (each value its own colour), then agreements."""
    columns: list[Column] = []
    column_of: dict[int, int] = {}
    for article_id in ordered_ids(story, articles):
        label = source_label(articles[article_id]) if article_id in articles else f"article {article_id}"
        index = next((i for i, c in enumerate(columns) if c.label == label), None)
        if index is None:
            index = len(columns)
            columns.append(Column(label, []))
        columns[index].article_ids.append(article_id)
        column_of[article_id] = index
    rows = []
    for item in story.get("contradictions") or []:
        row = Row(str(item.get("attribute", "")), True, [[] for _ in columns])
        for variant, value in enumerate(item.get("values") or []):
            text = str(value.get("value", ""))
            row.values.append(_grouped(text, variant, value.get("article_ids"), columns, column_of))
            for article_id in value.get("article_ids") or []:
                if article_id in column_of and (text, variant) not in row.cells[column_of[article_id]]:
                    row.cells[column_of[article_id]].append((text, variant))
            row.evidence.extend((text, str(sentence)) for sentence in value.get("evidence") or [])
        rows.append(row)
    for item in story.get("agreements") or []:
        row = Row(str(item.get("attribute", "")), False, [[] for _ in columns])
        text = str(item.get("value", ""))
        row.values.append(_grouped(text, 0, item.get("article_ids"), columns, column_of))
        for article_id in item.get("article_ids") or []:
            if article_id in column_of and (text, 0) not in row.cells[column_of[article_id]]:
                row.cells[column_of[article_id]].append((text, 0))
        rows.append(row)
    return Comparison(columns, rows)


def _grouped(value: str, variant: int, article_ids: Any, columns: list[Column],
             column_of: dict[int, int]) -> tuple[str, int, list[int], list[str]]:
    ids = [i for i in article_ids or [] if isinstance(i, int)]
    names = list(dict.fromkeys(columns[column_of[i]].label for i in ids if i in column_of))
    return value, variant, ids, names


def ordered_ids(story: dict[str, Any], articles: dict[int, Article]) -> list[int]:
    """The story's article ids by publication date (undated last), then id."""
    ids = [i for i in story.get("article_ids") or [] if isinstance(i, int)]
    return sorted(ids, key=lambda i: ((articles[i].published or "9999") if i in articles else "9999", i))


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


def timeline(story: dict[str, Any]) -> list[dict[str, Any]]:
    """Timeline entries by event time; undated entries last, in their given order."""
    entries = [e for e in story.get("timeline") or [] if isinstance(e, dict)]
    return sorted(entries, key=lambda e: (e.get("date") is None, str(e.get("date") or "")))


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


def claim_text(claim: dict[str, Any]) -> str:
    """A single-source claim as one line, whatever fields the compare stage gives it."""
    for key in ("claim", "text", "sentence"):
        if claim.get(key):
            return str(claim[key])
    parts = [str(claim[key]) for key in ("attribute", "value") if claim.get(key) not in (None, "")]
    return ": ".join(parts)


def claim_articles(claim: dict[str, Any]) -> list[int]:
    ids = claim.get("article_ids") or ([claim["article_id"]] if claim.get("article_id") is not None else [])
    return [i for i in ids if isinstance(i, int)]


@dataclass(slots=True)
class Node:
    article_id: int
    label: str
    y: int


@dataclass(slots=True)
class Edge:
    """An arc from a copy (y1) to its original (y2), bulging left by `bulge`."""

    y1: int
    y2: int
    bulge: int
    kind: str
    similarity: float | None


@dataclass(slots=True)
class CopyGraph:
    nodes: list[Node]
    edges: list[Edge]
    height: int
    x: int  # where nodes sit; arcs bulge to the left of it


def copy_graph(story: dict[str, Any], articles: dict[int, Article]) -> CopyGraph | None:
    """An arc diagram of which article copies which, or None when the story has no copies."""
    links = [c for c in story.get("copies") or [] if c.get("copy_of") is not None]
    if not links:
        return None
    ids = ordered_ids(story, articles)
    for link in links:
        for article_id in (link.get("article_id"), link.get("copy_of")):
            if isinstance(article_id, int) and article_id not in ids:
                ids.append(article_id)
    y_of = {article_id: 24 + 30 * i for i, article_id in enumerate(ids)}
    members = set(story.get("article_ids") or [])
    nodes = []
    for n, article_id in enumerate(ids, 1):
        article = articles.get(article_id)
        label = f"{source_label(article)} — {article.title or '(no title)'}" if article else f"article {article_id}"
        nodes.append(Node(article_id, (f"[{n}] " if article_id in members else "") + label[:105], y_of[article_id]))
    edges = []
    for link in links:
        if link.get("article_id") in y_of and link.get("copy_of") in y_of:
            y1, y2 = y_of[link["article_id"]], y_of[link["copy_of"]]
            kind = link.get("kind") if link.get("kind") in COPY_KINDS else "copy"
            similarity = link.get("similarity")
            edges.append(Edge(y1, y2, min(16 + abs(y1 - y2) // 3, 150), kind,
                              float(similarity) if isinstance(similarity, int | float) else None))
    x = 30 + max((e.bulge for e in edges), default=0)
    return CopyGraph(nodes, edges, 24 + 30 * len(ids), x)


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
