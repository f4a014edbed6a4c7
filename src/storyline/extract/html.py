"""Main text and metadata of an HTML page.

The page is parsed once with lxml (through trafilatura's loader); the same tree
feeds trafilatura for the body (it works on its own copy), our metadata cascade
(`htmlmeta`) and htmldate. Settings were chosen by measurement on the DEV half
of the evaluation sets (see benchmarks/bench_extraction.py).
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from storyline.extract.htmlmeta import clean, extract_meta
from storyline.models import Extraction

MAX_CHARS = 8_000_000  # longer pages are cut: bounded time and memory on huge inputs
_BODY_SETTINGS = {"include_comments": False, "include_tables": True}
# Precision-leaning first pass; when it is short (under SHORT_CHARS and under SHORT_SHARE of the page's
# visible text), a default pass runs and wins if it is at least LONGER_BY times longer and not a mere
# link list. Chosen on the DEV halves of AEB and trafilatura-eval.
SHORT_SHARE = 0.2
SHORT_CHARS = 2000
LONGER_BY = 3.0
MIN_FALLBACK = 200
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select"})
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt", "fieldset"}
    | {"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li"}
    | {"main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def extract_html(html: str, url: str | None = None) -> Extraction:
    """Extract the article body and its metadata from one HTML page."""
    tree = _parse(html)
    if tree is None:
        return Extraction(text="")
    meta = extract_meta(tree, url)
    body = trafilatura.extract(tree, url=url, favor_precision=True, **_BODY_SETTINGS) or ""
    lines = _visible_lines(tree)  # marks block ends in the tree: from here on only trafilatura reads it
    if len(body) < min(SHORT_CHARS, SHORT_SHARE * sum(map(len, lines))):
        second = trafilatura.extract(tree, url=url, **_BODY_SETTINGS) or ""
        if len(second) > max(LONGER_BY * len(body), MIN_FALLBACK):
            body = second
    paragraphs = [clean(line) for line in body.splitlines()]
    text = "\n\n".join(p for p in paragraphs if p)
    return Extraction(
        text=text,
        removed=_removed(lines, text),
        title=meta.title,
        date=meta.date,
        authors=meta.authors,
        publisher=meta.publisher,
        captions=[c for c in (clean(f.text_content()) for f in tree.iter("figcaption")) if c],
    )


def _parse(html: str) -> HtmlElement | None:
    """Parse once; None for input that holds no HTML document."""
    if not html or not html.strip():
        return None
    html = _CONTROL.sub("", html[:MAX_CHARS])
    try:
        tree = load_html(html)
    except (ValueError, etree.LxmlError):
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _visible_lines(tree: HtmlElement) -> list[str]:
    """The page's visible text, one line per block element, in page order.

    Cheap because lxml does the walking: block elements get a newline around them and
    invisible elements are stripped, in place (whitespace and scripts only, which
    trafilatura ignores or removes anyway).
    """
    root = tree.find("body")
    if root is None:
        root = tree
    etree.strip_elements(root, etree.Comment, *_SKIP, with_tail=False)
    for el in root.iter(*_BLOCK):
        el.text = "\n" + el.text if el.text else "\n"
        el.tail = "\n" + el.tail if el.tail else "\n"
    return [" ".join(part.split()) for part in root.text_content().split("\n") if part and not part.isspace()]


def _removed(lines: list[str], text: str) -> list[str]:
    """Visible text blocks that did not make it into the body (boilerplate), in page order."""
    flat = " ".join(text.split())
    removed: list[str] = []
    for line in lines:
        if len(line) > 1 and line not in flat and (not removed or removed[-1] != line):
            removed.append(line)
    return removed
