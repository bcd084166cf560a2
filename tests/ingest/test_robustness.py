"""No input aborts a read, and valid input is never silently dropped (findings of the ingest
robustness review: A = crashes, B = data loss, C = wrong stored data, D = messages)."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

from newstrace.ingest import IngestConfig, read_bytes, read_path, read_paths
from newstrace.ingest.dates import parse_date
from newstrace.model import Article, Rejection
from tests.conftest import STORY, write

BODY = STORY.split("\n", 1)[1]
OTHER = ("A powerful storm left more than 30,000 homes without power on Sunday night. "
         "Officials said schools would remain closed on Monday.")
THIRD = ("Farmers in the valley warned on Thursday that the drought could cut harvests by a third, "
         "the regional farmers' union said.")


def results(*paths: Path, **cfg: object) -> tuple[list[Article], list[Rejection]]:
    items = list(read_paths(list(paths), IngestConfig(**cfg)))  # type: ignore[arg-type]
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Rejection)]


def jline(**record: object) -> str:
    return json.dumps(record) + "\n"


# --- A: the guard and the specific crashes --------------------------------------------------------


def test_unexpected_reader_error_becomes_a_rejection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.ingest as ingest

    def boom(*a: object, **k: object):  # type: ignore[no-untyped-def]
        raise RuntimeError("reader bug")
        yield  # pragma: no cover

    monkeypatch.setattr(ingest, "read_html", boom)
    write(tmp_path / "a.html", "<html><body><p>" + BODY + "</p></body></html>")
    write(tmp_path / "b.txt", STORY)
    arts, rej = results(tmp_path)
    assert [a.format for a in arts] == ["text"]
    assert [(r.reason, r.detail) for r in rej] == [("parse-error", "RuntimeError: reader bug")]


def test_guard_keeps_items_read_before_the_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.ingest as ingest

    real = ingest.read_jsonl

    def half(data: bytes, **k: object):  # type: ignore[no-untyped-def]
        yield next(iter(real(data, **k)))  # type: ignore[arg-type]
        raise KeyError("oops")

    monkeypatch.setattr(ingest, "read_jsonl", half)
    path = write(tmp_path / "a.jsonl", jline(text=BODY) + jline(text=OTHER))
    items = list(read_path(path))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], Rejection) and items[1].source.endswith("a.jsonl#rest")
    assert items[1].reason == "parse-error" and "KeyError" in items[1].detail


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json_is_a_parse_error(tmp_path: Path, name: str) -> None:
    deep = "[" * 1000 + "]" * 1000
    data = deep + "\n" + jline(text=BODY) if name.endswith("l") else deep
    arts, rej = results(write(tmp_path / name, data))
    assert rej and all(r.reason == "parse-error" for r in rej)
    assert "nested more than" in rej[0].detail
    assert len(arts) == (1 if name.endswith("l") else 0)


def test_moderately_deep_record_rejected_with_clear_reason(tmp_path: Path) -> None:
    record: dict[str, object] = {"text": BODY}
    node = record
    for _ in range(80):
        node["x"] = {}
        node = node["x"]  # type: ignore[assignment]
    _, rej = results(write(tmp_path / "r.json", json.dumps(record)))
    assert [r.reason for r in rej] == ["parse-error"] and "64 levels" in rej[0].detail


def test_lone_surrogates_in_json_are_replaced(tmp_path: Path) -> None:
    raw = '{"title": "Storm \\ud800 hits", "text": "%s \\udc00 end.", "doc_id": "x\\ud801"}' % OTHER
    arts, rej = results(write(tmp_path / "s.json", raw))
    assert not rej
    a = arts[0]
    for value in (a.text, a.title or "", a.source, json.dumps(a.meta, ensure_ascii=False)):
        value.encode("utf-8")  # would raise on a lone surrogate
    assert "\ufffd" in a.text and a.title == "Storm \ufffd hits"


def test_non_utf8_file_name_gives_an_escaped_source(tmp_path: Path) -> None:
    d = os.fsencode(tmp_path / "in")
    os.makedirs(d)
    with open(os.path.join(d, b"caf\xe9.txt"), "wb") as fh:
        fh.write(STORY.encode())
    arts, rej = results(tmp_path / "in")
    assert not rej
    assert arts[0].source.endswith("caf\\xe9.txt")
    arts[0].source.encode("utf-8")


def test_nested_gzip_depth_is_bounded() -> None:
    data = STORY.encode()
    for _ in range(2):
        data = gzip.compress(data)
    assert isinstance(next(iter(read_bytes(data, source="two", name="a.txt.gz.gz"))), Article)
    for _ in range(400):
        data = gzip.compress(data, compresslevel=1)
    items = list(read_bytes(data, source="deep", name="a.gz"))
    assert [(i.reason, "nested" in i.detail) for i in items] == [("unsupported", True)]  # type: ignore[union-attr]


# --- B: silent data loss --------------------------------------------------------------------------


def test_multi_member_gzip_is_read_whole(tmp_path: Path) -> None:
    data = gzip.compress(jline(text=BODY).encode()) + gzip.compress(jline(text=OTHER).encode())
    arts, rej = results(write(tmp_path / "all.jsonl.gz", data))
    assert len(arts) == 2 and not rej


def test_gzip_trailing_garbage_is_reported(tmp_path: Path) -> None:
    data = gzip.compress(STORY.encode()) + b"garbage after the stream"
    arts, rej = results(write(tmp_path / "a.txt.gz", data))
    assert len(arts) == 1
    assert [(r.reason, r.source.endswith("#rest")) for r in rej] == [("parse-error", True)]


@pytest.mark.parametrize(("name", "text", "fmt"), [
    ("update.txt", "[UPDATED] City Council Approves Budget\n" + BODY, "text"),
    ("note.txt", "{Editor's note: this story was corrected.}\n" + BODY, "text"),
    ("link.md", "[Daily Herald](https://herald.example) reports:\n\n" + BODY, "markdown"),
    ("list.txt", "[1] First point of the council meeting\n" + BODY, "text"),
    ("brace.md", '{"not": json at all\n' + BODY, "markdown"),
])
def test_text_starting_with_a_bracket_is_text(tmp_path: Path, name: str, text: str, fmt: str) -> None:
    arts, rej = results(write(tmp_path / name, text))
    assert not rej, rej
    assert [a.format for a in arts] == [fmt]


def test_jsonl_without_jsonl_name_and_a_bad_first_line(tmp_path: Path) -> None:
    path = write(tmp_path / "export.log", '{"text": broken}\n' + jline(text=BODY) + jline(text=OTHER))
    arts, rej = results(path)
    assert len(arts) == 2
    assert [(r.reason, r.source.endswith("#L1")) for r in rej] == [("parse-error", True)]


def test_jsonl_with_a_first_line_longer_than_the_sniffed_head(tmp_path: Path) -> None:
    long_record = jline(text="The mayor spoke at length. " * 3000)
    assert len(long_record) > 65536
    arts, rej = results(write(tmp_path / "dump.json", long_record + jline(text=BODY) + jline(text=OTHER)))
    assert len(arts) == 3 and not rej


def test_pretty_printed_json_is_still_one_document(tmp_path: Path) -> None:
    doc = {"articles": [{"text": BODY}, {"text": OTHER}]}
    arts, rej = results(write(tmp_path / "pretty.json", json.dumps(doc, indent=2)))
    assert len(arts) == 2 and not rej
    # One record per line inside an array is a JSON document too.
    lines = "[\n" + json.dumps({"text": BODY}) + ",\n" + json.dumps({"text": OTHER}) + "\n]\n"
    arts, rej = results(write(tmp_path / "lines.json", lines))
    assert [a.format for a in arts] == ["json", "json"] and not rej


RSS_ONE = ('<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><title>Daily</title>'
           f"<item><title>Storm</title><guid>g1</guid><description>{OTHER}</description></item></channel></rss>")
HTML_ONE = f"<!DOCTYPE html><html><head><title>Storm</title></head><body><article><p>{OTHER}</p></article></body></html>"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize(("name", "text", "fmt"), [
    ("feed.xml", RSS_ONE, "rss"),
    ("page.htm.txt", HTML_ONE, "html"),
    ("rec.json", json.dumps({"title": "Storm", "text": OTHER}), "json"),
])
def test_utf16_and_utf32_markup_sniffed_after_decoding(tmp_path: Path, encoding: str, name: str, text: str,
                                                        fmt: str) -> None:
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    arts, rej = results(write(tmp_path / name, data))
    assert not rej, rej
    assert [(a.format, a.title) for a in arts] == [(fmt, "Storm")]
    assert "<" not in arts[0].text


def test_unreadable_subdirectory_is_a_rejection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "in" / "ok.txt", STORY)
    write(tmp_path / "in" / "sub" / "lost.txt", STORY)
    real = os.scandir
    locked = str(tmp_path / "in" / "sub")

    def scandir(path: object = "."):  # type: ignore[no-untyped-def]
        if os.fspath(path) == locked:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", locked)
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    arts, rej = results(tmp_path / "in")
    assert len(arts) == 1
    assert [(r.source, r.reason) for r in rej] == [(locked, "unreadable")]
    assert "Permission denied" in rej[0].detail


def test_html_with_custom_feed_like_elements_is_html(tmp_path: Path) -> None:
    page = ("<!DOCTYPE html><html><head><title>Storm</title></head><body><nav><rss-link href='/rss'>RSS</rss-link>"
            f"<feed-item>x</feed-item></nav><article><p>{OTHER}</p></article></body></html>")
    arts, rej = results(write(tmp_path / "storm.html", page))
    assert not rej and [a.format for a in arts] == ["html"]
    # Found without a doctype too (a fragment saved as .txt).
    arts, rej = results(write(tmp_path / "frag.txt", f"<rss-icon/><p>{OTHER}</p>"))
    assert not rej and [a.format for a in arts] == ["html"]


def _warc(path: Path, n: int) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for i in range(n):
            html = (f"<html><head><title>Story {i}</title></head><body><article><p>{OTHER} Day {i}.</p>"
                    "</article></body></html>").encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://ex.example/{i}", "response",
                                                          payload=io.BytesIO(html), http_headers=headers))
    return path


def test_size_limit_applies_per_warc_record(tmp_path: Path) -> None:
    path = _warc(tmp_path / "crawl.warc", 3)
    size = path.stat().st_size
    arts, rej = results(path, max_bytes=size // 2)
    assert len(arts) == 3 and not rej
    arts, rej = results(path, max_bytes=100)
    assert not arts and [r.reason for r in rej] == ["too-large"] * 3


def test_fifo_is_unsupported_without_being_opened(tmp_path: Path) -> None:
    write(tmp_path / "in" / "ok.txt", STORY)
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    arts, rej = results(tmp_path / "in")  # opening the FIFO would block forever
    assert len(arts) == 1
    assert [(r.reason, "FIFO" in r.detail) for r in rej] == [("unsupported", True)]


# --- C: stored data -------------------------------------------------------------------------------


def _rss(*items: tuple[str, str, str]) -> str:
    body = "".join(f"<item><title>{t}</title><guid>{g}</guid><description>{d}</description></item>"
                   for t, g, d in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Daily</title>{body}</channel></rss>'


def test_feed_items_with_a_guid_keep_their_id_when_items_are_added_on_top(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.xml", _rss(("Budget", "g1", BODY), ("Storm", "g2", OTHER)))
    before = {a.title: (a.id, a.source) for a in results(path)[0]}
    write(path, _rss(("Drought", "g3", THIRD), ("Budget", "g1", BODY), ("Storm", "g2", OTHER)))
    after = {a.title: (a.id, a.source) for a in results(path)[0]}
    assert after["Budget"] == before["Budget"] and after["Storm"] == before["Storm"]
    assert after["Budget"][1].endswith("feed.xml#guid=g1")


@pytest.mark.parametrize("name", ["a.jsonl", "a.json"])
def test_json_records_with_a_doc_id_keep_their_id(tmp_path: Path, name: str) -> None:
    def dump(*records: dict[str, str]) -> str:
        return "".join(jline(**r) for r in records) if name.endswith("l") else json.dumps(list(records))

    path = write(tmp_path / name, dump({"doc_id": "d1", "text": BODY}, {"doc_id": "d2", "text": OTHER}))
    before = {a.id for a in results(path)[0]}
    write(path, dump({"doc_id": "d3", "text": THIRD}, {"doc_id": "d1", "text": BODY}, {"doc_id": "d2", "text": OTHER}))
    after = results(path)[0]
    assert before <= {a.id for a in after} and len(after) == 3
    assert sorted(a.source.rsplit("#", 1)[1] for a in after) == ["id=d1", "id=d2", "id=d3"]


@pytest.mark.parametrize(("text", "expected"), [
    ("March 2024", (None, None)),
    ("Tuesday", (None, None)),
    ("12", (None, None)),
    ("10:00 AM", (None, None)),
    ("Dec 2023 10:00 +0000", (None, None)),
    ("2024", (None, None)),
    ("2024-03", (None, None)),
    ("5 March 2024", (None, "2024-03-05")),
    ("2024-03-05", (None, "2024-03-05")),
])
def test_partial_dates_are_never_filled_from_today(text: str, expected: tuple[object, object]) -> None:
    assert parse_date(text) == expected


def test_full_free_form_date_with_zone_is_an_instant() -> None:
    aware, day = parse_date("March 5, 2024 10:00 UTC")
    assert aware is not None and aware.isoformat() == "2024-03-05T10:00:00+00:00" and day == "2024-03-05"


def test_object_valued_fields_take_their_name(tmp_path: Path) -> None:
    doc = {"status": "ok", "articles": [{
        "source": {"id": "bbc-news", "name": "BBC News"}, "author": {"name": "Jane Doe"},
        "title": "Budget", "content": BODY}, {
        "source": {"id": "x"}, "author": [{"name": "A. One"}, {"name": "B. Two"}], "title": float("nan"),
        "content": OTHER}]}
    arts, rej = results(write(tmp_path / "newsapi.json", json.dumps(doc)))
    assert not rej
    assert [(a.outlet, a.author, a.title) for a in arts] == [
        ("BBC News", "Jane Doe", "Budget"), (None, "A. One, B. Two", None)]


# --- D: reasons ------------------------------------------------------------------------------------


def test_a_stray_nul_does_not_make_a_text_binary(tmp_path: Path) -> None:
    arts, rej = results(write(tmp_path / "nul.txt", STORY[:40] + "\x00" + STORY[40:]))
    assert not rej and "\x00" not in arts[0].text


def test_cjk_characters_count_as_words() -> None:
    text = "市议会周二批准了新的预算。市长说：“这个预算保护了我们的学校。”批评者表示该计划削减了公园维护经费。"
    items = list(read_bytes(text.encode(), source="cjk", name="cjk.txt"))
    assert isinstance(items[0], Article)
