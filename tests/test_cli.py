"""The command line: sub-commands, exit codes, and end-to-end runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.cli import main
from newstrace.errors import ExitCode
from tests.conftest import EXAMPLES, SHARED, STORY, write


def test_run_with_bad_inputs_reports_three_rejections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "mixed"
    write(corpus / "good1.txt", STORY)
    write(corpus / "good2.md", "# Ferry\n\n" + STORY)
    write(corpus / "broken.json", '{"text": "The harbour')
    write(corpus / "empty.txt", "")
    write(corpus / "binary.dat", bytes(range(256)) * 4)
    code = main(["run", str(corpus), "--db", str(tmp_path / "m.db"), "--out", str(tmp_path / "out")])
    assert code == ExitCode.OK
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert len(report["articles"]) == 2
    assert sorted(r["reason"] for r in report["rejections"]) == ["binary", "empty", "truncated"]
    err = capsys.readouterr().err
    assert "3 rejected" in err and "broken.json" in err
    # --fail-on-rejection turns rejections into a distinct exit code
    assert main(["ingest", str(corpus), "--db", str(tmp_path / "m.db"), "-q", "--fail-on-rejection"]) == ExitCode.REJECTIONS
    # stats counts in SQLite what the report lists
    assert main(["stats", "--db", str(tmp_path / "m.db")]) == ExitCode.OK
    counts = json.loads(capsys.readouterr().out)
    assert counts["articles"] == 2 and counts["rejections"] == 3
    assert counts["sentences"] == report["summary"]["sentences"] > 0
    assert counts["claims"] == len(report["claims"]) and counts["flags"] == len(report["flags"])


def test_nothing_ingestible_exits_3(tmp_path: Path) -> None:
    write(tmp_path / "in" / "empty.txt", "")
    assert main(["run", str(tmp_path / "in"), "--db", str(tmp_path / "e.db"), "--out", str(tmp_path / "o"), "-q"]) == ExitCode.NO_INPUT


def test_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["ingest", str(tmp_path), "--fields", "bogus=1", "--db", str(tmp_path / "u.db")])
    assert exc.value.code == ExitCode.USAGE
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_missing_database_is_exit_4(tmp_path: Path) -> None:
    assert main(["analyze", "--db", str(tmp_path / "none.db"), "-q"]) == ExitCode.DATABASE


def test_separate_steps_equal_one_shot(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    write(corpus / "a.txt", STORY)
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(corpus), "--db", db, "-q"]) == 0
    assert main(["analyze", "--db", db, "-q"]) == 0
    assert main(["report", "--db", db, "--out", str(tmp_path / "o"), "-q"]) == 0
    assert json.loads((tmp_path / "o" / "report.json").read_text())["summary"]["articles"] == 1


@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").is_dir(), reason="../shared/corpus/seeds not present")
def test_seeds_run(tmp_path: Path) -> None:
    assert main(["run", str(SHARED / "corpus" / "seeds"), "--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "o"), "-q"]) == 0
    report = json.loads((tmp_path / "o" / "report.json").read_text())
    assert len(report["articles"]) == 5 and report["rejections"] == []
    assert (tmp_path / "o" / "report.html").stat().st_size > 10_000
