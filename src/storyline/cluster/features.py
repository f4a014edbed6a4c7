"""Cheap, deterministic text features for story clustering.

Two sparse bags per article:
- words: lower-cased content words (English gets a light suffix-stripping
  lemma), the headline counted twice;
- entities: language-independent signals — capitalised names (single words
  and multi-word runs), acronyms and numbers — with diacritics folded so that
  "Niamey" in a Dutch and an English report is the same token.

The analyse stage (entities, places, times) can later replace `entity_tokens`
through the same `Features` record without touching the clusterer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:;\"“”»«(]\s*$")

# Function words of the languages the seeds and the shared sets carry; IDF handles the rest.
_FUNCTION_WORDS = """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
said says say told according would could one two three new last first year years week also per cent mr ms
der die das und ist nicht ein eine einer den dem des mit von zu im auf für sich auch als bei nach wie
le la les et est un une des du dans pour que qui sur pas par au aux ce se sont avec plus il elle
el los las y es en por con para una lo como más del al su sus
il di che e è per non un una sono con da del della dei nel alla
de het een en van op te dat die niet met voor zijn aan ook er maar om
og i er det som på til av for med en ikke at har den de var fra et
"""


_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "đ": "d",
                          "Đ": "D", "ł": "l", "Ł": "L", "ı": "i"})


def strip_accents(text: str) -> str:
    """Remove diacritics (keeping case): a spelling shared by all languages."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


STOPWORDS = frozenset(strip_accents(word) for word in _FUNCTION_WORDS.split())


@dataclass(frozen=True, slots=True)
class Features:
    """The clustering view of one article: term counts, day number and language."""

    words: dict[str, float]
    entities: dict[str, float]
    day: int | None  # proleptic Gregorian ordinal of the (effective) publication date
    language: str | None


def lemma(word: str) -> str:
    """A light English lemma: plural and verb suffixes stripped from longer words."""
    if len(word) > 4:
        if word.endswith("ies"):
            return word[:-3] + "y"
        if word.endswith("ing") and len(word) > 6:
            return word[:-3]
        if word.endswith("ed") and len(word) > 5:
            return word[:-2]
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return word[:-1]
    return word


def word_tokens(text: str, language: str | None) -> list[str]:
    """Content words of `text`, lower-cased (and lemmatised when English)."""
    english = language in (None, "en")
    out = []
    for match in _WORD.finditer(strip_accents(text)):
        token = match.group()
        if token[0].isdigit():
            continue
        word = token.casefold()
        if len(word) < 3 or word in STOPWORDS:
            continue
        out.append(lemma(word) if english else word)
    return out


def _number(token: str) -> str | None:
    digits = token.replace(",", "").replace(".", "") if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token) else token
    digits = digits.split(".")[0].split(",")[0]
    return f"#{int(digits)}" if digits.isdigit() and len(digits) <= 9 else None


def entity_tokens(text: str) -> list[str]:
    """Names, acronyms and numbers: single capitalised words, runs of them joined by '_', and '#n'.

    A capitalised sentence opener counts only when the text never uses it in lower case.
    """
    out: list[str] = []
    run: list[str] = []
    text = strip_accents(text)
    lower = {m.group() for m in _WORD.finditer(text) if m.group()[0].islower()}

    def flush() -> None:
        if len(run) > 1:
            out.append("_".join(run))
        run.clear()

    for line in text.splitlines():
        previous_end = 0
        for match in _WORD.finditer(line):
            token, gap = match.group(), line[previous_end:match.start()]
            sentence_start = previous_end == 0 or bool(_SENTENCE_END.search(gap))
            previous_end = match.end()
            if gap and not gap.isspace():
                flush()
            if token[0].isdigit():
                flush()
                number = _number(token)
                if number:
                    out.append(number)
            elif token[0].isupper() and (folded := token.casefold()) not in STOPWORDS and not (
                    sentence_start and folded in lower):
                out.append(folded)
                run.append(folded)
            else:
                flush()
        flush()
    return out


def featurize(title: str | None, text: str, *, day: int | None, language: str | None) -> Features:
    """Count words and entity-like tokens of an article (headline counted twice)."""
    title = title or ""
    words = Counter(word_tokens(title, language) * 2 + word_tokens(text, language))
    entities = Counter(entity_tokens(title) * 2 + entity_tokens(text))
    return Features(dict(words), dict(entities), day, language)
