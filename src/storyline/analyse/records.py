"""Typed fact records produced by the analyse stage; field names follow the JSON contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Entity:
    """A named entity with its canonical name, aliases seen and mention count."""

    name: str
    type: str  # PERSON, ORG, PLACE, GROUP, EVENT, OTHER
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass(slots=True)
class Place:
    """A place geocoded offline (lat/lon None when unknown)."""

    name: str
    lat: float | None
    lon: float | None
    country: str | None
    kind: str  # country, admin, city, facility, region


@dataclass(slots=True)
class Quantity:
    """A number with its unit and what it counts; `value_max` is set for ranges."""

    value: float
    unit: str | None
    counted: str | None
    approx: bool
    sentence: int
    text: str = ""
    value_max: float | None = None
    bound: str = "="  # "=", "~", ">", "<"
    measured: str | None = None  # what is counted or the unit, as an English lemma (read by patterns only)


@dataclass(slots=True)
class Quote:
    """Direct or reported speech with its speaker (None when unknown)."""

    speaker: str | None
    text: str
    direct: bool
    sentence: int
    cue: str | None = None
    start: int = 0  # character offsets of the content and of the speaker's mention in the article
    end: int = 0
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(slots=True)
class TimeExpr:
    """A time expression resolved against the publication date (ISO date or "start/end" range)."""

    text: str
    date: str | None
    sentence: int
    start: int = 0  # character offsets in the article text
    end: int = 0


@dataclass(slots=True)
class Event:
    """Who did what to whom, where, when and how many, from one sentence."""

    actor: str | None
    action: str
    target: str | None
    place: str | None
    time: str | None
    quantity: str | None
    sentence: int


@dataclass(slots=True)
class Facts:
    """Everything the analyse stage finds in one article."""

    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    language: str | None = None
    coverage: str | None = None  # how deep the facts go: "full", "parsed", "patterns", "numbers" (see analyse)
    note: str | None = None  # why facts are missing or how they were read
    sentences: list[str] = field(default_factory=list)  # the article's sentences, indexed by `sentence`

    def to_json(self) -> dict[str, Any]:
        """The contract dict: {entities, places, quantities, quotes, times, events, ...}.

        Each record's `sentence` is the evidence sentence's text; its index is `sentence_index`, an index into
        `sentences` (the whole split, so that pages can point at any sentence: `/articles/ID#s-N`).
        """
        data = asdict(self)
        sentences = data["sentences"]
        for kind in ("quantities", "quotes", "times", "events"):
            for record in data[kind]:
                index = record.pop("sentence")
                record["sentence_index"] = index
                record["sentence"] = sentences[index] if 0 <= index < len(sentences) else None
        return data
