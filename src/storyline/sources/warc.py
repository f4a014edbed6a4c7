"""WARC / WARC.gz crawls: every HTML response record becomes a raw document.

Streams record by record (memory stays flat whatever the archive's size). A
truncated or corrupt archive yields the records before the damage and one
Failure naming the record where reading stopped.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader

from storyline.models import Failure, RawDocument
from storyline.sources.files import MAX_PAGE_BYTES, UnreadableError, decode

_HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_HEADER_BYTES = 1 << 20  # header lines of one record


def read_warc(path: str) -> Iterator[RawDocument | Failure]:
    """Yield one RawDocument per HTML response record of the archive at `path`."""
    index = end = pages = 0
    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            records.reader = reader = _BoundedLines(records.fh)
            for index, record in enumerate(records, start=1):
                content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
                if record.rec_type == "response" and content_type.lower().startswith(_HTML_TYPES):
                    pages += 1
                    yield _to_document(path, index, record, content_type)
                end = records.get_record_offset() + records.get_record_length()
                reader.budget = MAX_HEADER_BYTES
        if index == 0:
            yield Failure(path, "empty file" if os.path.getsize(path) == 0 else "no WARC record in this file")
        # warcio can stop quietly at a cut or damaged tail: check the archive really ended there
        elif end < os.path.getsize(path) or not _gzip_complete(path):
            yield Failure(f"{path}#{index + 1}", f"corrupt or truncated archive: what follows record {index} "
                                                 "is not a complete record")
        elif pages == 0:
            yield Failure(path, f"no HTML response among the {index} records of this archive")
    except (FileNotFoundError, PermissionError) as error:
        yield Failure(path, f"cannot read file: {error.strerror}")
    except Exception as error:  # warcio raises assorted errors on damaged input; all mean the same here
        yield Failure(f"{path}#{index + 1}", f"corrupt or truncated archive: {type(error).__name__}: {error}")


class _BoundedLines(DecompressingBufferedReader):
    """warcio's reader with the lines it reads (record and HTTP headers, blank lines, chunk sizes) bounded
    per record: an endless header line in a small compressed file fails instead of filling memory."""

    budget = MAX_HEADER_BYTES

    def readline(self, length: int | None = None) -> bytes:
        line = super().readline(self.budget + 1 if length is None else min(length, self.budget + 1))
        self.budget -= len(line)
        if self.budget < 0:
            raise ValueError(f"record headers larger than {MAX_HEADER_BYTES // 2**20} MiB")
        return line


def _gzip_complete(path: str) -> bool:
    """False when `path` is gzip data that stops before the end of its last member (true for plain files)."""
    with open(path, "rb") as handle:
        if handle.read(2) != b"\x1f\x8b":
            return True
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error):
        return False
    return True


def _to_document(path: str, index: int, record, content_type: str) -> RawDocument | Failure:
    source = f"{path}#{index}"
    url = record.rec_headers.get_header("WARC-Target-URI")
    crawled = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        return Failure(source, f"record too large for one page (limit {MAX_PAGE_BYTES // 2**20} MiB)")
    if getattr(record.raw_stream, "limit", 0):  # fewer bytes than the record declares: the archive was cut
        return Failure(source, "corrupt or truncated archive: record ends before its declared length")
    charset = None
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    try:
        html = decode(data, charset)
    except UnreadableError as error:
        return Failure(source, str(error))
    return RawDocument(source=source, format="html", content=html, url=url, fetched=crawled)
