"""MiniLM throughput on news sentences, and what the faster number formats cost in fidelity.

    python bench/embed.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl --n 3000

Takes the first N distinct sentences of five or more words (our sentence splitter) from the
``text`` field of a JSON Lines file (or, with ``--heads 96``, the heads of the first N articles
that the reuse stage embeds), embeds them with all-MiniLM-L6-v2 as
:func:`newstrace.nlp.embed` loads it, and prints sentences/s for each way of running the model:
float32; bfloat16 autocast (what the pipeline uses where the CPU multiplies bf16 natively);
the whole model rounded to bfloat16; dynamic int8 quantisation of its linear layers; and the
pipeline's own path, :func:`newstrace.nlp.embed`, which batches texts of similar length by a
budget of word pieces (``--budget``) instead of ``--batch-size`` texts a batch. For each
it also prints the cosine of its vectors to the float32 ones (mean and worst): a faster format
is only usable when that stays near 1. Also times one thread against the process default, and
shows how far a bf16 vector moves when the same texts are embedded in other groups (calls of
37 texts instead of one call): why the pipeline batches claims the same way on every executor.
The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from newstrace.nlp import EMBED_TOKENS_PER_BATCH, cpu_has_bf16, embed, embedder
from newstrace.text import split_sentences


def sentences(path: str, n: int) -> list[str]:
    out: dict[str, None] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            for s, e in split_sentences(text):
                sent = " ".join(text[s:e].split())
                if len(sent.split()) >= 5:
                    out[sent] = None
            if len(out) >= n:
                break
    return list(out)[:n]


def article_heads(path: str, n: int, words: int) -> list[str]:
    """The heads the reuse stage embeds (``reuse.article_heads``) of the first ``n`` articles."""
    from newstrace.reuse import article_heads as heads

    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()][:n]
    return heads(texts, words)


def unit(v: Any) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="JSON Lines with a text field")
    ap.add_argument("--n", type=int, default=3000, help="sentences (default 3000)")
    ap.add_argument("--batch-size", type=int, default=64, help="texts a batch for model.encode (64)")
    ap.add_argument("--budget", type=int, default=EMBED_TOKENS_PER_BATCH,
                    help=f"word pieces a batch for the pipeline's embed (default {EMBED_TOKENS_PER_BATCH})")
    ap.add_argument("--heads", type=int, metavar="WORDS",
                    help="embed the first WORDS words of each of the first N articles instead of sentences "
                         "(the reuse stage's article heads are 96 words)")
    args = ap.parse_args(argv)

    import torch

    texts = article_heads(args.data, args.n, args.heads) if args.heads else sentences(args.data, args.n)
    model = embedder()

    def run(m: Any, ctx: Callable[[], Any] = contextlib.nullcontext) -> tuple[np.ndarray, float]:
        m.encode(texts[:64], batch_size=args.batch_size)  # warm-up
        start = time.perf_counter()
        with ctx():
            v = m.encode(texts, batch_size=args.batch_size, normalize_embeddings=True, convert_to_numpy=True)
        return unit(v), len(texts) / (time.perf_counter() - start)

    @contextlib.contextmanager
    def threads(n: int) -> Iterator[None]:
        before = torch.get_num_threads()
        torch.set_num_threads(n)
        try:
            yield
        finally:
            torch.set_num_threads(before)

    ref, rate = run(model)
    results: dict[str, dict[str, float]] = {"float32": {"sentences_per_s": rate}}
    with threads(1):
        results["float32, 1 thread"] = {"sentences_per_s": run(model)[1]}
    variants: list[tuple[str, Any, Callable[[], Any]]] = [
        ("bf16 autocast", model, lambda: torch.autocast("cpu", dtype=torch.bfloat16)),
        ("bf16 model", copy.deepcopy(model).to(torch.bfloat16), contextlib.nullcontext),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the eager quantisation API's deprecation notice
        variants.append(("int8 dynamic", torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8), contextlib.nullcontext))
    for name, m, ctx in variants:
        v, r = run(m, ctx)
        cos = (v * ref).sum(axis=1)
        results[name] = {"sentences_per_s": r, "cosine_mean": float(cos.mean()), "cosine_min": float(cos.min())}

    embed(texts[:64], tokens_per_batch=args.budget)  # warm-up
    start = time.perf_counter()
    v = embed(texts, tokens_per_batch=args.budget)
    r = len(texts) / (time.perf_counter() - start)
    cos = (unit(v) * ref).sum(axis=1)
    results[f"pipeline, {args.budget} pieces"] = {"sentences_per_s": r, "cosine_mean": float(cos.mean()),
                                                  "cosine_min": float(cos.min())}

    # The same texts under bf16 autocast in other calls (other neighbours in each padded batch).
    with torch.autocast("cpu", dtype=torch.bfloat16):
        regrouped = unit(np.vstack([model.encode(texts[i:i + 37], batch_size=args.batch_size)
                                    for i in range(0, len(texts), 37)]))
        whole = unit(model.encode(texts, batch_size=args.batch_size))
    shift = {"max_abs_diff": float(np.abs(regrouped - whole).max()),
             "cosine_min": float((regrouped * whole).sum(axis=1).min())}

    words = sum(len(t.split()) for t in texts)
    kind = f"article heads of {args.heads} words" if args.heads else "sentences"
    print(f"{len(texts)} {kind}, mean {words / len(texts):.1f} words; {torch.get_num_threads()} threads; "
          f"native bf16: {cpu_has_bf16()}")
    for name, r in results.items():
        extra = (f"  cosine to float32 mean {r['cosine_mean']:.5f}, worst {r['cosine_min']:.5f}"
                 if "cosine_mean" in r else "")
        print(f"  {name:22s} {r['sentences_per_s']:7.0f} {'heads' if args.heads else 'sentences'}/s{extra}")
    print(f"  bf16, other calls: largest change of a coordinate {shift['max_abs_diff']:.5f}, "
          f"worst cosine {shift['cosine_min']:.6f}")
    print(json.dumps({"texts": kind, "sentences": len(texts), "mean_words": round(words / len(texts), 1),
                      "bf16_regrouped": {k: round(v, 6) for k, v in shift.items()},
                      "threads": torch.get_num_threads(),
                      "results": {k: {m: round(v, 5 if m.startswith("cos") else 1) for m, v in r.items()}
                                  for k, r in results.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
