"""Whole-pipeline throughput: ingest to report, per stage, on N articles.

    python bench/pipeline.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl --n 2000

Reads a JSON Lines file with ``doc_id`` and ``text`` (nothing else is used), writes N articles
into a fresh database (texts are reused round-robin when the file has fewer, each copy marked
so that it is a distinct article), then runs the stages of ``newstrace analyze`` in one call, as
``analyze`` does (one worker pool; entities begun in it while reuse runs and provenance while
stories run, so their worker CPU counts under reuse and stories), and the report, printing seconds and articles/s per
stage, the whole rate, and peak memory (this process and, separately, the largest worker),
and CPU seconds per stage (this process and its worker processes together): with two cores,
a run cannot take less than half its CPU seconds. The last line is a JSON object.

    python bench/pipeline.py --rerun DIR [--stages provenance,corroboration] [--keep OUT]

runs stages again on a copy of the database a run kept with ``--keep DIR``: the same input
through two versions of the code, or the same code on two databases (two runs' article ids
differ, since ids follow the input file's path). Only stages that recompute what they store
from the stages before them can run again so (``RERUNNABLE``). The worker pool is opened
first, as a whole run's parse stage leaves it, so that work a stage begins early in it
(corroboration's claims embedded while provenance runs) does so here too.

    python bench/pipeline.py --rerun DIR --add PATH [PATH ...] [--whole-provenance] [--check-provenance]

measures an increment instead: PATHs (files or folders of new articles) are ingested into a
copy of the kept database, then every stage and the report run as ``newstrace run`` would run
them on it; rates are per new article. ``--whole-provenance`` first drops the provenance
stage's saved state, so that it recomputes the whole corpus as it did before it learned to
recompute only what new articles reach; ``--check-provenance`` then compares the stored edges
and origin groups with a recomputation of the whole corpus and exits 1 when they differ.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newstrace.ingest import IngestConfig
from newstrace.pipeline import analyze_store, default_stages, ingest_into
from newstrace.progress import QUIET
from newstrace.report import write_report
from newstrace import codec
from newstrace.stages import AnalyzeConfig, provenance_args, provenance_garble, provenance_job
from newstrace.store import Store
from newstrace.workers import one_pool_per_run, process_pool


def make_input(data: str, n: int, out: Path) -> tuple[Path, float]:
    """A JSON Lines file of ``n`` articles drawn from ``data``; returns it and the mean words."""
    rows = [json.loads(line) for line in open(data, encoding="utf-8") if line.strip()]
    path = out / "input.jsonl"
    words = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            row = rows[i % len(rows)]
            copy = i // len(rows)
            text = row["text"] if copy == 0 else f"{row['text']}\n\n(Copy {copy} of this item.)"
            words += len(text.split())
            f.write(json.dumps({"doc_id": f"{row['doc_id']}#{copy}", "text": text}) + "\n")
    return path, words / n


def cpu_seconds() -> float:
    """CPU time of this process and of its children, finished or running: the stages share one
    worker pool, as in ``newstrace analyze``, so its workers outlive each stage, and a stage's
    difference must count their time so far (``/proc``; where there is none, only the finished
    children count, and the pool's time falls on the stage that closes it)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + running_children_cpu()


def running_children_cpu() -> float:
    """CPU seconds of this process's running children and of their own finished children."""
    me, tick, total = str(os.getpid()), os.sysconf("SC_CLK_TCK"), 0
    try:
        entries = [d for d in os.listdir("/proc") if d.isdigit()]
    except OSError:
        return 0.0
    for d in entries:
        try:
            with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        # After the name: state, ppid, ... utime (14th field), stime, cutime, cstime.
        if fields[1] == me:
            total += sum(int(x) for x in fields[11:15])
    return total / tick


#: Stages that recompute everything they store from the stages before them (provenance the
#: whole corpus, corroboration story by story), so a kept database can run them again; the
#: others keep state between runs (the reuse index, story ids).
RERUNNABLE = ("provenance", "corroboration")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="JSON Lines with doc_id and text")
    ap.add_argument("--n", type=int, default=2000, help="articles to run (default 2000)")
    ap.add_argument("--workers", type=int, default=AnalyzeConfig.workers)
    ap.add_argument("--executor", choices=("local", "ray"), default="local",
                    help="ray: a local Ray instance of --workers CPUs; its workers are not this "
                         "process's children, so CPU-s count this process only")
    ap.add_argument("--keep", help="keep the database and report in this folder")
    ap.add_argument("--rerun", metavar="DIR", help="a folder kept with --keep: run --stages again on a copy of its database")
    ap.add_argument("--stages", default="corroboration", help=f"with --rerun, comma-separated: any of {', '.join(RERUNNABLE)}")
    ap.add_argument("--add", nargs="+", metavar="PATH", help="with --rerun: new articles to add to its database")
    ap.add_argument("--whole-provenance", action="store_true", help="with --add: provenance recomputes the whole corpus")
    ap.add_argument("--check-provenance", action="store_true",
                    help="with --add: compare the stored provenance with a whole-corpus recomputation")
    args = ap.parse_args(argv)
    if args.add and not args.rerun:
        ap.error("--add needs --rerun DIR, a folder kept with --keep")
    rerun = [x.strip() for x in args.stages.split(",") if x.strip()] if args.rerun and not args.add else []
    if args.rerun and not args.add and (not rerun or set(rerun) - set(RERUNNABLE)):
        ap.error(f"--stages must name some of {', '.join(RERUNNABLE)}")
    if not args.rerun and not args.data:
        ap.error("--data is required (or --rerun)")

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    if args.rerun and Path(args.rerun).resolve() == work.resolve():
        ap.error("--keep must name another folder than --rerun")
    if db.exists():
        db.unlink()
    mean_words = 0.0
    if args.rerun:
        shutil.copy(Path(args.rerun) / "bench.db", db)
    else:
        src, mean_words = make_input(args.data, args.n, work)
    config = AnalyzeConfig(workers=args.workers, executor=args.executor)
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with Store(db) as store:
        if rerun:
            ids = store.article_ids()
            with store.transaction():
                for name in rerun:
                    store.clear_done(name, ids)
            stage_list = [stage for stage in default_stages() if stage.name in rerun]
            mean_words = sum(len(a.text.split()) for a in store.articles()) / max(1, len(ids))
        else:
            stage_list = default_stages()
        stored = set(store.article_ids()) if args.add else set()
        if args.whole_provenance:
            with store.transaction():
                store.conn.execute("DELETE FROM stage_state WHERE stage = 'provenance'")
        started, cpu_started = time.perf_counter(), cpu_seconds()

        def timed(name: str, step: Callable[[], object]) -> None:
            t, c = time.perf_counter(), cpu_seconds()
            step()
            times[name], cpu[name] = time.perf_counter() - t, cpu_seconds() - c

        marks: dict[str, tuple[float, float]] = {}

        def on_stage(name: str, finished: bool) -> None:
            if not finished:
                marks[name] = (time.perf_counter(), cpu_seconds())
            else:
                t, c = marks[name]
                times[name], cpu[name] = time.perf_counter() - t, cpu_seconds() - c

        with one_pool_per_run():  # the stages share one worker pool, as in ``newstrace analyze``
            if rerun and config.workers > 1 and config.executor == "local":
                with process_pool(config.workers):
                    pass  # open, as the parse stage of a whole run leaves it: work begun early uses it
            if not rerun:
                inputs = [Path(p) for p in args.add] if args.add else [src]
                timed("ingest", lambda: ingest_into(store, inputs, IngestConfig(), QUIET))
            # One call, as ``newstrace analyze`` makes: a stage that starts early in the pool
            # (entities during reuse, provenance during stories) does so here too, and its
            # worker CPU counts in the stage it overlaps.
            summary = analyze_store(store, QUIET, stage_list, config, on_stage=on_stage)
        if not rerun:
            timed("report", lambda: write_report(store, work / "out"))
        total, total_cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
        counts = {k: store.count(k) for k in ("articles", "claims", "mentions", "edges", "stories", "flags")}
        counts["largest_story_claims"] = max(store.claims_per_story().values(), default=0)
        same = check_provenance(store) if args.check_provenance else None
        if args.add:
            new = [a for a in store.articles() if a.id not in stored]
            mean_words = sum(len(a.text.split()) for a in new) / max(1, len(new))
    n = counts["articles"] - len(stored)
    if args.add:
        print(f"{n} new articles onto {len(stored)} stored")
    print(f"{n} articles, mean {mean_words:.0f} words, {args.workers} parse worker(s), {args.executor} executor, "
          f"{os.cpu_count()} cpus")
    for name, secs in times.items():
        print(f"  {name:14s} {secs:8.1f} s  {n / secs if secs else float('inf'):8.1f} articles/s"
              f"  {cpu[name]:8.1f} CPU-s")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    label = "stages " + ",".join(rerun) if rerun else "whole increment" if args.add else "whole pipeline"
    print(f"{label} {total:.1f} s = {n / total:.1f} articles/s; {total_cpu:.1f} CPU-s "
          f"({total_cpu / total:.2f} cores busy on average); peak RSS {self_mb:.0f} MiB (largest worker {child_mb:.0f} MiB)")
    print(json.dumps({"articles": n, "executor": args.executor, "mean_words": round(mean_words), "seconds": round(total, 1),
                      "articles_per_s": round(n / total, 2), "cpu_s": round(total_cpu, 1),
                      "stages_s": {k: round(v, 1) for k, v in times.items()},
                      "stages_cpu_s": {k: round(v, 1) for k, v in cpu.items()},
                      "peak_rss_mb": round(self_mb), "worker_peak_rss_mb": round(child_mb), "counts": counts,
                      "details": summary.details, "provenance_equals_whole": same}))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)  # a 2,000-article database is 150 MB
    return 1 if same is False else 0


def check_provenance(store: Store) -> bool:
    """Whether the stored edges and origin groups are those a recomputation of the whole
    corpus gives, record for record (printed with the number that differ)."""
    edges, groups = provenance_job(*provenance_args(store, None, provenance_garble(store)))
    stored_e, whole_e = set(map(codec.dumps, store.edges())), set(map(codec.dumps, edges))
    stored_g, whole_g = set(map(codec.dumps, store.origin_groups())), set(map(codec.dumps, groups))
    print(f"provenance check: {len(stored_e ^ whole_e)} edge records and {len(stored_g ^ whole_g)} origin-group "
          f"records differ from a whole-corpus recomputation ({len(whole_e)} edges, {len(whole_g)} groups)")
    return stored_e == whole_e and stored_g == whole_g


if __name__ == "__main__":
    sys.exit(main())
