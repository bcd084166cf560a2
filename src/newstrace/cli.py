"""The ``newstrace`` command: a thin layer that validates arguments and calls ``newstrace.api``.

Exit codes (also in the README): 0 ok; 1 internal error; 2 usage error; 3 no article could
be ingested from the inputs; 4 the database cannot be used; 5 some inputs were rejected and
``--fail-on-rejection`` was given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from newstrace import __version__, api
from newstrace.errors import ExitCode, NewstraceError
from newstrace.ingest import FieldMap, IngestConfig
from newstrace.progress import Progress


def _ingest_config(args: argparse.Namespace) -> IngestConfig:
    try:
        fields = FieldMap.parse(args.fields) if args.fields else FieldMap()
    except ValueError as exc:
        raise SystemExit(_usage(str(exc)))
    if args.max_mb <= 0:
        raise SystemExit(_usage("--max-mb must be positive"))
    return IngestConfig(max_bytes=int(args.max_mb * 1024 * 1024), min_words=args.min_words, fields=fields)


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
    if summary.articles_seen == 0 and summary.rejections:
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
        counts = api.analyze(args.db, progress=progress)
    _say(args, "analysed: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return ExitCode.OK


def cmd_report(args: argparse.Namespace) -> int:
    paths = api.report(args.db, args.out)
    _say(args, f"wrote {paths['html']} and {paths['json']}")
    return ExitCode.OK


def cmd_run(args: argparse.Namespace) -> int:
    with Progress(not args.quiet) as progress:
        summary = api.ingest(args.paths, args.db, config=_ingest_config(args), progress=progress)
        code = _ingest_outcome(args, summary)
        if code == ExitCode.NO_INPUT:
            return code
        counts = api.analyze(args.db, progress=progress)
    _say(args, "analysed: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    paths = api.report(args.db, args.out)
    _say(args, f"wrote {paths['html']} and {paths['json']}")
    return code


def cmd_stats(args: argparse.Namespace) -> int:
    analysis = api.load(args.db)
    print(json.dumps({"articles": len(analysis.articles), "rejections": len(analysis.rejections),
                      "sentences": sum(len(s) for s in analysis.sentences.values())}))
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
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", parents=[common, reading], help="store articles from files and directories")
    p.set_defaults(fn=cmd_ingest)
    p = sub.add_parser("analyze", parents=[common], help="run the analysis stages on stored articles")
    p.set_defaults(fn=cmd_analyze)
    p = sub.add_parser("report", parents=[common], help="write report.html and report.json")
    p.add_argument("--out", required=True, help="output directory")
    p.set_defaults(fn=cmd_report)
    p = sub.add_parser("run", parents=[common, reading], help="ingest, analyze and report in one go")
    p.add_argument("--out", required=True, help="output directory")
    p.set_defaults(fn=cmd_run)
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
    except KeyboardInterrupt:
        print("newstrace: interrupted; stored batches are kept, re-run to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
