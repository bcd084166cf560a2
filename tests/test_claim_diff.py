"""The weaken signal: added hedges and denials weaken; a plain restatement does not."""

from __future__ import annotations

from newstrace.claim_diff import weakens


def test_added_hedge_weakens() -> None:
    r = weakens("The authority confirmed the ferry will run from June.",
                "The ferry may reportedly run from June.")
    assert r.weakens and "may" in r.cues and "-confirmed" in r.cues


def test_restatement_does_not_weaken() -> None:
    r = weakens("The ferry will run from June.", "From June the ferry will run.")
    assert not r.weakens and r.cues == ()
