"""Parent links: of the articles upstream of a derived one, which it was most likely made from.

A small fictional family written for these tests: a news agency's report (``wire``), two
rewrites of it published later (``first``, ``second``: siblings, each dropping different
particulars and adding its own), a rewrite of ``second`` (``third``: it keeps ``second``'s
additions and lacks what ``second`` dropped) and a verbatim copy of the report (``copy``).
Scores are set by hand so that each rule is met on purpose: the siblings are more similar to
each other than to the report (as language-model rewrites of one text are), and the rewrite of
a rewrite is similar to every earlier article.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newstrace import api
from newstrace.model import Article, OriginGroup, ReuseEdge, Story
from newstrace.provenance import (
    Lineage,
    direct_edges,
    lineage,
    origin_groups,
    parent_links,
    reconcile_edges,
    specifics,
    undo_reconcile,
)
from newstrace.reuse import Record
from newstrace.store import Store

T0 = datetime(2026, 5, 11, 6, 0, tzinfo=timezone.utc)

WIRE = ("The Velm River port authority said on Monday that 212 containers fell from the freighter Kestrel Dawn "
        "near Osterby on Sunday night. Harbour master Lena Varga said 48 of them held lithium batteries. "
        "\u201cWe have closed the northern channel until Thursday,\u201d Varga told the Velm News Agency. "
        "Salvage firm Brannock Marine will start lifting the containers on 14 May, the authority said. "
        "The ship's owner, Halvard Lines, said none of its 23 crew members was hurt.")
FIRST = ("Hundreds of containers toppled off the freighter Kestrel Dawn near Osterby on Sunday night, the Velm River "
         "port authority said. Harbour master Lena Varga said 48 of them contained lithium batteries and that the "
         "northern channel stays shut. Salvage firm Brannock Marine is due to begin the lift on 14 May. Local "
         "fisherman Tomas Reiny called it a disaster for the river.")
SECOND = ("The freighter Kestrel Dawn lost 212 containers near Osterby on Sunday night, according to the Velm River "
          "port authority. The northern channel will stay closed until Thursday, harbour master Lena Varga said. "
          "Owner Halvard Lines said all 23 crew members were safe. The environmental group Clearwater Velm warned "
          "that 300 tonnes of fuel could leak.")
THIRD = ("Disaster on the river: the freighter Kestrel Dawn dumped 212 containers near Osterby on Sunday night. "
         "Campaigners from Clearwater Velm fear 300 tonnes of fuel could leak, and the northern channel is closed "
         "until Thursday. All 23 crew members survived, owner Halvard Lines said.")
OUTLETS = {"wire": "Velm News Agency", "copy": "River Digest", "first": "Osterby Today", "second": "Valley Post",
           "third": "Northbank Herald"}
TEXTS = {"wire": WIRE, "copy": WIRE, "first": FIRST, "second": SECOND, "third": THIRD}
HOURS = {"wire": 0, "copy": 0.5, "first": 1, "second": 2, "third": 3}

#: (source, derived, kind, score): siblings closer to each other (0.66) than to the report
#: (0.64, 0.62); the rewrite of a rewrite close to its parent (0.88), less to the rest.
SCORED = [("wire", "copy", "copy", 0.98), ("wire", "first", "rewrite", 0.64), ("wire", "second", "rewrite", 0.62),
          ("first", "second", "rewrite", 0.66), ("wire", "third", "rewrite", 0.55),
          ("first", "third", "rewrite", 0.60), ("second", "third", "rewrite", 0.88),
          ("copy", "first", "rewrite", 0.60), ("copy", "second", "rewrite", 0.58), ("copy", "third", "rewrite", 0.52)]


def records() -> list[Record]:
    return [Record(i, TEXTS[i], T0 + timedelta(hours=HOURS[i]), outlet=OUTLETS[i]) for i in TEXTS]


def edge(a: str, b: str, kind: str = "rewrite", score: float = 0.7) -> ReuseEdge:
    return ReuseEdge(source_id=a, derived_id=b, kind=kind, score=score, rule="test")


def analysed(edges: list[ReuseEdge] | None = None,
             recs: list[Record] | None = None) -> tuple[list[ReuseEdge], list[OriginGroup]]:
    """The provenance stage as the pipeline runs it: direct, group, reconcile."""
    recs = records() if recs is None else recs
    directed = direct_edges([edge(*x) for x in SCORED] if edges is None else edges, recs)
    groups = origin_groups(directed, recs)
    return reconcile_edges(directed, groups), groups


def marks(edges: list[ReuseEdge]) -> dict[tuple[str, str], tuple[bool, str]]:
    return {(e.source_id, e.derived_id): (e.direction_evidence["parent"], e.direction_evidence["parent_rule"])
            for e in edges if "parent" in e.direction_evidence}


def test_specifics_are_names_numbers_and_acronyms_not_words() -> None:
    s = specifics("Officials of the IDBR said 340 people, among them Petra Lindqvist, were ill. Officials agreed.")
    assert {"IDBR", "340", "Petra", "Lindqvist"} <= s
    assert "Officials" not in s and "people" not in s  # a sentence's first word is no name


def test_a_rewrite_of_a_rewrite_has_the_rewrite_as_parent_and_the_report_as_ancestor() -> None:
    m = marks(analysed()[0])
    assert m[("second", "third")] == (True, "strongest")
    assert m[("wire", "third")] == (False, "ancestor")  # upstream of the parent in the parent links too
    assert m[("first", "third")] == (False, "through-parent")  # a sibling of the parent, no ancestor
    assert m[("copy", "third")][0] is False


def test_siblings_more_similar_to_each_other_than_to_their_source_are_not_parents() -> None:
    """``second`` is closer to ``first`` (0.66) than to the report (0.62), and later: the
    report's particulars that ``first`` dropped and ``second`` kept decide."""
    edges, _ = analysed()
    m = marks(edges)
    assert m[("first", "second")] == (False, "sibling")
    assert m[("wire", "second")] == (True, "strongest") and m[("wire", "first")] == (True, "strongest")
    (e,) = [e for e in edges if (e.source_id, e.derived_id) == ("first", "second")]
    assert e.direction_evidence["parent_via"] == "wire"
    assert "both derive from Velm News Agency (wire)" in e.direction_evidence["parent_reason"]


