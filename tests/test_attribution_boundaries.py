"""Sentence boundaries in attribution grouping, and lexicon verbs that are not hedges.

Every text here is invented by the newstrace team. The defects these guard against:

* a cue taking the *neighbouring* sentence as its content ("<A>. According to X, <B>." gave
  A, and B was lost), while a quote running over two sentences must stay one content;
* "report" as the claim's own verb ("ordered officials not to report the cases") read as the
  "reported" hedge, while "was reported to", "reportedly", "according to reports" still are.
"""

from __future__ import annotations

import pytest

from newstrace.attribution import fill_from_rules
from newstrace.model import Claim

# --- no spaCy needed ------------------------------------------------------------------------


def _bio(n: int, *spans: tuple[str, int, int]) -> list[str]:
    out = ["O"] * n
    for comp, s, e in spans:
        out[s:e] = [f"B-{comp}"] + [f"I-{comp}"] * (e - s - 1)
    return out


def test_neighbouring_sentence_content_does_not_block_the_cues_own() -> None:
    # 0-4 "A received money ." | 5-6 "According to" 7 "staff" 8 "," 9-13 "B stores samples ."
    crf = _bio(14, ("content", 0, 3), ("cue", 5, 7), ("source", 7, 8))
    rules = _bio(14, ("cue", 5, 7), ("source", 7, 8), ("content", 9, 13))
    units = [0] * 5 + [1] * 9
    out = fill_from_rules(crf, rules, units)
    assert out[9:13] == ["B-content", "I-content", "I-content", "I-content"]
    assert out[0:3] == crf[0:3]  # the CRF's own labels are left alone
    # Without sentence units the old, paragraph-wide reading stands (content already found).
    assert fill_from_rules(crf, rules)[9:13] == ["O"] * 4


# --- with spaCy -----------------------------------------------------------------------------


def claims(text: str) -> list[Claim]:
    from newstrace.attribution import extract_claims_from_text

    return extract_claims_from_text(text, "t1")


def by_cue(cs: list[Claim], cue_word: str) -> Claim:
    hits = [c for c in cs if c.cue is not None and cue_word.lower() in c.cue.text.lower()]
    assert hits, [(c.cue and c.cue.text, c.content.text) for c in cs]
    return hits[0]


@pytest.mark.slow
@pytest.mark.parametrize("text,cue,own,other", [
    ("The shipyard has built patrol boats since 2019, and the shipyard received money from the Coastal "
     "Defence Fund. According to former welders, the yard also stores explosives in a sealed hangar.",
     "According to", "stores explosives", "Coastal Defence Fund"),
    ("The port was expanded in 2020 with money from the Baltic Trade Partnership. According to dock "
     "workers, the port also handles weapons shipments at night.",
     "According to", "weapons shipments", "Baltic Trade"),
    ("The clinic opened in 2015 and has treated patients with money from the Riverside Care Trust. "
     "According to two nurses, the clinic also keeps blood samples in an unlicensed freezer.",
     "According to", "blood samples", "Riverside"),
    ("The factory, run by the Northern Battery Company (NBC), has made batteries since 2018 using a grant "
     "from the Green Industry Partnership. Former engineers say toxic sludge is stored in a pit behind the plant.",
     "say", "toxic sludge", "Green Industry"),
    ("Tolls on the bridge rose by 12 percent in March. According to the transport agency, the tolls will "
     "rise again in the autumn.",
     "According to", "rise again", "12 percent"),
    ("Ilse Brandt said the bridge would reopen in May. Traffic on the coast road has doubled since the closure.",
     "said", "reopen in May", "Traffic"),
])
def test_cue_takes_the_content_of_its_own_sentence(text: str, cue: str, own: str, other: str) -> None:
    c = by_cue(claims(text), cue)
    assert own in c.content.text
    assert other not in c.content.text
    assert "." not in c.content.text.rstrip(".")  # one sentence


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "\u201cWe will hire 40 welders. The order book is full until 2028,\u201d Anna Lind said.",
    "Anna Lind said: \u201cWe will hire 40 welders. The order book is full until 2028.\u201d",
    "\u201cWe will hire 40 welders,\u201d Anna Lind said. \u201cThe order book is full until 2028.\u201d",
])
def test_a_quote_over_two_sentences_keeps_both_under_its_speaker(text: str) -> None:
    """One quotation in one run stays one content; a quotation that runs on after its cue
    into a sentence of its own is a second claim, with the same cue and speaker."""
    cs = [c for c in claims(text) if c.cue is not None and c.cue.text.startswith("said")]
    assert len(cs) == (2 if text.endswith("2028.\u201d") and text.startswith("\u201c") else 1)
    assert any("welders" in c.content.text for c in cs) and any("2028" in c.content.text for c in cs)
    assert all(c.is_direct_quote and c.source is not None and c.source.text == "Anna Lind" for c in cs)
    assert not any("Lind said" in c.content.text for c in cs)


