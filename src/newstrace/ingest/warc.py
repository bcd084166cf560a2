"""WARC files: each HTML response record becomes an article.

The WARC-Date is when the page was *crawled*, not published: it is kept as
``meta["crawled_at"]`` and never used as a publication date.
"""

from __future__ import annotations

import io
import zlib

from newstrace.ingest.base import IngestConfig, Results, too_large
from newstrace.ingest.decode import DecodeError, decode
from newstrace.ingest.html import read_html
from newstrace.model import Rejection

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: io.BufferedIOBase, *, source: str, config: IngestConfig) -> Results:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    iterator = ArchiveIterator(stream, arc2warc=True)
    seen = 0
    try:
        for record in iterator:
            seen += 1
            if record.rec_type != "response":
                continue
            http = record.http_headers
            ctype = (http.get_header("Content-Type") if http else "") or ""
            if not any(t in ctype.lower() for t in _HTML_TYPES):
                continue
            length = int(record.rec_headers.get_header("Content-Length") or 0)
            payload = b"" if length > config.max_bytes else record.content_stream().read(config.max_bytes + 1)
            # Bytes the record declared but the file did not hold: a cut-off crawl.
            missing = getattr(record.raw_stream, "limit", 0) if payload else 0
            # get_record_offset() reads the record to its end: only call it after the payload.
            where = f"{source}#offset={iterator.get_record_offset()}"
            if missing and len(payload) <= config.max_bytes:
                yield Rejection(where, "truncated", f"record ends {missing:,} bytes before its declared length",
                                "warc")
                continue
            big = too_large(max(length, len(payload)), config, where, "warc")
            if big:
                yield big
                continue
            big = too_large(len(payload), config, where, "warc")
            if big:
                yield big
                continue
            try:
                text, encoding = decode(payload)
            except DecodeError as exc:
                yield Rejection(where, exc.reason, exc.detail, "warc")
                continue
            meta = {"crawled_at": record.rec_headers.get_header("WARC-Date"), "encoding": encoding,
                    "warc_record_id": record.rec_headers.get_header("WARC-Record-ID")}
            target = record.rec_headers.get_header("WARC-Target-URI")
            # Identity is the crawled address, so the same page in another crawl file keeps its id.
            yield from read_html(text, source=where, raw=payload, config=config, fmt="warc",
                                 url=target, meta=meta, identity=target)
    except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError) as exc:
        yield Rejection(f"{source}#rest", "truncated" if seen else "parse-error",
                        f"WARC record headers are malformed after {seen} record(s): {type(exc).__name__}: {exc}", "warc")
    except Exception as exc:  # warcio raises AttributeError/TypeError on malformed headers (fuzzing)
        yield Rejection(f"{source}#rest", "truncated" if seen else "parse-error",
                        f"WARC record headers are malformed after {seen} record(s): {type(exc).__name__}: {exc}", "warc")
