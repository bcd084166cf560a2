"""Outlet boilerplate: how much of the furniture it masks and how much real text it takes.

No labelled set of outlet boilerplate exists, so this builds one from a labelled rewrite set
(default: SheepDog in ../shared/bench): every article goes to one of ``--outlets`` outlets,
and each outlet gets a footer (one to four sentences) and, for some, a header line, both
written here, added to a share of its articles (``--coverage``; the rest carry none, as items
from a wire feed or a live blog would). Two placements:

* ``random``: articles go to outlets at random;
* ``story``: every article of a labelled group (an original and its rewrites, restyles and
  light edits) goes to one outlet, the hard case: an outlet carrying several versions of one
  story, whose shared sentences must *not* be masked.

Scores, by characters: precision and recall of the masked text against the added furniture,
and the share of the original articles' own text masked (what must stay near zero), with
the number of articles that lost any. Prints articles/s of the stage (segmentation apart)
and peak memory; the last line is a JSON object.

``--reuse`` also runs rewrite detection and provenance (as ``bench/rewrites.py`` does) three
times on the ``story`` placement: the articles without furniture, with it, and with it masked
as the pipeline masks it, and scores each against the data's groups (pairwise F1, origin
accuracy with ``../shared/bench/score.py``): what furniture costs rewrite detection, and what
masking gives back. ``--cache`` keeps the article-head embeddings.

    .venv/bin/python bench/boilerplate.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl
    .venv/bin/python bench/boilerplate.py --placement story --reuse --cache /tmp/bp-cache
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SCORER, SHARED, peak_rss_mb  # noqa: E402

from newstrace import api, stages  # noqa: E402
from newstrace.boilerplate import mask  # noqa: E402
from newstrace.pipeline import SEGMENT, run_article_stage  # noqa: E402
from newstrace.progress import QUIET  # noqa: E402
from newstrace.stages import AnalyzeConfig  # noqa: E402
from newstrace.store import Store  # noqa: E402
from newstrace.text import clean_text  # noqa: E402

FOOTER_SENTENCES = [
    "This story was produced by the {o} newsroom.",
    "Sign up for the {o} morning briefing to get the day's news in your inbox.",
    "To report an error, write to corrections@{h} and we will review it.",
    "The {o} is funded by its readers; become a member at {h}/join.",
    "Views expressed by the people quoted here are their own.",
    "Follow {o} on social media for updates through the day.",
    "Copyright 2026 {o}. All rights reserved.",
    "Reporting by the {o} staff; editing by the night desk.",
]
HEADERS = ["Listen to this article.", "Read time: about four minutes.", "{o} | Local news you can trust."]


def furniture(k: int, rng: random.Random) -> tuple[str | None, str]:
    """Outlet ``k``'s header (or None) and footer."""
    o, h = f"Outlet {k} Daily", f"outlet{k}.example"
    footer = " ".join(s.format(o=o, h=h) for s in rng.sample(FOOTER_SENTENCES, rng.randint(1, 4)))
    header = rng.choice(HEADERS).format(o=o) if rng.random() < 0.4 else None
    return header, footer


