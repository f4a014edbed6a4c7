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
        ("Roughly 500 people were evacuated.", 500, None, None),
        ("The fund lost RM9.8bil in the scandal.", 9.8e9, None, "malaysian ringgit"),
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


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Temperatures hit 38C in the south.", 38, "celsius"),
        ("It was 101F in the shade.", 101, "fahrenheit"),
        ("The lamp draws 65 W at full power.", 65, "watt"),
        ("The stock closed at 245p on Friday.", 245, "point"),
        ("Imports reached 4.2m tonnes last year.", 4.2e6, "metric ton"),
        ("Ozone peaked at 90 parts per billion.", 90, "part per billion"),
        ("The shares trade at 11 times earnings.", 11, "count"),
        ("The plant is a 30,000 barrel-a-day refinery.", 30000, "barrel per day"),
        ("The train reached 300 km/hr on the test run.", 300, "kilometre per hour"),
        ("Operators are rolling out 5G in rural areas.", 5, "generation wireless"),
        ("The guard averaged 6.1 rpg last season.", 6.1, "rebound per game"),
        ("A coffee costs 20 kn in the old town.", 20, "croatian kuna"),
        ("Sales were 40 million zlotys in March.", 4e7, "polish zloty"),
        ("The site recorded 3.2 millisieverts of exposure.", 3.2, "millisievert"),
        ("The dish needs 1/2 pound of butter.", 0.5, "pound-mass"),
        ("The board is 2 1/2 inches thick.", 2.5, "inch"),
        ("A spoon holds 1⁄3 of a US cup.", 1 / 3, "cup"),
        ("They walked half a mile to the shore.", 0.5, "mile"),
        ("The wait was two and a half hours.", 2.5, "hour"),
        ("Light covers about 3×10^8 metres per second.", 3e8, "metre per second"),
        ("The wind chill fell to minus-40 degrees Fahrenheit.", -40, "fahrenheit"),
        ("Foundries now make sub-5 nanometre chips.", 5, "nanometre"),
        ("The drone flew at an altitude of 400' over the park.", 400, "foot"),
    ],
)
def test_unit_table_and_number_forms(text, value, unit):
    got = [q for q, *_ in scan(text)]
    assert len(got) == 1, got
    assert got[0].value == pytest.approx(value)
    assert got[0].unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "The fort was built between A.D. 900 and 1100 by local rulers.",
        "The office is at 22-24 Harbour Road in the old town.",
        "The parcel went to postcode 4QX7 near the river.",
        "The match was shown live on BBC One.",
        "Teams in the last-16 stage meet on Tuesday.",
    ],
)
def test_years_addresses_codes_and_names_are_not_quantities(text):
    assert scan(text) == []


def test_lower_case_letters_before_dollar_are_not_currency_codes():
    (q,) = (q for q, *_ in scan("The group agreed a $4.5 bn takeover."))
    assert q.unit == "dollar" and q.value == pytest.approx(4.5e9)


def test_word_fractions_count_what_follows():
    qs = _quantities("Nearly a third of the voters stayed home, and half the seats changed hands.")
    third, half = qs
    assert third.value == pytest.approx(1 / 3) and third.unit == "fraction" and third.counted == "voters"
    assert third.approx
    assert half.value == 0.5 and half.counted == "seats"


def test_half_in_time_phrases_is_not_a_fraction():
    assert scan("Profits rose in the second half of the year.") == []


def test_hanging_hyphens_share_the_last_unit_or_noun():
    got = [(q.value, q.unit) for q, *_ in scan("The range has 2-, 3- and 5-litre bottles.")]
    assert got == [(2, "litre"), (3, "litre"), (5, "litre")]
    qs = _quantities("The chain runs three-, four- and five-star hotels.")
    assert [(q.value, q.counted) for q in qs] == [(3, "star"), (4, "star"), (5, "star")]


def test_rate_after_an_aside_in_brackets():
    first, second = (q for q, *_ in scan("The bid was C$9 (US$6.60) per share."))
    assert first.unit == "canadian dollar per share" and second.unit == "dollar"
    (q, _) = (q for q, *_ in scan("Revenue was 2 billion kronor ($190 million) a year."))
    assert q.unit == "swedish krona per year"


def test_change_then_level_is_not_a_range():
    got = [(q.value, q.value_max) for q, *_ in scan("The stock fell 8p to 120p.")]
    assert got == [(8, None), (120, None)]


def test_bare_numbers_take_the_unit_or_noun_they_are_tied_to():
    qs = _quantities("The Nikkei rose 120.5 points to 28,410.2 on Friday.")
    assert [q.unit for q in qs] == ["point", "point"]
    qs = _quantities("Output grew by 4 percent in May but by 1 in June.")
    assert [q.unit for q in qs] == ["percentage", "percentage"]
    qs = _quantities("The council built 240 houses last year and 310 this year.")
    assert [q.counted for q in qs] == ["houses", "houses"]
    qs = _quantities("The index gained 1.1 per cent to 6,200.")
    assert qs[1].unit is None  # a level after a percentage change has no stated unit


def test_partial_counts_are_not_inherited():
    qs = _quantities("Divers found two more victims, bringing the toll to 9.")
    assert qs[-1].value == 9 and qs[-1].counted is None


def test_pronoun_one_is_not_a_quantity():
    qs = _quantities("Reusing a password or picking the same one everywhere is risky.")
    assert qs == []


def test_superscript_subscript_and_other_script_digits_do_not_break_analysis() -> None:
    from storyline.analyse import analyse
    from storyline.cluster.features import featurize
    from storyline.models import Article

    text = ("Officials said ² people and ₁₂ others were hurt, 3² buildings fell by ½ percent and "
            "٣ soldiers were seen on Friday, ² weeks ago. Mayor Ann Lee, ⁶⁶, said the CO₂ level rose.")
    article = Article(id=1, source="x", url=None, title="Odd digits ² ₁", published="2024-03-05", text=text,
                      published_evidence=None, published_confidence=1.0, publisher=None, authors=[], credited=[],
                      language="en", removed=[], captions=[], format="body")
    facts = analyse(article).to_json()
    assert facts.get("note") is None and facts["quantities"]
    assert featurize(article.title, text, day=None, language="en").entities
