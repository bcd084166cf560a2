"""The HTTP API and pages through FastAPI's test client, on the fictional fixture database."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newstrace.web import create_app

from .conftest import TOKEN, FakeRunner, loopback_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}
HTML = {"Accept": "text/html"}


# --- lists and paging ---------------------------------------------------------------------------


@pytest.mark.parametrize("path, total", [
    ("/api/articles", 6), ("/api/stories", 2), ("/api/claims", 7), ("/api/claim-groups", 3),
    ("/api/entities", 4), ("/api/edges", 5), ("/api/flags", 2), ("/api/origin-groups", 3),
])
def test_every_list_pages_with_limit_and_offset(client: TestClient, path: str, total: int) -> None:
    first = client.get(path, params={"limit": 1}).json()
    assert first["total"] == total and first["limit"] == 1 and first["offset"] == 0
    assert len(first["items"]) == 1
    seen = [json.dumps(first["items"][0], sort_keys=True)]
    for offset in range(1, total):
        page = client.get(path, params={"limit": 1, "offset": offset}).json()
        seen.append(json.dumps(page["items"][0], sort_keys=True))
    assert len(set(seen)) == total  # every item once, no repeats across pages
    assert client.get(path, params={"offset": total}).json()["items"] == []


def test_story_filters(client: TestClient) -> None:
    def ids(**params: str) -> list[str]:
        return [s["id"] for s in client.get("/api/stories", params=params).json()["items"]]

    assert ids() == ["story-hessel", "story-fest"]
    assert ids(q="hessel") == ["story-hessel"]
    assert ids(q="Lindqvist Post") == ["story-fest"]  # matches a member's outlet
    assert ids(q="100%_") == []  # LIKE wildcards are literal
    assert ids(outlet="North Ledger") == ["story-hessel"]
    assert ids(flag="contradiction") == ["story-hessel"]
    assert ids(flag="embellishment") == []
    assert ids(date_from="2026-04-01") == ["story-fest"]
    assert ids(date_to="2026-03-02") == ["story-hessel"]
    assert ids(date_from="2026-03-01", date_to="2026-03-03", outlet="North Ledger", q="port") == ["story-hessel"]
    row = client.get("/api/stories", params={"q": "hessel"}).json()["items"][0]
    assert row["flag_counts"] == {"contradiction": 1, "single-origin": 1}
    assert row["size"] == 4 and "Valdmark Wire" in row["outlets"]


def test_scoped_lists(client: TestClient) -> None:
    assert client.get("/api/claims", params={"article": "art-rewrite"}).json()["total"] == 2
    assert client.get("/api/claims", params={"story": "story-fest"}).json()["total"] == 1
    anon = client.get("/api/claims", params={"source_kind": "anonymous"}).json()["items"]
    assert [c["id"] for c in anon] == ["c-rw-2"]
    assert client.get("/api/edges", params={"story": "story-hessel"}).json()["total"] == 4
    assert client.get("/api/edges", params={"story": "story-hessel", "kind": "copy"}).json()["total"] == 1
    assert client.get("/api/flags", params={"article": "art-indep"}).json()["total"] == 1
    groups = client.get("/api/claim-groups", params={"story": "story-hessel", "min_origins": 1}).json()["items"]
    closure = next(g for g in groups if g["id"] == "cg-closure")
    assert closure["n_origins"] == 1 and closure["n_articles"] == 3 and closure["n_outlets"] == 3
    assert client.get("/api/entities", params={"q": "solv"}).json()["items"][0]["canonical"] == "Ingrid Solvang"
    assert client.get("/api/origin-groups", params={"article": "art-copy"}).json()["items"][0]["id"] == "og-wire"


def test_article_and_story_details(client: TestClient) -> None:
    a = client.get("/api/articles/art-rewrite").json()
    assert a["outlet"] == "Harbour Times" and a["story_id"] == "story-hessel" and a["origin_group"] == "og-wire"
    assert a["sentences"][0]["start"] == 0
    assert {m["text"]: m["entity_id"] for m in a["mentions"]}["Ingrid Solvaag"] == "e-solvang"
    assert a["garbles"][0]["canonical"] == "Ingrid Solvang"
    assert "raw" not in a
    s = client.get("/api/stories/story-hessel").json()
    assert [x["id"] for x in s["articles"]] == ["art-wire", "art-copy", "art-rewrite", "art-indep"]
    assert {e["kind"] for e in s["edges"]} == {"copy", "rewrite", "same-story"}
    assert {f["kind"] for f in s["flags"]} == {"single-origin", "contradiction"}
    assert s["claim_groups"][0]["n_origins"] == 1


# --- errors ---------------------------------------------------------------------------------------


def test_errors_are_json_with_a_message(client: TestClient) -> None:
    r = client.get("/api/articles/nope")
    assert r.status_code == 404 and r.json() == {"error": "not-found", "message": "no article with id 'nope'"}
    r = client.get("/api/claims", params={"limit": 100000})
    assert r.status_code == 422 and r.json()["error"] == "invalid-request" and "limit" in r.json()["message"]
    r = client.get("/api/stories", params={"date_from": "yesterday"})
    assert r.status_code == 422 and "date_from" in r.json()["message"]
    assert client.get("/api/stories/none").status_code == 404
    r = client.get("/api/export/evil.sh")
    assert r.status_code == 404 and r.json()["error"] == "not-found" and "no export named 'evil.sh'" in r.json()["message"]
    assert client.get("/api/export/claims.csv", params={"story": "none"}).status_code == 404


def test_internal_error_gives_no_stack_trace(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from newstrace.web import queries

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail /home/user/db")

    monkeypatch.setattr(queries, "list_claims", boom)
    r = client.get("/api/claims")
    assert r.status_code == 500
    assert r.json()["error"] == "internal"
    assert "secret" not in r.text and "Traceback" not in r.text


def test_html_pages_show_errors_as_pages(client: TestClient) -> None:
    r = client.get("/stories/none", headers=HTML)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "no story with id" in r.text


# --- access control -------------------------------------------------------------------------------


def test_reads_only_from_loopback(web_db: Path) -> None:
    app = create_app(web_db)
    remote = TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.9", 5000))
    r = remote.get("/api/stories")
    assert r.status_code == 403 and "loopback" in r.json()["message"]
    assert remote.get("/").status_code == 403
    assert loopback_client(app).get("/api/stories").status_code == 200
    assert TestClient(app, base_url="http://127.0.0.1", client=("::1", 5000)).get("/api/stories").status_code == 200
    opened = TestClient(create_app(web_db, allow_remote_reads=True), base_url="http://news.example",
                        client=("203.0.113.9", 5000))
    assert opened.get("/api/stories").status_code == 200


def test_dns_rebinding_guard(web_db: Path) -> None:
    """A page on evil.example resolving to 127.0.0.1 must not read the local database."""
    app = create_app(web_db)
    c = TestClient(app, base_url="http://evil.example:8000", client=("127.0.0.1", 5000))
    assert c.get("/api/stories").status_code == 421
    ok = TestClient(app, base_url="http://localhost:8000", client=("127.0.0.1", 5000))
    assert ok.get("/api/stories").status_code == 200


def test_writes_need_the_token(web_db: Path, runner: FakeRunner) -> None:
    body = {"articles": [{"text": "A short fictional article about the harbour of Hessel and its dredgers."}]}
    no_token = loopback_client(create_app(web_db, runner=runner))
    r = no_token.post("/api/ingest", json=body, headers=AUTH)
    assert r.status_code == 403 and "disabled" in r.json()["message"]
    c = loopback_client(create_app(web_db, token=TOKEN, runner=runner))
    r = c.post("/api/ingest", json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert c.post("/api/ingest", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.post("/api/ingest", json=body, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert runner.calls == []


def test_ingest_json_runs_a_job(client: TestClient, runner: FakeRunner) -> None:
    body = {"articles": [{"text": "Dredgers reached Hessel on Friday, the contractor said.", "title": "Dredgers arrive",
                          "outlet": "North Ledger", "published": "2026-03-20T09:00:00+00:00"}]}
    r = client.post("/api/ingest", json=body, headers=AUTH)
    assert r.status_code == 202, r.text
    job = r.json()["job"]
    client.app.state.jobs.wait()  # type: ignore[attr-defined]
    status = client.get(r.json()["status_url"]).json()
    assert status["id"] == job["id"] and status["status"] == "done"
    assert status["progress"]["ingest:read"] == {"done": 1, "total": 1}
    [paths] = runner.calls
    record = json.loads(paths[0].read_text().splitlines()[0])
    assert record["outlet"] == "North Ledger" and record["published"].startswith("2026-03-20")


def test_ingest_files_and_pasted_text(client: TestClient, runner: FakeRunner) -> None:
    files = [("files", ("../../etc/passwd story.txt", b"Ferry news\nThe night ferry starts in June, the authority said.",
                        "text/plain")),
             ("files", ("b.html", b"<html><body><p>Another fictional item about the ferry.</p></body></html>",
                        "text/html"))]
    r = client.post("/api/ingest", files=files, data={"text": "Pasted text about the ferry timetable.",
                                                      "title": "Pasted"}, headers=AUTH)
    assert r.status_code == 202, r.text
    client.app.state.jobs.wait()  # type: ignore[attr-defined]
    [paths] = runner.calls
    assert len(paths) == 3
    root = Path(str(client.app.state.settings.db_path) + ".uploads")  # type: ignore[attr-defined]
    for p in paths:
        assert p.resolve().is_relative_to(root.resolve())  # no path traversal through the file name
    assert paths[0].name == "passwd_story.txt"


def test_ingest_rejects_bad_bodies(client: TestClient) -> None:
    r = client.post("/api/ingest", content=b"text", headers={**AUTH, "Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json()["error"] == "unsupported-media-type"
    r = client.post("/api/ingest", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["message"]
    r = client.post("/api/ingest", json={"articles": []}, headers=AUTH)
    assert r.status_code == 422
    r = client.post("/api/ingest", json={"articles": [{"title": "no text"}]}, headers=AUTH)
    assert r.status_code == 422 and "text" in r.json()["message"]
    r = client.post("/api/ingest", data={"nothing": "here"}, files=[("other", ("x", b"", "text/plain"))], headers=AUTH)
    assert r.status_code == 422


def test_upload_size_limit(client: TestClient) -> None:
    big = b"x" * (65 * 1024)
    r = client.post("/api/ingest", files=[("files", ("big.txt", big, "text/plain"))], headers=AUTH)
    assert r.status_code == 413 and r.json()["error"] == "too-large"

    def chunks() -> object:  # no Content-Length: the cap must hold while streaming
        for _ in range(70):
            yield b"y" * 1024

    r = client.post("/api/ingest", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413


def test_upload_form(client: TestClient, runner: FakeRunner) -> None:
    page = client.get("/upload", headers=HTML)
    assert page.status_code == 200 and 'name="token"' in page.text
    r = client.post("/upload", data={"token": "wrong", "text": "Some pasted text about the port."}, headers=HTML,
                    files=[("files", ("", b"", "application/octet-stream"))])
    assert r.status_code == 401 and runner.calls == []
    r = client.post("/upload", data={"token": TOKEN, "text": "Some pasted text about the port.", "outlet": "Desk"},
                    files=[("files", ("", b"", "application/octet-stream"))], headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    client.app.state.jobs.wait()  # type: ignore[attr-defined]
    job_page = client.get(r.headers["location"], headers=HTML)
    assert "done" in job_page.text


# --- pages ----------------------------------------------------------------------------------------


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/stories", "/static/app.js"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert h["x-content-type-options"] == "nosniff"


def test_stories_page_lists_and_filters(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    assert "Port of Hessel to close for dredging" in page and "/stories/story-fest" in page
    filtered = client.get("/", params={"flag": "contradiction"}, headers=HTML).text
    assert "/stories/story-hessel" in filtered and "/stories/story-fest" not in filtered
    paged = client.get("/", params={"limit": 1, "offset": 1}, headers=HTML).text
    assert "/stories/story-fest" in paged and "/stories/story-hessel" not in paged and "previous" in paged


def test_story_page_has_graph_timeline_claims_and_flags(client: TestClient) -> None:
    page = client.get("/stories/story-hessel", headers=HTML).text
    assert page.count('class="edge kind-') == 3  # same-story is not drawn as reuse
    assert 'data-panel="edge-0"' in page and 'id="edge-0"' in page
    assert "Independent origins" in page and "the port authority" in page
    assert "Six weeks (port authority) against four weeks (contractor)." in page
    assert "+1h 15m" in page  # timeline delay of the copy
    assert "/api/export/provenance.graphml?story=story-hessel" in page


def test_story_page_lists_splits_on_both_sides(client: TestClient) -> None:
    whole = client.get("/stories/story-hessel", headers=HTML).text
    part = client.get("/stories/story-fest", headers=HTML).text
    assert '<a href="/stories/story-fest">story-fest</a> split off this story' in whole
    assert 'Split off <a href="/stories/story-hessel">story-hessel</a>' in part
    assert "average similarity 0.12" in part
    events = client.get("/api/stories/story-hessel").json()["events"]
    assert [e["kind"] for e in events][0] == "split"  # newest first


def test_story_page_lists_links_on_both_sides(client: TestClient) -> None:
    """An article that came close to joining another story too relates the two: both pages
    say so, with links to the article and the other story."""
    for story in ("story-hessel", "story-fest"):
        page = client.get(f"/stories/{story}", headers=HTML).text
        assert 'Related: article <a href="/articles/art-follow">art-follow</a> of' in page
        assert '<a href="/stories/story-hessel">story-hessel</a> too; the two stories stay apart' in page
    events = client.get("/api/stories/story-hessel").json()["events"]
    assert [e["kind"] for e in events][:2] == ["split", "link"]


def test_story_page_says_which_names_a_join_below_the_cut_shares(client: TestClient) -> None:
    """A lone report joined on the specific names it shares with the story: the history says so,
    with the names (canonical, from their entity ids) and how close it came; a plain join is no
    history."""
    page = client.get("/stories/story-hessel", headers=HTML).text
    assert 'Joined below the cut: article <a href="/articles/art-indep">art-indep</a>' in page
    assert "Port of Hessel, Tomas Brandt, Baltic Silt" in page and "average similarity 0.18" in page
    assert page.count("Joined below the cut") == 1


def test_flipped_pairs_show_the_source_on_the_left(client: TestClient) -> None:
    """The copy->rewrite edge stores its pairs derived-first; the page must orient them."""
    page = client.get("/stories/story-hessel", headers=HTML).text
    panel = page[page.index('id="edge-2"'):]
    panel = panel[:panel.index("</section>")]
    left = panel.index('class="sent-a"')
    right = panel.index('class="sent-b"')
    assert left < panel.index("port authority said on Monday.") < right  # Coastline Daily wording, left
    assert right < panel.index("officials")


def test_pairs_aligned_without_vectors_show_no_cosine(client: TestClient) -> None:
    """A pair aligned on lexical overlap alone has no cosine: null in the API, absent on the page."""
    edge = next(e for e in client.get("/api/edges?story=story-hessel").json()["items"]
                if (e["source_id"], e["derived_id"]) == ("art-wire", "art-rewrite"))
    assert [p["cosine"] for p in edge["pairs"]] == [0.82, 0.77, None]
    page = client.get("/stories/story-hessel", headers=HTML).text
    assert 'title="cosine 0.82, lexical 0.77"' in page and 'title="lexical 0.65"' in page


def test_direction_evidence_names_the_article_it_describes(client: TestClient) -> None:
    page = client.get("/stories/story-hessel", headers=HTML).text
    assert "<dt>direction: garble (source)</dt><dd>0.000</dd>" in page
    assert "<dt>direction: garble (derived)</dt><dd>0.250</dd>" in page


def test_article_page_is_inert(client: TestClient) -> None:
    page = client.get("/articles/art-hostile", headers=HTML).text
    assert "<script>window" not in page and "<script>alert" not in page
    assert "&lt;script&gt;window.__pwned" in page
    assert 'href="javascript:' not in page and "<img src=x" not in page
    assert "<b>Gazette</b>" not in page
    story = client.get("/stories/story-fest", headers=HTML).text
    assert "<script>alert" not in story and "<img src=x" not in story


def test_article_page_marks_claims_entities_and_garbles(client: TestClient) -> None:
    page = client.get("/articles/art-rewrite", headers=HTML).text
    assert 'class="c-anon c-src"' in page or 'class="c-src c-anon"' in page
    assert "garble" in page and "suspected garble of Ingrid Solvang" in page
    assert "speculated" in page and "hedge cues: could" in page


# --- exports --------------------------------------------------------------------------------------


def test_exports_over_http(client: TestClient) -> None:
    r = client.get("/api/export/claims.csv", params={"story": "story-hessel"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="story-hessel-claims.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["claim_id"] for row in rows} == {"c-wire-1", "c-wire-2", "c-copy-1", "c-rw-1", "c-rw-2", "c-ind-1"}
    assert next(row for row in rows if row["claim_id"] == "c-rw-1")["n_origins"] == "1"
    g = client.get("/api/export/provenance.graphml", params={"story": "story-hessel"})
    root = ET.fromstring(g.content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 4 and len(root.findall(".//g:edge", ns)) == 3
    prov = client.get("/api/export/provenance.prov.json", params={"story": "story-hessel"}).json()
    derived = {(d["prov:generatedEntity"], d["prov:usedEntity"]) for d in prov["wasDerivedFrom"].values()}
    assert ("article:art-copy", "article:art-wire") in derived and ("article:art-rewrite", "article:art-wire") in derived
    full = client.get("/api/export/newstrace.json").json()
    assert len(full["articles"]) == 6 and full["story_id"] is None


# --- hostile-user findings (F1-F12) ----------------------------------------------------------------


def _add_records(db: Path) -> None:
    """Beside the fixture: an undated story whose one article has a date-only publication
    date, and the merge events of two retired story ids (story-older -> story-old -> hessel)."""
    from newstrace.model import Article, Story
    from newstrace.store import Store

    text = "Island Courier\nThe island ferry timetable changes in spring, the operator said on its website."
    art = Article(id="art-dateonly", text=text, source="fixture/dateonly.txt", format="text",
                  title="Ferry timetable changes", outlet="Island Courier", content_hash="art-dateonly",
                  meta={"published_date": "2026-03-02"})
    with Store(db) as store, store.transaction():
        store.add_articles([art])
        store.put_stories([Story("story-undated", ["art-dateonly"], "Ferry timetable changes", None, None)],
                          [{"kind": "open", "story": "story-undated"},
                           {"kind": "merge", "story": "story-old", "from_story": "story-older", "score": 0.4, "batch": 2},
                           {"kind": "merge", "story": "story-hessel", "from_story": "story-old", "score": 0.3,
                            "batch": 3}])


@pytest.fixture
def client2(web_db: Path, runner: FakeRunner) -> TestClient:
    _add_records(web_db)
    return loopback_client(create_app(web_db, token=TOKEN, runner=runner, max_upload_bytes=64 * 1024))


def _css_rules(css: str) -> dict[str, str]:
    """Selector -> its declarations, one entry per selector of a rule (later rules append)."""
    out: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        for sel in selectors.split(","):
            out[sel.strip()] = out.get(sel.strip(), "") + body
    return out


def test_untrusted_values_are_isolated_and_wrap(client: TestClient) -> None:
    """F1: an unclosed right-to-left override in one value must not reorder what follows it."""
    rules = _css_rules(client.get("/static/app.css").text)
    for sel in ("td", "th", "h1", "h2", "dd", "li", "svg text", ".outlet"):
        assert "unicode-bidi: isolate" in rules.get(sel, ""), sel
    for sel in ("td", "th", "h1", ".article-text"):
        assert "overflow-wrap: anywhere" in rules.get(sel, ""), sel
    page = client.get("/", headers=HTML).text  # several outlets share one cell: each is isolated
    assert '<span class="outlet">Coastline Daily</span>, <span class="outlet">Harbour Times</span>' in page


@pytest.mark.parametrize("path", ["/", "/articles", "/upload", "/stories/story-hessel", "/articles/art-wire",
                                  "/api/articles", "/api/stories/story-hessel", "/api/stats",
                                  "/api/export/claims.csv", "/api/openapi.json", "/static/app.css",
                                  "/api/articles/nope"])
def test_head_is_get_without_a_body(client: TestClient, path: str) -> None:
    """F2: HEAD answers every GET route with GET's status and headers and no body."""
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code and head.content == b""
    for name in ("content-type", "content-length", "content-security-policy"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_reuse_links_and_origin_groups_are_counted_as_in_the_report(client: TestClient, web_db: Path) -> None:
    """F3: same-story edges are not reuse; an article alone is not an origin group worth counting."""
    from newstrace.report import build_report
    from newstrace.store import Store

    stats = client.get("/api/stats").json()
    assert (stats["edges"], stats["reuse_edges"]) == (5, 4)
    assert (stats["origin_groups"], stats["multi_article_origin_groups"]) == (3, 2)
    with Store(web_db) as store:
        summary = build_report(store)["summary"]
    assert (summary["reuse_edges"], summary["origin_groups"]) == (4, 2)
    home = client.get("/", headers=HTML).text
    assert "<b>4</b> reuse links" in home and "<b>2</b> origin groups of 2+ articles" in home
    story = client.get("/stories/story-hessel", headers=HTML).text  # og-wire (3) counts, og-ledger (1) not
    assert "<b>1</b> origin groups of 2+ articles" in story and "<b>3</b> reuse links" in story
    doc = client.get("/api/openapi.json").json()["paths"]["/api/stats"]["get"]
    assert {"200", "403", "421"} <= set(doc["responses"])
    ref = doc["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    props = client.get("/api/openapi.json").json()["components"]["schemas"][ref]["properties"]
    assert "same-story" in props["reuse_edges"]["description"] and "multi_article_origin_groups" in props


def test_a_page_past_the_end_says_so(client: TestClient) -> None:
    """F4: past the last page, the list says how many there are and links back."""
    page = client.get("/", params={"offset": 25}, headers=HTML).text
    assert "The database is empty" not in page
    assert "No stories on this page (2 in all)" in page and 'href="/?limit=25&amp;offset=0"' in page
    page = client.get("/", params={"q": "hessel", "offset": 25}, headers=HTML).text
    assert "No stories on this page (1 in all)" in page and 'href="/?q=hessel&amp;limit=25&amp;offset=0"' in page
    page = client.get("/articles", params={"offset": 1000}, headers=HTML).text
    assert "No articles on this page (6 in all)" in page and 'href="/articles?limit=50&amp;offset=0"' in page


@pytest.mark.parametrize("path", ["/api/articles", "/api/stories", "/api/entities"])
def test_control_characters_in_a_search_are_ignored(client: TestClient, path: str) -> None:
    """F5: SQLite reads a LIKE pattern as a C string, so a NUL cut the pattern to ``%``."""
    def total(q: str) -> int:
        return int(client.get(path, params={"q": q}).json()["total"])

    assert total("\x00zzqx") == total("zzqx") == 0
    assert total("hes\x00sel\x1f") == total("hessel") or path == "/api/entities"
    assert total("solv\x00") == total("solv")


def test_date_filters_leave_out_stories_of_unknown_date(client2: TestClient) -> None:
    """F6: a story with no known date is in no date range."""
    def ids(**params: str) -> list[str]:
        return [s["id"] for s in client2.get("/api/stories", params=params).json()["items"]]

    assert "story-undated" in ids()
    assert ids(date_from="2030-01-01") == [] and ids(date_to="2000-01-01") == []
    assert ids(date_from="2026-03-01") == ["story-hessel", "story-fest"]
    page = client2.get("/", params={"date_from": "2030-01-01"}, headers=HTML).text
    assert "No story matches these filters." in page


def test_a_date_only_publication_date_is_shown(client2: TestClient) -> None:
    """F7: where there is no instant, the date-only ``published_date`` is shown, as in report.html."""
    item = client2.get("/api/articles", params={"q": "Island Courier"}).json()["items"][0]
    assert item["published_at"] is None and item["published_date"] == "2026-03-02"
    listing = client2.get("/articles", params={"q": "Island Courier"}, headers=HTML).text
    assert "<td>2026-03-02</td>" in listing and "date unknown" not in listing
    story = client2.get("/stories/story-undated", headers=HTML).text
    assert '<text class="when" x="4" y="34">2026-03-02</text>' in story
    assert '<text class="node-sub"' in story and ">2026-03-02</text>" in story and "date unknown" not in story


def test_guard_errors_answer_a_browser_with_a_page(client: TestClient, web_db: Path) -> None:
    """F10: a browser's oversized upload gets an HTML page; scripts still get JSON."""
    big = b"x" * (65 * 1024)
    r = client.post("/upload", data={"token": TOKEN}, files=[("files", ("big.txt", big, "text/plain"))],
                    headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "<h1>413</h1>" in r.text and "larger than the limit" in r.text
    assert "content-security-policy" in r.headers
    r = client.post("/upload", data={"token": TOKEN}, files=[("files", ("big.txt", big, "text/plain"))])
    assert r.status_code == 413 and r.json()["error"] == "too-large"
    r = client.post("/api/ingest", files=[("files", ("big.txt", big, "text/plain"))], headers={**AUTH, **HTML})
    assert r.status_code == 413 and r.json()["error"] == "too-large"  # the API always answers JSON
    rebind = TestClient(create_app(web_db), base_url="http://evil.example", client=("127.0.0.1", 5000))
    r = rebind.get("/", headers=HTML)
    assert r.status_code == 421 and r.headers["content-type"].startswith("text/html")
    assert "evil.example" not in r.text  # nothing of the request is echoed


def test_json_and_multipart_ingest_refuse_the_same_bodies(client: TestClient, runner: FakeRunner) -> None:
    """F11: whitespace-only text, a truncated multipart body, and where a JSON error is."""
    r = client.post("/api/ingest", json={"articles": [{"text": " \n\t "}]}, headers=AUTH)
    assert r.status_code == 422 and r.json()["message"].startswith("body.articles.0.text: ")
    r = client.post("/api/ingest", data={"text": "  "}, files=[("other", ("x", b"", "text/plain"))], headers=AUTH)
    assert r.status_code == 422
    r = client.post("/api/ingest", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["message"].startswith("body: ")
    truncated = b'--XX\r\nContent-Disposition: form-data; name="text"\r\n\r\nA pasted article about the ferry.'
    r = client.post("/api/ingest", content=truncated,
                    headers={**AUTH, "Content-Type": "multipart/form-data; boundary=XX"})
    assert r.status_code == 400 and "malformed multipart body" in r.json()["message"]
    r = client.post("/api/ingest", content=truncated + b"\r\n--XX--\r\n",
                    headers={**AUTH, "Content-Type": "multipart/form-data; boundary=XX"})
    assert r.status_code == 202, r.text
    client.app.state.jobs.wait()  # type: ignore[attr-defined]
    assert len(runner.calls) == 1  # only the complete body ran a job


def test_claim_groups_carry_the_same_fields_everywhere(client: TestClient) -> None:
    """F12: /api/claim-groups, /api/stories/{id} and newstrace.json agree on a group's fields."""
    def by_id(groups: list[dict]) -> dict[str, dict]:
        return {g["id"]: g for g in groups}

    listed = by_id(client.get("/api/claim-groups", params={"story": "story-hessel"}).json()["items"])
    in_story = by_id(client.get("/api/stories/story-hessel").json()["claim_groups"])
    exported = by_id([g for g in client.get("/api/export/newstrace.json").json()["claim_groups"]
                      if g["story_id"] == "story-hessel"])
    assert listed == in_story == exported
    assert (listed["cg-closure"]["n_articles"], listed["cg-closure"]["n_origins"],
            listed["cg-closure"]["n_outlets"]) == (3, 1, 3)


def test_a_merged_story_id_leads_to_the_story_that_absorbed_it(client2: TestClient) -> None:
    """F12: story ids are stable; a merge retires one, and the old id still finds its articles."""
    for old in ("story-old", "story-older"):  # story-older -> story-old -> story-hessel
        r = client2.get(f"/stories/{old}", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/stories/story-hessel"
        r = client2.get(f"/api/stories/{old}")
        assert r.status_code == 404 and r.json()["merged_into"] == "story-hessel"
        assert "merged into 'story-hessel'" in r.json()["message"]
    r = client2.get("/api/export/claims.csv", params={"story": "story-old"})
    assert r.status_code == 404 and r.json()["merged_into"] == "story-hessel"
    r = client2.get("/api/stories/story-nope")
    assert r.status_code == 404 and "merged_into" not in r.json()
    assert client2.get("/stories/story-nope", headers=HTML, follow_redirects=False).status_code == 404
