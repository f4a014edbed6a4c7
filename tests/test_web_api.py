"""Web app and JSON API (FastAPI TestClient): contract fields, pages, security, ingest; schemathesis on the schema.

Stories and facts are built here in the exact JSON shape of the contract (issues 3 and 5), over articles
stored for the test, so the pages are tested whatever the other stages produce yet.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.models import Article
from storyline.store import Store
from storyline.web import create_app
from storyline.web.api import CLIENT_HEADER
from storyline.web.data import StoredFacts
from storyline.web.ingest import MAX_FILE_BYTES, MAX_FILES, MAX_REQUEST_BYTES

EVIL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
EVIL_TITLE = f"Crafted {EVIL} headline"
EVIL_TEXT = (f"Markup in the body must stay text: {EVIL} and <a href=\"javascript:window.__pwned=1\">a link</a>."
             "\n\n<svg onload=window.__pwned=1></svg><iframe src=\"javascript:window.__pwned=1\"></iframe>"
             "\n\nThe end of the crafted article about the Lindvatn dam.")
HEADERS = {CLIENT_HEADER: "test"}

_ARTICLES = [
    dict(title="Nine dead after Lindvatn dam gives way above Rønnevik", publisher="Vestland Courier",
         published="2025-03-03", url="https://vestland-courier.example/news/lindvatn",
         text="Nine people have been confirmed dead and 11 are still missing after the Lindvatn dam collapsed "
              "on Monday above Rønnevik.\n\nIncident commander Kari Holmedal said the search would continue "
              "through the night. About 300 people have been evacuated from Rønnevik.\n\n\"We are still "
              "searching every house along the lower road,\" Kari Holmedal said.",
         removed=["Home › News › Vestland", "Subscribe   Log in", "Leave a Reply"]),
    dict(title="At least seven dead, 14 missing as dam bursts in western Norway", publisher="Nordwire",
         published="2025-03-03", url="https://nordwire.example/world/dam",
         text="At least seven people were killed and 14 were missing after a hydropower dam gave way in western "
              "Norway early on Monday, police said.\n\nThe Lindvatn dam failed at about 4:40 a.m. after three days "
              "of rain from storm Hedda. Roughly 300 people were evacuated.",
         removed=[]),
    dict(title="SHOCKING: dam explodes, hundreds feared dead", publisher="Daily Trend Pulse", published="2025-03-09",
         url="https://dailytrendpulse.example/norway-dam",
         text="At least seven people were killed and 14 were missing after a hydropower dam gave way in western "
              "Norway early on Monday, police said.\n\nThe Lindvatn dam failed at about 4:40 a.m.",
         removed=["Trending now: 10 celebrity secrets", "Tags: dam, norway, shocking"]),
    dict(title=EVIL_TITLE, publisher="<b>Evil</b> Times", published="2025-03-04", url="javascript:window.__pwned=1",
         text=EVIL_TEXT, removed=[f"Boilerplate {EVIL}"]),
    dict(title="Court rules on Kattegat bulk carrier collision", publisher="Oresund Daily", published="2025-02-10",
         url="https://oresund.example/kattegat", text="A court in Copenhagen ruled on the collision in the "
         "Kattegat between two bulk carriers.\n\nThe owners must share the costs.", removed=[]),
]


def story_objects(ids: list[int]) -> list[dict]:
    """Two stories in the exact shape of `storyline story ID --json` (issues 3 and 5), over `ids`."""
    a1, a2, a3, a4, a5 = ids
    dam = {
        "id": 1, "title": "Lindvatn dam failure in Rønnevik", "article_ids": [a1, a2, a3, a4],
        "sources": ["Vestland Courier", "Nordwire", "Daily Trend Pulse", "<b>Evil</b> Times"],
        "first_published": "2025-03-03", "last_published": "2025-03-09",
        "copies": [
            {"article_id": a1, "copy_of": None, "copy_of_source": None, "similarity": None, "kind": "exact"},
            {"article_id": a2, "copy_of": None, "copy_of_source": None, "similarity": None, "kind": "exact"},
            {"article_id": a3, "copy_of": a2, "copy_of_source": "Nordwire", "similarity": 0.93,
             "kind": "near-duplicate"},
            {"article_id": a4, "copy_of": None, "copy_of_source": None, "similarity": None, "kind": "exact"},
        ],
        "date_suspect": [{"article_id": a3, "reason": "claimed 2025-03-09, six days after its copies"}],
        "farm_signals": [{"article_id": a3, "signals": [f"unrelated link farm {EVIL}"]}],
        "contradictions": [
            {"attribute": "people killed", "values": [
                {"value": "9", "article_ids": [a1], "evidence": ["Nine people have been confirmed dead."]},
                {"value": "at least 7", "article_ids": [a2, a3], "evidence": ["At least seven people were killed."]},
            ]},
            {"attribute": f"attr {EVIL}", "values": [
                {"value": f"v1 {EVIL}", "article_ids": [a4], "evidence": [f"evidence {EVIL}"]},
                {"value": "v2", "article_ids": [a1], "evidence": []},
            ]},
        ],
        "agreements": [{"attribute": "people evacuated", "value": "about 300", "article_ids": [a1, a2]}],
        "single_source": [{"claim": "Inspectors had flagged seepage at the dam last autumn.", "article_id": a1}],
        "quotes": [{"speaker": "Kari Holmedal", "text": "We are still searching every house along the lower road",
                    "article_ids": [a1, a2],
                    "variants": [{"text": "We continue to search all the houses on the lower road", "article_id": a2,
                                  "similarity": 0.82},
                                 {"text": f"quote {EVIL}", "article_id": a4, "similarity": 0.1}]}],
        "headlines": [{"article_id": a3, "headline": "SHOCKING: dam explodes, hundreds feared dead",
                       "supported": False, "reason": "no source reports an explosion or hundreds dead"},
                      {"article_id": a1, "headline": _ARTICLES[0]["title"], "supported": True, "reason": None}],
        "timeline": [{"date": "2025-03-03", "text": "The Lindvatn dam fails at about 4:40 a.m.",
                      "article_ids": [a2, a3]},
                     {"date": "2025-02-28", "text": "Storm Hedda brings three days of rain.", "article_ids": [a2]},
                     {"date": None, "text": f"undated {EVIL}", "article_ids": [a4]}],
        "summary": [{"sentence": "The Lindvatn dam above Rønnevik collapsed early on Monday.", "article_id": a2},
                    {"sentence": "Nine people have been confirmed dead.", "article_id": a1},
                    {"sentence": f"Crafted {EVIL}", "article_id": a4}],
    }
    ruling = {"id": 2, "title": "Kattegat collision ruling", "article_ids": [a5], "sources": ["Oresund Daily"],
              "first_published": "2025-02-10", "last_published": "2025-02-10", "copies": [], "contradictions": [],
              "agreements": [], "single_source": [], "quotes": [], "headlines": [], "timeline": [], "summary": []}
    return [dam, ruling]


def facts_objects(ids: list[int]) -> dict[int, dict]:
    """Facts in the shape of `storyline facts ID --json` for the first and the crafted article."""
    a1, _, _, a4, _ = ids
    return {
        a1: {"entities": [{"name": "Kari Holmedal", "type": "PERSON", "aliases": ["Holmedal"], "mentions": 2},
                          {"name": "Lindvatn dam", "type": "OTHER", "aliases": [], "mentions": 1}],
             "places": [{"name": "Rønnevik", "lat": 61.09, "lon": 5.45, "country": "NO", "kind": "city"},
                        {"name": "Bergen", "lat": 60.39, "lon": 5.32, "country": "NO", "kind": "city"}],
             "quantities": [{"value": 9, "unit": None, "counted": "people", "approx": False, "sentence": 0,
                             "text": "Nine people", "value_max": None, "bound": "="}],
             "quotes": [{"speaker": "Kari Holmedal", "text": "We are still searching every house along the lower "
                         "road", "direct": True, "sentence": 3, "cue": "said"}],
             "times": [{"text": "Monday", "date": "2025-03-03", "sentence": 0}], "events": []},
        a4: {"entities": [{"name": EVIL, "type": "ORG", "aliases": [], "mentions": 1}],
             "places": [{"name": f"Place {EVIL}", "lat": 59.91, "lon": 10.75, "country": "NO", "kind": "city"}],
             "quantities": [], "quotes": [], "times": [], "events": []},
    }


class StaticStories:
    """A story stage stand-in serving fixed story objects."""

    def __init__(self, stories: list[dict]) -> None:
        self.by_id = {s["id"]: s for s in stories}

    def stories(self, store: Store) -> list[dict]:
        keys = ("id", "title", "article_ids", "sources", "first_published", "last_published")
        return [{k: s[k] for k in keys} for s in self.by_id.values()]

    def story(self, store: Store, story_id: int) -> dict | None:
        return self.by_id.get(story_id)


class StaticFacts:
    def __init__(self, facts: dict[int, dict]) -> None:
        self.by_id = facts

    def facts(self, store: Store, article_id: int) -> dict | None:
        return self.by_id.get(article_id)


def build_db(path: Path) -> list[int]:
    """Store the five test articles; return their ids."""
    ids = []
    with Store(path) as store:
        for data in _ARTICLES:
            article = Article(source=f"tests/{len(ids)}.html", published_evidence="meta article:published_time",
                              published_confidence=0.9, authors=[], credited=[], language="en", captions=[],
                              format="html", **data)
            ids.append(store.add_article(article))
    return ids


def make_app(db: Path, ids: list[int], **options):
    return create_app(str(db), stories=StaticStories(story_objects(ids)), facts=StaticFacts(facts_objects(ids)),
                      **options)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "web.db"
    ids = build_db(db)
    with TestClient(make_app(db, ids)) as client:
        yield client, ids, db


@pytest.fixture
def client(site):
    return site[0]


# JSON API: the CLI's field names


def test_articles_api_equals_cli_json(site, cli_json):
    client, ids, db = site
    page = client.get("/api/articles", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == len(ids) and page["limit"] == 2 and page["offset"] == 1
    everything = client.get("/api/articles", params={"limit": 200}).json()["items"]
    assert everything == cli_json("articles", "--db", db)
    assert page["items"] == everything[1:3]
    assert client.get(f"/api/articles/{ids[0]}").json() == cli_json("article", ids[0], "--db", db)


def test_story_api_returns_the_contract_objects(site):
    client, ids, _ = site
    stories = client.get("/api/stories").json()
    assert stories["total"] == 2
    assert set(stories["items"][0]) == {"id", "title", "article_ids", "sources", "first_published", "last_published"}
    assert client.get("/api/stories/1").json() == story_objects(ids)[0]
    assert client.get("/api/stories/99").status_code == 404


# What the API's article model leaves out or declares differently from the `Article` dataclass, and why.
ARTICLE_OUT_DIFFERENCES = {
    "removed": "only in the single-article answer (ArticleFull), as `storyline article ID --json`; lists omit it",
}
ARTICLE_NULLABLE_DIFFERENCES = {
    "id": "None only before the article is stored; the API serves stored articles",
}


def test_article_out_stays_in_sync_with_the_article_dataclass():
    import dataclasses
    import typing

    from storyline.web.api import ArticleFull, ArticleOut

    fields = {f.name for f in dataclasses.fields(Article)}
    assert set(ArticleOut.model_fields) == fields - set(ARTICLE_OUT_DIFFERENCES)
    assert set(ArticleFull.model_fields) == fields
    article = Article(source="s", url=None, title=None, published=None, published_evidence=None,
                      published_confidence=0.0, publisher=None, authors=[], credited=[], language=None, text="t",
                      removed=[], captions=[], format="text", id=1)
    assert list(article.to_json()) == list(ArticleOut.model_fields)  # same names, same order
    assert list(article.to_json(with_removed=True)) == list(ArticleFull.model_fields)
    hints = typing.get_type_hints(Article)
    for name, info in ArticleFull.model_fields.items():
        declared, annotated = set(typing.get_args(hints[name])), set(typing.get_args(info.annotation))
        if name in ARTICLE_NULLABLE_DIFFERENCES:
            assert declared - {type(None)} == {info.annotation} and type(None) in declared, name
        elif type(None) in declared:
            assert annotated == declared, name
        else:
            assert info.annotation == hints[name], name


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "hydropower"}, [1]), ({"q": "Copenhagen"}, [2]), ({"q": "dam Kattegat"}, []),
    ({"source": "nordwire"}, [1]), ({"place": "rønnevik"}, [1]), ({"entity": "holmedal"}, [1]),
    ({"date_from": "2025-03-01"}, [1]), ({"date_to": "2025-02-28"}, [2]),
    ({"date_from": "2025-02-01", "date_to": "2025-02-11"}, [2]), ({"sort": "size"}, [1, 2]), ({}, [1, 2]),
])
def test_story_filters_and_order(client, params, expected):
    assert [s["id"] for s in client.get("/api/stories", params=params).json()["items"]] == expected


def test_search_entities_facts_errors(site):
    client, ids, _ = site
    found = client.get("/api/search", params={"q": "Holmedal"}).json()
    assert [a["id"] for a in found["articles"]] == [ids[0]] and [s["id"] for s in found["stories"]] == [1]
    entities = client.get("/api/entities", params={"q": "holmedal"}).json()
    assert entities["items"] == [{"name": "Kari Holmedal", "type": "PERSON", "aliases": ["Holmedal"], "mentions": 2,
                                  "article_ids": [ids[0]]}]
    assert client.get(f"/api/articles/{ids[0]}/facts").json() == {"article_id": ids[0], **facts_objects(ids)[ids[0]]}
    assert client.get(f"/api/articles/{ids[1]}/facts").status_code == 404
    assert client.get("/api/errors").json() == {"items": [], "total": 0, "limit": 50, "offset": 0}


@pytest.mark.parametrize("path", ["/api/stories?limit=0", "/api/stories?limit=100000", "/api/articles?offset=-1",
                                  "/api/stories?date_from=yesterday", "/api/stories?sort=random", "/api/search"])
def test_bad_parameters_are_422(client, path):
    assert client.get(path).status_code == 422


def test_stored_stories_equal_the_cli_json(tmp_path, cli, cli_json):
    """With the real stages: /api/stories, /api/stories/{id} and /api/entities give what `storyline stories/story/
    entities --json` do."""
    from conftest import article_html, lorem_paragraphs

    folder = tmp_path / "pages"
    folder.mkdir()
    wall = lorem_paragraphs("Rotterdam", 5)
    folder.joinpath("a.html").write_text(article_html("Harbour wall inquiry widens", "2025-03-04", wall))
    folder.joinpath("b.html").write_text(article_html("Harbour wall inquiry widens", "2025-03-05", wall[:4]))
    folder.joinpath("c.html").write_text(article_html("Ferry strike ends after nine days", "2025-03-06", [
        f"The ferry crews of the western fjords voted {n} to return to work after the union and the operator "
        f"agreed on new rosters, ending a strike that had stranded islanders for nine days, item {n}."
        for n in range(5)]))
    db = tmp_path / "stories.db"
    cli("ingest", folder, "--db", db)
    expected = cli_json("stories", "--db", db)
    with TestClient(create_app(str(db))) as client:
        found = client.get("/api/stories").json()["items"]
        assert sorted(found, key=lambda s: s["id"]) == sorted(expected, key=lambda s: s["id"])
        for story in found:
            assert "note" in client.get(f"/api/stories/{story['id']}").json()  # not compared yet
            detail = cli_json("story", story["id"], "--db", db)  # analyses the articles; pages then show the same
            assert client.get(f"/api/stories/{story['id']}").json() == detail  # new facts: recomputed
            assert client.get(f"/stories/{story['id']}").status_code == 200
        assert "Harbour wall inquiry widens" in client.get("/").text
    with TestClient(create_app(str(db), facts=StoredFacts())) as client:  # as `storyline serve` has it
        assert client.get("/api/entities", params={"limit": 200}).json()["items"] == cli_json("entities", "--db", db)
        article_id = found[0]["article_ids"][0]
        assert client.get(f"/api/articles/{article_id}/facts").json() == cli_json("facts", article_id, "--db", db)


def test_story_objects_are_kept_until_their_inputs_change(tmp_path, cli, monkeypatch):
    """The comparison costs seconds: a story's object is computed once and kept while its inputs are unchanged."""
    from conftest import article_html, lorem_paragraphs

    from storyline.web import data
    from storyline.web.data import StoreStories

    folder = tmp_path / "pages"
    folder.mkdir()
    wall = lorem_paragraphs("Rotterdam", 5)
    folder.joinpath("a.html").write_text(article_html("Harbour wall inquiry widens", "2025-03-04", wall))
    folder.joinpath("b.html").write_text(article_html("Harbour wall inquiry widens", "2025-03-05", wall[:4]))
    db = tmp_path / "cache.db"
    cli("ingest", folder, "--db", db)
    computed = []
    detail = data.assemble
    monkeypatch.setattr(data, "assemble", lambda store, row, **kw: computed.append(row.id)
                        or detail(store, row, **kw))
    source = StoreStories()
    with Store(db, readonly=True) as store:
        (story_id,) = [s["id"] for s in source.stories(store)]
        first = source.story(store, story_id)
        first["title"] = "changed by a caller"
        assert source.story(store, story_id)["title"] == "Harbour wall inquiry widens"  # a copy each time
        assert computed == [story_id]
    folder.joinpath("c.html").write_text(article_html("Harbour wall inquiry widens", "2025-03-06", wall[1:]))
    cli("ingest", folder, "--db", db)
    with Store(db, readonly=True) as store:
        assert len(source.story(store, story_id)["article_ids"]) == 3 and computed == [story_id, story_id]


