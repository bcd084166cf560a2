"""Readers for every input format; each yields ``Article`` or ``Rejection`` records.

``read_path`` is the single entry point: it walks directories (recursively, in sorted
order, skipping hidden entries), checks limits before reading, sniffs the format from the
content and hands the bytes to the right reader. Every failure becomes a ``Rejection``
with a reason code; nothing is raised for bad input, so one bad file never stops a run.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from newstrace.ingest.base import FieldMap, IngestConfig, ReadResult, Results, too_large
from newstrace.ingest.decode import DecodeError, binary_kind, decode
from newstrace.ingest.feed import read_feed
from newstrace.ingest.html import read_html
from newstrace.ingest.jsonl import read_json, read_jsonl
from newstrace.ingest.plaintext import read_text
from newstrace.ingest.sniff import sniff
from newstrace.ingest.warc import read_warc
from newstrace.model import Article, Rejection

__all__ = ["FieldMap", "IngestConfig", "ReadResult", "iter_files", "read_bytes", "read_path", "read_paths"]


def iter_files(paths: Iterable[str | Path], config: IngestConfig) -> Iterator[Path | Rejection]:
    """Files under ``paths`` in a stable order, or a rejection for a path that cannot be read."""
    for p in paths:
        path = Path(p)
        if not path.exists():
            yield Rejection(str(path), "unreadable", "no such file or directory")
        elif path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=config.follow_symlinks):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    f = Path(root) / name
                    if f.is_symlink() and not config.follow_symlinks:
                        continue
                    yield f
        else:
            yield path


def read_paths(paths: Iterable[str | Path], config: IngestConfig | None = None) -> Results:
    config = config or IngestConfig()
    for item in iter_files(paths, config):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from read_path(item, config)


def _accounted(results: Results, source: str) -> Results:
    """Pass results through; a file that yields nothing is reported, never silently skipped
    (a feed with no items, a WARC with no HTML responses, an empty JSON array)."""
    any_result = False
    for item in results:
        any_result = True
        yield item
    if not any_result:
        yield Rejection(source, "empty", "the file holds no article (no items, records or HTML responses)")


def read_path(path: str | Path, config: IngestConfig | None = None) -> Results:
    """Read one file. The source locator is the absolute path (plus an item locator for
    files that hold several items), so re-ingesting the same file gives the same ids."""
    config = config or IngestConfig()
    path = Path(path)
    source = str(path.resolve())
    try:
        size = path.stat().st_size
        big = too_large(size, config, source, None)
        if big:
            yield big
            return
        with open(path, "rb") as fh:
            head = fh.read(65536)
            fmt = sniff(head, path.name)
            if fmt == "warc" or (fmt == "gzip" and _gzip_is_warc(path)):
                fh.seek(0)
                yield from _accounted(read_warc(fh, source=source, config=config), source)  # type: ignore[arg-type]
                return
            fh.seek(0)
            data = fh.read(config.max_bytes + 1)
    except OSError as exc:
        yield Rejection(source, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
        return
    yield from read_bytes(data, source=source, name=path.name, config=config)


def read_bytes(data: bytes, *, source: str, name: str = "", config: IngestConfig | None = None) -> Results:
    """Read an item given as bytes (an upload, a fuzzer input)."""
    yield from _accounted(_read_bytes(data, source=source, name=name, config=config), source)


def _read_bytes(data: bytes, *, source: str, name: str = "", config: IngestConfig | None = None) -> Results:
    config = config or IngestConfig()
    big = too_large(len(data), config, source, None)
    if big:
        yield big
        return
    if not data.strip():
        yield Rejection(source, "empty", "the file is empty or only whitespace")
        return
    fmt = sniff(data, name)
    if fmt == "gzip":
        try:
            inner = _gunzip(data, config.max_bytes)
        except _TooLarge:
            yield Rejection(source, "too-large", f"decompresses to more than {config.max_bytes:,} bytes", "gzip")
            return
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            yield Rejection(source, "truncated" if isinstance(exc, EOFError) else "parse-error",
                            f"gzip data unreadable: {exc}", "gzip")
            return
        inner_name = name[:-3] if name.lower().endswith(".gz") else name
        if sniff(inner, inner_name) == "warc":
            yield from read_warc(io.BytesIO(data), source=source, config=config)  # type: ignore[arg-type]
        else:
            yield from read_bytes(inner, source=source, name=inner_name, config=config)
        return
    if fmt == "warc":
        yield from read_warc(io.BytesIO(data), source=source, config=config)  # type: ignore[arg-type]
        return
    if fmt == "binary":
        yield Rejection(source, "binary", f"looks like {binary_kind(data) or 'binary data'}, not text")
        return
    if fmt == "jsonl":
        yield from read_jsonl(data, source=source, config=config)
        return
    if fmt == "feed":
        yield from read_feed(data, source=source, config=config)
        return
    try:
        text, encoding = decode(data)
    except DecodeError as exc:
        yield Rejection(source, exc.reason, exc.detail, fmt)
        return
    if fmt == "json":
        yield from read_json(text, source=source, raw=data, config=config)
    elif fmt == "html":
        yield from read_html(text, source=source, raw=data, config=config, meta={"encoding": encoding})
    else:
        for item in read_text(text, source=source, raw=data, config=config, markdown=fmt == "markdown"):
            if isinstance(item, Article) and encoding not in ("utf-8", "ascii"):
                item.meta["encoding"] = encoding
            yield item


class _TooLarge(Exception):
    pass


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress with a ceiling, so a gzip bomb is refused instead of filling memory."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(data, limit + 1)
    if len(out) > limit or d.unconsumed_tail:
        raise _TooLarge()
    if not d.eof:
        raise EOFError("compressed stream ends before its end marker")
    return out


def _gzip_is_warc(path: Path) -> bool:
    try:
        with gzip.open(path, "rb") as g:
            return g.read(5) == b"WARC/"
    except (OSError, EOFError, zlib.error):
        return False
