"""Whole-pipeline throughput: ingest to report, per stage, on N articles.

    python bench/pipeline.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl --n 2000

Reads a JSON Lines file with ``doc_id`` and ``text`` (nothing else is used), writes N articles
into a fresh database (texts are reused round-robin when the file has fewer, each copy marked
so that it is a distinct article), then runs every stage of ``newstrace analyze`` one after the
other and the report, printing seconds and articles/s per stage, the whole rate, and peak
memory (this process and, separately, the parse workers). The last line is a JSON object.
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
from pathlib import Path

from newstrace.ingest import IngestConfig
from newstrace.pipeline import analyze_store, default_stages, ingest_into
from newstrace.progress import QUIET
from newstrace.report import write_report
from newstrace.stages import AnalyzeConfig
from newstrace.store import Store


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="JSON Lines with doc_id and text")
    ap.add_argument("--n", type=int, default=2000, help="articles to run (default 2000)")
    ap.add_argument("--workers", type=int, default=AnalyzeConfig.workers)
    ap.add_argument("--keep", help="keep the database and report in this folder")
    args = ap.parse_args(argv)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src, mean_words = make_input(args.data, args.n, work)
    db = work / "bench.db"
    if db.exists():
        db.unlink()
    config = AnalyzeConfig(workers=args.workers)
    times: dict[str, float] = {}
    started = time.perf_counter()
    with Store(db) as store:
        t = time.perf_counter()
        ingest_into(store, [src], IngestConfig(), QUIET)
        times["ingest"] = time.perf_counter() - t
        for stage in default_stages():
            t = time.perf_counter()
            analyze_store(store, QUIET, [stage], config)
            times[stage.name] = time.perf_counter() - t
        t = time.perf_counter()
        write_report(store, work / "out")
        times["report"] = time.perf_counter() - t
        counts = {k: store.count(k) for k in ("articles", "claims", "mentions", "edges", "stories", "flags")}
        counts["largest_story_claims"] = max(store.claims_per_story().values(), default=0)
    total = time.perf_counter() - started
    n = counts["articles"]
    print(f"{n} articles, mean {mean_words:.0f} words, {args.workers} parse worker(s), {os.cpu_count()} cpus")
    for name, secs in times.items():
        print(f"  {name:14s} {secs:8.1f} s  {n / secs if secs else float('inf'):8.1f} articles/s")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"whole pipeline {total:.1f} s = {n / total:.1f} articles/s; peak RSS {self_mb:.0f} MiB "
          f"(largest worker {child_mb:.0f} MiB)")
    print(json.dumps({"articles": n, "mean_words": round(mean_words), "seconds": round(total, 1),
                      "articles_per_s": round(n / total, 2), "stages_s": {k: round(v, 1) for k, v in times.items()},
                      "peak_rss_mb": round(self_mb), "worker_peak_rss_mb": round(child_mb), "counts": counts}))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)  # a 2,000-article database is 150 MB
    return 0


if __name__ == "__main__":
    sys.exit(main())
