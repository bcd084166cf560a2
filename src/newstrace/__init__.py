"""newstrace: where a news story really comes from.

The Python API is the one the CLI calls::

    import newstrace
    analysis = newstrace.run(["examples/corpus"], db="newstrace.db", out="out/")
    for article in analysis.articles: ...
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "run", "ingest", "analyze", "report"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing a submodule (a reader, the store) does not pull in the
    # pipeline and its model dependencies.
    if name in ("run", "ingest", "analyze", "report"):
        from newstrace import api

        return getattr(api, name)
    raise AttributeError(name)
