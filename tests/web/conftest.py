"""Fixtures for the web tests: the fictional database and test clients on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newstrace.web import create_app

from .fixtures import build_db

TOKEN = "test-token-7f3a"


@pytest.fixture(scope="session")
def fixture_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("webdb") / "fixture.db")


@pytest.fixture
def web_db(fixture_db_template: Path, tmp_path: Path) -> Path:
    """A fresh copy per test, so tests that ingest cannot disturb each other."""
    target = tmp_path / "web.db"
    shutil.copy(fixture_db_template, target)
    return target


class FakeRunner:
    """Stands in for ingest + analyze: records the paths and reports progress like the pipeline."""

    def __init__(self) -> None:
        self.calls: list[list[Path]] = []

    def __call__(self, paths: Sequence[Path], db: str, progress: Any) -> dict[str, Any]:
        self.calls.append(list(paths))
        progress.phase("ingest")
        task = progress.task("read", len(paths))
        for _ in paths:
            task.advance()
        task.done()
        return {"ingest": {"files": len(paths)}, "analyze": {}}


@pytest.fixture
def runner() -> FakeRunner:
    return FakeRunner()


def loopback_client(app: Any) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 40000),
                      raise_server_exceptions=False)


@pytest.fixture
def client(web_db: Path, runner: FakeRunner) -> Iterator[TestClient]:
    app = create_app(web_db, token=TOKEN, runner=runner, max_upload_bytes=64 * 1024)
    with loopback_client(app) as c:
        yield c
