"""Web app under load, on loopback: page latency while an ingest runs, story page time, API throughput.

Builds a database from `samples/` plus 50 near-copies of one report (they form one story of 50+ articles
with the sample reports of the same event), then for a server with the page cache on (the default) and
one with it off, each `uvicorn` in a child process on 127.0.0.1, measures with bounded Python client loops:

1. Load time of the story page of that story (server time for the whole HTML, sequential), as a ratio to a
   static file fetched in the same run.
2. Throughput (requests/s) of GET /api/stories with 20 clients, as a ratio to the static file.
3. p50/p95 latency with 20 concurrent clients cycling over the story list, every story page, half of the
   article pages and two API lists, first idle and then while an ingest (1,500 articles uploaded through
   the API) runs; target p95 < 300 ms.

The story stage gives the copies; the comparison fields (issue 5) are filled in with synthetic values of
realistic size where the compare stage has not run, so the page renders everything it can show. With
`--analysed` every article is analysed first and the server is the app exactly as `storyline serve` builds
it (stored stories, real comparison, stored facts): the first view of each story then pays for the compare
stage, later views while its inputs are unchanged do not.

    python benchmarks/bench_web.py [--clients 20] [--requests 40] [--seconds 60] [--analysed]
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EVENT = [
    "Nine people have been confirmed dead and 11 are still missing after the Lindvatn dam collapsed early on "
    "Monday, sending a wall of water, rocks and uprooted trees down the Ronne valley into Ronnevik.",
    "Police gave the new figures at a briefing in the village school. Incident commander Kari Holmedal said the "
    "search would continue through the night with floodlights.",
    "About 300 people have been evacuated from Ronnevik and from Lia, the cluster of farms halfway up the valley, "
    "and the county opened the sports hall in Nordvik as a shelter.",
    '"We are still searching every house along the lower road," Holmedal told reporters, adding that divers '
    "from the fire service would search the harbour once the water had calmed.",
    "Inspectors from the water resources directorate had flagged seepage at the foot of the dam last autumn, "
    "according to a report seen by local media. The owner said repairs had been planned for the summer.",
    "The earth-and-rock dam, built in 1962, held back a reservoir of about four million cubic metres above the "
    "village. Three days of torrential rain from storm Hedda had raised the water to its highest level in years.",
]
TOPICS = ["harbour", "railway", "bridge", "school", "hospital", "airport", "tunnel", "ferry", "museum", "stadium"]


def story_pages(folder: Path, n: int) -> None:
    """`n` near-copies of one report under different outlets: one story with copies."""
    for i in range(n):
        paragraphs = list(EVENT)
        paragraphs[i % len(paragraphs)] += f" Outlet {i} added that more details would follow on day {i % 7}."
        if i % 3 == 0:
            paragraphs[0] = paragraphs[0].replace("Nine people", "At least seven people")
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        folder.joinpath(f"dam-{i:02d}.html").write_text(
            f'<html><head><title>Dam collapse above Ronnevik, report {i}</title>'
            f'<meta property="og:site_name" content="Outlet {i} News">'
            f'<meta property="article:published_time" content="2025-03-{3 + i % 5:02d}T08:00:00+00:00"></head>'
            f"<body><article><h1>Dam collapse above Ronnevik, report {i}</h1>{body}</article></body></html>",
            encoding="utf-8")


def filler_jsonl(path: Path, n: int) -> None:
    """`n` distinct short articles for the ingest that runs during the load test."""
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            topic = TOPICS[i % len(TOPICS)]
            text = " ".join(
                f"Council {i} in district {i % 37} voted on the {topic} plan, item {j}, after a debate about "
                f"costs of {100 + i * 7 + j} million and the delays reported by residents of street {i * 3 + j}."
                for j in range(8))
            out.write(json.dumps({"url": f"https://filler.example/{i}", "title": f"Council {i} votes on {topic}",
                                  "published": f"2025-04-{1 + i % 28:02d}", "text": text}) + "\n")


class Comparison:
    """The stored stories, with synthetic comparison fields of realistic size where compare has not run."""

    def __init__(self) -> None:
        from storyline.web.data import StoreStories

        self.inner = StoreStories()

    def stories(self, store):
        return self.inner.stories(store)

    def story(self, store, story_id: int) -> dict[str, Any] | None:
        story = self.inner.story(store, story_id)
        if story is None or "contradictions" in story:
            return story
        ids = story["article_ids"]
        pick = [ids[i % len(ids)] for i in range(12)]
        story.update(
            contradictions=[{"attribute": f"attribute {k}", "values": [
                {"value": str(v), "article_ids": ids[v::3], "evidence": [f"Sentence {v} about attribute {k}."]}
                for v in range(3)]} for k in range(8)],
            agreements=[{"attribute": f"agreed {k}", "value": f"value {k}", "article_ids": ids[::2]}
                        for k in range(8)],
            single_source=[{"claim": f"Claim {k} only one outlet makes.", "article_id": a} for k, a in
                           enumerate(pick)],
            quotes=[{"speaker": "Kari Holmedal", "text": f"Quote {k}", "article_ids": ids[:10],
                     "variants": [{"text": f"Variant {k}.{v}", "article_id": a, "similarity": 0.8}
                                  for v, a in enumerate(ids[:8])]} for k in range(4)],
            headlines=[{"article_id": a, "headline": f"Headline {a}", "supported": a % 9 != 0, "reason": "r"}
                       for a in ids],
            timeline=[{"date": f"2025-03-{1 + k:02d}", "text": f"Event {k}", "article_ids": pick[:3]}
                      for k in range(15)],
            summary=[{"sentence": EVENT[k], "article_id": ids[k]} for k in range(min(5, len(ids)))])
        return story


class Places:
    """A few places with coordinates per article, so the story page draws its map."""

    def facts(self, store, article_id: int) -> dict[str, Any]:
        return {"entities": [{"name": "Kari Holmedal", "type": "PERSON", "aliases": [], "mentions": 1}],
                "places": [{"name": "Ronnevik", "lat": 61.1, "lon": 5.45, "country": "NO", "kind": "city"},
                           {"name": "Bergen", "lat": 60.39, "lon": 5.32, "country": "NO", "kind": "city"},
                           {"name": "Oslo", "lat": 59.91, "lon": 10.75, "country": "NO", "kind": "city"}],
                "quantities": [], "quotes": [], "times": [], "events": []}


def serve(db: str, port: int, page_cache: bool, analysed: bool) -> None:
    """Child process: the app over `db` on 127.0.0.1:`port`."""
    import uvicorn

    from storyline.web import create_app
    from storyline.web.data import StoredFacts

    app = (create_app(db, facts=StoredFacts(), page_cache=page_cache) if analysed
           else create_app(db, stories=Comparison(), facts=Places(), page_cache=page_cache))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def build(workdir: Path, story_size: int, analysed: bool = False) -> tuple[str, int, list[int], list[int]]:
    """The benchmark database; returns its path, the big story's id, all story ids and all article ids."""
    from storyline.cluster.assign import assign_new_articles
    from storyline.pipeline import facts_for, ingest
    from storyline.store import Store
    from storyline.web.data import StoreStories

    pages = workdir / "story"
    pages.mkdir()
    story_pages(pages, story_size)
    db = str(workdir / "bench.db")
    with Store(db) as store:
        ingest([str(REPO / "samples"), str(pages)], store)
        assign_new_articles(store)
        if analysed:
            started = time.perf_counter()
            ids = [article.id for article in store.articles()]
            facts_for(store, ids)
            print(f"analysed {len(ids)} articles in {time.perf_counter() - started:.0f} s")
        stories = StoreStories().stories(store)
    big = max(stories, key=lambda s: len(s["article_ids"]))
    print(f"database: {sum(len(s['article_ids']) for s in stories)} articles in {len(stories)} stories; "
          f"largest story {big['id']} has {len(big['article_ids'])} articles")
    return db, big["id"], [st["id"] for st in stories], sorted(a for st in stories for a in st["article_ids"])


