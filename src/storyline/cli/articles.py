"""Commands of the foundation: ingest, articles, article, errors, pending."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.cli.app import (
    DEFAULT_DB_PATH,
    DbOption,
    JsonOption,
    app,
    console,
    errors,
    open_storyline,
    plain,
    print_json,
)
from storyline.sources import expand

if TYPE_CHECKING:
    from storyline.pipeline import IngestSummary


@app.command("ingest")
def ingest_command(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, globs, WARC, feeds, JSONL or URLs.")],
    db: DbOption = DEFAULT_DB_PATH,
    json_out: JsonOption = False,
    stories: Annotated[bool, typer.Option("--stories/--no-stories",
                                          help="Place new articles into stories now (or later, in bulk).")] = True,
    workers: Annotated[int, typer.Option("--workers", "-w", min=0,
                                         help="Extraction processes (0: one per core).")] = 0,
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls", help="Also fetch URLs on loopback, private or link-local addresses.")] = False,
) -> None:
    """Read, clean and store articles from any mix of sources."""
    from storyline.pipeline import IngestSummary  # loaded only when needed

    lib = open_storyline(db, must_exist=False)
    inputs = expand(sources)
    summary = IngestSummary()
    interrupted = False
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                        console=errors, disable=json_out, transient=False)
    try:
        with progress:
            task = progress.add_task("ingest", total=len(inputs), counts="")

            def advance(name: str, current: IngestSummary) -> None:
                progress.update(task, advance=1, counts=current.line())

            summary = lib.ingest(sources, stories=stories, on_input=advance, workers=workers,
                                 allow_private_urls=allow_private_urls)
    except KeyboardInterrupt as stop:
        interrupted = True
        summary = getattr(stop, "summary", summary)  # what was stored before the interruption
    finally:
        lib.close()
    if json_out:
        print_json({**summary.to_json(), "interrupted": interrupted, "db": db})
    else:
        errors.print(("Interrupted: kept " if interrupted else "") + summary.line() + f"  ->  {db}",
                     markup=False)
        if summary.failed:
            errors.print("See `storyline errors` for what could not be read.", markup=False)
    if interrupted:
        raise typer.Exit(130)


@app.command("articles")
def articles_command(
    db: DbOption = DEFAULT_DB_PATH,
    json_out: JsonOption = False,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Full-text search.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
) -> None:
    """List stored articles: id, date, publisher, language, title."""
    with open_storyline(db) as lib:
        found = lib.articles(search=search, limit=limit)
    if json_out:
        print_json([article.to_json() for article in found])
        return
    table = Table("id", "published", "publisher", "lang", "title", title=f"{len(found)} articles")
    for article in found:
        table.add_row(str(article.id), plain(article.published or "?"), plain(article.publisher),
                      plain(article.language), plain(article.title))
    console.print(table)


@app.command("article")
def article_command(
    article_id: Annotated[int, typer.Argument(help="Article id (see `storyline articles`).")],
    db: DbOption = DEFAULT_DB_PATH,
    json_out: JsonOption = False,
    removed: Annotated[bool, typer.Option("--removed", help="Also show the stripped boilerplate.")] = False,
) -> None:
    """One article: clean text and metadata with its evidence."""
    with open_storyline(db) as lib:
        article = lib.article(article_id)
    if article is None:
        errors.print(f"No article {article_id}.", markup=False)
        raise typer.Exit(1)
    if json_out:
        print_json(article.to_json(with_removed=True))
        return
    meta = Table.grid(padding=(0, 2))
    date = article.published or "unknown"
    if article.published_evidence:
        date += f"   (from: {article.published_evidence}; confidence {article.published_confidence:.2f})"
    for label, value in [("source", article.source), ("url", article.url), ("published", date),
                         ("publisher", article.publisher), ("authors", ", ".join(article.authors)),
                         ("credited", ", ".join(article.credited)), ("language", article.language)]:
        if value:
            meta.add_row(label, plain(value))
    console.print(Panel(meta, title=plain(article.title or "(no title)"), title_align="left"))
    for caption in article.captions:
        console.print(plain(f"[caption] {caption}"), style="italic")
    console.print(plain(article.text))
    if removed:
        console.print(Panel(plain("\n".join(article.removed) or "(nothing)"), title="removed boilerplate",
                            title_align="left", style="dim"))


@app.command("errors")
def errors_command(db: DbOption = DEFAULT_DB_PATH, json_out: JsonOption = False) -> None:
    """Inputs that could not be read, with the reason."""
    with open_storyline(db) as lib:
        failures = lib.errors()
    if json_out:
        print_json([failure.to_json() for failure in failures])
        return
    table = Table(title=f"{len(failures)} inputs could not be read")
    for column in ("source", "reason", "when"):
        table.add_column(column, overflow="fold")
    for failure in failures:
        table.add_row(plain(failure.source), plain(failure.reason), plain(failure.at))
    console.print(table)


@app.command("pending")
def pending_command(db: DbOption = DEFAULT_DB_PATH, json_out: JsonOption = False) -> None:
    """Link-only feed entries, recorded for fetching (`storyline ingest URL`)."""
    with open_storyline(db) as lib:
        pending = lib.pending()
    if json_out:
        print_json([{"url": p.url, "source": p.source, "title": p.title} for p in pending])
        return
    table = Table("url", "title", "from", title=f"{len(pending)} pending URLs")
    for entry in pending:
        table.add_row(plain(entry.url), plain(entry.title), plain(entry.source))
    console.print(table)
