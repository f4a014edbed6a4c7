"""Analyse stage: structured facts from every article.

`analyse(article)` returns `Facts` (entities, places, quantities, quotes, times, events; see
`records.py` for the fields); `analyse_many(articles)` does the same for a batch with spaCy's `nlp.pipe`.
English text is read from its parse (`coverage` "full"); other languages as deep as they can be
(`multilingual.py`: "parsed", "patterns" or "numbers"). Articles without text get empty facts with a `note`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from storyline.analyse.entities import group_entities
from storyline.analyse.events import extract_events
from storyline.analyse.multilingual import coverage, facts_by_patterns, facts_from_parse, parser
from storyline.analyse.nlp import MAX_CHARS, get_nlp  # longer texts are cut (and say so)
from storyline.analyse.places import extract_places
from storyline.analyse.quantities import extract_quantities
from storyline.analyse.quotes import extract_quotes
from storyline.analyse.records import Entity, Event, Facts, Place, Quantity, Quote, TimeExpr
from storyline.analyse.times import dayfirst_for, extract_times
from storyline.models import Article

__all__ = ["VERSION", "Entity", "Event", "Facts", "Place", "Quantity", "Quote", "TimeExpr", "analyse", "analyse_many"]

VERSION = "5"  # bump when the facts an article yields change, so that cached facts are recomputed


def analyse(article: Article) -> Facts:
    """The facts of one article."""
    return next(analyse_many([article]))


def analyse_many(articles: Iterable[Article], batch_size: int = 16) -> Iterator[Facts]:
    """The facts of each article, in order, parsing the texts of each language with a parser in batches."""
    articles = list(articles)
    skipped = {i: reason for i, art in enumerate(articles) if (reason := _skip_reason(art))}
    depth = {i: "skip" if i in skipped else coverage(art.language) for i, art in enumerate(articles)}
    english = iter(get_nlp().pipe((a.text[:MAX_CHARS] for i, a in enumerate(articles) if depth[i] == "full"),
                                  batch_size=batch_size))  # in order; each doc is dropped once used
    parsed = {lang: iter(nlp.pipe([a.text[:MAX_CHARS] for i, a in enumerate(articles)
                                   if depth[i] == "parsed" and a.language == lang], batch_size=batch_size))
              for lang in {a.language or "" for i, a in enumerate(articles) if depth[i] == "parsed"}
              if (nlp := parser(lang)) is not None}
    for i, art in enumerate(articles):
        if depth[i] == "skip":
            yield Facts(language=art.language, note=skipped[i])
            continue
        doc = next(english) if depth[i] == "full" else next(parsed[art.language]) if depth[i] == "parsed" else None
        try:
            if depth[i] == "full":
                facts = facts_from_doc(doc, art.published, dayfirst_for(art.url))
                facts.coverage = "full"
            elif doc is not None:
                facts = facts_from_parse(doc, art.language or "", art.published)
            else:
                facts = facts_by_patterns(art.text, art.language, art.published)
        except Exception as error:  # an analyser bug on odd text must not lose the other articles
            yield Facts(language=art.language, note=f"analysis failed: {type(error).__name__}: {error}")
            continue
        facts.language = art.language
        if len(art.text) > MAX_CHARS:
            facts.note = f"text cut to its first {MAX_CHARS} characters"
        yield facts


def facts_from_doc(doc: Doc, published: str | None, dayfirst: bool = False) -> Facts:
    """All facts of an already parsed English text."""
    groups = group_entities(doc)
    entities = [e for e, _ in groups]
    quantities = extract_quantities(doc)
    times = extract_times(doc, published, dayfirst)
    quotes = _canonical_speakers(extract_quotes(doc), entities)
    return Facts(
        entities=entities,
        places=extract_places(groups),
        quantities=quantities,
        quotes=quotes,
        times=times,
        events=extract_events(doc, times, quantities),
        sentences=[sentence.text.strip() for sentence in doc.sents],
    )


def _skip_reason(article: Article) -> str | None:
    if not article.text or not article.text.strip():
        return "empty article: no facts"
    return None


def _canonical_speakers(quotes: list[Quote], entities: list[Entity]) -> list[Quote]:
    """Name each speaker by its entity's canonical name ("Austin" -> "Lloyd Austin")."""
    names = {}
    for e in entities:
        if e.type == "PERSON":
            for form in (e.name, *e.aliases):
                names[form.lower()] = e.name
    for q in quotes:
        if not q.speaker:
            continue
        said = q.speaker.lower()
        if said in names:
            q.speaker = names[said]
            continue
        ends = [form for form in names if " " in form and said.endswith(" " + form)]
        if ends:
            q.speaker = names[max(ends, key=len)]
    return quotes
