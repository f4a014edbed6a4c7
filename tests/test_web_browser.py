"""End to end in headless Chromium (Debian `chromium`, driven by Playwright) against `uvicorn` on 127.0.0.1.

Two servers. `server`: the sample corpus (`samples/`) ingested by the test, plus the articles and story objects
of test_web_api (the contract shape of issues 3 and 5), one of them crafted to run script if it could.
`real`: only the sample corpus, its facts analysed by the real analyser and served by the app exactly as
`storyline serve --read-only` builds it; its tests check the pages against `samples/truth.json`.
Screenshots go to the tests' tmp dirs. Run `scripts/ensure-chromium.sh` first; without the browser the tests skip.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from conftest import SAMPLES, article_html, lorem_paragraphs
from test_web_api import EVIL, StaticFacts, StaticStories, build_db, facts_objects, make_app, story_objects

from storyline.pipeline import facts_for, ingest
from storyline.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TRUTH = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-chromium.sh)")


@contextmanager
def serving(app) -> Iterator[str]:
    """`app` under uvicorn on a free loopback port, in a thread; yields the base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The samples plus the test stories; yields the base URL, the test articles' ids and the screenshot dir."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "browser.db"
    with Store(db) as store:
        summary = ingest([str(SAMPLES)], store)
    assert summary.new > 5
    ids = build_db(db)
    with serving(make_app(db, ids, allowed_hosts=["127.0.0.1", "localhost"])) as url:
        yield {"url": url, "ids": ids, "shots": folder}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The sample corpus alone, analysed, served as `storyline serve --read-only` serves it.

    Yields the base URL, the screenshot dir, `ids` (truth.json's article names -> article ids) and
    `story_of` (article id -> the id of the story that holds it).
    """
    from typer.testing import CliRunner

    from storyline.cli import app as cli_app
    from storyline.store import stories as story_store

    folder = tmp_path_factory.mktemp("real")
    db = folder / "samples.db"
    with Store(db) as store:
        ingest([str(SAMPLES)], store)
        articles = store.articles()
        facts_for(store, [a.id for a in articles])  # what `storyline entities` or `storyline story ID` caches
        story_of = {i: row.id for row in story_store.stories(store) for i in row.article_ids}
    ids = {}
    for article in articles:
        name = Path(article.source).resolve().relative_to(SAMPLES.resolve()).as_posix()
        ids[name] = article.id
    captured = {}
    with mock.patch("uvicorn.run", lambda app, **kw: captured.update(app=app, **kw)):
        result = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--read-only"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert captured["host"] == "127.0.0.1"
    with serving(captured["app"]) as url:
        with urllib.request.urlopen(url + "/", timeout=600) as first:  # the story index: compares every story
            assert first.status == 200
        yield {"url": url, "shots": folder, "ids": ids, "story_of": story_of}


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@contextmanager
def open_page(browser, base_url: str, width: int = 1280, height: int = 900):
    """A fresh page that records every request and console error; no request may leave the server's origin."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    try:
        yield page
    finally:
        context.close()
    assert all(url.startswith(base_url + "/") for url in requests), requests
    assert not errors, errors


@pytest.fixture
def page(browser, server):
    with open_page(browser, server["url"]) as page:
        yield page


@pytest.fixture
def real_page(browser, real):
    with open_page(browser, real["url"]) as page:
        yield page


def shoot(page, server, name: str) -> None:
    page.screenshot(path=str(server["shots"] / f"{name}.png"), full_page=True)


def upload_and_wait(page, base: str, path, timeout: int) -> None:
    """Upload one file through the ingest form and wait on its job page until the job is done."""
    page.goto(base + "/ingest")
    page.set_input_files("input[type=file]", str(path))
    page.click("form.ingest button[type=submit]")
    page.wait_for_url(re.compile(r"/ingest/[0-9a-f]{16}$"))
    page.wait_for_selector("#job-state[data-state=done]", timeout=timeout)


def test_list_search_open_story_see_table_timeline_map(page, server):
    page.goto(server["url"] + "/")
    assert page.locator("table#stories tbody tr").count() == 2
    shoot(page, server, "story-list")
    page.fill("input[name=q]", "hydropower")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"q=hydropower"))
    rows = page.locator("table#stories tbody tr")
    assert rows.count() == 1 and "2 contradictions" in rows.first.inner_text()
    page.click("table#stories a")
    page.wait_for_url(re.compile(r"/stories/1$"))
    table = page.locator("table.compare")
    assert table.is_visible() and table.locator("thead th").count() == 5
    conflict = table.locator("tr.conflict").first
    assert "people killed" in conflict.inner_text()
    assert conflict.evaluate("row => getComputedStyle(row).backgroundColor") != "rgba(0, 0, 0, 0)"
    dates = page.locator("ol.timeline time").all_inner_texts()
    assert dates == ["2025-02-28", "2025-03-03", "undated"]
    world = page.locator("svg.map")
    assert world.is_visible() and world.locator(".land path").count() > 3
    assert world.bounding_box()["height"] > 150
    pins = world.locator("g.pin circle")
    assert pins.count() == 3 and all(pins.nth(i).bounding_box()["width"] > 3 for i in range(3))
    assert page.locator("svg.copies path.edge").count() == 1
    assert "similarity 0.82" in page.locator("#quotes").inner_text()
    shoot(page, server, "story")


