"""Quote variants on PolNeAR: is a pair of wordings the same quote? Ours vs lexical-only baselines, same run.

Data: ../shared/data/quotes/polnear/polnear_v1_text_attributions.tar.gz, read in place at run time (PolNeAR has
no licence: nothing from it is copied into the repository). One annotation file per article (the first by
name), Content spans of the brat `E` attribution events. ECB+ (../shared/data/event_coref) is not used: it
annotates events and entities but no quotes or speakers, so it has no quote contents to build pairs from.
Splits: thresholds are tuned on dev; figures are reported on test (dev shown too). Train was only looked at
while developing the matcher.

Quotes: each Content span, pieces of a discontinuous span joined by a space, quote marks removed, a leading
"that " dropped, 8 to 60 words. Speaker: the last capitalised word of the Source span (None for pronouns and
descriptions like "a source").

Pairs, built deterministically (random.Random seeded with SEED, the split and the article name), per quote:
- paraphrase (gold: same quote): two sources' renderings of the statement. Each quotes a span of it (the whole,
  or a contiguous part: 40-90% of the words for the first, 15-90% for the second, >= 5 words, the two parts
  overlapping in >= 60% of the shorter: "truncate"), then gets 0-2 (first) and 1-3 (second) of these rules,
  picked at random among those that apply:
  synonym  - words replaced from SYNONYMS below, a hand-written table of common news verbs, nouns and
             adjectives (each occurrence with p=0.8, at least one);
  contract - contractions made or expanded ("do not" <-> "don't", "it is" <-> "it's", "cannot" <-> "can't");
  tense    - tense shifts from TENSES ("said" -> "says", "is" -> "was", "will" -> "would", ...), each p=0.7;
  person   - direct -> indirect person shift: I/me/my/we/us/our -> he/him/his/they/them/their, "I am" ->
             "he is", a present verb after "I" gets its -s;
  hedge    - filler/hedge words (FILLERS: "really", "just", "frankly", ", I think", ...) dropped when present,
             else one inserted at a random word boundary, at the start or at the end;
  reorder  - clause reordering: "A, because/but/and/while/so B" or "A, B" -> "B, A" (active/passive is not
             done: it cannot be done reliably by rule without a parser, and a parser's errors would leak in).
- altered (gold: same quote, flagged altered), for ~60% of quotes: the quote with 0-1 rules against a copy
  with 0-2 rules (no truncation, so the change is visible) and exactly one meaning change: negation inserted
  ("is" -> "is not", "can" -> "cannot"), negation removed ("not"/"never" dropped, "don't" -> "do"), a number
  changed (a digit, or a number word), or an antonym swapped from ANTONYMS_PREFIX (legal/illegal: the kind a
  morphological rule can see) or ANTONYMS_LEXICAL (win/lose, support/oppose: needs a lexicon).
- negatives (gold: different quotes), each side rendered like a paraphrase side (parts and rules, so that
  being cut or reworded is no cue): the nearest other quote of the same article (neg-adjacent: often the
  same speaker going on), and another quote by the same speaker in the article (neg-speaker) or, when there
  is none, any other quote of the article (neg-doc). Quotes whose spans overlap, or whose token Dice is
  >= 0.6 (one statement quoted twice in an article), are never paired as negatives.
Pair order is shuffled; duplicate pairs are dropped.

Metric (ours, the README leaves it open): pair classification, positive class = same quote (paraphrase or
altered: an altered quote is the same quote, flagged). P/R/F1 at the threshold on the score with the best F1
on dev, applied unchanged to test; ours also at its shipped SAME_QUOTE. The altered flag is scored separately
over the gold-same pairs: P/R of `altered(a, b)` with altered pairs as the positive class; "altered handled"
is the share of altered pairs that are either not matched or matched and flagged.

Methods (same pairs, same run):
- ours: `quote_similarity` and `altered` of storyline.compare.quotes. It has no synonym table: lemmas come
  from the lookup tables shipped in spaCy's en_core_web_sm model, content words are those outside spaCy's
  stop list; the score mixes content-lemma Dice with lemma and lemma-pair containment. `altered` checks
  negation scope on shared words and dropped negations between the same neighbours, changed numbers and
  morphological antonyms (un-/in-/dis-/non-...). SYNONYMS and ANTONYMS_* below belong to this benchmark only
  and the matcher never sees them, so synonym swaps cost ours as much as the baselines, and lexical antonym
  swaps are expected to go unflagged (their row shows it).
- baselines: token Jaccard and character 3-gram Jaccard (threshold tuned on dev the same way); for the
  altered flag, the previous rule (a negation word present in one wording only, or digit sets differ).

Caveat: rule paraphrases keep most words, and different statements in one article share few, so a tuned
lexical threshold is already near the ceiling here; the by-kind rows show where the methods differ.

    .venv/bin/python benchmarks/bench_quote_variants.py [--dev dev] [--split test] [--show N]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from common import polnear_articles

SEED = 5
MIN_WORDS, MAX_WORDS = 8, 60
MIN_PART = 5  # the fewest words a partial quote keeps

# Written for this benchmark only (never imported by the matcher): word form -> replacements.
SYNONYMS: dict[str, list[str]] = {
    "said": ["stated"], "say": ["state"], "says": ["states"], "told": ["informed"],
    "big": ["large"], "huge": ["enormous"], "large": ["big"], "small": ["little"],
    "help": ["assist"], "helped": ["assisted"], "helping": ["assisting"],
    "start": ["begin"], "started": ["began"], "starting": ["beginning"], "begin": ["start"],
    "buy": ["purchase"], "bought": ["purchased"], "show": ["demonstrate"], "shows": ["demonstrates"],
    "showed": ["demonstrated"], "need": ["require"], "needs": ["requires"], "needed": ["required"],
    "try": ["attempt"], "tried": ["attempted"], "trying": ["attempting"],
    "important": ["significant"], "problem": ["issue"], "problems": ["issues"], "issue": ["matter"],
    "job": ["position"], "jobs": ["positions"], "country": ["nation"], "nation": ["country"],
    "people": ["folks"], "americans": ["citizens"], "kids": ["children"], "children": ["kids"],
    "think": ["believe"], "thinks": ["believes"], "thought": ["believed"], "believe": ["think"],
    "want": ["wish"], "wants": ["wishes"], "wanted": ["wished"], "get": ["obtain"], "got": ["obtained"],
    "make": ["create"], "made": ["created"], "use": ["employ"], "used": ["employed"],
    "fight": ["battle"], "fighting": ["battling"], "attack": ["assault"], "attacks": ["assaults"],
    "plan": ["proposal"], "plans": ["proposals"], "policy": ["approach"], "policies": ["approaches"],
    "leader": ["head"], "leaders": ["heads"], "campaign": ["bid"], "candidate": ["nominee"],
    "election": ["vote"], "voters": ["electorate"], "law": ["statute"], "laws": ["statutes"],
    "money": ["funds"], "cost": ["price"], "costs": ["expenses"], "pay": ["compensate"],
    "stop": ["halt"], "stopped": ["halted"], "end": ["finish"], "ended": ["finished"],
    "quickly": ["rapidly"], "fast": ["rapid"], "hard": ["difficult"], "difficult": ["hard"],
    "clear": ["obvious"], "clearly": ["obviously"], "terrible": ["awful"], "great": ["terrific"],
    "angry": ["furious"], "afraid": ["scared"], "worried": ["concerned"], "happy": ["pleased"],
    "find": ["discover"], "found": ["discovered"], "talk": ["speak"], "talked": ["spoke"],
    "talking": ["speaking"], "ask": ["request"], "asked": ["requested"], "give": ["provide"],
    "gave": ["provided"], "keep": ["retain"], "allow": ["permit"], "allowed": ["permitted"],
    "change": ["alter"], "changed": ["altered"], "build": ["construct"], "built": ["constructed"],
    "hope": ["expect"], "hoped": ["expected"], "lie": ["falsehood"], "lies": ["falsehoods"],
    "woman": ["lady"], "women": ["ladies"], "man": ["guy"], "world": ["globe"], "city": ["town"],
    "government": ["administration"], "officials": ["authorities"], "threat": ["danger"],
    "reason": ["cause"], "idea": ["notion"], "chance": ["opportunity"], "goal": ["aim"],
    "enough": ["sufficient"], "whole": ["entire"], "almost": ["nearly"], "maybe": ["perhaps"],
    "often": ["frequently"], "now": ["currently"], "before": ["previously"], "also": ["too"],
    "gonna": ["going to"], "lot": ["great deal"], "work": ["labor"], "working": ["laboring"], "worked": ["labored"],
    "win": ["prevail"], "lose": ["fail"], "beat": ["defeat"], "run": ["campaign"], "running": ["campaigning"],
    "vote": ["ballot"], "votes": ["ballots"], "president": ["commander in chief"], "party": ["movement"],
    "support": ["backing"], "supporters": ["backers"], "crowd": ["audience"], "rally": ["event"],
    "speech": ["address"], "debate": ["face-off"], "question": ["query"], "questions": ["queries"],
    "answer": ["reply"], "answers": ["replies"], "bad": ["poor"], "good": ["fine"], "best": ["finest"],
    "true": ["accurate"], "wrong": ["mistaken"], "stupid": ["foolish"], "crazy": ["insane"],
    "dangerous": ["risky"], "strong": ["powerful"], "weak": ["feeble"], "rich": ["wealthy"],
    "poor": ["needy"], "tough": ["hard"], "simple": ["easy"], "sure": ["certain"], "real": ["genuine"],
    "really": ["truly"], "very": ["extremely"], "totally": ["completely"], "completely": ["entirely"],
    "everybody": ["everyone"], "everyone": ["everybody"], "nobody": ["no one"], "somebody": ["someone"],
    "things": ["matters"], "thing": ["matter"], "way": ["manner"], "time": ["moment"], "times": ["moments"],
    "years": ["yrs"], "today": ["this day"], "tonight": ["this evening"], "soon": ["shortly"],
    "border": ["frontier"], "wall": ["barrier"], "immigrants": ["migrants"], "immigration": ["migration"],
    "economy": ["markets"], "taxes": ["levies"], "tax": ["levy"], "trade": ["commerce"], "deal": ["agreement"],
    "deals": ["agreements"], "military": ["armed forces"], "war": ["conflict"], "terrorism": ["terror"],
    "emails": ["messages"], "email": ["message"], "investigation": ["inquiry"], "scandal": ["affair"],
    "media": ["press"], "reporters": ["journalists"], "story": ["report"], "stories": ["reports"],
    "family": ["relatives"], "friends": ["allies"], "community": ["neighborhood"], "communities": ["neighborhoods"],
    "health": ["wellbeing"], "care": ["attention"], "school": ["classroom"], "schools": ["classrooms"],
    "decision": ["choice"], "decided": ["chose"], "decide": ["choose"], "understand": ["grasp"],
    "understood": ["grasped"], "remember": ["recall"], "look": ["appear"], "looks": ["appears"],
    "seem": ["appear"], "seems": ["appears"], "feel": ["sense"], "felt": ["sensed"], "lead": ["guide"],
    "led": ["guided"], "bring": ["deliver"], "brought": ["delivered"], "put": ["place"], "take": ["seize"],
    "took": ["seized"], "leave": ["depart"], "left": ["departed"], "come": ["arrive"], "came": ["arrived"],
    "move": ["shift"], "moved": ["shifted"], "protect": ["shield"], "destroy": ["wreck"],
    "destroyed": ["wrecked"], "fix": ["repair"], "fixed": ["repaired"], "create": ["generate"],
    "increase": ["boost"], "reduce": ["cut"], "cut": ["slash"], "raise": ["lift"], "raised": ["lifted"],
}
CONTRACTIONS = [("do not", "don't"), ("does not", "doesn't"), ("did not", "didn't"), ("is not", "isn't"),
                ("are not", "aren't"), ("was not", "wasn't"), ("were not", "weren't"), ("will not", "won't"),
                ("would not", "wouldn't"), ("cannot", "can't"), ("could not", "couldn't"),
                ("should not", "shouldn't"), ("have not", "haven't"), ("has not", "hasn't"),
                ("it is", "it's"), ("that is", "that's"), ("we are", "we're"), ("they are", "they're"),
                ("you are", "you're"), ("I am", "I'm"), ("I have", "I've"), ("we have", "we've"),
                ("I will", "I'll"), ("we will", "we'll"), ("there is", "there's"), ("he is", "he's")]
TENSES = {"said": "says", "says": "said", "is": "was", "was": "is", "are": "were", "were": "are",
          "has": "had", "have": "had", "will": "would", "can": "could", "does": "did", "do": "did",
          "thinks": "thought", "think": "thought", "wants": "wanted", "want": "wanted", "knows": "knew",
          "know": "knew", "believes": "believed", "believe": "believed", "goes": "went", "go": "went",
          "makes": "made", "make": "made", "takes": "took", "take": "took", "gets": "got", "get": "got"}
PERSON = {"i": "he", "me": "him", "my": "his", "mine": "his", "myself": "himself", "we": "they", "us": "them",
          "our": "their", "ours": "theirs", "ourselves": "themselves", "i'm": "he's", "i've": "he's",
          "i'll": "he'll", "i'd": "he'd", "we're": "they're", "we've": "they've", "we'll": "they'll",
          "i’m": "he’s", "i’ve": "he’s", "i’ll": "he’ll", "we’re": "they’re"}
FILLERS = ["really", "just", "actually", "very", "frankly", "certainly", "clearly", "basically", "truly",
           "obviously", "honestly", "simply", "quite"]
PREFIX_FILLERS = ["Look, ", "Frankly, ", "Honestly, ", "Well, ", "You know, ", "I mean, "]
SUFFIX_FILLERS = [", I think", ", you know", ", frankly", ", believe me", ", to be honest"]
ANTONYMS_PREFIX = [("legal", "illegal"), ("likely", "unlikely"), ("possible", "impossible"), ("fair", "unfair"),
                   ("popular", "unpopular"), ("able", "unable"), ("responsible", "irresponsible"),
                   ("constitutional", "unconstitutional"), ("acceptable", "unacceptable"),
                   ("honest", "dishonest"), ("agree", "disagree"), ("agreed", "disagreed"),
                   ("approve", "disapprove"), ("qualified", "unqualified"), ("fit", "unfit"),
                   ("fortunate", "unfortunate"), ("appropriate", "inappropriate"), ("precedented", "unprecedented"),
                   ("democratic", "undemocratic"), ("patriotic", "unpatriotic"), ("presidential", "unpresidential"),
                   ("American", "un-American"), ("true", "untrue"), ("known", "unknown"), ("like", "unlike"),
                   ("willing", "unwilling"), ("secure", "insecure"), ("effective", "ineffective"),
                   ("competent", "incompetent"), ("credible", "incredible"), ("regular", "irregular"),
                   ("relevant", "irrelevant"), ("partisan", "nonpartisan"), ("trust", "distrust"),
                   ("comfortable", "uncomfortable"), ("necessary", "unnecessary"), ("clear", "unclear")]
ANTONYMS_LEXICAL = [("win", "lose"), ("won", "lost"), ("winning", "losing"), ("increase", "decrease"),
                    ("rise", "fall"), ("support", "oppose"), ("supported", "opposed"), ("supports", "opposes"),
                    ("good", "bad"), ("best", "worst"), ("better", "worse"), ("right", "wrong"),
                    ("strong", "weak"), ("more", "less"), ("higher", "lower"), ("accept", "reject"),
                    ("always", "never"), ("success", "failure"), ("love", "hate"), ("safe", "dangerous"),
                    ("easy", "hard"), ("rich", "poor"), ("first", "last"), ("before", "after"),
                    ("include", "exclude"), ("guilty", "innocent"), ("friend", "enemy"), ("friends", "enemies"),
                    ("positive", "negative"), ("majority", "minority"), ("strengthen", "weaken"),
                    ("open", "closed"), ("help", "hurt"), ("helped", "hurt"), ("love", "hate"),
                    ("everyone", "nobody"), ("everything", "nothing"), ("all", "none"), ("false", "true"),
                    ("liberal", "conservative"), ("Democrats", "Republicans"), ("Democratic", "Republican")]
AUX = ["is", "are", "was", "were", "will", "would", "can", "could", "should", "has", "have", "had", "does",
       "do", "did", "must", "might"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty",
                "hundred", "thousand", "million", "billion", "dozen"]
QUOTE_MARKS = re.compile(r"[“”\"«»„]|(?<!\w)[‘’']|[‘’'](?!\w)")
WORD = re.compile(r"\S+")


# ----------------------------------------------------------------------------------------------- loading


@dataclass(slots=True)
class Quote:
    doc: str
    text: str
    speaker: str | None
    span: tuple[int, int]
    tokens: frozenset[str] = field(default_factory=frozenset)


def speaker_key(source: str) -> str | None:
    names = [w for w in re.findall(r"[A-Za-z][\w’'-]*", source) if w[0].isupper()]
    if not names or names[-1].lower() in {"he", "she", "they", "it", "i", "we", "you"}:
        return None
    return names[-1].lower().removesuffix("’s").removesuffix("'s")


def clean(content: str) -> str:
    text = QUOTE_MARKS.sub("", content).strip()
    text = re.sub(r"^that\s+", "", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:.-—")
    return text


def load(split: str) -> dict[str, list[Quote]]:
    """Quotes per article of the split, in offset order."""
    return {key: parse(key, text, ann) for key, (text, ann) in polnear_articles(split).items()}


def parse(doc: str, text: str, ann: str) -> list[Quote]:
    spans: dict[str, list[tuple[int, int]]] = {}
    events = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if re.fullmatch(r"T\d+", parts[0]) and len(parts) > 1 and " " in parts[1]:  # a span's text may hold "\n"
            spans[parts[0]] = [tuple(map(int, p.split())) for p in parts[1].split(" ", 1)[1].split(";")]
        elif re.fullmatch(r"E\d+", parts[0]):
            events.append(dict(arg.split(":") for arg in parts[1].split()))
    quotes, seen = [], set()
    for ev in events:
        if "Content" not in ev:
            continue
        pieces = spans[ev["Content"]]
        content = clean(" ".join(text[a:b] for a, b in pieces))
        if not MIN_WORDS <= len(content.split()) <= MAX_WORDS or content.lower() in seen:
            continue
        seen.add(content.lower())
        source = " ".join(text[a:b] for a, b in spans.get(ev.get("Source", ""), []))
        span = (min(a for a, _ in pieces), max(b for _, b in pieces))
        quotes.append(Quote(doc, content, speaker_key(source), span, frozenset(re.findall(r"\w+", content.lower()))))
    return sorted(quotes, key=lambda q: q.span)


# ----------------------------------------------------------------------------------------------- rules


def _case(new: str, old: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def _sub_words(text: str, table: dict[str, str | list[str]], rng: random.Random, p: float) -> str:
    """Replace table words (whole words, case-insensitive) each with probability p, at least one."""
    words = text.split(" ")
    hits = [i for i, w in enumerate(words) if _core(w)[1].lower() in table]
    if not hits:
        return text
    chosen = [i for i in hits if rng.random() < p] or [rng.choice(hits)]
    for i in chosen:
        pre, core, post = _core(words[i])
        new = table[core.lower()]
        new = rng.choice(new) if isinstance(new, list) else new
        words[i] = pre + _case(new, core) + post
    return " ".join(words)


def _core(word: str) -> tuple[str, str, str]:
    m = re.match(r"^(\W*)(.*?)(\W*)$", word)
    return m.group(1), m.group(2), m.group(3)


def synonym(text: str, rng: random.Random) -> str:
    return _sub_words(text, SYNONYMS, rng, 0.8)


def contract(text: str, rng: random.Random) -> str:
    options = []
    for full, short in CONTRACTIONS:
        for a, b in ((full, short), (short, full), (short.replace("'", "’"), full)):
            if re.search(rf"\b{re.escape(a)}\b", text, re.I):
                options.append((a, b))
    if not options:
        return text
    a, b = rng.choice(options)
    return re.sub(rf"\b{re.escape(a)}\b", lambda m: _case(b, m.group(0)), text, count=0, flags=re.I)


def tense(text: str, rng: random.Random) -> str:
    return _sub_words(text, TENSES, rng, 0.7)


def person(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    out = []
    changed = False
    for i, w in enumerate(words):
        pre, core, post = _core(w)
        low = core.lower()
        if low in PERSON:
            out.append(pre + _case(PERSON[low], core if i == 0 else core.lower()) + post)
            changed = True
            continue
        prev = _core(words[i - 1])[1].lower() if i else ""
        if prev == "i" and not post:
            if low == "am":
                core = "is"
            elif low == "have":
                core = "has"
            elif low == "do":
                core = "does"
            elif low == "don't":
                core = "doesn't"
            elif re.fullmatch(r"[a-z]+", low) and low not in AUX and not low.endswith(("ed", "s")) and low not in {
                    "will", "would", "could", "should", "can", "may", "might", "must", "never", "also", "just",
                    "really", "think", "always", "was"}:
                core = low + ("es" if low.endswith(("sh", "ch", "x", "o")) else "s")
            elif low == "think":
                core = "thinks"
        out.append(pre + core + post)
    return " ".join(out) if changed else text


def hedge(text: str, rng: random.Random) -> str:
    present = [f for f in FILLERS if re.search(rf"\b{f}\b", text, re.I)]
    if present:
        f = rng.choice(present)
        return re.sub(r"\s+", " ", re.sub(rf",?\s*\b{f}\b,?", " ", text, count=1, flags=re.I)).strip(" ,")
    where = rng.random()
    if where < 0.3:
        return rng.choice(PREFIX_FILLERS) + text[:1].lower() + text[1:] if not text.startswith("I ") else \
            rng.choice(PREFIX_FILLERS) + text
    if where < 0.5:
        return text + rng.choice(SUFFIX_FILLERS)
    words = text.split(" ")
    i = rng.randrange(1, len(words))
    return " ".join(words[:i] + [rng.choice(FILLERS)] + words[i:])


def reorder(text: str, rng: random.Random) -> str:
    cuts = []
    for m in re.finditer(r",? (because|but|and|while|so|although|when|if) |, ", text):
        left, right = text[:m.start()], text[m.end():]
        if len(left.split()) >= 3 and len(right.split()) >= 3:
            cuts.append((m, left, right))
    if not cuts:
        return text
    m, left, right = rng.choice(cuts)
    conj = m.group(1)
    right = right.rstrip(" .")
    left = left[:1].lower() + left[1:] if not re.match(r"I\b|[A-Z]{2}|[A-Z]\w*[A-Z]", left) else left
    if conj in (None, "and", "but", "so"):
        joined = f"{right}, {conj + ' ' if conj else ''}{left}"
    else:
        joined = f"{conj} {right}, {left}"
    return joined[:1].upper() + joined[1:]


def part(n: int, rng: random.Random, p_whole: float, lo: float, hi: float) -> tuple[int, int]:
    """The word span one source quotes of an n-word statement: all of it (p_whole) or a share in [lo, hi]."""
    k = max(MIN_PART, round(n * rng.uniform(lo, hi)))
    if rng.random() < p_whole or k >= n:
        return 0, n
    start = rng.randint(0, n - k)
    return start, start + k


def parts(n: int, rng: random.Random) -> tuple[tuple[int, int], tuple[int, int]]:
    """The spans two sources quote of one statement, overlapping in >= 60% of the shorter (and >= MIN_PART words)."""
    for _ in range(20):
        a, b = part(n, rng, 0.5, 0.4, 0.9), part(n, rng, 0.3, 0.15, 0.9)
        overlap = min(a[1], b[1]) - max(a[0], b[0])
        if overlap >= max(MIN_PART, 0.6 * min(a[1] - a[0], b[1] - b[0])):
            return a, b
    return (0, n), b


def cut(text: str, span: tuple[int, int]) -> str:
    words = text.split(" ")
    return text if span == (0, len(words)) else " ".join(words[span[0]:span[1]]).strip(" ,;:")


RULES: list[tuple[str, Callable[[str, random.Random], str]]] = [
    ("synonym", synonym), ("contract", contract), ("tense", tense), ("person", person), ("hedge", hedge),
    ("reorder", reorder)]


def paraphrase(text: str, rng: random.Random, k: int) -> tuple[str, list[str]]:
    """Apply k applicable rules (in RULES order); returns the new text and the rules that changed it."""
    applicable = [(name, fn) for name, fn in RULES if fn(text, random.Random(0)) != text or name == "hedge"]
    picked = set(name for name, _ in rng.sample(applicable, min(k, len(applicable))))
    used = []
    for name, fn in RULES:
        if name in picked:
            new = fn(text, rng)
            if new != text:
                used.append(name)
                text = new
    return text, used


# ----------------------------------------------------------------------------------------------- alterations


def negate(text: str, rng: random.Random) -> str | None:
    words = text.split(" ")
    spots = [i for i, w in enumerate(words[:-1]) if _core(w)[1].lower() in AUX and not _core(w)[2]
             and _core(words[i + 1])[1].lower() not in {"not", "never", "no"}]
    if not spots:
        return None
    i = rng.choice(spots)
    pre, core, post = _core(words[i])
    words[i] = pre + (core + "not" if core.lower() == "can" else core + " not") + post
    return " ".join(words)


def unnegate(text: str, rng: random.Random) -> str | None:
    options = []
    for m in re.finditer(r"\b(not|never)\s+|\b(ca|wo|do|does|did|is|are|was|were|could|should|would|has|have|had)"
                         r"n[’']t\b|\bcannot\b", text, re.I):
        options.append(m)
    if not options:
        return None
    m = rng.choice(options)
    word = m.group(0)
    low = word.lower()
    if low.startswith(("not", "never")):
        new = ""
    elif low == "cannot":
        new = word[:3]
    elif low.startswith(("ca", "wo")):
        new = {"ca": "can", "wo": "will"}[low[:2]]
    else:
        new = word[: -3]
    return re.sub(r"\s+", " ", text[:m.start()] + new + text[m.end():]).strip()


def renumber(text: str, rng: random.Random) -> str | None:
    options = [m for m in re.finditer(r"\d[\d,.]*\d|\d", text)]
    options += [m for m in re.finditer(rf"\b({'|'.join(NUMBER_WORDS)})\b", text, re.I)]
    if not options:
        return None
    m = rng.choice(options)
    old = m.group(0)
    if old[0].isdigit():
        digits = [i for i, c in enumerate(old) if c.isdigit()]
        i = digits[0] if len(digits) == 1 or rng.random() < 0.5 else rng.choice(digits)
        d = int(old[i])
        new_d = rng.choice([x for x in range(1 if i == digits[0] else 0, 10) if x != d])
        new = old[:i] + str(new_d) + old[i + 1:]
    else:
        low = old.lower()
        scale = NUMBER_WORDS[11:]
        new = rng.choice([w for w in NUMBER_WORDS if w != low and (w in scale) == (low in scale)])
        new = _case(new, old)
    return text[:m.start()] + new + text[m.end():]


def _antonym(pairs: list[tuple[str, str]]) -> Callable[[str, random.Random], str | None]:
    table: dict[str, str] = {}
    for a, b in pairs:
        table.setdefault(a.lower(), b)
        table.setdefault(b.lower(), a)

    def swap(text: str, rng: random.Random) -> str | None:
        words = text.split(" ")
        hits = [i for i, w in enumerate(words) if _core(w)[1].lower() in table]
        if not hits:
            return None
        i = rng.choice(hits)
        pre, core, post = _core(words[i])
        words[i] = pre + _case(table[core.lower()], core) + post
        return " ".join(words)

    return swap


ALTERATIONS: list[tuple[str, Callable[[str, random.Random], str | None]]] = [
    ("negation-insert", negate), ("negation-remove", unnegate), ("number", renumber),
    ("antonym-prefix", _antonym(ANTONYMS_PREFIX)), ("antonym-lexical", _antonym(ANTONYMS_LEXICAL))]


def alter(text: str, rng: random.Random) -> tuple[str, str, list[str]] | None:
    """A meaning-altered variant: 0-2 paraphrase rules (not reorder), then one alteration."""
    options = [(name, fn) for name, fn in ALTERATIONS if fn(text, random.Random(0)) is not None]
    if not options:
        return None
    kind, fn = rng.choice(options)
    k = rng.choice([0, 1, 2])
    base, used = text, []
    if k:
        candidates = [(n, f) for n, f in RULES if n != "reorder"]
        for name, f in sorted(rng.sample(candidates, k), key=lambda r: [n for n, _ in RULES].index(r[0])):
            new = f(base, rng)
            if fn(new, random.Random(0)) is not None and new != base:
                base, used = new, [*used, name]
    new = fn(base, rng)
    return (new, kind, used) if new and new != base else None


# ----------------------------------------------------------------------------------------------- pairs


@dataclass(slots=True)
class Pair:
    a: str
    b: str
    label: str  # paraphrase | altered | neg-speaker | neg-doc
    detail: str  # rules used / alteration kind

    @property
    def same(self) -> bool:
        return self.label in ("paraphrase", "altered")


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def render(text: str, span: tuple[int, int], rng: random.Random, ks: list[int]) -> tuple[str, list[str]]:
    """One source's wording: the quoted span, then k paraphrase rules."""
    out, used = paraphrase(cut(text, span), rng, rng.choice(ks))
    return out, (["truncate"] if span != (0, len(text.split(" "))) else []) + used


