"""`newstrace run` on examples/scenarios/laundering.jsonl: a state agency's story laundered onto
fake local sites by LLM rewrites (EXPECTED_laundering.md, written by a held-out tester). These
are the expectations newstrace meets; docs/benchmarks.md lists the ones it does not yet (most
of the fact check's and the independent report's contradictions of the agency)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.cli import main
from tests.conftest import strict_json

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "scenarios" / "laundering.jsonl"
#: The articles in file order, by their EXPECTED tag (O original, C credited copy, F1-F4 fake
#: local sites, F4 rewriting F3; I independent, K fact check, U unrelated).
TAGS = ["F2", "U", "K", "F4", "O", "I", "F1", "C", "F3"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("laundering")
    assert main(["run", str(CORPUS), "--db", str(out / "l.db"), "--out", str(out), "-q"]) == 0
    report = strict_json((out / "report.json").read_text())
    urls = [json.loads(line)["url"] for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    by_url = {a["url"]: a["id"] for a in report["articles"]}
    report["tag"] = {tag: by_url[url] for tag, url in zip(TAGS, urls)}
    report["name"] = {v: k for k, v in report["tag"].items()}
    report["paths"] = {"db": out / "l.db", "html": out / "report.html"}
    return report


def test_the_agency_is_the_origin_of_its_copy_and_the_fake_sites(run: dict[str, Any]) -> None:
    t = run["tag"]
    group = next(g for g in run["origin_groups"] if t["O"] in g["members"])
    assert group["origin_id"] == t["O"]
    assert {t[x] for x in ("C", "F1", "F2", "F3", "F4")} <= set(group["members"])
    kinds = {(run["name"][e["source_id"]], run["name"][e["derived_id"]]): e["kind"] for e in run["edges"]}
    assert kinds[("O", "C")] == "copy"
    assert all(kinds[("O", f)] == "rewrite" for f in ("F1", "F2", "F3"))
    assert kinds[("F3", "F4")] == "rewrite"


def test_garbled_names_are_flagged_where_they_are_introduced(run: dict[str, Any]) -> None:
    found = {(run["name"][g["article_id"]], g["surface"]) for g in run["garbles"]}
    assert {("F1", "Dragan Kowalczuk"), ("F1", "IBRD"), ("F3", "Dragan Kowaltschuk"), ("F3", "IDBR")} <= found
    assert not [g for g in run["garbles"] if run["name"][g["article_id"]] in ("O", "C", "K", "I")]


def test_the_unrelated_item_of_a_fake_site_stays_apart(run: dict[str, Any]) -> None:
    t = run["tag"]
    story = next(s for s in run["stories"] if t["O"] in s["article_ids"])
    assert t["U"] not in story["article_ids"]
    assert not [e for e in run["edges"] if t["U"] in (e["source_id"], e["derived_id"]) and e["kind"] != "same-story"]


def test_the_rewrites_additions_and_dropped_hedges_are_flagged(run: dict[str, Any]) -> None:
    name = run["name"]
    flags = [(f["kind"], tuple(sorted(name[a] for a in f["article_ids"])), " ".join(s["text"] for s in f["spans"]))
             for f in run["flags"]]
    assert any(k == "embellishment" and arts == ("F1",) and "chemical smell" in text for k, arts, text in flags)
    assert any(k == "embellishment" and "F3" in arts and "military lorries" in text for k, arts, text in flags)
    assert any(k == "hedge-changed" and arts == ("F1", "O") and "reportedly began" in text for k, arts, text in flags)
    assert any(k == "single-origin" and "340" in text for k, arts, text in flags)
    assert not [f for f in flags if f[1] == ("C",)]  # the credited verbatim copy adds nothing


def test_the_rewrite_of_a_rewrite_has_its_own_parent(run: dict[str, Any]) -> None:
    """F4 rewrites F3 (it keeps F3's garbles and additions): that edge is F4's parent link, the
    agency's edge to F4 an ancestor's, and the sibling sites' edges to each other no parents."""
    name = run["name"]
    parent = {(name[e["source_id"]], name[e["derived_id"]]): e["direction_evidence"].get("parent")
              for e in run["edges"] if e["kind"] != "same-story"}
    assert parent[("F3", "F4")] is True and parent[("O", "F4")] is False
    assert all(parent[("O", f)] is True for f in ("F1", "F2", "F3"))
    assert parent.get(("F1", "F2")) is False and parent.get(("F1", "F3")) is False


def test_a_claim_after_according_to_keeps_its_own_sentence(run: dict[str, Any]) -> None:
    """"According to former staff, the site also stores samples of anthrax ...": the claim is
    that sentence, not the one before it, and only the rewrites carry it."""
    name = run["name"]
    anthrax = [c for c in run["claims"] if "anthrax" in c["content"]["text"]]
    assert {name[c["article_id"]] for c in anthrax} >= {"F3", "F4"}
    assert all("funding" not in c["content"]["text"].lower() for c in anthrax)


def test_the_independent_report_and_the_fact_check_are_no_rewrites(run: dict[str, Any]) -> None:
    """I restates the agency's claims with credit ("VSIA claimed ...") and K disputes them ("no
    evidence that ..."): reports about the story, each its own origin, with the sentences that
    made their overlap no reuse as evidence."""
    name, t = run["name"], run["tag"]
    group = next(g for g in run["origin_groups"] if t["O"] in g["members"])
    assert sorted(name[m] for m in group["members"]) == ["C", "F1", "F2", "F3", "F4", "O"]
    for x in ("I", "K", "U"):
        assert [g["members"] for g in run["origin_groups"] if t[x] in g["members"]] == [[t[x]]]
    reports = [e for e in run["edges"] if {name[e["source_id"]], name[e["derived_id"]]} & {"I", "K"}]
    assert reports and all(e["kind"] == "same-story" for e in reports)
    judged = [e["direction_evidence"]["restatement"] for e in reports if "restatement" in e["direction_evidence"]]
    assert any(j["credited"] for j in judged) and any(j["disputed"] for j in judged)
    assert not [f for f in run["flags"] if f["kind"] in ("embellishment", "hedge-changed", "attribution-dropped")
                and {name[a] for a in f["article_ids"]} & {"I", "K"}]


def test_a_restated_claim_is_counted_for_the_agency_not_as_a_second_source(run: dict[str, Any]) -> None:
    """I's "VSIA claimed ... 340 residents" is the agency's claim: one origin, flagged single-origin."""
    name = run["name"]
    claims = {c["id"]: c for c in run["claims"]}
    groups = [g for g in run["claim_groups"] if any("340" in claims[c]["content"]["text"] for c in g["claim_ids"])]
    with_i = [g for g in groups if any(name[a] == "I" for a in g["article_ids"])]
    assert with_i and all(len(g["origin_ids"]) == 1 and "single-origin" in g["flags"] for g in with_i)
    # Two outlets that each asked the city council are two sources of its statement.
    council = [g for g in run["claim_groups"] if "no schools had been closed" in g["text"]]
    assert council and {name[a] for a in council[0]["article_ids"]} == {"I", "K"} and len(council[0]["origin_ids"]) == 2


def test_an_order_is_an_event_the_article_reports_not_its_givers_claim(run: dict[str, Any]) -> None:
    """ "Kowalczuk ordered local doctors not to report the cases": the fake sites assert that
    the minister gave the order; he is not the speaker of "doctors not to report the cases"."""
    name = run["name"]
    orders = [c for c in run["claims"] if c["method"] == "directive-rules"]
    assert {name[c["article_id"]] for c in orders} >= {"F1", "F2", "F3"}
    for c in orders:
        assert c["source"] is None and c["content"]["text"].startswith("Defence Minister Dragan")
    group = next(g for g in run["claim_groups"] if any(c["id"] in g["claim_ids"] for c in orders))
    assert group["speaker"] is None


def test_the_fact_checks_denials_contradict_what_they_deny(run: dict[str, Any]) -> None:
    """The ministry's denial (as the fact check reports it) against the agency's cover-up claim,
    as the agency, its copy, I's restatement and the fake sites that state the order as fact
    carry it, and the fact check's own "no evidence that a laboratory leak caused ..." against
    the site that states the leak; no figure contradictions between the independent reports.
    Since nobody dead is read against a count of the dead (2026-12-06), the fake sites' "Two
    elderly patients have died" against the hospital's "We have had no deaths" as I quotes it
    (the key's "I and K vs O10 (no deaths)"; K's own "no patient had died" is the
    assert-vs-negated flag already)."""
    name = run["name"]
    found = {(f["rule"], frozenset(name[a] for a in f["article_ids"])) for f in run["flags"] if f["kind"] == "contradiction"}
    cover_up = [arts for rule, arts in found if rule == "contradiction:assert-vs-deny" and {"O", "K"} <= arts]
    assert cover_up and cover_up[0] >= {"O", "C", "I", "F1", "F2", "F3", "K"}
    assert ("contradiction:assert-vs-deny", frozenset({"F3", "K"})) in found
    nobody = {arts for rule, arts in found if rule == "contradiction:nobody-count"}
    assert nobody == {frozenset({"F1", "F2", "F3", "F4", "I"})}
    assert all(rule in ("contradiction:assert-vs-deny", "contradiction:assert-vs-negated", "contradiction:nobody-count")
               for rule, _ in found)


def test_statements_of_the_opposite_contradict_without_a_denial_word(run: dict[str, Any]) -> None:
    """The hospital "had not admitted 340 patients", "no patient had died", the council "no
    schools had been closed": each says the opposite of a claim in its own words, with no
    denial word. Each is a contradiction whose evidence points at the negated clause and the
    clause it answers, in the articles' own text."""
    name = run["name"]
    texts = {a["id"]: a["text"] for a in run["articles"]}
    negated = [f for f in run["flags"] if f["rule"] == "contradiction:assert-vs-negated"]
    by_sides = {(frozenset(name[a] for a in f["evidence"]["side_a"]["article_ids"]),
                 frozenset(name[a] for a in f["evidence"]["side_b"]["article_ids"])): f for f in negated}
    admitted = by_sides[(frozenset({"O", "C", "I"}), frozenset({"K"}))]  # I restates the agency's 340
    assert "340" in admitted["evidence"]["negated_words"]
    died = by_sides[(frozenset({"O", "C", "F1", "F2", "F3", "F4"}), frozenset({"K"}))]
    assert died["evidence"]["positive_reading"] == "patient had died"
    schools = by_sides[(frozenset({"F3", "F4"}), frozenset({"I", "K"}))]
    assert "closed all schools" in schools["evidence"]["stated_clause"]["text"]
    for f in negated:
        ev = f["evidence"]
        for clause in (ev["negated_clause"], ev["stated_clause"]):
            article = next(s["article_id"] for s in f["spans"] if s["claim_id"] == clause["claim_id"])
            assert texts[article][clause["start"]:clause["end"]] == clause["text"]
        assert ev["cosine"] >= 0.55 and ev["negated_words"]
    # The independent reports' own figures (14 patients) are no second count of the 340 the
    # hospital says it did not admit, and nothing the hospital negates about deaths is about
    # admissions.
    assert not [f for f in negated if {name[a] for a in f["article_ids"]} == {"I", "K"}
                and "14" in f["evidence"]["stated_clause"]["text"]]


def test_the_reports_are_shown_with_their_sentences(run: dict[str, Any]) -> None:
    """The HTML report and the article page list what made I a report on the agency's story,
    sentence by sentence (escaped)."""
    from newstrace.web import create_app
    from tests.web.conftest import loopback_client

    html = run["paths"]["html"].read_text("utf-8")
    assert "Reports about other articles" in html
    assert "Veldoria&#39;s state news agency VSIA claimed on Tuesday" in html
    with loopback_client(create_app(run["paths"]["db"], token="t")) as client:
        page = client.get(f"/articles/{run['tag']['I']}")
    assert page.status_code == 200 and "Reports about other articles" in page.text
    assert "this article credits Veldorian State Information Agency" in page.text
    assert "Veldoria&#39;s state news agency VSIA claimed on Tuesday" in page.text
