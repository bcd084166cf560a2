"""Worker processes: single-threaded numeric libraries in the children, the parent untouched."""

from __future__ import annotations

import os

import pytest

from newstrace.workers import process_pool


def _threads() -> tuple[str | None, int]:
    import torch

    return os.environ.get("OMP_NUM_THREADS"), torch.get_num_threads()


def test_children_run_one_thread_and_the_parent_keeps_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    monkeypatch.delenv("MKL_NUM_THREADS", raising=False)
    with process_pool(1) as pool:
        assert pool.submit(_threads).result() == ("1", 1)
    assert os.environ["OMP_NUM_THREADS"] == "7"
    assert "MKL_NUM_THREADS" not in os.environ
