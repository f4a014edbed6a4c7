"""Claims: what a sentence states about how many or how much, read from its parse, and their alignment.

A claim is one number in a sentence with what it measures (the counted noun or the unit, the noun a
measure modifies: "a nine-hour *delay*"), the modifiers that narrow it ("*Russian* troops"), who or what
it is about (the named subject of its verb), when it holds (a time expression governed by that same
verb, not one from another clause: "said on Tuesday, after Sunday's interview"), who says it, and its
value as an interval ("about", "nearly", "more than", ranges and round figures widen it).

Two claims are compared only when they are aligned: from different independent sources, measuring the same
thing with the same modifiers and no conflicting subject or object, and with a similar statement around the
number (content-word similarity weighted by how rare each word is in the story). A running count of people
(dead, missing, injured...) is one measured thing whatever noun counts it, and two such counts are aligned
when they hold on the same stated day. Numbers that are not amounts make no claim: odds ("1 in 3"), ranks and
identifiers ("No. 2", "Service 138"), ordinals, ages, points of comparison ("down from 55 per cent"), vague
amounts ("dozens"), forecasts, conditionals, and lines without a sentence end (page furniture).

What a claim is about: the names and nouns of its verb's subject and object (not words that point back
without naming, "29 *others* won"), and for a participle ("a tie clip *valued* at $480", "perfumes *amounting*
to S$1,121.60") the noun phrase it describes, which is also its clause. The amount itself is no context word.
Two values SCALE_APART (ten) times apart or more are never aligned: reports of one figure differ by a slip,
rounding or an update, so such values are a total against a share, or all against each.

Attribute claims (`Attribute`) are facts that are not amounts but name what they are about:
- the age of a named person ("Wang, 42,", "Mr Li, a 39-year-old", "46-year-old Iskandar Rahmat"), keyed by the
  full name (a surname alone stands for the nearest full name before it that contains it), not ages of another
  time ("then 34-year-old");
- the street number of an address, keyed by house or block number and street name ("Block 181 Ang Mo Kio
  Avenue 5": the same block on the same street cannot have two street numbers);
- the weekday written beside a date ("Monday (5 Feb)"), keyed by the date; two sources conflict on it only when
  one of them names a weekday the date does not fall on.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Token

from storyline.analyse.gazetteer import lookup
from storyline.analyse.quotes import SPEECH_VERBS
from storyline.compare.nationality import PERSONNEL, nationality

ALIGN = 0.40  # claim-context similarity at or above which two claims of one measured thing are aligned (dev)
ALIGN_ALONE = 0.60  # ... when neither their verb nor the noun they measure is the same
SCALE_APART = 10.0  # values this many times apart are not one figure told two ways (dev: real slips are < 2x)
# Words that name a running count, and its kind; a count of people (or a toll) of one kind is measured as
# "people dead", "people missing"..., whatever noun the source counts with.
TALLY_WORDS = {"dead": "dead", "death": "dead", "die": "dead", "kill": "dead", "toll": "dead", "fatality": "dead",
               "missing": "missing", "injure": "injured", "injured": "injured", "wound": "injured",
               "wounded": "injured", "hurt": "injured", "evacuate": "evacuated", "evacuee": "evacuated",
               "arrest": "arrested", "detain": "arrested"}
IDENTIFYING = frozenset({"number", "code", "id", "score", "result", "digit"})  # nouns whose values name things
COUNTED_PEOPLE = frozenset({"people", "person", "toll", "number", "body", "victim", "casualty", "resident"})
# Counts that rise as an event unfolds: two such counts only conflict when both say the same "as of" time.
TALLIES = frozenset(TALLY_WORDS) | COUNTED_PEOPLE | {"life", "injury", "rescue", "case", "infection", "displace",
                                                    "hospitalise", "hospitalize"}
NOT_AMOUNT_BEFORE = re.compile(r"(?:\bNo\.?|\bnumber|#|\bnos?\.|\bpage|\bphase|\bgrade|\blevel|\bstage|\bround|"
                               r"\btier|\bversion|\bstep|\bclass|\bgame|\bterminal|\bblock|\bunit|\broute|\bbus|"
                               r"\bflight|\bplatform|\bgate|\bseason|\bepisode|\bchapter|\barticle|\bsection)\s*$",
                               re.I)
NOT_AMOUNT_AFTER = re.compile(r"^\s*(?:in|out of|of every|-to-|to one|per)\s+\d", re.I)  # "1 in 3", "2 out of 5"
NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
# The whole a part is counted out of ("28 of 41 passes", "one of the 12 worst-hit villages", "five of the team's
# first eight points"): the total of something else, which the sentence does not state as its claim.
PART_OF_BEFORE = re.compile(rf"(?:\b\d[\d,.]*|\b(?:{'|'.join(NUMBER_WORDS)}))\s+of\s+(?:the\s+|its\s+|his\s+|her\s+|"
                            r"their\s+|[\w.]+\s?[’']\s?s\s+)?(?:first\s+|last\s+|top\s+)?$", re.I)
# A time offset ("nine days before the inauguration", "two weeks after the crash") dates something; it is no
# duration or amount.
OFFSET = re.compile(r"\S+(?:\s+\S+)?[\s-]*(?:days?|weeks?|months?|years?|hours?|minutes?)\s+(?:before|after|"
                    r"earlier|later|ago|prior)\b", re.I)
BROKEN_DECIMAL_BEFORE = re.compile(r"\d\.\s$")  # "6. 1-magnitude": a decimal split by tokenising, not a number
# An amount given as the point of comparison ("down from 55.5 per cent", "more than the 50 per cent she sought")
# or an age ("aged 25 years and above") is not the claim the sentence makes.
REFERENCE_BEFORE = re.compile(r"\b(?:from|than|compared (?:with|to)|versus|vs\.?|aged?)\s+(?:the\s+|an?\s+)?"
                              r"(?:about|around|nearly|almost|some|just|over|under|roughly|only)?\s*\S{0,4}\s*$", re.I)
REFERENCE_VERBS = frozenset({"compare", "contrast"})
HYPOTHETICAL = frozenset({"could", "would", "may", "might", "should", "can"})
SAME_TIME_DAYS = 7  # a stated date this close to the other source's publication date is the same time
AGE_UNITS = frozenset({"year of age", "year-old", "years-old"})
PARTICIPANTS = frozenset({"nsubj", "nsubjpass", "agent", "dobj", "dative"})
HEADLINE = -1  # the sentence index of an article's own headline
STATEMENT_END = frozenset(".!?\"”’'")
DOING_VERBS = frozenset({"post", "continue", "point", "charge"})  # speech verbs that also say what someone did
PRONOUNS = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she"}
REFERRING = frozenset({"other", "another", "rest", "remainder"})  # "29 others won": words naming no one
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
NEGATORS = frozenset({"not", "no", "never", "neither", "nor", "n't", "without"})


@dataclass(frozen=True, slots=True)
class Claim:
    """One amount a source states, with what it measures and the context it is aligned on."""

    article_id: int
    group: int  # the independent source (a report and its copies)
    measured: str  # the counted noun's lemma or the unit ("dollar", "crocodile", "hour")
    frame: str  # the noun a measure modifies ("delay" in "a nine-hour delay"), else ""
    modifiers: frozenset[str]  # adjectives, compounds and "of" nouns that narrow the measured thing
    subject: frozenset[str]  # who or what the claim's verb is about: names and nouns of its subject and object
    agents: frozenset[str]  # who does it: the names of the verb's subject ("he"/"she" for a pronoun), see `_agents`
    scope: frozenset[str]  # for counts of personnel: the countries where they are (named, else the story's)
    verb: str  # lemma of the governing verb
    when: str | None  # resolved date of a time expression in the amount's phrase or governed by its verb
    published: str | None  # the article's publication date
    elsewhen: bool  # the sentence dates something else far from publication, and the amount has no date of its own
    speaker: str | None  # who says it, when the claim is reported speech
    value: float
    low: float
    high: float
    approx: bool
    text: str  # the amount as written
    sentence: str
    sentence_index: int
    context: frozenset[str]  # content lemmas of the claim's clause (numbers left out)

    @property
    def tally(self) -> bool:
        """A running count (dead, injured, arrested...) that changes as the event unfolds."""
        return self.measured.startswith("people ") or bool({self.measured, self.verb, *self.modifiers} & TALLIES)

    @property
    def label(self) -> str:
        """What is measured, in words: "dollar (raise)", "number of Russian troops", "hour of delay"."""
        mods = " ".join(sorted(m for m in self.modifiers if m != self.measured))
        if self.measured == "personnel":
            return f"personnel from {mods} in {', '.join(sorted(self.scope)) or 'the story area'}"
        if self.frame:
            return f"{self.measured}s of {self.frame}"
        thing = f"{mods} {self.measured}".strip()
        return f"{thing} ({self.verb})" if self.verb else thing


def interval(value: float, value_max: float | None, bound: str, approx: bool, text: str,
             measure: bool) -> tuple[float, float]:
    """The values a stated amount allows: ranges, bounds, "about" (±15 %), and the precision it is written with."""
    high = value_max if value_max is not None else value
    if bound == ">":
        return value, math.inf
    if bound == "<":
        return 0.0, high
    if approx or bound == "~":
        return value * 0.85, high * 1.15
    low, _ = rounded(value, text, measure)
    return low, rounded(high, text, measure)[1] if value_max is None else high


def rounded(value: float, text: str, measure: bool) -> tuple[float, float]:
    """The values a figure covers at the precision it is written with: a measure to half its last written digit
    ("$1m" 0.5m-1.5m, "6.2ft" 6.15-6.25ft); a round count within 5 % ("300 people"); other counts exactly."""
    written = re.search(r"\d[\d,]*(?:\.(\d+))?", text)
    if not written or not float(written.group(0).replace(",", "")):
        return value, value
    scale = value / float(written.group(0).replace(",", ""))
    decimals = len(written.group(1) or "")
    integer = written.group(0).split(".")[0].replace(",", "")
    zeros = 0 if decimals else len(integer) - len(integer.rstrip("0"))
    step = scale * 10 ** (zeros - decimals)
    if measure:
        return value - step / 2, value + step / 2
    return (value * 0.95, value * 1.05) if zeros else (value, value)


def _governing_verb(tok: Token) -> Token:
    """The nearest verb (or the root) above a token."""
    while tok.pos_ not in {"VERB", "AUX"} and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _speaker(verb: Token) -> str | None:
    """Who says the clause: the subject of a speech verb the clause is the complement of."""
    tok = verb
    while tok.head.i != tok.i:
        if tok.dep_ in {"ccomp", "parataxis"} and tok.head.lemma_.lower() in SPEECH_VERBS:
            subj = [c for c in tok.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            return " ".join(t.text for t in subj[0].subtree) if subj else None
        tok = tok.head
    return None


def _subject_words(tokens: Iterable[Token]) -> frozenset[str]:
    """Who or what a subject names: its names and nouns, and the gender of a personal pronoun."""
    words = set()
    for t in tokens:
        if t.lemma_.lower() in REFERRING:
            continue
        if t.pos_ in {"PROPN", "NOUN"} or t.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
            words.add(t.lemma_.lower())
        elif t.lower_ in PRONOUNS:
            words.add(PRONOUNS[t.lower_])
    return frozenset(words)


def _agents(verb: Token, noun: Token) -> frozenset[str]:
    """Who does what the verb says, by name: whose the counted thing is ("Charles' 226 yards"), else the names
    of its subject (of a passive, its "by" agent); for a
    participle or clause without a subject ("finished with 29-of-34 after completing his first 17 passes") the
    subject of the verb it hangs on; for a relative clause ("Garrard, who completed 28 passes") the noun it
    describes. A personal pronoun gives its gender ("he"). The subject of a speech verb ("Xinhua reported 12
    deaths") is a source, not a doer: none."""
    owners = [t for c in noun.children if c.dep_ == "poss" for t in c.subtree]
    if owners:  # "Charles' 226 yards rushing": whose amount it is
        return _names(owners)
    tok = verb
    for _ in range(4):
        if tok.lemma_.lower() in SPEECH_VERBS - DOING_VERBS:
            return frozenset()
        doers = [c for c in tok.children if c.dep_ == "nsubj" or c.dep_ == "agent"]
        if doers:
            doer = doers[0]
            if doer.tag_ in {"WP", "WDT"} and tok.dep_ == "relcl":
                return _names([tok.head, *(c for c in tok.head.children if c.dep_ in {"compound", "poss"})])
            counted = {t.i for t in noun.subtree}  # "1,000 U.S. troops are based": the counted are no doer
            return _names(t for t in doer.subtree if t.i not in counted)
        if tok.dep_ not in {"advcl", "xcomp", "pcomp", "conj"} or tok.head.i == tok.i:
            break
        tok = tok.head if tok.head.pos_ in {"VERB", "AUX"} else next(
            (a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), tok)
    return frozenset()


def _names(tokens: Iterable[Token]) -> frozenset[str]:
    """The proper names among tokens (lower case), or the gender of a personal pronoun."""
    words = set()
    for t in tokens:
        if t.pos_ == "PROPN" or t.ent_type_ in {"PERSON", "ORG"}:
            words.add(t.lemma_.lower())
        elif t.lower_ in PRONOUNS:
            words.add(PRONOUNS[t.lower_])
    return frozenset(words)


def _negated(tokens: Iterable[Token]) -> bool:
    return any(t.dep_ == "neg" or t.lower_ in NEGATORS for t in tokens)


def claims_of_sentence(doc: Doc, quantities: list[dict], times: list[dict], article_id: int, group: int,
                       sentence_index: int, main_places: set[str], published: str | None = None) -> list[Claim]:
    """The claims of one parsed sentence: one per quantity that is an amount of something.

    Counts of troops, instructors or of a nationality ("sixty Russians") are measured as `personnel` of
    one country (from the noun, its modifiers or the verb's subject), scoped by the countries the sentence
    names, else by the story's main places.
    """
    text = doc.text
    if sentence_index != HEADLINE and text.rstrip()[-1:] not in STATEMENT_END:
        return []  # a line without a sentence end is page furniture: a linked headline, a caption, a label
    out: list[Claim] = []
    taken: set[int] = set()
    for q in quantities:
        qtext = q.get("text") or ""
        start = text.find(qtext)
        while start in taken and start >= 0:
            start = text.find(qtext, start + 1)
        if not qtext or start < 0:
            continue
        taken.add(start)
        end = start + len(qtext)
        if not re.search(r"\d", qtext) and q.get("value_max") or (q.get("unit") or "") in AGE_UNITS:
            continue  # vague amounts ("dozens", "tens of thousands") and ages
        if text[:start].count("(") > text[:start].count(")"):
            continue  # "(about $289,400)": the same amount converted or restated
        if NOT_AMOUNT_BEFORE.search(text[:start]) or NOT_AMOUNT_AFTER.search(text[end:]) \
                or REFERENCE_BEFORE.search(text[:start]) or PART_OF_BEFORE.search(text[:start]) \
                or OFFSET.match(text, start) or BROKEN_DECIMAL_BEFORE.search(text[:start]) \
                or re.search(r"\d\s*(?:in|out of)\s*$", text[:start]) or re.match(r"(?:st|nd|rd|th)\b", text[end:]):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        if re.match(r"\s*-?\s*(?:year|yr)s?[- ]old", text[end:]) or root.ent_type_ in {"DATE", "TIME", "ORDINAL"} \
                and not q.get("unit"):
            continue
        unit = (q.get("unit") or "").lower()
        noun = root
        if root.dep_ in {"nummod", "quantmod", "compound", "amod", "nmod", "npadvmod"} and root.head.pos_ in {
                "NOUN", "PROPN", "SYM"} and root.head.i not in {t.i for t in span}:
            noun = root.head
        frame = ""
        if unit and noun.i != root.i and noun.pos_ in {"NOUN", "PROPN"}:
            frame = noun.lemma_.lower()  # "a $480 tie clip", "a nine-hour delay": the measure of a thing
        elif unit and re.search(r"-\s*$|^\S+-\S+$", qtext + ("-" if text[end:end + 1] == "-" else "")):
            head = noun.head if noun.dep_ in {"amod", "compound", "nmod", "nummod"} else noun
            if head.pos_ in {"NOUN", "PROPN"} and head.i != noun.i:
                frame = head.lemma_.lower()
        if not unit and noun.i < root.i and noun.pos_ in {"NOUN", "PROPN"}:
            continue  # a number after its noun names something ("Service 138", "Avenue 6"): no amount
        if not unit and noun.pos_ not in {"NOUN", "PROPN", "ADJ"}:
            noun = _counted_by_verb(root) or noun  # "the death toll rose to 12": the toll is what is counted
        verb = _governing_verb(noun)
        kind = _tally_kind([noun, *noun.children, *(g for c in noun.children if c.dep_ == "prep" for g in c.children),
                            verb, *(c for c in verb.children if c.dep_ in {"acomp", "oprd", "xcomp"})])
        if not kind and noun.lemma_.lower() in IDENTIFYING:
            continue  # "the winning numbers were 9, 10, 18": values that name, not amounts
        if kind and not unit and noun.lemma_.lower() in COUNTED_PEOPLE | TALLY_WORDS.keys():
            noun_word = f"people {kind}"  # "17 people were confirmed dead", "the death toll ... 12", "12 dead"
        elif noun.pos_ in {"NOUN", "PROPN"}:
            noun_word = noun.lemma_.lower()
        else:
            noun_word = ""
        measured = unit or noun_word
        if not measured or measured.isdigit():
            continue
        if verb.lemma_.lower() in REFERENCE_VERBS:
            continue  # "compared with 23.4 per cent of ...": a point of comparison
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL or c.dep_ == "mark" and c.lower_ in {"if", "unless"}
               for t in [verb, *verb.ancestors] for c in t.children):
            continue  # what could or would be, or what holds if something else does, is no statement of fact
        path = list(span) + [noun] + [t for t in noun.ancestors if t.i != verb.i and not t.is_ancestor(verb)]
        if _negated([*path, *(c for t in (verb, noun) for c in t.children)]):
            continue
        modifiers = frozenset() if measured.startswith("people ") else frozenset(
            c.lemma_.lower() for c in noun.children
            if c.dep_ in {"amod", "compound", "nmod"} and c.i not in {t.i for t in span} and not c.like_num
            and c.pos_ in {"ADJ", "NOUN", "PROPN"}) | frozenset(
            g.lemma_.lower() for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
            for g in p.children if g.dep_ == "pobj")
        subject = frozenset()
        actor = verb
        while actor.dep_ == "conj" and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in actor.children):
            actor = actor.head  # "was found guilty and fined": the subject of the first verb
        for c in [*actor.children, *verb.children]:
            if c.dep_ in PARTICIPANTS and noun.i not in {t.i for t in c.subtree}:
                subject |= _subject_words(c.subtree)
        subject |= _subject_words(t for c in noun.children if c.dep_ == "poss" for t in c.subtree)
        if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"} and verb.head.i != noun.i:
            # "a tie clip valued at $480": the noun a participle describes is what the amount is about
            subject |= _subject_words([verb.head, *(c for c in verb.head.children if c.dep_ in {"compound", "amod"})])
        agents = _agents(actor, noun)
        scope: frozenset[str] = frozenset()
        if noun.lemma_.lower() in PERSONNEL or (noun.pos_ in {"PROPN", "NOUN"} and nationality(noun.text)):
            narrowing = [c for c in noun.children if c.dep_ in {"amod", "compound", "nmod", "poss"}]
            countries = {nationality(noun.text)} - {None}
            for part in (narrowing, [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]):
                countries = countries or {n for t in part for w in t.subtree if (n := nationality(w.text))}
            # a breakdown beside the count ("23 personnel (12 Somali and 11 Yemeni)") makes it a count of several
            countries |= {n for c in noun.children if c.dep_ == "appos"
                          for t in c.subtree if (n := nationality(t.text))}
            if len(countries) != 1:
                continue  # troops of no stated country, or of several, cannot be aligned
            country = next(iter(countries))
            named = {n for e in doc.ents if e.label_ in {"GPE", "NORP"} if (n := nationality(e.text.split()[-1]))}
            named |= {n for t in doc if t.pos_ == "PROPN" and t.ent_type_ not in {"PERSON", "ORG"}
                      and (n := nationality(t.text))}  # the tagger sometimes misses a country ("Niger" as a date)
            measured, modifiers = "personnel", frozenset({country})
            scope = frozenset((named - {country}) or (main_places - {country}))
        when = _when(doc, verb, noun, times)
        if any(_after(t.get("date"), published) for t in times):
            continue  # a plan or forecast ("by 2100"): sources differ on it without contradicting each other
        elsewhen = when is None and any(_far(t.get("date"), published) for t in times)
        # The clause around the amount (for a participle, "perfumes amounting to S$1,121.60", the noun phrase it
        # describes), without the amount itself.
        top = verb.head if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"} else verb
        clause = [t for t in top.subtree if t.pos_ in CONTENT_POS and not t.like_num and not t.is_stop
                  and not span.start <= t.i < span.end]
        out.append(Claim(
            article_id, group, measured, frame, modifiers, subject, agents, scope,
            verb.lemma_.lower() if verb.pos_ in {"VERB", "AUX"} else "", when, published, elsewhen, _speaker(verb),
            float(q["value"]), *interval(float(q["value"]), q.get("value_max"), q.get("bound", "="),
                                         bool(q.get("approx")), qtext, bool(unit)),
            bool(q.get("approx")) or q.get("bound", "=") != "=", qtext, text, sentence_index,
            frozenset(t.lemma_.lower() for t in clause)))
    return out