# --- "report" as the claim's own verb is not a hedge ---------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("text,word,level,hedge_word", [
    # the claim's own verb: not a hedge
    ("Officials said the minister had ordered doctors not to report the cases.", "cases", "asserted", None),
    ("Mayor Lena Holm told the clerks not to report the payments to the auditors, according to emails "
     "seen by the newspaper.", "payments", "asserted", None),
    ("Port director Ivo Brask ordered the crews not to report the spill to the coast guard, documents "
     "from a former clerk show.", "spill", "asserted", None),
    ("The firm failed to report income of 2 million euros, the auditor said.", "income", "asserted", None),
    ("Officials said the ministry rejected the offer from the shipyard.", "offer", "asserted", None),
    ("Officials said the appeal was rejected on Monday.", "appeal", "asserted", None),
    ("Officials said the income was not reported to the tax office.", "income", "asserted", None),
    # a verb framing the claim, or a hedge adverb / source: still hedges
    ("The minister was reported to have ordered doctors to hide the cases.", "doctors", "reported", "reported"),
    ("It is reported that the minister ordered doctors to hide the cases.", "doctors", "reported", "reported"),
    ("Reports say the minister ordered doctors to hide the cases.", "doctors", "reported", "Reports"),
    ("According to reports, the minister ordered doctors to hide the cases.", "doctors", "reported", "reports"),
    ("Officials said the minister reportedly ordered doctors to hide the cases.", "doctors", "reported",
     "reportedly"),
    ("Officials said the driver had been accused of speeding twice before.", "driver", "alleged", "accused"),
    ("First pictures are expected within ten days, the agency said.", "pictures", "speculated", "expected"),
    # "allegedly" is read once "report" no longer competes with it
    ("Defence Minister Pavel Orlik allegedly ordered hospital officials not to report the cases, "
     "officials said.", "cases", "alleged", "allegedly"),
    ("Defence Minister Pavel Orlik allegedly ordered hospital officials not to report the cases.",
     "cases", "alleged", "allegedly"),
    ("Defence Minister Pavel Orlik allegedly told hospital officials not to report the cases to the "
     "health authorities.", "cases", "alleged", "allegedly"),
])
def test_lexicon_verbs_hedge_only_as_a_frame(text: str, word: str, level: str, hedge_word: str | None) -> None:
    hits = [c for c in claims(text) if word in c.content.text]
    assert hits, text
    c = hits[0]
    assert c.hedge == level, (c.content.text, c.cue, c.hedge_cues)
    if hedge_word:
        assert hedge_word in [h.text for h in c.hedge_cues]
    else:
        assert c.hedge_cues == ()


@pytest.mark.slow
def test_an_infinitive_taken_for_a_cue_sets_no_hedge() -> None:
    # Whatever the tagger makes of "not to report", neither "report" nor its "not" is a hedge
    # or a denial; the "allegedly" on the order is.
    cs = claims("Defence Minister Pavel Orlik allegedly ordered hospital officials not to report the cases "
                "to national authorities.")
    assert any(c.hedge == "alleged" and "allegedly" in [h.text for h in c.hedge_cues] for c in cs)
    for c in cs:
        assert c.hedge not in ("denied", "reported"), (c.cue, c.content.text, c.hedge_cues)


