"""`storyline report`: the story comparison as standalone HTML, Markdown and JSON.

On the sample corpus through the CLI (each section shows what the comparison found), and on crafted
input (article text with markup, Markdown syntax and `javascript:` links must come out as text).
"""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from conftest import SAMPLES
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from storyline.report import format_for, md_escape, render
from storyline.report.layout import MATRIX_SOURCES

EVIL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
SECTIONS = ["summary", "timeline", "comparison", "contradictions", "single-source", "quotes", "headlines", "copies",
            "articles"]
MD_HEADINGS = ["Summary", "Timeline", "What each source says", "Contradictions", "Said by one source only", "Quotes",
               "Headlines not supported by their text", "Copies", "Articles"]


def run(*args, ok: bool = True):
    result = CliRunner().invoke(_app(), [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _app():
    from storyline.cli import app

    return app


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample corpus ingested once; the story with the most sources and its `story --json` text."""
    db = tmp_path_factory.mktemp("report") / "sample.db"
    run("ingest", SAMPLES, "--db", db)
    stories = json.loads(run("stories", "--db", db, "--json").stdout)
    story = max(stories, key=lambda s: (len(s["sources"]), -s["id"]))
    text = run("story", story["id"], "--db", db, "--json").stdout
    return db, story["id"], json.loads(text), text


def test_a_story_with_few_sources_gets_the_attribute_by_source_table(sample, tmp_path):
    db = sample[0]
    stories = json.loads(run("stories", "--db", db, "--json").stdout)
    details = [json.loads(run("story", s["id"], "--db", db, "--json").stdout) for s in stories]
    detail = next(d for d in details if d["contradictions"] and len(d["article_ids"]) <= MATRIX_SOURCES)
    out = tmp_path / "small.html"
    run("report", detail["id"], "--db", db, "-o", out)
    [table] = section(lxml.html.fromstring(out.read_text(encoding="utf-8")), "comparison").xpath(".//table")
    assert "grouped" not in table.get("class", "")
    _check_matrix(table, detail, set(detail["article_ids"]))


def section(doc, name: str):
    [found] = doc.xpath(f'//section[@id="{name}"]')
    return found


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def cited(element) -> list[int]:
    """The article ids an element's citation links point at."""
    return [int(a.get("href").removeprefix("#a")) for a in element.xpath('.//a[@class="cite"]')]


def test_json_report_is_the_story_json(sample, tmp_path):
    db, story_id, _, story_json = sample
    assert run("report", story_id, "--db", db, "--format", "json").stdout == story_json
    out = tmp_path / "story.json"
    run("report", story_id, "--db", db, "-o", out)  # format from the suffix
    assert out.read_text(encoding="utf-8") == story_json


def test_html_report_shows_the_comparison(sample, tmp_path):
    db, story_id, detail, _ = sample
    members = set(detail["article_ids"])
    assert len(detail["sources"]) >= 3 and detail["contradictions"] and detail["summary"] and detail["copies"]
    out = tmp_path / "story.html"
    run("report", story_id, "--db", db, "-o", out)
    raw = out.read_text(encoding="utf-8")
    doc = lxml.html.fromstring(raw)

    # standalone: nothing to load, nothing to run
    assert raw.startswith("<!doctype html>")
    assert not doc.xpath("//script | //link | //img | //iframe | //object | //embed | //*[@src]")
    assert all("url(" not in s.text and "@import" not in s.text for s in doc.xpath("//style"))
    assert "default-src 'none'" in doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    assert all(href.startswith(("#", "https://", "http://")) for href in doc.xpath("//a/@href"))
    assert detail["title"] in text_of(doc.xpath("//h1")[0])
    for name in SECTIONS:
        section(doc, name)
    for article_id in members:  # every citation target exists
        assert doc.xpath(f'//section[@id="articles"]//li[@id="a{article_id}"]')

    # summary: each sentence cites the member article it was taken from
    items = section(doc, "summary").xpath(".//ol/li")
    assert len(items) == len(detail["summary"])
    for item, s in zip(items, detail["summary"], strict=True):
        assert " ".join(s["sentence"].split()) in text_of(item)
        assert cited(item) == [s["article_id"]] and s["article_id"] in members

    # timeline: every event, by resolved date, undated last
    dates = [t.text for t in section(doc, "timeline").xpath(".//li/time")]
    assert len(dates) == len(detail["timeline"]) > 0
    dated = [d for d in dates if d != "undated"]
    assert dated == sorted(dated) and dates[:len(dated)] == dated

    table = section(doc, "comparison").xpath(".//table")[0]
    if "grouped" in table.get("class", ""):
        # more sources than columns fit: each value row cites exactly the articles that give it
        given = [(text_of(tr.xpath("./td")[0]), cited(tr)) for tr in table.xpath("./tbody/tr")]
        for c in detail["contradictions"]:
            for value in c["values"]:
                assert (value["value"], value["article_ids"]) in given
        for a in detail["agreements"]:
            assert (a["value"], a["article_ids"]) in given
    else:
        _check_matrix(table, detail, members)

    # contradictions with their evidence
    conflicts = text_of(section(doc, "contradictions"))
    for c in detail["contradictions"]:
        assert " ".join(c["attribute"].split()) in conflicts
        for value in c["values"]:
            assert value["value"] in conflicts
            assert all(" ".join(e.split()) in conflicts for e in value["evidence"])

    claims = section(doc, "single-source").xpath(".//li")
    assert len(claims) == len(detail["single_source"])
    for li, claim in zip(claims, detail["single_source"], strict=True):
        assert cited(li) == claim["article_ids"]

    # quotes given by several articles, with each article's wording
    quotes = section(doc, "quotes")
    shared = [q for q in detail["quotes"] if len(set(q["article_ids"])) > 1]
    assert len(quotes.xpath(".//figure")) >= len(shared) > 0
    for q in shared:
        assert all(" ".join(v["text"].split()) in text_of(quotes) for v in q["variants"])

    # unsupported headlines only
    unsupported = [h for h in detail["headlines"] if h["supported"] is False]
    listed = section(doc, "headlines").xpath(".//ul/li")
    assert len(listed) == len(unsupported) > 0
    for li, h in zip(listed, unsupported, strict=True):
        assert h["headline"] in text_of(li) and cited(li) == [h["article_id"]]

    # copies: copy -> original, as the dedup stage linked them
    rows = section(doc, "copies").xpath('.//table[@class="copies"]/tbody/tr')
    links = [c for c in detail["copies"] if c["copy_of"] is not None]
    assert [cited(tr) for tr in rows] == [[c["article_id"], c["copy_of"]] for c in links]


def test_markdown_report_shows_the_comparison(sample, tmp_path):
    db, story_id, detail, _ = sample
    out = tmp_path / "story.md"
    run("report", story_id, "--db", db, "-o", out)
    md = out.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", md, re.M)
    assert headings == MD_HEADINGS

    summary = md.split("## Summary\n", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^\d+\. (.+) \[#(\d+)\]$", summary, re.M)
    assert [(text, int(i)) for text, i in lines] == [(md_escape(s["sentence"]), s["article_id"])
                                                       for s in detail["summary"]]
    assert all(int(i) in detail["article_ids"] for _, i in lines)
    articles = md.split("## Articles\n", 1)[1]
    for a in detail["articles"]:
        assert f"- [#{a['id']}] {md_escape(a['title'])}: " in articles

    html = MarkdownIt("commonmark").enable("table").render(md)
    doc = lxml.html.fromstring(html)
    table = doc.xpath("//table")[0]  # the comparison table comes first
    header = table.xpath("./thead/tr/th")
    sources = len({a["source"] for a in detail["articles"]})
    assert len(header) == (1 + sources if sources <= MATRIX_SOURCES else 3)  # attribute x source, or value rows
    body = text_of(table)
    for c in detail["contradictions"]:
        assert all(v["value"] in body for v in c["values"])
    assert len(doc.xpath("//h1")) == 1 and len(doc.xpath("//h2")) == len(MD_HEADINGS)


def test_stdout_default_format_and_output_errors(sample, tmp_path):
    db, story_id, detail, _ = sample
    printed = run("report", story_id, "--db", db).stdout  # no -o: HTML on stdout
    assert printed.startswith("<!doctype html>") and 'id="contradictions"' in printed
    assert run("report", story_id, "--db", db, "-o", "-", "-f", "md").stdout.startswith(f"# Story {story_id}: ")
    txt = tmp_path / "report.txt"
    run("report", story_id, "--db", db, "-o", txt)  # unknown suffix: html
    assert txt.read_text(encoding="utf-8").startswith("<!doctype html>")
    forced = tmp_path / "report.html"
    run("report", story_id, "--db", db, "-o", forced, "--format", "md")  # --format wins over the suffix
    assert forced.read_text(encoding="utf-8").startswith("# Story")

    missing = tmp_path / "no" / "such" / "dir" / "r.html"
    result = run("report", story_id, "--db", db, "-o", missing, ok=False)
    assert result.exit_code == 1 and "Cannot write" in result.stderr and "no directory" in result.stderr
    assert not missing.parent.exists() and "Traceback" not in result.output
    result = run("report", story_id, "--db", db, "-o", tmp_path, ok=False)
    assert result.exit_code == 1 and "is a directory" in result.stderr

    result = run("report", 999999, "--db", db, ok=False)
    assert result.exit_code == 1 and "No story 999999" in result.stderr and result.stdout == ""
    result = run("report", story_id, "--db", tmp_path / "nothing.db", ok=False)
    assert result.exit_code == 1 and "No database" in result.stderr


def test_format_for_suffixes():
    assert [format_for(p) for p in ("r.html", "r.HTM", "r.md", "r.markdown", "r.json", "r.txt", "-", None)] == \
        ["html", "html", "md", "md", "json", "html", "html", "html"]
    with pytest.raises(ValueError):
        render({}, "pdf")


# crafted input


def crafted_detail() -> dict:
    """A story object in the contract's shape with markup and Markdown syntax in every string."""
    pipe = "a | b"
    return {
        "id": 7, "title": f"# Crafted {EVIL}", "article_ids": [1, 2], "sources": [f"<b>Evil</b> {pipe}", "Nordwire"],
        "first_published": "2025-03-03", "last_published": "2025-03-04",
        "articles": [
            {"id": 1, "title": f"# Crafted {EVIL} [x](javascript:alert(1))", "source": f"<b>Evil</b> {pipe}",
             "url": "javascript:window.__pwned=1", "published": "2025-03-03", "placed_on": "2025-03-03",
             "date_basis": "published", "language": "en", "credited": [EVIL], "copy_of": None},
            {"id": 2, "title": "Twelve dead", "source": "Nordwire", "url": "https://nordwire.example/a?x=1&y=2",
             "published": "2025-03-04", "placed_on": "2025-03-04", "date_basis": "published", "language": "en",
             "credited": [], "copy_of": 1},
        ],
        "copies": [{"article_id": 2, "copy_of": 1, "copy_of_source": EVIL, "similarity": 0.9, "kind": "rewrite"}],
        "date_suspect": [{"article_id": 2, "reason": f"suspect {EVIL}"}],
        "farm_signals": [{"article_id": 1, "signals": [f"farm {EVIL}"]}],
        "contradictions": [{"attribute": f"people {pipe} {EVIL}", "values": [
            {"value": f"9 {EVIL}", "article_ids": [1], "evidence": [f"- evidence {EVIL}"]},
            {"value": "12", "article_ids": [2], "evidence": ["Twelve died."]}]}],
        "agreements": [{"attribute": "evacuated", "value": f"![pic](https://evil.example/p.png) {pipe}",
                        "article_ids": [1, 2]}],
        "single_source": [{"attribute": "statement", "value": "", "claim": f"> claim {EVIL}", "article_id": 1,
                           "article_ids": [1]}],
        "quotes": [{"speaker": f"<i>Speaker</i> {pipe}", "text": f"quote {EVIL}", "article_ids": [1, 2],
                    "altered": True, "variants": [
                        {"text": f"1. variant [link](javascript:alert(1)) {EVIL}", "article_id": 1, "similarity": 1.0,
                         "altered": False},
                        {"text": "<javascript:alert(1)> *bold* `code`", "article_id": 2, "similarity": 0.4,
                         "altered": True}]}],
        "headlines": [{"article_id": 1, "headline": f"# Crafted {EVIL}", "supported": False,
                       "reason": f"reason {EVIL}"}],
        "timeline": [{"date": "2025-03-03", "text": f"## event {EVIL}", "article_ids": [1]},
                     {"date": None, "text": f"undated {EVIL}", "article_ids": [2]}],
        "summary": [{"sentence": f"Sentence {EVIL} &amp; [x]: javascript:alert(1)", "article_id": 1}],
        "independent_sources": 1, "note": None,
    }


def assert_inert(doc, allowed: set[str]) -> None:
    """No tag outside `allowed`, no event handler, no link but to an anchor or an http(s) page."""
    tags = {el.tag for el in doc.iter() if isinstance(el.tag, str)}
    assert tags <= allowed, tags - allowed
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not [a for a in el.attrib if a.lower().startswith("on")], (el.tag, dict(el.attrib))
    assert all(h.startswith(("#", "https://", "http://")) for h in doc.xpath("//@href"))
    assert not doc.xpath("//@src")


def test_crafted_story_renders_as_text_in_html():
    raw = render(crafted_detail(), "html")
    doc = lxml.html.fromstring(raw)
    assert_inert(doc, {"html", "head", "meta", "title", "style", "body", "main", "header", "p", "span", "nav", "a",
                       "h1", "h2", "h3", "section", "ol", "ul", "li", "time", "div", "table", "thead", "tbody", "tr",
                       "th", "td", "strong", "br", "figure", "blockquote", "figcaption", "code", "footer", "svg",
                       "defs", "marker", "path", "circle", "text"})
    text = doc.text_content()
    assert text.count(EVIL) >= 15  # shown, as text, wherever the story has it
    assert "<b>Evil</b> a | b" in text_of(section(doc, "comparison").xpath(".//thead")[0])
    assert "javascript:window.__pwned=1" not in doc.xpath("//@href")
    assert "javascript:window.__pwned=1" in text_of(section(doc, "articles"))  # the unsafe URL as text only
    assert doc.xpath('//a[@href="https://nordwire.example/a?x=1&y=2"]')


def test_crafted_story_renders_as_text_in_markdown():
    md = render(crafted_detail(), "md")
    assert re.findall(r"^#+ .*$", md, re.M) == ["# Story 7: \\# Crafted " + md_escape(EVIL)] + \
        [f"## {h}" for h in MD_HEADINGS]
    for renderer in (MarkdownIt("commonmark").enable("table"), MarkdownIt("gfm-like", {"linkify": False})):
        doc = lxml.html.fromstring(renderer.render(md))
        assert_inert(doc, {"html", "body", "div", "h1", "h2", "p", "ol", "ul", "li", "strong", "em", "table",
                           "thead", "tbody", "tr", "th", "td", "blockquote", "a", "code"})
        # headings only where the report puts them; the links are only the report's own (article URLs)
        assert len(doc.xpath("//h1")) == 1 and len(doc.xpath("//h2")) == len(MD_HEADINGS)
        assert doc.xpath("//a/@href") == ["https://nordwire.example/a?x=1&y=2"]
        # backticks and stars in article text stay text: the only code span and emphasis are the report's own
        assert [c.text for c in doc.xpath("//code")] == ["storyline story 7 --json"]
        assert {text_of(e) for e in doc.xpath("//em")} <= {"Articles", "altered in meaning"} | {
            text_of(e) for e in doc.xpath("//p/em") if text_of(e).startswith("Report generated by Storyline")}
        [compare, copies] = doc.xpath("//table")
        assert len(compare.xpath(".//tr[1]/th")) == 3  # a pipe in a source name does not add a column
        assert "<b>Evil</b> a | b" in text_of(compare.xpath(".//th")[1])
        assert "people a | b " + EVIL in text_of(compare)
        assert len(copies.xpath(".//tbody/tr[1]/td")) == 5
        text = doc.text_content()
        assert text.count(EVIL) >= 12
        assert "*bold* `code`" in text and "&amp;" in text and "![pic](https://evil.example/p.png)" in text


def test_crafted_article_through_the_cli(tmp_path):
    """Markup in a stored title and publisher, and a javascript: URL, stay text in the report."""
    folder = tmp_path / "in"
    folder.mkdir()
    body = ("{n} people were killed when the old Tormsdal road bridge collapsed into the river on Monday morning, "
            "police said.\n\n\"We are searching the river banks all night,\" rescue leader Ola Brekke said.\n\n"
            "About 40 people were evacuated from the houses near the Tormsdal bridge.")
    rows = [{"url": "javascript:window.__pwned=1", "title": f"# Crafted {EVIL} | headline", "publisher": "<b>Evil</b>",
             "published": "2025-06-02", "text": body.format(n="Nine")},
            {"url": "https://tidende.example/bridge", "title": "Tormsdal bridge collapse kills twelve",
             "publisher": "Tidende", "published": "2025-06-02", "text": body.format(n="Twelve")}]
    (folder / "crafted.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "crafted.db"
    run("ingest", folder, "--db", db)
    [story] = json.loads(run("stories", "--db", db, "--json").stdout)
    html = run("report", story["id"], "--db", db, "-f", "html").stdout
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//script | //img | //b | //@src") and "<script" not in html
    assert f"# Crafted {EVIL} | headline" in text_of(section(doc, "articles"))
    assert "<b>Evil</b>" in text_of(section(doc, "articles"))
    assert all(h.startswith(("#", "https://")) for h in doc.xpath("//@href"))
    md = run("report", story["id"], "--db", db, "-f", "md").stdout
    rendered = lxml.html.fromstring(MarkdownIt("commonmark").enable("table").render(md))
    assert not rendered.xpath("//script | //img | //b | //@src") and len(rendered.xpath("//h1")) == 1
    assert f"# Crafted {EVIL} | headline" in rendered.text_content()


def _check_matrix(table, detail: dict, members: set[int]) -> None:
    """Attribute x source: each value of a contradiction sits in the column of each article that gives it."""
    columns = [cited(th) for th in table.xpath("./thead/tr/th")[1:]]
    assert sorted(i for c in columns for i in c) == sorted(members)
    rows = {re.sub(r" contradiction( · confidence [\d.]+)?$", "", text_of(tr.xpath("./th")[0])): tr.xpath("./td")
            for tr in table.xpath("./tbody/tr")}
    for c in detail["contradictions"]:
        cells = rows[" ".join(c["attribute"].split())]
        for value in c["values"]:
            for article_id in value["article_ids"]:
                column = next(n for n, ids in enumerate(columns) if article_id in ids)
                assert value["value"] in text_of(cells[column])
    for a in detail["agreements"]:
        assert a["value"] in text_of(rows[" ".join(a["attribute"].split())][
            next(n for n, ids in enumerate(columns) if a["article_ids"][0] in ids)])
