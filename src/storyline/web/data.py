"""The read side of the web app: articles from the store; stories and facts from their stages when present.

Each server thread reads through its own read-only connection (SQLite WAL lets pages go on while an ingest
writes). The story index behind the list page (badges, places, entities per story) is rebuilt when the
database files change, at most once per `REFRESH_SECONDS`, so a running ingest does not slow every request.
A write made through this app (the web ingest) calls `Catalog.invalidate` and `PageCache.clear`: the next
page waits for the fresh index instead of showing the state before the write.
"""

from __future__ import annotations

import copy
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from storyline.models import Article
from storyline.store import Store, StoredFailure
from storyline.story import assemble, summarize

REFRESH_SECONDS = 2.0
PAGE_CACHE_SIZE = 256
STORY_CACHE_SIZE = 4096


class StorySource(Protocol):
    """Stories as the CLI prints them: `stories --json` summaries and `story ID --json` objects."""

    def stories(self, store: Store) -> list[dict[str, Any]]: ...

    def story(self, store: Store, story_id: int) -> dict[str, Any] | None: ...


class FactsSource(Protocol):
    """Facts of one article as `storyline facts ID --json` prints them."""

    def facts(self, store: Store, article_id: int) -> dict[str, Any] | None: ...


class StoreStories:
    """The stored stories, as `storyline stories --json` and `storyline story ID --json` print them.

    The comparison in a story object costs seconds (the compare stage parses sentences), so each story's
    object is kept while its inputs are unchanged: its row, placements, copy links, flags and which of its
    articles have facts. A running ingest thus recomputes only the stories it adds articles to.
    """

    def __init__(self, cache_size: int = STORY_CACHE_SIZE) -> None:
        self.cache_size = cache_size
        self._details: OrderedDict[int, tuple[tuple, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def stories(self, store: Store) -> list[dict[str, Any]]:
        if not _has_stories(store):
            return []
        from storyline.store import stories as tables

        return [summarize(store, row).to_json() for row in tables.stories(store)]

    def story(self, store: Store, story_id: int) -> dict[str, Any] | None:
        if not _has_stories(store):
            return None
        from storyline.store import stories as tables

        row = tables.story(store, story_id)
        if row is None or not row.article_ids:
            return None
        key = _story_inputs(store, row)
        with self._lock:
            cached = self._details.get(story_id)
            if cached is not None and cached[0] == key:
                self._details.move_to_end(story_id)
                return copy.deepcopy(cached[1])
        detail = assemble(store, row, analyse=False).to_json()
        with self._lock:
            self._details[story_id] = (key, detail)
            self._details.move_to_end(story_id)
            while len(self._details) > self.cache_size:
                self._details.popitem(last=False)
        return copy.deepcopy(detail)


def _story_inputs(store: Store, row: Any) -> tuple:
    """Everything a story object is computed from, but the articles themselves (stored once, never changed)."""
    from storyline.analyse import VERSION
    from storyline.store import stories as tables

    ids = row.article_ids
    marks = ",".join("?" * len(ids))
    try:
        analysed = [r[0] for r in store.db.execute(
            f"SELECT article_id FROM facts WHERE version = ? AND article_id IN ({marks}) ORDER BY article_id",
            [VERSION, *ids])]
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
        analysed = []
    return (repr(row), repr(tables.story_placements(store, row.id)), repr(tables.copies(store, ids)),
            repr(tables.flags(store, ids)), tuple(analysed))


class StoredFacts:
    """Facts already computed and cached by the analyse stage (`storyline facts`, `entities`, `story`).

    Pages never run the analyser themselves: parsing costs too much for a page view.
    """

    def facts(self, store: Store, article_id: int) -> dict[str, Any] | None:
        from storyline.analyse import VERSION
        from storyline.store import facts

        return facts.load(store, [article_id], VERSION).get(article_id)


def _has_stories(store: Store) -> bool:
    return store.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'story_articles'"
                            ).fetchone() is not None


@dataclass(slots=True)
class StoryRow:
    """One story of the list with what its filters and badges need."""

    summary: dict[str, Any]
    badges: dict[str, int]
    places: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)

    @property
    def size(self) -> int:
        return len(self.summary.get("article_ids") or [])


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """Filters and order of the story list; empty strings mean no filter."""

    q: str = ""
    date_from: str = ""
    date_to: str = ""
    source: str = ""
    place: str = ""
    entity: str = ""
    sort: str = "recent"  # or "size"


def badges(story: dict[str, Any]) -> dict[str, int]:
    """Counts behind the list badges: contradictions, unsupported headlines, copies, suspect dates, farm signals."""
    return {
        "contradictions": len(story.get("contradictions") or []),
        "unsupported": sum(1 for h in story.get("headlines") or [] if h.get("supported") is False),
        "copies": sum(1 for c in story.get("copies") or [] if c.get("copy_of") is not None),
        "suspect": len(story.get("date_suspect") or []),
        "farm": len(story.get("farm_signals") or []),
    }


