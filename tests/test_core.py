"""The library core: `Storyline` gives what the CLI prints, and imports point down only (docs/architecture.md)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SAMPLES

from storyline import Storyline

PACKAGE = REPO / "src" / "storyline"
STORY_FIELDS = ["id", "title", "article_ids", "sources", "first_published", "last_published", "articles", "copies",
                "date_suspect", "undated", "farm_signals", "contradictions", "agreements", "single_source", "quotes",
                "headlines", "timeline", "summary", "independent_sources", "note"]
LOWER = ("models", "store", "sources", "extract", "dedup", "cluster", "analyse", "compare", "pipeline")
UPPER = ("storyline.core", "storyline.story", "storyline.report", "storyline.web", "storyline.cli", "storyline.spark")


def test_story_view_is_what_the_cli_prints(cli, db):
    cli("ingest", SAMPLES, "--db", db)
    with Storyline(db) as lib:
        largest = max(lib.stories(), key=lambda s: len(s.article_ids))
    printed = cli("story", largest.id, "--db", db, "--json").stdout  # analyses the articles and caches their facts
    with Storyline(db) as lib:
        view = lib.story(largest.id).to_json()
        assert [s.to_json() for s in lib.stories()] == json.loads(cli("stories", "--db", db, "--json").stdout)
        assert lib.report(largest.id, "json") == printed
        assert lib.story(10**6) is None and lib.report(10**6) is None
    assert json.loads(printed) == view
    assert printed == json.dumps(view, ensure_ascii=False, indent=2) + "\n"  # byte for byte
    assert list(view) == STORY_FIELDS  # the contract's fields, in its order
    assert len(view["articles"]) == len(largest.article_ids) > 1


def _imports(path: Path) -> set[str]:
    """The storyline modules (and names) a file imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: use absolute imports"
            found.add(node.module or "")
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "storyline"}


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_imports_point_down():
    """cli/web -> core (core.py, story.py) -> report, stages -> store -> models; nothing imports upwards."""
    modules = {p.relative_to(PACKAGE).as_posix(): _imports(p) for p in PACKAGE.rglob("*.py")}
    assert "store/stories.py" in modules and "core.py" in modules
    for where, names in modules.items():
        top = where.split("/")[0].removesuffix(".py")
        if top not in ("cli", "__main__"):  # `python -m storyline` runs the CLI
            assert not [n for n in names if _under(n, "storyline.cli")], where
        if top not in ("cli", "web"):
            assert not [n for n in names if _under(n, "storyline.web")], where
        if top == "store":
            assert all(_under(n, "storyline.store") or _under(n, "storyline.models") for n in names), where
        if top in LOWER:
            assert not [n for n in names if any(_under(n, upper) for upper in UPPER)], where


def test_cli_and_core_load_no_heavy_stack():
    """`storyline --help` stays fast: spaCy, the web and Spark stacks load only for the commands that use them."""
    heavy = ("spacy", "fastapi", "pyspark", "torch", "trafilatura", "datasketch", "storyline.analyse",
             "storyline.pipeline")
    code = f"import sys, storyline.cli; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
