"""Load test of the web server on loopback: p50/p95 latency of the story page and the claims
endpoint under concurrent requests, on a 20,000-article database.

The database is synthetic and built from records through the store's write methods (no NLP
model runs): stories of five articles (an original, a copy, an edit, a rewrite and an
independent report), reuse edges with aligned sentence pairs, origin groups, three claims per
article, claim groups and flags per story, mentions and entities. It is built once, when
``--db`` does not exist yet.

The server runs in its own process (uvicorn, ``--workers`` processes, default 1, access log
off) so that the client's event loop does not share its interpreter; on this machine both share
2 cores, so the figures are a floor for a real server.

    .venv/bin/python bench/web_load.py --db /tmp/web20k.db --requests 2000 --concurrency 100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import timed  # noqa: E402

from newstrace.model import (  # noqa: E402
    AlignedPair,
    Article,
    Claim,
    ClaimGroup,
    Entity,
    Flag,
    Mention,
    OriginGroup,
    ReuseEdge,
    Sentence,
    Span,
    Story,
)
from newstrace.store import Store  # noqa: E402

PLACES = ["Hessel", "Lindqvist", "Marrow Bay", "Oskarby", "Tallin Ford", "Velmar", "Quarry Hill", "Dunmere"]
THINGS = ["ferry route", "bridge repair", "school merger", "water tariff", "port closure", "rail timetable",
          "hospital wing", "wind farm", "housing plan", "bus depot"]
OUTLETS = [f"Outlet {i:03d}" for i in range(300)]
FIRST = ["Ingrid", "Tomas", "Marta", "Aleksandr", "Priya", "Jonas", "Elif", "Kwame", "Sofia", "Ravi"]
LAST = ["Solvang", "Brandt", "Oyelaran", "Khinshtein", "Varga", "Lindgren", "Okafor", "Moreau", "Castell", "Ahn"]


def _text(rng: random.Random, place: str, thing: str, person: str, n: int) -> list[str]:
    lines = [f"{place} {thing} decision expected this week"]
    templates = [
        "The council of {p} said on Monday that the {t} would go ahead in {m}.",
        "{who}, who leads the project, said the cost had risen to {n} million.",
        "\"We have listened to residents,\" {who} said.",
        "Opposition members claimed the plan was rushed, according to a statement.",
        "A source within the ministry said the {t} could be delayed until {m}.",
        "About {n} people attended a public meeting in {p} on Sunday.",
        "Officials said the work would take {k} weeks.",
        "The regional newspaper reported that contractors had not yet been chosen.",
        "Local traders said they feared a drop in visitors during the works.",
        "The final vote is planned for the end of {m}.",
    ]
    months = ["March", "April", "May", "June", "September"]
    for i in range(n):
        tpl = templates[i % len(templates)]
        lines.append(tpl.format(p=place, t=thing, who=person, m=rng.choice(months), n=rng.randint(2, 900),
                                k=rng.randint(2, 12)))
    return lines


def _sentences(article_id: str, lines: list[str]) -> tuple[str, list[Sentence]]:
    """The headline on its own line, then the sentences separated by spaces, with offsets."""
    parts, out, pos = [], [], 0
    for i, line in enumerate(lines):
        if i:
            sep = "\n" if i == 1 else " "
            parts.append(sep)
            pos += len(sep)
        out.append(Sentence(article_id, i, pos, pos + len(line), line))
        parts.append(line)
        pos += len(line)
    return "".join(parts), out


def build(db: Path, n_articles: int, seed: int = 7) -> None:
    """Write the synthetic corpus in batches of 200 stories per transaction."""
    rng = random.Random(seed)
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    entities = [Entity(f"ent{i}", f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}", "PERSON") for i in range(100)]
    mention_entity: dict[str, str] = {}
    mention_article: dict[str, str] = {}
    n_stories = n_articles // 5
    with Store(db) as store:
        for batch_start in range(0, n_stories, 200):
            with store.transaction():
                for s in range(batch_start, min(n_stories, batch_start + 200)):
                    _story(store, rng, s, t0, entities, mention_entity, mention_article)
        with store.transaction():
            for e in entities:
                e.mention_ids = [m for m, x in mention_entity.items() if x == e.id][:50]
            store.replace_entities(entities, mention_entity, mention_article, [])
            store.replace_origin_groups(_groups(n_stories))


def _groups(n_stories: int) -> list[OriginGroup]:
    out = []
    for s in range(n_stories):
        ids = [f"s{s:05d}a{k}" for k in range(5)]
        out.append(OriginGroup(f"og{s:05d}a", ids[:4], ids[0], {"rule": "reuse"}))
        out.append(OriginGroup(f"og{s:05d}b", ids[4:], ids[4]))
    return out


def _story(store: Store, rng: random.Random, s: int, t0: datetime, entities: list[Entity],
           mention_entity: dict[str, str], mention_article: dict[str, str]) -> None:
    place, thing = rng.choice(PLACES), rng.choice(THINGS)
    person = entities[rng.randrange(len(entities))]
    base = _text(rng, place, thing, person.canonical, 9)
    start = t0 + timedelta(hours=s * 2)
    ids = [f"s{s:05d}a{k}" for k in range(5)]
    variants = [base, list(base), base[:1] + [x.replace("said", "told reporters") for x in base[1:8]],
                base[:1] + [x.replace("The council", "Councillors").replace("would", "will") for x in base[1:6]],
                _text(rng, place, thing, entities[rng.randrange(len(entities))].canonical, 7)]
    articles, sents = [], {}
    for k, (aid, lines) in enumerate(zip(ids, variants)):
        text, ss = _sentences(aid, lines)
        sents[aid] = (text, ss)
        articles.append(Article(id=aid, text=text, source=f"synthetic/{aid}.txt", format="text", title=lines[0],
                                outlet=OUTLETS[rng.randrange(len(OUTLETS))], url=f"https://news.example/{aid}",
                                published_at=start + timedelta(minutes=37 * k), content_hash=aid))
    store.add_articles(articles)
    claim_ids: dict[str, list[str]] = {}
    for aid, (text, ss) in sents.items():
        store.put_sentences(aid, ss)
        claims = []
        for j, sent in enumerate(ss[1:4], start=1):
            cid = f"{aid}c{j}"
            claims.append(Claim(id=cid, article_id=aid, sentence_index=j,
                                content=Span(sent.start, sent.end, sent.text), source_kind="organisation",
                                hedge="reported" if j == 3 else "asserted"))
        store.put_claims(aid, claims)
        claim_ids[aid] = [c.id for c in claims]
        pos = text.find(person.canonical)
        ms = []
        if pos >= 0:
            mid = f"{aid}m0"
            ms.append(Mention(mid, aid, pos, pos + len(person.canonical), person.canonical, "PERSON"))
            mention_entity[mid] = person.id
            mention_article[mid] = aid
        store.put_mentions(aid, ms)
    edges = []
    for k, kind, score in ((1, "copy", 0.99), (2, "edit", 0.86), (3, "rewrite", 0.71)):
        sa, sb = sents[ids[0]][1], sents[ids[k]][1]
        pairs = [AlignedPair(i, i, Span(a.start, a.end, a.text), Span(b.start, b.end, b.text), score, score, score)
                 for i, (a, b) in enumerate(zip(sa, sb))]
        edges.append(ReuseEdge(ids[0], ids[k], kind, score, "synthetic", pairs=pairs, directed=True,
                               direction_evidence={"time": "earlier"}))
    store.put_edges(edges)
    sid = f"story{s:05d}"
    store.put_stories([Story(sid, ids, base[0], articles[0].published_at, articles[-1].published_at)],
                      [{"kind": "open", "story": sid}])
    groups = []
    for j in range(3):
        cl = [claim_ids[a][j] for a in ids[:4] if j < len(claim_ids[a])]
        groups.append(ClaimGroup(f"{sid}g{j}", sid, cl, ids[:4], [f"og{s:05d}a"], [a.outlet or "" for a in articles[:4]],
                                 base[j + 1], person.canonical, [], {}, [f"{sid}f0"] if j == 0 else [], "synthetic"))
    flag = Flag(f"{sid}f0", "single-origin", sid, ids[:4], groups[0].claim_ids,
                [{"article_id": ids[0], "claim_id": groups[0].claim_ids[0], "start": 0, "end": 10, "text": base[1]}],
                "Four articles, one origin.", "origin-count")
    store.replace_corroboration(sid, groups, [flag])


# --- load -------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_from_env() -> object:
    """uvicorn factory for ``--workers N``: each worker process builds its own read-only app."""
    from newstrace.web import create_app

    return create_app(os.environ["NEWSTRACE_BENCH_DB"], token="")


def _serve(db: str, port: int, workers: int) -> None:
    import uvicorn

    os.environ["NEWSTRACE_BENCH_DB"] = db
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    uvicorn.run("web_load:app_from_env", factory=True, workers=workers, host="127.0.0.1", port=port,
                log_level="warning", access_log=False)


async def _load(port: int, paths: list[str], concurrency: int) -> tuple[list[float], int, float]:
    """Closed-loop load: ``concurrency`` keep-alive connections, each sending its next request as
    soon as the previous answer is read. A bare asyncio HTTP/1.1 client, because a full client
    library costs more CPU per request than the server does and both share this machine."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    latencies: list[float] = []
    errors = 0

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty():
                path = queue.get_nowait()
                t = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html,application/json\r\n"
                             f"\r\n".encode())
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - t)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    start = time.perf_counter()
    results = await asyncio.gather(*(connection() for _ in range(min(concurrency, len(paths)))),
                                   return_exceptions=True)
    errors += sum(1 for r in results if isinstance(r, BaseException))
    return latencies, errors, time.perf_counter() - start


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="database to serve (built here if missing)")
    ap.add_argument("--articles", type=int, default=20_000, help="size of the synthetic database when built")
    ap.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (reads only)")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        _serve(args.db, args.port, args.workers)
        return 0
    db = Path(args.db)
    if not db.exists():
        with timed(f"built synthetic database {db}", args.articles):
            build(db, args.articles)
    with Store(db, create=False) as store:
        n_articles, n_stories, n_claims = store.count("articles"), store.count("stories"), store.count("claims")
        story_ids = [r[0] for r in store.conn.execute("SELECT id FROM stories")]
    print(f"database: {n_articles} articles, {n_stories} stories, {n_claims} claims")
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, __file__, "--serve", "--db", str(db), "--port", str(port),
                               "--workers", str(args.workers)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        rng = random.Random(args.seed)
        workloads = {
            "story page": [f"/stories/{rng.choice(story_ids)}" for _ in range(args.requests)],
            "claims endpoint": [f"/api/claims?limit=50&offset={rng.randrange(max(1, n_claims - 50))}"
                                for _ in range(args.requests)],
        }
        results = {}
        for name, paths in workloads.items():
            asyncio.run(_load(port, paths[:50], min(10, args.concurrency)))  # warm caches and threads
            lat, errors, wall = asyncio.run(_load(port, paths, args.concurrency))
            ms = [x * 1000 for x in lat]
            results[name] = {"requests": len(paths), "concurrency": args.concurrency, "errors": errors,
                             "p50_ms": round(_pct(ms, 50), 1), "p95_ms": round(_pct(ms, 95), 1),
                             "p99_ms": round(_pct(ms, 99), 1), "max_ms": round(max(ms), 1),
                             "requests_per_s": round(len(paths) / wall, 1)}
            r = results[name]
            print(f"{name}: {r['requests']} requests at concurrency {r['concurrency']}: p50 {r['p50_ms']} ms, "
                  f"p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms, "
                  f"{r['requests_per_s']} req/s, {errors} errors", flush=True)
        print(json.dumps({"articles": n_articles, "workers": args.workers, "results": results}))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
