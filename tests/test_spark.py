"""The Spark path gives the single-machine path's articles and failures (local[2], a few hundred records)."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'storyline[spark]')")

from storyline.pipeline import ingest  # noqa: E402
from storyline.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from common import trafilatura_eval_pages, write_warc  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    from storyline.spark.session import get_session

    session = get_session("local[2]", app_name="storyline-test")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    """Two WARC files (the second repeats 30 of the first's pages under their URLs, 20 under other URLs: other
    publications of the same text) and one with a corrupt record."""
    folder = tmp_path_factory.mktemp("crawl")
    pages = [page for _, page in zip(range(80), trafilatura_eval_pages(), strict=False)]
    write_warc(folder / "a.warc.gz", [(f"a/{name}", data) for name, data in pages])
    write_warc(folder / "b.warc.gz", [(f"{'ab'[n >= 30]}/{name}", data) for n, (name, data) in enumerate(pages[:50])])
    write_warc(folder / "c.warc.gz", [(f"c/{name}", data) for name, data in pages[50:]])
    with open(folder / "c.warc.gz", "rb") as stream:  # damage the 10th record's start: the reader stops there
        records = ArchiveIterator(stream)
        offset = next(records.get_record_offset() for n, _ in enumerate(records, start=1) if n == 10)
    data = (folder / "c.warc.gz").read_bytes()
    (folder / "c.warc.gz").write_bytes(data[:offset] + b"\x00garbage" * 64 + data[offset:])
    return folder


def rows(db: Path, query: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(query).fetchall()


def articles(db: Path) -> list[dict]:
    with Store(db) as store:
        found = [article.to_json(with_removed=True) for article in store.articles()]
    hashes = rows(db, "SELECT id, content_hash, raw_hash FROM articles ORDER BY id")
    return [{**article, "hashes": list(row)} for article, row in zip(found, hashes, strict=True)]


def test_spark_extract_equals_ingest_and_reruns_idempotently(spark, crawl, tmp_path, cli_json):
    from storyline.spark.extract import run_extract
    from storyline.spark.load import run_import

    with Store(tmp_path / "single.db") as store:
        single = ingest([str(crawl)], store)
    out = str(tmp_path / "articles.parquet")
    summary = run_extract(spark, [str(crawl)], out)
    assert (summary.records, summary.articles, summary.duplicates, summary.failed) == (
        single.read, single.new, single.duplicates, single.failed)
    assert summary.articles >= 80 and summary.duplicates >= 20

    failures = spark.read.parquet(summary.failures).collect()
    assert failures and all(row["source"].startswith(str(crawl / "c.warc.gz#")) for row in failures)
    assert {(row["source"], row["reason"]) for row in failures} == set(
        rows(tmp_path / "single.db", "SELECT source, reason FROM failures"))

    with Store(tmp_path / "spark.db") as store:
        imported = run_import(spark, [out, summary.failures], store)
    assert (imported.new, imported.failures) == (single.new, len(failures))
    assert articles(tmp_path / "spark.db") == articles(tmp_path / "single.db")

    before = sorted(json.dumps(row.asDict(), sort_keys=True) for row in spark.read.parquet(out).collect())
    again = cli_json("spark", "extract", str(crawl), "--out", out, "--master", "local[2]")
    after = sorted(json.dumps(row.asDict(), sort_keys=True) for row in spark.read.parquet(out).collect())
    assert again == summary.to_json() and after == before
    assert len(spark.read.parquet(summary.failures).collect()) == len(failures)
    assert cli_json("import", out, "--db", tmp_path / "spark.db")["new"] == 0


def test_spark_stories_equal_single_machine_in_one_block_and_close_with_blocking(spark, tmp_path):
    from storyline.spark.extract import run_extract
    from storyline.spark.load import run_import
    from storyline.spark.stories import run_stories
    from storyline.store import stories as story_store

    source = tmp_path / "gvc.jsonl"
    with open(REPO.parent / "shared" / "data" / "clustering" / "gvc_doc_clusters.jsonl") as lines:
        docs = [json.loads(line) for _, line in zip(range(80), lines, strict=False)]
    source.write_text("".join(json.dumps({"url": f"https://gvc.example/{d['id']}", "title": d["title"] or None,
                                          "text": d["text"], "published": d["date"]}) + "\n" for d in docs))
    with Store(tmp_path / "single.db") as store:
        ingest([str(source)], store)
        single = (story_store.stories(store), story_store.placements(store), story_store.copies(store, range(99)))
    run_extract(spark, [str(source)], str(tmp_path / "articles.parquet"))

    def spark_stories(name: str, blocking: bool) -> tuple:
        summary = run_stories(spark, str(tmp_path / "articles.parquet"), str(tmp_path / f"{name}.parquet"),
                              blocking=blocking)
        with Store(tmp_path / f"{name}.db") as store:
            run_import(spark, [summary.out], store)
            assert articles(tmp_path / f"{name}.db") == articles(tmp_path / "single.db")
            return (story_store.stories(store), story_store.placements(store), story_store.copies(store, range(99)))

    assert spark_stories("one-block", blocking=False) == single
    blocked = spark_stories("blocked", blocking=True)
    pairs = {frozenset((a, b)) for s in single[0] for a in s.article_ids for b in s.article_ids if a < b}
    found = {frozenset((a, b)) for s in blocked[0] for a in s.article_ids for b in s.article_ids if a < b}
    assert len(pairs & found) >= 0.8 * max(len(pairs), len(found))  # measured cost: docs/spark.md
