"""Story clustering: join vs open, stable ids across batches, recorded merges, state round trip.

Vectors are hand-made unit vectors (one axis per event), so these tests need no model.
"""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.stories import StoryConfig, StoryIndex


def vec(axis: int, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = np.zeros(384, dtype=np.float32)
    v[axis] = 1.0
    v += noise * rng.standard_normal(384).astype(np.float32)
    return v / np.linalg.norm(v)


FERRY = "harbour authority night ferry route islands lindqvist"
MINE = "copper mine strike workers valley pay talks"


def test_join_existing_and_open_new() -> None:
    idx = StoryIndex()
    first = idx.add(["a1", "a2"], np.stack([vec(0, .05, 1), vec(0, .05, 2)]), [FERRY, FERRY + " june"])
    assert first[0] == first[1]
    second = idx.add(["a3", "b1"], np.stack([vec(0, .05, 3), vec(5, .05, 4)]), [FERRY + " crews", MINE])
    assert second[0] == first[0]  # joins the ferry story
    assert second[1] != first[0]  # opens a new one
    kinds = [(e.kind, e.article) for e in idx.events]
    assert ("join", "a3") in kinds and ("open", "b1") in kinds


def test_ids_stable_when_articles_arrive() -> None:
    idx = StoryIndex()
    idx.add(["a1", "b1"], np.stack([vec(0), vec(5)]), [FERRY, MINE])
    before = dict(zip(idx.ids, idx.story_of))
    idx.add(["c1", "a2"], np.stack([vec(9), vec(0, .05, 7)]), ["election turnout record city", FERRY])
    after = dict(zip(idx.ids, idx.story_of))
    assert all(after[a] == s for a, s in before.items())


def test_merge_is_recorded_and_older_id_survives() -> None:
    # Two stories that a bridging batch shows to be one: vectors halfway between them.
    cfg = StoryConfig(embed_weight=1.0, cut=0.6)
    idx = StoryIndex(config=cfg)
    mid = (vec(0) + vec(1)) / np.linalg.norm(vec(0) + vec(1))
    near0 = (3 * vec(0) + vec(1)) / np.linalg.norm(3 * vec(0) + vec(1))
    near1 = (vec(0) + 3 * vec(1)) / np.linalg.norm(vec(0) + 3 * vec(1))
    s = idx.add(["x", "y"], np.stack([near0, near1 * 0 + vec(1)]), ["a", "b"])
    assert s[0] != s[1]
    idx.add(["m1", "m2", "m3"], np.stack([mid, mid, near1]), ["c", "d", "e"])
    merges = [e for e in idx.events if e.kind == "merge"]
    assert merges, idx.events
    assert merges[0].story == min(s) and merges[0].from_story == max(s)
    assert len(set(idx.story_of)) == 1


def test_state_round_trip() -> None:
    idx = StoryIndex()
    idx.add(["a1", "b1"], np.stack([vec(0), vec(5)]), [FERRY, MINE], entities=[["e1"], []], times=[0.0, None])
    data, arr = idx.to_state()
    back = StoryIndex.from_state(data, arr)
    assert back.story_of == idx.story_of and back.events == idx.events
    assert back.add(["a2"], vec(0, .05, 9)[None, :], [FERRY]) == [idx.story_of[0]]


def test_duplicate_ids_rejected() -> None:
    idx = StoryIndex()
    idx.add(["a1"], vec(0)[None, :], [FERRY])
    with pytest.raises(ValueError):
        idx.add(["a1"], vec(0)[None, :], [FERRY])


@pytest.mark.slow
def test_real_embeddings_group_paraphrased_headlines() -> None:
    from newstrace.nlp import embed

    texts = ["Night ferry will link the two islands from June, harbour authority says",
             "Harbour authority announces island night ferry starting in June",
             "Copper miners walk out over pay in the northern valley"]
    labels = StoryIndex().add(["a", "b", "c"], embed(texts), texts)
    assert labels[0] == labels[1] != labels[2]
