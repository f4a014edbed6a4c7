"""Direct and reported speech with speakers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from storyline.analyse.nlp import get_nlp
from storyline.analyse.quotes import extract_quotes

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "seeds"


@lru_cache(maxsize=8)
def _quotes(text: str):
    return extract_quotes(get_nlp()(text))


def _seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip("example seeds not available")
    return found[0].read_text(encoding="utf-8")


def test_seed_austin_quote_has_speaker():
    quotes = _quotes(_seed("000"))
    austin = [q for q in quotes if q.text.startswith("The Russians are in another fold")]
    assert austin and austin[0].direct and austin[0].speaker == "Austin"


def test_seed_kremlin_quote_after_colon():
    quotes = _quotes(_seed("000"))
    kremlin = [q for q in quotes if q.text.startswith("We are working to develop relations")]
    assert kremlin and kremlin[0].speaker == "Kremlin"


def test_pronoun_speaker_is_the_person_named_before():
    quotes = _quotes("Lloyd Austin visited Hawaii on Thursday. “We are watching closely,” he said.")
    assert quotes[0].speaker == "Lloyd Austin" and quotes[0].direct


def test_description_speaker_is_kept():
    quotes = _quotes("An unnamed US defense official said that the Russians would stay for months.")
    assert len(quotes) == 1 and not quotes[0].direct
    assert quotes[0].speaker == "unnamed US defense official"
    assert quotes[0].text.startswith("that the Russians would stay")


def test_reported_speech_after_the_clause_and_according_to():
    quotes = _quotes("The risk of a clash is low, officials said. According to Reuters, the troops left.")
    speakers = {q.speaker for q in quotes}
    assert speakers == {"officials", "Reuters"}


def test_quote_running_into_the_next_paragraph_keeps_its_speaker():
    text = "“We will stay,” said Jonathan Winer, a former envoy.\n\n“And we will not leave before the deal.”"
    quotes = _quotes(text)
    assert [q.speaker for q in quotes] == ["Jonathan Winer", "Jonathan Winer"]
    assert quotes[1].text.startswith("And we will not leave")


def test_scare_quotes_and_unclosed_marks_make_no_speaker_up():
    assert _quotes("Critics called the plan a “con” and moved on.") == []
    quotes = _quotes("“This never ends and nobody knows who wrote it")
    assert all(q.speaker is None for q in quotes)


def test_dash_paragraphs_are_direct_speech() -> None:
    text = ("Incident leader Maria Lund gave the new figures on Tuesday.\n\n"
            "– The river rose faster than anyone expected. Some had no time to leave, says Lund.\n\n"
            "– We will rebuild the bridge before winter, said Anders Berg at the meeting.\n\n"
            "– It is too early to name a cause, he says.\n\n"
            "- Prices rose by five percent in March.")
    found = [(q.speaker, q.direct, q.text) for q in _quotes(text)]
    assert found == [
        ("Lund", True, "The river rose faster than anyone expected. Some had no time to leave"),
        ("Anders Berg", True, "We will rebuild the bridge before winter"),
        ("Anders Berg", True, "It is too early to name a cause"),
    ]
