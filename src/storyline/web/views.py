"""What the web pages draw beyond the story layout they share with the report (`storyline.report.layout`):
citation links, quotes, the map and the highlighted article text, computed from the JSON contracts.

Every string here may come from an article; the templates autoescape it. The one piece of markup made here,
the citation links, goes through markupsafe's `Markup.format`, which escapes every value it inserts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from markupsafe import Markup

from storyline.sources.web import is_url
from storyline.web.worldmap import MapView, place_map


class Citations:
    """Footnote links [n] to a story's articles, numbered in date order.

    `cite(ids)` gives the links of `ids`, folded after `FOLD` of them; `cite.at([(id, sentence index)])` links
    each to its sentence.
    """

    _LINK = Markup('<a class="cite" href="/articles/{0}" title="{1}">[{2}]</a>')
    FOLD = 12

    def __init__(self, ids: list[int], labels: dict[int, str]) -> None:
        self.number = {article_id: n for n, article_id in enumerate(ids, 1)}
        self._labels = labels
        self._links = {i: self._LINK.format(i, labels.get(i, f"article {i}"), self.number[i]) for i in ids}

    _AT = Markup('<a class="cite" href="/articles/{0}#s-{3}" title="{1}, sentence {4}">[{2}]</a>')

    def __call__(self, ids: list[Any]) -> Markup:
        ids = [i for i in ids if isinstance(i, int)]
        return self.at([(i, None) for i in ids])

    def at(self, pairs: list[tuple[int, int | None]]) -> Markup:
        """Links to articles, each to its sentence (`#s-N`) when the index is known."""
        links = Markup("").join(self._one(i, index) for i, index in pairs[:self.FOLD])
        return links + Markup('<span class="cite">+{0}</span>').format(len(pairs) - self.FOLD) \
            if len(pairs) > self.FOLD else links

    def _one(self, article_id: int, index: int | None) -> Markup:
        if index is None:
            return self._links.get(article_id) or self._LINK.format(article_id, f"article {article_id}", article_id)
        label = self._labels.get(article_id, f"article {article_id}")
        return self._AT.format(article_id, label, self.number.get(article_id, article_id), index, index + 1)


def quotes(story: dict[str, Any]) -> list[dict[str, Any]]:
    """The story's quotes, those given by more articles first; `show_variants` is false when the only
    variant is the quote itself (nothing to compare)."""
    found = []
    for quote in story.get("quotes") or []:
        if not isinstance(quote, dict):
            continue
        variants = [v for v in quote.get("variants") or [] if isinstance(v, dict)]
        ids = {i for i in quote.get("article_ids") or [] if isinstance(i, int)}
        ids.update(v["article_id"] for v in variants if isinstance(v.get("article_id"), int))
        show = len(variants) > 1 or any(v.get("text") != quote.get("text") or v.get("altered") for v in variants)
        found.append({**quote, "variants": variants, "show_variants": show, "sources": len(ids)})
    return sorted(found, key=lambda q: -q["sources"])


def read_from(source: str) -> str:
    """Where an article was read from, without the server's directories: a URL as it is, a file by its name
    (with the item number of a feed or archive entry)."""
    if is_url(source):
        return source
    path, _, item = source.partition("#")
    return PurePath(path).name + (f"#{item}" if item else "")


def story_map(facts_by_article: dict[int, dict[str, Any]]) -> MapView | None:
    """The places named in a story's articles, one pin per spot sized by how many articles name it.

    Names at the same coordinates share a pin, town first ("Copenhagen, Denmark" where the gazetteer puts a
    country at its capital), so their labels do not overprint each other; of a name's spellings the one not
    in capitals wins ("Oslo" over a dateline's "OSLO").
    """
    spots: dict[tuple[float, float], dict[str, Any]] = {}
    for article_id, facts in facts_by_article.items():
        for place in facts.get("places") or []:
            lat, lon, name = place.get("lat"), place.get("lon"), place.get("name")
            if not (isinstance(lat, int | float) and isinstance(lon, int | float) and name):
                continue
            spot = spots.setdefault((round(float(lat), 2), round(float(lon), 2)),
                                    {"lat": float(lat), "lon": float(lon), "names": {}, "ids": set()})
            spot["ids"].add(article_id)
            entry = spot["names"].setdefault(str(name).casefold(), {"country": True, "spellings": {}})
            entry["country"] = entry["country"] and place.get("kind") == "country"
            entry["spellings"][str(name)] = entry["spellings"].get(str(name), 0) + 1
    places = []
    for spot in spots.values():  # the town before the country it stands for, then by mentions
        names = sorted(spot["names"].values(), key=lambda e: (e["country"], -sum(e["spellings"].values())))
        spelt = [max(e["spellings"], key=lambda n: (not n.isupper(), e["spellings"][n])) for e in names]
        places.append((spelt, spot["lat"], spot["lon"], len(spot["ids"])))
    return place_map(places)


# highlighting

_KIND_ORDER = ("quote", "number", "time", "place", "entity")


@dataclass(slots=True)
class Segment:
    """A run of article text; `kind` and `note` when it is a fact, `inner` the facts marked inside a quote."""

    text: str
    kind: str | None = None
    note: str | None = None
    inner: list[Segment] = field(default_factory=list)


@dataclass(slots=True)
class Chunk:
    """The part of a paragraph that lies in one sentence (`index`, None between sentences); `anchor` marks the
    first part of each sentence, which carries its id `s-N`."""

    index: int | None
    anchor: bool
    segments: list[Segment]


def highlight(text: str, facts: dict[str, Any] | None, *, suspect_date: bool = False) -> list[list[Chunk]]:
    """Paragraphs of `text` as sentences (see `Sentences`) of segments marking the facts found in them.

    Quotes are marked first; the numbers, times, places and entities inside a quote are marked within it
    (a death toll in reported speech is still a number). With `suspect_date` relative times are not shown
    resolved: they were resolved against a publication date that is probably false.
    """
    spans = Sentences(text, facts).spans
    terms = _terms(facts or {}, suspect_date)
    quotes = {t: v for t, v in terms.items() if v[0] == "quote"}
    others = {t: v for t, v in terms.items() if v[0] != "quote"}
    result = []
    anchored: set[int] = set()
    at = 0
    for raw in re.split(r"\n\s*\n", text):
        start = text.find(raw, at)
        at = start + len(raw)
        paragraph = raw.strip()
        if not paragraph:
            continue
        offset = start + raw.index(paragraph)
        segments: list[Segment] = []
        for segment in _split(paragraph, quotes):
            if segment.kind:
                inner = _split(segment.text, others)
                segment.inner = inner if any(s.kind for s in inner) else []
                segments.append(segment)
            else:
                segments.extend(_split(segment.text, others))
        chunks = []
        for a, b, index in _pieces(offset, offset + len(paragraph), spans):
            part, segments = _cut(segments, b - a)
            chunks.append(Chunk(index, index is not None and index not in anchored, part))
            if index is not None:
                anchored.add(index)
        result.append(chunks)
    return result


def _pieces(start: int, end: int, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int | None]]:
    """[start, end) cut where sentences begin and end: (from, to, sentence index or None)."""
    pieces: list[tuple[int, int, int | None]] = []
    at = start
    for s, e, index in spans:
        if e <= at or s >= end:
            continue
        if s > at:
            pieces.append((at, s, None))
            at = s
        pieces.append((at, min(e, end), index))
        at = min(e, end)
    if at < end:
        pieces.append((at, end, None))
    return pieces


def _cut(segments: list[Segment], length: int) -> tuple[list[Segment], list[Segment]]:
    """The first `length` characters of `segments`, and the rest; a mark cut in two stays a mark on both sides."""
    head: list[Segment] = []
    rest = list(segments)
    while rest and length > 0:
        segment = rest.pop(0)
        if len(segment.text) <= length:
            head.append(segment)
            length -= len(segment.text)
            continue
        inner_head, inner_rest = _cut(segment.inner, length) if segment.inner else ([], [])
        head.append(Segment(segment.text[:length], segment.kind, segment.note, inner_head))
        rest.insert(0, Segment(segment.text[length:], segment.kind, segment.note, inner_rest))
        length = 0
    return head, rest


def _split(text: str, terms: dict[str, tuple[str, str | None]]) -> list[Segment]:
    """`text` cut into plain runs and occurrences of `terms` (longest first, whole words)."""
    if not terms:
        return [Segment(text)]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                         + r")(?!\w)")
    segments: list[Segment] = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() > at:
            segments.append(Segment(text[at:match.start()]))
        kind, note = terms[match.group()]
        segments.append(Segment(match.group(), kind, note))
        at = match.end()
    if at < len(text):
        segments.append(Segment(text[at:]))
    return segments


def _terms(facts: dict[str, Any], suspect_date: bool = False) -> dict[str, tuple[str, str | None]]:
    """Text to mark -> (kind, note); a text claimed by several kinds keeps the first of `_KIND_ORDER`.

    With `suspect_date` a time's resolved date is left out unless the text gives it in full (a year and more)."""
    found: dict[str, tuple[str, str | None]] = {}

    def add(term: Any, kind: str, note: str | None) -> None:
        term = str(term or "").strip()
        if len(term) >= 2:
            current = found.get(term)
            if current is None or _KIND_ORDER.index(kind) < _KIND_ORDER.index(current[0]):
                found[term] = (kind, note)

    for quote in facts.get("quotes") or []:
        add(quote.get("text"), "quote", f"quote: {quote.get('speaker') or 'unknown speaker'}")
    for quantity in facts.get("quantities") or []:
        counted = quantity.get("counted")
        value = quantity.get("value")
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # "number: 12", not "12.0"
        add(quantity.get("text"), "number", f"number: {value}" + (f" ({counted})" if counted else ""))
    for time in facts.get("times") or []:
        date = time.get("date") or "unresolved"
        if suspect_date and not re.search(r"\b\d{4}\b", str(time.get("text") or "")):
            date = "not resolved: the article's date is suspect"
        add(time.get("text"), "time", f"time: {date}")
    for place in facts.get("places") or []:
        add(place.get("name"), "place", f"place: {place.get('name')}" + (
            f", {place.get('country')}" if place.get("country") else ""))
    for entity in facts.get("entities") or []:
        note = f"{str(entity.get('type') or 'entity').lower()}: {entity.get('name')}"
        for name in [entity.get("name"), *(entity.get("aliases") or [])]:
            add(name, "entity", note)
    return found


# sentences: where each claim, value and quote is said (`/articles/ID#s-N`, N the analyse stage's sentence index)


class Sentences:
    """An article's sentences as the analyse stage split them, located in its text.

    The split comes from the facts' `sentences`, else from the evidence sentences its records carry (then the
    sentences that hold no fact stay unmarked). `index_of(snippet)` gives the sentence a piece of text is in.
    """

    def __init__(self, text: str, facts: dict[str, Any] | None) -> None:
        self.text = text
        known: dict[int, str] = {}
        facts = facts or {}
        listed = facts.get("sentences")
        if isinstance(listed, list):
            known = {i: str(s) for i, s in enumerate(listed) if s}
        else:
            for kind in ("quantities", "quotes", "times", "events"):
                for record in facts.get(kind) or []:
                    index, sentence = record.get("sentence_index"), record.get("sentence")
                    if isinstance(index, int) and index >= 0 and sentence:
                        known[index] = str(sentence)
        self.spans: list[tuple[int, int, int]] = []  # (start, end, index) in text order
        at = 0
        for index in sorted(known):
            sentence = known[index].strip()
            found = text.find(sentence, at) if sentence else -1
            if found >= 0:
                self.spans.append((found, found + len(sentence), index))
                at = found + len(sentence)

    def index_of(self, snippet: Any) -> int | None:
        """The index of the sentence where `snippet` (a sentence or a part of one) starts, or None."""
        snippet = " ".join(str(snippet or "").split())
        if not snippet or not self.spans:
            return None
        found = self.text.find(snippet)
        if found < 0:  # the same words, spaced or broken differently
            words = [re.escape(w) for w in snippet.split()]
            match = re.search(r"\s+".join(words), self.text) if len(words) < 400 else None
            if match is None:
                return None
            found = match.start()
        for start, end, index in self.spans:
            if start <= found < end:
                return index
            if found < start < found + len(snippet):  # begins between two sentences
                return index
        return None


class Anchors:
    """Which sentence of which article says something, for the story page's links."""

    def __init__(self, articles: dict[int, Any], facts: dict[int, dict[str, Any]]) -> None:
        self.articles = articles
        self.facts = facts
        self._sentences: dict[int, Sentences] = {}

    def sentences(self, article_id: int) -> Sentences | None:
        if article_id not in self._sentences:
            article = self.articles.get(article_id)
            if article is None:
                return None
            self._sentences[article_id] = Sentences(article.text or "", self.facts.get(article_id))
        return self._sentences[article_id]

    def find(self, article_id: Any, snippet: Any) -> int | None:
        """The sentence index of `snippet` in the article, or None."""
        found = self.sentences(article_id) if isinstance(article_id, int) else None
        return found.index_of(snippet) if found else None

    def pairs(self, article_ids: Any, snippet: Any) -> list[tuple[int, int | None]]:
        """(article id, index of `snippet` in it) for each id."""
        return [(i, self.find(i, snippet)) for i in article_ids or [] if isinstance(i, int)]

    def value(self, article_id: int, value: str) -> int | None:
        """The sentence of one of the article's facts that states `value` (a quantity, time or quote), or None."""
        wanted = value.casefold().strip()
        if not wanted:
            return None
        for kind in ("quantities", "times", "quotes"):
            for record in (self.facts.get(article_id) or {}).get(kind) or []:
                index = record.get("sentence_index")
                shown = str(record.get("text") or "").casefold()
                if isinstance(index, int) and index >= 0 and shown and (wanted in shown or shown in wanted):
                    return index
        return None

    def headline(self, check: dict[str, Any]) -> int | None:
        """The sentence of the body that supports or contradicts a headline (the compare stage indexes its own
        sentence split; here it is found among the analyse stage's)."""
        from storyline.compare.story import MAX_BODY, sentences

        index, article = check.get("sentence_index"), self.articles.get(check.get("article_id"))
        if not isinstance(index, int) or article is None or index < 0:
            return None
        body = sentences((article.text or "")[:MAX_BODY])
        return self.find(article.id, body[index]) if index < len(body) else None

    def evidence(self, item: dict[str, Any]) -> dict[tuple[str, str, int], int]:
        """(attribute, value, article id) -> sentence index, for each value of a contradiction or agreement."""
        found: dict[tuple[str, str, int], int] = {}
        attribute = str(item.get("attribute", ""))
        values = item.get("values") if "values" in item else [item]
        for value in values or []:
            text = str(value.get("value", ""))
            for article_id in value.get("article_ids") or []:
                if not isinstance(article_id, int):
                    continue
                index = next((i for e in value.get("evidence") or [] if (i := self.find(article_id, e)) is not None),
                             None)
                if index is None:
                    index = self.value(article_id, text)
                if index is not None:
                    found[(attribute, text, article_id)] = index
        return found


class StoryLinks:
    """The story page's links to sentences: citations of a text, of a quote, of a table value."""

    def __init__(self, cite: Citations, anchors: Anchors, story: dict[str, Any]) -> None:
        self.cite = cite
        self.anchors = anchors
        self.evidence: dict[tuple[str, str, int], int] = {}
        for item in [*(story.get("contradictions") or []), *(story.get("agreements") or [])]:
            if isinstance(item, dict):
                self.evidence.update(anchors.evidence(item))

    def text(self, article_ids: Any, snippet: Any) -> Markup:
        """Citations of the articles that say `snippet`, each to its sentence (all of them when none is found)."""
        pairs = self.anchors.pairs(article_ids, snippet)
        found = [p for p in pairs if p[1] is not None]
        return self.cite.at(found or pairs)

    def quote(self, quote: dict[str, Any]) -> Any:
        """A `cite` for one quote's figure: each article linked to the sentence where it gives the quote."""
        wording = {v.get("article_id"): v.get("text") for v in quote.get("variants") or [] if isinstance(v, dict)}

        def cite(ids: list[Any]) -> Markup:
            return self.cite.at([(i, self.anchors.find(i, wording.get(i) or quote.get("text")))
                                 for i in ids if isinstance(i, int)])

        return cite

    def value(self, row: Any, value: str, article_ids: list[int]) -> str | None:
        """Where the first of `article_ids` that gives `value` in the table's `row` says it."""
        for article_id in article_ids:
            index = self.evidence.get((row.attribute, value, article_id))
            if index is not None:
                return f"/articles/{article_id}#s-{index}"
        return None

    def headline(self, check: dict[str, Any]) -> str | None:
        index = self.anchors.headline(check)
        return f"/articles/{check.get('article_id')}#s-{index}" if index is not None else None