def _counted_by_verb(number: Token) -> Token | None:
    """For a bare number that completes a verb ("rose to 12", "stood at 12", "brought the toll to 12", "is 12"),
    the noun it counts: the verb's object, else its subject."""
    verb = number.head.head if number.head.lower_ in {"to", "at"} else number.head if number.dep_ in {
        "attr", "dobj"} else None
    if verb is None or verb.pos_ not in {"VERB", "AUX"}:
        return None
    for deps in ({"dobj"}, {"nsubj", "nsubjpass"}):
        found = next((c for c in verb.children if c.dep_ in deps and c.i != number.i and c.pos_ == "NOUN"), None)
        if found is not None:
            return found
    return None


def _tally_kind(tokens: list[Token]) -> str | None:
    """Which running count the words name (dead, missing, injured, evacuated, arrested), when exactly one."""
    kinds = {TALLY_WORDS[t.lemma_.lower()] for t in tokens if t.lemma_.lower() in TALLY_WORDS}
    return kinds.pop() if len(kinds) == 1 else None


def _when(doc: Doc, verb: Token, noun: Token, times: list[dict]) -> str | None:
    """The resolved date the amount holds at: a time expression inside its own phrase ("6.49 friends in 2024"),
    else the one whose nearest verb is `verb` (None when none or several)."""
    own, governed = set(), set()
    phrase = {t.i for t in noun.subtree}
    for t in times:
        if not t.get("date"):
            continue
        start = doc.text.find(t["text"])
        span = doc.char_span(start, start + len(t["text"]), alignment_mode="expand") if start >= 0 else None
        if span is None or span.root.dep_ == "poss" or doc.text[span.end_char:span.end_char + 2] in {"'s", "’s"}:
            continue
        if span.root.i in phrase:
            own.add(t["date"])
        elif _governing_verb(span.root).i == verb.i:
            governed.add(t["date"])
    found = own or governed
    if not found and verb.dep_ == "advcl" and verb.tag_ == "VBG":
        return _when(doc, verb.head, verb.head, times)  # "recovered ... on Tuesday, bringing the toll to 12"
    return found.pop() if len(found) == 1 else None


