"""Headline support, judged against the article's own body: flag only what the body contradicts or clearly lacks.

Each headline gets a verdict with a confidence:

- `unsupported` when the body gives the headline's counted thing only with other values ("34 crocodiles"
  in the headline, "30 crocodiles" in every body sentence that counts them); when the headline reports a
  grave event (violence, a death, an arrest or charge) of which the body says nothing of the kind; or when
  the body is about something else (few of the headline's names and nouns occur in it, and the FNC-1 stance
  model reads the pair as unrelated);
- `supported` when one body sentence carries most of the headline's names and nouns (cited by index);
- `unsure` otherwise (paraphrase, idiom, a headline that sums up the whole text): no flag.

Words are compared by their first five letters, so that "crash"/"crashed", "Malaysian"/"Malaysia" meet;
a headline's verb is never looked up on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from storyline.analyse.gazetteer import lookup
from storyline.analyse.nlp import get_nlp
from storyline.analyse.quantities import scan
from storyline.compare.claims import rounded, same_figure
from storyline.compare.nationality import nationality
from storyline.compare.stance import headline_stance

STEM = 5
SUPPORTED_COVERAGE = 0.6  # share of the headline's weighted names and nouns one body sentence must carry
UNRELATED_COVERAGE = 0.3  # below this share over the whole body (and an "unrelated" stance) the body lacks it
SAME_CLAIM_COVERAGE = 0.5  # share of the headline's words a body sentence needs to be about the same claim
UNRELATED_STANCE = 0.8  # the stance model's probability of "unrelated" needed as well
MAX_BODY = 200_000  # characters of the body read (a longer body is judged on its beginning)
MIN_BODY_WORDS = 80  # a shorter body (a teaser, a caption) lacking something is no evidence that the story does
DATE_WORDS = frozenset("""january february march april may june july august september october november december jan
feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue tues
wed thu thurs fri sat sun updated update published posted last modified at on am pm a.m p.m gmt bst utc est edt cst
cdt pst pdt cet cest ist sgt""".split())  # noqa: SIM905
# Grave events a headline can report: the words that report one in a headline, and the word beginnings of
# which a body that reports it (in any wording) uses at least one.
EVENTS = {
    "violence": ({"fight", "fights", "fought", "clash", "clashes", "attack", "attacks", "attacked", "brawl", "battle",
                  "stab", "stabbed", "shoot", "shoots", "shot", "bomb", "bombed", "riot", "assault", "assaulted"},
                 ("fight", "fought", "clash", "attack", "assault", "brawl", "battl", "stab", "shoot", "shot", "gun",
                  "bomb", "explo", "riot", "beat", "punch", "violen", "kill", "wound", "injur", "hurt", "struck",
                  "strike", "hit", "combat", "skirmish", "raid", "scuffl", "altercat", "slap", "kick", "tussle",
                  "melee", "confront", "spar")),
    "a death": ({"die", "dies", "died", "dead", "death", "deaths", "killed", "kills", "murder", "murdered", "slain"},
                ("die", "died", "dies", "dying", "dead", "death", "kill", "fatal", "murder", "slain", "bod", "corpse",
                 "perish", "drown", "passed", "lost", "life", "lives", "toll", "hang", "execut", "fatal", "homicid",
                 "manslaught", "victim")),
    "an arrest or charge": ({"arrest", "arrested", "arrests", "detained", "charged", "convicted", "jailed",
                             "sentenced"},
                            ("arrest", "detain", "detention", "charg", "convict", "jail", "sentenc", "prison",
                             "custody", "nab", "held", "court", "accus", "suspect", "police", "sued", "indict",
                             "remand", "apprehend", "caught", "captur", "plead", "guilty", "trial", "prosecut",
                             "offen", "fine", "extradit", "deport", "investig")),
}
NEGATION = re.compile(r"(?i)\b(?:not|no|nothing|never|none|neither|nor|without|den(?:y|ies|ied)|\w+n[’']t)\b")
NEGATIVE_WORDS = frozenset({"nothing", "never", "none", "nobody", "neither", "nor"})
MAX_SENTENCE = 1000
CONTENT_CLAUSES = frozenset({"ccomp", "xcomp", "relcl", "acl"})  # links a negation reaches through
MAX_PARTS = 12  # body amounts of one thing tried as parts of a headline total
EVENT_CUES = frozenset().union(*(cues for cues, _ in EVENTS.values()))
NAME = re.compile(r"\b[A-Z][\w'’-]*")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
STOP = frozenset("""a an the of in on at to for by with from and or but as is are was were be been being has have
had do does did will would can could may might must shall should it its this that these those after before over
under into onto out up down off about than then so not no new says said say amid while who what when where why how
s""".split())  # noqa: SIM905


@dataclass(slots=True)
class HeadlineCheck:
    """Whether a headline is borne out by its own body, how surely, and why."""

    article_id: int
    headline: str
    supported: bool  # False only for an `unsupported` verdict
    reason: str
    verdict: str = "unsure"  # supported, unsupported or unsure
    confidence: float = 0.0
    sentence_index: int | None = None  # the body sentence that supports or contradicts it

    def to_json(self) -> dict:
        """{article_id, headline, supported, reason, verdict, confidence, sentence_index}."""
        return {"article_id": self.article_id, "headline": self.headline, "supported": self.supported,
                "reason": self.reason, "verdict": self.verdict, "confidence": self.confidence,
                "sentence_index": self.sentence_index}


def _stems(text: str) -> list[str]:
    return [w.lower()[:STEM] for w in WORD.findall(text)]


def bare_headline(title: str) -> str:
    """The headline without the site name pages append ("... | WeirdKaya", "... - WORLD OF BUZZ")."""
    parts = re.split(r"\s+\|\s+", title.strip())
    head = parts[0]
    while (m := re.search(r"\s+[-–—]\s+([^-–—]+)$", head)) and len(m.group(1).split()) <= 4 and all(
            w[:1].isupper() or not w[:1].isalpha() for w in m.group(1).split()):
        head = head[:m.start()]
    return head


def truecase(headline: str, body: str) -> str:
    """A title-case headline in sentence case, for the parser: a capitalised word the body writes in lower case
    ("Gets Cancelled After 6-Hour Delay") is lowered; names keep their capitals."""
    lower = {w for w in WORD.findall(body) if w.islower()}
    def common(word: str) -> bool:
        parts = [p for p in re.split(r"[-–]", word) if p and not p.isdigit()]
        return bool(parts) and any(p[:1].isupper() for p in parts) and all(p.lower() in lower for p in parts)

    words = headline.split(" ")
    return " ".join([words[0], *(w.lower() if common(w) else w for w in words[1:])])


def content_stems(text: str) -> list[str]:
    """The text's content words (no stop words, three letters or more), by stem."""
    return [w.lower()[:STEM] for w in WORD.findall(text) if len(w) >= 3 and w.lower() not in STOP]


