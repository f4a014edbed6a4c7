"""Every kind of source, read from real files written with the same libraries crawlers use."""

from __future__ import annotations

import gzip
import io
import json
import os

from conftest import article_html, lorem_paragraphs
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.models import Failure, PendingUrl, RawDocument
from storyline.sources import Input, expand, read


def read_all(path) -> list:
    return list(read(Input(str(path))))


def write_warc(path, pages: list[tuple[str, str]], *, extra_records: bool = True) -> None:
    """A gzipped WARC with one response per page, plus a request and a non-HTML response."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, html in pages:
            if extra_records:
                req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-05-04T10:00:00Z"}))
        if extra_records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                "https://example.org/logo.png", "response", payload=io.BytesIO(b"\x89PNG...."),
                http_headers=headers))


def test_expand_folders_globs_and_missing(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<html></html>")
    (tmp_path / "notes.md").write_text("not an input kind")
    (tmp_path / ".hidden.txt").write_text("x")
    found = expand([str(tmp_path), str(tmp_path / "*.txt"), str(tmp_path / "nope.txt"), str(tmp_path / "*.zz")])
    names = [getattr(entry, "name", None) or entry.source for entry in found]
    assert names[:2] == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.html")]
    assert names[2] == str(tmp_path / "a.txt")
    failures = [entry for entry in found if isinstance(entry, Failure)]
    assert [f.reason for f in failures] == ["no such file or directory", "no file matches this pattern"]


def test_text_and_html_files(tmp_path):
    (tmp_path / "page.txt").write_text("Headline\n\nBody text of the article.", encoding="utf-8")
    (tmp_path / "page.html").write_text(article_html("Harbour wall cracks", "2024-05-03", ["A."]))
    (tmp_path / "page.dat").write_text("<!DOCTYPE html><html><body><p>x</p></body></html>")
    [text] = read_all(tmp_path / "page.txt")
    [html] = read_all(tmp_path / "page.html")
    [sniffed] = read_all(tmp_path / "page.dat")
    assert (text.format, html.format, sniffed.format) == ("text", "html", "html")


def test_legacy_encodings_are_detected(tmp_path):
    text = "Le ministre a déclaré à la presse que la grève était terminée. Ça coûte très cher, à l'évidence."
    (tmp_path / "latin1.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "declared.html").write_bytes(
        f'<html><head><meta charset="iso-8859-1"></head><body><p>{text}</p></body></html>'.encode("latin-1"))
    [doc] = read_all(tmp_path / "latin1.txt")
    assert "déclaré" in doc.content and "Ça coûte" in doc.content
    [page] = read_all(tmp_path / "declared.html")
    assert "grève" in page.content


def test_bad_files_fail_with_reasons(tmp_path):
    (tmp_path / "binary.html").write_bytes(os.urandom(4096) + b"\x00" * 10)
    (tmp_path / "empty.txt").write_bytes(b"")
    big = tmp_path / "huge.html"
    with open(big, "wb") as out:
        out.write(b"<html><body>" + b"<p>word word word</p>" * (50 * 2**20 // 20) + b"</body></html>")
    reasons = {path.name: read_all(path)[0].reason for path in tmp_path.iterdir()}
    assert reasons["binary.html"] == "binary content, not text"
    assert reasons["empty.txt"] == "empty file"
    assert reasons["huge.html"].startswith("file too large for one page") and "limit 16 MiB" in reasons["huge.html"]


def test_unreadable_entries_in_a_folder(tmp_path):
    (tmp_path / "good.txt").write_text("Some text here.")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    items = [item for entry in expand([str(tmp_path)]) for item in read(entry)]
    kinds = sorted((type(item).__name__, os.path.basename(item.source)) for item in items)
    assert kinds == [("Failure", "dangling.txt"), ("Failure", "pipe.txt"), ("RawDocument", "good.txt")]


def test_warc_html_responses_become_documents(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [(f"https://example.org/news/{i}", article_html(f"Story {i}", "2024-05-03",
                                                                      lorem_paragraphs("Bergen")))
                      for i in range(3)])
    docs = read_all(path)
    assert [type(d) for d in docs] == [RawDocument] * 3
    assert [d.url for d in docs] == [f"https://example.org/news/{i}" for i in range(3)]
    assert all(d.fetched == "2024-05-04" and d.format == "html" for d in docs)
    assert len({d.source for d in docs}) == 3 and docs[0].source.startswith(str(path) + "#")


def test_truncated_warc_keeps_records_before_the_damage(tmp_path):
    path = tmp_path / "cut.warc.gz"
    pages = [(f"https://example.org/{i}", article_html(f"Story {i}", "2024-05-03", lorem_paragraphs(str(i))))
             for i in range(6)]
    write_warc(path, pages, extra_records=False)
    data = path.read_bytes()
    for percent in range(30, 100, 3):  # cuts inside headers, inside payloads, inside gzip members
        path.write_bytes(data[: len(data) * percent // 100])
        items = read_all(path)
        assert isinstance(items[-1], Failure) and "truncated" in items[-1].reason, percent
        good = [item for item in items if isinstance(item, RawDocument)]
        assert 1 <= len(good) < 6
        assert [d.url for d in good] == [url for url, _ in pages[: len(good)]]
        assert all(d.content.rstrip().endswith("</html>") for d in good), percent


def test_feed_full_entries_and_link_only(tmp_path):
    body = " ".join(["The council voted to reopen the old ferry line after a long debate."] * 10)
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Coastal Wire</title><link>https://wire.example</link><description>d</description>
<item><title>Ferry line to reopen</title><link>https://wire.example/ferry</link>
<pubDate>Tue, 04 Mar 2025 09:00:00 GMT</pubDate><content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>
<item><title>Short teaser</title><link>https://wire.example/teaser</link><description>Read more.</description></item>
</channel></rss>"""
    (tmp_path / "feed.xml").write_text(feed)
    full, pending = read_all(tmp_path / "feed.xml")
    assert isinstance(full, RawDocument) and full.format == "body"
    assert (full.title, full.url, full.published, full.publisher) == (
        "Ferry line to reopen", "https://wire.example/ferry", "2025-03-04", "Coastal Wire")
    assert isinstance(pending, PendingUrl) and pending.url == "https://wire.example/teaser"


