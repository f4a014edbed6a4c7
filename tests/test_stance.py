"""Headline stance: the shipped model on a sample of FNC-1 test pairs, and on headline/body pairs of our own."""

from __future__ import annotations

import csv
import random
import sys

import pytest
from conftest import SHARED

from storyline.compare.stance import LABELS, fnc_score, headline_stance

FNC = SHARED / "data" / "stance" / "fnc1"
# FNC score of the shipped model on the 400 pairs below, measured when it was trained; the test allows a margin.
SAMPLE_FLOOR = 0.82
MARGIN = 0.03

NIAMEY_BODY = (
    "Russian military personnel have moved into an air base near Niamey where American troops are still posted, "
    "a US defence official said on Friday. The Russian instructors are housed in a separate hangar and have no "
    "access to the American soldiers or their equipment, the official said, describing the arrangement as "
    "uncomfortable but manageable. Roughly a thousand US service members remain in Niger while Washington and "
    "the military government discuss their withdrawal.")


def fnc_sample(n: int = 400) -> list[tuple[str, str, str]]:
    """A seeded sample of competition-test pairs (headline, body, gold stance)."""
    csv.field_size_limit(sys.maxsize)
    with open(FNC / "competition_test_bodies.csv", encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with open(FNC / "competition_test_stances.csv", encoding="utf-8", newline="") as fh:
        rows = [(r["Headline"], bodies[r["Body ID"]], r["Stance"]) for r in csv.DictReader(fh)]
    return random.Random(5).sample(rows, n)


@pytest.mark.skipif(not FNC.exists(), reason="FNC-1 data not available")
def test_fnc_sample_score_above_floor():
    pairs = fnc_sample()
    predicted = [headline_stance(h, b).label for h, b, _ in pairs]
    assert fnc_score([g for _, _, g in pairs], predicted) >= SAMPLE_FLOOR - MARGIN


def test_scores_are_a_distribution():
    stance = headline_stance("Russian troops arrive at Niger air base used by US forces", NIAMEY_BODY)
    assert set(stance.scores) == set(LABELS)
    assert abs(sum(stance.scores.values()) - 1) < 1e-6
    assert stance.label == max(stance.scores, key=stance.scores.get)


def test_fight_headline_not_supported_by_peaceful_body():
    stance = headline_stance("Russian and American soldiers fight at Niger air base", NIAMEY_BODY)
    assert stance.label != "agree"
    assert not stance.supported


def test_headline_on_the_body_topic_is_related():
    stance = headline_stance("Russian troops arrive at Niger air base used by US forces", NIAMEY_BODY)
    assert stance.label != "unrelated"


def test_headline_on_another_topic_is_unrelated():
    stance = headline_stance("Harbour town bakery wins national prize for its rye bread", NIAMEY_BODY)
    assert stance.label == "unrelated"


def test_denied_report_is_not_agreed():
    body = ("The carmaker has denied reports that it is about to buy a battery start-up. A spokeswoman said the "
            "story was false, that no talks had taken place and that the company had no plans for an acquisition.")
    assert headline_stance("Carmaker to buy battery start-up", body).label in {"disagree", "discuss"}
