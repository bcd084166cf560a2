"""The held-out corpora of ``examples/scenarios`` scored against their answer keys.

    python bench/scenarios.py [--out DIR]

Runs ``newstrace run`` on ``contradictions.jsonl``, ``contradictions2.jsonl``, ``padding.jsonl``,
``names.jsonl``, ``hedges.jsonl``, ``changes.jsonl``, ``laundering2.jsonl``,
``contradictions3.jsonl`` to ``contradictions10.jsonl`` and ``independence.jsonl`` (each written,
with its ``EXPECTED_*.md``, by someone who had not read the code) and prints, per corpus, what
the answer key's tables check:

* contradictions (both corpora): origin groups (each key expects 22), contradiction flags, and
  which of the planted ``X`` rows a flag covers (a sentence of the row's side A on one side of
  the flag, one of its side B on the other); the embellishment flags, and which planted ``E``
  rows one covers;
* padding: origin groups (the key expects 18), how many of its five multi-article groups
  (a wire and its copy or padded rewrite) are found whole, which planted ``E`` rows an
  embellishment flag covers, and the embellishment flags on other articles;
* names: which planted garbles (``G`` rows: the rewrite and the garbled form) are among the
  run's garbles, and the garbles that are none of them;
* hedges: which planted ``A`` / ``H`` / ``E`` flags are raised on the right rewrite sentence
  (a flag of that kind with a span overlapping it), and the other flags of those kinds;
* changes: which facts a rewrite changed (``C`` rows) a contradiction flag covers on both
  sentences, which look-alikes (``N`` rows, the same fact told otherwise) one wrongly covers,
  which cross-source disagreements (``X`` rows) are found, and the flags that cover no row;
* laundering2: state-agency stories laundered through a network of rewrites, table by table
  (changed facts, dropped hedges and attributions, embellishments, garbled names,
  contradictions with independent reports, look-alikes), the origin groups and parent links;
* contradictions3 to contradictions10: contradictions between independent reports (``X``
  rows), look-alikes (``N`` rows) wrongly set against each other, origin groups (each key
  implies 27) and the contradiction flags that match no row;
* independence: copies, rewrites and independent reports of the same events: the origin
  groups against the key's (pairwise precision / recall / F1), the independent reports merged
  into another origin's group, the derived articles parted from their source, the parent links.

The last line is a JSON object. ``tests/test_e2e_scenarios.py`` keeps these figures as floors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from newstrace.cli import main as newstrace

SCENARIOS = Path(__file__).resolve().parents[1] / "examples" / "scenarios"
_ID = re.compile(r"\b(?:ctr|ct2|ct3|ct4|ct5|ct6|ct7|ct8|ct9|ct10|nam|hdg|pad|chg|lau|ind)-[a-z0-9-]+\b")


def _rows(name: str, prefix: str) -> list[list[str]]:
    """The table rows of ``EXPECTED_<name>.md`` whose id is ``prefix`` and a number (or a name,
    for a prefix ending in "-")."""
    rows = []
    tail = r"[a-z-]+" if prefix.endswith("-") else r"\d+"
    for line in (SCENARIOS / f"EXPECTED_{name}.md").read_text("utf-8").splitlines():
        if re.match(rf"\| {prefix}{tail} +\|", line):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def _run(name: str, out: Path) -> dict[str, Any]:
    here = out / name
    here.mkdir(parents=True, exist_ok=True)
    code = newstrace(["run", str(SCENARIOS / f"{name}.jsonl"), "--db", str(here / "s.db"), "--out", str(here), "-q"])
    if code != 0:
        raise SystemExit(f"newstrace run {name} failed ({code})")
    report = json.loads((here / "report.json").read_text("utf-8"))
    report["rid"] = {a["id"]: a["record_id"] for a in report["articles"]}
    return report


def _places(cell: str, text: dict[str, str]) -> set[tuple[str, int, int]]:
    """(article, start, end) of each quoted sentence of a table cell in each article it names."""
    out = set()
    for sentence in re.findall(r'"((?:[^"\\]|\\.)+)"', cell):
        sentence = sentence.replace('\\"', '"').strip(". ")
        for article in _ID.findall(cell):
            start = text.get(article, "").find(sentence[:60])
            if start >= 0:
                out.add((article, start, start + len(sentence)))
    return out


def _covers(spans: Any, places: set[tuple[str, int, int]]) -> bool:
    return any(a == b and s < e2 and e > s2 for a, s, e in spans for b, s2, e2 in places)


def _sides(report: dict[str, Any]) -> list[tuple[set[tuple[str, int, int]], set[tuple[str, int, int]]]]:
    """Each contradiction flag's two sides as (article, start, end) spans: its claims' spans
    and the sentences added for each side."""
    rid = report["rid"]
    out = []
    for f in report["flags"]:
        if f["kind"] != "contradiction":
            continue
        two = []
        for key in ("side_a", "side_b"):
            claims = set(f["evidence"][key].get("claim_ids", []))
            two.append({(rid[x["article_id"]], x["start"], x["end"]) for x in f["spans"] if x["claim_id"] in claims}
                       | {(rid[x["article_id"]], x["start"], x["end"]) for x in f["evidence"][key].get("sentences", [])})
        out.append((two[0], two[1]))
    return out


def _set_against(sides: list[tuple[set[tuple[str, int, int]], set[tuple[str, int, int]]]],
                 one: set[tuple[str, int, int]], other: set[tuple[str, int, int]]) -> list[int]:
    """The flags that hold a sentence of ``one`` on one side and one of ``other`` on the other."""
    return [k for k, (a, b) in enumerate(sides) if (_covers(a, one) and _covers(b, other))
            or (_covers(b, one) and _covers(a, other))]


def contradictions(report: dict[str, Any], name: str = "contradictions") -> dict[str, Any]:
    """A planted contradiction is found when one flag holds a sentence of its side A on one of
    its sides and one of its side B on the other; an embellishment (``E`` rows, where the key
    has them) when a flag has a span on its sentence."""
    rid = report["rid"]
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    sides = _sides(report)
    found = [row[0] for row in _rows(name, "X") if _set_against(sides, _places(row[3], text), _places(row[4], text))]
    embellished = [[(rid[s["article_id"]], s["start"], s["end"]) for s in f["spans"]]
                   for f in report["flags"] if f["kind"] == "embellishment"]
    planted_e = [row[0] for row in _rows(name, "E") if any(_covers(spans, _places(row[1] + ": " + row[2], text))
                                                          for spans in embellished)]
    return {"origins": len(report["origin_groups"]), "origins_expected": 22, "contradiction_flags": len(sides),
            "planted": len(_rows(name, "X")), "found": found, "embellishment_flags": len(embellished),
            "embellishments_found": planted_e, "embellishments_planted": len(_rows(name, "E"))}


def changes(report: dict[str, Any]) -> dict[str, Any]:
    """Which planted changes of a rewrite (``C`` rows) a contradiction flag covers (a span on
    the original's sentence on one side, one on the rewrite's on the other), which look-alikes (``N`` rows) one
    wrongly covers, which cross-source disagreements (``X`` rows) are found, the origin groups
    (the key expects 13) and the contradiction flags that cover no row at all."""
    rid = report["rid"]
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    sides = _sides(report)
    hit: dict[str, list[str]] = {"C": [], "N": [], "X": []}
    used: set[int] = set()
    for prefix in hit:
        for row in _rows("changes", prefix):
            ks = _set_against(sides, _places(row[3], text), _places(row[4], text))
            if ks:
                hit[prefix].append(row[0])
                used.update(ks)
    return {"origins": len(report["origin_groups"]), "origins_expected": 13, "planted": len(_rows("changes", "C")),
            "found": hit["C"], "lookalikes": len(_rows("changes", "N")), "lookalikes_flagged": hit["N"],
            "cross_source": len(_rows("changes", "X")), "cross_source_found": hit["X"],
            "contradiction_flags": len(sides), "other_contradiction_flags": len(sides) - len(used)}


def independent_contradictions(report: dict[str, Any], name: str = "contradictions3") -> dict[str, Any]:
    """The key of a corpus of independent reports (``contradictions3`` to ``contradictions10``):
    contradictions (``X`` rows) found when one flag sets the two sentences against each other,
    look-alikes (``N`` rows) wrongly set against each other, the origin groups (each key names
    one copy and one rewrite among 29 articles, so 27) and the contradiction flags that match
    no row."""
    rid = report["rid"]
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    sides = _sides(report)
    hit: dict[str, list[str]] = {"X": [], "N": []}
    used: set[int] = set()
    for prefix in hit:
        for row in _rows(name, prefix):
            ks = _set_against(sides, _places(row[3], text), _places(row[4], text))
            if ks:
                hit[prefix].append(row[0])
                used.update(ks if prefix == "X" else ())
    return {"origins": len(report["origin_groups"]), "origins_expected": 27,
            "planted": len(_rows(name, "X")), "found": hit["X"],
            "lookalikes": len(_rows(name, "N")), "lookalikes_flagged": hit["N"],
            "contradiction_flags": len(sides), "other_contradiction_flags": len(sides) - len(used)}


def independence(report: dict[str, Any], name: str = "independence") -> dict[str, Any]:
    """The provenance key of a corpus of derived and independent reports of the same events:
    the key's origin groups (its "Origin groups" list: an original with everything made from
    it, each independent report alone) against the run's, as pairwise precision, recall and F1
    over the pairs of articles put in one group; the independent reports the run put in a
    group with another origin's articles; the derived articles it parted from their origin;
    and the parent links the key's roles name ("heavy paraphrase of ind-...")."""
    rid = report["rid"]
    gold = [_ID.findall(line.partition(":")[2])
            for line in (SCENARIOS / f"EXPECTED_{name}.md").read_text("utf-8").splitlines()
            if re.match(r"- S-[\w-]+:", line)]
    run = [sorted(rid[a] for a in g["members"]) for g in report["origin_groups"]]
    gold_of = {a: k for k, g in enumerate(gold) for a in g}
    run_of = {a: k for k, g in enumerate(run) for a in g}
    arts = sorted(gold_of)
    pairs = [(a, b) for i, a in enumerate(arts) for b in arts[i + 1:]]
    same_gold = {p for p in pairs if gold_of[p[0]] == gold_of[p[1]]}
    same_run = {p for p in pairs if run_of.get(p[0], p[0]) == run_of.get(p[1], p[1])}
    hit = len(same_gold & same_run)
    precision = hit / len(same_run) if same_run else 1.0
    recall = hit / len(same_gold) if same_gold else 1.0
    alone = [g[0] for g in gold if len(g) == 1]
    merged = sorted(a for a in alone if len(run[run_of[a]]) > 1) if all(a in run_of for a in alone) else alone
    parents, sources = parent_links(report), made_from(name)
    parted = sorted(k for k, v in sources.items() if run_of.get(k, k) != run_of.get(v, v))
    return {"articles": len(arts), "origins": len(run), "origins_expected": len(gold),
            "pair_precision": round(precision, 4), "pair_recall": round(recall, 4),
            "pair_f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
            "independent": len(alone), "independent_merged": merged, "derived_parted": parted,
            "parents": len(sources), "parents_right": sum(parents.get(k) == {v} for k, v in sources.items()),
            "planted": len(alone), "found": [a for a in alone if a not in merged]}


