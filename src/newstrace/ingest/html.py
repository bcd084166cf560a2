"""HTML pages: main text and metadata through trafilatura.

trafilatura gives the main text (boilerplate removed), title, author, site name, canonical
URL and a calendar date. The publication *instant* with its zone comes from the page's own
meta tags when present, because trafilatura reduces it to a date.
"""

from __future__ import annotations

import re
from typing import Any

from newstrace.ingest.base import IngestConfig, Results, make_article
from newstrace.ingest.dates import parse_date
from newstrace.model import Rejection

_TIME_META = re.compile(
    r"""<meta\s+[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:published_time|"""
    r"""datePublished|pubdate|publishdate|dc\.date|dcterms\.created|sailthru\.date)["'][^>]*>""",
    re.I,
)
_CONTENT_ATTR = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.I)
_TIME_TAG = re.compile(r"""<time[^>]+datetime\s*=\s*["']([^"']+)["']""", re.I)
_LANG = re.compile(r"""<html[^>]+lang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)


def _published(html: str) -> tuple[Any, str | None]:
    for m in _TIME_META.finditer(html[:200_000]):
        c = _CONTENT_ATTR.search(m.group(0))
        if c:
            aware, day = parse_date(c.group(1))
            if day:
                return aware, day
    t = _TIME_TAG.search(html[:200_000])
    if t:
        return parse_date(t.group(1))
    return None, None


def read_html(data: str, *, source: str, raw: bytes, config: IngestConfig, url: str | None = None,
              fmt: str = "html", meta: dict[str, Any] | None = None, identity: str | None = None) -> Results:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_recall=True,
        )
    except Exception as exc:  # trafilatura/lxml raise many types on hostile markup
        yield Rejection(source, "parse-error", f"HTML could not be parsed: {type(exc).__name__}: {exc}", fmt)
        return
    if doc is None:
        # Tiny or unusual pages: fall back to all visible text rather than lose the item.
        text = trafilatura.html2txt(data) or ""
        info: dict[str, Any] = {}
    else:
        info = doc.as_dict()
        text = info.get("text") or ""
    aware, day = _published(data)
    if day is None and info.get("date"):
        aware, day = parse_date(info.get("date"))
    lang = _LANG.search(data[:5000])
    yield make_article(
        text=text,
        title=info.get("title"),
        url=info.get("url") or url,
        outlet=info.get("sitename"),
        author=info.get("author"),
        published_at=aware,
        language=(lang.group(1).lower() if lang else info.get("language")),
        source=source,
        fmt=fmt,
        config=config,
        raw=raw,
        meta={"published_date": day, **(meta or {})},
        identity=identity,
    )


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
               "article", "header", "footer", "pre", "ul", "ol", "table", "figure", "figcaption"}


def fragment_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (a feed item's body), one line per block element.

    Used where the fragment *is* the article, so boilerplate removal would only lose text.
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK_TAGS:
            parts.append("\n")

    walk(root)
    return "".join(parts)
