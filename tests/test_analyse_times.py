"""Time expressions resolved against the publication date."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.analyse.nlp import get_nlp
from storyline.analyse.times import dayfirst_for, extract_times

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "seeds"


def _times(text: str, published: str = "2024-05-04", dayfirst: bool = False) -> dict[str, str | None]:
    return {t.text: t.date for t in extract_times(get_nlp()(text), published, dayfirst)}


def test_seed_on_friday_is_the_last_friday_before_publication():
    found = sorted(SEEDS.glob("000_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip("example seeds not available")
    times = extract_times(get_nlp()(found[0].read_text(encoding="utf-8")), "2024-05-04")
    fridays = [t for t in times if t.text == "on Friday"]
    assert fridays and all(t.date == "2024-05-03" for t in fridays)
    weeks = [t for t in times if "three weeks" in t.text]
    assert not weeks  # a duration is not a date


@pytest.mark.parametrize(
    ("text", "expr", "date"),
    [
        ("Austin spoke on Friday in Hawaii.", "on Friday", "2024-05-03"),
        ("Austin spoke Thursday in Hawaii.", "Thursday", "2024-05-02"),
        ("The troops arrived last month.", "last month", "2024-04"),
        ("The base was handed over in mid-March.", "mid-March", "2024-03-11/2024-03-20"),
        ("Two weeks ago officials met in Niamey.", "Two weeks ago", "2024-04-20"),
        ("He will be sentenced on Friday.", "on Friday", "2024-05-10"),
        ("He will be sentenced November 8.", "November 8", "2024-11-08"),
        ("He was arrested on June 21.", "June 21", "2023-06-21"),
        ("The coup happened in July 2023.", "July 2023", "2023-07"),
        ("The base opened in 2013.", "2013", "2013"),
        ("The deal closes next week.", "next week", "2024-05-06/2024-05-12"),
        ("Officials met yesterday.", "yesterday", "2024-05-03"),
    ],
)
def test_relative_and_explicit(text, expr, date):
    assert _times(text).get(expr) == date


def test_numeric_dates_follow_the_site_locale():
    assert _times("Posted 05/03/2024.", dayfirst=False)["05/03/2024"] == "2024-05-03"
    assert _times("Posted 05/03/2024.", dayfirst=True)["05/03/2024"] == "2024-03-05"
    assert _times("Posted 25/03/2024.")["25/03/2024"] == "2024-03-25"
    assert dayfirst_for("https://www.bbc.co.uk/news/x") and not dayfirst_for("https://www.cbsnews.com/x")


def test_no_publication_date_keeps_only_absolute_dates():
    times = {t.text: t.date for t in extract_times(get_nlp()("On Friday, on May 3, 2024, they left."), None)}
    assert times == {"May 3, 2024": "2024-05-03"}


def test_lower_case_may_is_a_verb():
    assert _times("He may leave in 2025.") == {"2025": "2025"}
