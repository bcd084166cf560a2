"""`newstrace run` on examples/scenarios/press_release.jsonl with and without the release
itself (EXPECTED_press_release.md): with it, the release is the origin of the outlets that
reproduce it; without it, the common origin is the organisation's statement, which is not in the
corpus, and the group says so with its evidence (tests/test_e2e_scenarios.py checks that a
syndicated wire story keeps its origin and carries no press-release evidence)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newstrace.cli import main
from tests.conftest import strict_json

SCENARIOS = Path(__file__).resolve().parent.parent / "examples" / "scenarios"
RELEASE_OUTLET = "Altavia Group"  # the announcing organisation publishes the release itself

pytestmark = pytest.mark.slow


def _run(path: Path, out: Path) -> dict[str, Any]:
    assert main(["run", str(path), "--db", str(out / "s.db"), "--out", str(out), "-q"]) == 0
    report = strict_json((out / "report.json").read_text())
    report["html"] = (out / "report.html").read_text("utf-8")
    report["by_outlet"] = {}
    for a in report["articles"]:
        report["by_outlet"].setdefault(a["outlet"], []).append(a["id"])
    return report


def _group_of(report: dict[str, Any], article: str) -> dict[str, Any]:
    return next(g for g in report["origin_groups"] if article in g["members"])


@pytest.fixture(scope="module")
def with_release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run(SCENARIOS / "press_release.jsonl", tmp_path_factory.mktemp("with_release"))


@pytest.fixture(scope="module")
def without_release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same corpus less the release's line, written from the repository file at test time."""
    out = tmp_path_factory.mktemp("without_release")
    lines = (SCENARIOS / "press_release.jsonl").read_text("utf-8").splitlines()
    kept = [line for line in lines if line.strip() and json.loads(line)["outlet"] != RELEASE_OUTLET]
    assert len(kept) == len([line for line in lines if line.strip()]) - 1
    path = out / "no_release.jsonl"
    path.write_text("\n".join(kept) + "\n", "utf-8")
    return _run(path, out)


def test_the_release_in_the_corpus_is_the_origin(with_release: dict[str, Any]) -> None:
    [release] = with_release["by_outlet"][RELEASE_OUTLET]
    [radio] = with_release["by_outlet"]["Harrowgate Radio News"]
    group = _group_of(with_release, release)
    assert group["origin_id"] == release and len(group["members"]) == 6 and radio not in group["members"]
    pr = group["evidence"]["press_release"]
    assert pr["organisation"] == RELEASE_OUTLET
    assert pr["organisation_publications"] == {release: f"outlet {RELEASE_OUTLET!r}"}


def test_without_the_release_the_origin_is_not_in_the_corpus(without_release: dict[str, Any]) -> None:
    by_outlet = without_release["by_outlet"]
    assert RELEASE_OUTLET not in by_outlet
    [earliest] = by_outlet["Harrowgate Business Journal"]
    [full_copy] = by_outlet["AeroTrade Today"]
    [introduced] = by_outlet["Northern Ledger"]
    [radio] = by_outlet["Harrowgate Radio News"]
    group = _group_of(without_release, earliest)
    assert len(group["members"]) == 5 and radio not in group["members"]
    assert group["origin_id"] is None
    assert group["rule"] == "press release not in the corpus"
    pr = group["evidence"]["press_release"]
    assert pr["organisation"] == RELEASE_OUTLET and pr["candidate_origin"] == earliest
    assert sorted(pr["members_naming_it"]) == sorted(group["members"])  # all agree on the organisation
    texts = {a["id"]: a["text"] for a in without_release["articles"]}
    seen = {(m, k["kind"]) for m, ks in pr["markers"].items() for k in ks}
    assert {(earliest, "about section"), (full_copy, "about section"), (full_copy, "contact block"),
            (introduced, "statement introduced")} <= seen
    for m, ks in pr["markers"].items():  # every marker points at its text
        assert all(texts[m][k["start"]:k["end"]] == k["text"] for k in ks)
    assert any("Harrowgate Business Journal" in w for w in pr["why_not_the_release"])
    assert "press release not in the corpus: a press release by Altavia Group" in without_release["html"]
    # the independent report is still a second origin, not a member
    assert _group_of(without_release, radio)["members"] == [radio]


def test_without_the_release_its_about_text_is_no_embellishment(without_release: dict[str, Any]) -> None:
    """Two reproductions keep the release's "About Altavia Group" paragraph and three drop it:
    with the release missing, a claim that several members carry is the release's, not added."""
    claims = {c["id"]: c for c in without_release["claims"]}
    for f in without_release["flags"]:
        if f["kind"] == "embellishment":
            assert len({claims[c]["article_id"] for c in f["claim_ids"]}) == 1, f["summary"]
