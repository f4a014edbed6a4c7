"""Dedup stage: which articles are copies of which, and which copy is the original.

Two MinHash LSH indexes (datasketch) find candidate pairs without comparing all
pairs: one over word 4-gram shingles (exact and near-duplicate text, reordered
paragraphs), one over content words (paraphrased rewrites). Candidates are then
measured exactly and classified:

- exact: the same token sequence (any markup, URL or boilerplate around it);
- near-duplicate: most shingles shared, in the same order (small edits, added boilerplate);
- rewrite: the same paragraphs reordered, or the same words paraphrased, within a time window;
- syndicated: near-identical text on different sites that credit the same wire agency.

Copies form groups; each group has one original: the member whose outlet the
others credit, else the earliest credible date, else the fullest text. A copy's
claimed date far from its group's dates and from the dates its text describes
is flagged (`date_suspect`), and content-farm signals are recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from datasketch import MinHashLSH

from storyline.dedup.signals import CopyDoc, date_suspect, farm_signals
from storyline.dedup.similarity import Fingerprint, PairMeasures, fingerprint, measure
from storyline.models import ArticleFlags, CopyLink
from storyline.models import CopyKind as Kind

NEAR_CONTAINMENT = 0.7  # shared shingles over the shorter text for a near-duplicate
REWRITE_CONTAINMENT = 0.5  # reordered or lightly reworded text
REWRITE_COSINE = 0.8  # content-word cosine of a paraphrase ...
PARAPHRASE_CONTAINMENT = 0.3  # ... that still shares this much verbatim text (independent reports share less)
REWRITE_WINDOW_DAYS = 14
MAX_CANDIDATES = 32  # LSH candidates measured per new article
WIRE_AGENCIES = frozenset({"Reuters", "AP", "AFP", "NTB", "ANP", "dpa", "EFE", "ANSA", "TASS", "RIA Novosti",
                           "Interfax", "Xinhua", "Kyodo", "Yonhap", "PTI", "UPI", "BTA", "TT", "Ritzau",
                           "Anadolu"})


@dataclass(slots=True)
class CopyReport:
    """Everything dedup found over a set of articles."""

    links: dict[int, CopyLink] = field(default_factory=dict)  # copy id -> link to its original
    groups: list[list[int]] = field(default_factory=list)  # each group sorted, original first
    flags: dict[int, ArticleFlags] = field(default_factory=dict)
    edges: dict[int, set[int]] = field(default_factory=dict)  # article id -> ids it shares text with


def classify(a: CopyDoc, b: CopyDoc, m: PairMeasures, same_text: bool) -> Kind | None:
    """The kind of copy relation between two articles, or None when they are not copies."""
    if same_text:
        kind: Kind = "exact"
    elif m.containment >= NEAR_CONTAINMENT and not m.reordered:
        kind = "near-duplicate"
    elif m.containment >= REWRITE_CONTAINMENT or (m.cosine >= REWRITE_COSINE
                                                  and m.containment >= PARAPHRASE_CONTAINMENT):
        close = a.day is None or b.day is None or abs(a.day - b.day) <= REWRITE_WINDOW_DAYS
        if not close:
            return None
        kind = "rewrite"
    else:
        return None
    if kind != "rewrite" and _site(a) != _site(b) and set(a.credited) & set(b.credited) & WIRE_AGENCIES:
        return "syndicated"
    return kind


def _site(doc: CopyDoc) -> str:
    return (doc.publisher or doc.site or "").casefold()


Loader = Callable[[int], tuple[CopyDoc, Fingerprint]]  # an indexed article's doc and fingerprint, by id


class CopyIndex:
    """Incremental copy detector: `add` articles in any order, then `report`.

    Per article it keeps only what finding candidates takes (its MinHashes in the LSH indexes, the first id of
    each exact text, its content-farm signals as a lone article); the texts and fingerprints of candidates and
    of copy groups are read back through `load`, so memory does not grow with the articles' texts.
    """

    def __init__(self, load: Loader) -> None:
        self.load = load
        self.farm: dict[int, tuple[str, ...]] = {}  # id -> `farm_signals` of the article alone
        self.pairs: dict[tuple[int, int], tuple[Kind, float]] = {}
        self._by_text: dict[str, int] = {}
        self._shingle_lsh = MinHashLSH(threshold=0.3, num_perm=64)
        self._word_lsh = MinHashLSH(threshold=0.5, num_perm=64)

    def add(self, doc: CopyDoc, fp: Fingerprint, farm: tuple[str, ...] | None = None) -> None:
        """Index one article (`fp`: its fingerprint; `farm`: its lone farm signals, when already known) and
        record its copy relations with the articles already indexed."""
        if doc.id in self.farm:
            return
        self.farm[doc.id] = farm_signals(doc, copied_from=None) if farm is None else farm
        found = set(self._shingle_lsh.query(fp.shingle_hash)) | set(self._word_lsh.query(fp.word_hash))
        # measure a bounded number of candidates (the latest ones): enough to join a copy group, never
        # quadratic when many articles share a template
        candidates = sorted(found, reverse=True)[:MAX_CANDIDATES]
        if fp.exact in self._by_text and self._by_text[fp.exact] not in candidates:
            candidates.append(self._by_text[fp.exact])
        for other in sorted(candidates):
            other_doc, ofp = self.load(other)
            m = measure(fp, ofp)
            kind = classify(doc, other_doc, m, fp.exact == ofp.exact)
            if kind:
                similarity = m.cosine if kind == "rewrite" else max(m.jaccard, m.containment)
                self.pairs[(min(doc.id, other), max(doc.id, other))] = (kind, 1.0 if kind == "exact" else similarity)
        self._by_text.setdefault(fp.exact, doc.id)
        if fp.length >= 8:  # tiny texts share everything with everything
            self._shingle_lsh.insert(doc.id, fp.shingle_hash)
            self._word_lsh.insert(doc.id, fp.word_hash)

    def report(self) -> CopyReport:
        """Group the copies, pick each group's original, link the others to it, flag suspicious dates."""
        out = CopyReport()
        parent = {i: i for i in self.farm}

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b in sorted(self.pairs):
            out.edges.setdefault(a, set()).add(b)
            out.edges.setdefault(b, set()).add(a)
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        members: dict[int, list[int]] = {}
        for i in sorted(self.farm):
            members.setdefault(find(i), []).append(i)
        for group in members.values():
            if len(group) == 1:  # no copies: nothing to date it against
                if self.farm[group[0]]:
                    out.flags[group[0]] = ArticleFlags(group[0], None, self.farm[group[0]])
                continue
            loaded = {i: self.load(i) for i in group}  # one group's texts at a time
            docs = [loaded[i][0] for i in group]
            by_id = {d.id: d for d in docs}
            suspect = {d.id: reason for d in docs if (reason := date_suspect(d, [o for o in docs if o is not d]))}
            for doc in docs:
                if suspect.get(doc.id) or self.farm[doc.id]:
                    out.flags[doc.id] = ArticleFlags(doc.id, suspect.get(doc.id), self.farm[doc.id])
            original = _original(docs, suspect)
            out.groups.append([original.id] + [i for i in group if i != original.id])
            twins: dict[str, list[CopyDoc]] = {}  # the same text published in several places
            for doc in docs:
                twins.setdefault(loaded[doc.id][1].exact, []).append(doc)
            for doc in docs:
                if doc is original:
                    continue
                same = twins[loaded[doc.id][1].exact]
                first = original if any(d is original for d in same) else _original(same, suspect)
                if doc is first:
                    out.links[doc.id] = self._link(doc, original, group, {d.id for d in same}, by_id)
                else:  # an identical text names its first publication, which links on to the original
                    kind = classify(doc, first, measure(loaded[doc.id][1], loaded[first.id][1]), True)
                    out.links[doc.id] = self._copy_link(doc, first, kind or "exact", 1.0)
                farm = farm_signals(doc, copied_from=by_id[out.links[doc.id].copy_of or original.id])
                if farm:
                    out.flags[doc.id] = ArticleFlags(doc.id, suspect.get(doc.id), farm)
        return out

    def _link(self, doc: CopyDoc, original: CopyDoc, group: list[int], twins: set[int],
              docs: dict[int, CopyDoc]) -> CopyLink:
        """Link a copy to the group's original, or, when it only copies another copy, to that copy (rather one
        with another text than one of its `twins`, which link to it)."""
        target = original.id
        pair = self.pairs.get((min(doc.id, target), max(doc.id, target)))
        if pair is None:  # joined the group through another copy: point at its closest direct source
            neighbours = [(o not in twins, self.pairs[(min(doc.id, o), max(doc.id, o))][1], -o) for o in group
                          if o != doc.id and (min(doc.id, o), max(doc.id, o)) in self.pairs]
            target = -max(neighbours)[2]
            pair = self.pairs[(min(doc.id, target), max(doc.id, target))]
        return self._copy_link(doc, docs[target], *pair)

    def _copy_link(self, doc: CopyDoc, source_doc: CopyDoc, kind: Kind, similarity: float) -> CopyLink:
        shared_agency = sorted(set(doc.credited) & set(source_doc.credited) & WIRE_AGENCIES)
        source = shared_agency[0] if kind == "syndicated" and shared_agency else (source_doc.publisher
                                                                                 or source_doc.site)
        return CopyLink(doc.id, source_doc.id, source, similarity, kind)