def test_article_page_and_removed_boilerplate(page, server):
    page.goto(server["url"] + f"/articles/{server['ids'][0]}")
    assert "Kari Holmedal" in page.locator(".text mark.entity").all_inner_texts()
    assert not page.get_by_text("Leave a Reply").count()
    page.click("text=Show the removed boilerplate")
    assert page.get_by_text("Leave a Reply").is_visible()
    shoot(page, server, "article")


def test_no_script_from_article_content_runs(page, server):
    evil = server["ids"][3]
    for path in ("/", "/stories/1", f"/articles/{evil}", f"/articles/{evil}?removed=true", "/entities",
                 "/articles"):
        page.goto(server["url"] + path)
        page.wait_for_load_state("load")
        for element in page.locator("img, svg[onload], iframe").all():
            element.evaluate("e => e.dispatchEvent(new Event('error'))")
        assert page.evaluate("window.__pwned") is None, path
    page.goto(server["url"] + f"/articles/{evil}")
    assert "<script>window.__pwned=1</script>" in page.locator("h1").inner_text()
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href') || '')")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    page.get_by_text("javascript:window.__pwned=1", exact=True).click()  # shown as text: clicking runs nothing
    assert page.evaluate("window.__pwned") is None
    shoot(page, server, "crafted-article")
    # and should escaping ever fail, the Content-Security-Policy forbids inline script
    blocked = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__pwned = 1'; document.head.appendChild(s); return window.__pwned; }""")
    assert blocked is None


def test_upload_a_file_and_follow_progress(page, server, tmp_path):
    upload = tmp_path / "harbour-wall.html"
    upload.write_text(article_html("Harbour wall inquiry widens after storm", "2025-03-05",
                                   lorem_paragraphs("Rotterdam", 5)))
    upload_and_wait(page, server["url"], upload, timeout=60_000)
    assert "new 1" in page.locator("#job-summary").inner_text()
    shoot(page, server, "ingest-done")
    page.goto(server["url"] + "/articles?q=Harbour+wall+inquiry")
    assert page.get_by_text("Harbour wall inquiry widens after storm").count() == 1


# the real sample corpus, analysed by the real analyser; expectations from samples/truth.json

COMPARISON_ROWS = """table => {
  const ids = el => [...el.querySelectorAll('a.cite')].map(
    a => Number(a.getAttribute('href').split('/').pop().split('#')[0]));
  const rows = [];
  const add = (values, id, value) => { (values[id] = values[id] || []).push(value); };
  if (table.classList.contains('grouped')) {
    for (const body of table.tBodies) {
      const row = {attribute: body.rows[0].cells[0].textContent, conflict: body.classList.contains('conflict'),
                   values: {}};
      for (const tr of body.rows) {
        const value = tr.querySelector('.value').textContent;
        for (const id of ids(tr.cells[tr.cells.length - 1])) add(row.values, id, value);
      }
      rows.push(row);
    }
  } else {
    const columns = [...table.tHead.rows[0].cells].slice(1).map(ids);
    for (const tr of table.tBodies[0].rows) {
      const row = {attribute: tr.cells[0].textContent, conflict: tr.classList.contains('conflict'), values: {}};
      [...tr.cells].slice(1).forEach((td, i) => {
        for (const span of td.querySelectorAll('.value')) {
          for (const id of columns[i]) add(row.values, id, span.textContent);
        }
      });
      rows.push(row);
    }
  }
  return rows;
}"""

BACKGROUND = "e => getComputedStyle(e).backgroundColor"
TRANSPARENT = "rgba(0, 0, 0, 0)"


def open_story(page, real, name: str) -> int:
    """Open the story page of the story that holds truth.json's article `name`; returns the story id."""
    story_id = real["story_of"][real["ids"][name]]
    page.goto(f"{real['url']}/stories/{story_id}")
    return story_id


def said(value: object) -> str:
    """A truth.json value as a page shows it: `Tuesday (2025-03-04)` -> `tuesday`, 12 -> `12`."""
    return str(value).split(" (")[0].strip().casefold()


