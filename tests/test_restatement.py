"""Reports about an article are not rewrites of it (``newstrace.restatement``); a claim that
reports what another outlet of the story published counts for that outlet's origin, a denial
meets the claim it denies, a part of a count is not the count (``corroboration``). Fixtures are
short fictional texts written for these tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from newstrace.corroboration import StoryInput, corroborate
from newstrace.figures import figure_notes, slot_frames, values_disagree
from newstrace.model import AlignedPair, Article, Claim, ReuseEdge, Span, restated_pairs
from newstrace.provenance import direct_edges, origin_groups, undo_reconcile
from newstrace.restatement import (OutletNames, RestatementConfig, credited, demote_restatements, disputes,
                                   is_claim_label, own_interviews, own_sources)
from newstrace.negation import negated_terms
from newstrace.reuse import Record, content_terms
from newstrace.text import stable_hash
from tests.test_corroboration import fake_embed

T0 = datetime(2026, 6, 1, 6, 0, tzinfo=timezone.utc)
AGENCY = "Norland State News Agency"
OUTLETS = OutletNames([AGENCY, "Valley Times", "Coast Daily"])


def test_an_outlet_is_named_by_its_name_or_its_initials() -> None:
    names = OutletNames([AGENCY, "Arctic Broadcasting Network (ABN)", "The Valley Times", "KTV", "Coast Daily",
                         None, " "])
    assert names.named("NSNA said on Monday") == {AGENCY}
    assert names.named("the norland state news agency reported") == {AGENCY}
    assert names.named("according to ABN") == {"Arctic Broadcasting Network (ABN)"}
    assert names.named("arctic broadcasting network said") == {"Arctic Broadcasting Network (ABN)"}
    # "The" is optional; a name shorter than six letters and a two-word name's initials name nothing.
    assert names.named("Valley Times readers") == {"The Valley Times"}
    assert names.named("KTV and CD reported") == set()
    assert names.named("nsna") == set()  # initials match in capitals only
    # Initials two outlets share name neither of them.
    assert names.named("NSNA") == {AGENCY} and OutletNames([AGENCY, "Nordic Sea News Agency"]).named("NSNA") == set()
    assert not OutletNames([None, ""]) and OutletNames(["Coast Daily"])


def test_a_sentence_credits_another_outlet_next_to_a_reporting_word() -> None:
    plain = "At least 200 homes were flooded in Brenn, officials said."
    assert credited("The NSNA claimed on Monday that 200 homes were flooded.", plain, OUTLETS, "Valley Times") == AGENCY
    assert credited("NSNA and the floods of Brenn.", plain, OUTLETS, "Valley Times") is None  # no reporting word
    assert credited("Brenn flooded, NSNA reported.", plain, OUTLETS, AGENCY) is None  # an outlet naming itself
    # Both sentences credit the agency: a rewrite that kept the credit line, not a new credit...
    assert credited("NSNA reported that 200 homes flooded.", "200 homes flooded, NSNA reported.", OUTLETS,
                    "Coast Daily", "Valley Times") is None
    # ... unless the other sentence is the agency's own, naming itself in its dateline.
    assert credited("NSNA reported that 200 homes flooded.", "BRENN (NSNA) - 200 homes flooded.", OUTLETS,
                    "Coast Daily", AGENCY) == AGENCY
    assert credited("Claim: 200 homes were flooded in Brenn.", plain, OUTLETS, "Valley Times") == "claim label"
    assert is_claim_label("CLAIM - the dam broke") and not is_claim_label("The claim that the dam broke is old.")


def test_a_sentence_disputes_by_denial_or_by_negating_what_the_other_states() -> None:
    flooded = "At least 200 homes were flooded in Brenn."
    assert disputes("The council denied that homes had been flooded.", flooded)
    assert disputes("There is no evidence that the dam broke.", "The dam broke on Sunday.")
    assert disputes("The hospital said it had not admitted 200 patients.", "The hospital admitted 200 patients.")
    assert not disputes("The hospital had not admitted 200 patients.", "The hospital had not admitted 200 patients.")
    # A restyled rewrite turns phrases round; that is no dispute.
    assert not disputes("The debate was nothing short of electric.", "The debate was lively.")
    assert not disputes("Obama left no doubt that he would lead.", "Obama said he would lead.")
    # A list's absences, told in the article's own voice, dispute nothing.
    assert not disputes("1950: No Halvik medal was awarded this year.", "Forty crews were awarded the Halvik medal.")
    assert disputes('"No Halvik medal was awarded this year," the jury said.', "Forty crews were awarded the Halvik medal.")
    assert negated_terms("We had no deaths and nobody is in intensive care.") >= {"deaths", "intensive"}


@given(st.text(max_size=300), st.text(max_size=300))
def test_the_judges_take_any_text(a: str, b: str) -> None:
    assert isinstance(disputes(a, b), bool)
    assert credited(a, b, OUTLETS, None) in (None, "claim label", AGENCY, "Valley Times", "Coast Daily")
    assert negated_terms(a) <= set(content_terms(a))


# --- edges ------------------------------------------------------------------------------------

AGENCY_TEXT = ("BRENN (NSNA) - At least 200 homes in Brenn were flooded after the Halvik dam broke, officials said. "
               "Minister Aron Stiel ordered the army to evacuate the valley. "
               "Eleven people are missing.")
REPORT_TEXT = ("The NSNA claimed on Monday that at least 200 homes in Brenn were flooded after a dam broke. "
               "The water authority denied that the Halvik dam had broken. "
               "Residents said that the river rose after three days of rain.")


def pair(i: int, j: int, a: str, b: str, score: float = 0.5) -> AlignedPair:
    return AlignedPair(i, j, Span(0, len(a), a), Span(0, len(b), b), None, score, score)


def rewrite(pairs: list[AlignedPair], n_a: int, n_b: int, score: float = 0.55) -> ReuseEdge:
    k = len(pairs)
    return ReuseEdge("agency", "report", "rewrite", score, "mean(containment,cosine)>=0.5",
                     features={"aligned": float(k), "coverage_a": k / n_a, "coverage_b": k / n_b, "score": score},
                     pairs=pairs)


RECORDS = [Record("agency", AGENCY_TEXT, T0, outlet=AGENCY), Record("report", REPORT_TEXT, T0 + timedelta(hours=5),
                                                                     outlet="Valley Times")]


def test_a_report_that_credits_and_disputes_its_subject_is_no_rewrite_of_it() -> None:
    a, r = AGENCY_TEXT.split(". "), REPORT_TEXT.split(". ")
    edge = rewrite([pair(0, 0, a[0], r[0]), pair(1, 1, a[0], r[1])], 3, 3)
    (out,) = demote_restatements([edge], RECORDS)
    assert out.kind == "same-story" and not out.directed
    ev = out.direction_evidence["restatement"]
    assert (ev["credited"], ev["disputed"], ev["reused"]) == (1, 1, 0)
    assert ev["pairs"][0]["credits"] == AGENCY and ev["pairs"][1]["side"] == "b"
    assert out.direction_evidence["demoted_from"] == "rewrite" and "restates or disputes" in out.rule
    assert undo_reconcile(out) == edge  # the next run judges the edge as the reuse stage left it
    shown = restated_pairs(out)
    assert [(x["why"], x["by"], x["other"], x["credits"]) for x in shown] == [
        ("credited", "report", "agency", AGENCY), ("disputed", "report", "agency", None)]
    assert shown[0]["by_text"] == r[0] and shown[0]["other_text"] == a[0]
    assert restated_pairs(edge) == []
    groups = origin_groups(direct_edges([edge], RECORDS), RECORDS)
    assert sorted(len(g.members) for g in groups) == [1, 1]  # two origins, not one


def test_a_credited_rewrite_stays_a_rewrite() -> None:
    """One credit line among paraphrased sentences: the rest of the overlap is a rewrite's."""
    a = AGENCY_TEXT.split(". ")
    r = ["Some 200 Brenn homes flooded when the Halvik dam gave way, NSNA reported",
         "Army told to evacuate the valley by Minister Aron Stiel", "Eleven remain missing"]
    edge = rewrite([pair(0, 0, a[0], r[0]), pair(1, 1, a[1], r[1]), pair(2, 2, a[2], r[2])], 3, 3)
    (out,) = demote_restatements([edge], RECORDS)
    assert out is edge
    # A rewrite with nothing credited or disputed is never touched, however little of it aligns.
    thin = rewrite([pair(1, 1, a[1], r[1])], 20, 20)
    assert demote_restatements([thin], RECORDS) == [thin]
    # The bar is a setting.
    lax = demote_restatements([rewrite([pair(0, 0, a[0], REPORT_TEXT.split(". ")[0]), pair(1, 1, a[1], r[1])], 3, 3)],
                              RECORDS, RestatementConfig(min_coverage=0.3))
    assert lax[0].kind == "rewrite"


