"""Corroboration: claim groups counted by independent origin, and flags with their evidence.

The fixture is a small fictional story written for these tests: a press agency's article (O1)
on a grain terminal, three of its rewrites/copies (R1, R2, R3), an independent report (I1) and
an independent article that disagrees (C1). Claims are built by hand the way the attribution
stage produces them (content spans into the article text), so each test states exactly which
claims exist. Embeddings come from a deterministic bag-of-words stand-in with a few synonyms
(what a sentence encoder contributes to a paraphrase); one slow test uses the real MiniLM.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newstrace.corroboration as co
import newstrace.figures as figures
from newstrace.claim_matching import terms
from newstrace.corroboration import CorroborationConfig, StoryInput, corroborate, effective_level
from newstrace.figures import (claim_slots, differing_slots, disagreeing_slots, figure_notes, slot_frames,
                               superseded_figures)
from newstrace.model import Article, Claim, ClaimGroup, Flag, ReuseEdge, Span
from newstrace.text import split_sentences, stable_hash

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)

O1 = Article(
    id="o1", source="o1.txt", format="text", outlet="Norland Press Agency", published_at=T0,
    title="Grain terminal in Halvik to open on 12 May",
    text=(
        "Grain terminal in Halvik to open on 12 May\n\n"
        "HALVIK - The new grain terminal in the port of Halvik will open on 12 May, the Halvik Port "
        "Authority said on Monday.\n\n"
        "The terminal will employ 400 staff, the authority said. Building the terminal cost 90 million "
        "crowns, a spokesman for the authority said.\n\n"
        "\"This terminal puts Halvik back on the map for every farmer and every trader in the whole "
        "valley,\" Mayor Ines Calloway said.\n\n"
        "The terminal will reportedly ship grain to buyers in the northern isles. The first ship is due "
        "to dock in late May."
    ))
R1 = Article(
    id="r1", source="r1.txt", format="text", outlet="Coast Daily", published_at=T0 + timedelta(hours=2),
    title="Halvik's grain terminal opens 12 May",
    text=(
        "Halvik's grain terminal opens 12 May\n\n"
        "The grain terminal at Halvik port is set to open on 12 May, the port authority said. It will "
        "employ 400 staff, the authority said.\n\n"
        "Building the terminal cost 90 million crowns, a spokesman for the authority said.\n\n"
        "The terminal is reportedly going to ship grain to buyers in the northern isles. A first vessel "
        "is expected to berth at the end of May, according to the port.\n\n"
        "A source close to the port authority said the terminal could double its capacity within two "
        "years."
    ))
R2 = Article(
    id="r2", source="r2.txt", format="text", outlet="Harbour Wire", published_at=T0 + timedelta(hours=3),
    title="New Halvik grain terminal to open 12 May",
    text=(
        "New Halvik grain terminal to open 12 May\n\n"
        "The Halvik grain terminal opens on 12 May, the port authority said. It cost 90 million crowns.\n\n"
        "The terminal will ship grain to buyers in the northern isles."
    ))
R3 = Article(id="r3", source="r3.txt", format="text", outlet="Portal Seven",
             published_at=T0 + timedelta(hours=4), title=O1.title, text=O1.text)
I1 = Article(
    id="i1", source="i1.txt", format="text", outlet="Valley Times", published_at=T0 + timedelta(hours=1),
    title="Farmers welcome Halvik terminal",
    text=(
        "Farmers welcome Halvik terminal\n\n"
        "The grain terminal in Halvik will open on 12 May, harbour master Tomas Reyes told the Valley "
        "Times. Reyes said the terminal would employ 400 staff.\n\n"
        "\"This terminal puts Halvik back on the map,\" Mayor Ines Calloway told farmers at a meeting "
        "in Brenn.\n\n"
        "An analyst at Norbank said the terminal may employ only 200 staff in its first year."
    ))
C1 = Article(
    id="c1", source="c1.txt", format="text", outlet="Province Courier", published_at=T0 + timedelta(days=1),
    title="Halvik terminal opening moved to 19 May",
    text=(
        "Halvik terminal opening moved to 19 May\n\n"
        "The grain terminal will open on 19 May, deputy governor Lena Voss said on Tuesday. Voss said "
        "the terminal would employ 300 staff.\n\n"
        "The governor's office denied that the terminal will ship grain to the northern isles."
    ))
ARTICLES = [O1, R1, R2, R3, I1, C1]

#: What a sentence encoder adds over word overlap for these texts: a few synonyms.
SYNONYMS = {"vessel": "ship", "berth": "dock", "expected": "due", "end": "late", "workers": "staff"}


def fake_embed(texts: list[str]) -> np.ndarray:
    """Hashed bag of (synonym-folded) content terms, unit length: deterministic and cheap."""
    out = np.zeros((len(texts), 512), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in terms(t):
            out[i, int(stable_hash(SYNONYMS.get(w, w)), 16) % 512] += 1.0
    n = np.linalg.norm(out, axis=1, keepdims=True)
    n[n == 0] = 1
    return out / n


def failing_embed(texts: list[str]) -> np.ndarray:
    raise AssertionError(f"embedding was not expected here: {texts[:2]}")


def mk(article: Article, content: str, *, source: str | None = None, kind: str = "none",
       entity: str | None = None, hedge: str = "asserted", cues: tuple[str, ...] = (),
       quote: bool = False, nth: int = 0) -> Claim:
    """A claim as the attribution stage would produce it, with spans into ``article.text``."""
    text = article.text
    start = -1
    for _ in range(nth + 1):
        start = text.index(content, start + 1)
    end = start + len(content)

    def span(s: str) -> Span:
        i = text.index(s, max(0, start - 120))
        return Span(i, i + len(s), s)

    sents = [s for s, _ in split_sentences(text)]
    return Claim(
        id=stable_hash(article.id, str(start), str(end)), article_id=article.id,
        sentence_index=max(k for k, s in enumerate(sents) if s <= start),
        content=Span(start, end, content), source=span(source) if source else None,
        is_direct_quote=quote, source_kind=kind, source_entity=entity, hedge=hedge,
        hedge_cues=tuple(span(c) for c in cues), method="test")


def story_claims() -> dict[str, Claim]:
    """Every claim of the fixture story, by a short name used in the assertions."""
    quote = "\"This terminal puts Halvik back on the map for every farmer and every trader in the whole valley,\""
    c = {
        # O1, the origin
        "o1.date": mk(O1, "The new grain terminal in the port of Halvik will open on 12 May",
                      source="the Halvik Port Authority", kind="organisation", entity="Halvik Port Authority"),
        "o1.staff": mk(O1, "The terminal will employ 400 staff", source="the authority", kind="organisation",
                       entity="Halvik Port Authority"),
        "o1.cost": mk(O1, "Building the terminal cost 90 million crowns", source="a spokesman for the authority",
                      kind="role"),
        "o1.quote": mk(O1, quote, source="Mayor Ines Calloway", kind="person", entity="Ines Calloway", quote=True),
        "o1.ship": mk(O1, "The terminal will reportedly ship grain to buyers in the northern isles",
                      hedge="reported", cues=("reportedly",)),
        # R1, a rewrite: keeps the hedge, adds an anonymous source, paraphrases the first ship
        "r1.date": mk(R1, "The grain terminal at Halvik port is set to open on 12 May", source="the port authority",
                      kind="organisation", entity="Halvik Port Authority"),
        "r1.staff": mk(R1, "It will employ 400 staff", source="the authority", kind="organisation",
                       entity="Halvik Port Authority"),
        "r1.cost": mk(R1, "Building the terminal cost 90 million crowns", source="a spokesman for the authority",
                      kind="role"),
        "r1.ship": mk(R1, "The terminal is reportedly going to ship grain to buyers in the northern isles",
                      hedge="reported", cues=("reportedly",)),
        "r1.vessel": mk(R1, "A first vessel is expected to berth at the end of May", source="the port",
                        kind="organisation"),
        "r1.double": mk(R1, "the terminal could double its capacity within two years",
                        source="A source close to the port authority", kind="anonymous", hedge="speculated",
                        cues=("could",)),
        # R2, a rewrite: no claim for the unhedged ship sentence or the unattributed cost sentence
        "r2.date": mk(R2, "The Halvik grain terminal opens on 12 May", source="the port authority",
                      kind="organisation", entity="Halvik Port Authority"),
        # R3, a verbatim copy
        "r3.date": mk(R3, "The new grain terminal in the port of Halvik will open on 12 May",
                      source="the Halvik Port Authority", kind="organisation", entity="Halvik Port Authority"),
        "r3.staff": mk(R3, "The terminal will employ 400 staff", source="the authority", kind="organisation",
                       entity="Halvik Port Authority"),
        "r3.cost": mk(R3, "Building the terminal cost 90 million crowns", source="a spokesman for the authority",
                      kind="role"),
        "r3.quote": mk(R3, quote, source="Mayor Ines Calloway", kind="person", entity="Ines Calloway", quote=True),
        "r3.ship": mk(R3, "The terminal will reportedly ship grain to buyers in the northern isles",
                      hedge="reported", cues=("reportedly",)),
        # I1, independent
        "i1.date": mk(I1, "The grain terminal in Halvik will open on 12 May", source="harbour master Tomas Reyes",
                      kind="person", entity="Tomas Reyes"),
        "i1.staff": mk(I1, "the terminal would employ 400 staff", source="Reyes", kind="person", entity="Tomas Reyes"),
        "i1.quote": mk(I1, "\"This terminal puts Halvik back on the map,\"", source="Mayor Ines Calloway",
                       kind="person", entity="Ines Calloway", quote=True),
        "i1.estimate": mk(I1, "the terminal may employ only 200 staff in its first year",
                          source="An analyst at Norbank", kind="role", hedge="speculated", cues=("may",)),
        # C1, independent and in disagreement
        "c1.date": mk(C1, "The grain terminal will open on 19 May", source="deputy governor Lena Voss",
                      kind="person", entity="Lena Voss"),
        "c1.staff": mk(C1, "the terminal would employ 300 staff", source="Voss", kind="person", entity="Lena Voss"),
        "c1.deny": mk(C1, "the terminal will ship grain to the northern isles", source="The governor's office",
                      kind="organisation", hedge="denied", cues=("denied",)),
    }
    return c


def make_story(claims: dict[str, Claim] | None = None, edges: list[ReuseEdge] | None = None) -> StoryInput:
    claims = story_claims() if claims is None else claims
    terminal = frozenset({"ent:halvik-terminal"})
    speakers = {"Ines Calloway": "ent:calloway", "Tomas Reyes": "ent:reyes", "Lena Voss": "ent:voss",
                "Halvik Port Authority": "ent:hpa"}
    if edges is None:
        edges = [ReuseEdge("o1", "r1", "rewrite", 0.8, "test", directed=True),
                 ReuseEdge("o1", "r2", "rewrite", 0.7, "test", directed=True),
                 ReuseEdge("o1", "r3", "copy", 1.0, "test", directed=True),
                 ReuseEdge("o1", "c1", "same-story", 0.4, "test", directed=True)]
    return StoryInput(
        story_id="story-halvik",
        articles=list(ARTICLES),
        claims=list(claims.values()),
        origin_of={"o1": "g1", "r1": "g1", "r2": "g1", "r3": "g1", "i1": "i1", "c1": "c1"},
        origin_article={"g1": "o1", "i1": "i1", "c1": "c1"},
        edges=edges,
        claim_entities={c.id: terminal for k, c in claims.items()
                        if "terminal" in c.content.text.lower() and not k.endswith("quote")},
        speaker_entity={c.id: speakers[c.source_entity] for c in claims.values() if c.source_entity in speakers},
    )


@pytest.fixture(scope="module")
def result() -> tuple[dict[str, Claim], list[ClaimGroup], list[Flag]]:
    claims = story_claims()
    groups, flags = corroborate(make_story(claims), embed_fn=fake_embed)
    return claims, groups, flags


def group_of(groups: list[ClaimGroup], claim: Claim) -> ClaimGroup:
    return next(g for g in groups if claim.id in g.claim_ids)


def flags_of(flags: list[Flag], kind: str) -> list[Flag]:
    return [f for f in flags if f.kind == kind]


# --- claim groups and independent origins ----------------------------------------------------


def test_rewrites_of_one_origin_count_once(result) -> None:
    claims, groups, _ = result
    g = group_of(groups, claims["o1.date"])
    assert {claims[k].id for k in ("o1.date", "r1.date", "r2.date", "r3.date", "i1.date")} == set(g.claim_ids)
    assert g.n_articles == 5 and g.origin_ids == ["g1", "i1"] and g.n_origins == 2
    assert g.outlets == sorted(["Norland Press Agency", "Coast Daily", "Harbour Wire", "Portal Seven", "Valley Times"])
    assert "date:5-12" in g.slots and g.text == claims["o1.date"].content.text  # told as the origin told it


def test_every_claim_is_in_exactly_one_group(result) -> None:
    claims, groups, _ = result
    ids = [cid for g in groups for cid in g.claim_ids]
    assert sorted(ids) == sorted(c.id for c in claims.values())


def test_quote_fragment_heard_by_another_outlet_is_independent(result) -> None:
    claims, groups, _ = result
    g = group_of(groups, claims["i1.quote"])
    assert claims["o1.quote"].id in g.claim_ids and claims["r3.quote"].id in g.claim_ids
    assert g.origin_ids == ["g1", "i1"] and "quote-fragment" in g.rule and "quote" in g.rule
    assert g.speaker == "Ines Calloway"


def test_denial_does_not_corroborate(result) -> None:
    claims, groups, _ = result
    shipped = group_of(groups, claims["o1.ship"])
    assert claims["c1.deny"].id not in shipped.claim_ids
    assert shipped.origin_ids == ["g1"] and set(shipped.hedges.values()) == {"reported"}


# --- single-origin ---------------------------------------------------------------------------


def test_single_origin_flag(result) -> None:
    claims, groups, flags = result
    cost = group_of(groups, claims["o1.cost"])
    assert cost.n_articles == 3 and cost.n_origins == 1 and "single-origin" in cost.flags
    [f] = [f for f in flags_of(flags, "single-origin") if claims["o1.cost"].id in f.claim_ids]
    assert f.evidence["origin_group"] == "g1" and f.evidence["origin_article"] == "o1"
    assert sorted(f.article_ids) == ["o1", "r1", "r3"]
    # The date group has an independent origin, so it is not single-origin.
    assert not any(claims["o1.date"].id in f.claim_ids for f in flags_of(flags, "single-origin"))


def test_single_origin_threshold_is_configurable() -> None:
    groups, flags = corroborate(make_story(), CorroborationConfig(single_origin_min_articles=4),
                                embed_fn=fake_embed)
    assert all(f.evidence["n_articles"] >= 4 for f in flags_of(flags, "single-origin"))
    assert not any("cost" in f.spans[0]["text"] for f in flags_of(flags, "single-origin"))


# --- embellishment ---------------------------------------------------------------------------


def test_added_anonymous_claim_is_an_embellishment(result) -> None:
    claims, _, flags = result
    emb = flags_of(flags, "embellishment")
    [f] = [f for f in emb if claims["r1.double"].id in f.claim_ids]
    assert f.article_ids == ["r1"] and f.evidence["source_kinds"] == ["anonymous"]
    assert f.rule.endswith("unnamed-source") and f.evidence["origin_article"] == "o1"
    assert f.spans[0]["text"] == "the terminal could double its capacity within two years"


def test_paraphrase_of_an_origin_sentence_is_not_an_embellishment(result) -> None:
    """O1's "The first ship is due to dock in late May" is no claim (no cue), yet R1's
    paraphrase of it has a counterpart: the origin's sentences are compared, not only claims."""
    claims, _, flags = result
    emb_claims = {cid for f in flags_of(flags, "embellishment") for cid in f.claim_ids}
    assert claims["r1.vessel"].id not in emb_claims
    assert emb_claims == {claims["r1.double"].id}  # nothing in the copy R3, nothing in R2


@pytest.mark.parametrize("indexed", [2, 64])
def test_independent_counterparts_in_the_story_lists_equal_those_in_lists_of_their_own(
        indexed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The embellishment search looks for an origin group's independent counterparts among
    the positions of the other articles in the story's two lists (:meth:`_Run.witnesses`): it
    must find what a search in lists of those articles alone finds (which grew with origin
    groups x claims). ``indexed`` moves the size from which lists are searched through an index."""
    monkeypatch.setattr(co, "_INDEXED_REFS", indexed)
    story = make_story()
    run_ = co._Run(story, CorroborationConfig(embed_sentences=False),
                   fake_embed([c.content.text for c in story.claims]), None)
    claims_all, everything = run_.witnesses()
    queries = [c.content.text for c in run_.claims] + [a.text[s:e] for a in ARTICLES for s, e in split_sentences(a.text)]
    compared, outcomes = 0, set()
    for og in sorted({run_.origin(a) for a in run_.articles}):
        outside = sorted(a for a in run_.articles if run_.origin(a) != og)
        alone_claims, alone_all = run_.references(outside, sentences=False), run_.references(outside)
        others = co._Others(claims_all, [k for k, r in enumerate(claims_all) if run_.origin(r[0]) != og],
                            everything, np.array([run_.origin(r[0]) != og for r in everything]))
        assert [claims_all[k] for k in others.claim_positions] == alone_claims
        for query in queries:
            for cosine_bar, containment_bar in ((0.7, 0.5), (0.95, 0.99), (0.2, 0.3)):
                lexical = run_.best_lexical(query, everything, containment_bar, others.in_everything)
                assert lexical == run_.best_lexical(query, alone_all, containment_bar)
                got = run_.best_in(query, run_.texts_of(claims_all), others.claim_positions, cosine_bar,
                                   containment_bar)
                want = run_.best(query, run_.texts_of(alone_claims), cosine_bar, containment_bar)
                assert repr(got) == repr(want)  # repr: a NaN cosine equals itself there
                assert repr(co._better(got, claims_all, None, others.claim_positions)) == repr(
                    co._better(want, alone_claims, None))
                compared += want is not None
                outcomes.add((lexical, want is not None and want.passed))
    assert compared > 300 and outcomes == {(False, False), (False, True), (True, False), (True, True)}


def test_embellishment_needs_a_reuse_edge() -> None:
    """Without reuse edges no article is derived, so nothing is an embellishment."""
    _, flags = corroborate(make_story(edges=[]), embed_fn=fake_embed)
    assert flags_of(flags, "embellishment") == []


def test_the_own_origin_comparison_is_what_keeps_a_paraphrase() -> None:
    """With the rewrite bar out of reach, R1's paraphrase of the origin sentence (present nowhere
    else) becomes an embellishment: the own-origin comparison is what keeps it out."""
    off = CorroborationConfig(own_origin_cosine=1.01, own_origin_containment=1.01)
    claims = story_claims()
    _, flags = corroborate(make_story(claims), off, embed_fn=fake_embed)
    emb = {cid for f in flags_of(flags, "embellishment") for cid in f.claim_ids}
    assert {claims["r1.double"].id, claims["r1.vessel"].id} <= emb


def test_a_paraphrase_keeping_the_origins_figures_is_not_an_embellishment() -> None:
    """A rewrite's claim below the paraphrase bar (cosine 0.55) is kept when an origin text
    states all of its figures and shares some of its words (a fifth); one that brings a figure
    of its own stays an embellishment at the same similarity, and neither is kept with the
    anchored bar out of reach."""
    o = Article(id="o", source="o", format="text", published_at=T0,
                text="The plant, which employs about 900 people, has been shut down until further notice, "
                     "the company said.")
    d = Article(id="d", source="d", format="text", published_at=T0 + timedelta(hours=2),
                text="The plant and its workforce of about 900 will stay shut for now, the firm said. "
                     "The factory will cut 300 jobs, the firm said.")
    co_ = mk(o, "The plant, which employs about 900 people, has been shut down until further notice",
             source="the company", kind="organisation")
    kept = mk(d, "The plant and its workforce of about 900 will stay shut for now", source="the firm",
              kind="organisation")
    added = mk(d, "The factory will cut 300 jobs", source="the firm", kind="organisation")
    axes = {"employs about 900": 0, "workforce of about 900": 1, "cut 300 jobs": 2}

    def embed(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 515), dtype=np.float32)
        for i, t in enumerate(texts):
            k = next((v for key, v in axes.items() if key in t), None)
            if k is None:
                out[i, 3:] = fake_embed([t])[0]
            elif k == 0:
                out[i, 0] = 1.0
            else:  # 0.55 like the origin sentence, unlike anything else
                out[i, 0], out[i, k] = 0.55, float(np.sqrt(1 - 0.55 ** 2))
        return out

    story = StoryInput("s", [o, d], [co_, kept, added], {"o": "og", "d": "og"}, {"og": "o"},
                       [ReuseEdge("o", "d", "rewrite", 0.8, "test", directed=True)])

    def flagged(config: CorroborationConfig) -> set[str]:
        _, flags = corroborate(story, config, embed_fn=embed)
        return {cid for f in flags_of(flags, "embellishment") for cid in f.claim_ids}

    assert flagged(CorroborationConfig()) == {added.id}
    assert flagged(CorroborationConfig(anchored_own_cosine=1.01)) == {kept.id, added.id}


def test_an_origin_article_in_another_story_is_treated_as_absent() -> None:
    """O1 is the origin of its group but sits in another story: the rewrites are still derived,
    their claims are judged against the group's other members here, and nothing breaks."""
    claims = story_claims()
    story = make_story({k: c for k, c in claims.items() if not k.startswith("o1")})
    story = replace(story, articles=[a for a in story.articles if a.id != "o1"],
                    edges=[e for e in story.edges if "o1" not in (e.source_id, e.derived_id)]
                    + [ReuseEdge("r3", "r1", "rewrite", 0.8, "test", directed=True)])
    groups, flags = corroborate(story, embed_fn=fake_embed)
    assert groups and all(f.evidence for f in flags)
    origins = {f.evidence.get("origin_article") for f in flags if "origin_article" in f.evidence}
    assert "o1" not in origins


