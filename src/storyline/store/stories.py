"""Story and copy tables: which story each article is in, and which article copies which.

Tables are created on first use through the Store's connection. Placements are
append-only during incremental ingest; `replace_all` rebuilds every story inside
one transaction, so a crash leaves either the old or the new stories, and every
article is in exactly one story (article_id is the key of `story_articles`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from filelock import FileLock

from storyline.models import ArticleFlags, CopyLink
from storyline.store import Store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY,
    title TEXT,
    first_published TEXT,
    last_published TEXT
);
CREATE TABLE IF NOT EXISTS story_articles (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    story_id INTEGER NOT NULL REFERENCES stories(id),
    seq INTEGER NOT NULL UNIQUE,
    placed_on TEXT,
    date_basis TEXT NOT NULL,
    probability REAL NOT NULL,
    similarity REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS story_articles_story ON story_articles(story_id);
CREATE TABLE IF NOT EXISTS copies (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    copy_of INTEGER REFERENCES articles(id),
    copy_of_source TEXT,
    similarity REAL NOT NULL,
    kind TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS article_flags (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    date_suspect TEXT,
    farm TEXT NOT NULL DEFAULT '[]'
);
"""


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A stored story with its articles in placement order."""

    id: int
    title: str | None
    article_ids: list[int]
    first_published: str | None
    last_published: str | None


@dataclass(frozen=True, slots=True)
class Placed:
    """One article's stored placement."""

    article_id: int
    story_id: int
    seq: int
    placed_on: str | None  # the date used for ordering (publication date or ingest date)
    date_basis: str  # "published", "ingest" (no date: placed by ingest time) or "suspect"
    probability: float
    similarity: float


@contextmanager
def exclusive(store: Store) -> Iterator[None]:
    """Hold the database's story lock: one story step (placement or rebuild) at a time across processes.

    The step reads the stored placements, computes for seconds, then writes; a second writer doing the same
    in between would place the same articles twice, or a rebuild would drop placements made meanwhile.
    Article writes are not held up. The lock is a file beside the database, released by the system if
    the process dies.
    """
    if store.path in ("", ":memory:"):
        yield
        return
    with FileLock(store.path + ".stories.lock"):
        yield


def ensure_schema(store: Store) -> None:
    store.db.executescript(_SCHEMA)


def placements(store: Store) -> list[Placed]:
    """Every placed article, in placement order."""
    ensure_schema(store)
    rows = store.db.execute("SELECT article_id, story_id, seq, placed_on, date_basis, probability, similarity "
                            "FROM story_articles ORDER BY seq")
    return [Placed(*row) for row in rows]


def _write_placements(db: sqlite3.Connection, placed: Iterable[Placed]) -> None:
    db.executemany("INSERT INTO story_articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(p.article_id, p.story_id, p.seq, p.placed_on, p.date_basis, p.probability, p.similarity)
                    for p in placed])


def _write_stories(db: sqlite3.Connection, stories: Iterable[StoryRow]) -> None:
    db.executemany("INSERT OR REPLACE INTO stories (id, title, first_published, last_published) VALUES (?, ?, ?, ?)",
                   [(s.id, s.title, s.first_published, s.last_published) for s in stories])


@dataclass(frozen=True, slots=True)
class Kept:
    """What a story step keeps for the next one (see `cluster.state`): its state (None: none) with the tag of
    what it depends on, and the word vectors of the articles it placed or replayed, by article id."""

    tag: str
    state: bytes | None
    vectors: dict[int, bytes]


def kept_state(store: Store) -> tuple[str, bytes] | None:
    """The stored story-step state and its tag, if any."""
    row = store.db.execute("SELECT tag, state FROM story_state WHERE id = 0").fetchone()
    return (row[0], row[1]) if row else None


def kept_vectors(store: Store, article_ids: Iterable[int]) -> dict[int, bytes]:
    """The stored word vectors of these articles (those that have one)."""
    ids, found = sorted(set(article_ids)), {}
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        found.update(store.db.execute(f"SELECT article_id, words FROM story_vectors WHERE article_id IN "
                                      f"({','.join('?' * len(part))})", part).fetchall())
    return found


def save_vectors(store: Store, vectors: dict[int, bytes]) -> None:
    """Store (or replace) word vectors of articles, by id: written during a story step, before its placements.
    A vector only counts with a state whose tag matches the placements (see `cluster.state`), so one left by a
    step that did not finish is replaced by the next step, which places or replays its article again."""
    with store.db:
        store.db.executemany("INSERT OR REPLACE INTO story_vectors VALUES (?, ?)", vectors.items())


