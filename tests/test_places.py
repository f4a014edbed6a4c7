"""Places: generic names are not geocoded to a town that happens to bear them (issue 13's Hawaii pin)."""

from __future__ import annotations

from storyline.analyse import analyse
from storyline.models import Article


def _article(text: str) -> Article:
    return Article(source="test", url="https://example.com/a", title=None, published="2024-05-04",
                   published_evidence=None, published_confidence=1.0, publisher=None, authors=[], credited=[],
                   language="en", text=text, removed=[], captions=[], format="text")


def test_a_cut_short_airport_name_is_placed_at_its_city_not_at_a_town_called_airport():
    """The seed sentence: "Airport" is a town on Oahu in the gazetteer; the airport is at Niamey."""
    facts = analyse(_article("Russian troops moved into Niger this week. The military base is known as Air Base 101 "
                             "and is located in the capital Niamey, close to Diori Hamani International Airport."))
    placed = [p for p in facts.places if p.lat is not None]
    assert placed and all(p.country == "Niger" for p in placed), placed


def test_generic_names_alone_are_not_geocoded_but_placed_at_their_city():
    facts = analyse(_article("Passengers waited at the Airport while the Central Station stayed closed in Oslo."))
    generic = [p for p in facts.places if p.name.lower() in ("airport", "central station")]
    assert generic and all(p.lat is None or p.country == "Norway" for p in generic), facts.places


def test_a_facility_is_not_placed_at_a_city_of_a_country_the_article_does_not_name():
    facts = analyse(_article("France and Mali signed the deal. Springfield investors toured the Air Base on Friday."))
    base = [p for p in facts.places if p.name == "Air Base"]
    assert base and base[0].lat is None, facts.places
