"""The parse stage on the local executor and on the Ray executor (a local Ray cluster).

    python bench/executors.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl --n 200

Stores the first N articles of a JSON Lines file (``doc_id``, ``text``), segments them, then
times the parse stage (spaCy + attribution CRF + mention rules) on copies of that database:
``local`` with ``--workers`` spawned processes (model loads included), and ``ray`` on a local
cluster of ``--workers`` CPUs, whose start and shutdown are timed apart from the stage. Checks
that both stored the same claims and mentions. The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from newstrace.distributed import RayCluster
from newstrace.ingest import IngestConfig
from newstrace.pipeline import PARSE, SEGMENT, ingest_into, run_article_stage
from newstrace.progress import QUIET
from newstrace.stages import AnalyzeConfig
from newstrace.store import Store


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="JSON Lines with doc_id and text")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--order", default="local,ray", choices=["local,ray", "ray,local"],
                    help="which executor runs first (on a shared machine, run both orders)")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="nt-exec-"))  # short: Ray's socket paths must stay < 108 chars
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()][: args.n]
    src = work / "input.jsonl"
    src.write_text("".join(json.dumps({"doc_id": r["doc_id"], "text": r["text"]}) + "\n" for r in rows))
    words = sum(len(r["text"].split()) for r in rows)
    base = work / "base.db"
    with Store(base) as store:
        ingest_into(store, [src], IngestConfig(), QUIET)
        run_article_stage(store, SEGMENT, QUIET)
    out: dict[str, object] = {"articles": len(rows), "mean_words": round(words / len(rows)), "workers": args.workers}

    def run_local() -> None:
        # the ProcessPoolExecutor path (parallel_min lowered so that it is taken at any N)
        shutil.copy(base, work / "local.db")
        config = AnalyzeConfig(workers=args.workers, parallel_min=1)
        with Store(work / "local.db") as store:
            began = time.perf_counter()
            run_article_stage(store, PARSE, QUIET, config)
            out["local_parse_s"] = round(time.perf_counter() - began, 2)

    def run_ray() -> None:
        # a local cluster of --workers CPUs; start-up and shutdown timed apart from the stage
        shutil.copy(base, work / "ray.db")
        config = AnalyzeConfig(workers=args.workers, executor="ray")
        began = time.perf_counter()
        cluster = RayCluster(num_cpus=args.workers, temp_dir=work / "ray")
        cluster.start()
        out["ray_start_s"] = round(time.perf_counter() - began, 2)
        with Store(work / "ray.db") as store:
            began = time.perf_counter()
            run_article_stage(store, PARSE, QUIET, config, cluster=cluster)
            out["ray_parse_s"] = round(time.perf_counter() - began, 2)
        began = time.perf_counter()
        cluster.close()
        out["ray_shutdown_s"] = round(time.perf_counter() - began, 2)

    out["order"] = args.order
    for name in args.order.split(","):
        {"local": run_local, "ray": run_ray}[name]()

    with Store(work / "local.db") as a, Store(work / "ray.db") as b:
        out["same_results"] = a.claims() == b.claims() and a.mentions() == b.mentions()
    for key in ("local", "ray"):
        out[f"{key}_articles_per_s"] = round(len(rows) / float(out[f"{key}_parse_s"]), 2)  # type: ignore[arg-type]
    print(json.dumps(out))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
