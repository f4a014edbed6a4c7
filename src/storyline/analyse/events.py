"""Events from dependency parses: who did what to whom, where, when and how many.

An event is a content verb with a subject (its actor). The target is its direct object (or the object
of its first preposition), the place a place entity inside the verb's phrase (else in the sentence),
the time a resolved time expression of the sentence and the quantity one found in the actor or target.
Speech verbs are left to quotes; pronoun actors are replaced by the person named before them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from storyline.analyse.quotes import SPEECH_VERBS, strip_title
from storyline.analyse.records import Event, Quantity, TimeExpr

_PLACE_LABELS = ("GPE", "LOC", "FAC")
_SKIP_LEMMAS = SPEECH_VERBS | {
    "be",
    "have",
    "do",
    "get",
    "seem",
    "become",
    "make",
    "let",
    "go",
    "come",
    "want",
    "need",
    "try",
    "include",
    "know",
    "see",
    "look",
    "take",
}
_PRONOUNS = {"he", "she", "they", "him", "her", "them"}


def _phrase(tok: Token, limit: int = 8) -> str:
    """A short noun phrase for a token: its left modifiers, compounds and "of" attachments."""
    left = tok.i
    for t in tok.lefts:
        if (
            t.dep_ in ("compound", "amod", "nummod", "quantmod", "det", "poss", "nmod")
            and tok.i - t.i <= limit
        ):
            left = min(left, min(x.i for x in t.subtree))
    right = tok.i
    for t in tok.rights:
        if t.dep_ in ("compound", "flat") or t.dep_ == "prep" and t.lower_ == "of":
            right = max(right, max(x.i for x in t.subtree))
    doc = tok.doc
    while left < tok.i and doc[left].lower_ in ("the", "a", "an"):
        left += 1
    right = min(right, left + limit)
    text = doc[left : right + 1].text
    people = [e for e in doc[left : right + 1].ents if e.label_ == "PERSON"]
    return strip_title(people[-1].text) if people and len(people[-1]) >= right - left else text


def _actor(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child
    for child in verb.children:
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _actor(verb.head)
    return None


def _target(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
            return child
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ not in ("in", "on", "at", "during", "since"):
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None


def _resolve_pronoun(tok: Token) -> str | None:
    best = None
    for ent in tok.doc.ents:
        if ent.label_ in ("PERSON", "ORG", "NORP", "GPE") and ent.end <= tok.i and tok.i - ent.end < 200:
            best = ent
    return strip_title(best.text) if best is not None else None


def _place(verb: Token, sent: Span) -> str | None:
    sub = set(t.i for t in verb.subtree)
    named = [
        e
        for e in sent.ents
        if e.label_ in _PLACE_LABELS
        and e.root.dep_ not in ("compound", "amod", "nmod", "poss", "nsubj", "nsubjpass")
    ]
    inside = [e for e in named if e.start in sub]
    pool = inside or named
    return pool[0].text if pool else None


def extract_events(doc: Doc, times: list[TimeExpr], quantities: list[Quantity]) -> list[Event]:
    """Event records for every sentence of a parsed article."""
    out: list[Event] = []
    for si, sent in enumerate(doc.sents):
        sent_times = [t for t in times if t.sentence == si]
        sent_qty = [q for q in quantities if q.sentence == si]
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() in _SKIP_LEMMAS or tok.dep_ in ("amod", "aux"):
                continue
            subj = _actor(tok)
            if subj is None or subj.lower_ in (
                "it",
                "this",
                "that",
                "which",
                "who",
                "there",
                "i",
                "you",
                "we",
            ):
                continue
            actor = _resolve_pronoun(subj) if subj.lower_ in _PRONOUNS else _phrase(subj)
            if not actor:
                continue
            target_tok = _target(tok)
            target = _phrase(target_tok) if target_tok is not None else None
            negated = any(c.dep_ == "neg" for c in tok.children)
            particle = [c.text for c in tok.children if c.dep_ == "prt"]
            action = " ".join(["not"] * negated + [tok.lemma_.lower(), *particle])
            quantity = next(
                (q.text for q in sent_qty if q.text and (q.text in actor or target and q.text in target)),
                None,
            )
            sub = doc[min(t.i for t in tok.subtree) : max(t.i for t in tok.subtree) + 1]
            when = next((t.date for t in sent_times if sub.start_char <= t.start < sub.end_char), None)
            out.append(
                Event(
                    actor=actor,
                    action=action,
                    target=target,
                    place=_place(tok, sent),
                    time=when or (sent_times[0].date if sent_times else None),
                    quantity=quantity,
                    sentence=si,
                )
            )
    return out
