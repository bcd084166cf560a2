"""Text normalisation, hashing, sentence splitting and shingles.

Two normal forms exist on purpose. ``clean_text`` is applied once at ingest and its output
is what is stored: every offset in the system points into it, so it must only remove what
no reader needs (control characters, odd whitespace) and must be idempotent.
``normalize_for_matching`` is lossy (case, diacritics, punctuation, quote styles) and is used
only to compare texts and to derive stable ids.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2028\u2029\ufeff\ufffe]")
_HSPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKLINES = re.compile(r"\n{3,}")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)


def clean_text(text: str) -> str:
    """Return the stored form of an article's text.

    NFC-normalises, turns CR/CRLF into LF, drops control and zero-width characters, folds
    runs of horizontal whitespace to one space, strips each line and keeps at most one blank
    line between paragraphs. Idempotent: ``clean_text(clean_text(x)) == clean_text(x)``.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _HSPACE.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANKLINES.sub("\n\n", text)
    text = text.strip()
    # NFC after removal can recombine characters separated by a removed one.
    return unicodedata.normalize("NFC", text)


def normalize_for_matching(text: str) -> str:
    """Lossy comparison form: casefolded, accents stripped, quotes and dashes unified,
    punctuation dropped, whitespace single-spaced."""
    text = unicodedata.normalize("NFKD", text.translate(_PUNCT_MAP))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(words(text.casefold()))


def words(text: str) -> list[str]:
    """Word tokens (letters/digits, with inner hyphens and apostrophes)."""
    return _WORD.findall(text)


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def stable_hash(*parts: str, length: int = 16) -> str:
    """Hex digest of the parts joined by NUL; used for ids that must not change across runs."""
    h = hashlib.sha256()
    for i, part in enumerate(parts):
        if i:
            h.update(b"\x00")
        h.update(part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:length]


def article_id(text: str, source: str) -> str:
    """Stable article id: the normalised text and where the item came from."""
    return stable_hash(normalize_for_matching(text), source)


def content_hash(text: str) -> str:
    """Hash of the normalised text alone: equal for verbatim copies at different addresses."""
    return stable_hash(normalize_for_matching(text), length=32)


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``.

    Paragraph breaks always end a sentence (headlines and bylines carry no final stop);
    inside a paragraph pysbd decides, which handles "U.S.", "p.m." and initials. Spans are
    located in the original string, so ``text[s:e]`` is exactly the sentence, stripped.
    """
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(text):
        para = text[p_start:p_end]
        cursor = 0
        for piece in _segmenter().segment(para):
            piece = piece.strip()
            if not piece:
                continue
            found = para.find(piece, cursor)
            if found < 0:  # pysbd altered the text; fall back to the rest of the paragraph
                found = cursor
                piece = para[cursor:].strip()
                if not piece:
                    break
                found = para.find(piece, cursor)
            spans.append((p_start + found, p_start + found + len(piece)))
            cursor = found + len(piece)
        if cursor < len(para) and para[cursor:].strip():
            rest = para[cursor:]
            lead = len(rest) - len(rest.lstrip())
            spans.append((p_start + cursor + lead, p_start + len(para.rstrip())))
    return spans


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of non-empty lines (each line of cleaned text is a paragraph or a heading)."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def shingles(tokens: list[str], k: int) -> Iterator[str]:
    """Word k-shingles (a single shingle of all tokens when there are fewer than k)."""
    if len(tokens) < k:
        if tokens:
            yield " ".join(tokens)
        return
    for i in range(len(tokens) - k + 1):
        yield " ".join(tokens[i : i + k])


def batched(items: Iterable, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    """Consecutive lists of at most ``size`` items."""
    batch: list = []  # type: ignore[type-arg]
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
