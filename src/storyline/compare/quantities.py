"""Align quantities across sources by what they count, where and as of when; decide conflict or agreement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from storyline.analyse.entities import country_name_of

# Words in a count's clause that say which running tally it is (these rise as an event unfolds).
TALLIES = {
    "dead": "dead", "killed": "dead", "died": "dead", "death": "dead", "deaths": "dead", "toll": "dead",
    "fatalities": "dead", "lives": "dead",
    "missing": "missing", "injured": "injured", "wounded": "injured", "hurt": "injured",
    "evacuated": "evacuated", "rescued": "rescued", "arrested": "arrested", "detained": "arrested",
}
PERSONNEL = {"troops", "soldiers", "instructors", "trainers", "personnel", "forces", "advisers", "advisors",
             "mercenaries", "servicemen", "marines", "officers", "fighters", "military"}
CURRENCIES = {"crowns", "kroner", "krone", "dollars", "euros", "pounds", "francs", "yen", "rubles", "roubles", "yuan"}
GENERIC = {"people", "persons", "person", "ones", "others", "residents", "inhabitants"}
RELATIVE = re.compile(r"\b(more|another|additional|other|further|extra)\b", re.I)
BOUNDARY = re.compile(r"[,;:()\"“”]|\b(and|but|while|whereas|which|who)\b", re.I)
SUBORDINATE = re.compile(r"\b(after|when|since|before|once|as|until|following)\b", re.I)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
STOP = {"the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or", "was", "were", "is",
        "are", "has", "have", "had", "been", "be", "its", "their", "his", "her", "that", "this", "it", "about",
        "around", "some", "roughly", "approximately", "nearly", "almost", "least", "than", "over", "under", "up",
        "still", "now", "they", "where", "which", "who", "into", "also"}


@dataclass(frozen=True, slots=True)
class Measure:
    """One quantity an article states, with the key it aligns on and its time scope."""

    key: tuple[str, ...]
    label: str  # human-readable attribute
    value: float
    approx: bool
    low: float
    high: float
    text: str
    sentence: str
    as_of: str | None  # weekday name or resolved date the count holds at, when the sentence says
    tally: bool


def _tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’-]*", text)


# Demonyms that no suffix rule turns into their country's name.
IRREGULAR = {"french": "France", "british": "United Kingdom", "brit": "United Kingdom", "turk": "Turkey",
             "turkish": "Turkey", "chinese": "China", "dutch": "Netherlands", "swiss": "Switzerland",
             "spanish": "Spain", "spaniard": "Spain", "danish": "Denmark", "dane": "Denmark", "swedish": "Sweden",
             "swede": "Sweden", "polish": "Poland", "pole": "Poland", "finnish": "Finland", "finn": "Finland",
             "irish": "Ireland", "greek": "Greece", "japanese": "Japan", "vietnamese": "Vietnam",
             "portuguese": "Portugal", "lebanese": "Lebanon", "sudanese": "Sudan", "congolese": "Congo",
             "senegalese": "Senegal", "filipino": "Philippines", "israeli": "Israel", "iraqi": "Iraq",
             "pakistani": "Pakistan", "afghan": "Afghanistan", "yemeni": "Yemen", "saudi": "Saudi Arabia",
             "thai": "Thailand", "norwegian": "Norway", "icelandic": "Iceland", "malian": "Mali"}


@lru_cache(maxsize=4096)
def nationality(word: str) -> str | None:
    """The country a demonym or country name refers to: Russians, Russian, Russia -> Russia."""
    if not word[:1].isupper():
        return None
    bare = word.strip("'’").rstrip("s")
    if bare.lower() in IRREGULAR:
        return country_name_of(IRREGULAR[bare.lower()]) or IRREGULAR[bare.lower()]
    for cand in (word, bare, bare[:-1], bare[:-2], bare[:-3], bare + "y", bare[:-1] + "y", bare[:-3] + "y"):
        if len(cand) >= 4 - (cand == word) * 2 and (name := country_name_of(cand)):
            return name
    return None


def _nationalities(text: str) -> set[str]:
    return {n for w in re.findall(r"U\.S\.|[A-Z][a-z]+", text) if (n := nationality(w))}


def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The words of the number's own clause before and after it (cut at commas and conjunctions)."""
    before, after = sentence[:start], sentence[end:]
    cuts = list(BOUNDARY.finditer(before))
    before = before[cuts[-1].end():] if cuts else before
    cut = BOUNDARY.search(after)
    after = after[:cut.start()] if cut else after
    return before, after


def _tally(before: str, after: str) -> str | None:
    words = [w.lower() for w in _tokens(before)[-8:] + _tokens(after)[:6]]
    kinds = {TALLIES[w] for w in words if w in TALLIES}
    return kinds.pop() if len(kinds) == 1 else None