def load(base: str, paths: list[str], clients: int, per_client: int, seconds: float) -> dict[str, Any]:
    """`clients` threads each GET `paths` in turn (keep-alive), `per_client` times at most, for `seconds` at most."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    host, port = base.removeprefix("http://").split(":")

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        for i in range(per_client):
            if time.monotonic() > stop:
                break
            path = paths[(offset * 7 + i) % len(paths)]
            start = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    failures.append(f"{response.status} {path}")
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(ordered), "failures": len(failures), "wall_s": wall, "rps": len(ordered) / wall,
            "p50_ms": 1000 * statistics.median(ordered), "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))]}


def sequential(base: str, path: str, n: int) -> float:
    """Median ms of `n` sequential GETs of `path` (after one warm-up)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    times = []
    for i in range(n + 1):
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, (response.status, path)
        if i:
            times.append(time.perf_counter() - start)
    connection.close()
    return 1000 * statistics.median(times)


def start_ingest(base: str, jsonl: Path) -> str:
    import httpx

    with open(jsonl, "rb") as data:
        response = httpx.post(base + "/api/ingest", headers={"X-Storyline-Client": "bench"},
                              files={"files": (jsonl.name, data, "application/jsonl")}, timeout=30)
    response.raise_for_status()
    return response.json()["id"]


