"""The "weaken" signal: does claim B weaken claim A (same story, another outlet)?

Lexicon-driven and pure. B weakens A when B adds hedging (may, reportedly, allegedly), adds
denial or contrast (denied, but, however, not), or drops A's attribution/certainty markers.
A small own lexicon is used because ``newstrace.hedging`` did not exist when this was written;
switch to it when it lands. This catches the hedge-changed and attribution-dropped cases of
issue 6; ClaimDiff's "weaken" label is broader (a contrasting fact without any cue word), which
a lexicon cannot see: see ``bench/claimdiff.py`` for the figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEDGES = frozenset("""may might could possibly perhaps reportedly allegedly apparently suggest suggests
suggested unclear unconfirmed likely unlikely appear appears appeared seem seems seemed claim claims
claimed purportedly estimated rumored rumoured""".split())
CONTRAST = frozenset("""denied denies deny rejected rejects reject disputed disputes dispute but however
although though despite refused refuses contrary false misleading no not never nor""".split())
CERTAINTY = frozenset("""confirmed confirms certainly clearly definitely proved proven shows showed
officially announced""".split())
_ATTRIBUTION = re.compile(r"\b(according to|said|says|told|stated)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class WeakenResult:
    """The decision, a score in [0, 1] and the cue words that produced it (the evidence)."""

    weakens: bool
    score: float
    cues: tuple[str, ...]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("n't", " not")))


def weakens(claim_a: str, claim_b: str, threshold: float = 1.0) -> WeakenResult:
    """Whether ``claim_b`` weakens ``claim_a``: cue counts added in B over A, weighted.

    Weights: an added hedge or denial/contrast counts 1, a certainty marker A has and B lacks
    counts 1, attribution present in A and missing in B counts 0.5. ``threshold`` 1.0 (one cue) was
    the best of 1, 1.5, 2, 3 on ClaimDiff-W train, the only split here: a whole-set choice.
    """
    wa, wb = _words(claim_a), _words(claim_b)
    added_hedge = sorted((wb - wa) & HEDGES)
    added_contrast = sorted((wb - wa) & CONTRAST)
    lost_certainty = sorted((wa - wb) & CERTAINTY)
    lost_attr = bool(_ATTRIBUTION.search(claim_a)) and not _ATTRIBUTION.search(claim_b)
    raw = len(added_hedge) + len(added_contrast) + len(lost_certainty) + 0.5 * lost_attr
    cues = tuple(added_hedge + added_contrast + [f"-{w}" for w in lost_certainty]
                 + (["-attribution"] if lost_attr else []))
    return WeakenResult(raw >= threshold, min(raw / (2 * threshold), 1.0), cues)


#: A statement put on unnamed others in the passive: "is reported to have failed", "is thought
#: to have begun", "are believed to be".
_PASSIVE_HEDGE = re.compile(r"\b(?:is|are|was|were|has been|have been|had been)\s+(?:widely\s+)?"
                            r"(reported|thought|believed|understood|said|alleged|suspected|rumou?red|feared)\s+to\b",
                            re.IGNORECASE)


def hedge_words(text: str) -> tuple[str, ...]:
    """The words of ``HEDGES`` that occur in ``text``, and the verbs of its passive hedges
    (:data:`_PASSIVE_HEDGE`), sorted.

    For text that is not an extracted claim (a sentence of a rewrite with no attribution cue,
    which the claim extractor therefore skips): the corroboration stage uses it to tell whether
    such a sentence kept the hedge of the claim it restates.
    """
    return tuple(sorted((_words(text) & HEDGES) | {m.group(1).casefold() for m in _PASSIVE_HEDGE.finditer(text)}))


def has_attribution(text: str) -> bool:
    """Whether ``text`` has an attribution marker ("according to", "said", "told", ...)."""
    return bool(_ATTRIBUTION.search(text))
