"""Runs the stages over the store, incrementally, in transactions, with progress.

Each stage is a pure function from records to records plus a writer; the runner owns all
the bookkeeping: which articles are pending for a stage (at the stage's version), batching,
one transaction per batch (results and the "done" markers together, so a killed run leaves
either a whole batch or nothing), and progress reporting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newstrace import segment, stages
from newstrace.ingest import IngestConfig, iter_files, read_path
from newstrace.model import Article, Rejection
from newstrace.progress import Progress
from newstrace.stages import AnalyzeConfig, StageReport
from newstrace.store import Store
from newstrace.text import batched


@dataclass
class IngestSummary:
    files: int = 0
    articles_new: int = 0
    articles_seen: int = 0
    rejections: int = 0
    seconds: float = 0.0
    rejected: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"files": self.files, "articles_new": self.articles_new, "articles_seen": self.articles_seen,
                "rejections": self.rejections, "seconds": round(self.seconds, 3)}


def ingest_into(store: Store, paths: Sequence[str | Path], config: IngestConfig,
                progress: Progress, batch_size: int = 200) -> IngestSummary:
    """Read every input and store articles and rejections, ``batch_size`` items a transaction."""
    summary = IngestSummary()
    started = time.perf_counter()
    files = list(iter_files(paths, config))
    task = progress.task("ingest", total=len(files))
    pending: list[Article | Rejection] = []

    def flush() -> None:
        if not pending:
            return
        with store.transaction():
            summary.articles_new += store.add_articles(x for x in pending if isinstance(x, Article))
            store.add_rejections(x for x in pending if isinstance(x, Rejection))
        pending.clear()

    for item in files:
        results: Iterable[Article | Rejection] = [item] if isinstance(item, Rejection) else read_path(item, config)
        for result in results:
            if isinstance(result, Rejection):
                summary.rejections += 1
                summary.rejected.append(result)
            else:
                summary.articles_seen += 1
            pending.append(result)
            if len(pending) >= batch_size:
                flush()
        summary.files += 1
        task.advance(1)
    flush()
    task.done()
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass(frozen=True)
class ArticleStage:
    """A stage that processes each article on its own: ``fn`` maps a batch of articles to a
    batch of results (a pure function), ``write`` stores one result. ``parallel`` stages may
    run their batches in worker processes."""

    name: str
    version: str
    fn: Callable[[list[Article]], list[Any]]
    write: Callable[[Store, Any], None]
    batch_size: int = 64
    parallel: bool = False


@dataclass(frozen=True)
class CorpusStage:
    """A stage that needs what is known about other articles (see ``newstrace.stages``)."""

    name: str
    run: Callable[[Store, Progress, AnalyzeConfig], StageReport]


def _segment_batch(articles: list[Article]) -> list[segment.Segmented]:
    return [segment.segment(a) for a in articles]


def _write_segment(store: Store, result: segment.Segmented) -> None:
    store.put_sentences(result.article_id, result.sentences)
    store.put_stats(result.stats)


SEGMENT = ArticleStage(segment.NAME, segment.VERSION, _segment_batch, _write_segment, batch_size=256)
#: spaCy parse + attribution CRF + mention rules: the costliest step, so it runs in workers.
PARSE = ArticleStage("parse", "1", stages.parse_batch, stages.write_parsed, batch_size=32, parallel=True)


def default_stages() -> list[ArticleStage | CorpusStage]:
    """The stages ``analyze`` runs, in order. Later stages read what earlier ones stored."""
    return [
        SEGMENT,
        PARSE,
        CorpusStage("reuse", stages.run_reuse),
        CorpusStage("entities", stages.run_entities),
        CorpusStage("provenance", stages.run_provenance),
        CorpusStage("stories", stages.run_stories),
        CorpusStage("corroboration", stages.run_corroboration),
    ]


def _init_worker() -> None:
    # Each worker uses one thread: two processes on two cores beat one with two threads.
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover
        pass


def run_article_stage(store: Store, stage: ArticleStage, progress: Progress,
                      config: AnalyzeConfig | None = None) -> int:
    """Run ``stage`` on its pending articles, one transaction per batch, in ingest order."""
    config = config or AnalyzeConfig()
    ids = store.pending(stage.name, stage.version)
    task = progress.task(stage.name, total=len(ids))
    chunks = list(batched(ids, stage.batch_size))

    def commit(chunk: list[str], results: list[Any]) -> None:
        with store.transaction():
            for result in results:
                stage.write(store, result)
            store.mark_done(stage.name, stage.version, chunk)
        task.advance(len(chunk))

    if stage.parallel and config.workers > 1 and len(ids) >= config.parallel_min:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the parent may hold threads (torch, SQLite) that fork would copy.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(config.workers, mp_context=ctx, initializer=_init_worker) as pool:
            window = config.workers * 2  # bounded read-ahead: memory stays flat on big corpora
            pending: list[tuple[list[str], Any]] = []
            for chunk in chunks:
                pending.append((chunk, pool.submit(stage.fn, list(store.articles(chunk)))))
                if len(pending) >= window:
                    done_chunk, future = pending.pop(0)
                    commit(done_chunk, future.result())
            for done_chunk, future in pending:
                commit(done_chunk, future.result())
    else:
        for chunk in chunks:
            commit(chunk, stage.fn(list(store.articles(chunk))))
    task.done()
    return len(ids)


@dataclass
class AnalyzeSummary:
    """Articles each stage processed, and what the corpus stages found (for the run log)."""

    counts: dict[str, int] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {**self.counts, "details": self.details}


def analyze_store(store: Store, progress: Progress, stages_: Sequence[ArticleStage | CorpusStage] | None = None,
                  config: AnalyzeConfig | None = None) -> AnalyzeSummary:
    """Run every stage on what it has not processed yet."""
    config = config or AnalyzeConfig()
    summary = AnalyzeSummary()
    for stage in stages_ if stages_ is not None else default_stages():
        if isinstance(stage, ArticleStage):
            summary.counts[stage.name] = run_article_stage(store, stage, progress, config)
        else:
            report = stage.run(store, progress, config)
            summary.counts[stage.name] = report.processed
            if report.details:
                summary.details[stage.name] = report.details
    return summary