def _content(headline: str) -> dict[str, float]:
    """The headline's names (weight 2) and other content words (weight 1), by stem."""
    names = {w.lower()[:STEM] for w in NAME.findall(headline) if w.lower() not in STOP}
    words: dict[str, float] = {}
    for w in WORD.findall(headline):
        low = w.lower()
        if low in STOP or len(low) < 3:
            continue
        stem = low[:STEM]
        words[stem] = max(words.get(stem, 0.0), 2.0 if stem in names and not headline.startswith(w) else 1.0)
    return words


def _coverage(content: dict[str, float], stems: set[str]) -> float:
    total = sum(content.values())
    return sum(w for s, w in content.items() if s in stems) / total if total else 0.0


def _amounts(text: str) -> list[tuple[str, object]]:
    """(what is counted, by stem, quantity) for each amount in a text: the unit, else the next word."""
    found = []
    for q, _, end, unit_end in scan(text):
        word = WORD.search(text, unit_end if q.unit else end)
        thing = q.unit or (word.group(0) if word and word.start() - end <= 2 else "")
        if thing:
            found.append((thing.lower()[:STEM], q))
    return found


def _number_conflict(headline: str, sentences: list[str]) -> tuple[str, int] | None:
    """A headline amount the body never gives, where a body sentence about the same claim (most of the headline's
    words) gives the same thing another value: (reason, sentence index), else None."""
    body = [(i, thing, q) for i, s in enumerate(sentences) for thing, q in _amounts(s)]
    content = _content(headline)
    for thing, q in _amounts(headline):
        if not re.search(r"\d", q.text) or q.approx or q.bound != "=" or q.value == 1:
            continue
        low, high = rounded(q.value, q.text, bool(q.unit))
        if any(b.value <= high and (b.value_max or b.value) >= low or same_figure(b.text, q.text)
               for _, _, b in body) or _sums_to(low, high, [b.value for _, t, b in body if t == thing]):
            continue  # the body gives this value somewhere (or the same figure at another scale: a typo), or its parts
        for i, t, b in body:
            if t == thing and _coverage(content, set(_stems(sentences[i]))) >= SAME_CLAIM_COVERAGE:
                return f"the headline says {q.text}; the body says {b.text}", i
    return None