def test_without_the_origin_a_claim_several_members_carry_is_the_lost_sources() -> None:
    """The group's origin is not in the corpus (a press release nobody collected) and the story
    has no other reports: R1 and the copy R3 both carry the staff figure, which R2 left out.
    Nothing shows it was added, so it is the lost source's; R1's anonymous claim, in R1
    alone, is still an embellishment."""
    claims = {k: c for k, c in story_claims().items() if k[:2] in ("r1", "r2", "r3")}
    story = make_story(claims)
    story = replace(story, articles=[a for a in story.articles if a.id in ("r1", "r2", "r3")],
                    origin_of={"r1": "g1", "r2": "g1", "r3": "g1"}, origin_article={"g1": None},
                    edges=[ReuseEdge("r3", "r1", "rewrite", 0.8, "test", directed=True),
                           ReuseEdge("r3", "r2", "rewrite", 0.7, "test", directed=True)])
    _, flags = corroborate(story, embed_fn=fake_embed)
    emb = {cid for f in flags_of(flags, "embellishment") for cid in f.claim_ids}
    assert claims["r1.double"].id in emb
    assert not emb & {claims["r1.staff"].id, claims["r3.staff"].id}


def test_reuse_alignment_is_a_counterpart() -> None:
    """A sentence the reuse stage aligned to the origin (ReuseEdge.pairs) has a counterpart
    there even when the similarity bars are out of reach."""
    from newstrace.model import AlignedPair

    off = CorroborationConfig(own_origin_cosine=1.01, own_origin_containment=1.01)
    claims = story_claims()
    o_s = O1.text.index("The first ship")
    r_s = R1.text.index("A first vessel")
    r_e = R1.text.index("according to the port.") + len("according to the port.")
    pair = AlignedPair(5, 4, Span(o_s, len(O1.text), O1.text[o_s:]), Span(r_s, r_e, R1.text[r_s:r_e]),
                       cosine=0.7, lexical=0.4, score=0.55)
    story = make_story(claims)
    story.edges[0].pairs = [pair]
    _, flags = corroborate(story, off, embed_fn=fake_embed)
    emb = {cid for f in flags_of(flags, "embellishment") for cid in f.claim_ids}
    assert claims["r1.vessel"].id not in emb and claims["r1.double"].id in emb


# --- hedges and attribution along reuse edges -------------------------------------------------


def test_dropped_hedge_along_edge(result) -> None:
    claims, _, flags = result
    hc = flags_of(flags, "hedge-changed")
    [f] = [f for f in hc if "r2" in f.article_ids]
    assert f.evidence["upstream"]["hedge"] == "reported" and f.evidence["downstream"]["hedge"] == "asserted"
    assert f.evidence["upstream"]["hedge_cues"][0]["text"] == "reportedly"
    assert f.claim_ids == [claims["o1.ship"].id]
    assert f.spans[1]["text"] == "The terminal will ship grain to buyers in the northern isles."
    assert f.evidence["weakens"]["weakens"] and "reportedly" in f.evidence["weakens"]["cues"]
    # R1 and R3 keep the hedge: no flag for them.
    assert not any({"r1", "r3"} & set(f.article_ids) for f in hc)


def test_a_sentence_reached_by_several_edges_is_flagged_once() -> None:
    """R2 drops O1's hedge, and R3 (O1's verbatim copy) is an upstream of R2 as well: one
    flag, along the origin's edge when it is among them, else along the strongest edge; the
    other upstream articles are listed."""
    claims = story_claims()
    base = [ReuseEdge("o1", "r1", "rewrite", 0.8, "test", directed=True),
            ReuseEdge("o1", "r3", "copy", 1.0, "test", directed=True)]

    def dropped(edges: list[ReuseEdge]) -> list[Flag]:
        _, flags = corroborate(make_story(claims, base + edges), embed_fn=fake_embed)
        return [f for f in flags_of(flags, "hedge-changed") if "r2" in f.article_ids]

    [f] = dropped([ReuseEdge("r3", "r2", "rewrite", 0.9, "test", directed=True),
                   ReuseEdge("o1", "r2", "rewrite", 0.7, "test", directed=True)])
    assert f.evidence["edge"]["upstream"] == "o1" and f.evidence["also_upstream"] == ["r3"]
    [f] = dropped([ReuseEdge("r3", "r2", "rewrite", 0.9, "test", directed=True),
                   ReuseEdge("r1", "r2", "rewrite", 0.6, "test", directed=True)])
    assert f.evidence["edge"]["upstream"] == "r3" and f.evidence["also_upstream"] == ["r1"]


def test_attribution_dropped_along_edge(result) -> None:
    claims, _, flags = result
    [f] = flags_of(flags, "attribution-dropped")
    assert f.article_ids == ["o1", "r2"] and f.claim_ids == [claims["o1.cost"].id]
    assert f.spans[1]["text"] == "It cost 90 million crowns."
    assert f.evidence["source"] == "a spokesman for the authority"


def test_added_hedge_along_edge() -> None:
    """The reverse: the origin asserts, the rewrite hedges (claim to claim)."""
    a = Article(id="a", source="a", format="text", outlet="A", published_at=T0,
                text="The ferry company said the night route will close in October.")
    b = Article(id="b", source="b", format="text", outlet="B", published_at=T0 + timedelta(hours=1),
                text="The night route will allegedly close in October, the ferry company said.")
    ca = mk(a, "the night route will close in October", source="The ferry company", kind="organisation")
    cb = mk(b, "The night route will allegedly close in October", source="the ferry company",
            kind="organisation", hedge="alleged", cues=("allegedly",))
    story = StoryInput("s", [a, b], [ca, cb], {"a": "g", "b": "g"}, {"g": "a"},
                       [ReuseEdge("a", "b", "rewrite", 0.8, "test", directed=True)])
    _, flags = corroborate(story, embed_fn=fake_embed)
    [f] = flags_of(flags, "hedge-changed")
    assert f.rule.startswith("hedge-changed:added") and f.claim_ids == [ca.id, cb.id]
    assert f.evidence["downstream"]["hedge"] == "alleged"


def test_added_hedge_against_an_origin_sentence() -> None:
    """The origin states it with no cue (so no claim); the rewrite's hedge-adverb claim is
    compared with the origin's sentence."""
    a = Article(id="a", source="a", format="text", published_at=T0,
                text="Ferries are busy. The night route will close in October.")
    b = Article(id="b", source="b", format="text", published_at=T0 + timedelta(hours=1),
                text="The night route will reportedly close in October.")
    cb = mk(b, "The night route will reportedly close in October", hedge="reported", cues=("reportedly",))
    story = StoryInput("s", [a, b], [cb], {"a": "g", "b": "g"}, {"g": "a"},
                       [ReuseEdge("a", "b", "rewrite", 0.8, "test", directed=True)])
    _, flags = corroborate(story, embed_fn=fake_embed)
    [f] = flags_of(flags, "hedge-changed")
    assert f.rule == "hedge-changed:added:sentence" and f.claim_ids == [cb.id]
    assert f.spans[0]["text"] == "The night route will close in October." and f.spans[0]["claim_id"] is None
    cue = f.evidence["downstream"]["hedge_cues"][0]
    assert b.text[cue["start"]:cue["end"]] == "reportedly"


def test_hedge_kept_in_the_sentence_is_not_dropped() -> None:
    """The extractor lost the rewrite's hedge (a bare "talks began last year" claim with no
    source), but its sentence still says "according to unverified reports": no flag."""
    a = Article(id="a", source="a", format="text", published_at=T0,
                text="According to unverified reports, export talks began last year.")
    b = Article(id="b", source="b", format="text", published_at=T0 + timedelta(hours=1),
                text="According to unverified reports, export talks started last year.")
    ca = mk(a, "export talks began last year", source="unverified reports", kind="role", hedge="reported",
            cues=("unverified", "reports"))
    cb = mk(b, "export talks started last year")
    story = StoryInput("s", [a, b], [ca, cb], {"a": "g", "b": "g"}, {"g": "a"},
                       [ReuseEdge("a", "b", "rewrite", 0.8, "test", directed=True)])
    _, flags = corroborate(story, embed_fn=fake_embed)
    assert not flags_of(flags, "hedge-changed") and not flags_of(flags, "attribution-dropped")


def test_same_story_edges_are_not_reuse() -> None:
    """The same pair as above joined only by a same-story edge: no edge flags."""
    a = Article(id="a", source="a", format="text", published_at=T0,
                text="The ferry company said the night route will close in October.")
    b = Article(id="b", source="b", format="text", published_at=T0 + timedelta(hours=1),
                text="The night route will allegedly close in October.")
    ca = mk(a, "the night route will close in October", source="The ferry company", kind="organisation")
    cb = mk(b, "The night route will allegedly close in October", hedge="alleged", cues=("allegedly",))
    story = StoryInput("s", [a, b], [ca, cb], {"a": "a", "b": "b"}, {"a": "a", "b": "b"},
                       [ReuseEdge("a", "b", "same-story", 0.5, "test", directed=True)])
    _, flags = corroborate(story, embed_fn=fake_embed)
    assert not flags_of(flags, "hedge-changed") and not flags_of(flags, "attribution-dropped")


# --- contradictions --------------------------------------------------------------------------


def test_contradicting_date_and_number(result) -> None:
    claims, _, flags = result
    con = flags_of(flags, "contradiction")
    date = [f for f in con if "date" in f.evidence.get("slots", {})]
    staff = [f for f in con if "num" in f.evidence.get("slots", {})]
    assert len(date) == 1 and len(staff) == 1  # one flag per pair of claim groups, not per article
    d = date[0]
    assert claims["c1.date"].id in d.claim_ids and claims["o1.date"].id in d.claim_ids
    assert d.evidence["slots"]["date"] == {"a": ["date:5-12"], "b": ["date:5-19"]}
    assert d.evidence["side_a"]["origin_groups"] == ["g1", "i1"] and d.evidence["side_b"]["origin_groups"] == ["c1"]
    assert staff[0].evidence["slots"]["num"] == {"a": ["num:400"], "b": ["num:300"]}


def test_speculative_estimate_is_not_a_firm_contradiction(result) -> None:
    claims, _, flags = result
    assert not any(claims["i1.estimate"].id in f.claim_ids for f in flags_of(flags, "contradiction"))
    _, flags2 = corroborate(make_story(), CorroborationConfig(speculative_contradictions=True),
                            embed_fn=fake_embed)
    spec = [f for f in flags_of(flags2, "contradiction") if claims["i1.estimate"].id in f.claim_ids]
    assert spec and all(f.rule.endswith(":speculative") and f.score <= 0.4 for f in spec)
    firm = [f for f in flags_of(flags2, "contradiction") if not f.rule.endswith(":speculative")]
    assert all(f.score > 0.5 for f in firm)


def test_rewrites_of_one_origin_are_not_contradictions() -> None:
    """R1 changes the figure: an editing matter inside one origin group, not two sources."""
    claims = story_claims()
    r1 = replace(R1, text=R1.text.replace("employ 400 staff", "employ 440 staff"))
    claims["r1.staff"] = mk(r1, "It will employ 440 staff", source="the authority", kind="organisation")
    story = make_story(claims)
    story.articles = [r1 if a.id == "r1" else a for a in story.articles]
    _, flags = corroborate(story, embed_fn=fake_embed)
    same_origin = {claims[k].id for k in ("o1.staff", "r3.staff")}
    pairs = [{p["a"], p["b"]} for f in flags_of(flags, "contradiction") for p in f.evidence["pairs"]]
    assert not any(claims["r1.staff"].id in p and p & same_origin for p in pairs)
    # Against the independent C1 ("300 staff") it is still a contradiction.
    assert any(p == {claims["r1.staff"].id, claims["c1.staff"].id} for p in pairs)


def test_assert_versus_deny_across_origins() -> None:
    a = Article(id="a", source="a", format="text", published_at=T0,
                text="The ferry company said the night route will close in October.")
    b = Article(id="b", source="b", format="text", published_at=T0 + timedelta(hours=1),
                text="The harbour office denied that the night route will close in October.")
    ca = mk(a, "the night route will close in October", source="The ferry company", kind="organisation")
    cb = mk(b, "the night route will close in October", source="The harbour office", kind="organisation",
            hedge="denied", cues=("denied",))
    story = StoryInput("s", [a, b], [ca, cb], {"a": "a", "b": "b"}, {"a": "a", "b": "b"})
    groups, flags = corroborate(story, embed_fn=fake_embed)
    assert len(groups) == 2  # the denial is not corroboration
    [f] = flags_of(flags, "contradiction")
    assert f.rule == "contradiction:assert-vs-deny" and f.claim_ids == [ca.id, cb.id]


def _negation_story(stating: str, negating: str, *, same_origin: bool = False) -> tuple[StoryInput, Claim, Claim]:
    a = Article(id="a", source="a", format="text", outlet="Coast Wire", published_at=T0, text=stating)
    b = Article(id="b", source="b", format="text", outlet="Bay Herald", published_at=T0 + timedelta(hours=1),
                text=negating)
    ca = mk(a, stating.split(" said ", 1)[1].rstrip("."), source=stating.split(" said ", 1)[0], kind="organisation")
    cb = mk(b, negating.split(" said ", 1)[1].rstrip("."), source=negating.split(" said ", 1)[0], kind="organisation")
    origin = {"a": "a", "b": "a" if same_origin else "b"}
    return StoryInput("s", [a, b], [ca, cb], origin, {"a": "a", "b": "b"}), ca, cb


def test_a_statement_of_the_opposite_contradicts_without_a_denial_word() -> None:
    """ "no ferries had been cancelled" against "the ferries had been cancelled ...": the
    negated clause, read positively, is the other claim's clause; evidence gives both clauses
    by offset, the words negated and the positive reading."""
    story, ca, cb = _negation_story(
        "The port authority said the ferries had been cancelled for the whole weekend.",
        "The ferry operator said no ferries had been cancelled, and that the timetable stood.")
    groups, flags = corroborate(story, embed_fn=fake_embed)
    assert not any({ca.id, cb.id} <= set(g.claim_ids) for g in groups)
    [f] = flags_of(flags, "contradiction")
    assert f.rule == "contradiction:assert-vs-negated" and f.claim_ids == [ca.id, cb.id]
    ev = f.evidence
    assert ev["positive_reading"] == "ferries had been cancelled" and ev["negated_words"] == ["ferry"]
    text_b = story.articles[1].text
    assert text_b[ev["negated_clause"]["start"]:ev["negated_clause"]["end"]] == "no ferries had been cancelled"
    assert ev["stated_clause"]["text"] == ca.content.text and ev["cosine"] >= 0.55


def test_a_negation_needs_the_figure_it_negates_and_another_origin() -> None:
    """ "had not admitted 340 patients" says nothing against "admitted 14 patients"; and a
    rewrite turning its source round is an editing matter, not a second source."""
    story, _, _ = _negation_story("The clinic said it had admitted 14 patients with fever.",
                                  "The clinic said it had not admitted 340 patients with fever.")
    assert not flags_of(corroborate(story, embed_fn=fake_embed)[1], "contradiction")
    story, ca, cb = _negation_story("The port authority said the ferries had been cancelled for the weekend.",
                                    "The port authority said no ferries had been cancelled for the weekend.",
                                    same_origin=True)
    groups, flags = corroborate(story, embed_fn=fake_embed)
    assert not flags_of(flags, "contradiction")
    assert not any({ca.id, cb.id} <= set(g.claim_ids) for g in groups)  # still not one claim


def test_a_promise_that_something_will_not_happen_answers_only_a_statement_of_the_future() -> None:
    """ "this will not happen again" is a promise, not a statement that what happened did not:
    against "the ward had been closed to visitors" it says nothing. Against a statement of
    what will be ("the ferries will be cancelled for the weekend") it does."""
    from newstrace.negation import negated_clauses
    assert negated_clauses("They said that this will not happen again.")[0].future
    assert negated_clauses("They said that this won't happen again.")[0].future
    assert not negated_clauses("They said no ferries had been cancelled.")[0].future
    story, _, _ = _negation_story("The port authority said the ferries had been cancelled for the weekend.",
                                  "The ferry operator said the ferries will not be cancelled for the weekend.")
    assert not [f for f in flags_of(corroborate(story, embed_fn=fake_embed)[1], "contradiction")
                if f.rule == "contradiction:assert-vs-negated"]  # (the sentence rule judges the two wordings)
    story, ca, cb = _negation_story("The port authority said the ferries will be cancelled for the weekend.",
                                    "The ferry operator said the ferries will not be cancelled for the weekend.")
    [f] = flags_of(corroborate(story, embed_fn=fake_embed)[1], "contradiction")
    assert f.rule == "contradiction:assert-vs-negated" and f.claim_ids == [ca.id, cb.id]


