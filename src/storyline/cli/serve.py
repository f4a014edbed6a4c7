"""`storyline serve`: the web UI and JSON API on the embedded database."""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.app import DEFAULT_DB_PATH, DbOption, app, errors

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command("serve")
def serve_command(
    db: DbOption = DEFAULT_DB_PATH,
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback exposes the server.")]
    = "127.0.0.1",
    read_only: Annotated[bool, typer.Option("--read-only", help="Disable ingest (for public deployments).")]
    = False,
    token: Annotated[str | None, typer.Option(help="Ingest token to require (default: a random one, printed, "
                                                   "when listening beyond loopback).")] = None,
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls", help="Let web ingest fetch URLs on loopback, private or link-local addresses.")]
    = False,
) -> None:
    """Web UI and JSON API (under /api/, schema at /api/openapi.json) on the database."""
    import uvicorn

    from storyline.web import create_app
    from storyline.web.data import StoredFacts

    if read_only and not Path(db).is_file():
        errors.print(f"No database at {db}: run `storyline ingest SOURCE...` first, or pass --db.", markup=False)
        raise typer.Exit(1)
    loopback = is_loopback(host)
    if not loopback:
        errors.print(f"Warning: listening on {host}, reachable from other machines"
                     + ("." if read_only else "; consider --read-only."), markup=False)
    if token is None and not (loopback or read_only):
        token = secrets.token_urlsafe(16)
        errors.print(f"Ingest token (needed to ingest from the web): {token}", markup=False)
    web = create_app(db, read_only=read_only, facts=StoredFacts(), allowed_hosts=LOOPBACK_NAMES if loopback else None,
                     ingest_token=token, allow_private_urls=allow_private_urls)
    errors.print(f"Storyline on http://{host if ':' not in host else f'[{host}]'}:{port}/  (database {db}"
                 + (", read-only" if read_only else "") + ")  Ctrl-C stops.", markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning")
