"""Attribution extraction and claim properties. Every text here is written by the newstrace team."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from newstrace import attribution_crf as ac
from newstrace.attribution import _is_quoted
from newstrace.hedging import LEVELS
from newstrace.model import Claim

# --- no spaCy needed ------------------------------------------------------------------------


def test_lexicon_documents_every_hedge_level() -> None:
    lex = ac.lexicon()
    for level in ("denied", "alleged", "speculated", "reported"):
        assert lex["hedges"][level], level
    assert set(LEVELS) == {"denied", "alleged", "speculated", "reported", "asserted"}
    assert ac.cue_lemmas()["say"] == "speech"
    assert ac.cue_lemmas()["believe"] == "belief"


def test_spans_from_bio_is_lenient_about_orphan_inside_tags() -> None:
    labels = ["B-source", "I-source", "B-cue", "O", "I-content", "I-content", "B-content"]
    assert ac.spans_from_bio(labels) == [
        ("source", 0, 2), ("cue", 2, 3), ("content", 4, 6), ("content", 6, 7)]


@pytest.mark.parametrize("marks", [('"', '"'), ("\u201c", "\u201d"), ("``", "''")])
def test_quote_state_straight_curly_and_ptb(marks: tuple[str, str]) -> None:
    words = [marks[0], "We", "will", "open", ",", marks[1], "he", "said"]
    toks = [SimpleNamespace(text=w) for w in words]
    assert ac.quote_state(toks) == [2, 1, 1, 1, 1, 2, 0, 0]


def test_is_quoted_straight_and_curly() -> None:
    text = 'He said "the plant will open" and \u201cit will hire\u201d soon; the plant opened.'
    assert _is_quoted(text, text.index('"'), text.index('open"') + 5)
    assert _is_quoted(text, text.index("it will"), text.index("hire") + 4)
    assert not _is_quoted(text, text.index("the plant opened"), len(text) - 1)


# --- with spaCy -----------------------------------------------------------------------------


def claims(text: str) -> list[Claim]:
    from newstrace.attribution import extract_claims_from_text

    return extract_claims_from_text(text, "t1")


def find(cs: list[Claim], content_word: str) -> Claim:
    hits = [c for c in cs if content_word in c.content.text]
    assert hits, [c.content.text for c in cs]
    return hits[0]


@pytest.mark.slow
def test_speech_cue_offsets_point_into_the_article() -> None:
    text = ("Ferry Plan Approved\n"
            "Mayor Jonas Varga said on Monday that the ferry will carry 300 passengers from 1 June 2027.")
    cs = claims(text)
    c = find(cs, "ferry")
    for span in (c.content, c.cue, c.source):
        assert span is not None and text[span.start:span.end] == span.text
    assert c.cue.text == "said"
    assert "Jonas Varga" in c.source.text
    assert c.source_kind == "person" and c.source_entity == "Jonas Varga"
    assert not c.is_direct_quote
    assert c.hedge == "asserted"
    assert any("300" in n for n in c.numbers)
    assert any("2027" in d for d in c.dates)
    assert c.sentence_index == 1
    assert c.id == claims(text)[0].id  # stable across runs


@pytest.mark.slow
def test_belief_cue() -> None:
    c = find(claims("Economists at the Nordvik Institute believe that the harbour tax will fall next year."), "tax")
    assert c.cue is not None and "believe" in c.cue.text
    assert c.hedge == "speculated"


@pytest.mark.slow
def test_according_to() -> None:
    c = find(claims("The bridge will close for two weeks in March, according to the Nordvik Transport Agency."),
             "bridge")
    assert c.cue is not None and "according" in c.cue.text
    assert c.source is not None and "Transport Agency" in c.source.text
    assert c.source_kind == "organisation"


@pytest.mark.slow
def test_according_to_after_the_whole_clause() -> None:
    """The tagger took only "the factory's mixing hall" of what the fire service is cited for:
    the content of a trailing "according to" runs back to the sentence's start."""
    c = find(claims("The fire started shortly after 2 a.m. in the factory's mixing hall, according to the fire "
                    "service."), "mixing hall")
    assert c.cue is not None and c.cue.text == "according to" and c.source is not None
    assert c.content.text == "The fire started shortly after 2 a.m. in the factory's mixing hall"


