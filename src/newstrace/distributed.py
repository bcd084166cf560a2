"""The article stages (and corroboration) on Ray: the same pure batch functions, run as Ray tasks.

An article stage (:class:`newstrace.pipeline.ArticleStage`) maps a batch of articles to a batch
of results with no hidden state, so a batch can run anywhere. Here each batch is one Ray task;
the driver (the process running ``newstrace analyze``) keeps everything else: it reads the
batches from the store, keeps a bounded window of tasks in flight, and writes each finished
batch's results together with its "done" markers in one store transaction, exactly as the
local executor does. A killed run therefore leaves whole batches, and the next run resumes.

Batches are committed in the order they finish, not the order they were sent: nothing that
reads the store depends on write order across articles (every reader orders by ingest
sequence), and a slow batch then never idles the rest of the cluster.

Models: :mod:`newstrace.nlp` caches each model per process (``lru_cache``) and Ray reuses its
worker processes for later tasks of the same job, so spaCy loads once per worker process, not
once per batch (``RunStats.workers`` names the processes that ran batches;
``tests/test_distributed.py`` checks that a stage's batches share them).

Corroboration, a corpus stage whose stories are independent, uses :func:`run_batches` too
(``newstrace.stages.run_corroboration``: a batch of stories per task). The other corpus stages
(reuse, entities, stories, provenance) stay on the driver: they need corpus-wide state (the
reuse LSH and ANN index, every mention, the story clusters). ``docs/scale-out.md`` says what
distributing them would take.

Ray is an optional dependency (``pip install 'newstrace[ray]'``); nothing here imports it
until a Ray run starts.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from newstrace.errors import MissingDependencyError, NewstraceError

__all__ = ["INSTALL_HINT", "RayCluster", "RunStats", "require_ray", "run_batches"]

#: What to do when Ray is missing (also the extra in pyproject.toml and the pin in requirements.lock).
INSTALL_HINT = "install the ray extra: pip install 'newstrace[ray]'"

#: Tasks in flight per CPU a task can use: enough that a worker finishing a batch finds the
#: next one waiting, few enough that the driver's memory stays flat on big corpora.
WINDOW_PER_SLOT = 2

# A token for the clusters this process starts itself (see RayCluster._local_env): one per
# process, because Ray's token loader caches the first token it reads.
_PROCESS_TOKEN = secrets.token_hex(32)


class RayConnectionError(NewstraceError):
    """The Ray cluster named by ``--ray-address`` cannot be reached or started."""


def require_ray() -> ModuleType:
    """The ``ray`` module, or a :class:`MissingDependencyError` saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise MissingDependencyError(f"the Ray executor needs Ray, which is not installed; {INSTALL_HINT}") from exc
    return ray


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast on a ``host:port`` nobody listens on: ray.init would retry for many minutes."""
    if address == "auto" or address.startswith(("local", "anyscale://")):
        return
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        raise RayConnectionError(f"--ray-address {address!r} is not 'auto', HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise RayConnectionError(f"nothing answers at the Ray address {address!r} ({exc}); is the head node "
                                 "running (`ray start --head`) and the port open?") from exc


@contextmanager
def _quiet_auth_note() -> Iterator[None]:
    """Hide ray.init's warning that token authentication is on: it addresses people who run
    Ray themselves, and would break through ``--quiet`` (docs/scale-out.md explains auth)."""
    log = logging.getLogger("ray._private.authentication.authentication_token_setup")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _run_batch(fn: Callable[[list[Any]], list[Any]], items: list[Any]) -> tuple[list[Any], str]:
    """The body of one Ray task: the stage's function on one batch, and which process ran it."""
    return fn(items), f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class RunStats:
    """What one stage did on Ray (for logs, benchmarks and tests)."""

    batches: int = 0
    items: int = 0
    seconds: float = 0.0
    #: ``host:pid`` of every worker process that ran a batch: models load once in each.
    workers: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        return {"batches": self.batches, "items": self.items, "seconds": round(self.seconds, 3),
                "worker_processes": len(self.workers)}


