"""Time expressions resolved against the publication date.

Expressions are found with patterns (explicit dates, weekdays, months, years, "last month", "two weeks
ago", "in mid-March", holidays) and resolved to an ISO date at the precision the text gives: a day
("2024-05-03"), a month ("2024-03"), a year ("2024") or a range of days ("2024-03-11/2024-03-20").
A date without a year, a bare weekday or month is placed by the tense of the verb it attaches to: past
(the news default: "on Friday" is the last Friday on or before publication), future ("will ... on Friday"
is the next one) or, for present tense, the nearest occurrence.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Literal

from spacy.tokens import Doc, Span

from storyline.analyse.records import TimeExpr

Tense = Literal["past", "future", "near"]

_MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH_NAMES.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH_NAMES["sept"] = 9
_WEEKDAY_NAMES = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAY_NAMES.update({d.lower(): i for i, d in enumerate(calendar.day_abbr)})
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
    "several": 3,
}
_HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
    "independence day": (7, 4),
}

_MON = (
    r"(?P<{}>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
_WD = (
    r"(?P<{}>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b\.?)"
)
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:1[89]|20)\d\d)"
_NUM = (
    r"(?P<num>(?i:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a few"
    r"|several))"
)
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"

_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    ("numeric", r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d\d)\b"),
    (
        "mdy",
        rf"(?:{_WD.format('wd')},?\s+)?{_MON.format('mon')}\s+{_DAY.format('day')}\b(?:,?\s+{_YEAR.format('year')})?",
    ),
    (
        "dmy",
        rf"(?:{_WD.format('wd')},?\s+)?{_DAY.format('day')}\s+(?:of\s+)?{_MON.format('mon')},?(?:\s+{_YEAR.format('year')})?",
    ),
    ("ago", rf"\b{_NUM}\s+{_UNIT}\s+(?P<dir>ago|earlier|before|later|from now)\b"),
    ("relative", r"\b(?P<rel>(?i:last|this|next|past|coming))\s+(?P<what>(?i:week(?:end)?|month|year))\b"),
    (
        "part_month",
        rf"\b(?P<part>early|mid|late|the end of|the beginning of|the start of|the middle of)[- ]?"
        rf"{_MON.format('mon')}(?:,?\s+{_YEAR.format('year')})?",
    ),
    (
        "month_year",
        rf"{_MON.format('mon')},?\s+(?:of\s+)?(?:{_YEAR.format('year')}|(?P<rel>(?i:last|this|next)) year)\b",
    ),
    ("month_rel", r"\b(?P<rel>(?i:last|this|next))\s+" + _MON.format("mon")),
    (
        "month",
        r"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|by|of|from|through|before|after|during)\s+"
        + _MON.format("mon")
        + r"\b(?! \d)",
    ),
    (
        "weekday",
        r"(?:\b(?P<rel>(?i:last|this|next|on|since|until|by))\s+)?"
        + _WD.format("wd")
        + r"(?:\s+(?:morning|afternoon|evening|night))?\b",
    ),
    (
        "day_word",
        r"\b(?P<word>[Tt]oday|[Tt]onight|[Yy]esterday|[Tt]omorrow|[Tt]his (?:morning|afternoon|evening))"
        r"(?:'s)?\b",
    ),
    (
        "holiday",
        r"\b(?P<rel>this|last|next|at|on)?\s?(?P<hol>Christmas(?: Eve| Day)?|New Year's (?:Eve|Day)"
        r"|Halloween|Valentine's Day|Independence Day)\b",
    ),
    ("year", r"(?<![\d$£€.,/-])" + _YEAR.format("year") + r"(?![\d%])(?!\s?(?:per|percent|people|km|miles))"),
]
_REGEX = [(name, re.compile(p)) for name, p in _PATTERNS]
_FUTURE_AUX = {"will", "'ll", "shall", "wo"}


def _month(name: str) -> int:
    return _MONTH_NAMES[name.lower().rstrip(".")]


def _month_str(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def _place_day(pub: date, month: int, day: int, tense: Tense) -> date | None:
    """The year for a month-day without one, by tense."""
    options = []
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    if not options:
        return None
    if tense == "past":
        past = [d for d in options if d <= pub + timedelta(days=1)]
        return max(past) if past else min(options)
    if tense == "future":
        future = [d for d in options if d >= pub - timedelta(days=1)]
        return min(future) if future else max(options)
    return min(options, key=lambda d: abs((d - pub).days))


def _place_month(pub: date, month: int, tense: Tense) -> tuple[int, int]:
    if tense == "past":
        return (pub.year if month <= pub.month else pub.year - 1), month
    if tense == "future":
        return (pub.year if month >= pub.month else pub.year + 1), month
    cands = [(y, month) for y in (pub.year - 1, pub.year, pub.year + 1)]
    return min(cands, key=lambda ym: abs((ym[0] - pub.year) * 12 + ym[1] - pub.month))


def _week(d: date) -> str:
    start = d - timedelta(days=d.weekday())
    return f"{start.isoformat()}/{(start + timedelta(days=6)).isoformat()}"


def _resolve(kind: str, m: re.Match[str], pub: date | None, tense: Tense, dayfirst: bool) -> str | None:
    g = m.groupdict()
    if kind == "iso":
        return _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    if kind == "numeric":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        y = y + 2000 if y < 100 else y
        if a > 12:
            day, mon = a, b
        elif b > 12:
            day, mon = b, a
        else:
            day, mon = (a, b) if dayfirst else (b, a)
        return _safe_date(y, mon, day)
    if kind in ("mdy", "dmy"):
        mon, day = _month(g["mon"]), int(g["day"])
        if g.get("year"):
            return _safe_date(int(g["year"]), mon, day)
        if pub is None:
            return None
        found = _place_day(pub, mon, day, tense)
        return found.isoformat() if found else None
    if kind == "year":
        return g["year"]
    if kind == "month_year":
        mon = _month(g["mon"])
        if g.get("year"):
            return _month_str(int(g["year"]), mon)
        if pub is None:
            return None
        return _month_str(pub.year + {"last": -1, "this": 0, "next": 1}[g["rel"].lower()], mon)
    if pub is None:
        return None
    if kind == "month_rel":
        mon, rel = _month(g["mon"]), g["rel"].lower()
        if rel == "last":
            y = pub.year if mon < pub.month else pub.year - 1
        elif rel == "next":
            y = pub.year if mon > pub.month else pub.year + 1
        else:
            y = pub.year
        return _month_str(y, mon)
    if kind == "month":
        return _month_str(*_place_month(pub, _month(g["mon"]), tense))
    if kind == "part_month":
        mon = _month(g["mon"])
        y = int(g["year"]) if g.get("year") else _place_month(pub, mon, tense)[0]
        last = calendar.monthrange(y, mon)[1]
        part = g["part"].lower()
        lo, hi = {
            "early": (1, 10),
            "mid": (11, 20),
            "the middle of": (11, 20),
            "late": (21, last),
            "the end of": (21, last),
        }.get(part, (1, 10))
        return f"{date(y, mon, lo).isoformat()}/{date(y, mon, hi).isoformat()}"
    if kind == "weekday":
        wd = _WEEKDAY_NAMES[g["wd"].lower().rstrip(".")]
        rel = (g.get("rel") or "").lower()
        if rel == "next" or rel in ("", "on", "this", "by", "until") and tense == "future":
            ahead = (wd - pub.weekday()) % 7 or (7 if rel == "next" else 0)
            return (pub + timedelta(days=ahead)).isoformat()
        back = (pub.weekday() - wd) % 7
        if rel == "last" and back == 0:
            back = 7
        return (pub - timedelta(days=back)).isoformat()
    if kind == "day_word":
        word = g["word"].lower()
        delta = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return (pub + timedelta(days=delta)).isoformat()
    if kind == "relative":
        return _relative(pub, g["rel"].lower(), g["what"].lower())
    if kind == "ago":
        word = g["num"].lower()
        n = int(word) if word.isdecimal() else _NUMBERS[word]
        sign = 1 if g["dir"].lower() in ("later", "from now") else -1
        unit = g["unit"].lower()
        if unit in ("day", "week"):
            return (pub + timedelta(days=sign * n * (7 if unit == "week" else 1))).isoformat()
        if unit == "month":
            return _month_str(*_shift_month(pub.year, pub.month, sign * n))
        return str(pub.year + sign * n * (10 if unit == "decade" else 1))
    if kind == "holiday":
        mon, day = _HOLIDAYS[g["hol"].lower()]
        rel = (g.get("rel") or "").lower()
        chosen: Tense = "past" if rel == "last" else "future" if rel in ("next", "this") else tense
        found = _place_day(pub, mon, day, chosen)
        return found.isoformat() if found else None
    return None


def _relative(pub: date, rel: str, what: str) -> str | None:
    step = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[rel]
    if what == "week":
        return _week(pub + timedelta(days=7 * step))
    if what == "weekend":
        sat = pub + timedelta(days=(5 - pub.weekday()) % 7 - (7 if step < 0 else 0) + (7 if step > 0 else 0))
        if step < 0 and (pub - sat).days >= 7:
            sat += timedelta(days=7)
        return f"{sat.isoformat()}/{(sat + timedelta(days=1)).isoformat()}"
    if what == "month":
        return _month_str(*_shift_month(pub.year, pub.month, step))
    if what == "year":
        return str(pub.year + step)
    return None  # seasons: too vague to place


def _safe_date(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _tense(sent: Span, start: int, end: int) -> Tense:
    """Past, future or near: from the verb the expression hangs on."""
    span = sent.doc.char_span(sent.start_char + start, sent.start_char + end, alignment_mode="expand")
    if span is None:
        return "past"
    tok = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    children = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if children & _FUTURE_AUX or tok.lower_ in _FUTURE_AUX:
        return "future"
    if tok.tag_ == "VBD" or children & {"was", "were", "had", "did", "has", "have", "been"}:
        return "past"
    if tok.tag_ == "VBN":
        return "near" if children & {"is", "are", "be", "'s", "'re"} else "past"
    if tok.tag_ == "VB" and "to" in {c.lower_ for c in tok.children}:
        return "future"  # "is scheduled to be sentenced", "expected to close"
    if tok.tag_ in ("VBZ", "VBP", "VBG") or tok.tag_ == "VB":
        return "near"
    return "past"


def find_times(text: str) -> list[tuple[str, re.Match[str]]]:
    """Non-overlapping time expressions in `text`, longest first, in text order."""
    found: list[tuple[str, re.Match[str]]] = []
    for kind, rx in _REGEX:
        for m in rx.finditer(text):
            if kind in ("weekday", "mdy", "dmy", "month_year") and not _caps_ok(m):
                continue
            found.append((kind, m))
    found.sort(key=lambda km: (-(km[1].end() - km[1].start()), km[1].start()))
    taken: list[tuple[int, int]] = []
    out = []
    for kind, m in found:
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        taken.append((m.start(), m.end()))
        out.append((kind, m))
    out.sort(key=lambda km: km[1].start())
    return out


def _caps_ok(m: re.Match[str]) -> bool:
    """Month and weekday names are capitalised ("may" and "march" in lower case are verbs)."""
    for key in ("mon", "wd"):
        value = m.groupdict().get(key)
        if value and not value[0].isupper():
            return False
    return True


# Country domains whose numeric dates put the day first (05/03/2024 is 5 March); others read month first.
_DAYFIRST_TLDS = {
    "uk",
    "ie",
    "au",
    "nz",
    "in",
    "za",
    "fr",
    "de",
    "nl",
    "be",
    "es",
    "it",
    "pt",
    "no",
    "se",
    "dk",
    "fi",
    "ru",
    "br",
    "ar",
    "mx",
    "ng",
    "ke",
    "eg",
    "pk",
    "sg",
    "my",
    "ph",
    "id",
    "eu",
    "ch",
    "at",
}


def dayfirst_for(url: str | None) -> bool:
    """Whether numeric dates from this URL's site are day/month/year (by its country domain)."""
    if not url:
        return False
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0].split(":")[0]
    return host.rsplit(".", 1)[-1] in _DAYFIRST_TLDS


def extract_times(doc: Doc, published: str | None, dayfirst: bool = False) -> list[TimeExpr]:
    """Time expressions of a parsed article with dates resolved against `published` (YYYY-MM-DD)."""
    pub = date.fromisoformat(published[:10]) if published else None
    out: list[TimeExpr] = []
    for si, sent in enumerate(doc.sents):
        for kind, m in find_times(sent.text):
            tense = _tense(sent, m.start(), m.end())
            resolved = _resolve(kind, m, pub, tense, dayfirst)
            if resolved is None:
                continue
            out.append(
                TimeExpr(
                    text=m.group().strip(),
                    date=resolved,
                    sentence=si,
                    start=sent.start_char + m.start(),
                    end=sent.start_char + m.end(),
                )
            )
    return out
