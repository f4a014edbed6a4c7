"""Spark extraction throughput: local[1] vs local[2] vs the single-machine `storyline ingest`, in one run.

Builds a WARC set from trafilatura's evaluation pages (`make_warc_set.py`, in a temporary
folder), then times on the same files:
1. the single-machine path: `storyline.pipeline.ingest` into a fresh SQLite file;
2. `storyline spark extract` (`run_extract`, Parquet out) at each master, session start excluded.
Prints records/s, the local[2] / local[1] speed-up (target >= 1.7) and Spark local[1] as a ratio
to ingest (target >= 0.7, i.e. overhead <= 30%), and the load average, since the machine may be
shared. Run it on an otherwise idle machine for figures worth quoting.

    python benchmarks/bench_spark.py [--records 20000] [--files 40] [--masters local[1],local[2]] [--no-ingest]
    python benchmarks/bench_spark.py --stories [--master local[2]] [--max-block 2000]

--stories measures what blocking costs: on the clustering evaluation sets (ECB+, GVC), the
Spark stories (`spark extract` + `spark stories` + `import`) against the single-machine stories
(`ingest`, which places them), as pairwise precision/recall/F1 of the Spark stories taking the
single-machine ones as reference, and both against the gold events (B-cubed F1).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import SHARED
from make_warc_set import make_warc_set

MONTH_OF_NEWS = 11_500_000  # articles in one month of a news crawl
_TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu() -> float:
    """CPU seconds used so far by this process and its descendants (the JVM, Python workers), from /proc.

    Unlike wall time, this does not grow when other processes share the cores.
    """
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = (int(fields[1]), sum(int(v) for v in fields[11:15]))  # ppid, u+s+cu+cs time
    tree, frontier = set(), {os.getpid()}
    while frontier:
        tree |= frontier
        frontier = {pid for pid, (ppid, _) in stats.items() if ppid in frontier} - tree
    return sum(stats[pid][1] for pid in tree if pid in stats) / _TICK


def time_ingest(folder: Path, workdir: Path) -> tuple[float, dict]:
    from storyline.pipeline import ingest
    from storyline.store import Store

    with Store(workdir / "single.db") as store:
        start, cpu = time.perf_counter(), tree_cpu()
        summary = ingest([str(folder)], store)
        return time.perf_counter() - start, tree_cpu() - cpu, summary.to_json()


def time_spark(folder: Path, workdir: Path, master: str) -> tuple[float, float, float, dict]:
    from storyline.spark.extract import run_extract
    from storyline.spark.session import get_session

    start = time.perf_counter()
    spark = get_session(master, app_name=f"bench-{master}")
    spark.sparkContext.parallelize(range(4), 4).count()  # executors and Python workers up
    started = time.perf_counter() - start
    try:
        start, cpu = time.perf_counter(), tree_cpu()
        out = workdir / f"{master.replace('[', '-').replace(']', '')}.parquet"  # no glob characters
        summary = run_extract(spark, [str(folder)], str(out))
        seconds, cpu = time.perf_counter() - start, tree_cpu() - cpu
        size = sum(path.stat().st_size for path in out.rglob("*.parquet"))
        return started, seconds, cpu, {**summary.to_json(), "parquet_mb": round(size / 2**20, 1)}
    finally:
        spark.stop()


def _pairs(clusters: Counter) -> int:
    return sum(math.comb(n, 2) for n in clusters.values())


def pairwise(ours: dict[str, int], reference: dict[str, int]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering against a reference (same items)."""
    both = _pairs(Counter((ours[k], reference[k]) for k in ours))
    p = both / (_pairs(Counter(ours.values())) or 1)
    r = both / (_pairs(Counter(reference.values())) or 1)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def bcubed_f1(ours: dict[str, int], gold: dict[str, str]) -> float:
    """B-cubed F1 of a clustering against gold labels."""
    cells, sizes, golds = Counter((ours[k], gold[k]) for k in ours), Counter(ours.values()), Counter(gold.values())
    p = sum(cells[ours[k], gold[k]] / sizes[ours[k]] for k in ours) / len(ours)
    r = sum(cells[ours[k], gold[k]] / golds[gold[k]] for k in ours) / len(ours)
    return 2 * p * r / (p + r)


def story_of(db: Path) -> dict[str, int]:
    """Article URL -> story id in a database."""
    from storyline.store import Store
    from storyline.store import stories as story_store

    with Store(db) as store:
        urls = dict(store.db.execute("SELECT id, url FROM articles"))
        return {urls[i]: story.id for story in story_store.stories(store) for i in story.article_ids}


