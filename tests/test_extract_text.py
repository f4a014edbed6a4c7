"""Plain-text page-dump cleaner: the four real seeds (read from ../shared) and small dumps written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.extract.text import classify_lines, extract_text
from storyline.extract.textdates import find_date
from storyline.models import Extraction

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "seeds"


def _seed(prefix: str) -> Extraction:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return extract_text(matches[0].read_text(encoding="utf-8"))


def _assert_removed(found: Extraction, *fragments: str) -> None:
    for fragment in fragments:
        assert any(fragment in line for line in found.removed), f"not removed: {fragment!r}"
        assert fragment not in found.text, f"still in text: {fragment!r}"


def _assert_kept(found: Extraction, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment in found.text, f"body lost: {fragment!r}"


def test_seed_000_related_blocks_and_comment_form() -> None:
    found = _seed("000")
    assert found.title == "American and Russian soldiers fight at Niger airport"
    assert found.title not in found.text
    _assert_kept(
        found,
        "Russian soldiers have moved to a US air base near Niamey",
        "The Russians are in another fold",
        "the junta staged a coup in July 2023",
        "withdrew from the West African Partnership (ECOWAS).",
    )
    _assert_removed(
        found,
        "The Belgian Chamber approves a law",
        "Read also",
        "The military coup plotters in the Sahel",
        "Leave a Reply",
        "Your email address will not be published",
    )
    assert found.removed.count("American and Russian soldiers fight at Niger airport") == 1
    assert len(found.text.split("\n\n")) == 4


def test_seed_001_agency_stamp_caption_widget() -> None:
    found = _seed("001")
    assert found.title == "Russian and American soldiers at the same airbase in Niger"
    assert found.date is not None
    assert found.date.date == "2024-05-03"  # the NTB stamp, not the "today" widget (2024-05-28)
    assert "05/03/2024" in found.date.evidence
    assert len(found.captions) == 1
    assert found.captions[0].endswith("Photo: Carley Petesch / AP / NTB")
    assert "Carley Petesch" not in found.text
    _assert_kept(
        found,
        "An unnamed US defense source told the Reuters news agency on Friday.",
        "– The situation is not very good, but it is manageable, says the source.",
        "according to CNN The situation has been going on for weeks.",
        "Last year there were around a thousand American soldiers in the country.",
    )
    _assert_removed(found, "Tuesday, May 28, 2024", "Of NTB | 05/03/2024", "(© NTB)", "© Jaun News English")
    assert found.publisher == "Jaun News English"
    assert found.authors == ["NTB"]


def test_seed_002_breadcrumb_tags_related_lists() -> None:
    found = _seed("002")
    assert found.title == "Russian military personnel enter Niger airbase where some U.S. troops remain"
    assert found.publisher == "AssetLink"
    assert found.date is not None and found.date.date == "2025-04-11"
    assert found.date.evidence == "Date:2025-04-11 05:48:19"
    assert found.authors == ["Eleanor Watson"]
    _assert_kept(
        found,
        "two U.S. officials confirmed to CBS News on Thursday",
        '"I\'m always focused on the safety and protection of our troops," Austin said',
        "Guinea, Mali and Burkina Faso's ruling juntas",
        "Chad is also considering whether to continue its security agreement with the U.S.",
    )
    _assert_removed(
        found,
        "Current:Home > Stocks",
        "SafeX Pro Exchange View",
        "Reporting contributed by Eleanor Watson",
        "- In:",
        "- Terrorism",
        "- Coup d'etat",
        "veryGood! (3858)",
        "Meta donates $1 million",
        "Horoscopes Today, July 7, 2024",
        "Ranking",
        "- Sam Taylor",
        "Recommendation",
        "How effective is the Hyundai, Kia anti-theft software?",
        "DoorDash steps up efforts",
        'Withdrawal from Niger a "devastating blow"',
    )
    assert len(found.text.split("\n\n")) == 12


def test_seed_003_repeated_title_counter_tags_next() -> None:
    found = _seed("003")
    assert found.title == "Moscow with a new challenge to the US in Libya"
    assert found.date is not None and found.date.date == "2023-11-06"
    assert "06 Nov. 2023" in found.date.evidence
    assert found.removed.count("Moscow with a new challenge to the US in Libya") == 2
    _assert_kept(
        found,
        # the standfirst
        "The threat is being taken “very seriously” by the US administration, says Jonathan Winner",
        "writes “Trud”, referring to “Bloomberg”.",
        "he commented.",
        "Kremlin spokesman Dmitry Peskov declined to comment on the potential military deal.",
    )
    _assert_removed(
        found,
        "2930 read 5 comments",
        "Follow the latest news with BLITZ",
        "The article is in bulgaria",
        "Tags: Moscow challenge Libya",
        "NEXT Henry Kissinger",
    )


# --- small dumps written for these tests ---------------------------------------------------------

HARBOUR = """Monday, June 3, 2024

Harbour cranes halted as dock workers walk out

By Mara Lindqvist, Associated Press | 04/11/2024 14:05

Dock workers at the northern container terminal stopped all crane operations on Thursday morning, leaving \
eleven ships waiting at anchor outside the harbour while union leaders met the port authority.

The union says the new shift rota cuts rest periods below the level agreed last spring, and that members \
voted by a wide margin to stop work until the rota is withdrawn.

"We did not want this, but the rota was changed without a single meeting," said union steward Paul Okafor, \
who has worked the cranes for nineteen years.

The port authority said it regretted the stoppage and hoped to resume talks with the union on Friday, \
adding that perishable cargo would be moved to the southern terminal in the meantime.