def _day(value: str | None) -> tuple[int, ...] | None:
    """(year, month, day) as far as an ISO date, month, year or range start says."""
    parts = tuple(int(p) for p in re.findall(r"\d+", (value or "").split("/")[0])[:3])
    if not parts or not 1000 <= parts[0] <= 9999:
        return None
    try:
        return parts if len(parts) < 3 or date(*parts) else parts
    except ValueError:
        return parts[:1]


def _after(when: str | None, published: str | None) -> bool:
    """A date later than the publication date (by more than SAME_TIME_DAYS, or a later year)."""
    w, p = _day(when), _day(published)
    if not w or not p:
        return False
    if len(w) < 3 or len(p) < 3:
        return w[0] > p[0]
    return (date(*w) - date(*p)).days > SAME_TIME_DAYS


def _far(when: str | None, published: str | None) -> bool:
    """A date more than a month from the publication date (or in another year)."""
    w, p = _day(when), _day(published)
    if not w or not p:
        return False
    if len(w) < 3 or len(p) < 3:
        return w[0] != p[0]
    return abs(date(*w) - date(*p)).days > 31


def _apart(a: Claim, b: Claim) -> bool:
    """The two amounts hold at different times: different stated dates, or one stated date far from the day
    the other source published ("the prize of $19.4 million on Feb 11, 2022" against this week's prize)."""
    if a.when and b.when:
        return a.when != b.when
    stated, other = (a, b) if a.when else (b, a)
    when, published = _day(stated.when), _day(other.published)
    if not when or not published:
        return False
    if len(when) < 3 or len(published) < 3:
        return when[0] != published[0]
    return abs(date(*when) - date(*published)).days > SAME_TIME_DAYS


