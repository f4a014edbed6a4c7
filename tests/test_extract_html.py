"""HTML extraction: real evaluation pages from ../shared/data/extraction and small pages of our own."""

from __future__ import annotations

import gzip
import json
import re
import sys
import tarfile
from pathlib import Path

import pytest

from storyline.extract.html import extract_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import scoring  # noqa: E402

needs_data = pytest.mark.skipif(not scoring.DATA.is_dir(), reason="../shared/data/extraction is missing")

# ---------------------------------------------------------------- pages we wrote ourselves

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Harbour bridge reopens after repairs | The Coastal Ledger</title>
<meta property="og:title" content="Harbour bridge reopens after repairs">
<meta property="og:site_name" content="The Coastal Ledger">
<meta property="article:published_time" content="2024-05-03T10:24:48Z">
<meta name="author" content="Mara Quill">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Harbour bridge reopens after repairs",
 "datePublished": "2024-05-03T10:24:48Z", "author": {"@type": "Person", "name": "Mara Quill"},
 "publisher": {"@type": "Organization", "name": "The Coastal Ledger"}}
</script>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<div class="layout">
<aside class="sidebar"><h3>Most read</h3><ul>
<li><a href="/a">Council votes on new parking fees</a></li>
<li><a href="/b">Local bakery wins regional prize</a></li></ul></aside>
<article>
<h1>Harbour bridge reopens after repairs</h1>
<p class="byline">By Mara Quill</p>
<p>The harbour bridge reopened to traffic on Friday morning after eleven weeks of repairs to its
steel deck, the county roads office said, ending long detours for commuters on the east shore.</p>
<p>Engineers replaced forty-two corroded plates and repainted the main span. The work cost about
3.2 million euros, slightly less than the budget approved by the council in February.</p>
<figure><img src="bridge.jpg" alt=""><figcaption>The bridge seen from the ferry pier.</figcaption></figure>
<p>"We finished ahead of the summer season, which was the goal from the start," said site manager
Olav Brink. Cyclists will have a separate lane from June, when the last railings are installed.</p>
</article>
</div>
<footer><p>Copyright 2024 The Coastal Ledger. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></footer>
</body></html>"""

HOSTILE_PAGE = """<html><head><title>Garden notes</title>
<script>document.write('tracking pixel'); var secret = "alert(1)";</script></head><body>
<article><h1>Garden notes</h1>
<p>Early potatoes went into the ground in the second week of April, later than usual because the
soil stayed cold and wet after a long and rainy March in the valley.</p>
<script>alert(1)</script>
<p>The tomatoes are still under glass. <img src="x.png" onerror="alert(2)"> They will move outside
once the nights stay above ten degrees, usually around the middle of May in this part of the country.</p>
<style>p { color: red; }</style>
<noscript>Please enable JavaScript to see comments.</noscript>
</article></body></html>"""

NO_ARTICLE_PAGE = """<html><head><title>Site map</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li>
<li><a href="/contact">Contact</a></li></ul></nav>
<footer>Copyright 2024</footer></body></html>"""


def test_news_page_body_and_boilerplate() -> None:
    found = extract_html(NEWS_PAGE, url="https://coastal-ledger.example/2024/05/03/harbour-bridge")
    assert "eleven weeks of repairs" in found.text
    assert "Cyclists will have a separate lane" in found.text
    assert "\n\n" in found.text  # paragraphs separated by a blank line
    for junk in ("Most read", "Council votes on new parking fees", "All rights reserved", "Privacy"):
        assert junk not in found.text
    removed = " ".join(found.removed)
    assert "Council votes on new parking fees" in removed
    assert "All rights reserved" in removed
    assert "eleven weeks of repairs" not in removed


def test_news_page_metadata() -> None:
    found = extract_html(NEWS_PAGE, url="https://coastal-ledger.example/2024/05/03/harbour-bridge")
    assert found.title == "Harbour bridge reopens after repairs"
    assert found.publisher == "The Coastal Ledger"
    assert found.authors == ["Mara Quill"]
    assert found.date is not None
    assert found.date.date == "2024-05-03"
    assert "2024-05-03" in found.date.evidence
    assert found.date.confidence >= 0.8
    assert found.captions == ["The bridge seen from the ferry pier."]


def test_title_site_name_is_stripped_without_og() -> None:
    page = NEWS_PAGE.replace('<meta property="og:title" content="Harbour bridge reopens after repairs">', "")
    page = page.replace('"headline": "Harbour bridge reopens after repairs",', "")
    page = page.replace("<h1>Harbour bridge reopens after repairs</h1>", "")
    assert extract_html(page).title == "Harbour bridge reopens after repairs"


def test_date_from_url_when_page_has_none() -> None:
    page = re.sub(r'<meta property="article:published_time"[^>]*>', "", NEWS_PAGE)
    page = page.replace('"datePublished": "2024-05-03T10:24:48Z",', "")
    found = extract_html(page, url="https://coastal-ledger.example/2023/11/21/harbour-bridge")
    assert found.date is not None
    assert found.date.date == "2023-11-21"
    assert "2023/11/21" in found.date.evidence


def test_script_and_handlers_never_reach_the_text() -> None:
    found = extract_html(HOSTILE_PAGE)
    assert "Early potatoes" in found.text
    assert "middle of May" in found.text
    for bad in ("alert", "document.write", "onerror", "color: red", "<script", "enable JavaScript"):
        assert bad not in found.text
        assert all(bad not in line for line in found.removed)


def test_page_without_article_gives_empty_text() -> None:
    found = extract_html(NO_ARTICLE_PAGE)
    assert found.text == ""


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "\x00\x01\x02\xff\xfe" * 200, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + "\x00\x9c" * 500, "<<<>>>&&&;;"],
)
def test_junk_input_does_not_crash(junk: str) -> None:
    found = extract_html(junk)
    assert isinstance(found.text, str)


# ---------------------------------------------------------------- real pages

AEB_FLOOR = 0.96  # measured 0.988 on these 20 pages (trafilatura default: 0.967); margin for small changes


@needs_data
def test_aeb_f1_on_20_pages_stays_above_floor() -> None:
    items = scoring.load_aeb(limit=20)
    preds = [extract_html(html, url).text for _, url, html, _ in items]
    score = scoring.score_aeb([gold for *_, gold in items], preds, n_bootstrap=0)
    assert score.f1 >= AEB_FLOOR, score


@needs_data
def test_aeb_page_body() -> None:
    gold = json.loads((scoring.AEB / "ground-truth.json").read_text(encoding="utf-8"))
    key = sorted(gold)[0]
    html = gzip.decompress((scoring.AEB / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
    found = extract_html(html, gold[key]["url"])
    score = scoring.score_aeb([gold[key]["articleBody"]], [found.text], n_bootstrap=0)
    assert score.f1 > 0.9


def _trafilatura_eval_pages(files: set[str]) -> dict[str, tuple[str, dict]]:
    """Some trafilatura-eval pages with their gold record, read from the tar.xz at test time."""
    gold = json.loads((scoring.TRAF / "evaldata.json").read_text(encoding="utf-8"))
    wanted = {rec["file"]: (url, rec) for url, rec in gold.items() if rec["file"] in files}
    found: dict[str, tuple[str, dict]] = {}
    with tarfile.open(scoring.TRAF / "html.tar.xz", "r:xz") as tar:
        for member in tar:
            name = member.name.split("/", 1)[-1]
            handle = tar.extractfile(member) if name in wanted else None
            if handle is not None:
                url, rec = wanted[name]
                found[name] = (scoring.decode_html(handle.read()), {**rec, "url": url})
            if len(found) == len(wanted):
                break
    return found


BODY_PAGES = ("denkanstoos.com.2012.html", "piratenpartei-mv.de.grundeinkommen.html", "correctiv.org.zusage.html")
META_PAGES = ("lemire.me.json.html", "rete-mirabile.net.15jahre.html")


@pytest.fixture(scope="module")
def eval_pages() -> dict[str, tuple[str, dict]]:
    return _trafilatura_eval_pages(set(BODY_PAGES + META_PAGES))


@needs_data
@pytest.mark.parametrize("name", BODY_PAGES)
def test_trafilatura_eval_body_snippets(eval_pages: dict[str, tuple[str, dict]], name: str) -> None:
    html, rec = eval_pages[name]
    flat = " ".join(extract_html(html, rec["url"]).text.split())
    for snippet in rec["with"]:
        assert " ".join(snippet.split()) in flat
    for snippet in rec["without"]:
        assert " ".join(snippet.split()) not in flat


@needs_data
@pytest.mark.parametrize("name", META_PAGES)
def test_trafilatura_eval_metadata(eval_pages: dict[str, tuple[str, dict]], name: str) -> None:
    html, rec = eval_pages[name]
    found = extract_html(html, rec["url"])
    assert found.title == rec["title"]
    assert found.date is not None
    assert found.date.date == rec["date"]
    assert "; ".join(found.authors) == rec["author"]
