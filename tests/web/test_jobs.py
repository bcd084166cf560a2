"""Ingestion jobs and the ``serve`` entry point, without models or sockets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from newstrace import web
from newstrace.web.jobs import JobManager, safe_name


def test_failed_job_reports_a_message_not_a_trace(tmp_path: Path) -> None:
    def broken(paths: Sequence[Path], db: str, progress: Any) -> dict[str, Any]:
        raise ValueError("the corpus folder vanished")

    jobs = JobManager(str(tmp_path / "x.db"), broken)
    job = jobs.submit([jobs.save("a.txt", b"some text", "a")])
    jobs.wait()
    status = jobs.get(job.id)
    assert status is not None
    assert status["status"] == "failed" and status["error"] == "ValueError: the corpus folder vanished"
    assert "Traceback" not in str(status)


def test_same_upload_gets_the_same_path(tmp_path: Path) -> None:
    """A stable path is a stable source locator, hence a stable article id: no duplicates."""
    jobs = JobManager(str(tmp_path / "x.db"))
    assert jobs.save("a.txt", b"same bytes", "f") == jobs.save("a.txt", b"same bytes", "f")
    assert jobs.save("a.txt", b"same bytes", "f") != jobs.save("a.txt", b"other bytes", "f")


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\report.html", "report.html"), ("", "fallback"),
    ("..", "fallback"), ("ok-name_1.jsonl", "ok-name_1.jsonl"), ("a b;rm -rf.txt", "a_b_rm_-rf.txt"),
])
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name, "fallback") == expected


def test_serve_runs_uvicorn_on_loopback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.setenv("NEWSTRACE_TOKEN", "from-env")
    web.serve(str(tmp_path / "s.db"), port=8123)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    settings = seen["app"].state.settings
    assert settings.token == "from-env" and settings.allow_remote_reads is False
