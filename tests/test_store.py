"""The SQLite store: schema versions, transactions, idempotent ingest, kill-and-resume."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newstrace import api, codec
from newstrace.errors import DatabaseError
from newstrace.ingest import read_path
from newstrace.model import AlignedPair, Article, Rejection, ReuseEdge, Span
from newstrace.pipeline import PARSE
from newstrace.store import MIGRATIONS, SCHEMA_VERSION, Store
from tests.conftest import STORY, strict_json, write


def _corpus(tmp_path: Path, n: int) -> Path:
    d = tmp_path / "corpus"
    for i in range(n):
        write(d / f"a{i:05d}.txt", STORY.replace("400", str(400 + i)) + f"Paragraph number {i} of the batch.\n")
    write(d / "broken.json", '{"text": "cut')
    write(d / "empty.txt", "")
    write(d / "binary.bin", bytes(range(256)) * 8)
    return d


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Table contents that must be equal between two runs (timestamps excluded)."""
    conn = sqlite3.connect(db)
    out = {
        "articles": conn.execute("SELECT id, text, source, format, title, content_hash, raw_sha256 FROM articles ORDER BY id").fetchall(),
        "rejections": conn.execute("SELECT id, source, reason, detail FROM rejections ORDER BY id").fetchall(),
        "sentences": conn.execute("SELECT * FROM sentences ORDER BY article_id, idx").fetchall(),
        "stats": conn.execute("SELECT * FROM article_stats ORDER BY article_id").fetchall(),
        "blobs": conn.execute("SELECT sha256 FROM blobs ORDER BY sha256").fetchall(),
    }
    conn.close()
    return out


def test_new_database_is_at_current_version_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_old_database_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO schema_version VALUES (1, 'then')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.conn.execute("SELECT name FROM sqlite_master WHERE name='stage_state'").fetchone()


def test_v5_turns_stored_nan_cosines_into_null(tmp_path: Path) -> None:
    """Edges written before v5 held ``"cosine":NaN`` (not JSON); text that looks like it stays."""
    db = tmp_path / "v4.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    for version, script in enumerate(MIGRATIONS[:4], start=1):
        conn.executescript(script)
        conn.execute("INSERT INTO schema_version VALUES (?, 'then')", (version,))
    looks_alike = 'a quote: "cosine":NaN'
    pairs = [AlignedPair(0, 0, Span(0, 5, looks_alike), Span(0, 5, "b"), float("nan"), 0.5, 0.5),
             AlignedPair(1, 1, Span(6, 9, "c"), Span(6, 9, "d"), 0.8, 0.6, 0.7)]
    data = codec.dumps(ReuseEdge("x", "y", "rewrite", 0.7, "rule", {"cosine": 0.8}, pairs))
    assert '"cosine":NaN' in data  # what the code before v5 wrote
    conn.execute("INSERT INTO edges VALUES ('x', 'y', 'rewrite', 0.7, 'x', 'y', 0, ?)", (data,))
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        raw = store.conn.execute("SELECT data FROM edges").fetchone()[0]
        [edge] = store.edges()
    strict_json(raw)
    assert [p.cosine for p in edge.pairs] == [None, 0.8]
    assert edge.pairs[0].a.text == looks_alike


def test_edges_changed_lists_both_ends_of_removed_edges(tmp_path: Path) -> None:
    texts = [STORY, STORY.replace("ferry", "boat"), STORY.replace("ferry", "barge")]
    a, b, c = (next(read_path(write(tmp_path / f"{k}.txt", t))) for k, t in enumerate(texts))
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(c, Article)
    with Store(tmp_path / "e.db") as store, store.transaction():
        store.add_articles([a, b, c])
        store.put_edges([ReuseEdge(b.id, a.id, "rewrite", 0.7, "rule"), ReuseEdge(b.id, c.id, "rewrite", 0.6, "rule")])
        assert store.edges_changed() == []
        store.delete_edges_touching([a.id])
        assert store.edges_changed() == sorted([a.id, b.id])
        assert [(e.source_id, e.derived_id) for e in store.edges_touching([a.id, c.id])] == [(b.id, c.id)]
        store.mark_edges_changed([c.id])
        store.clear_edges_changed([a.id, b.id])
        assert store.edges_changed() == [c.id]


def test_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(DatabaseError, match="newer"):
        Store(db)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = write(tmp_path / "junk.db", b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError):
        Store(bad)


def test_writes_outside_a_transaction_are_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store, pytest.raises(RuntimeError):
        store.add_articles([])


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    article = next(read_path(write(tmp_path / "a.txt", STORY)))
    assert isinstance(article, Article)
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(ZeroDivisionError), store.transaction():
            store.add_articles([article])
            1 / 0
        assert store.count_articles() == 0
        with store.transaction():
            assert store.add_articles([article]) == 1
            assert store.add_articles([article]) == 0
        assert store.article(article.id, with_raw=True) == article


def test_rejection_cleared_when_source_later_reads(tmp_path: Path) -> None:
    path = write(tmp_path / "later.txt", "")
    with Store(tmp_path / "t.db") as store:
        with store.transaction():
            store.add_rejections(list(read_path(path)))  # type: ignore[arg-type]
        assert [r.reason for r in store.rejections()] == ["empty"]
        write(path, STORY)
        with store.transaction():
            store.add_articles(list(read_path(path)))  # type: ignore[arg-type]
        assert store.rejections() == []


def test_reingest_is_idempotent(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 12)
    db = tmp_path / "x.db"
    first = api.ingest([corpus], db)
    api.analyze(db)
    before = _dump(db)
    second = api.ingest([corpus], db)
    api.analyze(db)
    assert first.articles_new == 12 and second.articles_new == 0
    assert _dump(db) == before
    assert len(before["articles"]) == 12 and len(before["rejections"]) == 3