def build_pairs(quotes: dict[str, list[Quote]], split: str) -> list[Pair]:
    pairs: list[Pair] = []
    for doc in sorted(quotes):
        rng = random.Random(f"{SEED}-{split}-{doc}")
        qs = quotes[doc]
        for qi, q in enumerate(qs):
            span_a, span_b = parts(len(q.text.split(" ")), rng)
            a, rules_a = render(q.text, span_a, rng, [0, 1, 2])
            b, rules_b = render(q.text, span_b, rng, [1, 2, 3])
            pairs.append(Pair(*_order(a, b, rng), "paraphrase", "+".join(sorted(set(rules_a + rules_b)))))
            if rng.random() < 0.6 and (alt := alter(q.text, rng)):
                a = paraphrase(q.text, rng, rng.choice([0, 1]))[0]
                pairs.append(Pair(*_order(a, alt[0], rng), "altered", alt[1]))
            others = [o for oi, o in enumerate(qs) if oi != qi and (o.span[1] <= q.span[0] or o.span[0] >= q.span[1])
                      and _dice(o.tokens, q.tokens) < 0.6]
            if not others:
                continue
            near = min(others, key=lambda o: abs(o.span[0] - q.span[0]))
            picked = [(near, "neg-adjacent")]
            same = [o for o in others if q.speaker and o.speaker == q.speaker and o is not near]
            rest = [o for o in others if o is not near]
            if same:
                picked.append((rng.choice(same), "neg-speaker"))
            elif rest:
                picked.append((rng.choice(rest), "neg-doc"))
            for o, label in picked:
                a = render(q.text, part(len(q.text.split(" ")), rng, 0.5, 0.4, 0.9), rng, [0, 1, 2])[0]
                b = render(o.text, part(len(o.text.split(" ")), rng, 0.3, 0.15, 0.9), rng, [1, 2, 3])[0]
                pairs.append(Pair(*_order(a, b, rng), label, ""))
    seen, out = set(), []
    for p in pairs:
        key = frozenset((p.a, p.b))
        if key not in seen and p.a != p.b:
            seen.add(key)
            out.append(p)
    return out


