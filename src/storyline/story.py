"""A story as users see it: its summary, its articles by date, copies, flags and the comparison of its sources.

Assembled here, once, from the store and the compare stage; the CLI, the web app and the report all show
`Story.to_json()`, the `storyline story ID --json` contract.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from storyline.models import Article, ArticleFlags, CopyLink
from storyline.store import Store
from storyline.store import stories as story_store
from storyline.store.stories import StoryRow

if TYPE_CHECKING:
    from storyline.compare import Comparison

NOT_ANALYSED = "facts not analysed yet: run `storyline story ID` or `storyline entities` once"


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story in the list: `storyline stories --json`."""

    id: int
    title: str | None
    article_ids: list[int]
    sources: list[str]
    first_published: str | None
    last_published: str | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "article_ids": self.article_ids, "sources": self.sources,
                "first_published": self.first_published, "last_published": self.last_published}


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One article as its story lists it: its outlet, the date it is placed on and what it copies."""

    id: int
    title: str | None
    source: str
    url: str | None
    published: str | None
    placed_on: str | None
    date_basis: str
    language: str | None
    credited: list[str]
    copy_of: int | None
    join_probability: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Story(StorySummary):
    """One story: `storyline story ID --json`. `comparison` is None until every article's facts are analysed."""

    articles: list[StoryArticle]  # by date
    copies: list[CopyLink]
    flags: list[ArticleFlags]
    undated: list[int]  # placed by ingest time: no date of their own
    comparison: Comparison | None

    def to_json(self) -> dict[str, Any]:
        return {
            **StorySummary.to_json(self),
            "articles": [a.to_json() for a in self.articles],
            "copies": [link.to_json() for link in self.copies],
            "date_suspect": [{"article_id": f.article_id, "reason": f.date_suspect}
                             for f in self.flags if f.date_suspect],
            "undated": self.undated,
            "farm_signals": [{"article_id": f.article_id, "signals": list(f.farm)} for f in self.flags if f.farm],
            **(self.comparison.to_json() if self.comparison else {"note": NOT_ANALYSED}),
        }


def source_of(article: Article) -> str:
    """The outlet an article stands for: its publisher, else its site, else the name of the file it was read
    from (never the directories it sits in)."""
    host = urlsplit(article.url).hostname if article.url else None
    return (article.publisher or (host.removeprefix("www.") if host else None)
            or PurePath(article.source.split("#", 1)[0]).name or article.source)


def summarize(store: Store, row: StoryRow) -> StorySummary:
    """The list entry of a stored story."""
    return StorySummary(row.id, row.title, row.article_ids, _sources(_articles(store, row)), row.first_published,
                        row.last_published)


def assemble(store: Store, row: StoryRow, *, analyse: bool) -> Story:
    """The whole view of a stored story, compared when its facts are at hand.

    With `analyse` missing facts are computed (and cached); without it (page views) the comparison is
    given only when all facts are already cached.
    """
    articles = {a.id: a for a in _articles(store, row)}
    placed = {p.article_id: p for p in story_store.story_placements(store, row.id)}
    links = {c.article_id: c for c in story_store.copies(store, row.article_ids)}
    by_date = sorted(articles.values(), key=lambda a: (placed[a.id].placed_on or "", a.id))
    listed = [StoryArticle(
        a.id, a.title, source_of(a), a.url, a.published, placed[a.id].placed_on, placed[a.id].date_basis,
        a.language, a.credited, links[a.id].copy_of if a.id in links else None, placed[a.id].probability,
    ) for a in by_date]
    return Story(row.id, row.title, row.article_ids, _sources(by_date), row.first_published, row.last_published,
                 articles=listed, copies=list(links.values()), flags=story_store.flags(store, row.article_ids),
                 undated=[a.id for a in listed if a.date_basis == "ingest"],
                 comparison=_compare(store, by_date, listed, analyse=analyse))


def _articles(store: Store, row: StoryRow) -> list[Article]:
    return [a for a in (store.article(i) for i in row.article_ids) if a is not None]


def _sources(articles: list[Article]) -> list[str]:
    return sorted({source_of(a) for a in articles}, key=str.casefold)


def _compare(store: Store, articles: list[Article], listed: list[StoryArticle], *, analyse: bool) -> Comparison | None:
    """The compare stage over the story's articles (by date), or None when their facts are not all at hand."""
    from storyline.analyse import VERSION
    from storyline.compare import compare_story
    from storyline.pipeline import facts_for
    from storyline.store import facts as fact_store

    ids = [a.id for a in articles]
    facts = facts_for(store, ids) if analyse else fact_store.load(store, ids, VERSION)
    if len(facts) < len(ids):
        return None
    copies = [(a.id, a.copy_of) for a in listed]
    return compare_story(articles, facts, copies, {a.id for a in listed if a.date_basis != "published"})
