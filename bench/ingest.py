"""Ingest throughput on a synthetic corpus built from a JSON Lines text set.

Texts are taken from ``--data`` (default: the SheepDog rewrite set in ../shared/bench) and
varied (sentences dropped and reordered, seeded), then written in mixed formats (text,
Markdown, HTML pages, JSON Lines files, RSS feeds) so that every reader is exercised. Prints
articles/s for ingest (and for an idempotent re-ingest) and peak memory; ``--analyze`` also
times the analysis stages and the report on the same corpus.

    .venv/bin/python bench/ingest.py --n 10000
"""

from __future__ import annotations

import argparse
import html
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import SHARED, peak_rss_mb, timed  # noqa: E402

from newstrace import api  # noqa: E402
from newstrace.text import split_sentences  # noqa: E402


def variants(texts: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = texts[i % len(texts)]
        spans = split_sentences(text)
        sentences = [text[s:e] for s, e in spans]
        if i >= len(texts) and len(sentences) > 3:
            sentences = [s for s in sentences if rng.random() > 0.15] or sentences
            j = rng.randrange(len(sentences))
            sentences.insert(0, sentences.pop(j))
        out.append(" ".join(sentences) + f" (item {i})")
    return out


def write_corpus(texts: list[str], root: Path) -> None:
    jsonl: list[str] = []
    feed: list[str] = []
    for i, text in enumerate(texts):
        title = f"Story {i}: " + " ".join(text.split()[:8])
        kind = i % 10
        if kind < 4:
            (root / f"t{i:06d}.txt").write_text(f"{title}\n{text}\n", encoding="utf-8")
        elif kind == 4:
            (root / f"m{i:06d}.md").write_text(f"# {title}\n\n{text}\n", encoding="utf-8")
        elif kind < 7:
            page = (f"<html><head><title>{html.escape(title)}</title>"
                    f"<meta property='article:published_time' content='2026-01-{1 + i % 28:02d}T10:00:00+00:00'>"
                    f"</head><body><nav>Home | World</nav><article><h1>{html.escape(title)}</h1>"
                    + "".join(f"<p>{html.escape(p)}</p>" for p in text.split(". "))
                    + "</article><footer>About us</footer></body></html>")
            (root / f"h{i:06d}.html").write_text(page, encoding="utf-8")
        elif kind < 9:
            jsonl.append(json.dumps({"doc_id": f"d{i}", "title": title, "text": text, "outlet": "Bench Wire",
                                     "published": "2026-01-02T10:00:00Z"}))
        else:
            feed.append(f"<item><title>{html.escape(title)}</title><link>https://bench.example/{i}</link>"
                        f"<pubDate>Fri, 02 Jan 2026 10:00:00 GMT</pubDate>"
                        f"<description>{html.escape(text)}</description></item>")
    for k in range(0, len(jsonl), 100):
        (root / f"batch{k:06d}.jsonl").write_text("\n".join(jsonl[k:k + 100]) + "\n", encoding="utf-8")
    for k in range(0, len(feed), 20):
        (root / f"feed{k:06d}.xml").write_text(
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Bench Feed</title>"
            + "".join(feed[k:k + 20]) + "</channel></rss>", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "bench" / "rewrites" / "sheepdog_dev.jsonl")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--analyze", action="store_true",
                        help="also time `analyze` (every analysis stage) and `report` on the ingested corpus")
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in args.data.open(encoding="utf-8") if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        root.mkdir()
        write_corpus(variants(texts, args.n, args.seed), root)
        n_files = sum(1 for _ in root.iterdir())
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(f"corpus: {args.n} articles in {n_files} files, mean {words:.0f} words (source texts)")
        db = Path(tmp) / "bench.db"
        with timed("ingest", args.n):
            summary = api.ingest([root], db)
        print(f"  stored {summary.articles_new} articles, {summary.rejections} rejections")
        print(f"peak memory after ingest: {peak_rss_mb():.0f} MiB; database {db.stat().st_size / 2**20:.0f} MiB")
        if args.analyze:
            with timed("analyze (every analysis stage)", args.n):
                api.analyze(db)
            with timed("report", args.n):
                api.report(db, Path(tmp) / "out")
            print(f"peak memory: {peak_rss_mb():.0f} MiB; database {db.stat().st_size / 2**20:.0f} MiB")
        with timed("re-ingest (idempotent, nothing new)", args.n):
            again = api.ingest([root], db)
        assert again.articles_new == 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
