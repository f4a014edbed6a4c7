"""Storyline: make sense of the same news told by many sources."""

__version__ = "0.1.0"
