"""The ``newstrace`` command: a thin layer that validates arguments and calls ``newstrace.api``.

Exit codes (also in the README): 0 ok; 1 internal error; 2 usage error; 3 no article could
be ingested from the inputs; 4 the database cannot be used; 5 some inputs were rejected and
``--fail-on-rejection`` was given.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from newstrace import __version__, api
from newstrace.errors import ExitCode, NewstraceError
from newstrace.ingest import FieldMap, IngestConfig
from newstrace.pipeline import EXECUTORS
from newstrace.progress import Progress
from newstrace.stages import AnalyzeConfig


def _ingest_config(args: argparse.Namespace) -> IngestConfig:
    try:
        fields = FieldMap.parse(args.fields) if args.fields else FieldMap()
    except ValueError as exc:
        raise SystemExit(_usage(str(exc)))
    if not math.isfinite(args.max_mb) or args.max_mb <= 0:
        raise SystemExit(_usage("--max-mb must be a positive number"))
    return IngestConfig(max_bytes=int(args.max_mb * 1024 * 1024), min_words=args.min_words, fields=fields)


def _analyze_config(args: argparse.Namespace) -> AnalyzeConfig:
    if args.workers < 1:
        raise SystemExit(_usage("--workers must be at least 1"))
    if args.gazetteer and not Path(args.gazetteer).is_file():
        raise SystemExit(_usage(f"no gazetteer file at {args.gazetteer}"))
    if args.gazetteer:
        # Read it now: a broken gazetteer is a usage error before anything is ingested or
        # analysed, not a traceback in the middle of the run.
        from newstrace.gazetteer import Gazetteer

        try:
            Gazetteer.load(args.gazetteer)
        except (ValueError, OSError) as exc:
            raise SystemExit(_usage(f"gazetteer {args.gazetteer}: {exc}"))
    if args.ray_address and args.executor != "ray":
        raise SystemExit(_usage("--ray-address needs --executor ray"))
    if args.ray_num_cpus <= 0:
        raise SystemExit(_usage("--ray-num-cpus must be positive"))
    if args.executor == "ray":
        from newstrace.distributed import require_ray

        require_ray()  # before ingesting anything: a MissingDependencyError naming the extra
    return AnalyzeConfig(workers=args.workers, gazetteer=args.gazetteer, executor=args.executor,
                         ray_address=args.ray_address, ray_num_cpus=args.ray_num_cpus)


def _check_out(args: argparse.Namespace) -> None:
    """``--out`` must be a directory or a path where one can be made: checked before any work."""
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise SystemExit(_usage(f"--out {args.out} is an existing file, not a directory"))


def _usage(message: str) -> int:
    print(f"newstrace: error: {message}", file=sys.stderr)
    return ExitCode.USAGE


def _say(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(message, file=sys.stderr)


def _ingest_outcome(args: argparse.Namespace, summary: api.IngestSummary) -> int:
    _say(args, f"ingested {summary.articles_seen} article(s) ({summary.articles_new} new) from "
               f"{summary.files} file(s); {summary.rejections} rejected")
    for r in summary.rejected[:50]:
        _say(args, f"  rejected {r.source}: {r.reason}: {r.detail}")
    if summary.articles_seen == 0:
        if not summary.rejections:
            _say(args, "no input file found under the given paths")
        return ExitCode.NO_INPUT
    if summary.rejections and args.fail_on_rejection:
        return ExitCode.REJECTIONS
    return ExitCode.OK


def cmd_ingest(args: argparse.Namespace) -> int:
    with Progress(not args.quiet) as progress:
        summary = api.ingest(args.paths, args.db, config=_ingest_config(args), progress=progress)
    return _ingest_outcome(args, summary)


def cmd_analyze(args: argparse.Namespace) -> int:
    with Progress(not args.quiet) as progress:
        counts = api.analyze(args.db, config=_analyze_config(args), progress=progress)
    _say(args, "analysed: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return ExitCode.OK


def cmd_report(args: argparse.Namespace) -> int:
    _check_out(args)
    paths = api.report(args.db, args.out)
    _say(args, f"wrote {paths['html']} and {paths['json']}")
    return ExitCode.OK


def cmd_run(args: argparse.Namespace) -> int:
    analyze_config = _analyze_config(args)  # usage errors before anything is ingested
    _check_out(args)
    with Progress(not args.quiet) as progress:
        summary = api.ingest(args.paths, args.db, config=_ingest_config(args), progress=progress)
        code = _ingest_outcome(args, summary)
        if code == ExitCode.NO_INPUT:
            return code
        counts = api.analyze(args.db, config=analyze_config, progress=progress)
    _say(args, "analysed: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    paths = api.report(args.db, args.out)
    _say(args, f"wrote {paths['html']} and {paths['json']}")
    return code


def cmd_trace(args: argparse.Namespace) -> int:
    chain = api.trace(args.article_id, args.db)
    if args.json:
        print(json.dumps(chain, ensure_ascii=False, indent=1))
        return ExitCode.OK
    arts = chain["articles"]

    def name(i: str) -> str:
        a = arts.get(i, {})
        return f"{i[:12]} {a.get('outlet') or '(outlet unknown)'}, {a.get('published_at') or 'date unknown'}: {a.get('title') or ''}"

    print(f"article  {name(chain['article_id'])}")
    if chain["origin_id"] is None:
        print(f"origin   none in the corpus ({chain['group_rule']})")
    elif chain["origin_id"] == chain["article_id"]:
        print(f"origin   this article is the predicted origin of its group ({chain['group_rule']})")
    if chain["steps"]:
        print(f"chain    {chain['chain_rule']}")
    for step in chain["steps"]:
        f = step["features"]
        print(f"  <- {step['kind']} of  {name(step['source_id'])}")
        print(f"       score {step['score']:.2f} ({step['rule']}); jaccard {f.get('jaccard', 0):.2f}, "
              f"containment {f.get('containment', 0):.2f}, cosine {f.get('cosine', 0):.2f}, "
              f"{int(f.get('aligned', 0))} aligned sentences")
        print(f"       direction: {step['direction_evidence'].get('rule', 'undecided')}")
        if step["direction_evidence"].get("parent_reason"):
            print(f"       link: {step['direction_evidence']['parent_reason']}")
        for p in step["pairs"][: args.pairs]:
            print(f"       [{p['score']:.2f}] {p['a']['text'][:90]!r}")
            print(f"              {p['b']['text'][:90]!r}")
    if chain["origin_id"] not in (None, chain["article_id"]) and not chain["steps"]:
        print(f"origin   {name(chain['origin_id'])} (no directed path; {chain['group_rule']})")
    return ExitCode.OK


def cmd_export(args: argparse.Namespace) -> int:
    paths = api.export(args.db, args.out, args.format or ["json", "csv", "graphml", "prov"], story_id=args.story)
    _say(args, "wrote " + ", ".join(str(p) for p in paths.values()))
    return ExitCode.OK


def cmd_serve(args: argparse.Namespace) -> int:
    from newstrace import web

    web.serve(args.db, host=args.host, port=args.port, allow_remote_reads=args.allow_remote_reads)
    return ExitCode.OK


def cmd_stats(args: argparse.Namespace) -> int:
    print(json.dumps(api.stats(args.db)))
    return ExitCode.OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newstrace", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"newstrace {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=api.DEFAULT_DB, help="SQLite database file (default: %(default)s)")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bars or messages")
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("paths", nargs="+", help="files or directories (searched recursively)")
    reading.add_argument("--max-mb", type=float, default=20.0, help="reject items larger than this (default 20)")
    reading.add_argument("--min-words", type=int, default=5, help="reject items with fewer words (default 5)")
    reading.add_argument("--fields", default="", help="JSON field names, e.g. 'text=body,title=headline'")
    reading.add_argument("--fail-on-rejection", action="store_true", help="exit 5 if any input was rejected")
    analysing = argparse.ArgumentParser(add_help=False)
    analysing.add_argument("--workers", type=int, default=AnalyzeConfig.workers,
                           help="processes that parse articles (default %(default)s)")
    analysing.add_argument("--gazetteer", help="JSON Lines file of known entities (docs/gazetteer.md)")
    analysing.add_argument("--executor", choices=EXECUTORS, default=AnalyzeConfig.executor,
                           help="where the per-article stages and corroboration run: local processes or Ray "
                                "tasks (default %(default)s; ray needs the ray extra, docs/scale-out.md)")
    analysing.add_argument("--ray-address", metavar="ADDR",
                           help="Ray cluster to join: 'auto', HOST:PORT or ray://HOST:PORT (default: start a "
                                "local one with --workers CPUs for this run)")
    analysing.add_argument("--ray-num-cpus", type=float, default=AnalyzeConfig.ray_num_cpus,
                           help="CPUs each Ray task asks for (default %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", parents=[common, reading], help="store articles from files and directories")
    p.set_defaults(fn=cmd_ingest)
    p = sub.add_parser("analyze", parents=[common, analysing], help="run the analysis stages on stored articles")
    p.set_defaults(fn=cmd_analyze)
    p = sub.add_parser("report", parents=[common], help="write report.html and report.json")
    p.add_argument("--out", required=True, help="output directory")
    p.set_defaults(fn=cmd_report)
    p = sub.add_parser("run", parents=[common, reading, analysing], help="ingest, analyze and report in one go")
    p.add_argument("--out", required=True, help="output directory")
    p.set_defaults(fn=cmd_run)
    p = sub.add_parser("trace", parents=[common], help="print the chain from an article to its origin, with evidence")
    p.add_argument("article_id", help="an article id (or its first characters)")
    p.add_argument("--pairs", type=int, default=3, help="aligned sentence pairs shown per step (default 3)")
    p.add_argument("--json", action="store_true", help="print the chain as JSON")
    p.set_defaults(fn=cmd_trace)
    p = sub.add_parser("export", parents=[common], help="write JSON, CSV, GraphML and W3C PROV-JSON exports")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--format", action="append", choices=["json", "csv", "graphml", "prov"],
                   help="a format to write (repeatable; default: all)")
    p.add_argument("--story", help="only this story")
    p.set_defaults(fn=cmd_export)
    p = sub.add_parser("serve", parents=[common], help="browse the database in a web UI and HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--allow-remote-reads", action="store_true",
                   help="answer read requests from other hosts too (default: loopback only)")
    p.set_defaults(fn=cmd_serve)
    p = sub.add_parser("stats", parents=[common], help="print counts of what the database holds (JSON)")
    p.set_defaults(fn=cmd_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except NewstraceError as exc:
        print(f"newstrace: error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except sqlite3.OperationalError as exc:  # a write the store did not map (read-only, locked, full)
        print(f"newstrace: error: cannot use database {args.db}: {exc}", file=sys.stderr)
        return int(ExitCode.DATABASE)
    except KeyboardInterrupt:
        print("newstrace: interrupted; stored batches are kept, re-run to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
