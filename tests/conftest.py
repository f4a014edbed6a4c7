"""Shared fixtures: paths to ../shared, a CLI runner, small pages written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "examples" / "seeds"
SAMPLES = REPO / "samples"

ARTICLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Harbour Gazette</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="article:published_time" content="{date}T08:30:00+00:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
<p class="byline">By Mara Lindqvist</p>
{paragraphs}
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Local bakery wins regional prize</a></li>
<li><a href="/b">Ferry timetable changes for winter</a></li></ul></aside>
<footer>&copy; 2025 The Harbour Gazette. All rights reserved.</footer>
</body></html>"""


def article_html(title: str, date: str, paragraphs: list[str]) -> str:
    """A small news page of our own, with navigation, sidebar and footer around the article."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return ARTICLE_HTML.format(title=title, date=date, paragraphs=body)


def lorem_paragraphs(topic: str, n: int = 4) -> list[str]:
    """Distinct, article-like paragraphs about `topic` (our own filler text)."""
    return [f"Officials in {topic} said on Monday that the inquiry into the incident, paragraph {i}, "
            f"would continue for several weeks while inspectors examine the damaged sections of the "
            f"harbour wall and interview the crew members who were on duty that night." for i in range(n)]


@pytest.fixture
def cli():
    from storyline.cli import app

    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return run


@pytest.fixture
def cli_json(cli):
    def run(*args: str):
        return json.loads(cli(*args, "--json").stdout)

    return run


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "test.db")