def _names(doc: CopyDoc) -> set[str]:
    """Names an outlet goes by: its publisher name, the part before a " – Section" suffix, its site."""
    names = set()
    if doc.publisher:
        names |= {doc.publisher, re.split(r"\s+[-–|:]\s+", doc.publisher)[0]}
    if doc.site:
        names.add(doc.site.split(".")[-2] if doc.site.count(".") else doc.site)
    return {n.strip() for n in names if len(n.strip()) >= 3}


def _credits(doc: CopyDoc, other: CopyDoc) -> bool:
    """Whether `doc` credits the outlet of `other` (extracted credits, or its name in the text)."""
    if _site(doc) == _site(other):
        return False
    names = _names(other)
    if {c.casefold() for c in doc.credited} & {n.casefold() for n in names}:
        return True
    haystack = "\n".join([doc.text, *doc.removed])
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", haystack, re.IGNORECASE) for n in names)


def _original(docs: list[CopyDoc], suspect: dict[int, str]) -> CopyDoc:
    """The credited outlet's own article, else the earliest credible date, else the fullest text."""
    owners = [d for d in docs if any(_credits(o, d) for o in docs if o is not d)]
    credited_by_all = [d for d in owners if all(_credits(o, d) or o is d for o in docs)]
    pool = credited_by_all or owners or docs

    def key(d: CopyDoc) -> tuple:
        credible = d.day is not None and d.id not in suspect and d.date_confidence > 0
        return (not credible, d.day if credible else 0, -len(d.text), d.id)

    return min(pool, key=key)


def find_copies(docs: list[CopyDoc]) -> CopyReport:
    """Copy relations among `docs` (indexed in id order, so the result does not depend on input order)."""
    by_id = {d.id: d for d in docs}
    prints: dict[int, Fingerprint] = {}

    def load(doc_id: int) -> tuple[CopyDoc, Fingerprint]:
        if doc_id not in prints:
            prints[doc_id] = fingerprint(by_id[doc_id].text)
        return by_id[doc_id], prints[doc_id]

    index = CopyIndex(load)
    for doc in sorted(docs, key=lambda d: d.id):
        index.add(*load(doc.id))
    return index.report()


__all__ = ["ArticleFlags", "CopyDoc", "CopyIndex", "CopyLink", "CopyReport", "classify", "find_copies"]
