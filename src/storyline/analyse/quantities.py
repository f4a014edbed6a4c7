"""Quantities: numbers in digits or words, ranges, money and units, tied to what they count.

A small scanner reads numbers off the raw sentence text (so "35m", "2.8bn", "US$58.24", "a thousand",
"four to five thousand" come out whole); the spaCy parse then gives the counted noun phrase
("sixty Russians" -> "Russians", "roughly 1,000 U.S. troops" -> "U.S. troops") and the entity labels
used to drop dates, times, ordinals and names that carry numbers ("Boeing 737", "S&P 500").
It also reads fractions ("a third of", "1/2 pound", "2 1/2 inches"), powers of ten ("2.998×10−8"), units
shared across a list ("four-, five- and six-cylinder") and a rate after an aside ("C$6 (US$4.46) per share");
a bare number takes the unit or counted noun of the quantity it is tied to ("64 points to 4,577" -> points).
Unit names follow units.py (the NewsQuant gold's vocabulary: "percentage", "metric ton", "count" for "times").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from storyline.analyse.records import Quantity
from storyline.analyse.units import (
    AFTER_DIGIT_ONLY,
    CASED_ADJACENT_ONLY,
    CASED_UNITS,
    CURRENCY_PREFIX,
    MAX_UNIT_TOKENS,
    UNITS,
)

_TOKEN_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|(?<![\w.])\.\d+|[^\W\d_]+|\S")
# ISO dates and timestamps, clock times, numeric dates: never quantities
_MASK_RE = re.compile(
    r"\d{4}-\d\d-\d\d(?:T[\d:.]+Z?)?|\b\d{1,2}:\d\d(?::\d\d)?(?:\.\d+)?\b|\b\d{1,4}/\d{1,2}/\d{2,4}\b"
    r"|\b\d{1,2}(?:[.:]\d\d)?\s?[ap]\.?m\b\.?",
    re.IGNORECASE,
)
_VAGUE = {
    "dozens": 12.0,
    "tens": 10.0,
    "hundreds": 100.0,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
    "trillions": 1e12,
}
_ONES = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "  # noqa: SIM905
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))
}
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_ABBR = {"mil": 1e6, "mln": 1e6, "mn": 1e6, "bn": 1e9, "bil": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12, "k": 1e3}
_NUMBER_WORDS = set(_ONES) | set(_TENS) | set(_SCALES) | {"dozen"}
_MONTHS = set(
    "january february march april may june july august september october november december "  # noqa: SIM905
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_WEEKDAYS = set("monday tuesday wednesday thursday friday saturday sunday".split())  # noqa: SIM905
_APPROX = (
    "about",
    "around",
    "roughly",
    "approximately",
    "some",
    "nearly",
    "almost",
    "approx",
    "circa",
    "an estimated",
    "estimated",
    "close to",
    "~",
    "just under",
    "just over",
    "more or less",
)
_MORE = (
    "more than",
    "over",
    "at least",
    "above",
    "exceeding",
    "upwards of",
    "in excess of",
    "as many as",
    "greater than",
    "higher than",
)
_LESS = ("less than", "fewer than", "under", "below", "up to", "at most", "no more than", "lower than")
_QUALIFIERS = {w for phrase in _APPROX + _MORE + _LESS for w in phrase.split()}  # "Roughly 500" is no name
_CHANGE_WORDS = {
    "by",
    "rose",
    "fell",
    "gained",
    "lost",
    "added",
    "shed",
    "climbed",
    "slipped",
    "dropped",
    "jumped",
    "slid",
    "eased",
    "advanced",
    "declined",
    "increased",
    "decreased",
    "up",
    "down",
}
_RANGE_SEPS = {"to", "-", "–", "—", "/"}
_SCORE_NEXT = {
    "win",
    "victory",
    "lead",
    "defeat",
    "loss",
    "draw",
    "on",
    "in",
    "at",
    "with",
    "after",
    "and",
    "but",
    "to",
    "over",
    "against",
    "home",
    "away",
    "down",
    "up",
    "scoreline",
    "aggregate",
    "for",
}
# lower-case words that make "word-NN" a name or rank rather than a quantity ("covid-19", "last-32", "top-10")
_CODE_PREFIXES = {"covid", "sars", "mers", "last", "top", "under", "round"}
_ERA_BEFORE = re.compile(r"\b(?:A\.D\.|AD)\s*$")
_ERA_AFTER = re.compile(r"\s*(?:B\.C\.|BC|BCE|B\.C\.E\.|A\.D\.|AD|CE)\b")
_NOT_SPLIT_M = {"long", "high", "wide", "deep", "tall", "away", "race", "sprint", "hurdles", "freestyle"}


@dataclass(slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int


@dataclass(slots=True)
class _Num:
    value: float
    start: int  # token index of the first token
    end: int  # token index after the last token
    scale: float  # the scale word's factor ("thousand" -> 1000), 1 when none
    digits: bool
    fraction: bool = False


def _tokens(text: str) -> list[_Tok]:
    masked = _MASK_RE.sub(lambda m: " " * len(m.group()), text)
    return [_Tok(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(masked)]


def _adjacent(toks: list[_Tok], i: int) -> bool:
    """Token i follows token i-1 with no space between."""
    return i > 0 and toks[i - 1].end == toks[i].start


def _parse_words(toks: list[_Tok], i: int) -> _Num | None:
    """Number words from token i ("twenty-five", "a thousand", "two million"), or None."""
    j = i
    if toks[i].low in _SCALES or toks[i].low == "dozen":
        return None  # a bare "million" or "dozen" is not a number
    if (
        toks[i].low in ("a", "an")
        and i + 1 < len(toks)
        and toks[i + 1].low in ("hundred", "thousand", "million", "billion", "dozen")
    ):
        j = i + 1
    total, current, seen, scale, end = 0.0, 0.0, False, 1.0, j
    while j < len(toks):
        w = toks[j].low
        if w in _ONES or w in _TENS:
            if (
                seen
                and current % 10 == 0
                and current % 100 != 0
                and w in _ONES
                and toks[j - 1].low != "-"
                and toks[j - 1].low not in _TENS
            ):
                break
            current += _ONES.get(w, _TENS.get(w, 0))
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _SCALES:
            total += max(current, 1) * _SCALES[w]
            current, scale = 0.0, _SCALES[w]
        elif w == "dozen":
            current = max(current, 1) * 12
        elif (
            w in ("-", "and")
            and seen
            and j + 1 < len(toks)
            and toks[j + 1].low in _NUMBER_WORDS
            and toks[j + 1].low not in _SCALES
        ):
            j += 1
            continue
        else:
            break
        seen, j, end = True, j + 1, j + 1
    if not seen:
        return None
    return _Num(total + current, i, end, scale, False)


def _parse_digits(toks: list[_Tok], i: int, currency: bool) -> _Num | None:
    t = toks[i]
    if (
        not (t.text[0].isdecimal() or t.text[0] == ".")
        or not currency
        and _adjacent(toks, i)
        and toks[i - 1].text[-1].isalpha()
    ):
        return None
    value = float(t.text.replace(",", ""))
    end, scale = i + 1, 1.0
    whole = t.text.isdecimal() and i + 1 < len(toks) and not _adjacent(toks, i + 1)
    frac = _fraction_at(toks, i + 1) if whole else None
    if frac:  # "3 1/2 inches"
        value, end = value + frac[0], frac[1]
    frac = _fraction_at(toks, i) if not frac else None
    if frac:  # "1/2 pound", "1⁄32 of a quart"
        return _Num(frac[0], i, frac[1], 1.0, True, fraction=True)
    sci = _exponent_at(toks, end)
    if sci:  # "2.998×10−8"
        return _Num(value * 10.0 ** sci[0], i, sci[1], 1.0, True)
    if end < len(toks):
        nxt = toks[end]
        if nxt.low in _SCALES and not (nxt.low == "hundred" and value >= 100):
            scale = _SCALES[nxt.low]
            while end + 1 < len(toks) and toks[end + 1].low in _SCALES and _SCALES[toks[end + 1].low] > scale:
                end += 1
                scale *= _SCALES[toks[end].low]
        elif nxt.low in _SCALE_ABBR and (
            _adjacent(toks, end) or nxt.low not in ("k", "mn") and (currency or _counts_after(toks, end + 1))
        ):
            scale = _SCALE_ABBR[nxt.low]  # "2.8bn", "$2.5 bn"
        elif nxt.low in ("m", "b") and (
            _adjacent(toks, end)
            and (currency or nxt.text in ("M", "B") or _counts_after(toks, end + 1))
            or nxt.text in ("M", "B")
            and _counts_after(toks, end + 1)  # "8 B people"
        ):
            scale = 1e6 if nxt.low == "m" else 1e9
        if scale > 1:
            end += 1
    return _Num(value * scale, i, end, scale, True)


def _fraction_at(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """ "1/2", "1⁄32" from token i, followed by a word (a unit, "of", "a"): (value, index after it)."""
    if i + 2 >= len(toks) or not (toks[i].text.isdecimal() and toks[i + 2].text.isdecimal()):
        return None
    slash = toks[i + 1].text
    if slash not in ("/", "⁄") or not (_adjacent(toks, i + 1) and _adjacent(toks, i + 2)):
        return None
    num, den = int(toks[i].text), int(toks[i + 2].text)
    if not 0 < num < den <= 1000:
        return None
    after = toks[i + 3] if i + 3 < len(toks) else None
    if slash == "/" and not (after and after.text.isalpha() and not _adjacent(toks, i + 3)):
        return None
    return num / den, i + 3


def _exponent_at(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """ "×10−30", "x 10^8" from token i: (exponent, index after it)."""
    if i + 2 >= len(toks) or toks[i].low not in ("×", "x", "*") or toks[i + 1].text != "10":
        return None
    k, sign = i + 2, 1
    if toks[k].text == "^":
        k += 1
    if k < len(toks) and toks[k].text in ("-", "−", "–"):
        sign, k = -1, k + 1
    if k < len(toks) and toks[k].text.isdecimal() and _adjacent(toks, k) and len(toks[k].text) <= 3:
        return sign * int(toks[k].text), k + 1
    return None


def _counts_after(toks: list[_Tok], i: int) -> bool:
    """A word follows that is a counted noun rather than a length ("35m devices" vs "100m sprint")."""
    return (
        i < len(toks)
        and toks[i].text.isalpha()
        and toks[i].text.islower()
        and toks[i].low not in _NOT_SPLIT_M
        and (toks[i].low == "of" or toks[i].low not in STOP_WORDS)
    )


def _parse_number(toks: list[_Tok], i: int, currency: bool) -> _Num | None:
    if toks[i].text[0].isdecimal() or toks[i].text[0] == "." and len(toks[i].text) > 1:
        return _parse_digits(toks, i, currency)
    if toks[i].low in _NUMBER_WORDS or toks[i].low in ("a", "an"):
        return _parse_words(toks, i)
    return None


def _phrase(toks: list[_Tok], text: str, i: int, n: int) -> str:
    return " ".join(text[toks[i].start : toks[i + n - 1].end].lower().split())


def _currency_before(toks: list[_Tok], text: str, i: int) -> tuple[str, int] | None:
    """A currency mark ending right before token i: (name, first token index)."""
    for n in (3, 2, 1):
        if i - n >= 0:
            phrase = _phrase(toks, text, i - n, n)
            written = text[toks[i - n].start : toks[i - 1].end]
            if phrase in CURRENCY_PREFIX and not (
                any(c.isalpha() for c in written) and not any(c.isupper() for c in written)
            ):
                return CURRENCY_PREFIX[phrase], i - n
    return None


def _currency_at(toks: list[_Tok], text: str, k: int) -> tuple[str, int] | None:
    """A currency mark starting at token k and followed by a digit: (name, index of the digit)."""
    for n in (3, 2, 1):
        if k + n < len(toks) and toks[k + n].text[0].isdecimal():
            phrase = _phrase(toks, text, k, n)
            written = text[toks[k].start : toks[k + n - 1].end]
            if phrase in CURRENCY_PREFIX and not (
                any(c.isalpha() for c in written) and not any(c.isupper() for c in written)
            ):
                return CURRENCY_PREFIX[phrase], k + n
    return None


def _unit_after(toks: list[_Tok], text: str, i: int, digits: bool) -> tuple[str, int] | None:
    """The longest unit starting at token i (a hyphen may come first): (name, index after it)."""
    if i < len(toks) and toks[i].low == "-" and _adjacent(toks, i):
        i += 1
    if i + 1 < len(toks) and toks[i].low in ("us", "imperial") and toks[i + 1].low not in ("$", "dollar", "dollars"):
        u = _unit_after(toks, text, i + 1, digits)  # "one US fluid ounce", "1/16 of a US pint"
        if u:
            return u
    if i < len(toks) and toks[i].text in CASED_UNITS:
        name = CASED_UNITS[toks[i].text]
        if toks[i].text in CASED_ADJACENT_ONLY and not _adjacent(toks, i):
            return None
        return (name, i + 1) if name and digits else None
    for n in range(min(MAX_UNIT_TOKENS + 2, len(toks) - i), 0, -1):
        phrase = _phrase(toks, text, i, n)
        name = UNITS.get(phrase) or UNITS.get(phrase.replace(" - ", "-"))
        if not name:
            continue
        if phrase in AFTER_DIGIT_ONLY and not (
            digits and (_adjacent(toks, i) or len(phrase) > 1 or _ends_phrase(toks, i + 1))
        ):
            continue
        end = i + n
        if end < len(toks) and toks[end].text[0].isalpha() and _adjacent(toks, end):
            continue  # a longer word starts with the unit ("m" of "mAh" handled by the lexicon)
        return name, end
    return None


def _ends_phrase(toks: list[_Tok], i: int) -> bool:
    """Nothing that could continue a noun phrase follows ("down 68 p at 1112 p,"): end, punctuation, preposition."""
    if i >= len(toks):
        return True
    t = toks[i]
    return (
        t.text in (",", ";", ")", ":")
        or t.text == "."
        and (i + 1 >= len(toks) or not _adjacent(toks, i + 1))
        or t.low in ("at", "to", "from", "on", "in", "and", "or", "per", "for", "with", "by")
    )


def _bound_before(toks: list[_Tok], text: str, i: int) -> tuple[str, int]:
    """Approximation or bound words right before token i: (bound, first token index)."""
    for n in (3, 2, 1):
        if i - n < 0:
            continue
        phrase = _phrase(toks, text, i - n, n)
        if phrase in _APPROX:
            return "~", i - n
        if phrase in _MORE:
            return ">", i - n
        if phrase in _LESS:
            return "<", i - n
    return "=", i


def _is_date_or_code(toks: list[_Tok], num: _Num, sent_start: bool, text: str = "") -> bool:
    """Years, days of the month, clock times, ordinals and numbers in names."""
    t = toks[num.start]
    text_before, text_after = text[: t.start], text[toks[num.end - 1].end :]
    before = toks[num.start - 1].low if num.start > 0 else ""
    before2 = toks[num.start - 2].low if num.start > 1 else ""
    after = toks[num.end].low if num.end < len(toks) else ""
    after2 = toks[num.end + 1].low if num.end + 1 < len(toks) else ""
    if not num.digits:
        return False
    if after in ("st", "nd", "rd", "th") and _adjacent(toks, num.end):
        return True
    if (
        after in (":", ".")
        and num.end + 1 < len(toks)
        and toks[num.end + 1].text[0].isdecimal()
        and _adjacent(toks, num.end + 1)
        or before == ":"
        and _adjacent(toks, num.start)
    ):
        return True
    after3 = toks[num.end + 2].low if num.end + 2 < len(toks) else ""
    if (
        after in ("am", "pm", "gmt", "utc", "edt", "est", "bst", "cet", "hrs")
        and after2 in ("", ".", "m")
        or after in ("a", "p")
        and (after2 == "m" or after2 == "." and after3 == "m")
        or after in ("gmt", "utc", "edt", "est")
    ):
        return True
    if _ERA_BEFORE.search(text_before) or _ERA_AFTER.match(text_after):
        return True  # "A.D. 1000", "300 BC"
    if before in _MONTHS or after in _MONTHS or before == "." and before2 in _MONTHS:
        return True
    if after == "of" and after2 in _MONTHS:
        return True
    text = t.text
    if re.fullmatch(r"(1[5-9]|20)\d\d", text) and not num.scale > 1:
        return after not in ("people", "troops", "soldiers", "workers", "jobs") or after == "s"
    if re.fullmatch(r"21\d\d", text) and before in ("by", "in", "until", "till", "before", "after", "since"):
        return True  # "by 2120"
    if (
        num.end + 1 < len(toks)
        and toks[num.end].text.isalpha()
        and _adjacent(toks, num.end)
        and _adjacent(toks, num.end + 1)
        and toks[num.end + 1].text[0].isdecimal()
    ):
        return True  # postcodes and serial numbers: "9AB8", "4x4"
    if before == "/" or after == "/" and not _adjacent(toks, num.start):
        return False
    prev = toks[num.start - 1] if num.start > 0 else None
    if (
        prev
        and prev.text == "-"
        and _adjacent(toks, num.start)
        and num.start >= 2
        and toks[num.start - 2].text[0].isdecimal()
        and _adjacent(toks, num.start - 1)
    ):
        return True  # the tail of a code or score ("3888-2", "2-2") not taken as a range
    if (
        prev
        and prev.text in ("#", "&")
        or prev
        and prev.text == "-"
        and _adjacent(toks, num.start)
        and num.start >= 2
        and toks[num.start - 2].text.isalpha()
        and (not toks[num.start - 2].text.islower() or toks[num.start - 2].low in _CODE_PREFIXES)
        and _adjacent(toks, num.start - 1)
    ):
        return True  # "F-16", "COVID-19"; not "minus-5", "sub-7", "now-18"
    return bool(
        prev
        and prev.low in ("no", "number", "page", "chapter", "article", "section", "rule")
        and prev.text[:1].isupper()
    )


def _after_name(toks: list[_Tok], num: _Num, sent_start: bool) -> bool:
    """The number follows a capitalised name ("Boeing 737", "Section 427", "Fortune 100", "iPhone 14")."""
    prev = toks[num.start - 1] if num.start > 0 else None
    return bool(
        num.digits
        and prev
        and not sent_start
        and not prev.text.islower()
        and prev.text.isalpha()
        and prev.low not in _MONTHS | _WEEKDAYS
        and prev.low not in CURRENCY_PREFIX
        and prev.low not in STOP_WORDS
        and prev.low not in _QUALIFIERS
    )


_STREETS = {
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "drive",
    "boulevard",
    "blvd",
    "way",
    "place",
    "square",
    "court",
    "crescent",
    "terrace",
    "highway",
    "parkway",
}


def _street_after(toks: list[_Tok], end: int) -> bool:
    """A street address follows ("16-18 Industrial Avenue", "575 Wilbraham Road")."""
    for k in range(end, min(end + 4, len(toks))):
        t = toks[k]
        if not (t.text[:1].isupper() and t.text.isalpha()):
            return False
        if t.low in _STREETS and k > end:
            return True
    return False


def _word_in_name(toks: list[_Tok], num: _Num, sent_start: bool) -> bool:
    """A capitalised number word inside a name: "BBC One", "Formula One race", "the Kick Six win"."""
    t = toks[num.start]
    prev = toks[num.start - 1] if num.start > 0 else None
    nxt = toks[num.end] if num.end < len(toks) else None
    return bool(
        not num.digits
        and not sent_start
        and t.text[:1].isupper()
        and prev
        and prev.text.isalpha()
        and prev.text[:1].isupper()
        and prev.low not in STOP_WORDS
        and prev.low not in _MONTHS | _WEEKDAYS
        and not (nxt and nxt.text[:1].isupper())
    )


def _counted(sent: Span, char_start: int, char_end: int, text_offset: int) -> str | None:
    """The noun phrase the quantity counts, from the dependency parse (None when there is none)."""
    doc = sent.doc
    span = doc.char_span(text_offset + char_start, text_offset + char_end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    last = span[-1]
    nxt_i = last.i + 1
    if nxt_i < sent.end and doc[nxt_i].lower_ == "of" and nxt_i + 1 < sent.end:
        objs = [c for c in doc[nxt_i].children if c.dep_ == "pobj"]
        if objs:
            return _noun_phrase(objs[0], nxt_i + 1)
    tok = last
    while tok.head.i != tok.i and tok.head.pos_ == "NUM" and tok.head.i > tok.i:
        tok = tok.head
    head = tok.head
    if (
        head.i > last.i
        and head.pos_ in ("NOUN", "PROPN")
        and tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "appos")
        and head.i - last.i <= 6
    ):
        return _noun_phrase(head, nxt_i)
    if nxt_i < sent.end and doc[nxt_i].pos_ in ("NOUN", "PROPN") and doc[nxt_i].ent_type_ not in ("DATE", "TIME"):
        end = nxt_i
        while end + 1 < sent.end and doc[end + 1].pos_ in ("NOUN", "PROPN") and end - nxt_i < 4:
            end += 1
        return doc[nxt_i : end + 1].text
    return None


def _noun_phrase(head, first: int) -> str | None:
    """The head noun with the modifiers from `first` on ("U.S. troops", "Russian military instructors")."""
    doc = head.doc
    start = head.i
    while (
        start - 1 >= first
        and doc[start - 1].dep_ in ("compound", "amod", "nmod", "poss", "case", "punct")
        and doc[start - 1].pos_ not in ("NUM",)
        and doc[start - 1].text not in (",", "(", ")")
    ):
        start -= 1
    while start < head.i and doc[start].pos_ in ("PUNCT", "PART"):
        start += 1
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    return doc[start : head.i + 1].text


def _singular(word: str) -> str:
    """Crude singular of an English noun ("shares" -> "share")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _vague(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """ "dozens of", "tens of thousands of", "millions of": (lower bound, index after the last "of")."""
    if toks[i].low not in _VAGUE or i + 1 >= len(toks) or toks[i + 1].low != "of":
        return None
    low, end = _VAGUE[toks[i].low], i + 2
    if end + 1 < len(toks) and toks[end].low in _VAGUE and toks[end + 1].low == "of" and low < 1e3:
        low, end = low * _VAGUE[toks[end].low], end + 2
    return low, end


def _is_score(toks: list[_Tok], num: _Num, end: int) -> bool:
    """ "2-2", "3-1 win", "89-89": whole numbers joined by a hyphen with no unit or counted noun after."""
    k = end + 1
    if not (
        toks[end].low == "-"
        and num.digits
        and num.value <= 200
        and num.value == int(num.value)
        and k < len(toks)
        and toks[k].text.isdecimal()
        and int(toks[k].text) <= 200
    ):
        return False
    after = toks[k + 1] if k + 1 < len(toks) else None
    return after is None or not after.text.isalnum() or after.low in _SCORE_NEXT


_FRACTION_WORDS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "eighth": 8,
    "eighths": 8,
    "tenth": 10,
    "tenths": 10,
}
_NOT_BEFORE_HALF = {"the", "first", "second", "other", "latter", "former", "this", "that", "each", "one", "a"}


