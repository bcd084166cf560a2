"""Exports (``newstrace.report.export``): JSON, CSV, GraphML and PROV-JSON files."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from newstrace.report.export import FORMATS, claims_csv, edges_csv, graphml, load_scope, prov_json, write_exports
from newstrace.store import Store

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def test_write_exports_writes_every_format(web_db: Path, tmp_path: Path) -> None:
    with Store(web_db) as store:
        written = write_exports(store, tmp_path / "out", FORMATS)
    assert sorted(written) == sorted(n for names in FORMATS.values() for n in names)
    data = json.loads(written["newstrace.json"].read_text())
    assert data["schema_version"] == "1.1" and len(data["articles"]) == 6
    assert all("raw" not in a for a in data["articles"])
    edges = list(csv.DictReader(io.StringIO(written["edges.csv"].read_text())))
    copy = next(e for e in edges if e["kind"] == "copy")
    assert (copy["source_id"], copy["derived_id"], copy["directed"]) == ("art-wire", "art-copy", "true")
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_story_scope(web_db: Path, tmp_path: Path) -> None:
    with Store(web_db) as store:
        scope = load_scope(store, "story-fest")
        assert {a.id for a in scope.articles} == {"art-hostile", "art-follow"}
        assert [e.kind for e in scope.edges] == ["edit"]
        with pytest.raises(KeyError):
            load_scope(store, "no-such-story")
        with pytest.raises(ValueError, match="unknown export format"):
            write_exports(store, tmp_path, ["json", "pdf"])


def test_csv_cells_cannot_become_spreadsheet_formulas(web_db: Path) -> None:
    with Store(web_db) as store:
        scope = load_scope(store, "story-hessel")
    claim = scope.claims[0]
    evil = replace(claim, content=replace(claim.content, text='=HYPERLINK("http://evil.example","x")'))
    scope.claims = [evil]
    row = next(csv.DictReader(io.StringIO(claims_csv(scope))))
    assert row["content"].startswith("'=HYPERLINK")


def test_graphml_is_valid_xml_even_with_control_characters(web_db: Path) -> None:
    with Store(web_db) as store:
        scope = load_scope(store)
    scope.articles[0] = replace(scope.articles[0], title="bad \x00\x07 title <&>")
    root = ET.fromstring(graphml(scope).encode())
    graph = root.find("g:graph", NS)
    assert graph is not None and graph.get("edgedefault") == "directed"
    nodes = {n.get("id") for n in root.findall(".//g:node", NS)}
    assert len(nodes) == 6
    edges = root.findall(".//g:edge", NS)
    assert {e.get("directed") for e in edges} == {"true", "false"}
    assert all(e.get("source") in nodes and e.get("target") in nodes for e in edges)
    assert "bad  title <&>" in [d.text for d in root.iter("{%s}data" % NS["g"])]


def test_prov_json_states_the_derivation_chain(web_db: Path) -> None:
    with Store(web_db) as store:
        doc = prov_json(load_scope(store))
    assert doc["entity"]["article:art-wire"]["prov:type"] == {"$": "nt:Article", "type": "prov:QUALIFIED_NAME"}
    assert doc["entity"]["article:art-wire"]["nt:publishedAt"]["type"] == "xsd:dateTime"
    derivations = list(doc["wasDerivedFrom"].values())
    copy = next(d for d in derivations if d.get("nt:kind") == "copy")
    assert copy["prov:generatedEntity"] == "article:art-copy" and copy["prov:usedEntity"] == "article:art-wire"
    assert copy["prov:type"] == {"$": "prov:Quotation", "type": "prov:QUALIFIED_NAME"}
    # The festival group's origin is not in the corpus: its members derive from an unseen origin.
    assert doc["entity"]["origin:og-fest"]["prov:type"] == {"$": "nt:UnseenOrigin", "type": "prov:QUALIFIED_NAME"}
    assert {d["prov:generatedEntity"] for d in derivations if d["prov:usedEntity"] == "origin:og-fest"} == {
        "article:art-hostile", "article:art-follow"}
    # The undirected copy/rewrite pair is not presented as a derivation.
    assert not any(d["prov:generatedEntity"] == "article:art-rewrite" and d["prov:usedEntity"] == "article:art-copy"
                   for d in derivations)
    json.dumps(doc)


def _split_outside_quotes(line: str, sep: str) -> list[str]:
    """Cells as a spreadsheet in a ``;`` locale cuts a line: at ``sep`` outside quoted text."""
    cells, cell, quoted = [], "", False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            cells.append(cell)
            cell = ""
            continue
        cell += ch
    return [*cells, cell]


def test_csv_quotes_every_field_so_no_separator_starts_a_formula(web_db: Path) -> None:
    """F8: a spreadsheet splitting on ``;`` must not find a cell that starts with ``=``."""
    outlet = "Daily Planet;=cmd|' /C calc'!A0"
    with Store(web_db) as store:
        scope = load_scope(store, "story-hessel")
    scope.articles = [replace(a, outlet=outlet) if a.id == "art-copy" else a for a in scope.articles]
    for text in (claims_csv(scope), edges_csv(scope)):
        assert f'"{outlet}"' in text
        for line in text.splitlines():
            assert line.startswith('"') and line.endswith('"')  # every field quoted, header included
        for line in text.splitlines():
            assert not any(cell.lstrip().startswith(("=", "+", "@")) for cell in _split_outside_quotes(line, ";"))
    rows = list(csv.DictReader(io.StringIO(claims_csv(scope))))
    assert next(r for r in rows if r["article_id"] == "art-copy")["outlet"] == outlet
    scope.articles = [replace(a, outlet="=cmd|x") if a.id == "art-copy" else a for a in scope.articles]
    rows = list(csv.DictReader(io.StringIO(claims_csv(scope))))
    assert next(r for r in rows if r["article_id"] == "art-copy")["outlet"] == "'=cmd|x"  # the prefix stays


def test_prov_json_types_are_qualified_names(web_db: Path) -> None:
    """F13: a plain string is an xsd:string literal in PROV-JSON; a type must be a qualified name."""
    with Store(web_db) as store:
        doc = prov_json(load_scope(store))
    records = [*doc["entity"].values(), *doc["agent"].values(), *doc["wasDerivedFrom"].values()]
    types = [r["prov:type"] for r in records if "prov:type" in r]
    assert types and all(t.keys() == {"$", "type"} and t["type"] == "prov:QUALIFIED_NAME" for t in types)
    assert doc["agent"]["nt:newstrace"]["prov:type"]["$"] == "prov:SoftwareAgent"
    assert {d["prov:type"]["$"] for d in doc["wasDerivedFrom"].values() if "prov:type" in d} == {
        "prov:Quotation", "prov:Revision"}
