"""`newstrace run` on the corpora of examples/scenarios, checked against what their EXPECTED
files say where newstrace now gets it right (docs/benchmarks.md, "Three held-out scenarios"
and "Five newsroom situations", lists what it still gets wrong)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newstrace.cli import main
from tests.conftest import strict_json

SCENARIOS = Path(__file__).resolve().parent.parent / "examples" / "scenarios"
#: Each scenario's articles in file order, by the role its EXPECTED file gives them.
ROLES = {"s1": "URCOIEX", "s2": "EIURXCO", "s3": "IROUCXE"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=sorted(ROLES))
def scenario(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The scenario's report, with ``role``: article id by role letter (O original, C copy, E
    edit, R rewrite, I independent, X contradicting, U unrelated)."""
    name = request.param
    out = tmp_path_factory.mktemp(name)
    path = SCENARIOS / f"{name}.jsonl"
    assert main(["run", str(path), "--db", str(out / "s.db"), "--out", str(out), "-q"]) == 0
    report = strict_json((out / "report.json").read_text())
    urls = [json.loads(line)["url"] for line in path.read_text("utf-8").splitlines() if line.strip()]
    by_url = {a["url"]: a["id"] for a in report["articles"]}
    report["role"] = {role: by_url[url] for role, url in zip(ROLES[name], urls)}
    report["name"] = name
    return report


def _contradictions(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["flags"] if f["kind"] == "contradiction"]


def _slot_pairs(report: dict[str, Any]) -> set[tuple[str, ...]]:
    return {tuple(sorted(v["a"] + v["b"])) for f in _contradictions(report)
            for v in f["evidence"].get("slots", {}).values()}


def test_the_wire_story_is_the_origin_of_its_copy_edit_and_rewrite(scenario: dict[str, Any]) -> None:
    role = scenario["role"]
    group = next(g for g in scenario["origin_groups"] if role["O"] in g["members"])
    assert {role["C"], role["E"], role["R"]} <= set(group["members"])
    # In s1 the copy has no date and ties with the wire story: the dated one is the origin.
    assert group["origin_id"] == role["O"]
    assert role["U"] not in group["members"]


def test_the_independent_and_the_contradicting_reports_are_origins_of_their_own(scenario: dict[str, Any]) -> None:
    """I and X report the same event with their own sources (residents, a hospital director,
    officials the wire never quotes): each is an origin group of its own, not the wire's."""
    role = scenario["role"]
    for x in ("I", "X"):
        assert [g["members"] for g in scenario["origin_groups"] if role[x] in g["members"]] == [[role[x]]], x


def test_garbled_acronyms_are_flagged_and_correct_ones_are_not(scenario: dict[str, Any]) -> None:
    garbled = {(g["surface"], g["rule"]) for g in scenario["garbles"]}
    expected = {"s1": "SPEI", "s2": "NCAB", "s3": "ASPA"}[scenario["name"]]
    assert (expected, "acronym_mismatch") in garbled
    # s2: "National Anti-Corruption Bureau (NACB)" is the long form, not "Corruption Bureau".
    assert not any(surface == "NACB" for surface, _ in garbled)


def test_contradictions_found_and_bounds_or_money_not_taken_for_one(scenario: dict[str, Any]) -> None:
    pairs = _slot_pairs(scenario)
    if scenario["name"] == "s2":
        assert ("date:3-16", "date:3-19") in pairs
        assert ("num:12", "num:14") not in pairs  # "more than a dozen properties" vs "14 properties"
    if scenario["name"] == "s1":
        assert ("num:37", "num:52") in pairs  # the hospital director's 52 against the officials' 37
        assert not any("num:1.5" in p for p in pairs)  # "within 1.5 kilometres" is no count
    if scenario["name"] == "s3":
        assert ("num:3.1e+08", "num:4.7e+08") in pairs
        assert not any("num:4" in p for p in pairs)  # "four European suppliers" vs "470 million euros"
    for pair in pairs:  # "Thirty-seven" is 37, not 30 and 7
        assert not {"num:30", "num:7", "num:50", "num:2"} & set(pair)


def test_the_invented_expert_quote_is_an_embellishment_of_the_rewrite(scenario: dict[str, Any]) -> None:
    rewrite = scenario["role"]["R"]
    claims = {c["id"]: c for c in scenario["claims"]}
    flagged = [claims[i] for f in scenario["flags"] if f["kind"] == "embellishment" for i in f["claim_ids"]]
    assert any(c["article_id"] == rewrite and c["source_kind"] in ("anonymous", "role") for c in flagged)
    for f in scenario["flags"]:  # every flag carries its evidence
        assert f["claim_ids"] and f["spans"] and f["rule"]
    # The rewrite's paraphrases that keep the origin's figures are no additions: "by 6 a.m.",
    # "in forty minutes", "Thirty-seven ... 2,400" (S1), "roughly 200,000 lavs" (S2).
    kept = {"s1": ("6 a.m.", "forty minutes", "Thirty-seven people needed"), "s2": ("200,000 lavs",)}
    for text in kept.get(scenario["name"], ()):
        assert not [c for c in flagged if text in c["content"]["text"]], text


# --- three newsroom situations: a press release, shared boilerplate, a syndication blast ------


