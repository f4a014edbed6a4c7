"""compare_story on the seeds (the Niamey and Libya stories) and on the fictional samples corpus against its truth."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import SAMPLES, SEEDS

from storyline.compare import Comparison, compare_story
from storyline.models import Article
from storyline.pipeline import facts_for, ingest
from storyline.store import Store
from storyline.store import stories as story_store


def _compare(store: Store, article_ids: list[int]) -> Comparison:
    articles = [a for i in article_ids if (a := store.article(i))]
    copies = [(c.article_id, c.copy_of) for c in story_store.copies(store, article_ids)]
    return compare_story(articles, facts_for(store, article_ids), copies)


def _stories(store: Store) -> list[tuple[list[Article], Comparison]]:
    return [([store.article(i) for i in row.article_ids], _compare(store, row.article_ids))
            for row in story_store.stories(store)]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[list[Article], Comparison]]:
    store = Store(tmp_path_factory.mktemp("seeds") / "s.db")
    ingest([str(SEEDS)], store)
    return _stories(store)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[tuple[list[Article], Comparison]]]:
    store = Store(tmp_path_factory.mktemp("samples") / "s.db")
    ingest([str(SAMPLES)], store)
    return store, _stories(store)


def _niamey(seeds: list[tuple[list[Article], Comparison]]) -> tuple[dict[str, int], dict]:
    for articles, comparison in seeds:
        if len(articles) == 3:
            return {Path(a.source).name[:3]: a.id for a in articles}, comparison.to_json()
    raise AssertionError("no three-article Niamey story")


def _values(contradiction: dict) -> dict[str, set[int]]:
    return {v["value"]: set(v["article_ids"]) for v in contradiction["values"]}


def test_json_fields(seeds: list) -> None:
    _, data = _niamey(seeds)
    assert {"contradictions", "agreements", "single_source", "quotes", "headlines", "timeline", "summary"} <= set(data)
    for c in data["contradictions"]:
        assert c["attribute"] and all({"value", "article_ids", "evidence"} <= set(v) for v in c["values"])


def test_niamey_personnel_and_day_conflicts(seeds: list) -> None:
    ids, data = _niamey(seeds)
    by_values = [_values(c) for c in data["contradictions"]]
    assert {"60": {ids["000"]}, "100": {ids["001"]}} in by_values
    assert {"Friday": {ids["000"]}, "Thursday": {ids["002"]}} in by_values
    assert len(data["contradictions"]) == 2  # nothing else: two bases, 1,000 troops are not conflicts


def test_niamey_agreement_on_us_troops(seeds: list) -> None:
    ids, data = _niamey(seeds)
    troops = [a for a in data["agreements"] if "United States" in a["attribute"]]
    assert troops and {ids["001"], ids["002"]} <= set(troops[0]["article_ids"]) and "1,000" in troops[0]["value"]


def test_austin_quote_is_one_quote_with_variants(seeds: list) -> None:
    ids, data = _niamey(seeds)
    austin = [q for q in data["quotes"] if q["speaker"] and "Austin" in q["speaker"]
              and any("compound" in v["text"] or "fold" in v["text"] for v in q["variants"])]
    assert len(austin) == 1
    texts = {v["article_id"]: v["text"] for v in austin[0]["variants"]}
    assert "another fold" in texts[ids["000"]] and "separate compound" in texts[ids["002"]]


def test_fight_headline_unsupported(seeds: list) -> None:
    ids, data = _niamey(seeds)
    verdict = {h["article_id"]: h["supported"] for h in data["headlines"]}
    assert verdict[ids["000"]] is False
    assert verdict[ids["001"]] is True and verdict[ids["002"]] is True


def test_libya_story_has_no_contradiction(seeds: list) -> None:
    (libya,) = [c for articles, c in seeds if len(articles) == 1]
    data = libya.to_json()
    assert data["contradictions"] == [] and data["note"]


def test_timeline_and_summary_cite_articles(seeds: list) -> None:
    ids, data = _niamey(seeds)
    assert data["timeline"] == sorted(data["timeline"], key=lambda e: e["date"])
    assert data["summary"] and all(s["article_id"] in ids.values() for s in data["summary"])


def _number(text: str) -> float | None:
    """The first number in a value ('about 2,000', '38 million crowns', 'DKK 38m' -> 2000, 38e6, 38e6)."""
    match = re.search(r"(\d[\d,.]*)\s*(million|m\b)?", text)
    if not match:
        return None
    return float(match.group(1).replace(",", "")) * (1e6 if match.group(2) else 1)


def _truth_ids(store: Store) -> dict[str, int]:
    """truth.json names (path relative to samples/, '#n' for feed items) -> article id."""
    return {os.path.relpath(a.source, SAMPLES): a.id for a in store.articles()}


def test_samples_truth(samples: tuple) -> None:
    store, stories = samples
    truth = json.loads((SAMPLES / "truth.json").read_text())
    ids = _truth_ids(store)
    found = [_values(c) for _, comp in stories for c in comp.to_json()["contradictions"]]
    for expected in truth["contradictions"]:
        groups: dict[str, set[int]] = {}
        for name, value in expected["values"].items():
            groups.setdefault(str(value).split(" ")[0], set()).add(ids[name])
        assert any(all(any(arts & group for arts in v.values()) for group in groups.values()) and
                   sum(any(arts & group for group in groups.values()) for arts in v.values()) >= 2
                   for v in found), expected["attribute"]
    for compatible in truth["not_contradictions"]:
        named = {ids[n] for n in compatible["values"]}
        numbers = {_number(str(value)) for value in compatible["values"].values()}
        assert not [v for v in found if sum(bool(arts & named) and _number(value) in numbers
                                            for value, arts in v.items()) >= 2], compatible
    assert len(found) == len(truth["contradictions"])


def test_timeline_keeps_whole_sentences_and_skips_relative_dates_of_undated_articles() -> None:
    def article(i: int, published: str) -> Article:
        return Article(id=i, source=f"s{i}", url=None, title=f"Report {i}", published=published, text="",
                       published_evidence=None, published_confidence=1.0, publisher=f"Outlet {i}", authors=[],
                       credited=[], language="en", removed=[], captions=[], format="body")

    def times(*entries: tuple[str, str, str]) -> dict:
        return {"times": [{"text": text, "date": date, "sentence": sentence, "sentence_index": n}
                          for n, (text, date, sentence) in enumerate(entries)]}

    facts = {
        1: times(("March 3", "2025-03-03", "HARBOURTOWN, March 3 (Wire) -"),
                 ("Monday", "2025-03-03", "The ferry ran aground on Monday after its engine failed in a storm.")),
        2: times(("Tuesday", "2025-08-19", "The owners said on Tuesday that the crew had been rescued safely."),
                 ("in 1987", "1987", "The ferry was built in 1987 at a yard on the west coast of the island.")),
    }
    articles = [article(1, "2025-03-03"), article(2, "2025-08-20")]
    dated = [(e.date, e.article_ids) for e in compare_story(articles, facts, [], undated={2}).timeline]
    assert dated == [("1987", [2]), ("2025-03-03", [1])]
    everything = compare_story(articles, facts, []).timeline
    assert [e.date for e in everything] == ["1987", "2025-03-03", "2025-08-19"]
