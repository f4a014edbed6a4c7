"""Clean plain-text page dumps: keep the article, strip the page furniture around it.

Lines are the units (a hard-wrapped line joins the next one when that one
continues it in lower case). A logistic-regression line model (weights in
`line_model.json`, trained by `benchmarks/train_line_model.py` on the OSCAR
line-quality set) scores every line from general features: length, terminal
punctuation, stop-word density, capitalisation, digits, bullets, position,
repetition, the shape of the neighbouring lines and the overlap of the line's
words with the rest of the body. Page-level passes (`page_passes`) then use
the same kind of signals on blocks: the furniture after the last body
paragraph and before the first, heading + link-list blocks inside the body,
and lone inline links. Metadata lines (title, date stamps, bylines, photo
captions, copyright) are recognised by their shape and routed to their fields.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from storyline.extract.credits import find_credits
from storyline.extract.textdates import find_date, is_date_line
from storyline.models import Extraction

_MODEL_PATH = Path(__file__).with_name("line_model.json")

# the most frequent function words of the languages we meet most (en, de, fr, es, it, pt, nl, no/da/sv, fi)
_STOPWORDS_BY_LANGUAGE = {
    "en": "a an the and or but of to in on at by for with from as is are was were be been has have had it "
          "its this that these those he she they we you i his her their our not no will would can could "
          "said says also than then there which who what when where after before about over into more most "
          "all one two new",
    "de": "der die das und oder aber von zu im in an auf für mit aus als ist sind war waren sein hat haben "
          "es dies ein eine einer eines dem den des nicht wird wurde kann auch nach bei wie sich er sie wir "
          "ihr noch nur",
    "fr": "le la les et ou mais de du des un une au aux en dans sur pour avec par est sont était été il "
          "elle ils nous vous pas qui que ce cette ces se sa son ses leur plus",
    "es": "el los las y o pero del al con por para es son fue era ha han lo le se su sus que como más una "
          "uno",
    "it": "il lo gli e di da non che per una sono è anche",
    "pt": "o os as e do da dos das em no na um uma não com por para que foi são",
    "nl": "de het een en of maar van in op te met voor door is zijn was waren heeft hebben niet dat die dit "
          "ook als bij naar",
    "no/da/sv": "og eller men av til i på for med fra er var har ikke det den de som en et att och är inte "
                "från",
    "fi": "ja tai mutta on oli ovat ei se että kun joka myös kuin hän he ne tämä sen mukaan",
}
STOPWORDS = frozenset(word for words in _STOPWORDS_BY_LANGUAGE.values() for word in words.split())
# short generic cues of page furniture, multilingual; one feature among many.
# _CUES, _URL, _COPYRIGHT and _CAPTION are matched against lowercased text (much faster than IGNORECASE).
_CUES = re.compile(
    r"\b(?:related|read (?:also|more)|see also|also read|more from|recommended|tags?|share|follow|subscribe|"
    r"sign up|newsletter|comments?|reply|log ?in|cookies?|advertisement|copyright|all rights reserved|"
    r"click here|lesen sie auch|mehr zum thema|teilen|kommentare?|lea también|compartir|comentarios?|"
    r"lire aussi|partager|commentaires?|les også|kommentarer|lue myös|jaa|kommentit)\b"
)
_TERMINAL = re.compile(r"[.!?…:;]['\"’”»)\]]*$")
_BULLET = re.compile(r"^\s*(?:[-–—•*·▪►>»]+|\d{1,2}[.)])\s*")
_URL = re.compile(r"https?://|www\.|\S@\S+\.\w|\.(?:com|org|net)\b")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved")
_DATE_OR_TIME = re.compile(r"\d\d?[/.:-]\d\d(?:[/.-]\d{2,4})?(?!\d)|(?<!\d)(?:19|20)\d\d(?!\d)")
_SEPARATOR = re.compile(r"\s[|>»/]\s|\s[>|]|[>|]\s")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’»)]?\s+[\"“‘«(]?[A-ZÀ-Þ]")
_CAPTION = re.compile(r"\b(?:photos?|foto|image|picture|bild|kuva|imagen|credit|illustration)\s*(?::|by\b)")
_BYLINE = re.compile(
    r"^(?:(?i:(?:additional\s+)?(?:reporting|writing|text|words|editing|written|compiled)(?:\s+contributed)?"
    r"(?:\s+by)?|by|of|av|von|por|par|door|di|af)[\s:]+)"
    r"(?P<names>[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*){0,3}"
    r"(?:\s*(?:,|&|\band\b|\bog\b|\bund\b|\by\b|\bet\b|\ben\b)\s*"
    r"[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*){0,3})*)"
    r"\s*(?:[|·•–—,]\s*.*)?$"
)
_NAME_SPLIT = re.compile(r"\s*(?:,|&|\band\b|\bog\b|\bund\b|\by\b|\bet\b|\ben\b)\s*")
_RIGHTS_RESERVED = re.compile(r"[.,]?\s*all rights reserved\.?$", re.IGNORECASE)
_COPYRIGHT_OWNER = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*-\s*\d{4})?\s*)?(?P<owner>[^\W\d_][^()|©·•]{1,59}?)\.?"
    r"(?:,?\s+\d{4}(?:\s*-\s*\d{4})?)?(?:\s*[·•|].*)?$",  # "© Name 2025 · Privacy · Contact"
    re.IGNORECASE,
)
_TAGLINE = re.compile(r"\s+[|—–-]\s+")  # "NAME — what we cover", "NAME | News in English"
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{15,}?)\s+(?:[|–—]\s*|-\s?)(?P<site>[\w.&' ]{2,40})$")

FEATURES = (
    "log_chars", "log_words", "terminal", "ends_colon", "bullet", "stopword_ratio", "titlecase_ratio",
    "upper_ratio", "digit_ratio", "symbol_ratio", "url", "copyright", "rel_position", "near_end",
    "repeated", "cue", "prev_log_words", "next_log_words", "short_run", "topic_overlap", "few_content_words",
    "date_or_time", "separator", "sentences", "mean_word_len", "after_last_prose", "before_first_prose",
    "lower_start", "short_no_terminal",
)
_PROSE_WORDS = 12
_SHORT_WORDS = 8
_ON_TOPIC = 0.3
_TAIL_SHARE = 1.0
_LONG_CHARS = 150
_HEAD_P = 0.3
_BYLINE_HEAD = 10  # bylines sit in the first lines or after the body
_WRAP_MIN = 40  # shortest line that may be a hard-wrapped paragraph's first part


@lru_cache(maxsize=1)
def _model() -> tuple[list[float], list[float], list[float], float, float]:
    """Feature means, scales, coefficients, intercept and decision threshold of the line model."""
    data = json.loads(_MODEL_PATH.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{_MODEL_PATH.name} is for other features; rerun benchmarks/train_line_model.py")
    return data["mean"], data["scale"], data["coef"], data["intercept"], data["threshold"]


def _norm(line: str) -> str:
    return " ".join(_WORD.findall(line.lower()))


def _content_words(words: list[str]) -> list[str]:
    return [w for w in words if len(w) > 2 and w not in STOPWORDS]


def _is_short_no_terminal(line: str, n_words: int) -> bool:
    return n_words < _SHORT_WORDS and not _TERMINAL.search(line)


def line_features(lines: list[str]) -> list[list[float]]:
    """One feature vector per line (order as in FEATURES); `lines` are the page's non-empty lines."""
    n = len(lines)
    words = [[w.lower() for w in _WORD.findall(line)] for line in lines]
    counts = [len(w) for w in words]
    norms = [" ".join(w) for w in words]
    repeats = Counter(norms)
    prose = [i for i in range(n) if counts[i] >= _PROSE_WORDS and _TERMINAL.search(lines[i])]
    first_prose, last_prose = (prose[0], prose[-1]) if prose else (n, -1)
    prose_set = set(prose)
    content = [_content_words(w) for w in words]
    topic: Counter[str] = Counter()
    for i in prose:
        topic.update(set(content[i]))
    short = [_is_short_no_terminal(lines[i], counts[i]) for i in range(n)]
    run = [0] * n
    i = 0
    while i < n:
        j = i
        while j < n and short[j] == short[i]:
            j += 1
        for k in range(i, j):
            run[k] = j - i if short[i] else 0
        i = j
    out = []
    for i, line in enumerate(lines):
        text = line.strip()
        low = text.lower()
        chars = max(len(text), 1)
        nw = counts[i]
        letters = sum(map(str.isalpha, text))
        own = set(content[i])
        overlap = 0.0
        if own:
            in_prose = 1 if i in prose_set else 0
            overlap = sum(1 for w in own if topic[w] - in_prose > 0) / len(own)
        tokens = text.split()
        out.append([
            math.log1p(chars),
            math.log1p(nw),
            1.0 if _TERMINAL.search(text) else 0.0,
            1.0 if text.endswith(":") else 0.0,
            1.0 if _BULLET.match(text) else 0.0,
            sum(1 for w in words[i] if w in STOPWORDS) / nw if nw else 0.0,
            sum(1 for t in tokens if t[:1].isupper()) / len(tokens) if tokens else 0.0,
            sum(map(str.isupper, text)) / letters if letters else 0.0,
            sum(map(str.isdigit, text)) / chars,
            (len(text) - sum(map(str.isalnum, text)) - sum(map(str.isspace, text))) / chars,
            1.0 if _URL.search(low) else 0.0,
            1.0 if _COPYRIGHT.search(low) else 0.0,
            i / max(n - 1, 1),
            1.0 / (n - i),
            math.log(repeats[norms[i]]) if norms[i] else 0.0,
            1.0 if _CUES.search(low) else 0.0,
            math.log1p(counts[i - 1]) if i > 0 else 0.0,
            math.log1p(counts[i + 1]) if i + 1 < n else 0.0,
            math.log1p(run[i]),
            overlap,
            1.0 if len(own) < 3 else 0.0,
            1.0 if _DATE_OR_TIME.search(text) else 0.0,
            1.0 if _SEPARATOR.search(text) else 0.0,
            math.log1p(len(_SENTENCE_BREAK.findall(text))),
            sum(len(w) for w in words[i]) / nw if nw else 0.0,
            1.0 if i > last_prose else 0.0,
            1.0 if i < first_prose else 0.0,
            1.0 if text[:1].islower() else 0.0,
            1.0 if short[i] else 0.0,
        ])
    return out


