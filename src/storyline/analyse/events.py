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
_ANTECEDENT_LABELS = ("PERSON", "ORG", "NORP", "GPE")
_NOT_ACTORS = {"it", "this", "that", "which", "who", "there", "i", "you", "we"}


def _phrase(tok: Token, limit: int = 8, people: list[Span] | None = None) -> str:
    """A short noun phrase for a token: its left modifiers, compounds and "of" attachments.

    `people` are the document's PERSON entities (computed once per document by the caller).
    """
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
    if people is None:
        people = [e for e in doc.ents if e.label_ == "PERSON"]
    inside = [e for e in people if left <= e.start and e.end <= right + 1]
    return strip_title(inside[-1].text) if inside and len(inside[-1]) >= right - left else text


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


def _resolve_pronoun(tok: Token, named: list[Span] | None = None) -> str | None:
    """The last PERSON, ORG, NORP or GPE named in the 200 tokens before a pronoun (`named`: those entities)."""
    if named is None:
        named = [e for e in tok.doc.ents if e.label_ in _ANTECEDENT_LABELS]
    best = None
    for ent in named:
        if ent.end <= tok.i and tok.i - ent.end < 200:
            best = ent
    return strip_title(best.text) if best is not None else None


def _places_of(ents: list[Span]) -> list[Span]:
    """The place entities that can be where an event happened (not modifiers or subjects)."""
    return [
        e
        for e in ents
        if e.label_ in _PLACE_LABELS
        and e.root.dep_ not in ("compound", "amod", "nmod", "poss", "nsubj", "nsubjpass")
    ]


def _place(verb: Token, sent: Span, named: list[Span] | None = None) -> str | None:
    """The first place inside the verb's phrase, else in the sentence (`named`: the sentence's places)."""
    if named is None:
        named = _places_of(list(sent.ents))
    if not named:
        return None
    sub = set(t.i for t in verb.subtree)
    inside = [e for e in named if e.start in sub]
    pool = inside or named
    return pool[0].text if pool else None


def extract_events(doc: Doc, times: list[TimeExpr], quantities: list[Quantity]) -> list[Event]:
    """Event records for every sentence of a parsed article."""
    out: list[Event] = []
    ents = list(doc.ents)
    people = [e for e in ents if e.label_ == "PERSON"]
    named = [e for e in ents if e.label_ in _ANTECEDENT_LABELS]
    places = _places_of(ents)
    for si, sent in enumerate(doc.sents):
        sent_times = [t for t in times if t.sentence == si]
        sent_qty = [q for q in quantities if q.sentence == si]
        sent_places = None
        for tok in sent:
            if tok.pos_ != "VERB" or tok.dep_ in ("amod", "aux") or tok.lemma_.lower() in _SKIP_LEMMAS:
                continue
            subj = _actor(tok)
            if subj is None or subj.lower_ in _NOT_ACTORS:
                continue
            actor = _resolve_pronoun(subj, named) if subj.lower_ in _PRONOUNS else _phrase(subj, people=people)
            if not actor:
                continue
            target_tok = _target(tok)
            target = _phrase(target_tok, people=people) if target_tok is not None else None
            negated = any(c.dep_ == "neg" for c in tok.children)
            particle = [c.text for c in tok.children if c.dep_ == "prt"]
            action = " ".join(["not"] * negated + [tok.lemma_.lower(), *particle])
            quantity = next(
                (q.text for q in sent_qty if q.text and (q.text in actor or target and q.text in target)),
                None,
            )
            sub = doc[tok.left_edge.i : tok.right_edge.i + 1]
            when = next((t.date for t in sent_times if sub.start_char <= t.start < sub.end_char), None)
            if sent_places is None:
                sent_places = [e for e in places if sent.start <= e.start and e.end <= sent.end]
            out.append(
                Event(
                    actor=actor,
                    action=action,
                    target=target,
                    place=_place(tok, sent, sent_places),
                    time=when or (sent_times[0].date if sent_times else None),
                    quantity=quantity,
                    sentence=si,
                )
            )
    return out