def _word_fraction(toks: list[_Tok], text: str, i: int) -> tuple[Quantity, int, int] | None:
    """ "a third of", "two-thirds of", "half the", "half a mile", "half a million": (quantity, end, unit end)."""
    w = toks[i].low
    if w in ("a", "an", "one") or w in _ONES and 1 < _ONES[w] < 10:
        numer = 1 if w in ("a", "an") else _ONES[w]
        k = i + 1
        if k < len(toks) and toks[k].text == "-" and _adjacent(toks, k):
            k += 1
        if k >= len(toks) or toks[k].low not in _FRACTION_WORDS:
            return None
        den, k = _FRACTION_WORDS[toks[k].low], k + 1
    elif w == "half" and (i == 0 or toks[i - 1].low not in _NOT_BEFORE_HALF and not toks[i - 1].text[0].isdecimal()):
        numer, den, k = 1, 2, i + 1
    else:
        return None
    if k >= len(toks) or toks[k].low not in ("of", "the", "a", "an", "its", "their", "his", "her"):
        return None
    value, unit, unit_end = numer / den, "fraction", k
    j = k + 1 if toks[k].low == "of" and k + 1 < len(toks) and toks[k + 1].low in ("a", "an") else k
    if toks[j].low in ("a", "an") and j + 1 < len(toks):
        if toks[j + 1].low in _SCALES:  # "half a million"
            value, unit, unit_end = value * _SCALES[toks[j + 1].low], None, j + 2
        elif u := _unit_after(toks, text, j + 1, True):  # "half a mile", "a third of an inch"
            unit, unit_end = u
    q = Quantity(
        value=value,
        unit=unit,
        counted=None,
        approx=False,
        sentence=0,
        text=text[toks[i].start : toks[unit_end - 1].end],
    )
    return q, k, unit_end


