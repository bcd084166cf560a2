"""The Python API: the same functions the CLI calls, returning plain records.

    import newstrace
    analysis = newstrace.run(["examples/corpus"], db="newstrace.db", out="out/")
    analysis.articles[0].title, analysis.rejections, analysis.sentences[article_id]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from newstrace.errors import NewstraceError
from newstrace.ingest import IngestConfig
from newstrace.model import Analysis
from newstrace.pipeline import IngestSummary, analyze_store, ingest_into

__all__ = ["DEFAULT_DB", "IngestSummary", "analyze", "ingest", "load", "report", "run"]
from newstrace.progress import QUIET, Progress
from newstrace.report import write_report
from newstrace.store import Store

DEFAULT_DB = "newstrace.db"


def _logged(store: Store, command: str, fn):  # type: ignore[no-untyped-def]
    """Run ``fn`` recorded in the store's run log as ok, failed or (if killed) interrupted."""
    run_id = store.start_run(command)
    try:
        result = fn()
    except BaseException as exc:
        store.finish_run(run_id, "failed", {"error": f"{type(exc).__name__}: {exc}"})
        raise
    counts = result.as_dict() if hasattr(result, "as_dict") else result
    store.finish_run(run_id, "ok", counts if isinstance(counts, dict) else {})
    return result


def ingest(paths: Sequence[str | Path], db: str | Path = DEFAULT_DB, *, config: IngestConfig | None = None,
           progress: Progress = QUIET) -> IngestSummary:
    """Store every article found under ``paths``; bad items become rejections."""
    with Store(db) as store:
        return _logged(store, "ingest", lambda: ingest_into(store, list(paths), config or IngestConfig(), progress))


def analyze(db: str | Path = DEFAULT_DB, *, progress: Progress = QUIET) -> dict[str, int]:
    """Run every analysis stage on the articles that still need it."""
    with Store(db, create=False) as store:
        return _logged(store, "analyze", lambda: analyze_store(store, progress))


def report(db: str | Path = DEFAULT_DB, out: str | Path = "out") -> dict[str, Path]:
    """Write report.json and report.html for the database into ``out``."""
    with Store(db, create=False) as store:
        return write_report(store, out)


def load(db: str | Path = DEFAULT_DB) -> Analysis:
    """Everything in a database as plain records."""
    with Store(db, create=False) as store:
        articles = list(store.articles())
        return Analysis(
            db_path=str(db),
            articles=articles,
            rejections=store.rejections(),
            sentences={a.id: store.sentences(a.id, a.text) for a in articles},
            stats={a.id: s for a in articles if (s := store.stats(a.id)) is not None},
        )


def run(paths: Sequence[str | Path], db: str | Path = DEFAULT_DB, out: str | Path | None = None, *,
        config: IngestConfig | None = None, progress: Progress = QUIET) -> Analysis:
    """Ingest, analyse and (if ``out`` is given) report: the whole pipeline in one call."""
    if not paths:
        raise NewstraceError("no input paths given")
    summary = ingest(paths, db, config=config, progress=progress)
    analyze(db, progress=progress)
    written = report(db, out) if out is not None else None
    analysis = load(db)
    analysis.report_dir = str(out) if written else None
    analysis.extra["ingest"] = summary.as_dict()
    return analysis
