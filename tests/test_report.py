"""report.json validates against its schema; report.html shows untrusted text as text."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from newstrace import api
from newstrace.report import REPORT_SCHEMA_VERSION, report_schema
from tests.conftest import STORY, write

HOSTILE = (
    "Ferry <script>alert('x')</script> headline\n"
    "The council said <img src=x onerror=alert(1)> the ferry <b>will</b> run, and "
    "<a href=\"javascript:alert(2)\">this link</a> is only text. {{ 7*7 }} stays literal.\n"
)


def _report(tmp_path: Path) -> tuple[dict, str]:
    corpus = tmp_path / "in"
    write(corpus / "story.txt", STORY)
    write(corpus / "hostile.txt", HOSTILE)
    write(corpus / "empty.txt", "")
    db = tmp_path / "r.db"
    api.run([corpus], db=db, out=tmp_path / "out")
    return (json.loads((tmp_path / "out" / "report.json").read_text()),
            (tmp_path / "out" / "report.html").read_text())


def test_report_json_matches_schema(tmp_path: Path) -> None:
    data, _ = _report(tmp_path)
    jsonschema.Draft202012Validator(report_schema(),
                                    format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["schema_version"] == REPORT_SCHEMA_VERSION
    summary = {k: data["summary"][k] for k in ("articles", "rejections", "rejections_by_reason", "reuse_edges")}
    assert summary == {"articles": 2, "rejections": 1, "rejections_by_reason": {"empty": 1}, "reuse_edges": 0}
    assert data["summary"]["claims"] == len(data["claims"]) > 0
    assert data["rejections"][0]["source"].endswith("empty.txt")
    for article in data["articles"]:
        for s in article["sentences"]:
            assert article["text"][s["start"]:s["end"]].strip()


def test_schema_rejects_a_broken_report(tmp_path: Path) -> None:
    data, _ = _report(tmp_path)
    del data["articles"][0]["id"]
    validator = jsonschema.Draft202012Validator(report_schema())
    assert not validator.is_valid(data)


def test_html_escapes_article_text(tmp_path: Path) -> None:
    _, html = _report(tmp_path)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html
    assert "{{ 7*7 }}" in html and ">49<" not in html
    # Only our own stylesheet; no script at all in the report.
    assert "<script" not in html.lower().replace("&lt;script", "")


def test_html_isolates_untrusted_values_and_wraps_long_words(tmp_path: Path) -> None:
    """F1: a bidi override left in a stored value cannot reorder the text after it; a long
    word cannot stretch the page. F3: the origin-group count says what it counts."""
    import re

    _, html = _report(tmp_path)
    css = re.sub(r"/\*.*?\*/", "", html[html.index("<style>"):html.index("</style>")], flags=re.S)
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css.replace("<style>", "")):
        for sel in selectors.split(","):
            rules[sel.strip()] = rules.get(sel.strip(), "") + body
    for sel in ("td", "th", "h1", "h2", "dd", "li", "summary"):
        assert "unicode-bidi: isolate" in rules.get(sel, ""), sel
    for sel in ("td", "th", "h1", ".text p"):
        assert "overflow-wrap: anywhere" in rules.get(sel, ""), sel
    assert "origin groups of 2+ articles" in html
