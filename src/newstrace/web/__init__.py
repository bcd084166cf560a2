"""The web UI and HTTP API (the ``web`` extra: FastAPI, uvicorn, python-multipart).

    from newstrace.web import create_app, serve
    serve("newstrace.db")                       # http://127.0.0.1:8000/
    app = create_app("newstrace.db", token="s3cret", allow_remote_reads=False)

Imports of FastAPI happen inside the functions, so ``import newstrace.web`` works without the
extra and says what to install when a server is actually asked for.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newstrace.errors import MissingDependencyError

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "serve"]

TOKEN_ENV = "NEWSTRACE_TOKEN"


def create_app(db_path: str | Path, token: str | None = None, allow_remote_reads: bool = False,
               **options: Any) -> FastAPI:
    """The FastAPI application for one database.

    ``token`` (default: the ``NEWSTRACE_TOKEN`` environment variable) enables writes (upload,
    ``POST /api/ingest``); without one, writes are refused. Reads answer loopback clients
    only unless ``allow_remote_reads``. Options: ``max_upload_bytes`` (default 20 MiB),
    ``runner`` (the ingest job function; tests pass a light one), ``allowed_hosts`` (extra
    Host header names accepted in loopback mode, e.g. a local reverse proxy's).
    """
    try:
        from newstrace.web.app import build_app
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            f"the web server needs the 'web' extra ({exc.name} is missing): pip install 'newstrace[web]'") from exc
    if token is None:
        token = os.environ.get(TOKEN_ENV) or None
    return build_app(db_path, token=token, allow_remote_reads=allow_remote_reads, **options)


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, *, allow_remote_reads: bool = False,
          token: str | None = None, allowed_hosts: Sequence[str] = ()) -> None:
    """Run the server with uvicorn until interrupted.

    Binding to a non-loopback ``host`` without ``allow_remote_reads`` is allowed but every
    remote request gets 403: exposing a database is a decision to make explicitly.
    """
    try:
        import uvicorn
    except ImportError as exc:  # pragma: no cover
        raise MissingDependencyError("the web server needs the 'web' extra: pip install 'newstrace[web]'") from exc
    app = create_app(db, token=token, allow_remote_reads=allow_remote_reads, allowed_hosts=allowed_hosts)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
