"""Provenance: edge direction from time, garbling and information content; origin groups."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newstrace.model import ReuseEdge
from newstrace.provenance import chain_to_origin, direct_edges, info_profile, origin_groups, upstream_by_info
from newstrace.reuse import Record, detect_reuse
from newstrace.text import split_sentences

from reuse_fixtures import COPY, EDIT, ORIGINAL, REWRITE, SAME_STORY, UNRELATED

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def edge(a: str, b: str, kind: str = "rewrite", score: float = 0.7) -> ReuseEdge:
    return ReuseEdge(source_id=a, derived_id=b, kind=kind, score=score, rule="test")


def test_rewrite_has_less_information_than_its_original() -> None:
    orig, rw = info_profile(ORIGINAL), info_profile(REWRITE)
    assert orig.numbers > rw.numbers and orig.quotes > rw.quotes and rw.framing > orig.framing
    assert upstream_by_info(orig, rw)[0] == 1


def test_direction_from_information_content() -> None:
    recs = [Record("a", REWRITE), Record("b", ORIGINAL)]
    (e,) = direct_edges([edge("a", "b")], recs)
    assert e.directed and e.source_id == "b" and e.derived_id == "a"
    assert e.direction_evidence["rule"].startswith("information content")


def test_direction_from_time_beats_content() -> None:
    # The condensed text was published first: time is the stronger evidence.
    recs = [Record("a", REWRITE, T0), Record("b", ORIGINAL, T0 + timedelta(hours=3))]
    (e,) = direct_edges([edge("a", "b")], recs)
    assert (e.source_id, e.derived_id) == ("a", "b")
    assert e.direction_evidence["rule"] == "earlier publication"


def test_direction_from_garbling() -> None:
    recs = [Record("a", ORIGINAL), Record("b", ORIGINAL.replace("Okafor", "Okafore"))]
    (e,) = direct_edges([edge("a", "b", "copy")], recs, garble={"a": 0.6, "b": 0.0})
    assert e.source_id == "b" and e.direction_evidence["rule"] == "fewer garbled names"


def test_a_flipped_edge_gives_its_evidence_from_the_source_side() -> None:
    """Evidence of an edge turned round names the new source's values ``_a``; directing the
    stored edge again leaves it as it is."""
    recs = [Record("a", REWRITE), Record("b", ORIGINAL.replace("Okafor", "Okafore"))]
    (e,) = direct_edges([edge("a", "b", "copy")], recs, garble={"a": 0.6, "b": 0.0})
    assert (e.source_id, e.derived_id) == ("b", "a")
    assert (e.direction_evidence["garble_a"], e.direction_evidence["garble_b"]) == (0.0, 0.6)
    assert direct_edges([e], recs, garble={"a": 0.6, "b": 0.0}) == [e]
    timed = [Record("a", REWRITE, T0 + timedelta(hours=3)), Record("b", ORIGINAL, T0)]
    (t,) = direct_edges([edge("a", "b")], timed)
    assert t.source_id == "b" and t.direction_evidence["time_delta_s"] == 3 * 3600
    (c,) = direct_edges([edge("a", "b")], [Record("a", REWRITE), Record("b", ORIGINAL)])
    assert c.source_id == "b" and c.direction_evidence["profile_a"]["numbers"] == info_profile(ORIGINAL).numbers
    assert direct_edges([c], [Record("a", REWRITE), Record("b", ORIGINAL)]) == [c]


def test_same_story_edges_stay_undirected() -> None:
    recs = [Record("a", ORIGINAL), Record("b", SAME_STORY)]
    (e,) = direct_edges([edge("a", "b", "same-story", 0.4)], recs)
    assert not e.directed


def test_groups_and_origin_with_verbatim_duplicate() -> None:
    recs = [Record(i, t) for i, t in
            [("orig", ORIGINAL), ("dup", COPY), ("rw", REWRITE), ("same", SAME_STORY), ("x", UNRELATED)]]
    edges = [edge("orig", "dup", "copy", 1.0), edge("orig", "rw"), edge("dup", "rw"),
             edge("orig", "same", "same-story", 0.40), edge("rw", "same", "same-story", 0.38)]
    groups = origin_groups(direct_edges(edges, recs), recs)
    by_member = {m: g for g in groups for m in g.members}
    g = by_member["orig"]
    assert sorted(g.members) == ["dup", "orig", "rw"]
    assert g.origin_id in {"orig", "dup"}  # verbatim duplicates: either is the original
    assert chain_to_origin("rw", groups) == g.origin_id
    assert chain_to_origin(g.origin_id, groups) is None
    assert by_member["same"].members == ["same"] and by_member["x"].members == ["x"]


@pytest.mark.parametrize("first", ["z-copy", "a-copy"])
def test_verbatim_copies_tie_goes_to_the_first_arrival_not_the_id(first: str) -> None:
    """Ids follow the input's path: the same files read from another folder, or a copy that
    arrives later, must not change which copy is named the origin."""
    second = "a-copy" if first == "z-copy" else "z-copy"
    recs = [Record(first, ORIGINAL), Record("rw", REWRITE), Record(second, ORIGINAL)]
    edges = [edge(first, second, "copy", 1.0), edge(first, "rw"), edge(second, "rw")]
    (g,) = [g for g in origin_groups(direct_edges(edges, recs), recs) if len(g.members) > 1]
    assert g.evidence["wins"][first] == g.evidence["wins"][second]  # a true tie
    assert g.origin_id == first


def test_verbatim_copies_tie_goes_to_the_dated_one() -> None:
    """An undated copy that arrives first ties with its dated original (their time order is
    unknown, so each wins the same pairs): the dated one has evidence, the undated one none."""
    recs = [Record("undated-copy", ORIGINAL), Record("rw", REWRITE, published_at=T0 + timedelta(hours=3)),
            Record("wire", ORIGINAL, published_at=T0)]
    edges = [edge("undated-copy", "wire", "copy", 1.0), edge("undated-copy", "rw"), edge("wire", "rw")]
    (g,) = [g for g in origin_groups(direct_edges(edges, recs), recs) if len(g.members) > 1]
    assert g.evidence["wins"]["undated-copy"] == g.evidence["wins"]["wire"]
    assert g.origin_id == "wire"


def test_shared_source_group_has_no_origin_in_corpus() -> None:
    recs = [Record("a", ORIGINAL), Record("b", EDIT)]
    groups = origin_groups([edge("a", "b", "shared-source", 0.5)], recs)
    assert len(groups) == 1 and groups[0].origin_id is None


@pytest.mark.slow
def test_end_to_end_origin_of_the_fixture_family() -> None:
    items = [("orig", ORIGINAL), ("copy", COPY), ("edit", EDIT), ("rw", REWRITE), ("same", SAME_STORY),
             ("x", UNRELATED)]
    recs = [Record(i, t) for i, t in items]
    res = detect_reuse(recs, {r.id: split_sentences(r.text) for r in recs})
    groups = origin_groups(direct_edges(res.edges, recs), recs)
    g = next(g for g in groups if "orig" in g.members)
    assert sorted(g.members) == ["copy", "edit", "orig", "rw"]
    assert g.origin_id in {"orig", "copy"}
    assert all("same" not in g.members and "x" not in g.members for g in groups if len(g.members) > 1)
