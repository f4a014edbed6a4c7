"""Contradiction detection: precision and recall on our own statement pairs, and on the samples corpus truth.

Gold: benchmarks/data/contradictions.jsonl (how it was built: benchmarks/data/contradictions_README.md).
Each pair becomes two one-sentence articles of two independent sources, published the same day; they go
through the real analyse stage and `compare_story`; a pair is predicted "contradiction" when the comparison
reports any contradiction. Baseline in the same run: a naive detector that calls two statements
contradictory when their first numbers differ (what a table of "numbers per source" without alignment gives).
Second part: the fictional samples corpus (samples/truth.json), per story: truth contradictions found, and
reported contradictions that are not in the truth.

    .venv/bin/python benchmarks/bench_contradictions.py [--errors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

from common import REPO

from storyline.analyse import analyse_many
from storyline.compare import compare_story
from storyline.models import Article

GOLD = REPO / "benchmarks" / "data" / "contradictions.jsonl"
PUBLISHED = "2025-03-05"


def _article(article_id: int, text: str, published: str) -> Article:
    return Article(source=f"pair-{article_id}", url=None, title=None, published=published, published_evidence=None,
                   published_confidence=1.0, publisher=f"Source {article_id}", authors=[], credited=[],
                   language="en", text=text, removed=[], captions=[], format="body", id=article_id)


def _first_number(text: str) -> str | None:
    words = {"one": "1", "two": "2", "three": "3", "seven": "7", "nine": "9", "eleven": "11", "fourteen": "14",
             "twenty": "20", "thirty": "30"}
    match = re.search(r"\d[\d,.]*|\b(" + "|".join(words) + r")\b", text, re.I)
    return None if not match else words.get(match.group(0).lower(), match.group(0).replace(",", ""))


def _scores(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int, int]:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    return tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 0.0, tp, fp, fn


def gold_pairs(errors: bool) -> None:
    """Score ours and the baseline on the written pairs per split (dev: written while building; test: after)."""
    items = [json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()]
    results = []  # (split, gold, ours, baseline)
    for item in items:
        articles = [_article(1, item["a"], item.get("published", PUBLISHED)),
                    _article(2, item["b"], item.get("published", PUBLISHED))]
        facts = {a.id: f.to_json() for a, f in zip(articles, analyse_many(articles), strict=True)}
        found = compare_story(articles, facts, []).contradictions
        gold = item["label"] == "contradiction"
        results.append((item["split"], gold, bool(found), _first_number(item["a"]) != _first_number(item["b"])))
        if errors and gold != bool(found):
            print(f"  {'MISSED' if gold else 'FALSE'} {item['id']} ({item['pattern']}): {item['a']} | {item['b']}"
                  + (f" -> {[c.attribute for c in found]}" if found else ""))
    for split in ("dev", "test", "all"):
        rows = [r for r in results if split in ("all", r[0])]
        n_c = sum(r[1] for r in rows)
        print(f"{split} pairs: {len(rows)} ({n_c} contradictions, {len(rows) - n_c} compatible)")
        for name, pairs in (("ours", [(r[1], r[2]) for r in rows]),
                            ("baseline (first numbers differ)", [(r[1], r[3]) for r in rows])):
            p, r, tp, fp, fn = _scores(pairs)
            print(f"  {name:32s} precision {p:.3f}  recall {r:.3f}  (tp {tp}, fp {fp}, fn {fn})")


def samples_truth() -> None:
    """Truth contradictions of samples/truth.json found, and how many reported ones the truth does not list."""
    from storyline.pipeline import facts_for, ingest
    from storyline.store import Store
    from storyline.store import stories as story_store

    samples = REPO / "samples"
    truth = json.loads((samples / "truth.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "s.db")
        ingest([str(samples)], store)
        names = {a.id: str(Path(a.source).relative_to(samples)) if "#" not in a.source else
                 str(Path(a.source.split("#")[0]).relative_to(samples)) + "#" + a.source.split("#")[1]
                 for a in store.articles()}
        reported = []
        for row in story_store.stories(store):
            copies = [(c.article_id, c.copy_of) for c in story_store.copies(store, row.article_ids)]
            comparison = compare_story([store.article(i) for i in row.article_ids],
                                       facts_for(store, row.article_ids), copies)
            reported += [{names[i] for v in c.values for i in v.article_ids} for c in comparison.contradictions]
        store.close()
    expected = [set(c["values"]) for c in truth["contradictions"]]
    found = sum(any(len(e & r) >= 2 for r in reported) for e in expected)
    true_reports = sum(any(len(e & r) >= 2 for e in expected) for r in reported)
    print(f"samples corpus: truth contradictions found {found}/{len(expected)}; "
          f"reported {len(reported)}, of which matching the truth {true_reports} "
          f"(precision {true_reports / len(reported) if reported else 1.0:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print the pairs the detector gets wrong")
    args = parser.parse_args()
    gold_pairs(args.errors)
    samples_truth()


if __name__ == "__main__":
    sys.exit(main())
