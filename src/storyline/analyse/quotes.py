"""Quotes: direct speech (in quote marks) and reported speech, with their speakers.

Direct quotes are the spans between quote marks; the speech verb next to them (same sentence, or a
"X said:" just before, or the previous quote of the same speaker when a quote runs on over paragraphs)
gives the speaker. Reported speech is a speech verb with a clause complement ("Austin said that ..."),
a speech verb after the clause ("..., he said"), or "according to X". The speaker is the verb's subject:
a named person inside it wins, a pronoun is replaced by the nearest person named before it, and a
description ("an unnamed US defense official") is kept as written. Unknown stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storyline.analyse.records import Quote

SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "write",
        "note",
        "ask",
        "claim",
        "argue",
        "announce",
        "warn",
        "state",
        "explain",
        "insist",
        "declare",
        "report",
        "respond",
        "reply",
        "tweet",
        "post",
        "acknowledge",
        "suggest",
        "deny",
        "confirm",
        "admit",
        "assert",
        "contend",
        "maintain",
        "observe",
        "remark",
        "comment",
        "predict",
        "promise",
        "pledge",
        "vow",
        "urge",
        "recall",
        "testify",
        "caution",
        "stress",
        "emphasize",
        "emphasise",
        "concede",
        "complain",
        "boast",
        "joke",
        "quip",
        "mention",
        "reveal",
        "disclose",
        "indicate",
        "allege",
        "charge",
        "counter",
        "retort",
        "inform",
        "recount",
        "repeat",
        "continue",
        "conclude",
        "point",
        "agree",
        "believe",
        "think",
        "estimate",
        "show",
        "find",
        "call",
        "tout",
        "describe",
        "accuse",
        "blast",
        "criticize",
        "criticise",
        "question",
        "wonder",
        "shout",
        "chant",
        "cite",
        "signal",
        "hint",
        "propose",
        "demand",
        "threaten",
        "assure",
        "reiterate",
        "underline",
        "underscore",
        "highlight",
    }
)
# Verbs that only report speech with a clause or quote attached (not "call" or "show" on their own).
_NEEDS_CLAUSE = frozenset(
    {
        "show",
        "find",
        "call",
        "describe",
        "accuse",
        "blast",
        "criticize",
        "criticise",
        "question",
        "cite",
        "believe",
        "think",
        "agree",
        "point",
        "continue",
        "demand",
    }
)
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})
_QUOTE_RE = re.compile(r"“[^”\n]*(?:”|$)|\"[^\"\n]*(?:\"|$)|«[^»\n]*(?:»|$)", re.MULTILINE)
_MIN_QUOTE_WORDS = 4
_DASH_NAME_RE = re.compile(r"[ \t]*[―—–][ \t]*([A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})")
_TRANSCRIPT_RE = re.compile(r"([A-Z][A-Z.'\- ]{1,30}[A-Z]):\s")


@dataclass(slots=True)
class _Speaker:
    name: str | None
    start: int
    end: int


def _speech_verb(tok: Token) -> bool:
    return tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX")


def _subject(verb: Token) -> Token | None:
    """The subject of a speech verb, climbing through "xcomp"/"conj" chains ("he went on to say")."""
    tok: Token | None = verb
    for _ in range(3):
        if tok is None:
            return None
        for child in tok.children:
            if child.dep_ == "nsubj":
                return child
        for child in tok.children:
            if child.dep_ == "agent":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return objs[0]
        tok = tok.head if tok.dep_ in ("xcomp", "conj", "advcl", "ccomp") and tok.head is not tok else None
    return None


def _phrase_span(head: Token) -> Span:
    """The subject's noun phrase, cut before a comma, relative clause or apposition."""
    doc = head.doc
    left = min(t.i for t in head.subtree)
    right = head.i
    for t in head.subtree:
        if t.i <= head.i:
            continue
        if (
            t.text in (",", "(", "—", "–")
            or t.dep_ in ("relcl", "appos", "acl")
            or t.lower_ in ("who", "which")
        ):
            break
        right = t.i
    while left < right and doc[left].pos_ in ("PUNCT",):
        left += 1
    return doc[left : right + 1]


def _person_before(doc: Doc, pos: int, window: int) -> Span | None:
    """The nearest PERSON entity ending before token `pos`, within `window` tokens."""
    best = None
    for ent in doc.ents:
        if ent.label_ == "PERSON" and ent.end <= pos and pos - ent.end <= window:
            best = ent
    return best


