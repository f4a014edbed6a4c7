"""Compare a story's sources: contradictions, agreements, single-source claims, quotes, headlines, timeline, summary."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from storyline.analyse.nlp import get_nlp
from storyline.analyse.quantities import scan
from storyline.compare.claims import (
    HEADLINE,
    Attribute,
    Claim,
    addresses,
    ages,
    alignment,
    claims_of_sentence,
    interval,
    overlaps,
    same_time,
    slipped,
    weekdays,
    weights,
)
from storyline.compare.crosslingual import aligned_across, aligned_within, foreign_claims
from storyline.compare.headlines import (
    MAX_BODY,
    HeadlineCheck,
    bare_headline,
    check_headlines,
    content_stems,
    truecase,
)
from storyline.compare.nationality import nationality
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
# A sentence that opens with a label or kicker ("UPDATE:", "WATCH -", "SINGAPORE —", "Key points ..."), not a statement.
LABEL = re.compile(r"[^a-z]{0,40}?\b[A-Z]{2,}[A-Z ]*\s*[:|–—-]\s|[^.!?]{0,40}:\s"
                   r"|(?:[A-Z][\w'’]*\s+){3,}[A-Z][a-z]+ [A-Z]")
SPEECH_DAY_CONFIDENCE = 0.7  # one quote in two sources, each dating the speech verb that governs a weekday
ATTRIBUTE_CONFIDENCE = 0.8  # an age of one named person, a street number of one address, a weekday of one date
ECHOED = 0.5  # share of a sentence's weighted content words another source uses, at which it echoes it
MAX_CLAIM_SENTENCE = 1000  # longer "sentences" are page debris, not statements
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“A-Z0-9])")


@dataclass(slots=True)
class Value:
    """One value a set of sources gives for an attribute, with the sentences that say it."""

    value: str
    article_ids: list[int]
    evidence: list[str]
    speakers: list[str] = field(default_factory=list)  # who the sources attribute the value to, when they do


@dataclass(slots=True)
class Contradiction:
    """An attribute on which independent sources give values that cannot all be true."""

    attribute: str
    values: list[Value]
    confidence: float = 1.0  # how surely the values are about the same thing at the same time (0..1)


@dataclass(slots=True)
class Agreement:
    """A value stated by two or more independent sources."""

    attribute: str
    value: str
    article_ids: list[int]
    confidence: float = 1.0


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
            "contradictions": [{"attribute": c.attribute, "confidence": c.confidence, "values": [
                {"value": v.value, "article_ids": v.article_ids, "evidence": v.evidence, "speakers": v.speakers}
                for v in c.values]}
                for c in self.contradictions],
            "agreements": [{"attribute": a.attribute, "value": a.value, "article_ids": a.article_ids,
                            "confidence": a.confidence} for a in self.agreements],
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


def _show(c: Claim) -> str:
    """A value as people write it: "60", "about 1,000", "2+"."""
    number = f"{c.value:,.0f}" if c.value == int(c.value) else f"{c.value:g}"
    return f"{'about ' if c.approx and c.high != float('inf') else ''}{number}" + (
        "+" if c.high == float("inf") else "")


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
    echoed = _numbers(result, groups, _claims(groups, rep_facts, places), rep_facts)
    clusters = _quotes(groups, rep_facts)
    result.quotes = sorted(clusters, key=lambda c: -len({m.group for m in c.mentions}))
    _speech_days(result, groups, clusters, rep_facts)
    if len(groups) > 1:
        _attributes(result, groups)
    result.contradictions.sort(key=lambda c: -c.confidence)  # the surest first
    # headlines are judged from the English parse; in another language the check abstains (no verdict)
    result.headlines = check_headlines([(a.id, a.title or "", sentences(a.text[:MAX_BODY])) for a in articles
                                        if _english(facts.get(a.id, {}))])
    result.timeline = _timeline(groups, rep_facts, set(undated))
    result.summary = _summary(groups)
    if len(groups) > 1:
        _single_source(result, groups, rep_facts, echoed)
    return result


def _language(facts: dict) -> str:
    """The language a source's claims are read in ("en" for English and facts stored before facts said it)."""
    return "en" if _english(facts) else (facts.get("language") or "?")


def _english(facts: dict) -> bool:
    """Facts read from an English parse (or stored before facts said their language)."""
    return facts.get("coverage") in (None, "full")


