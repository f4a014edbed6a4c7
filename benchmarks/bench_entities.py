"""Entity mentions and cross-document entity clusters on ECB+: ours vs raw spaCy NER, same run.

Data: ../shared/data/event_coref/ecbplus/ecbplus_docs.jsonl.gz (read in place). Every document is
detokenised (one sentence a line, as in bench_times.py) and run through our analyser: `group_entities`
(the entities of `Facts`, with the spaCy spans grouped under each) and `extract_times` (with the
article date from ../shared/data/clustering/ecbplus_doc_clusters.jsonl when known, else none).
Gold: the ECB+ entity mentions of the selected sentences (the standard evaluation setting), in three
types: participant (HUMAN_PART*, NON_HUMAN_PART*), location (LOC_*), time (TIME_*). Our PLACE entities
are locations, our other entities participants, our time expressions times. Only predictions whose
first token is in a selected sentence are scored.

Mention scores (P, R, F1 per type, one-to-one greedy matching within a document and type):
- exact: the predicted span covers exactly the gold tokens;
- head: the spans overlap and the predicted span holds the gold span's head (the root of the gold span
  in our parse; for "on Tuesday" the object of the preposition). Exact matches are taken first.
- "time, dated": times in the documents whose date is known only (we give a time only when we can
  resolve it, so "on Friday" in an undated article yields none);
- R(named): recall over gold mentions whose head is a proper noun (for times: a number, month or
  weekday). ECB+ also annotates pronouns and common nouns ("she", "the actress"), which no NER finds,
  and only the participants, places and times of the annotated events, so precision is a lower bound.

Clusters: B³ over the mentions both sides found (head matches; a mention found by one side only is left
out of both partitions, and B³ is averaged over all such mentions of the split). Gold: the ECB+ entity
coreference chains (cross-document instances, in-document chains, singletons). Ours: the entity records
of every document of a topic merged with `crossdoc.merge_entities`, as `storyline facts --story` does;
times by resolved date within the topic. Baselines in the same run: exact-string clustering (same
string, case-folded, within a topic) of our mentions, and raw spaCy NER mentions with exact-string
clustering. "ours, per doc" clusters only within a document (no cross-document merge).

Dev topics (2, 5, 12, 18, 21, 23, 34, 35) were used while tuning; test topics 36-45 are reported.

    .venv/bin/python benchmarks/bench_entities.py [--split dev test] [--errors]
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_times import detokenise  # noqa: E402

SHARED = HERE.parents[1] / "shared" / "data"
DOCS = SHARED / "event_coref" / "ecbplus" / "ecbplus_docs.jsonl.gz"
DATES = SHARED / "clustering" / "ecbplus_doc_clusters.jsonl"
TYPES = ("participant", "location", "time")
_SPACY_TYPES = {
    "PERSON": "participant",
    "ORG": "participant",
    "NORP": "participant",
    "PRODUCT": "participant",
    "WORK_OF_ART": "participant",
    "LAW": "participant",
    "EVENT": "participant",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
    "DATE": "time",
    "TIME": "time",
}
_OUR_TYPES = {"PLACE": "location", "PERSON": "participant", "ORG": "participant", "GROUP": "participant",
              "OTHER": "participant", "EVENT": "participant"}
_TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
               "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "today", "yesterday", "tomorrow", "tonight"}


def gold_type(tag: str) -> str:
    return "time" if tag.startswith("TIME") else "location" if tag.startswith("LOC") else "participant"


@dataclass
class Mention:
    doc: int
    type: str
    start: int  # character offsets in the document text
    end: int
    text: str
    cluster: object  # gold chain, or the predicted cluster key
    tokens: tuple[int, int] = (0, 0)  # first and last global token index
    head: int = -1  # gold: character offset of the head token
    named: bool = False  # gold: the head is a name (or a calendar word / number for times)


@dataclass
class Doc:
    index: int
    doc_id: str
    topic: int
    split: str
    text: str
    date: str | None
    gold: list[Mention] = field(default_factory=list)
    systems: dict[str, list[Mention]] = field(default_factory=dict)
    tokens: list[tuple[int, int, bool]] = field(default_factory=list)  # (start, end, in a selected sentence)
    ends: list[int] = field(default_factory=list)  # end offset of every token, for bisect
    records: list[dict] = field(default_factory=list)  # our entity records, as in Facts.to_json()


def load(splits: set[str]) -> list[Doc]:
    dates = {}
    for line in DATES.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        dates[row["id"].split("/", 1)[1]] = row["date"]
    out = []
    with gzip.open(DOCS, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d["split"] not in splits:
                continue
            text, spans = detokenise(d["sentences"])
            doc = Doc(len(out), d["doc_id"], d["topic"], d["split"], text, dates.get(d["doc_id"]))
            offset = {}  # (sentence id, token index) -> global token index
            tokens = []  # (start, end, selected) of every token
            selected = set(d["selected_sentences"])
            for sid, row in zip(d["sentence_ids"], spans, strict=True):
                for ti, (s, e) in enumerate(row):
                    offset[sid, ti] = len(tokens)
                    tokens.append((s, e, sid in selected))
            doc.tokens, doc.ends = tokens, [t[1] for t in tokens]
            for m in d["mentions"]:
                if m["is_event"] or not m["in_selected_sentence"]:
                    continue
                first, last = offset[m["sent"], min(m["tok_idx"])], offset[m["sent"], max(m["tok_idx"])]
                doc.gold.append(Mention(doc.index, gold_type(m["tag"]), tokens[first][0], tokens[last][1],
                                        m["text"], m["cluster"], (first, last)))
            out.append(doc)
    return out


def _token_range(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Global indices of the first and last gold token a character span overlaps (None if it is in no
    selected sentence)."""
    tokens = doc.tokens
    i = bisect.bisect_right(doc.ends, start)
    if i >= len(tokens) or not tokens[i][2]:
        return None
    j = i
    while j + 1 < len(tokens) and tokens[j + 1][0] < end:
        j += 1
    return i, j


