"""Headline support: is the headline's central claim (its main predicate and an argument) found in the story's text?"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.analyse.nlp import get_nlp
from storyline.compare.stance import headline_stance

ARG_POS = {"NOUN", "PROPN"}
LIGHT_VERBS = {"be", "have", "say", "get", "make", "do"}


@dataclass(slots=True)
class HeadlineCheck:
    """Whether a headline's central claim is supported, and why."""

    article_id: int
    headline: str
    supported: bool
    reason: str

    def to_json(self) -> dict:
        """The contract object {article_id, headline, supported, reason}."""
        return {"article_id": self.article_id, "headline": self.headline, "supported": self.supported,
                "reason": self.reason}


def _sentence_lemmas(texts: list[str]) -> list[list[tuple[set[str], set[str]]]]:
    """Per text, per sentence: (verb lemmas, noun/adjective lemmas)."""
    nlp = get_nlp()
    out = []
    for doc in nlp.pipe(texts, disable=["ner"]):
        out.append([({t.lemma_.lower() for t in s if t.pos_ == "VERB"},
                     {t.lemma_.lower() for t in s if t.pos_ in ARG_POS | {"ADJ"}}) for s in doc.sents])
    return out


def check_headlines(items: list[tuple[int, str, str]]) -> list[HeadlineCheck]:
    """Check each (article_id, headline, body): the headline's main verb with one of its arguments must occur
    in one sentence of its body or of another source; with no verb, two of its nouns must occur together."""
    items = [(i, h.strip(), b) for i, h, b in items if h and h.strip()]
    if not items:
        return []
    nlp = get_nlp()
    bodies = _sentence_lemmas([b for _, _, b in items])
    checks = []
    for (article_id, headline, body), own, doc in zip(items, bodies, nlp.pipe([h for _, h, _ in items]), strict=True):
        if not own:
            checks.append(HeadlineCheck(article_id, headline, False, "the article has no body text"))
            continue
        if headline_stance(headline, body).label == "unrelated":
            checks.append(HeadlineCheck(article_id, headline, False, "the body is unrelated to the headline"))
            continue
        verbs = {t.lemma_.lower() for t in doc if t.pos_ == "VERB" and t.dep_ in {"ROOT", "conj"}} - LIGHT_VERBS
        args = {t.lemma_.lower() for t in doc if t.pos_ in ARG_POS | {"ADJ"}}
        others = [s for j, b in enumerate(bodies) if b is not own for s in b]
        if verbs:
            where = _find_verb(verbs, args, own, others)
            claim = "/".join(sorted(verbs))
            if where:
                checks.append(HeadlineCheck(article_id, headline, True, f"'{claim}' is stated in {where}"))
            else:
                checks.append(HeadlineCheck(article_id, headline, False,
                                            f"no source says its subject or object '{claim}'"))
            continue
        hit = any(len(args & nouns) >= 2 for _, nouns in own + others)
        reason = "its nouns occur together in the text" if hit else "its nouns never occur together in any source"
        checks.append(HeadlineCheck(article_id, headline, hit, reason))
    return checks


def _find_verb(verbs: set[str], args: set[str], own: list, others: list) -> str | None:
    for where, sentences in (("its own body", own), ("another source", others)):
        if any(verbs & v and args & n for v, n in sentences):
            return where
    return None
