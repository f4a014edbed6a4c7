"""Single-pass online story clustering over sparse TF-IDF features with time decay.

Articles arrive one at a time in publication order. Each is vectorised with the
document frequencies seen so far (so the result depends only on the order),
compared with the stories still open in the time window (found through an
inverted index over the stories' terms, never by scoring all pairs), and either
joins the best story or starts a new one. The merge-or-new decision is a
logistic model over a few similarities, calibrated on development data
(`calibration.json`, written by `benchmarks/bench_clustering.py --calibrate`).
"""

from __future__ import annotations

import heapq
import json
import math
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from storyline.cluster.features import Features

Vector = dict[str, float]
# word cosine, entity cosine, log(1 + day gap), gap in months (capped), log size, 1 if the gap is unknown,
# best word cosine to one of the story's latest members
Similarity = tuple[float, float, float, float, float, float, float]
RECENT_MEMBERS = 16


@dataclass(frozen=True, slots=True)
class Decision:
    """Weights of the merge-or-new model: p = sigmoid(bias + sum(w * feature)); merge when p >= threshold."""

    bias: float
    words: float
    entities: float
    days: float
    months: float
    size: float
    undated: float
    member: float
    threshold: float
    window_days: int = 90

    def probability(self, x: Similarity) -> float:
        z = (self.bias + self.words * x[0] + self.entities * x[1] + self.days * x[2] + self.months * x[3]
             + self.size * x[4] + self.undated * x[5] + self.member * x[6])
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@lru_cache(maxsize=1)
def default_decision() -> Decision:
    """The decision model calibrated on development data."""
    text = resources.files("storyline.cluster").joinpath("calibration.json").read_text(encoding="utf-8")
    return Decision(**json.loads(text)["decision"])