def analyse_docs(docs: list[Doc]) -> None:
    """Parse every document once; fill the gold heads and the mentions of every system."""
    from storyline.analyse.entities import group_entities
    from storyline.analyse.nlp import get_nlp
    from storyline.analyse.times import extract_times

    nlp = get_nlp()
    for d, sdoc in zip(docs, nlp.pipe([d.text for d in docs], batch_size=16), strict=True):
        for g in d.gold:
            span = sdoc.char_span(g.start, g.end, alignment_mode="expand")
            root = span.root
            if root.pos_ == "ADP":
                objs = [c for c in root.children if c.dep_ == "pobj" and span.start <= c.i < span.end]
                root = objs[0] if objs else root
            g.head = root.idx
            g.named = (
                root.like_num or root.lower_ in _TIME_WORDS or root.pos_ == "NUM"
                if g.type == "time"
                else root.pos_ == "PROPN"
            )
        groups = group_entities(sdoc)
        ours, records = [], []
        for ei, (entity, spans) in enumerate(groups):
            records.append({"name": entity.name, "type": entity.type, "aliases": entity.aliases,
                            "mentions": entity.mentions})
            kind = _OUR_TYPES.get(entity.type)
            if kind is None:
                continue
            for span in spans:
                ours.append(Mention(d.index, kind, span.start_char, span.end_char, span.text, (entity.type, ei)))
        for t in extract_times(sdoc, d.date, False):
            ours.append(Mention(d.index, "time", t.start, t.end, t.text, t.date))
        d.records = records
        raw = [Mention(d.index, _SPACY_TYPES[e.label_], e.start_char, e.end_char, e.text, None)
               for e in sdoc.ents if e.label_ in _SPACY_TYPES]
        for name, mentions in (("ours", ours), ("spacy", raw)):
            kept = []
            for m in mentions:
                rng = _token_range(d, m.start, m.end)
                if rng is not None:
                    m.tokens = rng
                    kept.append(m)
            d.systems[name] = kept