def _sums_to(low: float, high: float, values: list[float]) -> bool:
    """Some of the body's amounts of the thing add up to the headline's ("$5.9m" lost: $1m and $4.9m)."""
    sums = {0.0}
    for v in values[:MAX_PARTS]:
        sums |= {s + v for s in sums}
    return any(low <= s <= high for s in sums - {0.0} - set(values))


def _missing_event(headline: str, sentences: list[str]) -> str | None:
    """The grave event kind a headline reports and the body does not: no word of that kind anywhere in the body,
    or, for violence between named parties ("A and B clash"), none in a passage (two adjacent sentences) that
    names at least half of those parties."""
    words = {w.lower() for w in WORD.findall(headline)}
    for kind, (cues, beginnings) in EVENTS.items():
        if not words & cues:
            continue
        parties = _parties(headline, cues) if kind == "violence" else set()
        passages = [" ".join(sentences[i:i + 2]) for i in range(len(sentences))]
        reported = any(any(w.lower().startswith(beginnings) for w in WORD.findall(passage))
                       and (len(parties) < 2 or len(parties & set(_stems(passage))) * 2 >= len(parties))
                       for passage in passages)
        if not reported:
            return kind
    return None


def _parties(headline: str, cues: set[str]) -> set[str]:
    """The names (by stem) of who does or suffers the headline's violence, in the parse: the proper nouns of the
    violence word's subjects and objects and of their conjuncts, nationalities too ("Workers and managers fight",
    "Police clash with protesters" give no names; "American and Russian soldiers fight" gives two), never of a
    place or time phrase ("Four shot during Halloween party") or of a site name appended to the headline."""
    parties: set[str] = set()
    for token in get_nlp()(headline):
        if token.lower_ not in cues:
            continue
        for child in token.children:
            if child.dep_ in {"nsubj", "nsubjpass", "dobj", "agent", "conj"} or (
                    child.dep_ == "prep" and child.lower_ in {"with", "between", "against"}):
                parties.update(t.lower_[:STEM] for t in child.subtree if t.dep_ != "appos" and (
                    t.pos_ == "PROPN" or t.ent_type_ in {"NORP", "PERSON", "ORG", "GPE"}))
    return parties


def _claim(headline: str) -> tuple[str, str] | None:
    """The headline's central predicate and its object, by stem: the innermost reported clause's verb ("admits
    Vestkraft *ignored warnings*") and its object or passive subject; None for a headline without one."""
    doc = get_nlp()(headline)
    verb = next((t for t in doc if t.dep_ == "ROOT"), None)
    while verb is not None and (inner := next((c for c in verb.children if c.dep_ == "ccomp"
                                               and c.pos_ == "VERB"), None)) is not None:
        verb = inner
    if verb is None or verb.pos_ != "VERB":
        return None
    thing = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass", "attr"} and c.pos_ in {"NOUN", "PROPN"}),
                 None)
    return (verb.text.lower()[:STEM], thing.text.lower()[:STEM]) if thing is not None else None


def _denied(headline: str, sentences: list[str]) -> int | None:
    """The body sentence that negates the headline's central predicate with its object ("I have seen nothing that
    tells me we ignored any warning" against "... Vestkraft ignored warnings"), when no body sentence states them
    without a negation. Negated means, in the parse: the predicate has a negation, or sits under one."""
    if NEGATION.search(headline) or (claim := _claim(headline)) is None:
        return None
    verb, thing = claim
    found = [(i, s) for i, s in enumerate(sentences)
             if {verb, thing} <= {w.lower()[:STEM] for w in re.findall(r"[\w'’]+", s)} and len(s) <= MAX_SENTENCE]
    denied = None
    for (i, _), doc in zip(found, get_nlp().pipe(s for _, s in found), strict=True):
        predicates = [t for t in doc if t.lower_[:STEM] == verb]
        if not any(_negated(t) for t in predicates):
            return None  # the body states it plainly somewhere
        denied = i if denied is None else denied
    return denied


