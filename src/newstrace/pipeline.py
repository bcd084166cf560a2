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

from newstrace import segment
from newstrace.ingest import IngestConfig, iter_files, read_path
from newstrace.model import Article, Rejection
from newstrace.progress import Progress
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
    batch of results (a pure function), ``write`` stores one result."""

    name: str
    version: str
    fn: Callable[[list[Article]], list[Any]]
    write: Callable[[Store, Any], None]
    batch_size: int = 64


def _segment_batch(articles: list[Article]) -> list[segment.Segmented]:
    return [segment.segment(a) for a in articles]


def _write_segment(store: Store, result: segment.Segmented) -> None:
    store.put_sentences(result.article_id, result.sentences)
    store.put_stats(result.stats)


SEGMENT = ArticleStage(segment.NAME, segment.VERSION, _segment_batch, _write_segment, batch_size=256)


def default_stages() -> list[ArticleStage]:
    """The stages ``analyze`` runs, in order. Later stages read what earlier ones stored."""
    return [SEGMENT]


def run_article_stage(store: Store, stage: ArticleStage, progress: Progress) -> int:
    ids = store.pending(stage.name, stage.version)
    task = progress.task(stage.name, total=len(ids))
    for chunk in batched(ids, stage.batch_size):
        articles = list(store.articles(chunk))
        results = stage.fn(articles)
        with store.transaction():
            for result in results:
                stage.write(store, result)
            store.mark_done(stage.name, stage.version, chunk)
        task.advance(len(chunk))
    task.done()
    return len(ids)


def analyze_store(store: Store, progress: Progress, stages: Sequence[ArticleStage] | None = None) -> dict[str, int]:
    """Run every stage on the articles it has not processed yet; returns counts per stage."""
    counts: dict[str, int] = {}
    for stage in stages if stages is not None else default_stages():
        counts[stage.name] = run_article_stage(store, stage, progress)
    return counts
