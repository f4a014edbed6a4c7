"""Sources stage: turn what the user names into raw documents.

`expand` resolves paths, folders, globs and URLs into inputs; `read` yields,
per input, RawDocuments, PendingUrls (link-only feed entries) and Failures.
Nothing is dropped silently: whatever cannot be read becomes a Failure with
its reason.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storyline.models import Failure, PendingUrl, RawDocument
from storyline.sources.files import Kind, kind_of, read_file
from storyline.sources.web import is_url

Item = RawDocument | PendingUrl | Failure

# Extensions picked up when walking a folder; a file named explicitly is sniffed whatever its name.
FOLDER_EXTENSIONS = (".txt", ".html", ".htm", ".xhtml", ".warc", ".warc.gz", ".arc.gz",
                     ".xml", ".rss", ".atom", ".jsonl", ".ndjson", ".jsonl.gz")


@dataclass(frozen=True, slots=True)
class Input:
    """One thing to read: a file path or a URL, as the user gave it."""

    name: str
    is_url: bool = False


def expand(specs: Iterable[str]) -> list[Input | Failure]:
    """Resolve files, folders (recursively), globs and URLs, in a stable order."""
    found: list[Input | Failure] = []
    for spec in specs:
        if is_url(spec):
            found.append(Input(spec, is_url=True))
        elif os.path.isdir(spec):
            found.extend(_walk(spec))
        elif os.path.lexists(spec):
            found.append(Input(spec))
        elif glob.has_magic(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                found.append(Failure(spec, "no file matches this pattern"))
            for match in matches:
                found.extend(_walk(match) if os.path.isdir(match) else [Input(match)])
        else:
            found.append(Failure(spec, "no such file or directory"))
    return found


def _walk(folder: str) -> Iterator[Input | Failure]:
    def on_error(error: OSError) -> None:
        failures.append(Failure(error.filename or folder, f"cannot list folder: {error.strerror}"))

    failures: list[Failure] = []
    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(FOLDER_EXTENSIONS):
                yield Input(os.path.join(root, name))
    yield from failures


def read(source: Input, *, allow_private_urls: bool = False) -> Iterator[Item]:
    """Yield everything one input holds; failures come as items, never as exceptions.

    A URL is fetched only from a public address unless `allow_private_urls`.
    """
    if source.is_url:
        from storyline.sources.web import fetch

        yield from fetch(source.name, allow_private=allow_private_urls)
        return
    try:
        if not stat.S_ISREG(os.stat(source.name).st_mode):
            yield Failure(source.name, "not a regular file")
            return
        kind = kind_of(Path(source.name))
    except OSError as error:
        yield Failure(source.name, f"cannot read file: {error.strerror or error}")
        return
    if kind is Kind.WARC:
        from storyline.sources.warc import read_warc

        yield from read_warc(source.name)
    elif kind is Kind.JSONL:
        from storyline.sources.jsonl import read_jsonl

        yield from read_jsonl(source.name)
    else:
        yield from read_file(source.name, kind)


__all__ = ["Input", "Item", "expand", "read"]
