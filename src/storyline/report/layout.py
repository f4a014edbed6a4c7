"""How a story is laid out, for the web story page and the standalone report alike: source labels, the
attribute x source comparison table, the timeline order, the single-source claims and the copy graph.

Computed from the `storyline story ID --json` object; every string may come from an article, and the
templates that draw it (`templates/comparison.html` holds the shared macros) autoescape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from storyline.models import Article

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
    confidence: float | None = None  # how surely the values are about the same thing (contradictions)


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
        confidence = item.get("confidence")
        row = Row(str(item.get("attribute", "")), True, [[] for _ in columns],
                  confidence=confidence if isinstance(confidence, int | float) else None)
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


def timeline(story: dict[str, Any]) -> list[dict[str, Any]]:
    """Timeline entries by event time; undated entries last, in their given order."""
    entries = [e for e in story.get("timeline") or [] if isinstance(e, dict)]
    return sorted(entries, key=lambda e: (e.get("date") is None, str(e.get("date") or "")))


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
