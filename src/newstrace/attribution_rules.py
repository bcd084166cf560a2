"""Dependency rules for attribution spans: the fallback tagger and a feature of the CRF.

A speech or writing verb with a clausal complement or a quotation next to it is a cue, its
subject the source, the complement or quotation the content; "according to X" makes X the
source of the clause it modifies. High precision, low recall (PolNeAR also annotates beliefs,
intentions and nominal cues, which these rules leave to the CRF).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newstrace import attribution_crf as ac

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

_RULE_CLASSES = frozenset({"speech", "writing"})


def _subtree_range(tok: "Token", lo: int, hi: int) -> tuple[int, int]:
    """Token range [start, end) of ``tok``'s subtree, clipped to the paragraph [lo, hi)."""
    return max(tok.left_edge.i, lo), min(tok.right_edge.i + 1, hi)


def rule_labels(tokens: Sequence["Token"]) -> list[str]:
    """BIO labels from dependency rules: a speech/writing verb is the cue, its subject the
    source, its clausal complement (or the adjacent quotation) the content; "according to X"
    makes X the source of the rest of the clause. The fallback when no model is installed,
    and the baseline the CRF has to beat."""
    if not tokens:
        return []
    lo, hi = tokens[0].i, tokens[-1].i + 1
    # Paragraph tokens skip whitespace tokens, so doc index -> position goes through a map.
    pos = {t.i: k for k, t in enumerate(tokens)}
    labels = ["O"] * len(tokens)
    qs_list = ac.quote_state(tokens)
    qs = {t.i: q for t, q in zip(tokens, qs_list)}

    def mark(start: int, end: int, comp: str) -> None:
        ks = [pos[i] for i in range(max(start, lo), min(end, hi)) if i in pos]
        if not ks or any(labels[k] != "O" for k in ks):
            return
        for n, k in enumerate(ks):
            labels[k] = ("B-" if n == 0 else "I-") + comp

    def quote_around(i: int, direction: int) -> tuple[int, int] | None:
        """The quotation next to token i (skipping commas) in ``direction``."""
        k = i + direction
        while lo <= k < hi and (k not in qs or tokens[pos[k]].text in (",", ":")):
            k += direction
        if not (lo <= k < hi) or qs[k] != 2:
            return None
        j = k + direction
        while lo <= j < hi and qs.get(j) != 2:
            j += direction
        if not (lo <= j < hi):
            return None
        return (min(k, j), max(k, j) + 1)

    for tok in tokens:
        if qs[tok.i] == 1:
            continue
        if tok.lower_ == "according" and tok.i + 1 < hi and tok.doc[tok.i + 1].lower_ == "to":
            obj = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"]
            if obj:
                mark(tok.i, tok.i + 2, "cue")
                mark(*_subtree_range(obj[0], lo, hi), "source")
                # The content is the clause "according to" modifies, minus the attribution:
                # before it ("X happened, according to Y") or after it ("According to Y, X").
                clause = tok.head
                cs, ce = _subtree_range(clause, lo, hi)
                start = obj[0].right_edge.i + 1 if cs == tok.i else cs
                end = tok.i if start < tok.i else ce
                while start < end and tok.doc[start].is_punct:
                    start += 1
                while end > start and tok.doc[end - 1].is_punct:
                    end -= 1
                mark(start, end, "content")
            continue
        cls = ac.cue_lemmas().get(tok.lemma_.lower()) if tok.pos_ == "VERB" else None
        if cls not in _RULE_CLASSES:
            continue
        # Only dependants inside the paragraph: the parser sometimes runs a headline into it.
        subj = sorted((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i in pos),
                      key=lambda c: abs(c.i - tok.i))
        comp = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis") and c.i in pos]
        # The quotation before the "X said" / "said X" chunk, and the one after it: both
        # are content when the cue interrupts a quote ('"The plant," he said, "will open."').
        left_edge = min([tok.i] + [subj[0].left_edge.i] if subj else [tok.i])
        right_edge = max([tok.i] + [subj[0].right_edge.i] if subj else [tok.i])
        before = quote_around(left_edge, -1)
        if before is not None and comp and before[1] <= tok.sent.start:
            # A quotation that ended in an earlier sentence belongs to that sentence's cue when
            # this verb has its own complement ('... knows it." He claimed the bill could ...').
            before = None
        after = quote_around(right_edge, 1)
        quotes = [q for q in (before, after) if q is not None]
        if before is not None and after is not None and tok.doc[before[1] - 1].text in ('"', "\u201d", "''") \
                and tok.doc[before[1] - 2].text not in (",",):
            quotes = [before]  # a finished quote, then a new one: only the first is this cue's
        if not comp and not quotes:
            continue
        mark(tok.i, tok.i + 1, "cue")
        if subj:
            mark(*_subtree_range(subj[0], lo, hi), "source")
        if quotes:
            for q in quotes:
                mark(*q, "content")
        elif comp:
            s, e = _subtree_range(comp[0], lo, hi)
            if comp[0].i > tok.i:
                while s < e and tok.doc[s].is_punct:
                    s += 1
                while e > s and tok.doc[e - 1].is_punct:
                    e -= 1
            mark(s, e, "content")
    return labels