@dataclass(slots=True)
class Story:
    """An open or closed story: the sums of its members' unit vectors and its date range."""

    id: int
    words: Vector = field(default_factory=dict)
    entities: Vector = field(default_factory=dict)
    words_norm2: float = 0.0
    entities_norm2: float = 0.0
    members: list[Hashable] = field(default_factory=list)
    recent: deque[Vector] = field(default_factory=lambda: deque(maxlen=RECENT_MEMBERS))  # latest word vectors
    first_day: int | None = None
    last_day: int | None = None
    languages: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one article went: its story, whether it started it, and the evidence."""

    key: Hashable
    story: int
    new: bool
    probability: float  # of the chosen story (of the best candidate when a new story was started)
    similarity: float  # word cosine to the chosen or best story


def _add(centroid: Vector, norm2: float, vector: Vector) -> float:
    for term, weight in vector.items():
        old = centroid.get(term, 0.0)
        centroid[term] = old + weight
        norm2 += 2 * old * weight + weight * weight
    return norm2


def _cosine(vector: Vector, centroid: Vector, norm2: float) -> float:
    if norm2 <= 0 or not vector:
        return 0.0
    get = centroid.get
    return sum(weight * get(term, 0.0) for term, weight in vector.items()) / math.sqrt(norm2)


class OnlineClusterer:
    """Deterministic single-pass clusterer; feed articles with `add` in stream order."""

    def __init__(self, decision: Decision | None = None, *, probe_terms: int = 24, max_candidates: int = 12) -> None:
        self.decision = decision or default_decision()
        self.probe_terms = probe_terms
        self.max_candidates = max_candidates
        self.stories: list[Story] = []
        self.docs = 0
        self.df: dict[str, int] = {}
        self._postings: dict[str, set[int]] = {}
        self._open: set[int] = set()
        self._expiry: list[tuple[int, int]] = []  # (last_day, story id), lazily refreshed

    @property
    def open_stories(self) -> int:
        """How many stories are still open (inside the time window): what memory is bounded by."""
        return len(self._open)

    # vectors

    def _vectorise(self, counts: dict[str, float], prefix: str) -> Vector:
        n = self.docs
        vector = {}
        for term, tf in counts.items():
            df = self.df.get(prefix + term, 0)
            vector[term] = (1.0 + math.log(tf)) * (math.log((n + 1) / (df + 1)) + 1.0)
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {t: w / norm for t, w in vector.items()} if norm else {}

    def weigh(self, counts: dict[str, float]) -> Vector:
        """A unit TF-IDF vector of word counts under the current document frequencies."""
        return self._vectorise(counts, "")

    def _count(self, features: Features) -> None:
        self.docs += 1
        for term in features.words:
            self.df[term] = self.df.get(term, 0) + 1
        for term in features.entities:
            key = "\0" + term
            self.df[key] = self.df.get(key, 0) + 1

    # the stream

    def _expire(self, day: int | None) -> None:
        if day is None:
            return
        horizon = day - self.decision.window_days
        while self._expiry and self._expiry[0][0] < horizon:
            last, story_id = heapq.heappop(self._expiry)
            story = self.stories[story_id]
            if story_id not in self._open or story.last_day != last:
                continue
            self._open.discard(story_id)
            for term in story.words:
                self._postings[term].discard(story_id)
            for term in story.entities:
                self._postings["\0" + term].discard(story_id)
            story.words, story.entities = {}, {}  # a closed story keeps only its members
            story.recent.clear()

    def _probe(self, words: Vector, entities: Vector) -> list[int]:
        """Open stories sharing the article's heaviest terms, best partial match first."""
        scores: dict[int, float] = {}
        probes = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[: self.probe_terms]
        probes += [("\0" + t, w) for t, w in sorted(entities.items(), key=lambda kv: (-kv[1], kv[0]))
                   [: self.probe_terms]]
        for term, weight in probes:
            for story_id in self._postings.get(term, ()):
                scores[story_id] = scores.get(story_id, 0.0) + weight
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [story_id for story_id, _ in ranked[: self.max_candidates]]

    def features(self, story: Story, words: Vector, entities: Vector, day: int | None,
                 language: str | None) -> Similarity:
        """Similarities of an article to a story: word and entity cosines, the day gap (log and linear in
        months, for a decay the model can shape), log size, and whether the gap is unknown (the article or
        the story has no credible date), and the best word cosine to one of its latest members."""
        entity_cos = _cosine(entities, story.entities, story.entities_norm2)
        if language and story.languages and language not in story.languages:
            word_cos = entity_cos  # words of different languages are not comparable; names and numbers are
        else:
            word_cos = _cosine(words, story.words, story.words_norm2)
        gap, undated = 0, 1.0
        if day is not None and story.first_day is not None and story.last_day is not None:
            gap, undated = max(0, story.first_day - day, day - story.last_day), 0.0
        member_cos = max((_cosine(words, member, 1.0) for member in story.recent), default=0.0)
        if language and story.languages and language not in story.languages:
            member_cos = entity_cos
        return (word_cos, entity_cos, math.log1p(gap), min(gap, 3650) / 30, math.log(len(story.members)),
                undated, member_cos)

    def prepare(self, features: Features) -> tuple[Vector, Vector]:
        """Count the article's terms, close stories outside the window, and return its unit vectors."""
        self._count(features)
        self._expire(features.day)
        return self._vectorise(features.words, ""), self._vectorise(features.entities, "\0")

    def candidates(self, features: Features, words: Vector,
                   entities: Vector) -> list[tuple[int, Similarity]]:
        """The open stories worth scoring for a prepared article, with their similarity features."""
        return [(story_id, self.features(self.stories[story_id], words, entities, features.day,
                                         features.language))
                for story_id in self._probe(words, entities)]

    def add(self, key: Hashable, features: Features) -> Placement:
        """Place one article: join the most probable open story or start a new one."""
        words, entities = self.prepare(features)
        story, probability, similarity = self.decide(key, features, words, entities)
        return Placement(key, story.id, len(story.members) == 1, probability, similarity)

    def decide(self, key: Hashable, features: Features, words: Vector,
               entities: Vector) -> tuple[Story, float, float]:
        """Join a prepared article to its most probable open story, or start one.

        Returns the story, the probability of the best candidate and its word cosine.
        """
        best: tuple[float, float, int] | None = None
        for story_id, x in self.candidates(features, words, entities):
            p = self.decision.probability(x)
            if best is None or p > best[0]:
                best = (p, x[0], story_id)
        joined = best is not None and best[0] >= self.decision.threshold
        story = self.join(key, features, words, entities, best[2] if joined and best else None)
        return story, (best[0] if best else 0.0), (best[1] if best else 0.0)

    def join(self, key: Hashable, features: Features, words: Vector, entities: Vector,
             story_id: int | None) -> Story:
        """Add a prepared article to story `story_id`, or to a new story when it is None."""
        if story_id is None:
            story = Story(id=len(self.stories))
            self.stories.append(story)
        else:
            story = self.stories[story_id]
        self._open.add(story.id)  # a closed story reopens when a copy of one of its articles arrives
        story.words_norm2 = _add(story.words, story.words_norm2, words)
        story.entities_norm2 = _add(story.entities, story.entities_norm2, entities)
        story.members.append(key)
        story.recent.append(words)
        if features.language:
            story.languages[features.language] = story.languages.get(features.language, 0) + 1
        for term in words:
            self._postings.setdefault(term, set()).add(story.id)
        for term in entities:
            self._postings.setdefault("\0" + term, set()).add(story.id)
        if features.day is not None:
            story.first_day = features.day if story.first_day is None else min(story.first_day, features.day)
            story.last_day = features.day if story.last_day is None else max(story.last_day, features.day)
            heapq.heappush(self._expiry, (story.last_day, story.id))
        return story
