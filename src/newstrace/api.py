"""The Python API: the same functions the CLI calls, returning plain records.

    import newstrace
    analysis = newstrace.run(["examples/corpus"], db="newstrace.db", out="out/")
    analysis.articles[0].title, analysis.rejections, analysis.sentences[article_id]
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newstrace import codec
from newstrace.errors import NewstraceError, UsageError
from newstrace.ingest import IngestConfig
from newstrace.model import Analysis, ReuseEdge
from newstrace.pipeline import IngestSummary, analyze_store, ingest_into
from newstrace.progress import QUIET, Progress
from newstrace.provenance import is_parent_link, link_strength
from newstrace.report import write_report
from newstrace.reuse import REUSE_KINDS
from newstrace.stages import AnalyzeConfig
from newstrace.store import Store

__all__ = ["DEFAULT_DB", "IngestSummary", "analyze", "export", "ingest", "load", "report", "run", "trace"]

DEFAULT_DB = "newstrace.db"


def _logged(store: Store, command: str, fn):  # type: ignore[no-untyped-def]
    """Run ``fn`` recorded in the store's run log as ok, failed or (if killed) interrupted."""
    run_id = store.start_run(command)
    try:
        result = fn()
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        # The log entry is best effort: a database that refused the run's writes may refuse
        # this one too, and the error that stopped the run is the one to report.
        with contextlib.suppress(NewstraceError):
            store.finish_run(run_id, status, {"error": f"{type(exc).__name__}: {exc}"})
        raise
    counts = result.as_dict() if hasattr(result, "as_dict") else result
    store.finish_run(run_id, "ok", counts if isinstance(counts, dict) else {})
    return result


def ingest(paths: Sequence[str | Path], db: str | Path = DEFAULT_DB, *, config: IngestConfig | None = None,
           progress: Progress = QUIET) -> IngestSummary:
    """Store every article found under ``paths``; bad items become rejections."""
    with Store(db) as store:
        return _logged(store, "ingest", lambda: ingest_into(store, list(paths), config or IngestConfig(), progress))


def analyze(db: str | Path = DEFAULT_DB, *, config: AnalyzeConfig | None = None,
            progress: Progress = QUIET) -> dict[str, int]:
    """Run every analysis stage on the articles that still need it."""
    with Store(db, create=False) as store:
        # The run log keeps what the corpus stages found; callers get the counts per stage.
        return _logged(store, "analyze", lambda: analyze_store(store, progress, config=config)).counts


def report(db: str | Path = DEFAULT_DB, out: str | Path = "out") -> dict[str, Path]:
    """Write report.json and report.html for the database into ``out``."""
    with Store(db, create=False) as store:
        return write_report(store, out)


def export(db: str | Path = DEFAULT_DB, out: str | Path = "out", formats: Sequence[str] = ("json", "csv", "graphml", "prov"),
           story_id: str | None = None) -> dict[str, Path]:
    """Write exports (JSON, CSV of claims and edges, GraphML, W3C PROV-JSON) into ``out``."""
    from newstrace.report.export import write_exports

    with Store(db, create=False) as store:
        if story_id is not None and not store.stories([story_id]):
            raise UsageError(f"no story with id {story_id!r}")
        try:
            return write_exports(store, out, formats, story_id=story_id)
        except ValueError as exc:  # an unknown format
            raise UsageError(str(exc)) from None


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
            claims={a.id: store.claims(a.id) for a in articles},
            edges=store.edges(),
            origin_groups=store.origin_groups(),
            entities=store.entities(),
            garbles=store.garbles(),
            stories=store.stories(),
            claim_groups=store.claim_groups(),
            flags=store.flags(),
        )


#: The tables ``stats`` counts, in the order it prints them.
STATS_TABLES = ("articles", "rejections", "sentences", "claims", "edges", "origin_groups", "entities",
                "garbles", "stories", "claim_groups", "flags")


def stats(db: str | Path = DEFAULT_DB) -> dict[str, int]:
    """Row counts of the main tables: what ``newstrace stats`` prints. Counted in SQLite, so
    it costs the same on a database of millions of articles (``load`` would read them all)."""
    with Store(db, create=False) as store:
        return {t: store.count(t) for t in STATS_TABLES}


def run(paths: Sequence[str | Path], db: str | Path = DEFAULT_DB, out: str | Path | None = None, *,
        config: IngestConfig | None = None, analyze_config: AnalyzeConfig | None = None,
        progress: Progress = QUIET) -> Analysis:
    """Ingest, analyse and (if ``out`` is given) report: the whole pipeline in one call."""
    if not paths:
        raise NewstraceError("no input paths given")
    summary = ingest(paths, db, config=config, progress=progress)
    analyze(db, config=analyze_config, progress=progress)
    written = report(db, out) if out is not None else None
    analysis = load(db)
    analysis.report_dir = str(out) if written else None
    analysis.extra["ingest"] = summary.as_dict()
    return analysis


