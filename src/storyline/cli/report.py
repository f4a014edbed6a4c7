"""Command for story reports: report."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.app import DEFAULT_DB_PATH, DbOption, app, errors, open_storyline


class ReportFormat(StrEnum):
    html = "html"
    md = "md"
    json = "json"


@app.command("report")
def report_command(
    story_id: Annotated[int, typer.Argument(help="Story id (see `storyline stories`).")],
    output: Annotated[str, typer.Option("--output", "-o", help="File to write; `-` (the default) prints it.")] = "-",
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="html, md or json; default from the file's suffix (.html, .md, .json), else html.")] = None,
    db: DbOption = DEFAULT_DB_PATH,
) -> None:
    """A story report: summary with citations, timeline, what each source says, contradictions, single-source
    claims, quote variants, copies and unsupported headlines, as standalone HTML, Markdown or JSON."""
    from storyline.report import format_for

    target = None if output == "-" else Path(output)
    if target is not None:
        if not target.parent.is_dir():
            errors.print(f"Cannot write {output}: no directory {target.parent}.", markup=False, soft_wrap=True)
            raise typer.Exit(1)
        if target.is_dir():
            errors.print(f"Cannot write {output}: it is a directory.", markup=False, soft_wrap=True)
            raise typer.Exit(1)
    with open_storyline(db) as lib:
        text = lib.report(story_id, fmt.value if fmt else format_for(output))
    if text is None:
        errors.print(f"No story {story_id}.", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    if target is None:
        sys.stdout.write(text)
        return
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        errors.print(f"Cannot write {output}: {error.strerror or error}.", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    errors.print(f"Wrote story {story_id} report to {output}.", markup=False, soft_wrap=True)