@pytest.mark.parametrize("truth", TRUTH["contradictions"], ids=lambda t: t["attribute"][:40])
def test_real_story_highlights_the_known_contradiction(real_page, real, truth):
    """The comparison table (attribute x source) of the sample story shows truth.json's contradiction
    in a highlighted row: each side's value under a source truth.json gives it for, in its own colour."""
    page = real_page
    files = list(truth["values"])
    story_id = open_story(page, real, files[0])
    assert all(real["story_of"][real["ids"][f]] == story_id for f in files), "the sample story was split"
    table = page.locator("table.compare")
    assert table.is_visible()
    rows = [{**r, "values": {int(k): v for k, v in r["values"].items()}} for r in table.evaluate(COMPARISON_ROWS)]
    assert any(len(r["values"]) >= 2 for r in rows), "no attribute is compared across two sources"
    sides: dict[str, set[int]] = {}
    for file, value in truth["values"].items():
        sides.setdefault(said(value), set()).add(real["ids"][file])
    assert len(sides) >= 2

    def shows(row: dict, value: str, article_ids: set[int]) -> bool:
        return any(re.search(rf"(?<!\w){re.escape(value)}(?!\w)", shown.casefold())
                   for i in article_ids for shown in row["values"].get(i, []))

    matching = [n for n, r in enumerate(rows) if r["conflict"] and all(shows(r, v, ids) for v, ids in sides.items())]
    assert matching, f"no highlighted row gives {sides}: {[r for r in rows if r['conflict']]}"
    n = matching[0]
    if "grouped" in (table.get_attribute("class") or ""):  # one tbody per attribute, one tr per value
        block = table.locator("tbody").nth(n)
        row = block.locator("tr").first
    else:
        block = row = table.locator("tbody tr").nth(n)
    assert row.locator(".badge.conflict").first.is_visible()
    highlighted = row.evaluate(BACKGROUND)
    assert highlighted != TRANSPARENT
    agree = table.locator("tr.agree")
    if agree.count():
        assert agree.first.evaluate(BACKGROUND) != highlighted
    colours = {span.evaluate(BACKGROUND) for span in block.locator(".value").all()}
    assert len(colours) >= 2, "the contradicting values share one colour"
    row.scroll_into_view_if_needed()
    shoot(page, real, f"real-contradiction-{story_id}-{sorted(sides)[0]}")
    evidence = page.locator("ul.evidence").inner_text()
    assert all(value in evidence.casefold() for value in sides)


def story_ids(page) -> list[int]:
    return [int(href.rsplit("/", 1)[1]) for href in page.eval_on_selector_all(
        "table#stories tbody a", "links => links.map(a => a.getAttribute('href'))")]


def test_real_story_list_badges_filters_and_sort(real_page, real):
    page = real_page
    dam, reservoir, ruling = (real["story_of"][real["ids"][files[0]]] for files in TRUTH["stories"])
    page.goto(real["url"] + "/")
    assert {dam, reservoir, ruling} <= set(story_ids(page))
    assert page.locator(".badge.muted", has_text="read-only").is_visible()
    assert not page.locator("header nav a", has_text="Ingest").count()
    row = page.locator("table#stories tbody tr").filter(has=page.locator(f'a[href="/stories/{dam}"]'))
    badges = row.locator("td.badges").inner_text()
    assert "contradiction" in badges  # truth.json: 12 vs 17 dead, Tuesday vs Wednesday
    assert "unsupported headline" in badges  # truth.json: Scandinavia Today's headline
    assert "cop" in badges  # truth.json: the content farm and the syndicated Courier article
    with urllib.request.urlopen(real["url"] + "/api/stories?limit=200", timeout=60) as response:
        summary = next(s for s in json.load(response)["items"] if s["id"] == dam)
    cells = row.locator("td").all_inner_texts()
    assert cells[1:5] == [str(len(summary["article_ids"])), str(len(summary["sources"])),
                          summary["first_published"], summary["last_published"]]
    assert summary["first_published"] == min(TRUTH["published"][f] for f in TRUTH["stories"][0])
    shoot(page, real, "real-story-list")

    def apply(**fields: str) -> list[int]:
        page.goto(real["url"] + "/")
        for name, value in fields.items():
            if name in ("source", "sort"):
                page.select_option(f"select[name={name}]", value)
            else:
                page.fill(f"input[name={name}]", value)
        page.click("form.filters button[type=submit]")
        page.wait_for_url(re.compile(re.escape(next(iter(fields))) + "="))
        return story_ids(page)

    found = apply(q="Kattegat")
    assert ruling in found and dam not in found and reservoir not in found
    assert apply(source="Scandinavia Today") == [dam]
    found = apply(place="Copenhagen")
    assert ruling in found and reservoir not in found
    found = apply(entity="Holmedal")
    assert dam in found and ruling not in found and reservoir not in found
    found = apply(date_from="2025-04-05", date_to="2025-04-30")
    assert reservoir in found and ruling not in found
    assert apply(sort="size")[0] == dam  # eight articles, the largest story
    shoot(page, real, "real-story-list-by-size")


def event_day(label: str) -> str:
    """`... (3 March 2025)` -> `2025-03-03`."""
    from datetime import datetime

    return datetime.strptime(re.search(r"\((\d+ \w+ \d{4})\)$", label).group(1), "%d %B %Y").date().isoformat()


