"""Worker processes for pure per-item work (parse batches, article heads and claims to embed,
stories to corroborate).

Spawned, not forked: the parent may hold threads (torch, SQLite) that fork would copy. Each
worker runs its numeric libraries on one thread: two single-threaded processes on two cores
beat two processes each starting a thread pool the size of the machine (measured on the parse
stage: 10-15 % faster with ``OMP_NUM_THREADS=1``).

Within :func:`one_pool_per_run` every stage that asks for a pool gets the same one, so the
models a worker loaded for one stage serve the next: MiniLM alone costs about 8 CPU-s to
import and load in each process, and the corroboration workers used to load it again after
the parse workers were gone.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

#: Thread-pool sizes read by OpenMP, BLAS libraries and torch when a process starts.
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

#: The pools of the open :func:`one_pool_per_run` scope (worker count -> its pool), if any.
_SCOPES: list[dict[int, ProcessPoolExecutor]] = []  # at most one


def _one_thread() -> None:
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover
        pass


def _ready() -> int:
    return os.getpid()


def start_pool(workers: int) -> ProcessPoolExecutor:
    """``workers`` spawned processes with single-threaded numeric libraries, all started now.

    A spawned child reads the environment when it starts, before any library loads, so the
    thread variables are set in this process only while the children start; starting them
    all at once (one submission each: a pool starts a child per submission while none is
    idle) keeps this process's own environment as it was for the rest of the pool's life."""
    import multiprocessing

    saved = {k: os.environ.get(k) for k in _THREAD_VARS}
    os.environ.update({k: "1" for k in _THREAD_VARS})
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_one_thread)
        try:
            for f in [pool.submit(_ready) for _ in range(workers)]:
                f.result()
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
        return pool
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes (:func:`start_pool`): inside :func:`one_pool_per_run`
    the run's pool of that size (started on first use, closed with the scope), else one of
    its own, closed on exit."""
    if _SCOPES:
        scope = _SCOPES[0]
        if workers not in scope:
            scope[workers] = start_pool(workers)
        yield scope[workers]
        return
    pool = start_pool(workers)
    try:
        yield pool
    finally:
        pool.shutdown()


def running_pool(workers: int) -> ProcessPoolExecutor | None:
    """The open :func:`one_pool_per_run` scope's pool of ``workers`` processes if an earlier
    stage started it, else None: work that merely fills idle time there is not worth the model
    loads and the start of a new pool."""
    return _SCOPES[0].get(workers) if _SCOPES else None


@contextlib.contextmanager
def one_pool_per_run() -> Iterator[None]:
    """Within this scope, :func:`process_pool` hands every caller one shared pool per worker
    count (an ``analyze`` run: its stages run one after the other, so they never compete for
    it), and shuts it down when the scope ends. Inside an open scope it joins that one: a
    caller that runs ``analyze`` stage by stage in its own scope (``bench/pipeline.py``) gets
    one pool across the stages, not a pool per call."""
    if _SCOPES:
        yield
        return
    scope: dict[int, ProcessPoolExecutor] = {}
    _SCOPES.append(scope)
    try:
        yield
    finally:
        _SCOPES.remove(scope)
        for pool in scope.values():
            pool.shutdown()
