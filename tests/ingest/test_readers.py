"""Each reader on a fixture of its format, and every bad-input case."""

from __future__ import annotations

import gzip
import io
import json
import os
from datetime import timezone
from pathlib import Path

import pytest

from newstrace.ingest import FieldMap, IngestConfig, read_bytes, read_path, read_paths
from newstrace.model import Article, Rejection
from tests.conftest import STORY, write

HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Night ferry link approved | Island Courier</title>
<meta name="author" content="Ines Valgard">
<meta property="article:published_time" content="2026-05-04T08:30:00+02:00">
<meta property="og:site_name" content="Island Courier">
<link rel="canonical" href="https://courier.example/2026/05/night-ferry">
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Night ferry link approved</h1>
<p>The Lindqvist Harbour Authority said on Tuesday that a night ferry will link the two islands from June,
ending years of complaints from shift workers who miss the last boat.</p>
<p>"We expect about 400 passengers a night," said Marta Oyelaran, the authority's director, adding that
tickets would cost the same as the day service.</p>
<p>A spokesperson for the crews' union said members had not been consulted about the timetable.</p>
</article><footer>Copyright 2026 Island Courier. All rights reserved.</footer></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Island Courier</title><link>https://courier.example/</link><description>News</description>
<item><title>Night ferry link approved</title><link>https://courier.example/2026/05/night-ferry</link>
<pubDate>Tue, 05 May 2026 08:30:00 +0200</pubDate><author>desk@courier.example (Ines Valgard)</author>
<description>Short teaser only.</description>
<content:encoded><![CDATA[<p>The harbour authority said a night ferry will link the two islands from June.</p>
<p>"We expect about 400 passengers a night," said the director.</p>]]></content:encoded></item>
<item><title>Tram vote delayed</title><link>https://courier.example/2026/05/tram</link>
<pubDate>Wed, 06 May 2026 10:00:00 GMT</pubDate>
<description>The city council postponed its vote on the tram extension until the autumn session.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Watch</title><id>urn:hw</id><updated>2026-05-05T10:00:00Z</updated>
<entry><title>Ferry crews object</title><id>urn:hw:1</id><link href="https://hw.example/1"/>
<updated>2026-05-05T10:00:00Z</updated><published>2026-05-05T09:00:00Z</published>
<content type="html">&lt;p&gt;Crews of the island ferries say the night timetable was agreed without them.&lt;/p&gt;</content></entry>
</feed>"""


def results(path: Path, **cfg: object) -> tuple[list[Article], list[Rejection]]:
    items = list(read_paths([path], IngestConfig(**cfg)))  # type: ignore[arg-type]
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Rejection)]


def test_plain_text_title_is_first_line(tmp_path: Path) -> None:
    arts, rej = results(write(tmp_path / "a.txt", STORY))
    assert not rej and len(arts) == 1
    a = arts[0]
    assert a.title == "Harbour Authority Opens Night Ferry Route"
    assert a.text.startswith("The Lindqvist Harbour Authority said")
    assert a.format == "text" and a.raw == STORY.encode()
    assert a.source == str((tmp_path / "a.txt").resolve())


def test_untitled_text_keeps_its_lede(tmp_path: Path) -> None:
    lede = ("The Lindqvist Harbour Authority said on Tuesday that a night ferry will link the two islands "
            "from June, ending years of complaints from shift workers.\nSecond paragraph here with words.")
    arts, _ = results(write(tmp_path / "a.txt", lede))
    assert arts[0].title is None and arts[0].text.startswith("The Lindqvist")


def test_markdown_markup_removed(tmp_path: Path) -> None:
    md = "# Night ferry approved\n\nThe **authority** said a [night ferry](https://x.example) will run.\n\n- one more line of text\n"
    arts, _ = results(write(tmp_path / "n.md", md))
    assert arts[0].title == "Night ferry approved"
    assert arts[0].text == "The authority said a night ferry will run.\n\none more line of text"
    assert arts[0].format == "markdown"


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    arts, rej = results(write(tmp_path / "page.html", HTML))
    assert not rej
    a = arts[0]
    assert a.title == "Night ferry link approved"
    assert a.author == "Ines Valgard"
    assert a.outlet == "Island Courier"
    assert a.url == "https://courier.example/2026/05/night-ferry"
    assert a.published_at is not None and a.published_at.utcoffset().total_seconds() == 7200
    assert a.meta["published_date"] == "2026-05-04"
    assert "400 passengers" in a.text and "Copyright" not in a.text and "Home" not in a.text
    assert a.language == "en"


def test_html_without_zone_leaves_instant_unknown(tmp_path: Path) -> None:
    page = HTML.replace("2026-05-04T08:30:00+02:00", "2026-05-04")
    a = results(write(tmp_path / "page.html", page))[0][0]
    assert a.published_at is None and a.meta["published_date"] == "2026-05-04"


def test_jsonl_records_fields_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"doc_id": "r1", "text": STORY, "title": "T1", "outlet": "Courier", "published": "2026-05-04T08:30:00Z"}),
        "{not json}",
        json.dumps({"headline": "no text field here"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "A second article with enough words to keep.", "url": "https://x.example/2"}),
        '{"text": "cut off in the mid',
    ]
    arts, rej = results(write(tmp_path / "set.jsonl", "\n".join(lines)))
    assert [a.meta.get("record_id") for a in arts] == ["r1", None]
    assert arts[0].outlet == "Courier" and arts[0].published_at.tzinfo is not None
    assert arts[1].url == "https://x.example/2"
    reasons = {r.source.rsplit("#", 1)[1]: r.reason for r in rej}
    assert reasons == {"L2": "parse-error", "L3": "no-text-field", "L4": "parse-error", "L6": "truncated"}


def test_json_field_mapping(tmp_path: Path) -> None:
    record = {"body": STORY, "headline": "Mapped"}
    cfg = IngestConfig(fields=FieldMap.parse("text=body,title=headline"))
    arts = [a for a in read_paths([write(tmp_path / "one.json", json.dumps(record))], cfg) if isinstance(a, Article)]
    assert arts[0].title == "Mapped"
    with pytest.raises(ValueError):
        FieldMap.parse("nosuch=field")


def test_json_array_and_wrapper(tmp_path: Path) -> None:
    doc = {"articles": [{"text": STORY}, {"text": STORY.replace("Tuesday", "Monday")}]}
    arts, rej = results(write(tmp_path / "many.json", json.dumps(doc)))
    assert len(arts) == 2 and not rej
    assert arts[0].source.endswith("#0") and arts[1].source.endswith("#1")


def test_truncated_json(tmp_path: Path) -> None:
    _, rej = results(write(tmp_path / "cut.json", '{"text": "The harbour authority said'))
    assert [r.reason for r in rej] == ["truncated"]


def test_rss_items_full_text(tmp_path: Path) -> None:
    arts, rej = results(write(tmp_path / "feed.xml", RSS))
    assert not rej and len(arts) == 2
    first, second = arts
    assert first.meta["full_text"] is True and "400 passengers" in first.text
    assert first.outlet == "Island Courier"
    assert first.published_at.utcoffset().total_seconds() == 7200
    assert second.meta["full_text"] is False and second.published_at.tzinfo == timezone.utc
    assert first.format == "rss"


def test_atom_entry(tmp_path: Path) -> None:
    arts, _ = results(write(tmp_path / "feed.atom", ATOM))
    assert arts[0].format == "atom" and arts[0].title == "Ferry crews object"
    assert arts[0].text.startswith("Crews of the island ferries")


def test_truncated_feed(tmp_path: Path) -> None:
    _, rej = results(write(tmp_path / "feed.xml", RSS[: RSS.index("<item>") + 40]))
    assert rej and rej[0].reason in ("truncated", "parse-error")


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri, ctype, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(payload),
                                                      http_headers=headers))
    return buf.getvalue()


def test_warc_html_responses(tmp_path: Path) -> None:
    data = _warc([("https://courier.example/a", "text/html; charset=utf-8", HTML.encode()),
                  ("https://courier.example/logo.png", "image/png", b"\x89PNG....")])
    arts, rej = results(write(tmp_path / "crawl.warc.gz", data))
    assert len(arts) == 1 and not rej
    assert arts[0].format == "warc" and arts[0].meta["crawled_at"]
    assert arts[0].url == "https://courier.example/2026/05/night-ferry"
    assert "#offset=" in arts[0].source


def test_truncated_warc_keeps_earlier_records(tmp_path: Path) -> None:
    one = _warc([("https://courier.example/a", "text/html", HTML.encode())])
    two = _warc([("https://courier.example/b", "text/html", HTML.replace("Tuesday", "Monday").encode())])
    arts, rej = results(write(tmp_path / "cut.warc.gz", one + two[: len(two) // 2]))
    assert len(arts) == 1
    assert [r.reason for r in rej] == ["truncated"]


def test_directory_sniffs_content_not_extension(tmp_path: Path) -> None:
    write(tmp_path / "feed_saved_as.txt", RSS)
    write(tmp_path / "page_without_suffix", HTML)
    write(tmp_path / "sub" / "records.dat", json.dumps({"text": STORY}) + "\n" + json.dumps({"text": STORY + " More."}) + "\n")
    write(tmp_path / ".hidden.txt", STORY)
    arts, rej = results(tmp_path)
    assert sorted(a.format for a in arts) == ["html", "jsonl", "jsonl", "rss", "rss"]
    assert not rej


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "latin-1"])
def test_encodings_detected(tmp_path: Path, encoding: str) -> None:
    text = ("Café owners in Málaga said the new ferry “changes everything” for the island’s économie, "
            "according to a survey published on Friday by the chamber of commerce.\nMore text follows here.")
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"').replace("’", "'")
    arts, rej = results(write(tmp_path / "enc.txt", text.encode(encoding)))
    assert not rej, rej
    assert "Málaga" in arts[0].text and "économie" in arts[0].text


def test_html_declared_charset(tmp_path: Path) -> None:
    page = HTML.replace('charset="utf-8"', 'charset="windows-1252"').replace("Ines", "Inés")
    arts, _ = results(write(tmp_path / "p.html", page.encode("cp1252")))
    assert arts[0].author == "Inés Valgard"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b" \n\t \n", "empty"),
        ("short.txt", b"Only three words", "too-short"),
        ("image.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)), "unsupported"),
        ("blob.bin", bytes(range(256)) * 4, "binary"),
        ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "unsupported"),
        ("doc.docx", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "unsupported"),
        ("a.txt.bz2", b"BZh91AY&SY" + bytes(range(256)), "unsupported"),
        ("a.txt.xz", b"\xfd7zXZ\x00\x00" + bytes(range(256)), "unsupported"),
        ("cut.txt.gz", gzip.compress(STORY.encode())[:30], "truncated"),
        ("bad.json", b'{"text": "x", oops}', "parse-error"),
        ("markup_only.html", b"<html><body><script>var a=1;</script></body></html>", "empty"),
    ],
)
def test_bad_input_rejected_with_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    arts, rej = results(write(tmp_path / name, data))
    assert not arts
    assert [r.reason for r in rej] == [reason]
    assert rej[0].detail


def test_oversized_file_rejected_without_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", STORY * 200)
    _, rej = results(path, max_bytes=1000)
    assert rej[0].reason == "too-large" and "1,000" in rej[0].detail


def test_gzip_bomb_refused(tmp_path: Path) -> None:
    bomb = gzip.compress(b"a " * 2_000_000)
    _, rej = results(write(tmp_path / "bomb.txt.gz", bomb), max_bytes=100_000)
    assert rej[0].reason == "too-large"


def test_gzip_text_read(tmp_path: Path) -> None:
    arts, _ = results(write(tmp_path / "a.txt.gz", gzip.compress(STORY.encode())))
    assert arts[0].title == "Harbour Authority Opens Night Ferry Route"


def test_missing_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, rej = results(tmp_path / "nope.txt")
    assert rej[0].reason == "unreadable"
    path = write(tmp_path / "locked.txt", STORY)
    real_open = open

    def deny(p: object, *a: object, **k: object):  # type: ignore[no-untyped-def]
        if str(p) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(p, *a, **k)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", deny)
    items = list(read_path(path))
    assert items[0].reason == "unreadable" and "Permission denied" in items[0].detail


def test_ids_stable_and_distinct_per_source(tmp_path: Path) -> None:
    a1 = next(read_path(write(tmp_path / "a.txt", STORY)))
    a2 = next(read_path(tmp_path / "a.txt"))
    b = next(read_path(write(tmp_path / "b.txt", STORY)))
    assert a1.id == a2.id
    assert a1.id != b.id and a1.content_hash == b.content_hash


def test_read_bytes_upload() -> None:
    items = list(read_bytes(STORY.encode(), source="upload:1", name="x.txt"))
    assert isinstance(items[0], Article) and items[0].source == "upload:1"


def test_symlinked_files_followed_symlinked_dirs_not_by_default(tmp_path: Path) -> None:
    target = write(tmp_path / "real" / "a.txt", STORY)
    (tmp_path / "in").mkdir()
    os.symlink(target, tmp_path / "in" / "link.txt")
    os.symlink(tmp_path / "real", tmp_path / "in" / "dirlink")
    os.symlink(tmp_path / "in" / "loop", tmp_path / "in" / "loop")  # a link to itself
    arts, rej = results(tmp_path / "in")
    assert [a.source for a in arts] == [str(target.resolve())]
    assert [(r.reason, r.detail) for r in rej] == [("unreadable", "broken or looping symbolic link")]


def test_follow_symlinks_ends_on_a_directory_loop(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", STORY)
    os.symlink(tmp_path / "in", tmp_path / "in" / "again")
    items = list(read_paths([tmp_path / "in"], IngestConfig(follow_symlinks=True)))
    assert len({i.id for i in items if isinstance(i, Article)}) == 1 and len(items) <= 2
