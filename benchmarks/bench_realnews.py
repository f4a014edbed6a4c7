"""Story clustering on real news in other languages and scripts (data: ../shared/data/realnews, see its README).

    python benchmarks/bench_realnews.py                  # ours vs the TF-IDF baseline, dev and test parts of each set
    python benchmarks/bench_realnews.py --sets vi --parts dev
    python benchmarks/bench_realnews.py --sets newscope --errors   # the dev part's wrong decisions, as they happen

Sets: `vi` = vietnamese_mds_dev (300 articles, 96 stories, Vietnamese), `newscope` = newscope_localnews
(992 articles, 103 stories, English with page boilerplate; `--offstory` adds its 95 off-story distractors,
each scored as its own story). Each set is split by a hash of the story id (`part`) into a dev part, which
thresholds may be tuned on, and a test part, which nothing is tuned on; each part is one stream by
publication date (ties by id), through the product's path (`featurize` with the language detected from the
text, `OnlineClusterer`). `all` streams both parts together.

The baseline is bench_clustering's: batch TF-IDF fitted on the part (title twice + body, English stop words,
sublinear tf), single-pass nearest centroid, join when cosine >= theta; theta tuned on the set's dev part
in this run (the best of a grid), then applied unchanged to test and all.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench_clustering import run_baseline, scores, table

from storyline.cluster import OnlineClusterer, featurize
from storyline.cluster.features import Features
from storyline.extract.language import detect_language

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "realnews"
SETS = {"vi": "vietnamese_mds_dev", "newscope": "newscope_localnews"}
THETAS = [round(0.1 + 0.025 * i, 3) for i in range(17)]


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    title: str
    text: str
    date: str | None
    cluster: str


def part(story: str) -> str:
    """'dev' or 'test' by a hash of the story id (salted: the shared set is itself one hash half of a corpus)."""
    return "dev" if hashlib.sha256(f"split:{story}".encode()).digest()[0] % 2 == 0 else "test"


def load(name: str, which: str = "all", offstory: bool = False) -> list[Doc]:
    """Articles of set `name` in the part `which` (dev, test or all), in stream order: by date, ties by id."""
    folder = DATA / SETS[name]
    files = [folder / "articles.jsonl"] + ([folder / "offstory_articles.jsonl"] if offstory else [])
    docs = []
    for path in files:
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                r = json.loads(line)
                story = r["story"] if r["story"] is not None else f"off:{r['id']}"
                if which == "all" or part(str(story)) == which:
                    docs.append(Doc(r["id"], r.get("title") or "", r["text"], r.get("published"), str(story)))
    return sorted(docs, key=lambda d: (d.date or "9999-99-99", d.id))


def as_docs(docs: list[Doc]):
    """`docs` as bench_clustering documents (for its calibration), the language detected as the product does."""
    import bench_clustering

    return [bench_clustering.Doc(d.id, d.title, d.text, d.date[:10] if d.date else None, d.cluster, "", "dev",
                                 detect_language(f"{d.title}\n{d.text}")) for d in docs]


def features(docs: list[Doc]) -> list[Features]:
    out = []
    for d in docs:
        day = date.fromisoformat(d.date[:10]).toordinal() if d.date else None
        out.append(featurize(d.title, d.text, day=day, language=detect_language(f"{d.title}\n{d.text}")))
    return out


def run_ours(docs: list[Doc], feats: list[Features]) -> list[int]:
    clusterer = OnlineClusterer()
    return [clusterer.add(d.id, f).story for d, f in zip(docs, feats, strict=True)]


def errors(docs: list[Doc], feats: list[Features]) -> None:
    """Print each wrong decision of the stream as it is taken: an article that joins a story holding none of its
    gold story's articles, or starts a story while one of its gold story is open (with the gold story's
    candidate similarities, when probed), and the merge probability and similarities that decided."""
    clusterer = OnlineClusterer()
    golds: dict[int, set[str]] = {}
    opened: dict[str, set[int]] = {}
    titles: dict[int, str] = {}
    joins = news = 0
    for d, f in zip(docs, feats, strict=True):
        words, entities = clusterer.prepare(f)
        scored = {sid: (clusterer.probability(x, cross, f), x) for sid, x, cross in
                  clusterer.candidates(f, words, entities)}
        story, p, _ = clusterer.decide(d.id, f, words, entities)
        before = golds.setdefault(story.id, set())
        if before and d.cluster not in before:
            joins += 1
            x = [round(v, 3) for v in scored[story.id][1]]
            print(f"wrong join [{d.cluster}] {d.date} {d.title[:80]}\n   -> {sorted(before)} "
                  f"'{titles[story.id][:70]}' p={p:.3f} x={x}")
        elif not before and (open_ := sorted(s for s in opened.get(d.cluster, ()) if s in clusterer._open)):
            news += 1
            seen = [(round(scored[s][0], 3), [round(v, 3) for v in scored[s][1]]) for s in open_ if s in scored]
            print(f"wrong new [{d.cluster}] {d.date} {d.title[:80]}\n   gold open in '{titles[open_[0]][:70]}' "
                  f"{seen or 'not probed'}")
        before.add(d.cluster)
        titles.setdefault(story.id, d.title)
        opened.setdefault(d.cluster, set()).add(story.id)
    print(f"wrong joins {joins}, wrong new stories {news}")


def tuned_theta(docs: list[Doc]) -> float:
    gold = [d.cluster for d in docs]
    f1 = {theta: scores(gold, run_baseline(docs, theta))["b3_f1"] for theta in THETAS}
    return max(THETAS, key=lambda t: (f1[t], -t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="vi,newscope")
    parser.add_argument("--parts", default="dev,test,all")
    parser.add_argument("--offstory", action="store_true", help="add newscope's off-story distractors")
    parser.add_argument("--errors", action="store_true", help="print the wrong decisions on each set's dev part")
    args = parser.parse_args()
    detect_language("warm up the language model")
    if args.errors:
        for name in args.sets.split(","):
            docs = load(name, "dev", args.offstory)
            errors(docs, features(docs))
        return
    rows = []
    for name in args.sets.split(","):
        theta = tuned_theta(load(name, "dev", args.offstory))
        for which in args.parts.split(","):
            docs = load(name, which, args.offstory)
            gold = [d.cluster for d in docs]
            start = time.perf_counter()
            labels = run_ours(docs, features(docs))
            rate = len(docs) / (time.perf_counter() - start)
            rows.append((f"{name}_{which}", "ours", scores(gold, labels), rate))
            start = time.perf_counter()
            base = run_baseline(docs, theta)
            rows.append((f"{name}_{which}", f"baseline θ={theta}", scores(gold, base),
                         len(docs) / (time.perf_counter() - start)))
    print("parts by a hash of the story id; baseline theta tuned on each set's dev part; docs/s of ours includes "
          "featurize")
    print(table(rows))


if __name__ == "__main__":
    main()
