"""URL fetching: only public addresses (checked after DNS and at every redirect), a total deadline, a size limit;
the web app's origin check and ingest token. Every server here listens on 127.0.0.1; no other address is contacted."""

from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import article_html, lorem_paragraphs
from fastapi.testclient import TestClient

from storyline.models import Failure, RawDocument
from storyline.sources import web
from storyline.sources.web import fetch, public_address
from storyline.web import create_app
from storyline.web.api import CLIENT_HEADER, TOKEN_HEADER

PAGE = article_html("Dock workers vote to end strike", "2025-03-04", lorem_paragraphs("Antwerp", 5)).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
        if path == "/page":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", query["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/trickle":  # a byte every 0.3 s, for ever
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                return
        elif path == "/endless":  # no Content-Length, more than the size limit
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>filler</p>" * 100)
            except OSError:
                return
        else:
            self._send(404, b"missing", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.251", "240.0.0.1", "255.255.255.255", "::1",
                                     "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::"])
def test_non_public_addresses_are_refused(address):
    assert not public_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert public_address(address)


def test_loopback_is_refused_unless_allowed(server):
    [refused] = fetch(f"{server}/page")
    assert isinstance(refused, Failure) and refused.reason.startswith("refused: 127.0.0.1 is a loopback")
    [refused] = fetch(f"{server.replace('127.0.0.1', 'localhost')}/page")
    assert isinstance(refused, Failure) and "refused" in refused.reason
    [page] = fetch(f"{server}/page", allow_private=True)
    assert isinstance(page, RawDocument) and "Dock workers" in page.content


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]:9/",
                                    "http://[::ffff:169.254.169.254]/"])
def test_every_redirect_is_checked(server, monkeypatch, target):
    """The first hop counts as public here; the redirect to a private address is refused before connecting."""
    monkeypatch.setattr(web, "public_address", lambda address: address == "127.0.0.1")
    [page] = fetch(f"{server}/redirect?to={server}/page")
    assert isinstance(page, RawDocument) and page.url == f"{server}/page"
    [refused] = fetch(f"{server}/redirect?to={target}")
    assert isinstance(refused, Failure) and refused.reason.startswith("refused:"), refused.reason


@pytest.mark.parametrize(("path", "reason"), [("/redirect?to=file:///etc/passwd", "not http(s)"),
                                              ("/loop", "more than 5 redirects"), ("/missing", "HTTP 404")])
def test_bad_redirects_and_statuses(server, path, reason):
    [failure] = fetch(server + path, allow_private=True)
    assert isinstance(failure, Failure) and reason in failure.reason


def test_a_trickling_server_is_cut_off_by_the_total_deadline(server, monkeypatch):
    monkeypatch.setattr(web, "TOTAL_SECONDS", 1.5)
    started = time.monotonic()
    [failure] = fetch(f"{server}/trickle", allow_private=True)
    assert isinstance(failure, Failure) and "took longer than 1.5 s" in failure.reason
    assert time.monotonic() - started < 3


def test_a_page_over_the_size_limit_is_refused(server, monkeypatch):
    monkeypatch.setattr(web, "MAX_PAGE_BYTES", 50_000)
    [failure] = fetch(f"{server}/endless", allow_private=True)
    assert isinstance(failure, Failure) and "page too large" in failure.reason


def test_cli_refuses_private_urls_unless_allowed(server, cli, cli_json, db):
    assert cli_json("ingest", f"{server}/page", "--db", db)["failed"] == 1
    [error] = cli_json("errors", "--db", db)
    assert error["reason"].startswith("refused:")
    assert cli_json("ingest", f"{server}/page", "--db", db, "--allow-private-urls")["new"] == 1
    assert cli_json("errors", "--db", db) == []


def test_origin_check_knows_the_scheme(tmp_path):
    headers = {CLIENT_HEADER: "test"}
    with TestClient(create_app(str(tmp_path / "o.db"))) as client:
        bad_type = {"files": ("x.exe", b"MZ", "application/octet-stream")}  # refused after the checks: 400
        assert client.post("/api/ingest", files=bad_type, headers={**headers, "origin": "http://testserver"}
                           ).status_code == 400
        assert client.post("/api/ingest", files=bad_type, headers={**headers, "origin": "https://testserver"}
                           ).status_code == 403


def test_ingest_token_is_required_when_set(tmp_path):
    headers = {CLIENT_HEADER: "test"}
    bad_type = {"files": ("x.exe", b"MZ", "application/octet-stream")}
    with TestClient(create_app(str(tmp_path / "t.db"), ingest_token="s3cret")) as client:
        assert client.post("/api/ingest", files=bad_type, headers=headers).status_code == 403
        assert client.post("/api/ingest", files=bad_type, headers={**headers, TOKEN_HEADER: "guess"}).status_code == 403
        assert client.post("/api/ingest", files=bad_type, headers={**headers, TOKEN_HEADER: "s3cret"}
                           ).status_code == 400
        form = client.get("/ingest").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        assert 'name="token"' in form and "s3cret" not in form
        assert client.post("/ingest", files=bad_type, data={"csrf": csrf}).status_code == 403
        assert client.post("/ingest", files=bad_type, data={"csrf": csrf, "token": "s3cret"}).status_code == 400


def test_serve_beyond_loopback_prints_and_requires_a_token(cli, db, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: seen.update(app=app))
    printed = cli("serve", "--db", db, "--host", "0.0.0.0").output
    token = re.search(r"Ingest token \(needed to ingest from the web\): (\S+)", printed).group(1)
    assert seen["app"].state.ingest_token == token
    cli("serve", "--db", db, "--host", "0.0.0.0", "--token", "chosen")
    assert seen["app"].state.ingest_token == "chosen"
    cli("serve", "--db", db)
    assert seen["app"].state.ingest_token is None


def test_web_ingest_refuses_private_urls_by_default(server, tmp_path):
    with TestClient(create_app(str(tmp_path / "w.db"))) as client:
        job = client.post("/api/ingest", data={"url": f"{server}/page"}, headers={CLIENT_HEADER: "test"}).json()
        deadline = time.monotonic() + 60
        while job["state"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            job = client.get(f"/api/ingest/{job['id']}").json()
        assert job["state"] == "done" and job["summary"]["failed"] == 1, job
        assert job["errors"][0]["reason"].startswith("refused: 127.0.0.1")