def build(rows: list[dict[str, str]], outlets: int, coverage: float, placement: str, seed: int
          ) -> tuple[list[dict[str, str]], dict[str, tuple[int, int, list[tuple[int, int]]]]]:
    """The corpus as JSON Lines records, and per record id: (start, end) of the article's own
    text inside the new text, and the spans of furniture added."""
    rng = random.Random(seed)
    kit = [furniture(k, rng) for k in range(outlets)]
    group_outlet: dict[str, int] = {}
    records, truth = [], {}
    for i, r in enumerate(rows):
        if placement == "story":
            k = group_outlet.setdefault(r["canonical_group_id"], rng.randrange(outlets))
        else:
            k = rng.randrange(outlets)
        header, footer = kit[k]
        body = clean_text(r["text"])  # as stored, so that offsets agree
        text, added = "", []
        if rng.random() < coverage:
            if header:
                text = header + "\n\n"
                added.append((0, len(header)))
            start = len(text)
            text += body + "\n\n"
            added.append((len(text), len(text) + len(footer)))
            text += footer
        else:
            start = 0
            text = body
        doc_id = f"d{i:06d}"
        records.append({"title": f"Item {i}", "outlet": f"Outlet {k} Daily", "text": text,
                        "url": f"https://outlet{k}.example/{doc_id}", "doc_id": doc_id})
        truth[doc_id] = (start, start + len(body), added)
    return records, truth


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def reuse_scores(rows: list[dict[str, str]], texts: list[str], data: Path, label: str,
                 cache: Path | None) -> dict[str, float]:
    """Rewrite detection and origin groups over ``texts`` (one per row, doc ids the data's),
    scored against the data's groups."""
    import hashlib

    import numpy as np

    from newstrace.provenance import chain_to_origin, direct_edges, origin_groups
    from newstrace.reuse import Record, ReuseIndex, detect_reuse, embed_articles
    from newstrace.text import split_sentences

    recs = [Record(str(r["doc_id"]), t) for r, t in zip(rows, texts)]
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = cache / f"heads-{digest}.npy" if cache else None
    if path is not None and path.exists():
        vectors = np.load(path)
    else:
        vectors = embed_articles(texts)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
    spans = {r.id: split_sentences(r.text) for r in recs}
    edges = detect_reuse(recs, spans, index=ReuseIndex(), vectors=vectors).edges
    groups = origin_groups(direct_edges(edges, recs), recs)
    group_of = {m: g.id for g in groups for m in g.members}
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        pred.write_text("".join(json.dumps({"doc_id": r.id, "group": group_of[r.id],
                                            "origin": chain_to_origin(r.id, groups)}) + "\n" for r in recs))
        got = {}
        for cmd in ("clusters", "origins"):
            proc = subprocess.run([sys.executable, str(SCORER), cmd, str(data), str(pred)],
                                  capture_output=True, text=True, check=True)
            got.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    out = {"pair_f1": round(got["pair_f1"], 4), "pair_precision": round(got["pair_precision"], 4),
           "pair_recall": round(got["pair_recall"], 4), "origin_accuracy": round(got["origin_accuracy"], 4)}
    print(f"reuse, {label}: pairwise F1 {out['pair_f1']:.4f} (P {out['pair_precision']:.4f}, "
          f"R {out['pair_recall']:.4f}), origin accuracy {out['origin_accuracy']:.4f}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "bench" / "rewrites" / "sheepdog_dev.jsonl")
    ap.add_argument("--outlets", type=int, default=30)
    ap.add_argument("--coverage", type=float, default=0.8)
    ap.add_argument("--placement", choices=("random", "story", "both"), default="both")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reuse", action="store_true", help="score rewrite detection with and without masking")
    ap.add_argument("--cache", type=Path, help="folder for the article-head embeddings of --reuse")
    args = ap.parse_args()
    rows = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line.strip()]
    results = {}
    for placement in (("random", "story") if args.placement == "both" else (args.placement,)):
        records, truth = build(rows, args.outlets, args.coverage, placement, args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "corpus.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
            db = Path(tmp) / "b.db"
            api.ingest([path], db)
            with Store(db) as store:
                run_article_stage(store, SEGMENT, QUIET)
                t0, c0 = time.perf_counter(), time.process_time()
                stages.run_boilerplate(store, QUIET, AnalyzeConfig())
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                masks = store.boilerplate()
                stored = {a.meta.get("record_id"): a for a in store.articles()}
                ids = {d: a.id for d, a in stored.items()}
        tp = fp_own = masked = added_total = own_total = 0
        hurt = 0
        for doc_id, (start, end, added) in truth.items():
            got = masks.get(ids[doc_id], [])
            masked += sum(e - s for s, e in got)
            tp += overlap(got, added)
            lost = overlap(got, [(start, end)])
            fp_own += lost
            hurt += lost > 0
            added_total += sum(e - s for s, e in added)
            own_total += end - start
        res = {"precision": round(tp / masked, 4) if masked else 1.0,
               "recall": round(tp / added_total, 4) if added_total else 1.0,
               "own_text_masked": round(fp_own / own_total, 5), "articles_losing_text": hurt,
               "articles": len(truth), "articles_per_s": round(len(truth) / wall, 1),
               "cpu_s": round(cpu, 2)}
        if args.reuse and placement == "story":
            order = [f"d{i:06d}" for i in range(len(rows))]
            plain = [stored[d].text[truth[d][0]:truth[d][1]] for d in order]
            furnished = [stored[d].text for d in order]
            masked = [mask(stored[d].text, masks.get(ids[d], [])) for d in order]
            for label, texts in (("without furniture", plain), ("with furniture", furnished),
                                 ("with furniture, masked", masked)):
                for k, v in reuse_scores(rows, texts, args.data, label, args.cache).items():
                    res[f"reuse_{label.replace(',', '').replace(' ', '_')}_{k}"] = v
        results[placement] = res
        print(f"{placement}: masked-text precision {res['precision']:.4f}, recall {res['recall']:.4f}; "
              f"own text masked {res['own_text_masked']:.5f} ({hurt} of {len(truth)} articles lost any); "
              f"stage {res['articles_per_s']} articles/s ({wall:.2f} s wall, {cpu:.2f} CPU-s)", flush=True)
    print(f"peak RSS {peak_rss_mb():.1f} MB")
    print(json.dumps({**{f"{p}_{k}": v for p, r in results.items() for k, v in r.items()},
                      "peak_rss_mb": round(peak_rss_mb(), 1)}))


if __name__ == "__main__":
    main()
