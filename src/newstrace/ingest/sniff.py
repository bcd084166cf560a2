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
_FEED = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml", re.I)

FORMATS = ("warc", "gzip", "json", "jsonl", "feed", "html", "markdown", "text", "binary")


def sniff(data: bytes, name: str = "") -> str:
    """One of ``FORMATS`` for the first bytes of an item."""
    head = data[:65536]
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"WARC/") or head.startswith(b"filedesc://"):
        return "warc"
    if binary_kind(head):
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lower_name = name.lower()
    if stripped[:1] in (b"{", b"["):
        if stripped[:1] == b"{" and _looks_jsonl(stripped):
            return "jsonl"
        return "jsonl" if lower_name.endswith((".jsonl", ".ndjson")) else "json"
    if _XML_DECL.match(stripped) or stripped[:1] == b"<":
        if _FEED.search(head[:4096]):
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


def _looks_jsonl(head: bytes) -> bool:
    """True if the first line is a complete JSON value and another line follows."""
    first, sep, rest = head.partition(b"\n")
    if not sep or not rest.strip():
        return False
    try:
        json.loads(first)
    except (ValueError, UnicodeDecodeError):
        return False
    return rest.lstrip()[:1] in (b"{", b"")
