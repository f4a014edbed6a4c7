"""Server-rendered HTML pages (Jinja2, autoescaped): story list, story, articles, article, entities, ingest."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from storyline.report import layout
from storyline.web import views
from storyline.web.api import Date, Offset, Text, check_ingest_token, same_origin, submit
from storyline.web.data import Catalog, StoryQuery, article_flags, badges
from storyline.web.ingest import JOB_ID, MAX_FILE_BYTES, MAX_FILES, UPLOAD_TYPES

router = APIRouter(include_in_schema=False)
PAGE = 25
_env = Environment(loader=FileSystemLoader([FilePath(__file__).with_name("templates"),
                                           FilePath(layout.__file__).with_name("templates")]),  # comparison.html
                   autoescape=True, trim_blocks=True, lstrip_blocks=True)
_env.globals.update(safe_href=layout.safe_href, source_label=layout.source_label, read_from=views.read_from)
templates = Jinja2Templates(env=_env)


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("title", "Storyline")
    return templates.TemplateResponse(request, name, {"read_only": request.app.state.read_only,
                                                      "has_stories": _cat(request).has_stories, **context},
                                      status_code=status_code)


def error_page(request: Request, status_code: int, detail: str) -> HTMLResponse:
    return render(request, "error.html", status_code, title=f"Error {status_code}", status=status_code,
                  detail=detail)


def cached(request: Request, build: Callable[[], HTMLResponse]) -> Response:
    """The page from the page cache, or built, rendered and cached (when the app has a cache)."""
    cache = request.app.state.page_cache
    if cache is None:
        return build()
    key = f"{request.url.path}?{request.url.query}"
    body = cache.get(key)
    if body is not None:
        return HTMLResponse(body)
    stamp = cache.stamp()
    response = build()
    if response.status_code == 200:
        cache.put(key, stamp, bytes(response.body))
    return response


def _cat(request: Request) -> Catalog:
    return request.app.state.catalog


def _link(path: str, params: dict[str, object]) -> str:
    """`path` with the non-empty `params` as its query string."""
    query = urlencode({k: v for k, v in params.items() if v not in ("", None, 0)})
    return path + ("?" + query if query else "")


def _pager(path: str, params: dict[str, object], offset: int, total: int, size: int = PAGE) -> dict:
    return {"offset": offset, "total": total, "shown": min(total - offset, size),
            "prev": _link(path, {**params, "offset": max(offset - size, 0)}) if offset > 0 else None,
            "next": _link(path, {**params, "offset": offset + size}) if offset + size < total else None}


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request, q: Text = "", date_from: Date = "", date_to: Date = "", source: Text = "",
               place: Text = "", entity: Text = "", sort: Literal["recent", "size"] = "recent",
               offset: Offset = 0) -> Response:
    def build() -> HTMLResponse:
        cat = _cat(request)
        query = StoryQuery(q, date_from, date_to, source, place, entity, sort)
        rows, total = cat.stories(query, limit=PAGE, offset=offset)
        params = {"q": q, "date_from": date_from, "date_to": date_to, "source": source, "place": place,
                  "entity": entity, "sort": sort if sort != "recent" else ""}
        articles = cat.search(q, limit=PAGE) if q.strip() and not cat.has_stories else []
        recent = [] if cat.has_stories or q.strip() else cat.articles(limit=PAGE, offset=0)[0]
        return render(request, "stories.html", title="Stories", query=query, rows=rows, sources=cat.sources(),
                      paging=_pager("/", params, offset, total), articles=articles or recent, flags=cat.flags(),
                      entities=[e["name"] for e in cat.entities()[:200]])

    return cached(request, build)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: Annotated[int, Path(ge=0, le=2**62)]) -> Response:
    def build() -> HTMLResponse:
        cat = _cat(request)
        story = cat.story(story_id)
        if story is None:
            raise HTTPException(404, f"No story {story_id}.")
        articles = cat.articles_by_id(story.get("article_ids") or [])
        ids = layout.ordered_ids(story, articles)
        facts = {i: f for i in ids if (f := cat.facts(i))}
        unsupported = {h.get("article_id"): h for h in story.get("headlines") or [] if h.get("supported") is False}
        labels = {i: layout.source_label(a) for i, a in articles.items()}
        copy_of = {c.get("article_id"): c for c in story.get("copies") or [] if c.get("copy_of") is not None}
        suspect = {d.get("article_id"): d.get("reason") for d in story.get("date_suspect") or []}
        farm = {f.get("article_id"): f.get("signals") or [] for f in story.get("farm_signals") or []}
        cite = views.Citations(ids, labels)
        links = views.StoryLinks(cite, views.Anchors(articles, facts), story)
        return render(request, "story.html", title=story.get("title") or f"Story {story_id}", story=story,
                      articles=articles, ids=ids, cite=cite, links=links, labels=labels,
                      badges=badges(story), comparison=layout.comparison(story, articles),
                      timeline=layout.timeline(story), quotes=views.quotes(story),
                      graph=layout.copy_graph(story, articles),
                      map=views.story_map(facts), has_facts=cat.has_facts, claim_text=layout.claim_text,
                      claim_articles=layout.claim_articles, unsupported=unsupported, copy_of=copy_of,
                      suspect=suspect, farm=farm, flags=article_flags(story))

    return cached(request, build)


@router.get("/articles", response_class=HTMLResponse)
def article_list(request: Request, q: Text = "", offset: Offset = 0) -> Response:
    def build() -> HTMLResponse:
        cat = _cat(request)
        if q.strip():
            found = cat.search(q, limit=200)
            total = len(found)
            found = found[offset:offset + PAGE]
        else:
            found, total = cat.articles(limit=PAGE, offset=offset)
        return render(request, "articles.html", title="Articles", q=q, articles=found, flags=cat.flags(),
                      paging=_pager("/articles", {"q": q}, offset, total))

    return cached(request, build)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Annotated[int, Path(ge=1, le=2**62)],
                 removed: Annotated[bool, Query()] = False) -> Response:
    def build() -> HTMLResponse:
        cat = _cat(request)
        article = cat.article(article_id)
        if article is None:
            raise HTTPException(404, f"No article {article_id}.")
        facts = cat.facts(article_id)
        flags = cat.flags().get(article_id) or []
        suspect = any(f["kind"] == "date" for f in flags)
        return render(request, "article.html", title=article.title or f"Article {article_id}", article=article,
                      paragraphs=views.highlight(article.text, facts, suspect_date=suspect), facts=facts,
                      show_removed=removed, label=layout.source_label(article), story=cat.story_of(article_id),
                      flags=flags, suspect=suspect)

    return cached(request, build)


@router.get("/entities", response_class=HTMLResponse)
def entity_list(request: Request, q: Text = "", offset: Offset = 0) -> Response:
    def build() -> HTMLResponse:
        cat = _cat(request)
        found = cat.entities()
        if q.strip():
            wanted = q.strip().casefold()
            found = [e for e in found if any(wanted in str(n).casefold() for n in [e["name"], *e["aliases"]])]
        return render(request, "entities.html", title="Entities", q=q, entities=found[offset:offset + PAGE],
                      paging=_pager("/entities", {"q": q}, offset, len(found)), has_facts=cat.has_facts)

    return cached(request, build)


@router.get("/errors", response_class=HTMLResponse)
def error_list(request: Request, offset: Offset = 0) -> Response:
    def build() -> HTMLResponse:
        failures = _cat(request).failures()
        return render(request, "errors.html", title="Errors", failures=failures[offset:offset + PAGE],
                      paging=_pager("/errors", {}, offset, len(failures)))

    return cached(request, build)


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request) -> HTMLResponse:
    jobs = request.app.state.ingester
    return render(request, "ingest.html", title="Ingest", jobs=jobs.recent() if jobs else [],
                  csrf=request.app.state.csrf_token, token=request.app.state.ingest_token is not None,
                  max_files=MAX_FILES, max_mb=MAX_FILE_BYTES // (1024 * 1024),
                  types=UPLOAD_TYPES)


@router.post("/ingest")
def ingest_post(request: Request, csrf: Annotated[str, Form(max_length=100)] = "",
                token: Annotated[str, Form(max_length=200)] = "",
                files: Annotated[list[UploadFile] | None, File()] = None,
                url: Annotated[str, Form(max_length=2000)] = "") -> RedirectResponse:
    """The upload form: same-origin token required; redirects to the job's progress page."""
    jobs = request.app.state.ingester
    if jobs is None:
        raise HTTPException(403, "This server is read-only: ingest is disabled.")
    same_origin(request)
    if not secrets.compare_digest(csrf.encode(), request.app.state.csrf_token.encode()):
        raise HTTPException(403, "The form has expired or did not come from this site: reload the page.")
    check_ingest_token(request, token)
    job = submit(jobs, files or [], url)
    return RedirectResponse(f"/ingest/{job.id}", status_code=303)