def noise_probabilities(lines: list[str]) -> list[float]:
    """The line model's probability that each line is noise (not article content)."""
    if not lines:
        return []
    mean, scale, coef, intercept, _ = _model()
    probs = []
    for row in line_features(lines):
        z = intercept + sum(c * (x - m) / s for x, m, s, c in zip(row, mean, scale, coef, strict=True))
        probs.append(1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0))))
    return probs


def classify_lines(lines: list[str]) -> list[bool]:
    """True for each line that is noise: the line model, then the page-level passes."""
    probs = noise_probabilities(lines)
    threshold = _model()[4]
    noise = [p >= threshold for p in probs]
    page_passes(lines, probs, noise)
    return noise


def _topic_overlaps(lines: list[str], noise: list[bool]) -> list[float | None]:
    """Share of each line's content words that recur in the other body lines (None: under 2 content words)."""
    content = [set(_content_words(_WORD.findall(line.lower()))) for line in lines]
    topic: Counter[str] = Counter()
    body = [not noise[i] and len(lines[i].split()) >= _PROSE_WORDS for i in range(len(lines))]
    for i, words in enumerate(content):
        if body[i]:
            topic.update(words)
    overlaps: list[float | None] = []
    for i, words in enumerate(content):
        if len(words) < 2:
            overlaps.append(None)
            continue
        overlaps.append(sum(1 for w in words if topic[w] - body[i] > 0) / len(words))
    return overlaps


