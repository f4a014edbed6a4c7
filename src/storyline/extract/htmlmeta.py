"""Metadata of an HTML page: title, publication date with evidence, authors, publisher.

Works on an lxml tree parsed once by `extract.html`. Candidates come from OpenGraph,
Twitter and other meta tags, JSON-LD (through trafilatura's readers), headings,
bylines and the URL; the title and the date are chosen by agreement between
candidates, the date falls back on htmldate (original date, not the modified one).
Nothing here is language-specific beyond short multilingual byline prefixes.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title

from storyline.models import DateGuess

_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|»|::|//|•)\s+")
_SPACE = re.compile(r"\s+")
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:(?:posted|written|published|eingestellt|erstellt|geschrieben|verfasst|veröffentlicht|artikel|"
    r"ein beitrag|publié|"
    r"publicado|pubblicato|scritto|zum profil)\s+)?(?:by|von|par|por|di|door|av|af|przez|от)\b|"
    r"(?:autor(?:in)?|authors?|auteur|autore|verfasser|redakteur)\b)\s*:?\s*",
    re.IGNORECASE,
)
_AUTHOR_TAIL = re.compile(r"(?:\s+(?:am|on|·|\||-|–|—)\s+|\s*[·|,]\s*|\s*\d).*$", re.IGNORECASE)
_NOT_NAMES = frozenset(
    {"phd", "ph d", "md", "msc", "ma", "ba", "mba", "rd", "dr", "null", "none", "admin", "posted", "published"}
    | {"updated", "publiziert", "veröffentlicht", "aktualisiert", "stand", "publié", "publicado", "pubblicato"}
)
_EMAIL = re.compile(r"\S+@\S+")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:/|[_-]|\.|$)")
_ISO_DATE = re.compile(r"((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_JSONLD_PUBLISHED = re.compile(r'"(datePublished|dateCreated|uploadDate)"\s*:\s*"([^"]{8,40})"')
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "citation_publication_date",
)
_IN_COMMENTS = "ancestor-or-self::*[contains(@class, 'comment')] or ancestor::form"
_AUTHOR_XPATHS = (
    './/a[@rel="author"]|.//*[@itemprop="author"]//*[@itemprop="name"]'
    '|.//*[@itemprop="author"][not(self::meta or self::link)][not(.//*[@itemprop="name"])]',
    './/*[contains(@class, "author") or contains(@class, "autor") or contains(@class, "writer")]'
    '[not(.//*[contains(@class, "author") or contains(@class, "autor") or contains(@class, "writer")])]'
    "[not(self::meta or self::link or self::script or self::style or self::body or self::html)]",
    './/*[contains(@class, "byline")][not(.//*[contains(@class, "byline")])]',
)


@dataclass(slots=True)
class PageMeta:
    """Metadata found in one page."""

    title: str | None
    date: DateGuess | None
    authors: list[str]
    publisher: str | None


def clean(value: str | None) -> str:
    """Collapse whitespace and strip."""
    return _SPACE.sub(" ", value or "").strip()


def _norm(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).casefold()
    return " ".join("".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in value).split())


def extract_meta(tree: HtmlElement, url: str | None) -> PageMeta:
    """Read title, date, authors and publisher from a parsed page."""
    meta = examine_meta(tree)
    with suppress(Exception):  # trafilatura's JSON-LD reader fails on some odd JSON
        meta = extract_meta_json(tree, meta)
    publisher = clean(meta.sitename or extract_sitename(tree)).lstrip("@") or None
    return PageMeta(
        title=_title(tree, clean(meta.title), publisher, url),
        date=_date(tree, url),
        authors=_authors(tree, meta.author, publisher, url),
        publisher=publisher,
    )


# ---------------------------------------------------------------- title


def _title_parts(title: str) -> list[str]:
    return [p.strip() for p in _SEPARATORS.split(title) if p.strip()]


def _is_site(part: str, site: str | None, url: str | None) -> bool:
    """Whether a title part or heading names the site rather than the article."""
    p = _norm(part)
    if not p:
        return False
    host = _norm((url or "").split("//")[-1].split("/")[0].removeprefix("www."))
    site_n = _norm(site) if site else ""
    return bool((site_n and p in site_n) or (host and p.replace(" ", "") in host))


def _strip_site(title: str, site: str | None, url: str | None) -> str:
    """Drop site-name parts ('Headline | Site', 'Site - Headline') from a page title."""
    parts = _title_parts(title)
    if len(parts) < 2:
        return title
    kept = [p for p in parts if not _is_site(p, site, url)]
    if len(kept) == len(parts):
        kept = parts[:-1] if "|" in title else parts
    return max(kept, key=len) if kept else parts[0]


def _headings(tree: HtmlElement) -> list[str]:
    """Texts of the first <h1> and <h2> headings, h1 first."""
    found: list[str] = []
    for tag in ("h1", "h2"):
        for n, h in enumerate(tree.iter(tag)):
            text = clean(h.text_content())
            if 2 < len(text) < 300:
                found.append(text)
            if n >= 8:
                break
    return found


def _title(tree: HtmlElement, meta_title: str, site: str | None, url: str | None) -> str | None:
    """Choose the headline: a heading other sources agree with, else the cleaned meta/<title>."""
    head_title = clean(tree.findtext(".//title"))
    stripped = _strip_site(head_title, site, url) if head_title else ""
    meta_stripped = _strip_site(meta_title, site, url) if meta_title else ""
    others = {_norm(x) for x in (meta_title, meta_stripped, head_title, stripped) if x}
    parts = _title_parts(head_title)
    site_part = _norm(parts[-1]) if len(parts) > 1 else ""
    head_n = _norm(head_title)
    for h in _headings(tree):
        n = _norm(h)
        if _is_site(h, site, url) or n == site_part:
            continue
        if n in others or (len(n) > 10 and n in head_n):
            return h
    if meta_stripped and stripped and _norm(meta_stripped) == _norm(stripped):
        return meta_stripped
    return clean(extract_title(tree)) or meta_stripped or stripped or None


# ---------------------------------------------------------------- authors


def _clean_author(value: str) -> str:
    value = _EMAIL.sub("", clean(value))
    value = _BYLINE_PREFIX.sub("", value)
    value = _AUTHOR_TAIL.sub("", value)
    return value.strip(" ,;:|-–—")


def _valid_author(name: str) -> bool:
    return (
        2 < len(name) <= 60
        and len(name.split()) <= 5
        and name[0].isalpha()
        and not any(c in name for c in "*()@/:")
        and _norm(name) not in _NOT_NAMES
        and _norm(name).split()[0] not in _NOT_NAMES
    )


def _authors(tree: HtmlElement, meta_author: str | None, site: str | None, url: str | None) -> list[str]:
    """Authors from meta/JSON-LD, else from a byline element in the page."""
    if meta_author and " " in meta_author.strip():
        names = [_clean_author(a) for a in meta_author.split(";")]
        names = [n for n in dict.fromkeys(names) if _valid_author(n) and not _is_site(n, site, url)]
        if len(names) > 1 and site:
            names = [n for n in names if _norm(site) not in _norm(n)] or names
        if names:
            return names
    for xpath in _AUTHOR_XPATHS:
        for el in tree.xpath(xpath)[:10]:
            name = _clean_author(el.text_content())
            if _valid_author(name) and not el.xpath(_IN_COMMENTS):
                return [name]
    return []


# ---------------------------------------------------------------- date


def _url_date(url: str | None) -> tuple[str, str] | None:
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    return "-".join(match.groups()), f"url path {match.group(0).rstrip('_-.')}"


def _structured_dates(tree: HtmlElement) -> list[tuple[str, str]]:
    """(date, evidence) from JSON-LD and published-time meta tags, in order of trust."""
    found = []
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        for key, value in _JSONLD_PUBLISHED.findall(script.text or ""):
            if m := _ISO_DATE.search(value):
                found.append((m.group(0), f"JSON-LD {key}={value}"))
    for el in tree.iterfind(".//meta[@content]"):
        name = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if name in _PUBLISHED_META:
            value = el.get("content", "")
            if m := _ISO_DATE.search(value):
                found.append((m.group(0), f"meta {name}={value.strip()}"))
    for el in tree.iterfind(".//time[@datetime]"):
        value = el.get("datetime", "")
        if (m := _ISO_DATE.search(value)) and "modif" not in (el.get("itemprop") or el.get("class") or ""):
            found.append((m.group(0), f"<time datetime={value}>"))
            break
    return found


def _date(tree: HtmlElement, url: str | None) -> DateGuess | None:
    """Publication date: htmldate's original date, explained and scored by agreeing candidates.

    htmldate's fast mode is enough when a structured or URL candidate agrees with it or when
    there is no such candidate; otherwise (or when it finds nothing) its extensive search
    decides: it is the slow part, so it runs only then.
    """
    candidates = _structured_dates(tree)
    if from_url := _url_date(url):
        candidates.append(from_url)
    guess = find_date(tree, url=url, extensive_search=False, original_date=True)
    agreeing = [ev for d, ev in candidates if d == guess]
    if not guess or (candidates and not agreeing):
        guess = find_date(tree, url=url, extensive_search=True, original_date=True)
        agreeing = [ev for d, ev in candidates if d == guess]
    if guess:
        if agreeing:
            return DateGuess(guess, agreeing[0], min(1.0, 0.8 + 0.1 * len(agreeing)))
        return DateGuess(guess, f"htmldate original date {guess} (page text)", 0.6)
    if candidates:
        return DateGuess(candidates[0][0], candidates[0][1], 0.5)
    return None
