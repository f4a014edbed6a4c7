"""The Typer application and what every command shares: --db, --json and safe output."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from storyline.core import Storyline
from storyline.store import DEFAULT_DB

app = typer.Typer(
    name="storyline",
    help="Make sense of the same news told by many sources.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

DbOption = Annotated[str, typer.Option("--db", envvar="STORYLINE_DB", show_envvar=True,
                                       help="SQLite database file.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DEFAULT_DB_PATH = DEFAULT_DB


def open_storyline(path: str, *, must_exist: bool = True) -> Storyline:
    """The library over the database, or exit with a clear message when reading a database that is not there."""
    from pathlib import Path

    if must_exist and not Path(path).exists():
        errors.print(f"No database at {path}: run `storyline ingest SOURCE...` first, or pass --db.",
                     markup=False)
        raise typer.Exit(1)
    return Storyline(path)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def plain(value: Any) -> Text:
    """Untrusted text for a rich table or panel: never interpreted as markup."""
    return Text("" if value is None else str(value))