@pytest.mark.slow
def test_sourceless_report_is_reported() -> None:
    c = find(claims("It was reported that the mill will shut its doors in 2026."), "mill")
    assert c.source is None or c.source.text.lower() == "it"
    assert c.hedge == "reported"


@pytest.mark.slow
@pytest.mark.parametrize("open_q,close_q", [('"', '"'), ("\u201c", "\u201d")])
def test_quote_interrupted_by_cue(open_q: str, close_q: str) -> None:
    text = f"{open_q}The plant,{close_q} Tomas Berg said, {open_q}will open before the winter.{close_q}"
    cs = claims(text)
    assert cs
    c = cs[0]
    assert c.is_direct_quote
    assert c.cue is not None and c.cue.text == "said"
    assert "plant" in c.content.text
    assert c.source_kind == "person"


@pytest.mark.slow
def test_multi_sentence_quote_and_pronoun_resolution() -> None:
    text = ("Anna Lind runs the Kestrel shipyard.\n"
            "\u201cWe will hire 40 welders. The order book is full until 2028,\u201d she said.")
    c = find(claims(text), "welders")
    assert c.is_direct_quote
    assert "2028" in c.content.text
    assert c.source is not None and c.source.text == "she"
    assert c.source_entity == "Anna Lind" and c.source_kind == "person"


@pytest.mark.slow
@pytest.mark.parametrize("source,kind", [
    ("A Russian military expert", "anonymous"),  # unnamed: no one the reader could check
    ("The defence minister", "role"),
    ("A ministry spokesman", "role"),  # speaks on the ministry's record
    ("Diplomats involved in the talks", "anonymous"),
    ("One of the people briefed on the talks", "anonymous"),
    ("A source close to the ministry", "anonymous"),
    ("People familiar with the plans", "anonymous"),
    ("Officials who declined to be named", "anonymous"),
    ("The Nordvik Harbour Authority", "organisation"),
])
def test_source_kinds(source: str, kind: str) -> None:
    c = find(claims(f"{source} said that the convoy had crossed the river on Tuesday."), "convoy")
    assert c.source is not None
    assert c.source_kind == kind, (c.source.text, c.source_kind)


@pytest.mark.slow
@pytest.mark.parametrize("sentence,level,cue_word", [
    ("The minister said the harbour will reopen in May.", "asserted", None),
    ("The minister reportedly said the harbour will reopen in May.", "reported", "reportedly"),
    ("The minister claims the harbour will reopen in May.", "alleged", "claims"),
    ("The minister said the harbour allegedly reopened in May.", "alleged", "allegedly"),
    ("The minister said the harbour may reopen in May.", "speculated", "may"),
    ("The report suggests that the harbour will reopen in May.", "speculated", "suggests"),
    ("The minister denied that the harbour will reopen in May.", "denied", "denied"),
    ("The minister did not say that the harbour will reopen in May.", "denied", "not"),
])
def test_hedge_levels(sentence: str, level: str, cue_word: str | None) -> None:
    c = find(claims(sentence), "harbour")
    assert c.hedge == level, (c.cue, c.hedge_cues)
    if cue_word:
        assert cue_word in [h.text for h in c.hedge_cues]
    else:
        assert c.hedge_cues == ()


@pytest.mark.slow
def test_rules_method_works_without_model() -> None:
    from newstrace.attribution import extract_claims
    from newstrace.nlp import spacy_pipeline

    doc = spacy_pipeline("full")("\"We will win,\" said Ilse Brandt. Critics said the plan would fail.")
    cs = extract_claims(doc, "t2", method="rules")
    assert [c.method for c in cs] == ["rules", "rules"]
    assert cs[0].is_direct_quote and cs[0].source_kind == "person"


@pytest.mark.slow
def test_hedge_adverb_alone_makes_a_sourceless_reported_claim() -> None:
    c = find(claims("The Tarnow yard will reportedly build four patrol boats for the coast guard."), "patrol")
    assert c.source is None and c.source_kind == "none"
    assert c.hedge == "reported" and [h.text for h in c.hedge_cues] == ["reportedly"]


