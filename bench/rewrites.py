"""Rewrite-detection benchmark: origin groups and predicted originals on a JSON Lines set.

    python bench/rewrites.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl --pred-out pred.jsonl

Reads lines with ``doc_id`` and ``text`` (any other field is ignored: labels are used only by
the scorer, in a subprocess), runs the reuse and provenance stages, writes one line per
document ``{"doc_id", "group", "origin"}``, scores it with ``../shared/bench/score.py`` and
prints throughput per step and peak memory. ``--cache DIR`` keeps sentence spans and
embeddings between runs (keyed by a hash of the texts), for iterating on a shared machine.

``--parents-out PATH`` also writes each document's parent links (:func:`provenance.parent_links`)
as ``{"doc_id", "origin": its strongest parent or null, "parents": [...]}`` and scores them with
the same ``score.py origins``: on a set where every rewrite is made from its group's original
(SheepDog), ``origin_accuracy_llm_rewrite`` there is the share of rewrites whose parent link
points at their original, not at a sibling rewrite.
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

from newstrace.model import ReuseEdge
from newstrace.provenance import chain_to_origin, direct_edges, origin_groups, reconcile_edges
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


def _tag(r: int) -> str:
    """A letter suffix unique to replica ``r`` (``""`` for the original texts)."""
    out = ""
    while r:
        r, d = divmod(r - 1, 26)
        out = chr(97 + d) + out
    return "" if not out else "q" + out


def scale_records(recs: list[Record], vectors: np.ndarray, n: int) -> tuple[list[Record], np.ndarray]:
    """``n`` articles made of replicas of ``recs`` that share no word and no direction.

    Replica ``r`` appends a suffix unique to ``r`` to every alphabetic word (so its shingles and
    content terms are its own, while sentence structure, numbers and lengths stay those of real
    articles) and turns the article vectors by a random rotation unique to ``r`` (so cosines
    inside a replica are the real ones and cosines across replicas are those of unrelated
    texts). Each replica is thus an independent corpus with the real set's structure: memory and
    time can be measured at any size without embedding every synthetic text anew.
    """
    import re

    word = re.compile(r"[A-Za-z]+")
    out, vecs = [], []
    rng = np.random.default_rng(0)
    for r in range(-(-n // len(recs))):
        take = recs[: n - r * len(recs)]
        tag = _tag(r)
        if r == 0:
            rot = np.eye(vectors.shape[1], dtype=np.float32)
        else:
            q, _ = np.linalg.qr(rng.standard_normal((vectors.shape[1], vectors.shape[1])))
            rot = q.astype(np.float32)
        for rec in take:
            text = word.sub(lambda m: m.group(0) + tag, rec.text) if tag else rec.text
            out.append(Record(f"{rec.id}#{r}" if r else rec.id, text))
        vecs.append(vectors[: len(take)] @ rot)
    return out, np.concatenate(vecs).astype(np.float32)


def rss_mb() -> float:
    """Current resident memory of this process, in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


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
    ap.add_argument("--parents-out", help="also write and score each document's parent links here")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--batch", type=int, default=0, help="add articles in batches of this size (incremental)")
    ap.add_argument("--cache", help="folder for cached sentence spans and embeddings")
    ap.add_argument("--embed-words", type=int, default=ReuseConfig.embed_words,
                    help="words of each article's head that are embedded (the main cost)")
    ap.add_argument("--dump", help="pickle edges and groups here, for analysis")
    ap.add_argument("--scorer", default=str(SCORER))
    ap.add_argument("--scale", type=int, default=0,
                    help="run on this many synthetic articles: replicas of the data set that share no word "
                         "(see scale_records); for memory growth and throughput at size; nothing is scored")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="another value for a ReuseConfig threshold (repeatable), e.g. rewrite_sure_coverage=0.1")
    args = ap.parse_args(argv)

    overrides = {}
    for item in args.set:
        name, _, value = item.partition("=")
        if name not in ReuseConfig.__dataclass_fields__ or not value:
            ap.error(f"--set {item!r}: expected NAME=VALUE with NAME a ReuseConfig field")
        overrides[name] = type(getattr(ReuseConfig, name))(value)
    config = ReuseConfig(embed_words=args.embed_words, **overrides)
    recs = load(args.data, args.limit)
    digest = hashlib.sha256("\x00".join(r.id + r.text for r in recs).encode()).hexdigest()[:16]
    t = {}
    hit_s = hit_e = False

    def load_and_embed() -> np.ndarray:
        from newstrace.nlp import embedder

        t0 = time.perf_counter()
        embedder()  # loaded once per process: timed apart from the per-article cost
        t["model_load"] = time.perf_counter() - t0
        c0 = time.process_time()
        out = embed_articles([r.text for r in recs], config)
        t["embed_cpu"] = time.process_time() - c0  # CPU seconds of all the process's threads
        return out

    t0 = time.perf_counter()
    vectors, hit_e = cached(args.cache, f"emb{config.embed_words}-{digest}", load_and_embed)
    t["embed"] = time.perf_counter() - t0 - t.get("model_load", 0.0)
    if args.scale:
        recs, vectors = scale_records(recs, vectors, args.scale)
        hit_e = True  # the synthetic vectors are derived, not embedded: embedding is not timed

    rss_before = rss_mb()
    t0 = time.perf_counter()
    if args.scale:
        spans_list = [split_sentences(r.text) for r in recs]
    else:
        spans_list, hit_s = cached(args.cache, f"spans-{digest}",
                                   lambda: np.array([split_sentences(r.text) for r in recs], dtype=object))
    t["segment"] = time.perf_counter() - t0
    spans = {r.id: [tuple(s) for s in sp] for r, sp in zip(recs, spans_list)}

    c_stage = time.process_time()
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
    marked = reconcile_edges(directed, groups)  # as the pipeline stores them: parent links marked
    t["provenance"] = time.perf_counter() - t0
    t["stage_cpu"] = time.process_time() - c_stage
    t.update(step_t)

    if args.dump:
        import pickle

        with open(args.dump, "wb") as f:
            pickle.dump({"edges": directed, "groups": groups, "index": index.to_bytes()}, f)
    group_of = {m: g.id for g in groups for m in g.members}
    with open(args.pred_out, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps({"doc_id": r.id, "group": group_of[r.id], "origin": chain_to_origin(r.id, groups)}) + "\n")
    if args.parents_out:
        write_parents(args.parents_out, recs, marked)

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
    if args.scale:
        print("embed article heads: not run (replica vectors are rotations of the data set's)")
    else:
        print(f"embed article heads ({config.embed_words} words){' [cached]' if hit_e else ''}: "
              f"{n / t['embed']:.1f} art/s (model load {t.get('model_load', 0.0):.1f} s, apart)")
    cand_cpu = t["cpu_features"] + t["cpu_candidates"]
    print(f"candidate generation (shingles+MinHash+LSH+ANN): {n / cand:.0f} art/s; {n / cand_cpu:.0f} art per CPU-s")
    print(f"pair scores: {n / t['pair_scores']:.0f} art/s; alignment+classify: {n / t['alignment']:.1f} art/s; "
          f"provenance: {n / t['provenance']:.1f} art/s")
    print(f"whole stage without embedding: {n / stage:.1f} art/s; with embedding: "
          f"{n / (stage + (t['embed'] if not hit_e else 0)) if not hit_e else float('nan'):.1f} art/s")
    # On a shared machine wall-clock rates fall with the load; CPU time per article does not
    # (much). The stage is single-threaded, the model runs on 2 threads: an idle 2-core machine
    # would do about n / stage_cpu and n / (embed_cpu / 2) articles/s.
    print(f"CPU time: stage without embedding {t['stage_cpu']:.1f} s = {n / t['stage_cpu']:.1f} art per CPU-s"
          + (f"; embedding {t['embed_cpu']:.1f} s = {n / t['embed_cpu']:.1f} art per CPU-s; idle 2-core estimate "
             f"with embedding {n / (t['stage_cpu'] + t['embed_cpu'] / 2):.1f} art/s" if "embed_cpu" in t else ""))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB; RSS before segmenting and the stage {rss_before:.0f} MiB; "
          f"growth {peak - rss_before:.0f} MiB = {(peak - rss_before) * 1024 / n:.1f} KiB/article")
    if args.scale:
        return 0
    for cmd in ("clusters", "origins"):
        sys.stdout.flush()
        subprocess.run([sys.executable, args.scorer, cmd, args.data, args.pred_out], check=False)
    if args.parents_out:
        print("parent links, scored as origins (a rewrite is right when its strongest parent is its original):")
        sys.stdout.flush()
        subprocess.run([sys.executable, args.scorer, "origins", args.data, args.parents_out], check=False)
    return 0


def write_parents(path: str, recs: list[Record], edges: list[ReuseEdge]) -> None:
    """Each document's parent links, strongest first; ``origin`` is the strongest (null: none),
    so ``score.py origins`` scores it. Prints how many documents have more than one parent."""
    parents: dict[str, list[tuple[float, str]]] = {}
    for e in edges:
        if e.direction_evidence.get("parent"):
            parents.setdefault(e.derived_id, []).append((-float(e.score), e.source_id))
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            ps = [s for _, s in sorted(parents.get(r.id, []))]
            f.write(json.dumps({"doc_id": r.id, "origin": ps[0] if ps else None, "parents": ps}) + "\n")
    print(f"parent links: {sum(map(len, parents.values()))} on {len(parents)} documents, "
          f"{sum(len(v) > 1 for v in parents.values())} with more than one parent")


if __name__ == "__main__":
    sys.exit(main())
