"""The Ray executor (newstrace.distributed): same results as the local executor, per-batch
commits that survive a failing batch, the cluster's life cycle, and a clear error without Ray.

Ray clusters here are local (2 CPUs, no dashboard) with their session folder in a short
temporary folder (Ray's socket paths must stay under 108 characters), and each test leaves no
Ray process running.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newstrace import api, segment
from newstrace.cli import build_parser, main
from newstrace.cli import _analyze_config as analyze_config_from_args
from newstrace.distributed import INSTALL_HINT, RayCluster, ray_map, require_ray, run_batches
from newstrace.errors import MissingDependencyError, UsageError
from newstrace.model import Article
from newstrace.pipeline import PARSE, ArticleStage, run_article_stage
from newstrace.progress import QUIET
from newstrace.stages import AnalyzeConfig
from newstrace.store import Store
from tests.conftest import EXAMPLES, write

TOPICS = ["harbour ferry", "school roof", "tram depot", "river bridge", "city library",
          "power station", "football stadium", "market hall", "airport runway", "museum wing"]


@pytest.fixture
def ray_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short session folder for any cluster started in the test, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="nt-ray-"))
    monkeypatch.setenv("RAY_TMPDIR", str(path))
    yield path
    ray = sys.modules.get("ray")
    if ray is not None and ray.is_initialized():  # a failed test must not leave a cluster behind
        ray.shutdown()
    shutil.rmtree(path, ignore_errors=True)


def _small_corpus(tmp_path: Path, n: int = 10) -> Path:
    db = tmp_path / "small.db"
    for i, topic in enumerate(TOPICS[:n]):
        write(tmp_path / "in" / f"{i:02d}.txt",
              f"Council Approves {topic.title()} Plan\nThe council said on Monday that the {topic} will open in May. "
              f"Officials expect {100 + i} visitors a day. Work starts next week.\n")
    api.ingest([tmp_path / "in"], db)
    return db


# --- without Ray ------------------------------------------------------------------------------


def test_missing_ray_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = _small_corpus(tmp_path, 2)
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(MissingDependencyError, match=r"pip install 'newstrace\[ray\]'"):
        require_ray()
    with pytest.raises(MissingDependencyError, match="install the ray extra"):
        api.analyze(db, config=AnalyzeConfig(executor="ray"))
    assert main(["analyze", "--db", str(db), "--executor", "ray", "-q"]) == 1
    assert f"newstrace: error: the Ray executor needs Ray, which is not installed; {INSTALL_HINT}" in capsys.readouterr().err
    # `run` says so before ingesting anything
    out = tmp_path / "run"
    assert main(["run", str(tmp_path / "in"), "--db", str(out / "r.db"), "--out", str(out), "--executor", "ray", "-q"]) == 1
    assert not (out / "r.db").exists()


def test_executor_options(tmp_path: Path) -> None:
    parse = build_parser().parse_args
    config = analyze_config_from_args(parse(["analyze", "--executor", "ray", "--ray-address", "auto",
                                             "--ray-num-cpus", "0.5"]))
    assert (config.executor, config.ray_address, config.ray_num_cpus) == ("ray", "auto", 0.5)
    assert analyze_config_from_args(parse(["analyze"])).executor == "local"
    with pytest.raises(SystemExit) as exc:
        analyze_config_from_args(parse(["analyze", "--ray-address", "auto"]))
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        parse(["analyze", "--executor", "spark"])
    with pytest.raises(UsageError, match="unknown executor 'spark'"):
        api.analyze(_small_corpus(tmp_path, 2), config=AnalyzeConfig(executor="spark"))


# --- on a local Ray cluster -------------------------------------------------------------------


def _segment_unless_flagged(flag: str, articles: list[Article]) -> list[segment.Segmented]:
    """The segment stage, except that it fails on the article about the city library while
    ``flag`` exists (a batch that raises midway through a run)."""
    if os.path.exists(flag) and any("city library" in a.text.lower() for a in articles):
        raise RuntimeError("poisoned batch")
    return [segment.segment(a) for a in articles]


def _write_sentences(store: Store, result: segment.Segmented) -> None:
    store.put_sentences(result.article_id, result.sentences)


def _spacy_loads(items: list[Any]) -> list[tuple[int, int]]:
    """Loads spaCy through newstrace.nlp and says how often this process has loaded it."""
    from newstrace import nlp

    nlp.spacy_pipeline("ner")
    return [(os.getpid(), nlp.spacy_pipeline.cache_info().misses)]


def _ship_this_module() -> None:
    """Ray workers cannot import this test module: send its functions by value."""
    import ray.cloudpickle

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


def test_failed_batch_keeps_earlier_batches_and_rerun_completes(tmp_path: Path, ray_tmp: Path) -> None:
    import ray

    _ship_this_module()

    db = _small_corpus(tmp_path)
    flag = tmp_path / "poison"
    flag.touch()
    stage = ArticleStage("probe", "1", functools.partial(_segment_unless_flagged, str(flag)), _write_sentences,
                         batch_size=2)
    config = AnalyzeConfig(executor="ray")
    token_file_before = (Path.home() / ".ray" / "auth_token").exists()
    with RayCluster(num_cpus=2, temp_dir=ray_tmp / "session") as cluster, Store(db) as store:
        assert cluster.ray.is_initialized() and cluster.started_local
        assert cluster.ray.get_runtime_context().gcs_address.startswith("127.0.0.1:")  # loopback only
        ids = store.pending("probe", "1")  # in ingest order, as the stage batches them
        chunks = [ids[i:i + 2] for i in range(0, len(ids), 2)]
        bad = next(k for k, chunk in enumerate(chunks)
                   if any("city library" in a.text.lower() for a in store.articles(chunk)))
        assert bad > 0
        with pytest.raises(RuntimeError, match="poisoned batch"):
            run_article_stage(store, stage, QUIET, config, cluster=cluster)
        left = store.pending("probe", "1")
        done = [i for i in ids if i not in left]
        assert set(sum(chunks[:bad], [])) <= set(done)  # the batches sent before the failing one are written
        assert not set(chunks[bad]) & set(done)  # the failing one is not
        for aid in ids:  # a done marker exactly where results were written
            assert bool(store.sentences(aid)) == (aid in done)
        flag.unlink()
        assert run_article_stage(store, stage, QUIET, config, cluster=cluster) == len(left)
        assert store.pending("probe", "1") == []
        for article in store.articles():
            assert store.sentences(article.id) == segment.segment(article).sentences

        # Ray reuses worker processes, so newstrace.nlp's per-process cache loads spaCy once
        # per worker, not once per batch.
        loads: list[tuple[int, int]] = []
        stats = run_batches(cluster, _spacy_loads, [[str(i)] for i in range(6)], lambda chunk: chunk,
                            lambda chunk, results: loads.extend(results))
        assert stats.batches == 6 and len(stats.workers) <= 2
        assert all(misses == 1 for _, misses in loads)

        # ray_map as embed's map_batches (the reuse stage's heads): a task per model batch,
        # the results in the order of the batches, so the vectors are those computed here
        from newstrace import nlp

        texts = [f"The harbour board met on day {i} " + "to discuss the ferry timetable " * (i % 4 + 1)
                 for i in range(12)]
        here = nlp.embed(texts, tokens_per_batch=48)
        assert len(nlp.token_batches(nlp.word_pieces(texts), 48)) >= 4
        there = nlp.embed(texts, tokens_per_batch=48, map_batches=ray_map(cluster))
        # A worker's single thread may sum in another order than this process's two (see
        # tests/test_nlp.py): the same vectors to the model's precision, each row its own text's.
        np.testing.assert_allclose(there, here, rtol=0, atol=3e-3 if nlp.cpu_has_bf16() else 1e-6)
        assert (np.argmax(there @ here.T, axis=1) == np.arange(len(texts))).all()

        # a connection made while this process is connected joins it and leaves it open
        with RayCluster() as joined:
            assert joined.ray.is_initialized() and not joined.started_local
        assert ray.is_initialized()
    assert not ray.is_initialized()  # the cluster we started is shut down
    assert (Path.home() / ".ray" / "auth_token").exists() == token_file_before  # no token under ~


def _edges(store: Store) -> list[dict[str, Any]]:
    import dataclasses

    return [dataclasses.asdict(e) for e in store.edges()]


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN and floats up to 1e-6 (the reuse stage's sentence-embedding scores can differ in the
    last bits between runs: its embedding batches are not always composed the same way)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


@pytest.mark.slow
def test_ray_executor_stores_what_the_local_executor_stores(tmp_path: Path, ray_tmp: Path) -> None:
    import ray

    base = tmp_path / "base.db"
    api.ingest([EXAMPLES], base)
    shutil.copy(base, tmp_path / "local.db")
    shutil.copy(base, tmp_path / "ray.db")
    assert not ray.is_initialized()
    local = api.analyze(tmp_path / "local.db", config=AnalyzeConfig(workers=1))
    # the CLI's path: no cluster running, so the run starts one (2 CPUs, in $RAY_TMPDIR) and stops it
    distributed = api.analyze(tmp_path / "ray.db", config=AnalyzeConfig(workers=2, executor="ray"))
    assert not ray.is_initialized()
    assert any(p.name.startswith("session_") for p in (ray_tmp / "ray").iterdir())
    assert local == distributed and distributed["parse"] == 11

    with Store(tmp_path / "local.db") as a, Store(tmp_path / "ray.db") as b:
        assert a.pending(PARSE.name, PARSE.version) == b.pending(PARSE.name, PARSE.version) == []
        ids = a.article_ids()
        assert ids == b.article_ids()
        assert [a.sentences(i) for i in ids] == [b.sentences(i) for i in ids]
        assert a.claims() == b.claims() and a.claims()
        assert a.mentions() == b.mentions() and a.mentions()
        assert a.entities() == b.entities()
        assert a.garbles() == b.garbles()
        assert _same(_edges(a), _edges(b)) and _edges(a)
        assert a.origin_groups() == b.origin_groups()
        assert a.stories() == b.stories() and a.stories()
        assert a.claim_groups() == b.claim_groups() and a.claim_groups()
        assert a.flags() == b.flags() and a.flags()


def test_unreachable_address_fails_fast(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = _small_corpus(tmp_path, 2)
    assert main(["analyze", "--db", str(db), "--executor", "ray", "--ray-address", f"127.0.0.1:{port}", "-q"]) == 1
    assert f"nothing answers at the Ray address '127.0.0.1:{port}'" in capsys.readouterr().err
    with Store(db) as store:
        assert store.pending("segment", "1")  # nothing was done