def test_interrupted_batch_leaves_no_partial_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path, 30)
    db = tmp_path / "x.db"
    import newstrace.pipeline as pipeline

    real = pipeline.read_path
    calls = {"n": 0}

    def dying(path: Path, config: object):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 25:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-batch
        return real(path, config)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "read_path", dying)
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        pipeline.ingest_into(store, [corpus], api.IngestConfig(), api.QUIET, batch_size=10)
    with Store(db) as store:
        assert store.count_articles() == 20  # two whole batches, nothing of the third
    monkeypatch.setattr(pipeline, "read_path", real)
    api.ingest([corpus], db)
    api.analyze(db)
    clean = tmp_path / "clean.db"
    api.ingest([corpus], clean)
    api.analyze(clean)
    assert _dump(db) == _dump(clean)


def _kill_when(cmd: list[str], db: Path, sql: str, at_least: int, limit_s: float = 300) -> None:
    """Start ``cmd`` and SIGKILL its process group once ``sql`` counts ``at_least`` rows."""
    proc = subprocess.Popen(cmd, start_new_session=True)
    deadline = time.time() + limit_s
    killed = False
    while time.time() < deadline and proc.poll() is None:
        if db.exists():
            try:
                conn = sqlite3.connect(db, timeout=1)
                n = conn.execute(sql).fetchone()[0]
                conn.close()
            except sqlite3.OperationalError:
                n = 0
            if n >= at_least:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
                break
        time.sleep(0.02)
    proc.wait()
    assert killed, "the run finished before it could be killed; make the corpus larger"


@pytest.mark.slow
def test_killed_ingest_resumes_to_the_same_database(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 1500)
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "newstrace", "ingest", str(corpus), "--db", str(db), "-q"]
    _kill_when(cmd, db, "SELECT COUNT(*) FROM articles", 200)
    with Store(db) as store:
        assert 0 < store.count_articles() < 1500
    assert subprocess.run(cmd).returncode == 0
    clean = tmp_path / "clean.db"
    assert subprocess.run(cmd[:6] + [str(clean)] + cmd[7:]).returncode == 0
    assert _dump(db) == _dump(clean)
    with Store(db) as store:
        statuses = [r["status"] for r in store.runs()]
    assert statuses[0] == "interrupted" and statuses[-1] == "ok"


def _dump_analysis(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """The analysis tables that must not depend on where a run was interrupted."""
    conn = sqlite3.connect(db)
    out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
           for t in ("claims", "mentions", "edges", "entities", "origin_groups", "article_story", "claim_groups",
                     "flags")}
    conn.close()
    return out


@pytest.mark.slow
def test_killed_analyze_resumes_to_the_same_results(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 48)  # two parse batches of 32: killed after the first
    db = tmp_path / "killed.db"
    assert subprocess.run([sys.executable, "-m", "newstrace", "ingest", str(corpus), "--db", str(db), "-q"]).returncode == 0
    clean = tmp_path / "clean.db"
    shutil.copy(db, clean)
    analyze = [sys.executable, "-m", "newstrace", "analyze", "--db", str(db), "-q", "--workers", "1"]
    _kill_when(analyze, db, "SELECT COUNT(*) FROM stage_done WHERE stage = 'parse'", 1)
    with Store(db) as store:
        assert 0 < len(store.pending(PARSE.name, PARSE.version)) < 48
    assert subprocess.run(analyze).returncode == 0
    assert subprocess.run(analyze[:5] + [str(clean)] + analyze[6:]).returncode == 0
    assert _dump_analysis(db) == _dump_analysis(clean)
    assert _dump_analysis(db)["claims"]


def test_rejection_ids_stable() -> None:
    assert Rejection("a", "empty", "x").id == Rejection("a", "empty", "y").id
    assert Rejection("a", "empty", "x").id != Rejection("b", "empty", "x").id


# --- foreign files, refused writes, stored text that is not valid UTF-8 --------------------------


def test_foreign_sqlite_file_is_refused_unchanged(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for create in (False, True):
        with pytest.raises(DatabaseError, match="another application"):
            Store(other, create=create)
    assert other.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


def test_empty_file_is_not_a_database_for_reading(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(DatabaseError, match="empty"):
        api.stats(empty)
    assert empty.stat().st_size == 0
    with Store(empty) as store:  # ingest may create the schema in it
        assert store.schema_version == SCHEMA_VERSION


def test_refused_writes_are_database_errors(tmp_path: Path) -> None:
    with Store(tmp_path / "ro.db") as store:
        store.conn.execute("PRAGMA query_only = ON")  # what a read-only file gives
        with pytest.raises(DatabaseError, match="read-only"):
            store.start_run("ingest")
        with pytest.raises(DatabaseError, match="cannot write"):
            with store.transaction():
                store.add_rejections([Rejection("a", "empty", "x")])
        assert not store._in_tx


def test_surrogates_in_sources_and_details_are_stored_escaped(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            store.add_rejections([Rejection("/in/caf\udce9.txt", "empty", "field \ud800")])
        [r] = store.rejections()
    assert r.source == "/in/caf\\udce9.txt" and r.detail == "field \\ud800"


def test_clear_rejections_of_a_file_and_its_items(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        with store.transaction():
            store.add_rejections([Rejection(s, "parse-error", "x") for s in
                                  ("/in/a.jsonl", "/in/a.jsonl#L1", "/in/a.jsonl#rest", "/in/a.jsonl2", "/in/b")])
            assert store.clear_rejections_of("/in/a.jsonl") == 3
        assert [r.source for r in store.rejections()] == ["/in/a.jsonl2", "/in/b"]
