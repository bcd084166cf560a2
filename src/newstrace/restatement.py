"""Reports about an article are not rewrites of it.

A sceptical report or a fact check restates the story it examines ("VSIA claimed on Tuesday
that at least 340 residents ...") and disputes it ("the hospital said it had not admitted 340
patients"). On article-level scores it looks like a loose rewrite: the same names, numbers and
topic, a few sentences aligned. But an article that credits each restated sentence to the
other's publisher, or says the opposite, did not take its text from it; calling it a rewrite
puts it in the origin group it argues with, so its own sources stop counting as independent,
nothing it disputes is a contradiction, and its own reporting reads as "embellishment".

So each aligned sentence pair of a ``rewrite`` edge is judged before provenance groups the
articles:

* **credited**: one sentence names, next to a reporting word ("claimed", "said", "according
  to", "report"), an outlet of the corpus that is not its own article's, and the other sentence
  does not name it too (a rewrite that keeps "VSIA reports" reuses the credit line, it does not
  credit anew), unless the other is that outlet's own article naming itself in its dateline;
  or it is a fact check's "Claim:" line;
* **disputed**: one sentence denies ("denied", "no evidence that", "false") and the other does
  not, or a source it quotes or cites negates what the other states ("the hospital said it had
  not admitted 340 patients"): a rewrite restates, a rebuttal negates.

The rest are *reused*. When a pair is credited or disputed and the reused pairs cover less than
``min_coverage`` of both articles, the edge is demoted to ``same-story``, with the pairs and the
counts as evidence.

A correspondent's own report of the same event is no rewrite either, though it states the same
facts in other words: it quotes its **own sources**. Where the speakers of each article are
known (the claims' sources that are people, by canonical entity: a garbled name is its
person's), a loose rewrite edge (below the paraphrase score that decides alone, aligned on
less than ``own_sources_max_coverage`` of both texts) is demoted when one article gives voice to
at least ``own_sources_min`` people the other never mentions, more than it keeps of the other's
speakers, and the other to at least one the first never mentions. An LLM rewrite keeps its
original's speakers and invents one at most, a condensed one drops some and adds none; an
independent report has its own witnesses, officials and experts (the stored edge keeps its reuse kind and rule as ``demoted_from`` /
``demoted_rule``, which :func:`newstrace.provenance.undo_reconcile` restores before the next
run judges it again). An edge with no credited or disputed pair is left alone: the rule never
changes a plain rewrite, whatever its coverage.

Two reporters of one event also bring **their own figures**: the victims' ages, the add-ons of a
fee, the vote count, the hour the fire started. A loose rewrite edge (aligned on less than
``own_figures_max_coverage`` of both texts) is demoted when each article states figures the
other never does, one at least ``own_figures_min`` of them, the other at least
``own_figures_other`` (numbers as the claims' slots read them, a rounding within
``figure_tolerance`` the same figure, years and 0 and 1 left out) and the one with fewer such
figures (either, where both have ``own_figures_alone``) gives voice to someone the other never
mentions. A rewrite keeps its original's figures and speakers; a condensed LLM restyle drops
speakers and may change a figure or two, but quotes nobody new.

A one-paragraph **brief** and the full report that follows it hours later hold nothing the
other lacks on the brief's side: every fact of the brief is in the report. So the tests above,
which ask each side for something of its own, cannot tell the report from a rewrite that padded
the brief out, and the report's own reporting would read as "embellishment". Time and size
can: a rewrite condenses or restyles what came before it. A rewrite edge is demoted when the
*later* article (by publication time; with no times the rule is not asked) is at least
``expansion_min_length`` times as long as the earlier one, less than
``expansion_max_coverage`` of its sentences align to it, and it states at least
``expansion_min_figures`` figures the earlier one never does and gives voice to at least
``expansion_min_voices`` people it never mentions (or states ``expansion_alone_figures``
figures of its own, whoever it quotes: a match report's crowd, minutes, points and ages). An
LLM that pads a brief out adds colour and perhaps a quote, seldom four figures of its own
(the held-out padded rewrite: 2.4 times its wire's length, 45 % of it aligned, no figure or
speaker of its own); where it does, its claims count as an independent report, which the
evidence (its own figures and speakers) lets a reader judge.

Reporters at one press conference hear the same people: their reports align on what the
speakers said (the same quote, word for word; the same announcement in other words) and on
little else. So a ``rewrite`` edge at any score whose aligned pairs are, all but a few,
**the same speaker's words** on both sides (each sentence holds a claim whose speaker the other
sentence's claim has too, by ``Voices``' spoken spans, or whose source one side left unresolved,
"the minister added"; or both quote the same six words), aligned on less than
``heard_max_coverage`` of both texts, is demoted when either article also gives voice to
someone the other never mentions. A rewrite of a briefing report paraphrases its narrative
too, and covers most of it.

A reporter says where a quote was heard: "Olsvik **told the Courier**", "Ovren told Podium",
"in a memo **seen by the Courier**". An article that says so of **its own outlet**
(:func:`own_interviews`: its name, acronym, or "the" and its last words) did that interview
itself; a rewrite of another outlet's article says it of the other outlet ("told KTA"), if at
all. So a loose ``rewrite`` edge (below the sure score, aligned on less than
``heard_max_coverage`` of both texts, no sentence credited or disputed) is demoted when both
articles have such a sentence that the edge does not align to the other, or the later one
has: the earlier one's interview alone is what a rewrite made from it may have dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from newstrace.attribution_crf import lexicon
from newstrace.claim_matching import slots
from newstrace.model import RESTATEMENT_KEY, AlignedPair, ReuseEdge
from newstrace.negation import negated_terms
from newstrace.reuse import ReuseConfig, content_terms
from newstrace.text import words

RULE = "restates or disputes the other article"
OWN_SOURCES_RULE = "reports with its own sources"
HEARD_RULE = "both report what the same people said"
OWN_FIGURES_RULE = "each gives figures the other lacks"
EXPANSION_RULE = "the later, longer article is mostly its own reporting"
OWN_INTERVIEW_RULE = "quotes what someone told its own outlet"


@dataclass(frozen=True)
class RestatementConfig:
    """``min_coverage``: the share of either article's sentences the *reused* pairs must cover
    for an edge with credited or disputed pairs to stay a rewrite. The reuse stage's bar for a
    rewrite below its "sure" score (``ReuseConfig.rewrite_min_coverage``): once an article
    visibly reports on the other, the rest of its overlap must be a rewrite's on its own."""

    min_coverage: float = ReuseConfig.rewrite_min_coverage
    own_sources_min: int = 2
    own_sources_max_coverage: float = 0.30
    own_sources_max_score: float = ReuseConfig.rewrite_certain
    #: Same speakers' words: at least this many such pairs, the other pairs under
    #: ``min_coverage`` of either text, all pairs under ``heard_max_coverage`` of both.
    heard_min_pairs: int = 4
    heard_max_coverage: float = 0.55
    #: Own figures: one article states at least ``own_figures_min`` figures the other never
    #: does, the other at least ``own_figures_other``, the one with fewer gives voice to
    #: someone the other never mentions (either, where both have ``own_figures_alone``), and
    #: the edge is aligned on less than ``own_figures_max_coverage`` of both texts.
    own_figures_min: int = 2
    own_figures_other: int = 1
    own_figures_alone: int = 3
    own_figures_max_coverage: float = 0.70
    figure_tolerance: float = 0.05
    #: Expansion: the later article has at least ``expansion_min_length`` times the earlier's
    #: words, less than ``expansion_max_coverage`` of its sentences aligned to it, at least
    #: ``expansion_min_figures`` figures and ``expansion_min_voices`` people of its own, or
    #: ``expansion_alone_figures`` figures whoever it quotes.
    expansion_min_length: float = 2.0
    expansion_max_coverage: float = 0.40
    expansion_min_figures: int = 4
    expansion_min_voices: int = 1
    expansion_alone_figures: int = 6