# pages


def test_story_list_page(client):
    html = client.get("/").text
    assert 'href="/stories/1"' in html and "Lindvatn dam failure in Rønnevik" in html
    row = html[html.index('href="/stories/1"'):html.index('href="/stories/2"')]
    assert "2 contradictions" in row and "unsupported headline" in row and "1 copy" in row
    assert 'href="/stories/1"' not in client.get("/", params={"q": "Copenhagen"}).text
    assert client.get("/", params={"date_from": "nonsense"}).status_code == 400


def test_story_page_shows_the_comparison(site):
    client, ids, _ = site
    html = client.get("/stories/1").text
    table = html[html.index('<table class="compare">'):html.index("</table>", html.index('<table class="compare">'))]
    assert table.count("<th>") == 1 + 4  # attribute + four sources
    conflict = re.search(r'<tr class="conflict">.*?</tr>', table, re.S).group()
    assert "people killed" in conflict and '<span class="value v0">9</span>' in conflict
    assert conflict.count('<span class="value v1">at least 7</span>') == 2  # Nordwire and its copy
    assert '<tr class="agree">' in table and "about 300" in table
    assert "We continue to search all the houses on the lower road" in html and "similarity 0.82" in html
    timeline = html[html.index('<ol class="timeline">'):]
    assert timeline.index("2025-02-28") < timeline.index("2025-03-03") < timeline.index("undated")
    assert '<svg class="map"' in html and "Rønnevik" in html and html.count('<g class="pin">') == 3
    assert '<svg class="copies"' in html and 'class="edge near-duplicate"' in html and "date suspect" in html
    assert "six days after its copies" in html and "content farm" in html
    assert "Inspectors had flagged seepage" in html
    assert "no source reports an explosion" in html
    cites = re.findall(r'<ol class="summary">.*?</ol>', html, re.S)[0]
    assert f'href="/articles/{ids[1]}"' in cites and f'href="/articles/{ids[0]}"' in cites


