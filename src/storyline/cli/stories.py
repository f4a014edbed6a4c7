"""Commands for stories and copies: stories, story, recluster."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.app import DEFAULT_DB_PATH, DbOption, JsonOption, app, console, errors, open_store, plain, print_json
from storyline.models import Article
from storyline.store import Store
from storyline.store import stories as story_store
from storyline.store.stories import StoryRow


def _source(article: Article) -> str:
    """The outlet an article stands for: its publisher, else its site, else where it was read from."""
    from urllib.parse import urlsplit

    host = urlsplit(article.url).hostname if article.url else None
    return article.publisher or (host.removeprefix("www.") if host else None) or article.source


def _sources(articles: list[Article]) -> list[str]:
    return sorted({_source(a) for a in articles}, key=str.casefold)


def story_summary(store: Store, row: StoryRow) -> dict:
    """The `stories --json` entry of one story."""
    return _summary(row, [a for a in (store.article(i) for i in row.article_ids) if a is not None])


def _summary(row: StoryRow, articles: list[Article]) -> dict:
    return {"id": row.id, "title": row.title, "article_ids": row.article_ids, "sources": _sources(articles),
            "first_published": row.first_published, "last_published": row.last_published}


def story_detail(store: Store, row: StoryRow, *, analyse: bool = False) -> dict:
    """The `story ID --json` object: summary, articles by date, copies, flags, and the comparison.

    The comparison needs every article's facts: with `analyse` missing facts are computed (and cached);
    without it (page views) the comparison is given only when all facts are already cached.
    """
    articles = {a.id: a for a in (store.article(i) for i in row.article_ids) if a is not None}
    placed = {p.article_id: p for p in story_store.story_placements(store, row.id)}
    links = {c.article_id: c for c in story_store.copies(store, row.article_ids)}
    flags = {f.article_id: f for f in story_store.flags(store, row.article_ids)}
    by_date = sorted(articles.values(), key=lambda a: (placed[a.id].placed_on or "", a.id))
    return {
        **_summary(row, list(articles.values())),
        "articles": [{
            "id": a.id, "title": a.title, "source": _source(a), "url": a.url, "published": a.published,
            "placed_on": placed[a.id].placed_on, "date_basis": placed[a.id].date_basis,
            "language": a.language, "credited": a.credited,
            "copy_of": links[a.id].copy_of if a.id in links else None,
            "join_probability": placed[a.id].probability,
        } for a in by_date],
        "copies": [link.to_json() for link in links.values()],
        "date_suspect": [{"article_id": f.article_id, "reason": f.date_suspect}
                         for f in flags.values() if f.date_suspect],
        "undated": [a.id for a in by_date if placed[a.id].date_basis == "ingest"],
        "farm_signals": [{"article_id": f.article_id, "signals": list(f.farm)} for f in flags.values() if f.farm],
        **_comparison(store, by_date, links, {a.id for a in by_date if placed[a.id].date_basis != "published"},
                      analyse=analyse),
    }


def _comparison(store: Store, articles: list[Article], links: dict, undated: set[int], *, analyse: bool) -> dict:
    from storyline.analyse import VERSION
    from storyline.compare import compare_story
    from storyline.pipeline import facts_for
    from storyline.store import facts as fact_store

    ids = [a.id for a in articles]
    facts = facts_for(store, ids) if analyse else fact_store.load(store, ids, VERSION)
    if len(facts) < len(ids):
        return {"note": "facts not analysed yet: run `storyline story ID` or `storyline entities` once"}
    copies = [(a.id, links[a.id].copy_of if a.id in links else None) for a in articles]
    return compare_story(articles, facts, copies, undated).to_json()


@app.command("stories")
def stories_command(db: DbOption = DEFAULT_DB_PATH, json_out: JsonOption = False) -> None:
    """List stories: id, title, number of articles and sources, first and last date."""
    with open_store(db) as store:
        found = [story_summary(store, row) for row in story_store.stories(store)]
    if json_out:
        print_json(found)
        return
    table = Table("id", "title", "#articles", "#sources", "first", "last", title=f"{len(found)} stories")
    for s in found:
        table.add_row(str(s["id"]), plain(s["title"]), str(len(s["article_ids"])), str(len(s["sources"])),
                      plain(s["first_published"] or "?"), plain(s["last_published"] or "?"))
    console.print(table)


@app.command("story")
def story_command(
    story_id: Annotated[int, typer.Argument(help="Story id (see `storyline stories`).")],
    db: DbOption = DEFAULT_DB_PATH,
    json_out: JsonOption = False,
) -> None:
    """One story: its articles by date, with copy links, sources, dates and flags."""
    with open_store(db) as store:
        row = story_store.story(store, story_id)
        detail = story_detail(store, row, analyse=True) if row else None
    if detail is None:
        errors.print(f"No story {story_id}.", markup=False)
        raise typer.Exit(1)
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
    from storyline.cluster.assign import recluster

    with open_store(db) as store:
        summary = recluster(store)
    if json_out:
        print_json({"articles": summary.placed, "stories": summary.stories})
    else:
        errors.print(f"{summary.placed} articles in {summary.stories} stories", markup=False)
