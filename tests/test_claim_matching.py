"""Claim matching: paraphrases match; a differing number or date vetoes; the ranker ranks."""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.claim_matching import (Claim, ClaimIndex, LexicalIndex, group_claims, match_pair, normalize_claim_text,
                                      slots, slots_conflict, word_number)


def test_slots_normalise_paraphrased_numbers() -> None:
    assert slots("about 1.5 million passengers") == slots("about 1,500,000 passengers")
    assert slots("70 per cent of crews") == slots("70% of crews")
    assert "date:6-3" in slots("from June 3")
    assert slots("turnout rose to 70%.") == {"pct:70"}  # a per cent sign ends a sentence too


def test_numbers_in_words() -> None:
    assert [word_number(w) for w in ("seven", "Seventeen", "thirty-seven", "ninety nine", "dozen", "thirty-ten")] == [
        7, 17, 37, 99, 12, None]
    assert slots("Thirty-seven were hurt") == {"num:37"} and slots("sixty thousand marched") == {"num:60000"}
    assert [word_number(w) for w in ("six hundred and fifty", "a hundred", "nine hundred ninety-nine",
                                     "hundred and ten", "eleven hundred")] == [650, 100, 999, 110, None]
    assert slots("Six hundred and fifty jobs") == {"num:650"}  # was 6, 100 and 50
    assert slots("one hundred and twenty-five people") == {"num:125"} and slots("hundreds of people") == set()


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
    found = group_claims(claims, v)
    assert ("a", "b") in [g.members for g in found.groups]
    assert any(m.rule == "slot-mismatch" for m in found.vetoed)
    assert all(not {"a", "c"} <= set(g.members) for g in found.groups)
    assert found.banned.pair(0, 2) and found.banned.pair(2, 0) and not found.banned.pair(0, 1)
    # Reported vetoes are those about the same thing; the ban holds either way.
    assert not group_claims(claims, v, report_cosine=0.999).vetoed


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
    assert group_claims(claims).groups[0].members == ("a", "b")


def _fake_embed(texts: list[str]) -> np.ndarray:
    return np.tile(np.eye(2, dtype=np.float32)[0], (len(texts), 1))


def test_shipped_ranker_matches_features() -> None:
    from newstrace.claim_matching import DEFAULT_WEIGHTS, FEATURES, RankConfig

    assert len(DEFAULT_WEIGHTS) == len(FEATURES) + 1
    assert RankConfig().weights == DEFAULT_WEIGHTS
    idx = ClaimIndex([Claim("1", "A night ferry links the islands.")], embed_fn=_fake_embed,
                     config=RankConfig(weights=(1.0, 0.0)))
    with pytest.raises(ValueError, match="train/claim_matching.py"):
        idx.rank([Claim("q", "night ferry")])


def test_duplicate_claims_collapse_to_first_listed() -> None:
    from newstrace.claim_matching import RankConfig, canonical_claims

    claims = [Claim("7", 'Senator said "put them in chains."', context="Did the senator say it?"),
              Claim("2", "Copper miners strike over pay."),
              Claim("9", "Senator said 'put them in CHAINS.'", context="Did the senator say it?")]
    assert canonical_claims(claims).tolist() == [0, 1, 0]
    idx = ClaimIndex(claims, embed_fn=_fake_embed)
    ranked = [c for c, _ in idx.rank([Claim("q", "senator chains")], k=3)[0]]
    assert ranked[0] == "7" and "9" not in ranked
    idx = ClaimIndex(claims, embed_fn=_fake_embed, config=RankConfig(collapse_duplicates=False))
    assert "9" in [c for c, _ in idx.rank([Claim("q", "senator chains")], k=3)[0]]


def test_features_have_one_column_per_feature() -> None:
    from newstrace.claim_matching import FEATURES

    claims = [Claim("1", "Jo Bloggs said the night ferry links the islands.", context="Ferry claim"),
              Claim("2", "Copper miners strike over pay.", context="Strike claim")]
    idx = ClaimIndex(claims, embed_fn=_fake_embed)
    q = Claim("q", "The ferry! #NightFerry — Jo Bloggs (@jobloggs) June 3, 2024")
    [(cand, feats)] = idx.features([q])
    assert feats.shape == (len(cand), len(FEATURES)) and np.isfinite(feats).all()
    row = dict(zip(FEATURES, feats[list(cand).index(0)]))
    assert row["sig_overlap"] == 1.0 and row["bm_b"] == 1.0


