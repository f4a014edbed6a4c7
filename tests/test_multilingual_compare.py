"""Comparison across languages: language-neutral values meet in one row, with each side's own sentence.

Every article here was written for this test.
"""

from __future__ import annotations

from storyline.analyse import analyse_many
from storyline.compare.story import compare_story
from storyline.models import Article

DAY = "2024-05-08"


def _article(id: int, language: str, title: str, text: str) -> Article:
    return Article(source=f"test-{id}", url=f"https://example{id}.org/a", title=title, published=DAY,
                   published_evidence=None, published_confidence=1.0, publisher=None, authors=[], credited=[],
                   language=language, text=text, removed=[], captions=[], format="text", id=id)


def _compare(articles: list[Article]) -> dict:
    facts = {a.id: f.to_json() for a, f in zip(articles, analyse_many(articles), strict=True)}
    return compare_story(articles, facts, [(a.id, None) for a in articles]).to_json()


ENGLISH = _article(1, "en", "Protest outside Marseille town hall",
                   "About 150 protesters gathered outside the town hall in Marseille on Tuesday, police said. "
                   "The march ended peacefully in the evening.")
FRENCH = _article(2, "fr", "Manifestation devant la mairie de Marseille",
                  "Environ 300 manifestants se sont rassemblés devant la mairie de Marseille mardi, selon la "
                  "police. « Nous ne reculerons pas », a déclaré Claire Moreau, porte-parole du collectif.")
GERMAN = _article(3, "de", "Kundgebung in Marseille",
                  "Rund 300 Demonstranten versammelten sich am Dienstag vor dem Rathaus von Marseille. "
                  "„Wir werden nicht zurückweichen“, sagte Claire Moreau.")


def test_a_french_and_a_german_count_meet_an_english_one():
    result = _compare([ENGLISH, FRENCH, GERMAN])
    [row] = result["contradictions"]
    values = {v["value"]: v for v in row["values"]}
    assert set(values) == {"about 150", "about 300"}
    assert values["about 150"]["article_ids"] == [1]
    assert values["about 300"]["article_ids"] == [2, 3]
    assert any("Environ 300 manifestants" in e for e in values["about 300"]["evidence"])
    assert any("Rund 300 Demonstranten" in e for e in values["about 300"]["evidence"])
    assert 0 < row["confidence"] < 1


def test_agreeing_counts_in_two_languages_agree():
    french = _article(2, "fr", FRENCH.title, FRENCH.text.replace("Environ 300", "Environ 160"))
    result = _compare([ENGLISH, french])
    assert not result["contradictions"]
    assert any(set(a["article_ids"]) == {1, 2} for a in result["agreements"])


def test_headlines_in_another_language_get_no_verdict():
    result = _compare([ENGLISH, FRENCH])
    assert [h["article_id"] for h in result["headlines"]] == [1]


def test_general_counts_do_not_meet_across_languages():
    english = _article(1, "en", "Flood", "About 150 people were stranded in Lyon on Tuesday, officials said.")
    french = _article(2, "fr", "Inondation", "Environ 400 personnes vivent dans le quartier de Lyon touché mardi.")
    assert not _compare([english, french])["contradictions"]


def test_quotes_and_dates_of_other_languages_are_in_the_comparison():
    result = _compare([ENGLISH, FRENCH, GERMAN])
    speakers = {q["speaker"] for q in result["quotes"]}
    assert "Claire Moreau" in speakers
    dated = {a for e in result["timeline"] if e["date"] == "2024-05-07" for a in e["article_ids"]}
    assert {2, 3} <= dated  # "mardi" / "am Dienstag" before a Wednesday publication


def test_quotes_in_a_script_without_spaces_are_compared():
    chinese = _article(4, "zh", "马赛抗议", "警方表示，约300名抗议者周二聚集在马赛市政厅前。"
                                          "发言人克莱尔·莫罗说：“我们绝不会后退，我们会继续抗议。”")
    result = _compare([ENGLISH, chinese])
    assert any(4 in q["article_ids"] for q in result["quotes"])


def test_claims_read_by_patterns_need_close_wording_to_be_compared():
    first = _article(1, "fr", "Budget de Lyon", "La mairie de Lyon a voté mardi un budget de 3 millions d'euros pour "
                                               "les écoles de la ville.")
    second = _article(2, "fr", "Budget de Lyon", "La mairie de Lyon a voté mardi 5 millions d'euros pour rénover le "
                                                "pont et les routes de la ville.")
    assert not _compare([first, second])["contradictions"]
    same = _article(2, "fr", "Budget de Lyon", "La mairie de Lyon a voté mardi un budget de 5 millions d'euros pour "
                                              "les écoles de la ville.")
    assert _compare([first, same])["contradictions"]
