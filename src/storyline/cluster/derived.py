"""What the story step needs of one article's text, derived once and stored beside the article.

An article's clustering terms (`featurize`, undated), copy fingerprint (`fingerprint`) and content-farm
traits of its own (`farm_signals` without a source) depend on the article alone, so the extraction workers
derive them (`derive`) and the store keeps them (`article_derived`). The story step then reads them one
article at a time instead of deriving every stored article again: its memory does not hold all articles'
terms, and a later ingest derives only its new articles'. Rows of another `VERSION`, and articles stored
without one (by an earlier release, or into an in-memory store), are derived by the story step.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from storyline.cluster.features import Features, featurize
from storyline.dedup.signals import CopyDoc, farm_signals
from storyline.dedup.similarity import NUM_PERM, Fingerprint, fingerprint
from storyline.models import Article
from storyline.store import Derivation

VERSION = 1  # bump when featurize, fingerprint or farm_signals change what they return for an article


@dataclass(frozen=True, slots=True)
class CopyTraits:
    """Dedup's derivations of one article: its fingerprint and its content-farm signals as a lone article."""

    fingerprint: Fingerprint
    farm: tuple[str, ...]


def derive(article: Article) -> Derivation:
    """The stored derivations of one article (`features`, `copy_traits` read them back)."""
    features = featurize(article.title, article.text, day=None, language=article.language)
    lone = CopyDoc.from_article(article if article.id is not None else replace(article, id=0))  # ids unused
    return Derivation(VERSION, _encode_features(features), _encode_copy(
        CopyTraits(fingerprint(article.text), farm_signals(lone, copied_from=None))))


def features(derivation: Derivation, *, day: int | None, language: str | None) -> Features:
    """The clustering features `featurize` gave the article, dated `day`."""
    terms = json.loads(derivation.features, object_pairs_hook=_interned)
    return Features(terms["words"], terms["entities"], day, language)


def _interned(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A decoded object with its keys interned: the clusterer keeps many articles' vectors (the latest members
    of every open story), and one string per term, not per article, keeps them small."""
    return {sys.intern(key): value for key, value in pairs}


def copy_traits(derivation: Derivation) -> CopyTraits:
    """The fingerprint and lone farm signals `derive` stored."""
    header, _, packed = derivation.copy.partition(b"\0")
    data = json.loads(header)
    values = np.frombuffer(packed, dtype="<u8")
    shingles_end = 2 * NUM_PERM + data["shingles"]
    fp = Fingerprint(exact=data["exact"], shingles=frozenset(values[2 * NUM_PERM:shingles_end].tolist()),
                     words=Counter(data["words"]), paragraphs=tuple(values[shingles_end:].tolist()),
                     shingle_hash=_lean(values[:NUM_PERM]), word_hash=_lean(values[NUM_PERM:2 * NUM_PERM]),
                     length=data["length"])
    return CopyTraits(fp, tuple(data["farm"]))


def _encode_features(features: Features) -> str:
    return json.dumps({"words": features.words, "entities": features.entities}, ensure_ascii=False)


def _encode_copy(traits: CopyTraits) -> bytes:
    """A JSON header, a NUL (JSON escapes every control character) and the fingerprint's hashes as uint64."""
    fp = traits.fingerprint
    header = {"exact": fp.exact, "words": dict(fp.words), "length": fp.length, "shingles": len(fp.shingles),
              "farm": list(traits.farm)}
    values = np.concatenate([fp.shingle_hash.hashvalues, fp.word_hash.hashvalues,
                             np.array(sorted(fp.shingles), dtype=np.uint64),
                             np.array(fp.paragraphs, dtype=np.uint64)]).astype("<u8")
    return json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\0" + values.tobytes()


@lru_cache(maxsize=1)
def _scheme() -> str:
    return MinHash(num_perm=NUM_PERM, seed=1).scheme


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=values, scheme=_scheme())