def _claims(groups: list[_Group], rep_facts: list[dict], places: set[str]) -> list[Claim]:
    """Every amount claim of the groups' reports, read from the parse of the English sentences that state amounts,
    and from the facts of reports in other languages."""
    jobs: list[tuple[int, int, str, list[dict], list[dict]]] = []
    foreign: list[Claim] = []
    for gi, f in enumerate(rep_facts):
        if not _english(f):
            foreign.extend(foreign_claims(f, groups[gi].rep.id, gi, groups[gi].rep.published))
            continue
        times: dict[int, list[dict]] = {}
        for t in f.get("times", []):
            times.setdefault(t["sentence_index"], []).append(t)
        lines: dict[tuple[int, str], list[dict]] = {}
        for q in f.get("quantities", []):
            line = next((p for p in (q.get("sentence") or "").split("\n") if q.get("text") and q["text"] in p), "")
            if line and len(line) <= MAX_CLAIM_SENTENCE:
                lines.setdefault((q["sentence_index"], line), []).append(q)
        jobs.extend((gi, idx, line, qs, times.get(idx, [])) for (idx, line), qs in lines.items())
        title = truecase(bare_headline(groups[gi].rep.title or ""), groups[gi].rep.text[:MAX_BODY])
        if amounts := [asdict(q) for q, *_ in scan(title)]:
            jobs.append((gi, HEADLINE, title, amounts, []))
    docs = get_nlp().pipe([line for _, _, line, _, _ in jobs])
    return [c for (gi, idx, _, qs, ts), doc in zip(jobs, docs, strict=True)
            for c in claims_of_sentence(doc, qs, ts, groups[gi].rep.id, gi, idx, places, groups[gi].rep.published)
            ] + foreign


def _amounts_by_group(rep_facts: list[dict]) -> list[list[tuple[str, float, float]]]:
    """Per source, every amount with a unit it states, as (unit, low, high): "S$1,200" is (singapore dollar, ...)."""
    return [[((q.get("unit") or "").lower(), *interval(float(q["value"]), q.get("value_max"), q.get("bound", "="),
                                                      bool(q.get("approx")), q.get("text") or "", True))
             for q in f.get("quantities", []) if q.get("unit")] for f in rep_facts]


def _also_states(amounts: list[tuple[str, float, float]], own: Claim, claim: Claim) -> bool:
    """The source of `own` also gives, in another unit of the same kind, an amount that agrees with `claim`
    ("US$885 (S$1,200)" against "over $1,000": the same sum in two currencies, not a contradiction). An amount
    in `own`'s unit does not count: "S$1,121" in a headline is the body's "S$1,121.60" cut short, not a
    conversion, and still disagrees with another source's "$1,120.60"."""
    kind = claim.measured.split()[-1]
    return any(u.split()[-1] == kind and u != own.measured and low <= claim.high and claim.low <= high
               for u, low, high in amounts)


def _numbers(result: Comparison, groups: list[_Group], claims: list[Claim], rep_facts: list[dict]) -> set[str]:
    """Contradictions and agreements among aligned claims; claims no other source gives are single-source.

    Returns the sentences that state an amount another source gives too."""
    idf = weights(c.context for c in claims)
    language = [_language(f) for f in rep_facts]
    best: dict[tuple[int, int], tuple[float, int]] = {}  # (claim, other group) -> its best-aligned claim there
    aligned = [(i, j, score) for i, a in enumerate(claims) for j in range(i + 1, len(claims))
               if language[a.group] == language[claims[j].group]
               and (score := (alignment(a, claims[j], idf) if language[a.group] == "en"
                              else aligned_within(a, claims[j], idf))) is not None] + aligned_across(claims, language)
    for i, j, score in aligned:
        for k, other in ((i, j), (j, i)):
            key = (k, claims[other].group)
            if score > best.get(key, (-1.0, -1))[0]:
                best[key] = (score, other)
    # A sentence that gives several values of one measured thing lists different items ("25% on Mexico and 10%
    # on China"); which of them another source's value is about is unknowable, so none of them is contradicted.
    values_in_sentence: dict[tuple, set[float]] = {}
    for c in claims:
        values_in_sentence.setdefault(_item(c), set()).add(c.value)
    listed = {k for k, c in enumerate(claims) if len(values_in_sentence[_item(c)]) > 1}
    # A thing one source gives different values of in different sentences varies within the story (each
    # player's points, each offer, each day's count): another source's value may be any of them, so none of
    # them is contradicted either.
    by_thing: dict[tuple, list[Claim]] = {}
    for c in claims:
        by_thing.setdefault((c.group, c.measured, c.frame, c.modifiers), []).append(c)
    listed |= {k for k, c in enumerate(claims)
               if any(not overlaps(c, o) for o in by_thing[(c.group, c.measured, c.frame, c.modifiers)])}
    stated = _amounts_by_group(rep_facts)
    conflicting = [(i, j, s) for i, j, s in aligned if not overlaps(claims[i], claims[j])
                   and same_time(claims[i], claims[j]) and i not in listed and j not in listed
                   and not _also_states(stated[claims[i].group], claims[i], claims[j])
                   and not _also_states(stated[claims[j].group], claims[j], claims[i])
                   and best[(i, claims[j].group)][1] == j and best[(j, claims[i].group)][1] == i]
    in_conflict = {k for i, j, _ in conflicting for k in (i, j)}
    for members, score in _components(conflicting):
        values: dict[str, Value] = {}
        for k in sorted(members, key=lambda k: claims[k].value):
            value = values.setdefault(_show(claims[k]), Value(_show(claims[k]), [], []))
            value.article_ids = sorted(set(value.article_ids) | set(groups[claims[k].group].members))
            if claims[k].sentence not in value.evidence:
                value.evidence.append(claims[k].sentence)
            if claims[k].speaker and claims[k].speaker not in value.speakers:
                value.speakers.append(claims[k].speaker)
        if len(values) >= 2:
            result.contradictions.append(Contradiction(claims[min(members)].label, list(values.values()), score))
    agreeing = [(i, j, s) for i, j, s in aligned
                if overlaps(claims[i], claims[j]) and i not in in_conflict and j not in in_conflict]
    for members, score in _components(agreeing):
        first = claims[min(members)]
        ids = sorted({a for k in members for a in groups[claims[k].group].members})
        result.agreements.append(Agreement(first.label, _show(first), ids, score))
    partnered = {k for i, j, _ in aligned for k in (i, j)}
    # a source in another language that states the same value may well say the same thing in words we cannot align
    foreign_values = {(language[gi], float(q["value"])) for gi, f in enumerate(rep_facts)
                      for q in f.get("quantities", [])}
    echoed: set[str] = set()
    for k, c in enumerate(claims):
        if k in partnered or any(o.group != c.group and o.measured == c.measured and overlaps(o, c) for o in claims) \
                or any(lang != language[c.group] and value == c.value for lang, value in foreign_values):
            echoed.add(c.sentence)  # another source gives this amount of this thing, maybe in other words
        elif len(groups) > 1:
            g = groups[c.group]
            result.single_source.append(SingleSource(c.label, _show(c), c.sentence, g.rep.id, g.members))
    return echoed