def _is_prose(line: str) -> bool:
    return len(line.split()) >= _PROSE_WORDS and bool(_TERMINAL.search(line)) and not _BULLET.match(line)


def page_passes(lines: list[str], probs: list[float], noise: list[bool]) -> None:
    """Page furniture the line model cannot see line by line.

    Tail: the body ends at the last prose line that is on-topic or long, plus the
    prose running on from it. After that only on-topic or long prose stays (link
    lists, tag lists, comment forms and teasers go), provided that the tail is
    smaller than the body; when more prose follows (a page listing several
    posts) the cut moves to after its last prose line. Head: short off-topic
    lines the model leans against before the body go. Inside the body, a short
    heading followed by two or more off-topic list-like lines is a link block,
    and a lone bullet or cue-word line without terminal punctuation between
    prose lines is an inline link.
    """
    n = len(lines)
    overlaps = _topic_overlaps(lines, noise)
    on_topic = [o is not None and o >= _ON_TOPIC for o in overlaps]
    prose = [_is_prose(line) for line in lines]
    anchor = [prose[i] and (on_topic[i] or len(lines[i]) >= _LONG_CHARS) for i in range(n)]
    body = [i for i in range(n) if not noise[i] and anchor[i]]
    if not body:
        return
    end = body[-1] + 1
    while end < n and prose[end] and not noise[end]:  # prose running on from the body is body
        end += 1
    tail_prose = [i for i in range(end, n) if prose[i]]
    start = tail_prose[-1] + 1 if len(tail_prose) >= 2 else end
    body_chars = sum(len(lines[i]) for i in range(start) if not noise[i])
    if sum(len(lines[i]) for i in range(start, n)) <= _TAIL_SHARE * body_chars:
        for i in range(start, n):
            if not anchor[i]:
                noise[i] = True
    for i in range(body[0]):
        if not prose[i] and overlaps[i] is not None and not on_topic[i] and probs[i] >= _HEAD_P:
            noise[i] = True
    run_end = [n] * (n + 1)  # first index >= i that is prose or too long for a list item
    for k in range(n - 1, -1, -1):
        run_end[k] = k if prose[k] or len(lines[k].split()) > 25 else run_end[k + 1]
    i = body[0]
    while i < body[-1]:
        j = run_end[i + 1]
        items = range(i + 1, j)
        if (
            len(items) >= 2
            and len(lines[i].split()) <= 5
            and not re.search(r"[.!?]$", lines[i])
            and sum(1 for k in items if overlaps[k] is not None and not on_topic[k]) >= 0.75 * len(items)
        ):
            for k in range(i, j):
                noise[k] = True
            i = j
        else:
            i += 1
    for i in range(1, n - 1):
        if (
            not noise[i]
            and not _TERMINAL.search(lines[i])
            and (_BULLET.match(lines[i]) or _CUES.search(lines[i].lower()))
            and prose[i - 1]
            and prose[i + 1]
        ):
            noise[i] = True


