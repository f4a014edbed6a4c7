"""Commands of the analyse stage: facts of an article or a story, entities across the database."""

from __future__ import annotations

from typing import Annotated

import typer
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


@app.command("facts")
def facts_command(
    article_id: Annotated[int | None, typer.Argument(help="Article id.")] = None,
    story: Annotated[int | None, typer.Option("--story", help="All facts of a story, merged.")] = None,
    db: DbOption = DEFAULT_DB_PATH,
    json_out: JsonOption = False,
) -> None:
    """Entities, places, quantities, quotes, time expressions and events of an article (or a story)."""
    if (article_id is None) == (story is None):
        errors.print("Give an article id or --story ID.", markup=False)
        raise typer.Exit(2)
    with open_storyline(db) as lib:
        data = lib.facts(article_id) if story is None else lib.story_facts(story)
    if data is None:
        errors.print(f"No article {article_id}." if story is None else f"No story {story}.", markup=False)
        raise typer.Exit(1)
    if json_out:
        print_json(data)
    else:
        _print_facts(data)


@app.command("entities")
def entities_command(
    db: DbOption = DEFAULT_DB_PATH,
    json_out: JsonOption = False,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
) -> None:
    """Canonical entities across the database, with aliases and counts (analyses articles not yet analysed)."""
    with open_storyline(db) as lib, console.status("analysing articles...", spinner="dots"):
        merged = lib.entities()[:limit]
    if json_out:
        print_json(merged)
        return
    table = Table("entity", "type", "articles", "mentions", "aliases", title=f"{len(merged)} entities")
    for entity in merged:
        table.add_row(plain(entity["name"]), plain(entity["type"]), str(len(entity["article_ids"])),
                      str(entity["mentions"]), plain(", ".join(entity["aliases"])))
    console.print(table)


def _print_facts(data: dict) -> None:
    if data.get("coverage") and data["coverage"] != "full":
        console.print(f"language {plain(data.get('language'))}: facts at depth {plain(data['coverage'])} "
                      f"({plain(data.get('note'))})", markup=False)
    columns = {
        "entities": ("name", "type", "mentions", "aliases"),
        "places": ("name", "kind", "country", "lat", "lon"),
        "quantities": ("value", "unit", "counted", "approx", "sentence"),
        "quotes": ("speaker", "text", "direct"),
        "times": ("text", "date", "sentence"),
        "events": ("actor", "action", "target", "place", "time", "quantity"),
    }
    for kind, names in columns.items():
        records = data.get(kind, [])
        if not records:
            continue
        table = Table(*names, title=f"{kind} ({len(records)})", title_justify="left")
        for record in records:
            table.add_row(*(plain(", ".join(v) if isinstance(v := record.get(n), list) else v) for n in names))
        console.print(table)
