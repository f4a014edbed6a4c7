"""Per-article signals of reposting: suspicious dates and content-farm traits."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from storyline.cluster.features import STOPWORDS
from storyline.models import Article

# A report dated this far after its copies (or its story) and after every date it mentions is likely a repost.
GAP_DAYS = 30
LINK_FARM_MIN_LINES = 10  # unrelated headline-like lines in the stripped boilerplate (news sites show a few)
LINK_FARM_MAX_OVERLAP = 0.15  # share of a line's content words found in the article

_MONTHS = {m: i for i, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")], start=1) for m in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?((?:19|20)\d\d)\b", re.I)
_DAY_MONTH_YEAR = re.compile(rf"\b\d{{1,2}}\.?\s+({_MONTH})\.?,?\s+((?:19|20)\d\d)\b", re.I)
_YEAR = re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/.-])")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@dataclass(frozen=True, slots=True)
class CopyDoc:
    """Dedup's view of an article."""

    id: int
    text: str
    title: str | None = None
    day: int | None = None  # claimed publication date (ordinal), None when unknown
    date_confidence: float = 0.0
    publisher: str | None = None
    site: str | None = None  # host of the URL
    credited: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @classmethod
    def from_article(cls, article: Article) -> CopyDoc:
        assert article.id is not None
        day = None
        if article.published:
            try:
                day = date.fromisoformat(article.published[:10]).toordinal()
            except ValueError:
                day = None
        site = urlsplit(article.url).hostname if article.url else None
        return cls(article.id, article.text, article.title, day, article.published_confidence,
                   article.publisher, site.removeprefix("www.") if site else None, tuple(article.credited),
                   tuple(article.removed))


def latest_described_day(text: str) -> int | None:
    """The latest date the text mentions explicitly (month + year, or a bare year), as an ordinal.

    Month-level mentions count at the end of their month, bare years at the end of their year,
    so that the gap to the claimed date is never overstated.
    """
    days = []
    for pattern in (_MONTH_YEAR, _DAY_MONTH_YEAR):
        for match in pattern.finditer(text):
            month, year = _MONTHS[match.group(1).lower()], int(match.group(2))
            days.append((date(year + (month == 12), month % 12 + 1, 1).toordinal()) - 1)
        text = pattern.sub(" ", text)
    days += [date(int(y), 12, 31).toordinal() for y in _YEAR.findall(text)]
    return max(days) if days else None


def date_gap(day: int | None, others: list[int | None]) -> int | None:
    """Days from the median (low) of the known dates `others` to `day`, None when either is unknown."""
    dated = [o for o in others if o is not None]
    if day is None or not dated:
        return None
    return day - statistics.median_low(dated)


def date_suspect(doc: CopyDoc, others: list[CopyDoc], relation: str = "copies") -> str | None:
    """Why the claimed date of `doc` looks false, or None.

    Suspect: claimed well after the dates of `others` (its copies, or the other reports of its
    story) and well after every date its own text mentions.
    """
    gap = date_gap(doc.day, [o.day for o in others])
    if doc.day is None or gap is None or gap <= GAP_DAYS:
        return None
    described = latest_described_day(doc.text)
    if described is not None and doc.day - described <= GAP_DAYS:
        return None
    reference = doc.day - gap
    mentioned = f", latest date in its text {date.fromordinal(described)}" if described else ""
    return (f"claimed {date.fromordinal(doc.day)}: {gap} days after its {relation} "
            f"({date.fromordinal(reference)}){mentioned}")


def _headline_like(line: str) -> bool:
    words = line.split()
    return 4 <= len(words) <= 25 and not line.rstrip().endswith((":", ",")) and "©" not in line


def farm_signals(doc: CopyDoc, copied_from: CopyDoc | None) -> tuple[str, ...]:
    """Content-farm traits: a link farm of unrelated headlines; another outlet's text under this site."""
    signals = []
    vocabulary = {w.casefold() for w in _WORD.findall(doc.text)} - STOPWORDS
    unrelated = 0
    for line in doc.removed:
        if not _headline_like(line):
            continue
        words = {w.casefold() for w in _WORD.findall(line)} - STOPWORDS
        if words and len(words & vocabulary) / len(words) <= LINK_FARM_MAX_OVERLAP:
            unrelated += 1
    if unrelated >= LINK_FARM_MIN_LINES:
        signals.append(f"link farm: {unrelated} unrelated headlines around the text")
    own = (doc.publisher or doc.site or "").casefold()
    if copied_from is not None:
        theirs = copied_from.publisher or copied_from.site
        if theirs and own and theirs.casefold() != own and theirs.casefold() in {c.casefold() for c in doc.credited}:
            signals.append(f"site mismatch: text of {theirs} republished by {doc.publisher or doc.site}")
    elif signals and doc.credited and own not in {c.casefold() for c in doc.credited}:
        signals.append(f"site mismatch: credits {', '.join(doc.credited)} but is published by "
                       f"{doc.publisher or doc.site or 'an unnamed site'}")
    return tuple(signals)
