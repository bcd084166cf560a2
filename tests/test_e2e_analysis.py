"""The whole analysis on examples/corpus, checked against examples/EXPECTED.md sections 3–6.

One pipeline run (module fixture) and one assertion topic per test, so a regression names the
finding that broke. Articles are named as in EXPECTED.md (A1 original, A2 copy, ...).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newstrace import api
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

FILES = {
    "A1": "01_vsna_original.html", "A2": "02_copy_portal.txt", "A3": "03_light_edit.md",
    "R1": "04_rewrites.jsonl", "B1": "06_independent_report.html", "C1": "07_contradicting.txt",
    "B2": "08_crawl.warc.gz", "U1": "09_unrelated.txt", "D1": "11_latin1_notice.txt",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("analysis")
    db = out / "ex.db"
    api.run([EXAMPLES], db=db, out=out)
    report = json.loads((out / "report.json").read_text())
    ids: dict[str, str] = {}
    for a in report["articles"]:
        name = Path(a["source"].split("#")[0]).name
        for key, file in FILES.items():
            if name == file:
                ids[key] = a["id"]
        if name == "05_localnews_feed.xml":
            ids["R2" if "Kovalyenko" in (a["title"] or "") else "U2"] = a["id"]
    assert len(ids) == 11
    return {"report": report, "ids": ids, "db": db, "out": out}


def test_report_validates_against_its_schema(run: dict[str, Any]) -> None:
    import jsonschema

    from newstrace.report import report_schema

    jsonschema.Draft202012Validator(report_schema(), format_checker=jsonschema.FormatChecker()).validate(run["report"])
    html = (run["out"] / "report.html").read_text()
    assert "Provenance: who copied or rewrote whom" in html and 'class="garble"' in html


def _group_of(report: dict[str, Any], article_id: str) -> dict[str, Any]:
    return next(g for g in report["origin_groups"] if article_id in g["members"])


def _edge(report: dict[str, Any], a: str, b: str) -> dict[str, Any] | None:
    for e in report["edges"]:
        if {e["source_id"], e["derived_id"]} == {a, b}:
            return e
    return None


def test_origin_groups(run: dict[str, Any]) -> None:
    r, i = run["report"], run["ids"]
    g1 = _group_of(r, i["A1"])
    assert set(g1["members"]) == {i[k] for k in ("A1", "A2", "A3", "R1", "R2")}
    assert g1["origin_id"] == i["A1"]
    g2 = _group_of(r, i["B1"])
    assert set(g2["members"]) == {i["B1"], i["B2"]} and g2["origin_id"] == i["B1"]
    for k in ("C1", "D1", "U1", "U2"):
        assert _group_of(r, i[k])["members"] == [i[k]], k


def test_edge_kinds_and_directions(run: dict[str, Any]) -> None:
    r, i = run["report"], run["ids"]
    expected = {("A1", "A2"): "copy", ("A1", "A3"): "edit", ("A1", "R1"): "rewrite", ("A1", "R2"): "rewrite",
                ("B1", "B2"): "copy"}
    for (up, down), kind in expected.items():
        e = _edge(r, i[up], i[down])
        assert e is not None and e["kind"] == kind, (up, down, e and e["kind"])
        assert e["directed"] and e["source_id"] == i[up], (up, down, e["direction_evidence"])
        assert e["pairs"] and e["rule"]
    # Independent reporting is never a reuse edge (a false one accuses an outlet).
    for a in ("A1", "A2", "A3", "R1", "R2"):
        for b in ("B1", "B2", "C1", "D1", "U1", "U2"):
            e = _edge(r, i[a], i[b])
            assert e is None or e["kind"] == "same-story", (a, b, e["kind"], e["features"])


def test_trace_cli_prints_the_chain(run: dict[str, Any]) -> None:
    i = run["ids"]
    chain = api.trace(i["R2"][:10], run["db"])
    assert chain["origin_id"] == i["A1"] and chain["steps"]
    assert chain["steps"][-1]["source_id"] == i["A1"]
    out = subprocess.run([sys.executable, "-m", "newstrace", "trace", i["R2"][:10], "--db", str(run["db"])],
                         capture_output=True, text=True, check=True).stdout
    assert "rewrite of" in out and "Varnian State News Agency" in out


def test_garbled_names_flagged(run: dict[str, Any]) -> None:
    r, i = run["report"], run["ids"]
    flagged = {(g["article_id"], g["surface"]) for g in r["garbles"]}
    assert (i["R1"], "VNSA") in flagged and (i["R2"], "VSAN") in flagged
    assert any(a == i["R1"] and "Kovalenkov" in s for a, s in flagged)
    assert any(a == i["R2"] and "Kavalenko" in s for a, s in flagged)
    assert not any(a in (i["A1"], i["A2"], i["B1"]) for a, _ in flagged)


def test_minister_variants_grouped_and_welder_kept_apart(run: dict[str, Any]) -> None:
    r = run["report"]
    minister = [e for e in r["entities"] if e["label"] == "PERSON" and "Dmitri Kovalenko" in e["variants"]]
    assert len(minister) == 1
    forms = set(minister[0]["variants"])
    assert {"Dmitry Kovalenkov", "Dimitri Kovalyenko"} <= forms
    assert not any("Irina" in f for f in forms)
    agency = [e for e in r["entities"] if "VSNA" in e["variants"]]
    assert len(agency) == 1 and {"VNSA", "VSAN"} <= set(agency[0]["variants"])


def test_one_story_for_the_event(run: dict[str, Any]) -> None:
    r, i = run["report"], run["ids"]
    event = {i[k] for k in ("A1", "A2", "A3", "R1", "R2", "B1", "B2", "C1", "D1")}
    story = next(s for s in r["stories"] if i["A1"] in s["article_ids"])
    assert set(story["article_ids"]) == event
    assert not {i["U1"], i["U2"]} & set(story["article_ids"])


def test_anonymous_and_hedged_claims(run: dict[str, Any]) -> None:
    r, i = run["report"], run["ids"]
    claims = r["claims"]

    def found(article: str, words: str, **props: Any) -> bool:
        for c in claims:
            if c["article_id"] != i[article]:
                continue
            text = " ".join(filter(None, [(c.get("source") or {}).get("text"), (c.get("cue") or {}).get("text"),
                                          c["content"]["text"]]))
            if words.lower() in text.lower() and all(c[k] == v for k, v in props.items()):
                return True
        return False

    assert found("R1", "source close to the ministry", source_kind="anonymous")
    assert found("R2", "people familiar with the plans", source_kind="anonymous")
    assert found("B1", "engineer", source_kind="anonymous")
    assert found("A1", "supply drones", hedge="reported")
    assert found("A1", "export order", hedge="reported")
    assert found("A1", "second plant", hedge="speculated")
    assert found("A1", "answer to those who thought", is_direct_quote=True)


def _flags(run: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in run["report"]["flags"] if f["kind"] == kind]


def test_every_flag_carries_its_evidence(run: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in run["report"]["articles"]}
    assert run["report"]["flags"]
    for f in run["report"]["flags"]:
        assert f["rule"] and f["spans"] and f["article_ids"], f
        for sp in f["spans"]:
            assert texts[sp["article_id"]][sp["start"]:sp["end"]] == sp["text"]


def test_embellishments_found_only_in_the_rewrites(run: dict[str, Any]) -> None:
    i = run["ids"]
    found = _flags(run, "embellishment")
    by_article: dict[str, list[str]] = {}
    for f in found:
        for sp in f["spans"]:
            by_article.setdefault(sp["article_id"], []).append(sp["text"])
    r1 = " ".join(by_article.get(i["R1"], []))
    r2 = " ".join(by_article.get(i["R2"], []))
    assert "double its output" in r1 and "game-changer" in r1
    assert "export contract" in r2
    assert set(by_article) <= {i["R1"], i["R2"]}, {k: v for k, v in by_article.items()}


def test_dropped_hedge_on_the_allied_navy_claim(run: dict[str, Any]) -> None:
    i = run["ids"]
    hits = [f for f in _flags(run, "hedge-changed") + _flags(run, "attribution-dropped")
            if i["R2"] in f["article_ids"] and any("allied state" in sp["text"] for sp in f["spans"])]
    assert hits, [f["summary"] for f in _flags(run, "hedge-changed")]
    assert not any(i["R1"] in f["article_ids"] and any("allied state" in sp["text"] for sp in f["spans"])
                   for f in _flags(run, "hedge-changed") + _flags(run, "attribution-dropped"))


def test_contradictions_on_date_and_workforce(run: dict[str, Any]) -> None:
    i = run["ids"]
    found = [f for f in _flags(run, "contradiction") if i["C1"] in f["article_ids"]]
    joined = " | ".join(sp["text"] for f in found for sp in f["spans"])
    assert "21 March" in joined and "14 March" in joined
    assert "800" in joined and "1,200" in joined
    assert not any(i["D1"] in f["article_ids"] for f in _flags(run, "contradiction"))


def test_independent_origins_are_counted_not_articles(run: dict[str, Any]) -> None:
    i = run["ids"]
    groups = run["report"]["claim_groups"]
    quote = [g for g in groups if any(a in g["article_ids"] for a in (i["B1"], i["B2"]))
             and i["A1"] in g["article_ids"] and g["speaker"] and "Kovalenko" in g["speaker"]]
    assert quote and max(g["n_origins"] for g in quote) == 2
    g1_only = [g for g in groups if set(g["article_ids"]) <= {i[k] for k in ("A1", "A2", "A3", "R1", "R2")}
               and g["n_articles"] >= 3]
    assert g1_only and all(g["n_origins"] == 1 for g in g1_only)
    assert any("single-origin" in g["flags"] for g in g1_only)


def test_corroboration_in_worker_processes_gives_the_same_findings(
        run: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stories' corroboration run in two spawned workers stores what the in-process run
    stored (large corpora take the worker path; the examples are below its threshold)."""
    import shutil

    from newstrace import stages, workers
    from newstrace.pipeline import analyze_store, default_stages
    from newstrace.progress import QUIET
    from newstrace.store import Store

    db = tmp_path / "copy.db"
    shutil.copy(run["db"], db)
    monkeypatch.setattr(stages, "CORROBORATION_PARALLEL_CLAIMS", 1)
    pools: list[int] = []
    real_pool = workers.process_pool

    def counted(n: int) -> Any:
        pools.append(n)
        return real_pool(n)

    monkeypatch.setattr(workers, "process_pool", counted)
    with Store(db) as store:
        before = (store.claim_groups(), store.flags())
        assert before[0] and before[1]
        with store.transaction():
            store.conn.execute("DELETE FROM stage_done WHERE stage = 'corroboration'")
        stage = [s for s in default_stages() if s.name == "corroboration"]
        analyze_store(store, QUIET, stage, stages.AnalyzeConfig(workers=2))
        assert pools == [2]
        assert (store.claim_groups(), store.flags()) == before


