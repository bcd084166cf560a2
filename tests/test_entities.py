"""Mentions, canonical entities, merges and garbles. Every text here is written for these tests."""

from __future__ import annotations

import pytest

from newstrace.entities import canonicalize, extract_mentions
from newstrace.gazetteer import Gazetteer, GazetteerError
from newstrace.model import Mention


def _m(i: int, article: str, text: str, label: str = "PERSON", role: str | None = None,
       method: str = "spacy", start: int | None = None) -> Mention:
    s = i * 100 if start is None else start
    return Mention(f"m{i}", article, s, s + len(text), text, label, role, method)


def _entity_of(result, mention_id: str):
    return result.entity(result.mention_entity[mention_id])


def test_acronym_defined_in_parentheses_and_used_alone() -> None:
    ms = [
        _m(1, "a1", "Varnian State News Agency", "ORG", method="rule:acronym-long", start=0),
        _m(2, "a1", "VSNA", "ORG", method="rule:acronym", start=27),
        _m(3, "a2", "VSNA", "ORG"),
        _m(4, "a3", "Varnian State News Agency", "ORG"),
    ]
    r = canonicalize(ms)
    ent = _entity_of(r, "m1")
    assert {r.mention_entity[f"m{i}"] for i in range(1, 5)} == {ent.id}
    assert ent.canonical == "Varnian State News Agency"
    assert "acronym_defined" in {m.rule for m in ent.merges}
    assert not r.garbles


def test_acronym_mismatch_with_same_expansion_is_flagged() -> None:
    ms = [
        _m(1, "a1", "Korean Central News Agency", "ORG", method="rule:acronym-long", start=0),
        _m(2, "a1", "KCNA", "ORG", method="rule:acronym", start=28),
        _m(3, "a2", "Korean Central News Agency", "ORG", method="rule:acronym-long", start=0),
        _m(4, "a2", "CTAK", "ORG", method="rule:acronym", start=28),
    ]
    r = canonicalize(ms)
    assert r.mention_entity["m4"] == r.mention_entity["m2"]
    [g] = r.garbles
    assert g.surface == "CTAK" and g.rule == "acronym_mismatch" and "KCNA" in g.evidence
    assert r.garble_score("a2") > 0 and r.garble_score("a1") == 0


def test_same_role_merges_close_spelling_and_flags_it() -> None:
    ms = [
        _m(1, "a1", "Andrei Kovalenko", role="defence minister"),
        _m(2, "a2", "Andrei Kovalenko", role="Defence Minister"),
        _m(3, "a3", "Andrei Kovalenkov", role="defense minister"),
    ]
    r = canonicalize(ms)
    ent = _entity_of(r, "m3")
    assert ent.id == r.mention_entity["m1"] and ent.canonical == "Andrei Kovalenko"
    merge = next(m for m in ent.merges if m.rule.endswith("+context"))
    assert "defence minister" in merge.evidence
    assert [g.surface for g in r.garbles] == ["Andrei Kovalenkov"]
    assert r.garbles[0].entity_id == ent.id


def test_different_roles_keep_close_spellings_apart() -> None:
    ms = [
        _m(1, "a1", "Andrei Kovalenko", role="defence minister"),
        _m(2, "a2", "Andrei Kovalenkov", role="football coach"),
    ]
    r = canonicalize(ms)
    assert r.mention_entity["m1"] != r.mention_entity["m2"]
    assert not [g for g in r.garbles if g.rule == "close_spelling"]


def test_close_spelling_without_context_is_flagged_not_merged() -> None:
    r = canonicalize([_m(1, "a1", "Andrei Kovalenko"), _m(2, "a1", "Andrei Kovalenko", start=500),
                      _m(3, "a2", "Andrei Kovalenkov")])
    assert r.mention_entity["m1"] != r.mention_entity["m3"]
    [g] = r.garbles
    assert g.rule == "close_spelling_unconfirmed" and g.mention_id == "m3"


def test_transliteration_variants_merge_on_names_alone() -> None:
    r = canonicalize([_m(1, "a1", "Dmitriy Orlovsky"), _m(2, "a2", "Dmitry Orlovsky"),
                      _m(3, "a3", "Kim Jong Un"), _m(4, "a4", "Kim Jong-un")])
    assert r.mention_entity["m1"] == r.mention_entity["m2"]
    assert r.mention_entity["m3"] == r.mention_entity["m4"]
    assert not r.garbles
    rules = {m.rule for m in _entity_of(r, "m1").merges}
    assert "variant_parts" in rules


def test_surname_alone_after_full_name_resolves() -> None:
    r = canonicalize([_m(1, "a1", "Lena Okafor"), _m(2, "a1", "Okafor"), _m(3, "a2", "Okafor")])
    ent = _entity_of(r, "m2")
    assert ent.id == r.mention_entity["m1"] == r.mention_entity["m3"]
    assert "surname_in_article" in {m.rule for m in ent.merges}
    assert ent.canonical == "Lena Okafor"


