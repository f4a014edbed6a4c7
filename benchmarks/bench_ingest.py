"""Ingest speed and memory.

1. Speed: articles/s of the full `storyline ingest` (read, decode, extract, metadata, language, what the
   story step derives from each article, store, then copies and stories) over trafilatura's 990 evaluation
   pages, as a ratio to `trafilatura.extract` alone on the same pages in the same run (target >= 0.8 with
   one worker per core); also the ratio without the story step (`--no-stories`). Measured with one
   extraction process and with one per core (the default); `--runs N` repeats the whole measure.
2. A later ingest: the story step of an ingest of the second half of the pages into a database that holds the
   first half, placed (its cost should follow the new articles, not the store).
3. Memory: peak RSS of `storyline ingest --workers 1` on a 1,000- and a 5,000-record WARC built from
   the same pages (1,980 and 5,940 records, every one its own publication; streaming: the two should be close).

    python benchmarks/bench_ingest.py [--limit N] [--runs N] [--skip-memory] [--skip-later]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import trafilatura_eval_pages, write_warc


def bench_speed(pages: list[tuple[str, bytes]], workdir: Path) -> dict:
    import trafilatura

    from storyline.cluster.assign import recluster
    from storyline.pipeline import default_workers, ingest
    from storyline.sources.files import decode
    from storyline.store import Store

    folder = workdir / "pages"
    folder.mkdir()
    for i, (_, data) in enumerate(pages):
        (folder / f"{i:04d}.html").write_bytes(data)
    texts = [decode(data) for _, data in pages]

    start = time.perf_counter()
    for html in texts:
        trafilatura.extract(html)
    baseline = time.perf_counter() - start

    runs = {}
    for workers in (1, default_workers()):
        with Store(workdir / f"bench-{workers}.db") as store:
            start = time.perf_counter()
            summary = ingest([str(folder)], store, stories=False, workers=workers)
            extract_only = time.perf_counter() - start
            start = time.perf_counter()
            recluster(store)
            stories = time.perf_counter() - start
        ours = extract_only + stories
        runs[workers] = {"storyline_s": ours, "stored": summary.new, "failed": summary.failed,
                         "ratio": baseline / ours, "ratio_without_stories": baseline / extract_only}
    return {"pages": len(pages), "trafilatura_s": baseline, "runs": runs}


def bench_later_ingest(pages: list[tuple[str, bytes]], workdir: Path) -> float:
    """Seconds of the story step of a second ingest (the second half of the pages) after a first one."""
    from storyline.cluster.assign import assign_new_articles
    from storyline.pipeline import default_workers, ingest
    from storyline.store import Store

    half = len(pages) // 2
    folders = [workdir / "first", workdir / "second"]
    for folder, part in zip(folders, (pages[:half], pages[half:]), strict=True):
        folder.mkdir()
        for i, (_, data) in enumerate(part):
            (folder / f"{i:04d}.html").write_bytes(data)
    with Store(workdir / "later.db") as store:
        ingest([str(folders[0])], store, workers=default_workers())
        ingest([str(folders[1])], store, stories=False, workers=default_workers())
        start = time.perf_counter()
        assign_new_articles(store)
        return time.perf_counter() - start


_MEASURE = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def peak_rss_of_ingest(warc: Path, db: Path) -> float:
    """Peak RSS (MiB) of one `storyline ingest` process, measured by a fresh parent of its own."""
    command = [sys.executable, "-m", "storyline", "ingest", str(warc), "--db", str(db), "--json", "--workers", "1"]
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], check=True, capture_output=True, text=True)
    return int(result.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N pages")
    parser.add_argument("--runs", type=int, default=1, help="repeat the speed measure this many times")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-later", action="store_true", help="skip the measure of a second ingest")
    args = parser.parse_args()
    pages = list(trafilatura_eval_pages())[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        ratios: dict[int, list[tuple[float, float]]] = {}
        for number in range(args.runs):
            workdir = Path(tmp) / f"run{number}"
            workdir.mkdir()
            speed = bench_speed(pages, workdir)
            print(f"speed on {speed['pages']} pages: trafilatura.extract "
                  f"{speed['pages'] / speed['trafilatura_s']:.1f} pages/s (one process)")
            for workers, run in speed["runs"].items():
                print(f"  storyline ingest --workers {workers}: {speed['pages'] / run['storyline_s']:.1f} articles/s "
                      f"(stored {run['stored']}, failed {run['failed']})  ratio {run['ratio']:.2f}; "
                      f"without story assignment (--no-stories): ratio {run['ratio_without_stories']:.2f}")
                ratios.setdefault(workers, []).append((run["ratio"], run["ratio_without_stories"]))
        if args.runs > 1:
            for workers, values in ratios.items():
                with_stories, without = sorted(v[0] for v in values), sorted(v[1] for v in values)
                print(f"  --workers {workers} over {args.runs} runs: ratio {with_stories[len(values) // 2]:.2f} "
                      f"(median; {with_stories[0]:.2f}-{with_stories[-1]:.2f}), without the story step "
                      f"{without[len(values) // 2]:.2f} ({without[0]:.2f}-{without[-1]:.2f})  (target >= 0.8)")
        workdir = Path(tmp)
        if not args.skip_later:
            later = workdir / "later"
            later.mkdir()
            seconds = bench_later_ingest(pages, later)
            print(f"later ingest: story step of {len(pages) - len(pages) // 2} new pages after "
                  f"{len(pages) // 2} placed: {seconds:.2f} s")
        if args.skip_memory:
            return
        sizes = {}
        for records in (1000, 5000):
            copies = -(-records // len(pages))
            warc = workdir / f"{records}.warc.gz"
            total = write_warc(warc, pages, copies=copies)
            sizes[records] = (total, peak_rss_of_ingest(warc, workdir / f"mem{records}.db"))
        (n1, m1), (n5, m5) = sizes[1000], sizes[5000]
        print(f"memory: peak RSS {m1:.0f} MiB for {n1} WARC records, {m5:.0f} MiB for {n5} records "
              f"(growth x{m5 / m1:.2f} for x{n5 / n1:.1f} records)")


if __name__ == "__main__":
    main()