def test_single_article_story(client):
    html = client.get("/stories/2").text
    assert "One article: nothing to compare." in html and "No article copies another." in html


def test_article_page_highlights_facts_and_shows_removed_on_request(site):
    client, ids, _ = site
    html = client.get(f"/articles/{ids[0]}").text
    assert '<mark class="entity" title="person: Kari Holmedal">Kari Holmedal</mark>' in html
    assert '<mark class="number"' in html and '<mark class="time"' in html and '<mark class="place"' in html
    assert '<mark class="quote"' in html
    assert "meta article:published_time" in html and "confidence 0.90" in html
    assert "Leave a Reply" not in html and "Show the removed boilerplate (3 blocks)" in html
    shown = client.get(f"/articles/{ids[0]}", params={"removed": "true"}).text
    assert "Leave a Reply" in shown and "Home › News › Vestland" in shown
    assert client.get("/articles/999").status_code == 404


def test_other_pages(client):
    assert "Kari Holmedal" in client.get("/entities").text
    assert "Markup in the body" not in client.get("/articles").text and "Court rules" in client.get("/articles").text
    assert "Court rules" in client.get("/articles", params={"q": "Copenhagen"}).text
    assert "None." in client.get("/errors").text
    assert 'name="csrf"' in client.get("/ingest").text