# --- claims that report another outlet's claim ----------------------------------------------


def claim(article: Article, content: str, source: str | None, hedge: str = "asserted") -> Claim:
    start = article.text.index(content)
    src = None
    if source:
        s = article.text.index(source)
        src = Span(s, s + len(source), source)
    return Claim(id=stable_hash(article.id, content), article_id=article.id, sentence_index=0,
                 content=Span(start, start + len(content), content), source=src, is_direct_quote=False,
                 source_kind="organisation" if source else "none", source_entity=source, hedge=hedge,
                 method="test")


AG = Article(id="ag", source="ag", format="text", outlet=AGENCY, published_at=T0,
             text="The dam broke at dawn and 200 homes were flooded, officials said.")
RW = Article(id="rw", source="rw", format="text", outlet="Coast Daily", published_at=T0 + timedelta(hours=1),
             text="The dam broke at dawn and 200 homes were flooded, officials said on Monday.")
VT = Article(id="vt", source="vt", format="text", outlet="Valley Times", published_at=T0 + timedelta(hours=2),
             text="NSNA said that the dam broke at dawn and 200 homes were flooded. "
                  "The water authority said 40 homes were flooded.")
FC = Article(id="fc", source="fc", format="text", outlet="Fact Desk", published_at=T0 + timedelta(hours=3),
             text="Claim: the dam broke at dawn and 200 homes were flooded.\n\nVerdict: false.")


