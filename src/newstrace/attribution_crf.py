"""Token features and the CRF tagger for attribution spans (source / cue / content).

The tagger labels each token of a paragraph with BIO tags over ``source``, ``cue`` and
``content`` (the PolNeAR / CofeNet scheme). Paragraphs, not sentences, are the sequences,
because quoted content runs over several sentences and the cue is often in the next one.

Features are built from spaCy's parse and a small lexicon, and they are the same whether the
Doc came from raw text (``extract_claims``) or from pre-tokenised words (the CofeNet
benchmark), so one model serves both. The strongest signals are syntactic: the nearest
ancestor that is a cue word and the dependency by which the token hangs under it
(``nsubj`` → source, ``ccomp`` → content), and whether the token is inside quotation marks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = "attribution_crf.bin"
LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")

# Every spelling of a double quotation mark, including PTB's `` and '' (the CofeNet tokens).
QUOTES = frozenset({'"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "``", "''", "\u201f"})
OPEN_QUOTES = frozenset({"\u201c", "\u201e", "\u00ab", "``"})
CLOSE_QUOTES = frozenset({"\u201d", "\u00bb", "''"})


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The attribution lexicon shipped in ``newstrace/data/attribution_lexicon.json``."""
    return json.loads((DATA_DIR / "attribution_lexicon.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def cue_lemmas() -> dict[str, str]:
    """Lemma → cue class (speech / writing / belief)."""
    out: dict[str, str] = {}
    for cls, items in lexicon()["cue_verbs"].items():
        if cls.startswith("_"):
            continue
        for lemma in items:
            out.setdefault(lemma, cls)
    return out


@lru_cache(maxsize=1)
def cue_noun_lemmas() -> frozenset[str]:
    return frozenset(lexicon()["cue_nouns"]["items"])


def paragraphs(doc: "Doc") -> list[tuple[int, int]]:
    """Token ranges of the paragraphs of ``doc`` (split at whitespace tokens holding a newline),
    whitespace tokens excluded."""
    out: list[tuple[int, int]] = []
    start = None
    for tok in doc:
        if tok.is_space:
            if start is not None and "\n" in tok.text:
                out.append((start, tok.i))
                start = None
        elif start is None:
            start = tok.i
        if start is not None and "\n" in tok.whitespace_:
            out.append((start, tok.i + 1))
            start = None
    if start is not None:
        out.append((start, len(doc)))
    # A paragraph range may still contain inner whitespace tokens; callers skip them.
    return out


def quote_state(tokens: Sequence["Token"]) -> list[int]:
    """Per token: 1 inside a quotation, 0 outside; quote marks themselves get 2.

    Straight quotes toggle; curly and PTB quotes open or close explicitly. The state is reset
    at each paragraph, since news style reopens the quote at every quoted paragraph.
    """
    state, inside, single = [], False, False
    for tok in tokens:
        t = tok.text
        if t in QUOTES:
            if t in OPEN_QUOTES:
                inside = True
            elif t in CLOSE_QUOTES:
                inside = False
            else:
                inside = not inside
            single = False
            state.append(2)
        elif t == "\u2018" and not inside:
            # British-style single quotes; "\u2019" is also the apostrophe, so it closes
            # only a quote that "\u2018" opened.
            inside = single = True
            state.append(2)
        elif t == "\u2019" and single:
            inside = single = False
            state.append(2)
        else:
            state.append(1 if inside else 0)
    return state


def _norm(text: str) -> str:
    if text in QUOTES:
        return '"'
    if text in ("\u2018", "\u2019", "`"):
        return "'"
    return text.lower()


def _cue_of(tok: "Token") -> str | None:
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        return cue_lemmas().get(lemma)
    if tok.pos_ == "NOUN" and lemma in cue_noun_lemmas():
        return "noun"
    return None


def _anchors(tokens: Sequence["Token"]) -> list[tuple[str, str, int, bool]]:
    """Per token: the nearest proper ancestor that is a cue word as (cue lemma, dependency of
    the child just under it, depth), or ("", "", 0); plus whether the token sits inside the
    object of "according to". Memoised over the tree, so a paragraph costs O(tokens)."""
    memo: dict[int, tuple[str, str, int, bool]] = {}

    def walk(tok: "Token", guard: int = 0) -> tuple[str, str, int, bool]:
        hit = memo.get(tok.i)
        if hit is not None:
            return hit
        head = tok.head
        acc = tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"
        if head.i == tok.i or guard > 200:
            # A cue at the root of its sentence is its own anchor (dep "ROOT"); the model
            # was trained with this.
            res = (tok.lemma_.lower(), tok.dep_, 1, acc) if _cue_of(tok) else ("", "", 0, acc)
        elif _cue_of(head):
            res = (head.lemma_.lower(), tok.dep_, 1, acc or walk(head, guard + 1)[3])
        else:
            lemma, dep, depth, up_acc = walk(head, guard + 1)
            res = (lemma, dep, depth + 1 if lemma else 0, acc or up_acc)
        memo[tok.i] = res
        return res

    return [walk(t) for t in tokens]


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-7" if n < 8 else "8+")


def sequence_features(tokens: Sequence["Token"], rules: Sequence[str] | None = None) -> list[list[str]]:
    """CRF features for one paragraph's tokens (whitespace tokens already removed);
    ``rules`` are the rule labels when the caller already has them.

    Every spaCy attribute is read once per token (each read goes through the string store,
    and this runs on every token of every article)."""
    from newstrace.attribution_rules import rule_labels  # the rules import this module

    qs = quote_state(tokens)
    rules = rule_labels(tokens) if rules is None else rules
    n = len(tokens)
    anchors = _anchors(tokens)
    cues = [_cue_of(t) for t in tokens]
    cue_at = {t.i: c for t, c in zip(tokens, cues)}
    # Sentence bounds within the paragraph, from is_sent_start (tok.sent is O(doc) per call).
    sstart, cur = [], 0
    for k, tok in enumerate(tokens):
        if k == 0 or tok.is_sent_start:
            cur = k
        sstart.append(cur)
    send = [0] * n
    nxt = n
    for k in range(n - 1, -1, -1):
        send[k] = nxt
        if sstart[k] == k:
            nxt = k
    sent_has_quote: dict[int, bool] = {}
    sent_has_cue: dict[int, bool] = {}
    for k in range(n):
        if qs[k] == 2:
            sent_has_quote[sstart[k]] = True
        if cues[k]:
            sent_has_cue[sstart[k]] = True
    # Per token: (w, t, q, cue, r, dep, adep, ent), the fields its neighbours' features read.
    near: list[tuple[str, ...]] = []
    own: list[list[str]] = []
    for i, tok in enumerate(tokens):
        w = _norm(tok.text)
        tag, pos, dep = tok.tag_, tok.pos_, tok.dep_
        lemma = tok.lemma_.lower() if w != '"' else '"'
        cue = cues[i] or "-"
        anc_lemma, anc_dep, depth, acc = anchors[i]
        head = tok.head
        hcue = cue_at[head.i] if head.i in cue_at else _cue_of(head)
        ent_type = tok.ent_type_
        ent = (tok.ent_iob_ + ent_type) if ent_type else "O"
        q = str(qs[i])
        adep = anc_dep or "-"
        hl = head.lemma_.lower()
        r = rules[i]
        hcue_s = hcue or "-"
        neg = "0"
        for c in tok.children:
            if c.dep_ == "neg":
                neg = "1"
                break
        subj = "1" if dep in ("nsubj", "nsubjpass") and hcue else "0"
        own.append([
            "bias", "w=" + w, "l=" + lemma, "suf=" + w[-3:], "sh=" + tok.shape_[:4], "t=" + tag,
            "p=" + pos, "dep=" + dep, "ent=" + ent, "q=" + q, "cue=" + cue, "hl=" + hl,
            "hcue=" + hcue_s, "hdep=" + dep + "|" + head.pos_, "adep=" + adep,
            "adepth=" + _bucket(depth), "acc=" + ("1" if acc else "0"),
            "ss=" + ("1" if sstart[i] == i else "0"), "se=" + ("1" if send[i] == i + 1 else "0"),
            "sq=" + ("1" if sent_has_quote.get(sstart[i]) else "0"),
            "sc=" + ("1" if sent_has_cue.get(sstart[i]) else "0"), "neg=" + neg,
            "r=" + r, "rc=" + (r[2:] or "O"), "acue=" + ("1" if anc_lemma else "0"),
            "adep_q=" + adep + "|" + q, "cue_t=" + cue + "|" + tag, "subj_of_cue=" + subj,
            "l|hl=" + lemma + "|" + hl, "dep|hcue=" + dep + "|" + hcue_s,
        ])
        near.append((w, tag, q, cue, r, dep, adep, ent))
    feats: list[list[str]] = []
    for i in range(n):
        f = own[i]
        w_i = near[i][0]
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                w, tag, q, cue, r, dep, adep, ent = near[j]
                f.append(f"{off}w={w}")
                f.append(f"{off}t={tag}")
                f.append(f"{off}q={q}")
                f.append(f"{off}cue={cue}")
                f.append(f"{off}r={r}")
                if abs(off) == 1:
                    f.append(f"{off}dep={dep}")
                    f.append(f"{off}adep={adep}")
                    f.append(f"{off}ent={ent}")
                    f.append(f"{off}w|w={w}|{w_i}")
            else:
                f.append(f"{off}=PAD")
        feats.append(f)
    return feats


def paragraph_tokens(doc: "Doc") -> Iterator[list["Token"]]:
    """The non-whitespace tokens of each paragraph of ``doc``."""
    for start, end in paragraphs(doc):
        toks = [t for t in doc[start:end] if not t.is_space]
        if toks:
            yield toks


@lru_cache(maxsize=4)
def _tagger(path: str):  # type: ignore[no-untyped-def]
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def model_path() -> Path | None:
    """Path of the shipped CRF model, or None when it is not installed."""
    p = DATA_DIR / MODEL_FILE
    return p if p.exists() else None


def tag_tokens(tokens: Sequence["Token"], path: str | Path | None = None,
               rules: Sequence[str] | None = None) -> list[str]:
    """BIO labels for one paragraph's tokens, from the CRF model."""
    mp = path or model_path()
    if mp is None:
        raise FileNotFoundError(f"attribution model {MODEL_FILE} is not installed")
    return list(_tagger(str(mp)).tag(sequence_features(tokens, rules)))


def spans_from_bio(labels: Iterable[str]) -> list[tuple[str, int, int]]:
    """(component, start, end) spans from BIO labels, end exclusive; an I- that does not
    continue an open span of its type starts a new one (lenient decoding)."""
    out: list[tuple[str, int, int]] = []
    cur, start = None, 0
    labels = list(labels)
    for i, lab in enumerate(labels):
        if lab == "O":
            if cur:
                out.append((cur, start, i))
            cur = None
            continue
        kind, typ = lab[0], lab[2:]
        if kind == "B" or typ != cur:
            if cur:
                out.append((cur, start, i))
            cur, start = typ, i
    if cur:
        out.append((cur, start, len(labels)))
    return out
