"""ClaimDiff "weaken" benchmark: P/R/F1 of :func:`newstrace.claim_diff.weakens`.

    python bench/claimdiff.py --data ../shared/bench/claims/claimdiff

Reads every ``ClaimDiff-W/*.json`` in DIR (pairs with ``claim_a``, ``claim_b``, ``relation``;
1 = B weakens A) and scores each file. Nothing is fitted per item; the threshold (1.0) was picked among 4 values on weak-train. The last line is a JSON object with the figures per file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from newstrace.claim_diff import weakens


def score(pairs: list[dict], threshold: float) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for p in pairs:
        pred = weakens(p["claim_a"], p["claim_b"], threshold).weakens
        gold = bool(p["relation"])
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
        tn += not pred and not gold
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"pairs": len(pairs), "positives": tp + fn, "precision": round(prec, 4), "recall": round(rec, 4),
            "f1": round(f1, 4), "accuracy": round((tp + tn) / len(pairs), 4) if pairs else 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--threshold", type=float, default=1.0)
    args = ap.parse_args(argv)
    out = {}
    for path in sorted(Path(args.data).glob("ClaimDiff-W/*.json")):
        pairs = json.loads(path.read_text(encoding="utf-8"))["data"]
        t0 = time.perf_counter()
        s = score(pairs, args.threshold)
        s["pairs_per_s"] = round(len(pairs) / max(time.perf_counter() - t0, 1e-9))
        out[path.stem] = s
        print(f"{path.stem}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
              f"(acc {s['accuracy']:.3f}, {s['positives']}/{s['pairs']} positive)")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