def cited(locator) -> set[int]:
    """Article ids that the citation links inside `locator` point to."""
    return {int(h.rsplit("/", 1)[1].split("#")[0]) for h in locator.locator("a.cite").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")}


@pytest.mark.parametrize("index", range(len(TRUTH["stories"])))
def test_real_summary_and_timeline_with_the_event_date(real_page, real, index):
    page = real_page
    story_id = open_story(page, real, TRUTH["stories"][index][0])
    members = {real["ids"][f] for f in TRUTH["stories"][index]}
    summary = page.locator("ol.summary li")
    assert summary.count() >= 1 and summary.first.is_visible()
    assert all(cited(item) and cited(item) <= members for item in summary.all())  # every sentence cites its source
    entries = page.locator("ol.timeline li")
    assert entries.count() >= 3
    dates = page.locator("ol.timeline time").all_inner_texts()
    iso = [d for d in dates if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d)]
    assert iso == sorted(iso) and iso == dates[:len(iso)]  # by event time, undated last
    day = event_day(TRUTH["story_labels"][index])
    event = entries.filter(has=page.locator("time", has_text=day)).first
    assert event.is_visible() and cited(event) and cited(event) <= members
    event.scroll_into_view_if_needed()
    shoot(page, real, f"real-timeline-{story_id}")


PIN_IN_COUNTRY = """([place, country]) => {
  const svg = document.querySelector('svg.map');
  const pin = [...svg.querySelectorAll('g.pin')].find(
    g => g.querySelector('title').textContent.split(':')[0].split(', ').includes(place));
  const land = [...svg.querySelectorAll('.land path')].find(p => p.querySelector('title').textContent === country);
  if (!pin || !land) return {pin: !!pin, land: !!land};
  const circle = pin.querySelector('circle');
  const c = circle.getBoundingClientRect(), b = land.getBoundingClientRect();
  const x = c.x + c.width / 2, y = c.y + c.height / 2;
  const k = land.parentNode.transform.baseVal.consolidate().matrix.a;  // the land is drawn scaled by (k, 1)
  const cx = circle.cx.baseVal.value / k, cy = circle.cy.baseVal.value;
  const near = [[0, 0], [0.4, 0], [-0.4, 0], [0, 0.4], [0, -0.4]].some(
    ([dx, dy]) => land.isPointInFill(new DOMPoint(cx + dx, cy + dy)));
  return {pin: true, land: true, inBox: b.left <= x && x <= b.right && b.top <= y && y <= b.bottom, near,
          visible: c.width > 3 && c.height > 3};
}"""


@pytest.mark.parametrize(("index", "place", "country"), [
    (0, "Bergen", "Norway"),  # truth.json: the Bergen press conference
    (1, "Spain", "Spain"),  # the fictional village lies in Teruel, Spain: not in the gazetteer, the country is
    (2, "Copenhagen", "Denmark"),  # truth.json: the Copenhagen City Court
])
def test_real_map_puts_a_place_in_its_country(real_page, real, index, place, country):
    page = real_page
    story_id = open_story(page, real, TRUTH["stories"][index][0])
    world = page.locator("svg.map")
    assert world.is_visible() and world.bounding_box()["height"] > 150
    found = world.evaluate("(svg, args) => (" + PIN_IN_COUNTRY + ")(args)", [place, country])
    assert found == {"pin": True, "land": True, "inBox": True, "near": True, "visible": True}, found
    labelled = world.evaluate("""(svg, place) => [...svg.querySelectorAll('.labels text')].some(t =>
      t.getBoundingClientRect().width > 0 && t.querySelector('title').textContent.split(/; |, /).includes(place))""",
                              place)
    assert labelled, f"{place} has no visible label, alone or in a cluster"
    world.scroll_into_view_if_needed()
    shoot(page, real, f"real-map-{story_id}")


@pytest.mark.parametrize("truth", TRUTH["copies"], ids=lambda t: t["kind"])
def test_real_copy_graph_shows_the_known_copy(real_page, real, truth):
    page = real_page
    story_id = open_story(page, real, truth["file"])
    copy, original = real["ids"][truth["file"]], real["ids"][truth["copy_of"]]
    rows = page.locator("#copies table.list tbody tr").all()
    assert any(cited(row.locator("td").nth(0)) == {copy} and cited(row.locator("td").nth(1)) == {original}
               for row in rows), f"{truth['file']} is not shown as a copy of {truth['copy_of']}"
    graph = page.locator("figure.copy-graph")
    assert graph.is_visible() and graph.locator("svg.copies path.edge").count() == len(rows)
    labels = graph.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {f"/articles/{copy}", f"/articles/{original}"} <= set(labels)
    graph.scroll_into_view_if_needed()
    shoot(page, real, f"real-copies-{story_id}")


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