def _prime_feet(toks: list[_Tok], text: str, end: int, first: int) -> bool:
    """A foot mark right after the digits ("30'", "6′"), not the closing quote of a quotation."""
    if end >= len(toks) or toks[end].text not in ("'", "’", "′") or not _adjacent(toks, end):
        return False
    if end + 1 < len(toks) and _adjacent(toks, end + 1) and toks[end + 1].text[0].isalnum():
        return False  # "30's", "1990’s"
    return toks[end].text == "′" or toks[end].text not in text[: toks[first].start]


def _hanging(toks: list[_Tok], text: str, end: int) -> tuple[str | None, str | None]:
    """ "four-, five- and six-cylinder": the unit or counted word after the last item of the list."""
    if not (
        end + 1 < len(toks)
        and toks[end].text == "-"
        and _adjacent(toks, end)
        and toks[end + 1].low in (",", "and", "or", "to")
    ):
        return None, None
    for k in range(end + 1, min(end + 12, len(toks) - 1)):
        if toks[k].text in (".", ";", ":", "(", ")"):
            break
        prev = toks[k - 1]
        if (
            toks[k].text == "-"
            and _adjacent(toks, k)
            and _adjacent(toks, k + 1)
            and toks[k + 1].text.isalpha()
            and (prev.text[0].isdecimal() or prev.low in _NUMBER_WORDS)
        ):
            u = _unit_after(toks, text, k + 1, True)
            return (u[0], None) if u else (None, toks[k + 1].text)
    return None, None


