"""Schema versions: a database made by release 0.1 opens with this code and is upgraded in place, losing no row."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import REPO

from storyline import Storyline
from storyline.store import SCHEMA_VERSION, SchemaError, Store, schema_version

# made by `storyline ingest samples/pages samples/feeds/agency.jsonl samples/html/sogn-weekly-dam-syndicated.html
# samples/missing.html --workers 1` with release 0.1 (schema version 1), run in the checkout
RELEASE_0_1 = REPO / "tests" / "fixtures" / "release-0.1.db"
TABLES = ("articles", "failures", "pending_urls", "stories", "story_articles", "copies", "article_flags")


def table_rows(path) -> dict[str, set[tuple]]:
    with sqlite3.connect(path) as db:
        return {table: set(db.execute(f"SELECT * FROM {table}")) for table in TABLES}


@pytest.fixture
def old_db(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(RELEASE_0_1, path)
    return path


def test_release_0_1_database_is_upgraded_in_place_without_losing_a_row(old_db, monkeypatch):
    with sqlite3.connect(old_db) as db:
        assert schema_version(db) == 1
        articles_before = {row[0]: row[1:] for row in db.execute("SELECT id, source, url, title, text FROM articles")}
    before = table_rows(old_db)
    assert len(articles_before) == 11 and before["copies"] and before["failures"]
    with Storyline(old_db) as lib:
        assert schema_version(lib.store.db) == SCHEMA_VERSION
        assert {a.id: (a.source, a.url, a.title, a.text) for a in lib.articles()} == articles_before
        assert [a.id for a in lib.articles(search="dam")]  # the full-text index still answers
        assert len(lib.stories()) == len(before["stories"]) and lib.errors()
        monkeypatch.chdir(REPO)  # the fixture's sources are relative to the checkout
        made_from = sorted({a.source.split("#")[0] for a in lib.articles()})  # samples/ has grown since
        again = lib.ingest(made_from, workers=1)
    assert (again.new, again.duplicates) == (0, 11)
    with sqlite3.connect(old_db) as db:  # the story step derived what it reads of every article, once
        assert db.execute("SELECT count(*) FROM article_derived").fetchone()[0] == len(articles_before)
    after = table_rows(old_db)
    for table in ("failures", "pending_urls", "stories", "story_articles", "copies", "article_flags"):
        assert after[table] == before[table], table
    assert len(after["articles"]) == len(before["articles"])


def test_upgrade_happens_once_and_a_newer_database_is_refused(old_db):
    Store(old_db).close()
    Store(old_db).close()  # already current: opens as is
    with sqlite3.connect(old_db) as db:
        assert schema_version(db) == SCHEMA_VERSION
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(SchemaError, match="newer"):
        Store(old_db)


def test_one_url_with_two_texts_in_a_version_1_database_keeps_both_rows(old_db):
    with sqlite3.connect(old_db) as db:
        db.execute("INSERT INTO articles (content_hash, source, url, title, text, format, ingested_at) "
                   "SELECT 'edited', source || '-again', url, title, text || ' Updated.', format, ingested_at "
                   "FROM articles WHERE url IS NOT NULL ORDER BY id LIMIT 1")
        edited = db.execute("SELECT id, url FROM articles WHERE content_hash = 'edited'").fetchone()
    with Store(old_db) as store:
        assert store.count_articles() == 12 and store.article(edited[0]).text.endswith("Updated.")
        assert [a.id for a in store.articles() if a.url == edited[1]] == [8, edited[0]]
