"""Headline support: does an article's body agree with its headline, disagree, discuss it, or not relate to it?

The model is trained on FNC-1 by ``benchmarks/train_stance.py`` and shipped as ``stance_model.npz`` next to this
file: term-frequency vectors of headline and body over a shared 5,000-term vocabulary, hand features (those of the
FNC-1 baseline, reimplemented, plus sentence-level similarity, hedging, negation and how much of the headline the body
leaves out) and a small ensemble of one-hidden-layer networks, evaluated here with numpy alone. Nothing is fetched at
run time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

LABELS = ("agree", "disagree", "discuss", "unrelated")
WEIGHTS = Path(__file__).with_name("stance_model.npz")

# The refuting words of the FNC-1 baseline (github.com/FakeNewsChallenge/fnc-1-baseline, Apache-2.0).
REFUTING = ("fake", "fraud", "hoax", "false", "deny", "denies", "not", "despite", "nope", "doubt", "doubts", "bogus",
            "debunk", "pranks", "retract")
HEDGES = frozenset({"reportedly", "allegedly", "alleged", "claim", "claims", "claimed", "claiming", "according",
                    "rumor", "rumors", "rumour", "rumours", "rumored", "unconfirmed", "unverified", "may", "might",
                    "could", "possibly", "apparently", "purportedly", "suggest", "suggests", "speculation",
                    "speculated", "believed", "appears", "reports", "reported", "supposedly"})
NEGATIONS = frozenset({"not", "no", "never", "deny", "denies", "denied", "denial", "false", "fake", "hoax", "debunk",
                       "debunked", "untrue", "refute", "refuted", "refutes", "dismissed", "rejected", "rejects",
                       "contrary", "nothing", "isn", "wasn", "didn", "doesn", "aren", "weren", "hasn", "haven",
                       "satire", "satirical", "prank", "bogus", "fabricated", "misleading"})
STEM = 5  # words sharing their first five letters count as one term in the coverage features
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Stance:
    """The body's stance towards the headline, with a probability per label in ``LABELS``."""

    label: str
    scores: dict[str, float]

    @property
    def supported(self) -> bool:
        """True when the body agrees with the headline."""
        return self.label == "agree"


def clean(text: str) -> str:
    """Lower-cased words joined by single spaces (punctuation dropped)."""
    return " ".join(_WORD.findall(text.lower()))


def _grams_hits(grams: list[str], body: str, prefixes: tuple[int, ...]) -> list[float]:
    """How many of `grams` occur in `body`, then in each of its first `prefixes` characters."""
    found = [g for g in set(grams) if g in body]
    hits = Counter(grams)
    return [float(sum(hits[g] for g in found))] + [float(sum(hits[g] for g in found if g in body[:n]))
                                                   for n in prefixes]


def baseline_features(headline: str, body: str, stop: frozenset[str]) -> list[float]:
    """The 44 hand features of the FNC-1 baseline: word overlap, refuting words, polarity, n-gram hits.

    Reimplemented without its lemmatiser, and with character n-grams taken from the headline's content words as
    intended (the original joins each n-gram's characters with spaces, so they rarely match).
    """
    head, text = clean(headline), clean(body)
    head_words, body_words = head.split(), text.split()
    head_set, body_set = set(head_words), set(body_words)
    overlap = len(head_set & body_set) / max(1, len(head_set | body_set))
    refuting = [float(w in head_set) for w in REFUTING]
    polarity = [float(sum(w in REFUTING for w in words) % 2) for words in (head_words, body_words)]
    content = [w for w in head_words if w not in stop]
    cooccur = _grams_hits(head_words, text, (255,)) + _grams_hits(content, text, (255,))
    joined = " ".join(content)
    chars = [_grams_hits([joined[i:i + n] for i in range(len(joined) - n + 1)], text, (255, 100))
             for n in (2, 8, 4, 16)]
    ngrams = [_grams_hits([" ".join(head_words[i:i + n]) for i in range(len(head_words) - n + 1)], text, (255,))
              for n in (2, 3, 4, 5, 6)]
    return [overlap, *refuting, *polarity, *cooccur, *(x for c in chars for x in c), *(x for g in ngrams for x in g)]


