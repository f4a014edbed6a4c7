"""Every publication kept (issue 12), on real local news: newscope_localnews (992 articles, 220 outlets).

    python benchmarks/bench_publications.py

Ingests the set into a new database (stories on, as `storyline ingest` does), then prints: publications read
and stored, beside what a store keyed by text (release 0.1) keeps, the distinct texts among them; the texts
published more than once and how many of their later publications are linked as exact copies of the first
(cross-outlet links apart); what a second ingest of the same file adds; and what an ingest of the same lines
under other spellings of their URLs adds (scheme flipped, `www.` toggled, host in upper case, `:443` or `:80`,
`index.html`, `utm_*` parameters, a fragment).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from storyline import Storyline
from storyline.models import canonical_url

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "realnews" / "newscope_localnews"


def respell(url: str) -> str:
    """The same URL written another way."""
    parts = urlsplit(url)
    scheme = "http" if parts.scheme == "https" else "https"
    host = parts.hostname or ""
    host = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
    port = 443 if scheme == "https" else 80
    path = parts.path if parts.path.endswith("/index.html") else parts.path.rstrip("/") + "/index.html"
    query = "&".join(filter(None, [parts.query, "utm_source=newsletter&utm_medium=email"]))
    return urlunsplit((scheme, f"{host.upper()}:{port}", path, query, "top"))


def copies(db: Path) -> dict[str, int]:
    """Texts published more than once, and the exact copy links among their publications."""
    with sqlite3.connect(db) as conn:
        repeated = conn.execute("SELECT count(*) - count(DISTINCT content_hash) FROM articles").fetchone()[0]
        links = conn.execute(
            "SELECT copy.url, original.url FROM copies JOIN articles copy ON copy.id = copies.article_id "
            "JOIN articles original ON original.id = copies.copy_of "
            "WHERE copy.content_hash = original.content_hash AND copies.kind IN ('exact', 'syndicated')").fetchall()
        kinds = dict(conn.execute("SELECT kind, count(*) FROM copies GROUP BY kind").fetchall())
    cross = sum(1 for a, b in links if urlsplit(a).hostname.removeprefix("www.") != urlsplit(b).hostname
                .removeprefix("www."))
    return {"repeated": repeated, "linked": len(links), "cross_outlet": cross, **{f"kind {k}": v for k, v in
                                                                                 kinds.items()}}


def main() -> None:
    source = DATA / "articles.jsonl"
    lines = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "newscope.db"
        respelled = Path(tmp) / "respelled.jsonl"
        respelled.write_text("".join(json.dumps({**line, "url": respell(line["url"])}) + "\n" for line in lines),
                             encoding="utf-8")
        with Storyline(db) as lib:
            start = time.perf_counter()
            first = lib.ingest([str(source)])
            took = time.perf_counter() - start
            again = lib.ingest([str(source)])
            other = lib.ingest([str(respelled)])
            stored = len(lib.articles())
        with sqlite3.connect(db) as conn:
            texts = conn.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0]
        found = copies(db)
    urls = {line["url"] for line in lines}
    print(f"newscope_localnews: {len(lines)} lines, {len(urls)} distinct URLs, "
          f"{len({canonical_url(url) for url in urls})} after normalisation")
    print(f"ingest: read {first.read}, new {first.new}, duplicates {first.duplicates}, failed {first.failed} "
          f"({took:.0f} s with copies and stories); stored {stored} publications")
    print(f"a store keyed by text (release 0.1) keeps {texts}: {stored - texts} publications would vanish")
    print(f"texts published more than once: {found['repeated']} later publications; linked as exact copies of an "
          f"earlier one: {found['linked']} ({found['cross_outlet']} across outlets)")
    print("copy links by kind: " + ", ".join(f"{k.split()[1]} {v}" for k, v in found.items() if k.startswith("kind")))
    print(f"re-ingest of the same file: new {again.new}, duplicates {again.duplicates}")
    print(f"ingest of the same lines under other URL spellings: new {other.new}, duplicates {other.duplicates}")


if __name__ == "__main__":
    main()
