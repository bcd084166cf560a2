"""Fit the claim re-ranker on the CheckThat! 2020 *train* split and write it into the package.

    nice -n 19 .venv/bin/python train/claim_matching.py --train ../shared/bench/claims/checkthat2020/train \\
        --claims ../shared/bench/claims/checkthat2020/verified_claims.docs.tsv --cache /tmp/bench/cmcache

Two steps, both on the train split only (nothing from dev or test is read):

1. **Adapters** (``src/newstrace/data/claim_adapters.npz``): for each pair of forms in
   ``ADAPTERS`` a linear map ``A`` (384 x 384) on the frozen MiniLM vectors, ``x -> normalise(x
   + x @ A)`` for queries and claims alike, trained with a softmax over *all* verified claims
   (the relevant claim against the other 10,374), temperature 0.05, Adam, 100 full-batch
   steps, L2 penalty 1e-3 on ``A`` (chosen on dev among 1e-2 / 1e-3 / 1e-4 and 100 / 300 steps:
   it overfits fast, train MAP 0.99).
2. **Re-ranker weights** (``src/newstrace/data/claim_ranker.json``): a pairwise logistic
   regression (:func:`newstrace.claim_matching.fit_weights`) over the ``FEATURES`` of the
   candidates of each train query. The adapter features of a train query come from adapters
   trained on the *other* four fifths of the train split (cross-fitting), because adapters
   that saw the query would look far better on it than they will on new queries.

Deterministic on one machine (fixed seed, full batches). ``--cache`` keeps MiniLM vectors.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_claim_matching", ROOT / "bench" / "claim_matching.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # type: ignore[union-attr]

from newstrace.claim_matching import ADAPTERS, FEATURES, ClaimIndex, fit_weights  # noqa: E402

DATA = ROOT / "src" / "newstrace" / "data"
FOLDS = 5


def train_adapter(queries: np.ndarray, targets: np.ndarray, claims: np.ndarray, l2: float = 1e-3,
                  steps: int = 100, lr: float = 1e-3, temperature: float = 0.05, seed: int = 0) -> np.ndarray:
    """``A`` such that ``normalise(q + q @ A)`` is closest to ``normalise(c + c @ A)`` of its claim."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    q, c = torch.tensor(queries), torch.tensor(claims)
    t = torch.tensor(targets, dtype=torch.long)
    a = torch.zeros(q.shape[1], q.shape[1], requires_grad=True)
    opt = torch.optim.Adam([a], lr=lr)
    for _ in range(steps):
        qa = torch.nn.functional.normalize(q + q @ a, dim=1)
        ca = torch.nn.functional.normalize(c + c @ a, dim=1)
        loss = torch.nn.functional.cross_entropy(qa @ ca.T / temperature, t) + l2 * (a ** 2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return a.detach().numpy().astype(np.float32)


def train_adapters(index: ClaimIndex, forms: dict[str, np.ndarray], targets: np.ndarray,
                   rows: np.ndarray) -> dict[str, np.ndarray]:
    claim_forms = index.claim_forms()
    return {name: train_adapter(forms[qk][rows], targets[rows], claim_forms[ck])
            for name, (qk, ck) in ADAPTERS.items()}


def cross_validated_map(feats: list[np.ndarray], labels: list[np.ndarray], candidate_ids: list[list[str]],
                        relevant: list[set[str]], fold: np.ndarray, k: int = 5) -> float:
    """MAP@k of the train queries (as the benchmark scores it), each ranked by weights fitted
    on the other folds: a second check of a change to the features, on four times as many
    queries as dev."""
    aps = []
    for f in np.unique(fold):
        fitted = np.flatnonzero(fold != f)
        w = np.asarray(fit_weights([feats[i] for i in fitted], [labels[i] for i in fitted]))
        for i in np.flatnonzero(fold == f):
            order = np.argsort(-(feats[i] @ w[:-1]), kind="stable")
            aps.append(bench.average_precision_at([candidate_ids[i][j] for j in order], relevant[i], k))
    return float(np.mean(aps))


def fit_ranker(index: ClaimIndex, folder: str, cache: str | None, log: bool = True
               ) -> tuple[tuple[float, ...], dict[str, np.ndarray]]:
    """(re-ranker weights + bias, adapters), both from the split in ``folder``."""
    queries, gold = bench.load_queries(folder)
    pos = {c.id: i for i, c in enumerate(index.claims)}
    queries = [q for q in queries if q.id in gold and any(g in pos for g in gold[q.id])]
    qv, sv = bench.query_vectors(queries, cache)
    forms = {"q": qv, "s": sv}
    targets = np.array([min(pos[g] for g in gold[q.id] if g in pos) for q in queries])
    fold = np.arange(len(queries)) % FOLDS
    feats: list[np.ndarray] = [np.zeros(0)] * len(queries)
    labels: list[np.ndarray] = [np.zeros(0)] * len(queries)
    candidate_ids: list[list[str]] = [[] for _ in queries]
    for k in range(FOLDS):
        held = np.flatnonzero(fold == k)
        index.adapters = train_adapters(index, forms, targets, np.flatnonzero(fold != k))
        sub = [queries[i] for i in held]
        for i, (cand, f) in zip(held, index.features(sub, qv[held], sv[held])):
            feats[i] = f
            candidate_ids[i] = [index.claims[j].id for j in cand]
            labels[i] = np.array([c in gold[queries[i].id] for c in candidate_ids[i]], dtype=np.int8)
        if log:
            print(f"fold {k + 1}/{FOLDS}", flush=True)
    if log:
        cv = cross_validated_map(feats, labels, candidate_ids, [gold[q.id] for q in queries], fold)
        print(f"train MAP@5, cross-validated over the {FOLDS} folds: {cv:.4f}", flush=True)
    weights = fit_weights(feats, labels)
    adapters = train_adapters(index, forms, targets, np.arange(len(queries)))
    index.adapters = adapters
    return weights, adapters


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True, help="train folder: tweets.queries.tsv and the qrels")
    ap.add_argument("--claims", required=True, help="verified_claims.docs.tsv")
    ap.add_argument("--cache", help="folder for cached embeddings")
    ap.add_argument("--out", default=str(DATA), help="folder for the two files (default: the package's)")
    args = ap.parse_args(argv)
    index = bench.build_index(args.claims, args.cache)
    weights, adapters = fit_ranker(index, args.train, args.cache)
    out = Path(args.out)
    np.savez_compressed(out / "claim_adapters.npz", **adapters)
    data = {"about": "Claim re-ranker of newstrace.claim_matching: pairwise logistic regression "
                     "fitted on CheckThat! 2020 task 2 train only, by train/claim_matching.py.",
            "features": list(FEATURES), "weights": list(weights[:-1]), "bias": weights[-1]}
    (out / "claim_ranker.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}/claim_ranker.json ({len(FEATURES)} weights) and claim_adapters.npz")
    return 0


if __name__ == "__main__":
    sys.exit(main())