def test_the_verbatim_copy_is_a_child_of_the_report_and_no_rewrite_s_parent() -> None:
    m = marks(analysed()[0])
    assert m[("wire", "copy")] == (True, "strongest")
    assert not any(m[("copy", x)][0] for x in ("first", "second", "third"))


def test_siblings_less_similar_to_each_other_than_to_their_source() -> None:
    """The plain case: each closer to the common source (0.64, 0.62) than to each other (0.60),
    with no particulars to tell them apart."""
    recs = [Record(i, "A plain text without particulars.", T0 + timedelta(hours=h)) for i, h in
            (("src", 0), ("a", 1), ("b", 2))]
    edges, _ = analysed([edge("src", "a", score=0.64), edge("src", "b", score=0.62), edge("a", "b", score=0.60)], recs)
    m = marks(edges)
    assert m[("a", "b")] == (False, "sibling") and m[("src", "b")] == (True, "strongest")
    (e,) = [e for e in edges if (e.source_id, e.derived_id) == ("a", "b")]
    assert "similarity to the source 0.60, to their common source 0.62; source to common source 0.64" \
        in e.direction_evidence["parent_reason"]


def test_lineage_needs_particulars_or_a_large_gain() -> None:
    spec = {"u": frozenset({"1", "2"}), "m": frozenset({"1", "X", "Y"}), "d": frozenset({"1", "X", "Y"})}
    score = {("u", "m"): 0.6, ("u", "d"): 0.55, ("m", "d"): 0.7}
    lin = lineage("u", "m", "d", spec, score)
    assert isinstance(lin, Lineage) and lin.below and (lin.kept_middle, lin.kept_upper) == (2, 0)
    # The same particulars, but hardly closer to the intermediate: siblings.
    assert not lineage("u", "m", "d", spec, {**score, ("m", "d"): 0.58}).below
    # No particular says anything: however much closer to the intermediate, siblings (two
    # rewrites of one text are often closer to each other than to it).
    bare = {k: frozenset() for k in spec}
    assert not lineage("u", "m", "d", bare, {**score, ("m", "d"): 0.8}).below
    assert not lineage("u", "m", "d", bare, score).below
    # It keeps what the intermediate dropped: not made from the intermediate alone.
    kept = {**spec, "d": frozenset({"1", "2", "X", "Y"})}
    assert not lineage("u", "m", "d", kept, score).below
    # A near copy of the intermediate (a restyle's copy, its particulars spelt out in words):
    # no particular to count, but no two rewrites of one text are that alike.
    near = {("u", "m"): 0.68, ("u", "d"): 0.67, ("m", "d"): 0.98}
    assert lineage("u", "m", "d", bare, near).below
    assert not lineage("u", "m", "d", bare, {**near, ("m", "d"): 0.88}).below
    assert not lineage("u", "m", "d", {**bare, "u": frozenset({"2"}), "d": frozenset({"2"})}, near).below


