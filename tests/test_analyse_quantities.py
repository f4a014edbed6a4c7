"""Quantities: numbers in words and digits, ranges, money, units and what they count."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from storyline.analyse.nlp import get_nlp
from storyline.analyse.quantities import extract_quantities, scan

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "seeds"


def _seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip("example seeds not available")
    return found[0].read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def _quantities(text: str):
    return extract_quantities(get_nlp()(text))


def test_seed_sixty_russians_counted():
    qs = _quantities(_seed("000"))
    sixty = [q for q in qs if q.value == 60]
    assert sixty and sixty[0].counted == "Russians"
    assert sixty[0].unit is None


def test_seed_roughly_thousand_troops_is_approximate():
    qs = _quantities(_seed("002"))
    troops = [q for q in qs if q.value == 1000]
    assert troops and troops[0].approx and troops[0].counted == "U.S. troops"
    miles = [q for q in qs if q.value == 2 and q.unit == "mile"]
    assert miles and miles[0].approx


def test_seed_hundred_troops_in_chad():
    qs = _quantities(_seed("002"))
    assert any(q.value == 100 and q.approx and q.counted == "troops" for q in qs)


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit"),
    [
        ("The fine could reach $3 billion to $5 billion.", 3e9, 5e9, "dollar"),
        ("There are four to five thousand people.", 4000, 5000, None),
        ("Shares rose 2.5 per cent on Monday.", 2.5, None, "percentage"),
        ("It has 35m devices installed.", 35e6, None, None),
        ("A thousand protesters gathered.", 1000, None, None),
        ("The city lies 2.5 million metres away.", 2.5e6, None, "metre"),
        ("The 68-year-old senator spoke.", 68, None, "year of age"),
        ("Winds of at least 74 mph battered the coast.", 74, None, "mile per hour"),
        ("The stake is worth €1.2bn.", 1.2e9, None, "euro"),
    ],
)
def test_values_and_units(text, value, value_max, unit):
    got = [q for q, *_ in scan(text)]
    assert len(got) == 1, got
    assert got[0].value == pytest.approx(value)
    assert got[0].value_max == (pytest.approx(value_max) if value_max else None)
    assert got[0].unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "The talks resumed on March 29, 2019 at 12:01 a.m.",
        "The Boeing 737 landed in 2004 after the 22nd amendment passed.",
        "The match ended 2-2 on aggregate.",
        "Police arrested someone from COVID-19 testing site F-16.",
    ],
)
def test_dates_codes_and_scores_are_not_quantities(text):
    assert scan(text) == []


def test_bounds():
    (more,) = (q for q, *_ in scan("It has more than 1,000 customers."))
    assert more.bound == ">" and not more.approx
    (about,) = (q for q, *_ in scan("They walked about two miles."))
    assert about.bound == "~" and about.approx


def test_age_apposition():
    qs = _quantities("Maddon, 66, has used the downtime to get in better shape.")
    assert qs[0].unit == "year of age" and qs[0].counted == "Maddon"
