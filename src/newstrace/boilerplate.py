"""Boilerplate an outlet repeats at the head or foot of its articles.

Text, Markdown and JSON inputs carry a site's furniture with them: a newsletter and
corrections footer, "This story was produced by ...", a standing credit line. HTML goes
through trafilatura, which removes a page's own boilerplate, but nothing removes what is
repeated *across* pages. Left in, a 59-word footer shared by six unrelated items of one
outlet made them rewrites of each other (containment about 0.4) and turned their own
reporting into "embellishments" (see ``docs/benchmarks.md``, "Five newsroom situations").

The rule, in the spirit of datatrove's line deduplication but per outlet and per position:

* a sentence is *repeated* for an outlet when its normalised text is in the first
  ``HEAD_SENTENCES`` or last ``TAIL_SENTENCES`` sentences of at least ``MIN_ARTICLES``
  distinct texts of that outlet (verbatim copies count once);
* an article's *boilerplate* is its leading run and its trailing run of repeated sentences,
  when the run is shared by at least ``MIN_ARTICLES - 1`` other articles whose other head and
  tail sentences differ from this one's. An outlet that publishes three versions of one
  story repeats most of each version: such a run is the story itself, not furniture, and
  stays, which is why runs that go on past their positions, cover the whole article or more
  than ``MAX_SHARE`` of its words are never boilerplate.

Boilerplate is masked, never cut: :func:`mask` blanks it with spaces, so every offset into
the stored text (alignments, claims, the report's highlights) stays valid. The reuse stage
compares masked texts, and corroboration leaves out claims inside boilerplate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from newstrace.text import count_words, normalize_for_matching, stable_hash

NAME = "boilerplate"
VERSION = "1"

#: Distinct texts of one outlet that must share a sentence before it counts as repeated.
MIN_ARTICLES = 3
#: Positions looked at: headers are short, footers (newsletter, corrections, "About us")
#: can run to several sentences.
HEAD_SENTENCES = 4
TAIL_SENTENCES = 12
#: A run of repeated sentences longer than this share of the article is its content: updates
#: of one story with a new first paragraph share the rest. A short item's footer can be half of it.
MAX_SHARE = 0.6
#: Shorter sentences are too common to say anything ("Read more.").
MIN_WORDS = 2

@dataclass(frozen=True)
class EdgeSentence:
    """A sentence in a head or tail position, with what the repetition count needs."""

    index: int
    start: int
    end: int
    key: str
    words: int


def outlet_key(outlet: str | None, url: str | None) -> str | None:
    """Who publishes the article: its outlet name, else its URL's host, else unknown (None).

    Without either, a folder of text files from many sites would count as one outlet."""
    if outlet and outlet.strip():
        return "outlet:" + " ".join(outlet.casefold().split())
    if url:
        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            host = None
        if host:
            return "host:" + host.removeprefix("www.")
    return None


def sentence_key(text: str) -> str | None:
    """A hash of the sentence's words, folded as for matching; None for too short a sentence."""
    norm = normalize_for_matching(text)  # words joined by single spaces
    if len(norm.split()) < MIN_WORDS:
        return None
    return stable_hash(norm)


def edge_sentences(text: str, spans: Sequence[tuple[int, int]]) -> list[EdgeSentence]:
    """The sentences in head and tail positions that can be counted, in article order, with
    one more on each side: a run that reaches it is not a header or footer (see
    :func:`boilerplate_runs`)."""
    n = len(spans)
    out = []
    for i in range(n):
        if HEAD_SENTENCES < i < n - TAIL_SENTENCES - 1:
            continue
        s, e = spans[i]
        key = sentence_key(text[s:e])
        if key is not None:
            out.append(EdgeSentence(i, s, e, key, count_words(text[s:e])))
    return out


def counted(edge: EdgeSentence, n_sentences: int) -> bool:
    """Whether the sentence is in a position whose repetition is counted (the extra one on
    each side of :func:`edge_sentences` is only looked at)."""
    return edge.index < HEAD_SENTENCES or edge.index >= n_sentences - TAIL_SENTENCES


def boilerplate_runs(edges: Sequence[EdgeSentence], n_sentences: int, n_words: int,
                     repeated: set[str] | frozenset[str]) -> list[list[EdgeSentence]]:
    """The article's leading and trailing runs of repeated sentences that can be furniture.

    A run qualifies only when it ends inside its positions (a run that goes on past them, or
    one that covers the whole article, is an article the outlet published more than once)
    and when the runs kept are together at most ``MAX_SHARE`` of the article's ``n_words``
    (the footer is preferred to the header when only one fits). :func:`distinct_elsewhere`
    is the other half of the test."""
    at = {e.index: e for e in edges}

    def run(indices: range) -> list[EdgeSentence]:
        got = []
        for i in indices:
            e = at.get(i)
            if e is None or e.key not in repeated:
                break
            got.append(e)
        return got

    head = run(range(0, min(HEAD_SENTENCES + 1, n_sentences)))
    tail = run(range(n_sentences - 1, max(n_sentences - TAIL_SENTENCES - 1, 0) - 1, -1))[::-1]
    covered = {e.index for e in head} | {e.index for e in tail}
    if len(covered) >= n_sentences:
        return []  # every sentence repeated: the outlet published this text more than once
    if len(head) > HEAD_SENTENCES:
        head = []
    if len(tail) > TAIL_SENTENCES:
        tail = []
    runs: list[list[EdgeSentence]] = []
    budget = MAX_SHARE * n_words
    for block in (tail, head):
        words = sum(e.words for e in block)
        if block and words <= budget:
            runs.append(block)
            budget -= words
    return sorted(runs, key=lambda r: r[0].index)


def distinct_elsewhere(run: Sequence[EdgeSentence], own: set[str], others: Iterable[set[str]]) -> bool:
    """Whether at least ``MIN_ARTICLES - 1`` other articles share the run while the rest of
    their head and tail differs from this article's (``own`` and each of ``others``: the
    sentence keys an article has in head and tail positions).

    Furniture is what articles about different things share. Versions of one story lightly
    edited here and there share most sentences outside the run as well, so their shared
    ending stays. (Versions with a new first paragraph differ outside the run: ``MAX_SHARE``
    keeps their body.)"""
    keys = {e.key for e in run}
    core = own - keys
    alike_below = 0.5
    n = 0
    for other in others:
        rest = other - keys
        union = core | rest
        if union and len(core & rest) / len(union) < alike_below:
            n += 1
            if n >= MIN_ARTICLES - 1:
                return True
    return False


def spans_of_runs(runs: Sequence[Sequence[EdgeSentence]]) -> list[tuple[int, int]]:
    """One char span per run, from its first sentence's start to its last one's end."""
    return [(r[0].start, r[-1].end) for r in runs if r]


def mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with every character inside ``spans`` replaced by a space (line breaks kept),
    so that offsets into the result are offsets into ``text``."""
    if not spans:
        return text
    parts, last = [], 0
    for s, e in sorted(spans):
        s = max(s, last)
        if e <= s:
            continue
        parts.append(text[last:s])
        parts.append("".join("\n" if ch == "\n" else " " for ch in text[s:e]))
        last = e
    parts.append(text[last:])
    return "".join(parts)


def inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies wholly within one of ``spans`` (a run of boilerplate)."""
    return any(s <= start and end <= e for s, e in spans)


def outside(sentences: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentence spans that are not boilerplate."""
    if not spans:
        return list(sentences)
    return [(s, e) for s, e in sentences if not inside(spans, s, e)]
