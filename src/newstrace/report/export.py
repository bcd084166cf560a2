"""Exports for other tools: JSON, CSV (claims, edges), GraphML and W3C PROV-JSON.

Why these four: JSON is the lossless dump for scripts; CSV is what a newsroom opens in a
spreadsheet; GraphML opens the provenance graph in Gephi or yEd; PROV-JSON states the
derivation chain in the W3C vocabulary that archives and provenance tools already read
(``prov:wasDerivedFrom`` between articles typed ``prov:Entity``).

Every export can cover the whole database or one story (``story_id``); the same functions
back ``newstrace export``, the web UI's download links and ``/api/export/...``. Article text
is untrusted: CSV cells that a spreadsheet would run as a formula are prefixed with ``'`` and
every CSV field is quoted, and characters XML 1.0 cannot hold are dropped from GraphML.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newstrace import __version__, codec
from newstrace.model import Article, Claim, ClaimGroup, Entity, Flag, OriginGroup, ReuseEdge, Story
from newstrace.report.sections import claim_group_record
from newstrace.store import Store

#: Bump the minor version for added keys, the major one for changed or removed keys.
#: 1.1: claim groups carry ``n_outlets`` too, as in report.json and the HTTP API.
EXPORT_SCHEMA_VERSION = "1.1"

#: Format name -> the files it writes.
FORMATS: dict[str, tuple[str, ...]] = {
    "json": ("newstrace.json",),
    "csv": ("claims.csv", "edges.csv"),
    "graphml": ("provenance.graphml",),
    "prov": ("provenance.prov.json",),
}

#: Edge kinds that mean one article was made from another's text (``same-story`` does not).
DERIVATION_KINDS = ("copy", "edit", "rewrite")
REUSE_KINDS = ("copy", "edit", "rewrite", "shared-source")

#: PROV-DM derivation subtypes: a verbatim copy quotes its source, an edit or rewrite revises it.
_PROV_TYPE = {"copy": "prov:Quotation", "edit": "prov:Revision", "rewrite": "prov:Revision"}

_XML_BAD = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _qname(name: str) -> dict[str, str]:
    """A qualified name as a PROV-JSON value. A plain JSON string is an ``xsd:string`` literal,
    so ``"prov:type": "prov:Revision"`` would say "a string that looks like prov:Revision";
    typed as ``prov:QUALIFIED_NAME``, PROV tools read it as the subtype it names."""
    return {"$": name, "type": "prov:QUALIFIED_NAME"}


@dataclass
class Scope:
    """The records one export covers: the whole database, or one story's articles and what
    lies between them (edges with both ends inside, their claims, groups and flags)."""

    articles: list[Article]
    edges: list[ReuseEdge]
    origin_of: dict[str, str]
    origin_groups: list[OriginGroup]
    claims: list[Claim]
    claim_groups: list[ClaimGroup]
    flags: list[Flag]
    stories: list[Story]
    story_of: dict[str, str]
    entities: list[Entity] = field(default_factory=list)
    story_id: str | None = None


def load_scope(store: Store, story_id: str | None = None) -> Scope:
    """Gather the records of one story (``KeyError`` when it does not exist) or of everything."""
    if story_id is None:
        articles = list(store.articles())
        return Scope(articles=articles, edges=store.edges(), origin_of=store.origin_of(),
                     origin_groups=store.origin_groups(), claims=store.claims(),
                     claim_groups=store.claim_groups(), flags=store.flags(), stories=store.stories(),
                     story_of=store.story_of(), entities=store.entities())
    found = store.stories([story_id])
    if not found:
        raise KeyError(story_id)
    st = found[0]
    ids = set(st.article_ids)
    articles = list(store.articles(st.article_ids))
    edges: dict[tuple[str, str], ReuseEdge] = {}
    for aid in st.article_ids:
        for e in store.edges(aid):
            if e.source_id in ids and e.derived_id in ids:
                edges[tuple(sorted((e.source_id, e.derived_id)))] = e  # type: ignore[index]
    conn = store.conn
    origin_of: dict[str, str] = {}
    for aid in st.article_ids:
        row = conn.execute("SELECT group_id FROM article_origin WHERE article_id = ?", (aid,)).fetchone()
        if row:
            origin_of[aid] = row[0]
    groups = store.origin_groups(sorted(set(origin_of.values())))
    claims = [c for aid in st.article_ids for c in store.claims(aid)]
    return Scope(articles=articles, edges=sorted(edges.values(), key=lambda e: (e.source_id, e.derived_id)),
                 origin_of=origin_of, origin_groups=groups, claims=claims,
                 claim_groups=store.claim_groups(story_id), flags=store.flags(story_id=story_id),
                 stories=[st], story_of={a: st.id for a in st.article_ids}, story_id=story_id)


# --- JSON ----------------------------------------------------------------------------------------


def to_json(scope: Scope) -> dict[str, Any]:
    """Everything in the scope as plain JSON data (records as in ``newstrace.model``, no raw bytes)."""
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "generator": {"name": "newstrace", "version": __version__},
        "generated_at": _now(),
        "story_id": scope.story_id,
        "articles": [codec.to_dict(a) for a in scope.articles],
        "stories": [codec.to_dict(s) for s in scope.stories],
        "edges": [codec.to_dict(e) for e in scope.edges],
        "origin_groups": [codec.to_dict(g) for g in scope.origin_groups],
        "claims": [codec.to_dict(c) for c in scope.claims],
        "claim_groups": [claim_group_record(g) for g in scope.claim_groups],
        "flags": [codec.to_dict(f) for f in scope.flags],
        "entities": [codec.to_dict(e) for e in scope.entities],
    }


def json_text(scope: Scope) -> str:
    return json.dumps(to_json(scope), ensure_ascii=False, indent=1)


# --- CSV -----------------------------------------------------------------------------------------

CLAIM_COLUMNS = ("claim_id", "article_id", "outlet", "published_at", "story_id", "origin_group",
                 "claim_group", "n_origins", "sentence_index", "source", "source_kind", "source_entity",
                 "cue", "content", "is_direct_quote", "hedge", "hedge_cues", "content_start", "content_end",
                 "method")
EDGE_COLUMNS = ("source_id", "derived_id", "kind", "score", "directed", "rule", "n_pairs", "source_outlet",
                "derived_outlet", "source_origin_group", "derived_origin_group", "direction_evidence")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a leading = + - @ (or tab/CR) would make Excel and
    LibreOffice evaluate untrusted article text as a formula, so it gets a ``'`` in front."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    text = str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Every field quoted: a spreadsheet whose locale separates fields with ``;`` (de, fr, it,
    pl, ...) would cut an unquoted ``Daily Planet;=cmd|...`` into a new cell that starts with
    ``=`` and runs as a formula; inside quotes the ``;`` stays text in any locale."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()


def claims_csv(scope: Scope) -> str:
    """One row per claim, with the claim group and independent-origin count it belongs to."""
    arts = {a.id: a for a in scope.articles}
    group_of: dict[str, ClaimGroup] = {}
    for g in scope.claim_groups:
        for cid in g.claim_ids:
            group_of[cid] = g

    def rows() -> Iterable[Sequence[Any]]:
        for c in scope.claims:
            a = arts.get(c.article_id)
            g = group_of.get(c.id)
            yield (c.id, c.article_id, a.outlet if a else None,
                   a.published_at.isoformat() if a and a.published_at else None,
                   scope.story_of.get(c.article_id), scope.origin_of.get(c.article_id),
                   g.id if g else None, g.n_origins if g else None, c.sentence_index,
                   c.source.text if c.source else None, c.source_kind, c.source_entity,
                   c.cue.text if c.cue else None, c.content.text, c.is_direct_quote, c.hedge,
                   "; ".join(h.text for h in c.hedge_cues), c.content.start, c.content.end, c.method)

    return _write_csv(CLAIM_COLUMNS, rows())


def edges_csv(scope: Scope) -> str:
    arts = {a.id: a for a in scope.articles}

    def rows() -> Iterable[Sequence[Any]]:
        for e in scope.edges:
            s, d = arts.get(e.source_id), arts.get(e.derived_id)
            yield (e.source_id, e.derived_id, e.kind, float(e.score), bool(e.directed), e.rule, len(e.pairs),
                   s.outlet if s else None, d.outlet if d else None, scope.origin_of.get(e.source_id),
                   scope.origin_of.get(e.derived_id),
                   json.dumps(codec.to_dict(e.direction_evidence), sort_keys=True) if e.direction_evidence else "")

    return _write_csv(EDGE_COLUMNS, rows())


# --- GraphML -------------------------------------------------------------------------------------

_NODE_KEYS = (("label", "string"), ("title", "string"), ("outlet", "string"), ("url", "string"),
              ("published_at", "string"), ("origin_group", "string"), ("is_origin", "boolean"),
              ("story", "string"))
_EDGE_KEYS = (("kind", "string"), ("score", "double"), ("weight", "double"), ("rule", "string"),
              ("n_pairs", "int"), ("directed_evidence", "boolean"))


def _xml(text: Any) -> str:
    return _XML_BAD.sub("", str(text))


def graphml(scope: Scope, *, include_same_story: bool = False) -> str:
    """The provenance graph as GraphML: nodes are articles, edges point from source to derived.

    Undirected findings (``shared-source``, or reuse whose direction the evidence could not
    settle) carry ``directed="false"`` on the edge, which Gephi and yEd honour in a directed graph.
    """
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", {"xmlns": ns})
    for i, (name, typ) in enumerate(_NODE_KEYS):
        ET.SubElement(root, "key", {"id": f"n{i}", "for": "node", "attr.name": name, "attr.type": typ})
    for i, (name, typ) in enumerate(_EDGE_KEYS):
        ET.SubElement(root, "key", {"id": f"e{i}", "for": "edge", "attr.name": name, "attr.type": typ})
    graph = ET.SubElement(root, "graph", {"id": scope.story_id or "newstrace", "edgedefault": "directed"})
    origin_ids = {g.origin_id for g in scope.origin_groups if g.origin_id}
    for a in scope.articles:
        node = ET.SubElement(graph, "node", {"id": _xml(a.id)})
        values = (a.outlet or a.title or a.id, a.title or "", a.outlet or "", a.url or "",
                  a.published_at.isoformat() if a.published_at else "", scope.origin_of.get(a.id, ""),
                  "true" if a.id in origin_ids else "false", scope.story_of.get(a.id, ""))
        for i, v in enumerate(values):
            ET.SubElement(node, "data", {"key": f"n{i}"}).text = _xml(v)
    known = {a.id for a in scope.articles}
    for n, e in enumerate(scope.edges):
        if e.source_id not in known or e.derived_id not in known:
            continue
        if e.kind == "same-story" and not include_same_story:
            continue
        edge = ET.SubElement(graph, "edge", {"id": f"e{n}", "source": _xml(e.source_id),
                                             "target": _xml(e.derived_id),
                                             "directed": "true" if e.directed else "false"})
        values = (e.kind, f"{float(e.score):.4f}", f"{float(e.score):.4f}", e.rule, str(len(e.pairs)),
                  "true" if e.directed else "false")
        for i, v in enumerate(values):
            ET.SubElement(edge, "data", {"key": f"e{i}"}).text = _xml(v)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- W3C PROV-JSON -------------------------------------------------------------------------------


def prov_json(scope: Scope) -> dict[str, Any]:
    """The derivation chain in PROV-JSON (https://www.w3.org/submissions/prov-json/).

    Articles are ``prov:Entity``; each directed copy/edit/rewrite edge is a
    ``wasDerivedFrom`` (typed ``prov:Quotation`` or ``prov:Revision``) from the derived article
    to its source. An origin group whose origin is not in the corpus gets an entity of its own,
    ``nt:UnseenOrigin``, that its members were derived from: the evidence says they share a
    source, not which article it was. Reuse whose direction is unsettled cannot be a derivation
    (PROV has no undirected one), so it is listed in the note entity ``nt:undirectedReuse``.
    Every ``prov:type`` value is a typed qualified name (``{"$": "prov:Revision", "type":
    "prov:QUALIFIED_NAME"}``), as PROV-JSON requires for one.
    """
    doc: dict[str, Any] = {
        "prefix": {"nt": "https://newstrace.invalid/ns#", "article": "urn:newstrace:article:",
                   "origin": "urn:newstrace:origin:"},
        "entity": {},
        "wasDerivedFrom": {},
        "agent": {"nt:newstrace": {"prov:type": _qname("prov:SoftwareAgent"), "nt:version": __version__}},
    }
    for a in scope.articles:
        ent: dict[str, Any] = {"prov:type": _qname("nt:Article")}
        if a.title:
            ent["prov:label"] = a.title
        if a.outlet:
            ent["nt:outlet"] = a.outlet
        if a.url:
            ent["prov:location"] = {"$": a.url, "type": "xsd:anyURI"}
        if a.published_at:
            ent["nt:publishedAt"] = {"$": a.published_at.isoformat(), "type": "xsd:dateTime"}
        if a.id in scope.origin_of:
            ent["nt:originGroup"] = scope.origin_of[a.id]
        doc["entity"][f"article:{a.id}"] = ent
    known = {a.id for a in scope.articles}
    undirected = []
    n = 0
    for e in scope.edges:
        if e.kind not in REUSE_KINDS or e.source_id not in known or e.derived_id not in known:
            continue
        if e.directed and e.kind in DERIVATION_KINDS:
            n += 1
            doc["wasDerivedFrom"][f"_:d{n}"] = {
                "prov:generatedEntity": f"article:{e.derived_id}",
                "prov:usedEntity": f"article:{e.source_id}",
                "prov:type": _qname(_PROV_TYPE[e.kind]),
                "nt:kind": e.kind,
                "nt:score": {"$": round(float(e.score), 4), "type": "xsd:double"},
                "nt:rule": e.rule,
            }
        else:
            undirected.append({"a": f"article:{e.source_id}", "b": f"article:{e.derived_id}", "kind": e.kind,
                               "score": round(float(e.score), 4)})
    for g in scope.origin_groups:
        members = [m for m in g.members if m in known]
        if g.origin_id is None and len(members) >= 2:
            doc["entity"][f"origin:{g.id}"] = {"prov:type": _qname("nt:UnseenOrigin"),
                                               "prov:label": "source shared by the group, not in the corpus"}
            for m in members:
                n += 1
                doc["wasDerivedFrom"][f"_:d{n}"] = {"prov:generatedEntity": f"article:{m}",
                                                    "prov:usedEntity": f"origin:{g.id}",
                                                    "nt:kind": "shared-source"}
    if undirected:
        doc["entity"]["nt:undirectedReuse"] = {"prov:type": _qname("nt:Note"),
                                               "nt:pairs": json.dumps(undirected, sort_keys=True)}
    return doc


def prov_text(scope: Scope) -> str:
    return json.dumps(prov_json(scope), ensure_ascii=False, indent=1)


# --- files ---------------------------------------------------------------------------------------


def render(scope: Scope, name: str) -> str:
    """The text of one export file (a name from ``FORMATS``'s values)."""
    renderers = {"newstrace.json": json_text, "claims.csv": claims_csv, "edges.csv": edges_csv,
                 "provenance.graphml": graphml, "provenance.prov.json": prov_text}
    if name not in renderers:
        raise ValueError(f"unknown export file {name!r}; known: {', '.join(sorted(renderers))}")
    return renderers[name](scope)


def write_exports(store: Store, out_dir: str | Path, formats: Iterable[str] = tuple(FORMATS),
                  *, story_id: str | None = None) -> dict[str, Path]:
    """Write the chosen formats (``json``, ``csv``, ``graphml``, ``prov``) into ``out_dir``.

    Returns file name -> path. Each file is written to a temporary name and renamed, so a reader
    never sees half an export. ``ValueError`` for an unknown format, ``KeyError`` for an
    unknown story.
    """
    chosen = list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown export format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    scope = load_scope(store, story_id)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt in chosen:
        for name in FORMATS[fmt]:
            path = out / name
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(render(scope, name), encoding="utf-8")
            tmp.replace(path)
            written[name] = path
    return written


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
