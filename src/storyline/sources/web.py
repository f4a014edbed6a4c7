"""URLs: fetch politely and safely, then read as a page or feed.

Each fetch has an identifying user agent, a total deadline and a size limit. Redirects are followed
here, hop by hop. Unless private addresses are allowed, every connection (first request and each
redirect) goes only to a public address: the host is resolved once, checked, and that checked address
is the one connected to, so a DNS answer cannot change between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import httpcore

from storyline import __version__
from storyline.models import Failure, PendingUrl, RawDocument
from storyline.sources.files import MAX_PAGE_BYTES, UnreadableError, decode

USER_AGENT = f"Storyline/{__version__} (news research; +https://github.com/storyline-news/storyline)"
TIMEOUT_SECONDS = 20.0  # one connect or read
TOTAL_SECONDS = 60.0  # the whole fetch, redirects included
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


class RefusedAddress(httpcore.ConnectError):
    """The host resolves to an address we do not fetch from (loopback, private, link-local...)."""


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def public_address(address: str) -> bool:
    """Whether `address` is a globally routable unicast address (not loopback, private, link-local,
    multicast, reserved or shared; IPv4-mapped IPv6 addresses are judged by their IPv4 part)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def fetch(url: str, *, allow_private: bool = False) -> Iterator[RawDocument | PendingUrl | Failure]:
    """Fetch `url` and yield what it holds, or a Failure with the HTTP, network or policy reason."""
    try:
        final_url, content_type, data = _get(url, allow_private)
    except _FetchFailed as error:
        yield Failure(url, str(error))
        return
    if content_type.startswith(_FEED_TYPES) or b"<rss" in data[:1024] or b"<feed" in data[:1024]:
        from storyline.sources.feeds import parse_feed

        yield from parse_feed(data, url)
        return
    charset = content_type.split("charset=", 1)[1].split(";")[0].strip() if "charset=" in content_type else None
    try:
        text = decode(data, charset)
    except UnreadableError as error:
        yield Failure(url, str(error))
        return
    fmt = "text" if content_type.startswith("text/plain") else "html"
    yield RawDocument(source=url, format=fmt, content=text, url=final_url)


class _FetchFailed(Exception):
    pass


def _get(url: str, allow_private: bool) -> tuple[str, str, bytes]:
    """(final URL, content type, body) of `url`, following redirects; _FetchFailed with the reason."""
    deadline = time.monotonic() + TOTAL_SECONDS
    backend = _GuardedBackend(deadline, allow_private)
    try:
        with httpcore.ConnectionPool(network_backend=backend, max_connections=1) as pool:
            for _ in range(MAX_REDIRECTS + 1):
                if urlsplit(url).scheme.lower() not in ("http", "https"):
                    raise _FetchFailed(f"redirect to a URL that is not http(s): {url}")
                with pool.stream("GET", url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
                                 extensions={"timeout": dict.fromkeys(("connect", "read", "write", "pool"),
                                                                      TIMEOUT_SECONDS)}) as response:
                    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
                    if response.status in _REDIRECTS and headers.get("location"):
                        url = urljoin(url, headers["location"].strip())
                        continue
                    if response.status >= 400:
                        reason = response.extensions.get("reason_phrase", b"").decode("latin-1")
                        raise _FetchFailed(f"HTTP {response.status} {reason}".rstrip())
                    return url, headers.get("content-type", "").lower(), _body(response, headers)
            raise _FetchFailed(f"more than {MAX_REDIRECTS} redirects")
    except RefusedAddress as error:
        raise _FetchFailed(f"refused: {error}") from None
    except httpcore.TimeoutException as error:
        if time.monotonic() >= deadline:
            raise _FetchFailed(f"fetch failed: took longer than {TOTAL_SECONDS:g} s") from None
        raise _FetchFailed(f"fetch failed: timeout: {error}") from None
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol, OSError) as error:
        raise _FetchFailed(f"fetch failed: {type(error).__name__}: {error}") from None


def _body(response: httpcore.Response, headers: dict[str, str]) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_PAGE_BYTES:
        raise _FetchFailed(f"page too large (limit {MAX_PAGE_BYTES // 2**20} MiB)")
    data = bytearray()
    for chunk in response.iter_stream():
        data.extend(chunk)
        if len(data) > MAX_PAGE_BYTES:
            raise _FetchFailed(f"page too large (limit {MAX_PAGE_BYTES // 2**20} MiB)")
    return bytes(data)


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only to checked addresses, and bounds every socket operation by the fetch's deadline."""

    def __init__(self, deadline: float, allow_private: bool) -> None:
        self.inner = httpcore.SyncBackend()
        self.deadline = deadline
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options=None) -> httpcore.NetworkStream:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error.strerror}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        allowed = addresses if self.allow_private else [a for a in addresses if public_address(a)]
        if not allowed:
            raise RefusedAddress(f"{host} is a loopback, private, link-local, multicast or reserved address "
                                 f"({', '.join(addresses)}); --allow-private-urls allows it")
        stream = self.inner.connect_tcp(allowed[0], port, _left(self.deadline, timeout), local_address,
                                        socket_options)
        return _DeadlineStream(stream, self.deadline)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self.stream = stream
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _left(self.deadline, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _left(self.deadline, timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, _left(self.deadline, timeout)),
                               self.deadline)

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


def _left(deadline: float, timeout: float | None) -> float:
    """The operation's timeout cut to what remains of the deadline; ReadTimeout once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("deadline passed")
    return left if timeout is None else min(timeout, left)
