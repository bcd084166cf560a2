"""Corroboration's cost outside the model, on a database kept by ``bench/pipeline.py --keep``.

    python bench/corroboration.py --db /tmp/keep/run/bench.db --cache /tmp/corr-vectors.npz

Reads every story with two or more articles as the stage does, embeds all their claims once
(cached in ``--cache``: MiniLM is most of the stage's time and would hide the rest), then
corroborates every story in this one process, printing the CPU seconds of that step, the
numbers of claim groups and flags (flags by kind, contradictions by rule), and a digest of all
of them: two versions of the code that
print the same digest on the same database find the same. Nothing is written to the database.
The last line is a JSON object.

``--merge-largest K`` instead corroborates one story made of the ``K`` largest stories (their
articles, claims, edges and origin groups together) and prints its CPU seconds and the peak
RSS of the process: how the stage's memory grows with the size of a story, which a corpus of
millions of articles makes far larger than any story of this run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _common import peak_rss_mb  # noqa: E402
from newstrace import codec, stages  # noqa: E402
from newstrace.corroboration import StoryInput  # noqa: E402
from newstrace.store import Store  # noqa: E402


def merged(parts: list[StoryInput]) -> StoryInput:
    """One story holding every article, claim, edge and origin group of ``parts``."""
    return StoryInput(
        "merged", [a for x in parts for a in x.articles], [c for x in parts for c in x.claims],
        {k: v for x in parts for k, v in x.origin_of.items()},
        {k: v for x in parts for k, v in x.origin_article.items()}, [e for x in parts for e in x.edges],
        {k: v for x in parts for k, v in x.claim_entities.items()},
        {k: v for x in parts for k, v in x.speaker_entity.items()})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="bench.db of a run kept with bench/pipeline.py --keep")
    ap.add_argument("--cache", help="npz file for the claim vectors (written when absent)")
    ap.add_argument("--merge-largest", type=int, metavar="K",
                    help="corroborate one story made of the K largest stories; print CPU-s and peak RSS")
    args = ap.parse_args(argv)

    with Store(args.db, create=False) as store:
        story_ids = sorted(set(store.story_of().values()))
        origin_of = store.origin_of()
        origin_article = {g.id: g.origin_id for g in store.origin_groups()}
        t = time.process_time()
        inputs = [x for x in (stages._story_input(store, s, origin_of, origin_article) for s in store.stories(story_ids))
                  if x is not None]
        load_s = time.process_time() - t
    n_claims = sum(len(x.claims) for x in inputs)
    cache = Path(args.cache) if args.cache else None
    if cache is not None and cache.exists():
        with np.load(cache) as z:
            vectors = [z[x.story_id] for x in inputs]
        embed_s = None
    else:
        t = time.process_time()
        vectors = stages.claim_vectors(inputs)
        embed_s = time.process_time() - t
        if cache is not None:
            np.savez(cache, **{x.story_id: v for x, v in zip(inputs, vectors)})
    config = stages._corroboration_config()
    if args.merge_largest:
        return corroborate_merged(inputs, vectors, config, args.merge_largest)
    t = time.process_time()
    results = [(x.story_id, *stages._corroborate_job((x, config, v))) for x, v in zip(inputs, vectors)]
    corroborate_s = time.process_time() - t
    out = {"stories": len(inputs), "claims": n_claims, "load_cpu_s": round(load_s, 1),
           "embed_cpu_s": None if embed_s is None else round(embed_s, 1),
           "corroborate_cpu_s": round(corroborate_s, 1),
           "claim_groups": sum(len(g) for _, g, _ in results), "flags": sum(len(f) for *_, f in results),
           "flags_by_rule": dict(sorted(Counter(":".join(f.rule.split(":")[:2]) if f.kind == "contradiction"
                                                else f.kind for *_, flags in results for f in flags).items())),
           "digest": digest_of(results)}
    print(f"{out['stories']} stories, {n_claims} claims; read {out['load_cpu_s']} CPU-s"
          + ("" if embed_s is None else f", claims embedded in {out['embed_cpu_s']} CPU-s"))
    print(f"corroborated in {out['corroborate_cpu_s']} CPU-s: {out['claim_groups']} claim groups, "
          f"{out['flags']} flags, digest {out['digest']}")
    print("flags: " + ", ".join(f"{k} {v}" for k, v in out["flags_by_rule"].items()))
    print(json.dumps(out))
    return 0


def digest_of(results: list[tuple[str, list[object], list[object]]]) -> str:
    """A hash of every claim group and flag, story by story, as the codec writes them."""
    digest = hashlib.sha256()
    for story_id, groups, flags in results:
        digest.update(story_id.encode())
        for record in (*groups, *flags):
            digest.update(codec.dumps(record).encode("utf-8"))
    return digest.hexdigest()[:16]


def corroborate_merged(inputs: list[StoryInput], vectors: list[np.ndarray], config: object, k: int) -> int:
    order = sorted(range(len(inputs)), key=lambda i: -len(inputs[i].claims))[:k]
    story = merged([inputs[i] for i in order])
    story_vectors = np.concatenate([vectors[i] for i in order])
    del inputs, vectors
    before = peak_rss_mb()
    t = time.process_time()
    groups, flags = stages._corroborate_job((story, config, story_vectors))
    out = {"stories_merged": len(order), "articles": len(story.articles), "claims": len(story.claims),
           "corroborate_cpu_s": round(time.process_time() - t, 1), "peak_rss_mib_before": round(before),
           "peak_rss_mib": round(peak_rss_mb()), "claim_groups": len(groups), "flags": len(flags),
           "digest": digest_of([(story.story_id, groups, flags)])}
    print(f"one story of the {k} largest: {out['articles']} articles, {out['claims']} claims, corroborated "
          f"in {out['corroborate_cpu_s']} CPU-s; peak RSS {out['peak_rss_mib']} MiB "
          f"({out['peak_rss_mib_before']} before); {len(groups)} claim groups, {len(flags)} flags, "
          f"digest {out['digest']}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
