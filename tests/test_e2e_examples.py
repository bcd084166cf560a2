"""`newstrace run` on examples/corpus, checked against examples/EXPECTED.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newstrace.cli import main
from tests.conftest import EXAMPLES, strict_json


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("examples")
    assert main(["run", str(EXAMPLES), "--db", str(out / "ex.db"), "--out", str(out), "-q"]) == 0
    return strict_json((out / "report.json").read_text())


def _by_file(report: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [a for a in report["articles"] if Path(a["source"].split("#")[0]).name == name]


def test_items_and_rejection(report: dict[str, Any]) -> None:
    assert len(report["articles"]) == 11
    assert [(Path(r["source"]).name, r["reason"]) for r in report["rejections"]] == [("10_broken.json", "truncated")]
    formats = sorted(a["format"] for a in report["articles"])
    assert formats == sorted(["html", "text", "markdown", "jsonl", "rss", "rss", "html", "text", "warc", "text", "text"])


def test_metadata_read(report: dict[str, Any]) -> None:
    (a1,) = _by_file(report, "01_vsna_original.html")
    assert a1["title"] == "Defence Minister Kovalenko inspects new naval drone plant in Ostrava-on-Sea"
    assert a1["author"] == "Marta Ilyinichna Belova"
    assert a1["published_at"] == "2026-02-09T14:20:00+02:00"
    assert a1["url"].startswith("https://vsna.example.vr/en/defence/2026/02/09/")
    assert "Related" not in a1["text"].split("\n")[0]
    (b2,) = _by_file(report, "08_crawl.warc.gz")
    (b1,) = _by_file(report, "06_independent_report.html")
    assert b2["outlet"] == "Harbourline Daily" and b2["id"] != b1["id"]
    assert b2["published_at"] == "2026-02-10T08:30:00+01:00"  # the page's date, not the crawl date
    r2 = [a for a in _by_file(report, "05_localnews_feed.xml") if "Kovalyenko" in (a["title"] or "")]
    assert r2 and r2[0]["published_at"] == "2026-02-10T11:42:00+01:00"


def test_copy_has_same_content_hash(report: dict[str, Any]) -> None:
    (a1,) = _by_file(report, "01_vsna_original.html")
    (a2,) = _by_file(report, "02_copy_portal.txt")
    assert a1["content_hash"] == a2["content_hash"] and a1["id"] != a2["id"]


def test_windows_1252_decoded(report: dict[str, Any]) -> None:
    (d1,) = _by_file(report, "11_latin1_notice.txt")
    assert "Hélène Varga" in d1["text"] and "René Lefèvre" in d1["text"] and "Hélčne" not in d1["text"]