@pytest.mark.slow
@pytest.mark.parametrize("text,giver", [
    ("Transport Minister Hela Brandt ordered port officials to close the northern quay, two harbour pilots "
     "said.", None),
    ("Mayor Ivo Kessel told the building inspectors not to sign off the new school until March.", "Mayor Ivo Kessel"),
    ("The union urged its members to stay away from the depot on Monday.", "The union"),
    ("Mayor Elsa Rand ordered the bathing area at Tolle beach closed until the water tests are known.",
     "Mayor Elsa Rand"),
    # The small parser reads "shut" here as a noun (the object, or the object of "at").
    ("Mayor Elsa Rand ordered the swimming area at Tolle beach shut until the water tests are back.",
     "Mayor Elsa Rand"),
    ("The harbour master ordered the quay shut.", "The harbour master"),
    ("Mayor Elsa Rand ordered the swimming area at Tolle beach shut until water tests are back. \"Health comes "
     "first,\" she said.", "Mayor Elsa Rand"),
])
def test_an_order_is_a_claim_of_the_article_not_of_the_one_who_gave_it(text: str, giver: str | None) -> None:
    """ "X ordered Y to Z" reports an event: no claim has X as its source with "Y to Z" as its
    content; where no outer source reports the order, the whole clause, giver included, is a
    source-less claim."""
    cs = claims(text)
    order_word = next(w for w in ("ordered", "told", "urged") if w in text)
    assert not [c for c in cs if c.cue is not None and c.cue.text == order_word and c.source is not None]
    if giver is not None:
        (event,) = [c for c in cs if c.method == "directive-rules"]
        assert event.content.text.startswith(giver) and event.source is None and event.source_kind == "none"


@pytest.mark.slow
def test_a_that_clause_after_tell_stays_speech() -> None:
    cs = claims("Mayor Ivo Kessel told reporters that the new school would open in March.")
    assert any(c.source is not None and c.source.text == "Mayor Ivo Kessel" and c.cue.text == "told" for c in cs)
    assert not [c for c in cs if c.method == "directive-rules"]


@pytest.mark.slow
def test_the_addressee_of_told_is_not_part_of_the_content() -> None:
    """ "told Nordlake Wire the town hadn't closed ..." is the town's claim; the outlet's name in
    the content would dilute every comparison of it."""
    cs = claims("Mayor Elsa Marnholt told the Tarnby Courier the ferry had not run on Sunday.")
    told = [c for c in cs if c.cue is not None and c.cue.text == "told"]
    assert told and told[0].content.text.startswith("the ferry")


@pytest.mark.slow
def test_a_failed_confirmation_leaves_a_claim_unverified_not_denied() -> None:
    (c,) = [c for c in claims("Police could not confirm reports that the fire started in the boiler room.")
            if "boiler" in c.content.text]
    assert c.hedge == "reported"
    (d,) = [c for c in claims("The ministry did not say when the plant would reopen.") if "reopen" in c.content.text]
    assert d.hedge == "denied"


@pytest.mark.slow
def test_a_cue_negated_for_emphasis_denies_nothing() -> None:
    """"did not mince his words" says the words were said outright."""
    cs = [c for c in claims('Minister Belozerov did not mince his words: "We will respond to any threat to our '
                            'territory."') if "respond" in c.content.text]
    assert cs and all(c.hedge == "asserted" for c in cs), [(c.hedge, c.cue) for c in cs]


@pytest.mark.slow
def test_the_givers_words_after_an_order_stay_a_claim() -> None:
    """The tagger may run an order's content on into the quote that follows it; the order
    becomes the article's claim and the quote stays the giver's, under "said"."""
    cs = claims("Mayor Elsa Rand ordered the bathing area at Tolle beach closed until the results of water tests "
                "are known. \"People's health comes first. We will reopen the beach as soon as the samples are "
                "clear,\" she said.")
    assert [c for c in cs if c.method == "directive-rules" and c.content.text.endswith("are known")]
    (quote,) = [c for c in cs if "health comes first" in c.content.text]
    assert quote.source is not None and quote.source.text == "Mayor Elsa Rand" and quote.is_direct_quote
    assert "ordered" not in quote.content.text and quote.cue.text == "said"


@pytest.mark.slow
def test_a_surname_the_tagger_took_for_an_organisation_is_the_person_named_before() -> None:
    cs = claims("Greve denied the charges, his lawyer, Mira Fosse, told reporters. "
                "\"The tender records will show that every contract was lawful,\" Fosse said.")
    c = by_cue(cs, "said")
    assert c.source is not None and c.source.text == "Fosse"
    assert c.source_kind == "person" and c.source_entity == "Mira Fosse"


