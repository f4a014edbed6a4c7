"""Storyline: make sense of the same news told by many sources.

`from storyline import Storyline` gives the library's front door (`storyline.core`), loaded on first use
so that `import storyline` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyline.core import Storyline

__version__ = "0.1.0"
__all__ = ["Storyline", "__version__"]


def __getattr__(name: str) -> object:
    if name == "Storyline":
        from storyline.core import Storyline

        return Storyline
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