# security


def test_untrusted_text_is_escaped_everywhere(site):
    client, ids, _ = site
    pages = [client.get(p).text for p in ("/", "/stories/1", f"/articles/{ids[3]}",
                                          f"/articles/{ids[3]}?removed=true", "/entities", "/articles")]
    for html in pages:
        assert "<script>window" not in html and "<img src=x" not in html and "<svg onload" not in html
        assert "<b>Evil</b>" not in html and 'href="javascript:' not in html.lower()
    article = pages[2]
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article
    assert "javascript:window.__pwned=1" in article  # the URL is shown as text, not as a link
    assert "&lt;b&gt;Evil&lt;/b&gt; Times" in pages[1]


def test_security_headers(client):
    for path in ("/", "/stories/1", "/api/stories", "/static/style.css", "/nowhere"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
    assert "<script" not in client.get("/stories/1").text  # the pages need no script at all


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/app.py", "/static/..%5capp.py",
    "/static/world/../../app.py", "/static//etc/passwd", "/articles/..%2f..%2fetc%2fpasswd", "/stories/%2e%2e",
    "/ingest/..%2f..%2fetc", "/api/ingest/..%2f..%2fweb.db", "/api/articles/1%2f..%2f..", "/..%2f..%2fetc/passwd",
])
def test_no_path_traversal(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404, 422)
    assert "root:" not in response.text and "create_app" not in response.text and "SQLite format" not in response.text