def _item(c: Claim) -> tuple:
    """What one value in a sentence is of: the sentence and the measured thing with its frame and modifiers."""
    return c.article_id, c.sentence_index, c.measured, c.frame, c.modifiers


def _components(pairs: list[tuple[int, int, float]]) -> list[tuple[set[int], float]]:
    """Connected groups of linked claims, each with its best link score."""
    parent: dict[int, int] = {}

    def root(k: int) -> int:
        while parent.setdefault(k, k) != k:
            k = parent[k]
        return k

    for i, j, _ in pairs:
        parent[root(i)] = root(j)
    found: dict[int, tuple[set[int], float]] = {}
    for i, j, score in pairs:
        members, best = found.get(root(i), (set(), 0.0))
        found[root(i)] = (members | {i, j}, max(best, score))
    return list(found.values())


class _Echo:
    """How much of a sentence another source's text carries: the share of its content words (weighted by how
    rare they are among the story's sources) that the other text uses. A claim the others tell in other
    words still shares its names and rare nouns, so it is not "said by one source only"."""

    def __init__(self, groups: list[_Group]) -> None:
        self.words = [set(content_stems(g.rep.text[:MAX_BODY])) for g in groups]
        df = Counter(w for ws in self.words for w in ws)
        self.idf = {w: math.log((len(groups) + 1) / d) for w, d in df.items()}

    def best(self, sentence: str, group: int) -> float:
        """The highest share of the sentence's weighted content words that any other source uses."""
        words = set(content_stems(sentence))
        total = sum(self.idf.get(w, 1.0) for w in words)
        if not total:
            return 1.0
        return max((sum(self.idf.get(w, 1.0) for w in words & other) / total
                    for gi, other in enumerate(self.words) if gi != group), default=0.0)


def _single_source(result: Comparison, groups: list[_Group], rep_facts: list[dict], echoed: set[str],
                   per_source: int = 3) -> None:
    """Amount claims and dated statements that no other source echoes (in its words, or by giving the same
    amount of the same thing), at most `per_source` per source."""
    echo = _Echo(groups)
    by_group = {gi: [c for c in result.single_source if c.article_id == g.rep.id] for gi, g in enumerate(groups)}
    languages = Counter(_language(f) for f in rep_facts)
    for gi, f in enumerate(rep_facts):
        if languages[_language(f)] < 2:
            continue  # no other source in its language: whether one echoes its statements cannot be read
        dated = sorted({(t["sentence_index"], (t.get("sentence") or "").strip()) for t in f.get("times", [])
                        if t.get("date")})
        by_group[gi] += [SingleSource("statement", "", s, groups[gi].rep.id, groups[gi].members)
                         for _, s in dated if 8 <= len(s.split()) <= 60]
    kept: list[SingleSource] = []
    for gi, claims in by_group.items():
        seen: set[str] = set()
        for c in claims:
            if c.claim in seen or c.claim in echoed or "\n" in c.claim or echo.best(c.claim, gi) >= ECHOED:
                continue
            seen.add(c.claim)
            kept.append(c)
            if len(seen) == per_source:
                break
    result.single_source = kept


