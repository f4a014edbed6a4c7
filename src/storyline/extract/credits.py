"""Agencies and outlets an article credits ("told Reuters", "(© NTB)", "/ AP /").

A curated table of wire agencies and large newsrooms, each with the spellings
it appears under. An outlet counts as credited when one of its spellings occurs
as a whole word in the body or in a stripped line (credits often sit in
captions and copyright lines that cleaning removes). Short all-caps
abbreviations (AP, AFP, NTB) must match case-sensitively so that "ap" inside
ordinary prose never counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

# canonical name -> spellings (case-insensitive unless all-caps abbreviation)
OUTLETS: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AP": ("AP", "Associated Press"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "NTB": ("NTB", "Norsk Telegrambyrå"),
    "ANP": ("ANP",),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "TASS": ("TASS",),
    "RIA Novosti": ("RIA Novosti",),
    "Interfax": ("Interfax",),
    "Xinhua": ("Xinhua",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "PTI": ("PTI", "Press Trust of India"),
    "UPI": ("UPI", "United Press International"),
    "BTA": ("BTA", "Bulgarian News Agency"),
    "TT": ("TT Nyhetsbyrån",),
    "Ritzau": ("Ritzau",),
    "Anadolu": ("Anadolu Agency", "Anadolu"),
    "Bloomberg": ("Bloomberg",),
    "CNN": ("CNN",),
    "CBS News": ("CBS News", "CBS"),
    "NBC News": ("NBC News", "NBC"),
    "ABC News": ("ABC News",),
    "BBC": ("BBC",),
    "Fox News": ("Fox News",),
    "NPR": ("NPR",),
    "Al Jazeera": ("Al Jazeera",),
    "The New York Times": ("New York Times", "NYT"),
    "The Washington Post": ("Washington Post",),
    "The Wall Street Journal": ("Wall Street Journal", "WSJ"),
    "Financial Times": ("Financial Times",),
    "The Guardian": ("The Guardian",),
    "Politico": ("Politico",),
    "Axios": ("Axios",),
    "Le Monde": ("Le Monde",),
    "Der Spiegel": ("Der Spiegel",),
    "Trud": ("Trud",),
}


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Two passes cover the table: all-caps abbreviations case-sensitively, the other spellings without case."""
    canonical: dict[str, str] = {}
    exact, folded = [], []
    for name, spellings in OUTLETS.items():
        for spelling in spellings:
            (exact if spelling.isupper() else folded).append(spelling)
            canonical[spelling if spelling.isupper() else spelling.casefold()] = name

    def alternation(spellings: list[str], flags: int = 0) -> re.Pattern[str]:
        ordered = sorted(spellings, key=len, reverse=True)
        return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])", flags)

    return alternation(exact), alternation(folded, re.IGNORECASE), canonical


def find_credits(text: str, removed: list[str] | None = None) -> list[str]:
    """Canonical names of the outlets credited in `text` or its stripped lines, in order of first mention."""
    haystack = "\n".join([text, *(removed or [])])
    exact, folded, canonical = _matchers()
    first: dict[str, int] = {}
    for pattern, key in ((exact, str), (folded, str.casefold)):
        for match in pattern.finditer(haystack):
            name = canonical[key(match.group())]
            first[name] = min(first.get(name, match.start()), match.start())
    return sorted(first, key=first.__getitem__)
