"""Property tests: no input, however hostile, makes a reader raise or lose the item."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.ingest import IngestConfig, read_bytes
from newstrace.model import Article, Rejection

CFG = IngestConfig(max_bytes=200_000, min_words=1)
prefixes = st.sampled_from([b"", b"\x1f\x8b", b"WARC/1.0\r\n", b"<?xml version='1.0'?><rss>", b"<html><body><p>",
                            b"{\"text\": ", b"[", b"%PDF", b"\xef\xbb\xbf", b"\xff\xfe"])


def _check(items: list[object]) -> None:
    assert items, "every input yields at least one article or rejection"
    for item in items:
        assert isinstance(item, (Article, Rejection))
        if isinstance(item, Article):
            assert item.text and item.text == item.text.strip()
            assert len(item.id) == 16
        else:
            assert item.reason and item.detail


@given(prefixes, st.binary(max_size=2000), st.sampled_from(["a.txt", "a.json", "a.jsonl", "a.html", "a.xml", "a.gz", "a"]))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_any_bytes_give_articles_or_rejections(prefix: bytes, body: bytes, name: str) -> None:
    _check(list(read_bytes(prefix + body, source="fuzz", name=name, config=CFG)))


@given(st.lists(st.dictionaries(st.sampled_from(["text", "title", "url", "published", "outlet", "doc_id"]),
                                st.one_of(st.text(max_size=80), st.integers(), st.none(), st.lists(st.text(max_size=5))),
                                max_size=6), min_size=1, max_size=8))
@settings(max_examples=150, deadline=None)
def test_jsonl_records_each_accounted_for(records: list[dict[str, object]]) -> None:
    data = "\n".join(json.dumps(r) for r in records).encode()
    items = list(read_bytes(data, source="f.jsonl", name="f.jsonl", config=CFG))
    _check(items)
    # One result per line: nothing is silently dropped.
    if len(records) > 1:
        assert len(items) == len(records)


@given(st.text(max_size=3000))
@settings(max_examples=150, deadline=None)
def test_text_roundtrip_keeps_words(text: str) -> None:
    items = list(read_bytes(text.encode("utf-8", "surrogatepass"), source="t.txt", name="t.txt", config=CFG))
    _check(items)