def parent_links(report: dict[str, Any]) -> dict[str, set[str]]:
    """Each article's parents (record ids) by the run's parent links."""
    rid = report["rid"]
    out: dict[str, set[str]] = {}
    for e in report["edges"]:
        if e["direction_evidence"].get("parent") is True:
            out.setdefault(rid[e["derived_id"]], set()).add(rid[e["source_id"]])
    return out


def made_from(name: str) -> dict[str, str]:
    """The article each rewrite was made from, by the role column of the key's "Articles" table
    ("restyle of lau-pipe-kta", "near-verbatim copy of chg-fire-r2"; a note after " — " aside)."""
    out = {}
    for line in (SCENARIOS / f"EXPECTED_{name}.md").read_text("utf-8").splitlines():
        m = re.match(r"\| \d+ \| ([a-z0-9]+-[a-z0-9-]+) \|.*\| (.*) \|$", line)
        role = m.group(2).partition(" \u2014 ")[0] if m else ""  # a note after a dash is no role
        if m and (of := _ID.findall(" ".join(re.findall(r"\bof (\S+)", role.replace("*", ""))))):
            out[m.group(1)] = of[0]
    return out


def laundering2(report: dict[str, Any]) -> dict[str, Any]:
    """The laundering corpus's key, table by table: changed facts (``C``) and contradictions
    (``X``) found when a contradiction flag sets the two sentences against each other; dropped
    hedges or attributions (``H``) when a ``hedge-changed`` or ``attribution-dropped`` flag
    has a span on the rewrite's sentence, embellishments (``E``) when an ``embellishment``
    flag has; garbled names (``G``) when the run lists the garbled form in the rewrite; a
    look-alike (``N``) is flagged by any of those on its two sentences. Also the origin groups
    (the key expects 12), the parent links the key's roles name ("restyle of lau-..."), and the
    flags of each kind that match no row. A look-alike's hedge flag must hold both its sentences."""
    rid = report["rid"]
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    sides = _sides(report)
    kinds = {"H": ("hedge-changed", "attribution-dropped"), "E": ("embellishment",)}
    spans = {k: [[(rid[x["article_id"]], x["start"], x["end"]) for x in f["spans"]]
                 for f in report["flags"] if f["kind"] in v] for k, v in kinds.items()}
    out: dict[str, Any] = {}
    used: dict[str, set[int]] = {"X": set(), "H": set(), "E": set()}
    for prefix in "CXHEN":
        hit = []
        for row in _rows("laundering2", prefix):
            one, other = _places(row[3], text), _places(row[4], text)
            against = _set_against(sides, one, other)
            on = {k: [i for i, sp in enumerate(v) if _covers(sp, other)] for k, v in spans.items()}
            # A look-alike is flagged by a hedge or attribution change between its two sentences
            # (a flag on the rewrite's sentence against a third article is about something else).
            both = [i for i in on["H"] if _covers(spans["H"][i], one)]
            if prefix in "CX" and against or prefix in "HE" and on[prefix] or prefix == "N" and (
                    against or both or on["E"]):
                hit.append(row[0])
                if prefix in "CX":
                    used["X"].update(against)
                elif prefix in "HE":
                    used[prefix].update(on[prefix])
        out[prefix] = {"planted": len(_rows("laundering2", prefix)), "found": hit}
    garbled = [(rid[g["article_id"]], g["surface"]) for g in report["garbles"]]
    found_g, matched = [], set()
    for row in _rows("laundering2", "G"):
        forms = re.findall(r'"([^"]+)"', row[5])[1::2]  # the note's garbled forms: "right" → "garbled"
        arts = set(_ID.findall(row[4]))
        hits = {(a, g) for a, g in garbled if a in arts and any(f in g or g in f for f in forms)}
        if hits:
            found_g.append(row[0])
            matched |= hits
    out["G"] = {"planted": len(_rows("laundering2", "G")), "found": found_g,
                "other_garbles": len(set(garbled) - matched)}
    parents, sources = parent_links(report), made_from("laundering2")
    return {"origins": len(report["origin_groups"]), "origins_expected": 12, **out,
            "parents_right": sum(parents.get(k) == {v} for k, v in sources.items()), "parents": len(sources),
            "other_contradiction_flags": len(sides) - len(used["X"]),
            "other_hedge_flags": len(spans["H"]) - len(used["H"]),
            "other_embellishment_flags": len(spans["E"]) - len(used["E"]),
            "planted": sum(out[k]["planted"] for k in "CXHEG"),
            "found": [x for k in "CXHEG" for x in out[k]["found"]]}