def article_flags(story: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    """Per article of a story, what a reader should be warned of: {kind, label, reason, article_id?}.

    Kinds: `date` (the publication date is probably false), `copy` (copies another article, `article_id` the
    original), `farm` (content-farm signals), `headline` (the headline is not supported by its own text).
    """
    found: dict[int, list[dict[str, Any]]] = {}

    def add(article_id: Any, flag: dict[str, Any]) -> None:
        if isinstance(article_id, int):
            found.setdefault(article_id, []).append(flag)

    for d in story.get("date_suspect") or []:
        add(d.get("article_id"), {"kind": "date", "label": "date suspect", "reason": str(d.get("reason") or "")})
    for c in story.get("copies") or []:
        if c.get("copy_of") is not None:
            similarity = c.get("similarity")
            reason = f"{c.get('kind') or 'copy'} of article {c['copy_of']}" + (
                f", similarity {similarity:.2f}" if isinstance(similarity, int | float) else "")
            add(c.get("article_id"), {"kind": "copy", "label": "copy", "reason": reason, "article_id": c["copy_of"]})
    for f in story.get("farm_signals") or []:
        add(f.get("article_id"), {"kind": "farm", "label": "content-farm signals",
                                  "reason": "; ".join(str(s) for s in f.get("signals") or [])})
    for h in story.get("headlines") or []:
        if h.get("supported") is False:
            add(h.get("article_id"), {"kind": "headline", "label": "unsupported headline",
                                      "reason": str(h.get("reason") or "")})
    return found


class Catalog:
    """What the pages and the API read."""

    def __init__(self, db_path: str, *, stories: StorySource, facts: FactsSource | None = None):
        self.db_path = db_path
        self.story_source = stories
        self.facts_source = facts
        self._local = threading.local()
        self._build_lock = threading.Lock()
        self._index: tuple[tuple, float, list[StoryRow], list[dict[str, Any]], int, dict] | None = None
        self._generation = 0  # bumped by `invalidate`; an index of an older generation is never served

    def invalidate(self) -> None:
        """The database was written: the next read rebuilds the story index (and waits for it)."""
        self._generation += 1  # one writer (the ingest thread); readers compare it only

    def refresh(self) -> None:
        """Invalidate and rebuild the story index now (after a write, before saying it is done)."""
        self.invalidate()
        self._rows()

    @property
    def store(self) -> Store:
        """This thread's read-only connection."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db_path, readonly=True)
        return store

    @property
    def has_stories(self) -> bool:
        """Whether any story exists yet (articles are grouped into stories after ingest)."""
        return bool(self._rows())

    @property
    def has_facts(self) -> bool:
        return self.facts_source is not None

    # articles

    def articles(self, *, limit: int, offset: int) -> tuple[list[Article], int]:
        return self.store.articles(limit=limit, offset=offset), self.store.count_articles()

    def article(self, article_id: int) -> Article | None:
        return self.store.article(article_id)

    def articles_by_id(self, ids: Iterable[int]) -> dict[int, Article]:
        found = {}
        for article_id in ids:
            article = self.store.article(article_id)
            if article is not None:
                found[article_id] = article
        return found

    def search(self, q: str, *, limit: int) -> list[Article]:
        return self.store.search(q, limit=limit)

    def failures(self) -> list[StoredFailure]:
        return self.store.failures()

    def facts(self, article_id: int) -> dict[str, Any] | None:
        return self.facts_source.facts(self.store, article_id) if self.facts_source else None

    # stories

    def story(self, story_id: int) -> dict[str, Any] | None:
        return self.story_source.story(self.store, story_id)

    def story_of(self, article_id: int) -> dict[str, Any] | None:
        """The summary of the story that holds `article_id`."""
        for row in self._rows():
            if article_id in (row.summary.get("article_ids") or []):
                return row.summary
        return None

    def stories(self, query: StoryQuery, *, limit: int, offset: int) -> tuple[list[StoryRow], int]:
        rows = self._rows()
        if query.q.strip():
            hits = {a.id for a in self.store.search(query.q, limit=1000)}
            words = query.q.casefold().split()
            rows = [r for r in rows if hits.intersection(r.summary.get("article_ids") or [])
                    or all(w in (r.summary.get("title") or "").casefold() for w in words)]
        if query.date_from:
            rows = [r for r in rows if (r.summary.get("last_published") or "") >= query.date_from]
        if query.date_to:
            rows = [r for r in rows if (r.summary.get("first_published") or "9999") <= query.date_to + "\uffff"]
        if query.source:
            wanted = query.source.casefold()
            rows = [r for r in rows if any(wanted == str(s).casefold() for s in r.summary.get("sources") or [])]
        if query.place:
            rows = [r for r in rows if _matches(query.place, r.places)]
        if query.entity:
            rows = [r for r in rows if _matches(query.entity, r.entities)]
        if query.sort == "size":
            rows = sorted(rows, key=lambda r: (-r.size, -(r.summary.get("id") or 0)))
        else:
            rows = sorted(rows, key=lambda r: (r.summary.get("last_published") or "", r.summary.get("id") or 0),
                          reverse=True)
        return rows[offset:offset + limit], len(rows)

    def sources(self) -> list[str]:
        """Every source named by a story, for the list filter."""
        return sorted({str(s) for row in self._rows() for s in row.summary.get("sources") or []}, key=str.casefold)

    def entities(self) -> list[dict[str, Any]]:
        """Entities over all articles as `storyline entities --json` gives them: {name, type, aliases, mentions,
        article_ids}, merged across articles by the analyse stage's rules, in its order."""
        self._rows()
        return list(self._index[3]) if self._index else []

    def _rows(self) -> list[StoryRow]:
        """The story index, rebuilt when the database changed and the last build is old enough.

        One thread rebuilds at a time; the others go on with the previous index meanwhile.
        """
        stamp, now = db_stamp(self.db_path), time.monotonic()
        index, generation = self._index, self._generation
        current = index is not None and index[4] == generation
        if index and current and (index[0] == stamp or now - index[1] < REFRESH_SECONDS):
            return index[2]
        if not self._build_lock.acquire(blocking=not current):  # after a write every reader waits for the rebuild
            return index[2]  # type: ignore[index]  # another thread is rebuilding after an outside write
        try:
            if self._index is not index and self._index is not None and self._index[4] == self._generation:
                return self._index[2]  # built while we waited
            generation = self._generation
            stamp = db_stamp(self.db_path)
            rows, entities, flags = self._build()
            self._index = (stamp, now, rows, entities, generation, flags)
            return rows
        finally:
            self._build_lock.release()

    def flags(self) -> dict[int, list[dict[str, Any]]]:
        """Article id -> its warnings (see `article_flags`), over all stories."""
        self._rows()
        return self._index[5] if self._index else {}

    def _build(self) -> tuple[list[StoryRow], list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
        entities: list[dict[str, Any]] = []
        facts_of: dict[int, dict[str, Any]] = {}
        if self.facts_source:
            for (article_id,) in self.store.db.execute("SELECT id FROM articles ORDER BY id").fetchall():
                facts = self.facts_source.facts(self.store, article_id)
                if facts:
                    facts_of[article_id] = facts
            entities = _merged_entities(facts_of)
        rows = []
        flags: dict[int, list[dict[str, Any]]] = {}
        for summary in self.story_source.stories(self.store):
            detail = self.story_source.story(self.store, summary["id"]) or {}
            row = StoryRow(summary, badges(detail))
            flags.update(article_flags(detail))
            for article_id in summary.get("article_ids") or []:
                facts = facts_of.get(article_id) or {}
                row.places.update(p["name"].casefold() for p in facts.get("places") or [] if p.get("name"))
                row.entities.update(e["name"].casefold() for e in facts.get("entities") or [] if e.get("name"))
                for e in facts.get("entities") or []:
                    row.entities.update(str(alias).casefold() for alias in e.get("aliases") or [])
            rows.append(row)
        return rows, entities, flags


def db_stamp(db_path: str) -> tuple:
    """Changes whenever the database or its write-ahead log is written."""
    stamp = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(db_path + suffix)
            stamp.append((st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append(None)
    return tuple(stamp)


class PageCache:
    """Rendered pages by URL, kept while the database is unchanged and for `REFRESH_SECONDS` after a change.

    So a page shown during an ingest is at most that old, and popular pages cost no rendering under load.
    """

    def __init__(self, db_path: str, size: int = PAGE_CACHE_SIZE) -> None:
        self.db_path = db_path
        self.size = size
        self._pages: OrderedDict[str, tuple[tuple, float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0

    def clear(self) -> None:
        """The database was written through this app: drop every page, and any page rendered before now."""
        with self._lock:
            self._generation += 1
            self._pages.clear()

    def stamp(self) -> tuple:
        """Take before rendering, give to `put` with the page."""
        return (self._generation, db_stamp(self.db_path))

    def get(self, key: str) -> bytes | None:
        stamp, now = (self._generation, db_stamp(self.db_path)), time.monotonic()
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or entry[0][0] != self._generation or (
                    entry[0] != stamp and now - entry[1] >= REFRESH_SECONDS):
                return None
            self._pages.move_to_end(key)
            return entry[2]

    def put(self, key: str, stamp: tuple, body: bytes) -> None:
        entry = (stamp, time.monotonic(), body)
        with self._lock:
            if stamp[0] != self._generation:  # rendered before a write: never cached
                return
            self._pages[key] = entry
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def _matches(wanted: str, names: set[str]) -> bool:
    wanted = wanted.strip().casefold()
    return any(wanted in name for name in names)


def _merged_entities(facts_of: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The articles' entities merged as `storyline entities --json` merges them."""
    from storyline.analyse.crossdoc import merge_entities

    per_article = {article_id: [{"name": str(e["name"]), "type": str(e.get("type") or "OTHER"),
                                 "aliases": [str(a) for a in e.get("aliases") or []],
                                 "mentions": int(e.get("mentions") or 0)}
                                for e in facts.get("entities") or [] if isinstance(e, dict) and e.get("name")]
                   for article_id, facts in facts_of.items()}
    return merge_entities(per_article)
