"""Cached facts per article: the analyse stage is costly, so its JSON is kept, keyed by analyser version."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from storyline.store import Store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    data TEXT NOT NULL
);
"""


def ensure_schema(store: Store) -> None:
    store.db.executescript(_SCHEMA)


def load(store: Store, article_ids: Iterable[int], version: str) -> dict[int, dict]:
    """Stored facts of these articles computed by analyser `version` (stale ones are left out).

    Works on a read-only connection to a database where nothing was analysed yet.
    """
    ids = list(article_ids)
    found: dict[int, dict] = {}
    try:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = store.db.execute(
                f"SELECT article_id, data FROM facts WHERE version = ? AND article_id IN ({marks})", [version, *chunk])
            found.update((row[0], json.loads(row[1])) for row in rows)
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
    return found


def save(store: Store, article_id: int, version: str, data: dict) -> None:
    ensure_schema(store)
    with store.db:
        store.db.execute("INSERT OR REPLACE INTO facts (article_id, version, data) VALUES (?, ?, ?)",
                         (article_id, version, json.dumps(data, ensure_ascii=False)))
