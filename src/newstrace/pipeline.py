"""Runs the stages over the store, incrementally, in transactions, with progress.

Each stage is a pure function from records to records plus a writer; the runner owns all
the bookkeeping: which articles are pending for a stage (at the stage's version), batching,
one transaction per batch (results and the "done" markers together, so a killed run leaves
either a whole batch or nothing), and progress reporting.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newstrace import segment, stages
from newstrace.errors import UsageError
from newstrace.ingest import IngestConfig, guarded, iter_files, path_source, read_path
from newstrace.model import Article, Rejection
from newstrace.progress import Progress
from newstrace.stages import AnalyzeConfig, StageReport
from newstrace.store import Store
from newstrace.text import batched

if TYPE_CHECKING:  # pragma: no cover
    from newstrace.distributed import RayCluster


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
    #: Files read since the last flush: their earlier rejections are replaced by this read's.
    reread: list[str] = []

    def flush() -> None:
        if not pending and not reread:
            return
        with store.transaction():
            for source in reread:
                store.clear_rejections_of(source)
            summary.articles_new += store.add_articles(x for x in pending if isinstance(x, Article))
            store.add_rejections(x for x in pending if isinstance(x, Rejection))
        pending.clear()
        reread.clear()

    for item in files:
        if isinstance(item, Rejection):
            results: Iterable[Article | Rejection] = [item]
            source = item.source
        else:
            source = path_source(item)
            reread.append(source)
            # read_path turns reader errors into rejections; the guard is kept here too, so
            # nothing a file holds can abort the run and lose the batch read so far.
            results = guarded(read_path(item, config), source)
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
    #: Batch verbatim copies (equal ``content_hash``) together, so ``fn`` can process each
    #: distinct text once; ``batch_size`` then counts distinct texts.
    copies_together: bool = False


@dataclass(frozen=True)
class CorpusStage:
    """A stage that needs what is known about other articles (see ``newstrace.stages``).

    ``start`` (optional) begins the stage's work in the run's worker pool just before the
    stage named ``start_before`` runs, when it needs nothing that stage or those between
    them write; ``run`` then gets what ``start`` returned as ``started``. It only fills a
    worker that would idle: it runs when an earlier stage already started the pool.

    ``uses_ray``: with the Ray executor the stage sends tasks to the cluster (through
    :func:`ray_cluster_for`, which joins the run's connection while it is open), so a run
    keeps its connection, and a local instance's workers, open until such a stage is done."""

    name: str
    run: Callable[..., StageReport]
    start: Callable[[Store, AnalyzeConfig, Executor], Any] | None = None
    start_before: str | None = None
    uses_ray: bool = False


def _segment_batch(articles: list[Article]) -> list[segment.Segmented]:
    return [segment.segment(a) for a in articles]


def _write_segment(store: Store, result: segment.Segmented) -> None:
    store.put_sentences(result.article_id, result.sentences)
    store.put_stats(result.stats)


SEGMENT = ArticleStage(segment.NAME, segment.VERSION, _segment_batch, _write_segment, batch_size=256)
#: spaCy parse + attribution CRF + mention rules: the costliest step, so it runs in workers.
#: Version "2": definite roles and organisation nouns ("the minister", "the inspectorate")
#: resolve only to a referent the text ties to them (claim and mention ids are unchanged;
#: corroboration "3" redoes every story). "3": a cue takes content from its own sentence before
#: a neighbouring one; "report" as the claim's own verb is no hedge. "4": a denial in the
#: article's own voice ("There is no evidence that ...") is a denied claim. "5": an order ("X
#: ordered Y to Z") is a claim of the article, giver and all, not X's claim of "Y to Z". "6":
#: "told Nordlake Wire the town ..." is the town's claim without the addressee; "could not
#: confirm" leaves a claim unverified (reported), not denied. "7": only a verb of telling loses
#: its object from the content (not "ordered the beach closed"), and "X ordered Y closed" is an
#: order too. "8": so is "X ordered Y shut", which the parser reads with "shut" as a noun.
#: "9": a surname the tagger took for an organisation is the person named before with it; an
#: unnamed source ("a regional official", "diplomats involved in the talks") is anonymous.
#: "10": four slips of the tagger mended by the parse (``attribution.repaired``): what follows
#: "according to" is a source, an accusation's object is its content, a speech verb's subject
#: is its source, a lone "according to X" lends X to its sentence's source-less claim. "11":
#: an attribution inside a claim's content ("said police had told her that ...") is a claim too.
#: "12": a content the tagger stopped at an inner "had told" runs to that clause's end. "13":
#: "According to *the inspector*," is a source the tagger may leave unmarked; a speech verb's
#: subject left alone lends itself to the content in the verb's clause; "the press office"
#: is an organisation. "14": a source's second statement run into a claim's content ("denied
#: that ... and accused ...", "..., saying ...") and each sentence a quotation runs on into
#: are claims of their own. "15": "thought" ("is thought to have begun") is a hedge word.
#: "16": a trailing "according to X" cites the whole clause before it; a statement of a figure
#: the parser roots on its subject is a fact claim, a question is none. "17": a cue negated
#: for emphasis ("did not mince his words", "did not hold back") denies nothing.
PARSE = ArticleStage("parse", "17", stages.parse_batch, stages.write_parsed, batch_size=32, parallel=True,
                     copies_together=True)


def copy_batches(ids: Sequence[str], content_hash: dict[str, str], size: int) -> list[list[str]]:
    """Batches of ``ids`` in which all copies of a text sit in the batch of its first copy.

    Syndicated wire stories arrive many times over, word for word; a stage that works per
    distinct text then does each once. Each batch holds at most ``size`` distinct hashes, in
    the order of ``ids``.
    """
    members: dict[str, list[str]] = {}
    for i in ids:
        members.setdefault(content_hash.get(i) or i, []).append(i)
    position = {i: k for k, i in enumerate(ids)}
    return [sorted((i for key in keys for i in members[key]), key=position.__getitem__)
            for keys in batched(members, size)]


def default_stages() -> list[ArticleStage | CorpusStage]:
    """The stages ``analyze`` runs, in order. Later stages read what earlier ones stored."""
    return [
        SEGMENT,
        PARSE,
        # Cheap, on this process: what each outlet repeats, which reuse and corroboration mask.
        CorpusStage("boilerplate", stages.run_boilerplate),
        CorpusStage("reuse", stages.run_reuse, uses_ray=True),
        # Canonicalising reads only the parse stage's mentions: it runs in a worker while this
        # process matches reuse's last batch.
        CorpusStage("entities", stages.run_entities, start=stages.start_entities, start_before="reuse"),
        # Stories and provenance need only reuse and entities: provenance runs in a worker
        # while this process clusters the stories.
        CorpusStage("stories", stages.run_stories),
        CorpusStage("provenance", stages.run_provenance, start=stages.start_provenance, start_before="stories"),
        # Its claims are embedded in the other worker while this process waits for provenance.
        CorpusStage("corroboration", stages.run_corroboration, start=stages.start_corroboration,
                    start_before="provenance", uses_ray=True),
    ]


#: Where article stages and corroboration can run (``AnalyzeConfig.executor``).
EXECUTORS = ("local", "ray")


def _check_executor(config: AnalyzeConfig) -> None:
    if config.executor not in EXECUTORS:
        raise UsageError(f"unknown executor {config.executor!r}; choose one of {', '.join(EXECUTORS)}")


def ray_cluster_for(config: AnalyzeConfig) -> RayCluster:
    """The Ray cluster an ``analyze`` run uses (not started until a stage needs it): the one at
    ``config.ray_address``, or a local one with ``config.workers`` CPUs."""
    from newstrace.distributed import RayCluster

    return RayCluster(config.ray_address, num_cpus=None if config.ray_address else config.workers)


def run_article_stage(store: Store, stage: ArticleStage, progress: Progress,
                      config: AnalyzeConfig | None = None, *, cluster: RayCluster | None = None) -> int:
    """Run ``stage`` on its pending articles, one transaction per batch.

    Executors: ``local`` runs batches in this process, or (``parallel`` stages with at least
    ``parallel_min`` pending articles) in ``workers`` spawned processes, committing in ingest
    order; ``ray`` runs every batch as a Ray task on ``cluster`` (default: a cluster opened for
    this stage and closed after it) and commits batches as they finish. Either way a batch's
    results and its done markers are written in one transaction, on this process.
    """
    config = config or AnalyzeConfig()
    _check_executor(config)
    ids = store.pending(stage.name, stage.version)
    task = progress.task(stage.name, total=len(ids))
    if stage.copies_together:
        chunks = copy_batches(ids, store.content_hashes(ids), stage.batch_size)
    else:
        chunks = list(batched(ids, stage.batch_size))

    def commit(chunk: list[str], results: list[Any]) -> None:
        with store.transaction():
            for result in results:
                stage.write(store, result)
            store.mark_done(stage.name, stage.version, chunk)
        task.advance(len(chunk))

    def load(chunk: list[str]) -> list[Article]:
        return list(store.articles(chunk))

    if config.executor == "ray" and chunks:
        from newstrace.distributed import run_batches

        # A pure function of each article: it runs on the cluster whatever the stage's size or
        # ``parallel`` flag (the user chose Ray; segmenting there keeps the driver free).
        with contextlib.ExitStack() as stack:
            if cluster is None:
                cluster = stack.enter_context(ray_cluster_for(config))
            run_batches(cluster, stage.fn, chunks, load, commit, num_cpus=config.ray_num_cpus)
    elif stage.parallel and config.workers > 1 and len(ids) >= config.parallel_min:
        from newstrace.workers import process_pool

        with process_pool(config.workers) as pool:
            window = config.workers * 2  # bounded read-ahead: memory stays flat on big corpora
            pending: list[tuple[list[str], Any]] = []
            for chunk in chunks:
                pending.append((chunk, pool.submit(stage.fn, load(chunk))))
                if len(pending) >= window:
                    done_chunk, future = pending.pop(0)
                    commit(done_chunk, future.result())
            for done_chunk, future in pending:
                commit(done_chunk, future.result())
    else:
        for chunk in chunks:
            commit(chunk, stage.fn(load(chunk)))
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
                  config: AnalyzeConfig | None = None,
                  on_stage: Callable[[str, bool], None] | None = None) -> AnalyzeSummary:
    """Run every stage on what it has not processed yet. ``on_stage(name, finished)`` is
    called as each stage begins and ends (the benchmark times the stages with it)."""
    config = config or AnalyzeConfig()
    _check_executor(config)
    summary = AnalyzeSummary()
    with contextlib.ExitStack() as stack:
        cluster = None
        if config.executor == "ray":
            from newstrace.distributed import require_ray

            require_ray()  # say now, not after the local stages, that Ray is missing
            # One Ray connection for the whole run, opened by the first stage with work to send.
            cluster = stack.enter_context(ray_cluster_for(config))
        else:
            from newstrace.workers import one_pool_per_run

            # The parse workers keep their models for the stages after parse (MiniLM for the
            # article heads and the claims), instead of a pool per stage loading them again.
            stack.enter_context(one_pool_per_run())
        stage_list = list(stages_ if stages_ is not None else default_stages())
        # The connection (and a local instance's workers, with their models) stays open while
        # the stages that use it follow one another, and is closed before the driver's stages.
        ray_stages = [isinstance(s, ArticleStage) or s.uses_ray for s in stage_list]
        started: dict[str, Any] = {}
        for i, stage in enumerate(stage_list):
            if config.executor == "local":
                _start_early(store, config, stage.name, stage_list[i + 1:], started)
            if on_stage is not None:
                on_stage(stage.name, False)
            if isinstance(stage, ArticleStage):
                summary.counts[stage.name] = run_article_stage(store, stage, progress, config, cluster=cluster)
            else:
                report = (stage.run(store, progress, config, started=started.pop(stage.name, None))
                          if stage.start is not None else stage.run(store, progress, config))
                summary.counts[stage.name] = report.processed
                if report.details:
                    summary.details[stage.name] = report.details
            if cluster is not None and ray_stages[i] and not (i + 1 < len(stage_list) and ray_stages[i + 1]):
                cluster.close()  # free the workers (and their models) for the stages on the driver
            if on_stage is not None:
                on_stage(stage.name, True)
    return summary


def _start_early(store: Store, config: AnalyzeConfig, before: str,
                 later: Sequence[ArticleStage | CorpusStage], started: dict[str, Any]) -> None:
    """Begin, in the run's pool, the later stages that asked to start before ``before``."""
    from newstrace.workers import running_pool

    for stage in later:
        if isinstance(stage, CorpusStage) and stage.start is not None and stage.start_before == before:
            pool = running_pool(config.workers) if config.workers > 1 else None
            if pool is not None:
                started[stage.name] = stage.start(store, config, pool)
