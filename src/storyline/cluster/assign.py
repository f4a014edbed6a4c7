"""Stories in the store: place new articles incrementally, or rebuild every story.

The stream order is the stored placement order followed by the new articles
sorted by (date, id), where the date is the publication date when credible and
the ingest date otherwise (flagged). Incremental placement replays the stored
placements (forced to their stories, so earlier stories never change) and then
decides for the new articles; `recluster` decides for every article in stream
order. Both run the same code, so on the same order they give the same stories.
Copies join the story of the article they copy when it is already placed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from storyline.cluster.features import Features, featurize, word_tokens
from storyline.cluster.online import Frequencies, OnlineClusterer, Vector
from storyline.dedup import ArticleFlags, CopyDoc, CopyReport, find_copies
from storyline.dedup.signals import date_suspect
from storyline.models import Article
from storyline.store import Store
from storyline.store import stories as story_store
from storyline.store.stories import Placed, StoryRow

_TAG = re.compile(r"<[^>]{0,200}>")  # markup left in a scraped headline


@dataclass(frozen=True, slots=True)
class AssignSummary:
    """What a placement run did."""

    placed: int  # articles placed in this run
    new_stories: int
    stories: int  # stories in the store afterwards


@dataclass(frozen=True, slots=True)
class _Item:
    article: Article
    order_day: str  # ISO date used for ordering
    basis: str  # "published", "suspect" or "ingest"
    features: Features


def assign_new_articles(store: Store) -> AssignSummary:
    """Place every article not yet in a story; stored placements stay as they are."""
    return _run(store, rebuild=False)


def recluster(store: Store, collection: Frequencies | None = None) -> AssignSummary:
    """Rebuild all stories from scratch in stream order, inside one transaction. `collection`: the document
    frequencies of a collection the stored articles are part of (a Spark block), to weigh terms by all of it."""
    return _run(store, rebuild=True, collection=collection)


def _items(store: Store, articles: list[Article], report: CopyReport) -> dict[int, _Item]:
    ingested = dict(store.db.execute("SELECT id, substr(ingested_at, 1, 10) FROM articles").fetchall())
    items = {}
    for article in articles:
        assert article.id is not None
        flags = report.flags.get(article.id)
        if article.published and not (flags and (flags.date_suspect or flags.farm)):  # farm dates are not credible
            basis, order_day, day = "published", article.published[:10], _ordinal(article.published)
        else:
            basis, order_day, day = ("suspect" if article.published else "ingest"), ingested[article.id], None
        features = featurize(article.title, article.text, day=day, language=article.language)
        items[article.id] = _Item(article, order_day, basis, features)
    return items


def _ordinal(value: str) -> int | None:
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _run(store: Store, *, rebuild: bool, collection: Frequencies | None = None) -> AssignSummary:
    with story_store.exclusive(store):  # another process may be placing articles into this database now
        return _place(store, rebuild=rebuild, collection=collection)


def _place(store: Store, *, rebuild: bool, collection: Frequencies | None = None) -> AssignSummary:
    articles = store.articles()
    docs = {a.id: CopyDoc.from_article(a) for a in articles}
    report = find_copies(list(docs.values()))
    items = _items(store, articles, report)
    stored = [] if rebuild else [p for p in story_store.placements(store) if p.article_id in items]
    done = {p.article_id for p in stored}
    fresh = sorted((i for i in items.values() if i.article.id not in done),
                   key=lambda i: (i.order_day, i.article.id))
    clusterer = OnlineClusterer()
    if collection is not None:  # the rest of the collection counts as if it came first
        clusterer.count_others(collection.outside([i.features for i in items.values()]))
    story_of: dict[int, int] = {}  # article id -> internal story index
    vectors: dict[int, Vector] = {}
    internal: dict[int, int] = {}  # stored story id -> internal story index
    for placed in stored:
        item = items[placed.article_id]
        words, entities = clusterer.prepare(item.features)
        story = clusterer.join(placed.article_id, item.features, words, entities, internal.get(placed.story_id))
        internal[placed.story_id] = story.id
        story_of[placed.article_id], vectors[placed.article_id] = story.id, words
    external = {v: k for k, v in internal.items()}
    next_id = max(internal, default=0) + 1
    seq = max((p.seq for p in stored), default=0)
    new_placements, touched = [], set()
    for item in fresh:
        article_id = item.article.id
        assert article_id is not None
        words, entities = clusterer.prepare(item.features)
        copied = [story_of[n] for n in sorted(report.edges.get(article_id, ())) if n in story_of]
        if copied:
            story = clusterer.join(article_id, item.features, words, entities, copied[0])
            probability, similarity = 1.0, 1.0
        else:
            placement = clusterer.decide(article_id, item.features, words, entities)
            story, probability, similarity = placement
        if story.id not in external:
            external[story.id], next_id = next_id, next_id + 1
        story_of[article_id], vectors[article_id] = story.id, words
        seq += 1
        touched.add(story.id)
        new_placements.append(Placed(article_id, external[story.id], seq, item.order_day, item.basis,
                                     round(probability, 4), round(similarity, 4)))
    members: dict[int, list[int]] = {}
    for article_id, story_id in story_of.items():
        members.setdefault(story_id, []).append(article_id)
    for group in members.values():
        _flag_story_dates(group, items, docs, report)
    rows = [_story_row(external[s], members[s], items, vectors, report) for s in sorted(touched)]
    write = story_store.replace_all if rebuild else story_store.append
    write(store, new_placements, rows, report.links.values(), report.flags.values())
    new_stories = sum(1 for s in touched if s not in internal)
    return AssignSummary(len(new_placements), new_stories, len(external))


def _flag_story_dates(members: list[int], items: dict[int, _Item], docs: dict[int, CopyDoc],
                      report: CopyReport) -> None:
    """Flag a member dated far after the other reports of its story and after every date its text mentions."""
    credible = [docs[m] for m in members if items[m].basis == "published"]
    for m in members:
        flags = report.flags.get(m)
        if flags and flags.date_suspect:
            continue
        reason = date_suspect(docs[m], [d for d in credible if d.id != m], "story's other reports")
        if reason:
            report.flags[m] = ArticleFlags(m, reason, flags.farm if flags else ())


def _story_row(story_id: int, members: list[int], items: dict[int, _Item], vectors: dict[int, Vector],
               report: CopyReport) -> StoryRow:
    dates = sorted(items[m].article.published[:10] for m in members
                   if items[m].basis == "published" and items[m].article.published
                   and not (m in report.flags and report.flags[m].date_suspect))
    return StoryRow(story_id, central_title(members, items, vectors, report), members,
                    dates[0] if dates else None, dates[-1] if dates else None)


TITLE_POOL = 5  # title candidates: a story's earliest reports of the best kind present (see `central_title`)
TITLE_MARGIN = 0.25  # a candidate replaces the title only when it is this much (25 %) more central


def central_title(members: list[int], items: dict[int, _Item], vectors: dict[int, Vector],
                  report: CopyReport) -> str | None:
    """A stable title: the most central headline among the story's earliest reports, kept as the story grows
    unless another of them becomes clearly (`TITLE_MARGIN`) more central.

    Candidates are the first `TITLE_POOL` members (stream order) of the best kind present: original real
    headlines, then copied ones, then mastheads and stubs. A candidate's support is the overlap of its headline
    words (weighed as in its own vector) with the sum of the other original (not copied) reports, so a headline
    the other texts do not carry ("soldiers fight") loses. The choice is replayed member by member over vectors
    fixed when each member arrived, so the title of the first n members depends on them alone: a new article
    renames a story only when the centre moves past the margin, and incremental placement and `recluster`
    give the same titles.
    """
    def kind(m: int) -> int:
        return (0 if _headline(items[m].article.title or "") else 2) + (m in report.links)

    by_kind: dict[int, list[int]] = {}
    for m in members:
        if (items[m].article.title or "").strip() and len(by_kind.setdefault(kind(m), [])) < TITLE_POOL:
            by_kind[kind(m)].append(m)
    heads: dict[int, Vector] = {}
    for m in (c for group in by_kind.values() for c in group):
        article = items[m].article
        words = {t: vectors[m].get(t, 0.0) for t in word_tokens(article.title or "", article.language)}
        norm = sum(w * w for w in words.values()) ** 0.5
        heads[m] = {t: w / norm for t, w in words.items() if w} if norm else {}
    own = {c: {} if c in report.links else vectors[c] for c in heads}  # a report does not support itself
    terms = {t for head in heads.values() for t in head}
    others = dict.fromkeys(terms, 0.0)  # sum of the original reports' vectors so far, on the headline terms
    position = {m: i for i, m in enumerate(members)}
    best: int | None = None
    for i, m in enumerate(members):
        if m not in report.links:  # reposts do not move the centre
            for t in terms:
                others[t] += vectors[m].get(t, 0.0)
        pool = next(([c for c in group if position[c] <= i] for _, group in sorted(by_kind.items())
                     if position[group[0]] <= i), [])
        support = {c: sum(w * (others[t] - own[c].get(t, 0.0)) for t, w in heads[c].items()) for c in pool}
        top = max(pool, key=lambda c: support[c], default=None)  # the earliest on a tie
        if top is not None and (best not in support or support[top] > (1 + TITLE_MARGIN) * support[best]):
            best = top
    if best is None:
        return None
    title = items[best].article.title or ""
    if not _headline(title):  # a masthead: the first headline-like line of the text reads better
        title = next((line for line in items[best].article.text.splitlines()[:5] if _headline(line)
                      and len(line.split()) <= 20 and not line.rstrip().endswith(".")), title)
    return " ".join(_TAG.sub("", title).split())


def _headline(title: str) -> bool:
    """A sentence-like headline rather than a masthead ("THE FJORD HERALD"), a breadcrumb or a stub."""
    words = title.split()
    return len(words) >= 4 and not title.isupper() and not any(mark in title for mark in ("›", "»", " > ", " / "))