def weights(contexts: Iterable[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of each context lemma over the story's claims."""
    contexts = list(contexts)
    df = Counter(w for c in contexts for w in c)
    n = len(contexts) or 1
    return {w: math.log((n + 1) / (d + 0.5)) for w, d in df.items()}


def similarity(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """Weighted cosine of two lemma sets."""
    if not a or not b:
        return 0.0
    shared = sum(idf.get(w, 1.0) ** 2 for w in a & b)
    norm = math.sqrt(sum(idf.get(w, 1.0) ** 2 for w in a) * sum(idf.get(w, 1.0) ** 2 for w in b))
    return shared / norm if norm else 0.0


def _same_measure(a: str, b: str) -> bool:
    """The same measured thing; a bare "$" amount is in the dollar of whichever country the other source names."""
    return a == b or (a == "dollar" and b.endswith(" dollar")) or (b == "dollar" and a.endswith(" dollar"))


def alignment(a: Claim, b: Claim, idf: dict[str, float]) -> float | None:
    """How surely two claims state the same measured thing (0..1), or None when they cannot."""
    if a.group == b.group or not _same_measure(a.measured, b.measured):
        return None
    if a.frame and b.frame and a.frame != b.frame:
        return None
    if (a.frame and not b.frame and a.frame not in b.context) or (b.frame and not a.frame and b.frame not in a.context):
        return None
    if a.modifiers != b.modifiers:
        return None  # "28 air checkpoints" is not "114 checkpoints"
    if a.subject and b.subject and not a.subject & b.subject:
        return None
    if _apart_in_scale(a, b):
        return None
    if a.measured == "personnel":
        return 0.7 if a.scope == b.scope else None
    if a.agents and b.agents and not a.agents & b.agents:
        return None  # "Garrard completed 28 passes" is not "Manning completed 17"; nor is "he" surely either
    if a.measured.startswith("people ") and a.when and a.when == b.when:
        return 0.7  # a count of the dead (missing, injured...) as of one stated day: the event's own tally
    sim = similarity(a.context, b.context, idf)
    if sim < ALIGN or (sim < ALIGN_ALONE and a.verb != b.verb and not (a.frame and a.frame == b.frame)):
        return None
    score = 0.55 * min(1.0, sim / 0.6) + 0.15 * (a.verb == b.verb and bool(a.verb)) \
        + 0.15 * bool(a.subject & b.subject or a.modifiers & b.modifiers) + 0.15 * bool(a.when and a.when == b.when)
    return round(min(1.0, score), 3)


def _apart_in_scale(a: Claim, b: Claim) -> bool:
    """Values SCALE_APART times or more apart: reports of one figure differ by a slip, rounding or an update, so
    such values measure different things (a total against a share, all against each: "S$132 million worth of
    vouchers spent" against "S$300 worth of vouchers" per household), not one thing two ways."""
    low, high = sorted((abs(a.value), abs(b.value)))
    return high > 0 and (low == 0 or high / low >= SCALE_APART)


def same_time(a: Claim, b: Claim) -> bool:
    """Both amounts hold at the same time as far as the texts say; a running tally needs both times stated."""
    if a.elsewhen or b.elsewhen or ((a.when or b.when) and _apart(a, b)):
        return False
    return not (a.tally or b.tally) or bool(a.when and a.when == b.when)


def overlaps(a: Claim, b: Claim) -> bool:
    """Both values can be true at once (or one is the same figure at another scale: an abbreviation or a typo)."""
    return a.low <= b.high and b.low <= a.high or same_figure(a.text, b.text)


def same_figure(a: str, b: str) -> bool:
    """The same digits written at another scale ("US$1.4bil" against "US$1.4 billion" misread): a typo or an
    abbreviation, not another value. Two figures in words only ("six", "nine") also count as one: letting them
    conflict added two wrong flags and no right one on the dev stories."""
    return re.sub(r"\D", "", a) == re.sub(r"\D", "", b)


# Attribute claims: facts that are not amounts but are stated in a form that names what they are about.
@dataclass(frozen=True, slots=True)
class Attribute:
    """An age of a named person, the street number of an address, or the weekday a source gives a date."""

    group: int
    kind: str  # "age", "address", "weekday"
    key: str  # whose age ("Wang Shuiming"), which address ("181 Ang Mo Kio Avenue"), which date ("2025-02-05")
    value: str  # "42", "5", "Monday"
    sentence: str


MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                          "dec"))}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NAME_WORD = r"(?:Mc|Mac|O')?[A-Z][a-z'’]+(?:-[A-Z]?[a-z]+)?"
_NAME = rf"((?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD})"
# "Wang, 42, was detained", "Mr Li, a 39-year-old professor"; "46-year-old Iskandar Rahmat"
AGE_AFTER = re.compile(_NAME + r",\s+(?:an?\s+)?(\d{1,3})(?:,|-year-old\b)")
AGE_BEFORE = re.compile(r"\b(\d{1,3})-year-old\s+" + _NAME + r"\b")
AGE_THEN = re.compile(r"\b(?:then|formerly)\W*$", re.I)
AGE_THEN_AFTER = re.compile(r"^\W*(?:at the time|then|when|in (?:19|20)\d\d)\b", re.I)
HONORIFICS = frozenset({"mr", "mrs", "ms", "madam", "mdm", "miss", "dr", "prof", "professor", "sir", "dato", "datuk",
                        "tan sri", "encik", "cik"})
