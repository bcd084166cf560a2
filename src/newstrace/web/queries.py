"""Paged read queries for the web server and the HTTP API.

Why a module of its own: ``Store``'s read methods return whole tables (right for a batch
report, wrong for a page of a 20,000-article database). Everything here pages with
``LIMIT``/``OFFSET``, filters in SQL and only ever binds values as parameters; the SQL text is
built from constant fragments chosen by which filters are present, never from input.
Records are decoded with the same codec the store uses, so callers get ``newstrace.model``
objects.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newstrace import codec
from newstrace.model import Claim, ClaimGroup, Entity, Flag, OriginGroup, ReuseEdge, Story
from newstrace.store import STORY_EVENTS_SQL

#: Kinds of ReuseEdge that are reuse (``same-story`` is not: it only says two articles report
#: the same event), in the order the UI explains them.
REUSE_KINDS: tuple[str, ...] = ("copy", "edit", "rewrite", "shared-source")

#: Article columns shown in lists: never the text, so a page of 50 stays small.
_SUMMARY_COLS = ("a.id, a.title, a.outlet, a.published_at, a.url, a.format, a.source, length(a.text), a.author,"
                 " json_extract(a.meta, '$.published_date')")


@dataclass(frozen=True)
class ArticleSummary:
    """What a list of articles shows: no text, no raw bytes."""

    id: str
    title: str | None
    outlet: str | None
    published_at: str | None
    url: str | None
    format: str
    source: str
    n_chars: int
    author: str | None = None
    #: A publication date without a time zone (kept in the article's meta, never turned into
    #: an instant): shown where ``published_at`` is unknown, as the report does.
    published_date: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class StoryRow:
    """One line of the stories list: the story plus what the list shows beside it."""

    story: Story
    outlets: list[str] = field(default_factory=list)
    flag_counts: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.story.title or "(untitled story)"


#: Control characters (C0, DEL, C1): stored text has none, and SQLite reads a LIKE pattern as
#: a C string, so a NUL would cut ``%\x00zzqx%`` to ``%`` and match every row.
_SEARCH_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def search_text(q: str | None) -> str | None:
    """A search string without control characters; ``None`` when nothing is left to search for."""
    if q is None:
        return None
    return _SEARCH_CONTROL.sub("", q) or None


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` literally anywhere (``%``, ``_`` and ``\\`` escaped);
    ``text`` comes through :func:`search_text`, without control characters."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _summary(row: Sequence[Any]) -> ArticleSummary:
    return ArticleSummary(id=row[0], title=row[1], outlet=row[2], published_at=row[3], url=row[4],
                          format=row[5], source=row[6], n_chars=int(row[7] or 0), author=row[8],
                          published_date=row[9] if isinstance(row[9], str) else None)


# --- corpus figures ---------------------------------------------------------------------------


#: Row counts of the main tables, by table name.
COUNTED_TABLES = ("articles", "stories", "claims", "claim_groups", "edges", "flags", "entities",
                  "origin_groups", "rejections")


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the main tables, and the two counts a reader means by "reuse links" and
    "origin groups", counted as report.json's summary counts them: ``reuse_edges`` (edges
    whose kind is not ``same-story``, which says only that two articles report one event) and
    ``multi_article_origin_groups`` (groups of two or more articles; every article not reused
    is a group of its own)."""
    out = {}
    for table in COUNTED_TABLES:
        out[table] = int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # constant names
    out["reuse_edges"] = int(conn.execute("SELECT COUNT(*) FROM edges WHERE kind != 'same-story'").fetchone()[0])
    out["multi_article_origin_groups"] = int(conn.execute(
        "SELECT COUNT(*) FROM origin_groups WHERE size >= 2").fetchone()[0])
    return out


