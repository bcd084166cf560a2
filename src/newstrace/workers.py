"""Worker processes for pure per-item work (parse batches, stories to corroborate).

Spawned, not forked: the parent may hold threads (torch, SQLite) that fork would copy. Each
worker runs its numeric libraries on one thread: two single-threaded processes on two cores
beat two processes each starting a thread pool the size of the machine (measured on the parse
stage: 10-15 % faster with ``OMP_NUM_THREADS=1``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

#: Thread-pool sizes read by OpenMP, BLAS libraries and torch when a process starts.
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _one_thread() -> None:
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover
        pass


@contextlib.contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` spawned processes with single-threaded numeric libraries.

    The environment is set in this process while the pool lives, because a spawned child reads
    it when it starts (the executor starts children on first use), before any library loads."""
    import multiprocessing

    saved = {k: os.environ.get(k) for k in _THREAD_VARS}
    os.environ.update({k: "1" for k in _THREAD_VARS})
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_one_thread) as pool:
            yield pool
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
