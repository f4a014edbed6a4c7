"""The ingest pipeline: sources -> extract -> store, one document at a time.

Stages only meet here. Each stored record commits on its own, so an
interrupted run keeps everything finished before the interruption.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from storyline import sources
from storyline.cluster.assign import assign_new_articles
from storyline.extract import ExtractionError, extract
from storyline.models import Article, Failure, PendingUrl, RawDocument
from storyline.store import Store


@dataclass(slots=True)
class IngestSummary:
    """Counts for the one-line summary at the end of an ingest."""

    read: int = 0  # documents read from the inputs
    new: int = 0
    duplicates: int = 0  # already stored (same content)
    failed: int = 0  # inputs or documents that could not be read or extracted
    pending: int = 0  # link-only feed entries recorded for later fetching

    def line(self) -> str:
        return (f"read {self.read}, new {self.new}, duplicates {self.duplicates}, failed {self.failed}"
                + (f", pending URLs {self.pending}" if self.pending else ""))

    def to_json(self) -> dict:
        return {"read": self.read, "new": self.new, "duplicates": self.duplicates, "failed": self.failed,
                "pending": self.pending}


def ingest(specs: Iterable[str], store: Store, *, stories: bool = True,
           on_input: Callable[[str, IngestSummary], None] | None = None) -> IngestSummary:
    """Read, extract and store everything `specs` names, then place new articles into stories.

    `on_input` is called after each input. With `stories=False` the new articles wait for the next
    ingest or `recluster` (bulk loads place them once at the end).
    """
    summary = IngestSummary()
    for entry in sources.expand(specs):
        if isinstance(entry, Failure):
            _fail(store, summary, entry)
        else:
            for item in sources.read(entry):
                _handle(store, summary, item)
        if on_input:
            on_input(entry.source if isinstance(entry, Failure) else entry.name, summary)
    if stories:
        assign_new_articles(store)  # copies and stories for the new articles
    return summary


def _handle(store: Store, summary: IngestSummary, item: sources.Item) -> None:
    if isinstance(item, Failure):
        _fail(store, summary, item)
        return
    if isinstance(item, PendingUrl):
        store.add_pending(item)
        summary.pending += 1
        return
    summary.read += 1
    raw_hash = item.raw_hash
    if store.has_raw(raw_hash):
        summary.duplicates += 1
        store.clear_failures(item.source)
        return
    article = extract_item(item)
    if isinstance(article, Failure):
        _fail(store, summary, article)
        return
    if store.add_article(article, raw_hash=raw_hash) is None:
        summary.duplicates += 1
    else:
        summary.new += 1
    store.clear_failures(item.source)


def extract_item(item: RawDocument) -> Article | Failure:
    """Extract one document: an Article, or a Failure with the reason (never an exception)."""
    try:
        return extract(item)
    except ExtractionError as error:
        return Failure(item.source, str(error))
    except Exception as error:  # an extractor bug must not lose the rest of the batch
        return Failure(item.source, f"extraction failed: {type(error).__name__}: {error}")


def _fail(store: Store, summary: IngestSummary, failure: Failure) -> None:
    store.add_failure(failure)
    summary.failed += 1


def facts_for(store: Store, article_ids: list[int]) -> dict[int, dict]:
    """Facts (JSON form) of these articles: cached ones from the store, the rest analysed now and cached."""
    from storyline.analyse import VERSION, analyse_many
    from storyline.store import facts

    found = facts.load(store, article_ids, VERSION)
    missing = [article for i in article_ids if i not in found and (article := store.article(i))]
    for article, result in zip(missing, analyse_many(missing), strict=True):
        found[article.id] = result.to_json()
        facts.save(store, article.id, VERSION, found[article.id])
    return found
