"""What a story step keeps for the next one, so that a later ingest places its articles without replaying the
stored ones: the clusterer's state (`OnlineClusterer.state`) and each placed article's word vector as it was
when placed (for titles and for the latest members of open stories).

Both are plain data (JSON and float64 arrays), never code: a database may come from someone else. The state
is tagged with what it depends on (`tag`): a story step whose tag differs (another derivation version,
calibration or state format; placements written or removed since, by a rebuild or another tool) ignores it
and replays the stored placements instead.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from importlib import resources
from itertools import chain

import numpy as np

from storyline.cluster import derived
from storyline.cluster.online import Vector

FORMAT = 1  # bump when the clusterer's state or what it means changes


@lru_cache(maxsize=1)
def _calibration() -> str:
    text = resources.files("storyline.cluster").joinpath("calibration.json").read_bytes()
    return hashlib.sha256(text).hexdigest()[:16]


def tag(placements: int, seq: int) -> str:
    """What a state saved after `placements` placements, the last numbered `seq`, depends on."""
    return json.dumps({"format": FORMAT, "derived": derived.VERSION, "calibration": _calibration(),
                       "placements": placements, "seq": seq}, sort_keys=True)


def encode(state: dict) -> bytes:
    """`OnlineClusterer.state()` as JSON, its "vectors" as lists of terms in the JSON with their weights after a
    NUL as float64."""
    vectors = state["vectors"]
    header = {**state, "vectors": [list(v) for v in vectors]}
    weights = np.fromiter(chain.from_iterable(v.values() for v in vectors), dtype="<f8",
                          count=sum(map(len, vectors)))
    return json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\0" + weights.tobytes()


def decode(data: bytes) -> dict:
    """What `encode` made, back."""
    header, _, packed = data.partition(b"\0")
    state = json.loads(header)
    weights = iter(np.frombuffer(packed, dtype="<f8").tolist())
    state["vectors"] = [dict(zip(terms, weights, strict=False)) for terms in state["vectors"]]  # shared weights
    return state


def encode_vector(vector: Vector) -> bytes:
    """A JSON list of the terms, a NUL (JSON escapes every control character) and their weights as float64."""
    return (json.dumps(list(vector), ensure_ascii=False).encode("utf-8") + b"\0"
            + np.fromiter(vector.values(), dtype="<f8", count=len(vector)).tobytes())


def decode_vector(data: bytes, *, intern: bool = False) -> Vector:
    """What `encode_vector` made, back; `intern`: with each term one string, for a vector that is kept."""
    header, _, weights = data.partition(b"\0")
    terms = json.loads(header)
    return dict(zip(map(sys.intern, terms) if intern else terms, np.frombuffer(weights, dtype="<f8").tolist(),
                    strict=True))

