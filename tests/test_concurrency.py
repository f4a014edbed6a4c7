"""Two writers on one database: story steps of concurrent ingests and recluster never collide, and every
article ends up in exactly one story."""

from __future__ import annotations

import json
import subprocess
import sys
import time

STEP = """
import sys, time
from pathlib import Path
from storyline.cluster import assign
from storyline.pipeline import ingest
from storyline.store import Store
from storyline.store import stories
db, go, what = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
if what[0] in ("assign", "recluster"):  # a long story step: its writes come 3 s after its reads
    for name in ("append", "replace_all"):
        write = getattr(stories, name)
        setattr(stories, name, lambda *args, write=write: time.sleep(3) or write(*args))
with Store(db) as store:
    while not go.exists():
        time.sleep(0.01)
    if what == ["assign"]:
        assign.assign_new_articles(store)
    elif what == ["recluster"]:
        assign.recluster(store)
    else:
        ingest(what, store)
"""


def jsonl(path, start: int, count: int) -> None:
    lines = [json.dumps({"url": f"https://filler.example/{i}", "title": f"Council {i} votes on harbour plan {i % 7}",
                         "published": f"2025-04-{1 + i % 28:02d}", "text": " ".join(
                             f"Council {i} in district {i % 37} voted on item {j} of harbour plan {i % 7} after a "
                             f"debate about costs of {100 + i * 7 + j} million reported by residents of street "
                             f"{i * 3 + j}." for j in range(8))}) for i in range(start, start + count)]
    path.write_text("\n".join(lines) + "\n")


def run_together(tmp_path, db, *steps: list[str]) -> None:
    """Start the steps in separate processes, release them at once, and require that each succeeds."""
    go = tmp_path / "go"
    go.unlink(missing_ok=True)
    procs = [subprocess.Popen([sys.executable, "-c", STEP, str(db), str(go), *step], stderr=subprocess.PIPE,
                              text=True) for step in steps]
    time.sleep(1.0)  # let both import and open the database
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]


def placed_once(db) -> tuple[int, int]:
    from storyline.store import Store
    from storyline.store import stories as story_store

    with Store(db, readonly=True) as store:
        placements = [p.article_id for p in story_store.placements(store)]
        assert len(placements) == len(set(placements))
        return store.count_articles(), len(placements)


def test_two_story_steps_at_once(tmp_path, cli):
    db = tmp_path / "two.db"
    jsonl(tmp_path / "a.jsonl", 0, 60)
    cli("ingest", tmp_path / "a.jsonl", "--db", db, "--no-stories")
    run_together(tmp_path, db, ["assign"], ["assign"])
    assert placed_once(db) == (60, 60)


def test_recluster_beside_an_ingest(tmp_path, cli):
    db = tmp_path / "re.db"
    jsonl(tmp_path / "a.jsonl", 0, 60)
    jsonl(tmp_path / "b.jsonl", 1000, 3)
    cli("ingest", tmp_path / "a.jsonl", "--db", db)
    run_together(tmp_path, db, ["recluster"], [str(tmp_path / "b.jsonl")])
    assert placed_once(db) == (63, 63)
