"""Commands for stories and copies: stories, story, recluster."""

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


@app.command("stories")
def stories_command(db: DbOption = DEFAULT_DB_PATH, json_out: JsonOption = False) -> None:
    """List stories: id, title, number of articles and sources, first and last date."""
    with open_storyline(db) as lib:
        found = lib.stories()
    if json_out:
        print_json([s.to_json() for s in found])
        return
    table = Table("id", "title", "#articles", "#sources", "first", "last", title=f"{len(found)} stories")
    for s in found:
        table.add_row(str(s.id), plain(s.title), str(len(s.article_ids)), str(len(s.sources)),
                      plain(s.first_published or "?"), plain(s.last_published or "?"))
    console.print(table)


@app.command("story")
def story_command(
    story_id: Annotated[int, typer.Argument(help="Story id (see `storyline stories`).")],
    db: DbOption = DEFAULT_DB_PATH,
    json_out: JsonOption = False,
) -> None:
    """One story: its articles by date, with copy links, sources, dates and flags."""
    with open_storyline(db) as lib:
        found = lib.story(story_id)
    if found is None:
        errors.print(f"No story {story_id}.", markup=False)
        raise typer.Exit(1)
    detail = found.to_json()
    if json_out:
        print_json(detail)
        return
    links = {c["article_id"]: c for c in detail["copies"]}
    suspect = {d["article_id"]: d["reason"] for d in detail["date_suspect"]}
    farm = {f["article_id"]: f["signals"] for f in detail["farm_signals"]}
    table = Table("id", "date", "source", "title", "copy of", "flags",
                  title=plain(f"story {detail['id']}: {detail['title'] or '(no title)'}"))
    for a in detail["articles"]:
        date = a["published"] or f"{a['placed_on']} (ingested, no date)"
        link = links.get(a["id"])
        copy = f"{link['copy_of'] or link['copy_of_source']} ({link['kind']}, {link['similarity']:.2f})" if link else ""
        notes = ([f"date suspect: {suspect[a['id']]}"] if a["id"] in suspect else []) + farm.get(a["id"], [])
        table.add_row(str(a["id"]), plain(date), plain(a["source"]), plain(a["title"]), plain(copy),
                      plain("; ".join(notes)))
    console.print(table)
    console.print(plain(f"sources: {', '.join(detail['sources'])}"))
    _print_comparison(detail)


def _print_comparison(detail: dict) -> None:
    """Contradictions, unsupported headlines, quote variants, agreements and summary, as text."""
    if detail.get("note"):
        console.print(plain(detail["note"]), style="dim")
    for c in detail.get("contradictions", []):
        values = "  vs  ".join(f"{v['value']} ({', '.join(map(str, v['article_ids']))})" for v in c["values"])
        console.print(plain(f"CONTRADICTION  {c['attribute']}: {values}"), style="bold red")
    for h in detail.get("headlines", []):
        if not h["supported"]:
            console.print(plain(f"UNSUPPORTED HEADLINE  [{h['article_id']}] {h['headline']}: {h['reason']}"),
                          style="yellow")
    for q in detail.get("quotes", []):
        if len(q["variants"]) > 1:
            console.print(plain(f"QUOTE  {q['speaker'] or '?'}:"), style="cyan")
            for v in q["variants"]:
                console.print(plain(f"    [{v['article_id']}] {v['text']}  (similarity {v['similarity']:.2f})"))
    for a in detail.get("agreements", []):
        console.print(plain(f"AGREED  {a['attribute']}: {a['value']} ({', '.join(map(str, a['article_ids']))})"),
                      style="green")
    for s in detail.get("summary", []):
        console.print(plain(f"  {s['sentence']} [{s['article_id']}]"))


@app.command("recluster")
def recluster_command(db: DbOption = DEFAULT_DB_PATH, json_out: JsonOption = False) -> None:
    """Rebuild all copy links and stories from scratch (same result as incremental on the same order)."""
    with open_storyline(db) as lib:
        summary = lib.recluster()
    if json_out:
        print_json({"articles": summary.placed, "stories": summary.stories})
    else:
        errors.print(f"{summary.placed} articles in {summary.stories} stories", markup=False)
