"""Clustering throughput and its growth with stream size (no quadratic pair scoring).

    python benchmarks/bench_cluster_scale.py                 # 10,000 vs 100,000 articles
    python benchmarks/bench_cluster_scale.py --small 2000 --factor 5

The ECB+ and GVC documents are featurised once, then replicated: replica k is shifted
by k times the span of the data plus a gap (so stories of different replicas meet
only at the edges of the time window, as in a real stream) and its text perturbed
(a replica-specific name added, every 7th word dropped at an offset that depends on k).
Undated documents get a date inside their replica. Featurisation is timed apart, on
the base documents. Figures are ratios measured in this process: time(N*factor) / time(N)
should stay <= 1.2 * factor. Peak open stories show that memory is bounded by the window.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date

from bench_clustering import load

from storyline.cluster import Features, OnlineClusterer, featurize


def base_features() -> tuple[list[Features], float]:
    """Features of all ECB+ and GVC documents (undated ones dated inside the data's span) and docs/s."""
    docs = load("ecbplus") + load("gvc")
    days = [date.fromisoformat(d.date).toordinal() for d in docs if d.date]
    low, high = min(days), max(days)
    rng = random.Random(0)
    start = time.perf_counter()
    feats = []
    for d in docs:
        day = date.fromisoformat(d.date).toordinal() if d.date else rng.randint(low, high)
        feats.append(featurize(d.title, d.text, day=day, language="en"))
    rate = len(docs) / (time.perf_counter() - start)
    return feats, rate


def replicate(base: list[Features], n: int) -> list[Features]:
    """`n` perturbed copies of the base features, in date order."""
    days = [f.day for f in base if f.day is not None]
    span = max(days) - min(days) + 30
    out = []
    for i in range(n):
        k, j = divmod(i, len(base))
        f = base[j]
        shift = k * span
        offset = k % 7
        words = {w: c for t, (w, c) in enumerate(sorted(f.words.items())) if (t + offset) % 7}
        entities = dict(f.entities)
        entities[f"replica{k}"] = 1.0
        out.append(Features(words, entities, (f.day or 0) + shift, f.language))
    return sorted(out, key=lambda f: f.day or 0)


def run(feats: list[Features]) -> tuple[float, int, int]:
    """Seconds to cluster `feats`, number of stories, peak number of open stories."""
    clusterer = OnlineClusterer()
    peak = 0
    start = time.perf_counter()
    for i, f in enumerate(feats):
        clusterer.add(i, f)
        if i % 1000 == 0:
            peak = max(peak, clusterer.open_stories)
    return time.perf_counter() - start, len(clusterer.stories), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    base, feat_rate = base_features()
    print(f"featurisation: {len(base)} base documents at {feat_rate:.0f} docs/s")
    rows = []
    for n in (args.small, args.small * args.factor):
        seconds, stories, peak = run(replicate(base, n))
        rows.append((n, seconds, stories, peak))
        print(f"{n:>8} articles: {seconds:8.1f} s  {n / seconds:8.0f} articles/s  {stories:>7} stories  "
              f"peak open stories {peak}", flush=True)
    (n1, t1, _, _), (n2, t2, _, _) = rows
    ratio = t2 / t1
    print(f"time x{n2 // n1} articles = x{ratio:.2f} (target <= x{1.2 * n2 / n1:.0f}): "
          f"{'OK' if ratio <= 1.2 * n2 / n1 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