def outlets(conn: sqlite3.Connection, limit: int = 500) -> list[str]:
    """Distinct outlets for the filter menu (bounded: a menu of 20,000 entries helps no one)."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL AND outlet != '' ORDER BY outlet LIMIT ?",
        (limit,))]


def flag_kinds(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT kind FROM flags ORDER BY kind")]


# --- stories ----------------------------------------------------------------------------------


def list_stories(conn: sqlite3.Connection, *, q: str | None = None, date_from: date | None = None,
                 date_to: date | None = None, outlet: str | None = None, flag: str | None = None,
                 limit: int = 50, offset: int = 0) -> tuple[list[StoryRow], int]:
    """A page of stories (largest first) matching every given filter, and the total matching.

    ``q`` matches the story title or any member article's title or outlet. The date filter
    keeps stories whose span [first, last published] overlaps the range; dates are compared as
    ISO strings, which is exact for the UTC instants the stages store and at most a few hours
    off for other offsets (good enough to narrow a list). A story with no known date is not in
    any date range: a filter by date asks for stories known to fall in it.
    """
    where: list[str] = []
    params: list[Any] = []
    q = search_text(q)
    if q:
        pat = _like(q)
        where.append("(json_extract(s.data, '$.title') LIKE ? ESCAPE '\\' OR EXISTS ("
                     "SELECT 1 FROM article_story x JOIN articles a ON a.id = x.article_id"
                     " WHERE x.story_id = s.id AND (a.title LIKE ? ESCAPE '\\' OR a.outlet LIKE ? ESCAPE '\\')))")
        params += [pat, pat, pat]
    # NULL compares to nothing, so a story of unknown span drops out of any date filter.
    if date_from is not None:
        where.append("COALESCE(json_extract(s.data, '$.last_published'), json_extract(s.data, '$.first_published'))"
                     " >= ?")
        params.append(date_from.isoformat())
    if date_to is not None:
        where.append("COALESCE(json_extract(s.data, '$.first_published'), json_extract(s.data, '$.last_published'))"
                     " <= ?")
        params.append(date_to.isoformat() + "T23:59:59.999999+99:99")
    if outlet:
        where.append("EXISTS (SELECT 1 FROM article_story x JOIN articles a ON a.id = x.article_id"
                     " WHERE x.story_id = s.id AND a.outlet = ?)")
        params.append(outlet)
    if flag:
        where.append("EXISTS (SELECT 1 FROM flags f WHERE f.story_id = s.id AND f.kind = ?)")
        params.append(flag)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT COUNT(*) FROM stories s{clause}", params).fetchone()[0])
    rows = conn.execute(f"SELECT s.id, s.data FROM stories s{clause} ORDER BY s.size DESC, s.id LIMIT ? OFFSET ?",
                        [*params, limit, offset]).fetchall()
    out = [StoryRow(codec.loads(Story, data)) for _, data in rows]
    if not out:
        return out, total
    by_id = {r.story.id: r for r in out}
    marks = ",".join("?" * len(by_id))  # one placeholder per id: still bound parameters
    for sid, kind, n in conn.execute(
            f"SELECT story_id, kind, COUNT(*) FROM flags WHERE story_id IN ({marks}) GROUP BY story_id, kind",
            list(by_id)):
        by_id[sid].flag_counts[kind] = int(n)
    for sid, name in conn.execute(
            f"SELECT DISTINCT x.story_id, a.outlet FROM article_story x JOIN articles a ON a.id = x.article_id"
            f" WHERE x.story_id IN ({marks}) AND a.outlet IS NOT NULL ORDER BY a.outlet", list(by_id)):
        by_id[sid].outlets.append(name)
    for r in out:
        if not r.story.title:
            first = conn.execute(
                "SELECT a.title FROM article_story x JOIN articles a ON a.id = x.article_id"
                " WHERE x.story_id = ? AND a.title IS NOT NULL ORDER BY a.published_at IS NULL, a.published_at, a.seq"
                " LIMIT 1", (r.story.id,)).fetchone()
            if first:
                r.story.title = first[0]
    return out, total


def story(conn: sqlite3.Connection, story_id: str) -> Story | None:
    row = conn.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
    return codec.loads(Story, row[0]) if row else None


def story_of_article(conn: sqlite3.Connection, article_id: str) -> str | None:
    row = conn.execute("SELECT story_id FROM article_story WHERE article_id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def story_edges(conn: sqlite3.Connection, story_id: str) -> list[ReuseEdge]:
    """Edges with both ends in the story (an edge leaving the story belongs to another graph)."""
    rows = conn.execute(
        "SELECT e.data FROM article_story x JOIN edges e ON e.a = x.article_id"
        " JOIN article_story y ON y.article_id = e.b AND y.story_id = x.story_id"
        " WHERE x.story_id = ? ORDER BY e.score DESC, e.a, e.b", (story_id,))
    return [codec.loads(ReuseEdge, r[0]) for r in rows]


def origins_of(conn: sqlite3.Connection, article_ids: Sequence[str]) -> dict[str, str]:
    """Article id -> origin group id for the given articles only."""
    out: dict[str, str] = {}
    for chunk in _chunks(list(article_ids)):
        marks = ",".join("?" * len(chunk))
        out.update(conn.execute(f"SELECT article_id, group_id FROM article_origin WHERE article_id IN ({marks})",
                                chunk))
    return out


def origin_groups_of(conn: sqlite3.Connection, group_ids: Sequence[str]) -> list[OriginGroup]:
    out: list[OriginGroup] = []
    for chunk in _chunks(sorted(set(group_ids))):
        marks = ",".join("?" * len(chunk))
        out += [codec.loads(OriginGroup, r[0]) for r in conn.execute(
            f"SELECT data FROM origin_groups WHERE id IN ({marks}) ORDER BY size DESC, id", chunk)]
    return out


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    """SQLite caps bound parameters per statement; stories of thousands of articles are chunked."""
    return [items[i:i + size] for i in range(0, len(items), size)] if items else []


# --- articles ---------------------------------------------------------------------------------


def list_articles(conn: sqlite3.Connection, *, q: str | None = None, outlet: str | None = None,
                  story: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[ArticleSummary], int]:
    """A page of article summaries in ingest order."""
    where: list[str] = []
    params: list[Any] = []
    join = ""
    q = search_text(q)
    if story:
        join = " JOIN article_story x ON x.article_id = a.id"
        where.append("x.story_id = ?")
        params.append(story)
    if q:
        pat = _like(q)
        where.append("(a.title LIKE ? ESCAPE '\\' OR a.outlet LIKE ? ESCAPE '\\' OR a.id = ?)")
        params += [pat, pat, q]
    if outlet:
        where.append("a.outlet = ?")
        params.append(outlet)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT COUNT(*) FROM articles a{join}{clause}", params).fetchone()[0])
    # Page over the small (seq, rowid) index first, then fetch only the page's rows: OFFSET on
    # the table itself would step through every skipped article's text.
    rows = conn.execute(f"SELECT {_SUMMARY_COLS} FROM (SELECT a.rowid AS r, a.seq AS s FROM articles a{join}{clause}"
                        f" ORDER BY a.seq LIMIT ? OFFSET ?) p JOIN articles a ON a.rowid = p.r ORDER BY p.s",
                        [*params, limit, offset])
    return [_summary(r) for r in rows], total


def article_summaries(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, ArticleSummary]:
    out: dict[str, ArticleSummary] = {}
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT {_SUMMARY_COLS} FROM articles a WHERE a.id IN ({marks})", chunk):
            out[r[0]] = _summary(r)
    return out


def article_texts(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        out.update(conn.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk))
    return out


# --- claims, claim groups, entities, edges, flags, origin groups ------------------------------


def list_claims(conn: sqlite3.Connection, *, article: str | None = None, story: str | None = None,
                source_kind: str | None = None, hedge: str | None = None,
                limit: int = 50, offset: int = 0) -> tuple[list[Claim], int]:
    where: list[str] = []
    params: list[Any] = []
    join = ""
    if story:
        join = " JOIN article_story x ON x.article_id = c.article_id"
        where.append("x.story_id = ?")
        params.append(story)
    if article:
        where.append("c.article_id = ?")
        params.append(article)
    if source_kind:
        where.append("c.source_kind = ?")
        params.append(source_kind)
    if hedge:
        where.append("c.hedge = ?")
        params.append(hedge)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT COUNT(*) FROM claims c{join}{clause}", params).fetchone()[0])
    # Ordered by id so the OFFSET walks the compact primary-key index, not the JSON documents
    # (measured: 40 ms -> a few ms per page at offset 59,000 on 60,000 claims).
    rows = conn.execute(f"SELECT cc.data FROM (SELECT c.id AS i FROM claims c{join}{clause}"
                        f" ORDER BY c.id LIMIT ? OFFSET ?) p JOIN claims cc ON cc.id = p.i ORDER BY p.i",
                        [*params, limit, offset])
    return [codec.loads(Claim, r[0]) for r in rows], total


def claims_of(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Claim]:
    out: dict[str, Claim] = {}
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        for (data,) in conn.execute(f"SELECT data FROM claims WHERE id IN ({marks})", chunk):
            c = codec.loads(Claim, data)
            out[c.id] = c
    return out


def list_claim_groups(conn: sqlite3.Connection, *, story: str | None = None, min_origins: int | None = None,
                      limit: int = 50, offset: int = 0) -> tuple[list[ClaimGroup], int]:
    where: list[str] = []
    params: list[Any] = []
    if story:
        where.append("story_id = ?")
        params.append(story)
    if min_origins is not None:
        where.append("n_origins >= ?")
        params.append(min_origins)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT COUNT(*) FROM claim_groups{clause}", params).fetchone()[0])
    rows = conn.execute(f"SELECT data FROM claim_groups{clause} ORDER BY story_id, n_origins DESC, n_articles DESC, id"
                        " LIMIT ? OFFSET ?", [*params, limit, offset])
    return [codec.loads(ClaimGroup, r[0]) for r in rows], total


def list_entities(conn: sqlite3.Connection, *, q: str | None = None, label: str | None = None,
                  limit: int = 50, offset: int = 0) -> tuple[list[Entity], int]:
    where: list[str] = []
    params: list[Any] = []
    q = search_text(q)
    if q:
        where.append("canonical LIKE ? ESCAPE '\\'")
        params.append(_like(q))
    if label:
        where.append("label = ?")
        params.append(label)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT COUNT(*) FROM entities{clause}", params).fetchone()[0])
    rows = conn.execute(f"SELECT data FROM entities{clause} ORDER BY n_mentions DESC, canonical LIMIT ? OFFSET ?",
                        [*params, limit, offset])
    return [codec.loads(Entity, r[0]) for r in rows], total


def entities_of(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        for (data,) in conn.execute(f"SELECT data FROM entities WHERE id IN ({marks})", chunk):
            e = codec.loads(Entity, data)
            out[e.id] = e
    return out


def list_edges(conn: sqlite3.Connection, *, article: str | None = None, story: str | None = None,
               kind: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[ReuseEdge], int]:
    where: list[str] = []
    params: list[Any] = []
    join = ""
    if story:
        join = (" JOIN article_story x ON x.article_id = e.a"
                " JOIN article_story y ON y.article_id = e.b AND y.story_id = x.story_id")
        where.append("x.story_id = ?")
        params.append(story)
    if article:
        where.append("(e.a = ? OR e.b = ?)")
        params += [article, article]
    if kind:
        where.append("e.kind = ?")
        params.append(kind)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT COUNT(*) FROM edges e{join}{clause}", params).fetchone()[0])
    rows = conn.execute(f"SELECT ee.data FROM (SELECT e.a AS pa, e.b AS pb FROM edges e{join}{clause}"
                        f" ORDER BY e.a, e.b LIMIT ? OFFSET ?) p JOIN edges ee ON ee.a = p.pa AND ee.b = p.pb"
                        f" ORDER BY p.pa, p.pb", [*params, limit, offset])
    return [codec.loads(ReuseEdge, r[0]) for r in rows], total


def list_flags(conn: sqlite3.Connection, *, story: str | None = None, article: str | None = None,
               kind: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[Flag], int]:
    where: list[str] = []
    params: list[Any] = []
    if story:
        where.append("f.story_id = ?")
        params.append(story)
    if kind:
        where.append("f.kind = ?")
        params.append(kind)
    if article:
        where.append("f.id IN (SELECT flag_id FROM flag_articles WHERE article_id = ?)")
        params.append(article)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(conn.execute(f"SELECT COUNT(*) FROM flags f{clause}", params).fetchone()[0])
    rows = conn.execute(f"SELECT f.data FROM flags f{clause} ORDER BY f.kind, f.id LIMIT ? OFFSET ?",
                        [*params, limit, offset])
    return [codec.loads(Flag, r[0]) for r in rows], total


def list_origin_groups(conn: sqlite3.Connection, *, article: str | None = None,
                       limit: int = 50, offset: int = 0) -> tuple[list[OriginGroup], int]:
    if article:
        sql = " FROM origin_groups g JOIN article_origin o ON o.group_id = g.id WHERE o.article_id = ?"
        params: list[Any] = [article]
    else:
        sql, params = " FROM origin_groups g", []
    total = int(conn.execute("SELECT COUNT(*)" + sql, params).fetchone()[0])
    rows = conn.execute("SELECT g.data" + sql + " ORDER BY g.size DESC, g.id LIMIT ? OFFSET ?",
                        [*params, limit, offset])
    return [codec.loads(OriginGroup, r[0]) for r in rows], total


def merged_into(conn: sqlite3.Connection, story_id: str) -> str | None:
    """The story that now holds a merged-away story's articles, or ``None``.

    Story ids are stable, but a merge retires the younger id; its ``merge`` event names the
    survivor. Chains (a survivor merged again later) are followed to a story that exists.
    """
    seen = {story_id}
    current = story_id
    while True:
        row = conn.execute("SELECT story_id FROM story_events WHERE kind = 'merge'"
                           " AND json_extract(data, '$.from_story') = ? ORDER BY seq DESC LIMIT 1",
                           (current,)).fetchone()
        if row is None or row[0] in seen:
            return None
        current = row[0]
        if story(conn, current) is not None:
            return current
        seen.add(current)


def story_events(conn: sqlite3.Connection, story_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """The story's latest events, newest first, with the splits taken from it."""
    return [json.loads(r[0]) for r in conn.execute(
        f"SELECT data FROM ({STORY_EVENTS_SQL}) ORDER BY seq DESC LIMIT ?", (story_id, story_id, limit))]
