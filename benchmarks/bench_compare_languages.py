"""Comparison across languages on our multilingual set: do translations of one report agree, and never clash?

    python benchmarks/bench_compare_languages.py            # both splits
    python benchmarks/bench_compare_languages.py --show     # print every contradiction with its evidence

Each event of `benchmarks/data/multilingual_stories.jsonl` (written by us: an English original and versions in
de/fr/it/ru/es that keep its figures in their own conventions) is compared as one gold story. Translations state
the same amounts, so every contradiction between them is a false alarm unless the versions were written to
differ; agreements that join two languages show the cross-language alignment at work. Reported per split:
stories, contradictions (and how many join two languages), agreements joining two languages, and the share of
non-English articles that take part in at least one agreement or contradiction. A sanity check on text we
wrote, not a measure of real news (see `bench_compare_real.py` for that).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from storyline.analyse import analyse_many
from storyline.compare.story import compare_story
from storyline.models import Article

DATA = Path(__file__).resolve().parent / "data" / "multilingual_stories.jsonl"


def _article(i: int, row: dict) -> Article:
    return Article(source=row["id"], url=None, title=row["title"], published=row["date"], published_evidence=None,
                   published_confidence=1.0, publisher=None, authors=[], credited=[], language=row["lang"],
                   text=row["text"], removed=[], captions=[], format="body", id=i)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    articles = [_article(i, r) for i, r in enumerate(rows)]
    facts = {a.id: f.to_json() for a, f in zip(articles, analyse_many(articles), strict=True)}
    language = {a.id: a.language for a in articles}
    for split in ("dev", "test"):
        events: dict[str, list[Article]] = defaultdict(list)
        for a, r in zip(articles, rows, strict=True):
            if r["split"] == split:
                events[r["event"]].append(a)
        contradictions = mixed_contradictions = mixed_agreements = 0
        foreign = {a.id for members in events.values() for a in members if a.language != "en"}
        taking_part: set[int] = set()
        for event, members in sorted(events.items()):
            result = compare_story(members, facts, [(a.id, None) for a in members]).to_json()
            for row in result["contradictions"]:
                ids = {i for v in row["values"] for i in v["article_ids"]}
                contradictions += 1
                mixed_contradictions += len({language[i] for i in ids}) > 1
                taking_part |= ids
                if args.show:
                    print(f"[{split}] {event}: {row['attribute']} ({row['confidence']})")
                    for v in row["values"]:
                        print(f"    {v['value']:>12} {[language[i] for i in v['article_ids']]} {v['evidence'][0][:90]}")
            for row in result["agreements"]:
                if len({language[i] for i in row["article_ids"]}) > 1:
                    mixed_agreements += 1
                    taking_part |= set(row["article_ids"])
        print(f"{split}: {len(events)} stories, {contradictions} contradictions ({mixed_contradictions} across "
              f"languages), {mixed_agreements} agreements across languages, non-English articles in a cross-"
              f"language row: {len(foreign & taking_part)} of {len(foreign)}")


if __name__ == "__main__":
    main()
