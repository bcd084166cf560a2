"""Recognise an input's format from its content, using the file name only to break ties.

Directories hold files with missing or wrong extensions (a feed saved as .txt, HTML saved
without a suffix), so the bytes decide.
"""

from __future__ import annotations

import json
import re

from newstrace.ingest.decode import binary_kind

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|article|div|p|meta|title|section|main|h1)\b",
                         re.I | re.S)
# The feed's root element: ``<rss-link>`` or ``<feed-item>`` in a page are custom HTML elements.
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)(?=[\s>/])", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml", re.I)
# What may follow an opening bracket in JSON: "[UPDATED] ..." or "{Editor's note}" is text.
_JSON_AFTER = {b"{": b'"}', b"[": b'{["-0123456789tfn]'}

FORMATS = ("warc", "gzip", "json", "jsonl", "feed", "html", "markdown", "text", "binary")

#: Names that say "text": content that only starts like JSON falls back to text for them.
TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")

#: How many lines of a file are looked at to recognise JSON Lines.
_JSONL_PROBE_LINES = 5


def sniff(data: bytes, name: str = "") -> str:
    """One of ``FORMATS`` for an item (its first bytes decide; more of ``data`` is looked at
    only to tell JSON Lines from a JSON document)."""
    head = data[:65536]
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"WARC/") or head.startswith(b"filedesc://"):
        return "warc"
    if binary_kind(head):
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower_name = name.lower()
    if stripped[:1] in (b"{", b"[") and _json_start(stripped):
        if lower_name.endswith((".jsonl", ".ndjson")):
            return "jsonl"
        if stripped[:1] == b"{" and _looks_jsonl(data, start=len(head) - len(stripped)):
            return "jsonl"
        return "json"
    if _XML_DECL.match(stripped) or stripped[:1] == b"<":
        if _FEED.search(head[:4096]) and not _HTML_START.match(stripped):
            return "feed"
        if _HTML_START.match(stripped) or b"<html" in head.lower() or b"<p>" in head.lower():
            return "html"
        if _XML_DECL.match(stripped):
            return "feed" if lower_name.endswith((".rss", ".atom")) else "html"
    if lower_name.endswith((".md", ".markdown")):
        return "markdown"
    if lower_name.endswith((".html", ".htm", ".xhtml")) and b"<" in head:
        return "html"
    return "text"


def _json_start(stripped: bytes) -> bool:
    """Whether the bytes after the opening bracket can continue a JSON value."""
    after = stripped[1:].lstrip(b" \t\r\n")
    return not after or after[:1] in _JSON_AFTER[stripped[:1]]


def _parses_as_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False


def _looks_jsonl(data: bytes, start: int = 0) -> bool:
    """True if the data is a run of one-line JSON objects, not one JSON document.

    The first line decides when it parses; when it does not (a bad or cut record), the file
    is JSON Lines if another of the first lines is a whole object and the data as a whole
    is not valid JSON. Lines are looked at in full, however long (records carry pages),
    from ``start`` (where the leading whitespace ends: no copy of the data is made to skip it).
    """
    lines: list[bytes] = []
    while len(lines) < _JSONL_PROBE_LINES and start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end].strip()
        if line:
            lines.append(line)
        start = end + 1
    if len(lines) < 2 or not lines[1].startswith(b"{"):
        return False
    if _parses_as_object(lines[0]):
        return True
    if not lines[0].endswith(b"}") or not any(_parses_as_object(line) for line in lines[1:]):
        return False
    try:
        json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return True
    return False