def _run(name: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp(name)
    path = SCENARIOS / f"{name}.jsonl"
    assert main(["run", str(path), "--db", str(out / "s.db"), "--out", str(out), "-q"]) == 0
    report = strict_json((out / "report.json").read_text())
    report["by_outlet"] = {}
    for a in report["articles"]:
        report["by_outlet"].setdefault(a["outlet"], []).append(a["id"])
    return report


@pytest.fixture(scope="module")
def press_release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run("press_release", tmp_path_factory)


def test_an_independent_report_of_a_press_release_is_its_own_origin(press_release: dict[str, Any]) -> None:
    """Harrowgate Radio News reports the announcement with its own interviews: one loosely
    matched sentence in 14 is no rewrite, so its claims count as a second origin."""
    [release] = press_release["by_outlet"]["Altavia Group"]
    [radio] = press_release["by_outlet"]["Harrowgate Radio News"]
    group = next(g for g in press_release["origin_groups"] if release in g["members"])
    assert group["origin_id"] == release and len(group["members"]) == 6
    assert radio not in group["members"]
    flagged = {a for f in press_release["flags"] if f["kind"] == "embellishment" for a in f["article_ids"]}
    assert radio not in flagged


@pytest.fixture(scope="module")
def boilerplate(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run("boilerplate", tmp_path_factory)


def test_a_company_workforce_and_a_site_s_new_jobs_are_no_contradiction(press_release: dict[str, Any]) -> None:
    """"It employs 5,800 people" (the group) and "the site would employ 650 people": figures
    nine times apart that share only what they count; "Six hundred and fifty jobs" is 650."""
    assert not _contradictions(press_release)


def test_datelines_of_different_days_are_no_contradiction(boilerplate: dict[str, Any]) -> None:
    """Six items of one outlet, each opening "By Gazette Staff | RIVERTON, April N (...) —"."""
    assert not _contradictions(boilerplate)


def test_one_outlets_unrelated_items_are_stories_of_their_own(boilerplate: dict[str, Any]) -> None:
    """School hours, a water main, a basketball title, a market, broadband, break-ins: six
    stories, though every item shares the paper's byline, dateline and town."""
    assert sorted(len(s["article_ids"]) for s in boilerplate["stories"]) == [1] * 6


def _reuse(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in report["edges"] if e["kind"] != "same-story"]


def test_a_shared_footer_makes_no_rewrites(boilerplate: dict[str, Any]) -> None:
    """The six unrelated items end with the same 59-word newsletter and corrections footer:
    it is masked as the outlet's boilerplate, so nothing links them and nothing in them is
    an embellishment."""
    assert not _reuse(boilerplate)
    assert all(len(g["members"]) == 1 for g in boilerplate["origin_groups"])
    assert not [f for f in boilerplate["flags"] if f["kind"] == "embellishment"]
    for a in boilerplate["articles"]:
        [span] = a["boilerplate"]
        assert a["text"][span["start"]:span["end"]].startswith("This story was produced by the Riverton Gazette")
        assert a["text"][span["start"]:span["end"]].endswith("555-0147.")


def test_a_footer_found_later_unlinks_the_first_items(tmp_path: Path) -> None:
    """Two items arrive first: their footer is not yet a pattern and links them. When four
    more arrive it is, and the first two are compared again without it."""
    lines = (SCENARIOS / "boilerplate.jsonl").read_text("utf-8").splitlines()
    first, rest = tmp_path / "first.jsonl", tmp_path / "rest.jsonl"
    first.write_text("\n".join(lines[:2]) + "\n", "utf-8")
    rest.write_text("\n".join(lines[2:]) + "\n", "utf-8")
    db = tmp_path / "s.db"
    assert main(["run", str(first), "--db", str(db), "--out", str(tmp_path / "one"), "-q"]) == 0
    before = strict_json((tmp_path / "one" / "report.json").read_text())
    # The reuse stage's link, whether or not provenance then tells the two items apart (each
    # has figures and a voice of its own: ``restatement.own_figures``).
    linked = [e for e in before["edges"] if e["kind"] != "same-story" or "demoted_from" in e["direction_evidence"]]
    assert linked, "the footer alone linked the first two items (the case this test is about)"
    assert main(["run", str(rest), "--db", str(db), "--out", str(tmp_path / "two"), "-q"]) == 0
    after = strict_json((tmp_path / "two" / "report.json").read_text())
    assert len(after["articles"]) == 6
    assert not [e for e in after["edges"] if e["kind"] != "same-story" or "demoted_from" in e["direction_evidence"]]
    assert not [f for f in after["flags"] if f["kind"] == "embellishment"]


def test_a_syndicated_wire_story_is_one_origin(tmp_path_factory: pytest.TempPathFactory) -> None:
    report = _run("syndication", tmp_path_factory)
    [wire] = report["by_outlet"]["Continental Wire Service"]
    group = next(g for g in report["origin_groups"] if wire in g["members"])
    assert group["origin_id"] == wire and len(group["members"]) == 26
    assert "press_release" not in group["evidence"]  # a wire story, not an organisation's release
    claims = {c["id"]: c for c in report["claims"]}
    wire_only = [g for g in report["claim_groups"] if all(claims[i]["article_id"] in group["members"]
                                                          for i in g["claim_ids"])]
    assert wire_only and all(g["n_origins"] == 1 for g in wire_only)
    # "41 percent below the average rainfall" and "food prices rose 9.4 percent" share a unit only;
    # "four provinces" under emergency and "12 emergency wells" a frame word only
    assert not any(p for p in _slot_pairs(report) if "pct:41" in p and "pct:9.4" in p)
    assert not _contradictions(report)


def test_a_held_out_set_of_negations(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A tester's corpus (``EXPECTED_negations.md``, written without the code) of a warehouse
    fire: six statements of the opposite without a denial word, thirteen negations that
    contradict nothing ("did not respond", "could not confirm", "no longer", an order not to
    speak, "had not admitted 80" against "treated 12", a first-person "We have not finished"),
    three orders and one differing count. What newstrace finds: three of the six (A4, the dead
    fish; A5, the schools: a paraphrase of the positive reading at 0.75 and 0.86; A2, two
    workers injured against "none of the company's employees had been hurt", a count of people
    harmed against nobody), the count (D1, 300 against 120), and no contradiction that EXPECTED
    rules out."""
    report = _run("negations", tmp_path_factory)
    name = {a["id"]: a["outlet"] for a in report["articles"]}
    found = {(f["rule"], frozenset(name[a] for a in f["evidence"]["side_a"]["article_ids"]),
              frozenset(name[a] for a in f["evidence"]["side_b"]["article_ids"]))
             for f in report["flags"] if f["kind"] == "contradiction"}
    assert found == {
        ("contradiction:assert-vs-negated", frozenset({"Halvorsk Tidende", "TrendPulse Daily"}),
         frozenset({"Orvenna Valley Radio"})),
        ("contradiction:assert-vs-negated", frozenset({"Eastmark Herald"}), frozenset({"Nordlake Wire"})),
        ("contradiction:slot-value", frozenset({"Orvenna Valley Radio"}), frozenset({"Coastal Business Daily"})),
        # A2: since a denial is read without who said it (corroboration version 51), the
        # spokesperson's "none of the company's employees had been hurt" is negated-sentence's
        # first; the nobody-count rule, which found it before, leaves a pair already flagged.
        ("contradiction:negated-sentence", frozenset({"Orvenna Valley Radio"}), frozenset({"Eastmark Herald"})),
    }
    orders = {name[c["article_id"]] for c in report["claims"] if c["method"] == "directive-rules"}
    assert {"Coastal Business Daily", "TrendPulse Daily"} <= orders
    unconfirmed = [c for c in report["claims"] if "forklift charging bay" in c["content"]["text"]
                   and c["cue"] and "confirm" in c["cue"]["text"]]
    assert unconfirmed and all(c["hedge"] == "reported" for c in unconfirmed)


def test_a_held_out_press_briefing(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A tester's corpus (``EXPECTED_briefing.md``, written without the code): four outlets at
    one press conference quote the minister's sentence word for word and report the same
    announcements in their own words; a wire story is copied once and rewritten by two content
    farms. The four reports are four origins, and the quote counts four; the rewrites' dropped
    hedge, added hedge, dropped attribution, invented quotes and garbled name and acronym are
    flagged; three of the four contradictions (a town, a weekday, a figure) are found; an update
    ("nine, up from the six"), two ages of two people and a quote saying the same "not" in two
    reports are none; an acronym in the agency's own language is no garble."""
    report = _run("briefing", tmp_path_factory)
    rid = {a["id"]: a["record_id"] for a in report["articles"]}
    groups = sorted(sorted(rid[m] for m in g["members"]) for g in report["origin_groups"])
    assert ["brf-copy", "brf-f1", "brf-f2", "brf-vpa"] in groups and len(groups) == 8
    claims = {c["id"]: c for c in report["claims"]}
    quote = next(g for g in report["claim_groups"]
                 if any("were fired on first" in claims[c]["content"]["text"] for c in g["claim_ids"]))
    assert quote["n_articles"] == 4 and quote["n_origins"] == 4
    assert not [f for f in report["flags"] if f["kind"] == "single-origin" and set(f["claim_ids"]) & set(quote["claim_ids"])]
    flagged = {(f["kind"], f["rule"].split(":")[1] if f["kind"] == "hedge-changed" else "",
                *sorted(rid[a] for a in f["article_ids"])) for f in report["flags"] if f["kind"] != "single-origin"}
    for want in [("hedge-changed", "dropped", "brf-f1", "brf-vpa"), ("hedge-changed", "added", "brf-f2", "brf-vpa"),
                 ("attribution-dropped", "", "brf-f1", "brf-vpa"), ("embellishment", "", "brf-f1"),
                 ("embellishment", "", "brf-f2")]:
        assert want in flagged, want
    assert not [f for f in report["flags"] if f["kind"] == "embellishment"
                and {rid[a] for a in f["article_ids"]} & {"brf-vc", "brf-rk", "brf-obs", "brf-sen", "brf-dh"}]
    # Along the wire's own links only: no flag between the two rewrites, siblings of one source.
    assert not [f for f in report["flags"] if {rid[a] for a in f["article_ids"]} == {"brf-f1", "brf-f2"}]
    garbled = {(rid[g["article_id"]], g["surface"], g["rule"]) for g in report["garbles"]}
    assert garbled == {("brf-f1", "Mathis Oldrevikson", "close_spelling"), ("brf-f2", "RSVP", "acronym_scrambled")}
    contradictions = {(f["rule"], *sorted(rid[a] for a in f["article_ids"]), *sorted(f["evidence"]["slots"]))
                      for f in report["flags"] if f["kind"] == "contradiction"}
    assert contradictions == {
        ("contradiction:slot-value", "brf-obs", "brf-sen", "num"),  # X4: 6,000 against 16,000 rounds
        ("contradiction:aligned-value", "brf-obs", "brf-vc", "place"),  # X1: Drummel against Hollin
        ("contradiction:aligned-value", "brf-dh", "brf-rk", "weekday"),  # X3: Thursday against Wednesday
    }


def test_a_held_out_corpus_arriving_over_three_days(tmp_path: Path) -> None:
    """A tester's corpus (``EXPECTED_days.md``, written without the code) fed as three daily
    batches into one database: stories keep their ids as follow-ups join, new stories open,
    a flood two weeks earlier elsewhere does not join the flood story, nothing splits, and the
    day-3 articles that show the strike and the stadium loan to be one development link the
    two stories (the acceptable outcome; the preferred one, a merge, is not reached)."""
    seen: dict[str, str] = {}
    reports = []
    for day in (1, 2, 3):
        out = tmp_path / f"day{day}"
        assert main(["run", str(SCENARIOS / f"days_{day}.jsonl"), "--db", str(tmp_path / "d.db"), "--out", str(out),
                     "-q"]) == 0
        report = strict_json((out / "report.json").read_text())
        rid = {a["id"]: a["record_id"] for a in report["articles"]}
        story = {rid[a]: s["id"] for s in report["stories"] for a in s["article_ids"]}
        assert all(story[a] == s for a, s in seen.items()), day  # no id changes
        seen = story
        reports.append((report, rid, story))
    report, rid, story = reports[-1]
    parts = sorted(sorted(a for a in story if story[a] == s) for s in set(story.values()))
    assert parts == [["day-1-01", "day-1-02", "day-1-03", "day-2-01", "day-2-02"],
                     ["day-1-04", "day-1-05", "day-1-06", "day-2-03", "day-3-03"],
                     ["day-1-07", "day-1-08", "day-2-06", "day-3-01", "day-3-02"],
                     ["day-1-09", "day-3-04"], ["day-2-04"], ["day-2-05"], ["day-3-05"]]
    events = [e for s in report["stories"] for e in s["events"]]
    assert not [e for e in events if e["kind"] in ("split", "merge")]
    links = {(e["story"], e["from_story"], rid[e["article"]]) for e in events if e["kind"] == "link"}
    assert links == {(story["day-1-07"], story["day-1-01"], "day-3-01"), (story["day-1-07"], story["day-1-01"], "day-3-02")}
    groups = [sorted(rid[m] for m in g["members"]) for g in report["origin_groups"]]
    assert any({"day-1-02", "day-1-03"} <= set(g) for g in groups)  # the copy
    assert any({"day-1-07", "day-2-06"} <= set(g) for g in groups)  # the rewrite, a day later


def _expected_attributions() -> list[tuple[str, list[str]]]:
    """The annotated claims of ``EXPECTED_attribution.md``: (article id, table cells)."""
    rows, article = [], None
    for line in (SCENARIOS / "EXPECTED_attribution.md").read_text().splitlines():
        if line.startswith("#") and "att-" in line:
            article = "att-" + line.split("att-", 1)[1].split()[0].strip("`():,")
        if line.startswith("| A") and line[3:4].isdigit():
            rows.append((article, [c.strip() for c in line.strip().strip("|").split("|")]))
    return rows


def test_a_held_out_set_of_attributions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A tester's 90 annotated claims (``EXPECTED_attribution.md``, written without the code):
    what newstrace gets right at this round's end, so that none of it is lost unnoticed (first
    run: 85 found, 73 speakers right, 25 of 38 names resolved; see docs/benchmarks.md)."""
    report = _run("attribution", tmp_path_factory)
    rid = {a["id"]: a["record_id"] for a in report["articles"]}
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    by_article: dict[str, list[dict[str, Any]]] = {}
    for c in report["claims"]:
        by_article.setdefault(rid[c["article_id"]], []).append(c)
    rows = _expected_attributions()
    assert len(rows) == 90
    found = speaker = resolved = hedged = 0
    for article, (_, _, said, named, _, content, *_, hedge) in rows:
        piece = content.split(" \u2026 ")[0].strip().strip('"')
        start = text[article].find(piece)
        assert start >= 0, piece
        end = start + len(piece)
        # The claim covering most of the expected content, the closest in length among equals
        # (an outer claim holds the whole of a nested one).
        best = max(by_article.get(article, []), default=None, key=lambda c: (
            min(c["content"]["end"], end) - max(c["content"]["start"], start),
            -abs(c["content"]["end"] - c["content"]["start"] - len(piece))))
        if best is None or min(best["content"]["end"], end) - max(best["content"]["start"], start) < 0.5 * len(piece):
            continue
        found += 1
        hedged += best["hedge"] == hedge
        source = ((best.get("source") or {}).get("text") or "").lower()
        if said.startswith("(quote continues"):
            speaker += bool(source or best.get("source_entity"))
        else:
            speaker += bool(source) and (said.lower() in source or source in said.lower()
                                         or said.split()[-1].lower() in source)
        if named not in ("-", ""):
            resolved += bool(best.get("source_entity")) and best["source_entity"].split()[-1].lower() in named.lower()
    assert found >= 85 and speaker >= 84 and resolved >= 30 and hedged >= 81, (found, speaker, resolved, hedged)


def _bench_scenarios() -> Any:
    """``bench/scenarios.py``, whose scorers read the answer keys' tables (one reading of a key
    for the benchmark and its floor here)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_scenarios", SCENARIOS.parents[1] / "bench" / "scenarios.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _origin_sets(report: dict[str, Any], rid: dict[str, str]) -> list[list[str]]:
    return sorted(sorted(rid[m] for m in g["members"]) for g in report["origin_groups"])


def test_a_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A tester's corpus (``EXPECTED_contradictions.md``, written without the code): six stories,
    each told by three to five outlets in their own words, one copy and one rewrite. What
    newstrace gets right at this round's end, as a floor: every report is its own origin but
    the copy and the rewrite (22), the two one-paragraph briefs too, so the full reports'
    own reporting is no embellishment (34 flags before, at most one now); the hour the fire
    broke out, the weekday the storm came ashore, the victim's age, the road reopened / still
    closed, the prison term, the fee, who beat whom, the vote count, the amendment approved /
    rejected, who sued whom, the shares risen / fallen, the plant's future agreed / refused and
    the contractor's owner convicted / acquitted (told of her name in other words) are
    contradictions, some where one side is no claim (sentences told the other way round); no contradiction
    inside an origin group; at most four false ones (see docs/benchmarks.md)."""
    report = _run("contradictions", tmp_path_factory)
    rid = {a["id"]: a["record_id"] for a in report["articles"]}
    groups = _origin_sets(report, rid)
    assert ["ctr-fire-copy", "ctr-fire-vna"] in groups and ["ctr-xfer-gb", "ctr-xfer-sv"] in groups
    assert len(groups) == 22
    assert len([f for f in report["flags"] if f["kind"] == "embellishment"]) <= 1
    group_of = {m: tuple(g) for g in groups for m in g}
    article_of = {c["id"]: rid[c["article_id"]] for c in report["claims"]}
    found = set()
    for f in _contradictions(report):
        for p in f["evidence"]["pairs"]:
            a, b = (article_of[p["a"]], article_of[p["b"]]) if "a" in p else (rid[p["a_article"]], rid[p["b_article"]])
            assert group_of[a] != group_of[b], f["summary"]
        arts = {rid[a] for side in ("side_a", "side_b") for a in f["evidence"][side]["article_ids"]}
        found.add((frozenset(arts), *(sorted(f["evidence"].get("slots", {})) or [f["rule"]])))
    want = {"X1": ({"ctr-fire-vna", "ctr-fire-hc"}, "time"), "X4": ({"ctr-storm-gp", "ctr-storm-ct"}, "weekday"),
            "X5": ({"ctr-storm-gp", "ctr-storm-od"}, "age"), "X7": ({"ctr-storm-od", "ctr-storm-ct"}, "opposite"),
            "X8": ({"ctr-court-vna", "ctr-court-od"}, "opposite"),
            "X9": ({"ctr-court-ocr", "ctr-court-vna", "ctr-court-od"}, "dur"),
            "X10": ({"ctr-xfer-sv", "ctr-xfer-gb", "ctr-xfer-mh"}, "num"),
            "X11": ({"ctr-xfer-len", "ctr-xfer-sv"}, "swapped"),
            "X12": ({"ctr-budget-vpr", "ctr-budget-lt"}, "score"),
            "X13": ({"ctr-budget-vpr", "ctr-budget-len", "ctr-budget-lt"}, "opposite"),
            "X14": ({"ctr-deal-vl", "ctr-deal-vbr"}, "swapped"),
            "X15": ({"ctr-deal-vbr", "ctr-deal-od"}, "opposite"),
            "X16": ({"ctr-deal-vl", "ctr-deal-od"}, "opposite")}
    hits = {x for x, (arts, slot) in want.items() if any(arts <= set(k[0]) and slot in k[1:] for k in found)}
    assert hits == set(want), set(want) - hits
    assert len(found) <= len(want) + 4, len(found)


def test_a_second_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A second tester's corpus (``EXPECTED_contradictions2.md``), written after the first had
    shaped the rules: its first run (see docs/benchmarks.md) found 16 origins of 22, 4 of 16
    contradictions and 34 embellishment flags. As a floor: the briefs and the full reports
    after them are apart (at least 19 origins), the copy and the padded rewrite stay with their
    wire and the padded rewrite's invented resident's quote is an embellishment (E1), at most
    11 embellishment flags; the time of the derailment, the prison term ("four years" / "three
    and a half years"), the co-defendant convicted / cleared, the amount embezzled, who won
    the match ("came from behind to beat", "a 2-1 defeat by" / "defeated"), the driver "not
    hurt" / taken to hospital "with injuries" and the date the new wage "will take effect" /
    "applies from" are contradictions, none inside an origin group but along a reuse edge, at
    most 13 flags in all (two of them match no row of the key; a daily cost
    and an annual wage bill, an amount stolen and one recovered are no contradiction)."""
    report = _run("contradictions2", tmp_path_factory)
    rid = {a["id"]: a["record_id"] for a in report["articles"]}
    groups = _origin_sets(report, rid)
    assert ["ct2-rail-hub", "ct2-rail-kpw"] in groups and ["ct2-rescue-bt", "ct2-rescue-kpw"] in groups
    assert len(groups) >= 19
    for alone in ("ct2-rail-knr", "ct2-rail-hh", "ct2-court-scr", "ct2-court-se", "ct2-court-kbj", "ct2-match-ks"):
        assert [alone] in groups, alone
    embellished = [f for f in report["flags"] if f["kind"] == "embellishment"]
    assert len(embellished) <= 11
    assert any(rid[s["article_id"]] == "ct2-rescue-bt" and "The fog up there" in s["text"]
               for f in embellished for s in f["spans"])
    group_of = {m: tuple(g) for g in groups for m in g}
    found = []
    for f in _contradictions(report):
        arts = [{rid[a] for a in f["evidence"][side]["article_ids"]} for side in ("side_a", "side_b")]
        if f["rule"] == "contradiction:changed-in-rewrite":
            # Along a reuse edge, inside a group: never in the copy or the padded rewrite,
            # which keep every fact of their wire.
            assert not (arts[0] | arts[1]) & {"ct2-rail-hub", "ct2-rescue-bt"}, f["summary"]
        else:
            assert not {group_of[a] for a in arts[0]} & {group_of[b] for b in arts[1]}, f["summary"]
        found.append((arts[0] | arts[1], *sorted(f["evidence"].get("slots", {})), f["rule"]))
    want = {"X1": ({"ct2-rail-kpw", "ct2-rail-hh"}, "time"),
            "X3": ({"ct2-rail-kpw", "ct2-rail-vt"}, "contradiction:negated-sentence"),
            "X6": ({"ct2-wage-kpw", "ct2-wage-knr"}, "date"), "X7": ({"ct2-court-scr", "ct2-court-kbj"}, "dur"),
            "X8": ({"ct2-court-scr", "ct2-court-kbj"}, "opposite"),
            "X9": ({"ct2-court-scr", "ct2-court-se"}, "num"),
            "X10": ({"ct2-match-ks", "ct2-match-cc", "ct2-match-knr"}, "swapped")}
    hits = {x for x, (arts, slot) in want.items() if any(arts <= k[0] and slot in k[1:] for k in found)}
    assert hits == set(want), set(want) - hits
    assert len(found) <= 13, len(found)


def test_a_held_out_set_of_rewrites_that_change_facts(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A third tester's corpus (``EXPECTED_changes.md``): wire stories and their copies,
    restyles, condensed and padded rewrites, 19 of which change a fact of their wire (C rows)
    and 23 that tell one otherwise without changing it (N rows). Its first run, with the first
    version of ``changed-in-rewrite`` (aligned pairs only), found 11 of 19 (docs/benchmarks.md).
    As a floor: the 13 origin groups of the key; at least 14 changes found by a flag along the
    edge or set against the wire by an independent report, each with the wire's sentence on one
    side and the rewrite's on the other (along the edge: a count, an age, a time of day, a
    percentage, a sum, a weekday, a venue, who beat whom, convicted / acquitted, rejected /
    approved, rose / fell and a quotation given to the mayor instead of the opposition
    leader); no look-alike flagged; the copy of a restyle that repeats its changes is
    never set against the restyle (it changes nothing of it)."""
    report = _run("changes", tmp_path_factory)
    rid = {a["id"]: a["record_id"] for a in report["articles"]}
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    assert len(report["origin_groups"]) == 13
    changed = [f for f in report["flags"] if f["rule"] == "contradiction:changed-in-rewrite"]

    def side(f: dict[str, Any], key: str) -> set[tuple[str, int, int]]:
        """What one side of a contradiction flag says: its claims' spans and its sentences."""
        claims = set(f["evidence"][key].get("claim_ids", []))
        return ({(rid[x["article_id"]], x["start"], x["end"]) for x in f["spans"] if x["claim_id"] in claims}
                | {(rid[x["article_id"]], x["start"], x["end"]) for x in f["evidence"][key].get("sentences", [])})

    sides = [(side(f, "side_a"), side(f, "side_b"), f in changed) for f in _contradictions(report)]

    def places(cell: str) -> set[tuple[str, int, int]]:
        """(article, start, end) of each quoted sentence of a table cell in each article it names."""
        out = set()
        for sentence in re.findall(r'"((?:[^"\\]|\\.)+)"', cell):
            sentence = sentence.replace('\\"', '"').strip(". ")
            for article in re.findall(r"\*\*(chg-[a-z0-9-]+)\*\*", cell):
                start = text[article].find(sentence[:60])
                if start >= 0:
                    out.add((article, start, start + len(sentence)))
        return out

    def meet(xs: set[tuple[str, int, int]], ys: set[tuple[str, int, int]]) -> bool:
        return any(a == b and s < e2 and e > s2 for a, s, e in xs for b, s2, e2 in ys)

    rows = {}
    for line in (SCENARIOS / "EXPECTED_changes.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[CN]\d+", cells[0]):
            rows[cells[0]] = (places(cells[3]), places(cells[4]))
    assert len(rows) == 42 and all((a and b) or k == "N5" for k, (a, b) in rows.items())  # N5: an added figure
    found = {k for k, (a, b) in rows.items() if any((meet(a, s_a) and meet(b, s_b)) or (meet(a, s_b) and meet(b, s_a))
                                                    for s_a, s_b, _ in sides)}
    along = {k for k, (a, b) in rows.items() if any(meet(a, s_a) and meet(b, s_b) for s_a, s_b, c in sides if c)}
    changes = {k for k in found if k.startswith("C")}
    assert len(changes) >= 14, " ".join(sorted(changes))
    # Along the edge (the price per share, C17, is set against the wire by the independent
    # report that gives it right, and not flagged twice).
    assert {"C1", "C3", "C4", "C5", "C6", "C8", "C10", "C12", "C14", "C15", "C16", "C19"} <= along, sorted(along)
    assert not {k for k in found if k.startswith("N")}
    assert not [f for f in changed if {"chg-fire-r2", "chg-fire-r3"} <= {rid[a] for a in f["article_ids"]}
                and {rid[a] for a in f["evidence"]["side_a"]["article_ids"]} & {"chg-fire-r2", "chg-fire-r3"}]
    # Every rewrite's parent link points at the article the key says it was made from: the
    # wire, or for the copy of the restyle, the restyle.
    scenarios = _bench_scenarios()
    report["rid"] = rid
    parents, sources = scenarios.parent_links(report), scenarios.made_from("changes")
    assert len(sources) == 19 and sources["chg-fire-r3"] == "chg-fire-r2"
    assert {k: parents.get(k) for k in sources} == {k: {v} for k, v in sources.items()}


def test_a_held_out_set_of_padded_rewrites_and_full_reports(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A tester's corpus (``EXPECTED_padding.md``, written without the code, after the rule for
    briefs and full reports was made): four wire items padded out by fake local sites to 2.5-2.9
    times their length with invented quotes and figures, one copied, and three briefs followed
    by independent full reports. As its first run found (docs/benchmarks.md): every padded
    rewrite stays with its wire and 10 of its 11 invented sentences are embellishments; every
    full report is apart from the brief before it. Not yet: a short bulletin that follows a full
    report with news of its own is grouped with it (14 origins of 18; 15 since the later of two
    reports that quotes what someone told its own outlet is parted from the other)."""
    report = _run("padding", tmp_path_factory)
    rid = {a["id"]: a["record_id"] for a in report["articles"]}
    groups = _origin_sets(report, rid)
    group_of = {m: tuple(g) for g in groups for m in g}
    assert len(groups) >= 15
    for wire, padded in (("pad-bridge-vpa", "pad-bridge-kn"), ("pad-water-vpa", "pad-water-odd"),
                         ("pad-ferry-vpa", "pad-ferry-pct"), ("pad-mill-vpa", "pad-mill-al"),
                         ("pad-museum-vpa", "pad-museum-vnr")):
        assert group_of[wire] == group_of[padded], padded
    for brief, full in (("pad-bridge-vpa", "pad-bridge-mc"), ("pad-fire-vpr", "pad-fire-odl"),
                        ("pad-fire-vpr", "pad-fire-go"), ("pad-ferry-vpa", "pad-ferry-pbg")):
        assert group_of[brief] != group_of[full], full
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    spans = [(rid[s["article_id"]], s["start"], s["end"]) for f in report["flags"] if f["kind"] == "embellishment"
             for s in f["spans"]]
    invented = {"pad-bridge-kn": ["16,000 vehicles a day", "We all knew this bridge"],
                "pad-water-odd": ["Queues had formed", "Boil-water notices are a precaution", "I have two small"],
                "pad-ferry-pct": ["You could barely see", "400,000 passengers", "more than three decades"],
                "pad-mill-al": ["since 1887", "My father worked at that mill"]}
    for article, needles in invented.items():
        for needle in needles:
            at = text[article].index(needle)  # a flag on the sentence that holds it
            start = max(text[article].rfind(". ", 0, at), text[article].rfind("\n", 0, at)) + 1
            end = text[article].find(". ", at) % (len(text[article]) + 1)
            assert any(a == article and s < end and e > start for a, s, e in spans), needle


def test_a_held_out_set_of_garbled_names(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A tester's corpus (``EXPECTED_names.md``, written without the code): state media's
    stories rewritten by fake local sites that garble names, beside independent reports that
    spell them their own way. The rewrites are grouped with their sources, and 12 of the 14
    garbles are found, most as names a rewrite changed from its source ("UBV" is no entity
    mention; "Anton" for "Artyom" Shelepin is another first name, which a rewrite's "Hillary"
    for "Bill" Clinton is too); no rewrite's own correct form is one (first run: 4 of 14; see
    docs/benchmarks.md)."""
    report = _run("names", tmp_path_factory)
    rid = {a["id"]: a["record_id"] for a in report["articles"]}
    groups = _origin_sets(report, rid)
    assert ["nam-lg1", "nam-mcl1", "nam-occ1", "nam-zta"] in groups
    assert ["nam-lg2", "nam-mcl2", "nam-occ2", "nam-voz"] in groups
    garbled = {(rid[g["article_id"]], g["surface"]) for g in report["garbles"]}
    assert {("nam-occ1", "Radomir Velichkovsky"), ("nam-occ1", "TZA"),
            ("nam-lg1", "Gradintsa"), ("nam-mcl1", "Radomir Velishkov"), ("nam-mcl1", "Bogdan Krevats"),
            ("nam-mcl1", "Dubrinka"), ("nam-occ2", "Igor Tsvetkov"), ("nam-occ2", "Volnograd"),
            ("nam-mcl2", "Gleb Arkhipov"), ("nam-mcl2", "SZK"), ("nam-mcl2", "Arvid Lund"),
            ("nam-mcl2", "Imlaenergo")} <= garbled
    rewrites = {"nam-occ1", "nam-lg1", "nam-mcl1", "nam-occ2", "nam-lg2", "nam-mcl2"}
    assert not {s for a, s in garbled if a in rewrites} & {"Artyom Shelepin", "Kravets", "Dobrinka", "Gradnitsa",
                                                             "SKZ", "Arkhipenko", "Ilmaenergo", "Arvid Lunde", "UVB",
                                                             "Tsvetaev", "Volnogorsk", "Tobias Venner", "ZTA"}
    assert not [g for g in report["garbles"] if g["rule"] == "changed_in_rewrite" and rid[g["article_id"]] not in rewrites]
    # An independent outlet's own romanisation is a spelling (EXPECTED_names.md, look-alikes B).
    assert not {a for a, _ in garbled} & {"nam-omp1", "nam-omp4"}


def _expected_hedges() -> list[tuple[str, str, str, str]]:
    """(id, flag kind, rewrite article, rewrite sentence) of EXPECTED_hedges.md's flags."""
    rows, section = [], None
    kinds = {"### Attribution dropped": "attribution-dropped", "### Hedge changed": "hedge-changed",
             "### Embellishment": "embellishment", "## Look-alikes": None}
    for line in (SCENARIOS / "EXPECTED_hedges.md").read_text("utf-8").splitlines():
        section = next((k for head, k in kinds.items() if line.startswith(head)), section)
        if section and line.startswith("| ") and line[2:3] in "AHE" and line[3:4].isdigit():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            art, sent = ((cells[1], cells[2]) if section == "embellishment"
                         else (cells[2], cells[3]) if section == "attribution-dropped" else (cells[3], cells[4]))
            rows.append((cells[0], section, art.strip("*"), sent.strip('"').replace('\\"', '"')))
    return rows


def test_a_held_out_set_of_hedge_and_attribution_changes(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A tester's corpus (``EXPECTED_hedges.md``, written without the code): four wire stories,
    each copied once and rewritten twice with planted hedge and attribution changes and
    invented details, beside independent reports. Floors at this round's end: 25 of the 30
    planted flags on the right rewrite sentence, at most 7 other flags of these kinds."""
    report = _run("hedges", tmp_path_factory)
    rid = {a["id"]: a["record_id"] for a in report["articles"]}
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    groups = _origin_sets(report, rid)
    for story, origin in (("fire", "aps"), ("bribe", "asn"), ("crime", "nnw"), ("health", "asn")):
        assert sorted(f"hdg-{story}-{x}" for x in (origin, "copy", "r1", "r2")) in groups, story
    rows = _expected_hedges()
    assert len(rows) == 30
    used, found = set(), 0
    for _, kind, art, sent in rows:
        start = text[art].find(sent[:60])
        assert start >= 0, sent
        hit = [k for k, f in enumerate(report["flags"]) if f["kind"] == kind and any(
            rid[s["article_id"]] == art and s["start"] < start + len(sent) and s["end"] > start for s in f["spans"])]
        found += bool(hit)
        used.update(hit)
    others = [f for k, f in enumerate(report["flags"])
              if k not in used and f["kind"] in ("attribution-dropped", "hedge-changed", "embellishment")]
    assert found >= 25 and len(others) <= 7, (found, len(others))


def test_a_held_out_laundering_network(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A fourth tester's corpus (``EXPECTED_laundering2.md``): four state-agency stories, each
    laundered through a near copy, a restyle, a rewrite of a rewrite and a padded rewrite, with
    two independent reports each. Its first run (docs/benchmarks.md) is kept as a floor, scored
    as command S scores it: the 12 origin groups; at least 6 of 12 changed facts, 6 of 8 dropped
    hedges or attributions, 7 of 8 embellishments, 4 of 6 garbled names and 1 of 7
    contradictions with the independent reports; at most 5 of the 12 look-alikes flagged; at
    least 14 of the 16 parent links the key names. Since people harmed are counted against
    nobody (2026-12-06), the rewrite of a rewrite that invents two injured workers (C3, against
    its source's "no one was hurt") and the agency's "unconfirmed reports of two deaths" against
    the health ministry's "no one had died" (X7) are found too: 8 changed facts, 3 contradictions;
    and the restyle that moves the blast from "early on Tuesday" to "late on Monday night" (C2): 9;
    and the two denials turned into admissions (C4, C11): 11."""
    report = _run("laundering2", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().laundering2(report)
    assert got["origins"] == 12
    floors = {"C": 11, "H": 6, "E": 7, "G": 4, "X": 3}
    assert {k: len(got[k]["found"]) >= v for k, v in floors.items()} == dict.fromkeys(floors, True), got
    assert {"C2", "C3", "C4", "C11"} <= set(got["C"]["found"]) and "X7" in got["X"]["found"], got
    assert len(got["N"]["found"]) <= 5 and got["parents_right"] >= 14, got


def test_a_third_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A fifth tester's corpus (``EXPECTED_contradictions3.md``): seven stories told by
    independent outlets in their own words, 20 contradictions and 21 look-alikes. Its first run
    (docs/benchmarks.md, 2026-12-05 from 19:53 UTC) found 2 of the 20; as a floor, what the
    sentence-level rules of that round find: at least 8 (a prison term, a time told in words, a
    verdict and a quotation each given otherwise, among them) and the half-year profit in the
    corpus's invented currency ("rells"), no look-alike set against itself (the union's demand
    and the company's offer were, before demands were read from the claim's cue) and at most
    one flag that matches no row (five before the story's own currency words and the frames of
    years). A revenue fall told with two verbs ("fell 8 percent" / "slid 14 percent", 2026-12-06)
    makes 9, and a council that "voted the Line 4 tram extension down" against one that approved
    it, 10; with an age told of a role ("The 58-year-old former mayor") the former mayor's two
    ages (X7), 11. Its local paper's flood report, alone in a story of its own until a lone
    article joined the story it shares specific names with, now meets the wire's forecast and
    morning reading, which look like disagreements and are none (N2, N3): a forecast is no
    rainfall, and readings at two clock times no two values of one. With two scorers of one
    87th-minute winner (X19): 12; with the final on Saturday / on Sunday in other words (X20): 13."""
    report = _run("contradictions3", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independent_contradictions(report)
    assert len(got["found"]) >= 13 and {"X5", "X6", "X7", "X8", "X10", "X11", "X16", "X17", "X19", "X20"} <= set(
        got["found"]), got
    assert got["lookalikes_flagged"] == [] and got["other_contradiction_flags"] <= 1, got


def test_a_fourth_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A sixth tester's corpus (``EXPECTED_contradictions4.md``), written after the rules of
    the third were in place and run once before any change: seven stories, 20 contradictions
    between independent reports and 20 look-alikes. The code the round started from found 5;
    as a floor, the 7 found by the rules of that round (among them a co-defendant "cleared" /
    "found guilty" and the value a takeover offer puts on the company, each in plain sentences
    of the reports' own voice). Its 12 flags matching no row were, most of them, figures of a
    takeover in the invented currency "drals" taken for counts of one thing; with the story's
    own currency words, the frames of years, and counts told at two moments (a death toll
    risen by the next day, patients left in hospital two days apart), one is left, and the
    look-alike once set against itself (the toll of three, then four) no longer is. With
    scores and vote tallies read whole ("2-1", "by 21 votes to 12"), the cup final's score and
    the council's tally are found too, and with ages bound to names the foreman's two ages: 10;
    with a stake owned and a stake held one quantity (2026-12-06), the buyer's stake too: 11.
    Origins: 24 of 27 until the wire, published after the radio's report it was taken for a
    rewrite of, was parted from it: it quotes what a colleague of the dead "told BNA", its own
    interview (2026-12-06): 25. With two scorers of one 88th-minute winner (X16): 12. With the
    storm's radio report and local paper, which the cut left together, joined to their story
    on the names they share (2026-12-06): 14 (X4, X6)."""
    report = _run("contradictions4", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independent_contradictions(report, "contradictions4")
    assert len(got["found"]) >= 14 and {"X3", "X4", "X6", "X7", "X10", "X12", "X13", "X16", "X17"} <= set(
        got["found"]), got
    assert got["lookalikes_flagged"] == [] and got["other_contradiction_flags"] <= 1, got
    assert got["origins"] >= 25, got


def test_a_fifth_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A further tester's corpus (``EXPECTED_contradictions5.md``), written while the rules of
    the fourth were being mended and run before any change for it: seven stories in an invented
    country with its own currency, 20 contradictions between independent reports and 20
    look-alikes. The code of the round's start found 3, set 4 look-alikes against themselves
    and raised 15 flags matching no row; as a floor, the 3 (a verdict, a share move, a
    rainfall) and a victim's two ages (X2, once ages were bound to names), no look-alike (an alleged sum against the court's finding and two towns'
    rainfall were, before alleged figures and figures' owners were read) and at most three
    flags matching no row (two companies' revenue, a total against a part, and two numbers of
    networks in two places). Two limits of one payment ("up to 25,000 marls" / "up to 15,000",
    2026-12-06) are found too (X14), and the managing director who "resigned" / "would not
    resign" (X20); with a council's vote given two weekdays in other words ("approved the charge on
    Wednesday evening" / "voted on Tuesday night"), X11."""
    report = _run("contradictions5", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independent_contradictions(report, "contradictions5")
    assert {"X2", "X4", "X7", "X11", "X13", "X14", "X20"} <= set(got["found"]), got
    assert got["lookalikes_flagged"] == [] and got["other_contradiction_flags"] <= 3, got


def test_a_sixth_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A further tester's corpus (``EXPECTED_contradictions6.md``), written after the rules of
    the fifth and run before any change for it: seven stories, 20 contradictions between
    independent reports, 20 look-alikes. The round's starting code found 5 (2 look-alikes, 5
    other flags); the round's rules before it was read found 4, losing a deadline told of one
    company ("Hollin has six months" / "twelve months") when names left the frames of lengths
    of time too; with names kept in those, 5 again (a count of households, a deadline, a
    price, a leak, an age), each contradiction flagged once, at most one look-alike (two
    different records; a temperature at the start and the one it "had climbed to" by midday
    was one, before a value a change reached was read as a later one) and at most three flags
    matching no row. Since a post left and a post kept are opposites (2026-12-06), the prison
    governor "suspended" / "has remained in charge" too (X18); and the commission's board
    "approved the deal unanimously" against "a 3-2 vote" (X12); and, with a denial read without
    the words that say who denied it, "no fire at Dunvell" against "a transformer ... caught
    fire" (X2)."""
    report = _run("contradictions6", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independent_contradictions(report, "contradictions6")
    assert {"X2", "X3", "X10", "X11", "X12", "X13", "X16", "X18"} <= set(got["found"]), got
    assert len(got["lookalikes_flagged"]) <= 1 and got["other_contradiction_flags"] <= 3, got
    ages = [f for f in report["flags"] if f["kind"] == "contradiction" and "age" in f["evidence"].get("slots", {})]
    assert len(ages) == 1, [f["summary"] for f in ages]


def test_a_seventh_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A further tester's corpus (``EXPECTED_contradictions7.md``), written on 2026-12-06 while
    that round's rules were being made and run on the round's starting code and on its code of
    the moment before any change for it: both found the same 5 of its 20 contradictions (a
    prison term, a price, jobs cut, a vote tally, a score), set 3 look-alikes against
    themselves and raised 6 flags matching no row. As a floor, the 5; with figures of an earlier
    event ("the record of 7.1 metres set in 2009", "since 2019, when they beat Tessaly 3-1"), a
    combined total and a total against a part of one noun ("carrying 212 passengers" / "brought
    140 passengers ashore") told apart: one look-alike (an earlier vote's tally) and two other
    flags at most; with a crowd, an attendance and spectators one count, the final's attendance
    (X17) too, four protesters arrested against "no one had been arrested" (X14), and a verdict
    on Monday against one on Tuesday in other words (X9); with a length of time counted from an
    event not framed by it, and an earlier year in a claim's sentence dating its tally, no
    look-alike and no other flag; with "in all" no frame and residents people, the two counts of
    people taken to hospital and of residents evacuated (X1, X4): 10; and the offer's premium,
    "28 percent" over the price / "19 percent above" it (X12): 11; with "6:40 p.m." read whole
    and framed by the "Harrow Bank" it ran aground on, the time of the grounding (X2): 12; with
    an age told of a role ("The 68-year-old former mayor") and a man alive in one report and
    found dead in another (X8, X19): 14; with two scorers of the 87th-minute winner (X18): 15."""
    report = _run("contradictions7", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independent_contradictions(report, "contradictions7")
    assert {"X1", "X2", "X4", "X7", "X8", "X9", "X10", "X11", "X12", "X13", "X14", "X16", "X17", "X18", "X19"} <= set(
        got["found"]), got
    assert got["origins"] == 27 and got["lookalikes_flagged"] == [] and got["other_contradiction_flags"] == 0, got


def test_an_eighth_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A further tester's corpus (``EXPECTED_contradictions8.md``), written on 2026-12-06 by a
    helper who had not read the code and run first on that round's starting code: 2 of its 20
    contradictions found (a denial of diverted ambulances, a share price), one look-alike set
    against itself (85 operations cancelled on Thursday / 160 by Friday evening since the
    walkout began) and 3 flags matching no row (a 48-hour strike / a two-day strike, "the next
    three years" / "the next 18 months"). With one length told in two units one value, running
    totals no second value and "next" no frame word: no look-alike and no other flag; with
    homes and households one count and provisions and money set aside one frame, the
    households a utility serves (X14) and a bank's provisions (X8): 4. Three of its reports were
    stories of their own (a courier's landslide report that opens with the rescued shepherd, a
    local paper's escape, a cycle race's home-town angle); joined on the specific names they
    share with their events' stories, the courier's houses flattened (X1) and its shepherd
    pulled out alive against the body recovered (X3) are found: 6; one flag matches no row (an
    attack 38 kilometres out / a rival who "shadowed Ovren for the final 30 kilometres"). With a
    five-judge panel "unanimous" against judges "split three to two" (X19) and one official
    given two posts (X15): 8; with two riders in third place (X16): 9; with the strike begun on
    Thursday / "which started on Wednesday morning" (X5): 10."""
    report = _run("contradictions8", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independent_contradictions(report, "contradictions8")
    assert {"X1", "X3", "X5", "X6", "X7", "X8", "X14", "X15", "X16", "X19"} <= set(got["found"]), got
    assert got["lookalikes_flagged"] == [] and got["other_contradiction_flags"] <= 1, got


def test_a_ninth_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A further tester's corpus (``EXPECTED_contradictions9.md``), written on 2026-12-06 by a
    helper who had not read the code (an emergency landing, a mine rescue, a mayoral runoff, a
    drug recall, a wildfire, an auction, a tennis final), run first on that round's starting
    code: 1 of its 20 contradictions found (58 / 64 hours trapped), no look-alike, 3 flags
    matching no row. With one person alive in one report and dead in another ("is recovering in
    hospital" on Friday / "died on Thursday night" in Monday's paper) and an age told of the
    subject named just before ("The 19-year-old,"): 3; with a board's unanimous certification
    against its vote of five to two (X10) and a manager called the finance chief (X7): 5; with the
    fire broken out on Sunday / "first reported on Saturday evening" (X15): 6; with "The recall
    covers 14 batches" / "recalling nine batches" one count (X11): 7."""
    report = _run("contradictions9", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independent_contradictions(report, "contradictions9")
    assert {"X4", "X5", "X7", "X10", "X11", "X15", "X19"} <= set(got["found"]), got
    assert got["lookalikes_flagged"] == [] and got["other_contradiction_flags"] <= 3, got


def test_a_tenth_held_out_set_of_contradictions(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A further tester's corpus (``EXPECTED_contradictions10.md``), written on 2026-12-06 by a
    helper who had not read the code (a bridge closed, a museum theft, a coach crash, a rocket
    failure, a hospital outbreak, a chess final, a leopard's escape), run first on that
    round's starting code: 1 of its 20 contradictions found (a doctor given two posts), one
    look-alike (twelve diagnosed / ten still treated), 5 flags matching no row, and the rocket
    story in two (a business daily and a paper leading on the maker's shares). With the pair
    joined to its story and the share price's fall and rise read of one name (X11), 23
    objects / "eleven pieces" (X4) and "last Friday" read as a date (X14): 4, the look-alike
    and 4 of the 5 other flags gone."""
    report = _run("contradictions10", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independent_contradictions(report, "contradictions10")
    assert {"X4", "X11", "X14", "X15"} <= set(got["found"]), got
    assert got["lookalikes_flagged"] == [] and got["other_contradiction_flags"] <= 1, got
    launch = {s["id"] for s in report["stories"] for a in s["article_ids"] if report["rid"][a].startswith("ct10-launch-")}
    assert len(launch) == 1, launch  # the rocket's five reports are one story


def test_a_held_out_set_of_rewrites_and_independent_reports(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A seventh tester's corpus (``EXPECTED_independence.md``): six stories, each with its
    originals, copies, light edits, heavy paraphrases that keep almost no five-word phrase of
    their source, machine rewrites, summaries and rewrites of rewrites, and two independent
    reports that quote the same official line as the original. Its first run (2026-12-05, from
    19:53 UTC) put every article in the key's origin group (19 groups, pairwise F1 1.0, no
    independent report merged, no derived one parted) and named 13 of 15 parents (the two
    rewrites of a rewrite were given the original); that is the floor."""
    report = _run("independence", tmp_path_factory)
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    got = _bench_scenarios().independence(report)
    assert got["origins"] == got["origins_expected"] == 19 and got["pair_f1"] == 1.0, got
    assert got["independent_merged"] == [] and got["derived_parted"] == [] and got["parents_right"] >= 13, got