def scan(text: str) -> list[tuple[Quantity, int, int, int]]:
    """Quantities in one sentence without parse-based fields: (quantity, char start, char end, unit end)."""
    toks = _tokens(text)
    out: list[tuple[Quantity, int, int, int]] = []
    i = 0
    while i < len(toks):
        vague = _vague(toks, i)
        if vague:
            low, end = vague
            u = _unit_after(toks, text, end, False) if end < len(toks) else None
            q = Quantity(
                value=low,
                unit=u[0] if u else None,
                counted=None,
                approx=True,
                sentence=0,
                text=text[toks[i].start : toks[end - 1].end],
                value_max=low * 10,
                bound="~",
            )
            out.append((q, toks[i].start, toks[i].end, toks[end - 1].end if u is None else toks[u[1] - 1].end))
            i = end
            continue
        frac = _word_fraction(toks, text, i)
        if frac:
            q, end, unit_end = frac
            bound, first = _bound_before(toks, text, i)
            q.bound, q.approx = bound, bound == "~"
            out.append((q, toks[i].start, toks[end - 1].end, toks[unit_end - 1].end))
            i = unit_end
            continue
        cur = _currency_before(toks, text, i)
        num = _parse_number(toks, i, cur is not None)
        if num is None or toks[i].low in ("a", "an") and num.end == i + 1:
            i += 1
            continue
        first = cur[1] if cur else i
        if _is_date_or_code(toks, num, first == 0, text) and cur is None:
            i = num.end
            if (
                i + 1 < len(toks)
                and toks[i].low in ("and", "to", "-", "–")
                and toks[num.start].text.isdecimal()
                and toks[i + 1].text.isdecimal()
                and len(toks[num.start].text) >= 3
                and int(toks[num.start].text) < int(toks[i + 1].text) < 10000
            ):
                i += 2  # the other end of a span of years: "A.D. 1000 and 1260"
            continue
        name_like = cur is None and (_after_name(toks, num, first == 0) or _word_in_name(toks, num, first == 0))
        unit = cur[0] if cur else None
        value, value_max, end = num.value, None, num.end
        if end + 1 < len(toks) and cur is None and _is_score(toks, num, end):
            i = end + 2
            continue
        if num.scale == 1 and [t.low for t in toks[end : end + 3]] == ["and", "a", "half"]:
            value, end = value + 0.5, end + 3  # "two and a half years", "one and a half million"
            if end < len(toks) and toks[end].low in _SCALES:
                value, end = value * _SCALES[toks[end].low], end + 1
        # ranges: "four to five thousand", "$89 to $93 billion", "between 10 and 20", "$7/$9";
        # not "rose by $43.6 billion to $419.2 billion"
        # a change then a level ("fell 12p to 245p", "rose by $43.6 billion to $419.2 billion") is not a range
        by = first > 0 and toks[first - 1].low in _CHANGE_WORDS
        if end + 1 < len(toks) and (
            toks[end].low in _RANGE_SEPS or toks[end].low == "and" and first > 0 and toks[first - 1].low == "between"
        ):
            k = end + 1
            cur2 = _currency_at(toks, text, k)
            if cur2:
                cur2, k = cur2
            second = _parse_number(toks, k, (cur or cur2) is not None) if k < len(toks) else None
            if second and (toks[end].low != "/" or cur is not None) and not (by and cur2):
                if second.scale > 1 and num.scale == 1 and value * second.scale <= second.value:
                    value *= second.scale
                value_max, end = second.value, second.end
                unit = unit or cur2
        u = _unit_after(toks, text, end, num.digits)
        if u is None and num.digits and _prime_feet(toks, text, end, first):
            u = ("foot", end + 1)  # "an altitude of 30'"
        unit_end = end
        if u is None and num.fraction and end + 2 < len(toks) and toks[end].low == "of":
            k = end + 2 if toks[end + 1].low in ("a", "an") else end + 1
            u = _unit_after(toks, text, k, True)  # "1/16 of a pint"
        if u and (unit is None or u[0] in ("percentage", "count") or unit and u[0] == unit):
            unit = unit if unit and u[0] == unit else (u[0] if unit is None else f"{unit} {u[0]}")
            unit_end = u[1]
            # "1 to 1.5 degrees", "15kHz and 17kHz" (after "between"), "1 per cent to 1.5 per cent"
            if (
                value_max is None
                and unit_end + 1 < len(toks)
                and (
                    toks[unit_end].low in _RANGE_SEPS
                    or toks[unit_end].low == "and"
                    and first > 0
                    and toks[first - 1].low == "between"
                )
                and not by
            ):
                second = _parse_number(toks, unit_end + 1, False)
                u2 = _unit_after(toks, text, second.end, second.digits) if second else None
                if second and u2 and u2[0] == u[0]:
                    value_max, unit_end = second.value, (u2[1] if u2 else second.end)
        if name_like and unit is None or cur is None and unit is None and _street_after(toks, end):
            i = num.end if name_like else end
            continue
        counted = None
        if unit is None:
            unit, counted = _hanging(toks, text, end)
        per_at = unit_end
        if unit and per_at < len(toks) and toks[per_at].text == "(":
            # "C$6 (US$4.46) per share", "9 billion shekels ($2.4 billion) a year": the rate follows the aside
            close = next((k for k in range(per_at + 1, min(per_at + 12, len(toks))) if toks[k].text == ")"), None)
            if close and toks[close + 1 : close + 2] and toks[close + 1].low in ("per", "a", "an"):
                per_at = close + 1
        if unit and per_at + 1 < len(toks) and toks[per_at].low in ("per", "a", "an", "/"):
            per = _unit_after(toks, text, per_at + 1, False)
            nxt = toks[per_at + 1]
            if per is None and toks[per_at].low == "per" and nxt.text.isalpha() and nxt.text.islower():
                per = (_singular(nxt.low), per_at + 2)
            later = per and per[1] < len(toks) and toks[per[1]].low in ("ago", "earlier", "later", "before", "after")
            if per and per[0] not in ("percentage", "count") and not later:
                unit = f"{unit} per {per[0]}"
                if per_at == unit_end:
                    unit_end = per[1]
        if (
            first > 0
            and toks[first - 1].low == "minus"
            or first > 1
            and toks[first - 1].low == "-"
            and toks[first - 2].low == "minus"
        ):
            value, value_max = -value, -value_max if value_max is not None else None
        bound, _ = _bound_before(toks, text, first)
        q = Quantity(
            value=value,
            unit=unit,
            counted=counted,
            approx=bound == "~",
            sentence=0,
            text=text[toks[first].start : toks[unit_end - 1].end],
            value_max=value_max,
            bound=bound,
        )
        out.append((q, toks[first].start, toks[end - 1].end, toks[unit_end - 1].end))
        i = unit_end
    return out