def test_a_claim_reported_from_another_outlet_is_not_a_second_source() -> None:
    claims = [claim(AG, "The dam broke at dawn and 200 homes were flooded", "officials"),
              claim(RW, "The dam broke at dawn and 200 homes were flooded", "officials"),
              claim(VT, "the dam broke at dawn and 200 homes were flooded", "NSNA"),
              claim(FC, "the dam broke at dawn and 200 homes were flooded", None, hedge="alleged")]
    story = StoryInput("s", [AG, RW, VT, FC], claims, origin_of={"ag": "g", "rw": "g", "vt": "vt", "fc": "fc"},
                       origin_article={"g": "ag", "vt": "vt", "fc": "fc"},
                       edges=[ReuseEdge("ag", "rw", "rewrite", 0.9, "test", directed=True)])
    groups, flags = corroborate(story, embed_fn=fake_embed)
    (g,) = [g for g in groups if claims[0].id in g.claim_ids]
    assert set(g.article_ids) == {"ag", "rw", "vt", "fc"}
    assert g.origin_ids == ["g"]  # the agency's claim, restated by a report and named by a fact check
    assert any(f.kind == "single-origin" and claims[2].id in f.claim_ids for f in flags)


def test_a_figure_said_not_to_be_so_states_no_competing_value() -> None:
    notes = figure_notes("the hospital had not admitted 340 patients")
    assert notes["num:340"].negated
    assert not values_disagree("num:340", "num:14", notes, {})
    assert values_disagree("num:340", "num:14", figure_notes("the hospital admitted 340 patients"), {})


# --- denials and partitive figures -------------------------------------------------------------


def test_a_denial_is_matched_with_the_claim_it_denies_when_most_of_its_words_are_there() -> None:
    """A ministry's denial names "the minister", the claim names him: below the plain denial bar
    (0.75), matched on four of the denial's five content words. An allegation it denies is
    disputed too; a speculation is not."""
    site = Article(id="site", source="site", format="text", outlet="Coast Daily", published_at=T0,
                   text="Minister Aron Stiel ordered local doctors not to report the cases, officials said.")
    ministry = Article(id="min", source="min", format="text", outlet="Valley Times",
                       published_at=T0 + timedelta(hours=2),
                       text="The ministry denied that the minister had ordered doctors to conceal any cases.")
    asserted = claim(site, "Minister Aron Stiel ordered local doctors not to report the cases", "officials")
    denial = claim(ministry, "the minister had ordered doctors to conceal any cases", "The ministry", hedge="denied")
    vectors = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)  # cosine 0.6

    def contradictions(level: str) -> list[Any]:
        story = StoryInput("s", [site, ministry], [replace(asserted, hedge=level), denial],
                           origin_of={}, origin_article={})
        _, flags = corroborate(story, vectors=vectors, embed_fn=fake_embed)
        return [f for f in flags if f.kind == "contradiction"]

    (f,) = contradictions("asserted")
    assert f.rule == "contradiction:assert-vs-deny" and f.evidence["containment"] == 0.8
    assert [x.kind for x in contradictions("alleged")] == ["contradiction"]
    assert contradictions("speculated") == []


def test_a_part_of_a_count_is_not_the_count() -> None:
    """"17 of the patients are in intensive care" is not a second figure for the patients
    admitted: its frame is what is said of the part."""
    assert slot_frames("at least 17 of the patients are in intensive care") == {"num:17": frozenset({"intensive"})}
    assert slot_frames("it had admitted 14 patients")["num:14"] >= {"patient"}


