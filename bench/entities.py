"""Entity benchmark: name matching on a labelled pair set, and canonicalisation at scale.

    python bench/entities.py --data ../shared/bench/entities/ofac_pairs_dev.jsonl --pred-out pred.jsonl

Part 1 runs the name matcher alone (no context) on lines ``{"pair_id", "name_a", "name_b",
"type"}`` (labels are read only by the scorer, in a subprocess), writes ``{"pair_id", "same"}``
per line, scores with ``../shared/bench/score.py pairs`` and prints pairs/s (caches cleared,
so every name is parsed afresh). ``--halves K`` then estimates how far a held-back half can
fall from the whole: K random halves of the pair set, split by person (names joined by a
"same" pair stay together), with person variant recall and false merges per half; this part
reads the labels. Part 2 canonicalises ``--mentions`` synthetic mentions
(default 100,000) generated here from made-up name parts, and prints the time and what came
out. Peak memory is printed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from newstrace import names
from newstrace.entities import canonicalize
from newstrace.model import Mention

SCORER = Path(__file__).resolve().parents[2] / "shared" / "bench" / "score.py"


def _clear_caches() -> None:
    for fn in (names.normalize, names.translit_key, names.skeleton, names.loose_keys,
               names.parse_person, names.parse_org, names.match_persons, names.match_orgs,
               names._tokens_match, names._nysiis, names._token_similarity, names.slavic_fold,
               names._initial_sound_fold):
        fn.cache_clear()


def run_pairs(data: str, pred_out: str) -> dict[str, bool]:
    rows = [json.loads(line) for line in open(data, encoding="utf-8") if line.strip()]
    _clear_caches()
    start = time.perf_counter()
    preds = [{"pair_id": r["pair_id"], "same": names.match_names(r["name_a"], r["name_b"], r["type"]).same}
             for r in rows]
    elapsed = time.perf_counter() - start
    with open(pred_out, "w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p) + "\n")
    proc = subprocess.run([sys.executable, str(SCORER), "pairs", data, pred_out], capture_output=True, text=True)
    print(proc.stdout, end="")
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)
    print(f"name pairs: {len(rows)} in {elapsed:.3f} s = {len(rows) / elapsed:,.0f} pairs/s (1 process)")
    return {p["pair_id"]: p["same"] for p in preds}


def split_halves(data: str, predicted: dict[str, bool], k: int) -> None:
    """Person variant recall and false merges on ``k`` random halves split by person."""
    rows = [json.loads(line) for line in open(data, encoding="utf-8") if line.strip()]
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    people = [r for r in rows if r["type"] == "person"]
    for r in people:
        if r["same"]:
            parent[root(r["name_a"].lower())] = root(r["name_b"].lower())
    scored = [r for r in people if r["tier"] in ("variant_like", "negative")]
    low = 1.0
    for seed in range(k):
        counts = {0: [0, 0, 0, 0], 1: [0, 0, 0, 0]}  # found, variants, merged, namesakes
        for r in scored:
            person = min(root(r["name_a"].lower()), root(r["name_b"].lower()))
            half = int(hashlib.md5(f"{seed}:{person}".encode()).hexdigest(), 16) % 2
            at = 0 if r["tier"] == "variant_like" else 2
            counts[half][at] += predicted[r["pair_id"]]
            counts[half][at + 1] += 1
        low = min(low, *(c[0] / max(c[1], 1) for c in counts.values()))
        print(f"halves {seed}: " + "   ".join(
            f"recall {c[0] / max(c[1], 1):.3f} ({c[0]}/{c[1]}), false merges {c[2] / max(c[3], 1):.3f} ({c[2]}/{c[3]})"
            for c in counts.values()))
    print(f"lowest half recall over {k} splits: {low:.3f}")


_ONSETS = ["b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "sh", "kh", "ch", "zh"]
_VOWELS = ["a", "e", "i", "o", "u"]
_ENDINGS = ["ov", "ev", "in", "enko", "uk", "ski", "ova", "an", "ek", "ich"]
_VARIANTS = [("y", "i"), ("i", "y"), ("kh", "h"), ("ov", "off"), ("sh", "sch")]


def _word(rng: random.Random, syllables: int, ending: str = "") -> str:
    return ("".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + ending).capitalize()


def synthetic_mentions(n: int, seed: int = 7) -> list[Mention]:
    """``n`` mentions over n/20 articles: people (full names, transliteration variants, bare
    surnames, titles) and organisations (long forms and acronyms), all made up here."""
    rng = random.Random(seed)
    given = [_word(rng, 2) for _ in range(300)]
    people = [(rng.choice(given), _word(rng, 2, rng.choice(_ENDINGS))) for _ in range(max(n // 40, 10))]
    orgs = [" ".join(_word(rng, 2) for _ in range(3)) + " " + rng.choice(["Agency", "Bank", "Council"])
            for _ in range(max(n // 200, 5))]
    roles = ["defence minister", "spokesman", "governor", None, None]
    out: list[Mention] = []
    n_articles = max(n // 20, 1)
    while len(out) < n:
        aid = f"a{rng.randrange(n_articles)}"
        g, s = rng.choice(people)
        r = rng.random()
        if r < 0.1:
            text = f"{g} {s}".replace(*rng.choice(_VARIANTS))
        elif r < 0.35:
            text = s
        elif r < 0.8:
            text = f"{g} {s}"
        else:
            o = rng.choice(orgs)
            text = o if rng.random() < 0.7 else "".join(w[0] for w in o.split()).upper()
            out.append(Mention(f"m{len(out)}", aid, len(out), len(out) + len(text), text, "ORG"))
            continue
        out.append(Mention(f"m{len(out)}", aid, len(out), len(out) + len(text), text, "PERSON",
                           role=rng.choice(roles)))
    return out


def run_canonicalize(n: int) -> None:
    mentions = synthetic_mentions(n)
    start = time.perf_counter()
    result = canonicalize(mentions)
    elapsed = time.perf_counter() - start
    merges = sum(len(e.merges) for e in result.entities)
    print(f"canonicalise: {len(mentions):,} mentions in {elapsed:.2f} s = {len(mentions) / elapsed:,.0f} mentions/s; "
          f"{len(result.entities):,} entities, {merges:,} merges, {len(result.garbles):,} garbles, "
          f"{len(result.unresolved):,} unresolved")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--pred-out", required=True)
    ap.add_argument("--mentions", type=int, default=100_000, help="synthetic mentions to canonicalise (0: skip)")
    ap.add_argument("--halves", type=int, default=0, metavar="K",
                    help="also score K random halves split by person (reads the labels)")
    args = ap.parse_args(argv)
    predicted = run_pairs(args.data, args.pred_out)
    if args.halves:
        split_halves(args.data, predicted, args.halves)
    if args.mentions:
        run_canonicalize(args.mentions)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