def extract_quantities(doc: Doc) -> list[Quantity]:
    """All quantities in a parsed document, with counted noun phrases and sentence indices."""
    found: list[Quantity] = []
    for si, sent in enumerate(doc.sents):
        row: list[tuple[Quantity, int, int]] = []
        for q, start, _end, unit_end in scan(sent.text):
            if q.unit is None and _is_age(sent, start, unit_end):
                q.unit, q.counted = "year of age", _age_of(sent, start)
            elif q.counted:
                pass  # set by the scanner ("four-, five- and six-cylinder")
            elif q.unit == "fraction":
                q.counted = _fraction_of(sent, unit_end)
            elif q.unit is None or q.unit == "count":
                q.counted = _counted(sent, start, unit_end, sent.start_char)
            elif unit_end < len(sent.text):
                q.counted = _counted_after_unit(sent, unit_end)
            if q.text.lower() == "one" and q.counted is None and _pronoun_one(sent.text, start):
                continue  # "the same one", "this one"
            q.sentence = si
            row.append((q, start, unit_end))
        _inherit(sent.text, row)
        found.extend(q for q, *_ in row)
    return found


# Words that link a bare number to an earlier quantity whose unit it shares ("rose 64.06 points to 4,577.10").
_UNIT_LINKS = {"to", "at", "from", "is", "was", "of", "versus", "vs"}
# ... or whose counted noun it shares ("435 homes by open sale and 187 by tender").
_COUNT_LINKS = {"and", "with", "versus", "vs", "against"}
_PARTIAL = re.compile(r"\b(more|another|additional|other|further|extra|new)\b", re.I)
_NOT_INHERITED = {"percentage", "count", "fraction", "year of age", "month of age", "week of age", "day of age"}
_DURATIONS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century"}
_LAST_WORDS = re.compile(r"([A-Za-z]+)\W*(?:about|around|roughly|nearly|almost|some|just|over|under)?\W*$")