# Capitalised words that begin no one's name: months, weekdays, street words, sentence openers
NOT_NAMES = frozenset({*(m for m in ("january", "february", "march", "april", "may", "june", "july", "august",
                                     "september", "october", "november", "december", "sept")), *MONTHS,
                       *(d.lower() for d in WEEKDAYS), "block", "blk", "street", "avenue", "road", "no", "the", "a",
                       "an", "and", "in", "on", "at", "of", "for", "by", "with", "from", "but", "his", "her", "their",
                       "its", "he", "she", "they", "police", "court", "minister"})
# "Block 181 Ang Mo Kio Avenue 5": a house or block number, a street's name, its kind and its number
ADDRESS = re.compile(r"\b(?:(?:Block|Blk)\.?\s+)?(\d{1,4}[A-Z]?),?\s+((?:[A-Z][a-z'’]+\s+){1,3}?)"
                     r"(Avenue|Ave|Street|St|Road|Rd|Drive|Dr|Crescent|Close|Lane|Link|Way)\.?\s+(\d{1,3}[A-Z]?)\b")
STREET_KINDS = {"ave": "Avenue", "st": "Street", "rd": "Road", "dr": "Drive"}
# "on Monday (5 Feb)", "Tuesday, Feb. 4, 2025": a weekday written beside its date (not a list "Wednesday and
# Thursday, Jan 29 and 30")
WEEKDAY_DATE = re.compile(r"(?<!\band )(?<!\bor )(?<!-)\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b,?\s*\(?\s*"
                          r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2})[a-z]*\.?|([A-Z][a-z]{2})[a-z]*\.?\s+"
                          r"(\d{1,2})\b)(?:,?\s+(\d{4}))?(?!\s*(?:and|or|to|-|–)\s*(?:\d|[A-Z][a-z]{2}))")


