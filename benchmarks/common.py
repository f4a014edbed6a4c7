"""Helpers shared by the benchmarks: where the evaluation data lives, how to read it."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXTRACTION = SHARED / "data" / "extraction"


def trafilatura_eval_pages() -> Iterator[tuple[str, bytes]]:
    """(member name, raw bytes) of the 990 pages of trafilatura's evaluation, in archive order."""
    with tarfile.open(EXTRACTION / "trafilatura-eval" / "html.tar.xz") as archive:
        for member in archive:
            if member.isfile():
                yield member.name, archive.extractfile(member).read()


def write_warc(path: Path, pages: list[tuple[str, bytes]], copies: int = 1) -> int:
    """Write `pages` as HTML response records into a gzipped WARC, `copies` times; return the record count."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    count = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for copy in range(copies):
            for name, data in pages:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                url = f"https://bench.example/{copy}/{name}"
                writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(data),
                                                              http_headers=headers))
                count += 1
    return count


POLNEAR = SHARED / "data" / "quotes" / "polnear" / "polnear_v1_text_attributions.tar.gz"


def polnear_articles(split: str) -> dict[str, tuple[str, str]]:
    """PolNeAR articles of a split: key -> (text, attribution annotations of its first annotator file)."""
    texts: dict[str, str] = {}
    anns: dict[str, tuple[str, str]] = {}
    with tarfile.open(POLNEAR) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if len(parts) < 4 or parts[-3] != split or not member.isfile():
                continue
            data = tar.extractfile(member).read().decode("utf-8")
            if parts[-2] == "text":
                texts[parts[-1].removesuffix(".txt")] = data
            elif parts[-2] == "attributions":
                key = parts[-1].removesuffix(".ann").rsplit("_", 1)[0]
                if key not in anns or parts[-1] < anns[key][0]:
                    anns[key] = (parts[-1], data)
    return {key: (texts[key], anns[key][1]) for key in sorted(texts) if key in anns}
