"""Plain-text line cleaning: noise-F1 of our classifier vs a jusText baseline, same lines, same run.

    python benchmarks/bench_lines.py

Data: ../shared/data/extraction/plaintext-line-labels/turkunlp-oscar-line-quality,
TEST splits (label "0" = noise is the positive class). Ours is
`storyline.extract.text.classify_lines` (line model + page-level block passes),
exactly what `extract_text` uses. The baseline runs jusText (default settings)
over each document with every line as its own <p> paragraph, so jusText's
context smoothing between neighbouring paragraphs applies; stop-lists are
jusText's own for each language. English is the headline figure; de/es/fi are
for information. Then the seeds in ../shared/examples/seeds: lines kept/removed.
"""

from __future__ import annotations

import gzip
import html
import json
import sys
import time
from pathlib import Path

import justext

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.extract.text import classify_lines, extract_text  # noqa: E402

SHARED = REPO.parent / "shared"
DATA = SHARED / "data" / "extraction" / "plaintext-line-labels" / "turkunlp-oscar-line-quality"
STOPLISTS = {"en": "English", "de": "German", "es": "Spanish", "fi": "Finnish"}


def justext_noise(lines: list[str], stoplist: frozenset[str]) -> list[bool]:
    """jusText's boilerplate verdict per line, each line given as one paragraph."""
    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    paragraphs = justext.justext(page, stoplist)
    if len(paragraphs) != len(lines):
        raise ValueError(f"jusText returned {len(paragraphs)} paragraphs for {len(lines)} lines")
    return [p.is_boilerplate for p in paragraphs]


def scores(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the noise class."""
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def run_language(lang: str) -> dict[str, tuple[float, float, float]]:
    """Noise precision/recall/F1 for ours and the baseline on one language's test split."""
    with gzip.open(DATA / f"{lang}_test.json.gz", "rt", encoding="utf-8") as fh:
        docs = json.load(fh)
    stoplist = justext.get_stoplist(STOPLISTS[lang])
    gold: list[bool] = []
    ours: list[bool] = []
    base: list[bool] = []
    for doc in docs:
        pairs = [(t.strip(), lab) for t, lab in zip(doc["text"], doc["labels"], strict=True) if t.strip()]
        lines = [t for t, _ in pairs]
        if not lines:
            continue
        gold.extend(lab == "0" for _, lab in pairs)
        ours.extend(classify_lines(lines))
        base.extend(justext_noise(lines, stoplist))
    return {"lines": (len(gold), sum(gold), 0.0), "ours": scores(gold, ours), "justext": scores(gold, base)}


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"missing {DATA}")
    start = time.perf_counter()
    print("Noise-line F1 on TEST splits (positive class: label 0 = noise)")
    print(f"{'lang':4s} {'lines':>6s} {'noise':>6s} | {'ours P':>6s} {'R':>5s} {'F1':>5s} | "
          f"{'jusText P':>9s} {'R':>5s} {'F1':>5s}")
    for lang in ("en", "de", "es", "fi"):
        result = run_language(lang)
        n, noise, _ = result["lines"]
        op, orr, of1 = result["ours"]
        bp, br, bf1 = result["justext"]
        print(f"{lang:4s} {n:6d} {noise:6d} | {op:6.3f} {orr:5.3f} {of1:5.3f} | "
              f"{bp:9.3f} {br:5.3f} {bf1:5.3f}")
    seeds = sorted((SHARED / "examples" / "seeds").glob("*.txt"))
    if seeds:
        print("\nSeeds (non-empty lines): kept in text / captions / title / removed")
        for path in seeds:
            raw = path.read_text(encoding="utf-8")
            found = extract_text(raw)
            total = sum(1 for line in raw.splitlines() if line.strip())
            kept = len(found.text.split("\n\n")) if found.text else 0
            print(f"  {path.name:28s} lines {total:3d}  kept {kept:3d}  captions {len(found.captions)}  "
                  f"title {int(found.title is not None)}  removed {len(found.removed):3d}  "
                  f"date {found.date.date if found.date else None}")
    print(f"\n({time.perf_counter() - start:.1f}s)")


if __name__ == "__main__":
    main()