def _is_name(words: list[str]) -> bool:
    """Capitalised words that can name a person: none of them a month, weekday, street word, nationality or
    country ("Singapore, 42," is no one's age)."""
    return bool(words) and not any(w.lower() in NOT_NAMES or nationality(w) or _country(w) for w in words)


def _country(word: str) -> bool:
    hit = lookup(word)
    return hit is not None and hit.kind == "country"


def _bare_name(text: str) -> list[str]:
    return [w for w in text.split() if w.lower().rstrip(".") not in HONORIFICS]


def ages(text: str, group: int) -> list[Attribute]:
    """Ages of named people ("Wang, 42,", "46-year-old Iskandar Rahmat"), keyed by the person's full name: a
    surname alone is the nearest full name before it that contains it (else the age is skipped). Ages said of
    another time ("then 34-year-old", "aged 17 at the time") are left out."""
    full = [(m.start(), words) for m in re.finditer(_NAME, text)
            if len(words := _bare_name(m.group(1))) >= 2 and _is_name(words)]
    out: list[Attribute] = []
    offset = 0
    for sentence in _lines(text):
        offset = text.find(sentence, offset)
        for pattern, name_at, age_at in ((AGE_AFTER, 1, 2), (AGE_BEFORE, 2, 1)):
            for m in pattern.finditer(sentence):
                words = _bare_name(m.group(name_at))
                if not _is_name(words) or (pattern is AGE_BEFORE and len(words) < 2) or not 0 < int(
                        m.group(age_at)) < 120 or AGE_THEN.search(sentence[:m.start()]) \
                        or AGE_THEN_AFTER.search(sentence[m.end():]):
                    continue
                if len(words) == 1:
                    named = [w for start, w in full if words[0] in w and start <= offset + m.start()]
                    if not named:
                        continue
                    words = named[-1]
                out.append(Attribute(group, "age", " ".join(words), m.group(age_at), sentence))
    return out


