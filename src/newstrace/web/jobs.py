"""Background ingestion jobs started from the upload form or ``POST /api/ingest``.

Why one worker thread: the pipeline's writes serialise on SQLite's write lock anyway, and the
analysis stages load spaCy and the embedding model, which two concurrent runs would load
twice. Jobs queue, run one after another, and report their phase and per-stage counts
through ``JobProgress`` so the status endpoint can show progress while the server keeps
answering reads (WAL lets readers proceed during a write).

Uploaded files are kept under ``<db>.uploads/<sha256 prefix>/<safe name>``: the path is the
article's source locator, and a stable path means uploading the same file twice yields the
same article id instead of a duplicate.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newstrace.progress import Progress

log = logging.getLogger("newstrace.web")

#: (paths, db, progress) -> per-phase counts. The default runs ``api.ingest`` then ``api.analyze``;
#: tests pass a light one so they do not load models.
Runner = Callable[[Sequence[Path], str, "JobProgress"], dict[str, Any]]

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_JOBS_KEPT = 100


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    files: list[str]
    status: str = "queued"  # queued | running | done | failed
    phase: str = "queued"
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    progress: dict[str, dict[str, int | None]] = field(default_factory=dict)
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "phase": self.phase, "files": list(self.files),
                "created_at": self.created_at, "started_at": self.started_at, "finished_at": self.finished_at,
                "progress": {k: dict(v) for k, v in self.progress.items()}, "result": self.result,
                "error": self.error}


class _JobTask:
    def __init__(self, entry: dict[str, int | None], lock: threading.Lock) -> None:
        self._entry, self._lock = entry, lock

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self._entry["done"] = int(self._entry.get("done") or 0) + n

    def done(self) -> None:
        with self._lock:
            if self._entry.get("total") is not None:
                self._entry["done"] = self._entry["total"]


class JobProgress(Progress):
    """A ``Progress`` that records each stage's done/total into the job instead of a terminal."""

    def __init__(self, job: Job, lock: threading.Lock) -> None:
        super().__init__(enabled=False)
        self._job, self._lock = job, lock

    def phase(self, name: str) -> None:
        with self._lock:
            self._job.phase = name

    def task(self, name: str, total: int | None) -> _JobTask:  # type: ignore[override]
        with self._lock:
            entry: dict[str, int | None] = {"done": 0, "total": total}
            self._job.progress[f"{self._job.phase}:{name}"] = entry
        return _JobTask(entry, self._lock)


def default_runner(paths: Sequence[Path], db: str, progress: JobProgress) -> dict[str, Any]:
    """Ingest the saved files, then analyse what is new: the pipeline is incremental, so only
    the added articles are processed and the stories they join are updated."""
    from newstrace import api

    progress.phase("ingest")
    summary = api.ingest([str(p) for p in paths], db, progress=progress)
    progress.phase("analyze")
    counts = api.analyze(db, progress=progress)
    return {"ingest": summary.as_dict() if hasattr(summary, "as_dict") else summary,
            "analyze": counts if isinstance(counts, dict) else {}}


def safe_name(name: str | None, fallback: str) -> str:
    """A file name that cannot leave its folder or surprise a shell: basename, safe characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE.sub("_", base).strip("._")[:100]
    return base or fallback


class JobManager:
    """Saves uploads, queues jobs and keeps the last ``MAX_JOBS_KEPT`` of them for status."""

    def __init__(self, db_path: str, runner: Runner | None = None) -> None:
        self.db_path = db_path
        self.upload_root = Path(db_path + ".uploads")
        self.runner: Runner = runner or default_runner
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newstrace-job")

    def save(self, name: str | None, data: bytes, fallback: str) -> Path:
        digest = hashlib.sha256(data).hexdigest()[:16]
        folder = self.upload_root / digest
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / safe_name(name, fallback)
        if not path.exists():
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(path)
        return path

    def save_records(self, records: Sequence[dict[str, Any]]) -> Path:
        """Pasted or JSON-posted articles become one JSON Lines file the JSON reader ingests."""
        data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records).encode()
        return self.save("articles.jsonl", data, "articles.jsonl")

    def submit(self, paths: Sequence[Path]) -> Job:
        job = Job(id=uuid.uuid4().hex, files=[p.name for p in paths])
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, list(paths))
        return job

    def _run(self, job: Job, paths: list[Path]) -> None:
        with self._lock:
            job.status, job.started_at = "running", _now()
        progress = JobProgress(job, self._lock)
        try:
            result = self.runner(paths, self.db_path, progress)
        except Exception as exc:  # reported in the job, never as a trace to the client
            log.exception("ingest job %s failed", job.id)
            with self._lock:
                job.status, job.phase, job.finished_at = "failed", "failed", _now()
                job.error = f"{type(exc).__name__}: {str(exc)[:500]}"
            return
        with self._lock:
            job.status, job.phase, job.finished_at = "done", "done", _now()
            job.result = result

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.as_dict() if job else None

    def recent(self, n: int = 10) -> list[dict[str, Any]]:
        with self._lock:
            return [j.as_dict() for j in list(self._jobs.values())[-n:][::-1]]

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the queue is empty (tests, and a clean shutdown)."""
        self._pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
