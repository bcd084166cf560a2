"""Claim-matching benchmark: rank verified claims for each query and report MAP@k.

    python bench/claim_matching.py --queries ../shared/bench/claims/checkthat2020/dev \\
        --claims ../shared/bench/claims/checkthat2020/verified_claims.docs.tsv --cache /tmp/stories

DIR holds ``tweets.queries.tsv`` and ``tweet-vclaim-pairs.qrels`` (CheckThat! 2020 task 2
layout). MAP@k as the task defines it: per query, the sum over relevant claims found in the
top k of the precision at their rank, divided by the number of relevant claims; averaged over
the queries in the qrels. The last line printed is a JSON object with ``map_at_5``.

``--fit TRAIN_DIR`` fits the adapters and re-ranker weights on that split (train only) the way
``train/claim_matching.py`` does, and ranks with them instead of the shipped ones
(``src/newstrace/data/claim_ranker.json``, ``claim_adapters.npz``). ``--cache`` keeps embeddings.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from newstrace.claim_matching import Claim, ClaimIndex, RankConfig, normalize_claim_text

csv.field_size_limit(10**9)


def read_tsv(path: str | Path) -> list[list[str]]:
    """Rows after the header; fields are CSV-quoted."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader, None)
        return [row for row in reader if row]


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    gold: dict[str, set[str]] = defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 4 and p[3] == "1":
                gold[p[0]].add(p[2])
    return gold


def load_queries(folder: str | Path) -> tuple[list[Claim], dict[str, set[str]]]:
    rows = read_tsv(Path(folder) / "tweets.queries.tsv")
    queries = [Claim(id=r[0], text=normalize_claim_text(r[1])) for r in rows]
    return queries, read_qrels(Path(folder) / "tweet-vclaim-pairs.qrels")


def average_precision_at(ranked: list[str], relevant: set[str], k: int) -> float:
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked[:k], 1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def cached_embed(cache: str | None, name: str, texts: list[str]) -> np.ndarray:
    """Embeddings keyed by a hash of the texts, so a changed input never reads a stale file."""
    from newstrace.nlp import embed

    if not cache:
        return embed(texts)
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = os.path.join(cache, f"{name}-{key}.npy")
    if os.path.exists(path):
        return np.load(path)
    os.makedirs(cache, exist_ok=True)
    vectors = embed(texts)
    np.save(path, vectors)
    return vectors


def build_index(claims_tsv: str, cache: str | None) -> ClaimIndex:
    rows = read_tsv(claims_tsv)
    claims = [Claim(id=r[0], text=r[1], context=r[2] if len(r) > 2 else "") for r in rows]
    vec = cached_embed(cache, "vclaim", [c.text for c in claims])
    ctx = cached_embed(cache, "vtitle", [c.context for c in claims])
    both = cached_embed(cache, "vboth", [f"{c.text} {c.context}".strip() for c in claims])
    return ClaimIndex(claims, vectors=vec, context_vectors=ctx, both_vectors=both, config=RankConfig())


def query_vectors(queries: list[Claim], cache: str | None) -> tuple[np.ndarray, np.ndarray]:
    """MiniLM vectors of the queries as given and of their social-normalised form."""
    return (cached_embed(cache, "tweets", [q.text for q in queries]),
            cached_embed(cache, "tweets_social", ClaimIndex.social_texts(queries)))


def fit(index: ClaimIndex, folder: str, cache: str | None) -> tuple[float, ...]:
    """Fit adapters and weights on ``folder`` as ``train/claim_matching.py`` does, and use them."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "train" / "claim_matching.py"
    spec = importlib.util.spec_from_file_location("train_claim_matching", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    weights, _ = module.fit_ranker(index, folder, cache)  # leaves the new adapters on the index
    return weights


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queries", required=True, help="folder with tweets.queries.tsv and the qrels")
    ap.add_argument("--claims", required=True, help="verified_claims.docs.tsv")
    ap.add_argument("--cache", help="folder for cached embeddings")
    ap.add_argument("--fit", metavar="TRAIN_DIR", help="fit re-ranker weights on this split and use them")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    index = build_index(args.claims, args.cache)
    t_index = time.perf_counter() - t0
    if args.fit:
        weights = fit(index, args.fit, args.cache)
        print("fitted weights (train):", weights)
        index.config = RankConfig(weights=weights)

    queries, gold = load_queries(args.queries)
    queries = [q for q in queries if q.id in gold]
    t0 = time.perf_counter()
    qv, sv = query_vectors(queries, args.cache)
    t_embed = time.perf_counter() - t0
    t0 = time.perf_counter()
    ranked = index.rank(queries, k=5, query_vectors=qv, social_vectors=sv)
    t_rank = time.perf_counter() - t0

    # Where the relevant claim lands (first relevant one, in the top 100): tells a ranking
    # problem (found, ordered badly) from a recall problem (never proposed).
    deep = index.rank(queries, k=100, query_vectors=qv, social_vectors=sv)
    where = {"1": 0, "2-5": 0, "6-100": 0, "beyond 100": 0}
    for q, r in zip(queries, deep):
        ranks = [i for i, (c, _) in enumerate(r, 1) if c in gold[q.id]]
        p = ranks[0] if ranks else 0
        where["1" if p == 1 else "2-5" if 2 <= p <= 5 else "6-100" if p > 5 else "beyond 100"] += 1
    print("rank of the first relevant claim:", where)

    out: dict[str, float] = {}
    for k in (1, 3, 5):
        aps = [average_precision_at([c for c, _ in r], gold[q.id], k) for q, r in zip(queries, ranked)]
        out[f"map_at_{k}"] = round(sum(aps) / len(aps), 4) if aps else 0.0
    out["queries"] = len(queries)
    out["queries_per_s_rank"] = round(len(queries) / t_rank, 1) if t_rank else 0.0
    out["queries_per_s_total"] = round(len(queries) / (t_rank + t_embed), 1)
    out["index_build_s"] = round(t_index, 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    for k in (1, 3, 5):
        print(f"MAP@{k}: {out[f'map_at_{k}']:.4f}")
    print(f"{len(queries)} queries; ranking {out['queries_per_s_rank']}/s, with embedding "
          f"{out['queries_per_s_total']}/s (embeddings cached: {bool(args.cache)}); "
          f"index build {out['index_build_s']} s; peak RSS {out['peak_rss_mb']} MB")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