More from the harbour desk:
Lighthouse keeper retires after forty winters on the rock
City council approves budget for new cycle lanes downtown
Local bakery wins regional prize for rye sourdough

Share this story: Facebook | X | Email
"""


def test_us_date_with_ap_credit_is_month_first() -> None:
    found = extract_text(HARBOUR)
    assert found.date is not None
    assert found.date.date == "2024-04-11"
    assert found.date.confidence < 0.9  # day/month order was inferred
    assert found.title == "Harbour cranes halted as dock workers walk out"
    assert found.authors == ["Mara Lindqvist"]


def test_other_related_block_and_share_prompt() -> None:
    found = extract_text(HARBOUR)
    _assert_kept(found, "eleven ships waiting at anchor", "union steward Paul Okafor", "southern terminal")
    _assert_removed(
        found,
        "Monday, June 3, 2024",
        "More from the harbour desk:",
        "Lighthouse keeper retires",
        "Local bakery wins regional prize",
        "Share this story",
    )
    assert len(found.text.split("\n\n")) == 4


def test_link_block_inside_body() -> None:
    page = "\n".join([
        "Storm floods coastal villages overnight",
        "Heavy rain and a spring tide flooded three coastal villages overnight, and rescue crews moved more "
        "than two hundred residents to the school gym.",
        "You might also like",
        "- Ten easy recipes for a rainy weekend at home",
        "- Ranking the best hiking boots of the season",
        "- Why your houseplants keep dying, explained",
        "The coastal villages have flooded twice in five years, and residents say the sea wall "
        "promised by the regional government after the last storm was never built.",
        "Rescue crews expect the water in the coastal villages to recede by Sunday evening, when "
        "residents may return to inspect their homes.",
    ])
    found = extract_text(page)
    _assert_kept(found, "two hundred residents", "sea wall promised", "inspect their homes")
    _assert_removed(found, "You might also like", "Ten easy recipes", "houseplants keep dying")


def test_norwegian_agency_stamp_is_day_first_when_nothing_else_says_otherwise() -> None:
    guess = find_date(["Ferries resume after the storm", "Av NTB | 04/11/2024 09:30", "Ferries run again."])
    assert guess is not None and guess.date == "2024-11-04"


def test_unambiguous_and_written_dates() -> None:
    assert find_date(["Published 25/03/2024"]).date == "2024-03-25"  # type: ignore[union-attr]
    assert find_date(["Updated: 17.06.2023 08:00"]).date == "2023-06-17"  # type: ignore[union-attr]
    assert find_date(["Posted March 9, 2022 at 10:15"]).date == "2022-03-09"  # type: ignore[union-attr]


def test_today_widget_alone_is_not_a_publication_date() -> None:
    assert find_date(["Wednesday, January 10, 2024", "Town hall reopens", "The hall reopened today."]) is None


def test_date_inside_body_prose_is_an_event_not_the_publication() -> None:
    body = "The bridge, first opened on 12 March 1998, will close for repairs next month, the city said."
    found = extract_text(f"Old bridge to close for repairs\n\n{body}")
    assert found.date is None
    assert body in found.text


def test_empty_and_whitespace_input() -> None:
    for raw in ("", "   \n\t\n  \n"):
        found = extract_text(raw)
        assert found.text == ""
        assert found.removed == [] and found.title is None and found.date is None
    assert classify_lines([]) == []


def test_hard_wrapped_paragraphs_are_joined_and_a_short_last_paragraph_stays() -> None:
    page = (
        "Council votes to close the old bridge\n\n"
        "The city council voted on Tuesday to close the old river bridge to\n"
        "cars from next month, after engineers found that two of its support\n"
        "piers had been weakened by years of flooding.\n\n"
        "Cyclists and pedestrians will still be allowed to cross while repairs\n"
        "are planned, the council said.\n"
    )
    found = extract_text(page)
    assert found.title == "Council votes to close the old bridge"
    assert found.text.split("\n\n") == [
        "The city council voted on Tuesday to close the old river bridge to cars from next month, after "
        "engineers found that two of its support piers had been weakened by years of flooding.",
        "Cyclists and pedestrians will still be allowed to cross while repairs are planned, "
        "the council said.",
    ]
    assert found.removed == []


def test_ambiguous_numeric_date_follows_the_same_date_written_out() -> None:
    page = ["Tuesday, March 4, 2025", "", "Harbour crane collapses in storm", "",
            "By Coast Weekly | 04/03/2025 21:05", "", "A crane at the container harbour fell over in the storm."]
    assert find_date(page).date == "2025-03-04"  # day-first, as the written-out date says
    page[0] = "Thursday, April 3, 2025"
    assert find_date(page).date == "2025-04-03"


def test_capitalised_masthead_is_the_publisher_not_the_title() -> None:
    page = "\n".join([
        "MON 3 FEB 2025 · Sunrise 08:02", "Home / Coast / Harbour", "THE HARBOUR GAZETTE", "",
        "Harbour crane collapses in overnight storm", "", "Harbour crane collapses in overnight storm",
        "Monday 3 February 2025, 07:30 · Ida Berg", "",
        *[f"A crane at the container harbour fell over in the storm, and dock worker number {i} said the "
          "night shift had been sent home hours earlier because of the wind warning." for i in range(6)],
        "", "MOST READ", "Ferry timetable changes for spring", "", "© The Harbour Gazette 2025 · Privacy"])
    extraction = extract_text(page)
    assert extraction.title == "Harbour crane collapses in overnight storm"
    assert extraction.publisher == "The Harbour Gazette"
    assert extract_text(page.replace("© The Harbour Gazette 2025", "© 2025")).publisher is None  # no second sighting
