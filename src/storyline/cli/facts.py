"""Commands of the analyse stage: facts of an article or a story, entities across the database."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.app import DEFAULT_DB_PATH, DbOption, JsonOption, app, console, errors, open_store, plain, print_json

_KINDS = ("entities", "places", "quantities", "quotes", "times", "events")


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
    from storyline.pipeline import facts_for  # spaCy loads only for the commands that analyse

    with open_store(db) as store:
        if story is not None:
            from storyline.store import stories

            row = stories.story(store, story)
            if row is None:
                errors.print(f"No story {story}.", markup=False)
                raise typer.Exit(1)
            data = _story_facts(facts_for(store, row.article_ids))
            data["story_id"] = story
        else:
            if store.article(article_id) is None:
                errors.print(f"No article {article_id}.", markup=False)
                raise typer.Exit(1)
            data = {"article_id": article_id, **facts_for(store, [article_id])[article_id]}
    if json_out:
        print_json(data)
    else:
        _print_facts(data)


def _story_facts(per_article: dict[int, dict]) -> dict:
    """Facts of several articles: entities merged by canonical name, the other records tagged with their article."""
    from storyline.analyse.crossdoc import merge_entities

    merged: dict = {"entities": merge_entities({i: f["entities"] for i, f in per_article.items()})}
    for kind in _KINDS[1:]:
        merged[kind] = [{**record, "article_id": i} for i, f in sorted(per_article.items()) for record in f[kind]]
    return merged


@app.command("entities")
def entities_command(
    db: DbOption = DEFAULT_DB_PATH,
    json_out: JsonOption = False,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
) -> None:
    """Canonical entities across the database, with aliases and counts (analyses articles not yet analysed)."""
    from storyline.analyse.crossdoc import merge_entities
    from storyline.pipeline import facts_for

    with open_store(db) as store:
        ids = [article.id for article in store.articles()]
        with console.status("analysing articles...", spinner="dots"):
            per_article = facts_for(store, ids)
    merged = merge_entities({i: f["entities"] for i, f in per_article.items()})[:limit]
    if json_out:
        print_json(merged)
        return
    table = Table("entity", "type", "articles", "mentions", "aliases", title=f"{len(merged)} entities")
    for entity in merged:
        table.add_row(plain(entity["name"]), plain(entity["type"]), str(len(entity["article_ids"])),
                      str(entity["mentions"]), plain(", ".join(entity["aliases"])))
    console.print(table)


def _print_facts(data: dict) -> None:
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