def bench_stories(master: str, max_block: int, workdir: Path) -> None:
    from storyline.pipeline import ingest
    from storyline.spark.extract import run_extract
    from storyline.spark.load import run_import
    from storyline.spark.session import get_session
    from storyline.spark.stories import run_stories
    from storyline.store import Store

    spark = get_session(master, app_name="bench-stories")
    for name in ("gvc", "ecbplus"):
        gold, path = {}, workdir / f"{name}.jsonl"
        with open(SHARED / "data" / "clustering" / f"{name}_doc_clusters.jsonl") as lines, open(path, "w") as out:
            for line in lines:
                doc = json.loads(line)
                url = f"https://eval.example/{doc['id']}"
                gold[url] = doc["cluster"]
                out.write(json.dumps({"url": url, "title": doc["title"] or None, "text": doc["text"],
                                      "published": doc["date"]}) + "\n")
        start = time.perf_counter()
        with Store(workdir / f"{name}-single.db") as store:
            ingest([str(path)], store)
        single_s = time.perf_counter() - start
        start = time.perf_counter()
        run_extract(spark, [str(path)], str(workdir / f"{name}.parquet"))
        summary = run_stories(spark, str(workdir / f"{name}.parquet"), str(workdir / f"{name}-stories.parquet"),
                              max_block=max_block)
        with Store(workdir / f"{name}-spark.db") as store:
            run_import(spark, [str(workdir / f"{name}-stories.parquet")], store)
        spark_s = time.perf_counter() - start
        single, ours = story_of(workdir / f"{name}-single.db"), story_of(workdir / f"{name}-spark.db")
        p, r, f1 = pairwise(ours, single)
        print(f"{name}: {len(single)} articles; single machine {len(set(single.values()))} stories "
              f"(B3 F1 vs gold {bcubed_f1(single, gold):.3f}, {single_s:.0f} s); spark {summary.stories} stories in "
              f"{summary.blocks} blocks (largest {summary.largest_block}; B3 F1 vs gold {bcubed_f1(ours, gold):.3f}, "
              f"{spark_s:.0f} s); spark vs single: pairwise P {p:.3f} R {r:.3f} F1 {f1:.3f}, "
              f"identical partition: {p == r == 1.0}",
              flush=True)
    spark.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--masters", default="local[1],local[2]")
    parser.add_argument("--no-ingest", action="store_true", help="time only Spark (no ratio to ingest)")
    parser.add_argument("--stories", action="store_true", help="measure the stories approximation instead")
    parser.add_argument("--master", default="local[2]", help="master of the --stories run")
    parser.add_argument("--max-block", type=int, default=2000)
    args = parser.parse_args()
    if args.stories:
        with tempfile.TemporaryDirectory() as tmp:
            bench_stories(args.master, args.max_block, Path(tmp))
        return
    masters = args.masters.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        folder = workdir / "warc"
        make_warc_set(folder, args.records, args.files)
        print(f"set: {args.records} records in {args.files} WARC files; cores {os.cpu_count()}; "
              f"load before {os.getloadavg()[0]:.2f}", flush=True)
        rates, cpu_rates = {}, {}
        if not args.no_ingest:
            seconds, cpu, summary = time_ingest(folder, workdir)
            rates["ingest"], cpu_rates["ingest"] = args.records / seconds, args.records / cpu
            print(f"ingest (single machine): {rates['ingest']:.1f} records/s, {cpu_rates['ingest']:.1f} records per "
                  f"CPU-s ({seconds:.0f} s; {summary}; load {os.getloadavg()[0]:.2f})", flush=True)
        for master in masters:
            started, seconds, cpu, summary = time_spark(folder, workdir, master)
            rates[master], cpu_rates[master] = args.records / seconds, args.records / cpu
            print(f"spark {master}: {rates[master]:.1f} records/s, {cpu_rates[master]:.1f} records per CPU-s "
                  f"({seconds:.0f} s, session start {started:.0f} s; {summary['new']} articles "
                  f"({summary['parquet_mb']} MB of Parquet), "
                  f"{summary['duplicates']} duplicates, {summary['failed']} failed; load {os.getloadavg()[0]:.2f})",
                  flush=True)
    one, two = rates.get("local[1]"), rates.get("local[2]")
    if one:
        if "ingest" in rates:
            print(f"spark local[1] / ingest: {one / rates['ingest']:.2f} in records/s, "
                  f"{cpu_rates['local[1]'] / cpu_rates['ingest']:.2f} per CPU-s  (target >= 0.70: overhead <= 30%)")
        core_hours = MONTH_OF_NEWS / cpu_rates["local[1]"] / 3600
        print(f"one month of news ({MONTH_OF_NEWS:,} articles) at {cpu_rates['local[1]']:.1f} records per CPU-s: "
              f"{core_hours:,.0f} core-hours, e.g. {core_hours / 128:.1f} h on 128 cores")
    if one and two:
        print(f"speed-up local[2] / local[1]: {two / one:.2f}  (target >= 1.7)")


if __name__ == "__main__":
    main()
