"""Compare: what the sources of one story agree on, contradict, state alone, and which headlines mislead."""

from storyline.compare.story import Comparison, compare_story

__all__ = ["Comparison", "compare_story"]
