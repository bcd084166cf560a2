"""A small fictional database written through the store's write methods, so the web tests
need no models: two stories, a copy, a rewrite with a garbled name, an independent report
with a contradicting figure, and a hostile article (``<script>``, ``javascript:`` links).

Every text here is written by the newstrace team.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from newstrace.model import (
    AlignedPair,
    Article,
    Claim,
    ClaimGroup,
    Entity,
    Flag,
    Garble,
    Merge,
    Mention,
    OriginGroup,
    ReuseEdge,
    Sentence,
    Span,
    Story,
)
from newstrace.store import Store

ORIGINAL = (
    "Port of Hessel to close for dredging\n"
    "The Port of Hessel will close to cargo ships for six weeks from 1 April, the port authority said on Monday. "
    "Ingrid Solvang, the port director, said the channel had silted up after the winter storms. "
    "\"We cannot let a loaded ship run aground,\" Solvang said. "
    "About 40 dock workers will be moved to the northern terminal."
)
COPY = (
    "Port of Hessel to close for dredging\n"
    "The Port of Hessel will close to cargo ships for six weeks from 1 April, the port authority said on Monday. "
    "Ingrid Solvang, the port director, said the channel had silted up after the winter storms. "
    "\"We cannot let a loaded ship run aground,\" Solvang said. "
    "About 40 dock workers will be moved to the northern terminal."
)
REWRITE = (
    "Hessel harbour shuts for six weeks\n"
    "Cargo ships will be kept out of the Port of Hessel for six weeks starting 1 April, officials announced. "
    "Port director Ingrid Solvaag said winter storms had left the channel silted. "
    "A source within the ministry said the closure could last months. "
    "Some 40 dock workers are being moved north."
)
INDEPENDENT = (
    "Dredging work to start at Hessel\n"
    "Dredgers will arrive in Hessel at the end of March, the contractor Baltic Silt told the North Ledger. "
    "The company said the work would take four weeks. "
    "Dock workers' union leader Tomas Brandt said nobody had consulted the crews."
)
HOSTILE = (
    "<script>window.__pwned = 1; alert('pwned')</script> Festival tickets sold out\n"
    "Organisers said all 5,000 tickets for the Lindqvist summer festival sold out in an hour. "
    "Fans were told to click <a href=\"javascript:window.__pwned=2\">this link</a> for a refund, "
    "or javascript:alert(document.cookie) in the address bar. "
    "<img src=x onerror=\"window.__pwned=3\"> The festival runs from 12 July."
)
FOLLOW_UP = (
    "Festival tickets gone in an hour\n"
    "Organisers said all 5,000 tickets for the Lindqvist summer festival sold out in an hour. "
    "The festival runs from 12 July, with a second stage this year."
)

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


def _at(hours: float) -> datetime:
    return T0.replace(hour=8 + int(hours), minute=int(round((hours % 1) * 60)))


def span(text: str, part: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``part`` in ``text`` (test data must contain it)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(start, start + len(part), part)


def sentences(article_id: str, text: str) -> list[Sentence]:
    out = []
    for i, m in enumerate(re.finditer(r"[^\n.!?]+(?:[.!?]+\"?|(?=\n)|$)", text)):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if s < e:
            out.append(Sentence(article_id, len(out), s, e, text[s:e]))
    return out


def _pair(a_text: str, b_text: str, a_part: str, b_part: str, ia: int, ib: int, score: float,
          lexical_only: bool = False) -> AlignedPair:
    return AlignedPair(a_index=ia, b_index=ib, a=span(a_text, a_part), b=span(b_text, b_part),
                       cosine=None if lexical_only else score, lexical=round(score - 0.05, 3), score=score)


ARTICLES: dict[str, tuple[str, str, str, datetime | None, str | None]] = {
    # id: (text, outlet, title, published, url)
    "art-wire": (ORIGINAL, "Valdmark Wire", "Port of Hessel to close for dredging", _at(0), "https://wire.example/hessel"),
    "art-copy": (COPY, "Coastline Daily", "Port of Hessel to close for dredging", _at(1.25), "https://coastline.example/1"),
    "art-rewrite": (REWRITE, "Harbour Times", "Hessel harbour shuts for six weeks", _at(3.5), None),
    "art-indep": (INDEPENDENT, "North Ledger", "Dredging work to start at Hessel", _at(5), "https://ledger.example/d"),
    "art-hostile": (HOSTILE, "Evil <b>Gazette</b>", "<script>alert('title')</script> Festival tickets sold out",
                    datetime(2026, 4, 10, 12, 0, tzinfo=timezone.utc), "javascript:alert('url')"),
    "art-follow": (FOLLOW_UP, "Lindqvist Post", "Festival tickets gone in an hour",
                   datetime(2026, 4, 10, 15, 30, tzinfo=timezone.utc), "https://post.example/f"),
}


def build_db(path: Path) -> Path:
    """Write the fixture database at ``path`` (replaced if present) and return it."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    arts = {aid: Article(id=aid, text=t, source=f"fixture/{aid}.txt", format="text", title=title, url=url,
                         outlet=outlet, published_at=pub, content_hash=aid)
            for aid, (t, outlet, title, pub, url) in ARTICLES.items()}
    o, c, r, ind, h, f = (arts[k].text for k in ("art-wire", "art-copy", "art-rewrite", "art-indep",
                                                   "art-hostile", "art-follow"))
    claims = {
        "art-wire": [
            Claim(id="c-wire-1", article_id="art-wire", sentence_index=1,
                  content=span(o, "The Port of Hessel will close to cargo ships for six weeks from 1 April"),
                  cue=span(o, "said"), source=span(o, "the port authority"), source_kind="organisation",
                  source_entity="Port of Hessel"),
            Claim(id="c-wire-2", article_id="art-wire", sentence_index=2,
                  content=span(o, "the channel had silted up after the winter storms"), cue=span(o, "said", 1),
                  source=span(o, "Ingrid Solvang"), source_kind="person", source_entity="Ingrid Solvang"),
        ],
        "art-copy": [
            Claim(id="c-copy-1", article_id="art-copy", sentence_index=1,
                  content=span(c, "The Port of Hessel will close to cargo ships for six weeks from 1 April"),
                  cue=span(c, "said"), source=span(c, "the port authority"), source_kind="organisation",
                  source_entity="Port of Hessel"),
        ],
        "art-rewrite": [
            Claim(id="c-rw-1", article_id="art-rewrite", sentence_index=1,
                  content=span(r, "Cargo ships will be kept out of the Port of Hessel for six weeks starting 1 April"),
                  cue=span(r, "announced"), source=span(r, "officials"), source_kind="role"),
            Claim(id="c-rw-2", article_id="art-rewrite", sentence_index=3,
                  content=span(r, "the closure could last months"), cue=span(r, "said", 1),
                  source=span(r, "A source within the ministry"), source_kind="anonymous", hedge="speculated",
                  hedge_cues=(span(r, "could"),)),
        ],
        "art-indep": [
            Claim(id="c-ind-1", article_id="art-indep", sentence_index=2, content=span(ind, "the work would take four weeks"),
                  cue=span(ind, "said"), source=span(ind, "The company"), source_kind="organisation",
                  source_entity="Baltic Silt"),
        ],
        "art-hostile": [
            Claim(id="c-host-1", article_id="art-hostile", sentence_index=1,
                  content=span(h, "all 5,000 tickets for the Lindqvist summer festival sold out in an hour"),
                  cue=span(h, "said"), source=span(h, "Organisers"), source_kind="organisation"),
        ],
    }
    mentions = {
        "art-wire": [Mention("m1", "art-wire", *_se(o, "Ingrid Solvang"), "PERSON"),
                     Mention("m2", "art-wire", *_se(o, "Port of Hessel"), "ORG")],
        "art-copy": [Mention("m3", "art-copy", *_se(c, "Ingrid Solvang"), "PERSON")],
        "art-rewrite": [Mention("m4", "art-rewrite", *_se(r, "Ingrid Solvaag"), "PERSON"),
                        Mention("m5", "art-rewrite", *_se(r, "Port of Hessel"), "ORG")],
        "art-indep": [Mention("m6", "art-indep", *_se(ind, "Tomas Brandt"), "PERSON"),
                      Mention("m7", "art-indep", *_se(ind, "Baltic Silt"), "ORG")],
    }
    entities = [
        Entity("e-solvang", "Ingrid Solvang", "PERSON", {"Ingrid Solvang": 2, "Ingrid Solvaag": 1}, ["m1", "m3", "m4"],
               [Merge("Ingrid Solvang", "Ingrid Solvaag", "garble-edit-distance", 0.91, "one letter apart")]),
        Entity("e-hessel", "Port of Hessel", "ORG", {"Port of Hessel": 2}, ["m2", "m5"]),
        Entity("e-brandt", "Tomas Brandt", "PERSON", {"Tomas Brandt": 1}, ["m6"]),
        Entity("e-silt", "Baltic Silt", "ORG", {"Baltic Silt": 1}, ["m7"]),
    ]
    mention_entity = {m: e.id for e in entities for m in e.mention_ids}
    mention_article = {m.id: m.article_id for ms in mentions.values() for m in ms}
    garbles = [Garble("m4", "art-rewrite", "Ingrid Solvaag", "e-solvang", "Ingrid Solvang", "edit-distance", 0.91,
                      "Solvaag vs Solvang")]
    so = sentences("art-wire", o)
    sc = sentences("art-copy", c)
    sr = sentences("art-rewrite", r)
    edges = [
        ReuseEdge("art-wire", "art-copy", "copy", 0.99, "minhash+align",
                  features={"containment": 1.0}, directed=True, direction_evidence={"time": "earlier by 75 min"},
                  pairs=[AlignedPair(i, i, Span(a.start, a.end, a.text), Span(b.start, b.end, b.text), 1.0, 1.0, 1.0)
                         for i, (a, b) in enumerate(zip(so, sc))]),
        ReuseEdge("art-wire", "art-rewrite", "rewrite", 0.74, "embedding+align", features={"coverage": 0.8},
                  directed=True, direction_evidence={"time": "earlier", "names": "Solvang -> Solvaag",
                                                     "garble_a": 0.0, "garble_b": 0.25},
                  pairs=[_pair(o, r, so[1].text, sr[1].text, 1, 1, 0.82), _pair(o, r, so[2].text, sr[2].text, 2, 2, 0.77),
                         _pair(o, r, so[4].text, sr[4].text, 4, 4, 0.7, lexical_only=True)]),
        # Stored the other way round on purpose: the pairs' ``a`` side is the derived article,
        # as after a direction flip; the page must still show the source on the left.
        ReuseEdge("art-copy", "art-rewrite", "rewrite", 0.72, "embedding+align", directed=False,
                  pairs=[_pair(r, c, sr[1].text, sc[1].text, 1, 1, 0.8)]),
        ReuseEdge("art-hostile", "art-follow", "edit", 0.66, "minhash+align", directed=True,
                  pairs=[_pair(h, f, "Organisers said all 5,000 tickets for the Lindqvist summer festival sold out in an hour.",
                               "Organisers said all 5,000 tickets for the Lindqvist summer festival sold out in an hour.",
                               1, 1, 1.0),
                         _pair(h, f, "<img src=x onerror=\"window.__pwned=3\"> The festival runs from 12 July.",
                               "The festival runs from 12 July, with a second stage this year.", 3, 2, 0.71)]),
        ReuseEdge("art-indep", "art-wire", "same-story", 0.31, "embedding"),
    ]
    groups = [OriginGroup("og-wire", ["art-wire", "art-copy", "art-rewrite"], "art-wire", {"rule": "reuse"}),
              OriginGroup("og-ledger", ["art-indep"], "art-indep"),
              OriginGroup("og-fest", ["art-hostile", "art-follow"], None, {"rule": "shared wording"})]
    stories = [Story("story-hessel", ["art-wire", "art-copy", "art-rewrite", "art-indep"],
                     "Port of Hessel to close for dredging", _at(0), _at(5)),
               Story("story-fest", ["art-hostile", "art-follow"], None,
                     datetime(2026, 4, 10, 12, 0, tzinfo=timezone.utc), datetime(2026, 4, 10, 15, 30, tzinfo=timezone.utc))]
    flags = [
        Flag("f-single", "single-origin", "story-hessel", ["art-wire", "art-copy", "art-rewrite"],
             ["c-wire-1", "c-copy-1", "c-rw-1"],
             [{"article_id": "art-wire", "claim_id": "c-wire-1", **_sd(claims["art-wire"][0].content)},
              {"article_id": "art-rewrite", "claim_id": "c-rw-1", **_sd(claims["art-rewrite"][0].content)}],
             "Three articles, one origin: the six-week closure traces back to Valdmark Wire only.", "origin-count",
             1.0),
        Flag("f-contra", "contradiction", "story-hessel", ["art-wire", "art-indep"], ["c-wire-1", "c-ind-1"],
             [{"article_id": "art-wire", "claim_id": "c-wire-1", **_sd(claims["art-wire"][0].content)},
              {"article_id": "art-indep", "claim_id": "c-ind-1", **_sd(claims["art-indep"][0].content)}],
             "Six weeks (port authority) against four weeks (contractor).", "number-slot-mismatch", 0.8,
             {"slots": ["six weeks", "four weeks"]}),
    ]
    cgroups = [
        ClaimGroup("cg-closure", "story-hessel", ["c-wire-1", "c-copy-1", "c-rw-1"], ["art-wire", "art-copy", "art-rewrite"],
                   ["og-wire"], ["Valdmark Wire", "Coastline Daily", "Harbour Times"],
                   "The Port of Hessel will close to cargo ships for six weeks from 1 April", "the port authority",
                   ["six weeks", "1 April"], {"c-wire-1": "asserted", "c-rw-1": "asserted"}, ["f-single", "f-contra"],
                   "embedding+slots", 0.9),
        ClaimGroup("cg-duration", "story-hessel", ["c-ind-1"], ["art-indep"], ["og-ledger"], ["North Ledger"],
                   "the work would take four weeks", "Baltic Silt", ["four weeks"], {}, ["f-contra"], "single", 1.0),
        ClaimGroup("cg-silt", "story-hessel", ["c-wire-2"], ["art-wire"], ["og-wire"], ["Valdmark Wire"],
                   "the channel had silted up after the winter storms", "Ingrid Solvang", [], {}, [], "single", 1.0),
    ]
    with Store(path) as store:
        with store.transaction():
            store.add_articles(arts.values())
            for aid, a in arts.items():
                store.put_sentences(aid, sentences(aid, a.text))
                store.put_claims(aid, claims.get(aid, []))
                store.put_mentions(aid, mentions.get(aid, []))
            store.replace_entities(entities, mention_entity, mention_article, garbles)
            store.put_edges(edges)
            store.replace_origin_groups(groups)
            store.put_stories(stories, [{"kind": "open", "story": s.id} for s in stories]
                              + [{"kind": "join", "story": "story-hessel", "article": "art-indep", "score": 0.18,
                                  "batch": 1, "shared": ["e-hessel", "e-brandt", "e-silt"]},
                                 {"kind": "link", "story": "story-fest", "article": "art-follow",
                                  "from_story": "story-hessel", "score": 0.31, "batch": 2},
                                 {"kind": "split", "story": "story-fest", "from_story": "story-hessel",
                                  "score": 0.12, "batch": 2}])
            store.replace_corroboration("story-hessel", cgroups, flags)
    return path


def _se(text: str, part: str) -> tuple[int, int, str]:
    s = span(text, part)
    return s.start, s.end, s.text


def _sd(s: Span) -> dict[str, object]:
    return {"start": s.start, "end": s.end, "text": s.text}