def test_particulars_other_rewrites_add_too_are_no_mark_of_the_intermediate() -> None:
    """Language-model rewrites of one text spell out the same names ("President", a first name):
    what a third rewrite of the source holds as well says nothing about copying."""
    spec = {"u": frozenset({"1", "2"}), "m": frozenset({"1", "2", "X", "Y"}), "d": frozenset({"1", "2", "X", "Y"})}
    score = {("u", "m"): 0.6, ("u", "d"): 0.55, ("m", "d"): 0.7}
    assert lineage("u", "m", "d", spec, score).below
    assert not lineage("u", "m", "d", spec, score, convergent=frozenset({"X"})).below
    # In the parent links: a sibling rewrite "s" of "u" adds X too; "d" is then beside "m".
    recs = {x: Record(x, t, T0 + timedelta(hours=h)) for x, t, h in (
        ("u", "Sales rose 12 percent in 2025, the firm said.", 0),
        ("m", "Sales rose 12 percent in 2025, chief Ada Vetter of the Brannock firm said.", 1),
        ("d", "Sales grew 12 percent in 2025, firm chief Ada Vetter of Brannock said.", 2),
        ("s", "Sales at Brannock climbed 12 percent in 2025, chief Ada Vetter said.", 1.5))}
    edges = [ReuseEdge("u", x, "rewrite", sc, "test", directed=True) for x, sc in (("m", 0.6), ("d", 0.55), ("s", 0.6))]
    edges.append(ReuseEdge("m", "d", "rewrite", 0.7, "test", directed=True))
    with_s = parent_links(["u", "m", "d", "s"], "u", edges, recs)
    assert with_s["d"]["u"]["parent"] and with_s["d"]["m"]["rule"] == "sibling"
    without_s = parent_links(["u", "m", "d"], "u", edges[:2] + edges[3:], recs)
    assert without_s["d"]["m"]["parent"] and without_s["d"]["u"]["rule"] == "ancestor"


def test_kind_comes_before_score() -> None:
    recs = [Record(i, "Text.", T0 + timedelta(hours=h)) for i, h in (("a", 0), ("b", 1), ("d", 2))]
    directed = direct_edges([edge("a", "d", "copy", 0.90), edge("b", "d", "rewrite", 0.95)], recs)
    links = parent_links(["a", "b", "d"], "a", directed, {r.id: r for r in recs})
    assert links["d"]["a"]["parent"] and links["d"]["a"]["rule"] == "strongest"
    b = links["d"]["b"]
    assert (b["parent"], b["rule"], b["via"]) == (False, "weaker-kind", "a")


@pytest.mark.parametrize(("weaker", "rule"), [(0.60, "far-below"), (0.78, "co-parent")])
def test_a_link_far_below_the_best_is_no_parent_one_close_to_it_is(weaker: float, rule: str) -> None:
    """Two sources with no link between them (a text drawn from two articles): the weaker is a
    parent too only when it is close to the stronger."""
    recs = [Record(i, "Text.", T0 + timedelta(hours=h)) for i, h in (("a", 0), ("b", 0.5), ("d", 2))]
    directed = direct_edges([edge("a", "d", score=0.80), edge("b", "d", score=weaker)], recs)
    links = parent_links(["a", "b", "d"], "a", directed, {r.id: r for r in recs})
    assert links["d"]["a"]["parent"]
    assert links["d"]["b"]["rule"] == rule and links["d"]["b"]["parent"] is (rule == "co-parent")


def test_origin_shared_source_and_undirected_links_are_never_parents() -> None:
    recs = [Record(i, "Text.", T0 + timedelta(hours=h)) for i, h in (("a", 0), ("b", 1), ("c", 2))]
    links = parent_links(["a", "b", "c"], "b", [
        ReuseEdge("a", "b", "rewrite", 0.7, "test", directed=True),  # into the origin
        ReuseEdge("b", "c", "shared-source", 0.5, "test", directed=True),
        ReuseEdge("a", "c", "rewrite", 0.6, "test", directed=False)], {r.id: r for r in recs})
    assert links["b"]["a"]["rule"] == "origin" and links["c"]["b"]["rule"] == "shared-source"
    assert links["c"]["a"]["rule"] == "undirected"
    assert not any(v["parent"] for d in links.values() for v in d.values())


def test_marks_leave_groups_alone_and_are_recomputed_from_first_evidence() -> None:
    """Origin groups and origins do not depend on the marks; the stored (marked) edges, undone
    and analysed again, give the same edges and groups (what an incremental run does)."""
    edges, groups = analysed()
    (g,) = [g for g in groups if len(g.members) > 1]
    assert sorted(g.members) == sorted(TEXTS) and g.origin_id == "wire"
    assert all(set(e.direction_evidence) >= {"parent", "parent_rule", "parent_reason"} for e in edges)
    undone = [undo_reconcile(e) for e in edges]
    assert not any("parent" in e.direction_evidence for e in undone)
    again, groups2 = analysed(undone)
    assert again == edges and [(x.members, x.origin_id) for x in groups2] == [(x.members, x.origin_id) for x in groups]


