"""newstrace: where a news story really comes from.

The Python API is the one the CLI calls::

    import newstrace
    analysis = newstrace.run(["examples/corpus"], db="newstrace.db", out="out/")
    for article in analysis.articles: ...
"""

from __future__ import annotations

__version__ = "0.1.0"

from newstrace.api import analyze, ingest, report, run  # noqa: E402

__all__ = ["__version__", "run", "ingest", "analyze", "report"]