def _inherit(text: str, row: list[tuple[Quantity, int, int]]) -> None:
    """A bare number takes the unit or counted noun of an earlier quantity it is tied to in the sentence.

    "The S&P 500 rose 64.06 points to 4,577.10" -> points; "by 2 percent ... by 1" -> percentage (same
    preposition); "435 homes by open sale and 187 by tender" -> homes; "(16369.03 up 58.06 points)" -> points.
    """
    for n, (q, start, end) in enumerate(row):
        if q.unit is not None or q.counted is not None or not any(c.isdecimal() for c in q.text):
            continue
        m = _LAST_WORDS.search(text[:start])
        link = m.group(1).lower() if m else ""
        prev = [(p, s) for p, s, _ in row[:n]]
        with_unit = [(p, s) for p, s in prev if p.unit and p.unit not in _NOT_INHERITED]
        if with_unit and link in _UNIT_LINKS and with_unit[-1][0].unit not in _DURATIONS:
            q.unit = with_unit[-1][0].unit
            continue
        same = [p for p, s in prev if p.unit and (mm := _LAST_WORDS.search(text[:s])) and mm.group(1).lower() == link]
        if link in ("by", "to", "at") and same:
            q.unit = same[-1].unit  # "increased by 2 percent but ... decreased by 1"
            continue
        counted = [p for p, _ in prev if p.unit is None and p.counted and not _PARTIAL.search(p.counted)]
        if counted and link in _COUNT_LINKS:
            q.counted = counted[-1].counted
            continue
        after = text[end:]
        nxt = row[n + 1][0] if n + 1 < len(row) else None
        if nxt and nxt.unit == "point" and re.match(r"\s*(?:,\s*)?(?:up|down|off|higher|lower)\b", after):
            q.unit = "point"  # an index level quoted before its change


