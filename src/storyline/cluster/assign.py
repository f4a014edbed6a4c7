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
from functools import lru_cache

from storyline.cluster import derived, state
from storyline.cluster.features import Features, word_tokens
from storyline.cluster.online import Frequencies, OnlineClusterer, Vector
from storyline.dedup import ArticleFlags, CopyDoc, CopyIndex, CopyReport
from storyline.dedup.signals import GAP_DAYS, date_gap, date_suspect
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
    """An article with its place in the stream order (read back for the stories being written)."""

    article: Article
    order_day: str  # ISO date used for ordering
    basis: str  # "published", "suspect" or "ingest"


@dataclass(frozen=True, slots=True)
class _Order:
    """What ordering and dating an article takes, kept for every article during a story step."""

    order_day: str
    basis: str
    day: int | None  # the credible publication date (ordinal) the clusterer sees
    claimed: int | None  # the claimed publication date (ordinal), credible or not
    language: str | None


def assign_new_articles(store: Store) -> AssignSummary:
    """Place every article not yet in a story; stored placements stay as they are."""
    return _run(store, rebuild=False)


def recluster(store: Store, collection: Frequencies | None = None) -> AssignSummary:
    """Rebuild all stories from scratch in stream order, inside one transaction. `collection`: the document
    frequencies of a collection the stored articles are part of (a Spark block), to weigh terms by all of it."""
    return _run(store, rebuild=True, collection=collection)


DERIVE_BATCH = 100  # articles derived and stored per transaction by a story step
VECTOR_BATCH = 200  # word vectors of placed articles written per transaction by a story step


def _derive_missing(store: Store) -> None:
    """Derive and store what the story step reads of articles stored without it (or by another version)."""
    missing = store.underived(derived.VERSION)
    for start in range(0, len(missing), DERIVE_BATCH):
        articles = [a for i in missing[start:start + DERIVE_BATCH] if (a := store.article(i))]
        store.save_derivations([(a.id, derived.derive(a)) for a in articles if a.id is not None])


def _copies(store: Store, ids: list[int]) -> CopyReport:
    """Copy relations among the stored articles, reading each one's text and fingerprint when needed."""

    @lru_cache(maxsize=64)  # the latest articles are the likeliest candidates
    def load(article_id: int) -> tuple[CopyDoc, derived.CopyTraits]:
        article, derivation = store.article(article_id), store.derivation(article_id, derived.VERSION)
        assert article is not None and derivation is not None
        return CopyDoc.from_article(article), derived.copy_traits(derivation)

    index = CopyIndex(lambda i: (load(i)[0], load(i)[1].fingerprint))
    for article_id in ids:
        doc, traits = load(article_id)
        index.add(doc, traits.fingerprint, traits.farm)
    return index.report()


def _orders(store: Store, report: CopyReport) -> dict[int, _Order]:
    orders = {}
    for article_id, published, ingested, language in store.db.execute(
            "SELECT id, published, substr(ingested_at, 1, 10), language FROM articles ORDER BY id"):
        flags = report.flags.get(article_id)
        claimed = _ordinal(published) if published else None
        if published and not (flags and (flags.date_suspect or flags.farm)):  # farm dates are not credible
            orders[article_id] = _Order(published[:10], "published", claimed, claimed, language)
        else:
            orders[article_id] = _Order(ingested, "suspect" if published else "ingest", None, claimed, language)
    return orders


def _ordinal(value: str) -> int | None:
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def _run(store: Store, *, rebuild: bool, collection: Frequencies | None = None) -> AssignSummary:
    with story_store.exclusive(store):  # another process may be placing articles into this database now
        return _place(store, rebuild=rebuild, collection=collection)


