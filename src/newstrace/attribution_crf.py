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
    return _quote_state([tok.text for tok in tokens])


def _quote_state(texts: Sequence[str]) -> list[int]:
    state, inside, single = [], False, False
    for t in texts:
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


class _Columns:
    """A Doc's token attributes as plain lists, read in one pass through ``Doc.to_array``:
    the features read each attribute of each token and of its head several times, and every
    read through a ``Token`` builds an object and looks its string up in the store (in a
    scratch timing on 150 SheepDog articles the features took 3.9 s that way)."""

    __slots__ = ("text", "lower", "tag", "pos", "dep", "lemma", "ent", "shape", "head", "sent_start", "neg")

    def __init__(self, doc: "Doc") -> None:
        from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, SENT_START, SHAPE, TAG

        strings = doc.vocab.strings
        names: dict[int, str] = {0: ""}

        def column(values: Iterable[int]) -> list[str]:
            out = []
            for h in values:
                name = names.get(h)
                if name is None:
                    name = names[h] = strings[h]
                out.append(name)
            return out

        table = doc.to_array([ORTH, LOWER, TAG, POS, DEP, LEMMA, ENT_TYPE, SHAPE, ENT_IOB, HEAD, SENT_START])
        cols = table[:, :9].T.tolist() + table[:, 9:].view("int64").T.tolist()  # offsets are signed
        self.text, self.lower, self.tag, self.pos, self.dep = (column(c) for c in cols[:5])
        self.lemma = [x.lower() for x in column(cols[5])]
        ent_type, self.shape = column(cols[6]), column(cols[7])
        iob = ("", "I", "O", "B")
        self.ent = [iob[b] + t if t else "O" for b, t in zip(cols[8], ent_type)]
        self.head = [i + rel for i, rel in enumerate(cols[9])]
        self.sent_start = [v == 1 for v in cols[10]]
        self.neg = [False] * len(self.head)
        for i, (dep, head) in enumerate(zip(self.dep, self.head)):
            if dep == "neg" and head != i:
                self.neg[head] = True

    def cue(self, i: int) -> str | None:
        """The cue class of token ``i``: a cue verb's class, "noun" for a cue noun."""
        lemma, pos = self.lemma[i], self.pos[i]
        if pos in ("VERB", "AUX") or self.tag[i].startswith("VB"):
            return cue_lemmas().get(lemma)
        if pos == "NOUN" and lemma in cue_noun_lemmas():
            return "noun"
        return None

    def anchors(self, idx: Sequence[int]) -> list[tuple[str, str, int, bool]]:
        """Per token of ``idx``: the nearest proper ancestor that is a cue word as (cue lemma,
        dependency of the child just under it, depth), or ("", "", 0); plus whether the token
        sits inside the object of "according to". Memoised over the tree, so a paragraph costs
        O(tokens)."""
        memo: dict[int, tuple[str, str, int, bool]] = {}
        head, dep, lower, lemma = self.head, self.dep, self.lower, self.lemma

        def walk(i: int, guard: int = 0) -> tuple[str, str, int, bool]:
            hit = memo.get(i)
            if hit is not None:
                return hit
            h = head[i]
            acc = dep[i] == "pobj" and lower[h] == "to" and lower[head[h]] == "according"
            if h == i or guard > 200:
                # A cue at the root of its sentence is its own anchor (dep "ROOT"); the model
                # was trained with this.
                res = (lemma[i], dep[i], 1, acc) if self.cue(i) else ("", "", 0, acc)
            elif self.cue(h):
                res = (lemma[h], dep[i], 1, acc or walk(h, guard + 1)[3])
            else:
                a_lemma, a_dep, depth, up_acc = walk(h, guard + 1)
                res = (a_lemma, a_dep, depth + 1 if a_lemma else 0, acc or up_acc)
            memo[i] = res
            return res

        return [walk(i) for i in idx]


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-7" if n < 8 else "8+")


#: The Doc whose columns were read last, with them: a Doc's paragraphs are featurised one
#: after another. One slot, read once per call, so threads sharing the module cannot be handed
#: another Doc's columns; the Doc must not be re-annotated between its paragraphs.
_LAST_COLUMNS: list[tuple["Doc", _Columns] | None] = [None]


def _columns_of(doc: "Doc") -> _Columns:
    last = _LAST_COLUMNS[0]
    if last is not None and last[0] is doc:
        return last[1]
    cols = _Columns(doc)
    _LAST_COLUMNS[0] = (doc, cols)
    return cols


def sequence_features(tokens: Sequence["Token"], rules: Sequence[str] | None = None) -> list[list[str]]:
    """CRF features for one paragraph's tokens (whitespace tokens already removed);
    ``rules`` are the rule labels when the caller already has them.

    The attributes come from the Doc's columns (:class:`_Columns`), read once per Doc."""
    from newstrace.attribution_rules import rule_labels  # the rules import this module

    n = len(tokens)
    if n == 0:
        return []
    cols = _columns_of(tokens[0].doc)
    idx = [t.i for t in tokens]
    texts, tags, poss, deps, lemmas, ents, shapes, heads = (
        cols.text, cols.tag, cols.pos, cols.dep, cols.lemma, cols.ent, cols.shape, cols.head)
    qs = _quote_state([texts[i] for i in idx])
    rules = rule_labels(tokens) if rules is None else rules
    anchors = cols.anchors(idx)
    cues = [cols.cue(i) for i in idx]
    cue_at = dict(zip(idx, cues))
    # Sentence bounds within the paragraph (tok.sent is O(doc) per call).
    sstart, cur = [], 0
    for k, i in enumerate(idx):
        if k == 0 or cols.sent_start[i]:
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
    for k, i in enumerate(idx):
        w = _norm(texts[i])
        tag, pos, dep = tags[i], poss[i], deps[i]
        lemma = lemmas[i] if w != '"' else '"'
        cue = cues[k] or "-"
        anc_lemma, anc_dep, depth, acc = anchors[k]
        h = heads[i]
        hcue = cue_at[h] if h in cue_at else cols.cue(h)
        ent = ents[i]
        q = str(qs[k])
        adep = anc_dep or "-"
        hl = lemmas[h]
        r = rules[k]
        hcue_s = hcue or "-"
        neg = "1" if cols.neg[i] else "0"
        subj = "1" if dep in ("nsubj", "nsubjpass") and hcue else "0"
        own.append([
            "bias", "w=" + w, "l=" + lemma, "suf=" + w[-3:], "sh=" + shapes[i][:4], "t=" + tag,
            "p=" + pos, "dep=" + dep, "ent=" + ent, "q=" + q, "cue=" + cue, "hl=" + hl,
            "hcue=" + hcue_s, "hdep=" + dep + "|" + poss[h], "adep=" + adep,
            "adepth=" + _bucket(depth), "acc=" + ("1" if acc else "0"),
            "ss=" + ("1" if sstart[k] == k else "0"), "se=" + ("1" if send[k] == k + 1 else "0"),
            "sq=" + ("1" if sent_has_quote.get(sstart[k]) else "0"),
            "sc=" + ("1" if sent_has_cue.get(sstart[k]) else "0"), "neg=" + neg,
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
