"""Train the attribution CRF (source / cue / content BIO tagger) on PolNeAR train.

Reproducible: the data are read from ``../shared/bench/attribution/polnear`` (not shipped),
parsed with ``newstrace.nlp.spacy_pipeline("full")`` (parses are cached under --cache),
and trained with L-BFGS, which is deterministic (there is no sampling; ``SEED`` only fixes
the order of the training sequences). Prints exact-span P/R/F1 per component on dev, on
spaCy tokens, and writes the model to src/newstrace/data/attribution_crf.bin.

    .venv/bin/python train/attribution_crf.py [--c1 0.05 --c2 0.01 --iters 100 --min-freq 3]
"""

from __future__ import annotations

import argparse
import glob
import os
import pickle
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newstrace import attribution_crf as ac  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "bench" / "attribution" / "polnear"
SEED = 13


def load_ann(path: str) -> list[dict]:
    sys.path.insert(0, str(POLNEAR / "tools"))
    import polnear_ann

    return polnear_ann.parse_ann(path)


def parsed_docs(split: str, cache: Path) -> dict:
    """Article name -> spaCy Doc, parsed once and cached as a DocBin."""
    from spacy.tokens import DocBin

    from newstrace.nlp import spacy_pipeline

    nlp = spacy_pipeline("full")
    bin_path, names_path = cache / f"{split}.spacy", cache / f"{split}.names"
    if not bin_path.exists():
        files = sorted(glob.glob(str(POLNEAR / split / "text" / "*.txt")))
        texts = [open(f, encoding="utf-8").read() for f in files]
        db = DocBin(store_user_data=False)
        for d in nlp.pipe(texts, batch_size=8):
            db.add(d)
        cache.mkdir(parents=True, exist_ok=True)
        db.to_disk(bin_path)
        names_path.write_text("\n".join(os.path.basename(f)[:-4] for f in files))
    names = names_path.read_text().split("\n")
    docs = list(DocBin().from_disk(bin_path).get_docs(nlp.vocab))
    return dict(zip(names, docs))


def gold_labels(doc, recs: list[dict]) -> list[str]:
    """One BIO label per token of ``doc`` from the attribution records of one annotator."""
    labels = ["O"] * len(doc)
    for rec in recs:
        for comp in ("source", "cue", "content"):
            for s, e in rec[comp]:
                span = doc.char_span(s, e, alignment_mode="expand")
                toks = [t.i for t in span if not t.is_space] if span is not None else []
                for k, i in enumerate(toks):
                    if labels[i] == "O":
                        labels[i] = ("B-" if k == 0 else "I-") + comp
    return labels


def sequences(split: str, cache: Path) -> list[tuple[str, list[list[str]], list[str]]]:
    """(annotation name, features, labels) per paragraph, for every .ann file of the split."""
    pk = cache / f"{split}.seqs.pkl"
    if pk.exists():
        return pickle.loads(pk.read_bytes())
    docs = parsed_docs(split, cache)
    out = []
    feats_cache: dict[str, list] = {}
    for ann in sorted(glob.glob(str(POLNEAR / split / "attributions" / "*.ann"))):
        name = os.path.basename(ann)[:-4]
        article = name.rsplit("_", 1)[0]
        doc = docs[article]
        labels = gold_labels(doc, load_ann(ann))
        if article not in feats_cache:
            feats_cache[article] = [
                (toks, ac.sequence_features(toks)) for toks in ac.paragraph_tokens(doc)
            ]
        for toks, feats in feats_cache[article]:
            out.append((name, feats, [labels[t.i] for t in toks]))
    pk.write_bytes(pickle.dumps(out))
    return out


def span_prf(gold: list[list[str]], pred: list[list[str]]) -> dict[str, tuple[float, float, float]]:
    res = {}
    for comp in ("source", "cue", "content"):
        tp = npred = ngold = 0
        for g, p in zip(gold, pred):
            gs = {s for s in ac.spans_from_bio(g) if s[0] == comp}
            ps = {s for s in ac.spans_from_bio(p) if s[0] == comp}
            tp += len(gs & ps); npred += len(ps); ngold += len(gs)
        P = tp / npred if npred else 0.0
        R = tp / ngold if ngold else 0.0
        res[comp] = (P, R, 2 * P * R / (P + R) if P + R else 0.0)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/attr"))
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--min-freq", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ac.DATA_DIR / ac.MODEL_FILE)
    args = ap.parse_args()

    import pycrfsuite

    t0 = time.time()
    train = sequences("train", args.cache)
    dev = sequences("dev", args.cache)
    print(f"features: {len(train)} train / {len(dev)} dev paragraphs in {time.time() - t0:.0f}s", flush=True)
    random.Random(SEED).shuffle(train)
    trainer = pycrfsuite.Trainer(verbose=False)
    for _, x, y in train:
        trainer.append(x, y)
    trainer.set_params({
        "c1": args.c1, "c2": args.c2, "max_iterations": args.iters,
        "feature.minfreq": args.min_freq, "feature.possible_transitions": True,
    })
    t0 = time.time()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    print(f"trained in {time.time() - t0:.0f}s -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(args.out))
    pred = [tagger.tag(x) for _, x, _ in dev]
    for comp, (P, R, F) in span_prf([y for _, _, y in dev], pred).items():
        print(f"dev exact-span {comp:8s} P={100 * P:.1f} R={100 * R:.1f} F1={100 * F:.1f}")


if __name__ == "__main__":
    main()
