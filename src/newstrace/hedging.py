"""How firmly a claim is made, and what kind of source it rests on.

Both come from the documented lexicon ``data/attribution_lexicon.json`` plus the grammar
around the cue, because PolNeAR labels neither (see its FORMAT.md), so nothing can be learnt.

Hedge levels, strongest first when several fire (a denial outweighs everything; an
allegation is a claim somebody disputes, which matters more to a reader than mere
possibility): ``denied`` > ``alleged`` > ``speculated`` > ``reported`` > ``asserted``.

* denied: a denial cue ("denied", "rejected") or the cue verb negated ("did not say"); a
  negated verification verb ("could not confirm") leaves the claim unverified: reported.
* alleged: "allegedly", "claims", "accused", "purportedly".
* speculated: "may/might/could" on the cue or the content's main verb; "suggests",
  "believes", "possibly", "apparently".
* reported: "reportedly", "according to (unverified) reports", "it was reported that",
  "is understood", "citing".

Words are looked at only where they modify the claim: the cue and its auxiliaries/adverbs,
the source phrase, and the direct dependants of the content's main verb(s). A "may" buried in
a relative clause of the content does not make the whole claim speculative.

A lexicon word that is a verb outside the cue ("report", "rejected", "suggests") is a hedge
only when it frames a clause of the claim (``frames_claim``: "the plant is reported to have
closed", "it is understood that", "the harbour appears to have reopened"), or, for a
speculation verb, in the passive ("first pictures are expected within ten days"). As the
claim's own action it says what happened, not how firmly: "ordered doctors not to report the
cases", "the ministry rejected the offer", "the appeal was rejected" are asserted.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from newstrace.attribution_crf import lexicon

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

LEVELS = ("denied", "alleged", "speculated", "reported", "asserted")
SOURCE_KINDS = ("person", "organisation", "role", "anonymous", "none")

_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "we", "you"})
_THING_PRONOUNS = frozenset({"it", "they", "them"})
ORG_LABELS = frozenset({"ORG", "NORP", "GPE", "FAC"})
#: Unnamed organisations ("the ministry said"): organisation, resolved back to the last ORG.
ORG_NOUNS = frozenset({"agency", "ministry", "government", "campaign", "company", "firm",
                       "department", "council", "authority", "authorities", "administration",
                       "committee", "commission", "court", "police", "army", "military", "office", "embassy",
                       "consulate", "bureau", "university", "hospital"})


@lru_cache(maxsize=1)
def _hedge_words() -> dict[str, frozenset[str]]:
    h = lexicon()["hedges"]
    return {lvl: frozenset(w for w in h[lvl] if " " not in w) for lvl in LEVELS if lvl in h}


@lru_cache(maxsize=1)
def _hedge_phrases() -> dict[str, tuple[str, ...]]:
    h = lexicon()["hedges"]
    return {lvl: tuple(w for w in h[lvl] if " " in w) for lvl in LEVELS if lvl in h}


def _roots(tokens: Sequence["Token"]) -> list["Token"]:
    ids = {t.i for t in tokens}
    return [t for t in tokens if t.head.i not in ids or t.head.i == t.i]


def hedge_scope(cue: Sequence["Token"], source: Sequence["Token"],
                content: Sequence["Token"]) -> list["Token"]:
    """The tokens whose words can set the hedge level of a claim (see module docstring)."""
    scope: dict[int, Token] = {}
    for t in cue:
        scope[t.i] = t
        for c in t.children:
            if c.dep_ in ("aux", "neg", "advmod", "auxpass", "prt") or c.lower_ in ("not", "n't"):
                scope[c.i] = c
    for t in source:
        scope[t.i] = t
    for r in _roots(content):
        scope[r.i] = r
        for c in r.children:
            if c.dep_ in ("aux", "neg", "advmod", "auxpass", "acomp"):
                scope[c.i] = c
    return [scope[i] for i in sorted(scope)]


#: Clausal complements a framing verb takes: "that"-clauses and raising infinitives.
_FRAMED_DEPS = frozenset({"ccomp", "xcomp"})


def frames_claim(tok: "Token") -> bool:
    """Whether a verb outside the cue hedges the claim rather than being its own action.

    It must take a clausal complement (the framed claim: "is reported *to have closed*",
    "suggests *that* ...", "appears *to* ...", or the charge of "was accused *of* fraud",
    "accused the driver *of* speeding") and be a finite or passive verb itself: an
    infinitive ("not *to report* the cases") or a bare participle ("*reporting* that ...",
    "failed to report ...") is what somebody did, not a hedge. A passive verb without a
    complement ("the appeal was rejected", "the income was not reported") is the claim's
    event; ``hedge_level`` lets only a passive speculation verb hedge without one.
    """
    if tok.pos_ != "VERB":
        return True  # adverbs, adjectives, nouns, modals ("reportedly", "unconfirmed", "reports", "may")
    kids = list(tok.children)
    deps = {c.dep_ for c in kids}
    charge = "of" in {c.lower_ for c in kids if c.dep_ == "prep"} and bool(deps & {"auxpass", "dobj"})
    if not (deps & _FRAMED_DEPS or charge):
        return False
    if _infinitive(tok):
        return False  # "ordered them not to report that ...": what they were told to do
    if tok.tag_ in ("VBD", "VBZ", "VBP"):
        return True
    # A participle or base form is finite only with an auxiliary: "is reported to", "has
    # suggested that", "could suggest that"; "reporting that" / "to report" are not.
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ != "to" for c in kids)


#: Verbs whose negation leaves a claim unverified rather than denied ("could not confirm").
_VERIFY = frozenset({"confirm", "verify", "corroborate", "substantiate"})
#: Cue verbs whose negation says the words were said bluntly, not denied: "did not mince his
#: words", "did not hold back", "did not hesitate to say".
_EMPHATIC = frozenset({"mince", "hesitate"})


def _infinitive(tok: "Token") -> bool:
    """A verb with infinitival "to" ("not to report", "refused to deny")."""
    return tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _passive(tok: "Token") -> bool:
    """A passive verb ("are expected", "was rejected")."""
    return tok.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in tok.children)


def hedge_level(cue: Sequence["Token"], source: Sequence["Token"],
                content: Sequence["Token"]) -> tuple[str, list["Token"]]:
    """(level, tokens that set it) for one claim; ``asserted`` with no tokens when nothing fires."""
    words = _hedge_words()
    scope = hedge_scope(cue, source, content)
    fired: dict[str, list[Token]] = {lvl: [] for lvl in LEVELS}
    # An infinitive the tagger took for the cue ("ordered officials not [to report] the cases")
    # is the claim's own action too: its word and its "not" are no hedge, no denial.
    cue_ids = {t.i for t in cue if not _infinitive(t)}
    negs = set(lexicon()["negations"])
    for t in scope:
        low, lemma = t.lower_, t.lemma_.lower()
        if t.i in cue_ids or t.head.i in cue_ids:
            if low in negs and t.dep_ == "neg" and t.head.i in cue_ids:
                head = t.head.lemma_.lower()
                if head in _EMPHATIC or (head == "hold" and any(c.lower_ == "back" for c in t.head.children)):
                    continue  # "did not mince his words": said outright
                # "could not confirm the deaths" leaves them unconfirmed, it does not deny them.
                fired["reported" if head in _VERIFY else "denied"].append(t)
                continue
        levels: tuple[str, ...] = ("denied", "alleged", "speculated", "reported")
        if t.i not in cue_ids and not frames_claim(t):
            if not _passive(t):
                continue  # the claim's own verb ("not to report the cases"), not a hedge on it
            # A passive estimate is one with or without a complement ("first pictures are
            # expected within ten days", "he is believed dead"); a passive report or
            # rejection is the event itself ("the income was not reported").
            levels = ("speculated",)
        for lvl in levels:
            if low in words[lvl] or (t.i in cue_ids and lemma in words[lvl]):
                fired[lvl].append(t)
                break
    # Multi-word cues ("said to", "is understood") on the text around the cue.
    if cue:
        doc = cue[0].doc
        lo, hi = max(0, cue[0].i - 2), min(len(doc), cue[-1].i + 3)
        window = doc[lo:hi].text.lower()
        for phrase in _hedge_phrases().get("reported", ()):
            if phrase in window and not fired["reported"]:
                fired["reported"].extend(cue)
    if any(t.head.lemma_.lower() in _VERIFY for t in fired["reported"] if t.dep_ == "neg"):
        # "could not confirm": the modal belongs to the failed check, not to the claim.
        fired["speculated"] = [t for t in fired["speculated"] if t.i not in cue_ids]
    for lvl in LEVELS[:-1]:
        if fired[lvl]:
            return lvl, fired[lvl]
    return "asserted", []


@lru_cache(maxsize=1)
def _anon() -> tuple[tuple[str, ...], tuple[str, ...]]:
    a = lexicon()["anonymous_sources"]
    return tuple(a["heads"]), tuple(a["markers"])


@lru_cache(maxsize=1)
def _roles() -> frozenset[str]:
    return frozenset(lexicon()["role_nouns"]["items"])


def source_kind(source: Sequence["Token"], context: str = "") -> str:
    """``person`` / ``organisation`` / ``role`` / ``anonymous`` / ``none`` for a source phrase,
    or ``pronoun`` for the caller to resolve to an earlier mention.

    ``context`` is the text right after the source (to the end of its clause), where the
    anonymity markers often are ("officials, who declined to be named, said").
    Named entities win over role nouns ("Defence Minister Anna Berg" is a person), and
    anonymity markers win over both ("a person close to Berg").
    """
    if not source:
        return "none"
    root = _roots(source)[0]
    if root.ent_type_ == "PERSON":
        return "person"
    text = " ".join(t.lower_ for t in source)
    heads, markers = _anon()
    padded = f" {text} {context.lower()} "
    if any(f" {h} " in f" {text} " for h in heads) or any(f" {m} " in padded for m in markers):
        return "anonymous"
    labels = {t.ent_type_ for t in source if t.ent_type_}
    if root.lower_ in _PERSON_PRONOUNS or root.lower_ in _THING_PRONOUNS:
        return "pronoun"
    if root.ent_type_ in ORG_LABELS:
        return "organisation"
    if "PERSON" in labels and root.lower_ not in _roles():
        return "person"
    if root.lower_ in ORG_NOUNS:
        return "organisation"
    # A nationality or a place may describe an unnamed source ("a Russian military expert").
    if not labels & {"PERSON", "ORG", "FAC"} and root.ent_type_ not in ORG_LABELS and _unnamed(root):
        return "anonymous"
    if root.lower_ in _roles() or root.lemma_.lower() in _roles():
        return "role"
    if root.pos_ == "PROPN":
        return "organisation"
    if labels & ORG_LABELS:
        return "organisation"
    return "role"


#: Determiners of a source no one is named for: "a senior officer", "two officials", "some
#: residents" ("the minister" is a role the text may name).
_INDEFINITE = frozenset({"a", "an", "one", "two", "three", "several", "some", "many", "other", "various"})
#: Speakers for an organisation, on its record though unnamed ("a ministry spokesman said").
_SPEAKS_FOR = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative", "statement"})


#: People a source may be besides the lexicon's role nouns (which are people too).
_PEOPLE = frozenset({"people", "person", "man", "woman", "men", "women", "neighbour", "neighbours", "neighbor",
                     "neighbors", "local", "locals", "eyewitness", "eyewitnesses", "insider", "insiders",
                     "staff", "parent", "parents", "student", "students", "teacher", "teachers", "nurse",
                     "nurses", "farmer", "farmers", "driver", "drivers", "passenger", "passengers", "soldier",
                     "soldiers", "fan", "fans", "engineer", "engineers", "colleague", "colleagues"})


def _unnamed(root: "Token") -> bool:
    """A source that is people no one names: an indefinite one ("a regional official", "one
    of the people") or a bare plural ("diplomats involved in the talks", "residents"). Not one
    who speaks for an organisation, and not a thing (a poll, flight records) or a transcript's
    speaker label ("MR. GIBBS")."""
    if root.pos_ not in ("NOUN", "NUM", "PRON") or root.text.isupper():
        return False
    dets = [c for c in root.children if c.dep_ in ("det", "nummod", "quantmod", "predet")]
    if root.lower_ in _INDEFINITE:  # "one of the people briefed on the talks"
        people = [p for c in root.children if c.dep_ == "prep" and c.lower_ == "of"
                  for p in c.children if p.dep_ == "pobj"]
        return any(_people_noun(p) for p in people)
    if not _people_noun(root) or root.lower_ in _SPEAKS_FOR or root.lemma_.lower() in _SPEAKS_FOR:
        return False
    if any(d.lower_ in _INDEFINITE for d in dets):
        return True
    return root.tag_ == "NNS" and not dets and not any(c.dep_ == "poss" for c in root.children)


def _people_noun(tok: "Token") -> bool:
    """Whether ``tok`` names people (a role noun of the lexicon or a common people noun)."""
    return bool({tok.lower_, tok.lemma_.lower()} & (_roles() | _PEOPLE))
