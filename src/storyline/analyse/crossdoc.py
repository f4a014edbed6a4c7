"""Entities across articles: one record per real-world entity, with its aliases and where it occurs.

Within an article `entities.group_entities` already canonicalised spelling variants and short forms.
Across articles two records of the same type are the same entity when
- they share a name or an alias, compared without case, dots, spaces, hyphens and apostrophes
  ("U. S. Surgeon General" = "U.S. Surgeon General"; "Mt Cook" = "Mount Cook");
- their names are one-letter spelling variants: people with the same first name and surnames one edit
  apart ("Duncan Rait"/"Duncan Raite"), other names of 8+ letters one edit apart;
- one is the short form of the only longer name it fits in the story: a person's bare surname
  ("Jackman" -> "Hugh Jackman") or first and last name ("Luann Johnson" -> "LuAnn Marie Johnson").
The most frequent canonical name wins. Records are merged with union-find, in order-independent
phases, so the result does not depend on the order of the articles.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

_ABBREVIATIONS = ((re.compile(r"\bmt\b\.?"), "mount"), (re.compile(r"\bft\b\.?"), "fort"))
_SQUASH = re.compile(r"[\s.\-’'`]")
_SHORT_FORM_TYPES = ("PERSON", "ORG")


def form_key(form: str) -> str:
    """Comparison key of a name: case-folded, abbreviations spelt out, no dots, spaces, hyphens, apostrophes."""
    text = form.casefold()
    for rx, full in _ABBREVIATIONS:
        text = rx.sub(full, text)
    return _SQUASH.sub("", text)


def one_edit_apart(a: str, b: str) -> bool:
    """One edit apart, both long enough that this is a spelling variant (Winer/Winner); equal counts too."""
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False  # "Air Base 101" and "Air Base 201" are two bases
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def merge_entities(per_article: dict[int, list[dict]]) -> list[dict]:
    """Merge per-article entity records ({name, type, aliases, mentions}) into cross-article ones.

    Returns [{name, type, aliases, mentions, article_ids}] sorted by article count, then mentions.
    """
    records = [(article_id, entity) for article_id, entities in sorted(per_article.items()) for entity in entities]
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    # 1. a shared name or alias
    first_with_key: dict[tuple[str, str], int] = {}
    for i, (_, entity) in enumerate(records):
        for form in {entity["name"], *entity.get("aliases", [])}:
            key = (entity["type"], form_key(form))
            if not key[1]:
                continue
            if key in first_with_key:
                union(i, first_with_key[key])
            else:
                first_with_key[key] = i
    # 2. one-letter spelling variants of the canonical names
    by_name: dict[tuple[str, str], int] = {}
    for i, (_, entity) in enumerate(records):
        by_name.setdefault((entity["type"], entity["name"]), i)
    for (kind, a), b, i, j in _variant_pairs(by_name):
        if _spelling_variant(kind, a, b):
            union(i, j)
    # 3. short forms of exactly one longer name of the story (candidates judged before any of these unions)
    longer = _longer_names(by_name)
    short_unions = []
    for (kind, name), i in sorted(by_name.items()):
        words = name.casefold().split()
        if kind not in _SHORT_FORM_TYPES or not words or len(words) > (2 if kind == "PERSON" else 1):
            continue
        fits = {find(j) for o_words, j in longer.get((kind, words[-1]), ()) if len(o_words) > len(words)
                and (len(words) == 1 or o_words[0] == words[0])} - {find(i)}
        if len(fits) == 1:
            short_unions.append((i, fits.pop()))
    for i, j in short_unions:
        union(i, j)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        groups[find(i)].append(i)
    merged = []
    for members in groups.values():
        names = Counter(records[i][1]["name"] for i in members)
        name = min(names, key=lambda n: (-names[n], -len(n), n))
        aliases = sorted({form for i in members for form in (records[i][1]["name"], *records[i][1].get("aliases", []))}
                         - {name})
        merged.append({
            "name": name,
            "type": records[members[0]][1]["type"],
            "aliases": aliases,
            "mentions": sum(records[i][1].get("mentions", 0) for i in members),
            "article_ids": sorted({records[i][0] for i in members}),
        })
    return sorted(merged, key=lambda e: (-len(e["article_ids"]), -e["mentions"], e["name"]))


def _variant_pairs(by_name: dict[tuple[str, str], int]):
    """Pairs of distinct canonical names of one type that could be spelling variants (same first letters)."""
    blocks: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for (kind, name), i in by_name.items():
        blocks[kind, form_key(name)[:3]].append((name, i))
    for (kind, _), members in blocks.items():
        for x, (a, i) in enumerate(members):
            for b, j in members[x + 1 :]:
                yield (kind, a), b, i, j


def _spelling_variant(kind: str, a: str, b: str) -> bool:
    if kind == "PERSON":
        wa, wb = a.split(), b.split()
        if len(wa) != len(wb) or len(wa) < 2:
            return False
        diffs = [(x, y) for x, y in zip(wa, wb, strict=True) if x.casefold() != y.casefold()]
        return len(diffs) == 1 and one_edit_apart(diffs[0][0].casefold(), diffs[0][1].casefold())
    ka, kb = form_key(a), form_key(b)
    return min(len(ka), len(kb)) >= 8 and one_edit_apart(ka, kb)


def _longer_names(by_name: dict[tuple[str, str], int]) -> dict[tuple[str, str], list[tuple[list[str], int]]]:
    """Names of two or more words by type and last word (case-folded)."""
    out: dict[tuple[str, str], list[tuple[list[str], int]]] = defaultdict(list)
    for (kind, name), j in by_name.items():
        words = name.casefold().split()
        if kind in _SHORT_FORM_TYPES and len(words) > 1:
            out[kind, words[-1]].append((words, j))
    return out
