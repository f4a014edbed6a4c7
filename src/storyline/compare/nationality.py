"""Countries from demonyms and country names ("Russians", "Russian", "Russia" -> Russia), and personnel nouns."""

from __future__ import annotations

from functools import lru_cache

from storyline.analyse.entities import country_name_of

# Lemmas of nouns that count members of an armed force, whose country a count is aligned on.
PERSONNEL = frozenset({"troop", "soldier", "instructor", "trainer", "personnel", "force", "adviser", "advisor",
                       "mercenary", "serviceman", "servicemen", "marine", "fighter", "military"})


# Demonyms that no suffix rule turns into their country's name.
IRREGULAR = {"french": "France", "british": "United Kingdom", "brit": "United Kingdom", "turk": "Turkey",
             "turkish": "Turkey", "chinese": "China", "dutch": "Netherlands", "swiss": "Switzerland",
             "spanish": "Spain", "spaniard": "Spain", "danish": "Denmark", "dane": "Denmark", "swedish": "Sweden",
             "swede": "Sweden", "polish": "Poland", "pole": "Poland", "finnish": "Finland", "finn": "Finland",
             "irish": "Ireland", "greek": "Greece", "japanese": "Japan", "vietnamese": "Vietnam",
             "portuguese": "Portugal", "lebanese": "Lebanon", "sudanese": "Sudan", "congolese": "Congo",
             "senegalese": "Senegal", "filipino": "Philippines", "israeli": "Israel", "iraqi": "Iraq",
             "pakistani": "Pakistan", "afghan": "Afghanistan", "yemeni": "Yemen", "saudi": "Saudi Arabia",
             "thai": "Thailand", "norwegian": "Norway", "icelandic": "Iceland", "malian": "Mali"}


@lru_cache(maxsize=4096)
def nationality(word: str) -> str | None:
    """The country a demonym or country name refers to: Russians, Russian, Russia -> Russia."""
    if not word[:1].isupper():
        return None
    bare = word.strip("'’").rstrip("s")
    if bare.lower() in IRREGULAR:
        return country_name_of(IRREGULAR[bare.lower()]) or IRREGULAR[bare.lower()]
    for cand in (word, bare, bare[:-1], bare[:-2], bare[:-3], bare + "y", bare[:-1] + "y", bare[:-3] + "y",
                 bare + "a" if bare.endswith("i") else ""):  # "Somali": Somalia
        if len(cand) >= 4 - (cand == word) * 2 and (name := country_name_of(cand)):
            return name
    return None
