"""What every reader shares: configuration, the result type, and turning extracted text
and metadata into an ``Article`` (or a ``Rejection`` when nothing usable is left)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Union

from newstrace.model import Article, Rejection
from newstrace.text import article_id, clean_text, content_hash, count_words

ReadResult = Union[Article, Rejection]
Results = Iterator[ReadResult]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: Lone UTF-16 surrogates (JSON allows ``"\ud800"``; SQLite and UTF-8 do not): replaced.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Scripts written without spaces between words: each character counts as a word for the
#: minimum-length check (``\w+`` would make a whole Chinese clause one word).
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def no_surrogates(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD, so it can be encoded and stored."""
    return _SURROGATE.sub("\ufffd", text)


def _count_words(text: str) -> int:
    return count_words(_UNSPACED.sub(" \\g<0> ", text)) if _UNSPACED.search(text) else count_words(text)


#: Other names accepted for an attribute in ``--fields`` (the README's name for the id field).
_FIELD_ALIASES = {"doc_id": "id"}


@dataclass(frozen=True)
class FieldMap:
    """Field names tried, in order, for each article attribute of a JSON record."""

    text: tuple[str, ...] = ("text", "body", "content", "article", "maintext")
    title: tuple[str, ...] = ("title", "headline")
    url: tuple[str, ...] = ("url", "link", "canonical_url")
    outlet: tuple[str, ...] = ("outlet", "source", "site", "site_name", "sitename", "publisher")
    published: tuple[str, ...] = ("published", "published_at", "date", "pubDate", "date_publish")
    author: tuple[str, ...] = ("author", "authors", "byline")
    id: tuple[str, ...] = ("doc_id", "id", "article_id", "guid")

    @classmethod
    def parse(cls, spec: str) -> FieldMap:
        """Build from ``"text=body,title=headline"``: each named attribute gets that field
        name first, the defaults after it."""
        base = cls()
        updates: dict[str, tuple[str, ...]] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, sep, name = part.partition("=")
            key, name = key.strip(), name.strip()
            key = _FIELD_ALIASES.get(key, key)
            if not sep or not name or key not in cls.__dataclass_fields__:
                raise ValueError(f"bad field mapping {part!r}: expected ATTR=FIELD with ATTR one of "
                                 f"{', '.join(cls.__dataclass_fields__)} (doc_id is an alias of id)")
            updates[key] = (name,) + tuple(n for n in getattr(base, key) if n != name)
        return cls(**{**base.__dict__, **updates})


@dataclass(frozen=True)
class IngestConfig:
    """Limits and field names for reading. ``str()`` names every setting, so a run's
    configuration can be logged and reproduced."""

    max_bytes: int = DEFAULT_MAX_BYTES
    min_words: int = 5
    fields: FieldMap = field(default_factory=FieldMap)
    follow_symlinks: bool = False


def make_article(
    *,
    text: str,
    source: str,
    fmt: str,
    config: IngestConfig,
    raw: bytes,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    published_at: datetime | None = None,
    language: str | None = None,
    meta: dict[str, Any] | None = None,
    identity: str | None = None,
) -> ReadResult:
    """Clean the text and metadata; reject an item with no usable text.

    The id hashes the text with ``identity`` (default: the source locator), never with the
    page's canonical URL: a syndicated copy points its canonical link at the original, and
    it must stay a separate article so that the copy can be found.
    """
    body = clean_text(no_surrogates(text))
    title = _clean_field(title)
    if title and body.startswith(title):
        # Extractors often repeat the headline as the body's first line.
        rest = body[len(title):]
        if rest.startswith("\n") and rest.strip():
            body = rest.strip()
    n_words = _count_words(body)
    if n_words == 0:
        return Rejection(source, "empty", "no text left after extraction and cleaning", fmt)
    if n_words < config.min_words:
        return Rejection(source, "too-short", f"{n_words} words, fewer than the minimum of {config.min_words}", fmt)
    url = _clean_field(url)
    return Article(
        id=article_id(body, identity or source),
        text=body,
        source=source,
        format=fmt,
        title=title,
        url=url,
        outlet=_clean_field(outlet),
        author=_clean_field(author),
        published_at=published_at,
        language=language,
        raw=raw,
        content_hash=content_hash(body),
        meta={k: no_surrogates(v) if isinstance(v, str) else v
              for k, v in (meta or {}).items() if v not in (None, "", [], {})},
    )


def _scalar(value: object) -> str | None:
    """A metadata value as text: an object gives its ``name`` (NewsAPI's ``source: {id,
    name}``, ``author: {name}``), NaN and Infinity are absent, never a Python repr."""
    if isinstance(value, dict):
        value = value.get("name")
        return value if isinstance(value, str) else None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (list, tuple, set, bytes)):
        return None
    return str(value)


def _clean_field(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        parts = [_scalar(v) for v in value if v]
        value = ", ".join(p for p in parts if p)
    else:
        value = _scalar(value)
        if value is None:
            return None
    text = clean_text(no_surrogates(value)).replace("\n", " ")
    return text or None


def too_large(size: int, config: IngestConfig, source: str, fmt: str | None) -> Rejection | None:
    if size > config.max_bytes:
        return Rejection(source, "too-large",
                         f"{size:,} bytes, over the limit of {config.max_bytes:,} bytes", fmt)
    return None
