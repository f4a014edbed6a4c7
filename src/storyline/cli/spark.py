"""Commands of the crawl-scale path: `storyline spark extract|stories` and `storyline import`.

pyspark is imported inside the commands only, so the rest of the CLI works without it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from storyline.cli.app import DEFAULT_DB_PATH, DbOption, JsonOption, app, errors, open_storyline, print_json

spark_app = typer.Typer(name="spark", help="Run the pipeline's stages as PySpark jobs (local[*] or spark-submit).",
                        no_args_is_help=True, rich_markup_mode=None)
app.add_typer(spark_app, name="spark")

MasterOption = Annotated[str | None, typer.Option(
    "--master", help="Spark master, e.g. local[2]; default local[*], or the cluster's under spark-submit.")]


def _session(master: str | None):
    try:
        from storyline.spark.session import get_session
    except ImportError:
        errors.print("pyspark is not installed: pip install 'storyline[spark]' (and Java 17).", markup=False)
        raise typer.Exit(2) from None
    return get_session(master)


@spark_app.command("extract")
def extract_command(
    sources: Annotated[list[str], typer.Argument(help="WARC files, globs, folders (any input `ingest` reads).")],
    out: Annotated[str, typer.Option("--out", "-o", help="Parquet output for the articles.")],
    failures: Annotated[str | None, typer.Option(
        help="Parquet output for the failures (default: OUT with .failures.parquet).")] = None,
    master: MasterOption = None,
    json_out: JsonOption = False,
) -> None:
    """Extract articles from the inputs with Spark, one task per input file; outputs are overwritten."""
    spark = _session(master)
    from storyline.spark.extract import run_extract

    summary = run_extract(spark, sources, out, failures)
    if json_out:
        print_json(summary.to_json())
    else:
        errors.print(f"{summary.line()}  ->  {summary.out} (failures: {summary.failures})", markup=False)


@spark_app.command("stories")
def stories_command(
    articles: Annotated[str, typer.Argument(help="Parquet output of `storyline spark extract`.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Parquet output: the articles with their story and copy.")],
    max_block: Annotated[int, typer.Option(help="Drop blocking keys shared by more articles than this.")] = 2000,
    blocking: Annotated[bool, typer.Option(
        help="--no-blocking: one block, the single-machine stories exactly (for inputs one task can cluster).")] = True,
    master: MasterOption = None,
    json_out: JsonOption = False,
) -> None:
    """Find copies and stories with Spark: blocking (LSH bands, entity+week keys), then the cluster stage per block."""
    spark = _session(master)
    from storyline.spark.stories import run_stories

    summary = run_stories(spark, articles, out, max_block=max_block, blocking=blocking)
    if json_out:
        print_json(summary.to_json())
    else:
        errors.print(f"{summary.line()}  ->  {summary.out}", markup=False)


@app.command("import")
def import_command(
    datasets: Annotated[list[str], typer.Argument(help="Parquet outputs of `storyline spark ...`.")],
    db: DbOption = DEFAULT_DB_PATH,
    master: MasterOption = None,
    json_out: JsonOption = False,
) -> None:
    """Load Parquet results of the Spark jobs (articles, failures, stories) into the database."""
    spark = _session(master)
    from storyline.spark.load import run_import

    with open_storyline(db, must_exist=False) as lib:
        try:
            summary = run_import(spark, datasets, lib.store)
        except ValueError as error:
            errors.print(str(error), markup=False)
            raise typer.Exit(1) from None
    if json_out:
        print_json({**summary.to_json(), "db": db})
    else:
        errors.print(f"{summary.line()}  ->  {db}", markup=False)
