"""Fuzz the ingest: random bytes and mutated real inputs (the seeds, the sample corpus, containers built from
them) under every input name, each through `pipeline.ingest`, then story placement over all of them.

Holds when no input raises, every input leaves at least one count (article, duplicate, pending URL or error
row), the database passes its integrity check and every stored article is in exactly one story.

    python benchmarks/bench_fuzz.py [--count 2000] [--seed 15]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "examples" / "seeds"
SAMPLES = REPO / "samples"
NAMES = (".txt", ".html", ".xml", ".rss", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz")


def seed_files() -> list[tuple[str, bytes]]:
    """(extension, bytes) of every real input, plus a JSONL, a .jsonl.gz and a WARC.gz built from them."""
    found = [(p.suffix, p.read_bytes()) for folder in (SEEDS, SAMPLES / "html", SAMPLES / "pages", SAMPLES / "feeds")
             for p in sorted(folder.glob("*")) if p.is_file() and p.suffix in (".txt", ".html", ".xml", ".jsonl")]
    texts = [data.decode("utf-8", "replace") for ext, data in found if ext == ".txt"]
    lines = "".join(json.dumps({"title": t.splitlines()[0][:200], "text": t, "url": f"https://seed.example/{i}"}) + "\n"
                    for i, t in enumerate(texts))
    found += [(".jsonl", lines.encode()), (".jsonl.gz", gzip.compress(lines.encode()))]
    pages = [(f"https://seed.example/page{i}", data) for i, (ext, data) in enumerate(found) if ext == ".html"]
    if pages:
        found.append((".warc.gz", _warc(pages)))
    return found


def _warc(pages: list[tuple[str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html),
                                                      http_headers=headers))
    return out.getvalue()


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 1 + len(out) // 200)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _cut(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randint(0, len(data))]


def _insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    junk = rng.choice([rng.randbytes(rng.randint(1, 64)), b"\x00" * rng.randint(1, 16), "\u202e\u200b\ufeff".encode(),
                       b"<script>alert(1)</script>", b"\xed\xa0\x80", b"\n" * 50, b'{"text": ', b"WARC/1.0\r\n",
                       b"<rss><channel><item>", b"]]>--><!--", "é ç è".encode("cp1252")])
    return data[:at] + junk + data[at:]


def _chunk(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        return data
    start = rng.randrange(len(data))
    end = min(len(data), start + rng.randint(1, 4096))
    if rng.random() < 0.5:
        return data[:start] + data[end:]
    return data[:end] + data[start:end] * rng.randint(2, 20) + data[end:]


def _reencode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    return text.encode(rng.choice(["utf-16-le", "utf-16-be", "utf-16", "cp1252", "latin-1", "utf-32"]), "replace")


def _compress(rng: random.Random, data: bytes) -> bytes:
    packed = gzip.compress(data)
    return packed[:rng.randint(10, len(packed))] if rng.random() < 0.5 else packed


MUTATORS = (_flip, _cut, _insert, _chunk, _reencode, _compress)


def fuzz_inputs(count: int, seed: int) -> list[tuple[str, bytes]]:
    """`count` (name suffix, bytes) inputs: about one in six random bytes, the rest mutated seeds."""
    rng = random.Random(seed)
    seeds = seed_files()
    inputs = []
    for _ in range(count):
        if rng.random() < 1 / 6:
            ext, data = rng.choice(NAMES), rng.randbytes(rng.choice([0, 1, 100, 4096, 65536]))
        else:
            ext, data = rng.choice(seeds)
            for mutate in rng.sample(MUTATORS, rng.randint(1, 3)):
                data = mutate(rng, data)
            if rng.random() < 0.2:
                ext = rng.choice(NAMES)
        inputs.append((ext, data))
    return inputs


def run(count: int, seed: int, folder: Path) -> dict:
    """Ingest `count` fuzzed inputs into a new database under `folder`; the tallies and any broken invariant."""
    from storyline.cluster.assign import assign_new_articles
    from storyline.pipeline import ingest
    from storyline.store import Store
    from storyline.store import stories as story_store

    crashes, silent = [], []
    tally: Counter[str] = Counter()
    with Store(folder / "fuzz.db") as store:
        for number, (ext, data) in enumerate(fuzz_inputs(count, seed)):
            path = folder / f"{number:05d}{ext}"
            path.write_bytes(data)
            try:
                summary = ingest([str(path)], store, stories=False)
            except Exception:
                crashes.append((path.name, traceback.format_exc(limit=3)))
                continue
            tally.update(summary.to_json())
            if not (summary.read or summary.failed or summary.pending):
                silent.append(path.name)
        assign_new_articles(store)
        placed = [p.article_id for p in story_store.placements(store)]
        return {"tried": count, "crashes": crashes, "silent": silent, "integrity": store.integrity_ok(),
                "articles": store.count_articles(), "placed": len(placed),
                "placed_twice": len(placed) - len(set(placed)), "error_rows": len(store.failures()), **tally}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        result = run(args.count, args.seed, Path(folder))
    elapsed = time.perf_counter() - started
    print(f"fuzz: {result['tried']} inputs tried in {elapsed:.0f} s ({result['tried'] / elapsed:.1f}/s): "
          f"{result['new']} new articles, {result['duplicates']} duplicates, {result['pending']} pending, "
          f"{result['error_rows']} error rows ({result['failed']} failures); crashes {len(result['crashes'])}, "
          f"inputs with no trace {len(result['silent'])}, integrity {'ok' if result['integrity'] else 'BROKEN'}, "
          f"articles {result['articles']} placed {result['placed']} (twice {result['placed_twice']})")
    for name, trace in result["crashes"][:5]:
        print(f"--- {name}\n{trace}")
    ok = (not result["crashes"] and not result["silent"] and result["integrity"]
          and result["placed"] == result["articles"] and not result["placed_twice"])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
