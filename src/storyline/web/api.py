"""JSON API under /api/: the same objects and field names as `storyline ... --json`, paginated.

Lists come as {items, total, limit, offset}. The models below document the contract fields for the
OpenAPI schema and let any further field through unchanged.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict

from storyline.models import Format
from storyline.web.data import Catalog, StoryQuery
from storyline.web.ingest import JOB_ID, Ingester, IngestRejected, Job

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[int, Query(ge=1, le=200, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]
Text = Annotated[str, Query(max_length=500)]
Date = Annotated[str, Query(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD.")]
ArticleId = Annotated[int, Path(ge=1, le=2**62)]
StoryId = Annotated[int, Path(ge=0, le=2**62)]
CLIENT_HEADER = "X-Storyline-Client"
TOKEN_HEADER = "X-Storyline-Token"
T = TypeVar("T")


class Open(BaseModel):
    """Contract fields are declared; more fields are welcome and passed through."""

    model_config = ConfigDict(extra="allow")


class ArticleOut(Open):
    id: int
    source: str
    url: str | None
    canonical_url: str | None
    title: str | None
    published: str | None
    published_evidence: str | None
    published_confidence: float
    publisher: str | None
    authors: list[str]
    credited: list[str]
    language: str | None
    format: Format
    fetched: str | None
    captions: list[str]
    text: str


class ArticleFull(ArticleOut):
    removed: list[str]


class StorySummary(Open):
    id: int
    title: str | None
    article_ids: list[int]
    sources: list[str]
    first_published: str | None
    last_published: str | None


class Copy(Open):
    article_id: int
    copy_of: int | None
    copy_of_source: str | None = None
    similarity: float | None = None
    kind: str | None = None


class ContradictionValue(Open):
    value: Any
    article_ids: list[int]
    evidence: list[str] = []


class Contradiction(Open):
    attribute: str
    values: list[ContradictionValue]


class Agreement(Open):
    attribute: str
    value: Any
    article_ids: list[int]


class Variant(Open):
    text: str
    article_id: int
    similarity: float | None = None


class QuoteOut(Open):
    speaker: str | None
    text: str
    article_ids: list[int]
    variants: list[Variant] = []


class Headline(Open):
    article_id: int
    headline: str | None
    supported: bool | None
    reason: str | None = None


class TimelineEntry(Open):
    date: str | None
    text: str
    article_ids: list[int]


class SummarySentence(Open):
    sentence: str
    article_id: int


class StoryOut(Open):
    """`storyline story ID --json`; the comparison fields are there once the compare stage has run."""

    id: int
    title: str | None
    article_ids: list[int]
    copies: list[Copy] | None = None
    contradictions: list[Contradiction] | None = None
    agreements: list[Agreement] | None = None
    single_source: list[dict[str, Any]] | None = None
    quotes: list[QuoteOut] | None = None
    headlines: list[Headline] | None = None
    timeline: list[TimelineEntry] | None = None
    summary: list[SummarySentence] | None = None


class EntityOut(Open):
    name: str
    type: str | None
    aliases: list[str]
    mentions: int
    article_ids: list[int]


class FailureOut(Open):
    source: str
    reason: str
    at: str


class JobOut(Open):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    inputs: list[str]
    done: int
    total: int
    summary: dict[str, int]
    errors: list[FailureOut]
    message: str | None
    stories: list[dict[str, Any]] = []  # {id, title} of the stories the job added articles to
    phase: Literal["reading", "analysing"] = "reading"
    created: str
    finished: str | None


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class SearchResult(BaseModel):
    query: str
    articles: list[ArticleOut]
    stories: list[StorySummary]


def catalog(request: Request) -> Catalog:
    return request.app.state.catalog


def ingester(request: Request) -> Ingester:
    """The ingester, or 403 in read-only mode."""
    if request.app.state.ingester is None:
        raise HTTPException(403, "this server is read-only")
    return request.app.state.ingester


def same_origin(request: Request) -> None:
    """Refuse requests a browser sends on behalf of another site (CSRF)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise HTTPException(403, "cross-site request refused")
    origin = request.headers.get("origin")
    if origin is not None and origin.lower() != f"{request.url.scheme}://{request.headers.get('host', '')}".lower():
        raise HTTPException(403, "cross-origin request refused")


def check_ingest_token(request: Request, sent: str | None) -> None:
    """403 unless the server has no ingest token or `sent` is that token."""
    token = request.app.state.ingest_token
    if token is not None and not secrets.compare_digest((sent or "").encode(), token.encode()):
        raise HTTPException(403, "this server requires its ingest token (printed by `storyline serve`)")


def api_client(request: Request) -> None:
    """POSTs to the API carry a custom header, which no cross-site form or simple request can send."""
    same_origin(request)
    if not request.headers.get(CLIENT_HEADER):
        raise HTTPException(403, f"send the {CLIENT_HEADER} header with API requests that change data")
    check_ingest_token(request, request.headers.get(TOKEN_HEADER))


Cat = Annotated[Catalog, Depends(catalog)]


@router.get("/stories", response_model=Page[StorySummary], response_model_exclude_unset=True)
def list_stories(cat: Cat, q: Text = "", date_from: Date = "", date_to: Date = "", source: Text = "",
                 place: Text = "", entity: Text = "", sort: Literal["recent", "size"] = "recent",
                 limit: Limit = 50, offset: Offset = 0) -> dict:
    """Stories (`storyline stories --json`), filtered and sorted."""
    rows, total = cat.stories(StoryQuery(q, date_from, date_to, source, place, entity, sort), limit=limit,
                              offset=offset)
    return {"items": [r.summary for r in rows], "total": total, "limit": limit, "offset": offset}