def test_fit_weights_pairwise_learns_the_order() -> None:
    from newstrace.claim_matching import fit_weights

    rng = np.random.default_rng(0)
    feats, labels = [], []
    for _ in range(40):
        x = rng.normal(size=(20, 3)).astype(np.float32)
        y = np.zeros(20, dtype=np.int8)
        y[int(np.argmax(x[:, 0] + 0.1 * x[:, 1]))] = 1
        feats.append(x)
        labels.append(y)
    w = fit_weights(feats, labels)
    assert len(w) == 4 and w[0] > abs(w[2]) and w[0] > 0
    hits = sum(int(np.argmax(x @ np.asarray(w[:-1]))) == int(np.argmax(y)) for x, y in zip(feats, labels))
    assert hits >= 36


def test_adapters_ship_and_default_to_identity() -> None:
    from newstrace.claim_matching import ADAPTERS, adapt, load_adapters

    adapters = load_adapters()
    assert set(adapters) == set(ADAPTERS)
    assert all(a.shape == (384, 384) and a.dtype == np.float32 for a in adapters.values())
    x = np.array([[3.0, 4.0]], dtype=np.float32)
    assert adapt(x, None) is x
    assert np.allclose(adapt(x, np.zeros((2, 2), dtype=np.float32)), [[0.6, 0.8]])
    # Toy 2-d vectors cannot use the 384-d adapters: the index falls back to the identity.
    idx = ClaimIndex([Claim("1", "A night ferry links the islands.")], embed_fn=_fake_embed)
    [(_, feats)] = idx.features([Claim("q", "night ferry")])
    from newstrace.claim_matching import FEATURES
    row = dict(zip(FEATURES, feats[0]))
    assert row["adq_text"] == row["qtext"]


def test_claim_density_is_the_mean_of_the_nearest_other_claims() -> None:
    from newstrace.claim_matching import claim_density

    v = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    # Rows 0 and 4 are records of one text: neither counts as the other's neighbour.
    canonical = np.array([0, 1, 2, 3, 0])
    d = claim_density(v, canonical, neighbours=2, sample=100, chunk=2)
    cos = v @ v.T
    for i in range(5):
        others = sorted((cos[i, j] for j in range(5) if canonical[j] != canonical[i]), reverse=True)
        assert d[i] == pytest.approx(np.mean(others[:2]), abs=1e-6)
    assert d[0] == d[4] and d[1] > d[3]
    # More neighbours than claims: the mean of all the others (the excluded copy counts -1).
    assert claim_density(v[:2], canonical[:2], neighbours=30, sample=100)[0] == pytest.approx(0.8)
    assert claim_density(v[:1], canonical[:1], neighbours=30, sample=100).tolist() == [0.0]
    # A sample of two claims (rows 0 and 4, one text): row 2 sees both, the others one or none.
    sampled = claim_density(v, canonical, neighbours=1, sample=2)
    assert sampled[2] == pytest.approx(0.6) and sampled[0] == pytest.approx(-1.0)


def test_density_features_come_from_the_claims_crowding() -> None:
    from newstrace.claim_matching import FEATURES, RankConfig

    claims = [Claim("1", "A night ferry links the islands."), Claim("2", "The night ferry links two islands."),
              Claim("3", "Copper miners strike over pay.")]
    vecs = np.array([[1.0, 0.0], [0.96, 0.28], [0.0, 1.0]], dtype=np.float32)
    idx = ClaimIndex(claims, vectors=vecs, context_vectors=vecs, both_vectors=vecs,
                     config=RankConfig(density_neighbours=1))
    [(cand, feats)] = idx.features([Claim("q", "night ferry islands")], np.array([[1.0, 0.0]], dtype=np.float32),
                                   np.array([[1.0, 0.0]], dtype=np.float32))
    rows = {int(c): dict(zip(FEATURES, f)) for c, f in zip(cand, feats)}
    assert rows[0]["dens_text"] == pytest.approx(0.96) and rows[2]["dens_text"] == pytest.approx(0.28)
    assert rows[0]["dens_adq_text"] == rows[0]["dens_text"]  # 2-d vectors: no adapter


