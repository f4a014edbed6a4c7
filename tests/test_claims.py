"""Claims and their alignment, and headline verdicts, on self-written sentences with the error patterns of real news."""

from __future__ import annotations

import pytest

from storyline.analyse import analyse_many
from storyline.compare import compare_story
from storyline.compare.headlines import check_headline
from storyline.compare.story import sentences
from storyline.models import Article


def _article(i: int, text: str, title: str = "", published: str = "2025-01-10") -> Article:
    return Article(id=i, source=f"s{i}", url=None, title=title or f"Report {i}", published=published, text=text,
                   published_evidence=None, published_confidence=1.0, publisher=f"Outlet {i}", authors=[],
                   credited=[], language="en", removed=[], captions=[], format="body")


def _compare(*texts: str) -> dict:
    articles = [_article(i + 1, t) for i, t in enumerate(texts)]
    facts = {a.id: f.to_json() for a, f in zip(articles, analyse_many(articles), strict=True)}
    return compare_story(articles, facts, []).to_json()


def _pairs(result: dict) -> list[set[str]]:
    return [{v["value"] for v in c["values"]} for c in result["contradictions"]]


def test_same_count_different_values_is_a_contradiction() -> None:
    result = _compare("Police arrested 12 protesters outside the parliament building in Westport on Monday.",
                      "Police arrested 7 protesters outside the parliament building in Westport on Monday.")
    assert _pairs(result) == [{"12", "7"}]
    assert 0 < result["contradictions"][0]["confidence"] <= 1


def test_different_subjects_are_not_aligned() -> None:
    result = _compare("Candidate Mira Olsen raised $200,000 for her campaign in the first quarter.",
                      "Candidate Tomas Berg raised $5.4 million for his campaign in the first quarter.")
    assert result["contradictions"] == []


def test_odds_ranks_and_ordinals_are_not_amounts() -> None:
    result = _compare("Forecasters gave the storm a 1 in 3 chance of reaching the coast, the No. 2 official said.",
                      "Forecasters gave the storm a 2 in 5 chance of reaching the coast, the No. 3 official said.")
    assert result["contradictions"] == []


def test_rounded_and_approximate_values_overlap() -> None:
    result = _compare("The city paid nearly $44 million for the new bridge over the river.",
                      "The city paid $43,885,310 for the new bridge over the river.")
    assert result["contradictions"] == []
    assert result["agreements"] and len(result["agreements"][0]["article_ids"]) == 2


def test_measure_of_another_thing_is_not_aligned_with_a_count() -> None:
    result = _compare("The three-hour ordeal ended when police freed the hostages at the bank.",
                      "Police freed 5 hostages at the bank after the ordeal ended.")
    assert result["contradictions"] == []


def test_running_tally_needs_the_same_time() -> None:
    result = _compare("At least 7 people died in the flood, officials said on Monday.",
                      "The flood killed 12 people, officials said on Wednesday.")
    assert result["contradictions"] == []


def test_death_tolls_as_of_one_day_meet_in_any_wording() -> None:
    result = _compare("Rescuers found two more bodies on Tuesday, bringing the death toll to 12, police said.",
                      "Seventeen people were confirmed dead by Tuesday evening, police told reporters.")
    assert _pairs(result) == [{"12", "17"}]


def test_numbers_that_name_things_are_not_amounts() -> None:
    result = _compare("Bus services 138 and 161 were delayed by the flooding on Tuesday morning.",
                      "Bus service 168 was delayed by the flooding on Tuesday morning, the operator said.")
    assert result["contradictions"] == []


def test_bare_dollars_meet_a_named_dollar() -> None:
    result = _compare("Each of the Group 2 winners took home $72,042 in the lottery draw.",
                      "Each of the Group 2 winners took home S$79,042 in the lottery draw.")
    assert _pairs(result) == [{"72,042", "79,042"}]


def test_values_ten_times_apart_are_different_things() -> None:
    # a total against what each gave: "collected $396,440 from 57 workers" and "$1,500 for a renewal"
    result = _compare("The town council collected $396,440 from the workers over six years.",
                      "The town council collected $1,500 from the workers over six years.")
    assert result["contradictions"] == []


def test_ages_of_one_named_person() -> None:
    result = _compare("Police in Tivat arrested Marko Petrovic on Monday. Petrovic, 42, was detained at the airport.",
                      "Marko Petrovic was arrested in Tivat on Monday. Petrovic, 44, holds two passports.",
                      "Marko Petrovic, then 38, left the country in 2021, police in Tivat said on Monday.")
    assert [(c["attribute"], {v["value"] for v in c["values"]}) for c in result["contradictions"]] == [
        ("age of Marko Petrovic", {"42", "44"})]


def test_street_numbers_of_one_address() -> None:
    result = _compare("The fight broke out at Block 181 Ang Mo Kio Avenue 5 on Friday night, police said.",
                      "Police were called to 181 Ang Mo Kio Avenue 6 after the fight on Friday night.",
                      "Officers also visited Block 181 Ang Mo Kio Avenue 3 and 181 Ang Mo Kio Avenue 4 later.")
    assert [{v["value"] for v in c["values"]} for c in result["contradictions"]] == [{"5", "6"}]


def test_weekday_beside_a_date_it_does_not_fall_on() -> None:
    result = _compare("The former officer was hanged on Monday (Feb 5) at Changi Prison, police said.",
                      "The former officer was executed on Wednesday (Feb 5), police said in a statement.",
                      "Shops will open on Friday (Feb 7) and Saturday (Feb 8) as usual.")
    assert [(c["attribute"], {v["value"] for v in c["values"]}) for c in result["contradictions"]] == [
        ("weekday of 2025-02-05", {"Monday", "Wednesday"})]


