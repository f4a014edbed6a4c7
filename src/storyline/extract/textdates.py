"""Publication dates in plain-text page dumps, with locale-aware day/month order.

Candidates come from short, metadata-like lines (bylines, agency time stamps,
"Date:" fields, datelines); dates inside body prose are events, not the
publication. A weekday + date alone on the first line is a site's "today"
widget and is skipped. A numeric date whose day and month are both <= 12 is
ordered by votes from the page: the credited outlet on the same line (its
country's convention), other unambiguous numeric dates, and the order used in
written-out dates ("16 April 2018" vs "April 16, 2018").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from storyline.extract.credits import find_credits
from storyline.models import DateGuess

# month names and abbreviations (en, de, fr, es, it, pt, nl, no/da/sv); value 1..12
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "janvier", "enero", "ene", "gennaio", "janeiro", "januari"),
    2: ("february", "feb", "februar", "février", "fevrier", "febrero", "febbraio", "fevereiro", "februari"),
    3: ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "maart", "mrt"),
    4: ("april", "apr", "avril", "abril", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "maio", "mei"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "junho"),
    7: ("july", "jul", "juli", "juillet", "julio", "luglio", "julho"),
    8: ("august", "aug", "août", "aout", "agosto", "augustus", "ago"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro"),
    10: ("october", "oct", "okt", "oktober", "octobre", "octubre", "ottobre", "outubro", "out"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: ("december", "dec", "dez", "dezember", "décembre", "decembre", "diciembre", "dicembre", "dezembro",
         "desember", "des"),
}
_MONTHS = {name: num for num, names in _MONTH_NAMES.items() for name in names}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))

_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d\d?)-(?P<d>\d\d?)(?!\d)")
_NUMERIC = re.compile(
    r"(?<![\d.:/-])(?P<a>\d\d?)(?P<sep>[/.-])(?P<b>\d\d?)(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)"
)
_DAY_MONTH = re.compile(
    rf"(?<![\d.:/-])(?P<d>\d\d?)\.?\s*(?:de\s+)?(?P<mon>{_MONTH_RE})\b\.?,?\s*"
    r"(?:de\s+)?(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"(?<![\w])(?P<mon>{_MONTH_RE})\b\.?\s+(?P<d>\d\d?)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")  # every date pattern needs one: a cheap first filter
_TIME = re.compile(r"(?<!\d)\d\d?:\d\d(?::\d\d)?(?!\d)")
# weekday names (en, de, fr, es, no/da) -> datetime weekday (Monday = 0)
_WEEKDAYS: dict[str, int] = {}
for _num, _names in enumerate((
    ("monday", "montag", "lundi", "lunes", "mandag"),
    ("tuesday", "dienstag", "mardi", "martes", "tirsdag"),
    ("wednesday", "mittwoch", "mercredi", "miércoles", "onsdag"),
    ("thursday", "donnerstag", "jeudi", "jueves", "torsdag"),
    ("friday", "freitag", "vendredi", "viernes", "fredag"),
    ("saturday", "samstag", "samedi", "sábado", "lørdag"),
    ("sunday", "sonntag", "dimanche", "domingo", "søndag"),
)):
    _WEEKDAYS.update(dict.fromkeys(_names, _num))
_WEEKDAY = re.compile(r"\b(?:" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_META_CUE = re.compile(
    r"\|\s*|\b(?:date|published|updated|posted|by|of|av|von|por|par|door|dato|datum|fecha|publi\w*|"
    r"oppdatert|aktualisiert|päivitetty)\b\s*:?",
    re.IGNORECASE,
)

_UPDATED = re.compile(r"\b(?:updated|update|aktualisiert|oppdatert|mis à jour|actualizado|päivitetty)\b",
                      re.IGNORECASE)
_DATE_PATTERNS = (_ISO, _NUMERIC, _DAY_MONTH, _MONTH_DAY, _TIME, _WEEKDAY, _META_CUE, _UPDATED)

# outlets whose home convention is month-first (US); any other credited outlet votes day-first
_MONTH_FIRST_OUTLETS = frozenset({
    "AP", "UPI", "Bloomberg", "CNN", "CBS News", "NBC News", "ABC News", "Fox News", "NPR",
    "The New York Times", "The Washington Post", "The Wall Street Journal", "Politico", "Axios",
})
_NEUTRAL_OUTLETS = frozenset({"Reuters"})
_MAX_META_WORDS = 16


@dataclass(frozen=True, slots=True)
class _Candidate:
    year: int
    first: int  # for numeric dates: the first number; otherwise the month
    second: int  # for numeric dates: the second number; otherwise the day
    ambiguous_order: bool  # numeric a/b/yyyy: order still to decide
    line_index: int
    evidence: str
    score: float


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _weekday_matches(year: int, month: int, day: int, names: set[int]) -> bool:
    try:
        return date(year, month, day).weekday() in names
    except ValueError:
        return False


def _order_votes(lines: list[str], date_line: int, year: int, a: int, b: int) -> float:
    """Evidence for reading a/b/year day-first (positive) or month-first (negative).

    The same date printed elsewhere with its month named settles it; then the site's
    own other dates (short template lines) weigh most, since the same software
    printed them; then a weekday named in the text that only one reading falls on;
    the credited outlet on the date's line; dates inside prose least.
    """
    vote = 0.0
    weekdays: set[int] = set()
    day_first_date, month_first_date = (year, b, a), (year, a, b)
    for i, line in enumerate(lines):
        written_dates = _written_dates(line) if i != date_line and _YEAR.search(line) else set()
        if (day_first_date in written_dates) != (month_first_date in written_dates):
            vote += 6.0 if day_first_date in written_dates else -6.0  # the same date, printed with its month named
            continue
        if i == date_line:
            for outlet in find_credits(line):
                if outlet not in _NEUTRAL_OUTLETS:
                    vote += -2.0 if outlet in _MONTH_FIRST_OUTLETS else 2.0
            continue
        numeric = list(_NUMERIC.finditer(line)) if _YEAR.search(line) else []
        written = len(_DAY_MONTH.findall(line)) - len(_MONTH_DAY.findall(line)) if _YEAR.search(line) else 0
        if not numeric and not written and not (_YEAR.search(line) and _ISO.search(line)):
            weekdays.update(_WEEKDAYS[w.lower()] for w in _WEEKDAY.findall(line))  # not tied to a date
        weight = 4.0 if len(line.split()) <= _MAX_META_WORDS else 0.5
        for m in numeric:
            first, second = int(m["a"]), int(m["b"])
            if first > 12 >= second:
                vote += weight
            elif second > 12 >= first:
                vote -= weight
        vote += weight * written
    day_first, month_first = _weekday_matches(year, b, a, weekdays), _weekday_matches(year, a, b, weekdays)
    if day_first != month_first:
        vote += 2.0 if day_first else -2.0
    return vote


def _written_dates(line: str) -> set[tuple[int, int, int]]:
    """(year, month, day) of the dates in `line` that name their month or are ISO."""
    found = {(int(m["y"]), int(m["m"]), int(m["d"])) for m in _ISO.finditer(line)}
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        found.update((int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"])) for m in pattern.finditer(line))
    return found


def _candidates(lines: list[str]) -> list[_Candidate]:
    found: list[_Candidate] = []
    for i, line in enumerate(lines):
        if len(line.split()) > _MAX_META_WORDS or not _YEAR.search(line):
            continue
        matches: list[tuple[int, int, int, bool, re.Match[str]]] = []
        for m in _ISO.finditer(line):
            matches.append((int(m["y"]), int(m["m"]), int(m["d"]), False, m))
        for m in _NUMERIC.finditer(line):
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b:
                matches.append((int(m["y"]), b, a, False, m))
            elif b > 12 >= a:
                matches.append((int(m["y"]), a, b, False, m))
            elif m["sep"] == ".":
                matches.append((int(m["y"]), b, a, False, m))  # dotted dates are day-first everywhere
            elif a <= 12 and b <= 12:
                matches.append((int(m["y"]), a, b, True, m))
        for m in _DAY_MONTH.finditer(line):
            matches.append((int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]), False, m))
        for m in _MONTH_DAY.finditer(line):
            matches.append((int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]), False, m))
        for year, first, second, ambiguous, m in matches:
            if not ambiguous and not _valid(year, first, second):
                continue
            rest = (line[: m.start()] + line[m.end():]).strip(" ,.-|")
            rest_wo_weekday = _WEEKDAY.sub("", rest).strip(" ,.-|")
            if i == 0 and not rest_wo_weekday and _WEEKDAY.search(rest):
                continue  # "today" widget: weekday + date alone on the first line
            if len(rest.split()) >= 5 and re.search(r"[.!?]$", rest):
                continue  # a sentence: the date is an event in the story
            score = 0.6
            if _TIME.search(line):
                score += 0.15
            if _META_CUE.search(rest):
                score += 0.15
            if _UPDATED.search(rest):
                score -= 0.1  # prefer the first publication over a later update
            if not rest_wo_weekday and i == 0:
                score -= 0.2  # a bare date at the very top may still be a widget
            score -= 0.01 * min(i, 20)  # publication stamps sit near the top
            found.append(_Candidate(year, first, second, ambiguous, i, line.strip(), score))
    return found


def find_date(lines: list[str]) -> DateGuess | None:
    """The most likely publication date among the page's lines, or None."""
    candidates = _candidates(lines)
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.score, -c.line_index))
    month, day, confidence = best.first, best.second, min(best.score, 0.95)
    if best.ambiguous_order:
        vote = _order_votes(lines, best.line_index, best.year, best.first, best.second)
        if vote > 0:
            month, day = best.second, best.first
        confidence = min(confidence, 0.5 + 0.05 * min(abs(vote), 6))
    if not _valid(best.year, month, day):
        return None
    return DateGuess(_iso(best.year, month, day), best.evidence, round(confidence, 2))


def is_date_line(line: str) -> bool:
    """True for a stamp line: a date with at most a few other words (weekday, time, cue, place)."""
    if len(line.split()) > 8 or not _YEAR.search(line):
        return False
    if not any(p.search(line) for p in (_ISO, _NUMERIC, _DAY_MONTH, _MONTH_DAY)):
        return False
    rest = line
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 3
