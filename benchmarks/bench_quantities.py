"""Quantity extraction on NewsQuant (CQE benchmark): ours vs quantulum3 in the same run.

Data: ../shared/data/quantities/newsquant/NewsQuant.json (590 sentences, 904 quantities).
Scoring (CQE_Evaluation style, per sentence, greedy one-to-one matching, micro P/R/F1):
- value: predicted (value, upper) equals the gold value or range (relative tolerance 1e-6);
- value+unit: additionally the unit equals the gold `normalized_unit`; a predicted quantity without
  a physical unit or currency offers what it counts, normalised the way the gold is (lower case, stop
  words dropped, each word singular: "four different bosses" -> "different boss"); no unit and nothing
  counted is "-";
- value+unit~ (lenient for counted nouns): as value+unit, but where the gold unit is a noun phrase
  ("people responsible creation rich league world football") the head of what we count need only be
  one of its words.
Split: crc32(sentence) % 2 == 0 is DEV (used while writing the rules), the rest TEST.

    .venv/bin/python benchmarks/bench_quantities.py [--limit N] [--no-baseline] [--dev] [--diagnose]

--dev runs and scores only the DEV half (for rule writing); --diagnose prints the value+unit misses of the
DEV half (or of --errors' split) grouped by cause.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
import zlib
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "quantities" / "newsquant"

Pred = tuple[float, float | None, str]
STOP = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "its",
    "their",
    "his",
    "her",
    "our",
    "my",
    "your",
    "this",
    "that",
}


def is_dev(text: str) -> bool:
    """Stable half split: True for the DEV half."""
    return zlib.crc32(text.encode("utf-8")) % 2 == 0


def singular(word: str) -> str:
    """Crude English singular of a noun phrase's last word."""
    w = word.lower()
    irregular = {"people": "people", "men": "man", "women": "woman", "children": "child", "feet": "foot"}
    if w in irregular:
        return irregular[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "uses")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def gold_value(v: str) -> tuple[float, float | None]:
    m = re.fullmatch(r"\s*(-?[\d.e+]+)\s*-\s*([\d.e+]+)\s*", v)
    if m:
        return float(m.group(1)), float(m.group(2))
    return float(v), None


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def score(items: list[dict], preds: list[list[Pred]]) -> dict[str, tuple[float, float, float]]:
    """Micro P/R/F1 for value and value+unit."""
    out = {}
    for mode in ("value", "value+unit", "value+unit~"):
        tp = n_pred = n_gold = 0
        for item, pred in zip(items, preds, strict=True):
            gold = [(*gold_value(q["value"]), q["normalized_unit"].lower()) for q in item["quantities"]]
            n_pred += len(pred)
            n_gold += len(gold)
            used = [False] * len(gold)
            for v, hi, unit in pred:
                for k, (gv, ghi, gu) in enumerate(gold):
                    if used[k] or not (close(v, gv) and close(hi, ghi)):
                        continue
                    if mode == "value+unit" and unit.lower() != gu:
                        continue
                    if mode == "value+unit~" and unit.lower() != gu and unit.split()[-1] not in gu.split():
                        continue
                    used[k] = True
                    tp += 1
                    break
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        out[mode] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def ours(texts: list[str]) -> list[list[Pred]]:
    from storyline.analyse.nlp import get_nlp
    from storyline.analyse.quantities import extract_quantities

    preds = []
    for doc in get_nlp().pipe(texts, batch_size=64):
        row = []
        for q in extract_quantities(doc):
            words = re.findall(r"[\w-]+", q.counted.lower()) if q.counted else []
            what = " ".join(singular(w) for w in words if w not in STOP)
            unit = f"% {what or '-'}" if q.unit == "fraction" else q.unit or what or "-"
            row.append((q.value, q.value_max, unit))
        preds.append(row)
    return preds


def quantulum(texts: list[str]) -> list[list[Pred]]:
    from quantulum3 import classifier, parser

    classifier.USE_CLF = False  # its pickled scikit-learn model does not load with current scikit-learn
    preds = []
    for text in texts:
        row = []
        for q in parser.parse(text):
            name = q.unit.name
            row.append((float(q.value), None, "-" if name == "dimensionless" else name))
        preds.append(row)
    return preds


def _canonical_units() -> set[str]:
    from storyline.analyse.units import CURRENCY_PREFIX, UNITS

    return {u.lower() for u in (*UNITS.values(), *CURRENCY_PREFIX.values())}


