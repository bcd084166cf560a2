"""Origin groups (or stories) of a whole-pipeline run scored against the input's labels.

    python bench/pipeline.py --data ../shared/bench/rewrites/sheepdog_dev.jsonl --n 2000 --keep /tmp/n
    python bench/pipeline_groups.py --keep /tmp/n --data ../shared/bench/rewrites/sheepdog_dev.jsonl
    python bench/pipeline_groups.py --keep /tmp/n --data ../shared/bench/rewrites/sheepdog_dev.jsonl --stories

``--stories`` scores the stories instead, against the same labels: no labelled set of
full-length stories is here, and each SheepDog group is one news item with its restyles, so
this measures how far the story cut merges different items about one subject (pairwise
precision; a few groups may be one event, so 1.0 is not the ceiling) and whether an item's
restyles stay in one story (recall).

``bench/rewrites.py`` scores the reuse and provenance stages alone, over one batch; this scores
what ``newstrace analyze`` stored: articles ingested from ``bench/pipeline.py``'s input
(located as ``FILE#id=DOC#COPY``), matched in batches against the stored index, grouped by
provenance. Each article takes the label (``canonical_group_id``) of the row its text came
from, copies included. Prints ``score.py clusters`` (pairwise F1, ACC, NMI; its last line JSON).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from newstrace.store import Store

SCORER = Path(__file__).resolve().parents[2] / "shared" / "bench" / "score.py"
_DOC = re.compile(r"#id=([^#]+)#\d+$")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", required=True, help="the folder bench/pipeline.py --keep wrote")
    ap.add_argument("--data", required=True, help="the JSON Lines its input was drawn from (doc_id, canonical_group_id)")
    ap.add_argument("--scorer", default=str(SCORER))
    ap.add_argument("--stories", action="store_true", help="score the stories, not the origin groups")
    args = ap.parse_args(argv)
    label = {}
    for line in open(args.data, encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            label[row["doc_id"]] = row["canonical_group_id"]
    with Store(Path(args.keep) / "bench.db", create=False) as store:
        if args.stories:
            group_of = store.story_of()
        else:
            group_of = {m: g.id for g in store.origin_groups() for m in g.members}
        rows = store.conn.execute("SELECT id, source FROM articles ORDER BY seq").fetchall()
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        n = 0
        with gold.open("w") as g, pred.open("w") as p:
            for article_id, source in rows:
                m = _DOC.search(source)
                if not m or m.group(1) not in label:
                    continue
                doc = source.rsplit("#id=", 1)[1]
                g.write(json.dumps({"doc_id": doc, "canonical_group_id": label[m.group(1)]}) + "\n")
                p.write(json.dumps({"doc_id": doc, "group": group_of.get(article_id, article_id)}) + "\n")
                n += 1
        print(f"{n} of {len(rows)} stored articles have a label")
        return subprocess.call([sys.executable, args.scorer, "clusters", str(gold), str(pred)])


if __name__ == "__main__":
    raise SystemExit(main())
