"""Typed records that flow between the pipeline stages.

sources -> RawDocument | Failure | PendingUrl
extract -> Extraction (per format) -> Article
dedup   -> CopyLink, ArticleFlags
store   <- Article, Failure, PendingUrl, CopyLink, ArticleFlags
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit

# how a copy relates to its original (see `storyline.dedup`)
CopyKind = Literal["exact", "near-duplicate", "rewrite", "syndicated"]
# text: a plain-text page dump with boilerplate; html: a whole web page;
# body: the article body alone (feed content, JSONL text), plain or HTML markup.
Format = Literal["text", "html", "body"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document as a source yields it, before extraction.

    `source` is the path or URL as the user gave it; members of a container
    (a WARC record, a JSONL line, a feed entry) append `#n`. The optional
    fields are hints the container itself carries (feed entry title, JSONL
    `published`, WARC target URI and crawl date).
    """

    source: str
    format: Format
    content: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    fetched: str | None = None

    @property
    def raw_hash(self) -> str:
        """Identity of the input as read: same bytes with the same hints, same document."""
        basis = "\x1f".join([self.format, self.content, self.url or "", self.title or "", self.published or "",
                              self.publisher or ""])
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read or extracted, with the reason."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class PendingUrl:
    """A link-only feed entry: known to exist, not yet fetched."""

    url: str
    source: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class DateGuess:
    """A publication date with the text it came from and how sure we are."""

    date: str  # YYYY-MM-DD
    evidence: str
    confidence: float  # 0..1


@dataclass(slots=True)
class Extraction:
    """What a format-specific extractor (HTML or plain text) finds in one page."""

    text: str  # clean body, paragraphs separated by blank lines
    removed: list[str] = field(default_factory=list)  # stripped boilerplate, in page order
    title: str | None = None
    date: DateGuess | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    captions: list[str] = field(default_factory=list)  # photo captions kept apart from the body


@dataclass(slots=True)
class Article:
    """A clean article with its metadata: the unit every later stage works on."""

    source: str
    url: str | None
    title: str | None
    published: str | None
    published_evidence: str | None
    published_confidence: float
    publisher: str | None
    authors: list[str]
    credited: list[str]
    language: str | None
    text: str
    removed: list[str]
    captions: list[str]
    format: Format
    fetched: str | None = None
    id: int | None = None
    canonical_url: str | None = field(init=False, default=None)  # the URL in one spelling (`canonical_url`)

    def __post_init__(self) -> None:
        self.canonical_url = canonical_url(self.url) if self.url else None

    @property
    def content_hash(self) -> str:
        """Identity of the article's content: same clean text and title, same content."""
        basis = f"{self.title or ''}\n{' '.join(self.text.split())}"
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()

    @property
    def publication_key(self) -> str:
        """Identity of the publication: where and when this content was published (see `publication_key`)."""
        return publication_key(self.url, self.publisher, self.published, self.content_hash)

    def to_json(self, *, with_removed: bool = False) -> dict:
        """The article as the CLI and API publish it (field names are part of the contract)."""
        data = {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "published": self.published,
            "published_evidence": self.published_evidence,
            "published_confidence": round(self.published_confidence, 3),
            "publisher": self.publisher,
            "authors": self.authors,
            "credited": self.credited,
            "language": self.language,
            "format": self.format,
            "fetched": self.fetched,
            "captions": self.captions,
            "text": self.text,
        }
        if with_removed:
            data["removed"] = self.removed
        return data


# query parameters that only say how a reader arrived (campaigns, click ids, referrers)
_TRACKING = re.compile(r"utm_\w*|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|mkt_tok|_ga|_gl|"
                       r"ocid|cmpid|s_cid|ref_src|ref_url|wt\.\w+", re.IGNORECASE)
_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.IGNORECASE)
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def canonical_url(url: str) -> str:
    """One spelling of a web URL: https, host in lower case without `www.`, no default port, index page, trailing
    slash, fragment or tracking parameters (utm_*, fbclid...), the other parameters sorted. Anything else as given."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
        path = quote(unquote(_INDEX_PAGE.sub("/", parts.path), errors="surrogateescape"), safe=_PATH_SAFE,
                     errors="surrogateescape").rstrip("/")  # one percent-encoding, same bytes
    except ValueError:  # a malformed host or port, a lone surrogate
        return text
    host = (parts.hostname or "").rstrip(".").removeprefix("www.")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return text
    if ":" in host:  # IPv6
        host = f"[{host}]"
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = sorted(p for p in parts.query.split("&") if p and not _TRACKING.fullmatch(p.split("=", 1)[0]))
    return urlunsplit(("https", netloc, path, "&".join(query), ""))


def publication_key(url: str | None, publisher: str | None, published: str | None, content_hash: str) -> str:
    """Identity of a publication: its URL; without one, its outlet and date with its content.

    Two outlets publishing the same text are two publications; one publication read twice is one.
    """
    if url and url.strip():
        return f"url {canonical_url(url)}"
    basis = "\x1f".join([publisher or "", published or "", content_hash])
    return "text " + hashlib.sha256(basis.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CopyLink:
    """One copy and the original it copies (the JSON `copies` entry of a story)."""

    article_id: int
    copy_of: int | None
    copy_of_source: str | None
    similarity: float
    kind: CopyKind

    def to_json(self) -> dict:
        return {"article_id": self.article_id, "copy_of": self.copy_of, "copy_of_source": self.copy_of_source,
                "similarity": round(self.similarity, 3), "kind": self.kind}


@dataclass(frozen=True, slots=True)
class ArticleFlags:
    """Reasons to doubt an article: a suspicious date and content-farm signals (not verdicts)."""

    article_id: int
    date_suspect: str | None
    farm: tuple[str, ...]