@router.get("/ingest/{job_id}", response_class=HTMLResponse)
def ingest_job(request: Request, job_id: Annotated[str, Path(pattern=JOB_ID.pattern)]) -> HTMLResponse:
    jobs = request.app.state.ingester
    job = jobs.job(job_id) if jobs else None
    if job is None:
        raise HTTPException(404, f"No ingest job {job_id}.")
    return render(request, "job.html", title="Ingest progress", job=job)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API's paths from its OpenAPI schema, as a page of our own (no external scripts or styles)."""
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p.get("name"), "where": p.get("in"), "required": p.get("required", False)}
                      for p in op.get("parameters") or []]
            if op.get("requestBody"):
                params.append({"name": "body", "where": "request body", "required": op["requestBody"].get("required")})
            description = (op.get("description") or "").strip()
            operations.append({"method": method.upper(), "path": path, "summary": op.get("summary") or "",
                               "description": description if description != op.get("summary") else "",
                               "parameters": params})
    info = schema.get("info", {})
    return render(request, "api_docs.html", title="API", operations=operations,
                  description=info.get("description", ""), version=schema.get("openapi", ""))


REPORT_TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
                "json": "application/json"}


@router.get("/stories/{story_id}/report.{fmt}")
def story_report(request: Request, story_id: Annotated[int, Path(ge=0, le=2**62)],
                 fmt: Literal["html", "md", "json"]) -> Response:
    """The story's standalone report, as `storyline report ID` writes it, to download."""
    from storyline.report import render as render_report

    story = _cat(request).story(story_id)
    if story is None:
        raise HTTPException(404, f"No story {story_id}.")
    return Response(render_report(story, fmt), media_type=REPORT_TYPES[fmt],
                    headers={"content-disposition": f'attachment; filename="story-{story_id}.{fmt}"'})