def test_dns_rebinding_is_refused_on_loopback(tmp_path):
    db = tmp_path / "x.db"
    ids = build_db(db)
    with TestClient(make_app(db, ids, allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_serve_binds_to_loopback_by_default(cli, db, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: seen.update(app=app, host=host, port=port))
    cli("serve", "--db", db)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    assert TestClient(seen["app"]).get("/", headers={"host": "rebound.example"}).status_code == 400
    result = cli("serve", "--db", str(Path(db).with_name("missing.db")), "--read-only", ok=False)
    assert result.exit_code == 1


# ingest: CSRF, bounds, read-only, progress


def test_ingest_requires_same_origin(client):
    files = {"files": ("a.txt", b"hello", "text/plain")}
    assert client.post("/api/ingest", files=files).status_code == 403  # no custom header
    for evil in ({"origin": "https://attacker.example"}, {"sec-fetch-site": "cross-site"}):
        assert client.post("/api/ingest", files=files, headers={**HEADERS, **evil}).status_code == 403
    # the HTML form: a cross-site form post has neither the token nor the origin
    assert client.post("/ingest", files=files).status_code == 403
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/ingest").text).group(1)
    assert client.post("/ingest", files=files, data={"csrf": "forged"}).status_code == 403
    assert client.post("/ingest", files=files, data={"csrf": token},
                       headers={"origin": "http://attacker.example"}).status_code == 403


@pytest.mark.parametrize(("files", "status", "reason"), [
    ([("files", ("evil.exe", b"MZ", "application/octet-stream"))], 400, "not a supported type"),
    ([("files", ("big.txt", b"x" * (MAX_FILE_BYTES + 1), "text/plain"))], 400, "larger than"),
    ([("files", (f"f{i}.txt", b"x", "text/plain")) for i in range(MAX_FILES + 1)], 400, "at most"),
    ([("files", ("huge.txt", b"x" * (MAX_REQUEST_BYTES + 1), "text/plain"))], 413, "larger than"),
])
def test_uploads_are_bounded(site, files, status, reason):
    client, _, db = site
    response = client.post("/api/ingest", files=files, headers=HEADERS)
    assert response.status_code == status and reason in response.json()["detail"]
    uploads = Path(str(db) + ".uploads")
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "../web.db", "javascript:alert(1)",
                                 "http://", "samples/*"])
