"""The stage runner's batching of verbatim copies, and the parse stage doing each text once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newstrace import api, stages
from newstrace.model import Claim, Mention
from newstrace.nlp import spacy_pipeline
from newstrace.pipeline import PARSE, copy_batches, run_article_stage
from newstrace.progress import QUIET
from newstrace.stages import AnalyzeConfig
from newstrace.store import Store
from tests.conftest import write


@given(hashes=st.lists(st.sampled_from("abcdefg"), max_size=40), size=st.integers(1, 6))
def test_copy_batches_keep_copies_together(hashes: list[str], size: int) -> None:
    ids = [f"a{i}" for i in range(len(hashes))]
    content_hash = dict(zip(ids, hashes))
    batches = copy_batches(ids, content_hash, size)
    assert sorted(i for b in batches for i in b) == sorted(ids)  # each id exactly once
    batch_of = {i: k for k, b in enumerate(batches) for i in b}
    for i in ids:  # every copy sits in the batch of its first copy
        first = next(j for j in ids if content_hash[j] == content_hash[i])
        assert batch_of[i] == batch_of[first]
    for b in batches:
        assert 1 <= len({content_hash[i] for i in b}) <= size
        assert [i for i in ids if i in b] == b  # ingest order inside a batch
    assert [b[0] for b in batches] == sorted((b[0] for b in batches), key=ids.index)


def test_ids_without_a_hash_are_their_own_text() -> None:
    assert copy_batches(["x", "y", "z"], {"y": ""}, 2) == [["x", "y"], ["z"]]


def _strip(records: list[Claim] | list[Mention]) -> list[Any]:
    """A record without the ids that name its article, to compare a copy's with the original's."""
    out = []
    for r in records:
        d = {k: v for k, v in vars(r).items() if k not in ("id", "article_id")}
        out.append(repr(sorted(d.items())))
    return out


def test_copies_share_one_parse_and_keep_their_own_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = ("Ferry Service Cut\nThe harbour authority said on Monday that the night ferry will stop in May. "
             "\"We cannot pay for it,\" said Mara Lind, the authority's director. About 300 people use it daily.\n")
    other = "Library Opens\nThe new city library opened on Friday, the mayor's office said.\n"
    for name, text in [("a.txt", story), ("b.txt", other), ("c.txt", story)]:
        write(tmp_path / "in" / name, text)
    db = tmp_path / "t.db"
    api.ingest([tmp_path / "in"], db)

    nlp = spacy_pipeline("full")
    parsed: list[str] = []
    real_pipe = nlp.pipe

    def counting_pipe(texts: Any, **kw: Any) -> Any:
        texts = list(texts)
        parsed.extend(texts)
        return real_pipe(texts, **kw)

    monkeypatch.setattr(nlp, "pipe", counting_pipe)
    with Store(db) as store:
        ids = store.pending(PARSE.name, PARSE.version)
        assert run_article_stage(store, PARSE, QUIET, AnalyzeConfig(workers=1)) == 3
        by_text: dict[str, list[str]] = {}
        for a in store.articles(ids):
            by_text.setdefault(a.text, []).append(a.id)
        assert len(parsed) == 2 and set(parsed) == set(by_text)  # the copy was not parsed again
        first, copy = by_text[next(t for t in by_text if "ferry" in t)]
        claims, copy_claims = store.claims(first), store.claims(copy)
        assert claims and {c.article_id for c in copy_claims} == {copy}
        assert not {c.id for c in claims} & {c.id for c in copy_claims}
        assert _strip(copy_claims) == _strip(claims)
        assert _strip(store.mentions(copy)) == _strip(store.mentions(first))
        # and what a copy gets is what parsing it on its own gives
        alone = stages.parse_batch([store.article(copy)])[0]
        assert _strip(alone.claims) == _strip(copy_claims) and _strip(alone.mentions) == _strip(store.mentions(copy))


# --- ingest_into: no file aborts the run; a re-read file replaces its rejections -----------------


def test_ingest_keeps_the_batch_when_a_reader_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.ingest as ingest
    from tests.conftest import STORY

    real = ingest._read_path

    def flaky(path: Path, source: str, config: Any):  # type: ignore[no-untyped-def]
        if path.name == "2.txt":
            raise MemoryError("reader blew up")
        return real(path, source, config)

    monkeypatch.setattr(ingest, "_read_path", flaky)
    for i in (1, 2, 3):
        write(tmp_path / "in" / f"{i}.txt", STORY.replace("400", str(400 + i)))
    summary = api.ingest([tmp_path / "in"], tmp_path / "t.db")
    assert summary.articles_new == 2
    [rejection] = api.load(tmp_path / "t.db").rejections
    assert rejection.source.endswith("2.txt") and rejection.reason == "parse-error"
    assert rejection.detail == "MemoryError: reader blew up"


def test_reading_a_file_again_replaces_its_old_rejections(tmp_path: Path) -> None:
    from tests.conftest import STORY

    body = STORY.split("\n", 1)[1]
    lines = "".join(json.dumps({"text": body.replace("400", str(n))}) + "\n" for n in (1, 2, 3))
    path = write(tmp_path / "in" / "a.jsonl", lines)
    db = tmp_path / "t.db"
    from newstrace.ingest import IngestConfig

    api.ingest([path], db, config=IngestConfig(max_bytes=len(lines) - 1))  # the file: too-large
    assert [r.reason for r in api.load(db).rejections] == ["too-large"]
    api.ingest([path], db)
    analysis = api.load(db)
    assert len(analysis.articles) == 3 and analysis.rejections == []
    write(path, '{"text": "cut')  # now broken: one rejection, for the current reason only
    api.ingest([path], db)
    assert [r.reason for r in api.load(db).rejections] == ["truncated"]


def test_ctrl_c_is_logged_as_interrupted(tmp_path: Path) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with Store(tmp_path / "t.db") as store:
        with pytest.raises(KeyboardInterrupt):
            api._logged(store, "ingest", interrupted)
        assert [r["status"] for r in store.runs()] == ["interrupted"]
