"""The record codec: what ``to_dict`` writes and ``from_dict`` reads back."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from newstrace import codec
from newstrace.model import Article, Sentence

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_json_values_pass_through_unchanged(value: Any) -> None:
    assert codec.to_dict(value) == value
    assert json.loads(json.dumps(codec.to_dict(value))) == value


@given(st.builds(Sentence, st.text(max_size=12), st.integers(), st.integers(), st.integers(), st.text(max_size=40)))
def test_records_round_trip(sentence: Sentence) -> None:
    assert codec.loads(Sentence, codec.dumps(sentence)) == sentence


@given(st.text(max_size=30), st.one_of(st.none(), st.datetimes(timezones=st.just(timezone.utc))),
       st.dictionaries(st.text(max_size=6), json_values, max_size=3))
def test_articles_round_trip_without_their_raw_bytes(text: str, published: datetime | None,
                                                     meta: dict[str, Any]) -> None:
    article = Article("a1", text, "feed.xml", "rss", title="T", published_at=published, raw=b"<rss/>", meta=meta)
    data = codec.to_dict(article)
    assert "raw" not in data and data["published_at"] == (published.isoformat() if published else None)
    assert codec.loads(Article, codec.dumps(article)) == Article(**{**article.__dict__, "raw": b""})


def test_non_json_types_are_converted() -> None:
    when = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    out = codec.to_dict({1: (np.float32(0.5), np.int64(3), True), "when": when, "nested": [(1, "x")]})
    assert out == {"1": [0.5, 3, True], "when": "2026-03-01T12:00:00+02:00", "nested": [[1, "x"]]}
    assert type(out["1"][0]) is float and type(out["1"][1]) is int and type(out["1"][2]) is bool