_TITLES = frozenset(
    {
        "secretary",
        "minister",
        "president",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "chief",
        "director",
        "general",
        "gen.",
        "senator",
        "sen.",
        "rep.",
        "representative",
        "governor",
        "gov.",
        "mayor",
        "ambassador",
        "commander",
        "chairman",
        "chairwoman",
        "ceo",
        "premier",
        "king",
        "queen",
        "prince",
        "adviser",
        "advisor",
        "leader",
        "judge",
        "attorney",
        "officer",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "mr",
        "mrs",
        "ms",
        "dr",
        "lt.",
        "col.",
        "sgt.",
        "capt.",
        "adm.",
        "secretary-general",
        "pope",
        "sheikh",
        "gov",
        "sen",
        "rep",
        "marshal",
        "field",
        "colonel",
        "lieutenant",
        "admiral",
        "captain",
        "sergeant",
        "major",
        "envoy",
        "official",
    }
)


def strip_title(name: str) -> str:
    """ "U.S. Secretary of Defense Lloyd Austin" -> "Lloyd Austin"; "Mr. Felt" -> "Felt"."""
    words = name.split()
    cut = 0
    for i, w in enumerate(words):
        if w.lower() in _TITLES:
            cut = i + 1
            if cut < len(words) - 1 and words[cut].lower() == "of":
                cut += 2
    rest = words[cut:] or words
    return " ".join(rest)


def _strip_title(ent: Span) -> str:
    return strip_title(ent.text)


def _speaker(head: Token) -> _Speaker:
    """Name (or description) of who speaks, from the subject token."""
    if (
        head.lower_ in ("who", "that", "which")
        and head.head.dep_ in ("relcl", "acl")
        and head.head.head is not head
    ):
        head = head.head.head  # "Graham, who said ..." speaks through the noun the clause hangs on
    span = _phrase_span(head)
    people = [e for e in span.ents if e.label_ == "PERSON"]
    if people:
        return _Speaker(_strip_title(people[-1]), span.start_char, span.end_char)
    if head.lower_ in _PRONOUNS:
        if head.lower_ in ("it", "we", "i", "you"):
            return _Speaker(None, span.start_char, span.end_char)
        found = _person_before(head.doc, head.i, 250)
        return _Speaker(found.text if found else None, span.start_char, span.end_char)
    words = [t for t in span if not (t.i == span.start and t.lower_ in ("a", "an", "the"))]
    text = head.doc.text[words[0].idx : words[-1].idx + len(words[-1])] if words else ""
    text = " ".join(text.split())
    name = strip_title(text)
    if name != text and all(w[:1].isupper() for w in name.split()):
        text = name  # "U.S. Secretary of Defense Lloyd Austin" names Lloyd Austin
    return _Speaker(text or None, span.start_char, span.end_char)


def _clause(verb: Token) -> Token | None:
    """The clause complement of a speech verb ("said [that ...]")."""
    for child in verb.children:
        if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
            return child
    return None