def diagnose(items: list[dict], preds: list[list[Pred]]) -> None:
    """Group value+unit misses by cause: value missed or spurious, unit naming, missing unit, counted noun."""
    known = _canonical_units()
    groups: dict[str, list[str]] = {}

    def fmt(v: float, hi: float | None) -> str:
        return f"{v:g}" if hi is None else f"{v:g}-{hi:g}"

    def add(cause: str, text: str, line: str) -> None:
        groups.setdefault(cause, []).append(f"{line}\n      | {text[:160]}")

    for item, pred in zip(items, preds, strict=True):
        gold = [(*gold_value(q["value"]), q["normalized_unit"].lower()) for q in item["quantities"]]
        left_g, left_p = list(gold), list(pred)
        for g in list(left_g):  # exact matches first
            for p in left_p:
                if close(p[0], g[0]) and close(p[1], g[1]) and p[2].lower() == g[2]:
                    left_g.remove(g)
                    left_p.remove(p)
                    break
        for g in list(left_g):  # same value, other unit
            for p in left_p:
                if close(p[0], g[0]) and close(p[1], g[1]):
                    left_g.remove(g)
                    left_p.remove(p)
                    gu, pu = g[2], p[2].lower()
                    if gu in known or gu == "-":
                        cause = (
                            "unit missing (ours '-')"
                            if pu == "-"
                            else "unit naming/other unit"
                            if pu in known
                            else "unit missing (ours counted noun)"
                        )
                    else:
                        cause = (
                            "counted missing (ours '-')"
                            if pu == "-"
                            else "counted: ours a unit"
                            if pu in known
                            else "counted: same head, other modifiers"
                            if pu.split()[-1] == gu.split()[-1]
                            else "counted: other phrase"
                        )
                    add(cause, item["text"], f"  gold {fmt(g[0], g[1])} {gu!r}  ours {pu!r}")
                    break
        for g in left_g:
            add("value missed", item["text"], f"  gold {fmt(g[0], g[1])} {g[2]!r}")
        for p in left_p:
            add("value spurious", item["text"], f"  ours {fmt(p[0], p[1])} {p[2]!r}")
    for cause, lines in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {cause}: {len(lines)}")
        for line in lines:
            print(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="score only the first N sentences")
    ap.add_argument("--no-baseline", action="store_true", help="skip quantulum3")
    ap.add_argument("--errors", choices=["dev", "test"], help="print mismatching sentences of this split")
    ap.add_argument("--dev", action="store_true", help="run and score only the DEV half")
    ap.add_argument("--diagnose", action="store_true", help="group the value+unit misses by cause")
    args = ap.parse_args()
    items = json.loads((DATA / "NewsQuant.json").read_text(encoding="utf-8"))[: args.limit]
    if args.dev:
        items = [it for it in items if is_dev(it["text"])]
    systems: dict[str, Callable[[list[str]], list[list[Pred]]]] = {"storyline": ours}
    if not args.no_baseline:
        systems["quantulum3"] = quantulum
    texts = [it["text"] for it in items]
    results = {}
    for name, fn in systems.items():
        t0 = time.perf_counter()
        results[name] = (fn(texts), time.perf_counter() - t0)
    print(f"NewsQuant: {len(items)} sentences, {sum(len(i['quantities']) for i in items)} gold quantities")
    print(f"{'system':<11} {'split':<5} {'value P/R/F1':<19}{'value+unit P/R/F1':<19}{'value+unit~ P/R/F1':<19}s")
    for name, (preds, secs) in results.items():
        for split, keep in (("dev", True), ("test", False), ("all", None)):
            idx = [i for i, it in enumerate(items) if keep is None or is_dev(it["text"]) == keep]
            if not idx:
                continue
            s = score([items[i] for i in idx], [preds[i] for i in idx])
            cols = "  ".join("{:.3f}/{:.3f}/{:.3f}".format(*s[m]) for m in ("value", "value+unit", "value+unit~"))
            print(f"{name:<11} {split:<5} {cols}  {secs:.1f}")
    if args.diagnose:
        split = args.errors or "dev"
        idx = [i for i, it in enumerate(items) if is_dev(it["text"]) == (split == "dev")]
        diagnose([items[i] for i in idx], [results["storyline"][0][i] for i in idx])
    elif args.errors:
        preds = results["storyline"][0]
        for it, pred in zip(items, preds, strict=True):
            if is_dev(it["text"]) != (args.errors == "dev"):
                continue
            gold = sorted((*gold_value(q["value"]), q["normalized_unit"].lower()) for q in it["quantities"])
            if score([it], [pred])["value+unit"][2] < 1 and (gold or pred):
                print("\n" + it["text"])
                print("  gold:", gold)
                print("  ours:", sorted(pred, key=lambda p: (p[0], p[1] or 0)))


if __name__ == "__main__":
    main()
