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
  does not name it (a rewrite that keeps "VSIA reports" reuses the credit line, it does not
  credit anew); or it is a fact check's "Claim:" line;
* **disputed**: one sentence denies ("denied", "no evidence that", "false") and the other does
  not, or a source it quotes or cites negates what the other states ("the hospital said it had
  not admitted 340 patients"): a rewrite restates, a rebuttal negates.

The rest are *reused*. When a pair is credited or disputed and the reused pairs cover less than
``min_coverage`` of both articles, the edge is demoted to ``same-story``, with the pairs and the
counts as evidence (the stored edge keeps its reuse kind and rule as ``demoted_from`` /
``demoted_rule``, which :func:`newstrace.provenance.undo_reconcile` restores before the next
run judges it again). An edge with no credited or disputed pair is left alone: the rule never
changes a plain rewrite, whatever its coverage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from newstrace.attribution_crf import lexicon
from newstrace.model import RESTATEMENT_KEY, AlignedPair, ReuseEdge
from newstrace.reuse import ReuseConfig, content_terms

RULE = "restates or disputes the other article"


@dataclass(frozen=True)
class RestatementConfig:
    """``min_coverage``: the share of either article's sentences the *reused* pairs must cover
    for an edge with credited or disputed pairs to stay a rewrite. The reuse stage's bar for a
    rewrite below its "sure" score (``ReuseConfig.rewrite_min_coverage``): once an article
    visibly reports on the other, the rest of its overlap must be a rewrite's on its own."""

    min_coverage: float = ReuseConfig.rewrite_min_coverage


_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "pen": ("penned",)}


def _inflections(lemma: str) -> set[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", stem + "ed", stem + "ing", *_IRREGULAR.get(lemma, ())}
    if lemma.endswith("y") and lemma not in ("say",):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


@lru_cache(maxsize=1)
def _reporting() -> re.Pattern[str]:
    """Reporting words of the attribution lexicon: speech and writing verbs in their common
    forms, cue nouns ("report", "statement") and "according to" / "citing"."""
    lex = lexicon()
    words: set[str] = {"citing", "cited", "quoted", "quoting", "described", "reported", "reports", "reportedly"}
    for cls in ("speech", "writing"):
        for lemma in lex["cue_verbs"][cls]:
            words |= _inflections(lemma)
    for noun in lex["cue_nouns"]["items"]:
        words |= {noun, noun + "s"}
    phrases = [p for p in lex["according_to"] if " " in p]
    alternatives = sorted(words | set(phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in alternatives) + r")(?!\w)",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _denial() -> re.Pattern[str]:
    """A denial: the lexicon's denial words ("denied", "false", "baseless") and the phrases a
    rebuttal states one with ("no evidence", "not true", "no such")."""
    words = {*lexicon()["hedges"]["denied"], "no evidence", "not true", "no such", "never happened"}
    words.discard("categorically")  # an intensifier: "categorically denied" has its denial word
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                              for w in sorted(words, key=len, reverse=True)) + r")(?!\w)",
                      re.IGNORECASE)


#: A negation and the (up to three) words after it: "had not admitted", "never ordered" (in a
#: lookahead, so that "no deaths and nobody is in intensive care" yields both windows).
_NEGATED = re.compile(r"(?:(?<!\w)(?:not|never|no|nobody|none|neither)|n['\u2019]t)(?=((?:\s+[\w'\u2019-]+){1,3}))",
                      re.IGNORECASE)


def negated_terms(text: str) -> set[str]:
    """Content terms within three words after a negation: what ``text`` says is not so ("had
    not admitted 340 patients": admitted, 340)."""
    return {t for m in _NEGATED.finditer(text) for t in content_terms(m.group(1))}


_QUOTES = re.compile(r'["\u201c\u201d]')
_CLAIM_LABEL = re.compile(r"^\W*(?:the\s+|viral\s+|social\s+media\s+)?claims?\s*[:\u2013\u2014-]", re.IGNORECASE)
_MINOR = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "la", "le", "&"})


def outlet_aliases(outlet: str | None) -> tuple[re.Pattern[str], ...]:
    """Patterns that name ``outlet`` in a text: its name (case-insensitive, a leading "The" and
    a trailing "(ACRONYM)" optional, at least 6 letters) and its acronym, given in parentheses
    or made of the initials of a name of three or more words ("Veldorian State Information
    Agency": VSIA), matched case-sensitively."""
    if not outlet or not outlet.strip():
        return ()
    name = outlet.strip()
    acronyms: set[str] = set()
    paren = re.search(r"\(([A-Z][A-Za-z]{1,9})\)\s*$", name)
    if paren:
        acronyms.add(paren.group(1))
        name = name[: paren.start()].strip()
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    words = name.split()
    major = [w for w in words if w.lower() not in _MINOR]
    if len(major) >= 3 and all(w[:1].isupper() for w in major):
        acronyms.add("".join(w[0] for w in major))
    out = []
    if sum(ch.isalpha() for ch in name) >= 6:
        out.append(re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE))
    out += [re.compile(r"(?<![\w-])" + re.escape(a) + r"(?![\w-])") for a in sorted(acronyms) if len(a) >= 3]
    return tuple(out)