_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "pen": ("penned",)}


def _inflections(lemma: str) -> set[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", stem + "ed", stem + "ing", *_IRREGULAR.get(lemma, ())}
    if lemma.endswith("y") and lemma not in ("say",):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


class _Lexicon:
    """Single words and multi-word phrases, found in a text by token lookup (a pattern of a few
    hundred alternatives costs 75 microseconds a search: too much for every aligned pair)."""

    def __init__(self, entries: Iterable[str]) -> None:
        folded = {" ".join(e.casefold().split()) for e in entries}
        self.words = frozenset(e for e in folded if " " not in e)
        self.phrases = tuple(sorted(e for e in folded if " " in e))

    def found_in(self, text: str) -> bool:
        _, tokens, joined = _read(text)
        return bool(self.words & tokens) or any(f" {p} " in joined for p in self.phrases)


def _tokens(text: str) -> tuple[tuple[str, ...], frozenset[str], str]:
    """A text's words, and its casefolded words as a set and joined by spaces (padded)."""
    tokens = tuple(words(text))
    folded = [t.casefold() for t in tokens]
    return tokens, frozenset(folded), f" {' '.join(folded)} "


_read_sentence = lru_cache(maxsize=65_536)(_tokens)


def _read(text: str) -> tuple[tuple[str, ...], frozenset[str], str]:
    """:func:`_tokens`, kept for sentences (an article's sentences come up in every edge it
    has, so each is read once), not for whole articles (the cache would hold their texts)."""
    return _read_sentence(text) if len(text) <= 1_000 else _tokens(text)


@lru_cache(maxsize=1)
def _reporting() -> _Lexicon:
    """Reporting words of the attribution lexicon: speech and writing verbs in their common
    forms, cue nouns ("report", "statement") and "according to" / "citing"."""
    lex = lexicon()
    entries: set[str] = {"citing", "cited", "quoted", "quoting", "described", "reported", "reports", "reportedly"}
    for cls in ("speech", "writing"):
        for lemma in lex["cue_verbs"][cls]:
            entries |= _inflections(lemma)
    for noun in lex["cue_nouns"]["items"]:
        entries |= {noun, noun + "s"}
    return _Lexicon(entries | {p for p in lex["according_to"] if " " in p})


@lru_cache(maxsize=1)
def _denial() -> _Lexicon:
    """A denial: the lexicon's denial words ("denied", "false", "baseless") and the phrases a
    rebuttal states one with ("no evidence", "not true", "no such")."""
    entries = {*lexicon()["hedges"]["denied"], "no evidence", "not true", "no such", "never happened"}
    entries.discard("categorically")  # an intensifier: "categorically denied" has its denial word
    return _Lexicon(entries)


@lru_cache(maxsize=65_536)
def _content(text: str) -> frozenset[str]:
    return frozenset(content_terms(text))


_QUOTES = re.compile(r'["\u201c\u201d]')
_CLAIM_LABEL = re.compile(r"^\W*(?:the\s+|viral\s+|social\s+media\s+)?claims?\s*[:\u2013\u2014-]", re.IGNORECASE)
_MINOR = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "la", "le", "&"})