@pytest.mark.parametrize("truth", TRUTH["quote_variants"], ids=lambda t: t["speaker"])
def test_real_quote_variants_show(real_page, real, truth):
    """A quote truth.json gives in several articles shows as one quote with its variants, each cited."""
    page = real_page
    story_id = open_story(page, real, next(iter(truth["values"])))
    wanted = {real["ids"][f]: words(v) for f, v in truth["values"].items()}
    best: set[int] = set()
    for figure in page.locator("#quotes figure.quote").filter(has_text=truth["speaker"]).all():
        shown = set()
        for item in figure.locator("ul.variants li").all():
            cites = {int(h.rsplit("/", 1)[1].split("#")[0]) for h in item.locator("a.cite").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))")}
            shown |= {i for i in cites if i in wanted and wanted[i] in words(item.inner_text())}
        if len(shown) > len(best):
            best, chosen = shown, figure
    assert len(best) >= 2, f"no quote of {truth['speaker']} shows the variants of two articles"
    assert chosen.locator("ul.variants").is_visible()
    chosen.scroll_into_view_if_needed()
    shoot(page, real, f"real-quote-{story_id}-{truth['speaker'].split()[-1]}")


def article_json(real, article_id: int) -> dict:
    with urllib.request.urlopen(f"{real['url']}/api/articles/{article_id}", timeout=60) as response:
        return json.load(response)


@pytest.mark.parametrize(("name", "number"), [
    (file, value) for truth in TRUTH["contradictions"] for file, value in truth["values"].items()
    if isinstance(value, int) and file in ("pages/fjord-herald-ronnevik-toll.txt", "feeds/wire.xml#1",
                                           "pages/baltic-ledger-kattegat-bulk.txt")])
def test_real_article_highlights_facts_found_in_its_text(real_page, real, name, number):
    page = real_page
    article_id = real["ids"][name]
    text = article_json(real, article_id)["text"]
    page.goto(f"{real['url']}/articles/{article_id}")
    marks = page.locator(".text mark")
    found = marks.evaluate_all("marks => marks.map(m => [m.className, m.textContent, m.title])")
    assert len(found) >= 10
    kinds = {kind for kind, _, _ in found}
    assert {"entity", "number", "time", "quote"} <= kinds, kinds
    assert all(mark in text for _, mark, _ in found)
    assert any(kind == "number" and re.search(rf"\bnumber: {number}\b", title) for kind, _, title in found), (
        f"truth.json's {number} is not marked as a number in {name}")
    for variant in TRUTH["name_variants"]:
        if variant["file"] == name:
            assert {m for k, m, _ in found if k == "entity"} & set(variant["variants"])
    assert marks.first.evaluate(BACKGROUND) != TRANSPARENT
    metadata = page.locator("dl.metadata").inner_text()
    assert TRUTH["published"][name] in metadata and "confidence" in metadata  # the date with its evidence
    shoot(page, real, f"real-article-{article_id}")
    removed = article_json(real, article_id)["removed"]
    page.click("text=Show the removed boilerplate")
    if removed:
        assert [line.strip() for line in page.locator("ol.removed li").all_inner_texts()] == [
            line.strip() for line in removed]
    else:  # a feed item: nothing around the text
        assert page.locator("#removed .empty").inner_text() == "Nothing was removed."


def test_real_hostile_sample_renders_as_text(real_page, real):
    """samples/html/oresund-daily-kattegat-ruling.html: markup in the title and body shows as text, runs nothing."""
    page = real_page
    (name,) = TRUTH["hostile"]
    article_id = real["ids"][name]
    for path in (f"/articles/{article_id}", f"/articles/{article_id}?removed=true",
                 f"/stories/{real['story_of'][article_id]}"):
        page.goto(real["url"] + path)
        page.wait_for_load_state("load")
    page.goto(f"{real['url']}/articles/{article_id}")
    assert page.locator("h1").inner_text() == TRUTH["titles"][name]  # `<b>` in literal angle brackets
    assert "<script>" in page.locator(".text").inner_text()
    assert not page.locator(".text script, .text img, .text b").count()
    shoot(page, real, "real-hostile-article")


# issue 13: a writable server over the analysed sample corpus, as `storyline serve` runs it

