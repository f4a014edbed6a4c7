"""The ingest pipeline: sources -> extract -> store, one document at a time.

Stages only meet here. Each stored record commits on its own, so an
interrupted run keeps everything finished before the interruption. With
several workers, extraction (the costly stage) runs in a process pool while
this process reads the inputs and writes the store in input order; a bounded
window of documents in flight keeps memory flat on a large crawl. The workers
also derive what the story step needs of each article (`cluster.derived`),
which is stored with it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from storyline import sources
from storyline.cluster import derived
from storyline.cluster.assign import assign_new_articles
from storyline.extract import ExtractionError, extract
from storyline.models import Article, Failure, PendingUrl, RawDocument
from storyline.store import Derivation, Store

_Extracted = tuple[Article, Derivation | None]  # an article with what the story step derives from it


@dataclass(slots=True)
class IngestSummary:
    """Counts for the one-line summary at the end of an ingest."""

    read: int = 0  # documents read from the inputs
    new: int = 0
    duplicates: int = 0  # publications already stored (same URL, or same outlet, date and text)
    failed: int = 0  # inputs or documents that could not be read or extracted
    pending: int = 0  # link-only feed entries recorded for later fetching

    def line(self) -> str:
        return (f"read {self.read}, new {self.new}, duplicates {self.duplicates}, failed {self.failed}"
                + (f", pending URLs {self.pending}" if self.pending else ""))

    def to_json(self) -> dict:
        return {"read": self.read, "new": self.new, "duplicates": self.duplicates, "failed": self.failed,
                "pending": self.pending}


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest; `summary` counts what was stored before it."""

    def __init__(self, summary: IngestSummary) -> None:
        super().__init__()
        self.summary = summary


SERIAL_START = 16  # documents extracted in this process before a pool pays for its start-up
IN_FLIGHT_PER_WORKER = 4  # documents submitted ahead per worker


def default_workers() -> int:
    """Extraction processes to use: the cores this process may run on, at most 8."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, 8))


def ingest(specs: Iterable[str], store: Store, *, stories: bool = True,
           on_input: Callable[[str, IngestSummary], None] | None = None, workers: int = 1,
           allow_private_urls: bool = False) -> IngestSummary:
    """Read, extract and store everything `specs` names, then place new articles into stories.

    `on_input` is called once each input is fully stored. With `stories=False` the new articles wait
    for the next ingest or `recluster` (bulk loads place them once at the end). With `workers` > 1,
    extraction runs in that many processes once an ingest has more than a few documents; the stored
    result is the same as with one. URLs are fetched only from public addresses unless `allow_private_urls`.
    """
    summary = IngestSummary()
    try:
        with _Extractor(workers) as extractor:
            for done in extractor.run(_documents(specs, allow_private_urls), store):
                if isinstance(done, str):
                    if on_input:
                        on_input(done, summary)
                else:
                    _store(store, summary, *done)
    except KeyboardInterrupt as stop:
        raise IngestInterrupted(summary) from stop
    if stories:
        try:
            assign_new_articles(store)  # copies and stories for the new articles
        except KeyboardInterrupt as stop:  # the articles are stored; the next ingest or recluster places them
            raise IngestInterrupted(summary) from stop
    return summary


_InputDone = str  # name of an input whose documents have all been handed on


def _documents(specs: Iterable[str], allow_private_urls: bool) -> Iterator[sources.Item | _InputDone]:
    """Everything the inputs hold, in order, with each input's name after its documents."""
    for entry in sources.expand(specs):
        if isinstance(entry, Failure):
            yield entry
            yield entry.source
        else:
            yield from sources.read(entry, allow_private_urls=allow_private_urls)
            yield entry.name


class _Extractor:
    """Extracts documents in order, here or in a process pool, with a bounded number in flight."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.pool: ProcessPoolExecutor | None = None
        self.seen = 0

    def __enter__(self) -> _Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=exc[0] is None, cancel_futures=True)

    def run(self, documents: Iterator[sources.Item | _InputDone],
            store: Store) -> Iterator[_InputDone | tuple[sources.Item, _Extracted | Failure | None]]:
        queue: deque[tuple[sources.Item | _InputDone, Future | _Extracted | Failure | None]] = deque()
        for item in documents:
            if isinstance(item, RawDocument) and not store.has_raw(item.raw_hash):
                queue.append((item, self._submit(item)))
            else:
                queue.append((item, None))
            while queue and (len(queue) > self.workers * IN_FLIGHT_PER_WORKER or not _pending(queue[0][1])):
                yield _finish(*queue.popleft())
        while queue:
            yield _finish(*queue.popleft())

    def _submit(self, item: RawDocument) -> Future | _Extracted | Failure:
        self.seen += 1
        if self.workers > 1 and self.pool is None and self.seen > SERIAL_START:
            self.pool = _start_pool(self.workers)
            if self.pool is None:  # no process pool on this system (no /dev/shm, a sandbox): stay serial
                self.workers = 1
        if self.pool is not None:
            try:
                return self.pool.submit(extract_and_derive, item)
            except BrokenProcessPool:  # a worker died: go on in this process
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool, self.workers = None, 1
        return extract_and_derive(item)


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    try:
        context = multiprocessing.get_context(method)
        if method == "forkserver":  # workers fork from a process that has the extractors loaded
            context.set_forkserver_preload(["storyline.pipeline"])
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),))
    except (OSError, ImportError, NotImplementedError):
        return None


def _worker_start(parent: int) -> None:
    """In each extraction process: leave Ctrl-C to the ingest, and stop when the ingest is gone (even killed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_without, args=(parent,), daemon=True).start()


def _exit_without(parent: int) -> None:
    while _alive(parent):
        time.sleep(1.0)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a killed process not yet reaped by its parent counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def _pending(result: object) -> bool:
    return isinstance(result, Future) and not result.done()


def _finish(item: sources.Item | _InputDone, result: Future | _Extracted | Failure | None
            ) -> _InputDone | tuple[sources.Item, _Extracted | Failure | None]:
    if isinstance(item, str):
        return item
    if isinstance(result, Future):
        try:
            result = result.result()
        except BrokenProcessPool:  # killed, out of memory or crashed on a document: a re-run retries it
            result = Failure(item.source, "extraction process stopped before finishing this document")
    return item, result


def _store(store: Store, summary: IngestSummary, item: sources.Item, extracted: _Extracted | Failure | None) -> None:
    if isinstance(item, Failure):
        _fail(store, summary, item)
        return
    if isinstance(item, PendingUrl):
        store.add_pending(item)
        summary.pending += 1
        return
    summary.read += 1
    if extracted is None:  # its raw input was stored before
        summary.duplicates += 1
        store.clear_failures(item.source)
        return
    if isinstance(extracted, Failure):
        _fail(store, summary, extracted)
        return
    article, derivation = extracted
    if store.add_article(article, raw_hash=item.raw_hash, derivation=derivation) is None:
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


def extract_and_derive(item: RawDocument) -> _Extracted | Failure:
    """`extract_item`, and what the story step derives from the article (run where extraction runs; when that
    fails, the story step derives it and meets the error there)."""
    article = extract_item(item)
    if isinstance(article, Failure):
        return article
    try:
        return article, derived.derive(article)
    except Exception:  # noqa: BLE001 - the article is stored all the same
        return article, None


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
