"""Ingest from the web UI: uploaded files or a pasted URL, run one job at a time in a child process.

The child process keeps the extraction work off the server's interpreter, so pages stay fast while it
runs; it reports progress after each input through a queue. After the inputs are stored and placed it
analyses the facts of every story the job touched, as `storyline story ID` would, so those stories keep
their comparison; the job ends with links to them. `on_write` (the app's cache invalidation) is called
whenever the job has written, and once more before the job is marked done. Uploaded files are saved under server-made
names in `<db>.uploads/<job id>/`, deleted when the job ends: nothing a client sends is ever used as a path.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import re
import secrets
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from storyline.sources import FOLDER_EXTENSIONS
from storyline.sources.web import is_url

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 20
MAX_REQUEST_BYTES = 25 * 1024 * 1024  # the whole upload request, enforced before parsing
UPLOAD_TYPES = FOLDER_EXTENSIONS
KEEP_JOBS = 50
JOB_ID = re.compile(r"[0-9a-f]{16}")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class IngestRejected(ValueError):
    """A request the server will not ingest (bad type, too large, not an http(s) URL); the message says why."""


@dataclass(slots=True)
class Job:
    """One ingest request and its progress; `to_json` is what the API returns."""

    id: str
    inputs: list[str]
    labels: list[str]  # what the user sent: file names or the URL
    state: str = "queued"  # queued, running, done, failed
    done: int = 0
    summary: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    message: str | None = None
    stories: list[dict[str, Any]] = field(default_factory=list)  # {id, title} of the stories it added to
    phase: str = "reading"  # reading, analysing
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    finished: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "inputs": self.labels, "done": self.done,
                "total": len(self.inputs), "summary": self.summary, "errors": self.errors, "message": self.message,
                "stories": self.stories, "phase": self.phase, "created": self.created, "finished": self.finished}


def safe_name(filename: str | None) -> str:
    """A file name of our own making that keeps the client's base name readable, if it is harmless."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE_NAME.sub("_", base).strip("._")[-100:]
    return base or "upload"


def check_url(url: str) -> str:
    """The URL to fetch, or IngestRejected: only http(s) URLs with a host, never a local path."""
    url = url.strip()
    parts = urlsplit(url)
    if not (is_url(url) and parts.scheme in ("http", "https") and parts.hostname) or any(c in url for c in " \r\n\t"):
        raise IngestRejected("only http:// or https:// URLs can be ingested")
    return url


