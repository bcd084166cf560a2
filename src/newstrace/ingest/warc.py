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
            offset = iterator.get_record_offset()
            where = f"{source}#offset={offset}"
            http = record.http_headers
            ctype = (http.get_header("Content-Type") if http else "") or ""
            if not any(t in ctype.lower() for t in _HTML_TYPES):
                continue
            length = int(record.rec_headers.get_header("Content-Length") or 0)
            big = too_large(length, config, where, "warc")
            if big:
                yield big
                continue
            payload = record.content_stream().read(config.max_bytes + 1)
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
            yield from read_html(text, source=where, raw=payload, config=config, fmt="warc",
                                 url=record.rec_headers.get_header("WARC-Target-URI"), meta=meta)
    except (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError) as exc:
        yield Rejection(f"{source}#rest", "truncated" if seen else "parse-error",
                        f"WARC unreadable after {seen} record(s): {type(exc).__name__}: {exc}", "warc")