def _order(a: str, b: str, rng: random.Random) -> tuple[str, str]:
    return (a, b) if rng.random() < 0.5 else (b, a)


# ----------------------------------------------------------------------------------------------- methods


def token_jaccard(a: str, b: str) -> float:
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def char3_jaccard(a: str, b: str) -> float:
    def grams(s: str) -> set[str]:
        s = " ".join(re.findall(r"\w+", s.lower()))
        return {s[i:i + 3] for i in range(len(s) - 2)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


OLD_NEGATION = re.compile(r"\b(not|no|never|n't|nothing|none|cannot|without)\b|n't\b", re.I)


def old_altered(a: str, b: str) -> bool:
    """The flag as it was before this benchmark: negation in one wording only, or different digit sets."""
    neg = bool(OLD_NEGATION.search(a)) != bool(OLD_NEGATION.search(b))
    return neg or set(re.findall(r"\d+", a)) != set(re.findall(r"\d+", b))


# ----------------------------------------------------------------------------------------------- scoring


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def at(scores: list[float], gold: list[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(s >= threshold and g for s, g in zip(scores, gold, strict=True))
    fp = sum(s >= threshold and not g for s, g in zip(scores, gold, strict=True))
    fn = sum(s < threshold and g for s, g in zip(scores, gold, strict=True))
    return prf(tp, fp, fn)


def tune(scores: list[float], gold: list[bool]) -> float:
    """The threshold (midpoint between adjacent distinct scores) with the best F1; ties go to the lowest."""
    ranked = sorted(zip(scores, gold, strict=True), reverse=True)
    positives = sum(gold)
    best, best_f1, tp, n = ranked[0][0], -1.0, 0, 0
    for i, (score, g) in enumerate(ranked):
        tp, n = tp + g, n + 1
        below = ranked[i + 1][0] if i + 1 < len(ranked) else score - 1e-9
        if below == score:
            continue
        f1 = 2 * tp / (n + positives) if positives else 0.0
        if f1 >= best_f1:
            best, best_f1 = (score + below) / 2, f1
    return best


def flag_scores(pairs: list[Pair], flags: list[bool]) -> tuple[float, float, float]:
    same = [(p, f) for p, f in zip(pairs, flags, strict=True) if p.same]
    tp = sum(f and p.label == "altered" for p, f in same)
    fp = sum(f and p.label != "altered" for p, f in same)
    fn = sum(not f and p.label == "altered" for p, f in same)
    return prf(tp, fp, fn)


def fmt(p: float, r: float, f: float) -> str:
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", default="dev", help="split the thresholds are tuned on")
    ap.add_argument("--split", default="test", help="split reported")
    ap.add_argument("--show", type=int, default=0, help="print N misclassified pairs of ours on the reported split")
    args = ap.parse_args()

    from storyline.compare.quotes import SAME_QUOTE, altered, quote_similarity

    methods: dict[str, Callable[[str, str], float]] = {
        "ours (quote_similarity)": quote_similarity, "token Jaccard": token_jaccard,
        "char 3-gram Jaccard": char3_jaccard}
    data = {}
    for split in dict.fromkeys([args.dev, args.split]):
        quotes = load(split)
        pairs = build_pairs(quotes, split)
        counts = Counter(p.label for p in pairs)
        print(f"{split}: {len(quotes)} articles, {sum(map(len, quotes.values()))} quotes, {len(pairs)} pairs "
              + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        scores = {}
        for name, fn in methods.items():
            t0 = time.perf_counter()
            scores[name] = [fn(p.a, p.b) for p in pairs]
            if name.startswith("ours"):
                print(f"  ours: {len(pairs) / (time.perf_counter() - t0):,.0f} pairs/s (first pass, cold caches)")
        flags = {"ours (altered)": [altered(p.a, p.b) for p in pairs], "previous rule": [old_altered(p.a, p.b)
                                                                                     for p in pairs]}
        data[split] = (pairs, scores, flags)

    dev_pairs, dev_scores, _ = data[args.dev]
    thresholds = {name: tune(dev_scores[name], [p.same for p in dev_pairs]) for name in methods}
    print(f"\nsame-quote pair matching (threshold tuned on {args.dev}; ours also at the shipped SAME_QUOTE="
          f"{SAME_QUOTE})")
    for split, (pairs, scores, _) in data.items():
        gold = [p.same for p in pairs]
        for name in methods:
            print(f"  {split:5} {name:26} t={thresholds[name]:.3f}  {fmt(*at(scores[name], gold, thresholds[name]))}")
        name = next(iter(methods))
        print(f"  {split:5} {'ours at SAME_QUOTE':26} t={SAME_QUOTE:.3f}  {fmt(*at(scores[name], gold, SAME_QUOTE))}")

    print("\naltered flag (over gold-same pairs; positive = altered)")
    for split, (pairs, scores, flags) in data.items():
        for name, fl in flags.items():
            print(f"  {split:5} {name:26} {fmt(*flag_scores(pairs, fl))}")
        ours = next(iter(methods))
        alt = [(p, s, f) for p, s, f in zip(pairs, scores[ours], flags["ours (altered)"], strict=True)
               if p.label == "altered"]
        handled = sum(s < SAME_QUOTE or f for _, s, f in alt) / len(alt)
        print(f"  {split:5} altered handled (not matched, or matched and flagged) at SAME_QUOTE: {handled:.3f}")

    pairs, scores, flags = data[args.split]
    ours, base = next(iter(methods)), "token Jaccard"
    print(f"\n{args.split} by kind: share matched (ours at SAME_QUOTE, token Jaccard at its dev threshold), "
          "share flagged altered (ours)")
    by: dict[str, list[tuple[bool, bool, bool]]] = {}
    for p, s, sb, f in zip(pairs, scores[ours], scores[base], flags["ours (altered)"], strict=True):
        keys = [p.label] + ([f"{p.label}:{r}" for r in p.detail.split("+") if r] if p.label == "paraphrase" else [])
        keys += [f"{p.label}:a side <= 8 words"] if min(len(p.a.split()), len(p.b.split())) <= 8 else []
        keys += [f"altered:{p.detail}"] if p.label == "altered" else []
        for k in keys:
            by.setdefault(k, []).append((s >= SAME_QUOTE, sb >= thresholds[base], f))
    for k in sorted(by):
        rows = by[k]
        share = [sum(r[i] for r in rows) / len(rows) for i in range(3)]
        print(f"  {k:31} n={len(rows):5}  matched {share[0]:.3f} (Jaccard {share[1]:.3f})  flagged {share[2]:.3f}")

    if args.show:
        rng = random.Random(SEED)
        wrong = [(p, s) for p, s in zip(pairs, scores[ours], strict=True) if (s >= SAME_QUOTE) != p.same]
        for p, s in rng.sample(wrong, min(args.show, len(wrong))):
            print(f"\n[{p.label} {p.detail}] score {s:.3f}\n  A: {p.a}\n  B: {p.b}")
        flag_wrong = [p for p, f in zip(pairs, flags["ours (altered)"], strict=True)
                      if p.same and f != (p.label == "altered") and p.detail != "antonym-lexical"]
        for p in rng.sample(flag_wrong, min(args.show, len(flag_wrong))):
            print(f"\nflag wrong [{p.label} {p.detail}]\n  A: {p.a}\n  B: {p.b}")


if __name__ == "__main__":
    main()