class Ingester:
    """Runs ingest jobs one after the other in a child process and keeps the latest `KEEP_JOBS`."""

    def __init__(self, db_path: str, *, allow_private_urls: bool = False,
                 on_write: Callable[..., None] | None = None) -> None:
        self.db_path = db_path
        self.on_write = on_write
        self.allow_private_urls = allow_private_urls
        self.upload_root = Path(db_path + ".uploads")
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job] = queue.Queue()
        self._worker: threading.Thread | None = None

    def job(self, job_id: str) -> Job | None:
        with self._lock:
            return self.jobs.get(job_id) if JOB_ID.fullmatch(job_id) else None

    def recent(self) -> list[Job]:
        with self._lock:
            return list(reversed(self.jobs.values()))

    def submit_url(self, url: str) -> Job:
        url = check_url(url)
        return self._submit(Job(secrets.token_hex(8), [url], [url]))

    def submit_files(self, files: list[tuple[str | None, BinaryIO]]) -> Job:
        """Save uploads (name, stream) under safe names, bounded in count, size and type, then queue them."""
        if not files:
            raise IngestRejected("no file was sent")
        if len(files) > MAX_FILES:
            raise IngestRejected(f"at most {MAX_FILES} files at once")
        names = [safe_name(name) for name, _ in files]
        for name in names:
            if not name.lower().endswith(UPLOAD_TYPES):
                raise IngestRejected(f"{name}: not a supported type (allowed: {', '.join(UPLOAD_TYPES)})")
        job_id = secrets.token_hex(8)
        folder = self.upload_root / job_id
        folder.mkdir(parents=True)
        paths = []
        try:
            for index, (name, (_, stream)) in enumerate(zip(names, files, strict=True)):
                path = folder / f"{index:02d}-{name}"
                _copy_bounded(stream, path)
                paths.append(str(path))
        except IngestRejected:
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()
            raise
        return self._submit(Job(job_id, paths, names))

    def _submit(self, job: Job) -> Job:
        with self._lock:
            self.jobs[job.id] = job
            while len(self.jobs) > KEEP_JOBS:
                self.jobs.popitem(last=False)
            self._queue.put(job)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="storyline-ingest", daemon=True)
                self._worker.start()
        return job

    def _work(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=5)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._worker = None
                        return
                continue
            self._run(job)

    def _run(self, job: Job) -> None:
        context = multiprocessing.get_context("spawn")
        events = context.Queue()
        process = context.Process(target=run_ingest, args=(self.db_path, job.inputs, events, self.allow_private_urls),
                                  daemon=True)
        job.state = "running"
        process.start()
        state = "failed"
        while True:
            try:
                kind, payload = events.get(timeout=0.5)
            except queue.Empty:
                if not process.is_alive():
                    job.message = f"the ingest process stopped (exit code {process.exitcode})"
                    break
                continue
            if kind == "progress":
                job.done, job.summary = payload["done"], payload["summary"]
                job.errors.extend(payload["errors"])
                self._written()
            elif kind == "analysing":
                job.phase, job.stories = "analysing", payload
                self._written()
            elif kind == "done":
                job.summary, job.stories, state = payload["summary"], payload["stories"], "done"
                break
            else:
                job.message = str(payload)
                break
        process.join(timeout=10)
        shutil.rmtree(self.upload_root / job.id, ignore_errors=True)  # the uploads are stored or reported now
        self._written(final=True)  # pages show the new state before the job says it is done
        job.finished = datetime.now(UTC).isoformat(timespec="seconds")
        job.state = state


    def _written(self, final: bool = False) -> None:
        if self.on_write is not None:
            try:
                self.on_write(final=final)
            except Exception:  # a failed refresh must not lose the job; the next page view retries it
                logging.getLogger(__name__).exception("refreshing the pages after an ingest failed")


def run_ingest(db_path: str, inputs: list[str], events: Any, allow_private_urls: bool = False) -> None:
    """Child process: ingest `inputs` into the database (and so into stories), reporting after each input;
    then analyse the facts of the stories that received new articles, as `storyline story ID` does."""
    from storyline.core import Storyline
    from storyline.pipeline import IngestSummary, ingest
    from storyline.store import Store

    try:
        with Store(db_path) as store:
            before = store.db.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
            done = 0
            failed = 0

            def report(name: str, summary: IngestSummary) -> None:
                nonlocal done, failed
                done += 1
                errors = []
                if summary.failed > failed:
                    errors = [f.to_json() for f in store.failures()
                              if f.source == name or f.source.startswith(name + "#")][-(summary.failed - failed):]
                    failed = summary.failed
                events.put(("progress", {"done": done, "summary": summary.to_json(), "errors": errors}))

            summary = ingest(inputs, store, on_input=report, allow_private_urls=allow_private_urls)
            touched = _stories_of(store, before)
            events.put(("analysing", touched))
            library = Storyline(store)
            for story in touched:
                library.story_facts(story["id"])  # computed and cached: the story pages compare them
        events.put(("done", {"summary": summary.to_json(), "stories": touched}))
    except Exception as error:  # reported to the user as the job's failure
        events.put(("error", f"{type(error).__name__}: {error}"))


def _stories_of(store: Any, after_id: int) -> list[dict[str, Any]]:
    """{id, title} of the stories holding articles stored with an id above `after_id`, by story id."""
    from storyline.store import stories as tables

    ids = [r[0] for r in store.db.execute(
        "SELECT DISTINCT story_id FROM story_articles WHERE article_id > ? ORDER BY story_id", (after_id,))]
    return [{"id": row.id, "title": row.title} for i in ids if (row := tables.story(store, i)) is not None]


def _copy_bounded(stream: BinaryIO, path: Path) -> None:
    size = 0
    with open(path, "xb") as out:
        while chunk := stream.read(64 * 1024):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                out.close()
                os.unlink(path)
                raise IngestRejected(f"{path.name[3:]}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            out.write(chunk)
