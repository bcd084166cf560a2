"""Reports: ``report.json`` (documented, versioned, validated by a JSON Schema) and a
self-contained ``report.html`` rendered with autoescaping, because article text is untrusted."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from newstrace import __version__, codec
from newstrace.errors import REASONS
from newstrace.report import sections
from newstrace.store import Store

#: Bump the minor version for added keys, the major version for changed or removed ones.
REPORT_SCHEMA_VERSION = "1.3"


def report_schema() -> dict[str, Any]:
    return json.loads(resources.files("newstrace.schemas").joinpath("report.schema.json").read_text("utf-8"))


def build_report(store: Store) -> dict[str, Any]:
    """The whole analysis as plain JSON-able data; the HTML report renders this same dict."""
    articles = []
    n_sentences = 0
    origin_of = store.origin_of()
    story_of = store.story_of()
    boilerplate = store.boilerplate()
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
            "boilerplate": [{"start": s, "end": e} for s, e in boilerplate.get(a.id, [])],
        })
    claims = {a["id"]: store.claims(a["id"]) for a in articles}
    for a in articles:
        a["claim_summary"] = sections.claim_summary(a["id"], claims[a["id"]])
        a["origin_group"] = origin_of.get(a["id"])
        a["story"] = story_of.get(a["id"])
    mentions = store.mentions()  # read once for the entity and garble sections
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
            "claims": store.count("claims"),
            "reuse_edges": store.conn.execute("SELECT COUNT(*) FROM edges WHERE kind != 'same-story'").fetchone()[0],
            "origin_groups": store.conn.execute("SELECT COUNT(*) FROM origin_groups WHERE size > 1").fetchone()[0],
            "stories": store.count("stories"),
            "flags_by_kind": dict(store.conn.execute("SELECT kind, COUNT(*) FROM flags GROUP BY kind ORDER BY kind")),
        },
        "articles": articles,
        "rejections": rejections,
        "claims": [sections.claim_dict(c) for a in articles for c in claims[a["id"]]],
        "edges": sections.edges_section(store),
        "origin_groups": sections.origin_groups_section(store),
        "entities": sections.entities_section(store, mentions),
        "garbles": sections.garbles_section(store, mentions),
        "stories": sections.stories_section(store),
        "claim_groups": sections.claim_groups_section(store),
        "flags": sections.flags_section(store),
        "runs": store.runs(),
    }


def write_report(store: Store, out_dir: str | Path) -> dict[str, Path]:
    """Write report.json and report.html into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = build_report(store)
    json_path = out / "report.json"
    tmp = json_path.with_suffix(".json.tmp")
    # Compact: indentation forces the pure-Python encoder (5x slower on a large corpus).
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
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
    return env.get_template("report.html.j2").render(report=data, reasons=REASONS, view=html_view(data))


def _related(edge: dict[str, Any]) -> bool:
    """Whether a report edge is marked not a parent link (``provenance.parent_links``); an
    unmarked edge (a database analysed before parent links existed) is not."""
    return (edge.get("direction_evidence") or {}).get("parent") is False


#: Article texts shown in full in the HTML report; the JSON always has every article.
HTML_MAX_ARTICLES = 2000


def html_view(data: dict[str, Any]) -> dict[str, Any]:
    """Lookups and pre-computed runs the template needs (built from the report dict only)."""
    from newstrace.model import RESTATEMENT_KEY, Article, Claim, ReuseEdge, restated_pairs

    arts = {a["id"]: a for a in data["articles"]}
    claims_by_article: dict[str, list[Claim]] = {}
    claim_by_id: dict[str, dict[str, Any]] = {}
    for c in data.get("claims", []):
        claims_by_article.setdefault(c["article_id"], []).append(codec.from_dict(Claim, c))
        claim_by_id[c["id"]] = c
    garbled: dict[str, list[tuple[int, int, str]]] = {}
    for g in data.get("garbles", []):
        if g.get("start") is not None:
            garbled.setdefault(g["article_id"], []).append(
                (g["start"], g["end"], f"suspected garble of {g['canonical']}: {g['rule']} ({g['score']:.2f})"))
    runs = {}
    for a in data["articles"][:HTML_MAX_ARTICLES]:
        art = Article(id=a["id"], text=a["text"], source=a["source"], format=a["format"])
        runs[a["id"]] = sections.highlight_runs(art, claims_by_article.get(a["id"], []), garbled.get(a["id"], []))
    non_story_edges = [e for e in data.get("edges", []) if e["kind"] != "same-story"]
    # Pairs that looked like rewrites but are one article reporting on the other (credit, dispute).
    reports = [{"edge": e, "pairs": restated_pairs(codec.from_dict(ReuseEdge, e))} for e in data.get("edges", [])
               if RESTATEMENT_KEY in (e.get("direction_evidence") or {})]
    groups = []
    for g in data.get("origin_groups", []):
        if len(g["members"]) < 2:
            continue
        members = set(g["members"])
        group_edges = [e for e in non_story_edges if e["source_id"] in members and e["derived_id"] in members]
        release = (g.get("evidence") or {}).get("press_release") or {}
        # Parent links first (the derivation tree), then the related links kept as evidence.
        origin = g["origin_id"]
        ordered = sorted(group_edges, key=lambda e: (_related(e), e["source_id"] != origin, -e["score"]))
        groups.append({**g, "edges": ordered, "n_related": sum(map(_related, group_edges)),
                       "press_release_org": release.get("organisation") if g["origin_id"] is None else None})
    # Each story's groups and flags, found through one pass over each list (in list order).
    groups_of: dict[str, list[dict[str, Any]]] = {}
    for cg in data.get("claim_groups", []):
        groups_of.setdefault(cg["story_id"], []).append(cg)
    flags_of: dict[str, list[dict[str, Any]]] = {}
    for f in data.get("flags", []):
        flags_of.setdefault(f["story_id"], []).append(f)
    stories = []
    for s in data.get("stories", []):
        timeline = sorted(s["article_ids"], key=lambda i: (arts[i]["published_at"] or arts[i]["published_date"] or "9999", i))
        stories.append({**s, "claim_groups": groups_of.get(s["id"], []), "flags": flags_of.get(s["id"], []),
                        "timeline": timeline})
    return {"articles": arts, "runs": runs, "claims": claim_by_id, "origin_groups": groups, "reports": reports,
            "stories": stories,
            "max_articles": HTML_MAX_ARTICLES}
