"""Facts from text in any language, by patterns: sentences, amounts, dates, quotes and names.

The reader every language gets (English gets the deeper parse-based one). What it reads:
- **sentences**: split after ., !, ?, … and the CJK full stops, not after an initial or a short abbreviation;
- **amounts** written in digits, in the language's convention ("1.200" and "1 200" are 1200 in French or German,
  "6,1" is 6.1), with scale words ("3 millions", "2 tỷ"), currency symbols and unit words, an approximation or
  bound from the words before it ("environ", "mehr als", "khoảng"), ranges ("200 à 300"), and what is counted
  named by an English lemma (`Quantity.measured`) when the profile knows the word, so that amounts of
  different languages can be compared; numbers inside dates and clock times are not amounts;
- **dates** with dateparser's month and weekday names for the language: "3 mai 2024", "5 tháng 3", "22/10"
  after a date word, ISO and numeric dates, "2024年5月3日", weekdays and yesterday/today, each resolved
  against the publication date (a day without a year is placed at most a month after it);
- **quotes** between the language's quotation marks, with the speaker from a speech verb and the name next to
  it ("a déclaré Jean Dupont", "Jay Carney cho biết:"), or from "according to" ("selon X", "laut X");
- **names** by capitalisation (not in scripts without case, and in German only names of two words or more).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from storyline.analyse.languages import Profile, profile
from storyline.analyse.records import Entity, Quantity, Quote, TimeExpr
from storyline.analyse.units import CURRENCY_PREFIX, UNITS

UNIT_NAMES = frozenset(UNITS.values())
# Every upper-case letter of the Basic Multilingual Plane (Latin with Vietnamese tones, Cyrillic, Greek...).
_UPPER = re.escape("".join(c for c in map(chr, range(0x10000)) if c.isupper() and c.isalpha()))
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?P<close>(?:[\"”“«」』)\]]|[ \u00a0\u202f]?»)*)\s+"
                           r"(?=[\"“«„»「『(\[]?\s?[" + _UPPER + r"0-9])"
                           r"|(?<=[。！？][”」』\"])|(?<=[。！？])(?![”」』\"])|\n+")
# Initials and short titles ("J.", "Dr.", "St."), and dotted abbreviations ("z.B.", "u.a.", "i.e.")
_ABBREVIATION_END = re.compile(r"(?:^|\s)(?:[" + _UPPER + r"][a-zа-я]{0,2}|\w\.\w)\.$")
# A number in digits: groups of three after a space, dot, comma or apostrophe, then an optional fraction.
_DIGITS = r"(\d{1,3}(?:[ \u00a0\u202f.,’']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_NUMBER = re.compile(r"(?<![\w.,/:-])" + _DIGITS + r"(?![\w/:])")
_NUMBER_UNSPACED = re.compile(r"(?<![\d.,/:-])" + _DIGITS + r"(?![\d/:])")  # "约200名": letters touch numbers
_DIGITS_AT = re.compile(_DIGITS + r"(?![\d/:])")  # the second number of a range, right after its dash
_YEAR = re.compile(r"(?:19|20)\d\d")
# "4-1", "6–3", "23-10": a score or a day and month, not two amounts (a range rises: "200-300")
_PAIR = re.compile(r"^\s?[-–:]\s?" + _DIGITS + r"(?![\d/:])")
_LABEL_SIGN = re.compile(r"(?:#|№|\bNo\.?|\bNr\.?)\s*$")
_CONJUNCTIONS = frozenset({"and", "or", "và", "hoặc", "hay", "et", "ou", "und", "oder", "y", "o", "e", "i", "и",
                           "или", "та", "і", "lub", "oraz", "en", "of", "och", "eller", "og", "dan", "atau", "ve"})
_CLOCK = re.compile(r"^\s*(?:h|uhr|heures?|horas?|giờ|час|Uhr|h\d\d)\b", re.I)
# "alle 4.17", "um 21.30", "à 9:52": a clock time after its preposition (any language with a profile)
_CLOCK_BEFORE = re.compile(r"(?:^|\s)(?:alle|all'|à|a las|a la|às|um|gegen|в|о|lúc|at|om|kl\.|klo|kello|o|ore)\s*$",
                           re.I)
_CLOCK_TIME = re.compile(r"[0-2]?\d[.:][0-5]\d")
_RANGE = re.compile(r"^\s*(?:-|–|—|à|a|bis|до|đến|tới|to|e|y|und|et|và)\s*(?=\d)", re.I)
_QUOTE_PAIRS = {"“": "”\"", "«": "»", "„": "“”\"", "\"": "\"”", "「": "」", "『": "』", "‹": "›", "‚": "‘’",
                "»": "«"}
_QUOTE = re.compile(r"([“«„\"「『‹‚»])([^“”«»„\"「」『』‹›]{2,600}?)([”\"»“」』›‘’«])")
_NAME_WORD = r"[" + _UPPER + r"][\w'’\-]*"
_PARTICLES = r"(?:de|da|di|do|dos|del|della|van|von|der|den|ter|ten|al|el|bin|ibn|la|le|du|y)"
_NAME = re.compile(_NAME_WORD + r"(?:\s+(?:" + _PARTICLES + r"\s+)?" + _NAME_WORD + r"){0,4}")
_WORD = re.compile(r"\w+", re.UNICODE)
# Titles before a name, in the languages with a profile ("M. Garnier", "Ông Trần Minh Quang", "Frau Weber")
_TITLES = frozenset({"M", "Mme", "Mlle", "Mr", "Mrs", "Ms", "Dr", "Pr", "Prof", "Sr", "Sra", "Srta", "Don", "Doña",
                     "Sig", "Signor", "Signora", "Herr", "Frau", "Dhr", "Mevr", "Pan", "Pani", "Ông", "Bà", "Anh",
                     "Chị", "Cô", "Bapak", "Ibu", "Pak", "Bu", "Bay", "Bayan"})
# After a closing quotation mark: a comma or dash, then a speaker of up to three words (names or nouns)
_AFTER_QUOTE_SPEAKER = re.compile(r"\s*[,\-–—]\s*([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2})\s*")
# Personal pronouns that open a sentence with a capital: never a speaker's name ("Il a déclaré", "Er sagte")
_PRONOUNS = frozenset({"I", "He", "She", "We", "They", "It", "Il", "Elle", "Ils", "Elles", "On", "Nous", "Je",
                       "Er", "Sie", "Es", "Wir", "Ich", "Él", "Ella", "Ellos", "Ellas", "Yo", "Lui", "Lei", "Loro",
                       "Io", "Noi", "Ele", "Ela", "Eles", "Elas", "Eu", "Nós", "Hij", "Zij", "Ze", "Wij", "Han",
                       "Hon", "Hun", "De", "Vi", "Jeg", "Jag", "Он", "Она", "Они", "Мы", "Я", "Він", "Вона", "Вони",
                       "Ona", "Oni", "My", "Ja", "Dia", "Mereka", "Kami", "Kita", "Saya", "O", "Onlar", "Biz", "Ben"})
MIN_QUOTE_WORDS = 3
MAX_QUOTED_SENTENCE = 600  # characters: past this a sentence ends even inside an open quotation
LONG_QUOTE_WORDS = 10  # quoted words this long are speech even without a speech verb next to them
NAMING = ("called", "dubbed", "titled", "entitled", "named", "so-called")  # English words, in any language's text
MIN_QUOTE_CHARS_UNSPACED = 6


@dataclass(frozen=True, slots=True)
class Reading:
    """What the pattern reader found in one text."""

    sentences: list[str]
    quantities: list[Quantity]
    times: list[TimeExpr]
    quotes: list[Quote]
    names: list[Entity]


def read(text: str, language: str | None, published: str | None) -> Reading:
    """Everything the patterns find in `text`."""
    lang = profile(language)
    spans = split_sentences(text, lang)
    pub = _date(published)
    quantities: list[Quantity] = []
    times: list[TimeExpr] = []
    quotes: list[Quote] = []
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        found = find_dates(sentence, lang, pub)
        times.extend(TimeExpr(sentence[s:e], value, index, start + s, start + e) for s, e, value in found)
        taken = [(s, e) for s, e, _ in found]
        quantities.extend(find_amounts(sentence, lang, index, taken))
        quotes.extend(find_quotes(sentence, lang, index, start))
    return Reading([text[s:e].strip() for s, e in spans], quantities, times, quotes,
                   find_names(text, spans, lang, quotes))


def split_sentences(text: str, lang: Profile) -> list[tuple[int, int]]:
    """Sentence spans of `text` (character offsets), not broken after initials, short abbreviations and the
    ordinal day of a date ("am 3. Mai")."""
    months = _calendar(_calendar_code(lang))[0]
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + len(m.group("close") or "")  # closing quotation marks end the sentence they close
        piece = text[start:end].rstrip()
        if not piece.strip():
            start = m.end()
            continue
        word = _WORD.match(text, m.end())
        next_word = word.group(0).lower() if word else ""
        ordinal_day = re.search(r"(?<!\d)\d{1,2}\.$", piece) and next_word in months
        if "\n" not in m.group(0) and _inside_quote(text[start:end]):
            continue  # «Vannet kom ned dalen. Mange rakk ikke ut», sa hun: one sentence
        if (m.group("close") or "").strip() or not (_ABBREVIATION_END.search(piece) or ordinal_day):
            spans.append((start, end))
            start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), s + len(text[s:e].rstrip())) for s, e in spans
            if text[s:e].strip()]


def _inside_quote(piece: str) -> bool:
    """A quotation opened in `piece` is still open at its end (a straight double quote closes an open curly or
    guillemet quotation, as careless typing does: “...")."""
    if len(piece) > MAX_QUOTED_SENTENCE:
        return False  # an unclosed mark must not swallow the rest of the text
    open_marks: list[str] = []
    for ch in piece:
        top = open_marks[-1] if open_marks else ""
        if (ch == "“" and top == "„") or (ch == "«" and top == "»") or (ch == "»" and top == "«") or (
                ch in "”」』\"" and top):
            open_marks.pop()
        elif ch in "«„「『“\"" or (ch == "»" and not top):  # »...« opens in German and Danish
            open_marks.append(ch)
    return bool(open_marks)


def parse_number(written: str, decimal_comma: bool | None) -> float | None:
    """The value of a number as the language writes it ("1.200,5" in German, "1,200.5" in English); when the
    convention is unknown (None), the last of two different marks is the decimal one, and a lone mark before
    exactly three digits groups thousands ("1,200" and "1.200" are 1200, "6,1" is 6.1)."""
    s = re.sub(r"[ \u00a0\u202f’']", "", written)
    if decimal_comma is None:
        marks = [c for c in s if c in ",."]
        if len(set(marks)) == 2:
            decimal_comma = marks[-1] == ","
        elif marks:
            grouping = len(marks) > 1 or re.fullmatch(r"\d{1,3}[,.]\d{3}", s) is not None
            decimal_comma = (marks[0] == ",") != grouping
    dec, group = (",", ".") if decimal_comma else (".", ",")
    if s.count(dec) > 1:
        return None
    if group in s:
        parts = s.split(dec)[0].split(group)
        if any(len(p) != 3 for p in parts[1:]):
            if s.count(group) == 1 and dec not in s:  # "2.5" in a decimal-comma text: a decimal point after all
                return float(s.replace(group, "."))
            return None
        s = s.replace(group, "")
    try:
        return float(s.replace(dec, "."))
    except ValueError:
        return None


def _words_before(sentence: str, pos: int, n: int = 4) -> str:
    return " ".join(sentence[max(0, pos - 40):pos].lower().split()[-n:])


def _ends_with(text: str, phrases: tuple[str, ...], spaced: bool) -> bool:
    if spaced:
        return any(text == p or text.endswith(" " + p) for p in phrases)
    return any(text.endswith(p) for p in phrases)


def find_amounts(sentence: str, lang: Profile, index: int, taken: list[tuple[int, int]]) -> list[Quantity]:
    """The amounts of one sentence, with unit, counted thing, approximation and range."""
    found: list[Quantity] = []
    skip_until = -1
    number = _NUMBER if lang.spaced else _NUMBER_UNSPACED
    for m in number.finditer(sentence):
        if m.start() < skip_until or any(s <= m.start() < e for s, e in taken):
            continue
        after = sentence[m.end():]
        clock = _CLOCK.match(after) or (_CLOCK_BEFORE.search(sentence[:m.start()])
                                         and _CLOCK_TIME.fullmatch(m.group(1)))
        if clock or re.match(r"^[.,]?\s*\d", after) or re.match(r"^(?:e|er|ème|º|ª|st|nd|rd|th)\b", after):
            continue  # a clock time, a phone or an ordinal
        if (pair := _PAIR.match(after)) and (parse_number(pair.group(1), lang.decimal_comma) or 0) <= (
                parse_number(m.group(1), lang.decimal_comma) or 0):
            skip_until = m.end() + pair.end()
            continue  # a score or a date written with a dash
        words = _words_before(sentence, m.start(), 3)
        approximated = _ends_with(words, lang.about + lang.over + lang.under, lang.spaced)
        if _LABEL_SIGN.search(sentence[:m.start()]) or (_ends_with(words, lang.labels, lang.spaced)
                                                        and not approximated):
            continue  # "No. 5", "phase 2", "số 5": a label ("trong vòng 1 năm" is "within a year")
        value = parse_number(m.group(1), lang.decimal_comma)
        if value is None:
            continue
        end = m.end()
        value_max = None
        if (r := _RANGE.match(after)) and (m2 := _DIGITS_AT.match(sentence, m.end() + r.end())):
            second = parse_number(m2.group(1), lang.decimal_comma)
            if second is not None and second > value:
                value_max, end, skip_until = second, m2.end(), m2.end()
        scale, end = _scale(sentence, end, lang)
        prefix = _currency_prefix(sentence[:m.start()])  # "US$", "€": part of the amount as written
        start = m.start() - len(prefix)
        unit = _currency_unit(prefix)
        rest = sentence[end:end + 100]
        unit_after, counted_key, counted_word, used = _what(rest, lang)
        unit = unit or unit_after
        if unit is None and counted_key in UNIT_NAMES:
            unit = counted_key
        measured = unit or (counted_key if counted_key not in UNIT_NAMES else None)
        if measured is None and scale == 1.0 and _YEAR.fullmatch(m.group(1)):
            continue  # a year ("từ năm 2004"), not an amount
        if measured == "people":
            measured = _tally(_words_before(sentence, m.start(), 3), lang) or measured
        lead = _words_before(sentence, start)
        bound = ">" if _ends_with(lead, lang.over, lang.spaced) else "<" if _ends_with(lead, lang.under,
                                                                                      lang.spaced) else "="
        approx = _ends_with(lead, lang.about, lang.spaced)
        if not lang.spaced:
            tail = sentence[end + used:end + used + 3]
            approx = approx or tail.startswith(("左右", "前后"))
            bound = ">" if tail.startswith(("以上", "多", "余", "超")) or sentence[end:end + 1] in "多余" else bound
        text_end = end + used if counted_word or unit_after else end
        found.append(Quantity(
            value=value * scale, unit=unit, counted=counted_word, approx=approx, sentence=index,
            text=sentence[start:text_end].strip(),
            value_max=value_max * scale if value_max is not None else None,
            bound="~" if approx and bound == "=" else bound, measured=measured))
    return found


def _scale(sentence: str, end: int, lang: Profile) -> tuple[float, int]:
    """The multiplier a scale word right after a number gives ("3 millions", "2 tỷ"), and where it ends."""
    rest = sentence[end:end + 20]
    best = (1.0, end)
    for word, factor in lang.scales.items():
        gap = re.match(r"\s*" if lang.spaced or not word[0].isalpha() else r"", rest)
        at = gap.end() if gap else 0
        whole = not word[-1].isalnum() or not lang.spaced or not rest[at + len(word):at + len(word) + 1].isalnum()
        if rest[at:].lower().startswith(word) and whole and len(word) + at > best[1] - end:
            best = (factor, end + at + len(word))
    return best


def _currency_prefix(before: str) -> str:
    """The currency sign or code written right before a number, as written ("" when none)."""
    m = re.search(r"(?:[A-Z]{0,3}[$€£¥₽₹₩₪]|US\$|USD|EUR)\s?$", before)
    return m.group(0) if m else ""


def _currency_unit(prefix: str) -> str | None:
    key = prefix.strip().lower()
    return CURRENCY_PREFIX.get(key) or UNITS.get(key) if key else None


def _what(rest: str, lang: Profile) -> tuple[str | None, str | None, str | None, int]:
    """After a number: (unit name, counted key, counted word as written, characters used)."""
    low = rest.lower()
    symbol = re.match(r"\s?(%|‰|€|\$|£|km²|km2|km|kg|mw|gw|kwh|usd|eur|vnd|vnđ)(?!\w)", low)
    unit = UNITS.get(symbol.group(1)) if symbol else None
    if symbol and symbol.group(1) in ("vnd", "vnđ"):
        unit = "vietnamese dong"
    start = symbol.end() if symbol and unit else 0
    if not unit and (link := re.match(r"\s*(?:d['’]|de\s|di\s|of\s)", low)):  # "3,5 millions d'euros"
        start = link.end()
    key, word, end = _counted(low, start, lang)
    if unit and key in UNIT_NAMES:
        key, word = None, None
    if key is None and unit is None:
        return None, None, None, 0
    if start and not unit and key not in UNIT_NAMES:
        return None, None, None, 0  # "d'" links a scale to its unit only
    if word is not None:
        word = rest[end - len(word):end]
    return unit, key, word, max(end, start)


def _counted(low: str, start: int, lang: Profile) -> tuple[str | None, str | None, int]:
    """The counted thing in the first words after the number (the longest known word beginning wins); a count of
    people followed within the clause by a word of death, injury, arrest... is that tally."""
    if lang.spaced:
        clause = re.split(r"[,;:()\[\]]", low[start:])[0]
        words = []
        for w in _WORD.finditer(clause):
            if w.group(0) in _CONJUNCTIONS:
                break
            words.append((w.start() + start, w.end() + start))
        firsts = [s for s, _ in words[:2]]
    else:
        firsts = [start + k for k in range(0, 3) if start + k < len(low)]
    best: tuple[str | None, str | None, int, int] = (None, None, 0, 0)
    for n, at in enumerate(firsts):
        for key, stems in lang.counted.items():
            if n and key in UNIT_NAMES:
                continue  # a unit comes right after its number ("300 tấn"), a counted noun may follow a word
            for stem in stems:
                if low.startswith(stem, at) and len(stem) > best[3]:
                    tail = re.match(r"[\w\-]*", low[at + len(stem):]) if lang.spaced else None
                    if tail and tail.end() and len(stem) <= SHORT_STEM:
                        continue  # "ha" is a hectare, "habitants" are not
                    end = at + len(stem) + (tail.end() if tail else 0)
                    best = (key, low[at:end], end, len(stem))
        if best[0]:
            break
    key, word, end, _ = best
    if key == "people":
        return _tally(re.split(r"[,;.:!?()]", low[end:end + 80])[0], lang) or key, word, end
    if key is None and lang.spaced:  # "unas 200 resultaron heridas": a tally right after the number
        near = " ".join(low[start:start + 40].split()[:3])
        if tally := _tally(near, lang):
            return tally, None, start
    return key, word, end


SHORT_STEM = 2  # stems this short name only whole words ("ha", "km", "zł")
TALLIES = ("people dead", "people injured", "people missing", "people arrested", "people evacuated")


def _tally(clause: str, lang: Profile) -> str | None:
    """The kind of running count a clause names with its words of death, injury, arrest..."""
    for tally in TALLIES:
        stems = lang.counted.get(tally, ())
        if any(re.search(r"(?:^|\W)" + re.escape(s) if lang.spaced else re.escape(s), clause) for s in stems):
            return tally
    return None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@lru_cache(maxsize=64)
def _calendar(code: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Month names, weekday names and one-day relative words ("hier": -1) of a language, from dateparser."""
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    relative: dict[str, int] = {}
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(code).info
    except Exception:  # an unknown language: numeric dates only
        return months, weekdays, relative
    names = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"]
    for number, name in enumerate(names, 1):
        for form in info.get(name, []):
            if len(form) >= 3 and not form.endswith("."):
                months[form.lower()] = number
    for number, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]):
        for form in info.get(name, []):
            if len(form) >= 5 or not form.isascii():
                weekdays[form.lower()] = number
    for key, shift in (("0 day ago", 0), ("1 day ago", -1), ("in 1 day", 1)):
        for form in info.get("relative-type", {}).get(key, []):
            if len(form) >= 3:
                relative[form.lower()] = shift
    return months, weekdays, relative


def _alternation(words: dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=64)
def _date_patterns(code: str, date_words: tuple[str, ...], weekdays_on: bool) -> list[tuple[str, re.Pattern[str]]]:
    months, weekdays, relative = _calendar(code)
    month = f"(?P<month>{_alternation(months)})"
    year = r"(?P<year>(?:19|20)\d\d)"
    lead = "|".join(re.escape(w) for w in date_words) or "(?!)"
    b, e = r"(?<!\w)", r"(?!\w)"
    patterns = [
        ("iso", rf"{b}(?P<year>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d){e}"),
        ("cjk", r"(?:(?P<year>(?:19|20)\d\d)\s?年\s?)?(?P<m>[01]?\d)\s?月\s?(?P<d>[0-3]?\d)\s?[日号]"),
        ("cjk_month", r"(?P<year>(?:19|20)\d\d)\s?年\s?(?P<m>[01]?\d)\s?月(?!\s?\d)"),
        ("numeric", rf"{b}(?P<d>[0-3]?\d)[./-](?P<m>[01]?\d)[./-](?P<year>(?:19|20)\d\d){e}"),
        ("numeric_short", rf"(?i:{b}(?:{lead})\s+|\()(?P<d>[0-3]?\d)[/.](?P<m>0?[1-9]|1[0-2])(?![/.]?\d)"),
        # Vietnamese names months by number after "tháng" ("5 tháng 3", "tháng 9/2013", "tháng 11")
        ("vi_day", rf"(?i:{b}(?:ngày\s+)?)(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)(?:(?:\s+năm\s+|/){year})?{e}"),
        ("vi_month", rf"(?i:{b}tháng\s+)(?P<m>[01]?\d)\s*(?:/|\s+năm\s+){year}{e}"),
        ("vi_month_only", r"(?i:(?<!\w)tháng\s+)(?P<m>1[0-2]|0?[1-9])(?![\d/])"),
    ]
    if months:
        patterns += [
            ("day_month", rf"(?i:{b}(?P<d>[0-3]?\d)(?:\.|er|º)?\s+(?:de\s+)?{month}(?:\s+(?:de\s+)?{year})?{e})"),
            ("month_day", rf"(?i:{b}{month}\s+(?P<d>[0-3]?\d)(?:,?\s+{year})?{e})"),
            ("month_year", rf"(?i:{b}{month}\s+(?:de\s+)?{year}{e})"),
        ]
    if weekdays and weekdays_on:
        patterns.append(("weekday", rf"(?i:{b}(?P<weekday>{_alternation(weekdays)}){e})"))
    if relative:
        patterns.append(("relative", rf"(?i:{b}(?P<relative>{_alternation(relative)}){e})"))
    return [(kind, re.compile(p)) for kind, p in patterns]


_CALENDAR_CODES = {"no": "nb"}  # dateparser knows Norwegian as Bokmål ("nb")


def _calendar_code(lang: Profile) -> str:
    return _CALENDAR_CODES.get(lang.code, lang.code)


def find_dates(sentence: str, lang: Profile, pub: date | None) -> list[tuple[int, int, str | None]]:
    """(start, end, ISO date or month) of each date expression, resolved against the publication date."""
    code = _calendar_code(lang)
    months, weekdays, relative = _calendar(code)
    found: list[tuple[int, int, str | None]] = []
    weekday_spans = set()
    for kind, pattern in _date_patterns(code, lang.date_words, lang.weekdays):
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), _resolve(kind, m, pub, months, weekdays, relative)))
            if kind == "weekday":
                weekday_spans.add(m.span())
    # "tirsdag 4. mars", "thứ Hai (21/10)": the date that follows a weekday says which day it is
    dated = [(s, e, d) for s, e, d in found if (s, e) not in weekday_spans]
    return sorted(f for f in found if (f[0], f[1]) not in weekday_spans
                  or not any(0 <= s - f[1] <= 3 for s, _, _ in dated))


def _resolve(kind: str, m: re.Match[str], pub: date | None, months: dict[str, int], weekdays: dict[str, int],
             relative: dict[str, int]) -> str | None:
    groups = m.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if kind == "weekday":
        if pub is None:
            return None
        return (pub - timedelta(days=(pub.weekday() - weekdays[groups["weekday"].lower()]) % 7)).isoformat()
    if kind == "relative":
        return (pub + timedelta(days=relative[groups["relative"].lower()])).isoformat() if pub else None
    month = months.get((groups.get("month") or "").lower()) or int(groups.get("m") or 0)
    if not 1 <= month <= 12:
        return None
    if kind in ("month_year", "cjk_month", "vi_month") or not groups.get("d"):
        if year is None and pub is not None and kind == "vi_month_only":  # the nearest such month
            year = min((pub.year - 1, pub.year, pub.year + 1),
                       key=lambda y: abs((y - pub.year) * 12 + month - pub.month))
        return f"{year:04d}-{month:02d}" if year else None
    day = int(groups["d"])
    if year is None:  # the year that puts the day nearest the publication date
        if pub is None:
            return None
        try:
            year = min((pub.year - 1, pub.year, pub.year + 1), key=lambda y: abs((date(y, month, day) - pub).days))
        except ValueError:
            return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_quotes(sentence: str, lang: Profile, index: int, offset: int) -> list[Quote]:
    """Direct quotes of one sentence, with the speaker named next to a speech verb or after "according to"."""
    quotes: list[Quote] = []
    for m in _QUOTE.finditer(sentence):
        opening, content, closing = m.groups()
        if closing not in _QUOTE_PAIRS.get(opening, ""):
            continue
        words = content.split()
        if (len(words) < MIN_QUOTE_WORDS) if lang.spaced else len(content.strip()) < MIN_QUOTE_CHARS_UNSPACED:
            continue  # a name or a title in quotation marks, not speech
        speaker, cue, where = _speaker(sentence, m.start(), m.end(), lang)
        if speaker is None and (named := _named_before_colon(sentence, m.start(), lang)):
            speaker, where = sentence[named[0]:named[1]], named  # "Jay Carney: “...”"
        if not (cue or _spoken(content, lang) or sentence[:m.start()].rstrip().endswith(":")):
            continue  # a title, a nickname or a scare quote: short, no speech verb, not a sentence
        if _ends_with(_words_before(sentence, m.start(), 4), lang.naming + NAMING, lang.spaced):
            continue  # the name of a work, a programme or a campaign ("the film «...»", "chương trình “...”")
        lead = len(content) - len(content.lstrip())
        quotes.append(Quote(speaker=speaker, text=content.strip(), direct=True, sentence=index, cue=cue,
                            start=offset + m.start(2) + lead, end=offset + m.start(2) + len(content.rstrip()),
                            speaker_start=offset + where[0] if where else None,
                            speaker_end=offset + where[1] if where else None))
    return quotes


def _named_before_colon(sentence: str, start: int, lang: Profile) -> tuple[int, int] | None:
    """The span of a full name written right before the colon that opens a quote."""
    before = sentence[:start].rstrip()
    if not before.endswith((":", "：")) or not lang.spaced:
        return None
    names = _names_in(before[:-1])
    if names and not before[names[-1][1]:-1].strip():
        s, e = names[-1]
        return (s, e) if _full_name(before[s:e], lang) else None
    return None


def _spoken(content: str, lang: Profile) -> bool:
    """Quoted words that read as speech without a verb to say so: a long passage, or a clause with its own end."""
    size = len(content.split()) if lang.spaced else len(content) // 2
    return size >= LONG_QUOTE_WORDS or (size >= MIN_QUOTE_WORDS + 1 and content.rstrip()[-1:] in ".!?…,;。！？")


def _speaker(sentence: str, start: int, end: int, lang: Profile,
             ) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """The name next to a speech verb after the quote ("», a déclaré Jean Dupont", "” - CNRP tuyên bố") or before
    it ("Jay Carney cho biết: “"), or after an "according to" phrase; of several, the one nearest the quote.
    (None, cue, None) when no verb has a name next to it, and (None, None, None) when no verb is found."""
    before_start = max(0, start - 90)
    found: list[tuple[int, str, tuple[int, int]]] = []  # (distance from the quote, verb, name span)
    cue = None
    for window, base, quote_first in ((sentence[end:end + 90], end, True),
                                      (sentence[before_start:start], before_start, False)):
        low = window.lower()
        for verb, pattern in _cues(lang.code):
            for hit in pattern.finditer(low):
                cue = cue or verb
                span = _name_by(window, hit, verb in lang.according or quote_first, lang)
                if span:
                    distance = hit.start() if quote_first else len(window) - hit.end()
                    found.append((distance, verb, (base + span[0], base + span[1])))
    found = [f for f in found if _full_name(sentence[f[2][0]:f[2][1]], lang, sentence[:f[2][0]])]
    if not found:
        return None, cue, None
    _, verb, (s, e) = min(found, key=lambda f: (f[0], -len(f[1])))
    return sentence[s:e], verb, (s, e)


def _full_name(name: str, lang: Profile, before: str = "") -> bool:
    """A name as long as the language writes names ("Bài" alone is no Vietnamese name), a surname after a title
    ("bà Harf", "Herr Weber"), or an acronym."""
    title = before.split()[-1].rstrip(".").capitalize() if before.split() else ""
    if name in _PRONOUNS:
        return False
    return (len(name.split()) >= lang.name_words or title in _TITLES
            or (len(name) >= 2 and name.replace("-", "").isupper()))


@lru_cache(maxsize=64)
def _cues(code: str) -> list[tuple[str, re.Pattern[str]]]:
    """A language's speech verbs and "according to" phrases, each with its compiled pattern (whole words where
    words are spaced)."""
    lang = profile(code)
    return [(verb, re.compile((r"(?<!\w)" + re.escape(verb) + r"(?!\w)") if lang.spaced else re.escape(verb)))
            for verb in lang.speech + lang.according]


def _name_by(window: str, hit: re.Match[str], after_first: bool, lang: Profile) -> tuple[int, int] | None:
    """The span of the name right after a speech verb or right before it (at most two words away)."""
    if not lang.spaced:
        name = _unspaced_name(window[:hit.start()])
        return (hit.start() - len(name), hit.start()) if name else None
    follows, precedes = window[hit.end():], window[:hit.start()]
    if after_first and (tight := _AFTER_QUOTE_SPEAKER.fullmatch(precedes)):
        return tight.span(1)  # "» - chánh án nói": right after the quote, a short noun phrase and its verb
    if (named := _apposed_name(precedes)) is not None:
        return named  # "Ông Nguyễn Đắc Vinh, Bí thư thứ nhất T.Ư Đoàn, cho biết": the person, not the office
    for side in ("after", "before") if after_first else ("before", "after"):
        names = _names_in(follows if side == "after" else precedes)
        if side == "after" and names and len(follows[:names[0][0]].split()) <= 2:
            return hit.end() + names[0][0], hit.end() + names[0][1]
        if side == "before" and names and len(precedes[names[-1][1]:].split()) <= 2:
            return names[-1]
    return None


def _apposed_name(precedes: str) -> tuple[int, int] | None:
    """Before a speech verb, "Name, title or office," (commas or dashes): the span of the name, when a part of the
    clause is a name alone (after lower-case words such as "ông") and the parts after it are not."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"(?:(?!\s-\s)[^,–—()])+", precedes)]
    if len(parts) < 2:
        return None
    for start, end in reversed(parts[:-1]):
        piece = precedes[start:end]
        lead = re.match(r"\s*(?:[^\W\d_][\w'’]*\s+)*?(?=[" + _UPPER + r"])", piece)
        if lead is None or any(w[:1].isupper() for w in piece[:lead.end()].split()):
            continue
        name = _NAME.fullmatch(piece[lead.end():].rstrip())
        if name and " " in name.group(0):
            spans = _names_in(piece[lead.end():].rstrip())
            if spans:
                s, e = spans[0]
                return start + lead.end() + s, start + lead.end() + e
    return None


def _names_in(text: str) -> list[tuple[int, int]]:
    """Spans of the names in a text, titles left out ("M. Garnier" -> "Garnier")."""
    spans = []
    for m in _NAME.finditer(text):
        start = m.start()
        for word in re.finditer(r"\S+", m.group(0)):
            if word.group(0).rstrip(".") not in _TITLES:
                break
            start = m.start() + word.end()
        start += len(text[start:m.end()]) - len(text[start:m.end()].lstrip())
        if start < m.end():
            spans.append((start, m.end()))
    return spans


def _unspaced_name(text: str) -> str:
    """The words right before a CJK speech verb, back to the last punctuation (at most eight characters)."""
    tail = re.split(r"[，。、：；！？,.:;!?「」『』“”\"\s]", text)[-1]
    return tail[-8:] if len(tail) >= 2 else ""


def find_names(text: str, spans: list[tuple[int, int]], lang: Profile, quotes: list[Quote]) -> list[Entity]:
    """Names by capitalisation: word sequences with capital initials that are not just a sentence's first word
    (unless the same name occurs mid-sentence too); speakers are people."""
    if not lang.spaced:
        return []
    starts = {s for s, _ in spans}
    counts: dict[str, int] = {}
    first_only: set[str] = set()
    # every German noun is capitalised: there only speakers are known to be names
    for start, end in [] if lang.capitalised_nouns else _names_in(text):
        name = text[start:end].strip("-’'")
        at_start = start in starts or text[max(0, start - 2):start].strip() in ("\"", "“", "«", "„")
        if at_start and " " not in name:
            first_only.add(name)
            continue
        counts[name] = counts.get(name, 0) + 1
    for name in first_only & set(counts):
        counts[name] += 1
    speakers = {q.speaker for q in quotes if q.speaker}
    for speaker in speakers:
        counts.setdefault(speaker, 1)
    return [Entity(name, "PERSON" if name in speakers else "OTHER", [], n)
            for name, n in sorted(counts.items(), key=lambda kv: -kv[1])
            if len(name) > 1 and (len(name.split()) >= lang.name_words or name in speakers)]

