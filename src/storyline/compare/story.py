"""Compare a story's sources: contradictions, agreements, single-source claims, quotes, headlines, timeline, summary."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from storyline.compare.headlines import HeadlineCheck, check_headlines
from storyline.compare.quantities import Measure, compatible, conflict, measures, nationality, same_key
from storyline.compare.quotes import (
    QuoteCluster,
    QuoteMention,
    altered,
    cluster_quotes,
    quote_similarity,
    similarity,
    speech_days,
    surname,
)
from storyline.models import Article

_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b")  # a time expression that names its year is absolute
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“A-Z0-9])")


@dataclass(slots=True)
class Value:
    """One value a set of sources gives for an attribute, with the sentences that say it."""

    value: str
    article_ids: list[int]
    evidence: list[str]


@dataclass(slots=True)
class Contradiction:
    """An attribute on which independent sources give values that cannot all be true."""

    attribute: str
    values: list[Value]


@dataclass(slots=True)
class Agreement:
    """A value stated by two or more independent sources."""

    attribute: str
    value: str
    article_ids: list[int]


@dataclass(slots=True)
class SingleSource:
    """A claim that only one independent source (a report and its copies) makes."""

    attribute: str
    value: str
    claim: str
    article_id: int
    article_ids: list[int]


@dataclass(slots=True)
class TimelineEntry:
    """What happened on a date (the event's resolved time), and which articles say so."""

    date: str
    text: str
    article_ids: list[int]


@dataclass(slots=True)
class SummarySentence:
    """One sentence of the extractive summary with the article it comes from."""

    sentence: str
    article_id: int


@dataclass(slots=True)
class Comparison:
    """Everything `compare_story` finds; `to_json()` gives the story contract's comparison fields."""

    contradictions: list[Contradiction] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    single_source: list[SingleSource] = field(default_factory=list)
    quotes: list[QuoteCluster] = field(default_factory=list)
    headlines: list[HeadlineCheck] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    independent_sources: int = 0
    note: str | None = None  # e.g. nothing to compare: one article, or only copies of one report

    def to_json(self) -> dict[str, Any]:
        """The contract fields (contradictions ... summary) plus independent_sources and note."""
        return {
            "contradictions": [{"attribute": c.attribute, "values": [
                {"value": v.value, "article_ids": v.article_ids, "evidence": v.evidence} for v in c.values]}
                for c in self.contradictions],
            "agreements": [{"attribute": a.attribute, "value": a.value, "article_ids": a.article_ids}
                           for a in self.agreements],
            "single_source": [{"attribute": s.attribute, "value": s.value, "claim": s.claim,
                               "article_id": s.article_id, "article_ids": s.article_ids} for s in self.single_source],
            "quotes": [_quote_json(q) for q in self.quotes],
            "headlines": [h.to_json() for h in self.headlines],
            "timeline": [{"date": t.date, "text": t.text, "article_ids": t.article_ids} for t in self.timeline],
            "summary": [{"sentence": s.sentence, "article_id": s.article_id} for s in self.summary],
            "independent_sources": self.independent_sources,
            "note": self.note,
        }


def _quote_json(q: QuoteCluster) -> dict[str, Any]:
    variants = [{"text": m.text, "article_id": m.article_id, "similarity": round(quote_similarity(q.text, m.text), 3),
                 "altered": altered(q.text, m.text)} for m in q.mentions]
    return {"speaker": q.speaker, "text": q.text, "article_ids": sorted({m.article_id for m in q.mentions}),
            "variants": variants, "altered": any(v["altered"] for v in variants)}


@dataclass(slots=True)
class _Group:
    """A report and its copies: one independent source."""

    rep: Article
    members: list[int]


def _groups(articles: list[Article], copies: list[tuple[int, int | None]]) -> list[_Group]:
    parent = {a.id: a.id for a in articles}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for article_id, copy_of in copies:
        if copy_of is not None and article_id in parent and copy_of in parent:
            parent[root(article_id)] = root(copy_of)
    by_id = {a.id: a for a in articles}
    members: dict[int, list[int]] = {}
    for a in articles:
        members.setdefault(root(a.id), []).append(a.id)
    return [_Group(by_id[r], sorted(m)) for r, m in members.items()]


def sentences(text: str) -> list[str]:
    """The text's sentences (paragraph breaks end a sentence)."""
    return [s.strip() for para in text.split("\n") for s in SENTENCE_END.split(para) if s.strip()]


def _main_places(facts: list[dict]) -> set[str]:
    """The story's main country: the one whose towns and sites most sources name (else its most named country)."""
    local: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for f in facts:
        for p in {(p["name"], p.get("kind"), p.get("country")) for p in f.get("places", [])}:
            if p[2] and (n := nationality(p[2])):
                (named if p[1] == "country" else local)[n] += 1
    counts = local or named
    if not counts:
        return set()
    top = max(counts.values())
    return {n for n, c in counts.items() if c == top}


def _show(m: Measure) -> str:
    """A value as people write it: "60", "about 1,000", "2+"."""
    number = f"{m.value:,.0f}" if m.value == int(m.value) else f"{m.value:g}"
    return f"{'about ' if m.approx and m.high != float('inf') else ''}{number}" + (
        "+" if m.high == float("inf") else "")


def compare_story(articles: list[Article], facts: dict[int, dict], copies: list[tuple[int, int | None]],
                  undated: Collection[int] = ()) -> Comparison:
    """Compare the articles of one story; `facts` maps article id to its facts JSON, `copies` (id, copy_of) links.

    `undated` articles have no credible date of their own (missing or suspect): their relative time
    expressions ("on Tuesday"), resolved against that date, stay off the timeline.
    """
    articles = [a for a in articles if a.id is not None]
    groups = _groups(articles, copies)
    result = Comparison(independent_sources=len(groups))
    if not articles:
        result.note = "no articles"
    elif len(articles) < 2:
        result.note = "one article: nothing to compare"
    elif len(groups) < 2:
        result.note = "only copies of one report: no independent confirmation"
    rep_facts = [facts.get(g.rep.id, {}) for g in groups]
    places = _main_places(rep_facts)
    found = [measures(f, places) for f in rep_facts]
    _numbers(result, groups, found)
    clusters = _quotes(groups, rep_facts)
    result.quotes = sorted(clusters, key=lambda c: -len({m.group for m in c.mentions}))
    _speech_days(result, groups, clusters)
    result.headlines = check_headlines([(a.id, a.title or "", a.text) for a in articles])
    result.timeline = _timeline(groups, rep_facts, set(undated))
    result.summary = _summary(groups)
    if len(groups) > 1:
        _unechoed_sentences(result, groups, rep_facts)
        result.single_source = _unechoed(result.single_source, groups)
    return result


def _numbers(result: Comparison, groups: list[_Group], found: list[list[Measure]]) -> None:
    """Contradictions, agreements and single-source claims among the groups' quantities."""
    flat = [(gi, m) for gi, ms in enumerate(found) for m in ms]
    conflicts: list[tuple[Measure, dict[str, tuple[set[int], list[str]]]]] = []
    for i, (ga, a) in enumerate(flat):
        for gb, b in flat[i + 1:]:
            if ga == gb or not conflict(a, b):
                continue
            values = next((v for first, v in conflicts if same_key(first, a) or same_key(first, b)), None)
            if values is None:
                values = {}
                conflicts.append((a, values))
            for g, m in ((ga, a), (gb, b)):
                ids, evidence = values.setdefault(_show(m), (set(), []))
                ids.update(groups[g].members)
                if m.sentence not in evidence:
                    evidence.append(m.sentence)
    result.contradictions = [Contradiction(first.label, [Value(v, sorted(ids), ev) for v, (ids, ev) in values.items()])
                             for first, values in conflicts]
    disputed = [first for first, _ in conflicts]
    agreed: list[tuple[Measure, set[int], set[int]]] = []  # first measure, groups, article ids
    for g, m in flat:
        if any(same_key(first, m) for first in disputed):
            continue
        for first, gs, ids in agreed:
            if same_key(first, m) and compatible(first, m) and first.low > float("-inf"):
                gs.add(g)
                ids.update(groups[g].members)
                break
        else:
            agreed.append((m, {g}, set(groups[g].members)))
    for first, gs, ids in agreed:
        if len(gs) >= 2:
            result.agreements.append(Agreement(first.label, _show(first), sorted(ids)))
        elif len(groups) > 1 and not any(_echoed(first, m) for g, m in flat if g not in gs):
            g = next(iter(gs))
            result.single_source.append(SingleSource(first.label, _show(first), first.sentence, groups[g].rep.id,
                                                     groups[g].members))


def _echoed(a: Measure, b: Measure) -> bool:
    """Another source speaks of the same thing: same key, or the same number of the same head noun."""
    if same_key(a, b):
        return True
    if a.key[0] == "unit" or b.key[0] == "unit":
        return a.value == b.value and a.key[:2] == b.key[:2]
    head_a, head_b = a.key[-1].rstrip("s"), b.key[-1].rstrip("s")
    return a.value == b.value and (head_a.endswith(head_b) or head_b.endswith(head_a))


def _unechoed_sentences(result: Comparison, groups: list[_Group], rep_facts: list[dict], per_source: int = 3) -> None:
    """Dated statements (a sentence with a resolved time) that no other source's sentences echo."""
    texts = [sentences(g.rep.text) for g in groups]
    for gi, (g, f) in enumerate(zip(groups, rep_facts, strict=True)):
        others = [t for gj, ts in enumerate(texts) if gj != gi for t in ts]
        dated = {(t.get("sentence") or "").strip() for t in f.get("times", []) if t.get("date")}
        found = [s for s in dated if s and "\n" not in s and 8 <= len(s.split()) <= 60
                 and all(similarity(s, o) < 0.25 for o in others)]
        for claim in sorted(found, key=lambda s: texts[gi].index(s) if s in texts[gi] else len(texts[gi]))[:per_source]:
            result.single_source.append(SingleSource("statement", "", claim, g.rep.id, g.members))


def _unechoed(claims: list[SingleSource], groups: list[_Group]) -> list[SingleSource]:
    """Each claim sentence once, and only when no other source has a sentence like it."""
    texts = {g.rep.id: sentences(g.rep.text) for g in groups}
    kept: dict[str, SingleSource] = {}
    for c in claims:
        others = [t for rep, ts in texts.items() if rep != c.article_id for t in ts]
        if c.claim not in kept and "\n" not in c.claim and all(similarity(c.claim, o) < 0.3 for o in others):
            kept[c.claim] = c
    return list(kept.values())


def _quotes(groups: list[_Group], rep_facts: list[dict]) -> list[QuoteCluster]:
    mentions = [QuoteMention(g.rep.id, gi, q.get("speaker"), q["text"], bool(q.get("direct")), q.get("sentence") or "")
                for gi, (g, f) in enumerate(zip(groups, rep_facts, strict=True)) for q in f.get("quotes", [])
                if q.get("speaker") and len(q["text"].split()) >= 4]
    return cluster_quotes(mentions)


def _speech_days(result: Comparison, groups: list[_Group], clusters: list[QuoteCluster]) -> None:
    """On which day a speaker made a statement that two or more sources quote: agree or contradict."""
    shared = [c for c in clusters if len({m.group for m in c.mentions}) >= 2 and surname(c.speaker)]
    days = [speech_days(sentences(g.rep.text), {s for c in shared if (s := surname(c.speaker))}) for g in groups]
    for c in shared:
        name = surname(c.speaker)
        said: dict[str, tuple[set[int], list[str]]] = {}
        for gi in sorted({m.group for m in c.mentions}):
            if name in days[gi]:
                day, evidence = days[gi][name]
                ids, ev = said.setdefault(day, (set(), []))
                ids.update(groups[gi].members)
                ev.append(evidence)
        attribute = f"day {c.speaker} made the statement \"{_clip(c.text, 60)}\""
        if len(said) >= 2:
            values = [Value(day, sorted(ids), ev) for day, (ids, ev) in said.items()]
            result.contradictions.append(Contradiction(attribute, values))
        elif said and len(next(iter(said.values()))[1]) >= 2:
            day, (ids, _) = next(iter(said.items()))
            result.agreements.append(Agreement(attribute, day, sorted(ids)))


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "…"


def _timeline(groups: list[_Group], rep_facts: list[dict], undated: set[int]) -> list[TimelineEntry]:
    """Events by resolved date: each dated sentence once, same-date sentences from several sources merged.

    Only whole sentences count (not a dateline such as "OSLO, March 3 (Wire) -"), and an undated
    article's relative expressions are skipped: they were resolved against a date that is not its own.
    """
    entries: list[TimelineEntry] = []
    for g, f in zip(groups, rep_facts, strict=True):
        for t in f.get("times", []):
            date, sentence = t.get("date"), (t.get("sentence") or "").strip()
            if (not date or not sentence or "\n" in sentence or len(sentence.split()) < 5
                    or sentence[-1] not in ".!?\"”’"):
                continue
            if g.rep.id in undated and not _YEAR.search(t.get("text") or ""):
                continue
            date = date.split("/")[0]
            for e in entries:
                if e.date == date and (e.text == sentence or similarity(e.text, sentence) >= 0.5):
                    e.article_ids = sorted(set(e.article_ids) | set(g.members))
                    break
            else:
                entries.append(TimelineEntry(date, sentence, list(g.members)))
    return sorted(entries, key=lambda e: e.date)


def _summary(groups: list[_Group], size: int = 4) -> list[SummarySentence]:
    """Central sentences (most echoed by the other sources, early in their article), without repeats."""
    candidates = [(gi, i, s) for gi, g in enumerate(groups) for i, s in enumerate(sentences(g.rep.text)[:12])
                  if 8 <= len(s.split()) <= 50 and s[-1:] in ".!?\"”"]
    scored = []
    for gi, i, s in candidates:
        echo = sum(max((similarity(s, t) for gj, _, t in candidates if gj == other), default=0.0)
                   for other in range(len(groups)) if other != gi)
        scored.append((echo + 1.0 / (i + 1), gi, s))
    chosen: list[SummarySentence] = []
    for _, gi, s in sorted(scored, key=lambda x: -x[0]):
        if all(similarity(s, c.sentence) < 0.45 for c in chosen):
            chosen.append(SummarySentence(s, groups[gi].rep.id))
        if len(chosen) == size:
            break
    return chosen