def _place(store: Store, *, rebuild: bool, collection: Frequencies | None = None) -> AssignSummary:
    """One story step. Per article it keeps only its order, its story and its word vector (encoded); texts,
    terms and fingerprints are read from the store one article at a time. The clusterer starts from the state
    the previous step kept when it is current, else it replays the stored placements."""
    _derive_missing(store)
    ids = [row[0] for row in store.db.execute("SELECT id FROM articles ORDER BY id")]
    report = _copies(store, ids)
    orders = _orders(store, report)

    def features(article_id: int) -> Features:
        derivation = store.derivation(article_id, derived.VERSION)
        assert derivation is not None
        order = orders[article_id]
        return derived.features(derivation, day=order.day, language=order.language)

    stored = [] if rebuild else [p for p in story_store.placements(store) if p.article_id in orders]
    done = {p.article_id for p in stored}
    fresh = sorted((i for i in ids if i not in done), key=lambda i: (orders[i].order_day, i))
    internal: dict[int, int] = {}  # stored story id -> internal story index
    story_of: dict[int, int] = {}  # article id -> internal story index
    for placed in stored:
        story_of[placed.article_id] = internal.setdefault(placed.story_id, len(internal))
    vectors: dict[int, bytes] = {}  # article id -> its word vector (encoded), placed or replayed, not yet written

    def keep(article_id: int, words: Vector) -> None:
        vectors[article_id] = state.encode_vector(words)
        if len(vectors) >= VECTOR_BATCH:  # written as they come, so that memory does not grow with the articles
            story_store.save_vectors(store, vectors)
            vectors.clear()

    if rebuild:  # the vectors of this order replace those of the stored one: forget the state they go with
        story_store.forget_state(store)
    clusterer = _restored(store, stored, internal) if collection is None else None
    if clusterer is None:
        clusterer = OnlineClusterer()
        if collection is not None:  # the rest of the collection counts as if it came first
            clusterer.count_others(collection.outside(features(i) for i in ids))
        for placed in stored:
            item = features(placed.article_id)
            words, entities = clusterer.prepare(item)
            index = story_of[placed.article_id]  # indices follow the stories' first placements
            clusterer.join(placed.article_id, item, words, entities, index if index < len(clusterer.stories) else None)
            keep(placed.article_id, words)
    external = {v: k for k, v in internal.items()}
    next_id = max(internal, default=0) + 1
    seq = max((p.seq for p in stored), default=0)
    new_placements, touched = [], set()
    for article_id in fresh:
        item = features(article_id)
        words, entities = clusterer.prepare(item)
        copied = [story_of[n] for n in sorted(report.edges.get(article_id, ())) if n in story_of]
        if copied:
            story = clusterer.join(article_id, item, words, entities, copied[0])
            probability, similarity = 1.0, 1.0
        else:
            placement = clusterer.decide(article_id, item, words, entities)
            story, probability, similarity = placement
        if story.id not in external:
            external[story.id], next_id = next_id, next_id + 1
        story_of[article_id] = story.id
        keep(article_id, words)
        seq += 1
        touched.add(story.id)
        order = orders[article_id]
        new_placements.append(Placed(article_id, external[story.id], seq, order.order_day, order.basis,
                                     round(probability, 4), round(similarity, 4)))
    members: dict[int, list[int]] = {}
    for article_id, story_id in story_of.items():
        members.setdefault(story_id, []).append(article_id)
    for group in members.values():
        _flag_story_dates(store, group, orders, report)
    rows = []
    for s in sorted(touched):
        items = {m: _Item(article, orders[m].order_day, orders[m].basis)
                 for m in members[s] if (article := store.article(m))}
        kept = story_store.kept_vectors(store, [m for m in members[s] if m not in vectors]) | vectors
        story_vectors = {m: state.decode_vector(kept[m]) for m in members[s]}
        rows.append(_story_row(external[s], members[s], items, story_vectors, report))
    placements = len(stored) + len(new_placements)
    kept = story_store.Kept(state.tag(placements, seq), None if collection else state.encode(clusterer.state()),
                            vectors)
    write = story_store.replace_all if rebuild else story_store.append
    write(store, new_placements, rows, report.links.values(), report.flags.values(), kept)
    new_stories = sum(1 for s in touched if s not in internal)
    return AssignSummary(len(new_placements), new_stories, len(external))


def _restored(store: Store, stored: list[Placed], internal: dict[int, int]) -> OnlineClusterer | None:
    """The clusterer as the previous story step left it, when its kept state is current; else None."""
    if not stored:
        return None
    kept = story_store.kept_state(store)
    if kept is None or kept[0] != state.tag(len(stored), max(p.seq for p in stored)):
        return None
    members: list[list[int]] = [[] for _ in internal]
    for placed in stored:
        members[internal[placed.story_id]].append(placed.article_id)

    def vectors(ids: list[int]) -> dict[int, Vector]:
        found = story_store.kept_vectors(store, ids)
        return {i: state.decode_vector(found[i], intern=True) for i in ids}

    try:
        return OnlineClusterer.restore(state.decode(kept[1]), members, vectors)
    except (ValueError, TypeError, KeyError, IndexError):  # not a state this code wrote: replay
        return None


def _flag_story_dates(store: Store, members: list[int], orders: dict[int, _Order], report: CopyReport) -> None:
    """Flag a member dated far after the other reports of its story and after every date its text mentions
    (texts are read only for a member dated more than `GAP_DAYS` after the others)."""
    credible = [m for m in members if orders[m].basis == "published"]
    for m in members:
        flags = report.flags.get(m)
        if flags and flags.date_suspect:
            continue
        others = [c for c in credible if c != m]
        gap = date_gap(orders[m].claimed, [orders[c].claimed for c in others])
        if gap is None or gap <= GAP_DAYS:
            continue
        docs = {i: CopyDoc.from_article(a) for i in [m, *others] if (a := store.article(i))}
        reason = date_suspect(docs[m], [docs[c] for c in others], "story's other reports")
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
