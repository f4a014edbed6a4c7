"""A small fuzz run over the ingest (benchmarks/bench_fuzz.py runs the bigger one): random and mutated inputs
never raise, never vanish without a trace, and leave a sound database with every article in one story."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_fuzz import run  # noqa: E402


def test_fuzzed_inputs_through_ingest(tmp_path):
    result = run(80, seed=7, folder=tmp_path)
    print(f"fuzz: {result['tried']} inputs tried, {result['new']} new articles, {result['error_rows']} error rows")
    assert result["tried"] == 80 and not result["crashes"], result["crashes"][:3]
    assert not result["silent"] and result["integrity"]
    assert result["new"] > 0 and result["error_rows"] > 0  # the mix holds readable and unreadable inputs
    assert result["placed"] == result["articles"] and not result["placed_twice"]
