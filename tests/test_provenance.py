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


# --- a press release that outlets reproduce ----------------------------------------------------

RELEASE_BODY = (
    "SELBY HARBOUR, 14 October 2025 \u2014 Marrow Ferries today announced that it will order two "
    "battery-electric ferries for the Selby\u2013Onn crossing, at a cost of 64 million euros.\n\n"
    "\u201cThe crossing will be silent and clean by 2028,\u201d said managing director Oskar Brandt. "
    "The ferries will carry 420 passengers and 60 cars each."
)
RELEASE_ABOUT = "\n\nAbout Marrow Ferries\nMarrow Ferries runs four routes in the northern isles."
RELEASE_CONTACT = "\n\nPress enquiries: newsroom@marrowferries.example"
RELEASE_TEXT = RELEASE_BODY + RELEASE_ABOUT + RELEASE_CONTACT


def _release_group(with_release: bool) -> tuple[list[Record], list[ReuseEdge]]:
    """Two verbatim reproductions (one without the contact), one with an opening of its own,
    and the release itself when ``with_release``."""
    recs = [Record("isles", RELEASE_BODY + RELEASE_ABOUT, T0 + timedelta(minutes=30), outlet="Isles Courier"),
            Record("trade", RELEASE_TEXT, T0 + timedelta(minutes=50), outlet="Maritime Trade Review"),
            Record("ledger", "Shipyards in the region have waited years for such an order. " + RELEASE_BODY,
                   T0 + timedelta(hours=2), outlet="Northern Isles Ledger")]
    edges = [edge("isles", "trade", "copy", 1.0), edge("isles", "ledger", "edit", 0.9),
             edge("trade", "ledger", "edit", 0.9)]
    if with_release:
        recs.append(Record("release", RELEASE_TEXT, T0, outlet="Marrow Ferries"))
        edges += [edge("release", x, "copy" if x == "trade" else "edit", 0.9) for x in ("isles", "trade", "ledger")]
    return recs, edges


def test_a_press_release_not_in_the_corpus_is_the_unseen_origin() -> None:
    recs, edges = _release_group(with_release=False)
    (g,) = origin_groups(direct_edges(edges, recs), recs)
    assert sorted(g.members) == ["isles", "ledger", "trade"] and g.origin_id is None
    assert g.evidence["rule"] == "press release not in the corpus"
    pr = g.evidence["press_release"]
    assert pr["organisation"] == "Marrow Ferries" and pr["candidate_origin"] == "isles"
    assert pr["members_naming_it"] == ["isles", "ledger", "trade"]
    assert {k["kind"] for k in pr["markers"]["trade"]} == {"announcement", "about section", "contact block"}
    assert any("Isles Courier" in w for w in pr["why_not_the_release"])
    assert chain_to_origin("ledger", groups=[g]) is None


def test_a_press_release_in_the_corpus_stays_the_origin() -> None:
    recs, edges = _release_group(with_release=True)
    (g,) = origin_groups(direct_edges(edges, recs), recs)
    assert g.origin_id == "release" and g.evidence["rule"].startswith("upstream of most members")
    assert g.evidence["press_release"]["organisation_publications"] == {"release": "outlet 'Marrow Ferries'"}


def test_the_release_on_the_organisations_own_web_host_is_known_by_its_url() -> None:
    """Items with a ``url``: an undated, unattributed release that lost its end matter is the
    organisation's own publication when its host is the organisation's."""
    recs, edges = _release_group(with_release=False)
    items = [{"id": r.id, "text": r.text, "published_at": r.published_at, "outlet": r.outlet} for r in recs]
    items.append({"id": "site", "text": RELEASE_BODY + RELEASE_ABOUT, "published_at": T0 - timedelta(hours=1),
                  "url": "https://www.marrowferries.example/news/electric-ferries"})
    edges = edges + [edge("site", x, "copy" if x == "isles" else "edit", 0.9) for x in ("isles", "trade", "ledger")]
    (g,) = origin_groups(direct_edges(edges, items), items)
    assert g.origin_id == "site"
    assert "web host" in g.evidence["press_release"]["verdict"]
    items[-1] = {**items[-1], "url": None}  # the same page without its address: a reproduction
    (g,) = origin_groups(direct_edges(edges, items), items)
    assert g.origin_id is None


def test_a_wire_story_that_cites_a_statement_keeps_its_origin() -> None:
    """Syndicated news: copies of a wire story that reports a company's statement."""
    story = ("Marrow Ferries cancelled all sailings on Tuesday as winds reached 110 km/h, the company "
             "said in a statement. About 900 passengers were stranded in Selby Harbour overnight.")
    recs = [Record("wire", story, T0, outlet="Isles Wire"),
            Record("c1", story, T0 + timedelta(hours=1), outlet="Isles Courier"),
            Record("c2", story, T0 + timedelta(hours=2), outlet="Northern Isles Ledger")]
    edges = [edge("wire", "c1", "copy", 1.0), edge("wire", "c2", "copy", 1.0)]
    (g,) = origin_groups(direct_edges(edges, recs), recs)
    assert g.origin_id == "wire" and "press_release" not in g.evidence


def test_a_shared_source_group_names_the_organisation_whose_release_it_shares() -> None:
    recs, _ = _release_group(with_release=False)
    groups = origin_groups([edge("isles", "ledger", "shared-source", 0.5)], recs[::2])
    (g,) = [g for g in groups if len(g.members) > 1]
    assert g.origin_id is None and g.evidence["rule"].startswith("only shared-source links")
    assert g.evidence["press_release"]["organisation"] == "Marrow Ferries"


FIRST_VERSION = ("The Brenholm council voted on Tuesday to close the Quay Street car park for repairs. "
                 "Work starts on 3 June, a council spokeswoman said.")
UPDATED_VERSION = (FIRST_VERSION + " Traders said the closure would cost them 20 to 30 per cent of their takings, "
                   "and 14 shops signed a letter against it.\n\n"
                   "This article was updated at 16:05 to add comments from traders.")


@pytest.mark.parametrize("same", ["outlet", "url"])
def test_an_article_updated_in_place_is_the_later_version(same: str) -> None:
    """One outlet's article edited in place keeps its publication time; the expanded version
    has more numbers, which would name it the source. Its update note says it is the later."""
    first = Record("v1", FIRST_VERSION, T0, outlet="Brenholm Post" if same == "outlet" else None,
                   url="https://post.example/quay" if same == "url" else None)
    later = Record("v2", UPDATED_VERSION, T0, outlet=first.outlet, url=first.url)
    [e] = direct_edges([edge("v2", "v1", "edit", 0.8)], [first, later])
    assert (e.source_id, e.derived_id) == ("v1", "v2") and e.directed
    assert e.direction_evidence["update_note"]["text"] == "This article was updated"
    assert e.direction_evidence["update_note"]["article_id"] == "v2"
    # Another outlet's copy of the first version says nothing about the update's order.
    other = Record("v2", UPDATED_VERSION, T0, outlet="Harbour Wire")
    [e] = direct_edges([edge("v2", "v1", "edit", 0.8)], [Record("v1", FIRST_VERSION, T0, outlet="Brenholm Post"),
                                                          other])
    assert "update_note" not in e.direction_evidence