def _split_title_suffix(title: str) -> tuple[str, str | None]:
    """'Headline -SiteName' -> ('Headline', 'SiteName') when the suffix is short and name-like."""
    m = _TITLE_SUFFIX.match(title)
    if m and len(m["site"].split()) <= 4 and m["site"].strip()[:1].isupper() and len(m["title"].split()) >= 4:
        return m["title"].strip(), m["site"].strip()
    return title, None


def _find_title(
    lines: list[str], skip: set[int], noise: list[bool]
) -> tuple[int | None, str | None, str | None]:
    """Index of the headline among the first lines, the headline and a site name from its suffix.

    A line the page repeats, or that another early line (a breadcrumb) contains,
    wins; otherwise the first short line that is not a byline nor a sentence
    ending in a period, preferring lines the classifier kept.
    """
    head = [i for i in range(min(len(lines), 8)) if i not in skip]
    norms = {i: _norm(lines[i]) for i in head}
    for i in sorted(head, key=lambda i: lines[i].isupper()):  # a masthead ("THE DAILY X") repeats too
        if len(norms[i].split()) < 3:
            continue
        containers = [j for j in head if j != i and norms[i] in norms[j]]
        if containers and (not noise[i] or any(norms[j] == norms[i] for j in containers)):
            site = None
            for j in containers:
                pos = lines[j].find(lines[i])
                if pos >= 0 and len(lines[j]) > pos + len(lines[i]):
                    site = _split_title_suffix(lines[i] + lines[j][pos + len(lines[i]):])[1] or site
            return i, lines[i], site
    candidates = [
        i for i in head
        if 3 <= len(lines[i].split()) <= 20
        and not _SENTENCE_BREAK.search(lines[i])
        and lines[i][-1] != "."
        and not _byline(lines[i])
    ]
    for i in sorted(candidates, key=lambda i: noise[i]):
        title, site = _split_title_suffix(lines[i])
        return i, title, site
    return None, None, None