def test_a_day_named_by_its_weekday_before_the_articles_date_is_that_date() -> None:
    """ "The first case was confirmed last Friday" in an article of Tuesday 22 July is 18 July,
    which disagrees with "confirmed the first case on Tuesday 15 July"; the evidence says how
    the date was read. "On Friday" is as often the coming one and gives no date."""
    def two(text_y: str) -> list[Flag]:
        made = []
        for aid, text, when in (("x", "The laboratory confirmed the first case on Tuesday 15 July.",
                                 datetime(2036, 7, 21, 17, tzinfo=timezone.utc)),
                                ("y", text_y, datetime(2036, 7, 22, 6, tzinfo=timezone.utc))):
            art = Article(id=aid, source=aid, format="text", published_at=when, text=text)
            made.append((art, mk(art, text.rstrip("."))))
        vectors = np.array([[1, 0], [0.76, float(np.sqrt(1 - 0.76 ** 2))]], dtype=np.float32)
        story = StoryInput("s", [a for a, _ in made], [c for _, c in made], {}, {})
        return flags_of(corroborate(story, vectors=vectors, embed_fn=fake_embed)[1], "contradiction")

    [flag] = two("The first case was confirmed last Friday.")
    assert flag.evidence["slots"]["date"] == {"a": ["date:7-15"], "b": ["date:7-18"]}
    assert list(flag.evidence["relative_dates"].values()) == [{"words": "last Friday", "date": "2036-07-18"}]
    assert two("The first case was confirmed on Friday.") == []


def test_a_weak_frame_match_between_far_apart_figures_is_no_contradiction() -> None:
    """A company that "employs 5,800 people" and its new site that "would employ 650 people":
    the claims share only what the figures count (cosine 0.45), and figures nine times apart on
    that evidence are two quantities. Figures of one size are still compared (1,200 and 800)."""
    def flags(text_x: str, text_y: str) -> list[Flag]:
        x = Article(id="x", source="x", format="text", published_at=T0, text=text_x)
        y = Article(id="y", source="y", format="text", published_at=T0 + timedelta(days=1), text=text_y)
        cx, cy = mk(x, text_x.rstrip(".")), mk(y, text_y.rstrip("."))
        s45 = float(np.sqrt(1 - 0.45 ** 2))
        vectors = np.array([[1, 0], [0.45, s45]], dtype=np.float32)
        story = StoryInput("s", [x, y], [cx, cy], {}, {})
        return flags_of(corroborate(story, vectors=vectors, embed_fn=failing_embed)[1], "contradiction")

    assert flags("The group employs 5,800 people in nine countries.",
                 "The hangar would employ 650 people once it is running.") == []
    [f] = flags("The group employs 1,200 people in nine countries.",
                "The hangar would employ 800 people once it is running.")
    assert f.rule == "contradiction:slot-frame"
    assert figures.far_apart("num:5800", "num:650", 2.5) and not figures.far_apart("num:470", "num:310", 2.5)
    assert not figures.far_apart("date:3-16", "date:3-19", 2.5)


def test_slot_frames_tell_what_a_number_is_of() -> None:
    a = slot_frames("it would open on 14 March and employ 1,200 people once it is running")
    b = slot_frames("the plant would have 800 people on its payroll")
    c = slot_frames("the office placed 230 of them through retraining courses")
    # Who is counted ("people") and what is said of them ("payroll"): only the second decides.
    assert a["num:1200"] & b["num:800"] == {"workforce", "people"} and "open" in a["date:3-14"]
    assert not c["num:230"] & a["num:1200"]


def test_one_length_in_two_units_and_a_running_total_are_no_second_value() -> None:
    from newstrace.figures import running_totals, values_disagree

    # "a 48-hour strike" / "a two-day strike"; a year is twelve months; but two race times in
    # seconds are two values however close, and three days are not 48 hours.
    assert not values_disagree("dur:48-hour", "dur:2-day", {}, {})
    assert not values_disagree("dur:12-month", "dur:1-year", {}, {})
    assert values_disagree("dur:7678-second", "dur:7770-second", {}, {})
    assert values_disagree("dur:3-day", "dur:48-hour", {}, {})
    # A count so far is no second value of one day's count; "since records began" dates a record.
    running = "By Friday evening, 160 operations had been cancelled since the walkout began."
    assert running_totals(running) == {"num:160"}
    assert running_totals("So far 40 people have been arrested.") == {"num:40"}
    assert running_totals("The gauge recorded 118 millimetres, the most since records began in 1961.") == frozenset()
    assert running_totals("85 operations had been cancelled on Thursday.") == frozenset()
    # "the next three years" and "the next 18 months" share a word that says nothing of what lasts
    assert slot_frames("whether the bank can grow earnings again in the next three years")["dur:3-year"] == {"again"}


def test_homes_and_provisions_counted_in_other_words_are_one_quantity() -> None:
    from newstrace.figures import frames_meet

    a = slot_frames("Selve Valley Water supplies about 140,000 households in Sarnavel")
    b = slot_frames("The utility, which serves 38,000 homes in the Selve valley")
    assert frames_meet(a["num:140000"], b["num:38000"]) >= {"serve", "homes"}
    c = slot_frames("The lender is taking provisions of 1.8 billion marrins against bad loans")
    d = slot_frames("Corvane has set aside 860 million marrins to cover loans")
    assert "provision" in frames_meet(c["num:1.8e+09"], d["num:8.6e+08"])


def test_a_time_with_minutes_and_a_place_name_has_its_frame() -> None:
    # "6:40 p.m." is one time, 18:40, with words after it; a place's name is framed by its
    # head, its last word, on both sides of a figure.
    a = slot_frames("The Marit Holm ran aground at about 6:40 p.m. on the Harrow Bank, four kilometres out")
    b = slot_frames("The ferry struck the Harrow Bank shortly after 8 p.m. on Tuesday")
    assert a["time:18:40"] == {"aground", "bank"} and "bank" in b["time:20:00"]
    assert slot_frames("The bridge reopened at 18:40 on the Tolle Road")["time:18:40"] == {"reopen", "road"}


def test_multi_fact_claim_contradicted_slot_by_slot() -> None:
    """A claim carrying two facts is diluted against a one-fact claim (cosine 0.45 here), yet
    "1,200 people" against "800 people on its payroll" is one slot; the agency's own sentence
    stating 1,200 (no claim: no attribution cue) is shown on the same side."""
    x = Article(id="x", source="x", format="text", outlet="Meridian", published_at=T0,
                text="The plant manager said it would open on 14 March and employ 1,200 people once it is running.")
    y = Article(id="y", source="y", format="text", outlet="Courier", published_at=T0 + timedelta(days=1),
                text="The governor said the plant would have 800 people on its payroll. The office placed 230 of "
                     "them through retraining courses, she said.")
    z = Article(id="z", source="z", format="text", outlet="Agency", published_at=T0 - timedelta(hours=1),
                text="The plant will employ 1,200 workers.")
    cx = mk(x, "it would open on 14 March and employ 1,200 people once it is running", source="The plant manager",
            kind="role")
    cy = mk(y, "the plant would have 800 people on its payroll", source="The governor", kind="role")
    cz = mk(y, "The office placed 230 of them through retraining courses", source="she", kind="person")
    s45 = float(np.sqrt(1 - 0.45 ** 2))
    vectors = np.array([[1, 0, 0], [0.45, s45, 0], [0.45, 0, s45]], dtype=np.float32)
    story = StoryInput("s", [x, y, z], [cx, cy, cz], {}, {})
    _, flags = corroborate(story, vectors=vectors, embed_fn=failing_embed)
    [f] = flags_of(flags, "contradiction")
    assert f.rule == "contradiction:slot-frame" and f.claim_ids == [cx.id, cy.id]
    assert f.evidence["slots"] == {"num": {"a": ["num:1200"], "b": ["num:800"]}}
    assert f.evidence["frame"] == {"num": ["people", "workforce"]}
    assert [sp["text"] for sp in f.evidence["side_a"]["sentences"]] == [z.text]
    assert f.evidence["side_a"]["all_article_ids"] == ["x", "z"] and 0.5 < f.score < 0.7
    assert z.text in [sp["text"] for sp in f.spans]


def test_report_verb_is_attribution_not_hedge() -> None:
    a = Article(id="a", source="a", format="text",
                text="The plant opened, the agency reports. It reportedly cost more.")
    r, rl = a.text.index("reports"), a.text.index("reportedly")
    c1 = replace(mk(a, "The plant opened", source="the agency", kind="organisation", hedge="reported",
                    cues=("reports",)), cue=Span(r, r + 7, "reports"))
    c2 = replace(mk(a, "It reportedly cost more", hedge="reported", cues=("reportedly",)),
                 cue=Span(rl, rl + 10, "reportedly"))
    assert effective_level(c1) == "asserted" and effective_level(c2) == "reported"
    # With no one reporting it, "is reported to have" softens the claim.
    b = Article(id="b", source="b", format="text", text="The lorry is reported to have crossed twice.")
    rb = b.text.index("reported")
    c3 = replace(mk(b, "to have crossed twice", hedge="reported", cues=("reported",)), cue=Span(rb, rb + 8, "reported"))
    assert c3.source is None and effective_level(c3) == "reported"


def test_an_age_is_no_length_of_service_and_its_frame_is_the_person() -> None:
    assert claim_slots("the guard, a 38-year-old sergeant, was hit") == {"age:38-year"}
    assert claim_slots("a sergeant with 15 years' service") == {"dur:15-year"}
    assert slot_frames("The guard, a 38-year-old sergeant, was hit") == {"age:38-year": {"guard", "sergeant"}}


def test_a_figure_an_article_says_it_updates_is_no_second_value() -> None:
    assert superseded_figures("Police have now arrested nine people, up from the six announced on Monday.") == {"num:6"}
    assert superseded_figures("The ministry revised the death toll from 12 to 14.") == {"num:12"}
    assert superseded_figures("Sales rose 5% from a year earlier. Nine people were arrested.") == frozenset()


def test_claim_slots_read_news_dates() -> None:
    assert claim_slots("opens on 14 March 2026") == claim_slots("opens on March 14, 2026")
    assert claim_slots("toured the site on Monday") == frozenset()
    assert claim_slots("work began in spring 2024") == {"year:2024"} and claim_slots("2,024 staff") == {"num:2024"}
    assert differing_slots(claim_slots("on 21 March"), claim_slots("on March 14, 2026")) == {
        "date": (["date:3-21"], ["date:3-14"])}
    assert differing_slots(claim_slots("800 workers"), claim_slots("on 21 March")) == {}


def test_a_figure_that_looks_like_a_year_is_read_as_the_figure_it_is() -> None:
    # Years are 19xx or 20xx standing alone: a price in decimals, a percentage and a
    # nineteenth-century-looking count are figures (``past_figures`` reads 18xx years in
    # clauses with a pattern of its own, which must not take over the slots' reading).
    assert claim_slots("Shares closed at 2019.50 rells.") == {"num:2019.5"}
    assert claim_slots("Output rose 2020% in a decade.") == {"pct:2020"}
    assert claim_slots("The mill made 1850 tonnes of steel.") == {"num:1850"}
    assert claim_slots("The mill opened in 1998.") == {"year:1998"}


# --- evidence, ids, purity -------------------------------------------------------------------


def test_every_flag_has_evidence_pointing_into_the_text(result) -> None:
    _, groups, flags = result
    texts = {a.id: a.text for a in ARTICLES}
    assert {f.kind for f in flags} == {"single-origin", "embellishment", "attribution-dropped", "hedge-changed",
                                       "contradiction"}
    for f in flags:
        assert f.spans and f.article_ids and f.rule and f.summary and f.evidence and 0 < f.score <= 1
        assert f.story_id == "story-halvik"
        for s in f.spans:
            assert texts[s["article_id"]][s["start"]:s["end"]] == s["text"]
            assert s["article_id"] in f.article_ids
    flagged = {cid for f in flags for cid in f.claim_ids}
    assert all(set(g.claim_ids) & flagged for g in groups if g.flags)


def test_ids_are_stable_and_independent_of_input_order(result) -> None:
    claims, groups, flags = result
    story = make_story(claims)
    order = list(range(len(story.claims)))
    random.Random(7).shuffle(order)
    vectors = fake_embed([c.content.text for c in story.claims])
    story.claims = [story.claims[i] for i in order]
    story.articles = story.articles[::-1]
    groups2, flags2 = corroborate(story, vectors=vectors[order], embed_fn=fake_embed)
    assert [g.id for g in groups2] == [g.id for g in groups]
    assert [(f.id, f.kind, f.claim_ids) for f in flags2] == [(f.id, f.kind, f.claim_ids) for f in flags]
    assert len({g.id for g in groups}) == len(groups) and len({f.id for f in flags}) == len(flags)


def test_one_article_needs_no_embedding() -> None:
    claims = story_claims()
    story = StoryInput("s", [O1], [c for c in claims.values() if c.article_id == "o1"], {"o1": "o1"},
                       {"o1": "o1"})
    groups, flags = corroborate(story, embed_fn=failing_embed)
    assert len(groups) == 5 and flags == []


def test_caller_vectors_are_used() -> None:
    """Independent articles only (no reuse edges): the caller's vectors are all that is needed."""
    claims = story_claims()
    keep = [c for c in claims.values() if c.article_id in ("i1", "c1")]
    story = StoryInput("s", [I1, C1], keep, {}, {})
    vectors = fake_embed([c.content.text for c in keep])
    groups, flags = corroborate(story, vectors=vectors, embed_fn=failing_embed)
    assert any(f.kind == "contradiction" for f in flags) and len(groups) == len(keep)


def test_empty_story_and_bad_input() -> None:
    assert corroborate(StoryInput("s", [], [], {}, {})) == ([], [])
    with pytest.raises(ValueError):
        corroborate(StoryInput("s", [O1], [story_claims()["r1.date"]], {}, {}), embed_fn=fake_embed)


def test_config_string_names_its_thresholds() -> None:
    s = str(CorroborationConfig())
    for name in ("single_origin_min_articles=3", "own_origin_cosine=0.65", "contradiction_cosine=0.7",
                 "paraphrase=0.8"):
        assert name in s


@pytest.mark.slow
def test_real_model_paraphrase_and_embellishment() -> None:
    """MiniLM in place of the stand-in: a paraphrased rewrite still matches its origin (no false
    embellishment), an added anonymous claim does not, and the figures still contradict."""
    from newstrace.nlp import embed

    claims = story_claims()
    groups, flags = corroborate(make_story(claims), embed_fn=embed)
    emb = {cid for f in flags_of(flags, "embellishment") for cid in f.claim_ids}
    assert claims["r1.double"].id in emb and claims["r1.vessel"].id not in emb
    assert group_of(groups, claims["o1.date"]).origin_ids == ["g1", "i1"]
    assert any(claims["c1.date"].id in f.claim_ids for f in flags_of(flags, "contradiction"))
    assert any("r2" in f.article_ids for f in flags_of(flags, "hedge-changed"))


def test_best_in_a_kept_list_equals_best_on_the_sub_list() -> None:
    """``best_in`` searches a sub-list through one index of the whole list (the counterpart
    search's fast path): the same hit, index and scores as ``best`` on the sub-list itself,
    for sub-lists on either side of the indexing threshold and with vectors for only part
    of the references (claims have one, sentences do not)."""
    from newstrace.corroboration import _INDEXED_REFS, _Run

    story = make_story()
    config = CorroborationConfig(embed_sentences=False)
    run_ = _Run(story, config, fake_embed([c.content.text for c in story.claims]), None)
    claim_texts = [c.content.text for c in run_.claims]
    sentences = [a.text[s:e] for a in ARTICLES for s, e in split_sentences(a.text)]
    rng = random.Random(7)
    compared = 0
    for _ in range(60):
        refs = [rng.choice(claim_texts + sentences) for _ in range(rng.randint(_INDEXED_REFS, 3 * _INDEXED_REFS))]
        for size in (0, 5, _INDEXED_REFS, len(refs)):
            allowed = sorted(rng.sample(range(len(refs)), min(size, len(refs))))
            query = rng.choice(claim_texts + sentences)
            for bars in ((0.7, 0.5), (0.95, 0.99), (0.2, 0.3)):
                got = run_.best_in(query, refs, allowed, *bars)
                want = run_.best(query, [refs[k] for k in allowed], *bars)
                assert repr(got) == repr(want)  # repr: a NaN cosine equals itself there
                compared += want is not None
    assert compared > 300


_SLOT_WORDS = ["One", "two", "eleven", "hundred", "dozen", "someone", "tone", "March", "mar.", "14th", "2026",
               "1.5", "million", "per cent", "%", "Monday", "years", "month", "-", ",", "the", "staff", "٣",
               "twenty-one", "Ten", "decades", "k", "bn", "\n", "ONE"]


@given(st.lists(st.sampled_from(_SLOT_WORDS) | st.text(max_size=6), max_size=14).map(" ".join))
def test_claim_slots_shortcut_equals_the_full_reading(text: str) -> None:
    """Texts with no digit and no number word skip the patterns: the same slots either way."""
    from newstrace.figures import read_slots

    assert claim_slots(text) == read_slots(text)


@given(refs=st.lists(st.frozensets(st.sampled_from("abcdefgh"), max_size=5), max_size=30),
       query=st.frozensets(st.sampled_from("abcdefghij"), min_size=1, max_size=6))
def test_term_counts_through_postings_equal_counting_per_reference(refs: list[frozenset[str]],
                                                                   query: frozenset[str]) -> None:
    """``_hits``/``_most_terms`` (numpy over postings) against counting each reference's share
    of the query's terms directly: the same first best position and the same containments."""
    postings: dict[str, list[int]] = {}
    for k, r in enumerate(refs):
        for t in sorted(r):
            postings.setdefault(t, []).append(k)
    j, cont = co._most_terms(co._hits({t: np.array(v) for t, v in postings.items()}, query), len(query))
    shares = [len(query & r) for r in refs]
    top = max(shares, default=0)
    assert j == (shares.index(top) if top else 0)
    assert [cont(k) for k in range(len(refs) + 2)] == [s / len(query) for s in shares] + [0.0, 0.0]


@given(sets=st.lists(st.frozensets(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=6),
                     max_size=25))
def test_disagreements_contained_in_a_larger_one_are_dropped_as_by_comparing_all(sets: list[frozenset]) -> None:
    """``_not_contained`` looks only among kept keys holding a key's rarest pair; comparing
    with every kept key gives the same keys, in the same order."""
    members = {i: set(s) for i, s in enumerate(sets)}
    keys = sorted(members, key=lambda k: (-len(members[k]), k))
    kept: list[int] = []
    for k in keys:
        if not any(members[k] <= members[j] for j in kept):
            kept.append(k)
    assert co._not_contained(keys, members) == kept


def _two_reports(text_a: str, text_b: str, content_a: str, content_b: str) -> list[Flag]:
    """The flags of a story of two independent reports, one claim each."""
    a = Article(id="a", source="a", format="text", published_at=T0, text=text_a)
    b = Article(id="b", source="b", format="text", published_at=T0 + timedelta(hours=1), text=text_b)
    ca = mk(a, content_a, source="the inspectorate", kind="organisation")
    cb = mk(b, content_b, source="the hospital", kind="organisation")
    story = StoryInput("s", [a, b], [ca, cb], {"a": "a", "b": "b"}, {"a": "a", "b": "b"})
    return flags_of(corroborate(story, embed_fn=fake_embed)[1], "contradiction")


def test_numbers_in_words_are_one_number() -> None:
    assert claim_slots("Thirty-seven people were taken to hospital") == {"num:37"}
    assert claim_slots("fifty two were admitted, seventeen released") == {"num:52", "num:17"}
    assert claim_slots("after twenty-one years at the plant") == {"dur:21-year"}
    assert "num:37" in slot_frames("Thirty-seven people were admitted to hospital")
    [f] = _two_reports("Thirty-seven people were admitted to hospital after the leak, the inspectorate said.",
                       "Fifty-two people were admitted to hospital after the leak, the hospital said.",
                       "Thirty-seven people were admitted to hospital after the leak",
                       "Fifty-two people were admitted to hospital after the leak")
    assert f.evidence["slots"]["num"] == {"a": ["num:37"], "b": ["num:52"]}