class RayCluster:
    """A connection to a Ray cluster, opened on first use and closed with the context.

    ``address``: ``None`` starts a local cluster for this run (unless ``RAY_ADDRESS`` names
    one, as with ``ray.init``); ``"auto"`` joins the cluster running on this machine
    (``ray start --head``); ``"host:port"`` joins a cluster's head node; ``"ray://host:10001"``
    goes through Ray Client (needs ``ray[client]``). If this process is already connected
    (``ray.init`` was called before), that connection is used and left open.

    Only a cluster this object started is shut down on close; a cluster it joined is only
    disconnected from. A local cluster uses ``num_cpus`` CPUs (default: all), no dashboard,
    listens on the loopback interface only, and keeps its session folder (logs, sockets,
    spilled objects) under ``temp_dir`` (default: Ray's, ``$RAY_TMPDIR`` or ``/tmp/ray``).
    """

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None,
                 temp_dir: str | Path | None = None, include_dashboard: bool = False) -> None:
        self.address = address
        self.num_cpus = num_cpus
        self.temp_dir = str(temp_dir) if temp_dir is not None else None
        self.include_dashboard = include_dashboard
        self.started_local = False  # we started a local cluster (and will shut it down)
        self.connected = False  # we called ray.init (and will call ray.shutdown)
        self.startup_seconds = 0.0
        self._ray: ModuleType | None = None
        self._restore: dict[str, str | None] = {}

    def __enter__(self) -> RayCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def ray(self) -> ModuleType:
        """The ``ray`` module, connected (starts or joins the cluster on first use)."""
        self.start()
        assert self._ray is not None
        return self._ray

    def start(self) -> RayCluster:
        if self._ray is not None:
            return self
        ray = require_ray()
        if ray.is_initialized():  # the caller connected this process already: use it, leave it
            self._ray = ray
            return self
        began = time.perf_counter()
        with _quiet_auth_note():
            self._connect(ray)
        self.connected = True
        self.startup_seconds = time.perf_counter() - began
        self._ray = ray
        return self

    def _connect(self, ray: ModuleType) -> None:
        address = self.address or os.environ.get("RAY_ADDRESS") or None
        common: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False, "namespace": "newstrace"}
        if address is None:
            with self._local_env(ray):
                try:
                    ray.init(num_cpus=self.num_cpus, include_dashboard=self.include_dashboard,
                             _temp_dir=self.temp_dir, **common)
                except Exception as exc:
                    raise RayConnectionError(f"could not start a local Ray cluster: {exc}") from exc
            self.started_local = True
        else:
            if address.startswith("ray://"):
                try:
                    import grpc  # noqa: F401  (Ray Client's transport)
                except ImportError:
                    raise MissingDependencyError(
                        f"{address} is a Ray Client address, which needs Ray Client: pip install 'ray[client]==2.60.0'"
                        " (or run newstrace on the head node with --ray-address auto)") from None
            _check_reachable(address)
            try:
                ray.init(address=address, **common)
            except Exception as exc:
                raise RayConnectionError(
                    f"could not connect to the Ray cluster at {address!r}: {str(exc).rstrip('.')}. Start one with `ray start --head`"
                    " or leave --ray-address out to start a local cluster") from exc

    @contextmanager
    def _local_env(self, ray: ModuleType) -> Iterator[None]:
        """Settings for a cluster started here, undone once it is shut down.

        * Loopback only: Ray binds a single-node cluster to the machine's outward address, so
          anyone on the network could reach it; a cluster for one run needs no network.
        * Token authentication stays on (Ray's default), but unless the user set up Ray's
          authentication (``RAY_AUTH_MODE``, ``RAY_AUTH_TOKEN[_PATH]`` or ``~/.ray/auth_token``)
          the token lives in this process's environment (inherited by the cluster's processes)
          instead of being written under the home folder.
        """
        env = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}  # Ray's switch for "bind to loopback"
        configured = any(os.environ.get(v) for v in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH"))
        if not configured and not (Path.home() / ".ray" / "auth_token").exists():
            # With RAY_AUTH_MODE unset, ray.init turns token mode on for a new local cluster
            # (and refreshes its cached config); it then finds this token instead of writing one.
            env["RAY_AUTH_TOKEN"] = _PROCESS_TOKEN
        for key, value in env.items():
            if key not in os.environ:
                self._restore[key] = None
                os.environ[key] = value
        if "RAY_AUTH_TOKEN" in self._restore:
            self._restore["RAY_AUTH_MODE"] = None  # ray.init sets it (to "token") in os.environ
        constants = getattr(getattr(ray, "_private", None), "ray_constants", None)
        loopback_was = getattr(constants, "ENABLE_RAY_CLUSTER", None)
        if loopback_was is not None and "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER" in self._restore:
            constants.ENABLE_RAY_CLUSTER = False  # read at import, so set it on the module too
        try:
            yield
        finally:
            if loopback_was is not None:
                constants.ENABLE_RAY_CLUSTER = loopback_was

    def close(self) -> None:
        """Shut down a cluster started here; disconnect from one joined here; else nothing."""
        if self._ray is not None and self.connected and self._ray.is_initialized():
            self._ray.shutdown()
        for key, value in self._restore.items():
            if value is None:
                os.environ.pop(key, None)
            else:  # pragma: no cover
                os.environ[key] = value
        self._restore.clear()
        self._ray = None
        self.connected = self.started_local = False

    def window(self, num_cpus: float = 1.0) -> int:
        """How many batches to keep in flight: ``WINDOW_PER_SLOT`` per task the cluster can run
        at once (its CPUs divided by the CPUs each task asks for)."""
        cpus = float(self.ray.cluster_resources().get("CPU", 1.0))
        return max(2, int(WINDOW_PER_SLOT * max(1.0, cpus / max(num_cpus, 1e-3))))


def ray_map(cluster: RayCluster, num_cpus: float = 1.0) -> Callable[[Callable[[Any], Any], Iterable[Any]], list[Any]]:
    """A ``map`` over Ray tasks: ``map(fn, items)`` runs ``fn`` on each item as a task on
    ``cluster`` and returns the results in order. The reuse stage passes it as
    ``newstrace.nlp.embed``'s ``map_batches`` (the article heads) and as ``detect_reuse``'s
    ``map_alignments``: the driver plans the batches and the cluster runs them, so the results
    are those a local pool or this process computes."""
    remote: dict[Any, Any] = {}

    def map_(fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        ray = cluster.ray
        if fn not in remote:  # one remote function per function, exported to the cluster once
            remote[fn] = ray.remote(num_cpus=num_cpus, max_retries=2)(fn)
        return list(ray.get([remote[fn].remote(item) for item in items]))

    return map_


def run_batches(cluster: RayCluster, fn: Callable[[list[Any]], list[Any]], chunks: Iterable[list[str]],
                load: Callable[[list[str]], list[Any]], commit: Callable[[list[str], list[Any]], None], *,
                num_cpus: float = 1.0, window: int | None = None) -> RunStats:
    """Run ``fn`` on every chunk as a Ray task and ``commit`` each chunk's results on the driver.

    ``load(chunk)`` reads a chunk's inputs (on the driver, just before the task is sent);
    ``commit(chunk, results)`` stores them (results and done markers in one transaction).
    At most ``window`` tasks are in flight. Chunks are committed as they finish.

    When a task raises, no new task is sent, the tasks in flight are waited for and the ones
    that succeed are committed, then the first error is raised (an instance of the task's own
    exception class). A worker process that dies is retried by Ray (twice); an exception in
    ``fn`` is not retried. On KeyboardInterrupt the tasks in flight are cancelled.
    """
    ray = cluster.ray
    if window is None:
        window = cluster.window(num_cpus)
    task = ray.remote(num_cpus=num_cpus, max_retries=2)(_run_batch)
    fn_ref = ray.put(fn)  # ship the function once, not with every batch
    stats = RunStats()
    began = time.perf_counter()
    in_flight: dict[Any, list[str]] = {}
    todo = iter(chunks)
    error: BaseException | None = None
    try:
        while True:
            while error is None and len(in_flight) < window:
                chunk = next(todo, None)
                if chunk is None:
                    break
                in_flight[task.remote(fn_ref, load(chunk))] = chunk
            if not in_flight:
                break
            ready, _ = ray.wait(list(in_flight), num_returns=1)
            for ref in ready:
                chunk = in_flight.pop(ref)
                try:
                    results, worker = ray.get(ref)
                except Exception as exc:  # the task's exception (RayTaskError(ItsClass))
                    error = error or exc
                    continue
                commit(chunk, results)
                stats.batches += 1
                stats.items += len(chunk)
                stats.workers.add(worker)
    except BaseException:
        for ref in in_flight:
            ray.cancel(ref, force=False)
        raise
    finally:
        stats.seconds = time.perf_counter() - began
    if error is not None:
        raise error
    return stats