class Vocabulary:
    """A shared term vocabulary with inverse document frequencies: term-frequency and TF-IDF vectors."""

    def __init__(self, terms: list[str], idf: np.ndarray, stop: frozenset[str]) -> None:
        self.terms, self.idf, self.stop = terms, idf, stop
        self.index = {t: i for i, t in enumerate(terms)}
        self.idf_list = idf.tolist()

    def terms_of(self, text: str) -> list[str]:
        """Lower-cased words of two or more characters, stop words removed."""
        return [w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in self.stop]

    def counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse term counts of `text`: (indices, counts), indices sorted."""
        found = Counter(self.index[w] for w in self.terms_of(text) if w in self.index)
        idx = np.array(sorted(found), dtype=np.int64)
        return idx, np.array([found[i] for i in idx], dtype=np.float64)

    def tf(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """L2-normalised term frequencies."""
        idx, val = self.counts(text)
        return idx, val / (np.linalg.norm(val) or 1.0)

    def tfidf(self, text: str) -> dict[int, float]:
        """L2-normalised TF-IDF weights as a dict."""
        index = self.index
        found = Counter(index[w] for w in self.terms_of(text) if w in index)
        weights = {i: c * self.idf_list[i] for i, c in found.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {i: w / norm for i, w in weights.items()}


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


@dataclass(frozen=True)
class BodyView:
    """What the features need of a body, computed once per body."""

    text: str
    tf: tuple[np.ndarray, np.ndarray]
    tfidf: dict[int, float]
    sentences: list[tuple[dict[int, float], set[str]]]
    stems: frozenset[str]
    hedge_ratio: float
    length: float


def body_view(body: str, vocab: Vocabulary) -> BodyView:
    """Vectors of the body and of each of its sentences, its word stems and its hedging ratio."""
    words = _WORD.findall(body.lower())
    sentences = [(vocab.tfidf(s), set(_WORD.findall(s.lower()))) for s in _SENTENCE.split(body) if s.strip()]
    hedges = sum(w in HEDGES for w in words) / max(1, len(words))
    return BodyView(body, vocab.tf(body), vocab.tfidf(body), sentences or [({}, set())],
                    frozenset(w[:STEM] for w in words), hedges, float(np.log1p(len(words))))


def coverage_features(headline: str, body: BodyView, vocab: Vocabulary) -> list[float]:
    """How much of the headline the body leaves out: missing content terms (by stem), by count and IDF weight."""
    terms = vocab.terms_of(headline)
    if not terms:
        return [0.0, 0.0, 0.0, 0.0]
    top = max(vocab.idf_list, default=1.0)
    idf = [vocab.idf_list[vocab.index[w]] if w in vocab.index else top for w in terms]
    missing = [x for w, x in zip(terms, idf, strict=True) if w[:STEM] not in body.stems]
    return [float(np.log1p(len(missing))), len(missing) / len(terms), sum(missing) / sum(idf),
            max(missing, default=0.0) / top]


def extra_features(headline: str, body: BodyView, vocab: Vocabulary) -> list[float]:
    """Our features: TF-IDF cosine of the texts and of the closest body sentences, hedging and negation cues."""
    head = vocab.tfidf(headline)
    head_words = set(_WORD.findall(headline.lower()))
    sims = np.array([_cosine(head, s) for s, _ in body.sentences])
    order = np.argsort(-sims, kind="stable")[:3]
    top_words = set().union(*(body.sentences[i][1] for i in order))
    return [_cosine(head, body.tfidf), float(sims.max()), float(sims[order].mean()), float(sims[0]),
            float(order[0]) / len(sims), body.hedge_ratio, float(len(top_words & HEDGES)),
            float(len(top_words & NEGATIONS)), float(len(head_words & NEGATIONS)), float(len(head_words & HEDGES)),
            float("?" in headline), body.length]


def dense_features(headline: str, body: BodyView, vocab: Vocabulary) -> np.ndarray:
    """Baseline, extra (both log-scaled) and coverage features."""
    counts = np.log1p(np.array(baseline_features(headline, body.text, vocab.stop)
                               + extra_features(headline, body, vocab), dtype=np.float64))
    return np.concatenate([counts, coverage_features(headline, body, vocab)])


class StanceModel:
    """The shipped ensemble: input [headline TF, body TF, scaled dense features] -> ReLU layer -> 4 logits."""

    def __init__(self, path: Path = WEIGHTS) -> None:
        with np.load(path, allow_pickle=False) as z:
            self.vocab = Vocabulary(z["terms"].tolist(), z["idf"], frozenset(z["stop"].tolist()))
            self.mean, self.std = z["mean"], z["std"]
            self.w1, self.b1 = z["w1"].astype(np.float32), z["b1"]
            self.w2, self.b2 = z["w2"], z["b2"]

    def predict(self, headline: str, body: str | BodyView) -> np.ndarray:
        """Probabilities over ``LABELS``."""
        view = body if isinstance(body, BodyView) else body_view(body, self.vocab)
        size = len(self.vocab.terms)
        h_idx, h_val = self.vocab.tf(headline)
        b_idx, b_val = view.tf
        dense = (dense_features(headline, view, self.vocab) - self.mean) / self.std
        rows = np.concatenate([h_idx, b_idx + size, np.arange(len(dense)) + 2 * size])
        vals = np.concatenate([h_val, b_val, dense]).astype(np.float32)
        hidden = np.maximum(np.einsum("k,ekh->eh", vals, self.w1[:, rows]) + self.b1, 0.0)
        logits = np.einsum("eh,ehc->ec", hidden, self.w2) + self.b2
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (probs / probs.sum(axis=1, keepdims=True)).mean(axis=0)


@lru_cache(maxsize=1)
def load_model() -> StanceModel:
    """The shipped model, loaded once."""
    return StanceModel()


def headline_stance(headline: str, body: str) -> Stance:
    """The stance of `body` towards `headline`: agree, disagree, discuss or unrelated, with per-label scores."""
    probs = load_model().predict(headline, body)
    return Stance(LABELS[int(probs.argmax())], {label: float(p) for label, p in zip(LABELS, probs, strict=True)})


def fnc_score(gold: list[str], pred: list[str]) -> float:
    """The official FNC-1 score, relative to its maximum: 0.25 for related/unrelated right, 0.75 more for exact."""
    def points(g: str, p: str) -> float:
        return 0.25 * ((g == "unrelated") == (p == "unrelated")) + 0.75 * (g != "unrelated" and g == p)

    return sum(points(g, p) for g, p in zip(gold, pred, strict=True)) / sum(points(g, g) for g in gold)
