"""RSS/Atom feeds: entries with full content become documents, link-only entries pending URLs."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from xml.sax import SAXException

import feedparser

from storyline.models import Failure, PendingUrl, RawDocument

# An entry whose content (tags stripped) is shorter than this is a teaser, not the article.
FULL_CONTENT_MIN_CHARS = 400
_TAG = re.compile(r"<[^>]+>")


def parse_feed(data: bytes, path: str) -> Iterator[RawDocument | PendingUrl | Failure]:
    """Yield the entries of the feed held in `data`."""
    try:
        feed = feedparser.parse(data)
    except (UnicodeError, ValueError) as error:  # feedparser trips on some broken declarations
        yield Failure(path, f"malformed feed: {type(error).__name__}: {error}")
        return
    error = feed.get("bozo_exception")
    if isinstance(error, SAXException):  # not well-formed XML: keep what the lenient parser recovered
        yield Failure(path, f"malformed feed: {error}; {len(feed.entries)} entries recovered")
    publisher = feed.feed.get("title") or None
    for number, entry in enumerate(feed.entries, start=1):
        source = f"{path}#{number}"
        content = _content(entry)
        link = entry.get("link") or None
        title = entry.get("title") or None
        if len(_TAG.sub("", content).strip()) >= FULL_CONTENT_MIN_CHARS:
            yield RawDocument(source=source, format="body", content=content, url=link, title=title,
                              published=_published(entry), publisher=publisher)
        elif link:
            yield PendingUrl(url=link, source=source, title=title)
        else:
            yield Failure(source, "feed entry has neither full content nor a link")


def _content(entry) -> str:
    bodies = [part.get("value") or "" for part in entry.get("content") or []]
    bodies.append(entry.get("summary") or "")
    return max(bodies, key=len)


def _published(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None
