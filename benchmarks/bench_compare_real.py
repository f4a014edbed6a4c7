"""The comparison on real news: every flag (contradiction, unsupported headline) against audited labels.

Runs the compare stage on each real story of a set of real multi-outlet news, grouped by hand (so that
clustering errors do not mix in), writes every flag with its evidence to `--flags` (a local file for
auditing: it holds article text, never commit it) and scores the flags against the audited labels in
`benchmarks/data/compare_audit.jsonl` (labels and short reasons only, no article text). Sets:

- `newscope`: `realnews/newscope_localnews` (Singapore and Malaysian local news, Google News grouping);
  stories split by a hash of their id into `dev` (what rules and thresholds were developed on) and `test`.
- `gvc`: the Gun Violence Corpus part in `clustering/` (US local news, one incident per story); its own split:
  `val` is dev, `test` is test.
- `ecbplus`: ECB+ (`clustering/`, news of 2008-2013 from many outlets, one event per story); the standard
  topic split: topics 36-45 are test, the rest dev.

    python benchmarks/bench_compare_real.py                 # newscope; lists flags that have no label yet
    python benchmarks/bench_compare_real.py --set gvc --min-confidence 0.7

A flag's key is a hash of the story and its evidence sentences, so a label stays with its flag across code
changes and only new flags need a new audit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from common import REPO, SHARED

NEWSCOPE = SHARED / "data" / "realnews" / "newscope_localnews" / "articles.jsonl"
CLUSTERING = SHARED / "data" / "clustering"
SETS = {"newscope": NEWSCOPE, "gvc": CLUSTERING / "gvc_doc_clusters.jsonl",
        "ecbplus": CLUSTERING / "ecbplus_doc_clusters.jsonl"}
LABELS = REPO / "benchmarks" / "data" / "compare_audit.jsonl"


def split_of(story: str) -> str:
    """The split of a story id: GVC's own and ECB+'s standard topic split; for newscope `test` for about 30 %
    of the stories by a hash of the story id, `dev` for the rest."""
    if story.startswith("gvc:"):
        return "test" if story.endswith(":test") else "dev"
    if story.startswith("ecbplus:"):
        return "test" if 36 <= int(story.split(":")[1].split("_")[0]) <= 45 else "dev"
    return "test" if int(hashlib.sha1(story.encode()).hexdigest(), 16) % 10 < 3 else "dev"


def story_of(name: str, record: dict) -> str:
    """The story id of one line of set `name` (prefixed by the set, with GVC's split in it)."""
    if name == "newscope":
        return record["story"]
    if name == "gvc":
        return f"gvc:{record['cluster']}:{record['gvc_split']}"
    return f"ecbplus:{record['cluster']}"


def ingest_file(name: str, folder: Path) -> Path:
    """The file to ingest for set `name`: newscope as it is; the clustering sets with `date` and `source_url`
    renamed to the `published` and `url` that the JSONL reader takes (a local copy in `folder`)."""
    if name == "newscope":
        return SETS[name]
    target = folder / f"{name}.jsonl"
    if not target.exists():
        with SETS[name].open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
            for line in lines:
                r = json.loads(line)
                out.write(json.dumps({"title": r["title"] or None, "text": r["text"], "published": r["date"],
                                      "url": r.get("source_url")}, ensure_ascii=False) + "\n")
    return target


def flag_key(story: str, kind: str, parts: list[str]) -> str:
    """A stable key for a flag: its story, kind and evidence sentences (order-free)."""
    text = "\x1f".join([story, kind, *sorted(parts)])
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def build(name: str, db: Path) -> None:
    """Ingest set `name` into `db` (once) and analyse every article (facts are cached in the database)."""
    from storyline.pipeline import facts_for, ingest
    from storyline.store import Store

    store = Store(db)
    if not store.articles():
        ingest([str(ingest_file(name, db.parent))], store)
    ids = [a.id for a in store.articles()]
    facts_for(store, ids)
    store.close()


def gold_stories(name: str, store) -> dict[str, list[int]]:
    """Story id -> stored article ids, from each JSONL line's story (the stored source ends in `#line`)."""
    lines = SETS[name].read_text(encoding="utf-8").splitlines()
    by_story: dict[str, list[int]] = defaultdict(list)
    for a in store.articles():
        n = int(a.source.rsplit("#", 1)[1])
        by_story[story_of(name, json.loads(lines[n - 1]))].append(a.id)
    return dict(by_story)


def run(name: str, db: Path) -> tuple[list[dict], int, float]:
    """Every flag of every story: {key, story, split, kind, confidence, ...evidence}; stories; seconds."""
    from storyline.compare import compare_story
    from storyline.pipeline import facts_for
    from storyline.store import Store
    from storyline.store import stories as story_store

    store = Store(db)
    stories = gold_stories(name, store)
    flags: list[dict] = []
    started = time.perf_counter()
    for story, ids in sorted(stories.items()):
        articles = [store.article(i) for i in ids]
        copies = [(c.article_id, c.copy_of) for c in story_store.copies(store, ids)]
        result = compare_story(articles, facts_for(store, ids), copies).to_json()
        for c in result["contradictions"]:
            evidence = [e for v in c["values"] for e in v["evidence"]]
            flags.append({"key": flag_key(story, "contradiction", evidence), "story": story,
                          "split": split_of(story), "kind": "contradiction",
                          "confidence": c.get("confidence"), "attribute": c["attribute"], "values": c["values"]})
        titles = {a.id: a.title for a in articles}
        for h in result["headlines"]:
            if h["supported"] is False:
                flags.append({"key": flag_key(story, "headline", [titles[h["article_id"]] or ""]), "story": story,
                              "split": split_of(story), "kind": "headline", "confidence": h.get("confidence"),
                              "article_id": h["article_id"], "headline": h["headline"], "reason": h["reason"],
                              "body": store.article(h["article_id"]).text[:3000]})
    seconds = time.perf_counter() - started
    store.close()
    return flags, len(stories), seconds


def score(flags: list[dict], stories: dict[str, int], min_confidence: float) -> dict:
    """Audited precision with its 95 % interval and flags per story, per split and kind."""
    labels = {}
    if LABELS.exists():
        for line in LABELS.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                labels[row["key"]] = row
    report: dict = {}
    for split in ("dev", "test"):
        for kind in ("contradiction", "headline"):
            shown = [f for f in flags if f["split"] == split and f["kind"] == kind
                     and (f["confidence"] is None or f["confidence"] >= min_confidence)]
            judged = [labels[f["key"]]["label"] for f in shown if f["key"] in labels]
            hits = sum(judged)
            low, high = wilson(hits, len(judged))
            report[f"{split}/{kind}"] = {
                "flags": len(shown), "audited": len(judged), "true": hits,
                "precision": round(hits / len(judged), 3) if judged else None,
                "ci95": [round(low, 3), round(high, 3)],
                "flags_per_story": round(len(shown) / max(1, stories[split]), 3),
                "true_per_20_stories": round(20 * hits / max(1, stories[split]), 2),
                "unaudited": [f["key"] for f in shown if f["key"] not in labels],
            }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="newscope")
    parser.add_argument("--db", type=Path, help="default /tmp/storyline-bench/<set>.db")
    parser.add_argument("--flags", type=Path, help="default /tmp/storyline-bench/compare_flags-<set>.jsonl")
    parser.add_argument("--min-confidence", type=float, default=0.0)
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/storyline-bench/{args.set}.db")
    flags_path = args.flags or Path(f"/tmp/storyline-bench/compare_flags-{args.set}.jsonl")
    db.parent.mkdir(parents=True, exist_ok=True)
    build(args.set, db)
    flags, n_stories, seconds = run(args.set, db)
    with flags_path.open("w", encoding="utf-8") as out:
        for f in flags:
            out.write(json.dumps(f, ensure_ascii=False) + "\n")
    from storyline.store import Store
    store = Store(db)
    per_split = Counter(split_of(s) for s in gold_stories(args.set, store))
    store.close()
    report = score(flags, per_split, args.min_confidence)
    print(f"{n_stories} stories ({per_split['dev']} dev, {per_split['test']} test), compare {seconds:.1f} s;"
          f" flags written to {flags_path}")
    for name, r in report.items():
        low, high = r["ci95"]
        precision = "n/a" if r["precision"] is None else f"{r['precision']:.3f} [{low:.2f}, {high:.2f}]"
        print(f"{name:20} flags {r['flags']:3}  audited {r['audited']:3}  true {r['true']:3}  precision {precision}"
              f"  per story {r['flags_per_story']:.2f}  true per 20 stories {r['true_per_20_stories']:.2f}"
              f"  unaudited {len(r['unaudited'])}")
    sys.exit(0)


if __name__ == "__main__":
    main()
