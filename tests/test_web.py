"""URLs: fetched from a local HTTP server that the test starts on 127.0.0.1 (private addresses allowed)."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import article_html, lorem_paragraphs

from storyline.models import Failure, RawDocument
from storyline.sources import Input, read
from storyline.sources.web import USER_AGENT


@pytest.fixture
def server(tmp_path):
    seen_agents: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self):
            seen_agents.append(self.headers.get("User-Agent", ""))
            super().do_GET()

        def log_message(self, *args):
            pass

    (tmp_path / "story.html").write_text(article_html("Dock workers vote to end strike", "2025-03-04",
                                                       lorem_paragraphs("Rotterdam", 5)))
    (tmp_path / "junk.html").write_bytes(b"\x00\xff" * 1000)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(tmp_path)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen_agents
    httpd.shutdown()


def test_fetch_page_then_extract(server, cli, cli_json, db):
    base, agents = server
    [doc] = list(read(Input(f"{base}/story.html", is_url=True), allow_private_urls=True))
    assert isinstance(doc, RawDocument) and doc.url == f"{base}/story.html" and doc.format == "html"
    assert agents == [USER_AGENT]
    cli("ingest", f"{base}/story.html", "--db", db, "--allow-private-urls")
    [article] = cli_json("articles", "--db", db)
    assert article["title"] == "Dock workers vote to end strike" and article["source"] == f"{base}/story.html"


def test_http_errors_and_junk_are_failures(server):
    base, _ = server
    [missing] = list(read(Input(f"{base}/nope.html", is_url=True), allow_private_urls=True))
    assert isinstance(missing, Failure) and missing.reason == "HTTP 404 File not found"
    [junk] = list(read(Input(f"{base}/junk.html", is_url=True), allow_private_urls=True))
    assert isinstance(junk, Failure) and junk.reason == "binary content, not text"
    [refused] = list(read(Input("http://127.0.0.1:9/", is_url=True), allow_private_urls=True))
    assert isinstance(refused, Failure) and refused.reason.startswith("fetch failed: ConnectError")
