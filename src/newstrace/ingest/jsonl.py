"""JSON and JSON Lines: one article per object; field names configurable.

A JSON Lines file is read line by line so one bad line costs one rejection, not the file.
A final line that does not parse is reported as truncated (a cut-off download); a bad line
in the middle as a parse error.

A record that carries its own id (a field among ``FieldMap.id``: ``doc_id``, ``id``, ...) is
located as ``FILE#id=VALUE``, not by its line or index, so an export with records added
before it keeps the same article ids; records without one are located as ``#L<line>`` (JSON
Lines) or ``#<index>`` (a JSON array).
"""

from __future__ import annotations

import json
from typing import Any

from newstrace.ingest.base import FieldMap, IngestConfig, Results, make_article, too_large
from newstrace.ingest.dates import parse_date
from newstrace.model import Rejection

#: Deepest nesting of arrays and objects accepted; news records are a few levels deep, and
#: a document nested hundreds of levels is an attack on the parser, not an article.
MAX_DEPTH = 64


def _depth_error(doc: Any, limit: int = MAX_DEPTH) -> str | None:
    """A message when ``doc`` nests deeper than ``limit`` (checked without recursion)."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return f"arrays and objects nested more than {limit} levels deep"
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return None


def _loads(text: str | bytes) -> Any:
    """``json.loads`` that turns too-deep nesting into a ``ValueError`` with a clear message."""
    try:
        doc = json.loads(text)
    except RecursionError:
        raise _TooDeep(f"arrays and objects nested more than {MAX_DEPTH} levels deep") from None
    problem = _depth_error(doc)
    if problem:
        raise _TooDeep(problem)
    return doc


class _TooDeep(ValueError):
    pass


def _item_locator(record: Any, names: tuple[str, ...]) -> str | None:
    """``id=VALUE`` for a record that carries its own id (``doc_id``, ``id``, ...), so the item
    keeps its identity when records are added before it or reordered."""
    if not isinstance(record, dict):
        return None
    value = _first(record, names)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = " ".join(str(value).split())[:200]
    return f"id={text}" if text else None


def _cut_off(exc: json.JSONDecodeError, doc: str | bytes) -> bool:
    """Whether the JSON error is the document ending early (not a wrong character)."""
    return exc.msg.startswith("Unterminated string") or exc.pos >= len(doc.rstrip()) - 1


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def record_to_article(record: Any, *, source: str, raw: bytes, config: IngestConfig, fmt: str) -> Results:
    if not isinstance(record, dict):
        yield Rejection(source, "parse-error", f"expected a JSON object, found {type(record).__name__}", fmt)
        return
    f: FieldMap = config.fields
    text = _first(record, f.text)
    if not isinstance(text, str):
        yield Rejection(source, "no-text-field",
                        f"no string field among {', '.join(f.text)} (fields: {', '.join(sorted(record)[:20])})", fmt)
        return
    aware, day = parse_date(_first(record, f.published))
    record_id = _first(record, f.id)
    if text.lstrip().startswith("<") and "</" in text:
        from newstrace.ingest.html import read_html

        meta = {"published_date": day, "record_id": str(record_id) if record_id is not None else None}
        for item in read_html(text, source=source, raw=raw, config=config, url=_first(record, f.url),
                              fmt=fmt, meta=meta):
            yield item
        return
    yield make_article(
        text=text,
        title=_first(record, f.title),
        url=_first(record, f.url),
        outlet=_first(record, f.outlet),
        author=_first(record, f.author),
        published_at=aware,
        source=source,
        fmt=fmt,
        config=config,
        raw=raw,
        meta={"published_date": day, "record_id": str(record_id) if record_id is not None else None},
    )


def read_jsonl(data: bytes, *, source: str, config: IngestConfig) -> Results:
    lines = data.split(b"\n")
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        where = f"{source}#L{i + 1}"
        big = too_large(len(line), config, where, "jsonl")
        if big:
            yield big
            continue
        try:
            record = _loads(line.decode("utf-8-sig" if i == 0 else "utf-8"))
        except UnicodeDecodeError as exc:
            yield Rejection(where, "decode-error", f"line is not UTF-8: {exc.reason}", "jsonl")
            continue
        except _TooDeep as exc:
            yield Rejection(where, "parse-error", str(exc), "jsonl")
            continue
        except json.JSONDecodeError as exc:
            truncated = i == last and not data.rstrip(b" \t\r").endswith(b"\n") and _cut_off(exc, line)
            yield Rejection(where, "truncated" if truncated else "parse-error",
                            f"invalid JSON at column {exc.colno}: {exc.msg}", "jsonl")
            continue
        own = _item_locator(record, config.fields.id)
        if own:
            where = f"{source}#{own}"
        yield from record_to_article(record, source=where, raw=line, config=config, fmt="jsonl")


def read_json(text: str, *, source: str, raw: bytes, config: IngestConfig) -> Results:
    try:
        doc = _loads(text)
    except _TooDeep as exc:
        yield Rejection(source, "parse-error", str(exc), "json")
        return
    except json.JSONDecodeError as exc:
        at_end = _cut_off(exc, text)
        reason = "truncated" if at_end else "parse-error"
        detail = f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        if at_end:
            detail += " (the document ends before it is complete)"
        yield Rejection(source, reason, detail, "json")
        return
    if isinstance(doc, dict) and not any(k in doc for k in config.fields.text):
        # Common wrappers: {"articles": [...]}, {"items": [...]}, {"data": [...]}
        for key in ("articles", "items", "data", "results", "documents"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
    if isinstance(doc, list):
        for i, record in enumerate(doc):
            item_raw = json.dumps(record, ensure_ascii=False).encode("utf-8", "backslashreplace")
            own = _item_locator(record, config.fields.id)
            yield from record_to_article(record, source=f"{source}#{own or i}", raw=item_raw, config=config,
                                         fmt="json")
        return
    yield from record_to_article(doc, source=source, raw=raw, config=config, fmt="json")