def test_edges_between_groups_are_demoted_not_marked() -> None:
    recs = records() + [Record("other", "An unrelated text about the 2026 harvest.", T0)]
    base = [edge(*x) for x in SCORED]
    edges, groups = analysed(base + [edge("other", "third", score=0.45)], recs)
    (e,) = [e for e in edges if "other" in (e.source_id, e.derived_id)]
    assert e.kind == "same-story" and "parent" not in e.direction_evidence


# --- where a reader meets them: trace, the HTML report, the web story page ----------------------


def _store(path: Path, edges: list[ReuseEdge], groups: list[OriginGroup]) -> Path:
    arts = [Article(id=i, text=TEXTS[i], source=f"test/{i}.txt", format="text", title=f"Containers lost ({i})",
                    outlet=OUTLETS[i], published_at=T0 + timedelta(hours=HOURS[i])) for i in TEXTS]
    with Store(path) as store:
        with store.transaction():
            store.add_articles(arts)
            store.put_edges(edges)
            store.replace_origin_groups(groups)
            store.put_stories([Story("story-velm", sorted(TEXTS), "Containers lost in the Velm", T0, T0)],
                              [{"kind": "open", "story": "story-velm"}])
    return path


@pytest.fixture
def marked_db(tmp_path: Path) -> Path:
    return _store(tmp_path / "marked.db", *analysed())


def test_trace_follows_parent_links_to_the_origin(marked_db: Path) -> None:
    chain = api.trace("third", marked_db)
    assert [(s["source_id"], s["derived_id"]) for s in chain["steps"]] == [("second", "third"), ("wire", "second")]
    assert chain["chain_rule"] == "parent links" and chain["origin_id"] == "wire"
    assert all(s["direction_evidence"]["parent"] for s in chain["steps"])


def test_trace_of_a_database_without_marks_takes_the_shortest_path(tmp_path: Path) -> None:
    edges, groups = analysed()
    db = _store(tmp_path / "old.db", [undo_reconcile(e) for e in edges], groups)
    chain = api.trace("third", db)
    assert [(s["source_id"], s["derived_id"]) for s in chain["steps"]] == [("wire", "third")]
    assert chain["chain_rule"] == "shortest path over directed reuse edges (no parent links stored)"


def test_html_report_marks_parent_links(marked_db: Path, tmp_path: Path) -> None:
    paths = api.report(marked_db, tmp_path / "out")
    html = paths["html"].read_text(encoding="utf-8")
    assert "related (not a parent)" in html and '<span class="badge b-parent">parent</span>' in html
    assert "sibling, not parent: both derive from Velm News Agency (wire)" in html
    # Parent links come first in the group's table.
    table = html[html.index('id="provenance"'):html.index('id="stories"')]
    assert table.index("b-parent") < table.index("related (not a parent)")


def test_story_page_marks_parent_links(marked_db: Path) -> None:
    from fastapi.testclient import TestClient

    from newstrace.web import create_app

    with TestClient(create_app(marked_db), base_url="http://127.0.0.1", client=("127.0.0.1", 40000)) as client:
        page = client.get("/stories/story-velm")
    assert page.status_code == 200
    html: Any = page.text
    assert "parent-link" in html and "related-link" in html and 'opacity="0.3"' in html
    assert "related (not a parent)" in html and "<b>parent</b>" in html
    assert "ancestor, not parent: the derived article derives through Valley Post (second)" in html


def test_only_the_strongest_upstream_links_are_weighed() -> None:
    """In a group of rewrites all linked to one another the lineage tests are quadratic per
    article; links past ``max_candidates`` are no parents, and say why."""
    from newstrace.provenance import ProvenanceConfig

    recs = [Record(i, "Text.", T0 + timedelta(hours=h)) for i, h in (("a", 0), ("b", 0.5), ("d", 2))]
    directed = direct_edges([edge("a", "d", score=0.80), edge("b", "d", score=0.79)], recs)
    links = parent_links(["a", "b", "d"], "a", directed, {r.id: r for r in recs}, ProvenanceConfig(max_candidates=1))
    assert links["d"]["a"]["parent"] and links["d"]["b"]["rule"] == "far-below"
    assert "weaker than the 1 strongest upstream links" in links["d"]["b"]["reason"]


def test_trace_of_the_origin_says_so(marked_db: Path) -> None:
    chain = api.trace("wire", marked_db)
    assert chain["steps"] == [] and chain["chain_rule"] == "the article is its group's origin"