def _masthead(lines: list[str]) -> str | None:
    """The site's name from an all-capitals masthead among the first lines ("THE FJORD HERALD",
    "BALTIC LEDGER — shipping and ports") that the page also writes in normal case (a photo credit,
    the copyright line); None when there is none. A capitalised menu item is not written again."""
    for line in lines[:8]:
        if not _capitals_line(line):
            continue
        words = _TAGLINE.split(line, maxsplit=1)[0].split()
        written = re.compile(r"\b" + r"\s+".join(map(re.escape, words[1:] if words[0] == "THE" else words)) + r"\b",
                             re.IGNORECASE)
        if any(written.search(other) and not other.isupper() for other in lines[8:]):
            return " ".join(w.capitalize() for w in words)
    return None


def _capitals_line(line: str) -> bool:
    """A short all-capitals name, maybe with a tagline: a masthead or a menu item, never body text."""
    name = _TAGLINE.split(line, maxsplit=1)[0].strip()
    words = name.split()
    return 2 <= len(words) <= 5 and name.isupper() and all(w.isalpha() for w in words)


def _byline(line: str) -> list[str]:
    """Names in a byline ("By A and B", "Reporting contributed by A", "Of NTB | <date>"), else []."""
    if len(line.split()) > 14 or re.search(r"[.!?]$", line):
        return []
    m = _BYLINE.match(line)
    if not m:
        return []
    names = [name.strip(" .") for name in _NAME_SPLIT.split(m["names"]) if name.strip(" .")]
    people = [name for name in names if find_credits(name) == []]
    return people or names  # an agency is the author only when no person is named


def _copyright_owner(line: str) -> str | None:
    """'© 2024 Some Site. All rights reserved.' -> 'Some Site'."""
    m = _COPYRIGHT_OWNER.match(_RIGHTS_RESERVED.sub("", line))
    return m["owner"].strip() if m else None


def _segment(raw: str) -> list[str]:
    """Non-empty lines; a hard-wrapped line joins the next when that one continues it in lower case."""
    lines: list[str] = []
    joinable = False
    for raw_line in raw.splitlines():
        line = raw_line.strip()
        if not line:
            joinable = False
            continue
        if joinable and line[0].islower():
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        joinable = len(lines[-1]) >= _WRAP_MIN and not _TERMINAL.search(lines[-1]) and not _BULLET.match(line)
    return lines


def extract_text(raw: str) -> Extraction:
    """Split a plain-text page dump into body, removed boilerplate and metadata."""
    lines = _segment(raw)
    if not lines:
        return Extraction(text="")
    noise = classify_lines(lines)
    date = find_date(lines)
    stamps = {
        i
        for i, line in enumerate(lines)
        if (date and line == date.evidence or is_date_line(line)) and not _is_prose(line)
    }
    title_at, title, publisher = _find_title(lines, stamps, noise)
    publisher = publisher or _masthead(lines)
    title_norm = _norm(title) if title else ""
    prose = [i for i, line in enumerate(lines) if _is_prose(line) and not noise[i]]
    last_prose = prose[-1] if prose else -1
    authors: list[str] = []
    captions: list[str] = []
    removed: list[str] = []
    body: list[str] = []
    for i, line in enumerate(lines):
        if i == title_at:
            continue
        names = _byline(line) if i < _BYLINE_HEAD or i > last_prose else []
        norm = _norm(line)
        if names:
            authors.extend(name for name in names if name not in authors)
            removed.append(line)
        elif _CAPTION.search(line.lower()) and len(line.split()) >= 4 and not noise[i]:
            captions.append(line)
        elif (
            noise[i]
            or i in stamps
            or title_at is not None and i < title_at and not _is_prose(line)  # masthead, menu, breadcrumb
            or title_norm and (norm == title_norm or title_norm in norm and not _TERMINAL.search(line))
        ):
            removed.append(line)
            owner = _copyright_owner(line)
            if owner and i >= len(lines) - 3:
                publisher = owner
        else:
            body.append(line)
    return Extraction(
        text="\n\n".join(body),
        removed=removed,
        title=title,
        date=date,
        authors=authors,
        publisher=publisher,
        captions=captions,
    )
