"""What a text says is *not* so: negated clauses, their positive reading, and the words they negate.

A source that contradicts a story seldom uses a denial word. The hospital "had not admitted 340
patients", the council said "no schools had been closed", a spokeswoman that "no patient had
died": each states the opposite of a claim in its own words, with a negation. Embeddings barely
see the negation (MiniLM puts "no patient had died" at cosine 0.48 to "two elderly patients
have died", and "patient had died" at 0.63), so two things are needed to find the claim a
negation answers: the *positive reading* of the negated clause, to compare by meaning, and the
*negated words*, which the other claim must state for the two to be about the same thing.

Not every negation says that something did not happen. Instructions and intentions ("ordered
doctors not to report"), a source's silence ("could not confirm", "did not respond"),
intensifiers and bounds ("not only", "no doubt", "no more than"), attitudes ("don't want"),
modals ("can't"), calls ("let's not"), contrasts ("X, not Y"), relative and conditional
clauses, and the speaker's own voice ("we didn't cut Medicare": a debate's rebuttals, which a
word match pairs with any sentence on the subject) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newstrace.reuse import content_terms

#: A negation word (corroboration also reads a figure after one as denied); a whole word: the
#: "no" of "North", "now" or "November" is none.
NEGATION = r"(?:(?<!\w)(?:nobody|none|no-one|not|never|neither|no)(?![\w'\u2019-])|n['\u2019]t)"
#: A negation and the (up to three) words after it: "had not admitted", "never ordered" (in a
#: lookahead, so that "no deaths and nobody is in intensive care" yields both windows).
_NEGATED = re.compile(NEGATION + r"(?=((?:\s+[\w'\u2019-]+){1,3}))", re.IGNORECASE)

#: Negations that do not say something is not so: an intensifier, a bound, an instruction or
#: intention ("not to report"), a time ("no longer", "not yet": a change, not a denial).
_NOT_A_DENIAL = re.compile(
    r"^\s+(?:only|just|merely|least|less|more|doubt|matter|longer|yet|until|to|sooner|exception|"
    r"surprise|wonder|secret|stranger|small|short)\b", re.IGNORECASE)
#: A source's silence or ignorance, not a statement that the thing did not happen: "could not
#: confirm the deaths", "did not respond to requests for comment", "it is not known whether".
_SILENCE = re.compile(
    r"^(?:\s+(?:be|been|being|immediately|yet|publicly|independently|officially|able|to))*\s+"
    r"(?:confirm\w*|comment\w*|respond\w*|repl\w*|return\w*|answer\w*|say|said|know\w*|known|"
    r"disclose\w*|reveal\w*|specif\w*|identif\w*|elaborate\w*|verif\w*|clear|sure|certain|"
    r"available|possible|provide\w*|explain\w*|name\w*|immediately)\b", re.IGNORECASE)
#: An attitude, wish or plan negated ("don't want to", "do not think", "doesn't like"), or a
#: memory ("a semi-final nobody will forget", "I can't remember"): an opinion or a figure of
#: speech, not a fact said not to be so.
_ATTITUDE = re.compile(
    r"^\s+(?:want\w*|need\w*|think\w*|believe\w*|expect\w*|hope\w*|like\w*|see|saw|plan\w*|intend\w*|"
    r"mean\w*|care\w*|support\w*|agree\w*|have\s+to|has\s+to|going\s+to|"
    r"(?:(?:will|would|could|can|ever)\s+)?(?:forget\w*|forgot\w*|remember\w*|imagine\w*|doubt\w*))\b",
    re.IGNORECASE)
#: The future right before a negation: "will not", "would not", "won't" ("wo" + "n't").
_FUTURE_BEFORE = re.compile(r"\b(?:will|would|wo)\s*$", re.IGNORECASE)
#: A statement of what will be: "will close", "would reopen", "is going to", "is due to".
_FUTURE = re.compile(r"\b(?:will|would|shall)\b|'ll\b|\b(?:going|due|expected|set|plans?|planned)\s+to\b",
                     re.IGNORECASE)
#: A modal of ability, duty or possibility just before the negation ("can't keep", "should not",
#: "may not"): what ought or might be, not what is. "will not" and "would not" stay: news
#: reports plans and denials of plans in them ("the plant will not close").
_MODAL_BEFORE = re.compile(r"\b(?:can|ca|could|should|must|may|might|shall|cannot)\s*$", re.IGNORECASE)
#: A clause that is not a statement of fact on its own: a relative clause about someone ("who
#: are not getting a tax cut"), a condition, a purpose ("so that they don't lose their homes").
_SUBORDINATE = re.compile(r"\b(?:who|whom|whose|which|if|unless|whether|so\s+that|in\s+order)\b", re.IGNORECASE)
#: The speaker's own voice ("I", "we", "you"): a debate's pledges, opinions and rebuttals
#: ("we didn't cut Medicare"), which a word match pairs with any sentence on the subject.
#: Case matters: "US" is a country.
_PERSONAL = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Yy]ou|[Yy]our|[Ww]e|[Uu]s|[Oo]ur)\b")
#: An order or a call, not a statement ("don't cut the military", "let's not raise taxes"), and
#: a contrast inside a clause ("outstanding for the country, not detrimental", "a purpose and
#: not a random act", "peace — not the Islam of the terrorists").
_IMPERATIVE = re.compile(r"^\W*(?:(?:and|but|so|now)\s+)?(?:do|let'?s|let\s+us|please\s+do)\s*$|"
                         r"(?:,|\u2014|\u2013|\s-|\band|\bbut|\bor)\s*$",
                         re.IGNORECASE)
#: Modals that make a clause a possibility, duty or ability rather than a fact, and verbs that
#: state that something does *not* happen ("they will prevent Iran from getting a weapon").
_NOT_A_FACT = re.compile(r"\b(?:can|cannot|can't|could|should|must|may|might|shall|prevent\w*|stop\w*|"
                         r"avoid\w*|dissuad\w*|deter|deterr\w*|refus\w*|fail\w*|ban|bann\w*|block\w*|deny\w*|denie[sd]|reject\w*)\b",
                         re.IGNORECASE)
#: Clause boundaries inside a claim: "14 people had been treated ..., and that no patient had died".
_CLAUSE_BREAK = re.compile(r"[.!?][\"\u201d]?\s+|;|:|,\s*(?:and|but|while|whereas|although|though)\b|\s+(?:and|but)\s+that\b|"
                           r"\s+but\s+|,\s+(?=(?:which|who)\b)", re.IGNORECASE)
_REPLACEMENT = {"nobody": "somebody", "none": "some", "neither": "either"}


#: Verb forms the suffix rules below cannot fold.
_IRREGULAR = {"died": "die", "dies": "die", "dying": "die"}


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A light suffix-stripping stem, enough for a negation and a claim worded a little
    differently to meet: "patients" and "patient", "closed" and "close", "admitted" and
    "admits". Not a lemmatiser: claims arrive as text, and a wrong fold only costs a match."""
    w = word.casefold()
    if w in _IRREGULAR or not w.isalpha():
        return _IRREGULAR.get(w, w)
    if len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith(("ses", "xes", "zes", "ches", "shes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


@lru_cache(maxsize=65_536)
def stems(text: str) -> frozenset[str]:
    """The stems of a text's content words (a negated auxiliary, "didn't", is no content)."""
    return frozenset(stem(t) for t in content_terms(text) if not t.endswith(("n't", "n\u2019t")))


@lru_cache(maxsize=65_536)
def negated_terms(text: str) -> frozenset[str]:
    """Content terms within three words after a negation: what ``text`` says is not so ("had
    not admitted 340 patients": admitted, 340)."""
    return frozenset(t for m in _NEGATED.finditer(text) for t in content_terms(m.group(1)))


def clauses(text: str) -> list[tuple[int, int]]:
    """The clauses of a claim as (start, end) offsets, split at semicolons and at coordinating
    or concessive conjunctions after a comma; a claim without such a break is one clause."""
    out, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        if text[start:m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return [span for s, e in out if (span := _trimmed(text, s, e))[0] < span[1]]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum() and text[start] not in "\"'\u201c\u2018":
        start += 1
    while end > start and text[end - 1] in " ,.;:":
        end -= 1
    return start, end


@dataclass(frozen=True)
class NegatedClause:
    """One clause of a text that says something is not so."""

    start: int
    end: int
    #: The clause with its negation taken out: "schools had been closed" for "no schools had
    #: been closed", "it had admitted 340 patients" for "it had not admitted 340 patients".
    positive: str
    #: Stems of the content words the negation governs (the three words after it).
    negated: frozenset[str]
    #: Stems of all the clause's content words.
    terms: frozenset[str]
    #: Whether it says what will not be ("this will not happen again", "won't close"): a
    #: promise or a forecast, which answers only another statement of what will be.
    future: bool = False


@lru_cache(maxsize=16_384)
def negated_clauses(text: str) -> tuple[NegatedClause, ...]:
    """The clauses of ``text`` that negate a state of affairs, with their positive reading."""
    out = []
    for start, end in clauses(text):
        clause = text[start:end]
        if _personal(clause):
            continue
        found = [m for m in _NEGATED.finditer(clause)
                 if not _NOT_A_DENIAL.match(m.group(1)) and not _SILENCE.match(m.group(1))
                 and not _ATTITUDE.match(m.group(1)) and not _MODAL_BEFORE.search(clause[:m.start()])
                 and not _SUBORDINATE.search(clause[:m.start()]) and not _IMPERATIVE.search(clause[:m.start()])]
        if not found:
            continue
        governed = frozenset(t for m in found for t in stems(m.group(1)))
        if not governed:
            continue
        future = all(_FUTURE_BEFORE.search(clause[:m.start()]) for m in found)
        out.append(NegatedClause(start, end, _positive(clause, found), governed, stems(clause), future))
    return tuple(out)


def tells_future(clause: str) -> bool:
    """Whether a clause says what will (or would) be: the only kind a negated future answers."""
    return _FUTURE.search(clause) is not None


def _positive(clause: str, found: list[re.Match[str]]) -> str:
    """The clause with each negation removed ("had not admitted" -> "had admitted", "no schools"
    -> "schools", "didn't" -> "did") or turned round ("nobody is" -> "somebody is")."""
    pieces, at = [], 0
    for m in found:
        word = m.group(0)
        pieces.append(clause[at:m.start()])
        low = word.casefold()
        if low in _REPLACEMENT:
            pieces.append(_REPLACEMENT[low])
        at = m.end()
    pieces.append(clause[at:])
    # A complementiser ("[said] that no schools had been closed") is no part of the statement.
    return re.sub(r"^that\s+", "", re.sub(r"\s+", " ", "".join(pieces)).strip(), flags=re.IGNORECASE)


@lru_cache(maxsize=65_536)
def stated_stems(text: str) -> frozenset[str]:
    """Stems of the content words ``text`` states, leaving out those it negates."""
    return stems(text) - frozenset(stem(t) for t in negated_terms(text))


def _personal(clause: str) -> bool:
    return _PERSONAL.search(clause) is not None


def states_fact(clause: str) -> bool:
    """Whether a clause can be the statement a negation answers: not in the speaker's own voice
    ("I", "we", "you"), not a possibility, duty or ability, and not a prevention ("they will
    prevent Iran from getting a nuclear weapon" is no claim that it has one)."""
    return not _personal(clause) and not _NOT_A_FACT.search(clause)


@lru_cache(maxsize=65_536)
def fact_clauses(text: str) -> tuple[tuple[tuple[int, int], frozenset[str]], ...]:
    """The clauses of ``text`` that can be the statement a negation answers
    (:func:`states_fact`), with the stems each states: asked of a claim once, however many
    negations of its story share a word with it."""
    return tuple(((s, e), stated_stems(text[s:e])) for s, e in clauses(text) if states_fact(text[s:e]))
