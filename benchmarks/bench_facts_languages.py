"""Facts per language: what share of the sentences that show a number, a quote or a date yields that fact.

    python benchmarks/bench_facts_languages.py                # all sets below
    python benchmarks/bench_facts_languages.py --limit 100    # the first 100 articles of each set
    python benchmarks/bench_facts_languages.py --dump F.jsonl # also write each fact with its sentence (to audit)
    python benchmarks/bench_facts_languages.py --audit        # re-score the audited Vietnamese sample (below)

Sets: real Vietnamese news (`realnews/vietnamese_mds_dev`, 300 articles, the language's `patterns` depth), real
English local news (`realnews/newscope_localnews`, the `full` depth, for reference) and, per language, our own
multilingual set (`benchmarks/data/multilingual_stories.jsonl`: de, fr, it, ru, es — written by us, so a
sanity check of the conventions, not a measure of real text).

What counts as a sentence with a number, a quote or a date is decided by signs independent of the extractor:
a number in digits that is not a year nor glued to letters ("W50", "21st"); a pair of quotation marks around
three words or more; a date cue (a number next to a month name of dateparser's locale, a numeric date d/m or
d.m.yyyy, or "年/月/日"). The share is the sentences with that sign
where the analyse stage gave a fact of that kind (a quantity, a quote, a resolved time), and for quotes also the
share with a speaker. Precision comes from hand audits (`benchmarks/data/facts_vi_audit_README.md`); `--audit`
re-extracts the audited articles and tells, for the audited facts, which the current code still gives (facts
are matched by article, kind, sentence and value): amounts that are not amounts and non-quotes should go,
right ones should stay.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from collections import defaultdict
from pathlib import Path

from storyline.analyse import analyse_many
from storyline.analyse.patterns import _calendar
from storyline.models import Article

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "realnews"
OWN = Path(__file__).resolve().parent / "data" / "multilingual_stories.jsonl"
AUDIT = Path(__file__).resolve().parent / "data" / "facts_vi_audit.jsonl"
QUOTED = re.compile(r"[“«„\"「]\s*\S+(?:\s+\S+){2,}?[^“«„]*?[”»“\"」]|「[^」]{6,}」")
NUMERIC_DATE = re.compile(r"(?<![\d.])(?:[12]\d|3[01]|0?[1-9])[/.](?:0?[1-9]|1[0-2])(?:[/.](?:19|20)\d\d)?(?![\d.])"
                          r"|(?:19|20)\d\d-\d\d-\d\d|\d+\s?[年月日]")
# a number that can be an amount: not a year, not glued to letters ("W50", "21st", "USB 3.0" stays a number)
AMOUNT_SIGN = re.compile(r"(?<![\w.,])(?!(?:19|20)\d\d(?![\d.,]))\d[\d.,]*(?![^\W\d_])")


def _article(i: int, row: dict, language: str) -> Article:
    return Article(source=f"bench-{i}", url=row.get("url"), title=row.get("title"), published=row.get("published")
                   or row.get("date"), published_evidence=None, published_confidence=1.0, publisher=None,
                   authors=[], credited=[], language=language, text=row["text"], removed=[], captions=[],
                   format="text", id=i)


def _date_cue(sentence: str, language: str) -> bool:
    months = _calendar(language)[0]
    if NUMERIC_DATE.search(sentence):
        return True
    low = sentence.lower()
    return any(re.search(rf"\d\.?\s+(?:de\s+)?{re.escape(m)}\b|\b{re.escape(m)}\s+\d", low) for m in months
               if len(m) >= 4)


def measure(name: str, articles: list[Article], dump) -> dict:
    """Sentence shares for one set (all articles in one language)."""
    counts: dict[str, int] = defaultdict(int)
    depths: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    for article, facts in zip(articles, analyse_many(articles), strict=True):
        data = facts.to_json()
        depths[data.get("coverage") or "none"] += 1
        kinds = {"number": {q["sentence_index"] for q in data["quantities"]},
                 "quote": {q["sentence_index"] for q in data["quotes"]},
                 "speaker": {q["sentence_index"] for q in data["quotes"] if q.get("speaker")},
                 "date": {t["sentence_index"] for t in data["times"] if t.get("date")}}
        for index, sentence in enumerate(data["sentences"]):
            signs = {"number": bool(AMOUNT_SIGN.search(sentence)), "quote": bool(QUOTED.search(sentence)),
                     "date": _date_cue(sentence, article.language or "en")}
            for sign, shown in signs.items():
                if shown:
                    counts[f"{sign} sentences"] += 1
                    counts[f"{sign} facts"] += index in kinds[sign]
                    if sign == "quote":
                        counts["speaker facts"] += index in kinds["speaker"]
        if dump:
            for kind in ("quantities", "quotes", "times"):
                for record in data[kind]:
                    dump.write(json.dumps({"set": name, "article": article.source, "kind": kind, **record},
                                          ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - started
    share = {sign: counts[f"{sign} facts"] / counts[f"{sign} sentences"] if counts[f"{sign} sentences"] else None
             for sign in ("number", "quote", "date")}
    share["speaker"] = counts["speaker facts"] / counts["quote sentences"] if counts["quote sentences"] else None
    return {"set": name, "articles": len(articles), "depth": dict(depths), "sentences": dict(counts),
            "share": share, "seconds": round(seconds, 1)}


def _sets(limit: int | None) -> list[tuple[str, list[Article]]]:
    sets = []
    vi = [json.loads(line) for line in (SHARED / "vietnamese_mds_dev" / "articles.jsonl").open(encoding="utf-8")]
    sets.append(("vi real (vietnamese_mds_dev)", [_article(i, r, "vi") for i, r in enumerate(vi[:limit])]))
    en = [json.loads(line) for line in (SHARED / "newscope_localnews" / "articles.jsonl").open(encoding="utf-8")]
    sets.append(("en real (newscope_localnews)", [_article(i, r, "en") for i, r in enumerate(en[:limit or 300])]))
    own = [json.loads(line) for line in OWN.open(encoding="utf-8")]
    for language in ("de", "fr", "it", "ru", "es"):
        rows = [r for r in own if r["lang"] == language]
        sets.append((f"{language} own (written by us)", [_article(i, r, language) for i, r in enumerate(rows)]))
    return sets


def _sha(sentence: str) -> str:
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:12]


def rescore_audit() -> None:
    """Which audited facts the current code still gives, by label."""
    labels = [json.loads(line) for line in AUDIT.open(encoding="utf-8")]
    rows = [json.loads(line) for line in (SHARED / "vietnamese_mds_dev" / "articles.jsonl").open(encoding="utf-8")]
    ids = sorted({int(a["article"].split("-")[1]) for a in labels})
    articles = [_article(i, rows[i], "vi") for i in ids]
    now: dict[tuple, list[dict]] = defaultdict(list)
    for article, facts in zip(articles, analyse_many(articles), strict=True):
        data = facts.to_json()
        for kind in ("quantities", "quotes", "times"):
            for r in data[kind]:
                now[(article.source, kind, _sha(r["sentence"] or ""))].append(r)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for label in labels:
        found = now.get((label["article"], label["kind"], label["sentence_sha1"]), [])
        if label["kind"] == "quantities":
            kept = any(r["value"] == label["value"] for r in found)
            tally["amount kept" if label["is_amount"] else "non-amount kept"][0] += kept
            tally["amount kept" if label["is_amount"] else "non-amount kept"][1] += 1
        elif label["kind"] == "quotes":
            kept = bool(found)
            key = "quote kept" if label["quote_ok"] else "non-quote kept"
            tally[key][0] += kept
            tally[key][1] += 1
            if label["quote_ok"] and found:
                tally["quote with a speaker"][0] += any(r.get("speaker") for r in found)
                tally["quote with a speaker"][1] += 1
        else:
            tally["time kept"][0] += bool(found)
            tally["time kept"][1] += 1
    for key, (kept, total) in sorted(tally.items()):
        print(f"{key:22} {kept:>4} of {total:>4}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--audit", action="store_true")
    args = parser.parse_args()
    if args.audit:
        rescore_audit()
        return
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    print(f"{'set':32} {'arts':>5} {'depth':>16} {'number':>14} {'quote':>14} {'speaker':>8} {'date':>14} {'s':>6}")
    for name, articles in _sets(args.limit):
        r = measure(name, articles, dump)
        s = r["share"]
        cell = {sign: f"{s[sign]:.2f} of {r['sentences'].get(sign + ' sentences', 0):>4}"
                if s[sign] is not None else "-" for sign in ("number", "quote", "date")}

        depth = ",".join(f"{k}:{v}" for k, v in r["depth"].items())
        speaker = f"{s['speaker']:.2f}" if s["speaker"] is not None else "-"
        print(f"{name:32} {r['articles']:>5} {depth:>16} {cell['number']:>14} {cell['quote']:>14} {speaker:>8} "
              f"{cell['date']:>14} {r['seconds']:>6}")
    if dump:
        dump.close()


if __name__ == "__main__":
    main()