def resolve_article_id(store: Store, prefix: str) -> str:
    """The article whose id is ``prefix`` or starts with it (ids are long; people type a few
    characters); a usage error when none or several match."""
    if store.has_article(prefix):
        return prefix
    pattern = prefix.replace("\\", "").replace("%", "").replace("_", "") + "%"
    hits = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE id LIKE ? LIMIT 3", (pattern,))]
    if len(hits) != 1:
        raise UsageError(f"no article id starts with {prefix!r}" if not hits
                         else f"article id prefix {prefix!r} is ambiguous: {', '.join(hits)}, ...")
    return hits[0]


def trace(article_id: str, db: str | Path = DEFAULT_DB) -> dict[str, Any]:
    """The chain from an article up to its predicted origin, each step with its evidence.

    The chain follows parent links (:func:`newstrace.provenance.parent_links`: at each step the
    article's most likely parent, not merely an earlier article that shares its source), so a
    rewrite of a rewrite names the rewrite it was made from. Where parent links do not reach the
    group's origin (a database analysed before they existed, or a member whose only upstream
    links point elsewhere) the rest of the way is the shortest path over directed reuse edges,
    and ``chain_rule`` says so; when no directed path exists, the group's origin is still named,
    with the group's rule, so the answer is never silent. Each step's ``direction_evidence``
    carries ``parent`` and ``parent_reason``.
    """
    with Store(db, create=False) as store:
        aid = resolve_article_id(store, article_id)
        group_id = store.origin_of().get(aid)
        group = store.origin_groups([group_id])[0] if group_id else None
        members = set(group.members) if group else {aid}
        upstream: dict[str, list[ReuseEdge]] = {}
        for e in store.edges(kinds=REUSE_KINDS):
            if e.directed and e.source_id in members and e.derived_id in members:
                upstream.setdefault(e.derived_id, []).append(e)
        origin = group.origin_id if group else None
        path, rule = _path_upstream(aid, origin, upstream)
        titles = {a.id: {"title": a.title, "outlet": a.outlet,
                         "published_at": a.published_at.isoformat() if a.published_at else None}
                  for a in store.articles(sorted(members))}
        return {
            "article_id": aid, "origin_group": group_id, "origin_id": origin,
            "group_rule": group.evidence.get("rule") if group else "not traced yet (run analyze)",
            "chain_rule": rule,
            "articles": titles,
            "steps": [codec.to_dict(e) for e in path],
        }


#: How :func:`_path_upstream` found its chain (``chain_rule`` of :func:`trace`).
CHAIN_PARENTS = "parent links"
CHAIN_MIXED = "parent links, then the shortest path over directed reuse edges"
CHAIN_SHORTEST = "shortest path over directed reuse edges (parent links do not reach the origin)"
CHAIN_UNMARKED = "shortest path over directed reuse edges (no parent links stored)"
CHAIN_NONE = "no directed path to the origin"
CHAIN_AT_ORIGIN = "the article is its group's origin"
CHAIN_NO_ORIGIN = "no origin article in the corpus"


def _path_upstream(start: str, origin: str | None,
                   upstream: dict[str, list[ReuseEdge]]) -> tuple[list[ReuseEdge], str]:
    """The chain from ``start`` up to ``origin``, and how it was found.

    First the strongest parent link at each step (an article visited twice ends it: parent
    links follow directions, which different rules can set in a cycle); from where they stop
    short of the origin, the shortest path over all directed edges (strongest first). An
    empty chain when no path reaches the origin."""
    if origin is None or start == origin:
        return [], CHAIN_NO_ORIGIN if origin is None else CHAIN_AT_ORIGIN
    path: list[ReuseEdge] = []
    seen = {start}
    node = start
    while node != origin:
        links = [e for e in upstream.get(node, []) if is_parent_link(e) and e.source_id not in seen]
        if not links:
            break
        e = max(links, key=link_strength)
        path.append(e)
        node = e.source_id
        seen.add(node)
    if node == origin:
        return path, CHAIN_PARENTS
    marked = any(is_parent_link(e) is not None for es in upstream.values() for e in es)
    shortest = CHAIN_SHORTEST if marked else CHAIN_UNMARKED
    rest = _shortest_upstream(node, origin, upstream, seen)
    if rest is not None:
        return path + rest, (CHAIN_MIXED if path else shortest)
    whole = _shortest_upstream(start, origin, upstream, {start}) if path else None
    if whole is not None:  # the parent links led where no directed edge goes on to the origin
        return whole, shortest
    return [], CHAIN_NONE


def _shortest_upstream(start: str, origin: str, upstream: dict[str, list[ReuseEdge]],
                       seen: set[str]) -> list[ReuseEdge] | None:
    """Breadth-first over upstream edges from ``start`` to ``origin`` (strongest edges first),
    avoiding the articles in ``seen``; None when there is no such path."""
    seen = set(seen) | {start}
    frontier: list[tuple[str, list[ReuseEdge]]] = [(start, [])]
    while frontier:
        nxt = []
        for node, path in frontier:
            for e in sorted(upstream.get(node, []), key=lambda e: -e.score):
                if e.source_id in seen:
                    continue
                if e.source_id == origin:
                    return path + [e]
                seen.add(e.source_id)
                nxt.append((e.source_id, path + [e]))
        frontier = nxt
    return None