def _negated(token: Token) -> bool:
    """A negation on the token or on a clause it is the content of ("not", "nothing ... that", "denied that");
    a coordinated verb ("could not focus and forged") is not under its neighbour's negation."""
    while True:
        if token.lower_ in NEGATIVE_WORDS or token.lemma_.lower() in {"deny", "refute"} or any(
                c.dep_ == "neg" or c.dep_ in {"nsubj", "dobj"} and c.lower_ in NEGATIVE_WORDS for c in token.children):
            return True  # "not ignored", "nothing that tells me we ignored", "nobody ignored", "denied ignoring"
        if token.dep_ not in CONTENT_CLAUSES or token.head.i == token.i:
            return False
        token = token.head


def check_headline(article_id: int, headline: str, sentences: list[str]) -> HeadlineCheck:
    """Judge one headline against its own body's sentences."""
    if not sentences:
        return HeadlineCheck(article_id, headline, True, "no body text to judge the headline by")
    if _dateline(headline):
        return HeadlineCheck(article_id, headline, True, "the title is a date line, not a headline")
    content = _content(headline)
    full_body = sum(len(s.split()) for s in sentences) >= MIN_BODY_WORDS
    per_sentence = [set(_stems(s)) for s in sentences]
    body_stems = set().union(*per_sentence)
    if conflict := _number_conflict(headline, sentences):
        reason, index = conflict
        return HeadlineCheck(article_id, headline, False, reason, "unsupported", 0.85, index)
    if full_body and (kind := _missing_event(headline, sentences)):
        return HeadlineCheck(article_id, headline, False,
                             f"the headline reports {kind}; the body reports nothing of the kind",
                             "unsupported", 0.8)
    if (index := _denied(headline, sentences)) is not None:
        return HeadlineCheck(article_id, headline, False, "the body says the opposite", "unsupported", 0.75, index)
    best = max(range(len(sentences)), key=lambda i: _coverage(content, per_sentence[i]))
    best_cover = _coverage(content, per_sentence[best])
    if best_cover >= SUPPORTED_COVERAGE:
        return HeadlineCheck(article_id, headline, True, "stated in its body", "supported",
                             round(best_cover, 2), best)
    overall = _coverage(content, body_stems)
    if full_body and len(content) >= 4 and overall < UNRELATED_COVERAGE and not _shares_identifier(headline, sentences):
        stance = headline_stance(headline, " ".join(sentences))
        if stance.scores["unrelated"] >= UNRELATED_STANCE:
            return HeadlineCheck(article_id, headline, False, "the body is about something else", "unsupported",
                                 round(0.5 + 0.5 * stance.scores["unrelated"] * (1 - overall), 2))
    return HeadlineCheck(article_id, headline, True, "not clearly stated nor contradicted in its body", "unsure",
                         round(best_cover, 2), best)


def _dateline(title: str) -> bool:
    """A title that is only a date and time ("21 July 2013 Last updated at 11:11 GMT"), as pages put in the
    title slot: fewer than two words (of two letters or more) that are not date or time words."""
    words = [w for w in re.findall(r"[^\W\d_]+(?:\.[^\W\d_]+)*", title.lower())
             if w.rstrip(".") not in DATE_WORDS and len(w) > 1]
    return len(words) < 2


def _shares_identifier(headline: str, sentences: list[str]) -> bool:
    """Whether the body names one of the headline's names (a capitalised word, not its first, that the body
    writes capitalised and never in lower case; not a country or nationality, which many unrelated stories
    name) or gives one of its numbers: then it is about the headline's subject, however differently it words
    it ("Boy, 3, killed by father" against "their 3-year-old son")."""
    body = " ".join(sentences)
    lower = {w for w in WORD.findall(body) if w.islower()}
    capitalised = set(NAME.findall(body))
    names = {m.group(0) for m in NAME.finditer(headline) if m.start() > 0 and m.group(0) in capitalised
             and m.group(0).lower() not in STOP | lower and not _country(m.group(0))}
    numbers = set(re.findall(r"\d+(?:[.,]\d+)?", headline))
    return bool(names) or any(re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d]|[.,]\d)", body) for n in numbers)


def _country(word: str) -> bool:
    hit = lookup(word)
    return nationality(word) is not None or hit is not None and hit.kind == "country"


def check_headlines(items: list[tuple[int, str, list[str]]]) -> list[HeadlineCheck]:
    """Check each (article_id, headline, body sentences) against its own body (the site name left out)."""
    checks = []
    for i, h, body in items:
        if h and h.strip():
            check = check_headline(i, bare_headline(h), body)
            check.headline = h.strip()
            checks.append(check)
    return checks
