"""Build a WARC test set from trafilatura's 990 evaluation pages, replicated to N records over M files.

Every record gets its own target URL (so no two records are the same raw input: each one is
extracted, by `storyline ingest` as by `storyline spark extract`); the contents repeat, so the
articles are the 990 pages' (minus those with no text) and the rest count as duplicates.

    python benchmarks/make_warc_set.py OUTDIR [--records 20000] [--files 40]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from common import trafilatura_eval_pages, write_warc


def make_warc_set(folder: Path, records: int, files: int, pages: list[tuple[str, bytes]] | None = None) -> list[Path]:
    """Write `records` HTML response records spread evenly over `files` .warc.gz files in `folder`."""
    pages = pages if pages is not None else list(trafilatura_eval_pages())
    folder.mkdir(parents=True, exist_ok=True)
    numbered = ((f"r{index}/{name}", data) for index, (name, data) in
                enumerate(itertools.islice(itertools.cycle(pages), records)))
    paths = []
    for number in range(files):
        path = folder / f"part-{number:04d}.warc.gz"
        write_warc(path, list(itertools.islice(numbered, records // files + (number < records % files))))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write the .warc.gz files to (not the repository)")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=40)
    args = parser.parse_args()
    paths = make_warc_set(args.out, args.records, args.files)
    print(f"wrote {args.records} records in {len(paths)} files to {args.out}")


if __name__ == "__main__":
    main()
