"""Quotes across sources: one statement in different words is one quote with variants; the day each source dates it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.compare.quantities import WEEKDAYS

SPEECH = re.compile(r"\b(said|says|say|told|tells|telling|confirmed|confirms|speaking|spoke|announced|stated|"
                    r"added|declared|apologi[sz]ed|wrote|insisted|warned|commented|explained)\b", re.I)
NEGATION = re.compile(r"\b(not|no|never|n't|nothing|none|cannot|without)\b|n't\b", re.I)
STOP = {"the", "a", "an", "of", "in", "on", "at", "to", "and", "or", "is", "are", "be", "we", "our", "it", "this",
        "that", "for", "with", "will", "have", "has", "do", "does", "i", "you", "they", "there", "all", "as", "so"}


@dataclass(slots=True)
class QuoteMention:
    """A quote as one article states it."""

    article_id: int
    group: int  # independence group (a report and its copies)
    speaker: str | None
    text: str
    direct: bool
    sentence: str


@dataclass(slots=True)
class QuoteCluster:
    """One statement and how each source words it."""

    speaker: str | None
    text: str
    mentions: list[QuoteMention] = field(default_factory=list)


def surname(speaker: str | None) -> str | None:
    """The last capitalised word of a speaker's name, lowercased (None for descriptions like 'one official')."""
    if not speaker:
        return None
    names = [w for w in re.findall(r"[A-Za-zÀ-ÿ'’-]+", speaker) if w[:1].isupper()]
    return names[-1].lower() if names and len(names) == len(speaker.split()) else None


def _content(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if w not in STOP and len(w) > 1]


def similarity(a: str, b: str) -> float:
    """Lexical similarity of two wordings: Dice overlap of their content words."""
    wa, wb = set(_content(a)), set(_content(b))
    return 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0


def altered(a: str, b: str) -> bool:
    """A variant that changes the meaning: negation present in one wording only, or different numbers."""
    neg = bool(NEGATION.search(a)) != bool(NEGATION.search(b))
    return neg or set(re.findall(r"\d+", a)) != set(re.findall(r"\d+", b))


def cluster_quotes(mentions: list[QuoteMention], threshold: float = 0.3) -> list[QuoteCluster]:
    """Group mentions of the same statement: same speaker (by surname) and similar wording, across sources."""
    clusters: list[QuoteCluster] = []
    for m in mentions:
        best, best_sim = None, 0.0
        for c in clusters:
            head = c.mentions[0]
            same_speaker = surname(head.speaker) is not None and surname(head.speaker) == surname(m.speaker)
            if any(x.article_id == m.article_id for x in c.mentions):
                continue
            sim = similarity(head.text, m.text)
            need = threshold if same_speaker else 0.7
            if sim >= need and sim > best_sim:
                best, best_sim = c, sim
        if best is None:
            clusters.append(QuoteCluster(m.speaker, m.text, [m]))
        else:
            best.mentions.append(m)
    return clusters


def _speech_day(sentence: str) -> str | None:
    """The weekday that sits close to a speech verb (within eight words), when only one does."""
    days = set()
    for verb in SPEECH.finditer(sentence):
        for day in re.finditer(rf"\b({'|'.join(WEEKDAYS)})\b", sentence, re.I):
            between = sentence[verb.end():day.start()] if day.start() > verb.end() else sentence[day.end():verb.start()]
            if len(between.split()) <= 8:
                days.add(day.group(1).capitalize())
    return days.pop() if len(days) == 1 else None


def speech_days(sentences: list[str], speakers: set[str]) -> dict[str, tuple[str, str]]:
    """Per speaker surname: the weekday a sentence says they spoke, with that sentence (only when unambiguous)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for sentence in sentences:
        day = _speech_day(sentence)
        if day is None:
            continue
        for name in speakers:
            if re.search(rf"\b{re.escape(name)}\b", sentence.lower()):
                found.setdefault(name, set()).add((day, sentence))
    return {name: next(iter(v)) for name, v in found.items() if len({d for d, _ in v}) == 1}