def _reference_grouping(claims: list[Claim], vectors: np.ndarray, report_cosine: float | None
                        ) -> tuple[list[tuple[str, ...]], list[tuple[str, str, str, dict[str, float]]], np.ndarray]:
    """group_claims spelled out over every pair with whole matrices: what the blocked
    version must reproduce (groups, reported vetoes in (i, j) order, bans)."""
    n = len(claims)
    cos = vectors @ vectors.T
    tfidf = LexicalIndex([c.text for c in claims]).tfidf
    tf = (tfidf @ tfidf.T).toarray()
    banned = np.zeros((n, n), dtype=bool)
    matches, vetoed = [], []
    for i in range(n):
        for j in range(i + 1, n):
            m = match_pair(claims[i], claims[j], float(cos[i, j]), float(tf[i, j]))
            if m.same:
                matches.append(m)
            elif m.rule in ("slot-mismatch", "entity-mismatch"):
                banned[i, j] = banned[j, i] = True
                if report_cosine is None or m.signals["cosine"] >= report_cosine:
                    vetoed.append((m.a, m.b, m.rule, m.signals))
    at = {c.id: i for i, c in enumerate(claims)}
    group = list(range(n))
    for m in sorted(matches, key=lambda m: -m.score):
        ga, gb = group[at[m.a]], group[at[m.b]]
        a = [k for k in range(n) if group[k] == ga]
        b = [k for k in range(n) if group[k] == gb]
        if ga != gb and not banned[np.ix_(a, b)].any():
            group = [ga if g == gb else g for g in group]
    groups = sorted((tuple(claims[k].id for k in range(n) if group[k] == g) for g in set(group)),
                    key=lambda m: (-len(m), m))
    return groups, vetoed, banned


@pytest.mark.parametrize("seed", range(6))
def test_blocked_grouping_equals_the_whole_matrix_reading(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stories compared a few rows at a time (blocks of 1 to 40 rows) group, veto and ban exactly
    as every pair compared at once, whichever vetoes are reported; the bans also agree when
    asked pair by pair or by block."""
    import random

    import newstrace.claim_matching as cm

    rng = random.Random(seed)
    words = "ferry harbour fire crew mayor island council night strike port storm budget".split()
    numbers = ["", " 3 people", " 30 people", " 400 passengers", " on March 3", " on March 4",
               " 3 people on March 3", " 400 passengers on March 4"]
    people = [frozenset(), frozenset({"oyelaran"}), frozenset({"brandt"}), frozenset({"oyelaran", "brandt"})]
    n = 40
    base = [" ".join(rng.sample(words, 5)) for _ in range(8)]
    claims = []
    for i in range(n):
        text = rng.choice(base)
        if rng.random() < 0.5:
            text = " ".join(w for w in text.split() if rng.random() < 0.8) or text
        claims.append(Claim(f"c{i:02d}", text + rng.choice(numbers), entities=rng.choice(people)))
    np_rng = np.random.default_rng(seed)
    centres = np_rng.normal(size=(8, 16))
    vectors = np.stack([centres[base.index(rng.choice(base))] + 0.4 * np_rng.normal(size=16) for _ in range(n)])
    # Nearly unit vectors on a grid of eighths: every product is exact in float32, so the
    # cosines cannot depend on how the matrix product was blocked.
    vectors = (np.round(8 * vectors / np.linalg.norm(vectors, axis=1, keepdims=True)) / 8).astype(np.float32)
    for report in (None, 0.35):
        groups, vetoed, banned = _reference_grouping(claims, vectors, report)
        assert len(groups) < n and vetoed and banned.any()  # the fixture exercises every rule
        assert {v[2] for v in vetoed} == set(cm.VETO_RULES)
        for block, rules in ((n * n, cm.VETO_RULES), (7 * n, cm.VETO_RULES), (n, cm.VETO_RULES),
                             (7 * n, ("slot-mismatch",)), (n, ("entity-mismatch",)), (7 * n, ())):
            monkeypatch.setattr(cm, "_BLOCK_PAIRS", block)
            found = group_claims(claims, vectors, report_cosine=report, report_rules=rules)
            assert [g.members for g in found.groups] == groups
            assert [(m.a, m.b, m.rule, m.signals) for m in found.vetoed] == [v for v in vetoed if v[2] in rules]
            assert [[found.banned.pair(i, j) for j in range(n)] for i in range(n)] == banned.tolist()
            assert found.banned.block(range(n), range(n)).tolist() == banned.tolist()
            assert found.banned.any_between(range(20), range(20, n)) == banned[:20, 20:].any()
