"""Hostile and clumsy input: compressed bombs, encodings, empty and junk containers, one error row each."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib

import pytest

from storyline.models import Failure, RawDocument
from storyline.sources import Input, read

# The peak is VmHWM, this process's own: getrusage's ru_maxrss would carry the forking test process's peak
# over the exec.
PEAK_SCRIPT = """
import json, re, sys
from pathlib import Path
from storyline.sources import Input, read
items = [[type(i).__name__, getattr(i, "reason", None)] for i in read(Input(sys.argv[1]))]
peak_kib = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
print(json.dumps([items, peak_kib // 1024]))
"""


def gzip_bomb(path, head: bytes, filler_mib: int, tail: bytes) -> None:
    """A gzip stream of `head`, `filler_mib` MiB of 'a' and `tail`, written without holding it in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(path, "wb") as out:
        out.write(compressor.compress(head))
        block = b"a" * (1 << 20)
        for _ in range(filler_mib):
            out.write(compressor.compress(block))
        out.write(compressor.compress(tail) + compressor.flush())


def peak_mib(path) -> tuple[list, int]:
    """What reading `path` yields ([kind, reason]) and the reading process's peak RSS in MiB."""
    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(path)], capture_output=True, text=True, check=True)
    items, peak = json.loads(done.stdout)
    return items, peak


def test_a_gzipped_jsonl_line_bomb_keeps_memory_flat(tmp_path):
    bomb = tmp_path / "bomb.jsonl.gz"
    after = json.dumps({"title": "After the bomb", "text": "The line after the long one is still read."})
    gzip_bomb(bomb, b'{"title": "x", "text": "', 256, b'"}\n' + after.encode() + b"\n")
    assert bomb.stat().st_size < 400_000
    items, peak = peak_mib(bomb)
    assert items == [["Failure", "line too large (limit 16 MiB)"], ["RawDocument", None]]
    assert peak < 150, f"peak RSS {peak} MiB for a 256 MiB line"


def test_a_warc_header_bomb_fails_with_flat_memory(tmp_path):
    bomb = tmp_path / "bomb.warc.gz"
    gzip_bomb(bomb, b"WARC/1.0\r\nWARC-Type: response\r\nX-Long: ", 256, b"\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
    items, peak = peak_mib(bomb)
    assert items == [["Failure", "corrupt or truncated archive: ValueError: record headers larger than 1 MiB"]]
    assert peak < 150, f"peak RSS {peak} MiB for a 256 MiB header line"


@pytest.mark.parametrize(("text", "encoding"), [
    ("Le maire a déjà reçu les élèves à Orléans, très tôt après la fête.", "latin-1"),
    ("Déjà là, à côté de la mère.", "latin-1"),
    ("Noël à Besançon : très froid, mère et frère reçus.", "latin-1"),
    ("Le cœur de l'œuvre — « très » cher, 30 €.", "cp1252"),
    ("Die Brücke über den Fluß bleibt für Fußgänger gesperrt.", "cp1252"),
    ("¿Dónde está el niño? Sí, señor, en España.", "cp1252"),
    ("Det var en fin dag på øya, sa Bjørn til Åse.", "latin-1"),
    ("Приветствую всех, это обычный текст о погоде в Москве.", "cp1251"),
    ("Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία σήμερα.", "cp1253"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy, řekl ministr v Praze.", "cp1250"),
])
def test_short_legacy_texts_decode_right(tmp_path, text, encoding):
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode(encoding))
    [doc] = read(Input(str(path)))
    assert doc.content == text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text(tmp_path, encoding):
    text = "Orléans, 3 mai. Le maire a reçu les élèves ; Ünïcödé ✓ 中文 too.\n\nSecond paragraph."
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode(encoding))
    [doc] = read(Input(str(path)))
    assert isinstance(doc, RawDocument) and doc.content == text
    path.write_bytes(bytes(range(256)) * 8)  # zero bytes at no steady position: still binary
    [failure] = read(Input(str(path)))
    assert isinstance(failure, Failure) and failure.reason == "binary content, not text"


def test_empty_and_junk_containers_leave_one_error_row_each(tmp_path, cli, cli_json, db):
    import gzip
    import random

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "blank.jsonl").write_bytes(b"\n \n")
    (folder / "empty.warc.gz").write_bytes(b"")
    (folder / "nothing.warc.gz").write_bytes(gzip.compress(b""))
    (folder / "junk.jsonl").write_bytes(random.Random(15).randbytes(64 * 1024))
    (folder / "prose.jsonl").write_text("Not JSON at all.\nNor is this line.\n")
    (folder / "mixed.jsonl").write_text('not json\n{"title": "Kept", "text": "A line of real JSONL."}\n')
    assert cli_json("ingest", folder, "--db", db)["failed"] == 7
    reasons = {e["source"].removeprefix(str(folder) + "/"): e["reason"] for e in cli_json("errors", "--db", db)}
    assert reasons.pop("junk.jsonl").startswith("not a JSONL file: none of its ")
    assert reasons.pop("prose.jsonl").startswith("not a JSONL file: none of its 2 lines is JSON (line 1: invalid")
    assert reasons.pop("mixed.jsonl#1").startswith("invalid JSON")  # a JSONL file with one broken line
    assert reasons == {"empty.jsonl": "empty file", "blank.jsonl": "empty file", "empty.warc.gz": "empty file",
                       "nothing.warc.gz": "no WARC record in this file"}


