"""Rewrite-detection benchmark: origin groups and predicted originals on a JSON Lines set.

    python bench/rewrites.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl --pred-out pred.jsonl

Reads lines with ``doc_id`` and ``text`` (any other field is ignored: labels are used only by
the scorer, in a subprocess), runs the reuse and provenance stages, writes one line per
document ``{"doc_id", "group", "origin"}``, scores it with ``../shared/bench/score.py`` and
prints throughput per step and peak memory. ``--cache DIR`` keeps sentence spans and
embeddings between runs (keyed by a hash of the texts), for iterating on a shared machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from newstrace.provenance import chain_to_origin, direct_edges, origin_groups
from newstrace.reuse import Record, ReuseConfig, ReuseIndex, detect_reuse, embed_articles
from newstrace.text import clean_text, split_sentences

SCORER = Path(__file__).resolve().parents[2] / "shared" / "bench" / "score.py"


def load(path: str, limit: int | None) -> list[Record]:
    """Records as ingest would make them (text cleaned); nothing but id and text is read."""
    recs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                recs.append(Record(str(row["doc_id"]), clean_text(row["text"])))
    return recs[:limit] if limit else recs


def cached(cache: str | None, key: str, compute):  # type: ignore[no-untyped-def]
    if not cache:
        return compute(), False
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, key + ".npy")
    if os.path.exists(path):
        return np.load(path, allow_pickle=True), True
    value = compute()
    np.save(path, value, allow_pickle=True)
    return value, False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--pred-out", required=True)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--batch", type=int, default=0, help="add articles in batches of this size (incremental)")
    ap.add_argument("--cache", help="folder for cached sentence spans and embeddings")
    ap.add_argument("--embed-words", type=int, default=ReuseConfig.embed_words,
                    help="words of each article's head that are embedded (the main cost)")
    ap.add_argument("--dump", help="pickle edges and groups here, for analysis")
    ap.add_argument("--scorer", default=str(SCORER))
    args = ap.parse_args(argv)

    config = ReuseConfig(embed_words=args.embed_words)
    recs = load(args.data, args.limit)
    digest = hashlib.sha256("\x00".join(r.id + r.text for r in recs).encode()).hexdigest()[:16]
    t = {}

    t0 = time.perf_counter()
    spans_arr, hit_s = cached(args.cache, f"spans-{digest}",
                              lambda: np.array([split_sentences(r.text) for r in recs], dtype=object))
    t["segment"] = time.perf_counter() - t0
    spans = {r.id: [tuple(s) for s in sp] for r, sp in zip(recs, spans_arr)}

    t0 = time.perf_counter()
    vectors, hit_e = cached(args.cache, f"emb{config.embed_words}-{digest}",
                            lambda: embed_articles([r.text for r in recs], config))
    t["embed"] = time.perf_counter() - t0

    index = ReuseIndex(config)
    edges = []
    step_t: dict[str, float] = {}
    size = args.batch or len(recs)
    texts = {}
    for start in range(0, len(recs), size):
        batch = recs[start : start + size]
        res = detect_reuse(batch, spans, index=index, vectors=vectors[start : start + size], config=config,
                           texts=texts)
        texts.update({r.id: r.text for r in batch})
        edges.extend(res.edges)
        for k, v in res.timings.items():
            step_t[k] = step_t.get(k, 0.0) + v
    t0 = time.perf_counter()
    directed = direct_edges(edges, recs)
    groups = origin_groups(directed, recs)
    t["provenance"] = time.perf_counter() - t0
    t.update(step_t)

    if args.dump:
        import pickle

        with open(args.dump, "wb") as f:
            pickle.dump({"edges": directed, "groups": groups, "index": index.to_bytes()}, f)
    group_of = {m: g.id for g in groups for m in g.members}
    with open(args.pred_out, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps({"doc_id": r.id, "group": group_of[r.id], "origin": chain_to_origin(r.id, groups)}) + "\n")

    n = len(recs)
    kinds: dict[str, int] = {}
    for e in edges:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    words = sum(len(r.text.split()) for r in recs)
    cand = t["features"] + t["candidates"]
    stage = cand + t["pair_scores"] + t["alignment"] + t["provenance"]
    print(f"articles {n}, mean words {words / n:.0f}, edges by kind {kinds}, groups {len(groups)}")
    print(f"threads {os.environ.get('OMP_NUM_THREADS', 'default')}, cpus {os.cpu_count()} (shared machine)")
    print(f"segment (split_sentences, upstream stage){' [cached]' if hit_s else ''}: {n / t['segment']:.1f} art/s")
    print(f"embed article heads ({config.embed_words} words){' [cached]' if hit_e else ''}: {n / t['embed']:.1f} art/s")
    print(f"candidate generation (shingles+MinHash+LSH+ANN): {n / cand:.0f} art/s")
    print(f"pair scores: {n / t['pair_scores']:.0f} art/s; alignment+classify: {n / t['alignment']:.1f} art/s; "
          f"provenance: {n / t['provenance']:.1f} art/s")
    print(f"whole stage without embedding: {n / stage:.1f} art/s; with embedding: "
          f"{n / (stage + (t['embed'] if not hit_e else 0)) if not hit_e else float('nan'):.1f} art/s")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    for cmd in ("clusters", "origins"):
        sys.stdout.flush()
        subprocess.run([sys.executable, args.scorer, cmd, args.data, args.pred_out], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