def _names(text: str, aliases: Sequence[re.Pattern[str]]) -> bool:
    return any(p.search(text) for p in aliases)


def is_claim_label(sentence: str) -> bool:
    """Whether ``sentence`` is a fact check's "Claim: ..." line (the claim checked, restated)."""
    return _CLAIM_LABEL.match(sentence) is not None


def credited(sentence: str, other: str, outlets: Mapping[str, Sequence[re.Pattern[str]]], own: str | None,
             other_own: str | None = None) -> str | None:
    """The outlet ``sentence`` credits for what it says (``"claim label"`` for a fact check's
    "Claim:" line), or None: a corpus outlet other than ``own`` (the sentence's publisher)
    named next to a reporting word, that ``other`` (the aligned sentence, published by
    ``other_own``) does not credit as well. The outlet's own article naming itself ("DORVIK,
    April 14 (VSIA) -") is no credit to keep."""
    if is_claim_label(sentence) and not is_claim_label(other):
        return "claim label"
    if not _reporting().search(sentence):
        return None
    own_key, other_key = (own or "").casefold(), (other_own or "").casefold()
    for outlet, aliases in outlets.items():
        if outlet.casefold() == own_key or not aliases:
            continue
        if _names(sentence, aliases) and (outlet.casefold() == other_key or not _names(other, aliases)):
            return outlet
    return None


def disputes(sentence: str, other: str) -> bool:
    """Whether ``sentence`` says the opposite of ``other``: it denies ("denied", "no evidence
    that", "false") where ``other`` does not, or a source it quotes or cites negates a content
    word that ``other`` states ("the hospital said it had not admitted 340" against "340 were
    admitted"). Negation alone is not enough: restyled rewrites turn phrases round ("nothing
    short of", "left no doubt"), and a list states absences ("1940: No Nobel Prize was
    awarded") that its rewrite restates in other words."""
    if _denial().search(sentence) and not _denial().search(other):
        return True
    if not (_reporting().search(sentence) or _QUOTES.search(sentence)):
        return False
    return bool(negated_terms(sentence) & (set(content_terms(other)) - negated_terms(other)))


def judge_pair(p: AlignedPair, outlets: Mapping[str, Sequence[re.Pattern[str]]], outlet_a: str | None,
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


def _sentences(aligned: float, coverage: float) -> int:
    """An article's sentence count, recovered from the edge's alignment figures."""
    return round(aligned / coverage) if coverage > 0 else 0


def demote_restatements(edges: Iterable[ReuseEdge], records: Iterable[Any],
                        config: RestatementConfig = RestatementConfig()) -> list[ReuseEdge]:
    """``edges`` with each ``rewrite`` edge whose overlap is restatement or dispute turned into
    ``same-story`` (see the module docstring); other edges unchanged. ``records`` carry the
    outlets (``reuse.Record``-like: ``id``, ``outlet``); the outlets of all of them are the
    names a sentence can credit."""
    outlet_of = {r.id: r.outlet for r in records}
    outlets = {o: outlet_aliases(o) for o in sorted({o for o in outlet_of.values() if o})}
    out = []
    for e in edges:
        if e.kind != "rewrite" or not e.pairs:
            out.append(e)
            continue
        judged = [j for p in e.pairs if (j := judge_pair(p, outlets, outlet_of.get(e.source_id),
                                                          outlet_of.get(e.derived_id))) is not None]
        if not judged:
            out.append(e)
            continue
        f = e.features
        aligned = len(e.pairs)
        n_a = _sentences(f.get("aligned", aligned), f.get("coverage_a", 0.0))
        n_b = _sentences(f.get("aligned", aligned), f.get("coverage_b", 0.0))
        reused = aligned - len(judged)
        coverage = max(reused / n_a if n_a else 0.0, reused / n_b if n_b else 0.0)
        if coverage >= config.min_coverage:
            out.append(e)
            continue
        n_credited = sum(j["why"] == "credited" for j in judged)
        evidence = {"pairs": judged, "credited": n_credited, "disputed": len(judged) - n_credited,
                    "reused": reused, "reused_coverage": round(coverage, 4), "min_coverage": config.min_coverage}
        ev = {**e.direction_evidence, "demoted_from": e.kind, "demoted_rule": e.rule, RESTATEMENT_KEY: evidence}
        out.append(replace(
            e, kind="same-story", directed=False, direction_evidence=ev,
            rule=(f"{e.rule}; but {RULE}: {n_credited} aligned sentence(s) credited to another outlet, "
                  f"{len(judged) - n_credited} disputed, the {reused} left cover {coverage:.2f} < {config.min_coverage}")))
    return out

