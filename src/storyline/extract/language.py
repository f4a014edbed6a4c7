"""Language identification (ISO 639-1) with py3langid's bundled model."""

from __future__ import annotations

_MIN_CHARS = 20
_SAMPLE_CHARS = 1500  # plenty for a confident guess; longer samples only cost time


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of `text`, or None when it is too short to tell."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if len(sample) < _MIN_CHARS:
        return None
    from py3langid.langid import classify

    lang, _score = classify(sample)
    return lang
