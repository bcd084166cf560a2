"""Reports: ``report.json`` (documented, versioned, validated by a JSON Schema) and a
self-contained ``report.html`` rendered with autoescaping, because article text is untrusted."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from newstrace import __version__
from newstrace.errors import REASONS
from newstrace.store import Store

#: Bump the minor version for added keys, the major version for changed or removed ones.
REPORT_SCHEMA_VERSION = "1.0"


def report_schema() -> dict[str, Any]:
    return json.loads(resources.files("newstrace.schemas").joinpath("report.schema.json").read_text("utf-8"))


def build_report(store: Store) -> dict[str, Any]:
    """The whole analysis as plain JSON-able data; the HTML report renders this same dict."""
    articles = []
    n_sentences = 0
    for a in store.articles():
        stats = store.stats(a.id)
        sentences = store.sentences(a.id, a.text)
        n_sentences += len(sentences)
        articles.append({
            "id": a.id,
            "title": a.title,
            "url": a.url,
            "outlet": a.outlet,
            "author": a.author,
            "published_at": a.published_at.isoformat() if a.published_at else None,
            "published_date": a.meta.get("published_date"),
            "source": a.source,
            "format": a.format,
            "language": a.language,
            "content_hash": a.content_hash,
            "record_id": a.meta.get("record_id"),
            "text": a.text,
            "stats": None if stats is None else {k: v for k, v in stats.__dict__.items() if k != "article_id"},
            "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in sentences],
        })
    rejections = [{"source": r.source, "reason": r.reason, "detail": r.detail, "format": r.format}
                  for r in store.rejections()]
    by_reason = Counter(r["reason"] for r in rejections)
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "generator": {"name": "newstrace", "version": __version__},
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "database": str(store.path),
        "summary": {
            "articles": len(articles),
            "sentences": n_sentences,
            "rejections": len(rejections),
            "rejections_by_reason": dict(sorted(by_reason.items())),
        },
        "articles": articles,
        "rejections": rejections,
        "runs": store.runs(),
    }


def write_report(store: Store, out_dir: str | Path) -> dict[str, Path]:
    """Write report.json and report.html into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = build_report(store)
    json_path = out / "report.json"
    tmp = json_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(json_path)  # a reader never sees half a report
    html_path = out / "report.html"
    tmp = html_path.with_suffix(".html.tmp")
    tmp.write_text(render_html(data), encoding="utf-8")
    tmp.replace(html_path)
    return {"json": json_path, "html": html_path}


def render_html(data: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("newstrace.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(report=data, reasons=REASONS)
