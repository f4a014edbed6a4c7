"""Web UI and JSON API over the store (`storyline serve`)."""

from storyline.web.app import create_app

__all__ = ["create_app"]