def as_of(sentence: str, times: list[dict]) -> str | None:
    """When the sentence's statement holds: a 'by'/'as of' time, else one main-clause time; None when unsure."""
    scoped: list[str] = []
    for t in times:
        pos = sentence.find(t["text"])
        if pos < 0:
            continue
        head = sentence[:pos]
        if sentence[pos + len(t["text"]):].startswith(("'s", "’s")):
            continue  # "Monday's flood": names the event, not when the count holds
        key = next((d for d in WEEKDAYS if d in t["text"].lower()), None) or t.get("date")
        if key is None:
            continue
        if re.search(r"\b(by|as of)\s*$", head, re.I):
            return key
        clause = head[m[-1].end():] if (m := list(re.finditer(r"[,;]", head))) else head
        if not SUBORDINATE.search(clause):
            scoped.append(key)
    return scoped[0] if len(set(scoped)) == 1 else None


def measures(facts: dict, main_places: set[str]) -> list[Measure]:
    """The article's alignable quantities; counts of people get a key by nationality, tally and place."""
    times_by_sentence: dict[int, list[dict]] = {}
    for t in facts.get("times", []):
        times_by_sentence.setdefault(t["sentence_index"], []).append(t)
    out: list[Measure] = []
    for q in facts.get("quantities", []):
        sentence = next((p for p in (q.get("sentence") or "").split("\n") if q["text"] and q["text"] in p), "")
        counted = (q.get("counted") or "").strip()
        if RELATIVE.search(counted) or q.get("unit") in {"year of age"}:
            continue
        pos = sentence.find(q["text"]) if q["text"] else -1
        if pos < 0:
            continue
        before, after = _clause(sentence, pos, pos + len(q["text"]))
        partial = RELATIVE.search(after[:12]) or re.match(r"\s+of\b", after)  # "three more", "two of the dead"
        if partial or re.search(r"\b(aged?|one of|per)\s*$", before, re.I):
            continue
        words = [w.lower() for w in _tokens(counted)]
        head = words[-1] if words else ""
        tally = _tally(before, after)
        named = _nationalities(sentence)
        key: tuple[str, ...] | None = None
        if tally and (not head or head in GENERIC or head in {"bodies"}):
            key, label = ("tally", tally), f"people {tally}"
        elif head in PERSONNEL or (counted and nationality(counted.split()[-1])):
            nats = {n for w in counted.split() if (n := nationality(w))} or named - main_places
            if len(nats) != 1:
                continue
            nat = nats.pop()
            scope = (named - {nat}) or (main_places - {nat})
            key = ("personnel", nat, ",".join(sorted(scope)))
            label = f"personnel from {nat} in {', '.join(sorted(scope)) or 'the story area'}"
        elif (q.get("unit") and not counted) or head in CURRENCIES:
            context = {w.lower() for w in _tokens(before)[-4:] + _tokens(after)[:4]} - STOP
            context = {w for w in context if len(w) > 3}
            if len(context) < 2:
                continue
            unit = q.get("unit") or head
            key = ("unit", unit, *sorted(context))
            label = f"{unit} ({' '.join(sorted(context))})"
        elif head and head not in GENERIC and len(words) <= 3:
            key, label = ("count", q.get("unit") or "", *words), f"number of {counted}"
        if key is None:
            continue
        low, high = _range(q)
        when = as_of(sentence, times_by_sentence.get(q["sentence_index"], []))
        loose = bool(q.get("approx")) or q.get("bound", "=") != "="
        out.append(Measure(key, label, float(q["value"]), loose, low, high, q["text"], sentence, when,
                           key[0] == "tally"))
    return out


def _range(q: dict) -> tuple[float, float]:
    value = float(q["value"])
    high = float(q["value_max"]) if q.get("value_max") is not None else value
    bound = q.get("bound", "=")
    if bound == ">":
        return value, float("inf")
    if bound == "<":
        return float("-inf"), high
    if q.get("approx") or bound == "~":
        return value * 0.85, high * 1.15
    return value, high


def same_key(a: Measure, b: Measure) -> bool:
    """Two measures count the same thing (same key; unit keys need two shared context words)."""
    if a.key[0] != b.key[0]:
        return False
    if a.key[0] == "unit":
        return a.key[1] == b.key[1] and len(set(a.key[2:]) & set(b.key[2:])) >= 2
    return a.key == b.key


def same_time(a: Measure, b: Measure) -> bool:
    """Both statements hold at the same time, as far as the text says (a tally needs both times stated)."""
    if a.as_of and b.as_of:
        return a.as_of == b.as_of
    return not (a.tally or b.tally)


def compatible(a: Measure, b: Measure) -> bool:
    """The values can both be true: ranges overlap (approximate and bounded values are ranges)."""
    return a.low <= b.high and b.low <= a.high


def conflict(a: Measure, b: Measure) -> bool:
    """A real contradiction: same thing, same time, and values that cannot both hold."""
    return same_key(a, b) and same_time(a, b) and not compatible(a, b)
