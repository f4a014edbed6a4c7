"""JSONL dumps: one article per line with url, title, text or html, published, publisher."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from storyline.models import Failure, RawDocument
from storyline.sources.files import MAX_PAGE_BYTES

MAX_LEADING_FAILURES = 1000  # broken lines before the first JSON one, after which the file is not JSONL
_NOT_JSON = "invalid JSON: "
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read_jsonl(path: str) -> Iterator[RawDocument | Failure]:
    """Yield one document per valid line; a broken line is a Failure and the rest go on.

    A file in which no line is JSON (junk named .jsonl) or no line at all is one Failure, not one per line.
    A line is never held beyond MAX_PAGE_BYTES: a longer one (a compressed bomb's, say) is read past in
    bounded chunks and reported, so memory stays flat whatever the decompressed size.
    """
    opener = gzip.open if path.lower().endswith(".gz") else open
    leading: list[Failure] | None = []  # failures held until a line turns out to be JSON
    try:
        with opener(path, "rb") as handle:
            number = 0
            while line := handle.readline(MAX_PAGE_BYTES + 1):
                number += 1
                if len(line) > MAX_PAGE_BYTES:
                    if not line.endswith(b"\n"):
                        _skip_line(handle)
                    item = Failure(f"{path}#{number}", f"line too large (limit {MAX_PAGE_BYTES // 2**20} MiB)")
                elif line.strip():
                    item = _parse_line(line, f"{path}#{number}")
                else:
                    continue
                if leading is None:
                    yield item
                elif isinstance(item, Failure) and item.reason.startswith(_NOT_JSON):
                    leading.append(item)
                    if len(leading) >= MAX_LEADING_FAILURES:
                        yield Failure(path, f"not a JSONL file: its first {len(leading)} lines are not JSON")
                        return
                else:
                    yield from leading
                    yield item
                    leading = None
    except (OSError, EOFError, zlib.error) as error:
        yield Failure(path, f"cannot read file: {getattr(error, 'strerror', None) or error}")
        return
    if leading:
        yield Failure(path, f"not a JSONL file: none of its {len(leading)} lines is JSON "
                            f"(line {leading[0].source.rsplit('#', 1)[1]}: {leading[0].reason})")
    elif leading is not None:
        yield Failure(path, "empty file")


def _skip_line(handle: BinaryIO) -> None:
    while (chunk := handle.readline(1 << 20)) and not chunk.endswith(b"\n"):
        pass


def _parse_line(line: bytes, source: str) -> RawDocument | Failure:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return Failure(source, f"{_NOT_JSON}{error}")
    if not isinstance(record, dict):
        return Failure(source, "line is not a JSON object")
    fields = {key: record.get(key) for key in ("url", "title", "text", "html", "published", "publisher")}
    if any(value is not None and not isinstance(value, str) for value in fields.values()):
        return Failure(source, "fields url, title, text, html, published, publisher must be strings")
    # a lone surrogate escape ("\\ud800") decodes to a str no UTF-8 store can hold: it becomes U+FFFD
    fields = {key: _LONE_SURROGATE.sub("\ufffd", value) if value else value for key, value in fields.items()}
    if fields["text"]:
        fmt, content = "body", fields["text"]
    elif fields["html"]:
        fmt, content = "html", fields["html"]
    else:
        return Failure(source, "no 'text' or 'html' field")
    return RawDocument(source=source, format=fmt, content=content, url=fields["url"], title=fields["title"],
                       published=fields["published"], publisher=fields["publisher"])
