"""The FastAPI application: server-rendered pages, the JSON API, exports and ingestion jobs.

Security model, because article text is untrusted and the database may be confidential:

* Reads answer only clients on loopback (and only requests whose Host header names loopback,
  which stops a web page from reaching the server through DNS rebinding) unless
  ``allow_remote_reads`` is set.
* Writes (``POST /api/ingest``, the upload form) need the bearer token; with no token
  configured they are disabled. The upload form sends the token as a field, so a page on
  another site cannot post to it (it does not know the token).
* Templates autoescape everything; article URLs become links only for http(s); a strict
  Content-Security-Policy allows scripts, styles and fetches from this origin only, so even
  an escaping bug could not run injected script.
* Request bodies are capped (``max_upload_bytes``); errors are JSON ``{"error", "message"}``
  (HTML pages for browsers), never a stack trace.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import threading
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from html import escape as html_escape
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, ValidationError
from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from newstrace import __version__, codec
from newstrace.errors import DatabaseError
from newstrace.model import restated_pairs
from newstrace.report import export
from newstrace.report.sections import claim_group_record
from newstrace.store import Store
from newstrace.web import queries as Q
from newstrace.web import views as V
from newstrace.web.jobs import JobManager, Runner

log = logging.getLogger("newstrace.web")

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_LIMIT = 500
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
EXPORT_TYPES = {
    "newstrace.json": "application/json",
    "claims.csv": "text/csv; charset=utf-8",
    "edges.csv": "text/csv; charset=utf-8",
    "provenance.graphml": "application/graphml+xml",
    "provenance.prov.json": "application/json",
}


# --- settings, per-thread store --------------------------------------------------------------------


class Settings:
    def __init__(self, db_path: str, token: str | None, allow_remote_reads: bool, max_upload_bytes: int,
                 allowed_hosts: Sequence[str]) -> None:
        self.db_path = db_path
        self.token = token or None
        self.allow_remote_reads = allow_remote_reads
        self.max_upload_bytes = max_upload_bytes
        self.allowed_hosts = LOOPBACK_NAMES | {h.lower() for h in allowed_hosts}
        self._local = threading.local()

    def store(self) -> Store:
        """One Store per worker thread: SQLite connections are bound to their thread, and
        opening one per request would cost a schema check each time."""
        st = getattr(self._local, "store", None)
        if st is None:
            st = Store(self.db_path, create=False)
            self._local.store = st
        return st


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _host_name(headers: list[tuple[bytes, bytes]]) -> str:
    for k, v in headers:
        if k == b"host":
            host = v.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host[1:].split("]", 1)[0]
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""


class NotFound(HTTPException):
    """A 404 whose JSON answer carries more than the message: ``extra`` is added to the body
    (a merged-away story names the story that absorbed it as ``merged_into``)."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(404, message)
        self.extra = extra or {}


def _error_body(status: int, message: str) -> dict[str, Any]:
    slugs = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
             409: "conflict", 413: "too-large", 415: "unsupported-media-type", 421: "misdirected-request",
             422: "invalid-request", 503: "unavailable"}
    return {"error": slugs.get(status, "error" if status < 500 else "internal"), "message": message}


