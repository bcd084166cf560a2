"""Negated clauses: what a claim says is not so, read positively, with the words it negates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.negation import clauses, negated_clauses, negated_terms, stated_stems, states_fact, stem
from newstrace.reuse import content_terms


def test_a_negated_clause_is_read_positively_with_the_words_it_negates() -> None:
    (n,) = negated_clauses("it had not admitted 340 patients with respiratory illness")
    assert n.positive == "it had admitted 340 patients with respiratory illness"
    assert n.negated == {"admit", "340", "patient"}
    (n,) = negated_clauses("the council said that no schools had been closed")
    assert n.positive == "the council said that schools had been closed"
    (n,) = negated_clauses("He didn't pay taxes for 18 years")
    assert n.positive == "He did pay taxes for 18 years" and "didn't" not in " ".join(n.terms)
    (n,) = negated_clauses("nobody is in intensive care")
    assert n.positive == "somebody is in intensive care"


def test_only_the_clause_that_holds_the_negation_is_taken() -> None:
    text = ("14 people had been treated for respiratory symptoms over five days, most with seasonal "
            "influenza, and that no patient had died")
    (n,) = negated_clauses(text)
    assert text[n.start:n.end] == "that no patient had died"
    assert n.positive == "patient had died" and n.terms == {"patient", "die"}
    other = "the plant will close; 200 jobs go"
    assert [other[s:e] for s, e in clauses(other)] == ["the plant will close", "200 jobs go"]


def test_negations_that_say_nothing_is_not_so_are_left_out() -> None:
    """An instruction, a source's silence, an intensifier, a bound or a figure of speech ("nobody
    will forget") is no statement that something did not happen."""
    for text in ("the minister allegedly ordered local doctors not to report the cases",
                 "VSIA could not confirm the deaths",
                 "the ministry did not respond to requests for comment",
                 "the company did not immediately comment",
                 "the plan is not only costly but dangerous",
                 "there is no doubt the bridge must be repaired",
                 "no more than 40 people attended",
                 "it is unclear whether no one was hurt",
                 "in a semi-final nobody will forget, Saltmere beat Torrow 3-1",
                 "residents will never forget the night the river rose"):
        assert negated_clauses(text) == (), text


def test_stems_fold_plurals_and_verb_endings() -> None:
    assert stem("schools") == stem("school")
    assert stem("closed") == stem("close") == stem("closes")
    assert stem("admitted") == stem("admits") == stem("admit")
    assert stem("died") == stem("die")
    assert stem("340") == "340" and stem("business") == "business"
    assert stated_stems("no schools were shut on Monday, but the buses ran late") == {"monday", "bus", "ran", "late"}


_WORDS = st.sampled_from(["no", "not", "never", "nobody", "none", "the", "schools", "had", "been", "closed",
                          "340", "patients", "died", "and", "that", ",", ";", ".", "didn't", "said", "to",
                          "only", "confirm", "Ministry", "officials"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=0, max_size=25).map(" ".join))
def test_negated_clauses_stay_inside_the_text(text: str) -> None:
    """Clause spans lie inside the text in order, a negated clause's words are among the
    text's, and its positive reading drops a negation (those that deny nothing, "not only",
    stay)."""
    spans = clauses(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    for n in negated_clauses(text):
        assert (n.start, n.end) in spans
        assert n.negated <= n.terms
        assert negated_terms(text) <= set(content_terms(text))
        def negations(t: str) -> int:
            return sum(w in ("no", "not", "never", "nobody", "none") or w.endswith("n't") for w in t.casefold().split())

        assert negations(n.positive) < negations(text[n.start:n.end])


def test_orders_contrasts_and_the_speakers_own_voice_are_no_statements_of_fact() -> None:
    """Debate transcripts are full of negations that a word match pairs with any sentence on
    the subject: pledges and rebuttals in the first person, calls, contrasts, conditions."""
    for text in ("We didn't raise taxes",
                 "I do not support the treaty",
                 "don't cut the military by a trillion dollars",
                 "And let's not raise anybody's taxes",
                 "any deal has to be outstanding for the country, not detrimental",
                 "it was a deliberate act and not a random accident",
                 "the families who are not getting a tax cut",
                 "so that they don't lose their homes",
                 "Iran can't have a nuclear weapon"):
        assert negated_clauses(text) == (), text
    assert negated_clauses("No schools had been closed")  # a clause may open with its negation
    assert states_fact("the authorities have closed all schools")
    assert not states_fact("they will prevent Iran from getting a nuclear weapon")
    assert not states_fact("We cannot allow Iran to get a nuclear weapon")


def test_the_us_is_a_country_not_the_speaker() -> None:
    (n,) = negated_clauses("The US did not sign the 2019 fisheries treaty")
    assert n.positive == "The US did sign the 2019 fisheries treaty"
    assert negated_clauses("They told us it had not been signed") == ()


def test_a_negation_is_a_whole_word() -> None:
    """"No" opens "North", "now", "November" and "normally": none of them negates, and a
    sentence holding one was read as saying something is not so (so it could state nothing a
    denial answers, and a source's "working normally" hid a rewrite's added denial)."""
    import re

    from newstrace.negation import NEGATION
    negation = re.compile(NEGATION, re.IGNORECASE)
    for text in ("Radio North", "is now closed", "in November", "working normally", "a notice", "Norway"):
        assert not negation.search(text), text
    for text in ("no one", "no-one", "not", "never", "nobody", "none", "didn't", "No."):
        assert negation.search(text), text