def test_only_http_urls_are_ingested(client, url):
    response = client.post("/api/ingest", data={"url": url}, headers=HEADERS)
    assert response.status_code == 400 and "only http" in response.json()["detail"]


def test_read_only_disables_ingest(site):
    _, _, db = site
    with TestClient(create_app(str(db), read_only=True)) as ro:
        assert ro.post("/api/ingest", files={"files": ("a.txt", b"x", "text/plain")}, headers=HEADERS).status_code \
            == 403
        assert ro.post("/ingest", data={"csrf": "x"}).status_code == 403
        assert 'name="csrf"' not in ro.get("/ingest").text and 'href="/ingest"' not in ro.get("/").text
        assert ro.get("/api/articles").json()["total"] == 5
    with pytest.raises(FileNotFoundError):
        create_app(str(db) + ".missing", read_only=True)


def test_ingest_upload_runs_with_progress_and_errors(tmp_path):
    from conftest import article_html, lorem_paragraphs

    db = tmp_path / "ingest.db"
    page = article_html("Harbour wall inquiry widens", "2025-03-04", lorem_paragraphs("Rotterdam", 5)).encode()
    with TestClient(create_app(str(db))) as client:
        response = client.post("/api/ingest", headers=HEADERS, files=[
            ("files", ("../../harbour wall.html", page, "text/html")),
            ("files", ("broken.jsonl", b"not json\n", "application/jsonl"))])
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["total"] == 2 and job["inputs"] == ["harbour_wall.html", "broken.jsonl"]
        deadline = time.monotonic() + 60
        while job["state"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            job = client.get(f"/api/ingest/{job['id']}").json()
        assert job["state"] == "done" and job["done"] == 2
        assert job["summary"]["new"] == 1 and job["summary"]["failed"] == 1
        assert [e["source"].rsplit("/", 1)[-1] for e in job["errors"]] == ["01-broken.jsonl"]
        assert not (Path(str(db) + ".uploads") / job["id"]).exists()  # deleted once the job has ended
        assert client.get("/api/articles").json()["items"][0]["title"] == "Harbour wall inquiry widens"
        html = client.get(f"/ingest/{job['id']}").text
        assert "read 1, new 1" in html and "01-broken.jsonl" in html and 'http-equiv="refresh"' not in html
        assert client.get("/api/ingest/0123456789abcdef").status_code == 404


def test_pages_keep_working_while_an_ingest_runs(tmp_path):
    """SQLite WAL: readers go on while the ingest writes (the p95 under load is in benchmarks/bench_web.py)."""
    import json

    lines = [json.dumps({"url": f"https://filler.example/{i}", "title": f"Council {i} votes on the harbour plan",
                         "published": f"2025-04-{1 + i % 28:02d}", "text": " ".join(
                             f"Council {i} in district {i % 37} voted on item {j} of the harbour plan after a debate "
                             f"about costs of {100 + i * 7 + j} million reported by residents of street {i * 3 + j}."
                             for j in range(8))}) for i in range(150)]
    with TestClient(create_app(str(tmp_path / "busy.db"))) as client:
        job = client.post("/api/ingest", headers=HEADERS, files=[
            ("files", ("filler.jsonl", "\n".join(lines).encode(), "application/jsonl"))]).json()
        states = []
        deadline = time.monotonic() + 180
        while job["state"] in ("queued", "running") and time.monotonic() < deadline:
            for path in ("/", "/articles", "/entities", "/api/articles?limit=5", "/api/stories", "/api/search?q=plan"):
                response = client.get(path)
                assert response.status_code == 200, (path, response.text[:300])
            job = client.get(f"/api/ingest/{job['id']}").json()
            states.append(job["state"])
        assert job["state"] == "done" and job["summary"]["new"] == 150, job
        assert "running" in states  # the pages above were served while the ingest wrote
        assert client.get("/api/articles").json()["total"] == 150


def test_ingest_a_pasted_url_from_a_local_server(tmp_path):
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from conftest import article_html, lorem_paragraphs

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    site = tmp_path / "site"
    site.mkdir()
    site.joinpath("dock.html").write_text(article_html("Dock workers vote to end strike", "2025-03-04",
                                                       lorem_paragraphs("Antwerp", 5)))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with TestClient(create_app(str(tmp_path / "url.db"), allow_private_urls=True)) as client:
            url = f"http://127.0.0.1:{httpd.server_address[1]}/dock.html"
            job = client.post("/api/ingest", data={"url": url}, headers=HEADERS).json()
            assert job["inputs"] == [url]
            deadline = time.monotonic() + 60
            while job["state"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.2)
                job = client.get(f"/api/ingest/{job['id']}").json()
            assert job["state"] == "done" and job["summary"]["new"] == 1, job
            assert client.get("/api/articles").json()["items"][0]["url"] == url
    finally:
        httpd.shutdown()


# the OpenAPI schema, fuzzed


def test_openapi_lists_the_api(client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/articles/{article_id}",
            "/api/articles/{article_id}/facts", "/api/entities", "/api/search", "/api/errors", "/api/ingest",
            "/api/ingest/{job_id}"} <= set(schema["paths"])
    assert not any(p for p in schema["paths"] if not p.startswith("/api/"))
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


GET_OPERATIONS = ["/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/articles/{article_id}",
                  "/api/articles/{article_id}/facts", "/api/entities", "/api/search", "/api/errors",
                  "/api/ingest/{job_id}"]


@pytest.mark.parametrize("path", GET_OPERATIONS)
def test_api_conforms_to_its_schema(site, path):
    """Schemathesis: generated requests (25 per operation) get no server error and schema-valid answers."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    schema = schemathesis.openapi.from_asgi("/api/openapi.json", site[0].app).include(method="GET", path=path)
    (operation,) = [result.ok() for result in schema.get_all_operations()]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case) -> None:
        case.call_and_validate()

    check()


# what the pages draw from real-world facts


def test_places_at_one_spot_share_a_pin():
    """A country the gazetteer puts at its capital, and a dateline's capitals, must not overprint the town."""
    from storyline.web.views import story_map

    copenhagen = {"name": "Copenhagen", "lat": 55.676, "lon": 12.566, "country": "Denmark", "kind": "city"}
    facts = {1: {"places": [copenhagen, {"name": "Denmark", "lat": 55.676, "lon": 12.566, "kind": "country"},
                            {"name": "AALBORG", "lat": 57.048, "lon": 9.919, "kind": "city"}]},
             2: {"places": [{"name": "Denmark", "lat": 55.676, "lon": 12.566, "kind": "country"},
                            {"name": "Aalborg", "lat": 57.048, "lon": 9.919, "kind": "city"},
                            {"name": "Nowhere", "lat": None, "lon": None, "kind": "unknown"}]},
             3: {"places": [copenhagen]}}
    pins = {pin.name: pin.count for pin in story_map(facts).pins}
    assert pins == {"Copenhagen, Denmark": 3, "Aalborg": 2}


def test_the_world_outline_does_not_wrap_across_the_map():
    """Russia and Fiji cross the antimeridian: no edge of theirs may run across the whole map."""
    from storyline.web.worldmap import countries, place_map

    def longest_step(path: str) -> float:
        steps = []
        for ring in path.split("M")[1:]:
            lons = [float(p.split(",")[0]) for p in ring.rstrip("Z").split("L")]
            steps.extend(abs(b - a) for a, b in zip(lons, lons[1:], strict=False))
        return max(steps)

    by_name = {c.name: c for c in countries()}
    assert longest_step(by_name["Russia"].path) < 180 and longest_step(by_name["Fiji"].path) < 180
    assert by_name["Russia"].bbox[2] > 180  # Chukotka east of the antimeridian, and drawn again west of it
    shown = {c.name for c in place_map([(["Bergen"], 60.39, 5.32, 1)]).countries}
    assert {"Norway", "Sweden"} <= shown and not {"Russia", "Fiji"} & shown  # only what meets the view
    assert "Fiji" in {c.name for c in place_map([(["Suva"], -18.14, 178.44, 1)]).countries}


def test_numbers_inside_a_quote_are_marked_too():
    from storyline.web.views import highlight

    text = "Police said the death toll rose to 12 on Tuesday, in Bergen.\n\nKari Holmedal spoke later."
    facts = {"quotes": [{"text": "the death toll rose to 12 on Tuesday", "speaker": "police"}],
             "quantities": [{"text": "12", "value": 12.0, "counted": "people"}],
             "times": [{"text": "on Tuesday", "date": "2025-03-04"}],
             "places": [{"name": "Bergen", "country": "Norway"}],
             "entities": [{"name": "Kari Holmedal", "type": "PERSON", "aliases": []}]}
    first, second = ([s for chunk in paragraph for s in chunk.segments] for paragraph in highlight(text, facts))
    quote = next(s for s in first if s.kind == "quote")
    assert [(s.text, s.kind, s.note) for s in quote.inner if s.kind] == [
        ("12", "number", "number: 12 (people)"), ("on Tuesday", "time", "time: 2025-03-04")]
    assert [(s.text, s.kind) for s in first if s.kind] == [("the death toll rose to 12 on Tuesday", "quote"),
                                                           ("Bergen", "place")]
    assert [s.kind for s in second] == ["entity", None]
    assert "".join(s.text for s in first) == text.split("\n\n")[0]


def test_article_sentences_carry_their_index_and_marks_survive_the_cut():
    """Sentences get ids `s-N` (N the analyse stage's index); a quote over two sentences stays marked in both."""
    from storyline.web.views import Sentences, highlight

    text = "Dam fails. \"It was loud. Then dark,\" said Per.\n\nPolice counted 12 dead on Tuesday."
    facts = {"sentences": ["Dam fails.", "\"It was loud.", "Then dark,\" said Per.",
                           "Police counted 12 dead on Tuesday."],
             "quotes": [{"text": "It was loud. Then dark,", "speaker": "Per", "sentence_index": 1}],
             "quantities": [{"text": "12", "value": 12.0, "sentence_index": 3,
                             "sentence": "Police counted 12 dead on Tuesday."}]}
    first, second = highlight(text, facts)
    assert [(c.index, c.anchor) for c in first] == [(0, True), (None, False), (1, True), (None, False), (2, True)]
    assert {c.index for c in first for s in c.segments if s.kind == "quote"} == {1, None, 2}
    assert "".join(s.text for c in first for s in c.segments) == text.split("\n\n")[0]
    assert [c.index for c in second] == [3]
    sentences = Sentences(text, facts)
    assert sentences.index_of("counted 12 dead") == 3 and sentences.index_of("Then   dark") == 2
    assert sentences.index_of("not in the text") is None
    # without the split, the sentences the records quote are found all the same
    assert Sentences(text, {"quantities": facts["quantities"]}).index_of("Police counted 12 dead") == 3


def test_quotes_from_more_articles_come_first_and_lone_variants_are_not_repeated(site):
    from storyline.web.views import quotes

    lone = {"speaker": "A", "text": "Alone.", "article_ids": [1], "variants": [{"text": "Alone.", "article_id": 1}]}
    shared = {"speaker": "B", "text": "Shared.", "article_ids": [1, 2],
              "variants": [{"text": "Shared.", "article_id": 1}, {"text": "Shared, more or less.", "article_id": 2}]}
    shown = quotes({"quotes": [lone, shared]})
    assert [(q["speaker"], q["show_variants"]) for q in shown] == [("B", True), ("A", False)]
    client, _, _ = site
    html = client.get("/stories/1").text
    assert html.count('<ul class="variants">') == 1  # the test story's one quote has two variants


def test_a_local_file_is_named_by_its_file_name_never_its_directories():
    """Issue 13: an article read from a file without a publisher or URL stands for its file name, in the story
    sources (lists, filters, JSON) and on its page; a URL stays as it is."""
    from storyline.story import source_of
    from storyline.web.views import read_from

    article = Article(source="/srv/storyline/db.uploads/0123abcd/003_report.txt", title="t", published=None,
                      published_evidence=None, published_confidence=0.0, publisher=None, url=None, authors=[],
                      credited=[], language="en", text="x", removed=[], captions=[], format="text")
    assert source_of(article) == "003_report.txt"
    assert read_from("/srv/feeds/agency.jsonl#2") == "agency.jsonl#2"
    assert read_from("https://example.org/a.html") == "https://example.org/a.html"