def _pronoun_one(text: str, start: int) -> bool:
    """ "one" standing for a noun already named: "the same one", "this one", "which one"."""
    words = re.findall(r"[A-Za-z]+", text[:start][-30:])
    return bool(words) and words[-1].lower() in ("same", "this", "that", "another", "which", "every", "any", "each")


def _fraction_of(sent: Span, unit_end: int) -> str | None:
    """What a fraction is of: "a third of the voters" -> "voters", "half the condos" -> "condos"."""
    doc = sent.doc
    span = doc.char_span(sent.start_char + unit_end, sent.end_char, alignment_mode="expand")
    if span is None or not len(span):
        return None
    k = span.start
    if k < sent.end and doc[k].lower_ == "of":
        k += 1
    while k < sent.end and doc[k].pos_ in ("DET", "PRON") and doc[k].dep_ in ("det", "poss"):
        k += 1
    if k >= sent.end or doc[k].pos_ not in ("ADJ", "NOUN", "PROPN", "NUM", "VERB"):
        return None
    head = doc[k]
    while head.head.i > head.i and head.dep_ in ("amod", "compound", "nummod", "nmod") and head.head.i - k <= 6:
        head = head.head
    return _noun_phrase(head, k)


def _is_age(sent: Span, start: int, end: int) -> bool:
    """ "Maddon, 66, has ...": a whole number between commas right after a person's name."""
    text = sent.text
    if not (text[:start].rstrip().endswith(",") and text[end:].lstrip()[:1] in (",", ".", ")")):
        return False
    if not text[start:end].isdecimal() or not 0 < int(text[start:end]) < 120:
        return False
    return _age_of(sent, start) is not None


def _age_of(sent: Span, start: int) -> str | None:
    """The proper name ending right before the comma preceding `start` ("Maddon, 66," -> "Maddon")."""
    comma = sent.text[:start].rstrip()
    span = sent.doc.char_span(sent.start_char + len(comma) - 1, sent.start_char + len(comma))
    if span is None or span[0].i == 0:
        return None
    last = sent.doc[span[0].i - 1]
    if last.pos_ != "PROPN" or last.ent_type_ not in ("", "PERSON", "GPE", "ORG", "NORP"):
        return None
    first = last
    while first.i > sent.start and sent.doc[first.i - 1].pos_ == "PROPN":
        first = sent.doc[first.i - 1]
    return sent.doc[first.i : last.i + 1].text


def _counted_after_unit(sent: Span, unit_end: int) -> str | None:
    """ "275 pound-feet of torque" -> "torque": an of-phrase right after the unit."""
    rest = sent.text[unit_end:]
    if not rest.startswith(" of "):
        return None
    span = sent.doc.char_span(sent.start_char + unit_end + 1, sent.start_char + unit_end + 3)
    if span is None:
        return None
    objs = [c for c in span[0].children if c.dep_ == "pobj"]
    return _noun_phrase(objs[0], span[0].i + 1) if objs else None