class OutletNames:
    """The outlets of a corpus, found in a text by word lookup (a corpus has thousands of
    outlets: one pattern each, tried on every sentence, would not scale).

    An outlet is named by its name (case-insensitive, a leading "The" and a trailing
    "(ACRONYM)" optional, at least six letters) or by its acronym, given in parentheses or made
    of the initials of a name of three or more words ("Veldorian State Information Agency":
    VSIA), in capitals. An acronym two outlets share names neither."""

    def __init__(self, outlets: Iterable[str | None]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        acronyms: dict[str, set[str]] = {}
        for outlet in sorted({o.strip() for o in outlets if o and o.strip()}):
            name, initials = _name_and_acronyms(outlet)
            if sum(ch.isalpha() for ch in " ".join(name)) >= 6:
                self._by_first.setdefault(name[0], []).append((name, outlet))
            for a in initials:
                acronyms.setdefault(a, set()).add(outlet)
        self._acronyms = {a: next(iter(o)) for a, o in acronyms.items() if len(o) == 1}

    def __bool__(self) -> bool:
        return bool(self._by_first or self._acronyms)

    def might_name(self, text: str) -> bool:
        """A cheap pre-test of :meth:`named` on a long text (an article): the first word of a
        name, or an acronym, occurs in it at all."""
        folded = text.casefold()
        return any(first in folded for first in self._by_first) or any(a in text for a in self._acronyms)

    def named(self, text: str) -> set[str]:
        """The outlets ``text`` names."""
        tokens, _, joined = _read(text)
        folded = joined.split()
        out = {o for t in tokens if (o := self._acronyms.get(t)) is not None}
        for i, t in enumerate(folded):
            for name, outlet in self._by_first.get(t, ()):
                if tuple(folded[i:i + len(name)]) == name:
                    out.add(outlet)
        return out


def _name_and_acronyms(outlet: str) -> tuple[tuple[str, ...], set[str]]:
    """An outlet's name as casefolded words (without "The" and a trailing "(ACRONYM)") and its
    acronyms (at least three capitals)."""
    name = outlet
    acronyms: set[str] = set()
    paren = re.search(r"\(([A-Z][A-Za-z]{1,9})\)\s*$", name)
    if paren:
        acronyms.add(paren.group(1))
        name = name[: paren.start()]
    parts = words(name)
    if parts and parts[0].casefold() == "the":
        parts = parts[1:]
    major = [w for w in parts if w.casefold() not in _MINOR]
    if len(major) >= 3 and all(w[:1].isupper() for w in major):
        acronyms.add("".join(w[0] for w in major))
    return tuple(w.casefold() for w in parts), {a for a in acronyms if len(a) >= 3 and a.isupper()}


def is_claim_label(sentence: str) -> bool:
    """Whether ``sentence`` is a fact check's "Claim: ..." line (the claim checked, restated)."""
    return _CLAIM_LABEL.match(sentence) is not None


def credited(sentence: str, other: str, outlets: OutletNames, own: str | None,
             other_own: str | None = None) -> str | None:
    """The outlet ``sentence`` credits for what it says (``"claim label"`` for a fact check's
    "Claim:" line), or None: a corpus outlet other than ``own`` (the sentence's publisher)
    named next to a reporting word, that ``other`` (the aligned sentence, published by
    ``other_own``) does not credit as well. The outlet's own article naming itself ("DORVIK,
    April 14 (VSIA) -") is no credit to keep."""
    if is_claim_label(sentence) and not is_claim_label(other):
        return "claim label"
    if not _reporting().found_in(sentence):
        return None
    own_key, other_key = (own or "").casefold(), (other_own or "").casefold()
    named = sorted(o for o in outlets.named(sentence) if o.casefold() != own_key)
    if not named:
        return None
    in_other = outlets.named(other)
    return next((o for o in named if o.casefold() == other_key or o not in in_other), None)


def disputes(sentence: str, other: str) -> bool:
    """Whether ``sentence`` says the opposite of ``other``: it denies ("denied", "no evidence
    that", "false") where ``other`` does not, or a source it quotes or cites negates a content
    word that ``other`` states ("the hospital said it had not admitted 340" against "340 were
    admitted"). Negation alone is not enough: restyled rewrites turn phrases round ("nothing
    short of", "left no doubt"), and a list states absences ("1940: No Nobel Prize was
    awarded") that its rewrite restates in other words."""
    if _denial().found_in(sentence) and not _denial().found_in(other):
        return True
    if not (_QUOTES.search(sentence) or _reporting().found_in(sentence)):
        return False
    return bool(negated_terms(sentence) & (_content(other) - negated_terms(other)))


def judge_pair(p: AlignedPair, outlets: OutletNames, outlet_a: str | None,
               outlet_b: str | None) -> dict[str, Any] | None:
    """Why the aligned pair ``p`` is no reuse (credited or disputed), or None when it may be."""
    for side, sent, other, own, other_own in (("a", p.a.text, p.b.text, outlet_a, outlet_b),
                                              ("b", p.b.text, p.a.text, outlet_b, outlet_a)):
        who = credited(sent, other, outlets, own, other_own)
        if who is not None:
            return {"a_index": p.a_index, "b_index": p.b_index, "why": "credited", "side": side, "credits": who}
    for side, sent, other in (("a", p.a.text, p.b.text), ("b", p.b.text, p.a.text)):
        if disputes(sent, other):
            return {"a_index": p.a_index, "b_index": p.b_index, "why": "disputed", "side": side}
    return None


#: Per article, the people it quotes or cites (claim sources) and the people it mentions, by
#: canonical name, and optionally where it gives someone's words: (start, end, key) per
#: attributed claim (its cue and content), the key the speaker's last word or "?".
Voices = dict[str, tuple[Any, ...]]


def new_voices(x: str, y: str, voices: Voices, text_y: str = "") -> set[str]:
    """The people ``x`` gives voice to that ``y`` never mentions. A person whose surname is in
    ``text_y`` is mentioned there, whatever the entity stage made of the mention ("Clinton"
    alone, a name it missed)."""
    if x not in voices or y not in voices:
        return set()
    in_y, folded_y = (_read(text_y)[1], text_y.casefold()) if text_y else (frozenset(), "")

    def mentioned(person: str) -> bool:
        """Its surname in ``text_y``: as a word, or inside one when long ("www.johnedwards.com")."""
        surname = person.split()[-1].casefold()
        return surname in in_y or (len(surname) >= 5 and surname in folded_y)

    return {p for p in voices[x][0] - voices[y][1] if not mentioned(p)}


def own_sources(x: str, y: str, voices: Voices, config: RestatementConfig = RestatementConfig(),
                text_x: str = "", text_y: str = "") -> dict[str, Any] | None:
    """Evidence that ``x`` and ``y`` report with sources of their own: ``x`` gives voice to at
    least ``own_sources_min`` people ``y`` never mentions, more than it keeps of ``y``'s
    speakers, and ``y`` to at least one that ``x`` never mentions. The second condition tells
    two reports from a condensed rewrite, which drops some of its original's speakers and
    adds none."""
    if x not in voices or y not in voices:
        return None
    new = new_voices(x, y, voices, text_y)
    kept = voices[y][0] & voices[x][1]
    if len(new) < config.own_sources_min or len(new) <= len(kept):
        return None
    theirs = new_voices(y, x, voices, text_x)
    if not theirs:
        return None
    return {"article": x, "new_speakers": sorted(new), "kept_speakers": sorted(kept), "other_new_speakers": sorted(theirs)}


def _speakers_at(voice: tuple[Any, ...], start: int, end: int) -> set[str]:
    """The speakers (last word, or "?" for an unresolved source) whose words overlap
    ``start:end`` of the article."""
    spoken = voice[2] if len(voice) > 2 else ()
    return {who for s, e, who in spoken if s < end and e > start}


_QUOTED = re.compile(r'["\u201c]([^"\u201c\u201d]{20,}?)["\u201d]')


def _quoted_runs(text: str) -> frozenset[tuple[str, ...]]:
    """Every run of six words inside quotation marks, casefolded."""
    out = set()
    for m in _QUOTED.finditer(text):
        ws = [w.casefold() for w in words(m.group(1))]
        out.update(tuple(ws[i:i + 6]) for i in range(len(ws) - 5))
    return frozenset(out)


def _heard_alike(a: set[str], b: set[str], text_a: str, text_b: str) -> list[str]:
    """Who both sentences give the words of: a speaker both name, one side's speaker where the
    other's is unresolved, or "(the same quote)" where they quote the same six words."""
    known = (a & b) - {"?"}
    if known:
        return sorted(known)
    if a and b and ("?" in a or "?" in b):
        return sorted((a | b) - {"?"}) or ["?"]
    if _quoted_runs(text_a) & _quoted_runs(text_b):
        return ["(the same quote)"]
    return []


def heard_candidate(e: ReuseEdge, config: RestatementConfig = RestatementConfig()) -> bool:
    """Whether ``e`` is a rewrite edge aligned on little enough of both texts for the
    same-speakers test."""
    f = e.features
    return (e.kind == "rewrite"
            and max(f.get("coverage_a", 0.0), f.get("coverage_b", 0.0)) < config.heard_max_coverage)


def _same_speakers(e: ReuseEdge, voices: Voices, config: RestatementConfig, text_of: dict[str, str]
                   ) -> dict[str, Any] | None:
    """The same-speakers evidence of a rewrite edge (module docstring), or None."""
    s, d = e.source_id, e.derived_id
    if not heard_candidate(e, config) or s not in voices or d not in voices:
        return None
    heard = []
    for p in e.pairs:
        both = _heard_alike(_speakers_at(voices[s], p.a.start, p.a.end), _speakers_at(voices[d], p.b.start, p.b.end),
                            p.a.text, p.b.text)
        if both:
            heard.append({"a_index": p.a_index, "b_index": p.b_index, "why": "same-speakers", "side": "a",
                          "speakers": sorted(both)})
    if len(heard) < config.heard_min_pairs:
        return None
    f = e.features
    aligned = f.get("aligned", len(e.pairs))
    other = len(e.pairs) - len(heard)
    sizes = [n for n in (_sentences(aligned, f.get("coverage_a", 0.0)), _sentences(aligned, f.get("coverage_b", 0.0)))
             if n]
    if not sizes or max(other / n for n in sizes) >= config.min_coverage:
        return None
    new = new_voices(s, d, voices, text_of.get(d, ""))
    theirs = new_voices(d, s, voices, text_of.get(s, ""))
    if not new and not theirs:
        return None
    return {"why": "same-speakers", "pairs": heard, "credited": 0, "disputed": 0, "reused": other,
            "source_new_speakers": sorted(new), "derived_new_speakers": sorted(theirs),
            "max_coverage": config.heard_max_coverage, "max_other": config.min_coverage}


def loose_rewrite(e: ReuseEdge, config: RestatementConfig = RestatementConfig()) -> bool:
    """Whether ``e`` is a rewrite edge loose enough for the own-sources test: below the score
    that decides alone, aligned on little of either text."""
    f = e.features
    return (e.kind == "rewrite" and e.score < config.own_sources_max_score
            and max(f.get("coverage_a", 0.0), f.get("coverage_b", 0.0)) < config.own_sources_max_coverage)


def _own_reporting(e: ReuseEdge, voices: Voices, config: RestatementConfig, text_of: dict[str, str]
                   ) -> dict[str, Any] | None:
    """The own-sources evidence of a loose rewrite edge (either article may be the report), with
    the pair counts a reader needs, or None."""
    if not loose_rewrite(e, config):
        return None
    d, s = e.derived_id, e.source_id
    found = (own_sources(d, s, voices, config, text_of.get(d, ""), text_of.get(s, ""))
             or own_sources(s, d, voices, config, text_of.get(s, ""), text_of.get(d, "")))
    if found is None:
        return None
    return {**found, "why": "own-sources", "pairs": [], "credited": 0, "disputed": 0, "reused": len(e.pairs),
            "max_coverage": config.own_sources_max_coverage, "max_score": config.own_sources_max_score}


def figures(text: str) -> frozenset[tuple[str, float]]:
    """The figures ``text`` states, as (kind, value): numbers and percentages read as
    :func:`newstrace.claim_matching.slots` reads them ("1,150" and "1150", "14m" and "14
    million" are one figure), less years (a rewrite may date what it restates) and 0 and 1
    (as often "a" or "one of" as a figure)."""
    out = set()
    for slot in slots(text):
        kind, _, value = slot.partition(":")
        if kind not in ("num", "pct"):
            continue
        v = float(value)
        if kind == "num" and (v < 2 or (1900 <= v <= 2100 and v.is_integer())):
            continue
        out.add((kind, v))
    return frozenset(out)


def _unmatched(xs: frozenset[tuple[str, float]], ys: frozenset[tuple[str, float]], tolerance: float
               ) -> list[tuple[str, float]]:
    """The figures of ``xs`` with none of ``ys`` of their kind within ``tolerance`` (relative):
    a rounding ("1.49" / "1.5") is the same figure."""
    return [x for x in xs if not any(k == x[0] and abs(v - x[1]) <= tolerance * max(abs(v), abs(x[1])) for k, v in ys)]


def figures_candidate(e: ReuseEdge, config: RestatementConfig = RestatementConfig()) -> bool:
    """Whether ``e`` is a rewrite edge aligned on little enough of both texts for the
    own-figures test."""
    f = e.features
    coverage = max(f.get("coverage_a", 0.0), f.get("coverage_b", 0.0))
    return e.kind == "rewrite" and coverage < config.own_figures_max_coverage


def own_figures(e: ReuseEdge, text_of: dict[str, str], voices: Voices,
                config: RestatementConfig = RestatementConfig(),
                known: dict[str, frozenset[tuple[str, float]]] | None = None) -> dict[str, Any] | None:
    """Evidence that the two articles of a loose rewrite edge each report for themselves: each
    states figures the other never does (one at least ``own_figures_min``, the other at least
    ``own_figures_other``), and the one with fewer such figures gives voice to someone the
    other never mentions, aligned on less than ``own_figures_max_coverage`` of both texts. A
    rewrite keeps its original's figures (a condensed one drops some and adds none) and its
    speakers; two reporters of one event each bring their own figures (a death toll's ages, a
    fee's add-ons, a vote's count, a time of day) and their own sources. Figures alone are not
    enough: an LLM restyle may turn "two dozen" into "twenty-four" and add a figure of its own,
    but it quotes nobody new."""
    if not figures_candidate(e, config):
        return None
    s, d = e.source_id, e.derived_id
    a, b = text_of.get(s), text_of.get(d)
    if not a or not b:
        return None
    known = {} if known is None else known  # an article's figures, read once per run
    fa = known[s] if s in known else known.setdefault(s, figures(a))
    fb = known[d] if d in known else known.setdefault(d, figures(b))
    only_a, only_b = _unmatched(fa, fb, config.figure_tolerance), _unmatched(fb, fa, config.figure_tolerance)
    n_a, n_b = len(only_a), len(only_b)
    if min(n_a, n_b) < config.own_figures_other or max(n_a, n_b) < config.own_figures_min:
        return None
    new, theirs = new_voices(s, d, voices, b), new_voices(d, s, voices, a)
    # The article with fewer figures of its own must give voice to someone new: a condensed or
    # restyled rewrite drops its original's speakers (so the original has "new" voices) and
    # may garble a figure, but brings nobody; a short report of its own does. Where each has
    # ``own_figures_alone`` or more, either may be the one quoting someone new.
    fewer = [new] if n_a < n_b else [theirs] if n_b < n_a else [new, theirs]
    if not any([new, theirs] if min(n_a, n_b) >= config.own_figures_alone else fewer):
        return None
    return {"why": "own-figures", "pairs": [], "credited": 0, "disputed": 0, "reused": len(e.pairs),
            "source_own_figures": [_shown(x) for x in sorted(only_a)[:12]],
            "derived_own_figures": [_shown(x) for x in sorted(only_b)[:12]], "own_counts": [len(only_a), len(only_b)],
            "shared_figures": len(fa) - len(only_a), "source_new_speakers": sorted(new),
            "derived_new_speakers": sorted(theirs),
            "min_figures": config.own_figures_min, "max_coverage": config.own_figures_max_coverage}


def expansion_candidate(e: ReuseEdge, config: RestatementConfig = RestatementConfig()) -> bool:
    """Whether ``e`` is a rewrite edge with one side aligned on little enough of its text (and
    the other on more of its own) for the expansion test: the articles worth asking who they
    quote."""
    f = e.features
    low, high = sorted((f.get("coverage_a", 0.0), f.get("coverage_b", 0.0)))
    return e.kind == "rewrite" and low < config.expansion_max_coverage and high > low


def expansion(e: ReuseEdge, text_of: dict[str, str], published_of: dict[str, Any], voices: Voices,
              config: RestatementConfig = RestatementConfig(),
              known: dict[str, frozenset[tuple[str, float]]] | None = None) -> dict[str, Any] | None:
    """Evidence that the later article of a rewrite edge is a fuller report of its own, not
    the earlier one padded out (see the module docstring), or None."""
    if not expansion_candidate(e, config):
        return None
    s, d = e.source_id, e.derived_id
    t_s, t_d = published_of.get(s), published_of.get(d)
    if t_s is None or t_d is None or t_s == t_d:
        return None
    early, late = (s, d) if t_s < t_d else (d, s)
    a, b = text_of.get(early), text_of.get(late)
    if not a or not b:
        return None
    words_early, words_late = len(a.split()), len(b.split())
    coverage = e.features.get("coverage_b" if late == d else "coverage_a", 0.0)
    if words_late < config.expansion_min_length * words_early or coverage >= config.expansion_max_coverage:
        return None
    known = {} if known is None else known
    fa = known[early] if early in known else known.setdefault(early, figures(a))
    fb = known[late] if late in known else known.setdefault(late, figures(b))
    own = _unmatched(fb, fa, config.figure_tolerance)
    if len(own) < config.expansion_min_figures:
        return None
    new = new_voices(late, early, voices, a)
    if len(new) < config.expansion_min_voices and len(own) < config.expansion_alone_figures:
        return None
    return {"why": "expansion", "pairs": [], "credited": 0, "disputed": 0, "reused": len(e.pairs),
            "article": late, "earlier": early, "words": [words_early, words_late],
            "later_coverage": round(coverage, 4), "own_figures": [_shown(x) for x in sorted(own)[:12]],
            "own_count": len(own), "new_speakers": sorted(new),
            "min_length": config.expansion_min_length, "max_coverage": config.expansion_max_coverage,
            "min_figures": config.expansion_min_figures}


def _shown(figure: tuple[str, float]) -> str:
    kind, value = figure
    return f"{value:g}" + ("%" if kind == "pct" else "")


def _sentences(aligned: float, coverage: float) -> int:
    """An article's sentence count, recovered from the edge's alignment figures."""
    return round(aligned / coverage) if coverage > 0 else 0


#: Words after which a text names whom a speaker gave their words, or a document, to: "told the
#: Courier", "speaking to Radio Arvenland", "in a memo seen by the Courier".
_GIVEN_TO = re.compile(r"\b(?:told|telling|tells|spoke\s+to|speaking\s+to|said\s+to|in\s+an\s+interview\s+with|"
                       r"interviewed\s+by|seen\s+by|obtained\s+by|shown\s+to)\s+(the\s+)?")
#: Last words of an outlet's name too common to name it alone ("told the News").
_GENERIC_OUTLET_WORDS = frozenset({"news", "radio", "tv", "television", "today", "daily", "online", "network",
                                   "agency", "service", "media", "fm"})


#: Where a name ends: not inside a word or a possessive, and no capitalised word right after it
#: ("told the National *Assembly*" names no outlet "National").
_NAME_ENDS = re.compile(r"(?![\w'\u2019])(?!\s+[A-Z])")

def _outlet_forms(outlet: str) -> tuple[frozenset[str], frozenset[str]]:
    """How an article names its own outlet after a speaker "told": its name without "The",
    its acronyms (:func:`_name_and_acronyms`, or a first word in capitals: "*TTV* News"), and,
    after "the", its last word or two ("the *Courier*", "the *Evening Post*")."""
    paren = re.search(r"\s*\(([A-Z][A-Za-z]{1,9})\)\s*$", outlet)
    name = outlet[: paren.start()] if paren else outlet
    parts = name.split()
    if parts and parts[0].casefold() == "the":
        parts = parts[1:]
    if not parts:
        return frozenset(), frozenset()
    alone = {" ".join(parts), *_name_and_acronyms(outlet)[1]}
    if paren:
        alone.add(paren.group(1))
    if re.fullmatch(r"[A-Z][A-Z0-9]{1,5}", parts[0]) and len(parts) > 1:
        alone.add(parts[0])
    after_the = {" ".join(parts[-2:])} if len(parts) >= 2 else set()
    if len(parts) >= 2 and len(parts[-1]) >= 4 and parts[-1].casefold() not in _GENERIC_OUTLET_WORDS:
        after_the.add(parts[-1])
    return frozenset(alone), frozenset(after_the)


def own_interviews(text: str, outlet: str | None) -> list[int]:
    """Where ``text`` says someone told its own ``outlet`` something ("Ovren told Podium",
    "Olsvik told the Courier", "a memo seen by the Courier"): the offsets of those mentions.
    The outlet heard it itself: a rewrite of another outlet's article says so of the other
    outlet ("told KTA"), if at all."""
    if not outlet or not outlet.strip():
        return []
    alone, after_the = _outlet_forms(outlet.strip())
    out = []
    for m in _GIVEN_TO.finditer(text):
        rest = text[m.end():]
        forms = alone | after_the if m.group(1) else alone
        if any(rest.startswith(f) and _NAME_ENDS.match(rest, len(f)) for f in forms):
            out.append(m.start())
    return out



def _own_interview(e: ReuseEdge, outlet_of: dict[str, str | None], text_of: dict[str, str],
                   published_of: dict[str, Any], config: RestatementConfig) -> dict[str, Any] | None:
    """The own-interview evidence of a loose rewrite edge, or None: both articles say that
    someone told their own outlet something, in sentences the edge does not align to the other
    article; or the later one does (by publication time). The earlier one's own interview
    alone says nothing: a rewrite made from it may have dropped the quote."""
    f = e.features
    if (e.kind != "rewrite" or e.score >= config.own_sources_max_score
            or max(f.get("coverage_a", 0.0), f.get("coverage_b", 0.0)) >= config.heard_max_coverage):
        return None
    heard = {}
    for side, x in (("a", e.source_id), ("b", e.derived_id)):
        aligned = [(getattr(p, side).start, getattr(p, side).end) for p in e.pairs]
        at = [k for k in own_interviews(text_of.get(x, ""), outlet_of.get(x))
              if not any(s <= k < t for s, t in aligned)]
        if at:
            heard[x] = at
    if len(heard) == 1:
        (x,) = heard
        y = e.derived_id if x == e.source_id else e.source_id
        px, py = published_of.get(x), published_of.get(y)
        if px is None or py is None or px <= py:
            return None
    if not heard:
        return None
    return {"articles": sorted(heard), "outlets": [outlet_of.get(x) for x in sorted(heard)],
            "at": [heard[x] for x in sorted(heard)], "why": "own-interview", "pairs": [], "credited": 0,
            "disputed": 0, "reused": len(e.pairs), "max_coverage": config.heard_max_coverage,
            "max_score": config.own_sources_max_score}


def demote_restatements(edges: Iterable[ReuseEdge], records: Iterable[Any],
                        config: RestatementConfig = RestatementConfig(),
                        voices: Voices | None = None) -> list[ReuseEdge]:
    """``edges`` with each ``rewrite`` edge whose overlap is restatement or dispute, or one
    article's own reporting, turned into ``same-story`` (see the module docstring); other edges
    unchanged. ``records`` carry the outlets (``reuse.Record``-like: ``id``, ``outlet``); the
    outlets of all of them are the names a sentence can credit. ``voices``: each article's
    speakers and people mentioned (none: the own-sources test is skipped)."""
    records = list(records)
    outlet_of = {r.id: r.outlet for r in records}
    text_of = {r.id: r.text for r in records}  # every text: the own-interview test needs no voices
    published_of = {r.id: r.published_at for r in records}
    outlets = OutletNames(outlet_of.values())
    known: dict[str, frozenset[tuple[str, float]]] = {}
    out = []
    for e in edges:
        if e.kind != "rewrite" or not e.pairs:
            out.append(e)
            continue
        own = _own_reporting(e, voices, config, text_of) if voices else None
        if own is not None:
            out.append(_demoted(e, own, (
                f"{OWN_SOURCES_RULE}: {len(own['new_speakers'])} people the other never mentions "
                f"({', '.join(own['new_speakers'][:4])}), {len(own['kept_speakers'])} of its speakers kept")))
            continue
        heard = _same_speakers(e, voices, config, text_of) if voices else None
        if heard is not None:
            speakers = sorted({w for p in heard["pairs"] for w in p["speakers"]})
            out.append(_demoted(e, heard, (
                f"{HEARD_RULE}: {len(heard['pairs'])} aligned sentence(s) give the words of "
                f"{', '.join(speakers[:4])} on both sides, {heard['reused']} other(s)")))
            continue
        judged = [j for p in e.pairs if (j := judge_pair(p, outlets, outlet_of.get(e.source_id),
                                                          outlet_of.get(e.derived_id))) is not None]
        f = e.features
        aligned = len(e.pairs)
        n_a = _sentences(f.get("aligned", aligned), f.get("coverage_a", 0.0))
        n_b = _sentences(f.get("aligned", aligned), f.get("coverage_b", 0.0))
        reused = aligned - len(judged)
        coverage = max(reused / n_a if n_a else 0.0, reused / n_b if n_b else 0.0)
        if not judged or coverage >= config.min_coverage:
            # No sentence credits or disputes the other: last, each article's own figures.
            figured = own_figures(e, text_of, voices, config, known) if voices else None
            if figured is not None:
                out.append(_demoted(e, figured, (
                    f"{OWN_FIGURES_RULE}: {figured['own_counts'][0]} and {figured['own_counts'][1]} numbers "
                    f"the other never states "
                    f"({', '.join(figured['source_own_figures'][:3])} / "
                    f"{', '.join(figured['derived_own_figures'][:3])})")))
                continue
            grown = expansion(e, text_of, published_of, voices, config, known) if voices else None
            interview = (_own_interview(e, outlet_of, text_of, published_of, config)
                         if grown is None and not judged else None)
            if interview is not None:
                out.append(_demoted(e, interview, (
                    f"{OWN_INTERVIEW_RULE}: {' and '.join(repr(o) for o in interview['outlets'])} heard it "
                    f"{'themselves' if len(interview['outlets']) > 1 else 'itself'}, in a sentence the other "
                    f"article has no counterpart of")))
                continue
            out.append(e if grown is None else _demoted(e, grown, (
                f"{EXPANSION_RULE}: {grown['words'][1]} words against {grown['words'][0]}, "
                f"{grown['later_coverage']:.2f} of it aligned, {grown['own_count']} numbers "
                f"({', '.join(grown['own_figures'][:3])}) and {len(grown['new_speakers'])} "
                f"{'person' if len(grown['new_speakers']) == 1 else 'people'} "
                f"({', '.join(grown['new_speakers'][:3])}) the earlier one never gives")))
            continue
        n_credited = sum(j["why"] == "credited" for j in judged)
        evidence = {"pairs": judged, "credited": n_credited, "disputed": len(judged) - n_credited,
                    "reused": reused, "reused_coverage": round(coverage, 4), "min_coverage": config.min_coverage}
        out.append(_demoted(e, evidence, (
            f"{RULE}: {n_credited} aligned sentence(s) credited to another outlet, "
            f"{len(judged) - n_credited} disputed, the {reused} left cover {coverage:.2f} < {config.min_coverage}")))
    return out


def _demoted(e: ReuseEdge, evidence: dict[str, Any], why: str) -> ReuseEdge:
    """``e`` as an undirected ``same-story`` edge, keeping what it was (for
    :func:`newstrace.provenance.undo_reconcile`) and why it is no reuse."""
    ev = {**e.direction_evidence, "demoted_from": e.kind, "demoted_rule": e.rule, RESTATEMENT_KEY: evidence}
    return replace(e, kind="same-story", directed=False, direction_evidence=ev, rule=f"{e.rule}; but {why}")

