"""Claims of reports not in English, and how claims in two languages are aligned.

A report in another language has no English parse; its claims come from its facts: every amount whose counted
thing or unit the language profile names in English (`Quantity.measured`), dated by the one date its sentence
gives, with the speaker of a quote in that sentence. Claims in one language are aligned as English ones are
(content words weighted by rarity in the story), but, as no parse tells their verb, subject or modifiers, only
at the similarity English claims need when neither verb nor noun is shared (ALIGN_ALONE). Claims in two
languages meet only on what is language-neutral:
- the same measured thing, never a bare count of "people" or a duration (too general to be one claim), and no
  English modifier that the other language cannot be shown to share ("*Russian* troops");
- a running tally (dead, injured...) aligns when both give the same day, as in one language;
- another counted thing aligns when the sentences share a name (transliterated: "Марсель" meets "Marseille"),
  or when it is the only claim of that thing in each source;
- an amount of money, area or weight needs both: a shared name and one claim of that unit in each source.
"""

from __future__ import annotations

import re
from collections import Counter

from storyline.analyse.patterns import UNIT_NAMES
from storyline.cluster.features import fold
from storyline.compare.claims import ALIGN_ALONE, Claim, alignment, interval, similarity

CROSS_NAMED = 0.6  # confidence of a cross-language alignment on the same measured thing and a shared name
CROSS_ALONE = 0.5  # ... on the same measured thing, the only one of its kind in each source
CROSS_TALLY = 0.7  # ... on a running tally given for the same day
# English words the languages' profiles cannot tell apart ("maison", "Haus" and "casa" are both)
SAME_THING = {"home": "house", "troop": "soldier", "rescue worker": "rescuer"}
TOO_GENERAL = frozenset({"people", "year", "month", "week", "day", "hour", "minute", "second", "percentage"})
_NAME = re.compile(r"(?<=[\s(«“\"'])[^\W\d_][\w'’-]+")
_WORD = re.compile(r"[^\W\d_]{3,}")


def foreign_claims(facts: dict, article_id: int, group: int, published: str | None) -> list[Claim]:
    """The amount claims of a report read by patterns (its facts' `measured` amounts)."""
    dates: dict[int, set[str]] = {}
    for t in facts.get("times", []):
        if t.get("date") and len(t["date"]) == 10:
            dates.setdefault(t["sentence_index"], set()).add(t["date"])
    speakers = {q["sentence_index"]: q["speaker"] for q in facts.get("quotes", []) if q.get("speaker")}
    claims = []
    for q in facts.get("quantities", []):
        measured = q.get("measured")
        sentence = q.get("sentence") or ""
        if not measured or not sentence:
            continue
        index = q["sentence_index"]
        days = dates.get(index, set())
        low, high = interval(float(q["value"]), q.get("value_max"), q.get("bound", "="), bool(q.get("approx")),
                             q.get("text") or "", bool(q.get("unit")))
        claims.append(Claim(
            article_id=article_id, group=group, measured=measured, frame="", modifiers=frozenset(),
            subject=frozenset(), agents=frozenset(), scope=frozenset(), verb="",
            when=next(iter(days)) if len(days) == 1 else None,
            published=published, elsewhen=False, speaker=speakers.get(index), value=float(q["value"]),
            low=low, high=high, approx=bool(q.get("approx")) or q.get("bound") == "~", text=q.get("text") or "",
            sentence=sentence, sentence_index=index,
            context=frozenset(w.lower() for w in _WORD.findall(fold(sentence)))))
    return claims


def aligned_within(a: Claim, b: Claim, idf: dict[str, float]) -> float | None:
    """How surely two claims read by patterns in one language state the same thing, or None."""
    if similarity(a.context, b.context, idf) < ALIGN_ALONE:
        return None
    return alignment(a, b, idf)


def names(sentence: str) -> frozenset[str]:
    """The capitalised words of a sentence after its first, in one spelling for all scripts."""
    return frozenset(fold(m.group(0)).lower() for m in _NAME.finditer(" " + sentence)
                     if m.group(0)[0].isupper() and m.start() > 1)


def _thing(c: Claim) -> str:
    return SAME_THING.get(c.measured, c.measured)


def aligned_across(claims: list[Claim], language: list[str]) -> list[tuple[int, int, float]]:
    """(i, j, confidence) for each pair of claims in two languages that state the same measured thing;
    `language` gives each group's language."""
    kinds = Counter((c.group, c.measured) for c in claims)
    named = [names(c.sentence) for c in claims]
    pairs = []
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.group == b.group or language[a.group] == language[b.group] or _thing(a) != _thing(b):
                continue
            if a.measured in TOO_GENERAL or a.modifiers or b.modifiers or a.frame or b.frame:
                continue
            alone = kinds[(a.group, a.measured)] == 1 and kinds[(b.group, b.measured)] == 1
            shared = bool(named[i] & named[j])
            if a.tally:
                score = CROSS_TALLY if a.when and a.when == b.when else None
            elif a.measured in UNIT_NAMES:
                score = CROSS_NAMED if shared and alone else None
            else:
                score = CROSS_NAMED if shared else CROSS_ALONE if alone else None
            if score is not None:
                pairs.append((i, j, score))
    return pairs