def test_a_denied_fragment_or_topic_contradicts_nothing() -> None:
    """Extraction fragments ("the plan") and a denial sharing only a topic's words with a claim
    ("bailing out banks on Wall Street": three of four words) are no contradiction."""
    def contradictions(text_a: str, text_b: str, cosine: float) -> list[Any]:
        a = Article(id="a", source="a", format="text", published_at=T0, text=f"{text_a}, the senator said.")
        b = Article(id="b", source="b", format="text", published_at=T0 + timedelta(hours=1),
                    text=f"The governor denied {text_b}.")
        vectors = np.array([[1.0, 0.0], [cosine, float(np.sqrt(1 - cosine ** 2))]], dtype=np.float32)
        story = StoryInput("s", [a, b], [claim(a, text_a, "the senator"), claim(b, text_b, "The governor", "denied")],
                           origin_of={}, origin_article={})
        return [f for f in corroborate(story, vectors=vectors, embed_fn=fake_embed)[1] if f.kind == "contradiction"]

    assert contradictions("the plan", "the plan", 1.0) == []
    assert contradictions("The bank rescue hurt savers on Wall Street", "bailing out banks on Wall Street", 0.6) == []
    assert len(contradictions("The ferry route to Brenn will close in October",
                              "the ferry route to Brenn will close in October", 1.0)) == 1


def test_an_outlet_speaking_of_itself_is_no_embellishment() -> None:
    """A rewrite's sign-off ("Coast Daily will publish further updates") is the site talking
    about itself; its invented witness is an embellishment."""
    rw = Article(id="rw", source="rw", format="text", outlet="Coast Daily", published_at=T0 + timedelta(hours=1),
                 text="The dam broke at dawn and 200 homes were flooded, officials said on Monday. "
                      "A fisherman said he had seen cracks in the wall for weeks. "
                      "Coast Daily will publish further updates as the rescue goes on.")
    claims = [claim(AG, "The dam broke at dawn and 200 homes were flooded", "officials"),
              claim(rw, "The dam broke at dawn and 200 homes were flooded", "officials"),
              claim(rw, "he had seen cracks in the wall for weeks", "A fisherman"),
              claim(rw, "further updates as the rescue goes on", "Coast Daily")]
    story = StoryInput("s", [AG, rw], claims, origin_of={"ag": "g", "rw": "g"}, origin_article={"g": "ag"},
                       edges=[ReuseEdge("ag", "rw", "rewrite", 0.9, "test", directed=True)])
    _, flags = corroborate(story, embed_fn=fake_embed)
    added = [f for f in flags if f.kind == "embellishment"]
    assert [f.claim_ids for f in added] == [[claims[2].id]]


# --- a correspondent's own report ------------------------------------------------------------


def test_a_report_with_its_own_sources_is_no_rewrite() -> None:
    """The wire quotes the plant director and the governor; a correspondent's report of the
    same leak quotes two residents and an inspector, none of whom the wire mentions, and keeps
    none of the wire's speakers: its own reporting, though the facts align loosely."""
    a = AGENCY_TEXT.split(". ")
    edge = rewrite([pair(0, 0, a[0], "Around 200 homes flooded when the dam gave way, residents said")], 8, 8,
                   score=0.50)
    voices = {"agency": (frozenset({"Aron Stiel"}), frozenset({"Aron Stiel"})),
              "report": (frozenset({"Ida Lund", "Per Vik", "Ola Berg"}), frozenset({"Ida Lund", "Per Vik", "Ola Berg"}))}
    (out,) = demote_restatements([edge], RECORDS, voices=voices)
    ev = out.direction_evidence["restatement"]
    assert out.kind == "same-story" and ev["why"] == "own-sources" and ev["article"] == "report"
    assert ev["new_speakers"] == ["Ida Lund", "Ola Berg", "Per Vik"] and ev["kept_speakers"] == []
    assert ev["other_new_speakers"] == ["Aron Stiel"]
    assert "reports with its own sources" in out.rule and undo_reconcile(out) == edge
    # A rewrite keeps its original's speakers and invents one at most.
    rewrite_voices = {"agency": voices["agency"],
                      "report": (frozenset({"Aron Stiel", "Ida Lund"}), frozenset({"Aron Stiel", "Ida Lund"}))}
    assert demote_restatements([edge], RECORDS, voices=rewrite_voices) == [edge]
    # Two new voices but three of the wire's kept: still a rewrite.
    wire = (frozenset({"Aron Stiel", "Mia Dahl", "Jon Sund"}), frozenset({"Aron Stiel", "Mia Dahl", "Jon Sund"}))
    keeps = (frozenset({"Ida Lund", "Per Vik", "Aron Stiel", "Mia Dahl", "Jon Sund"}),
             frozenset({"Ida Lund", "Per Vik", "Aron Stiel", "Mia Dahl", "Jon Sund"}))
    assert demote_restatements([edge], RECORDS, voices={"agency": wire, "report": keeps}) == [edge]
    # A condensed rewrite drops two of the wire's speakers and adds none: the wire "has people
    # the rewrite never mentions", but the rewrite has none of its own.
    condensed = {"agency": wire, "report": (frozenset({"Aron Stiel"}), frozenset({"Aron Stiel"}))}
    assert demote_restatements([edge], RECORDS, voices=condensed) == [edge]
    # Only loose edges: a close paraphrase (score 0.6 or more) or a wide alignment stays.
    assert demote_restatements([rewrite(edge.pairs, 8, 8, score=0.62)], RECORDS, voices=voices)[0].kind == "rewrite"
    assert demote_restatements([rewrite(edge.pairs, 3, 3)], RECORDS, voices=voices)[0].kind == "rewrite"
    assert own_sources("report", "missing", voices) is None