@pytest.mark.slow
def test_anonymity_marker_after_the_source() -> None:
    text = "\u201cThe convoy turned back at the border,\u201d said a military expert, who requested anonymity."
    c = find(claims(text), "convoy")
    assert c.is_direct_quote
    assert c.source_kind == "anonymous"


@pytest.mark.slow
def test_unnamed_organisation_points_back_to_the_last_organisation() -> None:
    text = ("The Nordvik Transport Agency opened a tender in May.\n"
            "The agency said that twelve firms had applied by Friday.")
    c = find(claims(text), "firms")
    assert c.source_kind == "organisation"
    assert c.source_entity == "The Nordvik Transport Agency"


@pytest.mark.slow
def test_reports_without_an_outlet_are_anonymous_sources() -> None:
    text = ("Harbour talks\n"
            "The port board has not named the buyer. According to unverified reports, talks on a sale of the "
            "northern quay began last winter.")
    c = find(claims(text), "talks on a sale")
    assert c.source is not None and "reports" in c.source.text
    assert c.source_kind == "anonymous" and c.hedge == "reported"


@pytest.mark.slow
def test_unattributed_number_statements_become_fact_claims_only_when_asked() -> None:
    from newstrace.attribution import extract_claims
    from newstrace.nlp import spacy_pipeline

    text = ("Harbour works\n"
            "Coastline Monitor, 9 February 2026\n"
            "The new quay will open on 14 March and will employ 240 dockers. The mayor said the city may pay.")
    doc = spacy_pipeline("full")(text)
    plain = extract_claims(doc, "t")
    with_facts = extract_claims(doc, "t", facts=True)
    facts = [c for c in with_facts if c.method == "fact-rules"]
    assert not any(c.method == "fact-rules" for c in plain)
    assert [c.content.text for c in facts] == ["The new quay will open on 14 March and will employ 240 dockers"]
    assert facts[0].source is None and facts[0].source_kind == "none" and "240" in facts[0].numbers
    # A sentence the parser roots on its subject ("The *budget* passed by ...") still states
    # something; a question states nothing.
    doc = spacy_pipeline("full")("How many dockers were hired in 2025? The budget passed by 27 votes to 22.")
    assert [c.content.text for c in extract_claims(doc, "t", facts=True)] == ["The budget passed by 27 votes to 22"]


@pytest.mark.slow
def test_a_cue_after_a_finished_quote_keeps_its_own_complement() -> None:
    text = ('Harbour councillor Mira Tallis said the budget "leaves out the new pier, and the whole '
            'council knows it." She claimed the final cost could be a quarter higher.')
    c = find(claims(text), "final cost")
    assert c.cue is not None and c.cue.text == "claimed"
    assert c.content.text == "the final cost could be a quarter higher"
    assert c.hedge == "alleged"
    quote = find(claims(text), "new pier")
    assert quote.cue is not None and quote.cue.text == "said"


@pytest.mark.slow
@pytest.mark.parametrize("sentence,content,cue", [
    ("There is no evidence that a gas leak caused the fire at the Tarnow depot.",
     "a gas leak caused the fire at the Tarnow depot", "no evidence"),
    ("No evidence has emerged that the Halvik bridge was sabotaged.", "the Halvik bridge was sabotaged", "No evidence"),
    ("It is not true that the mayor of Brenn resigned on Friday.", "the mayor of Brenn resigned on Friday",
     "is not true"),
    ("The claim that 340 people were taken to hospital is false.", "340 people were taken to hospital", "is false"),
])
def test_a_denial_in_the_articles_own_voice_is_a_denied_claim(sentence: str, content: str, cue: str) -> None:
    """A fact check's verdicts carry no source; they still deny a claim other articles make."""
    c = find(claims(sentence), content.split()[1])
    assert (c.content.text, c.cue.text if c.cue else None) == (content, cue)
    assert c.hedge == "denied" and c.source is None and c.method == "denial-rules"


@pytest.mark.slow
def test_a_sources_denial_keeps_its_source() -> None:
    cs = claims("The minister said there was no evidence that the bridge was sabotaged. The result is true.")
    assert [c.method for c in cs if c.method == "denial-rules"] == []
    assert find(cs, "sabotaged").source is not None
