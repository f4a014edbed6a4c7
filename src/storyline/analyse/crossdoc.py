"""Entities across articles: one record per real-world entity, with its aliases and where it occurs.

Within an article `entities.group_entities` already canonicalised spelling variants and short forms.
Across articles two records are the same entity when they have the same type and share a name or an
alias (case-insensitive); the most frequent canonical name wins. Records are merged with union-find,
so the result does not depend on the order of the articles.
"""

from __future__ import annotations

from collections import Counter, defaultdict


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

    first_with_key: dict[tuple[str, str], int] = {}
    for i, (_, entity) in enumerate(records):
        for form in {entity["name"], *entity.get("aliases", [])}:
            key = (entity["type"], form.casefold())
            if key in first_with_key:
                parent[find(i)] = find(first_with_key[key])
            else:
                first_with_key[key] = i

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
