"""Attribution benchmark on PolNeAR: source / cue / content spans.

    python bench/attribution.py --bio ../shared/bench/attribution/polnear/cofenet_bio/valid.jsonl \\
        --pred-out /tmp/attr/pred.jsonl
    python bench/attribution.py --ann-dir ../shared/bench/attribution/polnear/dev --pred-dir /tmp/attr/pred_ann

(a) ``--bio``: reads CofeNet BIO segments (only ``tokens`` is used; labels go to the scorer
in a subprocess), parses the given tokens with the full spaCy pipeline, tags them and scores
with ``tools/score_bio.py`` (exact-span F1 per component, comparable with published results).
(b) ``--ann-dir``: runs ``extract_groups`` on the raw texts of a split, writes brat ``.ann``
files under the gold names and scores with ``tools/polnear_ann.py``.
Both print sentences/s (spaCy parse included) and peak memory. ``--method rules`` scores
the rule tagger instead of the CRF.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _common import peak_rss_mb

from newstrace import attribution_crf as ac
from newstrace.attribution import extract_groups, tag_paragraph
from newstrace.nlp import spacy_pipeline

TOOLS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "attribution" / "polnear" / "tools"
# PTB spellings in the CofeNet tokens, mapped back to what spaCy saw in training.
PTB = {"``": "\u201c", "''": "\u201d", "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]",
       "-LCB-": "{", "-RCB-": "}"}


def run_bio(path: Path, pred_out: Path, method: str, workers: int, tools: Path) -> None:
    from spacy.tokens import Doc

    nlp = spacy_pipeline("full")
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    docs = [Doc(nlp.vocab, words=[PTB.get(t, t) for t in r["tokens"]]) for r in rows]
    t0 = time.perf_counter()
    n_sent = n_tok = 0
    pred_out.parent.mkdir(parents=True, exist_ok=True)
    with open(pred_out, "w", encoding="utf-8") as out:
        for doc in nlp.pipe(docs, batch_size=64, n_process=workers):
            n_sent += sum(1 for _ in doc.sents)
            n_tok += len(doc)
            labels = tag_paragraph(list(doc), method) if len(doc) else []
            out.write(json.dumps({"labels": labels}) + "\n")
    secs = time.perf_counter() - t0
    print(f"tagged {len(rows)} segments, {n_sent} sentences, {n_tok} tokens in {secs:.1f} s: "
          f"{n_sent / secs:.0f} sentences/s, {n_tok / secs:.0f} tokens/s; peak RSS {peak_rss_mb():.0f} MiB",
          flush=True)
    subprocess.run([sys.executable, str(tools / "score_bio.py"), str(path), str(pred_out)], check=True)


def _ann_lines(doc, groups: list[dict]) -> list[str]:
    lines: list[str] = []
    tid = 0

    def t_line(kind: str, frags: list[tuple[int, int]]) -> str:
        nonlocal tid
        tid += 1
        chars = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for s, e in frags]
        offs = ";".join(f"{a} {b}" for a, b in chars)
        text = " ".join(doc.text[a:b] for a, b in chars).replace("\n", " ")
        lines.append(f"T{tid}\t{kind} {offs}\t{text}")
        return f"T{tid}"

    for k, g in enumerate(groups, 1):
        cue = t_line("Cue", [g["cue"]])
        args = [f"Cue:{cue}"]
        if g["source"]:
            args.append("Source:" + t_line("Source", g["source"]))
        if g["content"]:
            args.append("Content:" + t_line("Content", sorted(g["content"])))
        anchor = "Attribution" if g["source"] else "Attribution-no-source"
        args.insert(0, f"{anchor}:" + t_line(anchor, [g["cue"]]))
        lines.append(f"E{k}\t" + " ".join(args))
    return lines


def run_ann(split: Path, pred_dir: Path, method: str, workers: int, tools: Path) -> None:
    nlp = spacy_pipeline("full")
    files = sorted(glob.glob(str(split / "text" / "*.txt")))
    texts = [open(f, encoding="utf-8").read() for f in files]
    gold = sorted(os.path.basename(p)[:-4] for p in glob.glob(str(split / "attributions" / "*.ann")))
    pred_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    n_sent = 0
    for f, doc in zip(files, nlp.pipe(texts, batch_size=8, n_process=workers)):
        n_sent += sum(1 for _ in doc.sents)
        article = os.path.basename(f)[:-4]
        lines = _ann_lines(doc, extract_groups(doc, method))
        for name in (g for g in gold if g.rsplit("_", 1)[0] == article):
            (pred_dir / f"{name}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    secs = time.perf_counter() - t0
    print(f"{len(files)} articles, {n_sent} sentences in {secs:.1f} s: {n_sent / secs:.0f} sentences/s; "
          f"peak RSS {peak_rss_mb():.0f} MiB", flush=True)
    subprocess.run([sys.executable, str(tools / "polnear_ann.py"), "score", str(split / "attributions"),
                    str(pred_dir)], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bio", type=Path, help="CofeNet BIO file (cofenet_bio/valid.jsonl format)")
    ap.add_argument("--pred-out", type=Path, default=Path("attribution_pred.jsonl"))
    ap.add_argument("--ann-dir", type=Path, help="PolNeAR split folder with text/ and attributions/")
    ap.add_argument("--pred-dir", type=Path, default=Path("attribution_pred_ann"))
    ap.add_argument("--method", choices=("auto", "crf", "rules"), default="auto")
    ap.add_argument("--workers", type=int, default=1, help="spaCy processes (n_process)")
    ap.add_argument("--tools", type=Path, default=TOOLS, help="folder with score_bio.py and polnear_ann.py")
    args = ap.parse_args()
    if ac.model_path() is None and args.method != "rules":
        print("note: no CRF model installed; using rules", file=sys.stderr)
    if args.bio:
        run_bio(args.bio, args.pred_out, args.method, args.workers, args.tools)
    if args.ann_dir:
        run_ann(args.ann_dir, args.pred_dir, args.method, args.workers, args.tools)
    if not (args.bio or args.ann_dir):
        ap.error("give --bio and/or --ann-dir")


if __name__ == "__main__":
    main()
