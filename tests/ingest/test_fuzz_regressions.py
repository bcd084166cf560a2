"""Inputs the fuzzers (fuzz/fuzz_readers.py) found to crash a reader; each must now be a
clean rejection. Named after the target and the crash file's hash prefix."""

from __future__ import annotations

import base64

from newstrace.ingest import read_bytes
from newstrace.model import Rejection


def test_any_e7524a1c_feed_with_undecodable_xml_declaration() -> None:
    # feedparser raised UnicodeDecodeError from its encoding sniffing
    data = base64.b64decode(
        "PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0iVTw/eG1sIHZlcnNpb25QUFBQUFCwr6+vr6+vtlBQUFBQUFBQUFBQUFBQUFBQUFBQ"
        "UFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFA9IjEuMCIgZW5jb2RpVEYtOCI/Pgo8cnNzIHZlcnNpb249IjIuMCJu"
        "Zz0iVVRGIHhtbC04bnM6Ij8=")
    items = list(read_bytes(data, source="fuzz"))
    assert len(items) == 1 and isinstance(items[0], Rejection) and items[0].reason == "parse-error"


CASES = __import__("pathlib").Path(__file__).parent / "fuzz_cases"


def test_feed_1f6e1664_absurd_pubdate_year() -> None:
    # email.utils raised OverflowError on a pubDate year of 12 digits
    data = (CASES / "feed-1f6e1664.xml").read_bytes()
    items = list(read_bytes(data, source="fuzz", name="feed.xml"))
    assert items and all(i.__class__.__name__ in ("Article", "Rejection") for i in items)


def test_warc_ba83669d_malformed_record_headers() -> None:
    # warcio raised AttributeError ('NoneType' has no attribute 'startswith')
    data = (CASES / "warc-ba83669d.warc.gz").read_bytes()
    items = list(read_bytes(data, source="fuzz", name="crawl.warc.gz"))
    assert items and isinstance(items[-1], Rejection) and items[-1].reason in ("parse-error", "truncated")


def test_json_5d37012d_zone_offset_beyond_a_day() -> None:
    # dateutil parsed "+90:15" as a zone and utcoffset() raised ValueError (offset >= 24 h);
    # the path is the fuzz target's: decode the bytes, then the JSON reader.
    from newstrace.ingest import IngestConfig
    from newstrace.ingest.dates import parse_date
    from newstrace.ingest.decode import decode
    from newstrace.ingest.jsonl import read_json
    from newstrace.model import Article

    data = (CASES / "json-5d37012d.json").read_bytes()
    text = decode(data)[0]
    items = list(read_json(text, source="fuzz", raw=data, config=IngestConfig(max_bytes=1_000_000, min_words=1)))
    assert items and all(isinstance(i, (Article, Rejection)) for i in items)
    assert all(i.published_at is None for i in items if isinstance(i, Article))  # an impossible zone is no instant
    assert parse_date("2026-02-10T06:05:00+90:15") == (None, "2026-02-10")
