"""Local files: sniff the kind, enforce the size limit, detect the encoding."""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

from storyline.models import Failure, PendingUrl, RawDocument

MAX_PAGE_BYTES = 16 * 1024 * 1024  # one page or dump; a real article is far below this
_SNIFF_BYTES = 4096
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|article)\b",
                         re.I | re.S)
_FEED_START = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)


class Kind(Enum):
    TEXT = "text"
    HTML = "html"
    FEED = "feed"
    WARC = "warc"
    JSONL = "jsonl"


class UnreadableError(ValueError):
    """The bytes are not text we can decode (binary junk, unknown encoding)."""


def kind_of(path: Path) -> Kind:
    """Decide how to read a file from its name and its first bytes."""
    name = path.name.lower()
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if name.endswith((".warc", ".warc.gz", ".arc.gz")) or head.startswith(b"WARC/"):
        return Kind.WARC
    if head[:2] == b"\x1f\x8b":  # gzip: look inside
        head = _gunzip_head(path)
        if head.startswith(b"WARC/"):
            return Kind.WARC
    if name.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
        return Kind.JSONL
    if name.endswith((".rss", ".atom")) or (head.lstrip().startswith(b"<?xml") and _FEED_START.search(head)):
        return Kind.FEED
    if name.endswith((".html", ".htm", ".xhtml")) or _HTML_START.match(head):
        return Kind.HTML
    if name.endswith(".xml") and _FEED_START.search(head):
        return Kind.FEED
    return Kind.TEXT


def _gunzip_head(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except (OSError, EOFError, zlib.error):
        return b""


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes: UTF-16 without a BOM if its zero bytes say so, a declared charset if it works,
    UTF-8, windows-1252 when it reads as Western European text, then detection.

    Raises UnreadableError for binary content (NUL bytes or control characters
    that no text encoding produces) and for bytes no encoding explains.
    """
    sample = data[:_SNIFF_BYTES * 4]
    utf16 = _utf16_without_bom(sample)
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf16:
        raise UnreadableError("binary content, not text")
    for encoding in filter(None, (utf16, declared, _meta_charset(data), "utf-8-sig")):
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        return _check_text(text)
    western = _western(data)
    if western is not None:
        return _check_text(western)
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise UnreadableError("unknown text encoding")
    # Short texts often fit several single-byte code pages equally well; among those ties
    # take windows-1252, the web's most common legacy encoding (the WHATWG default).
    tied = [m for m in matches if (m.percent_chaos, m.percent_coherence) ==
            (best.percent_chaos, best.percent_coherence)]
    chosen = next((m for m in tied if m.encoding == "cp1252"), best)
    return _check_text(str(chosen))


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when zero bytes fill one byte position of most pairs and almost never
    the other (text mostly in the first 256 code points), else None."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0:pairs * 2:2].count(0), sample[1:pairs * 2:2].count(0)
    if odd >= 0.4 * pairs and even <= 0.02 * pairs:
        encoding = "utf-16-le"
    elif even >= 0.4 * pairs and odd <= 0.02 * pairs:
        encoding = "utf-16-be"
    else:
        return None
    text = sample[:pairs * 2].decode(encoding, errors="replace")
    # text has spaces between words and more than a handful of distinct characters; "\x00\xff" * n has neither
    return encoding if sum(c.isspace() for c in text) >= 0.02 * len(text) and len(set(text)) >= 8 else None


# Letters beyond ASCII of the Western European languages windows-1252 serves, one alphabet each (é, a
# loanword letter, in all): a text whose letters fit one of them, sparsely, reads right as windows-1252,
# where code pages of other scripts decoded as windows-1252 give dense or mixed accented letters.
_WESTERN_ALPHABETS = [frozenset(letters + "é") for letters in (
    "àâæçèêëîïôœùûüÿ",  # French
    "áíñóúü",  # Spanish
    "ãõáâêôçàíóúü",  # Portuguese
    "àèìíòóùî",  # Italian
    "äöüßà",  # German
    "ëïèöüáó",  # Dutch
    "æøåäöü",  # Danish, Norwegian, Swedish, Finnish
    "áðíóúýþæö",  # Icelandic
    "àèíïòóúüç",  # Catalan
    "äöõüšž",  # Estonian
    "ëç",  # Albanian
)]
_WESTERN_MARKS = frozenset("\xa0«»‹›‘’‚“”„–—…•€£°§©®™·¿¡×½¼¾ªº")
_WESTERN_MAX_SHARE = 0.5  # accented letters among all letters (other scripts decoded so: nearly all)


def _western(data: bytes) -> str | None:
    """`data` as windows-1252 when the text reads as one Western European language, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    accented = {ch.lower() for ch in text if ord(ch) > 127 and ch.isalpha()}
    if any(ord(ch) > 127 and not ch.isalpha() and ch not in _WESTERN_MARKS for ch in text):
        return None
    if not any(accented <= alphabet for alphabet in _WESTERN_ALPHABETS):
        return None
    letters = sum(1 for ch in text if ch.isalpha())
    if sum(1 for ch in text if ord(ch) > 127 and ch.isalpha()) > _WESTERN_MAX_SHARE * letters:
        return None
    return text


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return match.group(1).decode("ascii", "ignore") if match else None


def _check_text(text: str) -> str:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if sample and controls / len(sample) > 0.01:
        raise UnreadableError("binary content, not text")
    return text


def read_bytes(path: str) -> bytes:
    """Read a page-sized file, refusing anything over MAX_PAGE_BYTES before reading it."""
    size = Path(path).stat().st_size
    if size > MAX_PAGE_BYTES:
        raise UnreadableError(f"file too large for one page: {size / 2**20:.1f} MiB "
                              f"(limit {MAX_PAGE_BYTES / 2**20:.0f} MiB)")
    with open(path, "rb") as handle:
        return handle.read()


def read_file(path: str, kind: Kind) -> Iterator[RawDocument | PendingUrl | Failure]:
    """Read a text dump, an HTML page or a feed file."""
    try:
        data = read_bytes(path)
        if not data.strip():
            raise UnreadableError("empty file")
        if kind is Kind.FEED:
            from storyline.sources.feeds import parse_feed

            yield from parse_feed(data, path)
            return
        text = decode(data)
    except OSError as error:
        yield Failure(path, f"cannot read file: {error.strerror or error}")
        return
    except UnreadableError as error:
        yield Failure(path, str(error))
        return
    yield RawDocument(source=path, format="html" if kind is Kind.HTML else "text", content=text)
