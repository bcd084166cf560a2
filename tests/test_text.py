"""Properties of the normalisers and the sentence splitter."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.text import (
    article_id,
    clean_text,
    content_hash,
    normalize_for_matching,
    shingles,
    split_sentences,
    words,
)

texty = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(list(" \n\r\t.,\"“”'’")),
    max_size=400,
)


@given(texty)
def test_clean_text_idempotent(s: str) -> None:
    once = clean_text(s)
    assert clean_text(once) == once


@given(texty)
def test_clean_text_has_no_control_chars_or_cr(s: str) -> None:
    out = clean_text(s)
    assert "\r" not in out and "\x00" not in out and "\n\n\n" not in out
    assert out == out.strip()


@given(texty)
def test_matching_form_is_idempotent_and_case_free(s: str) -> None:
    norm = normalize_for_matching(s)
    assert normalize_for_matching(norm) == norm
    assert normalize_for_matching(s.upper()) == normalize_for_matching(s.lower()) or not s.isascii()


@given(st.lists(st.sampled_from(["The minister said.", "Dr. Okafor left at 5 p.m. on Friday.",
                                 "\"We will build it,\" she said.", "U.S. officials agreed.", "Why?", "Done!"]),
                min_size=1, max_size=12),
       st.sampled_from([" ", "\n", "\n\n"]))
@settings(max_examples=60)
def test_sentence_spans_slice_the_text(sentences: list[str], sep: str) -> None:
    text = clean_text(sep.join(sentences))
    spans = split_sentences(text)
    assert spans, text
    prev_end = 0
    for start, end in spans:
        assert prev_end <= start < end <= len(text)
        piece = text[start:end]
        assert piece == piece.strip() and piece
        prev_end = end
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


def test_sentence_split_respects_abbreviations_and_paragraphs() -> None:
    text = "Dr. Okafor met U.S. officials at 5 p.m. on Friday. They agreed.\nHeadline without stop\nLast one."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["Dr. Okafor met U.S. officials at 5 p.m. on Friday.", "They agreed.",
                   "Headline without stop", "Last one."]


def test_matching_normalisation_unifies_quotes_and_accents() -> None:
    assert normalize_for_matching("“Café” — l’été") == normalize_for_matching('"cafe" - l\'ete')


def test_ids_depend_on_text_and_source() -> None:
    assert article_id("Some text", "a") == article_id("some   TEXT", "a")
    assert article_id("Some text", "a") != article_id("Some text", "b")
    assert content_hash("Some text.") == content_hash("some text")


def test_shingles() -> None:
    toks = words("one two three four")
    assert list(shingles(toks, 3)) == ["one two three", "two three four"]
    assert list(shingles(toks[:2], 3)) == ["one two"]
    assert list(shingles([], 3)) == []


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_clean_text_drops_bidi_overrides() -> None:
    """A hidden right-to-left override makes "spokesman \u202egnp.exe" read "spokesman exe.png"."""
    assert clean_text("The spokesman \u202egnp.exe\u202c said") == "The spokesman gnp.exe said"
    assert clean_text("\u2067+Outlet\u2069 \u202dA\u202b") == "+Outlet A"
    # Genuine right-to-left text keeps its letters: they carry their own direction.
    assert clean_text("قال المتحدث \u202eexe\u202c") == "قال المتحدث exe"


@given(st.text(alphabet=st.sampled_from(list(BIDI_CONTROLS) + ["a", " ", "\u05d0", "\n"]), max_size=60) | texty)
def test_clean_text_has_no_bidi_controls(s: str) -> None:
    out = clean_text(s)
    assert not set(out) & set(BIDI_CONTROLS)
    assert clean_text(out) == out