def padding(report: dict[str, Any]) -> dict[str, Any]:
    """Origin groups against the key's (18: five pairs of a wire and its copy or padded
    rewrite, the rest alone), the planted embellishments (``E`` rows) a flag covers, and the
    embellishment flags on articles the key gives none."""
    rid = report["rid"]
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    groups = sorted(sorted(rid[m] for m in g["members"]) for g in report["origin_groups"])
    want = [sorted(_ID.findall(row[1])) for row in _rows("padding", "G-")]
    flags = [[(rid[s["article_id"]], s["start"], s["end"]) for s in f["spans"]]
             for f in report["flags"] if f["kind"] == "embellishment"]
    rows = _rows("padding", "E")
    found = [row[0] for row in rows if any(
        a == b and s < e2 and e > s2 for spans in flags for a, s, e in spans
        for b, s2, e2 in _places(row[1] + ": " + row[2], text))]
    planted = {a for row in rows for a in _ID.findall(row[1])}
    return {"origins": len(groups), "origins_expected": 18, "pairs_kept": sum(g in groups for g in want),
            "pairs": len(want), "planted": len(rows), "found": found,
            "other_embellishment_flags": sum(1 for spans in flags if not {a for a, _, _ in spans} & planted)}


def names(report: dict[str, Any]) -> dict[str, Any]:
    rid = report["rid"]
    garbled = [(rid[g["article_id"]], g["surface"]) for g in report["garbles"]]
    found, matched = [], set()
    for row in _rows("names", "G"):
        article, forms = row[1], re.findall(r'"([^"]+)"', row[2])
        hits = {(a, s) for a, s in garbled if a == article and any(f in s or s in f for f in forms)}
        if hits:
            found.append(row[0])
            matched |= hits
    false = sorted({f"{a}: {s}" for a, s in garbled} - {f"{a}: {s}" for a, s in matched})
    return {"planted": len(_rows("names", "G")), "found": found, "false": false}


