"""Data loading and scoring shared by the extraction benchmarks and tests.

The evaluation data lives outside the repository, in `../shared/data/extraction`
(see its README.md); nothing here copies pages into the project. Scoring follows
that README: the AEB shingle metric as in upstream `evaluate.py`, trafilatura's
with/without snippet counts, and day-level exact matches for metadata.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import tarfile
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction"
AEB = DATA / "article-extraction-benchmark"
TRAF = DATA / "trafilatura-eval"
HTMLDATE = DATA / "htmldate-eval"


def decode_html(raw: bytes) -> str:
    """Decode page bytes the way trafilatura would (declared/guessed charset)."""
    from trafilatura.utils import decode_file

    text = decode_file(raw)
    return text if isinstance(text, str) else raw.decode("utf-8", "replace")


def is_dev(key: str) -> bool:
    """Stable half split of a data set: True for the DEV half used while tuning."""
    return zlib.crc32(key.encode("utf-8")) % 2 == 0


# ---------------------------------------------------------------- loaders


def load_aeb(limit: int | None = None) -> list[tuple[str, str, str, str]]:
    """AEB pages as (id, url, html, gold body), sorted by id."""
    gold = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    items = []
    for key in sorted(gold)[:limit]:
        html = gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        items.append((key, gold[key].get("url", ""), html, gold[key].get("articleBody", "")))
    return items


def read_members(archive: Path, names: set[str] | None = None) -> dict[str, bytes]:
    """Read (some) members of a tar.xz archive into memory."""
    found: dict[str, bytes] = {}
    with tarfile.open(archive, "r:xz") as tar:
        for member in tar:
            if member.isfile() and (names is None or member.name in names):
                handle = tar.extractfile(member)
                if handle is not None:
                    found[member.name] = handle.read()
    return found


@dataclass(slots=True)
class EvalItem:
    """One trafilatura-eval page with its gold snippets and metadata."""

    url: str
    html: str
    with_: list[str]
    without: list[str]
    title: str | None = None
    date: str | None = None
    author: str | None = None


def load_trafilatura_eval(urls: set[str] | None = None) -> list[EvalItem]:
    """trafilatura-eval pages in evaldata.json order (optionally only some URLs)."""
    gold = json.loads((TRAF / "evaldata.json").read_text(encoding="utf-8"))
    if urls is not None:
        gold = {u: v for u, v in gold.items() if u in urls}
    members = read_members(TRAF / "html.tar.xz")
    by_file = {name.split("/", 1)[1]: data for name, data in members.items()}
    items = []
    for url, rec in gold.items():
        raw = by_file.get(rec["file"])
        if raw is None:
            continue
        items.append(
            EvalItem(
                url=url,
                html=decode_html(raw),
                with_=rec.get("with", []),
                without=rec.get("without", []),
                title=rec.get("title") or None,
                date=rec.get("date") or None,
                author=_author(rec.get("author")),
            )
        )
    return items


def _author(value: str | list[str] | None) -> str | None:
    """Gold author as one string; a list of names is joined with '; ' like trafilatura does."""
    if isinstance(value, list):
        value = "; ".join(value)
    return value or None


def load_htmldate_eval() -> list[tuple[str, str, str]]:
    """htmldate-eval pages as (url, html, gold date), in index order."""
    rows = [json.loads(line) for line in (HTMLDATE / "index.jsonl").read_text().splitlines() if line]
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(row["archive"], set()).add(row["member"])
    blobs = {arch: read_members(DATA / arch, names) for arch, names in wanted.items()}
    out = []
    for row in rows:
        raw = blobs[row["archive"]].get(row["member"])
        if raw is not None:
            out.append((row["url"], decode_html(raw), row["date"]))
    return out


# ---------------------------------------------------------------- AEB metric

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """Per-document TP/FP/FN over 4-gram shingle multisets, normalised to sum to 1."""
    t, p = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        a, b = t.get(key, 0), p.get(key, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def _prf(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    p = statistics.mean([_precision(*r) for r in rows if r[0] + r[1] > 0])
    r = statistics.mean([_recall(*r) for r in rows if r[0] + r[2] > 0])
    return p, r, 2 * p * r / (p + r)


@dataclass(slots=True)
class AebScore:
    """AEB metrics: macro precision/recall, F1 from them, exact accuracy, bootstrap std of F1."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    f1_std: float = 0.0


def score_aeb(golds: list[str], preds: list[str], n_bootstrap: int = 1000, seed: int = 0) -> AebScore:
    """Score predicted bodies against gold bodies with the upstream AEB metric."""
    rows = [shingle_tp_fp_fn(g, p) for g, p in zip(golds, preds, strict=True)]
    p, r, f1 = _prf(rows)
    exact = sum(_TOKEN_RE.findall(g) == _TOKEN_RE.findall(x) for g, x in zip(golds, preds, strict=True))
    rng = random.Random(seed)
    boot = [_prf([rows[rng.randrange(len(rows))] for _ in rows])[2] for _ in range(n_bootstrap)]
    std = statistics.stdev(boot) if len(boot) > 1 else 0.0
    return AebScore(p, r, f1, exact / len(rows), std)


# ---------------------------------------------------------------- trafilatura-eval


@dataclass(slots=True)
class SnippetScore:
    """Corpus-level counts of found "with" (TP) and "without" (FP) snippets."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, text: str | None, with_: list[str], without: list[str]) -> None:
        """Count one document; None (a crash or no output) counts as empty text."""
        flat = " ".join((text or "").split())
        for snippet in with_:
            if " ".join(snippet.split()) in flat:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without:
            if " ".join(snippet.split()) in flat:
                self.fp += 1
            else:
                self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fn + self.fp + self.tn
        return (self.tp + self.tn) / total if total else 0.0


def normalise(value: str) -> str:
    """Case- and punctuation-insensitive form used for the 'normalised' exact match."""
    value = unicodedata.normalize("NFKC", value).casefold()
    value = "".join(" " if unicodedata.category(ch)[0] in "PSZ" else ch for ch in value)
    return " ".join(value.split())


@dataclass(slots=True)
class FieldScore:
    """Exact-match counts for one metadata field over pages with a gold value."""

    total: int = 0
    raw: int = 0
    norm: int = 0
    misses: list[tuple[str, str | None]] = field(default_factory=list)

    def add(self, gold: str | None, pred: str | None) -> None:
        """Count one page; pages without a gold value are skipped."""
        if not gold:
            return
        self.total += 1
        if pred is not None and pred.strip() == gold.strip():
            self.raw += 1
        if pred is not None and normalise(pred) == normalise(gold):
            self.norm += 1
        else:
            self.misses.append((gold, pred))

    @property
    def raw_rate(self) -> float:
        return self.raw / self.total if self.total else 0.0

    @property
    def norm_rate(self) -> float:
        return self.norm / self.total if self.total else 0.0


def iter_dev(keys: list[str], part: str) -> Iterator[int]:
    """Indices of keys in the chosen part: 'dev', 'test' or 'all'."""
    for i, key in enumerate(keys):
        if part == "all" or (part == "dev") == is_dev(key):
            yield i
