"""Story clustering: join vs open, stable ids across batches, recorded merges and splits, state round trip.

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


def test_a_join_in_a_new_story_records_how_close_it_came() -> None:
    """A join inside the first batch carries the article's average similarity to the other
    members, as clustering saw it (the space, the entity bonus), so a reader can see how near
    the cut it was."""
    idx = StoryIndex()
    vectors = np.stack([vec(0, .05, 1), vec(0, .05, 2), vec(0, .3, 3), vec(5, .05, 4)])
    texts = [FERRY, FERRY + " june", FERRY + " crews", MINE]
    entities = [["ent:ferry"], ["ent:ferry"], [], []]
    idx.add(["a1", "a2", "a3", "b1"], vectors, texts, entities)
    joins = {e.article: e.score for e in idx.events if e.kind == "join"}
    assert set(joins) == {"a2", "a3"} and all(e.score is None for e in idx.events if e.kind == "open")
    x = idx._space().toarray()
    cfg = idx.config
    bonus = cfg.entity_bonus * 1.0  # a1 and a2 share their one entity: Jaccard 1
    expect_a2 = ((x[1] @ x[0] + bonus) + x[1] @ x[2]) / 2
    expect_a3 = (x[2] @ x[0] + x[2] @ x[1]) / 2
    assert joins["a2"] == pytest.approx(expect_a2, abs=1e-4)
    assert joins["a3"] == pytest.approx(expect_a3, abs=1e-4)
    assert joins["a3"] < joins["a2"] and joins["a3"] >= cfg.cut


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
    assert not [e for e in idx.events if e.kind == "split"]  # the merged story holds together


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def test_split_is_recorded_and_the_first_articles_part_keeps_the_id() -> None:
    # One story of two related articles; the next batch brings two separate developments,
    # each close enough to the story to join it, and together they show two events.
    cfg = StoryConfig(embed_weight=1.0, cut=0.6)
    idx = StoryIndex(config=cfg)
    s = idx.add(["x0", "x1"], np.stack([_unit(2 * vec(0) + vec(1)), _unit(vec(0) + 2 * vec(1))]), ["a", "b"])
    assert s[0] == s[1]
    idx.add(["n1", "n2", "n3", "m1", "m2", "m3"],
            np.stack([vec(0, .01, 1), vec(0, .01, 2), vec(0, .01, 3), vec(1, .01, 4), vec(1, .01, 5), vec(1, .01, 6)]),
            ["c", "d", "e", "f", "g", "h"])
    stories = idx.stories()
    assert sorted(stories[s[0]]) == ["n1", "n2", "n3", "x0"]  # the part with the first article
    split = [e for e in idx.events if e.kind == "split"]
    assert len(split) == 1 and split[0].from_story == s[0] and split[0].batch == 2
    assert sorted(stories[split[0].story]) == ["m1", "m2", "m3", "x1"]
    assert split[0].score is not None and split[0].score < cfg.cut
    # every article that joined first is still accounted for: joins, then the split
    assert {e.article for e in idx.events if e.kind == "join" and e.batch == 2} == {"n1", "n2", "n3", "m1", "m2", "m3"}
    # a later article of either development joins its own part; nothing merges them back
    idx.add(["m4"], vec(1, .01, 7)[None, :], ["i"])
    assert idx.story_of[-1] == split[0].story
    assert not [e for e in idx.events if e.kind == "merge"]


def test_an_article_that_joined_on_shared_entities_is_not_split_off_by_the_same_run() -> None:
    """The join counts the entity bonus; a split that left it out took the article straight
    back out again (a flood story's follow-up naming the same mayor and river)."""
    cfg = StoryConfig(embed_weight=1.0, cut=0.6, entity_bonus=0.2)
    idx = StoryIndex(config=cfg)
    s = idx.add(["x0", "x1"], np.stack([vec(0, .01, 1), vec(0, .01, 2)]), ["a", "b"],
                [["ent:aldra", "ent:sorve"], ["ent:aldra", "ent:sorve"]])
    follow = _unit(0.55 * vec(0) + 0.835 * vec(1))  # 0.55 to the story, 0.75 with the bonus
    out = idx.add(["f1"], follow[None, :], ["c"], [["ent:aldra", "ent:sorve"]])
    assert out == [s[0]] and not [e for e in idx.events if e.kind == "split"]


def test_an_article_close_to_two_stories_links_them() -> None:
    """A story's new article that passes the cut for another story too (a strike and a stadium
    loan shown to have one owner) records a link; the stories as wholes stay apart."""
    cfg = StoryConfig(embed_weight=1.0, cut=0.6)
    idx = StoryIndex(config=cfg)
    a = idx.add(["a1", "a2"], np.stack([vec(0, .01, 1), vec(0, .01, 2)]), ["a", "b"])
    c = idx.add(["c1", "c2"], np.stack([vec(1, .01, 3), vec(1, .01, 4)]), ["c", "d"])
    assert a[0] != c[0]
    both = _unit(vec(0) + 0.95 * vec(1))
    [joined] = idx.add(["b1"], both[None, :], ["e"])
    [link] = [e for e in idx.events if e.kind == "link"]
    assert link.article == "b1" and link.story == joined and {link.story, link.from_story} == {a[0], c[0]}
    assert link.score is not None and link.score >= cfg.cut
    assert len(set(idx.story_of)) == 2 and not [e for e in idx.events if e.kind == "merge"]


def test_stories_over_the_split_limit_are_left_whole() -> None:
    idx = StoryIndex(config=StoryConfig(embed_weight=1.0, cut=0.6, split_max=7))
    idx.add(["x0", "x1"], np.stack([_unit(2 * vec(0) + vec(1)), _unit(vec(0) + 2 * vec(1))]), ["a", "b"])
    idx.add(["n1", "n2", "n3", "m1", "m2", "m3"],
            np.stack([vec(0, .01, 1), vec(0, .01, 2), vec(0, .01, 3), vec(1, .01, 4), vec(1, .01, 5), vec(1, .01, 6)]),
            ["c", "d", "e", "f", "g", "h"])
    assert len(set(idx.story_of)) == 1 and not [e for e in idx.events if e.kind == "split"]


def test_a_coherent_story_is_not_split() -> None:
    idx = StoryIndex()
    idx.add(["a1", "a2"], np.stack([vec(0, .05, 1), vec(0, .05, 2)]), [FERRY, FERRY + " june"])
    idx.add(["a3", "a4", "b1"], np.stack([vec(0, .05, 3), vec(0, .05, 4), vec(5, .05, 5)]),
            [FERRY + " crews", FERRY + " timetable", MINE])
    assert not [e for e in idx.events if e.kind == "split"]


def test_entity_bonus_is_a_jaccard_of_entity_sets() -> None:
    idx = StoryIndex()
    idx.entities = [["a", "b"], ["b", "c"], [], ["a", "b"]]
    idx.times = [None] * 4
    idx.term_counts = [{"w": 3}] * 4  # short texts: no long-text shift
    bonus = idx._extra(np.array([0, 2]), np.array([1, 2, 3]))
    assert np.allclose(bonus, [[0.1 / 3, 0.0, 0.1], [0.0, 0.0, 0.0]])


def _long_text(topic: str, n: int = 70) -> str:
    return " ".join(f"{topic}{k % 35}" for k in range(n))


def test_long_texts_need_more_similarity_than_snippets() -> None:
    """Two texts whose similarity in the clustering space is 0.33: as snippets one story, as
    full-length articles (their 200 words share a subject's vocabulary) two."""
    shared = vec(0)
    a = shared + 1.06 * vec(7)
    b = shared + 1.06 * vec(9)
    vectors = np.stack([a / np.linalg.norm(a), b / np.linalg.norm(b)])
    short = StoryIndex()
    short.add(["s1", "s2"], vectors, ["mayor council budget", "mayor council roads"])
    long = StoryIndex()
    long.add(["l1", "l2"], vectors, [_long_text("budget"), _long_text("roads")])
    assert long._long([0, 1]).tolist() == [1.0, 1.0] and short._long([0, 1]).tolist() == [0.0, 0.0]
    x = long._space()
    assert 0.25 <= float((x[0] @ x[1].T).toarray()[0, 0]) < 0.25 + long.config.long_text_shift
    assert short.story_of[0] == short.story_of[1]
    assert long.story_of[0] != long.story_of[1]


def test_a_lone_article_of_a_small_batch_is_its_own_story() -> None:
    """Fragments are absorbed only when smaller than a share of the batch: in a batch of five
    the unrelated article is not pulled into the nearest story (it was, from the absorb floor 0.2 up)."""
    near = vec(0) + 2.85 * vec(5)
    vectors = np.stack([vec(0, .002, k) for k in range(4)] + [near / np.linalg.norm(near)])
    idx = StoryIndex()
    idx.add([f"a{k}" for k in range(5)], vectors, [FERRY] * 4 + [MINE])
    assert len(set(idx.story_of[:4])) == 1 and idx.story_of[4] != idx.story_of[0]


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


# --- the stories stage: what a split or merge means for the store ------------------------------


def _ingest(tmp_path, store_path, names_vectors) -> None:  # type: ignore[no-untyped-def]
    """Articles (made-up words, so the TF-IDF half of the similarity is near zero across them)
    with hand-made head vectors stored as if the reuse stage had embedded them."""
    from newstrace import api
    from newstrace.stages import ARTICLE_VECTOR_MODEL
    from newstrace.store import Store

    folder = tmp_path / f"in{len(list(tmp_path.glob('in*')))}"
    folder.mkdir()
    for name, _ in names_vectors:
        (folder / f"{name}.txt").write_text(f"Item {name}\nWords {name}alpha {name}beta {name}gamma {name}delta {name}eps.\n",
                                             encoding="utf-8")
    api.ingest([folder], store_path)
    with Store(store_path) as store:
        by_title = {a.title: a.id for a in store.articles()}
        with store.transaction():
            store.put_vectors(ARTICLE_VECTOR_MODEL, {by_title[f"Item {n}"]: v for n, v in names_vectors})


def test_stage_split_and_merge_keep_corroboration_consistent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newstrace.model import ClaimGroup
    from newstrace.progress import QUIET
    from newstrace.stages import AnalyzeConfig, run_stories
    from newstrace.store import Store

    db = tmp_path / "s.db"
    _ingest(tmp_path, db, [("x0", _unit(2 * vec(0) + vec(1))), ("x1", _unit(vec(0) + 2 * vec(1))),
                           ("y0", vec(7)), ("y1", vec(7, .01, 1)), ("w0", vec(8)), ("w1", vec(8, .01, 2))])
    with Store(db) as store:
        run_stories(store, QUIET, AnalyzeConfig())
        title = {a.id: a.title for a in store.articles()}
        first = {title[a][5:]: s for a, s in store.story_of().items()}
        assert first["x0"] == first["x1"] and first["y0"] == first["y1"] and first["w0"] == first["w1"]
        assert len({first["x0"], first["y0"], first["w0"]}) == 3
        with store.transaction():  # as if corroboration had run on the first batch
            for sid in set(first.values()):
                store.replace_corroboration(sid, [ClaimGroup(f"g-{sid}", sid, [], [], [], [], "claim")], [])
            store.mark_done("corroboration", "1", list(title))

    # x's story branches into two developments; articles between y and w show them to be one
    mid = _unit(vec(7) + vec(8))
    _ingest(tmp_path, db, [("n1", vec(0, .01, 3)), ("n2", vec(0, .01, 4)), ("n3", vec(0, .01, 5)),
                           ("m1", vec(1, .01, 6)), ("m2", vec(1, .01, 7)), ("m3", vec(1, .01, 8)),
                           ("b1", mid), ("b2", mid), ("b3", mid)])
    with Store(db) as store:
        run_stories(store, QUIET, AnalyzeConfig())
        title = {a.id: a.title for a in store.articles()}
        now = {title[a][5:]: s for a, s in store.story_of().items()}
        events = store.story_events()
        splits = [e for e in events if e["kind"] == "split"]
        merges = [e for e in events if e["kind"] == "merge"]
        assert len(splits) == 1 and splits[0]["from_story"] == first["x0"], events
        assert now["x0"] == now["n1"] == first["x0"] and now["x1"] == now["m1"] == splits[0]["story"]
        assert len(merges) == 1 and now["y0"] == now["w0"] == now["b1"]
        gone = merges[0]["from_story"]
        live = {st.id for st in store.stories()}
        assert gone not in live and {g.story_id for g in store.claim_groups()} == live - {splits[0]["story"]}
        # every story whose membership changed is corroborated again, earlier articles included
        pending = {title[a][5:] for a in store.pending("corroboration", "1")}
        assert {"x0", "x1", "y0", "w0"} <= pending
        # the story that was split shows it among its own events, as the new one does
        assert splits[0] in store.story_events(first["x0"]) and splits[0] in store.story_events(splits[0]["story"])


def test_articles_of_one_outlet_need_more_similarity() -> None:
    """Two items of one local paper that share only its house style (byline, town) stay
    apart; the same pair from two outlets, or an outlet's two reports of one event, join."""
    def stories(outlets: list[str | None], similarity: float) -> int:
        idx = StoryIndex(StoryConfig(long_text_shift=0.0))
        other = float(np.sqrt(1 - similarity ** 2))
        vectors = np.array([[1.0, 0.0], [similarity, other]], dtype=np.float32)
        vectors = np.hstack([vectors, np.zeros((2, 382), dtype=np.float32)])
        idx.add(["a", "b"], vectors, ["harbour repairs", "market season"], outlets=outlets)
        return len(idx.stories())

    # 0.7 x 0.45 = 0.315 in the mixed space (no words shared), 0.215 with the shift: cut 0.25.
    assert stories(["Riverton Gazette", "Riverton Gazette"], 0.45) == 2
    assert stories(["Riverton Gazette", "Coast Daily"], 0.45) == 1
    assert stories([None, None], 0.45) == 1
    assert stories(["Riverton Gazette", "riverton gazette "], 0.9) == 1
    state, vectors = StoryIndex().to_state()
    assert StoryIndex.from_state(state, vectors).outlets == []


def _events_and_lone(shared: list[str], second: list[str] | None = None, batches: int = 1
                     ) -> tuple[StoryIndex, dict[str, str]]:
    """Five stories of two articles each (one axis per event; every article names the country)
    and a lone report of the first event whose head is mostly about something else (below the
    cut), naming ``shared`` of the first event's entities (and ``second`` of the second's); in
    one batch or, with ``batches`` 2, the lone report later on its own."""
    ids, vectors, texts, entities = [], [], [], []
    for k in range(5):
        for j in range(2):
            ids.append(f"e{k}{j}")
            vectors.append(vec(k, .02, 10 * k + j))
            texts.append(f"event{k} word{k} thing{k}")
            entities.append(["ent:country", *(f"ent:{k}:{n}" for n in range(4))])
    lone = 0.25 * vec(0) + (0.25 * vec(1) if second else 0) + 0.95 * vec(9)
    lone_entities = ["ent:country", *shared, *(second or [])]
    idx = StoryIndex()
    if batches == 1:
        got = idx.add(ids + ["lone"], np.stack(vectors + [lone / np.linalg.norm(lone)]),
                      texts + ["harvest fair parade"], entities + [lone_entities])
        return idx, dict(zip(ids + ["lone"], got))
    got = idx.add(ids, np.stack(vectors), texts, entities)
    got += idx.add(["lone"], np.stack([lone / np.linalg.norm(lone)]), ["harvest fair parade"], [lone_entities])
    return idx, dict(zip(ids + ["lone"], got))


@pytest.mark.parametrize("batches", [1, 2])
def test_a_lone_report_naming_an_events_people_and_places_joins_its_story(batches: int) -> None:
    """A report of the landslide that opens with the rescued shepherd, not the death toll, is
    under the cut on its head, but names three of the event's specific entities: it joins the
    event's story, and the join says which entities and how close it came. The country, which
    every story names, is no evidence; two shared entities are not enough, and a report naming
    three of each of two stories' stays alone."""
    idx, story = _events_and_lone(["ent:0:0", "ent:0:1", "ent:0:2"], batches=batches)
    assert story["lone"] == story["e00"]
    [join] = [e for e in idx.events if e.article == "lone"]
    assert join.kind == "join" and join.shared == ["ent:0:0", "ent:0:1", "ent:0:2"]
    assert idx.config.attach_floor <= join.score < idx.config.cut
    assert StoryIndex.from_state(*idx.to_state()).events == idx.events

    idx, story = _events_and_lone(["ent:0:0", "ent:0:1"], batches=batches)
    assert story["lone"] not in {story[f"e{k}0"] for k in range(5)}
    idx, story = _events_and_lone(["ent:0:0", "ent:0:1", "ent:0:2"], ["ent:1:0", "ent:1:1", "ent:1:2"],
                                  batches=batches)
    assert story["lone"] not in {story[f"e{k}0"] for k in range(5)}


def test_a_pair_of_reports_the_cut_left_together_joins_their_story_only_together() -> None:
    """Two reports of the first event that lead on another angle (a business daily and a
    national paper on the rocket maker's shares) are close to each other, under the cut for
    the event's story, and each names three of its specific entities: both join it. Where
    only one of them names them, the pair stays a story of its own."""
    def run(second: list[str]) -> tuple[StoryIndex, dict[str, str]]:
        ids, vectors, entities = [], [], []
        for k in range(5):  # stories of three: a pair joins only a larger story
            for j in range(3):
                ids.append(f"e{k}{j}")
                vectors.append(vec(k, .02, 10 * k + j))
                entities.append(["ent:country", *(f"ent:{k}:{n}" for n in range(4))])
        for j, named in enumerate((["ent:0:0", "ent:0:1", "ent:0:2"], second)):
            v = 0.25 * vec(0) + 0.95 * vec(9) + 0.05 * vec(8, seed=j)
            ids.append(f"p{j}")
            vectors.append(v / np.linalg.norm(v))
            entities.append(["ent:country", *named])
        texts = [f"event{k} word{k} thing{k}" for k in range(5) for _ in range(3)] + ["harvest fair parade"] * 2
        idx = StoryIndex()
        got = idx.add(ids, np.stack(vectors), texts, entities)
        return idx, dict(zip(ids, got))

    idx, story = run(["ent:0:0", "ent:0:1", "ent:0:3"])
    assert story["p0"] == story["p1"] == story["e00"]
    assert {e.article: e.shared for e in idx.events if e.article in ("p0", "p1")} == {
        "p0": ["ent:0:0", "ent:0:1", "ent:0:2"], "p1": ["ent:0:0", "ent:0:1", "ent:0:3"]}
    idx, story = run(["ent:0:0"])
    assert story["p0"] == story["p1"] != story["e00"]


def test_a_lone_report_that_joined_on_shared_entities_is_not_split_off_later() -> None:
    """A later article of the event re-clusters its story (the split check): the lone report,
    below the cut but joined on the entities it shares, stays."""
    idx, story = _events_and_lone(["ent:0:0", "ent:0:1", "ent:0:2"], batches=2)
    idx.add(["e02"], np.stack([vec(0, .02, 99)]), ["event0 word0 thing0 update"],
            [["ent:country", "ent:0:0", "ent:0:3"]])
    assert idx.stories()[story["e00"]] == ["e00", "e01", "lone", "e02"]
    assert not [e for e in idx.events if e.kind == "split"]