def test_a_report_quoting_what_someone_told_its_own_outlet_is_no_rewrite() -> None:
    """The report's third sentence is its own interview ("Residents told the Valley Times", its
    outlet): a loose rewrite edge that does not align that sentence is two reports. A copy
    keeps "told NSNA" (another outlet's interview), and an aligned interview sentence has its
    counterpart in the other article: neither is the article's own."""
    text = REPORT_TEXT.replace("Residents said", "Residents told the Valley Times")
    assert own_interviews(text, "Valley Times") == [text.index("told")]
    assert own_interviews(REPORT_TEXT, "Valley Times") == []
    assert own_interviews("Stiel told the Times on Monday.", "The Valley Times") == [6]
    assert own_interviews("He told NSNA the dam broke.", "Valley Times") == []
    assert own_interviews("She told the Times Square crowd.", "The Valley Times") == []  # no outlet "Times" there
    assert own_interviews("He told the Times's reporter.", "The Valley Times") == []
    records = [Record("agency", AGENCY_TEXT, T0, outlet=AGENCY),
               Record("report", text, T0 + timedelta(hours=5), outlet="Valley Times")]
    a, r = AGENCY_TEXT.split(". "), text.split(". ")
    edge = rewrite([pair(1, 1, a[1], "Army told to evacuate the valley by Minister Aron Stiel")], 8, 8, score=0.50)
    assert demote_restatements([edge], RECORDS) == [edge]  # the report without its interview
    (out,) = demote_restatements([edge], records)
    ev = out.direction_evidence["restatement"]
    assert out.kind == "same-story" and ev["why"] == "own-interview" and ev["articles"] == ["report"]
    assert "quotes what someone told its own outlet" in out.rule and undo_reconcile(out) == edge
    told = text.index("Residents")
    aligned = rewrite([edge.pairs[0], AlignedPair(2, 2, Span(0, 10, a[0][:10]),
                                                           Span(told, len(text), r[2]), None, 0.5, 0.5)],
                      8, 8, score=0.50)
    assert demote_restatements([aligned], records)[0].kind == "rewrite"
    others = [records[0], replace(records[1], outlet="Brenn Post")]
    assert demote_restatements([edge], others)[0].kind == "rewrite"
    # The earlier article's own interview alone: a rewrite made from it may have dropped it.
    swapped = [replace(records[0], published_at=T0 + timedelta(hours=9)), records[1]]
    assert demote_restatements([edge], swapped)[0].kind == "rewrite"
    both = [replace(swapped[0], text=AGENCY_TEXT + " Stiel told NSNA the army was ready."), records[1]]
    assert demote_restatements([edge], both)[0].direction_evidence["restatement"]["articles"] == ["agency", "report"]
    # Only loose edges: a close paraphrase (score 0.6 or more) stays.
    assert demote_restatements([rewrite(edge.pairs, 8, 8, score=0.62)], records)[0].kind == "rewrite"


def test_a_measure_is_not_a_count() -> None:
    """"Within 1.5 kilometres" and "2,400 residents" are different quantities; 600,000 and
    500,000 tonnes are one quantity told two ways."""
    km, people = figure_notes("residents living within 1.5 kilometres of the plant"), figure_notes("about 2,400 residents")
    assert km["num:1.5"].unit == "km" and not values_disagree("num:1.5", "num:2400", km, people)
    tonnes, tons = figure_notes("600,000 tonnes of fertiliser"), figure_notes("500,000 tons of fertiliser")
    assert values_disagree("num:600000", "num:500000", tonnes, tons)
    assert figure_notes("5m people") == {} and figure_notes("$5 million")["num:5e+06"].unit is None


# --- two reports of one press conference ----------------------------------------------------


def _at(i: int, j: int, a: str, b: str, start_a: int, start_b: int) -> AlignedPair:
    return AlignedPair(i, j, Span(start_a, start_a + len(a), a), Span(start_b, start_b + len(b), b), None, 0.6, 0.6)


BRIEFING = [
    _at(0, 1, "Minister Ola Berg said 120 guards would be sent to the border.",
        "Berg announced that 120 more guards would go to the border.", 0, 100),
    _at(2, 3, '"We will take the network apart," Berg said.', '"We will take the network apart," she said.', 200, 300),
    _at(4, 5, "Commissioner Ida Lund said six people had been arrested.", "Six suspects were detained, Lund said.",
        400, 500),
    _at(5, 6, "Lund said the lorry's driver would appear in court.", "The driver will face a judge, Lund added.",
        470, 550),
]
SPOKEN = {"agency": ((0, 60, "berg"), (200, 245, "berg"), (400, 460, "lund"), (470, 520, "lund")),
          "report": ((100, 160, "berg"), (300, 345, "?"), (500, 540, "lund"), (550, 592, "lund"))}