def test_a_bound_or_estimate_reaching_the_other_figure_is_no_contradiction() -> None:
    def disagree(a: str, b: str) -> dict[str, tuple[list[str], list[str]]]:
        return disagreeing_slots(claim_slots(a), claim_slots(b), figure_notes(a), figure_notes(b))

    assert disagree("it had searched more than a dozen properties", "it had searched 14 properties") == {}
    assert disagree("it had searched more than a dozen properties", "it had searched 9 properties") == {
        "num": (["num:12"], ["num:9"])}
    assert disagree("about 2,400 residents were evacuated", "2,450 residents were evacuated") == {}
    assert disagree("about 2,400 residents were evacuated", "3,000 residents were evacuated")
    assert disagree("up to 40 people", "35 people") == {} and disagree("up to 40 people", "45 people")
    assert disagree("nearly 60% of the staff", "58% of the staff") == {}
    assert disagree("at least 30 homes", "fewer than 50 homes") == {}  # the ranges overlap
    assert not _two_reports(
        "Investigators searched more than a dozen properties in the town, the inspectorate said.",
        "Investigators searched 14 properties in the town, the hospital said.",
        "Investigators searched more than a dozen properties in the town",
        "Investigators searched 14 properties in the town")


def test_money_and_counts_are_different_quantities() -> None:
    def disagree(a: str, b: str) -> dict[str, tuple[list[str], list[str]]]:
        return disagreeing_slots(claim_slots(a), claim_slots(b), figure_notes(a), figure_notes(b))

    assert figure_notes("cost 470 million euros")["num:4.7e+08"].money
    assert figure_notes("cost €310m")["num:3.1e+08"].money
    assert disagree("built with parts from four suppliers", "it cost 470 million euros") == {}
    assert disagree("it cost €310m", "it cost 470 million euros") == {"num": (["num:3.1e+08"], ["num:4.7e+08"])}
    assert disagree("the satellite cost 310 million euros", "the satellite cost $310 million") == {}


def test_a_dateline_is_not_a_value_the_claim_asserts() -> None:
    """Outlets that filed one story on different days must not "disagree" on their datelines."""
    assert claim_slots("VALDENBURG, March 4 (KPA) – Thirty-seven people were taken to hospital") == {"num:37"}
    assert claim_slots("RIVERTON, Ohio, April 6 — The board voted 5-2 on April 7") == {"score:5-2", "date:4-7"}
    assert claim_slots("By Gazette Staff | RIVERTON, April 6 (Riverton Gazette) — 12 homes") == {"num:12"}
    assert claim_slots("The MP said on April 6 that 3 men - all local - were held") == {"date:4-6", "num:3"}


def test_a_number_in_a_name_is_no_quantity() -> None:
    assert claim_slots("it wants to launch a second satellite, Halcyon-2, in 2028") == {"year:2028"}
    assert claim_slots("two F-16 jets and a Kestrel-2 rocket") == {"num:2"}
    assert claim_slots("COVID-19 cases rose to 1,200") == {"num:1200"}


def test_a_per_cent_sign_is_not_what_a_figure_counts() -> None:
    a = slot_frames("rainfall was 41 percent below the long-term average")
    b = slot_frames("food prices had risen 9.4 percent since January")
    assert not a["pct:41"] & b["pct:9.4"]


def test_two_wordings_of_one_claim_that_name_another_place_or_weekday() -> None:
    from newstrace.predicates import aligned_values
    a = "The fire broke out at the depot in Varstad shortly after midnight, when guards began their round"
    b = "The fire broke out at the depot in Olmsby shortly after midnight on Sunday, when guards started a round"
    assert [(t, u, w) for t, u, w, _ in aligned_values(a, b)] == [("place", "Varstad", "Olmsby")]
    assert [t for t, *_ in aligned_values("The mayor will appear before the council in Varstad on Wednesday",
                                          "The mayor is to appear before the council in Varstad on Thursday")] == ["weekday"]
    # One place in two spellings, a finer place, the day of the telling: no two values.
    assert aligned_values("The talks were held in Kyiv on Monday", "The talks were held in Kiev on Monday") == []
    assert aligned_values("The depot in Varstad burned", "The depot in Varstad, in Holm county, burned") == []
    assert aligned_values("the mayor said on Monday that the depot burned",
                          "the mayor said on Tuesday that the depot burned") == []


def test_two_wordings_of_one_claim_with_opposite_predicates() -> None:
    """"Shares *rose* 2.4 per cent" / "*fell* 2.4 per cent", "the amendment was *approved*" /
    "was *rejected* by 25 votes to 24": the opposite, told in the same words around it. A
    negated predicate that agrees ("did not accept" / "rejected") is no opposite."""
    from newstrace.predicates import aligned_values
    told = [(t, u, w) for t, u, w, _ in aligned_values("Halden's own shares fell 2.4 per cent on Friday",
                                                        "Halden's shares rose 2.4 per cent on Friday")]
    assert told == [("opposite", "fell", "rose")]
    assert [(t, u, w) for t, u, w, _ in aligned_values(
        "An amendment to keep the Brenn library open was approved.",
        "An amendment to keep the Brenn library open was rejected by 25 votes to 24")] == [
        ("opposite", "approved", "rejected")]
    assert [w for _, _, w, _ in aligned_values("Route 9 between Brenn and Holm reopened on Sunday evening",
                                              "Route 9 between Brenn and Holm remained closed on Monday")] == [
        "remained closed"]
    assert aligned_values("The court did not accept that argument", "The court rejected that argument") == []
    assert aligned_values("The board approved the plan", "The board approved the plan unanimously") == []


def test_who_did_what_told_the_other_way_round() -> None:
    """"Lindhaven beat Norrby" / "On Sunday Norrby beat Lindhaven": the names exchanged around
    one verb, whatever the word order around them."""
    from newstrace.predicates import aligned_values
    told = aligned_values("On Sunday, when Halden beat Brenn 3-1 at the Eastgate Stadium, he scored twice.",
                          "On Sunday Brenn beat Halden 3-1 at the Eastgate Stadium.")
    assert [(t, u, w) for t, u, w, _ in told] == [("swapped", "Halden beat Brenn", "Brenn beat Halden")]
    assert aligned_values("Halden sued Brenn in 2024", "In 2024 Brenn sued Halden")[0][0] == "swapped"
    assert aligned_values("Halden beat Brenn 3-1", "Halden beat Brenn on penalties") == []
    assert aligned_values("Halden beat Brenn", "Brenn sued Halden") == []
    # "bought", "buys", "acquired" are one act.
    assert [t for t, *_ in aligned_values("Brenholt bought Selvane in May.", "Selvane acquired Brenholt in May.")] == [
        "swapped"]
    # A win told in other words: "came from behind to beat", "a 2-1 victory over", "lost to",
    # "after a 2-1 defeat by"; "defeated" is "beat".
    knr = "Corravale Rovers defeated Dunhallow Athletic 2-1 on Saturday afternoon."
    for won in ("Dunhallow Athletic came from behind to beat Corravale Rovers 2-1 on Saturday.",
                "Doshi scored late to give Dunhallow Athletic a 2-1 victory over Corravale Rovers.",
                "Corravale Rovers lost 2-1 to Dunhallow Athletic on Saturday.",
                "Corravale Rovers left Millbrook Park empty-handed after a 2-1 defeat by Dunhallow Athletic."):
        assert [t for t, *_ in aligned_values(won, knr)] == ["swapped"], won
    assert aligned_values("Corravale Rovers lost 2-1 to Dunhallow Athletic.", knr.replace("Corravale Rovers defeated "
                          "Dunhallow Athletic", "Dunhallow Athletic beat Corravale Rovers")) == []


def _told_story(texts: dict[str, str], origins: dict[str, str] | None = None, embed_fn=failing_embed,
                hours: float = 1.0, claims: list[Claim] | None = None) -> list[Flag]:
    """Contradiction flags of a story whose articles carry no claims (or ``claims``), the
    articles ``hours`` apart."""
    arts = [Article(id=k, source=k, format="text", published_at=T0 + timedelta(hours=n * hours), text=t)
            for n, (k, t) in enumerate(texts.items())]
    origins = origins or {k: k for k in texts}
    story = StoryInput("s", arts, claims or [], origin_of=origins, origin_article={g: g for g in origins.values()})
    return [f for f in corroborate(story, embed_fn=embed_fn)[1] if f.kind == "contradiction"]


def test_sentences_told_the_other_way_round_contradict_without_being_claims() -> None:
    """A plain statement with no figure is no claim, and an act outside a claim's content
    ("Selvane sued Brenholt in 2024, *claiming* that ...") is in none: two independent
    sentences that tell one thing the other way round, in the same words around it, are still a
    contradiction, one flag for every sentence on either side, with the sentences as evidence."""
    texts = {
        "radio": "The council met on Monday. An amendment from the Green group to keep the Holm library open "
                 "was approved. Halden sued Brenn in 2024, claiming that a gearbox copied its patent.",
        "paper": "An amendment tabled by the Green group to keep the Holm library open was rejected by 25 "
                 "votes to 24. In 2024 Brenn sued Halden over a gearbox patent.",
        "site": "A Green amendment to keep the Holm library open was voted down late on Monday.",
    }
    flags = _told_story(texts)
    by_rule = {f.summary: f for f in flags if f.rule == "contradiction:aligned-sentence"}
    assert len(by_rule) == 2, [f.summary for f in flags]
    vote = next(f for s, f in by_rule.items() if "approved" in s)
    assert vote.evidence["side_a"]["article_ids"] == ["radio"]
    assert vote.evidence["side_b"]["article_ids"] == ["paper", "site"]
    approved = "An amendment from the Green group to keep the Holm library open was approved."
    assert approved in {s["text"] for s in vote.spans}
    assert vote.claim_ids == [] and vote.evidence["slots"] == {"opposite": {"a": ["approved"], "b": ["rejected"]}}
    sued = next(f for s, f in by_rule.items() if "sued" in s)
    assert sued.evidence["slots"]["swapped"] == {"a": ["Halden sued Brenn"], "b": ["Brenn sued Halden"]}
    # One origin group: a rewrite that changes a fact is an editing matter, not two sources.
    assert _told_story(texts, {"radio": "g", "paper": "g", "site": "g"}) == []
    # The day said between the predicate and what follows it does not hide the opposite.
    union = _told_story({"a": "The Porthwick dockers' union refused on Thursday to call off its strike.",
                         "b": "The dockers' union has agreed to call off the strike while members vote."})
    assert [f.evidence["slots"] for f in union] == [{"opposite": {"a": ["refused"], "b": ["has agreed"]}}]
    # Too few words in common: two votes of one council meeting, not one told two ways.
    assert _told_story({"a": "The council approved the budget.", "b": "The council rejected the bus plan."}) == []


def test_a_road_reopened_was_closed_before() -> None:
    """"Reopened on Sunday evening" tells that the road was closed: only "remained closed"
    says otherwise."""
    from newstrace.predicates import aligned_values
    assert aligned_values("Route 9 between Brenn and Holm was closed by fallen trees.",
                          "Route 9 between Brenn and Holm reopened on Sunday evening.") == []
    assert _told_story({"a": "On Saturday Route 9 between Brenn and Holm was closed by fallen trees.",
                        "b": "Route 9 between Brenn and Holm reopened on Sunday evening."}) == []


def test_times_of_day_and_their_bounds() -> None:
    """"At about 3.40 a.m." and "shortly after 2 a.m." are two times, each a range of minutes;
    "3.40 am" and "3:45 a.m." one told more or less exactly."""
    from newstrace.figures import claim_slots, figure_notes, values_disagree
    a = "The fire broke out at about 3.40 a.m. in the mixing hall"
    b = "The fire started shortly after 2 a.m. in the mixing hall"
    assert claim_slots(a) == {"time:03:40"} and claim_slots(b) == {"time:02:00"}
    assert claim_slots("at 11pm on Friday, and at 23:15") == {"time:23:00", "time:23:15"}
    assert claim_slots("He has 2 amendments") == {"num:2"}
    assert claim_slots("jailed for three and a half years") == {"dur:3.5-year"}
    na, nb = figure_notes(a), figure_notes(b)
    assert values_disagree("time:03:40", "time:02:00", na, nb)
    assert not values_disagree("time:03:40", "time:03:45", {}, {})
    assert not values_disagree("time:02:20", "time:02:00", {}, nb)  # "shortly after 2"


def test_who_is_counted_and_what_is_asked_for_are_not_what_a_count_is_of() -> None:
    """"Two people died" and "employs about 240 people" share only who is counted; "sought a
    six-year sentence" is no prison term; "seven people were taken to hospital" and "five
    people were taken to hospital" are one count, and so are "3,000 troops" and "600 soldiers"."""
    from newstrace.figures import frames_meet, slot_frames
    died = slot_frames("Two people died when fire swept through the plant")["num:2"]
    staff = slot_frames("The company employs about 240 people in Hesby")["num:240"]
    assert died == {"people", "dead"} and not frames_meet(died, staff)
    taken = [slot_frames(f"{n} people were taken to hospital")[f"num:{v}"] for n, v in (("Seven", 7), ("Five", 5))]
    assert frames_meet(*taken) == {"people", "taken"}
    troops = slot_frames("Lestria has moved about 3,000 troops to the range")["num:3000"]
    soldiers = slot_frames("about 600 soldiers were taking part in an exercise")["num:600"]
    assert frames_meet(troops, soldiers) == {"troops"}
    sought = slot_frames("Prosecutors had sought a six-year sentence")["dur:6-year"]
    given = slot_frames("He was sentenced to a four-year sentence")["dur:4-year"]
    assert "sentence" in sought & given and not frames_meet(sought, given)


def test_a_currency_or_a_unit_is_no_frame_of_its_own() -> None:
    """A share price and an offer per share are both "florins" (the currency says what they
    are counted in, not of what), and "five minutes before half-time" and "after only 12
    minutes" are two lengths of time, not two counts of minutes."""
    from newstrace.figures import claim_slots, frames_meet, slot_frames
    price = slot_frames("Kestle shares rose 18 per cent to 12.70 florins in early trading")["num:12.7"]
    offer = slot_frames("The offer of 14.20 florins a share is 32 per cent above the closing price")["num:14.2"]
    assert "florin" in price | offer and not frames_meet(price, offer)
    assert claim_slots("Saltmere equalised five minutes before half-time") == {"dur:5-minute"}
    before = slot_frames("Saltmere equalised five minutes before half-time")["dur:5-minute"]
    after = slot_frames("Wolt's first goal came after only 12 minutes")["dur:12-minute"]
    assert not frames_meet(before, after)


def test_an_items_number_is_no_count_and_minutes_are_no_years() -> None:
    """"Number two, open up more trade" numbers a point of a speech, "the number 7 bus" names a
    route, "one-quarter of the workers" is a share; a length in minutes and one in years are
    lengths of two things."""
    from newstrace.figures import values_disagree
    assert claim_slots("Number two, open up more trade, particularly in Latin America") == frozenset()
    assert claim_slots("Buses on the number 7 route are diverted") == frozenset()
    assert claim_slots("A number of 12 people were hurt") == {"num:12"}
    assert claim_slots("This is segment three, the economy") == frozenset()
    assert claim_slots("Small firms employ one-quarter of the workers") == frozenset()  # a share, not one
    assert claim_slots("In the past week 40 people were hurt") == {"num:40"}
    assert not values_disagree("dur:10-year", "dur:2-minute", {}, {})
    assert values_disagree("dur:15-minute", "dur:9-minute", {}, {})


def test_a_named_players_bare_act_denies_no_count() -> None:
    """"Malk did not score" (in one game) is no denial of "Malk scored 19 goals last season";
    "no patient had died" is about patients, and denies a death toll."""
    from newstrace.negation import negated_clauses
    assert [co._bare_act(n) for n in negated_clauses("Malk did not score, but the fans sang his name.")] == [True]
    assert [co._bare_act(n) for n in negated_clauses("No patient had died.")] == [False]
    assert [co._bare_act(n) for n in negated_clauses("Malk did not score 19 goals.")] == [False]


def test_an_age_told_between_commas_or_after_aged() -> None:
    """"Hallam, 59, accepted", "a man aged 71", "the father, who is 49" state ages, as
    "a 59-year-old" does; a month or weekday before the commas ("In March, 25, 30 and 40") and
    a share ("who is 49 per cent owner") do not."""
    assert claim_slots("Tulley, 58, a retired surveyor, and the father, who is 49") == {"age:58-year", "age:49-year"}
    assert claim_slots("a man aged 71 was killed") == {"age:71-year"}
    assert claim_slots("In March, 25, 30 and 40 people") == {"num:25", "num:30", "num:40"}
    assert claim_slots("who is 49 per cent owner") == {"pct:49"}


def test_a_pair_the_claim_level_test_flags_is_not_flagged_again_by_sentence() -> None:
    """Two claims of one group that say "rose" / "fell" are one aligned-value flag; the
    sentence-level pass sees the same two sentences and leaves them to it, even where the claim
    is only part of its sentence."""
    a = Article(id="a", source="a", format="text", published_at=T0,
                text="On Friday, Halden's own shares fell 2.4 per cent on the Norland exchange, the paper said.")
    b = Article(id="b", source="b", format="text", published_at=T0 + timedelta(hours=2),
                text="Halden's shares rose 2.4 per cent on the Norland exchange, the agency said.")
    claims = [mk(a, "Halden's own shares fell 2.4 per cent on the Norland exchange", source="the paper"),
              mk(b, "Halden's shares rose 2.4 per cent on the Norland exchange", source="the agency")]
    story = StoryInput("s", [a, b], claims, origin_of={"a": "a", "b": "b"}, origin_article={"a": "a", "b": "b"})
    flags = [f for f in corroborate(story, embed_fn=fake_embed)[1] if f.kind == "contradiction"]
    assert [f.rule for f in flags] == ["contradiction:aligned-value"], [(f.rule, f.summary) for f in flags]


def test_a_rate_and_a_total_are_two_quantities() -> None:
    """"About 4 million crowns a day" (what the strike costs) and "9 million crowns to the annual
    wage bill" are a daily and a yearly amount; two yearly amounts can disagree."""
    from newstrace.figures import values_disagree
    day = figure_notes("the strike was costing the economy about 4 million crowns a day")
    year = figure_notes("the rise would add about 9 million crowns to the company's annual wage bill")
    assert day["num:4e+06"].rate == "day" and day["num:4e+06"].money and year["num:9e+06"].rate == "year"
    assert not values_disagree("num:4e+06", "num:9e+06", day, year)
    other = figure_notes("the rise would add 5 million crowns a year")
    assert values_disagree("num:9e+06", "num:5e+06", year, other)


# --- facts a rewrite changed ------------------------------------------------------------------


