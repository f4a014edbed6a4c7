"""End to end in headless Chromium (Debian `chromium`, driven by Playwright) against `uvicorn` on 127.0.0.1.

The database holds the sample corpus (`samples/`), ingested by the test, plus the articles and story objects
of test_web_api (the contract shape of issues 3 and 5), one of them crafted to run script if it could.
Screenshots go to the test's tmp dir. Run `scripts/ensure-chromium.sh` first; without the browser the tests skip.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import SAMPLES, article_html, lorem_paragraphs
from test_web_api import build_db, make_app

from storyline.pipeline import ingest
from storyline.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (scripts/ensure-chromium.sh)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """uvicorn on a free loopback port, serving the samples and the test stories; yields the base URL."""
    import uvicorn

    folder = tmp_path_factory.mktemp("browser")
    db = folder / "browser.db"
    with Store(db) as store:
        summary = ingest([str(SAMPLES)], store)
    assert summary.new > 5
    ids = build_db(db)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = make_app(db, ids, allowed_hosts=["127.0.0.1", "localhost"])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield {"url": f"http://127.0.0.1:{port}", "ids": ids, "shots": folder}
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records every request and console error; no request may leave the server's origin."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert all(url.startswith(server["url"] + "/") for url in requests), requests
    assert not errors, errors


def shoot(page, server, name: str) -> None:
    page.screenshot(path=str(server["shots"] / f"{name}.png"), full_page=True)


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
    page.goto(server["url"] + "/ingest")
    page.set_input_files("input[type=file]", str(upload))
    page.click("form.ingest button[type=submit]")
    page.wait_for_url(re.compile(r"/ingest/[0-9a-f]{16}$"))
    page.wait_for_selector("#job-state[data-state=done]", timeout=60_000)
    assert "new 1" in page.locator("#job-summary").inner_text()
    shoot(page, server, "ingest-done")
    page.goto(server["url"] + "/articles?q=Harbour+wall+inquiry")
    assert page.get_by_text("Harbour wall inquiry widens after storm").count() == 1