def _prefers_html(path: str, accept: str) -> bool:
    """Whether an error should be an HTML page: a browser's request for a page (its Accept
    header ranks text/html at least as high as JSON). ``/api/`` paths always answer JSON, as
    scripts read them whatever they send."""
    if path.startswith("/api/"):
        return False
    ranks: dict[str, float] = {}
    for item in accept.lower().split(","):
        kind, *params = (p.strip() for p in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranks[kind] = max(ranks.get(kind, 0.0), q)
    html = ranks.get("text/html", 0.0)
    return html > 0 and html >= ranks.get("application/json", 0.0)


def _header(scope: dict[str, Any], name: bytes) -> str:
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return ""


def _without_body(send: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """``send`` for a HEAD request answered as GET: the status and headers (content-length
    included) go out as they are, the body does not."""

    async def send_head(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_head


class Guard:
    """Pure ASGI middleware: loopback and Host checks, the body cap, security headers, HEAD.

    Pure ASGI (not ``BaseHTTPMiddleware``) so the body cap also holds for chunked uploads with
    no Content-Length: ``receive`` is wrapped and counts. HEAD is served here, as GET without
    the body, for every route: FastAPI's GET routes do not answer HEAD themselves, and link
    checkers, ``curl -I`` and monitoring probes send it (RFC 9110 requires it).
    """

    def __init__(self, app: Callable[..., Awaitable[None]], settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Awaitable[Any]],
                       send: Callable[..., Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        if scope.get("method") == "HEAD":
            scope = {**scope, "method": "GET"}
            send_secure = _without_body(send_secure)
        html = _prefers_html(scope.get("path", ""), _header(scope, b"accept"))

        async def refuse(status: int, message: str) -> None:
            await _send_error(send_secure, status, message, html)

        s = self.settings
        if not s.allow_remote_reads:
            client = scope.get("client")
            if not _is_loopback(client[0] if client else None):
                await refuse(403, "this server answers only clients on loopback; start it with "
                                  "remote reads allowed to serve other machines")
                return
            if _host_name(scope.get("headers", [])) not in s.allowed_hosts:
                await refuse(421, "unexpected Host header: this server answers requests for "
                                  "localhost / 127.0.0.1 only")
                return
        limit = s.max_upload_bytes
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    declared = int(v)
                except ValueError:
                    await refuse(400, "invalid Content-Length header")
                    return
                if declared > limit:
                    await refuse(413, f"request body larger than the limit of {limit} bytes")
                    return
        seen = 0

        async def counted_receive() -> Any:
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"request body larger than the limit of {limit} bytes")
            return message

        await self.app(scope, counted_receive, send_secure)


#: The Guard's answer to a browser. Static apart from the status and the Guard's own message
#: (which never holds request data): the Guard answers before the templates' app runs.
_GUARD_PAGE = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Error {status} · newstrace</title>'
               '<link rel="stylesheet" href="/static/app.css"></head>\n<body><main><h1>{status}</h1>'
               '<p class="error-msg">{message}</p><p><a href="/">Back to the stories</a></p></main></body></html>\n')


async def _send_error(send: Callable[..., Awaitable[None]], status: int, message: str, html: bool) -> None:
    """An error the Guard answers itself: a small HTML page for a browser, JSON otherwise."""
    if html:
        body = _GUARD_PAGE.format(status=status, message=html_escape(message)).encode()
        ctype = b"text/html; charset=utf-8"
    else:
        body = JSONResponse(_error_body(status, message)).body
        ctype = b"application/json"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# --- API models -----------------------------------------------------------------------------------


class ErrorModel(BaseModel):
    """Every 4xx/5xx answer: a stable code and a sentence a person can act on."""

    error: str
    message: str


class Page(BaseModel):
    """One page of a list: ``items`` from ``offset``, ``total`` matching in all."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class Stats(BaseModel):
    """Row counts of the main tables, and the two derived counts the UI and report.json show."""

    articles: int = Field(description="rows of the articles table")
    stories: int = Field(description="rows of the stories table")
    claims: int = Field(description="rows of the claims table")
    claim_groups: int = Field(description="rows of the claim_groups table")
    edges: int = Field(description="rows of the edges table: every kind, `same-story` included")
    flags: int = Field(description="rows of the flags table")
    entities: int = Field(description="rows of the entities table")
    origin_groups: int = Field(description="rows of the origin_groups table: single articles included")
    rejections: int = Field(description="rows of the rejections table")
    reuse_edges: int = Field(description="edges whose kind is not `same-story` (copy, edit, rewrite, shared "
                                         "source): the \"reuse links\" of the UI, report.json's summary.reuse_edges")
    multi_article_origin_groups: int = Field(description="origin groups of two or more articles: the UI's "
                                                         "\"origin groups\", report.json's summary.origin_groups")


class ArticleIn(BaseModel):
    # ``\S``: whitespace alone is no article; refused here as the multipart path refuses it,
    # not after a job has run only to record an ``empty`` rejection.
    text: str = Field(min_length=1, max_length=2_000_000, pattern=r"\S",
                      description="the article's text; must hold a non-space character")
    title: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=4000)
    published: str | None = Field(default=None, max_length=100, description="ISO 8601; keep the zone if known")
    author: str | None = Field(default=None, max_length=500)
    doc_id: str | None = Field(default=None, max_length=500)


class IngestIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=1000)


class JobModel(BaseModel):
    id: str
    status: str
    phase: str
    files: list[str]
    created_at: str
    started_at: str | None
    finished_at: str | None
    progress: dict[str, dict[str, int | None]]
    result: dict[str, Any]
    error: str | None


class IngestAccepted(BaseModel):
    job: JobModel
    status_url: str


_ERRORS = {400: {"model": ErrorModel}, 403: {"model": ErrorModel}, 404: {"model": ErrorModel},
           413: {"model": ErrorModel}, 421: {"model": ErrorModel}, 503: {"model": ErrorModel}}

# Annotated aliases, not shared ``Query()`` defaults: FastAPI copies the metadata of an
# Annotated type per parameter, while one shared FieldInfo object would leak an alias.
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="items to skip")]
Text = Annotated[str | None, Query(max_length=500)]
Ident = Annotated[str | None, Query(max_length=200)]
# Dates as checked strings: pydantic's lax date parsing would take ``0`` as the Unix epoch,
# which is not what a person typing a date into a filter meant.
DateQ = Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", json_schema_extra={"format": "date"},
                                    description="YYYY-MM-DD")]


# A plain string, checked by the handler: an unknown export name is a missing resource (404),
# while the schema still lists the names there are.
ExportName = Annotated[str, PathParam(max_length=200, description="the export file",
                                      json_schema_extra={"enum": list(EXPORT_TYPES)})]


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"query.{name}: not a calendar date (YYYY-MM-DD): {value!r}") from None


def _page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": [i.as_dict() if isinstance(i, Q.ArticleSummary) else codec.to_dict(i) for i in items],
            "total": total, "limit": limit, "offset": offset}


# --- the app --------------------------------------------------------------------------------------


def build_app(db_path: str | Path, token: str | None = None, allow_remote_reads: bool = False, *,
              max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES, runner: Runner | None = None,
              allowed_hosts: Sequence[str] = ()) -> FastAPI:
    db = str(db_path)
    Store(db).close()  # create (or migrate) the database up front: the upload form can start from empty
    settings = Settings(db, token, allow_remote_reads, max_upload_bytes, allowed_hosts)
    jobs = JobManager(db, runner)
    app = FastAPI(title="newstrace", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Where a news story comes from: articles, stories, reuse edges, claims and flags. "
                              "Every list pages with `limit` and `offset`. Reads are open on loopback; "
                              "writes need `Authorization: Bearer <token>`.")
    app.state.settings = settings
    app.state.jobs = jobs
    app.add_middleware(Guard, settings=settings)  # type: ignore[arg-type]
    static_dir = resources.files("newstrace.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    env = jinja2.Environment(loader=jinja2.PackageLoader("newstrace.web", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = _safe_url
    env.filters["date"] = V.date_label
    env.globals["version"] = __version__

    def page(name: str, code: int = 200, /, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=code)

    def wants_json(request: Request) -> bool:
        return not _prefers_html(request.url.path, request.headers.get("accept", ""))

    # -- errors --------------------------------------------------------------------------------

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        headers = getattr(exc, "headers", None)
        if wants_json(request):
            body = {**_error_body(exc.status_code, message), **getattr(exc, "extra", {})}
            return JSONResponse(body, exc.status_code, headers=headers)
        return page("error.html", exc.status_code, status=exc.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                  for e in exc.errors()]
        message = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors[:5])
        if wants_json(request):
            return JSONResponse({**_error_body(422, message), "detail": jsonable_encoder(errors)}, 422)
        return page("error.html", 422, status=422, message=message)

    @app.exception_handler(DatabaseError)
    async def db_error(request: Request, exc: DatabaseError) -> Response:
        log.error("database: %s", exc)
        message = "the database cannot be used right now"
        if wants_json(request):
            return JSONResponse(_error_body(503, message), 503)
        return page("error.html", 503, status=503, message=message)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return JSONResponse({"error": "internal", "message": "internal error; the server log has the details"},
                            500)

    def nf(what: str, ident: str) -> HTTPException:
        return HTTPException(404, f"no {what} with id {ident!r}")

    def story_nf(story_id: str) -> HTTPException:
        """404 for a story id; one that a merge retired names the story holding its articles."""
        target = Q.merged_into(settings.store().conn, story_id)
        if target is None:
            return nf("story", story_id)
        return NotFound(f"no story with id {story_id!r}: it was merged into {target!r}", {"merged_into": target})

    # -- pages ---------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, q: Text = None, date_from: DateQ = None,
                     date_to: DateQ = None, outlet: Text = None, flag: Ident = None,
                     limit: Limit = 25, offset: Offset = 0) -> HTMLResponse:
        conn = settings.store().conn
        rows, total = Q.list_stories(conn, q=q, date_from=_date(date_from, "date_from"),
                                     date_to=_date(date_to, "date_to"), outlet=outlet, flag=flag,
                                     limit=limit, offset=offset)
        filters = {"q": q or "", "date_from": date_from or "", "date_to": date_to or "", "outlet": outlet or "",
                   "flag": flag or ""}
        return page("stories.html", rows=rows, total=total, filters=filters, counts=Q.counts(conn),
                    outlets=Q.outlets(conn), flag_kinds=Q.flag_kinds(conn),
                    pager=_pager("/", filters, limit, offset, total), jobs=jobs.recent(3))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(q: Text = None, outlet: Text = None, limit: Limit = 50,
                      offset: Offset = 0) -> HTMLResponse:
        conn = settings.store().conn
        items, total = Q.list_articles(conn, q=q, outlet=outlet, limit=limit, offset=offset)
        filters = {"q": q or "", "outlet": outlet or ""}
        return page("articles.html", items=items, total=total, filters=filters, counts=Q.counts(conn),
                    outlets=Q.outlets(conn), pager=_pager("/articles", filters, limit, offset, total))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> Response:
        store = settings.store()
        ctx = _story_context(store, story_id)
        if ctx is None:
            target = Q.merged_into(store.conn, story_id)
            if target is not None:  # a merged-away id still leads to its articles
                return RedirectResponse(f"/stories/{quote(target, safe='')}", status_code=303)
            raise nf("story", story_id)
        return page("story.html", **ctx)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        ctx = _article_context(settings.store(), article_id)
        if ctx is None:
            raise nf("article", article_id)
        return page("article.html", **ctx)

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_page() -> HTMLResponse:
        return page("upload.html", writes_enabled=settings.token is not None, jobs=jobs.recent(10),
                    max_mb=settings.max_upload_bytes // (1024 * 1024), message=None)

    @app.post("/upload", include_in_schema=False)
    async def upload_post(request: Request) -> Response:
        if settings.token is None:
            raise HTTPException(403, "uploads are disabled: start the server with NEWSTRACE_TOKEN set")
        form = await _form(request)
        supplied = form.get("token")
        if not isinstance(supplied, str) or not hmac.compare_digest(supplied.encode(), settings.token.encode()):
            return page("upload.html", 401, writes_enabled=True, jobs=jobs.recent(10),
                        max_mb=settings.max_upload_bytes // (1024 * 1024), message="The token is not right.")
        paths = await _paths_from_form(form, jobs)
        if not paths:
            return page("upload.html", 400, writes_enabled=True, jobs=jobs.recent(10),
                        max_mb=settings.max_upload_bytes // (1024 * 1024),
                        message="Choose at least one file or paste an article's text.")
        job = jobs.submit(paths)
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(job_id: str) -> HTMLResponse:
        job = jobs.get(job_id)
        if job is None:
            raise nf("job", job_id)
        return page("job.html", job=job)

    # -- API: reads ----------------------------------------------------------------------------

    @app.get("/api/articles", response_model=Page, responses=_ERRORS, tags=["articles"])
    def api_articles(q: Text = None, outlet: Text = None, story: Ident = None,
                     limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Article summaries (no text) in ingest order; filter by title/outlet text, outlet or story."""
        items, total = Q.list_articles(settings.store().conn, q=q, outlet=outlet, story=story,
                                       limit=limit, offset=offset)
        return _page(items, total, limit, offset)

    @app.get("/api/articles/{article_id}", responses=_ERRORS, tags=["articles"])
    def api_article(article_id: str) -> dict[str, Any]:
        """One article with its text, sentences, claims, mentions (with entity ids) and garbles."""
        store = settings.store()
        try:
            a = store.article(article_id)
        except KeyError:
            raise nf("article", article_id) from None
        ent = store.article_entities(a.id)
        return {**codec.to_dict(a),
                "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in store.sentences(a.id, a.text)],
                "story_id": Q.story_of_article(store.conn, a.id),
                "origin_group": Q.origins_of(store.conn, [a.id]).get(a.id),
                "claims": [codec.to_dict(c) for c in store.claims(a.id)],
                "mentions": [{**codec.to_dict(m), "entity_id": ent.get(m.id)} for m in store.mentions(a.id)],
                "garbles": [codec.to_dict(g) for g in store.garbles(a.id)]}

    @app.get("/api/stories", response_model=Page, responses=_ERRORS, tags=["stories"])
    def api_stories(q: Text = None, date_from: DateQ = None, date_to: DateQ = None,
                    outlet: Text = None, flag: Ident = None, limit: Limit = 50,
                    offset: Offset = 0) -> dict[str, Any]:
        """Stories, largest first; search titles, filter by date range overlap, outlet, flag kind."""
        rows, total = Q.list_stories(settings.store().conn, q=q, date_from=_date(date_from, "date_from"),
                                     date_to=_date(date_to, "date_to"),
                                     outlet=outlet, flag=flag, limit=limit, offset=offset)
        return {"items": [{**codec.to_dict(r.story), "title": r.title, "size": len(r.story.article_ids),
                           "outlets": r.outlets, "flag_counts": r.flag_counts} for r in rows],
                "total": total, "limit": limit, "offset": offset}

    @app.get("/api/stories/{story_id}", responses=_ERRORS, tags=["stories"])
    def api_story(story_id: str) -> dict[str, Any]:
        """One story: its articles (summaries), reuse edges with aligned pairs, origin groups,
        claim groups and flags."""
        conn = settings.store().conn
        st = Q.story(conn, story_id)
        if st is None:
            raise story_nf(story_id)
        summaries = Q.article_summaries(conn, st.article_ids)
        origin_of = Q.origins_of(conn, st.article_ids)
        groups, _ = Q.list_claim_groups(conn, story=story_id, limit=10_000)
        flags, _ = Q.list_flags(conn, story=story_id, limit=10_000)
        return {**codec.to_dict(st),
                "articles": [summaries[i].as_dict() | {"origin_group": origin_of.get(i)}
                             for i in st.article_ids if i in summaries],
                "edges": [codec.to_dict(e) for e in Q.story_edges(conn, story_id)],
                "origin_groups": [codec.to_dict(g) for g in Q.origin_groups_of(conn, list(origin_of.values()))],
                "claim_groups": [claim_group_record(g) for g in groups],
                "flags": [codec.to_dict(f) for f in flags],
                "events": Q.story_events(conn, story_id)}

    @app.get("/api/claims", response_model=Page, responses=_ERRORS, tags=["claims"])
    def api_claims(article: Ident = None, story: Ident = None, source_kind: Ident = None,
                   hedge: Ident = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Attributed claims: source, cue and content spans, quote, hedge, anonymity."""
        items, total = Q.list_claims(settings.store().conn, article=article, story=story,
                                     source_kind=source_kind, hedge=hedge, limit=limit, offset=offset)
        return _page(items, total, limit, offset)

    @app.get("/api/claim-groups", response_model=Page, responses=_ERRORS, tags=["claims"])
    def api_claim_groups(story: Ident = None, min_origins: int | None = Query(None, ge=0, le=1_000_000),
                         limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Claims of a story that assert the same thing, with their independent-origin count."""
        items, total = Q.list_claim_groups(settings.store().conn, story=story, min_origins=min_origins,
                                           limit=limit, offset=offset)
        return {"items": [claim_group_record(g) for g in items], "total": total, "limit": limit, "offset": offset}

    @app.get("/api/entities", response_model=Page, responses=_ERRORS, tags=["entities"])
    def api_entities(q: Text = None, label: Ident = None, limit: Limit = 50,
                     offset: Offset = 0) -> dict[str, Any]:
        """Canonical entities with every variant seen and why variants were merged."""
        items, total = Q.list_entities(settings.store().conn, q=q, label=label, limit=limit, offset=offset)
        return _page(items, total, limit, offset)

    @app.get("/api/edges", response_model=Page, responses=_ERRORS, tags=["provenance"])
    def api_edges(article: Ident = None, story: Ident = None,
                  kind: Literal["copy", "edit", "rewrite", "shared-source", "same-story"] | None = None,
                  limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Reuse edges (source -> derived when directed) with aligned sentence pairs."""
        items, total = Q.list_edges(settings.store().conn, article=article, story=story, kind=kind,
                                    limit=limit, offset=offset)
        return _page(items, total, limit, offset)

    @app.get("/api/origin-groups", response_model=Page, responses=_ERRORS, tags=["provenance"])
    def api_origin_groups(article: Ident = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Articles that are one source, not many, with the predicted origin article."""
        items, total = Q.list_origin_groups(settings.store().conn, article=article, limit=limit, offset=offset)
        return _page(items, total, limit, offset)

    @app.get("/api/flags", response_model=Page, responses=_ERRORS, tags=["claims"])
    def api_flags(story: Ident = None, article: Ident = None, kind: Ident = None,
                  limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Findings to check (single origin, embellishment, dropped attribution, ...) with evidence spans."""
        items, total = Q.list_flags(settings.store().conn, story=story, article=article, kind=kind,
                                    limit=limit, offset=offset)
        return _page(items, total, limit, offset)

    @app.get("/api/stats", response_model=Stats, responses=_ERRORS, tags=["meta"])
    def api_stats() -> dict[str, int]:
        """Row counts of the main tables (`edges` and `origin_groups` count every row), plus
        `reuse_edges` and `multi_article_origin_groups`, counted as the UI and report.json count
        "reuse links" and "origin groups"."""
        return Q.counts(settings.store().conn)

    @app.get("/api/export/{name}", tags=["exports"], response_class=Response,
             responses={200: {"content": {"application/json": {}, "text/csv": {}, "application/graphml+xml": {}},
                              "description": "the export file"}, **_ERRORS})
    def api_export(name: ExportName, story: Ident = None) -> Response:
        """An export of one story (``story``) or the whole database: JSON, CSV, GraphML, PROV-JSON."""
        if name not in EXPORT_TYPES:  # a missing resource, as an unknown id is: 404, not 422
            raise HTTPException(404, f"no export named {name!r}; there are {', '.join(EXPORT_TYPES)}")
        try:
            scope = export.load_scope(settings.store(), story)
        except KeyError:
            raise story_nf(story or "") from None
        prefix = V.safe_file_prefix(story)
        return Response(export.render(scope, name), media_type=EXPORT_TYPES[name],
                        headers={"content-disposition": f'attachment; filename="{prefix}{name}"'})

    # -- API: writes ---------------------------------------------------------------------------

    @app.post("/api/ingest", status_code=202, response_model=IngestAccepted, tags=["ingest"],
              responses={401: {"model": ErrorModel}, 415: {"model": ErrorModel}, 422: {"model": ErrorModel},
                         **_ERRORS},
              openapi_extra={"security": [{"bearer": []}], "requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/IngestIn"}},
                  "multipart/form-data": {"schema": {
                      "type": "object",
                      "properties": {
                          "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                          "text": {"type": "string"}, "title": {"type": "string"}, "outlet": {"type": "string"},
                          "url": {"type": "string"}, "published": {"type": "string"},
                          "author": {"type": "string"}},
                      "anyOf": [{"required": ["files"], "properties": {"files": {"type": "array", "minItems": 1}}},
                                {"required": ["text"], "properties": {"text": {"type": "string", "pattern": "\\S"}}}],
                  }}}}})
    async def api_ingest(request: Request) -> dict[str, Any]:
        """Add articles (files as multipart ``files``, pasted ``text``, or JSON ``{"articles": [...]}``)
        and analyse them in the background; poll ``status_url``. Needs the bearer token."""
        _check_token(request, settings.token)
        ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if ctype == "application/json":
            try:
                body = IngestIn.model_validate_json(await request.body())
            except ValidationError as exc:
                errors = exc.errors(include_url=False, include_input=False, include_context=False)
                message = "; ".join(f"{_body_loc(e['loc'])}: {e['msg']}" for e in errors[:5])
                raise HTTPException(422, message or "invalid JSON body") from None
            paths = [jobs.save_records([a.model_dump(exclude_none=True) for a in body.articles])]
        elif ctype == "multipart/form-data":
            paths = await _paths_from_form(await _form(request), jobs)
            if not paths:
                raise HTTPException(422, "no files and no text in the form: send `files` or `text`")
        else:
            raise HTTPException(415, "send multipart/form-data (files or text) or application/json")
        job = jobs.submit(paths)
        return {"job": jobs.get(job.id) or job.as_dict(), "status_url": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs/{job_id}", response_model=JobModel, responses=_ERRORS, tags=["ingest"])
    def api_job(job_id: str) -> dict[str, Any]:
        """Status of an ingestion job: queued, running (with per-stage progress), done or failed."""
        job = jobs.get(job_id)
        if job is None:
            raise nf("job", job_id)
        return job

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        comps = schema.setdefault("components", {})
        comps.setdefault("schemas", {})["IngestIn"] = IngestIn.model_json_schema(
            ref_template="#/components/schemas/{model}")
        defs = comps["schemas"]["IngestIn"].pop("$defs", {})
        comps["schemas"].update(defs)
        comps["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


# --- helpers --------------------------------------------------------------------------------------


def _check_token(request: Request, token: str | None) -> None:
    if token is None:
        raise HTTPException(403, "writes are disabled: start the server with NEWSTRACE_TOKEN set")
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() != "bearer" or not value:
        raise HTTPException(401, "missing bearer token: send `Authorization: Bearer <token>`",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise HTTPException(401, "the bearer token is not right", headers={"WWW-Authenticate": "Bearer"})


def _body_loc(loc: Sequence[Any]) -> str:
    """Where in a JSON body an error is, as FastAPI names it (``body.articles.0.text``); an
    error about the whole body (invalid JSON) is at ``body``."""
    return ".".join(["body", *(str(p) for p in loc)])


async def _form(request: Request) -> Any:
    # The body is read whole first (the Guard caps it; the form parser then reads it from
    # memory) because the multipart parser ignores a missing closing boundary: a truncated
    # body would silently lose its last part instead of being refused.
    body = await request.body()
    if not _multipart_closed(body, request.headers.get("content-type", "")):
        raise HTTPException(400, "malformed multipart body: it ends before the closing boundary")
    try:
        return await request.form(max_files=100, max_fields=50)
    except HTTPException:
        raise
    except Exception as exc:  # malformed multipart: say so, do not crash
        raise HTTPException(400, f"could not read the form: {type(exc).__name__}") from None


def _multipart_closed(body: bytes, content_type: str) -> bool:
    """Whether a multipart body's last delimiter is the closing one (``--BOUNDARY--``).

    The boundary never occurs inside a part (RFC 2046 §5.1.1), so the last delimiter in the
    body is the closing one exactly when the body is complete. With no boundary parameter
    there is nothing to check; the form parser refuses such a body itself.
    """
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        return True
    delimiter = b"--" + boundary
    last = body.rfind(delimiter)
    return last >= 0 and body[last + len(delimiter):last + len(delimiter) + 2] == b"--"


async def _paths_from_form(form: Any, jobs: JobManager) -> list[Path]:
    paths: list[Path] = []
    for i, f in enumerate(form.getlist("files")):
        if isinstance(f, str):
            if f:  # an empty string is a browser's file input with nothing chosen
                raise HTTPException(422, "`files` must be file uploads (multipart parts with a filename)")
            continue
        if isinstance(f, UploadFile):
            data = await f.read()
            # A browser's empty file input sends no name and no bytes: nothing chosen. An empty
            # named file is kept: ingest records it as an ``empty`` rejection, which is the answer.
            if data or f.filename:
                paths.append(jobs.save(f.filename, data, f"upload-{i}"))
    text = form.get("text")
    if isinstance(text, str) and text.strip():
        record: dict[str, Any] = {"text": text}
        for key in ("title", "outlet", "url", "published", "author"):
            value = form.get(key)
            if isinstance(value, str) and value.strip():
                record[key] = value.strip()
        paths.append(jobs.save_records([record]))
    return paths


def _safe_url(url: str | None) -> str | None:
    """An article's URL as a link target only if it is http(s); anything else (``javascript:``,
    ``data:``) is shown as text by the template."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _pager(path: str, filters: dict[str, str], limit: int, offset: int, total: int) -> dict[str, Any]:
    base = {k: v for k, v in filters.items() if v}

    def url(off: int) -> str:
        return path + "?" + urlencode({**base, "limit": limit, "offset": off})

    return {"from": offset + 1 if total else 0, "to": min(offset + limit, total), "total": total,
            "first": url(0), "prev": url(max(0, offset - limit)) if offset > 0 else None,
            "next": url(offset + limit) if offset + limit < total else None}


def _story_context(store: Store, story_id: str) -> dict[str, Any] | None:
    conn = store.conn
    st = Q.story(conn, story_id)
    if st is None:
        return None
    summaries = Q.article_summaries(conn, st.article_ids)
    ordered = V.time_order(summaries.values())
    origin_of = Q.origins_of(conn, st.article_ids)
    groups = Q.origin_groups_of(conn, list(origin_of.values()))
    colour_of = V.colours(ordered, origin_of)
    edges = Q.story_edges(conn, story_id)
    ends = {x for e in edges for x in (e.source_id, e.derived_id)}
    texts = Q.article_texts(conn, sorted(ends))
    edge_views = V.edge_views(edges, summaries, texts)
    graph = V.layout_graph(ordered, edge_views, origin_of, groups, colour_of)
    claim_groups, n_groups = Q.list_claim_groups(conn, story=story_id, limit=MAX_LIMIT)
    flags, _ = Q.list_flags(conn, story=story_id, limit=MAX_LIMIT)
    claims: list[Any] = []
    if not claim_groups:
        claims, _ = Q.list_claims(conn, story=story_id, limit=MAX_LIMIT)
    flag_kind = {f.id: f.kind for f in flags}
    title = st.title or next((a.title for a in ordered if a.title), None) or "(untitled story)"
    origin_articles = {g.origin_id for g in groups if g.origin_id}
    # Merges and splits: the changes of membership a reader needs to trust the story's id; links:
    # the stories an article of this one (or of the other) came close to joining as well; joins
    # below the cut on the names an article shares with the story, with those names.
    history = [e for e in Q.story_events(conn, story_id)
               if e.get("kind") in ("merge", "split", "link") or (e.get("kind") == "join" and e.get("shared"))]
    entity = Q.entities_of(conn, [x for e in history for x in e.get("shared") or []])
    for e in history:
        if e.get("shared"):
            e["shared_names"] = [entity[x].canonical if x in entity else x for x in e["shared"]]
    kinds: dict[str, int] = {}
    for e in edge_views:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    return {"story": st, "title": title, "articles": ordered, "summaries": summaries, "origin_of": origin_of,
            "groups": groups, "colour_of": colour_of, "graph": graph, "timeline": V.timeline(ordered, colour_of, origin_of),
            "claim_groups": claim_groups, "n_groups": n_groups, "claims": claims, "flags": flags,
            "flag_kind": flag_kind, "origin_articles": origin_articles, "edge_kinds": kinds,
            "n_outlets": len({a.outlet for a in ordered if a.outlet}), "history": history,
            "n_multi_groups": sum(1 for g in groups if len(g.members) >= 2),
            "export_prefix": "/api/export/", "story_query": urlencode({"story": st.id})}


def _article_context(store: Store, article_id: str) -> dict[str, Any] | None:
    try:
        a = store.article(article_id)
    except KeyError:
        return None
    conn = store.conn
    claims = store.claims(a.id)
    mentions = store.mentions(a.id)
    entity_of = store.article_entities(a.id)
    entities = Q.entities_of(conn, list(entity_of.values()))
    garbles = store.garbles(a.id)
    canonical = {e.id: e.canonical for e in entities.values()}
    boilerplate = store.boilerplate([a.id]).get(a.id, [])
    marks = (V.claim_marks(claims) + V.entity_marks(mentions, entity_of, canonical, garbles)
             + V.boilerplate_marks(boilerplate))
    edges = store.edges(a.id)
    others = Q.article_summaries(conn, [x for e in edges for x in (e.source_id, e.derived_id) if x != a.id])
    by_entity: dict[str, list[str]] = {}
    for m in mentions:
        by_entity.setdefault(entity_of.get(m.id, ""), []).append(m.text)
    return {"a": a, "segments": V.annotate(a.text, marks), "claims": claims, "mentions": mentions,
            "entities": entities, "by_entity": by_entity, "garbles": garbles,
            "edges": [e for e in edges if e.kind in Q.REUSE_KINDS], "others": others,
            "reports": [p for e in edges for p in restated_pairs(e)],
            "story_id": Q.story_of_article(conn, a.id), "origin_group": Q.origins_of(conn, [a.id]).get(a.id),
            "flags": store.flags(article_id=a.id), "n_sentences": len(store.sentences(a.id, a.text)),
            "boilerplate": boilerplate}