DAM_UPDATE = [
    "The death toll from the Lindvatn dam failure above Rønnevik rose to 12 on Tuesday, police in Vestland said, "
    "and two people are still missing after the flood wave swept through the village on Monday.",
    "Incident commander Kari Holmedal told reporters in Rønnevik that search teams with dogs were working along "
    "the riverbank and the shore of the fjord.",
    "Vestkraft Energi, which owns the dam, said its chief executive Tormod Lieng would meet families in Rønnevik "
    "on Wednesday. About 300 people were evacuated from Rønnevik and Lia after the dam gave way.",
    "Mayor Jorunn Vatle said the village needed answers about the seepage found at the dam last autumn.",
]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The sample corpus, analysed, served writable with the stored facts (as `storyline serve` does)."""
    from storyline.store import stories as story_store
    from storyline.web import create_app
    from storyline.web.data import StoredFacts

    folder = tmp_path_factory.mktemp("live")
    db = folder / "live.db"
    with Store(db) as store:
        ingest([str(SAMPLES)], store)
        articles = store.articles()
        facts_for(store, [a.id for a in articles])
        story_of = {i: row.id for row in story_store.stories(store) for i in row.article_ids}
    ids = {Path(a.source).resolve().relative_to(SAMPLES.resolve()).as_posix(): a.id for a in articles}
    app = create_app(str(db), facts=StoredFacts(), allowed_hosts=["127.0.0.1", "localhost"])
    with serving(app) as url:
        with urllib.request.urlopen(url + "/", timeout=600) as first:
            assert first.status == 200
        yield {"url": url, "shots": folder, "ids": ids, "story_of": story_of, "db": db}


@pytest.fixture
def live_page(browser, live):
    with open_page(browser, live["url"]) as page:
        yield page


def test_web_upload_keeps_the_story_compared_and_links_to_it(live_page, live, tmp_path):
    """An upload that joins the dam story: the job analyses it, ends with a link to the story, and the story
    page and list show the new article at once, with the comparison still there."""
    page = live_page
    dam = live["story_of"][live["ids"]["pages/vestland-courier-dam-breach.txt"]]
    page.goto(f"{live['url']}/stories/{dam}")
    assert page.locator("table.compare").is_visible()
    before = page.locator("#sources ol.sources > li").count()
    page.goto(live["url"] + "/")  # cached pages of the state before the upload
    upload = tmp_path / "dam-update.html"
    upload.write_text(article_html("Lindvatn dam toll rises to 12 as Rønnevik search goes on", "2025-03-04",
                                   DAM_UPDATE), encoding="utf-8")
    upload_and_wait(page, live["url"], upload, timeout=300_000)
    assert "new 1" in page.locator("#job-summary").inner_text()
    links = page.locator("#job-stories a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert f"/stories/{dam}" in links, links
    shoot(page, live, "live-job-done")
    page.goto(live["url"] + "/")  # no stale list: the story has its new article right away
    row = page.locator("table#stories tbody tr").filter(has=page.locator(f'a[href="/stories/{dam}"]'))
    assert row.locator("td").nth(1).inner_text() == str(before + 1)
    page.goto(f"{live['url']}/stories/{dam}")
    assert not page.locator("#not-compared").count()
    assert page.locator("table.compare").is_visible()
    assert page.locator("#sources ol.sources > li").count() == before + 1
    assert page.locator("#sources").get_by_text("Lindvatn dam toll rises to 12").count() == 1
    shoot(page, live, "live-story-after-upload")


def test_real_claims_link_to_their_sentence_which_is_highlighted(real_page, real):
    """Summary, contradictions, table values, quotes and the timeline cite `/articles/ID#s-N`; following a link
    shows that sentence highlighted (CSS :target) in the article."""
    page = real_page
    open_story(page, real, "pages/vestland-courier-dam-breach.txt")
    anchored = re.compile(r"^/articles/\d+#s-\d+$")

    def hrefs(selector: str) -> list[str]:
        return page.locator(selector).evaluate_all("links => links.map(a => a.getAttribute('href'))")

    for section in ("ol.summary", "ul.evidence", "#quotes", "ol.timeline"):
        links = hrefs(f"{section} a.cite")
        assert links and any(anchored.match(h) for h in links), (section, links)
    assert any(anchored.match(h) for h in hrefs("table.compare a.value"))
    item = page.locator("ul.evidence li li").filter(has=page.locator("a.cite[href*='#s-']")).first
    sentence = re.search(r"“(.*)”", item.inner_text(), re.S).group(1)
    item.locator("a.cite[href*='#s-']").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+#s-\d+$"))
    target = page.locator(".text .sentence:target")
    assert target.count() == 1
    assert words(sentence[:60]) in words(target.inner_text())
    assert target.evaluate(BACKGROUND) != TRANSPARENT
    assert page.locator(".text .sentence").first.evaluate(BACKGROUND) in (TRANSPARENT, target.evaluate(BACKGROUND))
    shoot(page, real, "real-sentence-target")


def test_real_flags_show_wherever_the_article_or_its_story_is_shown(real_page, real):
    """truth.json's false date (the content-farm repost): flagged with the reason in the story list, the story
    header, the Articles list and the article page, where its relative times are not resolved against it."""
    page = real_page
    (name,) = TRUTH["false_dates"]
    article_id = real["ids"][name]
    story_id = real["story_of"][article_id]
    page.goto(real["url"] + "/")
    row = page.locator("table#stories tbody tr").filter(has=page.locator(f'a[href="/stories/{story_id}"]'))
    assert row.locator(".flag-date").is_visible() and row.locator(".flag-farm").is_visible()
    page.goto(f"{real['url']}/stories/{story_id}")
    warnings = page.locator("#warnings")
    assert warnings.is_visible()
    item = warnings.locator("li").filter(has=page.locator(".flag-date"))
    assert cited(item) == {article_id} and "claimed" in item.locator(".reason").inner_text()
    assert warnings.locator(".flag-farm").count() >= 1 and warnings.locator(".flag-copy").count() >= 1
    page.goto(real["url"] + "/articles?q=" + urllib.parse.quote(TRUTH["titles"][name]))
    row = page.locator("table#articles tbody tr").filter(has=page.locator(f'a[href="/articles/{article_id}"]'))
    assert row.locator(".flag-date").is_visible() and "claimed" in row.inner_text()
    page.goto(f"{real['url']}/articles/{article_id}")
    flags = page.locator("#flags")
    assert flags.locator(".flag-date").is_visible() and "claimed" in flags.inner_text()
    assert flags.locator(".flag-copy").is_visible() and flags.locator(".flag-farm").is_visible()
    original = real["ids"][TRUTH["false_dates"][name]["original"]]
    assert flags.locator(f'a[href="/articles/{original}"]').count() == 1
    assert page.locator("#times-unresolved").is_visible()
    times = page.locator(".text mark.time").evaluate_all("marks => marks.map(m => [m.textContent, m.title])")
    relative = [(t, title) for t, title in times if not re.search(r"\b\d{4}\b", t)]
    assert relative and not [title for _, title in relative if re.search(r"\d{4}-\d{2}", title)], relative
    shoot(page, real, "real-flagged-article")


@pytest.mark.parametrize("width", [390, 360])
def test_real_pages_fit_a_phone(browser, real, width):
    """At phone widths no page scrolls sideways: the menu wraps (its last link on screen), tables stack."""
    story_ids = sorted(set(real["story_of"].values()))
    article_ids = sorted(real["ids"].values())
    paths = ["/", "/?sort=size", "/articles", "/entities", "/errors", "/ingest", "/api/docs",
             *(f"/stories/{i}" for i in story_ids), *(f"/articles/{i}" for i in article_ids),
             f"/articles/{article_ids[0]}?removed=true"]
    with open_page(browser, real["url"], width=width, height=844) as page:
        wide = {}
        for path in paths:
            page.goto(real["url"] + path)
            page.wait_for_load_state("load")
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            if scroll > inner:
                wide[path] = scroll
            if path == "/":
                last = page.locator("header.top nav a").last.bounding_box()
                assert last["x"] + last["width"] <= inner, last
        assert not wide, f"wider than {width} px: {wide}"
        if width == 390:
            dam = real["story_of"][real["ids"]["pages/vestland-courier-dam-breach.txt"]]
            for path, name in [("/", "phone-story-list"), (f"/stories/{dam}", "phone-story"),
                               (f"/articles/{real['ids']['pages/dailytrendpulse-norway-dam.txt']}", "phone-article"),
                               ("/articles", "phone-articles")]:
                page.goto(real["url"] + path)
                shoot(page, real, name)
            page.goto(f"{real['url']}/stories/{dam}")
            for section in ("#warnings", "table.compare", "#quotes", "#map", "#copies"):
                page.locator(section).first.scroll_into_view_if_needed()
                page.screenshot(path=str(real["shots"] / f"phone-story-{section.strip('#.')}.png"))


def test_real_story_page_independent_sources_originals_export_and_api_docs(real_page, real):
    page = real_page
    story_id = open_story(page, real, "pages/vestland-courier-dam-breach.txt")
    with urllib.request.urlopen(f"{real['url']}/api/stories/{story_id}", timeout=60) as response:
        detail = json.load(response)
    assert page.locator("#independent").inner_text() == f"{detail['independent_sources']} independent"
    originals = page.locator("#sources a.original")
    assert originals.count() >= 1
    for link in originals.all():
        assert link.get_attribute("rel") == "noopener noreferrer nofollow"
        assert link.get_attribute("href").startswith(("http://", "https://"))
    for fmt, check in [("json", lambda body: json.loads(body) == detail),
                       ("md", lambda body: body.startswith(f"# Story {story_id}:")),
                       ("html", lambda body: "<!doctype html>" in body.lower() and "<script" not in body.lower())]:
        href = page.locator(f"#export a[href$='report.{fmt}']").get_attribute("href")
        with urllib.request.urlopen(real["url"] + href, timeout=120) as response:
            assert "attachment" in response.headers["content-disposition"]
            assert check(response.read().decode("utf-8")), fmt
    page.click("header nav a:text('API')")
    page.wait_for_url(re.compile(r"/api/docs$"))
    paths = page.locator("#api-paths tbody tr td:nth-child(2)").all_inner_texts()
    assert "/api/stories" in paths and "/api/stories/{story_id}" in paths
    shoot(page, real, "api-docs")


# issue 13: a legible map, the copy graph on a phone, no local paths

# the Niamey story's places (seeds): West Africa crowded, the rest of the world far apart
CROWDED = [("Niamey", 13.51, 2.11, "city"), ("Niger", 13.51, 2.11, "country"),
           ("Air Base 101", 13.51, 2.11, "facility"),
           ("Bamako", 12.61, -7.98, "city"), ("Ouagadougou", 12.37, -1.53, "city"), ("Conakry", 9.54, -13.68, "city"),
           ("N'Djamena", 12.11, 15.04, "city"), ("Agadez", 16.97, 7.99, "city"), ("Moscow", 55.75, 37.62, "city"),
           ("Kyiv", 50.45, 30.52, "city"), ("Paris", 48.85, 2.35, "city"), ("Washington", 38.90, -77.04, "city"),
           ("Honolulu", 21.31, -157.86, "city"), ("Tripoli", 32.89, 13.19, "city"), ("Benghazi", 32.12, 20.07, "city"),
           (f"Place {EVIL}", 14.0, 3.0, "city")]

LABELS = """() => [...document.querySelectorAll('svg.map .labels text')]
  .filter(t => getComputedStyle(t.parentNode).display !== 'none')
  .map(t => { const b = t.getBoundingClientRect();
    return {text: [...t.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join(''),
            l: b.left, t: b.top, r: b.right, b: b.bottom,
            px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().d}; })"""


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """The test stories, the dam story's first article naming the CROWDED places."""
    from storyline.web import create_app

    folder = tmp_path_factory.mktemp("crowded")
    ids = build_db(folder / "crowded.db")
    facts = facts_objects(ids)
    facts[ids[0]] = {**facts[ids[0]], "places": [{"name": n, "lat": lat, "lon": lon, "country": None, "kind": kind}
                                                for n, lat, lon, kind in CROWDED]}
    app = create_app(str(folder / "crowded.db"), stories=StaticStories(story_objects(ids)), facts=StaticFacts(facts),
                     allowed_hosts=["127.0.0.1", "localhost"])
    with serving(app) as url:
        yield {"url": url, "shots": folder}


@pytest.mark.parametrize("width", [360, 390, 600, 1280])
def test_map_labels_are_legible_clustered_and_never_overlap(browser, crowded, width):
    """Labels 9-16 px at every width, none overlapping another or leaving the map; close pins share one label
    ("Niamey +3"); the list under the map names every place (escaped); the map fits the screen."""
    with open_page(browser, crowded["url"], width=width, height=900) as page:
        page.goto(crowded["url"] + "/stories/1")
        svg = page.locator("svg.map")
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        assert box["x"] + box["width"] <= page.evaluate("innerWidth")
        labels = page.evaluate(LABELS)
        assert len(labels) >= 4, labels
        assert all(9 <= label["px"] <= 16 for label in labels), [(x["text"], x["px"]) for x in labels]
        for label in labels:
            assert box["x"] - 0.5 <= label["l"] and label["r"] <= box["x"] + box["width"] + 0.5, label
            assert box["y"] - 0.5 <= label["t"] and label["b"] <= box["y"] + box["height"] + 0.5, label
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not (a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5
                            and b["t"] < a["b"] - 0.5), (a, b)
        assert any(re.search(r" \+\d+$", label["text"]) for label in labels)  # West Africa clustered
        listed = page.locator("ul.places li").all_inner_texts()
        for name, *_ in CROWDED:
            assert any(name in item for item in listed), name
        assert not page.evaluate("window.__pwned")
        page.screenshot(path=str(crowded["shots"] / f"map-{width}.png"), clip=box)


@pytest.mark.parametrize("width", [360, 390])
def test_real_copy_graph_fits_a_phone(browser, real, width):
    """The copy graph fits the screen; each article's row is legible (13 px, cut with an ellipsis) and lines up
    with its node."""
    dam = real["story_of"][real["ids"]["pages/vestland-courier-dam-breach.txt"]]
    with open_page(browser, real["url"], width=width, height=844) as page:
        page.goto(f"{real['url']}/stories/{dam}")
        graph = page.locator("figure.copy-graph")
        graph.scroll_into_view_if_needed()
        box = graph.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.evaluate("innerWidth")
        rows = graph.locator("ol.copy-nodes li").all()
        nodes = graph.locator("circle.node").all()
        assert len(rows) == len(nodes) >= 2
        for row, node in zip(rows, nodes, strict=True):
            r, n = row.bounding_box(), node.bounding_box()
            assert r["x"] + r["width"] <= box["x"] + box["width"] + 0.5
            assert abs((r["y"] + r["height"] / 2) - (n["y"] + n["height"] / 2)) < 3
            assert float(row.evaluate("li => getComputedStyle(li).fontSize").removesuffix("px")) >= 12
        page.screenshot(path=str(real["shots"] / f"phone-copies-{width}.png"), clip=box)


def test_real_pages_show_no_local_path(real_page, real):
    """An article read from a file shows its publisher, else its file name: never the server's directories."""
    page = real_page
    folder = str(SAMPLES.resolve())
    name = "pages/vestland-courier-dam-breach.txt"
    article_id = real["ids"][name]
    paths = ["/", "/articles", f"/stories/{real['story_of'][article_id]}",
             *(f"/articles/{i}" for i in real["ids"].values())]
    for path in paths:
        page.goto(real["url"] + path)
        assert folder not in page.content(), path
    page.goto(f"{real['url']}/articles/{article_id}")
    assert page.locator("#read-from").inner_text() == "(vestland-courier-dam-breach.txt)"
