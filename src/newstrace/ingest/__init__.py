"""Readers for every input format; each yields ``Article`` or ``Rejection`` records.

``read_path`` is the single entry point: it walks directories (recursively, in sorted
order, skipping hidden entries), checks limits before reading, sniffs the format from the
content and hands the bytes to the right reader. Every failure becomes a ``Rejection``
with a reason code; nothing is raised for bad input, so one bad file never stops a run
(an unexpected error inside a reader becomes a ``parse-error`` rejection for that file,
and the items read before it are kept).
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from newstrace.ingest.base import FieldMap, IngestConfig, ReadResult, Results, too_large
from newstrace.ingest.decode import DecodeError, binary_kind, decode
from newstrace.ingest.feed import read_feed
from newstrace.ingest.html import read_html
from newstrace.ingest.jsonl import read_json, read_jsonl
from newstrace.ingest.plaintext import read_text
from newstrace.ingest.sniff import TEXT_SUFFIXES, sniff
from newstrace.ingest.warc import read_warc
from newstrace.model import Article, Rejection

__all__ = ["FieldMap", "IngestConfig", "ReadResult", "guarded", "iter_files", "path_source", "read_bytes",
           "read_path", "read_paths"]

#: How many gzip layers are unwrapped (``.gz`` of ``.gz`` happens; 400 layers is an attack).
MAX_GZIP_DEPTH = 2

#: Byte-order marks of UTF-16/32: such input is transcoded to UTF-8 before sniffing.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECL_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""", re.I)


