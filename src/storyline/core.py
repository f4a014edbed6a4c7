"""The library's front door: `Storyline(db)` ingests, reads, compares and reports over one database.

The CLI and the web app are thin callers of it; it calls the stages and the store, and hands back typed
records (`Article`, `StorySummary`, `Story`) whose `to_json()` is what `storyline ... --json` prints. The
stages load on first use, so importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.models import Article, PendingUrl
from storyline.store import DEFAULT_DB, Store, StoredFailure
from storyline.store import stories as story_store
from storyline.story import Story, StorySummary, assemble, summarize

if TYPE_CHECKING:
    from storyline.cluster.assign import AssignSummary
    from storyline.pipeline import IngestSummary

_TAGGED = ("places", "quantities", "quotes", "times", "events")  # story facts tagged with their article


class Storyline:
    """One Storyline database and everything done with it."""

    def __init__(self, db: str | Path | Store = DEFAULT_DB, *, readonly: bool = False) -> None:
        """Open the database file `db` (created unless `readonly`), or work on an open `Store`."""
        self._owns_store = not isinstance(db, Store)
        self.store = db if isinstance(db, Store) else Store(db, readonly=readonly)

    def close(self) -> None:
        """Close the database, unless it was given open."""
        if self._owns_store:
            self.store.close()

    def __enter__(self) -> Storyline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # articles

    def ingest(self, sources: Iterable[str], *, workers: int = 0, **options: Any) -> IngestSummary:
        """Read, clean and store articles from the sources, then place them into stories (`workers=0`: one per core)."""
        from storyline.pipeline import default_workers, ingest

        return ingest(sources, self.store, workers=workers or default_workers(), **options)

    def articles(self, *, search: str | None = None, limit: int | None = None) -> list[Article]:
        """Stored articles by id, or the best full-text matches of `search` (50 unless `limit`)."""
        if search:
            return self.store.search(search, limit=limit or 50)
        return self.store.articles(limit=limit)

    def article(self, article_id: int) -> Article | None:
        """One stored article, or None."""
        return self.store.article(article_id)

    def errors(self) -> list[StoredFailure]:
        """Inputs that could not be read, with the reason."""
        return self.store.failures()

    def pending(self) -> list[PendingUrl]:
        """Link-only feed entries, recorded for fetching."""
        return self.store.pending()

    # stories

    def stories(self) -> list[StorySummary]:
        """All stories, newest activity first."""
        return [summarize(self.store, row) for row in story_store.stories(self.store)]

    def story(self, story_id: int, *, analyse: bool = True) -> Story | None:
        """One story as users see it, or None; without `analyse` it is compared only if its facts are cached."""
        row = story_store.story(self.store, story_id)
        return assemble(self.store, row, analyse=analyse) if row else None

    def recluster(self) -> AssignSummary:
        """Rebuild all copy links and stories from scratch (the same result as incremental, in the same order)."""
        from storyline.cluster.assign import recluster

        return recluster(self.store)

    def report(self, story_id: int, fmt: str = "html") -> str | None:
        """The standalone report of a story in `fmt` (html, md or json), or None when there is no such story."""
        from storyline.report import render

        found = self.story(story_id)
        return render(found.to_json(), fmt) if found else None

    # facts

    def facts(self, article_id: int) -> dict[str, Any] | None:
        """The facts of an article (analysed now unless cached), or None when there is no such article."""
        from storyline.pipeline import facts_for

        if self.store.article(article_id) is None:
            return None
        return {"article_id": article_id, **facts_for(self.store, [article_id])[article_id]}

    def story_facts(self, story_id: int) -> dict[str, Any] | None:
        """The facts of a story's articles, entities merged, the others tagged with their article, and each article's
        language and coverage (how deep its facts go); None if there is no such story."""
        from storyline.analyse.crossdoc import merge_entities
        from storyline.pipeline import facts_for

        row = story_store.story(self.store, story_id)
        if row is None:
            return None
        per_article = facts_for(self.store, row.article_ids)
        merged: dict[str, Any] = {"entities": merge_entities({i: f["entities"] for i, f in per_article.items()}),
                                  "articles": [{"article_id": i, "language": f.get("language"),
                                                "coverage": f.get("coverage")} for i, f in sorted(per_article.items())]}
        for kind in _TAGGED:
            merged[kind] = [{**record, "article_id": i} for i, f in sorted(per_article.items()) for record in f[kind]]
        return {**merged, "story_id": story_id}

    def entities(self) -> list[dict[str, Any]]:
        """Canonical entities across the database, with aliases and counts (analyses what is not analysed yet)."""
        from storyline.analyse.crossdoc import merge_entities
        from storyline.pipeline import facts_for

        per_article = facts_for(self.store, [article.id for article in self.store.articles()])
        return merge_entities({i: f["entities"] for i, f in per_article.items()})
