"""Extract stage: clean main text and metadata from a raw document.

HTML goes through `extract.html` (trafilatura + htmldate and our metadata
cascade); plain-text page dumps through `extract.text` (our line classifier);
bare article bodies (feed content, JSONL text) through `extract.body`.
Both return an `Extraction`; this module merges it with the hints the
container carried and adds what is format-independent: credited outlets
and language.
"""

from __future__ import annotations

import re

from storyline.extract.credits import find_credits
from storyline.extract.language import detect_language
from storyline.models import Article, Extraction, RawDocument

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")


class ExtractionError(ValueError):
    """The document holds no article text we can use."""


def extract(doc: RawDocument) -> Article:
    """Turn one raw document into an article, or raise ExtractionError."""
    if doc.format == "html":
        from storyline.extract.html import extract_html

        found = extract_html(doc.content, url=doc.url)
    elif doc.format == "body":
        from storyline.extract.body import extract_body

        found = extract_body(doc.content)
    else:
        from storyline.extract.text import extract_text

        found = extract_text(doc.content)
    return _to_article(doc, found)


def _to_article(doc: RawDocument, found: Extraction) -> Article:
    text = found.text.strip()
    if not text:
        raise ExtractionError("no article text found")
    title = doc.title or found.title
    given = _given_date(doc.published) if doc.published else None
    if given:
        published, evidence, confidence = given, f"given by source: {doc.published}", 1.0
    elif found.date:
        published, evidence, confidence = found.date.date, found.date.evidence, found.date.confidence
    else:
        published, evidence, confidence = None, None, 0.0
    return Article(
        source=doc.source,
        url=doc.url,
        title=title,
        published=published,
        published_evidence=evidence,
        published_confidence=confidence,
        publisher=doc.publisher or found.publisher,
        authors=found.authors,
        credited=find_credits(text, found.removed + found.captions),
        language=detect_language(text),
        text=text,
        removed=found.removed,
        captions=found.captions,
        format=doc.format,
        fetched=doc.fetched,
    )


def _given_date(value: str) -> str | None:
    """A container's date field as YYYY-MM-DD: ISO as is, anything else through dateparser, else None."""
    if _ISO_DATE.match(value):
        return value[:10]
    import dateparser

    parsed = dateparser.parse(value[:100], settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date().isoformat() if parsed else None