def test_shared_surname_in_one_story_never_merges_people() -> None:
    ms = [_m(1, "a1", "Anna Petrenko"), _m(2, "a1", "Oleg Petrenko"), _m(3, "a1", "Petrenko"),
          _m(4, "a2", "Anna Petrenko")]
    r = canonicalize(ms)
    assert r.mention_entity["m1"] != r.mention_entity["m2"]
    assert r.mention_entity["m1"] == r.mention_entity["m4"]
    assert "m3" in r.unresolved and "m3" not in r.mention_entity


def test_initials_cannot_chain_two_people() -> None:
    r = canonicalize([_m(1, "a1", "Andrei Volkov"), _m(2, "a2", "A. Volkov"), _m(3, "a3", "Anton Volkov")])
    assert r.mention_entity["m1"] != r.mention_entity["m3"]


def test_gazetteer_anchors_canonical_and_separates_entries() -> None:
    gaz = Gazetteer.from_lines([
        "# test entries",
        '{"canonical": "Dmitri A. Kovalenko", "type": "PERSON", "aliases": ["Dmitri Kovalenko"], "roles": ["defence minister"]}',
        '{"canonical": "Dmitri Kovalenok", "type": "PERSON"}',
    ])
    ms = [_m(1, "a1", "Dmitri Kovalenko"), _m(2, "a2", "Dmitry Kovalenko"), _m(3, "a3", "Dmitri Kovalenok")]
    r = canonicalize(ms, gazetteer=gaz)
    ent = _entity_of(r, "m1")
    assert ent.canonical == "Dmitri A. Kovalenko"
    assert r.mention_entity["m2"] == ent.id
    assert r.mention_entity["m3"] != ent.id
    assert "gazetteer" in {m.rule for m in ent.merges}


def test_gazetteer_errors_name_the_line() -> None:
    with pytest.raises(GazetteerError, match="line 2"):
        Gazetteer.from_lines(['{"canonical": "A B"}', '{"type": "ORG"}'])


def test_nonword_inside_a_name_is_flagged() -> None:
    lexicon = frozenset({"museum", "international", "council"})
    ms = [_m(1, "a1", "In internationals kvir", "ORG"), _m(2, "a2", "Lindmark council", "ORG")]
    r = canonicalize(ms, context={"lexicon": lexicon})
    assert [(g.surface, g.rule) for g in r.garbles] == [("In internationals kvir", "nonword_in_name")]
    assert "kvir" in r.garbles[0].evidence


def test_every_merge_records_rule_and_evidence() -> None:
    r = canonicalize([_m(1, "a1", "Lena Okafor"), _m(2, "a2", "LENA OKAFOR"), _m(3, "a3", "Lena Okafor"),
                      _m(4, "a3", "Okafor")])
    ent = _entity_of(r, "m1")
    assert len(ent.variants) == 3
    assert all(m.rule and m.evidence for m in ent.merges)


def test_scale_is_blocked_not_all_pairs() -> None:
    import time

    from newstrace.names import match_persons

    ms = [_m(i, f"a{i % 500}", f"Person{i % 2000} Surname{i % 2000}") for i in range(10_000)]
    match_persons.cache_clear()
    t = time.perf_counter()
    r = canonicalize(ms)
    assert time.perf_counter() - t < 30
    assert len(r.entities) == 2000


# --- extraction with spaCy -----------------------------------------------------------------

TEXT = (
    "Defence Minister Andrei Kovalenko visited the shipyard in Selvik on Monday, the "
    "Varnian State News Agency (VSNA) reported. Kovalenko met Lena Okafor, head of the "
    "Ministry of Trade of Varnia. \"The yard is ready,\" said Okafor.\n"
)


@pytest.mark.slow
def test_extract_mentions_rules() -> None:
    from newstrace.nlp import spacy_pipeline

    doc = spacy_pipeline("full")(TEXT)
    ms = extract_mentions(doc, "art")
    for m in ms:
        assert TEXT[m.start:m.end] == m.text
    by_text = {m.text: m for m in ms}
    assert by_text["Andrei Kovalenko"].label == "PERSON"
    assert by_text["Andrei Kovalenko"].role == "defence minister"
    assert by_text["VSNA"].label == "ORG"
    assert by_text["Varnian State News Agency"].label == "ORG"
    assert any(m.text.startswith("Ministry of Trade") and m.label == "ORG" for m in ms)
    assert by_text["Selvik"].label in ("GPE", "LOC")
    r = canonicalize(ms)
    assert r.mention_entity[by_text["VSNA"].id] == r.mention_entity[by_text["Varnian State News Agency"].id]
    assert r.mention_entity[by_text["Kovalenko"].id] == r.mention_entity[by_text["Andrei Kovalenko"].id]


def test_comentions_confirm_a_close_spelling_across_stories() -> None:
    ms = [_m(1, "a1", "Andrei Kovalenko"), _m(2, "a1", "Lena Okafor"), _m(3, "a1", "Varnomash Yard", "ORG"),
          _m(4, "a2", "Andrei Kovalenkov"), _m(5, "a2", "Lena Okafor"), _m(6, "a2", "Varnomash Yard", "ORG")]
    r = canonicalize(ms)
    assert r.mention_entity["m1"] == r.mention_entity["m4"]
    merge = next(m for m in _entity_of(r, "m1").merges if m.rule.endswith("+context"))
    assert "co-mentioned" in merge.evidence


