"""Outlet boilerplate: the rule on made-up sentence keys, masking, and the stage over a store,
including articles whose boilerplate is found only when later articles arrive."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newstrace import api, stages
from newstrace import boilerplate as bp
from newstrace.pipeline import SEGMENT, run_article_stage
from newstrace.progress import QUIET
from newstrace.stages import REUSE_VERSION, AnalyzeConfig
from newstrace.store import Store
from tests.conftest import write

FOOTER = ("This report comes from the Harbourside Courier newsroom. "
          "Get our evening digest at courier.example/digest every weekday. "
          "Spotted a mistake? Write to fixes@courier.example and we will correct it.")

BODIES = [
    "The Harbourside council voted to repave Mill Lane in June. Work will close the lane for two weeks. "
    "Residents asked for a detour sign near the bakery.",
    "A sea lion spent Tuesday afternoon on the ferry ramp. Wardens kept walkers back while it rested. "
    "It swam off at high tide, a warden said.",
    "The lighthouse museum will charge a two-pound entry fee from May. Its trustees said the fee pays for a new roof. "
    "Children under twelve stay free.",
    "Fishermen landed the year's first mackerel catch on Friday. Prices at the quay opened at four pounds a kilo. "
    "Buyers from three towns came early.",
]


def _edges(text: str) -> list[bp.EdgeSentence]:
    from newstrace.text import split_sentences

    return bp.edge_sentences(text, split_sentences(text))


def _runs(text: str, repeated: set[str]) -> list[tuple[int, int]]:
    from newstrace.text import count_words, split_sentences

    n = len(split_sentences(text))
    return bp.spans_of_runs(bp.boilerplate_runs(_edges(text), n, count_words(text), repeated))


def _keys(text: str) -> set[str]:
    return {e.key for e in _edges(text)}


def test_outlet_key_prefers_the_name_then_the_host() -> None:
    assert bp.outlet_key("  The  Courier ", "https://www.courier.example/a") == "outlet:the courier"
    assert bp.outlet_key(None, "https://www.courier.example/a") == "host:courier.example"
    assert bp.outlet_key("", "not a url") is None
    assert bp.outlet_key(None, None) is None


def test_a_footer_is_a_trailing_run_and_the_story_is_not() -> None:
    text = BODIES[0] + "\n\n" + FOOTER
    runs = _runs(text, _keys(FOOTER))
    assert [text[s:e] for s, e in runs] == [FOOTER]
    assert _runs(text, set()) == []


def test_a_text_repeated_whole_or_past_its_positions_is_no_furniture() -> None:
    text = BODIES[1] + "\n\n" + FOOTER
    assert _runs(text, _keys(text)) == []  # every sentence repeated: the outlet ran it again
    long_story = " ".join(f"Sentence number {w} of the long story is here." for w in
                          ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                           "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"])
    text = "A fresh first sentence opens this version. " + long_story
    # The last thirteen sentences repeated: a run past the twelve tail positions is content.
    tail_keys = {e.key for e in _edges(text)[-13:]}
    assert _runs(text, tail_keys) == []


def test_a_run_over_the_share_of_the_article_stays() -> None:
    text = "Short note here today. " + FOOTER + " " + FOOTER.replace("weekday", "weekend")
    assert _runs(text, _keys(text) - _keys("Short note here today.")) == []


def test_a_shared_run_is_furniture_only_among_articles_about_other_things() -> None:
    articles = [b + "\n\n" + FOOTER for b in BODIES]
    keys = [_keys(t) for t in articles]
    [run] = bp.boilerplate_runs(_edges(articles[0]), 6, 60, _keys(FOOTER))
    assert bp.distinct_elsewhere(run, keys[0], keys[1:])
    assert not bp.distinct_elsewhere(run, keys[0], keys[1:2])  # one other article is not enough
    # Versions of one story, each edited in its second sentence: they share more than an ending.
    first, second, *rest = [s + "." for s in BODIES[2].split(". ")]
    ending = " ".join(rest) + " " + FOOTER
    versions = [f"{first} {second[:-1]} (version {n}). {ending}" for n in range(4)]
    vkeys = [_keys(t) for t in versions]
    [run] = bp.boilerplate_runs(_edges(versions[0]), 6, 60, _keys(ending))
    assert not bp.distinct_elsewhere(run, vkeys[0], vkeys[1:])


@given(text=st.text(alphabet="ab \n.", max_size=80), cuts=st.lists(st.integers(0, 80), max_size=6))
def test_mask_keeps_every_offset(text: str, cuts: list[int]) -> None:
    points = sorted(min(c, len(text)) for c in cuts)
    spans = list(zip(points[::2], points[1::2]))
    masked = bp.mask(text, spans)
    assert len(masked) == len(text)
    for i, (a, b) in enumerate(zip(text, masked)):
        if any(s <= i < e for s, e in spans):
            assert b == ("\n" if a == "\n" else " ")
        else:
            assert a == b


def _ingest(tmp_path: Path, name: str, texts: list[str], outlet: str = "Harbourside Courier") -> None:
    rows = [{"title": f"Item {name}{k}", "outlet": outlet, "text": t,
             "url": f"https://courier.example/{name}/{k}"} for k, t in enumerate(texts)]
    path = write(tmp_path / f"{name}.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    api.ingest([path], tmp_path / "t.db")


def _stage(db: Path) -> dict[str, list[tuple[int, int]]]:
    with Store(db) as store:
        run_article_stage(store, SEGMENT, QUIET)
        stages.run_boilerplate(store, QUIET, AnalyzeConfig())
        return store.boilerplate()


def test_the_stage_finds_a_footer_when_the_third_article_arrives(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _ingest(tmp_path, "first", [BODIES[0] + "\n\n" + FOOTER, BODIES[1] + "\n\n" + FOOTER])
    assert _stage(db) == {}  # two articles: not yet a pattern
    with Store(db) as store, store.transaction():
        early = store.article_ids()
        store.mark_done("reuse", REUSE_VERSION, early)
        store.mark_done("corroboration", "x", early)
    _ingest(tmp_path, "later", [BODIES[2] + "\n\n" + FOOTER])
    found = _stage(db)
    with Store(db) as store:
        texts = {a.id: a.text for a in store.articles()}
        assert set(found) == set(texts)
        assert all(texts[a][s:e] == FOOTER for a, spans in found.items() for s, e in spans)
        # The earlier articles are compared again without their footer.
        assert set(early) <= set(store.pending("reuse", REUSE_VERSION))
        assert set(early) <= set(store.pending("corroboration", "x"))


def test_other_outlets_and_unknown_outlets_do_not_count(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _ingest(tmp_path, "a", [BODIES[0] + "\n\n" + FOOTER, BODIES[1] + "\n\n" + FOOTER])
    _ingest(tmp_path, "b", [BODIES[2] + "\n\n" + FOOTER], outlet="Quayside Post")
    rows = [{"title": "No outlet", "text": BODIES[3] + "\n\n" + FOOTER}]
    api.ingest([write(tmp_path / "c.jsonl", json.dumps(rows[0]) + "\n")], db)
    assert _stage(db) == {}


def test_three_versions_of_one_story_keep_their_text(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    body = BODIES[3] + " The harbour master said more boats are due next week."
    _ingest(tmp_path, "v", [f"Update {n}: the quay reopened at {n + 5} a.m. " + body + "\n\n" + FOOTER
                            for n in range(3)])
    assert _stage(db) == {}
