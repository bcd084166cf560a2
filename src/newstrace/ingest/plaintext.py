"""Plain text and Markdown: the first line is the title when it reads like one."""

from __future__ import annotations

import re

from newstrace.ingest.base import IngestConfig, Results, make_article

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`)")
_MD_LIST = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")


def markdown_to_text(md: str) -> str:
    """Markdown's markup removed, its words kept (links keep their text)."""
    out = []
    for line in md.splitlines():
        if _MD_RULE.match(line) or _MD_SETEXT.match(line):
            continue
        line = _MD_HEADING.sub("", line)
        line = _MD_QUOTE.sub("", line)
        line = _MD_LIST.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPH.sub("", line)
        out.append(line)
    return "\n".join(out)


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


def split_title(text: str) -> tuple[str | None, str]:
    """(title, body): the first line is the title when it reads like a headline.

    A headline has no final full stop, or is short; a long first line ending like a
    sentence is the lede of an untitled article (common in pasted text) and stays in the
    body, where claim extraction needs it.
    """
    lines = text.strip().split("\n", 1)
    if len(lines) < 2 or not lines[1].strip():
        return None, text
    first = lines[0].strip()
    n_words = len(first.split())
    if len(first) > 300 or (_SENTENCE_END.search(first) and n_words > 14):
        return None, text
    return first, lines[1]


def read_text(data: str, *, source: str, raw: bytes, config: IngestConfig, markdown: bool) -> Results:
    fmt = "markdown" if markdown else "text"
    text = markdown_to_text(data) if markdown else data
    title, body = split_title(text.strip())
    yield make_article(text=body, title=title, source=source, fmt=fmt, config=config, raw=raw)