def path_source(path: str | Path) -> str:
    """The stored source locator of a path: absolute, and always valid UTF-8.

    A file name that is not valid UTF-8 (``caf\\xe9.txt`` made on a Latin-1 system) is kept
    with its undecodable bytes written as ``\\xNN`` escapes, so it can be stored and shown.
    """
    p = Path(path)
    try:
        text = str(p.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        text = os.path.abspath(str(p))
    try:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    except UnicodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _os_error(exc: OSError) -> str:
    return f"{type(exc).__name__}: {exc.strerror or exc}"


def iter_files(paths: Iterable[str | Path], config: IngestConfig) -> Iterator[Path | Rejection]:
    """Files under ``paths`` in a stable order, or a rejection for a path that cannot be read.

    Symbolic links to files are followed (a file reached twice has the same source and id);
    links to directories only with ``follow_symlinks``, where each real directory is walked
    once, so a link loop ends. A directory that cannot be listed is an ``unreadable``
    rejection, never a silent gap.
    """
    for p in paths:
        path = Path(p)
        if not path.exists():
            detail = ("broken or looping symbolic link" if path.is_symlink() else "no such file or directory")
            yield Rejection(path_source(path), "unreadable", detail)
        elif path.is_dir():
            errors: list[OSError] = []
            seen_dirs: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(path, followlinks=config.follow_symlinks, onerror=errors.append):
                yield from _walk_errors(errors)
                if config.follow_symlinks:
                    try:
                        st = os.stat(root)
                    except OSError:
                        dirs[:] = []
                        continue
                    if (st.st_dev, st.st_ino) in seen_dirs:
                        dirs[:] = []
                        continue
                    seen_dirs.add((st.st_dev, st.st_ino))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    f = Path(root) / name
                    if f.is_symlink() and not f.exists():
                        yield Rejection(path_source(f), "unreadable", "broken or looping symbolic link")
                        continue
                    yield f
            yield from _walk_errors(errors)
        else:
            yield path


def _walk_errors(errors: list[OSError]) -> Iterator[Rejection]:
    for exc in errors:
        where = exc.filename if exc.filename is not None else "?"
        yield Rejection(path_source(where), "unreadable", f"directory cannot be listed: {_os_error(exc)}")
    errors.clear()


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


def guarded(results: Results, source: str) -> Results:
    """Pass results through; an unexpected exception inside a reader becomes a rejection of
    the rest of the file (the items already yielded are kept), never an aborted run."""
    yielded = False
    try:
        for item in results:
            yielded = True
            yield item
    except RecursionError:
        yield Rejection(f"{source}#rest" if yielded else source, "parse-error",
                        "RecursionError: the data is nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - the guard of last resort, by design
        yield Rejection(f"{source}#rest" if yielded else source, "parse-error",
                        f"{type(exc).__name__}: {exc}"[:500])


def read_path(path: str | Path, config: IngestConfig | None = None) -> Results:
    """Read one file. The source locator is the absolute path (plus an item locator for
    files that hold several items), so re-ingesting the same file gives the same ids."""
    config = config or IngestConfig()
    path = Path(path)
    source = path_source(path)
    yield from guarded(_read_path(path, source, config), source)


def _read_path(path: Path, source: str, config: IngestConfig) -> Results:
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                    else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                    else "not a regular file")
            yield Rejection(source, "unsupported", f"{kind}, not a regular file: not opened")
            return
        size = st.st_size
        big = too_large(size, config, source, None)
        with open(path, "rb") as fh:
            head = fh.read(65536)
            fmt = sniff(head, path.name)
            if fmt == "warc" or (fmt == "gzip" and _gzip_is_warc(path)):
                # A WARC is read record by record: the size limit applies to each record.
                fh.seek(0)
                yield from _accounted(read_warc(fh, source=source, config=config), source)  # type: ignore[arg-type]
                return
            if big:
                yield big
                return
            fh.seek(0)
            data = fh.read(config.max_bytes + 1)
    except OSError as exc:
        yield Rejection(source, "unreadable", _os_error(exc))
        return
    yield from read_bytes(data, source=source, name=path.name, config=config)


def read_bytes(data: bytes, *, source: str, name: str = "", config: IngestConfig | None = None,
               _depth: int = 0) -> Results:
    """Read an item given as bytes (an upload, a fuzzer input)."""
    results = _accounted(_read_bytes(data, source=source, name=name, config=config, depth=_depth), source)
    yield from (results if _depth else guarded(results, source))


def _transcode_wide(data: bytes) -> tuple[bytes, str] | None:
    """UTF-16/32 input (with its byte-order mark) as UTF-8 bytes, so the format is sniffed
    from its content like any other file; the XML declaration is corrected to match."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            text = data.decode(name)  # UnicodeDecodeError: the caller rejects
            out = text.lstrip("\ufeff").encode("utf-8")
            return _XML_DECL_ENCODING.sub(rb"\g<1>utf-8\g<2>", out, count=1), name
    return None


def _read_bytes(data: bytes, *, source: str, name: str = "", config: IngestConfig | None = None,
                depth: int = 0) -> Results:
    config = config or IngestConfig()
    big = too_large(len(data), config, source, None)
    if big:
        yield big
        return
    if not data.strip():
        yield Rejection(source, "empty", "the file is empty or only whitespace")
        return
    wide = None
    try:
        transcoded = _transcode_wide(data)
    except UnicodeDecodeError as exc:
        yield Rejection(source, "decode-error", f"invalid UTF-16/32 after its byte-order mark: {exc.reason}")
        return
    if transcoded is not None:
        data, wide = transcoded
    fmt = sniff(data, name)
    if fmt == "gzip":
        if depth >= MAX_GZIP_DEPTH:
            yield Rejection(source, "unsupported",
                            f"gzip nested more than {MAX_GZIP_DEPTH} levels deep is not unpacked", "gzip")
            return
        try:
            inner, trailing = _gunzip(data, config.max_bytes)
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
            yield from read_bytes(inner, source=source, name=inner_name, config=config, _depth=depth + 1)
        if trailing:
            yield Rejection(f"{source}#rest", "parse-error",
                            f"{trailing:,} bytes after the end of the gzip data are not gzip and were ignored", "gzip")
        return
    if fmt == "warc":
        yield from read_warc(io.BytesIO(data), source=source, config=config)  # type: ignore[arg-type]
        return
    if fmt == "binary":
        kind = binary_kind(data)
        if kind and not kind.startswith("binary data"):
            yield Rejection(source, "unsupported", f"looks like {kind}: a format newstrace does not read")
        else:
            yield Rejection(source, "binary", f"looks like {kind or 'binary data'}, not text")
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
    encoding = wide or encoding
    if fmt == "json":
        items = list(read_json(text, source=source, raw=data, config=config))
        if (len(items) == 1 and isinstance(items[0], Rejection) and items[0].source == source
                and items[0].reason in ("parse-error", "truncated") and name.lower().endswith(TEXT_SUFFIXES)):
            # A text or Markdown file that only starts like JSON ("[UPDATED] ...", "{Editor's note}").
            fmt = "markdown" if name.lower().endswith((".md", ".markdown")) else "text"
        else:
            yield from items
            return
    if fmt == "html":
        yield from read_html(text, source=source, raw=data, config=config, meta={"encoding": encoding})
    else:
        for item in read_text(text, source=source, raw=data, config=config, markdown=fmt == "markdown"):
            if isinstance(item, Article) and encoding not in ("utf-8", "ascii"):
                item.meta["encoding"] = encoding
            yield item


class _TooLarge(Exception):
    pass


def _gunzip(data: bytes, limit: int) -> tuple[bytes, int]:
    """Decompress every member (``cat a.gz b.gz``, ``gzip >>``, bgzip and pigz write several),
    with a ceiling on the total, so a gzip bomb is refused instead of filling memory.
    Returns the data and the count of trailing bytes that are not gzip (NUL padding is
    not counted)."""
    out = bytearray()
    rest = data
    while True:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += d.decompress(rest, limit + 1 - len(out))
        if len(out) > limit or d.unconsumed_tail:
            raise _TooLarge()
        if not d.eof:
            raise EOFError("compressed stream ends before its end marker")
        rest = d.unused_data
        if not rest.startswith(b"\x1f\x8b"):
            return bytes(out), len(rest.strip(b"\x00"))


def _gzip_is_warc(path: Path) -> bool:
    try:
        with gzip.open(path, "rb") as g:
            return g.read(5) == b"WARC/"
    except (OSError, EOFError, zlib.error):
        return False
