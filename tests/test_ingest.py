"""End to end through the CLI: ingest, list, show, errors; idempotency; interrupted runs."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import SEEDS, article_html, lorem_paragraphs

from storyline.pipeline import ingest
from storyline.store import Store

ARTICLE_FIELDS = {"id", "source", "url", "title", "published", "published_evidence", "publisher", "credited",
                  "language", "text"}


def write_jsonl(path, n: int) -> None:
    with open(path, "w") as out:
        for i in range(n):
            out.write(json.dumps({"url": f"https://wire.example/{i}", "title": f"Report number {i}",
                                  "text": f"Report {i}: " + " ".join(lorem_paragraphs(f"district {i}", 2)),
                                  "published": "2025-03-04", "publisher": "Wire"}) + "\n")


def count_articles(db: str) -> int:
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def test_ingest_mixed_sources_contract(tmp_path, cli, cli_json, db):
    (tmp_path / "harbour.html").write_text(article_html("Harbour wall cracks after storm", "2024-05-03",
                                                         lorem_paragraphs("Bergen", 5)))
    write_jsonl(tmp_path / "wire.jsonl", 2)
    (tmp_path / "broken.html").write_bytes(b"\x00\x01\x02" * 500)
    summary = json.loads(cli("ingest", str(tmp_path), "--db", db, "--json").stdout)
    assert summary["new"] == 3 and summary["failed"] == 1 and summary["read"] == 3
    articles = cli_json("articles", "--db", db)
    assert len(articles) == 3 and all(set(a) >= ARTICLE_FIELDS for a in articles)
    page = next(a for a in articles if a["source"].endswith("harbour.html"))
    assert page["title"] == "Harbour wall cracks after storm"
    assert page["published"] == "2024-05-03" and page["published_evidence"]
    assert page["language"] == "en" and "Most read" not in page["text"]
    wire = next(a for a in articles if a["url"] == "https://wire.example/1")
    assert (wire["publisher"], wire["published"], wire["title"]) == ("Wire", "2025-03-04", "Report number 1")
    detail = cli_json("article", str(page["id"]), "--db", db)
    assert set(detail) == set(page) | {"removed"} and isinstance(detail["removed"], list)
    [error] = cli_json("errors", "--db", db)
    assert error["source"].endswith("broken.html") and error["reason"] == "binary content, not text"


def test_reingest_adds_nothing(tmp_path, cli, cli_json, db):
    write_jsonl(tmp_path / "wire.jsonl", 5)
    first = json.loads(cli("ingest", str(tmp_path), "--db", db, "--json").stdout)
    again = json.loads(cli("ingest", str(tmp_path), "--db", db, "--json").stdout)
    assert (first["new"], again["new"], again["duplicates"]) == (5, 0, 5)
    assert len(cli_json("articles", "--db", db)) == 5


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared not available")
def test_seeds_through_the_cli(cli, cli_json, db):
    cli("ingest", str(SEEDS), "--db", db)
    articles = cli_json("articles", "--db", db)
    assert len(articles) == 4
    by_file = {a["source"].rsplit("/", 1)[-1][:3]: a for a in articles}
    assert by_file["001"]["published"] == "2024-05-03"
    assert {"NTB", "Reuters"} <= set(by_file["001"]["credited"])
    assert "CBS News" in by_file["002"]["credited"]
    assert all(a["language"] == "en" for a in articles)
    shown = cli("article", str(by_file["002"]["id"]), "--db", db, "--removed").stdout
    assert "removed boilerplate" in shown


def test_untrusted_text_is_not_rich_markup(tmp_path, cli, db):
    body = "[bold red]not markup[/bold red] and [link=file:///etc/passwd]x[/link] " * 20
    (tmp_path / "x.jsonl").write_text(json.dumps({"title": "[blink]T[/blink]", "text": body}) + "\n")
    cli("ingest", str(tmp_path / "x.jsonl"), "--db", db)
    shown = cli("article", "1", "--db", db).stdout
    assert "[bold red]not markup[/bold red]" in shown and "[blink]T[/blink]" in shown


def test_missing_db_and_article(cli, db):
    assert "No database" in cli("articles", "--db", db, ok=False).output
    cli("ingest", "/nonexistent/path.txt", "--db", db)
    result = cli("article", "99", "--db", db, ok=False)
    assert result.exit_code == 1 and "No article 99" in result.output


def test_db_from_environment(tmp_path, cli, monkeypatch):
    write_jsonl(tmp_path / "wire.jsonl", 1)
    monkeypatch.setenv("STORYLINE_DB", str(tmp_path / "env.db"))
    cli("ingest", str(tmp_path / "wire.jsonl"))
    assert count_articles(str(tmp_path / "env.db")) == 1


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_ingest_keeps_what_was_committed(tmp_path, sig):
    write_jsonl(tmp_path / "big.jsonl", 2000)
    db = str(tmp_path / "kill.db")
    command = [sys.executable, "-m", "storyline", "ingest", str(tmp_path / "big.jsonl"), "--db", db]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "COLUMNS": "120"})
    deadline = time.monotonic() + 60
    while count_articles(db) < 50 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    kept = count_articles(db)
    assert 50 <= kept < 2000, "the run finished before it could be interrupted"
    if sig == signal.SIGINT:
        assert process.returncode == 130
        said = re.search(rb"Interrupted: kept read \d+, new (\d+),", stderr)
        assert said and kept - 1 <= int(said.group(1)) <= kept  # the last commit may land just before Ctrl-C
    with Store(db) as store:
        assert store.integrity_ok()
    rerun = subprocess.run([*command, "--json"], capture_output=True, check=True)
    summary = json.loads(rerun.stdout)
    assert summary["duplicates"] >= kept - 1 and count_articles(db) == 2000


def test_search_treats_any_query_as_plain_words(tmp_path, cli, db):
    write_jsonl(tmp_path / "wire.jsonl", 3)
    cli("ingest", str(tmp_path / "wire.jsonl"), "--db", db)
    with Store(db) as store:
        assert [a.url for a in store.search("district 2")] == ["https://wire.example/2"]
        for query in ['"', "NEAR(", "a OR b", "*", "\x00", "a\x00b", "\ud800", ")", "^-:"]:
            store.search(query)  # no FTS syntax error, no encoding error


def test_container_dates_become_iso_or_fall_back(tmp_path, cli_json, cli, db):
    lines = [{"title": "A", "text": "Harbour report one. " * 20, "published": "March 4, 2025"},
             {"title": "B", "text": "Harbour report two. " * 20, "published": "2025-03-05T23:10:00Z"},
             {"title": "C", "text": "Harbour report three. " * 20, "published": "not a date at all"}]
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    cli("ingest", str(tmp_path / "d.jsonl"), "--db", db, "--no-stories")
    dates = {a["title"]: a["published"] for a in cli_json("articles", "--db", db)}
    assert dates == {"A": "2025-03-04", "B": "2025-03-05", "C": None}


def test_parallel_extraction_stores_what_serial_does(tmp_path, monkeypatch):
    """Extraction in a process pool gives the same articles, ids, failures and progress calls as in one process."""
    from storyline import pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(24):
        html = article_html(f"Harbour inquiry number {i} widens", f"2024-03-0{1 + i % 9}",
                            lorem_paragraphs(f"Port {i}"))
        (folder / f"page{i:02d}.html").write_text(html, encoding="utf-8")
    (folder / "page00-again.html").write_bytes((folder / "page00.html").read_bytes())  # same raw input
    (folder / "junk.html").write_bytes(bytes(range(256)) * 64)
    write_jsonl(folder / "more.jsonl", 6)
    monkeypatch.setattr(pipeline, "SERIAL_START", 2)  # start the pool after two documents
    submitted = []

    class CountingPool(pipeline.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            submitted.append(args[1].source)
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", CountingPool)
    results = {}
    for workers in (1, 2):
        inputs: list[str] = []
        with Store(tmp_path / f"w{workers}.db") as store:
            summary = pipeline.ingest([str(folder)], store, workers=workers,
                                      on_input=lambda name, _, seen=inputs: seen.append(name))
            articles = [(a.id, a.source, a.title, a.text, a.published) for a in store.articles()]
            failed = sorted(f.source for f in store.failures())
        results[workers] = (summary.to_json(), articles, failed, inputs)
    assert len(submitted) >= 25  # the second run extracted in the pool
    assert results[2] == results[1]
    summary, articles, failed, inputs = results[1]
    assert summary["new"] == 30 and summary["duplicates"] == 1 and len(failed) == 1
    assert len(inputs) == 27


def test_ingest_stays_serial_where_no_process_pool_can_start(tmp_path, monkeypatch):
    from storyline import pipeline

    def no_pool(*args, **kwargs):
        raise OSError("no /dev/shm")

    monkeypatch.setattr(pipeline, "SERIAL_START", 1)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", no_pool)
    write_jsonl(tmp_path / "wire.jsonl", 5)
    with Store(tmp_path / "serial.db") as store:
        summary = pipeline.ingest([str(tmp_path / "wire.jsonl")], store, workers=2)
    assert summary.new == 5 and summary.failed == 0


def test_same_text_from_two_outlets_is_two_publications_linked_as_exact_copies(tmp_path):
    from storyline import Storyline

    text = "\n\n".join(lorem_paragraphs("Tromsø", 4))
    lines = [{"url": "https://herald.example/harbour", "publisher": "Herald", "title": "Harbour wall cracks",
              "text": text, "published": "2025-03-04"},
             {"url": "https://courier.example/news/harbour", "publisher": "Courier", "title": "Harbour wall cracks",
              "text": text, "published": "2025-03-04"}]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines + lines[:1]))
    with Storyline(tmp_path / "pub.db") as lib:
        first = lib.ingest([str(tmp_path / "a.jsonl")], workers=1)
        again = lib.ingest([str(tmp_path / "a.jsonl")], workers=1)
        assert (first.new, first.duplicates, again.new, again.duplicates) == (2, 1, 0, 3)
        herald, courier = lib.articles()
        assert (herald.publisher, courier.publisher, herald.text) == ("Herald", "Courier", courier.text)
        [summary] = lib.stories()
        story = lib.story(summary.id).to_json()
    assert story["article_ids"] == [herald.id, courier.id] and story["independent_sources"] == 1
    assert story["copies"] == [{"article_id": courier.id, "copy_of": herald.id, "copy_of_source": "Herald",
                                "similarity": 1.0, "kind": "exact"}]


def test_without_a_url_outlet_date_and_text_identify_a_publication(tmp_path):
    text = " ".join(lorem_paragraphs("Narvik", 3))
    lines = [{"title": "Quay closed", "text": text, "publisher": "Herald", "published": "2025-03-04"},
             {"title": "Quay closed", "text": text + "\n", "publisher": "Herald", "published": "2025-03-04"},
             {"title": "Quay closed", "text": text, "publisher": "Courier", "published": "2025-03-04"},
             {"title": "Quay closed", "text": text, "publisher": "Herald", "published": "2025-03-05"}]
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    with Store(tmp_path / "nourl.db") as store:
        summary = ingest([str(tmp_path / "b.jsonl")], store, stories=False)
        assert (summary.new, summary.duplicates) == (3, 1)
        assert [(a.publisher, a.published) for a in store.articles()] == [
            ("Herald", "2025-03-04"), ("Courier", "2025-03-04"), ("Herald", "2025-03-05")]


SPELLINGS = ["https://www.Herald.example/news/harbour/", "http://herald.example/news/harbour",
             "https://herald.example:443/news/harbour/index.html?utm_source=x&utm_medium=y#top",
             "HTTP://WWW.HERALD.EXAMPLE:80/news/harbour?fbclid=abc", "https://herald.example/news/harbour/?gclid=1"]


def test_one_url_written_many_ways_is_one_publication(tmp_path, cli, cli_json, db):
    from storyline.models import canonical_url

    assert {canonical_url(url) for url in SPELLINGS} == {"https://herald.example/news/harbour"}
    others = ["https://herald.example/news/harbour?id=2", "https://herald.example/News/harbour",
              "https://herald.example:8080/news/harbour", "https://herald.example/news"]
    assert len({canonical_url(url) for url in others}) == len(others) and not {canonical_url(u) for u in others} & {
        "https://herald.example/news/harbour"}
    assert canonical_url("https://herald.example/a?b=2&a=1") == canonical_url("https://herald.example/a?a=1&b=2")
    text = " ".join(lorem_paragraphs("Bodø", 3))
    (tmp_path / "u.jsonl").write_text("".join(json.dumps({"url": url, "title": "Harbour wall cracks", "text": text,
                                                          "publisher": "Herald"}) + "\n" for url in SPELLINGS))
    summary = json.loads(cli("ingest", str(tmp_path / "u.jsonl"), "--db", db, "--json", "--no-stories").stdout)
    assert (summary["new"], summary["duplicates"]) == (1, 4)
    [article] = cli_json("articles", "--db", db)
    assert (article["url"], article["canonical_url"]) == (SPELLINGS[0], "https://herald.example/news/harbour")


def test_the_story_step_reads_the_derivations_ingest_stored(tmp_path, monkeypatch):
    """Ingest stores each article's derivations (clustering terms, fingerprint, farm signals: what the story step
    would derive from its text); a story step over stale or missing ones derives them again and gives the same
    stories and copies; a later ingest derives only its new articles."""
    from storyline.cluster import assign, derived
    from storyline.cluster.features import featurize
    from storyline.dedup.similarity import fingerprint
    from storyline.store import stories as story_store

    def state(store: Store) -> tuple:
        placed = [(p.article_id, p.story_id, p.seq, p.probability, p.similarity, p.placed_on)
                  for p in story_store.placements(store)]
        return (placed, store.db.execute("SELECT * FROM stories ORDER BY id").fetchall(),
                store.db.execute("SELECT * FROM copies ORDER BY article_id").fetchall(),
                store.db.execute("SELECT * FROM article_flags ORDER BY article_id").fetchall())

    with Store(tmp_path / "s.db") as store:
        ingest([str(SEEDS)], store, workers=1)
        count = store.count_articles()
        assert count and not store.underived(derived.VERSION)
        for article in store.articles():
            kept = store.derivation(article.id, derived.VERSION)
            terms = derived.features(kept, day=None, language=article.language)
            assert terms == featurize(article.title, article.text, day=None, language=article.language)
            fp, made = derived.copy_traits(kept).fingerprint, fingerprint(article.text)
            assert (fp.exact, fp.shingles, fp.words, fp.paragraphs, fp.length) == (
                made.exact, made.shingles, made.words, made.paragraphs, made.length)
            assert fp.shingle_hash.hashvalues.tolist() == made.shingle_hash.hashvalues.tolist()
            assert fp.word_hash.hashvalues.tolist() == made.word_hash.hashvalues.tolist()
        placed = state(store)
        assign.recluster(store)
        assert state(store) == placed
        with store.db:
            store.db.execute("UPDATE article_derived SET version = 0 WHERE article_id % 2 = 0")
            store.db.execute("DELETE FROM article_derived WHERE article_id % 3 = 0")
        assign.recluster(store)
        assert state(store) == placed and not store.underived(derived.VERSION)
        derive = derived.derive
        seen: list[int | None] = []
        monkeypatch.setattr(derived, "derive", lambda article: seen.append(article.id) or derive(article))
        path = tmp_path / "later.html"
        path.write_text(article_html("A later report", "2024-05-04", lorem_paragraphs("harbour", 3)), encoding="utf-8")
        ingest([str(path)], store, workers=1)
        assert seen == [None] and store.count_articles() == count + 1  # the new article, derived before storing
