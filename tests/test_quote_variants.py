"""Quote variants: one statement in other words is one quote; a change of meaning is flagged (compare/quotes.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from storyline.compare.quotes import SAME_QUOTE, QuoteMention, altered, cluster_quotes, lemma, quote_similarity

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_quote_variants as bench  # noqa: E402
from common import POLNEAR  # noqa: E402

AUSTIN_A = "The Russians are in another fold and cannot access American forces or access our equipment"
AUSTIN_B = "the Russians are in a separate compound and don't have access to U.S. forces or access to our equipment."
AUSTIN_OTHER = ("I'm always focused on the safety and protection of our troops, but right now, I don't see a "
                "significant issue")


def test_lemmas_from_spacy_tables() -> None:
    assert [lemma(w) for w in ("said", "told", "forces", "hoping", "went")] == ["say", "tell", "force", "hope", "go"]


def test_translation_drift_is_one_quote_other_statement_is_not() -> None:
    assert quote_similarity(AUSTIN_A, AUSTIN_B) >= SAME_QUOTE
    assert quote_similarity(AUSTIN_A, AUSTIN_OTHER) < SAME_QUOTE
    assert not altered(AUSTIN_A, AUSTIN_B)  # cannot access / don't have access: both negated


def test_tense_person_contraction_and_partial_quote() -> None:
    full = "I will not raise taxes on working families, and I said that from the start of this campaign"
    assert quote_similarity(full, "he won't raise taxes on working families") >= SAME_QUOTE
    assert quote_similarity(full, "He says he would not raise taxes on working families") >= SAME_QUOTE
    assert quote_similarity(full, "we need a wall on the southern border and Mexico will pay for it") < 0.2


def test_altered_negation_number_and_prefixed_antonym() -> None:
    base = "The deal is legal and it will create 300 jobs in the state"
    assert altered(base, "The deal is not legal and it will create 300 jobs in the state")
    assert altered(base, "The deal is legal and it will create 900 jobs in the state")
    assert altered(base, "The deal is illegal and it will create 300 jobs in the state")
    assert altered("You didn't see them on the shows", "You did see them on the shows")
    assert not altered(base, "the deal is legal, and it'll create 300 jobs")
    assert not altered(base, "it will create 300 jobs")  # a partial quote: words one side lacks are no change


def test_partial_quote_cut_after_its_negation_is_not_altered() -> None:
    assert not altered("I made it a point not to drink alone with married men", "to drink alone with married men")
    assert not altered("They never wanted to have anything to do with him", "wanted to have anything to do with him")


def _mention(article: int, speaker: str, text: str) -> QuoteMention:
    return QuoteMention(article, article, speaker, text, True, text)


def test_cluster_groups_variants_across_articles_by_speaker() -> None:
    clusters = cluster_quotes([_mention(1, "Lloyd Austin", AUSTIN_A), _mention(2, "Secretary Austin", AUSTIN_B),
                               _mention(2, "Lloyd Austin", AUSTIN_OTHER), _mention(3, "Mr. Smith", AUSTIN_B)])
    assert [len(c.mentions) for c in clusters] == [2, 1, 1]
    assert {m.article_id for m in clusters[0].mentions} == {1, 2}


@pytest.mark.skipif(not POLNEAR.exists(), reason="../shared PolNeAR archive not present")
def test_pair_construction_on_polnear() -> None:
    quotes = bench.load("dev")
    few = {doc: quotes[doc] for doc in sorted(quotes)[:3]}
    pairs = bench.build_pairs(few, "dev")
    assert pairs == bench.build_pairs(few, "dev")  # deterministic
    labels = {p.label for p in pairs}
    assert {"paraphrase", "neg-adjacent"} <= labels
    assert all(p.a != p.b and p.a and p.b for p in pairs)
    same = [p for p in pairs if p.same]
    assert sum(quote_similarity(p.a, p.b) >= SAME_QUOTE for p in same) >= 0.8 * len(same)
