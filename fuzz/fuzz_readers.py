"""Coverage-guided fuzz targets, one per reader (atheris / libFuzzer).

    fuzz/run.sh                   # every target, 60 s each
    .venv/bin/python fuzz/fuzz_readers.py TARGET -max_total_time=60 fuzz/corpus-TARGET

Invariant checked for every input: the reader returns only Article or Rejection records
(no exception escapes), articles have non-empty stripped text, rejections have a reason in
the documented list. Every crash found becomes a regression test in tests/ingest/.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable

import atheris

with atheris.instrument_imports():
    from newstrace.errors import REASONS
    from newstrace.ingest import IngestConfig, read_bytes
    from newstrace.ingest.decode import DecodeError, decode
    from newstrace.ingest.feed import read_feed
    from newstrace.ingest.html import read_html
    from newstrace.ingest.jsonl import read_json, read_jsonl
    from newstrace.ingest.plaintext import read_text
    from newstrace.ingest.warc import read_warc
    from newstrace.model import Article, Rejection
    from newstrace.text import clean_text, split_sentences

CFG = IngestConfig(max_bytes=1_000_000, min_words=1)


def _text(data: bytes) -> str | None:
    try:
        return decode(data)[0]
    except DecodeError:
        return None


def _check(items: Iterable[object]) -> None:
    for item in items:
        if isinstance(item, Article):
            assert item.text and item.text == item.text.strip(), item
        elif isinstance(item, Rejection):
            assert item.reason in REASONS and item.detail, item
        else:
            raise AssertionError(f"unexpected result {item!r}")


def t_any(data: bytes) -> None:
    _check(read_bytes(data, source="fuzz", name="input", config=CFG))


def t_text(data: bytes) -> None:
    text = _text(data)
    if text is not None:
        _check(read_text(text, source="fuzz", raw=data, config=CFG, markdown=bool(data[:1] == b"#")))
        cleaned = clean_text(text)
        for s, e in split_sentences(cleaned):
            assert 0 <= s < e <= len(cleaned) and cleaned[s:e].strip() == cleaned[s:e]


def t_html(data: bytes) -> None:
    text = _text(data)
    if text is not None:
        _check(read_html(text, source="fuzz", raw=data, config=CFG))


def t_json(data: bytes) -> None:
    text = _text(data)
    if text is not None:
        _check(read_json(text, source="fuzz", raw=data, config=CFG))


def t_jsonl(data: bytes) -> None:
    _check(read_jsonl(data, source="fuzz", config=CFG))


def t_feed(data: bytes) -> None:
    _check(read_feed(data, source="fuzz", config=CFG))


def t_warc(data: bytes) -> None:
    _check(read_warc(io.BytesIO(data), source="fuzz", config=CFG))  # type: ignore[arg-type]


TARGETS: dict[str, Callable[[bytes], None]] = {
    "any": t_any, "text": t_text, "html": t_html, "json": t_json, "jsonl": t_jsonl, "feed": t_feed, "warc": t_warc,
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        raise SystemExit(f"usage: fuzz_readers.py {{{','.join(TARGETS)}}} [libFuzzer options] [corpus dir]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
