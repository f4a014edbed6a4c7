"""Entities with canonical names, places geocoded offline, events, and the whole analyse() stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.analyse import analyse
from storyline.analyse.entities import extract_entities
from storyline.analyse.nlp import get_nlp
from storyline.models import Article

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "seeds"


def _seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip("example seeds not available")
    return found[0].read_text(encoding="utf-8")


def _article(text: str, published: str | None = "2024-05-04", language: str | None = "en") -> Article:
    return Article(
        source="test",
        url="https://example.com/a",
        title=None,
        published=published,
        published_evidence=None,
        published_confidence=1.0,
        publisher=None,
        authors=[],
        credited=[],
        language=language,
        text=text,
        removed=[],
        captions=[],
        format="text",
    )


def test_seed_spelling_variants_are_one_entity():
    entities = extract_entities(get_nlp()(_seed("003")))
    winer = [e for e in entities if "Jonathan" in e.name]
    assert len(winer) == 1 and {winer[0].name, *winer[0].aliases} == {"Jonathan Winer", "Jonathan Winner"}


def test_seed_air_base_spellings_are_one_entity():
    entities = extract_entities(get_nlp()(_seed("001")))
    base = [e for e in entities if "101" in e.name]
    assert len(base) == 1 and base[0].mentions >= 2


def test_short_forms_and_retyping():
    text = (
        "The U.S. and the United States Army met in the US. Islamic State (IS) fighters fled; "
        "ISIS lost. Niger said it had agreed."
    )
    entities = {e.name: e for e in extract_entities(get_nlp()(text))}
    us = entities["United States"]
    assert {"U.S.", "US"} <= set(us.aliases) and us.type == "PLACE"
    assert entities["Islamic State"].mentions >= 2
    assert entities["Niger"].type == "PLACE"


def test_surname_joins_full_name():
    entities = extract_entities(get_nlp()("Lloyd Austin flew to Hawaii. Austin then spoke to reporters."))
    austin = [e for e in entities if e.type == "PERSON"]
    assert len(austin) == 1 and austin[0].name == "Lloyd Austin" and austin[0].mentions == 2


def test_analyse_seed_end_to_end():
    facts = analyse(_article(_seed("000"), published="2024-05-04"))
    data = facts.to_json()
    assert set(data) >= {"entities", "places", "quantities", "quotes", "times", "events"}
    niamey = [p for p in data["places"] if p["name"] == "Niamey"]
    assert niamey and niamey[0]["country"] == "Niger" and abs(niamey[0]["lat"] - 13.5) < 0.5
    assert any(q["speaker"] == "Lloyd Austin" for q in data["quotes"])
    assert any(t["date"] == "2024-05-03" for t in data["times"])
    assert any(e["actor"] and e["action"] for e in data["events"])


def test_facility_is_placed_at_its_city():
    facts = analyse(_article("Russian troops entered Air Base 101 in Niamey on Friday."))
    base = [p for p in facts.places if "101" in p.name]
    assert base and base[0].kind == "facility" and base[0].country == "Niger"


def test_events_record_actor_action_place_time():
    facts = analyse(_article("Sixty Russian trainers arrived at the airport in Niamey on Friday."))
    ev = [e for e in facts.events if e.action == "arrive"]
    assert ev and "Russian trainers" in ev[0].actor and ev[0].place == "Niamey" and ev[0].time == "2024-05-03"
    assert ev[0].quantity == "Sixty"


def test_empty_input_says_why():
    facts = analyse(_article("", language="en"))
    assert facts.note and "empty" in facts.note and not facts.entities and not facts.quotes


def test_broken_text_does_not_crash():
    text = "“Unclosed quote with \ufffd\ufffd broken bytes and 2.5 million and sixty\x00 people said"
    facts = analyse(_article(text * 3, published=None))
    assert all(q.speaker is None or q.speaker for q in facts.quotes)
    assert any(q.value == 2.5e6 for q in facts.quantities)


def test_place_named_like_a_person_of_the_article_is_that_person():
    from storyline.analyse.entities import _Group, _retype_misread_people

    groups = [_Group("Hugh Jackman", "PLACE"), _Group("Jackman", "PERSON"), _Group("New Zealand", "PLACE")]
    for g in groups:
        g.types[g.type] += 1
    _retype_misread_people(groups)
    assert [g.type for g in groups] == ["PERSON", "PERSON", "PLACE"]


def test_mention_is_cut_at_a_line_break():
    from spacy.tokens import Span

    from storyline.analyse.entities import _first_line

    doc = get_nlp().make_doc("The Chargers\nTeam news today")
    span = _first_line(Span(doc, 1, 4, label="ORG"))
    assert span is not None and span.text == "Chargers" and span.label_ == "ORG"
    assert _first_line(Span(doc, 2, 4, label="ORG")) is None


def test_analyse_many_keeps_order_with_skipped_articles():
    from storyline.analyse import analyse_many

    arts = [_article("Lloyd Austin flew to Hawaii."), _article(""), _article("Angela Merkel spoke in Berlin.")]
    out = list(analyse_many(arts))
    assert "Lloyd Austin" in {e.name for e in out[0].entities} and out[1].note
    assert "Angela Merkel" in {e.name for e in out[2].entities}


def _records(*names: tuple[str, str]) -> list[dict]:
    return [{"name": n, "type": t, "aliases": [], "mentions": 1} for n, t in names]


def _merged_names(merged: list[dict]) -> list[set[str]]:
    return sorted((sorted({m["name"], *m["aliases"]}) for m in merged), key=lambda s: s[0])


def test_crossdoc_merges_spelling_and_punctuation_variants():
    from storyline.analyse.crossdoc import merge_entities

    merged = merge_entities({
        1: _records(("Duncan Rait", "PERSON"), ("U.S. Surgeon General", "ORG"), ("Mt Cook", "PLACE")),
        2: _records(("Duncan Raite", "PERSON"), ("U. S. Surgeon General", "ORG"), ("Mount Cook", "PLACE")),
    })
    assert len(merged) == 3 and all(m["article_ids"] == [1, 2] for m in merged)
    separate = merge_entities({1: _records(("Air Base 101", "PLACE")), 2: _records(("Air Base 201", "PLACE"))})
    assert len(separate) == 2


def test_crossdoc_short_form_joins_the_only_full_name_it_fits():
    from storyline.analyse.crossdoc import merge_entities

    merged = merge_entities({
        1: _records(("Hugh Jackman", "PERSON"), ("San Diego Chargers", "ORG")),
        2: _records(("Jackman", "PERSON"), ("Chargers", "ORG"), ("Luann Johnson", "PERSON")),
        3: _records(("LuAnn Marie Johnson", "PERSON")),
    })
    assert _merged_names(merged) == [["Chargers", "San Diego Chargers"], ["Hugh Jackman", "Jackman"],
                                     ["LuAnn Marie Johnson", "Luann Johnson"]]
    ambiguous = merge_entities({
        1: _records(("Bill Clinton", "PERSON")),
        2: _records(("Hillary Clinton", "PERSON")),
        3: _records(("Clinton", "PERSON")),
    })
    assert len(ambiguous) == 3


def test_crossdoc_merge_does_not_depend_on_article_order():
    from storyline.analyse.crossdoc import merge_entities

    docs = {
        1: _records(("Jackman", "PERSON")),
        2: _records(("Hugh Jackman", "PERSON"), ("Duncan Rait", "PERSON")),
        3: _records(("Duncan Raite", "PERSON"), ("Jackman", "PERSON")),
    }
    renumbered = {4 - k: v for k, v in docs.items()}
    a = _merged_names(merge_entities(docs))
    b = _merged_names(merge_entities(renumbered))
    assert a == b == [["Duncan Rait", "Duncan Raite"], ["Hugh Jackman", "Jackman"]]
