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


def _pid() -> int:
    return os.getpid()


def test_a_run_scope_hands_every_stage_the_same_started_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside one_pool_per_run, a later stage's pool is the earlier stage's (its workers keep
    the models they loaded); the parent's environment is its own while the pool lives, and
    the pool is shut down when the scope ends."""
    from newstrace.workers import one_pool_per_run

    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    with one_pool_per_run():
        with process_pool(2) as first:
            assert os.environ["OMP_NUM_THREADS"] == "7"
            assert first.submit(_threads).result() == ("1", 1)
            pids = {f.result() for f in [first.submit(_pid) for _ in range(8)]}
        with process_pool(2) as second:
            assert second is first
            assert {f.result() for f in [second.submit(_pid) for _ in range(8)]} <= pids
    with pytest.raises(RuntimeError):
        first.submit(_pid)
    with process_pool(1) as alone:
        assert alone is not first


def test_a_scope_opened_inside_a_run_scope_joins_it() -> None:
    """analyze_store opens a scope; a caller running it stage by stage inside its own scope
    (the pipeline benchmark) must get one pool across the calls, still open after each."""
    from newstrace.workers import one_pool_per_run

    with one_pool_per_run():
        with one_pool_per_run():
            with process_pool(1) as inner:
                pid = inner.submit(_pid).result()
        with one_pool_per_run():
            with process_pool(1) as again:
                assert again is inner
                assert again.submit(_pid).result() == pid
    with pytest.raises(RuntimeError):
        inner.submit(_pid)
