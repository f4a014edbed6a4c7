"""Time expressions resolved against the publication date: ours vs dateparser, same run.

Gold: benchmarks/data/times_gold.jsonl, 162 TIME_DATE mentions of ECB+ (../shared/data/event_coref) in
dated articles, resolved by hand. How they were labelled:
- the documents are the ECB+ "ecbplus" articles of the dev topic 2 (40 mentions, used while writing the
  rules) and of the test topics 36-45 (122 mentions, reported) whose `date` in
  ../shared/data/clustering/ecbplus_doc_clusters.jsonl was found; each date was checked against the
  article's own date line and URL;
- the expressions are ECB+'s own TIME_DATE mentions (so the set is not chosen by our detector); a
  mention was left out when it has no calendar value of its own ("on the same day", "of the year",
  "fiscal quarter", "three weeks after Hurricane Katrina", "by the end of the year", "more than two
  years ago", a from-to pair), or when "this year's Oscars" means next year's ceremony;
- each date is what the article means, read in context with the calendar (not our output): a day
  YYYY-MM-DD, a month YYYY-MM, a year YYYY, a week as Monday/Sunday; where the text and the world
  disagree, the text wins ("announced on Tuesday" is that Tuesday). Some need world knowledge our rules
  lack (a body "found on April 9" in an article of September 2013 is 2012-04-09).
The file holds only the expression, the document id, the ECB+ sentence and token indices and the date.

Score: accuracy = gold mentions for which the system gives an expression overlapping the mention with
exactly the gold date. Baseline: dateparser on the gold span itself (it is handed the span, we are not),
RELATIVE_BASE = publication date, PREFER_DATES_FROM = past, precision from its period.

    .venv/bin/python benchmarks/bench_times.py [--errors]
"""

from __future__ import annotations

import argparse
import gzip
import json
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE.parents[1] / "shared" / "data" / "event_coref" / "ecbplus" / "ecbplus_docs.jsonl.gz"
GOLD = HERE / "data" / "times_gold.jsonl"

_NO_SPACE_BEFORE = {",", ".", ":", ";", ")", "'s", "’s", "%", "?", "!", "’", "n't"}


def detokenise(sentences: list[list[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text with one sentence a line, and the character span of every token."""
    text, spans = "", []
    for tokens in sentences:
        row = []
        for i, tok in enumerate(tokens):
            prev = tokens[i - 1] if i else ""
            before = tokens[i - 2] if i > 1 else ""
            glue = (
                i == 0
                or tok in _NO_SPACE_BEFORE
                or prev in ("(", "$", "#", "/")
                or tok == "/"
                or prev in (":", "-")
                and tok.isdigit()
                and before.isdigit()
                or tok == "-"
                and prev.isdigit()
                and i + 1 < len(tokens)
                and tokens[i + 1].isdigit()
            )
            if i and not glue:
                text += " "
            row.append((len(text), len(text) + len(tok)))
            text += tok
        spans.append(row)
        text += "\n"
    return text, spans


def ours(text: str, published: str, url: str) -> list[tuple[int, int, str | None]]:
    from storyline.analyse.nlp import get_nlp
    from storyline.analyse.times import dayfirst_for, extract_times

    doc = get_nlp()(text)
    return [(t.start, t.end, t.date) for t in extract_times(doc, published, dayfirst_for(url))]


def dateparser_date(expr: str, published: str) -> str | None:
    from dateparser.date import DateDataParser

    base = datetime.combine(date.fromisoformat(published), datetime.min.time())
    parser = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
    data = parser.get_date_data(expr)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(
        data.period or "day", d.isoformat()
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="print the mentions we get wrong")
    args = ap.parse_args()
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {g["doc_id"] for g in gold}
    docs = {}
    with gzip.open(DOCS, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            key = d["doc_id"].removesuffix(".xml")
            if key in wanted:
                docs[key] = d
    results: dict[str, dict[str, list[bool]]] = {"storyline": {}, "dateparser": {}}
    cache: dict[str, tuple[str, list[list[tuple[int, int]]], list[tuple[int, int, str | None]]]] = {}
    for g in gold:
        d = docs[g["doc_id"]]
        if g["doc_id"] not in cache:
            text, spans = detokenise(d["sentences"])
            url = "".join(d["sentences"][0]).replace(" ", "")
            cache[g["doc_id"]] = (text, spans, ours(text, g["published"], url))
        text, spans, found = cache[g["doc_id"]]
        row = spans[d["sentence_ids"].index(g["sentence"])]
        start, end = row[g["tokens"][0]][0], row[g["tokens"][-1]][1]
        hit = [f for f in found if f[0] < end and start < f[1]]
        ok = any(f[2] == g["date"] for f in hit)
        results["storyline"].setdefault(g["split"], []).append(ok)
        base = dateparser_date(text[start:end], g["published"])
        results["dateparser"].setdefault(g["split"], []).append(base == g["date"])
        if args.errors and not ok:
            print(
                f"{g['split']:<4} {g['doc_id']:<13} pub {g['published']} {text[start:end]!r:<28} "
                f"gold {g['date']:<22}"
                f" ours {[(text[f[0] : f[1]], f[2]) for f in hit]}"
            )
    print(f"Times: {len(gold)} hand-resolved ECB+ TIME_DATE mentions")
    for name, by_split in results.items():
        cols = "  ".join(
            f"{s} {sum(v) / len(v):.3f} ({sum(v)}/{len(v)})" for s, v in sorted(by_split.items())
        )
        print(f"{name:<11} accuracy  {cols}")


if __name__ == "__main__":
    main()
