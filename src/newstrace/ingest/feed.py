"""RSS and Atom feed files: one article per item, full text when the item carries it."""

from __future__ import annotations

from typing import Any

from newstrace.ingest.base import IngestConfig, Results, make_article
from newstrace.ingest.dates import parse_date
from newstrace.ingest.html import fragment_to_text
from newstrace.model import Rejection

_TRUNCATION_HINTS = ("no element found", "unclosed token", "unexpected end", "premature end")


def read_feed(data: bytes, *, source: str, config: IngestConfig) -> Results:
    import feedparser

    try:
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser lets decoding errors of a bad XML declaration escape
        yield Rejection(source, "parse-error", f"feed could not be parsed: {type(exc).__name__}: {exc}", "rss")
        return
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    fmt = (parsed.get("version") or "feed").startswith("atom") and "atom" or "rss"
    if problem is not None and not isinstance(problem, feedparser.CharacterEncodingOverride):
        message = str(problem)
        truncated = any(h in message.lower() for h in _TRUNCATION_HINTS)
        if not entries:
            yield Rejection(source, "truncated" if truncated else "parse-error",
                            f"feed could not be parsed: {message}", fmt)
            return
        yield Rejection(f"{source}#rest", "truncated" if truncated else "parse-error",
                        f"feed is malformed after its first {len(entries)} item(s): {message}", fmt)
    outlet = (parsed.get("feed") or {}).get("title")
    for i, entry in enumerate(entries):
        yield from _entry(entry, index=i, source=source, outlet=outlet, config=config, fmt=fmt, raw=data)


def _entry(entry: Any, *, index: int, source: str, outlet: str | None, config: IngestConfig,
           fmt: str, raw: bytes) -> Results:
    # An item with a guid/id is located by it, not by position: feeds put new items on top,
    # and a re-fetched feed must give its old items the same ids.
    guid = " ".join(str(entry.get("id") or "").split())[:200]
    where = f"{source}#guid={guid}" if guid else f"{source}#item-{index + 1}"
    full = False
    body = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(body):
            body, full = value, True
    summary = entry.get("summary") or ""
    if len(summary) > len(body):
        body, full = summary, False
    date_value = entry.get("published") or entry.get("updated") or entry.get("created")
    aware, day = parse_date(date_value)
    yield make_article(
        text=fragment_to_text(body) if "<" in body else body,
        title=entry.get("title"),
        url=entry.get("link"),
        outlet=outlet,
        author=entry.get("author"),
        published_at=aware,
        source=where,
        fmt=fmt,
        config=config,
        # The feed file is stored once (blobs are content-addressed); each item points at it.
        raw=raw,
        meta={"published_date": day, "full_text": full, "guid": entry.get("id")},
    )
