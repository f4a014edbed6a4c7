"""URLs: fetch politely (identifying user agent, timeouts, size limit), then read as a page or feed."""

from __future__ import annotations

from collections.abc import Iterator

from storyline import __version__
from storyline.models import Failure, PendingUrl, RawDocument
from storyline.sources.files import MAX_PAGE_BYTES, UnreadableError, decode

USER_AGENT = f"Storyline/{__version__} (news research; +https://github.com/storyline-news/storyline)"
TIMEOUT_SECONDS = 20.0
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def fetch(url: str) -> Iterator[RawDocument | PendingUrl | Failure]:
    """Fetch `url` and yield what it holds, or a Failure with the HTTP or network reason."""
    import httpx

    try:
        with httpx.stream("GET", url, headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT_SECONDS,
                          follow_redirects=True) as response:
            if response.status_code >= 400:
                yield Failure(url, f"HTTP {response.status_code} {response.reason_phrase}")
                return
            data = bytearray()
            for chunk in response.iter_bytes():
                data.extend(chunk)
                if len(data) > MAX_PAGE_BYTES:
                    yield Failure(url, f"page too large (limit {MAX_PAGE_BYTES // 2**20} MiB)")
                    return
            final_url = str(response.url)
            content_type = response.headers.get("content-type", "").lower()
    except httpx.HTTPError as error:
        yield Failure(url, f"fetch failed: {type(error).__name__}: {error}")
        return
    if content_type.startswith(_FEED_TYPES) or b"<rss" in data[:1024] or b"<feed" in data[:1024]:
        from storyline.sources.feeds import parse_feed

        yield from parse_feed(bytes(data), url)
        return
    charset = content_type.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in content_type else None
    try:
        text = decode(bytes(data), charset)
    except UnreadableError as error:
        yield Failure(url, str(error))
        return
    fmt = "text" if content_type.startswith("text/plain") else "html"
    yield RawDocument(source=url, format=fmt, content=text, url=final_url)