def test_what_a_rewrite_changed_in_an_aligned_sentence() -> None:
    """A figure, a date, a term, an age, a time, a predicate, two names or a negation changed
    between a source sentence and its rewrite's; the same fact worded otherwise is no change."""
    from newstrace.corroboration import changed_values

    def told(up: str, down: str, superseded: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
        return [(t, u, w) for t, u, w, _ in changed_values(up, down, superseded)]

    assert told("Four people were injured when a fire swept through a warehouse in Dunmere.",
                "Nine people were hurt when a huge fire tore through a warehouse in Dunmere.") == [
        ("num", "num:4", "num:9")]
    assert told("The plant will open on 14 March.", "The plant will open on March 15.") == [
        ("date", "date:3-14", "date:3-15")]
    assert told("Rusk was jailed for four years.", "Rusk was jailed for three and a half years.") == [
        ("dur", "dur:4-year", "dur:3.5-year")]
    assert told("Kellner, 58, was rescued.", "Kellner, 49, was rescued.") == [("age", "age:58-year", "age:49-year")]
    assert told("The council approved the plan on Tuesday.", "The council rejected the plan on Tuesday.") == [
        ("opposite", "approved", "rejected")]
    assert told("Halden beat Brenn 2-1 on Saturday.", "Brenn beat Halden 2-1 on Saturday.") == [
        ("swapped", "Halden beat Brenn", "Brenn beat Halden")]
    assert told("The fire broke out in Dunmere on Tuesday night.", "The fire broke out in Carrow on Tuesday night.") == [
        ("place", "Dunmere", "Carrow")]
    assert told("The driver was not hurt.", "The driver was hurt.") == [
        ("negation", "The driver was not hurt", "The driver was hurt.")]
    assert told("No one was injured in the fire.", "Two people were injured in the fire.")[0][0] == "negation"
    # The same facts told otherwise.
    for up, down in [
        ("About 60 firefighters fought the blaze for six hours.", "Roughly 60 firefighters battled it for six hours."),
        ("The warehouse employed 85 people.", "The warehouse had 85 employees."),
        ("Sales rose 4 per cent to 2.5 million euros.", "Sales rose 4% to 2,500,000 euros."),
        ("About 400 people were evacuated.", "Some 412 people were evacuated."),
        ("More than a dozen people were hurt.", "Fourteen people were hurt."),
        ("About 60 firefighters fought the blaze.", "The 85 staff were sent home."),
        ("The regional health office said nobody had been reported ill.",
         "The health office has confirmed that no one has been reported ill."),
        ("The Volnogorsk dam supplies 300,000 homes.", "The Volnograd dam supplies 300,000 homes."),
        ("Prosecutors sought six years.", "He was jailed for four years."),
    ]:
        assert told(up, down) == [], (up, down)
    # An update the rewrite names as one ("up from four") is no change of the four.
    assert told("Four people died.", "Nine people died.", frozenset({"num:4"})) == []
    # What LLM restyles of real articles do without changing a fact (SheepDog, command O).
    for up, down in [
        ("It kept my grandfather at the mill for 50 years.", "It kept my grandfather at the mill for five decades."),
        ("He must stay in bed for 60 days.", "He must stay in bed for two months."),
        ("She is two dozen years younger than her husband.", "She is twenty-four years younger than her husband."),
        ("One is the man I served, Barack Obama.", "Among them are two Democrats, Barack Obama and Bill Clinton."),
        ("A reward for any woman between the ages of 54 to 57.", "A reward for any woman aged 54 to 57."),
        ("By 2013, 22 states had five or more restrictions.", "Two states introduced 13 new restrictions in 2013."),
        ("They will receive a salary of 18.000 USD.", "You can earn a salary of $18,000."),
        ("The President achieved his goal in 2006, three years ahead of schedule.",
         "The goal of cutting the deficit by 2009 was achieved ahead of schedule."),
        ("He didn't mention his partnership proposal.", "He conveniently failed to mention his partnership proposal."),
        ("Strzok would not invoke his Fifth Amendment rights.", "Strzok would testify without invoking his Fifth Amendment rights."),
        ("He has interpreted at rallies for Joe Biden.", "He has interpreted at rallies for none other than Joe Biden."),
        ("Her life isn't simple.", "Why is her life not simple?"),
        ("But her term was not without controversy.", "However, controversy has followed her throughout her term."),
    ]:
        assert told(up, down) == [], (up, down)
    # A sentence kept nearly word for word with the negation taken out is still turned round;
    # a year changed after the same word is a change.
    assert told("The image is not stored on the server.", "The image is stored on the server.")[0][0] == "negation"
    assert told("Kestle was founded in 1952.", "Kestle was founded in 1925.") == [("year", "year:1952", "year:1925")]
    # The rewrite kept the bound and changed the figure; an estimate rounded otherwise is none.
    assert told("At least 37 people have been taken to hospital.", "At least 137 people have been taken to hospital.") == [
        ("num", "num:37", "num:137")]
    assert told("About 400 people were evacuated.", "Some 412 people were evacuated.") == []


def _rewrite_story(texts: dict[str, str], edges: list[tuple[str, str, bool | None]]) -> list[Flag]:
    """Flags of a story of one origin group (its first article the origin), whose articles
    carry no claims, with each edge's sentences aligned one to one in order."""
    from newstrace.model import AlignedPair

    arts = {k: Article(id=k, source=k, format="text", published_at=T0 + timedelta(hours=n), text=t)
            for n, (k, t) in enumerate(texts.items())}
    reuse = []
    for s, d, parent in edges:
        sa, sd = split_sentences(arts[s].text), split_sentences(arts[d].text)
        pairs = [AlignedPair(i, i, Span(a0, a1, arts[s].text[a0:a1]), Span(b0, b1, arts[d].text[b0:b1]),
                             cosine=None, lexical=0.5, score=0.5)
                 for i, ((a0, a1), (b0, b1)) in enumerate(zip(sa, sd))]
        evidence = {} if parent is None else {"parent": parent}
        reuse.append(ReuseEdge(s, d, "rewrite", 0.7, "test", directed=True, pairs=pairs,
                               direction_evidence=evidence))
    first = next(iter(texts))
    story = StoryInput("s", list(arts.values()), [], origin_of={k: "g" for k in texts},
                       origin_article={"g": first}, edges=reuse)
    return [f for f in corroborate(story, embed_fn=failing_embed)[1] if f.kind == "contradiction"]


def test_a_rewrite_that_changes_a_fact_is_flagged_along_its_edge() -> None:
    """Rewrites of one origin are never flagged against each other as two sources, but a
    rewrite that turns its source's "four injured" into "nine" changed a fact: a contradiction
    along the parent edge, with both sentences, the edge and the values as evidence. Its copy
    repeats the nine (no change along that edge), and a link between two rewrites of one
    source that is no parent link is no path the text took."""
    wire = ("Four people were injured when a fire swept through a furniture warehouse in Dunmere on Tuesday. "
            "About 60 firefighters fought the blaze for six hours.")
    rewrite = ("Nine people were hurt when a huge fire tore through a furniture warehouse in Dunmere on Tuesday. "
               "Roughly 60 firefighters battled the flames for six hours.")
    flags = _rewrite_story({"wire": wire, "site": rewrite, "copy": rewrite},
                           [("wire", "site", True), ("site", "copy", True)])
    [f] = flags
    assert f.rule == "contradiction:changed-in-rewrite" and f.score == 0.8
    assert f.evidence["slots"] == {"num": {"a": ["num:4"], "b": ["num:9"]}}
    assert f.evidence["side_a"]["article_ids"] == ["wire"] and f.evidence["side_b"]["article_ids"] == ["site"]
    assert [(e["upstream"], e["downstream"]) for e in f.evidence["edges"]] == [("wire", "site")]
    assert [s["text"] for s in f.spans] == [wire.split(". ")[0] + ".", rewrite.split(". ")[0] + "."]
    assert "\"4\" became \"9\"" in f.summary
    # Two rewrites that each changed the wire's four to nine: one flag, both on side B.
    [both] = _rewrite_story({"wire": wire, "site": rewrite, "other": rewrite},
                            [("wire", "site", True), ("wire", "other", True)])
    assert both.evidence["side_b"]["article_ids"] == ["site", "other"]
    # Siblings: the link between two rewrites is no parent link.
    assert _rewrite_story({"wire": wire, "site": wire, "other": rewrite}, [("site", "other", False)]) == []
    # The same facts reworded.
    assert _rewrite_story({"wire": wire, "site": wire.replace("Four", "4").replace("About", "Some")},
                          [("wire", "site", True)]) == []


def test_a_quotation_the_rewrite_gives_to_someone_else() -> None:
    """The opposition leader's words, given by the restyle to the mayor who proposed the
    charge: a change along the edge (kind ``speaker``). Not where the rewrite only says "he"
    (which of two people a resolver picked is no change the rewrite made), nor where the
    source's sentence names both people."""
    quote = "\u201cThis is a tax on people who cannot afford a new car,\u201d"

    def flags_for(up_text: str, down_text: str, up_source: str, down_source: str, down_entity: str) -> list[Flag]:
        up = Article(id="wire", source="w", format="text", published_at=T0,
                     text="Anton Krell, the opposition leader, said he would fight on. " + up_text)
        down = Article(id="site", source="s", format="text", published_at=T0 + timedelta(hours=2), text=down_text)
        claims = [mk(up, quote, source=up_source, kind="person", entity="Anton Krell", quote=True),
                  mk(down, quote, source=down_source, kind="person", entity=down_entity, quote=True)]
        story = StoryInput("s", [up, down], claims, origin_of={"wire": "g", "site": "g"},
                           origin_article={"g": "wire"},
                           edges=[ReuseEdge("wire", "site", "rewrite", 0.7, "test", directed=True)])
        return [f for f in corroborate(story, embed_fn=fake_embed)[1] if f.rule == "contradiction:changed-in-rewrite"]

    [f] = flags_for(quote + " he said.", quote + " Mayor Helena Vorst admitted.", "he", "Mayor Helena Vorst",
                    "Helena Vorst")
    assert f.evidence["slots"] == {"speaker": {"a": ["Anton Krell"], "b": ["Helena Vorst"]}}
    assert "is Anton Krell's in the source, Helena Vorst's in the rewrite" in f.summary
    assert flags_for(quote + " he said.", quote + " he said.", "he", "he", "Helena Vorst") == []
    assert flags_for(quote + " he told Mayor Helena Vorst.", quote + " Mayor Helena Vorst admitted.", "he",
                     "Mayor Helena Vorst", "Helena Vorst") == []
    assert flags_for(quote + " he said.", quote + " Krell's deputy Anton Krellson said.", "he",
                     "Anton Krellson", "Anton Krellson") == []


def test_a_plain_sentence_that_says_is_not_so_what_another_origin_states() -> None:
    """"The driver was not hurt." is no claim (no source, no figure), nor is the wire's
    sentence that he was taken to hospital with injuries: the sentences still contradict each
    other ("hurt" and "injuries" are one word here). Not within one origin group, not where the
    stating sentence hedges or negates itself, not where a figure the negation governs is
    missing, not between articles days apart (news, not a contradiction)."""
    wire = "The driver, a 52-year-old man, was taken to hospital with injuries to his head and hands."
    [f] = _told_story({"wire": wire, "paper": "The line reopened on Wednesday. The driver was not hurt."})
    assert f.rule == "contradiction:negated-sentence"
    assert f.evidence["negated_clause"]["text"] == "The driver was not hurt"
    assert f.evidence["side_a"]["article_ids"] == ["wire"] and f.evidence["side_b"]["article_ids"] == ["paper"]
    assert f.evidence["words"] == ["driver", "injured"]
    assert _told_story({"wire": wire, "paper": "The driver was not hurt."}, {"wire": "g", "paper": "g"}) == []
    assert _told_story({"wire": "The driver escaped without injuries to his head.",
                        "paper": "The driver was not hurt."}) == []
    assert _told_story({"wire": "The clinic said it had admitted 14 patients with fever.",
                        "paper": "The clinic had not admitted 340 patients with fever."}) == []
    arts = [Article(id="wire", source="w", format="text", published_at=T0, text=wire),
            Article(id="late", source="l", format="text", published_at=T0 + timedelta(days=5),
                    text="The driver was not hurt.")]
    story = StoryInput("s", arts, [], origin_of={"wire": "wire", "late": "late"},
                       origin_article={"wire": "wire", "late": "late"})
    assert [f for f in corroborate(story, embed_fn=failing_embed)[1] if f.kind == "contradiction"] == []


def test_a_denial_told_as_a_negation_is_no_hedge_change() -> None:
    """"The ministry has denied that the deployment is directed at Korvenia" and "The ministry
    has said that the deployment is not aimed at Korvenia" report one denial: a rewrite that
    words it as a negation neither drops nor adds it. Asserting what the source reports as
    denied is still a change."""
    wire = Article(id="wire", source="w", format="text", published_at=T0, outlet="Agency",
                   text="The ministry has denied that the deployment is directed at Korvenia.")

    def flags_for(rewrite: str, content: str) -> list[Flag]:
        site = Article(id="site", source="s", format="text", published_at=T0 + timedelta(hours=2), outlet="Site",
                       text=rewrite)
        claims = [mk(wire, "the deployment is directed at Korvenia", source="The ministry", kind="organisation",
                     hedge="denied", cues=("denied",)),
                  mk(site, content, source="The ministry", kind="organisation")]
        story = StoryInput("s", [wire, site], claims, origin_of={"wire": "g", "site": "g"}, origin_article={"g": "wire"},
                           edges=[ReuseEdge("wire", "site", "rewrite", 0.8, "test", directed=True)])
        return [f for f in corroborate(story, embed_fn=fake_embed)[1] if f.kind == "hedge-changed"]

    assert flags_for("The ministry has said that the deployment is not aimed at Korvenia.",
                     "the deployment is not aimed at Korvenia") == []
    [f] = flags_for("The ministry has said that the deployment is directed at Korvenia.",
                    "the deployment is directed at Korvenia")
    assert f.rule.startswith("hedge-changed:denial-dropped")


def alike_embed(texts: list[str]) -> np.ndarray:
    """Every text the same unit vector: the model says any two sentences tell of one thing, so
    a test sees the lexical gates alone."""
    return np.full((len(texts), 8), 8 ** -0.5, dtype=np.float32)


def apart_embed(texts: list[str]) -> np.ndarray:
    """Every text its own direction (cosine 0 between any two)."""
    return np.eye(len(texts), max(8, len(texts)), dtype=np.float32)


def test_two_plain_sentences_giving_one_quantity_two_values() -> None:
    """Most figures of a report are in its own voice, so no claim holds them: "sentenced
    Quellan to six years in prison" and "Quellan was jailed for four years" still contradict
    each other (one name, one frame: "prison" and "jailed" are one word here). Not within one
    origin group, not between articles days apart, not where a value is the one the article
    says it replaces, not where the model says the two sentences tell of different things."""
    texts = {"wire": "Judge Marta Invell sentenced Quellan to six years in prison on Monday.",
             "paper": "Quellan was jailed for four years, and the court ordered the seizure of his villa."}
    [f] = _told_story(texts, embed_fn=alike_embed)
    assert f.rule == "contradiction:sentence-value"
    assert f.evidence["slots"] == {"dur": {"a": ["dur:6-year"], "b": ["dur:4-year"]}}
    assert f.evidence["frame"] == ["prison"] and f.evidence["side_a"]["article_ids"] == ["wire"]
    assert [s["text"] for s in f.spans] == ["Judge Marta Invell sentenced Quellan to six years in prison on Monday.",
                                             "Quellan was jailed for four years, and the court ordered the seizure of "
                                             "his villa."]
    assert f.evidence["pairs"][0]["cosine"] == f.score == 1.0
    assert _told_story(texts, {"wire": "g", "paper": "g"}, embed_fn=alike_embed) == []
    assert _told_story(texts, embed_fn=alike_embed, hours=72) == []
    # Far apart for the model: a bag of words that shares nothing but the name.
    assert _told_story(texts, embed_fn=apart_embed) == []
    # "rose to five, up from four": the four is the article's own earlier figure.
    assert _told_story({"a": "Two of the injured workers had been allowed home by Tuesday afternoon.",
                        "b": "The number of injured workers rose to five on Tuesday afternoon, up from four."},
                       embed_fn=alike_embed) == []


def test_sentence_values_pass_the_claim_tests_too() -> None:
    """The tests a pair of claims' values must pass hold for sentences: a guess ("may employ
    only 200") is no second value, a bound reaches the other figure ("nearly $1 billion" and
    932 million), and a frame must be shared ("jobs" in America and jobs a plan creates are
    told apart by the frame words, here "create")."""
    guess = Claim(id="g", article_id="b", sentence_index=0, content=Span(0, 10, "x"), source=None,
                  is_direct_quote=False, source_kind="none", source_entity=None, hedge="speculated",
                  hedge_cues=(), method="test")
    texts = {"a": "The Halvik terminal will employ 300 staff when it opens in May.",
             "b": "The Halvik terminal may employ only 200 staff when it opens in May."}
    assert [f.rule for f in _told_story(texts, embed_fn=alike_embed)] == ["contradiction:sentence-value"]
    assert _told_story(texts, embed_fn=alike_embed, claims=[guess]) == []
    assert _told_story({"a": "Senator Obama has asked for $932 million of earmark spending in Halvik.",
                        "b": "Senator Obama has asked for nearly $1 billion of earmark spending in Halvik."},
                       embed_fn=alike_embed) == []


def test_a_time_told_in_words_is_a_time() -> None:
    """"A quarter past eight on Wednesday morning" is 08:15, not the number eight; without the
    part of the day there is no telling the hour, and the words are left alone."""
    from newstrace.figures import spoken_times
    assert spoken_times("It happened at about a quarter past eight on Wednesday morning.") == \
        "It happened at about 8.15 a.m. on Wednesday morning."
    assert spoken_times("The alarm went at ten to nine in the evening.") == "The alarm went at 8.50 p.m. in the evening."
    assert spoken_times("They met at half past two.") == "They met at half past two."
    assert claim_slots("The derailment happened at about a quarter past eight on Wednesday morning.") == \
        frozenset({"time:08:15"})
    assert figure_notes("at about a quarter past eight on Wednesday morning")["time:08:15"].low == 8 * 60 + 15 - 30
    # Digits with the part of the day after them are a time too; a share in the morning's trading is not.
    assert claim_slots("The blast tore through the quarry at about 10.15 on Tuesday morning") == {"time:10:15"}
    assert claim_slots("The match kicks off at 7.45 this evening") == {"time:19:45"}
    assert claim_slots("Shares rose 10.15 percent in the morning session") == {"pct:10.15"}


def test_a_year_earlier_is_no_rate_and_a_bound_reaches_past_a_currency_sign() -> None:
    """"389 million a year earlier" is last year's figure, not 389 million a year; "nearly $1
    billion" is a bound on the billion though the dollar sign stands between."""
    assert "num:3.89e+08" not in figure_notes("Profit came to 212 million crowns, down from 389 million a year "
                                              "earlier.")
    assert figure_notes("It costs 4 million crowns a day.")["num:4e+06"].rate == "day"
    assert figure_notes("It costs 4 million crowns a day on average.")["num:4e+06"].rate == "day"
    note = figure_notes("He has asked for nearly $1 billion in earmarks.")["num:1e+09"]
    assert (note.low, note.high) == (0.8e9, 1e9)


def test_a_figures_frame_stops_at_the_next_clause() -> None:
    """"jailed for four years, and the court ordered ...": the court is the next clause's, so
    "for ten years" of a case heard by a court is no value of the same thing."""
    assert slot_frames("Quellan was jailed for four years, and the court ordered the seizure of a villa.") == \
        {"dur:4-year": frozenset({"prison"})}


def test_one_quotation_given_to_two_people_by_two_origins() -> None:
    """Two outlets that heard one speaker agree on who spoke: the same words given by name to
    the mayor in one report and to the transport chief in another is a contradiction, whoever
    is right. Not within one origin group (that is the rewrite's own flag), not when one of
    them names no one."""
    quote = "\"This line will change Eastholm for a generation,\""
    texts = {"herald": f"{quote} said Mayor Ottilie Brann.",
             "wire": f"{quote} said Jonas Merrick, the council's transport chief."}
    arts = {k: Article(id=k, source=k, format="text", published_at=T0 + timedelta(hours=n), text=t)
            for n, (k, t) in enumerate(texts.items())}
    claims = [mk(arts["herald"], quote, source="Mayor Ottilie Brann", kind="named", entity="Ottilie Brann",
                 quote=True),
              mk(arts["wire"], quote, source="Jonas Merrick", kind="named", entity="Jonas Merrick", quote=True)]
    [f] = [f for f in _told_story(texts, embed_fn=alike_embed, claims=claims) if f.rule == "contradiction:quote-speaker"]
    assert f.evidence["slots"] == {"speaker": {"a": ["Ottilie Brann"], "b": ["Jonas Merrick"]}}
    assert f.evidence["side_a"]["article_ids"] == ["herald"] and f.evidence["side_b"]["article_ids"] == ["wire"]
    assert sorted(f.claim_ids) == sorted(c.id for c in claims)
    assert not [f for f in _told_story(texts, {"herald": "g", "wire": "g"}, embed_fn=alike_embed, claims=claims)
                if f.rule == "contradiction:quote-speaker"]
    anonymous = [claims[0], replace(claims[1], source=None, source_entity=None)]
    assert not [f for f in _told_story(texts, embed_fn=alike_embed, claims=anonymous)
                if f.rule == "contradiction:quote-speaker"]


def test_opposite_things_said_of_one_name() -> None:
    """"Hesper Lorrimer ... was acquitted" and "Businessman Hesper Lorrimer was convicted":
    the verdicts are said of one name in different words around them. A sentence telling both
    verdicts speaks of two people; a state at a time ("remained closed", "reopened") is news;
    a rise or fall must share more than the name; a transcript's speaker label is no name."""
    from newstrace.predicates import named_predicates
    texts = {"wire": "Co-defendant Hesper Lorrimer, owner of Lorrimer Civil Works, was acquitted.",
             "radio": "Businessman Hesper Lorrimer was convicted of paying bribes and given a suspended sentence."}
    [f] = _told_story(texts, embed_fn=alike_embed)
    assert f.rule == "contradiction:named-predicate" and f.evidence["family"] == "verdict"
    assert _told_story(texts, embed_fn=apart_embed) == []
    assert f.evidence["slots"] == {"opposite": {"a": ["acquitted"], "b": ["convicted"]}}
    assert f.evidence["name"] in ("hesper", "lorrimer")
    assert _told_story(texts, {"wire": "g", "radio": "g"}, embed_fn=alike_embed) == []
    # Sides by the verdict, not by the order the pairs were met in.
    [three] = _told_story({**texts, "paper": "Hesper Lorrimer, who stood trial alongside him, was cleared."},
                          embed_fn=alike_embed)
    assert three.evidence["side_a"]["article_ids"] == ["wire", "paper"]
    assert three.evidence["side_b"]["article_ids"] == ["radio"]
    assert named_predicates("Quellan was convicted, while Lorrimer was cleared.") == {}
    assert named_predicates("Moberg was not convicted.") == {("verdict", "moberg"): (-1, "not convicted")}
    assert named_predicates("The court acquitted Lise Moberg of paying the bribes.") == {
        ("verdict", "lise"): (-1, "acquitted"), ("verdict", "moberg"): (-1, "acquitted")}
    assert named_predicates("The line through Quillfield reopened shortly before midnight.") == {}
    # What rises or falls is the name's, not a place's, a dateline's or an earlier period's.
    assert named_predicates("Orrin's shares fell 14 per cent on Tuesday.") == {("up-down", "orrin"): (-1, "fell")}
    assert named_predicates("BRENNOCK - The death toll from the crash on the Brennock Pass rose to three.") == {}
    assert named_predicates("Pellam's shares had gained 22 per cent since January.") == {}
    assert named_predicates("Pellam shares gained 22 per cent since the start of the year.") == {}
    assert named_predicates("Shares in Pellam rose 3 per cent.")[("up-down", "pellam")] == (1, "rose")
    assert ("outcome", "tamsar") not in named_predicates("Saltreach Rovers won the Tamsar Cup on Saturday.")
    assert _told_story({"a": "ROMNEY: And then you cut education spending when you came into office.",
                        "b": "ROMNEY: Look, the revenue I get is by people getting higher pay."},
                       embed_fn=alike_embed) == []


def test_shared_counts_match_a_walk_through_every_pair() -> None:
    """The sparse product counts what comparing each pair of sets would."""
    rng = random.Random(7)
    sets = [frozenset(rng.sample("abcdefghij", rng.randint(0, 6))) for _ in range(40)]
    want = [(k, j, len(sets[k] & sets[j])) for k in range(len(sets)) for j in range(k + 1, len(sets))
            if len(sets[k] & sets[j]) >= 2]
    assert co._shared_counts(sets, 2) == want
    assert co._shared_counts([], 2) == []


def _two_claims(text_x: str, text_y: str, hours: float = 24.0, cosine: float = 0.95,
                cues: tuple[str | None, str | None] = (None, None), lead: str = "") -> list[Flag]:
    """The contradiction flags between one claim in each of two independent articles, the
    second ``hours`` later, whose vectors are ``cosine`` apart (sentences beyond the claims
    embedded by :func:`fake_embed`); ``cues`` are words each text
    starts with that are the claim's cue, not its content; ``lead`` a sentence before each."""
    made = []
    for i, (aid, text, cue) in enumerate((("x", text_x, cues[0]), ("y", text_y, cues[1]))):
        art = Article(id=aid, source=aid, format="text", published_at=T0 + timedelta(hours=hours * i),
                      text=lead + text)
        content = text.rstrip(".")
        claim = mk(art, content[len(cue) + 1:] if cue else content)
        if cue:
            claim = replace(claim, cue=Span(len(lead), len(lead) + len(cue), cue))
        made.append((art, claim))
    other = float(np.sqrt(1 - cosine ** 2))
    vectors = np.array([[1, 0], [cosine, other]], dtype=np.float32)
    story = StoryInput("s", [a for a, _ in made], [c for _, c in made], {}, {})
    return flags_of(corroborate(story, vectors=vectors, embed_fn=fake_embed)[1], "contradiction")


def test_a_storys_own_currency_is_money_not_a_count() -> None:
    """An invented or a rarer currency ("the dral") is learnt from the story's own amounts: the
    word after an amount per share, or after one in millions that a word of money stands by.
    Unknown, it was the frame two amounts shared, so a takeover's price and the buyer's
    revenue looked like one count with two values."""
    from newstrace.figures import currency_words, frames_meet
    texts = ["Quillon will pay 18.40 drals a share in cash.",
             "It is funded by our 3.2 million members, and a $1.1 trillion omnibus bill passed.",
             "Officers seized about 200,000 lavs in cash."]
    assert currency_words(texts) == {"dral", "lav"}
    assert currency_words(["It had revenue of 2.1 billion drals last year."]) == {"dral"}
    revenue, price = "It had revenue of 2.1 billion drals last year", "The offer of 18.40 drals a share"
    drals = frozenset({"dral"})
    assert "num:2.1e+09" not in figure_notes(revenue) and figure_notes(revenue, drals)["num:2.1e+09"].money
    f_rev, f_price = slot_frames(revenue, currencies=drals)["num:2.1e+09"], slot_frames(price, currencies=drals)["num:18.4"]
    assert frames_meet(f_rev, f_price) == {"dral"} and not frames_meet(f_rev, f_price, drals)
    assert _two_claims("Wendlebridge had revenue of 2.1 billion drals last year, Quillon said.",
                       "Quillon will pay 18.40 drals a share for Wendlebridge, it said.") == []
    [flag] = _two_claims("Quillon will pay 18.40 drals a share for Wendlebridge, it said.",
                         "Quillon will pay 16.20 drals a share for Wendlebridge, it said.")
    assert flag.evidence["slots"] == {"num": {"a": ["num:18.4"], "b": ["num:16.2"]}}


def test_a_linking_verb_gives_an_amount_its_subject() -> None:
    """"Net profit for the six months to June came to 212 million" is an amount *of* net profit:
    the linking verb says nothing of what, so the clause's opening words are its frame."""
    from newstrace.figures import frames_meet
    rells = frozenset({"rell"})
    came = slot_frames("Net profit for the six months to June came to 212 million rells", currencies=rells)
    made = slot_frames("The company made a net profit of 312 million rells in the half", currencies=rells)
    assert {"net", "profit"} <= came["num:2.12e+08"]
    assert frames_meet(came["num:2.12e+08"], made["num:3.12e+08"], rells) >= {"profit"}


def test_one_count_told_at_two_moments_is_no_contradiction() -> None:
    """A death toll higher in a report a day later updates the earlier one; a toll that falls
    later is still a disagreement, as are two tolls told at one time. Two counts of what is
    left ("remain in hospital") two days apart are of two moments; an hour apart they differ."""
    assert _two_claims("Three workers were killed in the blast at the mill.",
                       "The blast at the mill killed four workers.", hours=20) == []
    assert _two_claims("Four workers were killed in the blast at the mill.",
                       "The blast at the mill killed three workers.", hours=20) != []
    assert _two_claims("Three workers were killed in the blast at the mill.",
                       "The blast at the mill killed four workers.", hours=1) != []
    assert _two_claims("Nine patients remain in hospital after the outbreak.",
                       "Eight patients remain in hospital after the outbreak.", hours=48) == []
    assert _two_claims("Nine patients remain in hospital after the outbreak.",
                       "Eight patients remain in hospital after the outbreak.", hours=1) != []


def test_a_demand_in_the_claims_cue_is_no_value_stated() -> None:
    """"The federation is demanding a 9 percent pay rise" asks for a figure: the cue says so,
    not the content, and an offer of 4 percent is no second value of it."""
    text_x = "The federation is demanding a 9 percent pay rise for all staff at the works."
    text_y = "The company said a 4 percent pay rise for all staff at the works."
    assert _two_claims(text_x, text_y, cues=("The federation is demanding", "The company said")) == []
    assert _two_claims("The federation said a 9 percent pay rise for all staff at the works.", text_y,
                       cues=("The federation said", "The company said")) != []


def test_years_of_two_things_in_one_place_are_no_contradiction() -> None:
    """"Mayor of Fennick until 2026" and "arrested in Fennick on 14 February 2027": the place
    is whose years they are, not of what; two years of one thing still differ."""
    assert _two_claims("Quellan, who was mayor of Fennick until 2026, was jailed on Monday.",
                       "Quellan was arrested at his home in Fennick on 14 February 2027.", cosine=0.75) == []
    assert _two_claims("The Fennick bridge was opened in 1998 by the mayor.",
                       "The Fennick bridge was opened in 1992 by the mayor.") != []


def test_figures_of_two_named_places_are_no_contradiction() -> None:
    """"Further downstream, Ostrel recorded 64 millimetres" and "Brannaval's weather station
    measured 86 millimetres" are two places' rainfall: each figure has a name before it, the
    names differ, and neither sentence names the other's place before its figure. A sentence's
    first word is a name only where the story capitalises it inside a sentence too."""
    from newstrace.figures import figure_owners, story_names
    names = story_names(["Rain fell on Brannaval and Ostrel overnight.", "Councillors met. They voted."])
    assert {"brannaval", "ostrel"} <= names and "councillors" not in names and "rain" not in names
    assert figure_owners("Further downstream, Ostrel recorded 64 millimetres of rain.") == {"num:64": ("Ostrel", 36)}
    assert figure_owners("Brannaval's weather station measured 86 millimetres of rain.", names)["num:86"][0] == "Brannaval"
    assert figure_owners("Brannaval's weather station measured 86 millimetres of rain.") == {}
    assert figure_owners("Councillors voted 19 in favour.", names) == {}
    assert figure_owners("Police said 12 people died.", frozenset({"police"})) == {}
    assert figure_owners("A court in Dravograd will decide on 16 March.", names) == {}  # a date is an event's
    lead = "Rain fell on Brannaval and Ostrel overnight. "
    assert _two_claims("Further downstream, Ostrel recorded 64 millimetres of rain on Sunday.",
                       "Brannaval's weather station measured 86 millimetres of rain on Sunday.",
                       hours=2, lead=lead) == []
    assert _two_claims("The gauge at Brannaval recorded 118 millimetres of rain on Sunday.",
                       "Brannaval's weather station measured 86 millimetres of rain on Sunday.",
                       hours=2, lead=lead) != []


def test_an_alleged_figure_is_no_second_value_of_a_finding() -> None:
    """"Prosecutors had alleged that Brask pocketed 430,000 marls" is one side's claim; "the
    court found that Brask had received 310,000 marls" is no second value of it. Two findings
    still differ."""
    finding = "The court found that Brask had received 310,000 marls from the contractor."
    assert _two_claims("Prosecutors had alleged that Brask had received 430,000 marls from the contractor.",
                       finding, cues=("Prosecutors had alleged", "The court found")) == []
    assert _two_claims("The judge said that Brask had received 430,000 marls from the contractor.",
                       finding, cues=("The judge said", "The court found")) != []


def test_a_name_shared_by_two_figures_frames_is_no_frame() -> None:
    """Names in a figure's frame say whose it is, not of what: the value an offer puts on Velmo
    and Velmo's revenue share the name and nothing else."""
    offer = "The offer values Velmo at 2.3 billion euros, the company said."
    assert _two_claims(offer, "Velmo had revenue of 940 million euros last year, the company said.",
                       cosine=0.5) == []
    assert _two_claims(offer, "The offer values Velmo at 1.9 billion euros, the company said.", cosine=0.5) != []


def test_a_score_or_a_vote_tally_is_one_value() -> None:
    """"Beat Rovers 2-1" and "a 3-1 defeat" are two scores of one match, not counts of 2, 3 and
    1; "voted 19 to 14" and "by 21 votes to 12" two tallies of one vote. A dash between two
    numbers is a score only beside a word of a result ("aged 18-25" is a range), and "rose
    from 19 to 24" is a change. Scores of two named sides' matches are two matches."""
    from newstrace.figures import tallies
    assert claim_slots("Athletic beat Haldren Rovers 2-1 in the final") == {"score:2-1"}
    assert claim_slots("Rovers lost the final after a 1-3 defeat") == {"score:3-1"}
    assert claim_slots("Councillors voted 19 to 14 in favour of the sale") == {"score:19-14"}
    assert claim_slots("The council approved the sale by 21 votes to 12") == {"score:21-12"}
    assert tallies("Applicants aged 18-25 and groups of 10-15 people") == []
    assert claim_slots("The motion passed 29-20, with two members breaking ranks") == {"score:29-20", "num:2"}
    # A race time in hours, minutes and seconds is one length, not a time of day and a count.
    assert claim_slots("Arro stopped the clock at 2:08:51 on Sunday") == {"dur:7731-second"}
    assert claim_slots("The meeting ran from 10:30 to 14:00") == {"time:10:30", "time:14:00"}
    assert claim_slots("Sales rose from 19 to 24 in the quarter") == {"num:19", "num:24"}
    assert slot_frames("after a 3-1 defeat by Athletic at the stadium")["score:3-1"] == {"result"}
    assert "vote" in slot_frames("The council approved the sale by 21 votes to 12")["score:21-12"]
    assert _two_claims("Athletic beat Haldren Rovers 2-1 in the cup final, the club said.",
                       "Athletic beat Haldren Rovers 3-1 in the cup final, the club said.") != []
    assert _two_claims("Kelsby beat Arnwick Town 2-0 in the other semi-final, the league said.",
                       "Torrow reached the final after beating Saltmere Rovers 3-1, the league said.",
                       lead="Kelsby, Arnwick Town, Torrow and Saltmere Rovers played. ") == []


def test_two_ages_of_one_named_person_contradict() -> None:
    """"Shift foreman Aurel Tamberlin, 52," and "Tamberlin, who was 47," give one man two ages:
    the age is bound to the name beside it, so the sentences need not be told alike. Two given
    names for one surname are two people, and a sentence of the same origin is no second
    source."""
    from newstrace.figures import named_ages
    assert named_ages("Among the dead was shift foreman Aurel Tamberlin, 52, a colleague said.") == {
        "tamberlin": ("aurel", 52)}
    assert named_ages("Tamberlin, who was 47, had worked at the mill for two decades.") == {"tamberlin": (None, 47)}
    assert named_ages("Among the dead was 47-year-old shotfirer Aleks Durran.") == {"durran": ("aleks", 47)}
    assert named_ages("A 63-year-old joiner from Ostlin was killed.") == {}
    assert named_ages("Judge Amory Trell, 61, said so.") == {"trell": ("amory", 61)}

    def flags(text_x: str, text_y: str, same_origin: bool = False) -> list[Flag]:
        x = Article(id="x", source="x", format="text", published_at=T0, text=text_x)
        y = Article(id="y", source="y", format="text", published_at=T0 + timedelta(hours=5), text=text_y)
        origins = {"x": "g", "y": "g"} if same_origin else {}
        story = StoryInput("s", [x, y], [], origins, {"g": "x"} if same_origin else {})
        return [f for f in corroborate(story, embed_fn=failing_embed)[1] if f.rule == "contradiction:named-age"]

    [flag] = flags("The blast killed shift foreman Aurel Tamberlin, 52, and injured 14 others.",
                   "Tamberlin, who was 47, had worked at the mill for almost two decades.")
    assert flag.evidence["slots"] == {"age": {"a": ["age:52-year"], "b": ["age:47-year"]}}
    assert {s["article_id"] for s in flag.spans} == {"x", "y"} and flag.evidence["name"] == "tamberlin"
    assert flags("The blast killed Aurel Tamberlin, 52.", "Mira Tamberlin, 47, said she was shocked.") == []
    assert flags("The blast killed Aurel Tamberlin, 52.", "Tamberlin, who was 47, had worked there.",
                 same_origin=True) == []


def test_a_value_a_change_reached_is_a_later_one() -> None:
    """"By midday the temperature had climbed to 16 degrees" gives the value a change reached,
    later than the 9 degrees at the start: no second value of it. Two plain values still
    differ."""
    from newstrace.figures import later_figures
    assert later_figures("By midday the temperature had climbed to 16 degrees") == {"num:16"}
    assert later_figures("The temperature was 16 degrees at midday") == frozenset()
    start = "The temperature was 9 degrees at the start of the race, organisers said."
    assert _two_claims(start, "By midday the temperature had climbed to 16 degrees, organisers said.",
                       hours=3) == []
    assert _two_claims(start, "The temperature was 16 degrees at the start of the race, organisers said.",
                       hours=3) != []


def test_a_change_told_with_another_verb_is_one_change() -> None:
    """"Revenue fell 8 percent" and "revenue slid 14 percent" are one fall with two sizes; the
    frames met only where both used one verb. The nouns stay apart: "had asked for a 12 per
    cent rise" and "approved a 6.5 per cent increase" are a demand and an award."""
    [flag] = _two_claims("Revenue fell 8 percent to 3.1 billion in the first half, the company said.",
                         "Revenue slid 14 percent as orders from carmakers weakened, the company said.", cosine=0.6)
    assert flag.evidence["slots"]["pct"] == {"a": ["pct:8"], "b": ["pct:14"]}
    assert _two_claims("Unions had campaigned for a 12 per cent rise in the minimum wage, they said.",
                       "The assembly approved a 6.5 per cent increase in the minimum wage, it said.", cosine=0.6) == []


def test_a_stake_owned_and_a_stake_held_are_one_stake() -> None:
    """"Quillon already owns 14 percent of Wendlebridge" and "Quillon, which holds a 9 percent
    stake": one shareholding told with two words for it."""
    [flag] = _two_claims("Quillon already owns 14 percent of Wendlebridge, the company said.",
                         "Quillon, which holds a 9 percent stake in Wendlebridge, needs a majority, it said.", cosine=0.6)
    assert flag.evidence["slots"]["pct"] == {"a": ["pct:14"], "b": ["pct:9"]}


def test_two_limits_of_one_payment_disagree_where_two_upper_bounds_of_a_count_may_not() -> None:
    """A limit set on an amount of money ("payments of up to 25,000 marls") is the limit's value:
    another report's "up to 15,000 marls" for the same payments is another limit. Two upper
    bounds of a count ("up to 40 people may have been hurt" / "up to 400") may both hold. The
    story's own currency is learnt from an amount a word of payment stands before, past "up to"."""
    from newstrace.figures import currency_words, figure_notes
    a = "Households can claim emergency payments of up to 25,000 marls from the disaster fund, the governor said."
    b = "Households can apply to the disaster fund for emergency payments of up to 15,000 marls, the county said."
    assert currency_words([a, b]) == {"marl"}
    note = figure_notes(a, frozenset({"marl"}))["num:25000"]
    assert note.cap and note.money and note.high == 25000
    [flag] = _two_claims(a, b, cosine=0.6)
    assert flag.evidence["slots"]["num"] == {"a": ["num:25000"], "b": ["num:15000"]}
    assert _two_claims("Up to 40 people may have been hurt in the crush, police said.",
                       "Up to 400 people may have been hurt in the crush, the mayor said.", cosine=0.8) == []


@pytest.mark.parametrize("text, told", [
    ("No one was injured.", {"injured": (0, None)}),
    ("The distributor said nobody had been hurt.", {"injured": (0, None)}),
    ("There were no injuries, and there is no risk to the public.", {"injured": (0, None)}),
    ("The ministry said that no one had died.", {"dead": (0, None)}),
    ("A spokesman said none of the company's employees had been hurt.", {"injured": (0, "employees")}),
    ("Two workers of the gas company were injured in the blast.", {"injured": (2, None)}),
    ("There were unconfirmed reports of two deaths among the patients.", {"dead": (2, None)}),
    ("Two of the patients have died.", {"dead": (2, None)}),
    ("The blast killed three miners and injured 12 others.", {"dead": (3, None), "injured": (12, None)}),
    ("One firefighter was slightly hurt.", {"injured": (1, None)}),
    # Not a nobody, or not this event's: someone else, the seriously hurt, a year, a guess.
    ("No one else was hurt.", {}),
    ("Nobody was seriously hurt.", {}),
    ("Four people were injured, none of them seriously.", {"injured": (4, None)}),
    ("Its last derailment was in 2024; no one was hurt in that incident.", {}),
    ("Dozens could have been killed, he said.", {}),
    ("None of their injuries is thought to be life-threatening.", {}),
    ("Two people were hurt and no one else was injured, while a third man was not injured.", {"injured": (2, None)}),
    ("Police arrested four protesters who tried to force their way into the chamber.", {"arrested": (4, None)}),
    ("Police said the protest passed off peacefully and that no one had been arrested.", {"arrested": (0, None)}),
    ("There were no arrests.", {"arrested": (0, None)}),
])
def test_fate_counts_reads_nobody_and_a_count_of_people_harmed_or_arrested(text: str, told: dict[str, tuple[int, str | None]]) -> None:
    from newstrace.figures import fate_counts
    assert fate_counts(text) == told


@given(st.text(alphabet="abcdefghij nowe.,0123456789", max_size=80))
def test_fate_counts_never_fails_on_any_text(text: str) -> None:
    from newstrace.figures import fate_counts
    assert all(n >= 0 for n, _ in fate_counts(text).values())


def test_nobody_hurt_against_a_count_of_the_hurt_is_a_contradiction() -> None:
    """"None of the company's employees had been hurt" and, from another origin, "Two
    night-shift workers were injured": nobody against two, whatever the sentences' similarity
    (no figure is shared to compare). "None of the passengers" says nothing of two crew
    members. Nobody dead (or arrested), then a count hours later, is a toll that rose; a count
    of the dead (or arrested), then nobody, is a contradiction."""
    [flag] = _two_claims("A spokesman said none of the company's employees had been hurt in the fire.",
                         "Two night-shift workers were injured while fighting the flames, colleagues said.",
                         hours=4, cosine=0.2)
    assert flag.rule == "contradiction:nobody-count" and flag.evidence["what"] == "injured"
    assert flag.evidence["slots"]["injured"] == {"a": ["num:0"], "b": ["num:2"]}
    assert "nobody was hurt" in flag.summary
    assert _two_claims("The operator said none of the passengers had been hurt.",
                       "Two crew members were injured when the ferry struck the pier, the coastguard said.",
                       hours=1, cosine=0.2) == []
    assert _two_claims("Police said no one had died in the fire.",
                       "Two residents have died in hospital, the health board said.", hours=6, cosine=0.3) == []
    [flag] = _two_claims("There were unconfirmed reports of two deaths among the patients, he said.",
                         "The health ministry said that no one had died and that the patients were stable.",
                         hours=6, cosine=0.3)
    assert flag.evidence["what"] == "dead" and flag.evidence["slots"]["dead"] == {"a": ["num:2"], "b": ["num:0"]}
    [flag] = _two_claims("Police arrested four protesters who tried to force their way into the chamber.",
                         "Police said the protest passed off peacefully and that no one had been arrested.",
                         hours=8, cosine=0.4)
    assert flag.evidence["what"] == "arrested" and "nobody was arrested" in flag.summary
    assert _two_claims("Police said no one had been arrested yet.", "Police arrested two men on Friday evening.",
                       hours=12, cosine=0.4) == []


def test_a_rewrite_that_invents_injuries_is_flagged_against_its_source() -> None:
    """A rewrite made from an article that says nobody was hurt, which has "Two workers were
    injured": a change along the parent link, whatever the hours between (a rewrite has no
    reporting of its own to update with); two rewrites of one source are not set against each
    other."""
    flags = _rewrite_story({"o": "The pipeline exploded near Kolt. No one was injured.",
                            "r": "The pipeline exploded near Kolt. Two workers of the gas company were injured."},
                           [("o", "r", True)])
    [flag] = [f for f in flags if f.rule == "contradiction:nobody-count"]
    assert flag.evidence["pairs"][0]["parent_link"] is True
    assert flag.evidence["side_a"]["article_ids"] == ["o"] and flag.evidence["side_b"]["article_ids"] == ["r"]
    siblings = _rewrite_story({"o": "The pipeline exploded near Kolt. Gas was cut off.",
                               "r1": "The pipeline exploded near Kolt. No one was injured.",
                               "r2": "The pipeline exploded near Kolt. Two workers were injured."},
                              [("o", "r1", True), ("o", "r2", True)])
    assert [f for f in siblings if f.rule == "contradiction:nobody-count"] == []


def test_leaving_a_post_and_keeping_it_are_opposite_predicates_of_one_name() -> None:
    """"Bo Ingmar ... resigned on Saturday morning" / "Bo Ingmar said he would not resign";
    "Hanne Roos was suspended" / "Hanne Roos has remained in charge": one person's post, told
    both ways by two origins."""
    from newstrace.predicates import named_predicates
    assert named_predicates("Bo Ingmar, the managing director of Vellwater, resigned on Saturday.")[
        ("office", "ingmar")] == (1, "resigned")
    assert named_predicates("Vellwater managing director Bo Ingmar said he would not resign.")[
        ("office", "ingmar")] == (-1, "not resign")
    assert named_predicates("Chief executive Roald Emberly has refused to resign over the cuts.")[
        ("office", "emberly")] == (-1, "refused to resign")
    texts = {"herald": "The prison's governor, Hanne Roos, was suspended on Monday evening pending an inquiry.",
             "kpa": "Hanne Roos, the prison's governor, has remained in charge throughout the week."}
    [flag] = _told_story(texts, embed_fn=alike_embed)
    assert _told_story(texts, embed_fn=apart_embed) == []
    assert flag.rule == "contradiction:named-predicate" and flag.evidence["family"] == "office"
    assert flag.evidence["slots"]["opposite"] == {"a": ["suspended"], "b": ["remained in charge"]}


def test_a_rejection_with_its_object_inside_and_one_flag_for_one_disagreement() -> None:
    """"The council voted the Line 4 tram extension down" is a rejection ("voted down" with the
    object between), said of the Line 4 extension that other outlets say was approved; the
    sentences paired through "Castelmere" and through "Line" are one disagreement, so one flag
    lists them all."""
    from newstrace.predicates import named_predicates
    assert named_predicates("Castelmere city council voted the Line 4 tram extension down on Thursday.") == {
        ("assent", "castelmere"): (-1, "voted down"), ("assent", "line"): (-1, "voted down")}
    assert named_predicates("They voted to cut taxes and sat down.") == {}
    texts = {"herald": "The council approved the Line 4 extension by 31 votes to 24 on Thursday evening.",
             "wire": "Castelmere city council has approved a plan to extend the tram network after a vote on Thursday.",
             "bulletin": "Castelmere city council voted the Line 4 tram extension down on Thursday night."}
    [flag] = _told_story(texts, embed_fn=alike_embed)
    assert flag.rule == "contradiction:named-predicate" and flag.evidence["family"] == "assent"
    assert set(flag.evidence["names"]) == {"castelmere", "line"}
    assert sorted(flag.evidence["side_a"]["article_ids"]) == ["herald", "wire"]
    assert flag.evidence["side_b"]["article_ids"] == ["bulletin"]


def test_a_rewrite_that_moves_the_event_to_another_weekday() -> None:
    """A rewrite's sentence, aligned to its source's, that dates the event on another weekday in
    other words ("damaged a section of the pipeline early on Tuesday" / "tore through the
    pipeline late on Monday night") changed a fact. A weekday of the telling ("the ministry
    said on Monday") or a bound ("since Monday") is not the event's, and a rewrite naming the
    day it was published dates its own telling ("drivers woke up on Tuesday to the news")."""
    from newstrace.corroboration import changed_values
    up = "An explosion damaged a section of the gas pipeline near Kolt early on Tuesday, the ministry said."
    down = "A powerful explosion tore through the gas pipeline near the quiet village of Kolt late on Monday night."
    assert ("weekday", "Tuesday", "Monday", "") in changed_values(up, down)
    assert not [c for c in changed_values(up, down, down_day="Monday") if c[0] == "weekday"]
    told = "An explosion damaged the gas pipeline near Kolt, the ministry said on Wednesday."
    assert not [c for c in changed_values(told, down) if c[0] == "weekday"]
    assert not [c for c in changed_values(up, "Gas has been cut off near Kolt since Monday night.") if c[0] == "weekday"]
    assert not [c for c in changed_values(up, down, aligned=False) if c[0] == "weekday"]


def _denial_rewrite(up_text: str, down_text: str, up_claim: tuple[str, str, str, str],
                    down_claim: tuple[str, str, str, str]) -> list[Flag]:
    """Flags of a rewrite (``r``) made from ``o``, each with one claim: (content, cue, source,
    hedge); a source in lower case resolves to no one."""
    from newstrace.model import AlignedPair

    arts = {"o": Article(id="o", source="o", format="text", published_at=T0, text=up_text),
            "r": Article(id="r", source="r", format="text", published_at=T0 + timedelta(hours=2), text=down_text)}
    claims = []
    for key, (content, cue, source, hedge) in (("o", up_claim), ("r", down_claim)):
        c = mk(arts[key], content, source=source, kind="person", entity=None if source.islower() else source,
               hedge=hedge)
        at = arts[key].text.index(cue)
        claims.append(replace(c, cue=Span(at, at + len(cue), cue)))
    pair = AlignedPair(0, 0, Span(0, len(up_text), up_text), Span(0, len(down_text), down_text),
                       cosine=None, lexical=0.6, score=0.6)
    edge = ReuseEdge("o", "r", "rewrite", 0.7, "test", directed=True, pairs=[pair], direction_evidence={"parent": True})
    story = StoryInput("s", list(arts.values()), claims, origin_of={"o": "g", "r": "g"}, origin_article={"g": "o"},
                       edges=[edge])
    return corroborate(story, embed_fn=fake_embed)[1]


def test_a_rewrite_that_turns_a_denial_into_an_admission_changed_a_fact() -> None:
    """The source: the mayor "denied ... that the town had asked Korvenia for help"; the
    rewrite: she "acknowledged ... that the town had asked Korvenia for help". More than a
    hedge dropped: one contradiction along the parent link (``stance``), and no hedge flag
    besides. A denial of "all the charges" is no denial of what a co-defendant "admitted"."""
    flags = _denial_rewrite(
        "The mayor of Haverine, Ingrid Vaske, denied on Wednesday that the town had asked Korvenia for help.",
        "In a notable shift, Haverine's mayor, Ingrid Vaske, acknowledged on Wednesday that the town had asked "
        "Korvenia for help.",
        ("that the town had asked Korvenia for help", "denied", "Ingrid Vaske", "denied"),
        ("that the town had asked Korvenia for help", "acknowledged", "Ingrid Vaske", "asserted"))
    [flag] = [f for f in flags if f.kind == "contradiction"]
    assert flag.rule == "contradiction:changed-in-rewrite"
    assert flag.evidence["slots"] == {"stance": {"a": ["denied"], "b": ["acknowledged"]}}
    assert not [f for f in flags if f.kind == "hedge-changed"]
    other = _denial_rewrite(
        "Quellan, who denied all the charges, listened to the verdict with his arms folded.",
        "Two former officials who admitted handing over cash gave evidence in return for lighter charges.",
        ("all the charges", "denied", "Quellan", "denied"),
        ("handing over cash gave evidence in return for lighter charges", "admitted", "officials", "asserted"))
    assert not [f for f in other if f.evidence.get("slots", {}).get("stance")]


def test_figures_of_an_earlier_event_or_of_several_parties_are_no_second_value() -> None:
    """"The record of 7.1 metres set in 2009" is no reading of this flood's crest; "their first
    cup since 2019, when they beat Tessaly United 3-1" no score of this final ("a first cup
    since 1998 goes on after a 3-1 defeat" is: "since" dates a span up to now); "combined
    annual sales of almost 8 billion" are two companies' against one's "sales of 5.6 billion"."""
    from newstrace.figures import combined_figures, past_figures
    assert past_figures("That is just below the record of 7.1 metres set in 2009, when the town flooded.", 2031) == {
        "num:7.1"}
    assert past_figures("It was Rovers' first cup since 2019, when they beat Tessaly United 3-1 in the final.",
                        2031) == {"score:3-1"}
    assert past_figures("Rovers' wait for a first cup since 1998 goes on after a 3-1 defeat on Saturday.", 2031) == set()
    assert past_figures("Revenue fell 8 percent in the first half of 2031.", 2031) == set()
    assert combined_figures("The deal creates a group with combined annual sales of almost 8 billion euros.") == {
        "num:8e+09"}
    assert _two_claims("At Vareth the river crested at 5.4 metres on Monday morning, the agency said.",
                       "That is just below the record of 7.1 metres set in 2009, the agency said.", cosine=0.8) == []
    assert _two_claims("Brannock had sales of 5.6 billion euros last year, the company said.",
                       "The deal creates a group with combined sales of almost 8 billion euros, the company said.",
                       cosine=0.8) == []
    [flag] = _two_claims("At Vareth the river crested at 5.4 metres on Monday morning, the agency said.",
                         "At Vareth the river crested at 6.8 metres on Monday, the mayor said.", cosine=0.8)
    assert flag.evidence["slots"]["num"] == {"a": ["num:5.4"], "b": ["num:6.8"]}


def test_a_total_and_a_part_of_one_noun_are_two_counts() -> None:
    """"A ferry carrying 212 passengers" and "lifeboats had brought 140 passengers ashore": the
    figures share only the noun they count, and each says something else of it (a total and a
    part). Counts of one thing told with one verb still disagree, and so do measures ("recorded
    118 millimetres" / "measured 86 millimetres") and counts a word describes ("70
    consecutive days" / "60 consecutive days")."""
    assert _two_claims("The ferry was carrying 212 passengers when it ran aground, the coastguard said.",
                       "Lifeboats had brought 140 passengers ashore by midnight, the coastguard said.", cosine=0.5) == []
    [flag] = _two_claims("The ferry was carrying 212 passengers when it ran aground, the coastguard said.",
                         "The ferry was carrying 180 passengers when it grounded, the operator said.", cosine=0.5)
    assert flag.evidence["slots"]["num"] == {"a": ["num:212"], "b": ["num:180"]}
    assert _two_claims("The gauge recorded 118 millimetres of rain in a day, the institute said.",
                       "The station measured 86 millimetres of rain in a day, the institute said.", cosine=0.6)
    assert _two_claims("Volunteers will spend 70 consecutive days in bed, the agency said.",
                       "Volunteers will remain in bed for 60 consecutive days, the agency said.", cosine=0.8)


def test_objects_and_pieces_are_one_count_and_a_count_still_left_is_a_later_one() -> None:
    """"The thieves took 23 objects" / "Eleven pieces were stolen in all": one haul counted with
    two words. "Ten patients with the disease were still being treated" counts who is left, not
    the "twelve patients diagnosed"."""
    from newstrace.figures import later_figures
    [flag] = _two_claims("The thieves took 23 objects, among them a gold collar, the museum said.",
                         "Eleven pieces were stolen in all, the director said.", cosine=0.53)
    assert flag.evidence["slots"]["num"] == {"a": ["num:23"], "b": ["num:11"]}
    assert "num:10" in later_figures("Ten patients with the disease were still being treated on Monday")


def test_a_count_whose_other_words_stand_by_the_other_figure_too_is_one_count() -> None:
    """"The recall covers 14 batches" / "it is recalling nine batches": each side says
    something else of the batches ("covers", "recalling"), but the one's word stands next to
    the other's figure too ("The recall covers"), so both count the batches recalled. The
    ferry's total and part stay two counts (neither's verb is near the other's figure)."""
    [flag] = _two_claims("The recall covers 14 batches of the 20 mg tablets, the company said.",
                         "The company said it is recalling nine batches of its blood pressure medicine.", cosine=0.58)
    assert flag.evidence["slots"]["num"] == {"a": ["num:14"], "b": ["num:9"]}
    assert _two_claims("The ferry was carrying 212 passengers when it ran aground, the coastguard said.",
                       "Lifeboats had brought 140 passengers ashore by midnight, the coastguard said.", cosine=0.58) == []


def test_an_attendance_and_spectators_are_one_count_and_an_earlier_event_runs_to_the_sentence_end() -> None:
    """"The attendance of 41,200 was the largest" / "in front of 34,500 spectators": one
    attendance told with two words. "The last accident was in 2017, when a ferry struck the wall during a
    storm, injuring four people": the four are of 2017 however many clauses follow the "when"."""
    from newstrace.figures import past_figures
    [flag] = _two_claims("The attendance of 41,200 was the largest for a final at the National Stadium, it said.",
                         "The final was played in front of 34,500 spectators at the National Stadium, it said.",
                         cosine=0.6)
    assert flag.evidence["slots"]["num"] == {"a": ["num:41200"], "b": ["num:34500"]}
    assert past_figures("The last accident was in 2017, when a ferry struck the wall during a storm, injuring four "
                        "people.", 2031) == {"num:4"}


def test_one_event_on_two_weekdays_in_other_words() -> None:
    """"A court on Monday convicted Edvard Roskamp" / "The District Court convicted Edvard
    Roskamp, the former mayor, on Tuesday": told alike (one claim group), each dating the event
    with one weekday at another point of the sentence. Told less alike, or weeks apart (a
    weekday names a day of one week), they are not set against each other."""
    a = "A Halvorn court on Monday convicted Edvard Roskamp of taking bribes from a building firm."
    b = "The Halvorn District Court convicted Edvard Roskamp of taking bribes on Tuesday after a long trial."
    [flag] = _two_claims(a, b, hours=3, cosine=0.9)
    assert flag.evidence["slots"] == {"weekday": {"a": ["weekday:Monday"], "b": ["weekday:Tuesday"]}}
    assert _two_claims(a, b, hours=3, cosine=0.7) == []
    assert _two_claims(a, b, hours=24 * 20, cosine=0.9) == []


def test_a_time_counted_from_an_event_and_an_earlier_vote_in_the_claims_sentence() -> None:
    """"Restarted production less than 30 hours after a fire destroyed a hall" and "Two days
    after fire swept through a hall, families are back in their homes": each length is the time
    from the fire to something else, so the fire is no frame of either. "In 2024 the council
    rejected a similar proposal by 20 votes to 17" (published in 2026): the year is outside the
    claim ("a similar proposal by 20 votes to 17") but in its sentence, so the tally is of 2024,
    not this vote."""
    from newstrace.figures import slot_frames
    assert slot_frames("Orvane restarted production less than 30 hours after a fire destroyed a hall")[
        "dur:30-hour"] == {"production"}
    assert slot_frames("Two days after fire swept through a storage hall, families are back")["dur:2-day"] == set()
    assert slot_frames("The line would be closed for about four days while cranes lifted the wagons")[
        "dur:4-day"] == {"clos"}
    texts = {"herald": "Councillors approved the plant by 23 votes to 14 on Tuesday evening, the clerk said.",
             "courier": "In 2024 the council rejected a similar proposal by 20 votes to 17, the clerk said."}
    arts = [Article(id=k, source=k, format="text", published_at=T0 + timedelta(hours=n), text=t)
            for n, (k, t) in enumerate(texts.items())]
    claims = [mk(arts[0], "Councillors approved the plant by 23 votes to 14 on Tuesday evening"),
              mk(arts[1], "a similar proposal by 20 votes to 17")]
    story = StoryInput("s", arts, claims, {k: k for k in texts}, {k: k for k in texts})
    vectors = np.array([[1, 0], [0.8, 0.6]], dtype=np.float32)
    assert flags_of(corroborate(story, vectors=vectors, embed_fn=fake_embed)[1], "contradiction") == []


def test_in_all_is_no_frame_and_residents_are_people() -> None:
    """"Seven people in all were taken to hospital" / "Eleven people were taken to hospital";
    "In all, around 1,400 residents were evacuated" / "a total of 600 people had been
    evacuated": "in all" says the figure is a total, not what it counts, and residents are
    people. "All 212 passengers" keeps its "all" (every one of them)."""
    from newstrace.figures import slot_frames
    assert slot_frames("In all, around 1,400 residents were evacuated from their homes")["num:1400"] == {
        "people", "evacuated"}
    assert "all" in slot_frames("All 212 passengers had been taken off the ship")["num:212"]
    [flag] = _two_claims("In all, around 1,400 residents were evacuated from their homes, the council said.",
                         "A total of 600 people had been evacuated from the estate, the fire service said.", cosine=0.6)
    assert flag.evidence["slots"]["num"] == {"a": ["num:1400"], "b": ["num:600"]}


def test_an_offers_premium_told_as_above_the_price() -> None:
    """"A premium of 28 percent to Tessaly's closing price" / "19 percent above Tessaly's
    closing share price": one premium, two sizes."""
    [flag] = _two_claims("The offer represents a premium of 28 percent to Tessaly's closing price, the bank said.",
                         "The price is 19 percent above Tessaly's closing share price on Tuesday, the bank said.",
                         cosine=0.6)
    assert flag.evidence["slots"]["pct"] == {"a": ["pct:28"], "b": ["pct:19"]}


def test_who_summoned_whose_ambassador_told_the_other_way_round() -> None:
    """"Korvenia summoned the Lestrian ambassador" / "Lestria summoned the Korvenian
    ambassador": one act, the two states exchanged (a country and its adjective are one
    state). "Korvenia summoned Lestria's ambassador" tells it the same way."""
    from newstrace.corroboration import changed_values
    a = "Korvenia summoned the Lestrian ambassador, Henrik Ostberg, on Friday to explain the deployment."
    assert ("swapped", "Korvenia summoned the Lestrian ambassador", "Lestria summoned the Korvenian ambassador",
            "summoned") in changed_values(a, "On Friday, Lestria summoned the Korvenian ambassador to demand an answer.")
    assert not [c for c in changed_values(a, "Korvenia summoned Lestria's ambassador, Henrik Ostberg, on Friday.")
                if c[0] == "swapped"]


def _sentence_flags(text_x: str, text_y: str, rule: str, hours: float = 5.0) -> list[Flag]:
    """The ``rule`` flags between two independent articles (no claims: the sentence-level rules),
    the second ``hours`` after the first."""
    x = Article(id="x", source="x", format="text", published_at=T0, text=text_x)
    y = Article(id="y", source="y", format="text", published_at=T0 + timedelta(hours=hours), text=text_y)
    return [f for f in corroborate(StoryInput("s", [x, y], [], {}, {}), embed_fn=failing_embed)[1] if f.rule == rule]


def test_an_age_told_of_a_role_or_of_the_subject_named_before_is_that_persons() -> None:
    """"The 58-year-old former mayor" is the one former mayor the article names ("The former
    mayor of Brackley, Osric Tallow,"), and "The 19-year-old," the one person the sentence
    before names; so each contradicts another report's "Tallow, 61,". Two people in the role
    ("mayor": a former and a current one) and the age is nobody's."""
    from newstrace.figures import article_people, bare_age, role_ages, role_bindings
    text = ("The former mayor of Brackley, Osric Tallow, was jailed on Monday. Brackley's current mayor, "
            "Dana Ruel, said the town would move on. Former deputy mayor Ines Varga was cleared.")
    bindings = role_bindings(text)
    assert role_ages("The 58-year-old former mayor showed no emotion.", bindings) == {"tallow": ("osric", 58)}
    assert role_ages("The 58-year-old mayor showed no emotion.", bindings) == {}
    assert role_ages("Edda Lunn, the town's 44-year-old treasurer, resigned.", bindings) == {}
    people = article_people("Crowds gathered to watch Piet Arnvold at Linden Park. Arnvold won in three sets.")
    assert people == {"arnvold"}
    assert bare_age("The 19-year-old, who grew up nearby, is the youngest winner.",
                    "Crowds gathered to watch Arnvold at Linden Park.", people) == {"arnvold": (None, 19)}
    assert bare_age("The 19-year-old, who grew up nearby, is the youngest winner.", "Crowds gathered.",
                    people) == {}

    [flag] = _sentence_flags("Tallow, 61, who ran Brackley for six years, was found guilty of taking bribes.",
                             "The former mayor of Brackley, Osric Tallow, was jailed on Monday. "
                             "The 58-year-old former mayor showed no emotion.", "contradiction:named-age")
    assert flag.evidence["slots"] == {"age": {"a": ["age:61-year"], "b": ["age:58-year"]}}
    [flag] = _sentence_flags("Arnvold, 22, had never won a national title before.",
                             "Piet Arnvold beat the champion in three sets. Crowds on the square cheered Arnvold "
                             "home. The 19-year-old, who grew up nearby, is the youngest winner.",
                             "contradiction:named-age")
    assert flag.evidence["name"] == "arnvold"


def test_one_person_alive_in_one_report_and_dead_in_another_contradict() -> None:
    """"Pulled out alive" against "recovered the body of" the same person (a full name, or an
    age and a noun) is a contradiction; a death told later with "died" may be the update of
    "alive" unless its weekday dates it before the first report; a fate hoped for, negated or
    told of two people is none."""
    from newstrace.figures import person_fate
    assert person_fate("Tomas Grell, a 66-year-old farmer, was pulled out alive on Wednesday.") == (
        "alive", frozenset({"name:grell", "aged:66 farmer"}))
    assert person_fate("Rescuers recovered the body of Tomas Grell on Wednesday.") == ("dead", frozenset({"name:grell"}))
    assert person_fate("Rescuers still hope to find Tomas Grell alive.") is None
    assert person_fate("Tomas Grell survived, but his brother Anton Grell died.") is None
    assert person_fate("The mayor, survived by his wife Mara Holt, was buried.") is None

    alive = "Tomas Grell, a 66-year-old farmer, was pulled out alive from his collapsed barn on Wednesday."
    [flag] = _sentence_flags(alive, "Rescuers recovered the body of Tomas Grell from the barn on Wednesday.",
                             "contradiction:alive-or-dead")
    assert flag.evidence["person"] == "grell" and flag.evidence["fates"] == {"a": "alive", "b": "dead"}
    assert {s["article_id"] for s in flag.spans} == {"x", "y"}
    # T0 is a Monday: "died on Tuesday" a day later may be the news after "alive" on Monday;
    # "died on Sunday" in Wednesday's paper is before it.
    assert _sentence_flags("Tomas Grell was pulled out alive and is recovering in hospital.",
                           "Tomas Grell died in the night on Tuesday.", "contradiction:alive-or-dead", hours=48) == []
    assert len(_sentence_flags("Tomas Grell was pulled out alive and is recovering in hospital.",
                               "Tomas Grell died on Sunday when the roof fell on him.",
                               "contradiction:alive-or-dead", hours=48)) == 1
    [flag] = _sentence_flags("The body of a 70-year-old man swept into the river was found on Monday.",
                             "The 70-year-old man swept into the river was pulled alive from the water.",
                             "contradiction:alive-or-dead")
    assert flag.evidence["person"] == "70 man"


def test_readings_at_two_clock_times_and_a_forecast_are_no_second_value() -> None:
    """A level "at 9 a.m. ... still rising" and a peak "at about 7 p.m." differ in the level and
    the hour, and neither is wrong; rain forecast is no rain measured. The same reading at one
    hour in two sizes still disagrees."""
    assert _two_claims("The river stood at 3.2 metres at the town gauge at 9 a.m. and was still rising.",
                       "The river peaked at 3.9 metres at the town gauge at about 7 p.m.", cosine=0.9) == []
    assert _two_claims("The weather office had forecast up to 50 millimetres of rain for the valley.",
                       "The valley gauge recorded 81 millimetres of rain, the weather office said.",
                       cosine=0.9) == []
    assert _two_claims("The river stood at 3.2 metres at the town gauge at 9 a.m.",
                       "The river stood at 3.9 metres at the town gauge at 9 a.m.", cosine=0.9) != []


def test_a_body_that_decided_unanimously_and_with_a_minority_contradicts() -> None:
    """"The three-judge panel was unanimous" against "The judges split two to one" is one
    decision told two ways; a board's unanimous vote is no tally of a council's, a match score
    no vote, and "was not unanimous" says neither."""
    from newstrace.figures import vote_split
    assert vote_split("The three-judge panel was unanimous.") == ("unanimous", frozenset({"court"}))
    assert vote_split("All three judges who sat on the appeal agreed.") == ("unanimous", frozenset({"court"}))
    assert vote_split("The board approved the plan by four votes to three.") == ("split", frozenset({"board"}))
    assert vote_split("The commission backed it by a 4-1 vote.") == ("split", frozenset({"commission"}))
    assert vote_split("Harbour Town beat the Rovers 2-1 in the cup final.") is None
    assert vote_split("The decision was not unanimous, the board said.") is None
    assert vote_split("The plan was approved unanimously.") is None  # by whom?

    [flag] = _sentence_flags("The three-judge panel was unanimous in quashing the permit.",
                             "The judges split two to one, with the presiding judge dissenting.",
                             "contradiction:unanimous-or-split")
    assert flag.evidence["body"] == "court" and flag.evidence["ways"] == {"a": "unanimous", "b": "split"}
    assert _sentence_flags("The port board approved the lease unanimously.",
                           "The town council approved the lease by 19 votes to 12.",
                           "contradiction:unanimous-or-split") == []


def test_one_person_given_two_posts_contradicts() -> None:
    """"Mira Stahl, the port's general manager," against "Mira Stahl, Hessport's chief financial
    officer," gives one person two posts; the same post in other words ("Fed chair" / "chairman
    of the Federal Reserve"), a former post and two posts at once are none."""
    from newstrace.figures import named_titles, titles_disagree
    assert named_titles("Mira Stahl, the port's general manager, said so.") == {("mira", "stahl"): "general manager"}
    assert named_titles("The utility's managing director, Odo Wren, said the plant was safe.") == {
        ("odo", "wren"): "managing director"}
    assert named_titles("Odo Wren, the utility's head of IT security, said so.") == {("odo", "wren"): "head of it security"}
    assert named_titles("Odo Wren, a former finance minister, said so.") == {}
    assert named_titles("Odo Wren, the founder and chief executive of Lumo, said so.") == {}
    assert titles_disagree("general manager", "chief financial officer")
    assert not titles_disagree("chairman of the federal reserve", "fed chair")
    assert not titles_disagree("communications director", "head of communications")
    assert not titles_disagree("chief executive", "managing director")

    [flag] = _sentence_flags("Mira Stahl, the port's general manager, said the cranes would restart on Monday.",
                             "Mira Stahl, Hessport's chief financial officer, told analysts the cost was unclear.",
                             "contradiction:named-title")
    assert flag.evidence["person"] == "Mira Stahl"
    assert flag.evidence["titles"] == {"a": "general manager", "b": "chief financial officer"}


def test_two_scorers_of_one_winner_or_two_riders_in_one_place_contradict() -> None:
    """"Ada Velk scored the winner in the 89th minute" against "Substitute Rhea Moll settled it
    one minute from time" names two scorers of one goal; "Ivo Brann took third" against "Lukas
    Pell finished third" two riders in one place. The player named as the one who set the goal
    up is no scorer, and a goal at another minute is another goal."""
    from newstrace.predicates import decisive_agents
    assert decisive_agents("Ada Velk scored the winner in the 89th minute from a corner by Rhea Moll.") == {
        ("winner", "89"): "velk"}
    assert decisive_agents("Substitute Rhea Moll settled it one minute from time.") == {("winner", "89"): "moll"}
    assert decisive_agents("The winner came from substitute Ada Velk, who headed in a cross.") == {
        ("winner", ""): "velk"}
    assert decisive_agents("Ivo Brann of Team Lark took third, 14 seconds down.") == {("place", "3"): "brann"}
    assert decisive_agents("Ada Velk scored twice in the first half.") == {}

    [flag] = _sentence_flags("Ada Velk scored the winner in the 89th minute from a corner by Rhea Moll.",
                             "Substitute Rhea Moll settled it one minute from time with a low shot.",
                             "contradiction:decisive-agent")
    assert flag.evidence["act"] == ["winner", "89"] and flag.evidence["agents"] == {"a": "velk", "b": "moll"}
    assert _sentence_flags("Ada Velk scored the winner in the 89th minute.",
                           "Rhea Moll scored the winner in the 61st minute of the semi-final.",
                           "contradiction:decisive-agent") == []
    assert len(_sentence_flags("Ivo Brann of Team Lark took third.", "Lukas Pell, the local rider, finished third.",
                               "contradiction:decisive-agent")) == 1


def test_a_denial_is_read_without_the_words_that_say_who_denied() -> None:
    """"Chief executive Hal Brun said there had been no fire at Ostvik" negates "fire at
    Ostvik", which another report states ("a transformer at the Ostvik substation caught
    fire"); the speaker's name and post are not part of what is denied, and were asked of the
    stating sentence too. A trailing attribution ("..., the company said in a statement") is
    left out the same way. A sentence in a speaker's own voice states nothing a denial
    answers."""
    assert co._reported("Chief executive Hal Brun said there had been fire at Ostvik") == "there had been fire at Ostvik"
    assert co._reported("Contractors were on site, Lenn Milling said in a statement on Wednesday") == (
        "Contractors were on site")
    assert co._reported("The driver was hurt, police said") == "The driver was hurt"
    assert co._reported("Its chief executive, Ida Maar, has said production will restart soon") == (
        "production will restart soon")
    [flag] = _sentence_flags("A transformer at the Ostvik substation caught fire and the line tripped, the grid "
                             "operator's director told Radio North.",
                             "Chief executive Hal Brun said there had been no fire at Ostvik and that a relay had "
                             "tripped the line.", "contradiction:negated-sentence")
    assert flag.evidence["words"] == ["fire", "ostvik"]
    assert _sentence_flags("I saw the fire at Ostvik myself, and we will say so to the inspectors.",
                           "Chief executive Hal Brun said there had been no fire at Ostvik.",
                           "contradiction:negated-sentence") == []  # a speaker's own voice


def test_a_storys_main_event_on_two_weekdays_told_in_other_words() -> None:
    """"The blaze broke out on Sunday afternoon" against "The fire was first reported on
    Saturday evening" gives the fire two days; so do "made landfall on Thursday" and "came
    ashore on Wednesday night". A sentence naming two weekdays gives none (one is another
    moment), and a fire's day is no strike's."""
    from newstrace.predicates import event_days
    assert event_days("The blaze broke out on Sunday afternoon east of the town.") == {"fire": "Sunday"}
    assert event_days("The fire was first reported on Saturday evening by a farmer.") == {"fire": "Saturday"}
    assert event_days("Storm Edda came ashore on Wednesday night.") == {"storm": "Wednesday"}
    assert event_days("The strike began on Monday and will end on Friday.") == {}
    assert event_days("The council met on Tuesday.") == {}
    assert event_days("Rescue workers began digging on Tuesday.") == {}  # workers are no strike

    [flag] = _sentence_flags("The blaze broke out on Sunday afternoon in pine plantations east of the town.",
                             "The fire was first reported on Saturday evening by a farmer who saw smoke.",
                             "contradiction:event-weekday")
    assert flag.evidence["event"] == "fire"
    assert flag.evidence["slots"] == {"weekday": {"a": ["weekday:Sunday"], "b": ["weekday:Saturday"]}}
    assert _sentence_flags("The blaze broke out on Sunday afternoon.", "The strike began on Saturday.",
                           "contradiction:event-weekday") == []


def test_sentences_are_embedded_without_their_dateline() -> None:
    """Where an article's first sentence opens with where it was filed ("ALDENPORT - "), the
    sentence is embedded without it: the dateline is no part of what it says, and it pulled
    one share price told two ways from 0.61 to 0.52, under the bar."""
    from newstrace.corroboration import _Embeddings

    seen: list[str] = []

    def record(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return np.ones((len(texts), 2), dtype=np.float32)

    embeddings = _Embeddings(record)
    embeddings(["ALDENPORT - Orrin's shares fell 14 per cent.", "Orrin shares closed higher."])
    assert seen == ["Orrin's shares fell 14 per cent.", "Orrin shares closed higher."]
    assert "ALDENPORT - Orrin's shares fell 14 per cent." in embeddings


def test_a_weekday_counted_from_the_event_is_not_the_events_day() -> None:
    """ "closed to traffic on Monday night" against "queues on Tuesday morning, the first rush
    hour since the bridge was closed": Tuesday dates the queues, counted from the closure, not
    the closure. Two weekdays each given the one event stay two ("A court on Monday convicted
    Roskamp" / "The court convicted Roskamp of bribery on Tuesday")."""
    from newstrace.corroboration import _changed_weekday
    assert _changed_weekday("The Ambry Bridge was closed to traffic on Monday night after engineers found cracks",
                            "Drivers sat in long queues on Tuesday morning, the first rush hour since the Ambry "
                            "Bridge was closed after engineers found cracks") == []
    assert _changed_weekday("A court on Monday convicted Roskamp of taking bribes",
                            "The court convicted Roskamp of taking bribes on Tuesday") == [
        ("weekday", "Monday", "Tuesday", "")]