def hedges(report: dict[str, Any]) -> dict[str, Any]:
    rid = report["rid"]
    text = {rid[a["id"]]: a["text"] for a in report["articles"]}
    kinds = {"A": "attribution-dropped", "H": "hedge-changed", "E": "embellishment"}
    found, used, missing = [], set(), []
    for prefix, kind in kinds.items():
        for row in _rows("hedges", prefix):
            article, sentence = (row[1], row[2]) if prefix == "E" else (row[2], row[3]) if prefix == "A" else (row[3], row[4])
            article, sentence = article.strip("*"), sentence.strip('"').replace('\\"', '"')
            start = text[article].find(sentence[:60])
            if start < 0:
                missing.append(row[0])
                continue
            hit = [k for k, f in enumerate(report["flags"]) if f["kind"] == kind and any(
                rid[s["article_id"]] == article and s["start"] < start + len(sentence) and s["end"] > start
                for s in f["spans"])]
            if hit:
                found.append(row[0])
                used.update(hit)
    others = sum(1 for k, f in enumerate(report["flags"]) if k not in used and f["kind"] in kinds.values())
    return {"planted": sum(len(_rows("hedges", p)) for p in kinds), "found": found, "other_flags": others,
            "sentence_not_in_text": missing}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", help="keep the runs here (default: a temporary folder)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out) if args.out else Path(tmp)
        result, t0 = {}, time.perf_counter()
        for name, score in (("contradictions", contradictions), ("contradictions2", lambda r: contradictions(
                r, "contradictions2")), ("padding", padding), ("names", names), ("hedges", hedges),
                                ("changes", changes), ("laundering2", laundering2),
                                ("contradictions3", independent_contradictions),
                                ("contradictions4", lambda r: independent_contradictions(r, "contradictions4")),
                                ("contradictions5", lambda r: independent_contradictions(r, "contradictions5")),
                                ("contradictions6", lambda r: independent_contradictions(r, "contradictions6")),
                                ("contradictions7", lambda r: independent_contradictions(r, "contradictions7")),
                                ("contradictions8", lambda r: independent_contradictions(r, "contradictions8")),
                                ("contradictions9", lambda r: independent_contradictions(r, "contradictions9")),
                                ("contradictions10", lambda r: independent_contradictions(r, "contradictions10")),
                                ("independence", independence)):
            result[name] = score(_run(name, out))
            r = result[name]
            print(f"{name:15s} found {len(r['found'])} of {r['planted']}: {', '.join(r['found'])}", file=sys.stderr)
        result["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
