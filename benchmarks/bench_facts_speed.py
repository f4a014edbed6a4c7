"""Speed of facts extraction as a ratio to spaCy's own `nlp.pipe` over the same texts, same run.

Texts: the first N (default 300) ECB+ articles of ../shared/data/clustering/ecbplus_doc_clusters.jsonl
(title + body, with their date when known), read in place.
- spaCy: `nlp.pipe(texts, batch_size=B)` with the pipeline and components our analyser uses (the same
  `get_nlp()` object: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), docs consumed.
- ours: `analyse_many(articles, batch_size=B)`, the whole analyse stage (the same parse plus entities,
  places, quantities, quotes, times, events and sentences), facts consumed.
Both run warm (one untimed pass each first), alternating every CHUNK (default 50) articles with the
side that goes first swapped each time, so load from other processes hits both alike; each side's time is
summed over the chunks, best of R rounds (default 3). The ratio is spaCy's time over ours (1.0 = our
layer costs nothing; target >= 0.6), on process CPU time (robust on a shared machine; spaCy's small
model runs on one thread here) and on wall time.

    nice .venv/bin/python benchmarks/bench_facts_speed.py [--n 300] [--rounds 3] [--batch 16] [--chunk 50]
    nice .venv/bin/python benchmarks/bench_facts_speed.py --n 100 --profile
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clustering" / "ecbplus_doc_clusters.jsonl"


def articles(n: int):
    from storyline.models import Article

    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines()[:n]:
        row = json.loads(line)
        text = f"{row['title']}\n\n{row['text']}" if row["title"] else row["text"]
        out.append(Article(source="ecbplus", url=row.get("source_url") or f"https://ecbplus.example/{row['id']}",
                           title=row["title"] or None, published=row["date"], published_evidence=None,
                           published_confidence=1.0, publisher=None, authors=[], credited=[], language="en",
                           text=text, removed=[], captions=[], format="text"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--chunk", type=int, default=50, help="alternate the two sides every CHUNK articles")
    ap.add_argument("--profile", action="store_true", help="cProfile one pass of ours (top 25 by own time)")
    args = ap.parse_args()

    from storyline.analyse import analyse_many
    from storyline.analyse.nlp import get_nlp

    arts = articles(args.n)
    nlp = get_nlp()
    if args.profile:
        import cProfile
        import pstats

        list(analyse_many(arts[:20], batch_size=args.batch))
        prof = cProfile.Profile()
        prof.enable()
        list(analyse_many(arts, batch_size=args.batch))
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        pstats.Stats(prof).sort_stats("cumulative").print_stats("storyline", 30)
        return

    def spacy_side(part: list) -> None:
        for _ in nlp.pipe([a.text for a in part], batch_size=args.batch):
            pass

    def ours_side(part: list) -> None:
        for _ in analyse_many(part, batch_size=args.batch):
            pass

    spacy_side(arts)
    ours_side(arts)  # warm: models, gazetteer, caches
    sides = {"spacy": spacy_side, "ours": ours_side}
    best = {(side, clock): float("inf") for side in sides for clock in ("cpu", "wall")}
    for _ in range(args.rounds):
        total = dict.fromkeys(best, 0.0)
        for k, start in enumerate(range(0, len(arts), args.chunk)):
            part = arts[start : start + args.chunk]
            for side in sorted(sides, reverse=k % 2 == 1):  # alternate which side goes first
                c0, w0 = time.process_time(), time.perf_counter()
                sides[side](part)
                total[side, "cpu"] += time.process_time() - c0
                total[side, "wall"] += time.perf_counter() - w0
        best = {key: min(best[key], total[key]) for key in best}
    n = len(arts)
    chars = sum(len(a.text) for a in arts)
    print(f"{n} ECB+ articles ({chars / n:.0f} chars on average), batch {args.batch}, chunks of {args.chunk}, "
          f"best of {args.rounds}")
    for clock in ("cpu", "wall"):
        t_spacy, t_ours = best["spacy", clock], best["ours", clock]
        print(f"{clock:<4}  spaCy nlp.pipe {n / t_spacy:6.1f} articles/s   analyse_many {n / t_ours:6.1f} articles/s   "
              f"ratio {t_spacy / t_ours:.2f}")


if __name__ == "__main__":
    main()