def _voices(extra: frozenset[str] = frozenset({"Per Vik"})) -> dict:
    known = frozenset({"Ola Berg", "Ida Lund"})
    return {"agency": (known, known, SPOKEN["agency"]), "report": (known | extra, known | extra, SPOKEN["report"])}


def test_two_reports_of_one_briefing_are_no_rewrite_of_each_other() -> None:
    """Two reporters at one press conference align on the speakers' words (the same quote, an
    announcement in other words) and on nothing else; the report also quotes someone the other
    never mentions. That holds above the score that decides a rewrite alone."""
    edge = rewrite(BRIEFING, 10, 9, score=0.62)
    (out,) = demote_restatements([edge], RECORDS, voices=_voices())
    ev = out.direction_evidence["restatement"]
    assert out.kind == "same-story" and ev["why"] == "same-speakers"
    assert [p["speakers"] for p in ev["pairs"]] == [["berg"], ["berg"], ["lund"], ["lund"]]
    assert ev["derived_new_speakers"] == ["Per Vik"] and ev["reused"] == 0
    assert "both report what the same people said" in out.rule and undo_reconcile(out) == edge
    assert restated_pairs(out)[0]["why"] == "same-speakers"
    # Narrative aligned too (two of ten sentences): a rewrite of the report, not a second report.
    narrative = [_at(6, 7, "The lorry was stopped at the crossing at 11 p.m.", "The truck was halted at 11 p.m.", 600, 700),
                 _at(7, 8, "Its driver was held at the scene.", "The driver was detained on the spot.", 660, 760)]
    assert len(narrative) / 9 >= RestatementConfig().min_coverage
    assert demote_restatements([rewrite(BRIEFING + narrative, 10, 9)], RECORDS, voices=_voices())[0].kind == "rewrite"
    # Most of both texts aligned: a rewrite, whoever speaks in it.
    assert demote_restatements([rewrite(BRIEFING, 5, 5)], RECORDS, voices=_voices())[0].kind == "rewrite"
    # Neither gives voice to anyone of its own: nothing tells them apart from a rewrite.
    assert demote_restatements([edge], RECORDS, voices=_voices(frozenset()))[0].kind == "rewrite"
    # Three such pairs are too few (a rewrite sharing a politician's quotes with its source).
    assert demote_restatements([rewrite(BRIEFING[:3], 10, 9)], RECORDS, voices=_voices())[0].kind == "rewrite"


# --- two reporters' own figures --------------------------------------------------------------

WIRE_FIRE = ("Two workers were killed and seven people were taken to hospital after a fire at a paint factory "
             "in Hesby, the fire service said. The fire broke out at about 3.40 a.m. in the mixing hall. "
             "About 80 firefighters were at the scene. The dead men were aged 44 and 51.")
RADIO_FIRE = ("Two people died when fire swept through the paint factory in Hesby early on Tuesday. The fire "
              "service sent 82 firefighters and 21 fire engines. \"The warehouse was already alight,\" said "
              "chief officer Mari Dahl. The plant's 240 employees will be paid in full.")
LOOSE = [pair(0, 0, WIRE_FIRE.split(". ")[0], RADIO_FIRE.split(". ")[0])]


def _fire_records(radio: str = RADIO_FIRE) -> list[Record]:
    return [Record("agency", WIRE_FIRE, T0, outlet="Wire"), Record("report", radio, T0 + timedelta(hours=3),
                                                                   outlet="Radio")]


