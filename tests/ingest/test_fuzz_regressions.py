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
