"""The web application: `create_app(db_path)` serves the HTML pages, the JSON API under /api/ and static files.

Security: every page is rendered by Jinja2 with autoescaping; a Content-Security-Policy forbids inline
scripts and any other origin; request bodies are bounded before they are parsed; state-changing requests
must come from this origin (a custom header for the API, a token for the form), and carry the ingest token
when one is set (the CLI sets one whenever it listens beyond loopback); `read_only` disables ingest.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.store import Store
from storyline.web import api, pages
from storyline.web.data import Catalog, FactsSource, PageCache, StoreStories, StorySource
from storyline.web.ingest import MAX_REQUEST_BYTES, Ingester

HERE = Path(__file__).parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def create_app(db_path: str, read_only: bool = False, *, stories: StorySource | None = None,
               facts: FactsSource | None = None, allowed_hosts: list[str] | None = None,
               page_cache: bool = True, ingest_token: str | None = None,
               allow_private_urls: bool = False) -> FastAPI:
    """The app over the database at `db_path` (created unless `read_only`).

    `stories` and `facts` give the story and fact stages' output (by default the stored stories, and no
    facts); `allowed_hosts` restricts the Host header (the CLI passes the loopback names when it binds to
    loopback, against DNS rebinding); `page_cache` keeps rendered pages while the database is unchanged;
    `ingest_token`, when set, must come with every ingest request; URLs to ingest are fetched only from
    public addresses unless `allow_private_urls`.
    """
    if read_only:
        if not Path(db_path).is_file():
            raise FileNotFoundError(f"no database at {db_path}")
    else:
        Store(db_path).close()  # create the schema and switch to WAL before readers open it
    app = FastAPI(title="Storyline", version="1", openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  lifespan=_warm_up,
                  description="Stories, articles and their facts, with the field names of `storyline ... --json`.")
    catalog = app.state.catalog = Catalog(db_path, stories=stories or StoreStories(), facts=facts)
    cache = app.state.page_cache = PageCache(db_path) if page_cache else None

    def written(final: bool = False) -> None:
        """After the web ingest wrote: no page may show the state before it (at the end, rebuilt at once)."""
        catalog.refresh() if final else catalog.invalidate()
        if cache is not None:
            cache.clear()

    app.state.ingester = None if read_only else Ingester(db_path, allow_private_urls=allow_private_urls,
                                                         on_write=written)
    app.state.ingest_token = ingest_token
    app.state.read_only = read_only
    app.state.csrf_token = secrets.token_urlsafe(32)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_middleware(BodyLimit, limit=MAX_REQUEST_BYTES)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)
    return app


@asynccontextmanager
async def _warm_up(app: FastAPI) -> AsyncIterator[None]:
    """Builds the story index in the background at startup, so the first visitor does not wait for it."""

    def build() -> None:
        try:
            app.state.catalog.has_stories  # noqa: B018  # builds the index
        except Exception:  # a page request will raise it again, with a proper error page
            logging.getLogger(__name__).exception("building the story index failed")

    threading.Thread(target=build, name="storyline-warm-up", daemon=True).start()
    yield


async def _http_error(request: Request, error: HTTPException):
    """JSON errors under /api/, an HTML page elsewhere."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
    return pages.error_page(request, error.status_code, str(error.detail))


async def _invalid_request(request: Request, error: RequestValidationError):
    """422 with details under /api/, a plain 400 page elsewhere."""
    if request.url.path.startswith("/api/"):
        return await request_validation_exception_handler(request, error)
    problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in error.errors())
    return pages.error_page(request, 400, f"Invalid request: {problems}")


class SecurityHeaders:
    """Adds the CSP and related headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                message["headers"] = [h for h in message.get("headers", []) if h[0] not in names] + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over `limit` bytes: by Content-Length up front, else while they stream in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            response = JSONResponse({"detail": f"request body larger than {self.limit} bytes"}, status_code=413)
            await response(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, f"request body larger than {self.limit} bytes")
            return message

        await self.app(scope, limited, send)
