"""The command line: sub-commands, exit codes, and end-to-end runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.cli import main
from newstrace.errors import ExitCode
from newstrace.store import Store
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


def test_export_of_an_unknown_story_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """F9: the message says what is missing, not just the id."""
    from tests.web.fixtures import build_db

    db = build_db(tmp_path / "x.db")
    code = main(["export", "--db", str(db), "--out", str(tmp_path / "o"), "--story", "UNKNOWN"])
    assert code == ExitCode.USAGE == 2
    assert "newstrace: error: no story with id 'UNKNOWN'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
    assert main(["export", "--db", str(db), "--out", str(tmp_path / "o"), "--story", "story-fest", "-q"]) == 0


# --- usage errors before any work; refused writes; empty inputs ---------------------------------


def test_bad_gazetteer_is_a_usage_error_before_ingesting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "in" / "a.txt", STORY)
    gaz = write(tmp_path / "gaz.jsonl", "not json\n")
    db = tmp_path / "g.db"
    code = _exit_code(["run", str(tmp_path / "in"), "--db", str(db), "--out", str(tmp_path / "o"), "-q",
                       "--gazetteer", str(gaz)])
    assert code == ExitCode.USAGE
    assert "line 1: not JSON" in capsys.readouterr().err
    assert not db.exists()


def _exit_code(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_max_mb_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    write(tmp_path / "in" / "a.txt", STORY)
    assert _exit_code(["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "m.db"), "-q",
                       f"--max-mb={value}"]) == ExitCode.USAGE


def test_out_that_is_a_file_is_a_usage_error_before_work(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", STORY)
    afile = write(tmp_path / "afile", "x")
    db = tmp_path / "o.db"
    assert _exit_code(["run", str(tmp_path / "in"), "--db", str(db), "--out", str(afile), "-q"]) == ExitCode.USAGE
    assert not db.exists()
    assert main(["ingest", str(tmp_path / "in"), "--db", str(db), "-q"]) == ExitCode.OK
    assert _exit_code(["report", "--db", str(db), "--out", str(afile), "-q"]) == ExitCode.USAGE


def test_fields_doc_id_is_accepted(tmp_path: Path) -> None:
    body = STORY.split("\n", 1)[1]
    write(tmp_path / "in" / "a.jsonl", json.dumps({"uid": "u1", "text": body}) + "\n")
    db = tmp_path / "f.db"
    assert _exit_code(["ingest", str(tmp_path / "in"), "--db", str(db), "-q", "--fields", "doc_id=uid"]) == ExitCode.OK
    with Store(db) as store:
        [article] = list(store.articles())
    assert article.source.endswith("a.jsonl#id=u1") and article.meta["record_id"] == "u1"


def test_read_only_database_is_exit_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "in" / "a.txt", STORY)
    db = tmp_path / "r.db"
    Store(db).close()
    real = Store.start_run

    def read_only(self: Store, command: str) -> int:
        self.conn.execute("PRAGMA query_only = ON")  # as a read-only file or folder does
        return real(self, command)

    monkeypatch.setattr(Store, "start_run", read_only)
    assert main(["ingest", str(tmp_path / "in"), "--db", str(db), "-q"]) == ExitCode.DATABASE
    assert "cannot write to database" in capsys.readouterr().err


def test_inputs_that_yield_nothing_exit_3(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "e.db"), "-q"]) == ExitCode.NO_INPUT
    assert main(["run", str(tmp_path / "empty"), "--db", str(tmp_path / "e.db"), "--out", str(tmp_path / "o"),
                 "-q"]) == ExitCode.NO_INPUT
    assert not (tmp_path / "o").exists()


def test_read_only_commands_leave_a_foreign_database_alone(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    assert main(["stats", "--db", str(other)]) == ExitCode.DATABASE
    assert main(["report", "--db", str(other), "--out", str(tmp_path / "o"), "-q"]) == ExitCode.DATABASE
    assert other.read_bytes() == before
