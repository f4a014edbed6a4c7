"""Command line: a thin layer over the library (see `storyline --help`).

Each module registers its commands on the shared Typer app.
"""

from storyline.cli import articles, facts, report, serve, spark, stories  # noqa: F401  (registers commands)
from storyline.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
