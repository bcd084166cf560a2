"""Memory of the reuse index per article, by part, on a database kept by ``bench/pipeline.py --keep``.

    python bench/reuse_memory.py --db /tmp/keep/run/bench.db

The pipeline's reuse stage holds its whole index in the driver's memory (every article's term
counts, MinHash signature and head vector, the band buckets, the document frequencies) and
pickles it into the store at each save. This loads the stored index, then drops one part at a
time and prints the Python memory each part held, per article (``tracemalloc``: the HNSW
graph lives in usearch's own memory and is not traced; the models and libraries the stage
imports are loaded first, so they do not count). Multiplied by a corpus size, it says how
large a corpus one driver can hold. It also pickles the loaded index again (the form this
code stores, which an index stored by older code is converted to on load) and times that: the
cost of each save. The last line is a JSON object.

``--band-table N`` also fills a band table (``reuse.BandTable``) with N random signatures in
batches of ``--batch`` articles, as the stage adds them, and times the adds and the lookups of
each batch: the cost of the LSH buckets at corpus sizes no benchmark set reaches.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newstrace import stages  # noqa: E402
from newstrace.reuse import BandTable, ReuseIndex, band_hashes  # noqa: E402
from newstrace.store import Store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="bench.db of a run kept with bench/pipeline.py --keep")
    ap.add_argument("--band-table", type=int, default=0, metavar="N", help="also time a band table of N articles")
    ap.add_argument("--batch", type=int, default=1000, help="articles per add with --band-table")
    args = ap.parse_args(argv)
    with Store(args.db, create=False) as store:
        state = store.get_state("reuse")
    if state is None or state[0] != stages.REUSE_VERSION:
        raise SystemExit(f"{args.db} holds no reuse index of version {stages.REUSE_VERSION}")
    loaded = ReuseIndex.from_bytes(state[1])  # also imports usearch, datasketch, scipy before tracing
    t = time.process_time()
    saved = loaded.to_bytes()
    save_cpu_s = time.process_time() - t
    del loaded
    gc.collect()
    tracemalloc.start()
    index = ReuseIndex.from_bytes(state[1])
    gc.collect()
    n = len(index)
    total = tracemalloc.get_traced_memory()[0]
    parts: dict[str, float] = {}
    left = total

    def drop(name: str, forget: Callable[[], object]) -> None:
        nonlocal left
        forget()
        gc.collect()
        now = tracemalloc.get_traced_memory()[0]
        parts[name] = round((left - now) / n)
        left = now

    drop("term lists", lambda: [setattr(f, "terms", ()) for f in index.features])
    drop("signatures", lambda: [setattr(f, "signature", None) for f in index.features])
    drop("head vectors", lambda: [setattr(f, "vector", None) for f in index.features])
    drop("band buckets", lambda: setattr(index, "buckets", []))
    drop("document frequencies", lambda: setattr(index, "df", None))
    drop("ids, positions, the rest", lambda: (setattr(index, "features", []), setattr(index, "position", {})))
    out = {"articles": n, "stored_bytes_per_article": round(len(state[1]) / n),
           "pickled_bytes_per_article": round(len(saved) / n), "pickle_cpu_s": round(save_cpu_s, 3),
           "traced_bytes_per_article": round(total / n), "parts": parts,
           "left_bytes_per_article": round(left / n)}
    print(f"{n} articles; stored {out['stored_bytes_per_article']} B/article, pickled again "
          f"{out['pickled_bytes_per_article']} B/article in {out['pickle_cpu_s']} CPU-s; in memory {out['traced_bytes_per_article']} B/article (traced, HNSW graph not included):")
    for name, size in parts.items():
        print(f"  {name:<26} {size:>7} B/article")
    if args.band_table:
        out["band_table"] = band_table_scale(index, args.band_table, args.batch)
    print(json.dumps(out))
    return 0


def band_table_scale(index: ReuseIndex, n: int, batch: int) -> dict[str, float]:
    """Fill a band table with ``n`` random signatures (values of the stored index's shape) and
    time adding and looking up each batch, the way the reuse stage does per batch."""
    import numpy as np

    rng = np.random.default_rng(0)
    table = BandTable(index.bands)
    tracemalloc.stop()
    tracemalloc.start()
    add_s = lookup_s = worst = 0.0
    for start in range(0, n, batch):
        sigs = rng.integers(0, 2**32, size=(min(batch, n - start), index.bands * index.rows), dtype=np.uint64)
        t = time.perf_counter()
        hashes = band_hashes(sigs.astype(np.uint32), index.bands, index.rows)
        table.add(hashes, np.arange(start, start + len(sigs)))
        t_add = time.perf_counter() - t
        t = time.perf_counter()
        table.lookup(hashes)
        t_lookup = time.perf_counter() - t
        add_s, lookup_s, worst = add_s + t_add, lookup_s + t_lookup, max(worst, t_add + t_lookup)
    held = tracemalloc.get_traced_memory()[0]
    result = {"articles": n, "bytes_per_article": round(held / n), "add_s": round(add_s, 1),
              "lookup_s": round(lookup_s, 1), "worst_batch_s": round(worst, 2)}
    print(f"band table of {n} articles in batches of {batch}: {result['bytes_per_article']} B/article, "
          f"adds {result['add_s']} s, lookups {result['lookup_s']} s, worst batch {result['worst_batch_s']} s")
    return result


if __name__ == "__main__":
    sys.exit(main())