def test_claims_embedded_while_provenance_runs_give_the_same_findings(
        run: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the run's pool open, corroboration's claims are embedded in it while this process
    waits for provenance (:func:`stages.start_corroboration`); the stage takes those vectors
    and stores what the in-process run stored."""
    import shutil

    from newstrace import stages, workers
    from newstrace.pipeline import analyze_store, default_stages
    from newstrace.progress import QUIET
    from newstrace.store import Store

    db = tmp_path / "copy.db"
    shutil.copy(run["db"], db)
    monkeypatch.setattr(stages, "CORROBORATION_PARALLEL_CLAIMS", 1)
    taken: list[bool] = []
    real = stages._started_vectors

    def spied(started: Any, chunk: list[str], inputs: Any) -> Any:
        got = real(started, chunk, inputs)
        taken.append(got is not None)
        return got

    monkeypatch.setattr(stages, "_started_vectors", spied)
    with Store(db) as store:
        before = (store.origin_groups(), store.claim_groups(), store.flags())
        assert before[1] and before[2]
        with store.transaction():
            store.conn.execute("DELETE FROM stage_done WHERE stage IN ('provenance', 'corroboration')")
        later = [s for s in default_stages() if s.name in ("provenance", "corroboration")]
        with workers.one_pool_per_run():
            with workers.process_pool(2):
                pass  # an earlier stage would have started it
            analyze_store(store, QUIET, later, stages.AnalyzeConfig(workers=2))
        assert taken and all(taken)
        assert (store.origin_groups(), store.claim_groups(), store.flags()) == before


def test_reuse_with_heads_embedded_in_the_run_pool_finds_the_same_edges(run: dict[str, Any], tmp_path: Path) -> None:
    """Reuse with the heads embedded in the run's worker pool, a batch ahead of the matching
    (several small batches, so the look-ahead crosses batches), stores the edges and vectors
    of the in-process run with the same batches."""
    import shutil

    from newstrace import stages
    from newstrace.pipeline import analyze_store, default_stages
    from newstrace.progress import QUIET
    from newstrace.store import Store

    reuse = [s for s in default_stages() if s.name == "reuse"]
    found = []
    for workers in (1, 2):
        db = tmp_path / f"reuse{workers}.db"
        shutil.copy(run["db"], db)
        with Store(db) as store:
            with store.transaction():
                store.conn.execute("DELETE FROM stage_done WHERE stage = 'reuse'")
                store.conn.execute("DELETE FROM stage_state WHERE stage = 'reuse'")
                store.conn.execute("DELETE FROM edges WHERE kind != 'same-story'")
                store.conn.execute("DELETE FROM article_vectors")
            config = stages.AnalyzeConfig(workers=workers, parallel_min=1, reuse_batch=4)
            analyze_store(store, QUIET, reuse, config)
            edges = [e for e in store.edges() if e.kind != "same-story"]
            vectors = store.vectors(store.article_ids(), stages.ARTICLE_VECTOR_MODEL)
            found.append(([(e.source_id, e.derived_id, e.kind, round(e.score, 3)) for e in edges], vectors))
    (edges1, vectors1), (edges2, vectors2) = found
    assert edges1 and edges1 == edges2
    assert len(vectors1) == len(run["report"]["articles"]) and vectors1.keys() == vectors2.keys()
    assert all(float(vectors1[k] @ vectors2[k]) > 0.9999 for k in vectors1)


def test_reuse_killed_between_index_saves_resumes_to_the_same_edges(
        run: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reuse index is saved only now and then (``state_save_share``), while every batch's
    edges are stored as it ends. A run killed after unsaved batches leaves their edges with
    no done marks; the next run matches those articles again and stores what a run that was
    never killed stores."""
    import shutil

    import newstrace.reuse as reuse_module
    from newstrace import stages
    from newstrace.pipeline import analyze_store, default_stages
    from newstrace.progress import QUIET
    from newstrace.store import Store

    reuse = [s for s in default_stages() if s.name == "reuse"]
    config = stages.AnalyzeConfig(workers=1, reuse_batch=4, state_save_share=1.5)  # one save, at the end
    saves: list[str] = []
    real_save = Store.put_state

    def counted_save(self: Store, stage: str, version: str, data: bytes) -> None:
        saves.append(stage)
        real_save(self, stage, version, data)

    monkeypatch.setattr(Store, "put_state", counted_save)

    def fresh(name: str) -> Path:
        db = tmp_path / name
        shutil.copy(run["db"], db)
        with Store(db) as store, store.transaction():
            store.conn.execute("DELETE FROM stage_done WHERE stage = 'reuse'")
            store.conn.execute("DELETE FROM stage_state WHERE stage = 'reuse'")
        return db

    def stored(store: Store) -> list[tuple[str, str, str, float]]:
        return [(e.source_id, e.derived_id, e.kind, round(e.score, 6)) for e in store.edges()]

    with Store(fresh("clean.db")) as store:
        analyze_store(store, QUIET, reuse, config)
        clean = stored(store)
        n = len(store.article_ids())
    assert clean and n > 8 and saves == ["reuse"]  # three or more batches, saved once

    real_detect = reuse_module.detect_reuse
    calls = {"n": 0}

    def dying(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # killed in the third batch, before any save
        return real_detect(*args, **kwargs)

    db = fresh("killed.db")
    monkeypatch.setattr(reuse_module, "detect_reuse", dying)
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        analyze_store(store, QUIET, reuse, config)
    with Store(db) as store:
        assert len(store.pending("reuse", stages.REUSE_VERSION)) == n  # nothing marked done
        assert stored(store) and stored(store) != clean  # the first two batches' edges only
        # An edge the new matching will not find again (another version's, or one of a
        # matching that differed) must not survive it either.
        linked = {frozenset((x, y)) for x, y, *_ in clean}
        ids = sorted(store.article_ids())
        a, b = next((x, y) for x in ids for y in ids if x < y and frozenset((x, y)) not in linked)
        with store.transaction():
            store.put_edges([replace(store.edges()[0], source_id=a, derived_id=b, kind="copy")])
    monkeypatch.setattr(reuse_module, "detect_reuse", real_detect)
    with Store(db) as store:
        analyze_store(store, QUIET, reuse, config)
        assert stored(store) == clean
        assert not store.pending("reuse", stages.REUSE_VERSION)


def test_articles_of_earlier_batches_are_aligned_by_their_sentences(run: dict[str, Any], tmp_path: Path) -> None:
    """Reuse in batches of 4 aligns a new article with stored ones sentence by sentence, as
    one batch does: a stored article was aligned as one block before (its sentence spans were
    not read), so every pair across batches had one "aligned sentence", the whole article."""
    import shutil

    from newstrace import stages
    from newstrace.pipeline import analyze_store, default_stages
    from newstrace.progress import QUIET
    from newstrace.store import Store

    db = tmp_path / "batched.db"
    shutil.copy(run["db"], db)
    with Store(db) as store, store.transaction():
        store.conn.execute("DELETE FROM stage_done WHERE stage = 'reuse'")
        store.conn.execute("DELETE FROM stage_state WHERE stage = 'reuse'")
        store.conn.execute("DELETE FROM edges")

    def evidence(store: Store) -> dict[frozenset[str], list[tuple[tuple[int, int], ...]]]:
        """Each pair's aligned spans (provenance may since have turned an edge round or demoted it)."""
        return {frozenset((e.source_id, e.derived_id)): sorted(
            tuple(sorted([(p.a.start, p.a.end), (p.b.start, p.b.end)])) for p in e.pairs) for e in store.edges()}

    reuse = [s for s in default_stages() if s.name == "reuse"]
    with Store(db) as store:
        analyze_store(store, QUIET, reuse, stages.AnalyzeConfig(workers=1, reuse_batch=4))
        batched = evidence(store)
        spans = {a: {(s.start, s.end) for s in store.sentences(a)} for a in store.article_ids()}
        whole = {a: len(store.sentences(a)) for a in store.article_ids()}
    with Store(run["db"]) as store:
        one_batch = evidence(store)
    assert set(one_batch) <= set(batched)  # batches may find a pair more (other neighbours), not fewer
    assert {k: batched[k] for k in one_batch} == one_batch
    for pair, pairs in batched.items():
        for sides in pairs:
            assert all(any(side in spans[a] for a in pair) for side in sides)
    assert any(whole[a] > 1 for a in whole)


def test_stories_killed_between_index_saves_resume_to_the_same_stories(
        run: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The story index is saved with the stories, their events and the done marks only now and
    then (``state_save_share``): a run killed between saves stores nothing of what it did
    since the last save, and the next run stores what a run that was never killed stores."""
    import shutil
    import sqlite3

    import newstrace.stories as stories_module
    from newstrace import stages
    from newstrace.pipeline import analyze_store, default_stages
    from newstrace.progress import QUIET
    from newstrace.store import Store

    stage = [s for s in default_stages() if s.name == "stories"]
    config = stages.AnalyzeConfig(workers=1, story_batch=4, state_save_share=1.5)  # one save, at the end

    def fresh(name: str) -> Path:
        db = tmp_path / name
        shutil.copy(run["db"], db)
        with Store(db) as store, store.transaction():
            for table in ("article_story", "stories", "story_events"):
                store.conn.execute(f"DELETE FROM {table}")
            store.conn.execute("DELETE FROM stage_done WHERE stage = 'stories'")
            store.conn.execute("DELETE FROM stage_state WHERE stage = 'stories'")
        return db

    def stored(db: Path) -> dict[str, list[tuple[object, ...]]]:
        conn = sqlite3.connect(db)
        out = {"article_story": conn.execute("SELECT * FROM article_story ORDER BY 1").fetchall(),
               "stories": conn.execute("SELECT id, size, data FROM stories ORDER BY 1").fetchall(),
               "story_events": conn.execute("SELECT kind, story_id, data FROM story_events ORDER BY seq").fetchall(),
               "corroboration_done": conn.execute(
                   "SELECT article_id FROM stage_done WHERE stage = 'corroboration' ORDER BY 1").fetchall()}
        conn.close()
        return out

    clean = fresh("clean.db")
    with Store(clean) as store:
        analyze_store(store, QUIET, stage, config)
        n = len(store.article_ids())
    joined = [k for k, *_ in stored(clean)["story_events"] if k in ("open", "join")]
    assert n > 8 and stored(clean)["stories"] and len(joined) == n  # every article's event kept

    real_add = stories_module.StoryIndex.add
    calls = {"n": 0}

    def dying(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # killed in the third batch, before any save
        return real_add(self, *args, **kwargs)

    db = fresh("killed.db")
    before = stored(db)
    monkeypatch.setattr(stories_module.StoryIndex, "add", dying)
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        analyze_store(store, QUIET, stage, config)
    assert stored(db) == before  # nothing of the unsaved batches
    monkeypatch.setattr(stories_module.StoryIndex, "add", real_add)
    with Store(db) as store:
        analyze_store(store, QUIET, stage, config)
        assert not store.pending("stories", stages.STORIES_VERSION)
    assert stored(db) == stored(clean)


def test_stages_begun_in_the_pool_store_the_in_process_result(
        run: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the run's pool started, entities are canonicalised in a worker while reuse runs
    and provenance computed in one while stories run; both store what the in-process stages
    stored. Without a pool they run here."""
    import contextlib
    import shutil

    from newstrace import stages
    from newstrace.pipeline import analyze_store, default_stages
    from newstrace.progress import QUIET
    from newstrace.store import Store
    from newstrace.workers import one_pool_per_run, process_pool

    begun: list[Any] = []
    for name in ("start_entities", "start_provenance"):
        def counted(*args: Any, real: Any = getattr(stages, name)) -> Any:
            begun.append(real(*args))
            return begun[-1]

        monkeypatch.setattr(stages, name, counted)
    found = []
    for workers in (1, 2):
        db = tmp_path / f"entities{workers}.db"
        shutil.copy(run["db"], db)
        with Store(db) as store:
            before = _stage_rows(store)
            with store.transaction():
                for stage in ("reuse", "entities", "provenance"):
                    store.conn.execute("DELETE FROM stage_done WHERE stage = ?", (stage,))
                for table in ("entities", "mention_entity", "origin_groups", "article_origin"):
                    store.conn.execute(f"DELETE FROM {table}")
            picked = [s for s in default_stages() if s.name in ("reuse", "entities", "stories", "provenance")]
            with one_pool_per_run(), contextlib.ExitStack() as stack:
                if workers > 1:  # started, as the parse stage leaves it in a whole run
                    stack.enter_context(process_pool(workers))
                analyze_store(store, QUIET, picked, stages.AnalyzeConfig(workers=workers, parallel_min=1))
            found.append(_stage_rows(store))
        assert len(begun) == 2 * (workers - 1)  # begun only where a stage had started the pool
    assert all(b is not None and b.result.done() for b in begun)
    assert found[0] == found[1] == before and all(before)


def _stage_rows(store: Any) -> tuple[list[Any], ...]:
    """What the entities and provenance stages store (the edges with their directions)."""
    return tuple(list(store.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2"))
                 for t in ("entities", "mention_entity", "garbles", "edges", "origin_groups", "article_origin"))


def test_corroboration_batches_follow_the_claim_budget() -> None:
    """Batches are runs of consecutive stories within the claim budget (a larger story alone),
    a function of the stories only, so every executor embeds the same claims together."""
    from newstrace.stages import corroboration_batches

    sizes = {"a": 3, "b": 4, "c": 9, "d": 1, "e": 2}
    assert corroboration_batches(list("abcde"), sizes, budget=8) == [["a", "b"], ["c"], ["d", "e"]]
    assert corroboration_batches(list("abcde"), sizes, budget=100) == [list("abcde")]
    assert corroboration_batches(["x", "a"], sizes, budget=3) == [["x", "a"]]  # no claims: no weight
    assert corroboration_batches([], sizes) == []


@pytest.mark.slow
def test_runs_under_other_string_hash_seeds_store_the_same_bits(tmp_path: Path) -> None:
    """Set iteration order follows the per-process string hash (PYTHONHASHSEED); no stored
    number may depend on it (IDF sums once differed in their last bit between runs)."""
    import os

    tables = ("claims", "mentions", "entities", "mention_entity", "garbles", "edges", "origin_groups",
              "article_origin", "stories", "article_story", "claim_groups", "flags", "flag_articles")
    dumps = []
    for seed in ("1", "2"):
        db = tmp_path / seed / "n.db"
        subprocess.run([sys.executable, "-m", "newstrace", "run", str(EXAMPLES), "--db", str(db),
                        "--out", str(tmp_path / seed / "out"), "-q"],
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True)
        import sqlite3

        with sqlite3.connect(db) as conn:
            dumps.append({t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables})
    for t in tables:
        assert dumps[0][t] == dumps[1][t], t
    assert dumps[0]["edges"] and dumps[0]["flags"]


def test_two_incremental_runs_leave_a_consistent_store(tmp_path: Path) -> None:
    """The examples in two arrivals (the agency story and its rewrites, then the independent
    reports, the copy-by-crawl and the rest): the event is one story, every story of several
    articles is corroborated, and no claim group or flag belongs to a story that is gone."""
    import shutil

    from newstrace.stages import CORROBORATION_VERSION, STORIES_VERSION
    from newstrace.store import Store

    files = sorted(p for p in EXAMPLES.iterdir() if p.is_file())
    db = tmp_path / "inc.db"
    for k, part in enumerate((files[:5], files[5:])):
        folder = tmp_path / f"arrival{k}"
        folder.mkdir()
        for f in part:
            shutil.copy(f, folder / f.name)
        api.ingest([folder], db)
        api.analyze(db)
    with Store(db) as store:
        live = {s.id for s in store.stories()}
        assert {g.story_id for g in store.claim_groups()} <= live
        assert {f.story_id for f in store.flags()} <= live
        assert store.pending("stories", STORIES_VERSION) == [] == store.pending("corroboration", CORROBORATION_VERSION)
        multi = [s for s in store.stories() if len(s.article_ids) > 1]
        assert multi and all(store.claim_groups(s.id) for s in multi)
        by_file = {Path(a.source.split("#")[0]).name: a.id for a in store.articles()}
        story_of = store.story_of()
        event = {story_of[by_file[FILES[k]]] for k in ("A1", "A2", "A3", "R1", "B1", "C1", "B2", "D1")}
        assert len(event) == 1 and story_of[by_file[FILES["U1"]]] not in event


def test_provenance_redoes_only_what_new_articles_can_change(tmp_path: Path) -> None:
    """A later arrival unrelated to the examples: provenance recomputes its two articles and
    the stored articles they are paired with (on topic only), nothing else, and leaves the
    store as a recomputation of the whole corpus would. An old article whose garble signal
    has moved brings its whole reuse component back into the next run."""
    from newstrace import codec
    from newstrace.stages import provenance_args, provenance_garble, provenance_job, provenance_scope
    from newstrace.store import Store
    from tests.conftest import STORY, write

    db = tmp_path / "p.db"
    api.ingest([EXAMPLES], db)
    api.analyze(db)
    write(tmp_path / "later" / "ferry.txt", STORY)
    write(tmp_path / "later" / "ferry-copy.txt", STORY.replace("from June", "from early June"))
    api.ingest([tmp_path / "later"], db)
    api.analyze(db)
    with Store(db) as store:
        last = json.loads(store.conn.execute("SELECT counts FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
        # The two, and any stored article they are paired with (here, on topic only).
        paired = {x for e in store.edges_touching(_ids(store, "ferry")) for x in (e.source_id, e.derived_id)}
        assert last["details"]["provenance"]["articles_recomputed"] == len(paired) < store.count_articles()
        garble = provenance_garble(store)
        edges, groups = provenance_job(*provenance_args(store, None, garble))
        assert sorted(map(codec.dumps, store.edges())) == sorted(map(codec.dumps, edges))
        assert sorted(map(codec.dumps, store.origin_groups())) == sorted(map(codec.dumps, groups))
        by_file = {Path(a.source.split("#")[0]).name: a.id for a in store.articles()}
        origin = by_file[FILES["A1"]]
        family = next(g.members for g in groups if origin in g.members)
        assert len(family) > 2 and not paired & set(family)
        moved = {**garble, origin: garble.get(origin, 0.0) + 0.5}
        assert provenance_scope(store, [], garble) == set()
        assert set(family) <= provenance_scope(store, [], moved) < set(store.article_ids())


def _ids(store: Any, stem: str) -> list[str]:
    return [a.id for a in store.articles() if Path(a.source).name.startswith(stem)]
