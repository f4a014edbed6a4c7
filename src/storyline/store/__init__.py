"""Store stage: one SQLite file (WAL, FTS5) holds articles, failures and pending URLs.

Each write commits on its own, so a crash or Ctrl-C loses at most the record
in flight; WAL lets readers (the web UI) go on while an ingest writes.
An article is one publication (`models.publication_key`: its URL, or its outlet and date
with its text): the same text from two outlets is kept twice, and ingesting the same input
twice adds nothing.
The schema carries a version (`meta.schema_version`); opening a database made by an
earlier release upgrades it in place, one migration per version, in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storyline.models import Article, Failure, PendingUrl, publication_key

SCHEMA_VERSION = 4
DEFAULT_DB = "storyline.db"

_ARTICLES = """
CREATE TABLE IF NOT EXISTS {name} (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    publication TEXT NOT NULL UNIQUE,
    raw_hash TEXT,
    source TEXT NOT NULL,
    url TEXT,
    title TEXT,
    published TEXT,
    published_evidence TEXT,
    published_confidence REAL NOT NULL DEFAULT 0,
    publisher TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    credited TEXT NOT NULL DEFAULT '[]',
    language TEXT,
    text TEXT NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    captions TEXT NOT NULL DEFAULT '[]',
    format TEXT NOT NULL,
    fetched TEXT,
    ingested_at TEXT NOT NULL
);
"""
# What the story step derives from an article alone (opaque to the store: see `cluster.derived`)
_DERIVED = """
CREATE TABLE IF NOT EXISTS article_derived (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    version INTEGER NOT NULL,
    features TEXT NOT NULL,
    copy BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS article_derived_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_derived WHERE article_id = old.id;
END;
"""
# What a story step keeps for the next one (opaque to the store: see `cluster.state`): the clusterer's state with
# the tag of what it depends on, and each placed article's word vector as placed
_STORY_STATE = """
CREATE TABLE IF NOT EXISTS story_state (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    tag TEXT NOT NULL,
    state BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS story_vectors (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    words BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS story_vectors_delete AFTER DELETE ON articles BEGIN
    DELETE FROM story_vectors WHERE article_id = old.id;
END;
"""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
{articles}
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_raw_hash ON articles(raw_hash);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (source, reason)
);
CREATE TABLE IF NOT EXISTS pending_urls (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    at TEXT NOT NULL
);
""".replace("{articles}", _ARTICLES.format(name="articles")) + _DERIVED + _STORY_STATE


def _publications(db: sqlite3.Connection) -> None:
    """1 -> 2: articles keyed by publication, not by text (the UNIQUE text key goes, so the table is rebuilt).

    A version-1 database can hold one URL with two texts (a page read before and after an edit); both rows
    stay, the later one keyed apart by its id.
    """
    columns = ", ".join(("id", "content_hash", "raw_hash", *_ARTICLE_COLUMNS, "ingested_at"))
    db.execute("DROP TRIGGER IF EXISTS articles_fts_insert")
    db.execute("DROP TRIGGER IF EXISTS articles_fts_delete")
    db.execute(_ARTICLES.format(name="articles_v2"))
    db.execute(f"INSERT INTO articles_v2 (publication, {columns}) SELECT 'id ' || id, {columns} FROM articles")
    keys, seen = [], set()
    for row in db.execute("SELECT id, url, publisher, published, content_hash FROM articles ORDER BY id"):
        key = publication_key(*row[1:])
        keys.append((f"{key} #{row[0]}" if key in seen else key, row[0]))
        seen.add(key)
    db.executemany("UPDATE articles_v2 SET publication = ? WHERE id = ?", keys)
    db.execute("DROP TABLE articles")
    db.execute("ALTER TABLE articles_v2 RENAME TO articles")  # indexes and triggers come back with the schema


def _derivations(db: sqlite3.Connection) -> None:
    """2 -> 3: the table of per-article derivations (the next story step fills it for the stored articles)."""
    for statement in _statements(_DERIVED):
        db.execute(statement)


def _story_state(db: sqlite3.Connection) -> None:
    """3 -> 4: the tables of what a story step keeps for the next (the next story step replays and fills them)."""
    for statement in _statements(_STORY_STATE):
        db.execute(statement)


# MIGRATIONS[n] upgrades a version-n database to version n + 1 (inside the opening transaction)
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _publications, 2: _derivations,
                                                               3: _story_state}

_JSON_LISTS = ("authors", "credited", "removed", "captions")
_ARTICLE_COLUMNS = ("source", "url", "title", "published", "published_evidence", "published_confidence",
                    "publisher", "authors", "credited", "language", "text", "removed", "captions", "format",
                    "fetched")


@dataclass(frozen=True, slots=True)
class StoredFailure:
    source: str
    reason: str
    at: str

    def to_json(self) -> dict:
        return {"source": self.source, "reason": self.reason, "at": self.at}


@dataclass(frozen=True, slots=True)
class Derivation:
    """What a stage derived from one article, stored beside it: the deriving code's version and two payloads."""

    version: int
    features: str
    copy: bytes


class SchemaError(RuntimeError):
    """The database was made by a newer Storyline than this one."""


class Store:
    """The embedded database. Open one per process; it is not shared across threads."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        if readonly:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self.db = sqlite3.connect(self.path, check_same_thread=False)
        self.db.execute("PRAGMA busy_timeout=10000")
        if not readonly:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            _upgrade(self.db)
        self.db.row_factory = sqlite3.Row

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # writes: each commits on its own

    def add_article(self, article: Article, *, raw_hash: str | None = None,
                    derivation: Derivation | None = None) -> int | None:
        """Store `article` (with its `derivation`, when given); return its new id, or None when the same
        publication is already stored.

        `raw_hash` identifies the input it came from, so that re-reading that input can skip extraction.
        """
        values = [getattr(article, column) for column in _ARTICLE_COLUMNS]
        values = [json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in values]
        with self.db:
            cursor = self.db.execute(
                f"INSERT OR IGNORE INTO articles (content_hash, publication, raw_hash, {', '.join(_ARTICLE_COLUMNS)}, "
                f"ingested_at) VALUES ({', '.join('?' * (len(_ARTICLE_COLUMNS) + 4))})",
                [article.content_hash, article.publication_key, raw_hash, *values, _now()],
            )
            if cursor.rowcount and derivation is not None:
                self._save_derivations([(cursor.lastrowid, derivation)])
        if cursor.rowcount == 0:
            return None
        article.id = cursor.lastrowid
        return article.id

    def save_derivations(self, rows: list[tuple[int, Derivation]]) -> None:
        """Store (or replace) the derivations of stored articles, by article id."""
        with self.db:
            self._save_derivations(rows)

    def _save_derivations(self, rows: list[tuple[int, Derivation]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO article_derived VALUES (?, ?, ?, ?)",
                            [(i, d.version, d.features, d.copy) for i, d in rows])

    def add_failure(self, failure: Failure) -> None:
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO failures (source, reason, at) VALUES (?, ?, ?)",
                            (failure.source, failure.reason, _now()))

    def clear_failures(self, source: str) -> None:
        """Forget earlier failures of `source` once it has been read successfully."""
        with self.db:
            self.db.execute("DELETE FROM failures WHERE source = ?", (source,))

    def add_pending(self, pending: PendingUrl) -> None:
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO pending_urls (url, source, title, at) VALUES (?, ?, ?, ?)",
                            (pending.url, pending.source, pending.title, _now()))

    # reads

    def articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        rows = self.db.execute("SELECT * FROM articles ORDER BY id LIMIT ? OFFSET ?",
                               (-1 if limit is None else limit, offset))
        return [_to_article(row) for row in rows]

    def has_raw(self, raw_hash: str) -> bool:
        """Whether an input with this raw hash was already extracted and stored."""
        return self.db.execute("SELECT 1 FROM articles WHERE raw_hash = ?", (raw_hash,)).fetchone() is not None

    def article(self, article_id: int) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _to_article(row) if row else None

    def derivation(self, article_id: int, version: int) -> Derivation | None:
        """The stored derivation of an article, when made by `version`."""
        row = self.db.execute("SELECT version, features, copy FROM article_derived WHERE article_id = ? "
                              "AND version = ?", (article_id, version)).fetchone()
        return Derivation(*row) if row else None

    def underived(self, version: int) -> list[int]:
        """Ids of the articles without a derivation made by `version`."""
        return [row[0] for row in self.db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM article_derived WHERE version = ?) "
            "ORDER BY id", (version,))]

    def count_articles(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def search(self, query: str, *, limit: int = 50) -> list[Article]:
        """Full-text search; the query is matched as plain words (no FTS syntax is interpreted)."""
        cleaned = "".join(ch for ch in query if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)
        words = [word.replace('"', '""') for word in cleaned.split()]
        if not words:
            return []
        match = " ".join(f'"{word}"' for word in words)
        rows = self.db.execute(
            "SELECT articles.* FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?", (match, limit))
        return [_to_article(row) for row in rows]

    def failures(self) -> list[StoredFailure]:
        rows = self.db.execute("SELECT source, reason, at FROM failures ORDER BY id")
        return [StoredFailure(*row) for row in rows]

    def pending(self) -> list[PendingUrl]:
        rows = self.db.execute("SELECT url, source, title FROM pending_urls ORDER BY at, url")
        return [PendingUrl(*row) for row in rows]

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def schema_version(db: sqlite3.Connection) -> int:
    """The schema version of an open database (a database from before versions were recorded counts as 1)."""
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:  # no meta table: an empty database
        return SCHEMA_VERSION
    return int(row[0]) if row else 1


def _upgrade(db: sqlite3.Connection) -> None:
    """Create the schema of an empty database, or migrate an older one to `SCHEMA_VERSION`, in one transaction.

    The write lock is taken first, so two processes opening an old database upgrade it once.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        fresh = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone() is None
        version = SCHEMA_VERSION if fresh else schema_version(db)
        if version > SCHEMA_VERSION:
            raise SchemaError(f"database schema version {version} is newer than this Storyline's "
                              f"({SCHEMA_VERSION}): upgrade Storyline to open it")
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](db)
        for statement in _statements(_SCHEMA):
            db.execute(statement)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        db.commit()
    except BaseException:
        db.rollback()
        raise


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, one by one (`executescript` would commit the open transaction)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""


def _to_article(row: sqlite3.Row) -> Article:
    data = {column: row[column] for column in _ARTICLE_COLUMNS}
    for column in _JSON_LISTS:
        data[column] = json.loads(data[column])
    return Article(id=row["id"], **data)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
