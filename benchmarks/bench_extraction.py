"""HTML extraction benchmarks: ours (storyline.extract.html) next to a baseline run in the same process.

    python benchmarks/bench_extraction.py aeb        # Article Extraction Benchmark, body F1
    python benchmarks/bench_extraction.py traf       # trafilatura eval: body F1, title/date/author, speed
    python benchmarks/bench_extraction.py htmldate   # htmldate eval: date accuracy
    python benchmarks/bench_extraction.py all

Options: --part dev|test|all (the DEV half was used for tuning), --workers N (quality passes;
the speed pass is always single-process), --limit N (first N pages, for quick runs).
Data is read from ../shared/data/extraction at run time (see benchmarks/scoring.py).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import scoring  # noqa: E402
import trafilatura  # noqa: E402
from htmldate import find_date  # noqa: E402
from trafilatura.metadata import extract_metadata  # noqa: E402

from storyline.extract.html import extract_html  # noqa: E402


def _pool_map(func: Callable[[Any], Any], args: Sequence[Any], workers: int) -> list[Any]:
    if workers <= 1:
        return [func(a) for a in args]
    with ProcessPoolExecutor(workers, initializer=_quiet) as pool:
        return list(pool.map(func, args, chunksize=8))


def _quiet() -> None:
    logging.disable(logging.CRITICAL)


def _select(keys: list[str], part: str, limit: int | None) -> list[int]:
    return list(scoring.iter_dev(keys, part))[:limit]


# ---------------------------------------------------------------- AEB


def _aeb_one(args: tuple[str, str]) -> tuple[str, str]:
    html, url = args
    ours = extract_html(html, url).text
    base = trafilatura.extract(html, url=url) or ""
    return ours, base


def bench_aeb(part: str, workers: int, limit: int | None) -> None:
    """Body F1 on the AEB pages: ours vs trafilatura.extract defaults."""
    items = scoring.load_aeb()
    idx = _select([k for k, *_ in items], part, limit)
    out = _pool_map(_aeb_one, [(items[i][2], items[i][1]) for i in idx], workers)
    golds = [items[i][3] for i in idx]
    print(f"AEB ({len(idx)} pages, part={part})")
    for name, preds in (("storyline", [o[0] for o in out]), ("trafilatura default", [o[1] for o in out])):
        s = scoring.score_aeb(golds, preds)
        print(
            f"  {name:<22} F1 {s.f1:.4f} ± {s.f1_std:.4f}  P {s.precision:.4f}  R {s.recall:.4f}"
            f"  accuracy {s.accuracy:.3f}"
        )


# ---------------------------------------------------------------- trafilatura eval


def _traf_one(args: tuple[str, str]) -> tuple[str, str | None, str | None, str | None, str, Any]:
    html, url = args
    ours = extract_html(html, url)
    base_text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""
    base_meta = extract_metadata(html, url)
    return (
        ours.text,
        ours.title,
        ours.date.date if ours.date else None,
        "; ".join(ours.authors) or None,
        base_text,
        (base_meta.title, base_meta.date, base_meta.author),
    )


def _speed(pages: list[tuple[str, str]]) -> None:
    """Single-process articles/s: ours vs trafilatura.extract(html), interleaved page by page.

    Wall-clock and CPU time are both reported: on a shared machine CPU time is the steadier one.
    """
    wall = {"ours": 0.0, "base": 0.0}
    cpu = {"ours": 0.0, "base": 0.0}
    for html, url in pages:
        for who in ("base", "ours"):
            w, c = time.perf_counter(), time.process_time()
            if who == "base":
                trafilatura.extract(html)
            else:
                extract_html(html, url)
            wall[who] += time.perf_counter() - w
            cpu[who] += time.process_time() - c
    n = len(pages)
    for label, t in (("wall", wall), ("cpu", cpu)):
        print(
            f"  speed {label} (single process, {n} pages): storyline {n / t['ours']:.1f} articles/s, "
            f"trafilatura.extract {n / t['base']:.1f} articles/s, ratio {t['base'] / t['ours']:.3f} "
            f"(cost x{t['ours'] / t['base']:.2f})"
        )


def bench_traf(part: str, workers: int, limit: int | None, speed: bool) -> None:
    """trafilatura's 990-page evaluation: body snippets, metadata exact match, speed."""
    items = scoring.load_trafilatura_eval()
    idx = _select([it.url for it in items], part, limit)
    out = _pool_map(_traf_one, [(items[i].html, items[i].url) for i in idx], workers)
    body = {"storyline": scoring.SnippetScore(), "trafilatura": scoring.SnippetScore()}
    fields = {(who, f): scoring.FieldScore() for who in body for f in ("title", "date", "author")}
    for i, (text, title, date, author, base_text, base_meta) in zip(idx, out, strict=True):
        it = items[i]
        body["storyline"].add(text, it.with_, it.without)
        body["trafilatura"].add(base_text, it.with_, it.without)
        for who, vals in (("storyline", (title, date, author)), ("trafilatura", base_meta)):
            for f, gold, pred in zip(("title", "date", "author"), (it.title, it.date, it.author), vals, strict=True):
                fields[(who, f)].add(gold, pred)
    print(f"trafilatura-eval ({len(idx)} pages, part={part})")
    for who, s in body.items():
        line = f"  {who:<12} body P {s.precision:.4f} R {s.recall:.4f} F1 {s.f1:.4f} acc {s.accuracy:.4f}"
        for f in ("title", "date", "author"):
            fs = fields[(who, f)]
            line += f" | {f} {fs.raw}/{fs.total} = {fs.raw_rate:.3f} (norm {fs.norm_rate:.3f})"
        print(line)
    if speed:
        _speed([(items[i].html, items[i].url) for i in idx])


# ---------------------------------------------------------------- htmldate eval


def _date_one(args: tuple[str, str]) -> tuple[str | None, str | None]:
    html, url = args
    found = extract_html(html, url).date
    base = find_date(html, url=url, extensive_search=True, original_date=True)
    return (found.date if found else None), base


def bench_htmldate(part: str, workers: int, limit: int | None) -> None:
    """Date accuracy on htmldate's 1,000 pages: ours vs htmldate extensive (original date)."""
    items = scoring.load_htmldate_eval()
    idx = _select([u for u, *_ in items], part, limit)
    out = _pool_map(_date_one, [(items[i][1], items[i][0]) for i in idx], workers)
    print(f"htmldate-eval ({len(idx)} pages, part={part})")
    for k, name in enumerate(("storyline", "htmldate extensive")):
        ok = sum(out[j][k] == items[i][2] for j, i in enumerate(idx))
        none = sum(out[j][k] is None for j in range(len(idx)))
        wrong = len(idx) - ok - none
        prec = ok / (ok + wrong) if ok + wrong else 0.0
        print(f"  {name:<20} accuracy {ok / len(idx):.4f}  correct {ok} wrong {wrong} none {none}  P {prec:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=("aeb", "traf", "htmldate", "all"))
    parser.add_argument("--part", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-speed", action="store_true", help="skip the single-process speed pass")
    args = parser.parse_args()
    _quiet()
    if args.which in ("aeb", "all"):
        bench_aeb(args.part, args.workers, args.limit)
    if args.which in ("traf", "all"):
        bench_traf(args.part, args.workers, args.limit, not args.no_speed)
    if args.which in ("htmldate", "all"):
        bench_htmldate(args.part, args.workers, args.limit)


if __name__ == "__main__":
    main()
