"""What a story step keeps for the next: a later ingest starts from it instead of replaying every stored placement,
and gives the stories a replay and `recluster` give; a stale or damaged state is ignored."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import SHARED

from storyline.cluster import OnlineClusterer, assign, featurize
from storyline.pipeline import ingest
from storyline.store import Store
from storyline.store import stories as story_store

ECB = SHARED / "data" / "clustering" / "ecbplus_doc_clusters.jsonl"


def write_jsonl(path, rows) -> None:
    with path.open("w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps({"url": f"https://example.org/{r['id']}", "title": r["title"], "text": r["text"],
                                  "published": r["date"], "publisher": f"Outlet {len(r['text']) % 7}"}) + "\n")


def state(store: Store) -> tuple:
    placed = [(p.article_id, p.story_id, p.seq, p.probability, p.similarity, p.placed_on)
              for p in story_store.placements(store)]
    return (placed, store.db.execute("SELECT * FROM stories ORDER BY id").fetchall(),
            store.db.execute("SELECT * FROM copies ORDER BY article_id").fetchall())


@pytest.fixture
def parts(tmp_path):
    """Three ingests' worth of ECB+ articles of a few topics, in date order, the last with undated ones."""
    if not ECB.exists():
        pytest.skip("ECB+ data not available")
    rows = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["topic"] in {"1", "3", "6", "9"}]
    dated = sorted((r for r in rows if r["date"]), key=lambda r: (r["date"], r["id"]))
    undated = [r for r in rows if not r["date"]][:6]
    third = len(dated) // 3
    paths = []
    for n, part in enumerate((dated[:third], dated[third:2 * third], dated[2 * third:] + undated)):
        paths.append(tmp_path / f"part{n}.jsonl")
        write_jsonl(paths[-1], part)
    return paths


def test_a_later_ingest_starts_from_the_kept_state_and_places_as_a_replay_would(tmp_path, parts, monkeypatch):
    restored = []
    restore = OnlineClusterer.restore
    monkeypatch.setattr(OnlineClusterer, "restore", classmethod(
        lambda cls, *args: restored.append(1) or restore.__func__(cls, *args)))
    with Store(tmp_path / "kept.db") as kept, Store(tmp_path / "replayed.db") as replayed:
        for part in parts:
            ingest([str(part)], kept, workers=1)
            ingest([str(part)], replayed, stories=False, workers=1)
            with replayed.db:  # without a kept state the step replays the stored placements
                replayed.db.execute("DELETE FROM story_state")
            assign.assign_new_articles(replayed)
        assert len(restored) == 2  # the second and third ingests started from the kept state
        assert story_store.kept_state(kept) is not None
        incremental = state(kept)
        assert incremental == state(replayed)
        assert len({p[1] for p in incremental[0]}) < len(incremental[0])  # stories were joined, not all new
        assign.recluster(kept)
        assert state(kept) == incremental  # the same order: the same stories, titles and evidence


def test_a_stale_or_damaged_state_is_ignored(tmp_path, parts):
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        for store in (a, b):
            ingest([str(parts[0])], store, workers=1)
        with a.db:  # placements written elsewhere since (another tool): the tag no longer matches
            a.db.execute("UPDATE story_state SET tag = replace(tag, '\"placements\": ', '\"placements\": 1')")
        with b.db:  # the right tag over a state that is not one
            b.db.execute("UPDATE story_state SET state = x'00'")
        for store in (a, b):
            ingest([str(parts[1])], store, workers=1)
        with a.db:
            a.db.execute("UPDATE story_state SET tag = 'another calibration'")
        ingest([str(parts[2])], a, workers=1)
        for store in (a, b):
            incremental = state(store)
            assign.recluster(store)
            assert state(store) == incremental


def unrelated(i: int, day: int | None):
    """An article sharing no word with the others of `range(12)`."""
    words = [f"{w}{'abcdefghijkl'[i]}q" for w in ("quay", "mayor", "budget", "storm", "river", "court", "vote")]
    return featurize(" ".join(words[:3]), " ".join(words * 3) + ".", day=day, language="en")


def test_undated_stories_close_after_a_stretch_of_the_stream():
    clusterer = OnlineClusterer(window_articles=5)
    for i in range(12):
        clusterer.add(i, unrelated(i, None))
    assert len(clusterer.stories) == 12 and clusterer.open_stories == 5  # only the last five stay open
    assert all(not s.words and not s.recent and s.members for s in clusterer.stories[:7])
    dated = OnlineClusterer(window_articles=5)
    for i in range(12):
        dated.add(i, unrelated(i, date(2024, 1, 1).toordinal()))
    assert dated.open_stories == 5  # one day's stream is bounded too


def test_a_rebuild_that_stops_midway_leaves_a_state_the_next_step_ignores(tmp_path, parts, monkeypatch):
    monkeypatch.setattr(assign, "VECTOR_BATCH", 5)  # vectors are written during the step, before its placements
    with Store(tmp_path / "s.db") as store:
        ingest([str(parts[0])], store, workers=1)
        with monkeypatch.context() as patch:
            patch.setattr(story_store, "replace_all", lambda *args: (_ for _ in ()).throw(RuntimeError("stop")))
            with pytest.raises(RuntimeError):
                assign.recluster(store)
        assert story_store.kept_state(store) is None  # its vectors were written: the old state no longer holds
        ingest([str(parts[1])], store, workers=1)
        assert story_store.kept_state(store) is not None
        incremental = state(store)
        assign.recluster(store)
        assert state(store) == incremental