def test_an_acronym_in_another_language_is_no_garble_and_a_scrambled_one_is() -> None:
    """"State Border Guard Service (RVPS)": the letters are the agency's own initials in its
    language, and no article gives another acronym for it; "RSVP", used once, has RVPS's
    letters in another order."""
    ms = [
        _m(1, "a1", "State Border Guard Service", "ORG", method="rule:acronym-long", start=0),
        _m(2, "a1", "RVPS", "ORG", method="rule:acronym", start=28),
        _m(3, "a2", "RVPS", "ORG"),
        _m(4, "a3", "RVPS", "ORG"),
        _m(5, "a4", "RSVP", "ORG"),
    ]
    r = canonicalize(ms)
    assert [(g.surface, g.rule) for g in r.garbles] == [("RSVP", "acronym_scrambled")]
    assert r.mention_entity["m5"] == r.mention_entity["m3"] == r.mention_entity["m1"]
    assert "RVPS" in r.garbles[0].evidence
    # Once another article gives the initials that fit, the wrong one is a garble again.
    r = canonicalize(ms[:2] + [_m(6, "a5", "State Border Guard Service", "ORG", method="rule:acronym-long", start=0),
                               _m(7, "a5", "SBGS", "ORG", method="rule:acronym", start=28)])
    assert [(g.surface, g.rule) for g in r.garbles] == [("RVPS", "acronym_mismatch")]


def test_a_name_a_rewrite_changed_from_its_source_is_a_garble() -> None:
    """Along a parent link, a name the rewrite writes otherwise than its source is the
    rewriter's garble: a syllable added, a first name swapped, an acronym scrambled (also one
    the source's mentions missed), a place's ending changed. The same name without its
    diacritic, a title or first name more, a demonym, or a name the source also writes is
    none."""
    from newstrace.entities import REWRITE_RULE, changed_form_score, rewrite_garbles
    from newstrace.model import Mention

    source = ("BRENN, May 2 (NSA) - Defence Minister Pavel Orlov and General Artyom Sedov opened the drills near "
              "Volnogorsk, the ministry said. Tomas Varga and Tamas Varga, brothers, watched. Henrik Österlund spoke.")
    rewrite = ("Defence Minister Pavel Orlovsky and General Artyon Sedov opened the drills near Volnograd, SNA said. "
               "Tamas Varga watched. Henrik Osterlund and Minister Orlov's aide Kestrian spoke.")

    def mentions(article: str, text: str, names: list[tuple[str, str]]) -> list[Mention]:
        out = []
        for name, label in names:
            i = text.index(name)
            out.append(Mention(f"{article}:{i}", article, i, i + len(name), name, label))
        return out

    src = mentions("s", source, [("Pavel Orlov", "PERSON"), ("Artyom Sedov", "PERSON"), ("Volnogorsk", "GPE"),
                                 ("Tomas Varga", "PERSON"), ("Tamas Varga", "PERSON"), ("Henrik Österlund", "PERSON")])
    der = mentions("d", rewrite, [("Pavel Orlovsky", "PERSON"), ("Artyon Sedov", "PERSON"), ("Volnograd", "GPE"),
                                  ("SNA", "ORG"), ("Tamas Varga", "PERSON"), ("Henrik Osterlund", "PERSON"),
                                  ("Orlov", "PERSON")])
    found = {g.surface: g for g in rewrite_garbles("s", source, src, der, {}, {})}
    assert set(found) == {"Pavel Orlovsky", "Artyon Sedov", "Volnograd", "SNA"}
    assert all(g.rule == REWRITE_RULE and g.article_id == "d" and "(s)" in g.evidence for g in found.values())
    assert found["SNA"].canonical == "NSA" and found["Artyon Sedov"].canonical == "Artyom Sedov"
    assert changed_form_score("Kestria", "Kestrian") == 0.0 and changed_form_score("Lund", "Lunde") == 0.0
    assert changed_form_score("Arvid Lund", "Arvid Lunde") > 0.9
    # Another word in its place names someone else: Bill and Hillary, the NHL and the NFL.
    assert changed_form_score("Hillary Clinton", "Bill Clinton") == 0.0
    assert changed_form_score("National Football League", "National Hockey League") == 0.0
    # The corpus's usual spelling in the rewrite corrects its source.
    fixed = mentions("d", "Newt Gingrich spoke.", [("Newt Gingrich", "PERSON")])
    wrong = mentions("s", "Newt Gingerich spoke.", [("Newt Gingerich", "PERSON")])
    assert rewrite_garbles("s", "Newt Gingerich spoke.", wrong, fixed, {"d:0": "e1", "s:0": "e1"},
                           {"e1": "Newt Gingrich"}) == []
