"""Hostile and clumsy input: compressed bombs, encodings, empty and junk containers, one error row each."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib

PEAK_SCRIPT = """
import json, resource, sys
from storyline.sources import Input, read
items = [[type(i).__name__, getattr(i, "reason", None)] for i in read(Input(sys.argv[1]))]
print(json.dumps([items, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024]))
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