def _long_enough(quote: str) -> bool:
    """Four words or more; in a script written without spaces (Chinese, Japanese), eight characters or more."""
    return len(quote.split()) >= 4 or (len(quote) >= 8 and " " not in quote.strip())


def _quotes(groups: list[_Group], rep_facts: list[dict]) -> list[QuoteCluster]:
    mentions = [QuoteMention(g.rep.id, gi, q.get("speaker"), q["text"], bool(q.get("direct")), q.get("sentence") or "")
                for gi, (g, f) in enumerate(zip(groups, rep_facts, strict=True)) for q in f.get("quotes", [])
                if q.get("speaker") and _long_enough(q["text"])]
    return cluster_quotes(mentions)


def _speech_days(result: Comparison, groups: list[_Group], clusters: list[QuoteCluster], rep_facts: list[dict],
                 ) -> None:
    """On which day a speaker made a statement that two or more sources quote: agree or contradict (read from
    the English parse; a report in another language gives no day)."""
    shared = [c for c in clusters if len({m.group for m in c.mentions}) >= 2 and surname(c.speaker)]
    names = {s for c in shared if (s := surname(c.speaker))}
    days = [speech_days(sentences(g.rep.text), names) if _english(f) else {} for g, f in zip(groups, rep_facts,
                                                                                            strict=True)]
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
            result.contradictions.append(Contradiction(attribute, values, SPEECH_DAY_CONFIDENCE))
        elif said and len(next(iter(said.values()))[1]) >= 2:
            day, (ids, _) = next(iter(said.items()))
            result.agreements.append(Agreement(attribute, day, sorted(ids), SPEECH_DAY_CONFIDENCE))


def _attributes(result: Comparison, groups: list[_Group]) -> None:
    """Ages of one named person, street numbers of one address, and weekdays of one date on which independent
    sources disagree. A source that gives two values for one of them is left out of it (it lists several
    places or people); two weekdays of one date conflict only as written beside it, one of them wrongly."""
    found: dict[tuple[str, str], list[Attribute]] = {}
    for gi, g in enumerate(groups):
        text = g.rep.text
        for a in (*ages(text, gi), *addresses(text, gi), *weekdays(text, gi, g.rep.published)):
            found.setdefault((a.kind, a.key), []).append(a)
    names = {"age": "age of {}", "address": "street number of {}", "weekday": "weekday of {}"}
    for (kind, key), attrs in found.items():
        by_group: dict[int, set[str]] = {}
        for a in attrs:
            by_group.setdefault(a.group, set()).add(a.value)
        said: dict[str, Value] = {}
        for a in attrs:
            if len(by_group[a.group]) == 1:
                value = said.setdefault(a.value, Value(a.value, [], []))
                value.article_ids = sorted(set(value.article_ids) | set(groups[a.group].members))
                if a.sentence not in value.evidence:
                    value.evidence.append(a.sentence)
        if kind == "age" and not _ages_conflict({g: (int(next(iter(v))), groups[g].rep.published)
                                                 for g, v in by_group.items() if len(v) == 1}):
            continue
        if len(said) >= 2 and (kind != "weekday" or any(slipped(a) for a in attrs)):
            values = sorted(said.values(), key=lambda v: v.value)
            result.contradictions.append(Contradiction(names[kind].format(key), values, ATTRIBUTE_CONFIDENCE))


AGE_SAME_DAYS = 30  # ages a month or less apart can differ by a birthday only by a rare chance


def _ages_conflict(ages: dict[int, tuple[int, str | None]]) -> bool:
    """Whether two sources' ages of one person cannot both hold, given when each published: the later source
    gives a lower age, or one higher by more than the years between them allow (a birthday may fall between
    reports a month or more apart: 27 in 2010 and 29 in 2013 agree). Undated sources are not compared."""
    dated = sorted((d, age) for age, published in ages.values() if (d := _ordinal(published)) is not None)
    for i, (day, age) in enumerate(dated):
        for later_day, later_age in dated[i + 1:]:
            gap = later_day - day
            allowed = gap // 365 + (1 if gap >= AGE_SAME_DAYS else 0)
            if later_age < age or later_age - age > allowed:
                return True
    return False


def _ordinal(published: str | None) -> int | None:
    try:
        return date.fromisoformat(published[:10]).toordinal() if published else None
    except ValueError:
        return None


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
                  if 8 <= len(s.split()) <= 50 and s[-1:] in ".!?\"”" and not LABEL.match(s)]
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