def _dated(*items: tuple[str, str]) -> dict:
    articles = [_article(i + 1, t, published=d) for i, (t, d) in enumerate(items)]
    facts = {a.id: f.to_json() for a, f in zip(articles, analyse_many(articles), strict=True)}
    return compare_story(articles, facts, []).to_json()


def test_ages_years_apart_allow_birthdays() -> None:
    result = _dated(("Deputies arrested Luis Moreno, 27, after the shooting on Main Street in Fairview.", "2010-03-02"),
                    ("A jury found Luis Moreno, 29, guilty of the shooting on Main Street in Fairview.", "2013-01-15"))
    assert result["contradictions"] == []
    result = _dated(("Deputies arrested Luis Moreno, 27, after the shooting on Main Street in Fairview.", "2010-03-02"),
                    ("Deputies questioned Luis Moreno, 28, about the shooting on Main Street.", "2010-03-03"))
    assert [c["attribute"] for c in result["contradictions"]] == ["age of Luis Moreno"]


def test_amounts_of_different_named_doers_are_not_aligned() -> None:
    # "who" stands for the name it follows; a participle's doer is its clause's subject
    result = _compare("Okafor, who completed 28 passes for the Rams, ran in the second touchdown.",
                      "Lindqvist finished strongly after completing 17 passes for the Rams in the first half.")
    assert result["contradictions"] == []


def test_a_whole_a_part_is_counted_out_of_and_a_time_offset_are_not_claims() -> None:
    result = _compare("Rescuers reached five of the 12 worst-hit villages in the valley on Monday.",
                      "Rescuers reached the 9 worst-hit villages in the valley on Monday.")
    assert result["contradictions"] == []
    result = _compare("The new fishing quota takes effect nine days before the election.",
                      "The new fishing quota takes effect in about 30 days.")
    assert result["contradictions"] == []


def test_a_count_broken_down_by_nationality_is_no_count_of_one() -> None:
    result = _compare("The navy said 23 personnel (12 Somali and 11 Yemeni) surrendered on boarding the ship.",
                      "The navy said 11 Yemeni personnel surrendered on boarding the ship.")
    assert result["contradictions"] == []


def test_a_thing_one_source_gives_several_values_of_is_not_contradicted() -> None:
    result = _compare("The home side scored 22 points in the first half. The visitors scored 14 points in the half.",
                      "The home side scored 25 points in the first half, the league said.")
    assert result["contradictions"] == []


@pytest.mark.parametrize(("headline", "body", "verdict"), [
    ("Two retirees lose $5.9m to phone scammers",
     "One retiree lost $1m to the scammers. The other lost $4.9m after a call from a fake police officer.",
     "unsure"),  # the parts add up to the headline's total: no flag, though no one sentence states it
    ("Harbour operator admits it ignored safety warnings",
     "\"I have seen nothing that tells me we ignored any warning,\" the harbour operator's chief said on Monday.",
     "unsupported"),
    ("Harbour operator reports fuel leak near the pier",
     "The harbour operator reported a fuel leak near the pier on Monday. No injuries were reported after the leak.",
     "supported"),
    ("34 crocodiles escape from farm", "Thirty crocodiles escaped from a farm on the island. All 30 were tagged.",
     "unsupported"),
    ("Workers and managers fight at the harbour",
     "Workers and managers met at the harbour on Monday to discuss the new rota. Both sides called the talks useful. "
     "The rota moves the early shift from six to seven in the morning and adds a second crew at weekends, when the "
     "ferries carry most of the summer visitors. The union asked for a review after three months, and the port "
     "authority agreed to publish the figures for overtime every quarter. The next meeting is planned for the end "
     "of the month, when the crews for the autumn timetable are to be named.", "unsupported"),
    ("Minister willing to negotiate with the striking nurses",
     "The minister said he was ready to talk to the nurses' union about pay. The strike enters its third week.",
     "unsure"),
    ("Harbour board approves new ferry terminal",
     "The harbour board approved the new ferry terminal on Tuesday after a two-year review.", "supported"),
    # the violence is passive, with no parties; the names are a place and a site name, not who fought
    ("Five shot during Midsummer party at Cellar nightclub - Valley Post, News, Weather, Sports",
     "Police are looking for the gunman who opened fire in a crowded club on Saturday. Five people were shot and "
     "taken to hospital after shots rang out during the party.", "unsure"),
    # a paraphrase sharing few words, but the headline's number: about the same event, not something else
    ("Girl, 4, killed by uncle in double murder-suicide",
     "Troopers say a man shot his former partner and inflicted a fatal wound on her 4-year-old niece before "
     "taking his own life. The niece died in hospital shortly after noon.", "unsure"),
])
def test_headline_verdicts(headline: str, body: str, verdict: str) -> None:
    check = check_headline(1, headline, sentences(body))
    assert check.verdict == verdict, check.reason
    assert check.supported is (verdict != "unsupported")


def test_a_teaser_lacking_the_event_is_no_evidence() -> None:
    check = check_headline(1, "Workers and managers fight at the harbour",
                           sentences("Workers and managers met at the harbour on Monday. Both sides called it useful."))
    assert check.verdict != "unsupported"


def test_a_date_line_in_the_title_slot_gets_no_verdict() -> None:
    body = sentences("Crews tackled a blaze at a supermarket in the town centre on Sunday morning. " * 10)
    check = check_headline(1, "21 July 2013 Last updated at 11:11 GMT", body)
    assert check.verdict == "unsure" and "date line" in check.reason