def match(gold: list[Mention], pred: list[Mention], exact_only: bool) -> list[tuple[Mention, Mention]]:
    """One-to-one greedy matching: exact token spans first, then head matches by overlap size."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if p.tokens[1] < g.tokens[0] or g.tokens[1] < p.tokens[0]:
                continue
            exact = p.tokens == g.tokens
            head = p.start <= g.head < p.end
            if exact or head and not exact_only:
                overlap = min(p.tokens[1], g.tokens[1]) - max(p.tokens[0], g.tokens[0])
                pairs.append((not exact, -overlap, gi, pi))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for _, _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gold[gi], pred[pi]))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def b_cubed(items: list[tuple[object, object]]) -> tuple[float, float, float]:
    """B³ (P, R, F1) of (gold cluster, predicted cluster) pairs, one per mention."""
    if not items:
        return 0.0, 0.0, 0.0
    both = Counter(items)
    gold = Counter(g for g, _ in items)
    pred = Counter(p for _, p in items)
    p = sum(both[g, s] / pred[s] for g, s in items) / len(items)
    r = sum(both[g, s] / gold[g] for g, s in items) / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def ours_clusters(docs: list[Doc]) -> dict[tuple[int, object], int]:
    """(doc index, (type, entity index)) -> cross-document cluster, merged per topic with merge_entities."""
    from storyline.analyse.crossdoc import merge_entities

    by_topic: dict[int, list[Doc]] = defaultdict(list)
    for d in docs:
        by_topic[d.topic].append(d)
    out: dict[tuple[int, object], int] = {}
    next_id = 0
    for topic_docs in by_topic.values():
        merged = merge_entities({d.index: d.records for d in topic_docs})
        owner = {}
        for k, m in enumerate(merged):
            for a in m["article_ids"]:
                for form in (m["name"], *m["aliases"]):
                    owner[a, m["type"], form.casefold()] = next_id + k
        next_id += len(merged)
        for d in topic_docs:
            for ei, r in enumerate(d.records):
                out[d.index, (r["type"], ei)] = owner[d.index, r["type"], r["name"].casefold()]
    return out


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def evaluate(docs: list[Doc], errors: bool = False) -> None:
    merged = ours_clusters(docs)
    topic = {d.index: d.topic for d in docs}
    # mention scores
    rows = []
    matches: dict[str, dict[str, list[tuple[Mention, Mention]]]] = {"ours": {}, "spacy": {}}
    for system in ("ours", "spacy"):
        for label in (*TYPES, "time, dated", "all"):
            kind = label.split(",")[0]
            n_gold = n_pred = tp_exact = tp_head = named = named_hit = 0
            pairs_all = []
            for d in docs:
                if label == "time, dated" and not d.date:
                    continue
                gold = [g for g in d.gold if kind in ("all", g.type)]
                pred = [p for p in d.systems[system] if kind in ("all", p.type)]
                n_gold += len(gold)
                n_pred += len(pred)
                tp_exact += len(match(gold, pred, exact_only=True))
                pairs = match(gold, pred, exact_only=False)
                tp_head += len(pairs)
                pairs_all.extend(pairs)
                named += sum(g.named for g in gold)
                named_hit += sum(g.named for g, _ in pairs)
                if errors and system == "ours" and label in TYPES:
                    hit_g = {id(g) for g, _ in pairs}
                    hit_p = {id(p) for _, p in pairs}
                    for g in gold:
                        if id(g) not in hit_g and g.named:
                            print(f"MISS {kind:<11} {d.doc_id:<13} {g.text!r}")
                    for p in pred:
                        if id(p) not in hit_p:
                            print(f"FP   {kind:<11} {d.doc_id:<13} {p.text!r}")
            if label in TYPES:
                matches[system][kind] = pairs_all
            rows.append((system, label, n_gold, n_pred, prf(tp_exact, n_pred, n_gold), prf(tp_head, n_pred, n_gold),
                         named_hit / named if named else 0.0, named))
    print(f"{'system':<7} {'type':<12} {'gold':>5} {'pred':>5}   exact P / R / F1      head P / R / F1      "
          "R(named)")
    for system, kind, n_gold, n_pred, ex, hd, rn, named in rows:
        print(f"{system:<7} {kind:<12} {n_gold:>5} {n_pred:>5}   {ex[0]:.3f} {ex[1]:.3f} {ex[2]:.3f}    "
              f"{hd[0]:.3f} {hd[1]:.3f} {hd[2]:.3f}    {rn:.3f} of {named}")
    # clusters
    print(f"\n{'B³ over mentions both found':<40} {'type':<12} {'n':>5}   P      R      F1")
    for kinds, label in ((("participant", "location"), "entities"), (("participant",), "participant"),
                         (("location",), "location"), (("time",), "time")):
        variants = {
            "ours (merge_entities)": ("ours", lambda p: (topic[p.doc], p.cluster) if p.type == "time"
                                      else merged[p.doc, p.cluster]),
            "ours, per doc (no cross-doc merge)": ("ours", lambda p: (p.doc, p.cluster)),
            "ours mentions, exact-string clusters": ("ours", lambda p: (topic[p.doc], _key(p.text))),
            "spaCy NER, exact-string clusters": ("spacy", lambda p: (topic[p.doc], _key(p.text))),
        }
        for name, (system, key) in variants.items():
            if kinds == ("time",) and name.startswith("ours, per doc"):
                continue
            items = [((topic[g.doc], g.cluster), key(p)) for kind in kinds for g, p in matches[system][kind]]
            p, r, f = b_cubed(items)
            print(f"{name:<40} {label:<12} {len(items):>5}   {p:.3f}  {r:.3f}  {f:.3f}")
    if errors:
        _cluster_errors(matches["ours"], merged, topic)


def _cluster_errors(matches, merged, topic) -> None:
    """Gold chains split over several of our clusters, and our clusters mixing gold chains."""
    by_gold: dict[object, set] = defaultdict(set)
    by_pred: dict[object, set] = defaultdict(set)
    texts: dict[object, Counter] = defaultdict(Counter)
    for kind in ("participant", "location"):
        for g, p in matches[kind]:
            pk = merged[p.doc, p.cluster]
            by_gold[g.cluster].add(pk)
            by_pred[pk].add(g.cluster)
            texts[pk][p.text] += 1
    for g, preds in by_gold.items():
        if len(preds) > 1:
            print("SPLIT", g, [dict(texts[p]) for p in preds])
    for p, golds in by_pred.items():
        if len(golds) > 1:
            print("MIXED", dict(texts[p]), len(golds))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", nargs="+", default=["dev", "test"], choices=["train", "dev", "test"])
    ap.add_argument("--errors", action="store_true", help="print misses, false positives and cluster errors")
    args = ap.parse_args()
    docs = load(set(args.split))
    analyse_docs(docs)
    for split in args.split:
        part = [d for d in docs if d.split == split]
        print(f"\n== ECB+ {split}: {len(part)} documents, {len({d.topic for d in part})} topics, "
              f"{sum(len(d.gold) for d in part)} gold entity mentions in selected sentences ==")
        evaluate(part, errors=args.errors)


if __name__ == "__main__":
    main()