def addresses(text: str, group: int) -> list[Attribute]:
    """Street numbers of addresses, keyed by house or block number and street name ("181 Ang Mo Kio Avenue")."""
    out = []
    for sentence in _lines(text):
        for m in ADDRESS.finditer(sentence):
            name = m.group(2).split()
            if not _is_name(name) and name[0].lower() not in {"saint", "st"}:
                continue
            kind = STREET_KINDS.get(m.group(3).lower(), m.group(3))
            out.append(Attribute(group, "address", f"{m.group(1)} {' '.join(name)} {kind}", m.group(4), sentence))
    return out


def weekdays(text: str, group: int, published: str | None) -> list[Attribute]:
    """The weekday a source writes beside a date ("Monday (5 Feb)", "Tuesday, Feb. 4, 2025"), keyed by the date;
    without a written year, the year that puts the date nearest the publication date."""
    pub = _day(published)
    if not pub or len(pub) < 3:
        return []
    base = date(*pub)
    out = []
    for sentence in _lines(text):
        for m in WEEKDAY_DATE.finditer(sentence):
            month = MONTHS.get((m.group(3) or m.group(4)).lower()[:3])
            day = int(m.group(2) or m.group(5))
            years = [int(m.group(6))] if m.group(6) else [base.year - 1, base.year, base.year + 1]
            dates = [d for y in years if month and (d := _date(y, month, day))]
            if dates:
                when = min(dates, key=lambda d: abs((d - base).days))
                out.append(Attribute(group, "weekday", when.isoformat(), m.group(1) + "day", sentence))
    return out


def slipped(a: Attribute) -> bool:
    """A weekday written beside a date it does not fall on ("Monday (5 Feb)" in 2025, a Wednesday)."""
    return a.kind == "weekday" and WEEKDAYS[date.fromisoformat(a.key).weekday()] != a.value


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _lines(text: str) -> list[str]:
    """The text's sentences, roughly: paragraph breaks and sentence ends split it."""
    return [s.strip() for para in text.split("\n") for s in re.split(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])", para)
            if s.strip()]