def job_state(base: str, job: str) -> dict[str, Any]:
    import httpx

    return httpx.get(f"{base}/api/ingest/{job}", timeout=30).json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40, help="requests per client and phase (bounded)")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per load phase")
    parser.add_argument("--story-size", type=int, default=50)
    parser.add_argument("--ingest-articles", type=int, default=1500, help="articles in the ingest run under load")
    parser.add_argument("--analysed", action="store_true",
                        help="analyse every article and serve as `storyline serve` does (real comparison)")
    parser.add_argument("--serve", nargs=4, metavar=("DB", "PORT", "CACHE", "FACTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), args.serve[2] == "cache", args.serve[3] == "analysed")
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        db, story_id, story_ids, article_ids = build(workdir, args.story_size, args.analysed)
        filler_jsonl(workdir / "ingest.jsonl", args.ingest_articles)
        print(f"built in {time.perf_counter() - started:.0f} s")
        pages = (["/", "/?sort=size", "/api/stories", "/api/articles?limit=20", "/articles"]
                 + [f"/stories/{i}" for i in story_ids] + [f"/articles/{i}" for i in article_ids[::2]])
        for cache in ("cache", "no-cache"):
            copy = workdir / f"{cache}.db"
            shutil.copy(db, copy)
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen([sys.executable, __file__, "--serve", str(copy), str(port), cache,
                                       "analysed" if args.analysed else "synthetic"])
            try:
                print(f"--- server with page cache {'on' if cache == 'cache' else 'off'}")
                run(base, story_id, pages, workdir, args)
            finally:
                server.terminate()
                server.wait(timeout=60)


def run(base: str, story_id: int, pages: list[str], workdir: Path, args: argparse.Namespace) -> None:
    """The three measurements against one server."""
    import httpx

    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/static/style.css", timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    started = time.perf_counter()
    httpx.get(base + "/", timeout=1800).raise_for_status()
    print(f"first page after start (builds the story index{', comparing every story' if args.analysed else ''}): "
          f"{time.perf_counter() - started:.1f} s")
    static = "/static/style.css"
    story_ms = sequential(base, f"/stories/{story_id}", 20)
    static_ms = sequential(base, static, 20)
    size = len(httpx.get(f"{base}/stories/{story_id}").content)
    print(f"story page ({len(httpx.get(f'{base}/api/stories/{story_id}').json()['article_ids'])}-article story, "
          f"{size / 1024:.0f} KiB HTML): median {story_ms:.1f} ms, "
          f"{story_ms / static_ms:.1f}x a static file ({static_ms:.1f} ms)")

    api = load(base, ["/api/stories"], args.clients, args.requests * 2, args.seconds)
    base_rps = load(base, [static], args.clients, args.requests * 2, args.seconds)
    print(f"API story list: {api['rps']:.0f} req/s with {args.clients} clients "
          f"({api['rps'] / base_rps['rps']:.2f}x the static file's {base_rps['rps']:.0f} req/s), "
          f"p95 {api['p95_ms']:.0f} ms, failures {api['failures']}")

    idle = load(base, pages, args.clients, args.requests, args.seconds)
    print(f"pages ({len(pages)} URLs), idle: {idle['requests']} requests, p50 {idle['p50_ms']:.0f} ms, "
          f"p95 {idle['p95_ms']:.0f} ms, {idle['rps']:.0f} req/s, failures {idle['failures']}")

    job = start_ingest(base, workdir / "ingest.jsonl")
    while job_state(base, job)["state"] == "queued":
        time.sleep(0.05)
    busy = load(base, pages, args.clients, args.requests, args.seconds)
    state = job_state(base, job)
    overlap = "ran throughout" if state["state"] == "running" else f"ended during the load ({state['state']})"
    print(f"pages, ingesting: {busy['requests']} requests, p50 {busy['p50_ms']:.0f} ms, "
          f"p95 {busy['p95_ms']:.0f} ms, {busy['rps']:.0f} req/s, failures {busy['failures']}; ingest {overlap}")
    verdict = "OK" if busy["p95_ms"] < 300 and not busy["failures"] else "ABOVE TARGET"
    print(f"p95 while ingesting / idle: {busy['p95_ms'] / idle['p95_ms']:.2f}x; target p95 < 300 ms: {verdict}")


if __name__ == "__main__":
    main()