def test_two_reports_each_with_figures_of_their_own_are_no_rewrite() -> None:
    """The wire gives the hour, the ages and "about 80" firefighters; the radio gives 82 (a
    rounding of 80, the same figure), 21 engines and 240 employees, and quotes an officer the
    wire never names: two reports of one fire, not a rewrite."""
    from newstrace.restatement import figures, own_figures

    assert figures("It cost 1,150 euros, 14m in 2008, 70% of one") == {("num", 1150.0), ("num", 14e6), ("pct", 70.0)}
    voices = {"agency": (frozenset(), frozenset()), "report": (frozenset({"Mari Dahl"}), frozenset({"Mari Dahl"}))}
    edge = rewrite(LOOSE, 4, 4, score=0.62)
    (out,) = demote_restatements([edge], _fire_records(), voices=voices)
    ev = out.direction_evidence["restatement"]
    assert out.kind == "same-story" and ev["why"] == "own-figures" and undo_reconcile(out) == edge
    assert ev["source_own_figures"] == ["3.4", "7", "44", "51"] and ev["derived_own_figures"] == ["21", "240"]
    assert ev["derived_new_speakers"] == ["Mari Dahl"] and "each gives figures the other lacks" in out.rule
    # Nobody new on the side with fewer figures of its own: a restyle that drops the wire's
    # speaker and changes a figure or two looks the same by its figures.
    dropped = {"agency": (frozenset({"Mari Dahl"}), frozenset({"Mari Dahl"})), "report": (frozenset(), frozenset())}
    assert demote_restatements([edge], _fire_records(), voices=dropped) == [edge]
    # The radio's figures all in the wire: a condensed rewrite, whoever it quotes.
    kept = RADIO_FIRE.replace("82 firefighters and 21 fire engines", "80 firefighters").replace(
        "The plant's 240 employees will be paid in full.", "")
    assert demote_restatements([edge], _fire_records(kept), voices=voices) == [edge]
    # Most of both texts aligned: a rewrite, whatever its figures.
    assert demote_restatements([rewrite(LOOSE, 1, 1)], _fire_records(), voices=voices)[0].kind == "rewrite"
    # No voices known (the reuse benchmark): the rule is not asked.
    assert demote_restatements([edge], _fire_records()) == [edge]
    assert own_figures(edge, {}, voices) is None


# --- counts of two things in one story ---------------------------------------------------------


def _two_claims_contradict(text_a: str, text_b: str, cosine: float = 0.8) -> list[Any]:
    """Contradiction flags between two sourced claims of two independent articles."""
    a = Article(id="a", source="a", format="text", published_at=T0, text=f"{text_a}, the club said.")
    b = Article(id="b", source="b", format="text", published_at=T0 + timedelta(hours=1),
                text=f"{text_b}, the agency said.")
    vectors = np.array([[1.0, 0.0], [cosine, float(np.sqrt(1 - cosine ** 2))]], dtype=np.float32)
    story = StoryInput("s", [a, b], [claim(a, text_a, "the club"), claim(b, text_b, "the agency")],
                       origin_of={}, origin_article={})
    return [f for f in corroborate(story, vectors=vectors, embed_fn=fake_embed)[1] if f.kind == "contradiction"]


def test_two_counts_of_two_things_are_no_contradiction() -> None:
    """One story's figures are of many things: points in the table and goals scored, a buyer's
    sales and the target's order book (both in euros). A fee and a price paid are one thing."""
    from newstrace.figures import counted_nouns, frames_meet

    assert counted_nouns("nine points behind the leaders, with 19 league goals") == {"num:9": "point", "num:19": "league"}
    assert counted_nouns("a fee of 14 million euros") == {"num:1.4e+07": "money"}
    assert frames_meet(frozenset({"euro", "sale"}), frozenset({"euro", "stood"})) == frozenset()
    assert slot_frames("The true cost is 58 goals in 142 games")["num:142"] == frozenset({"game"})
    assert _two_claims_contradict("Lindhaven are nine points behind the leaders",
                                  "Lindhaven's striker scored 19 league goals") == []
    assert _two_claims_contradict("Selvane had sales of 6.8 billion euros last year",
                                  "Selvane's order book stood at 2.9 billion euros last year", 0.6) == []
    assert len(_two_claims_contradict("Real Montaval paid 11 million euros for the striker Malk",
                                      "The fee was 14 million euros for the striker Malk")) == 1
    # A figure with nothing near it that says what it counts: only between claims told alike.
    assert _two_claims_contradict("Selvane rose 24 per cent", "Selvane said 18 per cent", 0.6) == []


def test_a_rewrite_keeping_a_condition_or_a_passive_hedge_changes_no_hedge() -> None:
    """"could face ten years if convicted" / "If convicted, he faces ten years" is still a
    condition; "is believed to" / "is thought to" is still a hedge; "I would ask everyone not to
    speculate," she said / "She urged everyone not to speculate" keeps its speaker."""
    from newstrace.claim_diff import hedge_words

    assert hedge_words("The blaze is thought to have begun in a store room.") == ("thought",)
    up = Article(id="up", source="up", format="text", published_at=T0,
                 text="Venholt could face up to ten years in prison if convicted, prosecutors said. "
                      "The blaze is believed to have started in a store room, officials said. "
                      "\"I would ask everyone not to speculate,\" the inspector said.")
    down = Article(id="down", source="down", format="text", published_at=T0 + timedelta(hours=1),
                   text="If convicted, Venholt faces up to ten years in prison, prosecutors said. "
                        "The blaze is thought to have begun in a store room, officials said. "
                        "The inspector urged everyone not to speculate.")
    ups = [claim(up, "Venholt could face up to ten years in prison if convicted", "prosecutors", "speculated"),
           claim(up, "The blaze is believed to have started in a store room", "officials", "speculated"),
           claim(up, "I would ask everyone not to speculate", "the inspector")]
    urged = replace(claim(down, "The inspector urged everyone not to speculate", None), method="directive-rules")
    downs = [claim(down, "If convicted, Venholt faces up to ten years in prison", "prosecutors"), urged]
    story = StoryInput("s", [up, down], ups + downs, origin_of={"up": "g", "down": "g"}, origin_article={"g": "up"},
                       edges=[ReuseEdge("up", "down", "rewrite", 0.9, "test", directed=True)])
    _, flags = corroborate(story, embed_fn=fake_embed)
    assert [(f.kind, f.summary) for f in flags if f.kind in ("hedge-changed", "attribution-dropped")] == []
    # Without the condition the rewrite asserts what the source hedged.
    plain = Article(id="down", source="down", format="text", published_at=T0 + timedelta(hours=1),
                    text="Venholt faces up to ten years in prison, prosecutors said.")
    story = StoryInput("s", [up, plain], ups[:1] + [claim(plain, "Venholt faces up to ten years in prison", "prosecutors")],
                       origin_of={"up": "g", "down": "g"}, origin_article={"g": "up"},
                       edges=[ReuseEdge("up", "down", "rewrite", 0.9, "test", directed=True)])
    assert [f.kind for f in corroborate(story, embed_fn=fake_embed)[1] if f.kind == "hedge-changed"] == ["hedge-changed"]