def test_malformed_feed(tmp_path):
    (tmp_path / "bad.rss").write_text("<?xml version='1.0'?><rss><channel><item><title>x</tit")
    items = read_all(tmp_path / "bad.rss")
    assert isinstance(items[0], Failure) and items[0].reason.startswith("malformed feed")
    assert all(isinstance(item, Failure) for item in items)


def test_jsonl_broken_line_does_not_lose_the_others(tmp_path):
    lines = [json.dumps({"url": "https://a.example/1", "title": "One", "text": "First body.",
                         "published": "2025-03-04T10:00:00Z", "publisher": "A"}),
             '{"url": "https://a.example/2", "title": "Two", "text": ',
             json.dumps({"url": "https://a.example/3", "html": "<html><body><p>x</p></body></html>"}),
             json.dumps({"url": "https://a.example/4", "title": "no body"}),
             json.dumps(["not", "an", "object"])]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n")
    items = read_all(tmp_path / "dump.jsonl")
    assert [type(item).__name__ for item in items] == ["RawDocument", "Failure", "RawDocument", "Failure",
                                                      "Failure"]
    assert items[0].published == "2025-03-04T10:00:00Z" and items[0].format == "body"
    assert items[1].source.endswith("dump.jsonl#2") and items[1].reason.startswith("invalid JSON")
    assert items[2].format == "html"


def test_gzipped_jsonl(tmp_path):
    with gzip.open(tmp_path / "dump.jsonl.gz", "wt") as out:
        out.write(json.dumps({"title": "T", "text": "Body."}) + "\n")
    [doc] = read_all(tmp_path / "dump.jsonl.gz")
    assert doc.content == "Body."