@router.get("/stories/{story_id}", response_model=StoryOut, response_model_exclude_unset=True,
            responses={404: {"description": "No such story"}})
def get_story(cat: Cat, story_id: StoryId) -> dict:
    """One story (`storyline story ID --json`)."""
    story = cat.story(story_id)
    if story is None:
        raise HTTPException(404, f"no story {story_id}")
    return story


@router.get("/articles", response_model=Page[ArticleOut], response_model_exclude_unset=True)
def list_articles(cat: Cat, limit: Limit = 50, offset: Offset = 0) -> dict:
    """Articles by id (`storyline articles --json`)."""
    found, total = cat.articles(limit=limit, offset=offset)
    return {"items": [a.to_json() for a in found], "total": total, "limit": limit, "offset": offset}


@router.get("/articles/{article_id}", response_model=ArticleFull, response_model_exclude_unset=True,
            responses={404: {"description": "No such article"}})
def get_article(cat: Cat, article_id: ArticleId) -> dict:
    """One article with its removed boilerplate (`storyline article ID --json`)."""
    article = cat.article(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article.to_json(with_removed=True)


@router.get("/articles/{article_id}/facts", response_model=dict[str, Any],
            responses={404: {"description": "No such article, or no facts for it"}})
def get_facts(cat: Cat, article_id: ArticleId) -> dict:
    """Facts of one article (`storyline facts ID --json`): entities, places, quantities, quotes, times, events."""
    if cat.article(article_id) is None:
        raise HTTPException(404, f"no article {article_id}")
    facts = cat.facts(article_id)
    if facts is None:
        raise HTTPException(404, f"no facts for article {article_id}")
    return {"article_id": article_id, **facts}


@router.get("/entities", response_model=Page[EntityOut], response_model_exclude_unset=True)
def list_entities(cat: Cat, q: Text = "", limit: Limit = 50, offset: Offset = 0) -> dict:
    """Entities over all articles, merged and ordered as `storyline entities --json`; `q` matches names and
    aliases."""
    found = cat.entities()
    if q.strip():
        wanted = q.strip().casefold()
        found = [e for e in found if any(wanted in str(n).casefold() for n in [e["name"], *e["aliases"]])]
    return {"items": found[offset:offset + limit], "total": len(found), "limit": limit, "offset": offset}


@router.get("/search", response_model=SearchResult, response_model_exclude_unset=True)
def search(cat: Cat, q: Annotated[str, Query(min_length=1, max_length=500)], limit: Limit = 20) -> dict:
    """Full-text search over articles (plain words), and the stories that hold them."""
    articles = cat.search(q, limit=limit)
    rows, _ = cat.stories(StoryQuery(q=q), limit=limit, offset=0)
    return {"query": q, "articles": [a.to_json() for a in articles], "stories": [r.summary for r in rows]}


@router.get("/errors", response_model=Page[FailureOut])
def list_errors(cat: Cat, limit: Limit = 50, offset: Offset = 0) -> dict:
    """Inputs that could not be read, with the reason (`storyline errors --json`)."""
    failures = cat.failures()
    return {"items": [f.to_json() for f in failures[offset:offset + limit]], "total": len(failures),
            "limit": limit, "offset": offset}


@router.post("/ingest", response_model=JobOut, status_code=202, dependencies=[Depends(api_client)],
             responses={400: {"description": "Nothing to ingest, or not an accepted file or URL"},
                        403: {"description": "Read-only server, a cross-site request, or no valid ingest token"},
                        413: {"description": "Upload too large"}})
def start_ingest(jobs: Annotated[Ingester, Depends(ingester)],
                 files: Annotated[list[UploadFile] | None, File(description="Files to ingest.")] = None,
                 url: Annotated[str | None, Form(max_length=2000, description="A page or feed URL.")] = None) -> dict:
    """Start ingesting uploaded files or a URL; poll GET /api/ingest/{id} for progress and errors.

    Send the `X-Storyline-Client` header (any value): a browser cannot add it to a cross-site request,
    which keeps this endpoint safe from CSRF. A server listening beyond loopback also wants its ingest token
    in `X-Storyline-Token`.
    """
    return submit(jobs, files or [], url).to_json()


@router.get("/ingest/{job_id}", response_model=JobOut, responses={404: {"description": "No such job"}})
def get_job(request: Request, job_id: Annotated[str, Path(pattern=JOB_ID.pattern)]) -> dict:
    """Progress of an ingest job: inputs done of total, counts so far, errors."""
    jobs: Ingester | None = request.app.state.ingester
    job = jobs.job(job_id) if jobs else None
    if job is None:
        raise HTTPException(404, f"no ingest job {job_id}")
    return job.to_json()


def submit(jobs: Ingester, files: list[UploadFile], url: str | None) -> Job:
    """Queue the uploads or the URL as one job; 400 with the reason when refused."""
    sent = [f for f in files if f.filename or (f.size or 0) > 0]
    try:
        if sent and url and url.strip():
            raise IngestRejected("send files or a URL, not both")
        if url and url.strip():
            return jobs.submit_url(url)
        return jobs.submit_files([(f.filename, f.file) for f in sent])
    except IngestRejected as error:
        raise HTTPException(400, str(error)) from None
