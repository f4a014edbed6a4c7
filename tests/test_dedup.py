"""Copy detection on real report text: exact, near-duplicate, rewrite, syndicated; originals; flags."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import SHARED

from storyline.dedup import CopyDoc, find_copies
from storyline.dedup.signals import latest_described_day

ECB = SHARED / "data" / "clustering" / "ecbplus_doc_clusters.jsonl"
FARM = ("Ten celebrity diets that doctors say actually work", "Horoscope for the week ahead and what it means",
        "This one trick will lower your energy bill forever", "Best budget smartphones reviewed and ranked today",
        "Local team wins the regional championship final", "Recipe: a quick lemon cake for busy evenings",
        "Why millennials are buying fewer houses this spring", "Singer surprises fans with a secret beach concert",
        "Scientists discover a new species of deep sea jellyfish", "The five best hiking boots for rainy weather",
        "Tech giant unveils a folding laptop with two screens")


def day(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


@pytest.fixture(scope="module")
def event() -> list[dict]:
    """The reports of one ECB+ event (real news text), longest first."""
    if not ECB.exists():
        pytest.skip("ECB+ data not available")
    rows = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines()]
    docs = [r for r in rows if r["cluster"] == "1_ecbplus" and r["date"]]
    return sorted(docs, key=lambda r: -len(r["text"]))


def doc(i: int, text: str, when: str, publisher: str, **kw) -> CopyDoc:
    return CopyDoc(id=i, text=text, day=day(when), date_confidence=0.9, publisher=publisher, **kw)


def test_kinds_and_originals(event):
    text = event[0]["text"]
    lines = text.split("\n")
    docs = [
        doc(1, text, "2013-05-02", "Daily A"),
        doc(2, text, "2013-05-03", "Mirror B"),  # exact, later
        doc(3, "Home > News\n" + "\n".join(lines[:-1]).replace(" the ", " a ", 2) + "\nShare this",
            "2013-05-03", "Near C"),
        doc(4, "\n".join(reversed(lines)), "2013-05-04", "Reorder D"),
    ]
    report = find_copies(docs)
    assert {i: (link.copy_of, link.kind) for i, link in report.links.items()} == {
        2: (1, "exact"), 3: (1, "near-duplicate"), 4: (1, "rewrite")}
    assert report.links[2].copy_of_source == "Daily A"
    assert report.groups == [[1, 2, 3, 4]]


def test_the_same_text_in_two_places_is_an_exact_copy_even_when_it_copies_another_text(event):
    text = event[0]["text"]
    edited = "Home > News\n" + text.replace(" the ", " a ", 2) + "\nShare this"
    docs = [doc(1, text, "2013-05-02", "Daily A"), doc(2, edited, "2013-05-03", "Near C"),
            doc(3, edited, "2013-05-03", "Mirror D"), doc(4, edited, "2013-05-04", "Mirror E")]
    links = find_copies(docs).links
    assert {i: (link.copy_of, link.kind, link.copy_of_source) for i, link in links.items()} == {
        2: (1, "near-duplicate", "Daily A"), 3: (2, "exact", "Near C"), 4: (2, "exact", "Near C")}


def test_independent_reports_of_one_event_are_not_copies(event):
    docs = [doc(i, r["text"], r["date"], f"outlet {i}") for i, r in enumerate(event[:8])]
    report = find_copies(docs)
    # same event, different newsrooms: any link must rest on shared verbatim text
    for link in report.links.values():
        assert link.similarity >= 0.5


def test_syndicated_wire_text_credits_the_agency(event):
    text = event[1]["text"]
    docs = [doc(1, text + "\n(AP)", "2013-05-02", "Paper One", credited=("AP",)),
            doc(2, text + "\n(AP)", "2013-05-02", "Paper Two", credited=("AP",))]
    link = find_copies(docs).links[2]
    assert (link.copy_of, link.kind, link.copy_of_source) == (1, "syndicated", "AP")


def test_credited_outlet_is_the_original_even_when_dated_later(event):
    text = event[2]["text"]
    docs = [doc(1, text + "\nSource: Herald", "2013-05-01", "Aggregator", credited=("Herald",)),
            doc(2, text, "2013-05-02", "Herald")]
    report = find_copies(docs)
    assert report.links[1].copy_of == 2


def test_redated_farm_repost_is_flagged(event):
    text = event[0]["text"]
    docs = [doc(1, text, "2013-05-02", "Daily A"),
            doc(2, text, "2014-08-20", "trend-farm", removed=FARM, credited=("Daily A",))]
    report = find_copies(docs)
    assert report.links[2].copy_of == 1
    flags = report.flags[2]
    assert flags.date_suspect and "after its copies" in flags.date_suspect
    assert any(s.startswith("link farm") for s in flags.farm)
    assert any(s.startswith("site mismatch") for s in flags.farm)
    assert 1 not in report.flags


def test_described_dates():
    assert latest_described_day("The coup in July 2023 and the 2013 mission.") == day("2023-07-31")
    assert latest_described_day("Nothing dated here.") is None


def test_tiny_and_empty_texts_do_not_link():
    docs = [CopyDoc(id=i, text=t) for i, t in enumerate(["", "Breaking.", "Breaking.", "x " * 3])]
    report = find_copies(docs)
    assert set(report.links) <= {2}  # only the identical one-word text may link, as an exact copy