def _span_chars(tokens: list[Token]) -> tuple[int, int]:
    return min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and trailing punctuation that belongs to the sentence, not the content."""
    while start < end and text[start] in " \n,":
        start += 1
    while end > start and text[end - 1] in " \n,.;:":
        end -= 1
    return start, end


def extract_quotes(doc: Doc) -> list[Quote]:
    """Direct and reported speech in a parsed document, in text order."""
    text = doc.text
    sents = list(doc.sents)
    sent_of = {}
    for si, s in enumerate(sents):
        for t in s:
            sent_of[t.i] = si
    out: list[tuple[int, int, Quote]] = []
    used_verbs: set[int] = set()
    covered: list[tuple[int, int]] = []
    last: tuple[int, _Speaker] | None = None  # (end char, speaker) of the previous direct quote
    for m in _QUOTE_RE.finditer(text):
        start, end = m.start(), m.end()
        inner = text[start + 1 : end - 1] if text[end - 1] in '”"»' else text[start + 1 : end]
        words = len(inner.split())
        first = doc.char_span(start, end, alignment_mode="expand")
        if first is None or not inner.strip():
            continue
        if not _full_quote(text, start, inner):
            continue  # a phrase quoted inside reported speech; the clause around it is the quote
        label = _TRANSCRIPT_RE.match(inner)
        if label:  # "PENCE: Well, look, ..." in an interview transcript
            who = _Speaker(label.group(1).strip().title(), start + 1, start + 1 + len(label.group(1)))
            _add(out, covered, who, inner[label.end() :].strip(), True, sent_of.get(first.start, 0), ":", start, end)
            last = (end, who)
            continue
        verb = _verb_near(doc, sents, sent_of, first)
        speaker: _Speaker | None = None
        dash = _DASH_NAME_RE.match(text, end)
        if verb is None and dash:  # "“...” ― Jane Doe, 34, Phoenix"
            speaker = _Speaker(dash.group(1), dash.start(1), dash.end(1))
        if (
            verb is None
            and speaker is None
            and out
            and out[-1][2].direct
            and _same_paragraph(text, out[-1][1], start)
            and start - out[-1][1] < 400
            and out[-1][2].speaker is not None
        ):
            prev = out[-1][2]  # "“A,” she said. “B.”": B continues A
            prev.text = f"{prev.text} {inner.strip()}"
            prev.end = end
            out[-1] = (out[-1][0], end, prev)
            covered[-1] = (covered[-1][0], end)
            continue
        own_verb = verb is not None
        if verb is None and speaker is None:
            verb = _verb_before(sents, sent_of, first)
        if verb is not None:
            subj = _subject(verb)
            speaker = _speaker(subj) if subj is not None else None
            if own_verb:
                used_verbs.add(verb.i)
        elif speaker is None and words < _MIN_QUOTE_WORDS:
            continue  # a scare quote or a title, not speech
        elif (
            speaker is None and last is not None and _paragraph_start(text, start) and start - last[0] < 1500
        ):
            speaker = last[1]  # a quote running on into the next paragraph
        cue = verb.text if verb is not None else None
        _add(out, covered, speaker, inner.strip(), True, sent_of.get(first.start, 0), cue, start, end)
        if speaker is not None:
            last = (end, speaker)
    for verb, comma, subj in _dash_speech_tags(doc):
        start = _DASH_SPEECH.match(text, text.rfind("\n", 0, verb.idx) + 1).end()
        end = len(text[: comma.idx].rstrip(" ,–—"))
        if end - start >= 8 and not any(start < e and s < end for s, e in covered):
            speaker = _speaker(subj) if subj is not None else None
            _add(out, covered, speaker, text[start:end], True, sent_of.get(verb.i, 0), verb.text, start, end)
            used_verbs.add(verb.i)
    for si, sent in enumerate(sents):
        for tok in sent:
            if tok.i in used_verbs:
                continue
            found = _reported(tok, text)
            if found is None:
                continue
            c_start, c_end, subj_tok = found
            if any(c_start < e and s < c_end for s, e in covered):
                continue
            speaker = _speaker(subj_tok) if subj_tok is not None else None
            _add(out, covered, speaker, text[c_start:c_end], False, si, tok.text, c_start, c_end)
    out.sort(key=lambda x: x[0])
    return [q for _, _, q in out]


def _add(out: list[tuple[int, int, Quote]], covered: list[tuple[int, int]], speaker: _Speaker | None, text: str,
         direct: bool, sentence: int, cue: str | None, start: int, end: int) -> None:
    """Record a quote spanning [start, end) of the document and mark the span as covered."""
    out.append((start, end, Quote(speaker=speaker.name if speaker else None, text=text, direct=direct,
                                  sentence=sentence, cue=cue, start=start, end=end,
                                  speaker_start=speaker.start if speaker else None,
                                  speaker_end=speaker.end if speaker else None)))
    covered.append((start, end))


# a paragraph opening with a dash is direct speech in Scandinavian and much European news style
_DASH_SPEECH = re.compile(r"[ \t]*[–—―-][ \t]+(?=\S)")


def _dash_speech_tags(doc: Doc) -> list[tuple[Token, Token, Token | None]]:
    """(speech verb, comma before the tag, speaker token) of each dash paragraph whose tag closes it:
    "– A. B, says Holmedal." / "..., said Lieng at the meeting." / "..., she says." / "..., Lieng said."."""
    tags = []
    for para in re.finditer(r"[^\n]+", doc.text):
        if not _DASH_SPEECH.match(para.group()):
            continue
        span = doc.char_span(para.start(), para.end(), alignment_mode="expand")
        for verb in reversed(span or ()):
            if not _speech_verb(verb) or any(w.text in "“”\"" for w in doc[verb.i : span.end]):
                continue
            before = verb.i - 1
            while before > span.start and doc[before].pos_ in ("PROPN", "PRON") and verb.i - before <= 3:
                before -= 1  # the speaker named before the verb
            if doc[before].text not in (",", "–", "—") or before <= span.start + 1:
                continue
            after = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
            while after is not None and after.dep_ == "compound" and after.head.i > after.i:
                after = after.head  # "said Anders Berg": the name's head word
            subj = doc[verb.i - 1] if before < verb.i - 1 else (
                after if after is not None and after.pos_ in ("PROPN", "PRON") else _subject(verb))
            tags.append((verb, doc[before], subj))
            break
    return tags


def _reported(tok: Token, text: str) -> tuple[int, int, Token | None] | None:
    """Reported speech on `tok`: (content start, content end, subject token) or None."""
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        objs = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"]
        if not objs:
            return None
        sent = tok.sent
        phrase = set(t.i for t in tok.subtree) | set(t.i for t in tok.doc[tok.i + 1].subtree)
        rest = [t for t in sent if t.i not in phrase and not t.is_punct]
        if len(rest) < 3:
            return None
        start, end = _strip(text, *_span_chars(rest))
        return start, end, objs[0]
    if not _speech_verb(tok):
        return None
    clause = _clause(tok)
    if clause is not None:
        tokens = list(clause.subtree)
        start, end = _strip(text, *_span_chars(tokens))
        if end - start < 8:
            return None
        return start, end, _subject(tok)
    if tok.lemma_.lower() in _NEEDS_CLAUSE or tok.dep_ not in ("parataxis", "ROOT", "ccomp"):
        return None
    # "The risk is low, he said." -- the speech clause follows what is reported
    head = tok.head if tok.dep_ in ("parataxis", "ccomp") else None
    if head is None or head.i > tok.i:
        return None
    own = set(t.i for t in tok.subtree)
    tokens = [t for t in head.subtree if t.i not in own and t.i < tok.i]
    if len(tokens) < 3:
        return None
    start, end = _strip(text, *_span_chars(tokens))
    return start, end, _subject(tok)


def _full_quote(text: str, start: int, inner: str) -> bool:
    """A quote that stands as speech, not a phrase quoted inside a sentence ("called it “a con”")."""
    before = text[:start].rstrip(" \t")
    opens = not before or before[-1] in "\n:,.!?—–(" or before.endswith(("said", "says", "added", "wrote"))
    stripped = inner.strip()
    if not stripped:
        return False
    if opens and (
        stripped[0].isupper() or stripped[0] in "‘'\"…." or len(stripped.split()) >= _MIN_QUOTE_WORDS
    ):
        return True
    return len(stripped.split()) >= 8 and stripped[-1] in ",.!?"


def _same_paragraph(text: str, a: int, b: int) -> bool:
    return "\n\n" not in text[a:b]


def _paragraph_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t")
    return not before or before.endswith("\n")


def _verb_near(doc: Doc, sents: list[Span], sent_of: dict[int, int], quote: Span) -> Token | None:
    """The speech verb that introduces or closes a direct quote."""
    si, sj = sent_of.get(quote.start, 0), sent_of.get(quote.end - 1, 0)
    inside = range(quote.start, quote.end)
    best: tuple[int, Token] | None = None
    for k in {si, sj}:
        for tok in sents[k]:
            if tok.i in inside or not _speech_verb(tok):
                continue
            dist = quote.start - tok.i if tok.i < quote.start else tok.i - quote.end
            if best is None or dist < best[0]:
                best = (dist, tok)
    if best is not None and best[0] <= 12:
        return best[1]
    # "Austin said:" closing the sentence before the quote
    if si > 0:
        prev = sents[si - 1]
        if prev.text.rstrip().endswith(":"):
            verbs = [t for t in prev if _speech_verb(t)]
            if verbs:
                return verbs[-1]
    if best is not None and best[0] <= 25:
        return best[1]
    return None


def _verb_before(sents: list[Span], sent_of: dict[int, int], quote: Span) -> Token | None:
    """For a quote opening its sentence: the speech verb of the sentence before ("Clinton tweeted.")."""
    si = sent_of.get(quote.start, 0)
    if si == 0 or quote.start != sents[si].start:
        return None
    verbs = [t for t in sents[si - 1] if _speech_verb(t) and _subject(t) is not None]
    return verbs[-1] if verbs else None