def test_ctrl_c_during_the_story_step_reports_what_was_stored(tmp_path, cli, db, monkeypatch):
    from conftest import article_html, lorem_paragraphs

    from storyline import pipeline

    for i in range(3):
        (tmp_path / f"p{i}.html").write_text(article_html(f"Harbour story {i}", "2025-03-04",
                                                          lorem_paragraphs(f"Town{i}", 4)))

    def interrupt(store):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "assign_new_articles", interrupt)
    result = cli("ingest", tmp_path / "*.html", "--db", db, ok=False)
    assert result.exit_code == 130 and "Interrupted: kept read 3, new 3" in result.output


def test_an_article_over_spacys_limit_breaks_nothing(tmp_path, cli, cli_json, db, monkeypatch):
    """2.1 million characters, over spaCy's 2,000,000 (E088): parsed in part, everywhere (the part is small here)."""
    from fastapi.testclient import TestClient

    from storyline import analyse
    from storyline.analyse import nlp
    from storyline.web import create_app
    from storyline.web.data import StoredFacts

    monkeypatch.setattr(nlp, "MAX_CHARS", 20_000)
    monkeypatch.setattr(analyse, "MAX_CHARS", 20_000)
    para = ("The harbour council in Rotterdam voted on Monday to repair the damaged wall after inspectors found "
            "cracks along 300 metres of the quay, officials said.")
    huge = "\n\n".join(f"{para} Section {i} of the report lists more damage." for i in range(2_100_000 // 160))
    assert len(huge) > 2_000_000
    rows = [{"url": "https://a.example/huge", "title": "Rotterdam council votes to repair cracked harbour wall",
             "published": "2025-03-04", "text": huge},
            {"url": "https://b.example/wall", "title": "Rotterdam to repair harbour wall after cracks found",
             "published": "2025-03-04", "text": f"{para}\n\nThe repairs will cost 12 million euros, it said."}]
    (tmp_path / "huge.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    cli("ingest", tmp_path / "huge.jsonl", "--db", db)
    [story] = cli_json("stories", "--db", db)
    assert sorted(story["article_ids"]) == [1, 2]
    assert cli_json("story", story["id"], "--db", db)["headlines"]
    cli("report", story["id"], "--db", db, "-o", tmp_path / "report.html")
    assert cli_json("facts", "1", "--db", db)["entities"]
    cli_json("facts", "--story", story["id"], "--db", db)
    with TestClient(create_app(db, facts=StoredFacts())) as client:
        for path in ("/", "/api/stories", f"/stories/{story['id']}", f"/api/stories/{story['id']}", "/articles",
                     "/articles/1", "/entities", "/api/entities"):
            assert client.get(path).status_code == 200, path


def test_what_the_fuzz_run_found(tmp_path):
    """Each of these once raised or left no trace."""
    import gzip

    packed = bytearray(gzip.compress(b'{"title": "x", "text": "y"}\n' * 50))
    packed[30:40] = b"\xff" * 10  # corrupt deflate data: zlib.error, not OSError
    (tmp_path / "bad.jsonl.gz").write_bytes(bytes(packed))
    (tmp_path / "bad.html").write_bytes(bytes(packed))
    (tmp_path / "text.warc").write_bytes(b"Just a text page saved under the wrong name.\n" * 20)
    (tmp_path / "feed.xml").write_bytes(b'<?xml version="1.0"?><rss><channel><item><description>Short.</de'
                                        b"\xed\xa0\x80scription>]]></content:encoded></item></channel></rss>")
    (tmp_path / "declared.xml").write_bytes(b'<?xml version="1.0" encoding="UTF-\xb4"?>\n<rss></rss>')
    for name in ("bad.jsonl.gz", "bad.html", "text.warc", "declared.xml"):
        items = list(read(Input(str(tmp_path / name))))
        assert items and all(isinstance(i, Failure) for i in items), (name, items)
    feed = list(read(Input(str(tmp_path / "feed.xml"))))  # the entry's summary is None
    assert [type(i) for i in feed] == [Failure, Failure]
    assert feed[1].reason == "feed entry has neither full content nor a link"
    (tmp_path / "surrogate.jsonl").write_text('{"title": "Lone \\ud800 escape", "text": "Pair \\ud83d\\ude00 kept"}\n')
    [doc] = read(Input(str(tmp_path / "surrogate.jsonl")))
    assert (doc.title, doc.content) == ("Lone \ufffd escape", "Pair \U0001f600 kept")