def forget_state(store: Store) -> None:
    """Drop the kept state (a rebuild is about to rewrite the vectors it goes with)."""
    with store.db:
        store.db.execute("DELETE FROM story_state")


def _write_kept(db: sqlite3.Connection, kept: Kept | None) -> None:
    """Replace the kept state (None: keep none, so that the next story step replays) and add vectors."""
    db.execute("DELETE FROM story_state")
    if kept is None:
        return
    if kept.state is not None:
        db.execute("INSERT INTO story_state VALUES (0, ?, ?)", (kept.tag, kept.state))
    db.executemany("INSERT OR REPLACE INTO story_vectors VALUES (?, ?)", kept.vectors.items())


def _write_copies(db: sqlite3.Connection, links: Iterable[CopyLink], flags: Iterable[ArticleFlags]) -> None:
    db.execute("DELETE FROM copies")
    db.execute("DELETE FROM article_flags")
    db.executemany("INSERT INTO copies VALUES (?, ?, ?, ?, ?)",
                   [(c.article_id, c.copy_of, c.copy_of_source, c.similarity, c.kind) for c in links])
    db.executemany("INSERT INTO article_flags VALUES (?, ?, ?)",
                   [(f.article_id, f.date_suspect, json.dumps(list(f.farm), ensure_ascii=False)) for f in flags])


def append(store: Store, placed: list[Placed], stories: list[StoryRow], links: Iterable[CopyLink],
           flags: Iterable[ArticleFlags], kept: Kept | None = None) -> None:
    """Add new placements, update the stories they touch, refresh the copy tables and keep what the next story
    step needs, in one transaction."""
    ensure_schema(store)
    with store.db:
        _write_kept(store.db, kept)
        _write_placements(store.db, placed)
        _write_stories(store.db, stories)
        _write_copies(store.db, links, flags)


def replace_all(store: Store, placed: list[Placed], stories: list[StoryRow], links: Iterable[CopyLink],
                flags: Iterable[ArticleFlags], kept: Kept | None = None) -> None:
    """Rebuild every story from scratch, in one transaction."""
    ensure_schema(store)
    with store.db:
        _write_kept(store.db, kept)
        store.db.execute("DELETE FROM story_articles")
        store.db.execute("DELETE FROM stories")
        _write_placements(store.db, placed)
        _write_stories(store.db, stories)
        _write_copies(store.db, links, flags)


def stories(store: Store) -> list[StoryRow]:
    """All stories, newest activity first, with their article ids in placement order."""
    ensure_schema(store)
    members: dict[int, list[int]] = {}
    for article_id, story_id in store.db.execute("SELECT article_id, story_id FROM story_articles ORDER BY seq"):
        members.setdefault(story_id, []).append(article_id)
    rows = store.db.execute("SELECT id, title, first_published, last_published FROM stories "
                            "ORDER BY last_published DESC, id")
    return [StoryRow(r[0], r[1], members.get(r[0], []), r[2], r[3]) for r in rows if r[0] in members]


def story(store: Store, story_id: int) -> StoryRow | None:
    ensure_schema(store)
    row = store.db.execute("SELECT id, title, first_published, last_published FROM stories WHERE id = ?",
                           (story_id,)).fetchone()
    if row is None:
        return None
    ids = [r[0] for r in store.db.execute("SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY seq",
                                          (story_id,))]
    return StoryRow(row[0], row[1], ids, row[2], row[3])


def story_placements(store: Store, story_id: int) -> list[Placed]:
    ensure_schema(store)
    rows = store.db.execute("SELECT article_id, story_id, seq, placed_on, date_basis, probability, similarity "
                            "FROM story_articles WHERE story_id = ? ORDER BY seq", (story_id,))
    return [Placed(*row) for row in rows]


def copies(store: Store, article_ids: Iterable[int]) -> list[CopyLink]:
    """Copy links of the given articles, in article id order."""
    ensure_schema(store)
    ids = sorted(set(article_ids))
    rows = store.db.execute(f"SELECT article_id, copy_of, copy_of_source, similarity, kind FROM copies "
                            f"WHERE article_id IN ({','.join('?' * len(ids))}) ORDER BY article_id", ids)
    return [CopyLink(*row) for row in rows]


def flags(store: Store, article_ids: Iterable[int]) -> list[ArticleFlags]:
    """Date and content-farm flags of the given articles, in article id order."""
    ensure_schema(store)
    ids = sorted(set(article_ids))
    rows = store.db.execute(f"SELECT article_id, date_suspect, farm FROM article_flags "
                            f"WHERE article_id IN ({','.join('?' * len(ids))}) ORDER BY article_id", ids)
    return [ArticleFlags(row[0], row[1], tuple(json.loads(row[2]))) for row in rows]
