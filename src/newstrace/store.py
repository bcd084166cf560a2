"""The embedded store: one SQLite file, versioned schema, every stage's writes in a transaction.

Why SQLite: a laptop user gets a single file they can copy, inspect with any SQLite tool and
hand to a colleague, with real transactions. WAL mode lets the web server read while a run
writes. Resumability comes from two rules: every write of a batch happens in one
transaction, and every insert is idempotent (stable ids, ``INSERT OR IGNORE``/upsert), so a
killed run leaves whole batches behind and re-running only does what is missing.

Records go in and come out as the dataclasses of ``newstrace.model``; SQL is only ever built
from constants, never from article text (all values are bound parameters).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from newstrace import codec
from newstrace.boilerplate import EdgeSentence, counted
from newstrace.errors import DatabaseError
from newstrace.model import (
    Article,
    ArticleStats,
    Claim,
    ClaimGroup,
    Entity,
    Flag,
    Garble,
    Mention,
    OriginGroup,
    Rejection,
    ReuseEdge,
    Sentence,
    Story,
)
from newstrace.text import batched
if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

T = TypeVar("T")

#: Ordered migrations. Index i (0-based) brings the schema from version i to i+1.
#: Never edit a released migration: append a new one.
MIGRATIONS: list[str] = [
    # v1: the foundation: inputs, rejections, sentences, per-article statistics, run log.
    """
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        data   BLOB NOT NULL
    );
    CREATE TABLE articles (
        id            TEXT PRIMARY KEY,
        text          TEXT NOT NULL,
        source        TEXT NOT NULL,
        format        TEXT NOT NULL,
        title         TEXT,
        url           TEXT,
        outlet        TEXT,
        author        TEXT,
        published_at  TEXT,
        language      TEXT,
        content_hash  TEXT NOT NULL,
        raw_sha256    TEXT REFERENCES blobs(sha256),
        meta          TEXT NOT NULL DEFAULT '{}',
        ingested_at   TEXT NOT NULL,
        seq           INTEGER NOT NULL
    );
    CREATE INDEX articles_content_hash ON articles(content_hash);
    CREATE INDEX articles_seq ON articles(seq);
    CREATE TABLE rejections (
        id       TEXT PRIMARY KEY,
        source   TEXT NOT NULL,
        reason   TEXT NOT NULL,
        detail   TEXT NOT NULL,
        format   TEXT,
        seen_at  TEXT NOT NULL
    );
    CREATE INDEX rejections_source ON rejections(source);
    CREATE TABLE sentences (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        start      INTEGER NOT NULL,
        end        INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE article_stats (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        data       TEXT NOT NULL
    );
    CREATE TABLE stage_done (
        stage      TEXT NOT NULL,
        version    TEXT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        done_at    TEXT NOT NULL,
        PRIMARY KEY (stage, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        command     TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        status      TEXT NOT NULL,
        counts      TEXT NOT NULL DEFAULT '{}'
    );
    """,
    # v2: generic per-stage state (indexes, models' incremental state) kept beside the data.
    """
    CREATE TABLE stage_state (
        stage   TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        data    BLOB NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # v3: the analysis stages. Records are JSON documents (``newstrace.codec``) beside the key
    # columns that queries filter on, so an added optional field needs no migration.
    """
    CREATE TABLE claims (
        id          TEXT PRIMARY KEY,
        article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sentence_index INTEGER NOT NULL,
        source_kind TEXT NOT NULL,
        hedge       TEXT NOT NULL,
        data        TEXT NOT NULL
    );
    CREATE INDEX claims_article ON claims(article_id);
    CREATE TABLE mentions (
        id          TEXT PRIMARY KEY,
        article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        label       TEXT NOT NULL,
        data        TEXT NOT NULL
    );
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE TABLE entities (
        id          TEXT PRIMARY KEY,
        canonical   TEXT NOT NULL,
        label       TEXT NOT NULL,
        n_mentions  INTEGER NOT NULL,
        data        TEXT NOT NULL
    );
    CREATE TABLE mention_entity (
        mention_id  TEXT PRIMARY KEY,
        entity_id   TEXT NOT NULL,
        article_id  TEXT NOT NULL
    );
    CREATE INDEX mention_entity_entity ON mention_entity(entity_id);
    CREATE INDEX mention_entity_article ON mention_entity(article_id);
    CREATE TABLE garbles (
        mention_id  TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        article_id  TEXT NOT NULL,
        data        TEXT NOT NULL,
        PRIMARY KEY (mention_id, entity_id)
    );
    CREATE INDEX garbles_article ON garbles(article_id);
    CREATE TABLE edges (
        a           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        b           TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        score       REAL NOT NULL,
        source_id   TEXT NOT NULL,
        derived_id  TEXT NOT NULL,
        directed    INTEGER NOT NULL,
        data        TEXT NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX edges_b ON edges(b);
    CREATE INDEX edges_kind ON edges(kind);
    CREATE TABLE origin_groups (
        id          TEXT PRIMARY KEY,
        origin_id   TEXT,
        size        INTEGER NOT NULL,
        data        TEXT NOT NULL
    );
    CREATE TABLE article_origin (
        article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        group_id    TEXT NOT NULL
    );
    CREATE INDEX article_origin_group ON article_origin(group_id);
    CREATE TABLE stories (
        id          TEXT PRIMARY KEY,
        size        INTEGER NOT NULL,
        data        TEXT NOT NULL
    );
    CREATE TABLE article_story (
        article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id    TEXT NOT NULL
    );
    CREATE INDEX article_story_story ON article_story(story_id);
    CREATE TABLE story_events (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,
        story_id    TEXT NOT NULL,
        data        TEXT NOT NULL
    );
    CREATE TABLE claim_groups (
        id          TEXT PRIMARY KEY,
        story_id    TEXT NOT NULL,
        n_articles  INTEGER NOT NULL,
        n_origins   INTEGER NOT NULL,
        data        TEXT NOT NULL
    );
    CREATE INDEX claim_groups_story ON claim_groups(story_id);
    CREATE TABLE flags (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        story_id    TEXT,
        data        TEXT NOT NULL
    );
    CREATE INDEX flags_story ON flags(story_id);
    CREATE INDEX flags_kind ON flags(kind);
    CREATE TABLE flag_articles (
        flag_id     TEXT NOT NULL,
        article_id  TEXT NOT NULL,
        PRIMARY KEY (flag_id, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX flag_articles_article ON flag_articles(article_id);
    CREATE TABLE article_vectors (
        article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        model       TEXT NOT NULL,
        dim         INTEGER NOT NULL,
        data        BLOB NOT NULL
    );
    """,
    # v4: story events found per story (the report, each story page) without a scan of the
    # whole log, and splits found by the story they were taken from.
    """
    CREATE INDEX story_events_story ON story_events(story_id);
    CREATE INDEX story_events_kind ON story_events(kind);
    """,
    # v5: aligned sentence pairs found on lexical overlap alone were stored with the cosine NaN,
    # which is not JSON (browsers and strict parsers reject report.json); it is null now. In our
    # compact encoding the text below can only be that key and value: a quote inside a string
    # value is escaped.
    """
    UPDATE edges SET data = replace(data, '"cosine":NaN', '"cosine":null')
     WHERE instr(data, '"cosine":NaN') > 0;
    """,
    # v6: articles whose edges the reuse stage wrote or removed since the provenance stage last
    # directed them: provenance recomputes only their part of the reuse graph.
    """
    CREATE TABLE edges_changed (
        article_id  TEXT PRIMARY KEY
    ) WITHOUT ROWID;
    """,
    # v7: sentences in head and tail positions, keyed by outlet, to find the furniture an
    # outlet repeats (newstrace.boilerplate), and each article's boilerplate runs.
    """
    CREATE TABLE outlet_sentences (
        outlet       TEXT NOT NULL,
        hash         TEXT NOT NULL,
        article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        start        INTEGER NOT NULL,
        end          INTEGER NOT NULL,
        words        INTEGER NOT NULL,
        counted      INTEGER NOT NULL,
        PRIMARY KEY (outlet, hash, article_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX outlet_sentences_article ON outlet_sentences(article_id);
    CREATE TABLE boilerplate (
        article_id   TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        outlet       TEXT NOT NULL,
        n_sentences  INTEGER NOT NULL,
        n_words      INTEGER NOT NULL,
        spans        TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)

#: Ids bound in one ``IN (...)`` query (SQLite's limit is 32,766 since 3.32; older builds 999).
_MAX_PARAMS = 500

#: One story's events (its own, and the splits taken from it) through the v4 indexes; bind
#: the story id twice.
STORY_EVENTS_SQL = (
    "SELECT seq, data FROM story_events WHERE story_id = ? UNION ALL"
    " SELECT seq, data FROM story_events WHERE kind IN ('split', 'link') AND json_extract(data, '$.from_story') = ?")
_STORY_EVENTS = f"SELECT data FROM ({STORY_EVENTS_SQL})"


def storable(value: str | None) -> str | None:
    """``value`` as SQLite can store it: lone surrogates (from a file name that is not UTF-8,
    or a JSON ``"\\ud800"``) become backslash escapes instead of failing the whole batch."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _dt_to_str(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _str_to_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Store:
    """A newstrace database file.

    Use as a context manager or call ``close()``. ``transaction()`` groups writes; every
    public write method must be called inside one (it is what makes a batch all-or-nothing).
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise DatabaseError(f"no newstrace database at {self.path}")
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is
            # exactly the batch we say it is.
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30.0)
            # Before anything writes (WAL mode rewrites the file header): a file that is not
            # a newstrace database is refused untouched.
            self._check_ours(create)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=30000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise DatabaseError(f"cannot use database {self.path}: {exc}") from exc
        except DatabaseError:
            self._close_quietly()
            raise
        self._in_tx = False

    def _close_quietly(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def _check_ours(self, create: bool) -> None:
        """Refuse, without writing, a SQLite file that holds another application's tables,
        and (when ``create`` is false, as for the read-only commands) an empty one."""
        tables = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        if "schema_version" in tables:
            return
        if tables:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise DatabaseError(f"{self.path} is a SQLite database of another application (tables: {shown}), "
                                "not a newstrace database; it was left unchanged")
        if not create:
            raise DatabaseError(f"{self.path} is empty, not a newstrace database (run `newstrace ingest` "
                                "to create one); it was left unchanged")

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise DatabaseError(
                f"{self.path} has schema version {current}, newer than this newstrace "
                f"({SCHEMA_VERSION}); upgrade newstrace"
            )
        if current < SCHEMA_VERSION:
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version "
                              "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        for version in range(current, SCHEMA_VERSION):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-check under the write lock: another process may have migrated meanwhile.
                if self.schema_version > version:
                    self.conn.execute("ROLLBACK")
                    continue
                for statement in _statements(MIGRATIONS[version]):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_version VALUES (?, ?)", (version + 1, _now()))
                self.conn.execute(f"PRAGMA user_version = {version + 1:d}")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes inside commit together or not at all (also on KeyboardInterrupt)."""
        if self._in_tx:  # nested: join the outer transaction
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._unwritable(exc) from exc
        self._in_tx = True
        try:
            yield self.conn
        except sqlite3.OperationalError as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise self._unwritable(exc) from exc
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise self._unwritable(exc) from exc
        finally:
            self._in_tx = False

    def _unwritable(self, exc: sqlite3.OperationalError) -> DatabaseError:
        """A write the database refused (read-only file, locked past the timeout, disk full)."""
        message = str(exc)
        hint = ""
        if "readonly" in message or "read-only" in message:
            hint = " (the file or its folder is read-only for this user)"
        elif "locked" in message or "busy" in message:
            hint = " (another process holds the database; try again when it is done)"
        elif "full" in message:
            hint = " (the disk is full)"
        return DatabaseError(f"cannot write to database {self.path}: {message}{hint}")

    def _require_tx(self) -> None:
        if not self._in_tx:
            raise RuntimeError("store writes must happen inside Store.transaction()")

    # -- articles and rejections -----------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Insert articles not yet stored; returns how many were new."""
        self._require_tx()
        new = 0
        seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]
        for a in articles:
            raw_sha = self._put_blob(a.raw) if a.raw else None
            seq += 1
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO articles (id, text, source, format, title, url, outlet, author,"
                " published_at, language, content_hash, raw_sha256, meta, ingested_at, seq)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (a.id, storable(a.text), storable(a.source), a.format, storable(a.title), storable(a.url),
                 storable(a.outlet), storable(a.author),
                 _dt_to_str(a.published_at), a.language, a.content_hash, raw_sha,
                 storable(json.dumps(a.meta, ensure_ascii=False, sort_keys=True, default=str)), _now(), seq),
            )
            if cur.rowcount:
                new += 1
            else:
                seq -= 1
            # A source that now yields an article is no longer rejected.
            self.conn.execute("DELETE FROM rejections WHERE source = ?", (storable(a.source),))
        return new

    def _put_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        self.conn.execute("INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)", (sha, data))
        return sha

    def add_rejections(self, rejections: Iterable[Rejection]) -> int:
        self._require_tx()
        new = 0
        for r in rejections:
            cur = self.conn.execute(
                "INSERT INTO rejections (id, source, reason, detail, format, seen_at) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET detail=excluded.detail, seen_at=excluded.seen_at",
                (r.id, storable(r.source), r.reason, storable(r.detail), r.format, _now()),
            )
            new += cur.rowcount
        return new

    def clear_rejections_of(self, source: str) -> int:
        """Forget the rejections of a file and of its items (``FILE#...``): called when the
        file is read again, so what it holds now replaces what was rejected before."""
        self._require_tx()
        source = storable(source)
        # '#' + 1 is '$': the range is every source that starts with "FILE#" (uses the index).
        cur = self.conn.execute("DELETE FROM rejections WHERE source = ? OR (source >= ? AND source < ?)",
                                (source, source + "#", source + "$"))
        return int(cur.rowcount or 0)

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY seq")]

    def articles(self, ids: Sequence[str] | None = None, *, with_raw: bool = False) -> Iterator[Article]:
        """Articles in ingest order (or in the order of ``ids``)."""
        cols = ("a.id, a.text, a.source, a.format, a.title, a.url, a.outlet, a.author, a.published_at,"
                " a.language, a.content_hash, a.meta, " + ("b.data" if with_raw else "NULL"))
        join = " LEFT JOIN blobs b ON b.sha256 = a.raw_sha256" if with_raw else ""
        if ids is None:
            rows: Iterable[tuple[Any, ...]] = self.conn.execute(
                f"SELECT {cols} FROM articles a{join} ORDER BY a.seq")
        else:
            rows = (row for i in ids for row in self.conn.execute(
                f"SELECT {cols} FROM articles a{join} WHERE a.id = ?", (i,)))
        for row in rows:
            yield Article(
                id=row[0], text=row[1], source=row[2], format=row[3], title=row[4], url=row[5],
                outlet=row[6], author=row[7], published_at=_str_to_dt(row[8]), language=row[9],
                content_hash=row[10], meta=json.loads(row[11]), raw=row[12] or b"",
            )

    def content_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """Each article's ``content_hash`` (equal for verbatim copies), without reading texts."""
        out: dict[str, str] = {}
        for i in ids:
            row = self.conn.execute("SELECT content_hash FROM articles WHERE id = ?", (i,)).fetchone()
            if row is not None:
                out[i] = row[0]
        return out

    def article(self, article_id: str, *, with_raw: bool = False) -> Article:
        for a in self.articles([article_id], with_raw=with_raw):
            return a
        raise KeyError(article_id)

    def rejections(self) -> list[Rejection]:
        return [
            Rejection(source=r[0], reason=r[1], detail=r[2], format=r[3])
            for r in self.conn.execute(
                "SELECT source, reason, detail, format FROM rejections ORDER BY source, reason")
        ]

    # -- stage bookkeeping -----------------------------------------------------------------

    def pending(self, stage: str, version: str) -> list[str]:
        """Ids of articles the stage has not processed at this version, in ingest order."""
        return [r[0] for r in self.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN stage_done d"
            " ON d.article_id = a.id AND d.stage = ? AND d.version = ?"
            " WHERE d.article_id IS NULL ORDER BY a.seq", (stage, version))]

    def mark_done(self, stage: str, version: str, article_ids: Iterable[str]) -> None:
        self._require_tx()
        now = _now()
        self.conn.executemany(
            "INSERT INTO stage_done (stage, version, article_id, done_at) VALUES (?,?,?,?)"
            " ON CONFLICT(stage, article_id) DO UPDATE SET version=excluded.version, done_at=excluded.done_at",
            [(stage, version, i, now) for i in article_ids],
        )

    def clear_done(self, stage: str, article_ids: Iterable[str]) -> None:
        """Make articles pending again for ``stage`` (its input about them changed)."""
        self._require_tx()
        self.conn.executemany("DELETE FROM stage_done WHERE stage = ? AND article_id = ?",
                              [(stage, i) for i in article_ids])

    def get_state(self, stage: str) -> tuple[str, bytes] | None:
        row = self.conn.execute("SELECT version, data FROM stage_state WHERE stage = ?", (stage,)).fetchone()
        return (row[0], row[1]) if row else None

    def put_state(self, stage: str, version: str, data: bytes) -> None:
        self._require_tx()
        self.conn.execute(
            "INSERT INTO stage_state (stage, version, data, updated_at) VALUES (?,?,?,?)"
            " ON CONFLICT(stage) DO UPDATE SET version=excluded.version, data=excluded.data,"
            " updated_at=excluded.updated_at", (stage, version, data, _now()))

    # -- boilerplate ------------------------------------------------------------------------

    def put_outlet_sentences(self, outlet: str, article_id: str, content_hash: str, n_sentences: int,
                             n_words: int, edges: Sequence[EdgeSentence]) -> None:
        """An article's head and tail sentences under its outlet (its earlier ones replaced)."""
        self._require_tx()
        self.conn.execute("DELETE FROM outlet_sentences WHERE article_id = ?", (article_id,))
        self.conn.executemany(
            "INSERT INTO outlet_sentences (outlet, hash, article_id, idx, content_hash, start, end, words, counted)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(outlet, e.key, article_id, e.index, content_hash, e.start, e.end, e.words,
              int(counted(e, n_sentences))) for e in edges])
        self.conn.execute(
            "INSERT INTO boilerplate (article_id, outlet, n_sentences, n_words, spans) VALUES (?,?,?,?,'[]')"
            " ON CONFLICT(article_id) DO UPDATE SET outlet=excluded.outlet, n_sentences=excluded.n_sentences,"
            " n_words=excluded.n_words", (article_id, outlet, n_sentences, n_words))

    def outlet_counts(self, outlet: str, keys: Iterable[str]) -> dict[str, int]:
        """For each sentence key, the distinct texts of ``outlet`` that have it in a counted
        position (keys no text has are left out)."""
        out: dict[str, int] = {}
        for chunk in batched(sorted(set(keys)), _MAX_PARAMS):
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(
                f"SELECT hash, COUNT(DISTINCT content_hash) FROM outlet_sentences"
                f" WHERE outlet = ? AND counted = 1 AND hash IN ({marks}) GROUP BY hash", (outlet, *chunk)))
        return out

    def outlet_articles_with(self, outlet: str, keys: Iterable[str]) -> list[str]:
        """Articles of ``outlet`` that have any of the sentence ``keys`` in a head or tail position."""
        found: set[str] = set()
        for chunk in batched(sorted(set(keys)), _MAX_PARAMS):
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT article_id FROM outlet_sentences WHERE outlet = ? AND hash IN ({marks})",
                (outlet, *chunk)))
        return sorted(found)

    def outlet_neighbours(self, outlet: str, key: str, article_id: str, limit: int) -> list[set[str]]:
        """The counted sentence keys of up to ``limit`` other articles of ``outlet`` that have
        ``key`` in a counted position (the same ones on every call)."""
        ids = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT article_id FROM outlet_sentences WHERE outlet = ? AND hash = ? AND counted = 1"
            " AND article_id != ? ORDER BY article_id LIMIT ?", (outlet, key, article_id, limit))]
        keys: dict[str, set[str]] = {i: set() for i in ids}
        if ids:
            for a, h in self.conn.execute(
                    f"SELECT article_id, hash FROM outlet_sentences WHERE counted = 1"
                    f" AND article_id IN ({','.join('?' * len(ids))})", ids):
                keys[a].add(h)
        return [keys[i] for i in ids]

    def edge_sentences(self, article_id: str) -> tuple[str, int, int, list[EdgeSentence]] | None:
        """(outlet, sentences, words, head and tail sentences) as stored for an article, or
        None when it has no known outlet. Every stored one is listed, counted or not
        (``boilerplate.counted`` tells)."""
        row = self.conn.execute("SELECT outlet, n_sentences, n_words FROM boilerplate WHERE article_id = ?",
                                (article_id,)).fetchone()
        if row is None:
            return None
        edges = [EdgeSentence(idx, start, end, key, words) for idx, start, end, key, words in self.conn.execute(
            "SELECT idx, start, end, hash, words FROM outlet_sentences WHERE article_id = ? ORDER BY idx",
            (article_id,))]
        return row[0], row[1], row[2], edges

    def put_boilerplate(self, article_id: str, spans: Sequence[tuple[int, int]]) -> None:
        self._require_tx()
        self.conn.execute("UPDATE boilerplate SET spans = ? WHERE article_id = ?",
                          (json.dumps([list(s) for s in spans]), article_id))

    def boilerplate(self, ids: Sequence[str] | None = None) -> dict[str, list[tuple[int, int]]]:
        """Each article's boilerplate runs (char spans); articles without any are left out."""
        sql = "SELECT article_id, spans FROM boilerplate WHERE spans != '[]'"
        rows: list[tuple[str, str]] = []
        if ids is None:
            rows = list(self.conn.execute(sql))
        else:
            for chunk in batched(list(ids), _MAX_PARAMS):
                rows += self.conn.execute(sql + f" AND article_id IN ({','.join('?' * len(chunk))})", chunk)
        return {a: [(int(s), int(e)) for s, e in json.loads(spans)] for a, spans in rows}

    # -- sentences and statistics ----------------------------------------------------------

    def put_sentences(self, article_id: str, sentences: Sequence[Sentence]) -> None:
        self._require_tx()
        self.conn.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
        self.conn.executemany(
            "INSERT INTO sentences (article_id, idx, start, end) VALUES (?,?,?,?)",
            [(article_id, s.index, s.start, s.end) for s in sentences],
        )

    def sentences(self, article_id: str, text: str | None = None) -> list[Sentence]:
        if text is None:
            text = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        return [
            Sentence(article_id, idx, start, end, text[start:end])
            for idx, start, end in self.conn.execute(
                "SELECT idx, start, end FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,))
        ]

    def put_stats(self, stats: ArticleStats) -> None:
        self._require_tx()
        data = {k: v for k, v in asdict(stats).items() if k != "article_id"}
        self.conn.execute(
            "INSERT INTO article_stats (article_id, data) VALUES (?, ?)"
            " ON CONFLICT(article_id) DO UPDATE SET data=excluded.data",
            (stats.article_id, json.dumps(data, sort_keys=True)),
        )

    def stats(self, article_id: str) -> ArticleStats | None:
        row = self.conn.execute("SELECT data FROM article_stats WHERE article_id = ?", (article_id,)).fetchone()
        return ArticleStats(article_id=article_id, **json.loads(row[0])) if row else None

    # -- claims and mentions (per article) ------------------------------------------------

    def put_claims(self, article_id: str, claims: Sequence[Claim]) -> None:
        """Replace an article's claims (re-running the stage never leaves stale ones)."""
        self._require_tx()
        self.conn.execute("DELETE FROM claims WHERE article_id = ?", (article_id,))
        self.conn.executemany(
            "INSERT OR REPLACE INTO claims (id, article_id, sentence_index, source_kind, hedge, data)"
            " VALUES (?,?,?,?,?,?)",
            [(c.id, article_id, c.sentence_index, c.source_kind, c.hedge, codec.dumps(c)) for c in claims])

    def claims(self, article_id: str | None = None) -> list[Claim]:
        """Claims of one article (or of all), in text order."""
        if article_id is None:
            rows = self.conn.execute("SELECT c.data FROM claims c JOIN articles a ON a.id = c.article_id"
                                     " ORDER BY a.seq, c.sentence_index, c.id")
        else:
            rows = self.conn.execute("SELECT data FROM claims WHERE article_id = ? ORDER BY sentence_index, id",
                                     (article_id,))
        out = [codec.loads(Claim, r[0]) for r in rows]
        return sorted(out, key=lambda c: (c.article_id, c.content.start)) if article_id else out

    def put_mentions(self, article_id: str, mentions: Sequence[Mention]) -> None:
        self._require_tx()
        self.conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
        self.conn.executemany(
            "INSERT OR REPLACE INTO mentions (id, article_id, label, data) VALUES (?,?,?,?)",
            [(m.id, article_id, m.label, codec.dumps(m)) for m in mentions])

    def mentions(self, article_id: str | None = None) -> list[Mention]:
        if article_id is None:
            rows = self.conn.execute("SELECT m.data FROM mentions m JOIN articles a ON a.id = m.article_id"
                                     " ORDER BY a.seq, m.rowid")
        else:
            rows = self.conn.execute("SELECT data FROM mentions WHERE article_id = ? ORDER BY rowid", (article_id,))
        return [codec.loads(Mention, r[0]) for r in rows]

    # -- entities (corpus-wide, replaced as a whole) -----------------------------------------

    def replace_entities(self, entities: Sequence[Entity], mention_entity: dict[str, str],
                         mention_article: dict[str, str], garbles: Sequence[Garble]) -> None:
        """Canonical entities are a function of every mention, so they are replaced as one set."""
        self._require_tx()
        for table in ("entities", "mention_entity", "garbles"):
            self.conn.execute(f"DELETE FROM {table}")  # table names are constants
        self.conn.executemany(
            "INSERT INTO entities (id, canonical, label, n_mentions, data) VALUES (?,?,?,?,?)",
            [(e.id, e.canonical, e.label, len(e.mention_ids), codec.dumps(e)) for e in entities])
        self.conn.executemany(
            "INSERT OR REPLACE INTO mention_entity (mention_id, entity_id, article_id) VALUES (?,?,?)",
            [(m, e, mention_article.get(m, "")) for m, e in mention_entity.items()])
        self.conn.executemany(
            "INSERT OR REPLACE INTO garbles (mention_id, entity_id, article_id, data) VALUES (?,?,?,?)",
            [(g.mention_id, g.entity_id, g.article_id, codec.dumps(g)) for g in garbles])

    def entities(self, ids: Sequence[str] | None = None) -> list[Entity]:
        return self._records(Entity, "entities", "n_mentions DESC, canonical", ids)

    def article_entities(self, article_id: str) -> dict[str, str]:
        """Mention id -> canonical entity id for one article."""
        return dict(self.conn.execute(
            "SELECT mention_id, entity_id FROM mention_entity WHERE article_id = ?", (article_id,)))

    def replace_rewrite_garbles(self, garbles: Sequence[Garble], rule: str) -> None:
        """The garbles of ``rule`` (names rewrites changed, found by the provenance stage) as
        one set; a mention the entities stage flagged already keeps that record."""
        self._require_tx()
        self.conn.execute("DELETE FROM garbles WHERE json_extract(data, '$.rule') = ?", (rule,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO garbles (mention_id, entity_id, article_id, data) SELECT ?,?,?,?"
            " WHERE NOT EXISTS (SELECT 1 FROM garbles WHERE mention_id = ?)",
            [(g.mention_id, g.entity_id, g.article_id, codec.dumps(g), g.mention_id) for g in garbles])

    def garbles(self, article_id: str | None = None) -> list[Garble]:
        if article_id is None:
            rows = self.conn.execute("SELECT data FROM garbles ORDER BY article_id, mention_id")
        else:
            rows = self.conn.execute("SELECT data FROM garbles WHERE article_id = ? ORDER BY mention_id",
                                     (article_id,))
        return [codec.loads(Garble, r[0]) for r in rows]

    # -- reuse edges and origin groups ------------------------------------------------------

    def put_edges(self, edges: Iterable[ReuseEdge]) -> None:
        """Upsert edges, keyed by the unordered article pair."""
        self._require_tx()
        self.conn.executemany(
            "INSERT INTO edges (a, b, kind, score, source_id, derived_id, directed, data) VALUES (?,?,?,?,?,?,?,?)"
            " ON CONFLICT(a, b) DO UPDATE SET kind=excluded.kind, score=excluded.score,"
            " source_id=excluded.source_id, derived_id=excluded.derived_id, directed=excluded.directed,"
            " data=excluded.data",
            [(*sorted((e.source_id, e.derived_id)), e.kind, float(e.score), e.source_id, e.derived_id,
              int(e.directed), codec.dumps(e)) for e in edges])

    def delete_edges_touching(self, article_ids: Iterable[str]) -> None:
        """Drop every edge with one of ``article_ids`` at either end (both ends are marked
        :meth:`mark_edges_changed`)."""
        self._require_tx()
        ids = [(i,) for i in article_ids]
        for column in ("a", "b"):  # constants
            self.conn.executemany("INSERT OR IGNORE INTO edges_changed (article_id)"
                                  f" SELECT a FROM edges WHERE {column} = ? UNION SELECT b FROM edges WHERE {column} = ?",
                                  [(i, i) for (i,) in ids])
        self.conn.executemany("DELETE FROM edges WHERE a = ?", ids)
        self.conn.executemany("DELETE FROM edges WHERE b = ?", ids)

    def mark_edges_changed(self, article_ids: Iterable[str]) -> None:
        """Note articles whose edges were written or removed, for the provenance stage."""
        self._require_tx()
        self.conn.executemany("INSERT OR IGNORE INTO edges_changed (article_id) VALUES (?)",
                              [(i,) for i in article_ids])

    def edges_changed(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT article_id FROM edges_changed ORDER BY article_id")]

    def clear_edges_changed(self, article_ids: Iterable[str]) -> None:
        self._require_tx()
        self.conn.executemany("DELETE FROM edges_changed WHERE article_id = ?", [(i,) for i in article_ids])

    def edges(self, article_id: str | None = None, kinds: Sequence[str] | None = None) -> list[ReuseEdge]:
        """Stored edges (touching ``article_id`` if given), optionally only of ``kinds``."""
        if article_id is None:
            rows = self.conn.execute("SELECT kind, data FROM edges ORDER BY a, b")
        else:
            rows = self.conn.execute("SELECT kind, data FROM edges WHERE a = ? UNION ALL"
                                     " SELECT kind, data FROM edges WHERE b = ?", (article_id, article_id))
        return [codec.loads(ReuseEdge, d) for k, d in rows if kinds is None or k in kinds]

    def edges_touching(self, article_ids: Iterable[str]) -> list[ReuseEdge]:
        """Stored edges with at least one end in ``article_ids``, each once, ordered as ``edges()``."""
        rows: dict[tuple[str, str], str] = {}
        for chunk in batched(sorted(set(article_ids)), _MAX_PARAMS):
            marks = ",".join("?" * len(chunk))
            for column in ("a", "b"):
                rows.update(((a, b), d) for a, b, d in self.conn.execute(
                    f"SELECT a, b, data FROM edges WHERE {column} IN ({marks})", chunk))  # column: a constant
        return [codec.loads(ReuseEdge, rows[k]) for k in sorted(rows)]

    def origin_group_members(self, article_ids: Iterable[str]) -> list[str]:
        """Every member of the stored origin groups of ``article_ids``."""
        out: set[str] = set()
        for chunk in batched(sorted(set(article_ids)), _MAX_PARAMS):
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.conn.execute(
                "SELECT article_id FROM article_origin WHERE group_id IN"
                f" (SELECT group_id FROM article_origin WHERE article_id IN ({marks}))", chunk))
        return sorted(out)

    def replace_origin_groups(self, groups: Sequence[OriginGroup], scope: Iterable[str] | None = None) -> None:
        """Store ``groups`` in place of all stored ones, or, given ``scope``, in place of the
        groups of those articles (``groups`` must then cover exactly them)."""
        self._require_tx()
        if scope is None:
            self.conn.execute("DELETE FROM origin_groups")
            self.conn.execute("DELETE FROM article_origin")
        else:
            for chunk in batched(sorted(set(scope)), _MAX_PARAMS):
                marks = ",".join("?" * len(chunk))
                self.conn.execute("DELETE FROM origin_groups WHERE id IN"
                                  f" (SELECT group_id FROM article_origin WHERE article_id IN ({marks}))", chunk)
                self.conn.execute(f"DELETE FROM article_origin WHERE article_id IN ({marks})", chunk)
        self.conn.executemany(
            "INSERT INTO origin_groups (id, origin_id, size, data) VALUES (?,?,?,?)",
            [(g.id, g.origin_id, len(g.members), codec.dumps(g)) for g in groups])
        self.conn.executemany(
            "INSERT OR REPLACE INTO article_origin (article_id, group_id) VALUES (?,?)",
            [(m, g.id) for g in groups for m in g.members])

    def origin_groups(self, ids: Sequence[str] | None = None) -> list[OriginGroup]:
        return self._records(OriginGroup, "origin_groups", "size DESC, id", ids)

    def origin_of(self) -> dict[str, str]:
        """Article id -> origin group id, for every traced article."""
        return dict(self.conn.execute("SELECT article_id, group_id FROM article_origin"))

    # -- stories, claim groups, flags -------------------------------------------------------

    def put_stories(self, stories: Sequence[Story], events: Sequence[dict[str, Any]] = ()) -> None:
        """Upsert stories (their membership replaced) and append story events; a story id that
        no longer has members (merged away) is removed with its claim groups and flags, and
        its history stays in the event log."""
        self._require_tx()
        for st in stories:
            self.conn.execute("DELETE FROM article_story WHERE story_id = ?", (st.id,))
            if not st.article_ids:
                self.conn.execute("DELETE FROM stories WHERE id = ?", (st.id,))
                self.replace_corroboration(st.id, [], [])
                continue
            self.conn.execute(
                "INSERT INTO stories (id, size, data) VALUES (?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET size=excluded.size, data=excluded.data",
                (st.id, len(st.article_ids), codec.dumps(st)))
            self.conn.executemany("INSERT OR REPLACE INTO article_story (article_id, story_id) VALUES (?,?)",
                                  [(a, st.id) for a in st.article_ids])
        self.conn.executemany("INSERT INTO story_events (kind, story_id, data) VALUES (?,?,?)",
                              [(e["kind"], e["story"], json.dumps(e, sort_keys=True)) for e in events])

    def stories(self, ids: Sequence[str] | None = None) -> list[Story]:
        return self._records(Story, "stories", "size DESC, id", ids)

    def story_of(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT article_id, story_id FROM article_story"))

    def claims_per_story(self) -> dict[str, int]:
        """Story id -> number of claims in its articles (stories without claims are absent)."""
        return dict(self.conn.execute(
            "SELECT s.story_id, COUNT(*) FROM claims c JOIN article_story s ON s.article_id = c.article_id"
            " GROUP BY s.story_id"))

    def story_events(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """Events in order: all, or one story's, with the splits taken from it."""
        if story_id is None:
            rows = self.conn.execute("SELECT data FROM story_events ORDER BY seq")
        else:
            rows = self.conn.execute(_STORY_EVENTS + " ORDER BY seq", (story_id, story_id))
        return [json.loads(r[0]) for r in rows]

    def replace_corroboration(self, story_id: str, groups: Sequence[ClaimGroup], flags: Sequence[Flag]) -> None:
        """Replace the claim groups and flags of one story (they are recomputed per story)."""
        self._require_tx()
        self.conn.execute("DELETE FROM claim_groups WHERE story_id = ?", (story_id,))
        self.conn.execute("DELETE FROM flag_articles WHERE flag_id IN (SELECT id FROM flags WHERE story_id = ?)",
                          (story_id,))
        self.conn.execute("DELETE FROM flags WHERE story_id = ?", (story_id,))
        self.conn.executemany(
            "INSERT OR REPLACE INTO claim_groups (id, story_id, n_articles, n_origins, data) VALUES (?,?,?,?,?)",
            [(g.id, story_id, g.n_articles, g.n_origins, codec.dumps(g)) for g in groups])
        self.conn.executemany("INSERT OR REPLACE INTO flags (id, kind, story_id, data) VALUES (?,?,?,?)",
                              [(f.id, f.kind, story_id, codec.dumps(f)) for f in flags])
        self.conn.executemany("INSERT OR IGNORE INTO flag_articles (flag_id, article_id) VALUES (?,?)",
                              [(f.id, a) for f in flags for a in f.article_ids])

    def claim_groups(self, story_id: str | None = None) -> list[ClaimGroup]:
        if story_id is None:
            rows = self.conn.execute("SELECT data FROM claim_groups ORDER BY story_id, n_origins DESC, n_articles DESC, id")
        else:
            rows = self.conn.execute("SELECT data FROM claim_groups WHERE story_id = ?"
                                     " ORDER BY n_origins DESC, n_articles DESC, id", (story_id,))
        return [codec.loads(ClaimGroup, r[0]) for r in rows]

    def flags(self, story_id: str | None = None, article_id: str | None = None,
              kind: str | None = None) -> list[Flag]:
        """Flags, filtered by story, article and/or kind (all bound parameters)."""
        sql = "SELECT f.data FROM flags f WHERE 1=1"
        params: list[Any] = []
        if story_id is not None:
            sql += " AND f.story_id = ?"
            params.append(story_id)
        if kind is not None:
            sql += " AND f.kind = ?"
            params.append(kind)
        if article_id is not None:
            sql += " AND f.id IN (SELECT flag_id FROM flag_articles WHERE article_id = ?)"
            params.append(article_id)
        return [codec.loads(Flag, r[0]) for r in self.conn.execute(sql + " ORDER BY f.kind, f.id", params)]

    def put_vectors(self, model: str, vectors: dict[str, "np.ndarray"]) -> None:
        """Article embeddings (float32), so later stages and runs never embed an article twice."""
        import numpy as np

        self._require_tx()
        self.conn.executemany(
            "INSERT OR REPLACE INTO article_vectors (article_id, model, dim, data) VALUES (?,?,?,?)",
            [(a, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for a, v in vectors.items()])

    def vectors(self, ids: Sequence[str], model: str) -> dict[str, "np.ndarray"]:
        """Stored embeddings of ``ids`` made by ``model`` (ids without one are left out)."""
        import numpy as np

        out = {}
        for i in ids:
            row = self.conn.execute("SELECT data FROM article_vectors WHERE article_id = ? AND model = ?",
                                    (i, model)).fetchone()
            if row is not None:
                out[i] = np.frombuffer(row[0], dtype=np.float32)
        return out

    def _records(self, cls: type[T], table: str, order: str, ids: Sequence[str] | None) -> list[T]:
        """Records kept as JSON documents in ``table`` (a constant of this module, as is
        ``order``): all of them in ``order``, or those of ``ids`` in that order."""
        if ids is None:
            rows: Iterable[tuple[Any, ...]] = self.conn.execute(f"SELECT data FROM {table} ORDER BY {order}")
        else:
            rows = (r for i in ids for r in self.conn.execute(f"SELECT data FROM {table} WHERE id = ?", (i,)))
        return [codec.loads(cls, r[0]) for r in rows]

    def count(self, table: str) -> int:
        """Rows in one of the store's tables (the name is checked against the schema)."""
        if table not in _TABLES:
            raise ValueError(f"unknown table {table!r}")
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # -- run log ---------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        with self.transaction():
            # A run that is still 'running' was killed: say so rather than leave it dangling.
            self.conn.execute("UPDATE runs SET status='interrupted' WHERE status='running'")
            cur = self.conn.execute(
                "INSERT INTO runs (command, started_at, status) VALUES (?, ?, 'running')", (command, _now()))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at=?, status=?, counts=? WHERE id=?",
                (_now(), status, json.dumps(counts, sort_keys=True), run_id))

    def runs(self) -> list[dict[str, Any]]:
        cols = ("id", "command", "started_at", "finished_at", "status", "counts")
        return [
            {**dict(zip(cols, r)), "counts": json.loads(r[5])}
            for r in self.conn.execute(f"SELECT {', '.join(cols)} FROM runs ORDER BY id")
        ]


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (our scripts hold no ';' inside literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]


_TABLES = frozenset({
    "articles", "rejections", "sentences", "article_stats", "claims", "mentions", "entities",
    "mention_entity", "garbles", "edges", "edges_changed", "origin_groups", "article_origin", "stories",
    "article_story", "story_events", "claim_groups", "flags", "flag_articles", "article_vectors",
})