# --- a brief, then the full report ----------------------------------------------------------

BRIEF = ("Two workers were killed in a fire at a paint factory in Hesby early on Tuesday, the fire service "
         "said. Seven people were taken to hospital.")
FULL = ("Two workers died when fire swept through the Tamlin paint factory in Hesby early on Tuesday. "
        "The blaze started at about 3.40 a.m. in the mixing hall, where 14 people were working the night "
        "shift. Seven people were taken to hospital, among them two firefighters. The dead men, aged 44 "
        "and 51, had worked at the plant for years. \"We heard a bang and then the whole roof was alight,\" "
        "said Jonas Brekk, the night supervisor. The company employs about 240 people in the town and "
        "said the plant would stay shut for the rest of the week. Police have opened an inquiry. Fire "
        "crews were still damping down the building at midday, and a road beside it stayed closed.")


def _brief_records(brief_first: bool = True, dated: bool = True) -> list[Record]:
    t_brief, t_full = (T0, T0 + timedelta(hours=6)) if brief_first else (T0 + timedelta(hours=6), T0)
    return [Record("agency", BRIEF, t_brief if dated else None, outlet="Wire"),
            Record("report", FULL, t_full if dated else None, outlet="Courier")]


def test_a_full_report_after_a_brief_is_no_rewrite_of_it() -> None:
    """The brief's two sentences are both in the report, so nothing is the brief's own; but the
    report, published later at four times its length, adds the hour, the ages, the staff and a
    witness: the outlet's own reporting, not the brief padded out."""
    voices = {"agency": (frozenset(), frozenset()),
              "report": (frozenset({"Jonas Brekk"}), frozenset({"Jonas Brekk"}))}
    b, f = BRIEF.split(". "), FULL.split(". ")
    edge = rewrite([pair(0, 0, b[0], f[0]), pair(1, 2, b[1], f[2])], 2, 9, score=0.79)
    (out,) = demote_restatements([edge], _brief_records(), voices=voices)
    ev = out.direction_evidence["restatement"]
    assert out.kind == "same-story" and ev["why"] == "expansion" and undo_reconcile(out) == edge
    assert (ev["article"], ev["earlier"]) == ("report", "agency") and ev["new_speakers"] == ["Jonas Brekk"]
    assert ev["own_figures"] == ["3.4", "14", "44", "51", "240"]
    assert ev["words"] == [len(BRIEF.split()), len(FULL.split())]
    assert "the later, longer article is mostly its own reporting" in out.rule and "1 person (Jonas Brekk)" in out.rule
    # The long one first: the brief condenses it, a rewrite.
    assert demote_restatements([edge], _brief_records(brief_first=False), voices=voices) == [edge]
    # No times: which one grew from the other is unknown, so the rule is not asked.
    assert demote_restatements([edge], _brief_records(dated=False), voices=voices) == [edge]
    # Nobody of its own: padding with figures, say, the story of an LLM that pads out a brief.
    silent = {"agency": (frozenset(), frozenset()), "report": (frozenset(), frozenset())}
    assert demote_restatements([edge], _brief_records(), voices=silent) == [edge]
    # Half of the longer text aligned: it restates the brief more than it reports.
    half = rewrite(edge.pairs, 2, 4, score=0.79)
    assert demote_restatements([half], _brief_records(), voices=voices) == [half]
    # Three figures of its own are too few.
    fewer = FULL.replace(", aged 44 and 51,", "")
    records = [_brief_records()[0], Record("report", fewer, T0 + timedelta(hours=6), outlet="Courier")]
    assert demote_restatements([edge], records, voices=voices) == [edge]