@pytest.mark.slow
@pytest.mark.parametrize("text,source,kind,content_start,hedge", [
    # What follows "according to" is its source, never content.
    ("Amsel's consultancy received 14 transfers from shipping firms in 2020 alone, according to bank records "
     "shown to the court.", "bank records shown to the court", None, "Amsel's consultancy", "asserted"),
    # A lone "according to X" lends X to the sentence's claim that has none.
    ("The 24-year-old is expected to undergo a medical later this week, according to sources close to the "
     "player.", "sources close to the player", "anonymous", None, "speculated"),
    # An accusation's object and its "of" phrase are what is alleged.
    ("The prosecution also accused Greve of lying to port auditors in 2021.", "The prosecution", "organisation",
     "Greve of lying", "alleged"),
    # A speech verb's subject is its source, however long.
    ("A witness, who did not want to be named, said the robbers had arrived in a grey van.",
     "A witness, who did not want to be named", "anonymous", "the robbers", "asserted"),
    # The tagger marks "According to" as the cue and the source as neither source nor content.
    ("According to the inspector, the older of the two men was released from prison in March.",
     "the inspector", "role", "the older of the two men", "asserted"),
    # It splits the sentence in two: "said" with a source, "in a statement" with the content.
    ("The zoo's press office said in a news release that the tortoise \"eats plastic\".",
     "The zoo's press office", "organisation", "the tortoise", "asserted"),
])
def test_slips_of_the_tagger_mended_by_the_parse(text: str, source: str, kind: str | None,
                                                  content_start: str | None, hedge: str) -> None:
    (c,) = claims(text)
    assert c.source is not None and c.source.text == source
    assert kind is None or c.source_kind == kind
    assert content_start is None or c.content.text.startswith(content_start)
    assert c.hedge == hedge


@pytest.mark.slow
@pytest.mark.parametrize("text,outer,inner,content", [
    ("The minister said police in Talvar had told her that rebel units were moving into the hills.",
     "The minister", "police in Talvar", "rebel units were moving into the hills"),
    ("Union leader Per Dahl said he had been told by Solbakk managers that no closures were planned.",
     "Union leader Per Dahl", "Solbakk managers", "no closures were planned"),
    # The tagger stops the outer content at "told" and reads "asked them not to" as an order.
    ("The councillor said two port officials had told him that the harbour office asked them not to publish the survey.",
     "The councillor", "two port officials", "the harbour office asked them not to publish the survey"),
])
def test_an_attribution_inside_a_claim_is_a_claim_of_its_own(text: str, outer: str, inner: str, content: str) -> None:
    """On whose word: the outer speaker says the inner source told them; both are claims."""
    cs = claims(text)
    assert any(c.source is not None and c.source.text == outer and inner in c.content.text
               and c.content.text.endswith(content) for c in cs)
    (nested,) = [c for c in cs if c.method == "nested-rules"]
    assert nested.source is not None and nested.source.text == inner and nested.content.text == content


@pytest.mark.slow
@pytest.mark.parametrize("text,first,first_hedge,cue,second,second_hedge", [
    ("The Coastal League denied that its members had blocked the harbour road and accused port police of "
     "beating protesters.", "its members had blocked the harbour road", "denied", "accused",
     "port police of beating protesters", "alleged"),
    ("Lindqvist rejected claims that the lab had inflated its results, saying the summary had been "
     "published without her consent.", "the lab had inflated its results", "denied", "saying",
     "the summary had been published without her consent", "asserted"),
])
def test_a_second_statement_run_into_a_claims_content_is_its_own_claim(
        text: str, first: str, first_hedge: str, cue: str, second: str, second_hedge: str) -> None:
    """A denial and the counter-accusation or reason that follows it are two claims of one
    source: kept as one, the accusation was denied along with the denial."""
    cs = claims(text)
    one = next(c for c in cs if c.content.text.endswith(first))
    two = next(c for c in cs if c.content.text == second)
    assert one.hedge == first_hedge and two.hedge == second_hedge
    assert two.cue is not None and two.cue.text == cue
    assert one.source is not None and two.source is not None and one.source.text == two.source.text


@pytest.mark.slow
def test_a_quotation_run_on_into_its_own_sentence_is_a_claim_of_its_own() -> None:
    """Each sentence of a quotation carries its own hedge: "We believe" hedges the second only."""
    cs = claims('Inspector Mara Holm spoke in Brenn on Monday. "The van was found burnt out near the quarry," '
                'Holm said. "We believe the driver is still in the Brenn area."')
    first = next(c for c in cs if "quarry" in c.content.text)
    second = next(c for c in cs if "still in the Brenn area" in c.content.text)
    assert first is not second and "Holm said" not in first.content.text
    assert first.hedge == "asserted" and second.hedge == "speculated"
    assert first.source_entity == second.source_entity == "Mara Holm"
