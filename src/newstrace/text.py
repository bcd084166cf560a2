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

#: Control and invisible format characters no reader needs. The bidi embeddings, overrides and
#: isolates (U+202A-U+202E, U+2066-U+2069) are among them because a hidden direction override
#: reorders what a reader sees: "spokesman \u202egnp.exe\u202c" displays as "spokesman exe.png",
#: a known spoofing trick. Genuine right-to-left text needs none of them (its letters carry
#: their direction); the UI isolates every value for the rest.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe]")
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

    NFC-normalises, turns CR/CRLF into LF, drops control, zero-width and bidi override
    characters (``_CONTROL`` says why), folds runs of horizontal whitespace to one space,
    strips each line and keeps at most one blank line between paragraphs.
    Idempotent: ``clean_text(clean_text(x)) == clean_text(x)``.
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


#: The months in order, as dates and datelines name them.
MONTHS: tuple[str, ...] = tuple(
    "january february march april may june july august september october november december".split())
#: Month names as datelines write them (full, three letters, "Sept").
MONTH_NAMES: tuple[str, ...] = tuple(dict.fromkeys(MONTHS + tuple(m[:3] for m in MONTHS) + ("sept",)))

#: A dateline opening an article or its first sentence ("VALDENBURG, March 4 (KPA) – ", after
#: a byline "By Staff | " if there is one): where and when the story was filed. Unrelated
#: items of one outlet and city share it, so comparisons of what articles are about leave it
#: out, and it is no value a claim asserts. A text that stops inside it ("RIVERTON, April 8
#: (Riverton Gazette") is all dateline.
DATELINE = re.compile(
    r"^\s*(?:By\s[^|\n]{1,60}\|\s*)?[A-Z][A-Z'’.-]{2,}(?:[ -][A-Z][A-Z'’.-]+)*(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)*)?,?"
    r"(?:\s+(?i:" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + r")\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?)?(?:\s*\([^()]{1,40}(?:\)|$))?(?:\s*[-–—:]+\s+|\s*$)")


def strip_dateline(text: str) -> str:
    """``text`` without a leading dateline (:data:`DATELINE`)."""
    return DATELINE.sub("", text, count=1)


def normalize_for_matching(text: str) -> str:
    """Lossy comparison form: casefolded, accents stripped, quotes and dashes unified,
    punctuation dropped, whitespace single-spaced."""
    text = unicodedata.normalize("NFKD", text.translate(_PUNCT_MAP))
    if not text.isascii():  # combining marks are never ASCII; most news text is
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


#: Words that end with a full stop without ending a sentence (compared lower-cased, no dot).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr jr gen lt col maj capt cpt sgt adm cmdr gov sen rep pres rev fr hon
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    no nos vol vols fig figs p pp ed eds est approx dept univ inc ltd co corp bros assn intl natl
    vs etc al cf ca op ave blvd rd mt ft hwy
    u.s u.k u.n e.u u.s.a a.m p.m i.e e.g d.c n.y l.a ph.d m.d b.a""".split()
)
_BOUNDARY = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s+["'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])""")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``; ``text[s:e]`` is a stripped sentence.

    Paragraph breaks always end a sentence (headlines and bylines carry no final stop).
    Inside a paragraph a sentence ends at ., ! or ? (with any closing quotes) followed by
    a capital or digit, unless the word before the stop is an abbreviation or an initial.
    A regular expression, not pysbd: pysbd ran at about 10,000 words/s on our articles,
    too slow for a stage every article passes through; this runs at millions.
    """
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(text):
        para = text[p_start:p_end]
        cursor = 0
        for m in _BOUNDARY.finditer(para):
            stop = m.end()
            if para[m.start()] == "." and m.group(0).rstrip("\"'”’»)]") == "." and _is_abbreviation(para, m.start()):
                continue
            piece = para[cursor:stop]
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                spans.append((p_start + cursor + lead, p_start + stop))
            cursor = stop
        rest = para[cursor:]
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            spans.append((p_start + cursor + lead, p_start + len(para.rstrip())))
    return spans


def _is_abbreviation(para: str, dot: int) -> bool:
    space = max(para.rfind(" ", 0, dot), para.rfind("\n", 0, dot))
    token = para[space + 1 : dot].lstrip("\"'“‘«([").lower()
    if not token:
        return False
    if len(token) == 1 and token.isalpha():  # an initial: "John F. Kennedy"
        return True
    return token in ABBREVIATIONS


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
