"""Claim matching: paraphrases match; a differing number or date vetoes; the ranker ranks."""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.claim_matching import (Claim, ClaimIndex, group_claims, match_pair, normalize_claim_text,
                                      slots, slots_conflict)


def test_slots_normalise_paraphrased_numbers() -> None:
    assert slots("about 1.5 million passengers") == slots("about 1,500,000 passengers")
    assert slots("70 per cent of crews") == slots("70% of crews")
    assert "date:6-3" in slots("from June 3")


def test_number_mismatch_is_not_the_same_claim() -> None:
    a = Claim("a", "The night ferry will carry 400 passengers a night.")
    b = Claim("b", "The night ferry will carry 40 passengers a night.")
    m = match_pair(a, b, cos=0.97, lexical=0.9)
    assert not m.same and m.rule == "slot-mismatch"


def test_date_mismatch_is_not_the_same_claim() -> None:
    assert slots_conflict(slots("The route opens on June 3."), slots("The route opens on June 13."))


def test_paraphrase_matches_with_rule() -> None:
    a = Claim("a", "Marta Oyelaran said the ferry expects 400 passengers nightly.", frozenset({"oyelaran"}))
    b = Claim("b", "About 400 people a night are expected on the ferry, according to Oyelaran.",
              frozenset({"oyelaran"}))
    m = match_pair(a, b, cos=0.7, lexical=0.35)
    assert m.same and m.rule == "paraphrase+support"


def test_group_claims_keeps_contradiction_apart() -> None:
    claims = [Claim("a", "Three crew members were injured in the ferry fire."),
              Claim("b", "The ferry fire injured three of the crew."),
              Claim("c", "Thirty crew members were injured in the ferry fire.")]
    v = np.array([[1, 0], [0.99, 0.141], [0.98, 0.199]], dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    groups, vetoed = group_claims(claims, v)
    assert ("a", "b") in [g.members for g in groups]
    assert any(m.rule == "slot-mismatch" for m in vetoed)
    assert all(not {"a", "c"} <= set(g.members) for g in groups)


def test_tweet_normalisation() -> None:
    t = "Ferry fire! #NightFerry pic.twitter.com/abc — Jo Bloggs (@jobloggs) June 3, 2024"
    assert normalize_claim_text(t, social=True) == "Ferry fire! Night Ferry"
    assert "pic.twitter" not in normalize_claim_text(t)


def test_index_ranks_lexical_match_first() -> None:
    claims = [Claim("1", "A night ferry links the islands."), Claim("2", "Copper miners strike over pay.")]
    fake = lambda texts: np.tile(np.eye(2, dtype=np.float32)[0], (len(texts), 1))  # noqa: E731
    idx = ClaimIndex(claims, embed_fn=fake)
    assert idx.rank([Claim("q", "miners strike for pay")], k=2)[0][0][0] == "2"


@pytest.mark.slow
def test_real_paraphrase_grouping() -> None:
    claims = [Claim("a", "The harbour authority will open a night ferry between the islands."),
              Claim("b", "A night ferry between the islands is being opened by the harbour authority."),
              Claim("c", "Copper miners in the valley went on strike.")]
    groups, _ = group_claims(claims)
    assert groups[0].members == ("a", "b")
