"""Helpers shared by the benchmark scripts: timing, peak memory, the shared scorer."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "bench" / "score.py"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(label: str, count: int | None = None, unit: str = "articles") -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    start = time.perf_counter()
    yield out
    out["seconds"] = time.perf_counter() - start
    rate = f", {count / out['seconds']:.1f} {unit}/s" if count else ""
    print(f"{label}: {out['seconds']:.2f} s{rate}", flush=True)


def score(kind: str, gold: Path, pred: Path) -> dict[str, object]:
    """Run ../shared/bench/score.py and return the JSON object on its last line."""
    proc = subprocess.run([sys.executable, str(SCORER), kind, str(gold), str(pred)],
                          capture_output=True, text=True, check=True)
    print(proc.stdout, end="")
    return json.loads(proc.stdout.strip().splitlines()[-1])
