"""Text fingerprints for copy detection: tokens, shingles, MinHash and pair measures."""

from __future__ import annotations

import hashlib
import math
import re
import struct
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from datasketch import MinHash

from storyline.cluster.features import STOPWORDS

NUM_PERM = 64
SHINGLE = 4
_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Case- and diacritic-folded word tokens."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _TOKEN.findall(folded if folded.isascii() else _combining().sub("", folded))


@lru_cache(maxsize=1)
def _combining() -> re.Pattern[str]:
    """Every combining character (`unicodedata.combining`), as one character class."""
    marks = [c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))]
    ranges, start = [], marks[0]
    for previous, current in zip(marks, marks[1:] + [-1], strict=True):
        if current != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = current
    return re.compile(f"[{''.join(ranges)}]")


def _hash(value: str) -> int:
    return struct.unpack("<Q", hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest())[0]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What copy detection keeps of one article."""

    exact: str  # hash of the token sequence: identical text under any markup or URL
    shingles: frozenset[int]  # hashed word 4-grams
    words: Counter[str]  # content-word counts, for paraphrase similarity
    paragraphs: tuple[int, ...]  # hashed paragraphs in page order, for reordering
    shingle_hash: MinHash
    word_hash: MinHash
    length: int  # number of tokens


@lru_cache(maxsize=1)
def _blank() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1)


def _minhash(values: list[int]) -> MinHash:
    blank = _blank()  # its permutations are drawn once
    minhash = MinHash(num_perm=NUM_PERM, seed=1, permutations=blank.permutations, scheme=blank.scheme)
    if values:
        minhash.update_batch([struct.pack("<Q", v) for v in values])
    return minhash


def fingerprint(text: str) -> Fingerprint:
    """Fingerprint the clean body of an article."""
    lines = [line_tokens for line in re.split(r"\n\s*\n|\n", text) if (line_tokens := tokens(line))]
    toks = [token for line_tokens in lines for token in line_tokens]  # the text's tokens: none spans a line break
    shingles = frozenset(_hash(" ".join(toks[i:i + SHINGLE])) for i in range(max(1, len(toks) - SHINGLE + 1)))
    words = Counter(t for t in toks if len(t) > 2 and t not in STOPWORDS and not t.isdecimal())
    paragraphs = tuple(_hash(" ".join(line_tokens)) for line_tokens in lines)
    return Fingerprint(
        exact=hashlib.sha256(" ".join(toks).encode("utf-8")).hexdigest(),
        shingles=shingles,
        words=words,
        paragraphs=paragraphs,
        shingle_hash=_minhash(sorted(shingles)),
        word_hash=_minhash(sorted(_hash(w) for w in words)),
        length=len(toks),
    )


@dataclass(frozen=True, slots=True)
class PairMeasures:
    """How much text two articles share."""

    jaccard: float  # of 4-gram shingles
    containment: float  # shared shingles over the smaller article's shingles
    cosine: float  # of content-word counts (survives paraphrase and reordering)
    reordered: bool  # the shared paragraphs appear in a different order


def measure(a: Fingerprint, b: Fingerprint) -> PairMeasures:
    shared = len(a.shingles & b.shingles)
    union = len(a.shingles) + len(b.shingles) - shared
    small = min(len(a.shingles), len(b.shingles))
    return PairMeasures(
        jaccard=shared / union if union else 1.0,
        containment=shared / small if small else 0.0,
        cosine=_cosine(a.words, b.words),
        reordered=_reordered(a.paragraphs, b.paragraphs),
    )


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(count * large.get(word, 0) for word, count in small.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _reordered(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """True when paragraphs both articles share come in a different order."""
    position = {p: i for i, p in enumerate(b)}
    shared = [position[p] for p in a if p in position]
    return len(shared) >= 2 and any(x > y for x, y in zip(shared, shared[1:], strict=False))

