"""Story-clustering benchmark on a JSON Lines set (``doc_id``, ``text``; labels are read only by the scorer).

    python bench/stories.py --data ../shared/bench/stories/googlenews_ts_dev.jsonl --pred-out pred.jsonl --cache /tmp/stories

The number of stories is never given. ``--cut C`` replaces the story cut the library ships
(to see how the scores move around it). ``--batch N`` feeds the articles to the incremental
:class:`newstrace.stories.StoryIndex` N at a time instead of in one batch. Scores with
``../shared/bench/score.py clusters`` in a subprocess; prints NMI, ACC, ARI, items/s, peak memory.

``--halves K`` then estimates how far a held-back set can fall from this one: K random splits
of the stories into two halves (this reads the ``story`` labels, only to split), each half
clustered on its own with the same settings and scored the same way. A half holds half the
stories, so it is somewhat easier than the whole; the spread, not the level, is the point.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from newstrace.stories import StoryConfig, StoryIndex

SCORER = Path(__file__).resolve().parents[2] / "shared" / "bench" / "score.py"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--pred-out", required=True)
    ap.add_argument("--batch", type=int, default=0)
    ap.add_argument("--cache", help="folder for cached embeddings")
    ap.add_argument("--scorer", default=str(SCORER))
    ap.add_argument("--cut", type=float, help=f"average-link similarity cut (default {StoryConfig().cut})")
    ap.add_argument("--halves", type=int, default=0, metavar="K",
                    help="also score both halves of K random splits of the stories (reads the labels)")
    args = ap.parse_args(argv)

    with open(args.data, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    ids, texts = [str(r["doc_id"]) for r in rows], [r["text"] for r in rows]

    t0 = time.perf_counter()
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = os.path.join(args.cache, f"gn-{key}.npy") if args.cache else ""
    if path and os.path.exists(path):
        vectors = np.load(path)
    else:
        from newstrace.nlp import embed

        vectors = embed(texts)
        if path:
            os.makedirs(args.cache, exist_ok=True)
            np.save(path, vectors)
    t_embed = time.perf_counter() - t0

    t0 = time.perf_counter()
    step = args.batch or len(ids)
    config = StoryConfig() if args.cut is None else StoryConfig(cut=args.cut)
    index = _cluster(ids, vectors, texts, step, config)
    t_cluster = time.perf_counter() - t0
    _write_pred(args.pred_out, index)
    scores = _score(args.scorer, args.data, args.pred_out)
    merges = sum(e.kind == "merge" for e in index.events)
    splits = sum(e.kind == "split" for e in index.events)
    out = {"nmi": round(scores["nmi"], 4), "acc": round(scores.get("acc", float("nan")), 4),
           "ari": round(scores["ari"], 4), "pred_clusters": scores["pred_clusters"],
           "gold_clusters": scores["gold_clusters"], "items": len(ids), "batch": step, "cut": config.cut, "merges": merges,
           "splits": splits,
           "cluster_items_per_s": round(len(ids) / t_cluster, 1), "embed_s": round(t_embed, 1),
           "embed_cached": bool(path and t_embed < 5),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    print(f"NMI {out['nmi']:.4f}  ACC {out['acc']:.4f}  ARI {out['ari']:.4f}  "
          f"stories {out['pred_clusters']} (gold {out['gold_clusters']})")
    print(f"{len(ids)} items; clustering {out['cluster_items_per_s']}/s; embedding {out['embed_s']} s; "
          f"peak RSS {out['peak_rss_mb']} MB")
    print(json.dumps(out))
    if args.halves:
        split_halves(args, rows, vectors, step, config)
    return 0


def _cluster(ids: list[str], vectors: np.ndarray, texts: list[str], step: int, config: StoryConfig) -> StoryIndex:
    index = StoryIndex(config)
    for s in range(0, len(ids), step):
        index.add(ids[s:s + step], vectors[s:s + step], texts[s:s + step])
    return index


def _write_pred(path: str, index: StoryIndex) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for a, s in zip(index.ids, index.story_of):
            f.write(json.dumps({"doc_id": a, "group": s}) + "\n")


def _score(scorer: str, data: str, pred: str) -> dict:
    res = subprocess.run([sys.executable, scorer, "clusters", data, pred], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def split_halves(args: argparse.Namespace, rows: list[dict], vectors: np.ndarray, step: int,
                 config: StoryConfig) -> None:
    """ACC and NMI of each half of ``args.halves`` random splits of the stories."""
    stories = sorted({str(r["story"]) for r in rows})
    accs, nmis = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.halves):
            first = set(random.Random(seed).sample(stories, len(stories) // 2))
            line = []
            for half in (True, False):
                sel = [i for i, r in enumerate(rows) if (str(r["story"]) in first) == half]
                data, pred = os.path.join(tmp, "gold.jsonl"), os.path.join(tmp, "pred.jsonl")
                with open(data, "w", encoding="utf-8") as f:
                    f.writelines(json.dumps(rows[i]) + "\n" for i in sel)
                _write_pred(pred, _cluster([str(rows[i]["doc_id"]) for i in sel], vectors[sel],
                                           [rows[i]["text"] for i in sel], step, config))
                sc = _score(args.scorer, data, pred)
                accs.append(sc["acc"])
                nmis.append(sc["nmi"])
                line.append(f"ACC {sc['acc']:.4f} NMI {sc['nmi']:.4f} ({len(sel)} items, "
                            f"{sc['pred_clusters']} stories, gold {sc['gold_clusters']})")
            print(f"halves {seed}: " + "   ".join(line), flush=True)
    print(f"over {2 * args.halves} halves: ACC {min(accs):.4f}-{max(accs):.4f} (mean {np.mean(accs):.4f}), "
          f"NMI {min(nmis):.4f}-{max(nmis):.4f} (mean {np.mean(nmis):.4f})")


if __name__ == "__main__":
    sys.exit(main())
