"""Claim matching: which claims assert the same thing, across a paraphrase.

Two uses share one scorer:

* **Ranking** (:class:`ClaimIndex`): a query claim against a large set of claims (the
  CheckThat! benchmark: a tweet against 10,375 fact-checked claims). Cheap lexical signals
  (BM25, TF-IDF cosine) and MiniLM cosines propose candidates; records that repeat an earlier
  claim are collapsed onto it; a linear re-ranker mixes 47 signals (cosines of the query and of
  its social-normalised form to the claim text, its title and both, and through two learned
  linear adapters on the frozen MiniLM vectors; their ranks; BM25 and TF-IDF on each field;
  shared numbers, names and terms; how crowded each claim's neighbourhood in the collection
  is, :func:`claim_density`). Adapters and weights were fitted on the CheckThat! 2020
  *train* split only (``train/claim_matching.py``) and ship as ``data/claim_adapters.npz`` and
  ``data/claim_ranker.json``, so the module reads no benchmark data at run time.
* **Grouping** (:func:`group_claims`): the claims of one story, compared pairwise. A pair is the
  same claim by an explicit rule (``exact``, ``lexical``, ``paraphrase``), and a number or date
  that differs vetoes it (``slot-mismatch``) however close the wording: "3 dead" and "30 dead"
  are a contradiction to flag, not one claim to count twice.

Embeddings come only from :func:`newstrace.nlp.embed`, or are passed in by a caller that
already has them; everything else is pure and picklable, so the same code runs on Ray.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from scipy import sparse

from newstrace.text import MONTHS, normalize_for_matching, words

EmbedFn = Callable[[list[str]], np.ndarray]

# A short stop list: claims are short, and words such as "not" or "no" carry the claim.
_STOP = frozenset(
    """a an the of to in on at by for with from as and or is are was were be been being it its this
    that these those he she they his her their them we our you your i me my has have had do does did
    will would can could should may might just so than then there here who whom which what when where
    how why also into about over after before via rt amp""".split()
)

_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|\bwww\.\S+")
# The embedded-tweet signature: "— Name (@handle) January 14, 2020".
_SIGNATURE = re.compile(r"\s*[—–-]+\s*[^—–]{0,80}\(@\w+\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}\s*$")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")
_MENTION = re.compile(r"@(\w+)")


def normalize_claim_text(text: str, social: bool = False) -> str:
    """Claim text without links; with ``social``, also without the embed signature, ``#``/``@``.

    Only links are dropped by default: on CheckThat! dev, also dropping the tweet signature and
    splitting hashtags ranked worse (MAP@5 0.812 vs 0.836 with links alone removed) -- the
    signature's name and date are context the claims share.
    """
    if social:
        text = _SIGNATURE.sub("", text)
        text = _HASHTAG.sub(lambda m: _CAMEL.sub(" ", m.group(1)), text)
        text = _MENTION.sub(lambda m: m.group(1), text)
    text = _URL.sub(" ", text)
    return " ".join(text.split())


def terms(text: str) -> list[str]:
    """Content terms for the lexical signals: normalised words, no stop words."""
    return [w for w in words(normalize_for_matching(text)) if w not in _STOP and len(w) > 1]


# --- Numbers and dates ----------------------------------------------------------------------

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_NUM_WORDS = {
    **_UNITS, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, **_TENS, "hundred": 100, "dozen": 12,
}
_SMALL_WORDS = (r"(?:(?:" + "|".join(_TENS) + r")[\s-](?:" + "|".join(_UNITS) + r")|"
                + "|".join(sorted(set(_NUM_WORDS) - {"hundred"}, key=len, reverse=True)) + ")")
#: A number in words: "thirty-seven" (or "thirty seven") is one number, 37, not 30 and 7; "six
#: hundred and fifty" is 650, "a hundred" 100.
NUMBER_WORDS = (r"(?:(?:(?:" + "|".join(_UNITS) + r"|a)[\s-]+)?hundred(?:[\s-]+(?:and[\s-]+)?"
                + _SMALL_WORDS + r"(?![\s-]+hundred))?|" + _SMALL_WORDS + ")")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_MONTHS = {m: i for i, m in enumerate(MONTHS, 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|per ?cent|percent)?\s*"
    r"(thousand|million|billion|trillion|bn|k|m)?(?!\w)", re.IGNORECASE)
_WORD_NUMBER = re.compile(r"\b(" + NUMBER_WORDS + r")\b\s*(thousand|million|billion)?(\s*(?:%|per ?cent|percent))?",
                          re.IGNORECASE)


@lru_cache(maxsize=65_536)
def word_number(words_: str) -> int | None:
    """The value of a number written in words ("seven", "thirty-seven", "thirty seven", "six
    hundred and fifty", "a hundred"), or None."""
    parts = re.split(r"[\s-]+", words_.strip().lower())
    if "hundred" in parts:
        k = parts.index("hundred")
        head, rest = parts[:k], [p for p in parts[k + 1:] if p != "and"]
        times = 1 if head in ([], ["a"]) else (_UNITS.get(head[0]) if len(head) == 1 else None)
        tail = word_number(" ".join(rest)) if rest else 0
        if times is None or tail is None or tail >= 100:
            return None
        return times * 100 + tail
    if len(parts) == 1:
        return _NUM_WORDS.get(parts[0])
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


_DATE = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{1,2})\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)


def slots(text: str) -> frozenset[str]:
    """Numbers and dates a claim asserts, normalised so that paraphrases compare equal.

    "1.5 million" and "1,500,000" give the same value; "70 per cent" and "70%" too; "March 3"
    gives ``date:3-3``; a weekday gives ``day:tuesday``. Returned as strings so they are hashable
    and JSON-friendly.
    """
    out: set[str] = set()
    used: list[tuple[int, int]] = []
    for m in _DATE.finditer(text):
        out.add(f"date:{_MONTHS[m.group(1).lower()]}-{int(m.group(2))}")
        used.append(m.span())
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in used):
            continue
        value = float(m.group(1).replace(",", ""))
        if m.group(3):
            value *= _SCALE[m.group(3).lower()]
        out.add(("pct:" if m.group(2) else "num:") + _fmt(value))
    for m in _WORD_NUMBER.finditer(text):
        value = (word_number(m.group(1)) or 0) * (_SCALE[m.group(2).lower()] if m.group(2) else 1)
        out.add(("pct:" if m.group(3) else "num:") + _fmt(value))
    out.update("day:" + m.group(1).lower() for m in _WEEKDAY.finditer(text))
    return frozenset(out)


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def slots_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both claims state numbers or dates, and neither set contains the other.

    Subsets are allowed because a fuller version of a claim adds detail ("122 detainees" vs
    "122 detainees released in 2009"); a value each side lacks means they disagree.
    """
    if not a or not b:
        return False
    return not (a <= b or b <= a)


# --- Records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A claim to match. Only ``id`` and ``text`` are required.

    ``context`` is extra text about the claim used by the ranker (for a fact-check, its
    headline). ``slots`` are numbers/dates; ``None`` means "extract them from the text".
    """

    id: str
    text: str
    entities: frozenset[str] = frozenset()
    speaker: str | None = None
    slots: frozenset[str] | None = None
    context: str = ""

    def slot_values(self) -> frozenset[str]:
        return self.slots if self.slots is not None else slots(self.text)


@dataclass(frozen=True)
class Match:
    """One matched (or vetoed) pair, with every signal and the rule that decided it."""

    a: str
    b: str
    same: bool
    score: float
    rule: str
    signals: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimGroup:
    """Claims that assert the same thing; ``matches`` are the pairs that joined them."""

    members: tuple[str, ...]
    score: float
    matches: tuple[Match, ...]


# --- Lexical signals ------------------------------------------------------------------------


class LexicalIndex:
    """BM25 and TF-IDF cosine over a fixed set of documents (sparse, scikit-learn free).

    Built once for a document set; queries are scored against all documents with one sparse
    product, which is what makes the lexical stage cheap enough to run first.
    """

    def __init__(self, docs: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        toks = [terms(d) for d in docs]
        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, ts in enumerate(toks):
            counts: dict[int, int] = {}
            for t in ts:
                j = self.vocab.setdefault(t, len(self.vocab))
                counts[j] = counts.get(j, 0) + 1
            rows.extend([i] * len(counts))
            cols.extend(counts)
            vals.extend(counts.values())
        n, v = len(docs), len(self.vocab)
        tf = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(n, v))
        df = np.bincount(tf.indices, minlength=v).astype(np.float32)
        self.n_docs = n
        self.idf_bm25 = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.idf = (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = float(lengths.mean()) if n else 1.0
        bm = tf.tocoo()
        denom = bm.data + k1 * (1 - b + b * lengths[bm.row] / max(avg, 1e-9))
        w = bm.data * (k1 + 1) / denom * self.idf_bm25[bm.col]
        self.bm25 = sparse.csr_matrix((w.astype(np.float32), (bm.row, bm.col)), shape=(n, v))
        self.tfidf = _l2_rows(_log_tf(tf).multiply(self.idf[None, :]).tocsr())

    def _query_matrix(self, queries: Sequence[str]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for i, q in enumerate(queries):
            counts: dict[int, int] = {}
            for t in terms(q):
                j = self.vocab.get(t)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            rows.extend([i] * len(counts))
            cols.extend(counts)
            vals.extend(counts.values())
        return sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)),
                                 shape=(len(queries), len(self.vocab)))

    def scores(self, queries: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(BM25, TF-IDF cosine) of every query against every document, dense ``(q, n)``."""
        q = self._query_matrix(queries)
        bm25 = (q.sign() @ self.bm25.T).toarray()
        qt = _l2_rows(_log_tf(q).multiply(self.idf[None, :]).tocsr())
        cos = (qt @ self.tfidf.T).toarray()
        return bm25.astype(np.float32), cos.astype(np.float32)


def _log_tf(m: sparse.csr_matrix) -> sparse.csr_matrix:
    m = m.copy().astype(np.float32)
    m.data = 1 + np.log(m.data)
    return m


def _l2_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.diags(1 / norms) @ m


# --- Ranking --------------------------------------------------------------------------------

#: The basic features of a (query, claim) pair (:func:`pair_features`).
BASIC_FEATURES = ("cos_text", "cos_context", "cos_max", "bm25_rel", "tfidf", "slot_conflict", "slot_shared")

#: Every feature the re-ranker uses, in the order of the weights. Query forms: ``q`` the text as
#: given, ``s`` the social-normalised text (no tweet signature, hashtags split); claim forms:
#: ``text``, ``title`` (the context) and ``both`` (text and context embedded together). ``_rel`` is
#: the cosine minus the query's best over all claims, ``_rr`` the reciprocal of (rank + 1) among
#: all claims. Lexical: BM25 (relative to the query's best) and TF-IDF cosine over text+context
#: (``b``), text (``t``), context (``h``), and of the social form against text+context (``s``).
FEATURES: tuple[str, ...] = (
    *(f"{q}{c}{x}" for q in "qs" for c in ("text", "title", "both") for x in ("", "_rel", "_rr")),
    "bm_b", "bm_b_rr", "bm_t", "bm_t_rr", "bm_h", "bm_h_rr", "bm_s", "bm_s_rr",
    "tf_b", "tf_t", "tf_h", "tf_s", "slot_conflict", "slot_shared",
    "cap_overlap", "cap_n", "sig_overlap", "term_cov_q", "term_cov_c",
    *(f"{a}{x}" for a in ("adq_text", "ads_both") for x in ("", "_rel", "_rr")),
    "dens_text", "dens_both", "dens_adq_text", "dens_ads_both",
)

_RANKER_FILE = "claim_ranker.json"
_ADAPTER_FILE = "claim_adapters.npz"

#: The learned adapters: name -> (query form, claim form). ``adq_text`` maps the query as given
#: and the claim texts, ``ads_both`` the social-normalised query and text+context.
ADAPTERS = {"adq_text": ("q", "text"), "ads_both": ("s", "both")}


def load_adapters() -> dict[str, np.ndarray]:
    """The shipped linear adapters on frozen MiniLM vectors (``train/claim_matching.py``,
    CheckThat! 2020 train only): ``x -> normalise(x + x @ A)``, the same ``A`` for queries and
    claims. Empty when the file is missing (every adapter is then the identity)."""
    from importlib import resources

    try:
        raw = resources.files("newstrace").joinpath("data", _ADAPTER_FILE).read_bytes()
    except FileNotFoundError:
        return {}
    import io

    with np.load(io.BytesIO(raw)) as data:
        return {k: np.asarray(data[k], dtype=np.float32) for k in data.files}


def adapt(vectors: np.ndarray, adapter: np.ndarray | None) -> np.ndarray:
    """Unit-length ``x + x @ A`` for each row; the rows unchanged when ``adapter`` is None."""
    if adapter is None:
        return vectors
    out = vectors + vectors @ adapter
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.where(norms == 0, 1, norms)).astype(np.float32)


def _load_weights() -> tuple[float, ...]:
    """The shipped re-ranker (``train/claim_matching.py``, CheckThat! 2020 train split only).

    Empty when the file is missing or was fitted on other features, so that the training
    script can still import this module; :meth:`ClaimIndex.rank` then refuses to rank.
    """
    import json
    from importlib import resources

    try:
        data = json.loads(resources.files("newstrace").joinpath("data", _RANKER_FILE).read_text("utf-8"))
    except FileNotFoundError:
        return ()
    if tuple(data.get("features", ())) != FEATURES:
        return ()
    return tuple(float(v) for v in data["weights"]) + (float(data["bias"]),)


#: Linear weights over FEATURES (+ bias), fitted pairwise on CheckThat! 2020 train only.
DEFAULT_WEIGHTS: tuple[float, ...] = _load_weights()


@dataclass(frozen=True)
class RankConfig:
    """How many candidates each cheap signal proposes before the re-ranker sees them.

    ``collapse_duplicates``: claims whose texts are equal once normalised (quotes, case,
    punctuation) are one claim, listed under the first of them in the collection, so a
    duplicated record cannot push other claims out of the top ``k``.
    """

    candidates_lexical: int = 50
    candidates_dense: int = 50
    weights: tuple[float, ...] = DEFAULT_WEIGHTS
    collapse_duplicates: bool = True
    density_neighbours: int = 30
    density_sample: int = 20_000


def claim_density(vectors: np.ndarray, canonical: np.ndarray, neighbours: int, sample: int,
                  chunk: int = 1024) -> np.ndarray:
    """For each claim, the mean cosine to its ``neighbours`` nearest other claims (records of
    the same normalised text excluded), among at most ``sample`` evenly spaced claims.

    A claim in a crowded region of the collection (many fact-checks of one rumour, or a
    generic wording) is near many queries without being what they say: a "hub" of the
    vector space. The re-ranker weighs a query's cosine against this (the ``dens_*``
    features); on CheckThat! 2020 it moved train cross-validation MAP@5 0.904 -> 0.911 and
    dev 0.914 -> 0.919. The sample keeps the cost at O(n x sample) for large collections,
    and the figure on the scale of the 10,375-claim collection it was fitted on."""
    n = len(vectors)
    if n < 2:
        return np.zeros(n, dtype=np.float32)
    ref = np.unique(np.linspace(0, n - 1, min(n, sample)).round().astype(np.int64))
    k = min(neighbours, len(ref) - 1)
    ref_vectors, ref_canonical = vectors[ref].T, canonical[ref]
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, chunk):
        sims = vectors[start:start + chunk] @ ref_vectors
        sims[canonical[start:start + chunk, None] == ref_canonical[None, :]] = -1.0
        out[start:start + chunk] = -np.partition(-sims, k - 1, axis=1)[:, :k].mean(axis=1)
    return out


def pair_features(
    cos_text: np.ndarray, cos_context: np.ndarray, bm25: np.ndarray, tfidf: np.ndarray,
    query_slots: frozenset[str], cand_slots: Sequence[frozenset[str]],
) -> np.ndarray:
    """The BASIC_FEATURES matrix for one query's candidates (arrays aligned with ``cand_slots``).

    BM25 is divided by the query's best BM25 so its scale does not depend on query length.
    """
    top = float(bm25.max()) if bm25.size else 0.0
    bm_rel = bm25 / top if top > 0 else np.zeros_like(bm25)
    conflict = np.array([slots_conflict(query_slots, s) for s in cand_slots], dtype=np.float32)
    shared = np.array([bool(query_slots & s) for s in cand_slots], dtype=np.float32)
    return np.stack([cos_text, cos_context, np.maximum(cos_text, cos_context), bm_rel, tfidf,
                     conflict, shared], axis=1).astype(np.float32)


# The embedded-tweet signature, with the name and handle kept apart from the body.
_SIGNATURE_PARTS = re.compile(r"[—–]\s*([^—–]{0,80})\(@(\w+)\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}\s*$")
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z'’-]+")
_CAMEL_SPLIT = re.compile(r"([a-z])([A-Z])")


def _capitalised(text: str) -> set[str]:
    """Capitalised words: a cheap stand-in for the names a claim mentions."""
    return {w.lower() for w in _CAPITALISED.findall(text)}


def _query_parts(text: str) -> tuple[set[str], set[str], set[str]]:
    """(capitalised words of the body, content terms of the body, terms of the signature)."""
    sig = _SIGNATURE_PARTS.search(text)
    sig_terms: set[str] = set()
    if sig:
        sig_terms = set(terms(sig.group(1) + " " + _CAMEL_SPLIT.sub(r"\1 \2", sig.group(2))))
        text = _SIGNATURE_PARTS.sub("", text)
    return (_capitalised(normalize_claim_text(text)), set(terms(normalize_claim_text(text, social=True))),
            sig_terms)


def _reciprocal_rank(row: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """1 / (rank + 1) of the candidates among all of ``row`` (rank 1 = highest)."""
    ordered = np.sort(row)
    above = row.size - np.searchsorted(ordered, row[cand], side="right")
    return 1.0 / (above + 2.0)


class ClaimIndex:
    """A searchable set of claims: lexical indexes plus MiniLM vectors of text, context and both.

    ``vectors``/``context_vectors``/``both_vectors`` may be passed (cached or computed
    elsewhere); otherwise they come from ``embed_fn`` (default :func:`newstrace.nlp.embed`).
    ``adapters`` defaults to the shipped ones (:func:`load_adapters`); ``{}`` means none.
    """

    def __init__(
        self, claims: Sequence[Claim], vectors: np.ndarray | None = None,
        context_vectors: np.ndarray | None = None, embed_fn: EmbedFn | None = None,
        config: RankConfig = RankConfig(), both_vectors: np.ndarray | None = None,
        adapters: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.claims = list(claims)
        self.adapters = load_adapters() if adapters is None else adapters
        # adapter name -> (the adapter, the claims adapted by it, their density)
        self._adapted: dict[str, tuple[np.ndarray | None, np.ndarray, np.ndarray]] = {}
        self.config = config
        self._embed = embed_fn or _default_embed
        joined = [f"{c.text} {c.context}".strip() for c in self.claims]
        self.lexical = LexicalIndex(joined)
        self.lexical_text = LexicalIndex([c.text for c in self.claims])
        self.lexical_context = LexicalIndex([c.context for c in self.claims])
        self.vectors = vectors if vectors is not None else self._embed([c.text for c in self.claims])
        has_ctx = any(c.context for c in self.claims)
        if context_vectors is None and has_ctx:
            context_vectors = self._embed([c.context or c.text for c in self.claims])
        self.context_vectors = context_vectors if context_vectors is not None else self.vectors
        if both_vectors is None:
            both_vectors = self._embed(joined) if has_ctx else self.vectors
        self.both_vectors = both_vectors
        self.slot_sets = [c.slot_values() for c in self.claims]
        self.canonical = canonical_claims(self.claims)
        self._caps = [_capitalised(j) for j in joined]
        self._terms = [set(terms(j)) for j in joined]
        # Densities at build time (each n x min(n, density_sample) products), not per query.
        self._density = {"text": self.density(self.vectors), "both": self.density(self.both_vectors)}
        for name in ADAPTERS:
            self.adapted_claims(name)

    @staticmethod
    def social_texts(queries: Sequence[Claim]) -> list[str]:
        """The social-normalised query texts whose vectors ``social_vectors`` are."""
        return [normalize_claim_text(q.text, social=True) for q in queries]

    def features(self, queries: Sequence[Claim], query_vectors: np.ndarray | None = None,
                 social_vectors: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query: (candidate indices, FEATURES matrix). Candidates are the union of the
        lexical and dense top lists, so a paraphrase with no shared word still gets in."""
        if query_vectors is None:
            query_vectors = self._embed([q.text for q in queries])
        social = self.social_texts(queries)
        if social_vectors is None:
            social_vectors = self._embed(social)
        texts = [q.text for q in queries]
        lex = {"b": self.lexical.scores(texts), "t": self.lexical_text.scores(texts),
               "h": self.lexical_context.scores(texts), "s": self.lexical.scores(social)}
        claim_vecs = self.claim_forms()
        query_forms = {"q": query_vectors, "s": social_vectors}
        cos = {f"{qk}{ck}": qv @ cv.T for qk, qv in query_forms.items() for ck, cv in claim_vecs.items()}
        density = dict(self._density)
        for name, (qk, _) in ADAPTERS.items():
            a, claims_adapted, density[name] = self.adapted_claims(name)
            cos[name] = adapt(query_forms[qk], a) @ claims_adapted.T
        out = []
        for i, q in enumerate(queries):
            bm25 = lex["b"][0][i]
            dense = np.maximum(cos["qtext"][i], cos["qtitle"][i])
            cand = np.union1d(_top(bm25, self.config.candidates_lexical),
                              _top(dense, self.config.candidates_dense))
            if self.config.collapse_duplicates:
                cand = np.unique(self.canonical[cand])
            f: dict[str, np.ndarray] = {}
            for key, m in cos.items():
                row = m[i]
                f[key] = row[cand]
                f[key + "_rel"] = row[cand] - row.max()
                f[key + "_rr"] = _reciprocal_rank(row, cand)
            for key, (bm, tf) in lex.items():
                row = bm[i]
                top = float(row.max())
                f[f"bm_{key}"] = row[cand] / top if top > 0 else np.zeros(len(cand), dtype=np.float32)
                f[f"bm_{key}_rr"] = _reciprocal_rank(row, cand)
                f[f"tf_{key}"] = tf[i, cand]
            basic = pair_features(cos["qtext"][i, cand], cos["qtitle"][i, cand], bm25[cand],
                                  lex["b"][1][i, cand], q.slot_values(), [self.slot_sets[j] for j in cand])
            f["slot_conflict"], f["slot_shared"] = basic[:, 5], basic[:, 6]
            q_caps, q_terms, sig_terms = _query_parts(q.text)
            f["cap_n"] = np.array([len(q_caps & self._caps[j]) for j in cand], dtype=np.float32)
            f["cap_overlap"] = f["cap_n"] / max(len(q_caps), 1)
            f["sig_overlap"] = np.array([bool(sig_terms & self._terms[j]) for j in cand], dtype=np.float32)
            shared = np.array([len(q_terms & self._terms[j]) for j in cand], dtype=np.float32)
            f["term_cov_q"] = shared / max(len(q_terms), 1)
            f["term_cov_c"] = shared / np.maximum([len(self._terms[j]) for j in cand], 1)
            for name, d in density.items():
                f["dens_" + name] = d[cand]
            out.append((cand, np.stack([f[k] for k in FEATURES], axis=1).astype(np.float32)))
        return out

    def claim_forms(self) -> dict[str, np.ndarray]:
        """The claims' vectors by form: the text, the title (context), and both joined."""
        return {"text": self.vectors, "title": self.context_vectors, "both": self.both_vectors}

    def density(self, vectors: np.ndarray) -> np.ndarray:
        """:func:`claim_density` of one form of the claims, with this index's settings."""
        return claim_density(vectors, self.canonical, self.config.density_neighbours, self.config.density_sample)

    def adapted_claims(self, name: str) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """(the adapter ``name`` as used, the claims' vectors through it, their density),
        worked out once per adapter: the training script swaps ``self.adapters``."""
        a = self.adapters.get(name)
        dim = self.vectors.shape[1]
        if a is not None and a.shape != (dim, dim):
            a = None  # vectors of another model (or a test's toy vectors): no adapter
        cached = self._adapted.get(name)
        if cached is None or cached[0] is not a:
            adapted = adapt(self.claim_forms()[ADAPTERS[name][1]], a)
            cached = self._adapted[name] = (a, adapted, self.density(adapted))
        return cached

    def rank(self, queries: Sequence[Claim], k: int = 5, query_vectors: np.ndarray | None = None,
             social_vectors: np.ndarray | None = None) -> list[list[tuple[str, float]]]:
        """The ``k`` best claims for each query as ``(claim id, score in [0, 1])``, best first."""
        w = np.asarray(self.config.weights, dtype=np.float32)
        if w.size != len(FEATURES) + 1:
            raise ValueError(f"the re-ranker needs {len(FEATURES) + 1} weights, got {w.size}: "
                             f"run train/claim_matching.py to write data/{_RANKER_FILE}")
        out = []
        for cand, feats in self.features(queries, query_vectors, social_vectors):
            score = _sigmoid(feats @ w[:-1] + w[-1])
            order = np.argsort(-score, kind="stable")[:k]
            out.append([(self.claims[cand[j]].id, float(score[j])) for j in order])
        return out


def canonical_claims(claims: Sequence[Claim]) -> np.ndarray:
    """For each claim, the index of the first claim with the same normalised text.

    Fact-check collections repeat records (CheckThat! 2020: 185 of 10,375 claims repeat an
    earlier one, differing at most in quote marks or case); the first listed stands for all
    copies.
    """
    first: dict[str, int] = {}
    return np.array([first.setdefault(normalize_for_matching(c.text), i) for i, c in enumerate(claims)],
                    dtype=np.int64)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, scores.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    return np.argpartition(-scores, k - 1)[:k]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _default_embed(texts: list[str]) -> np.ndarray:
    from newstrace.nlp import embed

    return embed(texts)


def fit_weights(feature_sets: Sequence[np.ndarray], labels: Sequence[np.ndarray], c: float = 0.1
                ) -> tuple[float, ...]:
    """Linear re-ranker weights (+ bias) from per-query candidate features and 0/1 labels.

    Pairwise: a logistic regression on standardised differences (relevant minus each other
    candidate of the same query), so it learns the order within a query rather than a
    score comparable across queries; the standardisation is folded into the returned weights,
    and the bias puts the mean candidate at 0. Used by ``train/claim_matching.py`` (and the
    benchmark's ``--fit``) on the train split only. On CheckThat! 2020 dev, pairwise ranked
    better than the balanced pointwise fit on the same features (MAP@5 0.900 vs 0.895).
    """
    from sklearn.linear_model import LogisticRegression

    x_all = np.concatenate(feature_sets).astype(np.float64)
    mean, scale = x_all.mean(axis=0), x_all.std(axis=0)
    scale[scale == 0] = 1.0
    diffs = []
    for x, y in zip(feature_sets, labels):
        y = np.asarray(y, dtype=bool)
        if not y.any() or y.all():
            continue
        z = (np.asarray(x, dtype=np.float64) - mean) / scale
        diffs.extend(z[p] - z[~y] for p in np.flatnonzero(y))
    d = np.concatenate(diffs)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(
        np.concatenate([d, -d]), np.r_[np.ones(len(d)), np.zeros(len(d))])
    w = model.coef_[0] / scale
    return tuple(round(float(v), 5) for v in [*w, -float(mean @ w)])


# --- Pairwise grouping within a story -------------------------------------------------------


@dataclass(frozen=True)
class GroupConfig:
    """Thresholds of the pairwise rules (cosines of MiniLM vectors / TF-IDF vectors).

    Set by reasoning about the scales (MiniLM cosine above 0.8 is a close paraphrase for
    sentence-length text; 0.65 with shared entities or heavy word overlap is the same claim told
    differently) and checked on the test fixtures, not fitted to items.
    """

    lexical: float = 0.75
    paraphrase: float = 0.80
    paraphrase_supported: float = 0.65
    support_lexical: float = 0.30


#: The rules of :func:`match_pair` that keep a pair apart whatever its similarity.
VETO_RULES: tuple[str, ...] = ("slot-mismatch", "entity-mismatch")


def match_pair(a: Claim, b: Claim, cos: float, lexical: float, config: GroupConfig = GroupConfig(),
               same_text: bool | None = None) -> Match:
    """Decide whether two claims assert the same thing; the rule says why. ``same_text`` is
    whether their normalised texts are equal, when the caller has already worked it out."""
    sa, sb = a.slot_values(), b.slot_values()
    shared_entities = len(a.entities & b.entities)
    signals = {"cosine": round(cos, 4), "lexical": round(lexical, 4),
               "shared_entities": float(shared_entities),
               "same_speaker": float(bool(a.speaker and a.speaker == b.speaker))}
    score = max(cos, lexical)
    if slots_conflict(sa, sb):
        return Match(a.id, b.id, False, score, "slot-mismatch", signals)
    if a.entities and b.entities and not shared_entities and lexical < config.lexical:
        return Match(a.id, b.id, False, score, "entity-mismatch", signals)
    if same_text if same_text is not None else normalize_for_matching(a.text) == normalize_for_matching(b.text):
        return Match(a.id, b.id, True, 1.0, "exact", signals)
    if lexical >= config.lexical:
        return Match(a.id, b.id, True, score, "lexical", signals)
    if cos >= config.paraphrase:
        return Match(a.id, b.id, True, score, "paraphrase", signals)
    supported = shared_entities > 0 or lexical >= config.support_lexical or bool(sa & sb)
    if cos >= config.paraphrase_supported and supported:
        return Match(a.id, b.id, True, score, "paraphrase+support", signals)
    return Match(a.id, b.id, False, score, "no-match", signals)


def _incidence(sets: Sequence[frozenset[str]]) -> sparse.csr_matrix:
    """Claims x values (slots, or entities) as a sparse 0/1 matrix."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, values in enumerate(sets):
        for v in values:
            rows.append(i)
            cols.append(vocab.setdefault(v, len(vocab)))
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                             shape=(len(sets), max(1, len(vocab))))


class PairBans:
    """Which pairs of a story's claims may never share a group, answered for the pairs asked.

    A pair is banned when its numbers or dates conflict (:func:`slots_conflict`), or when both
    claims name entities, none in common, and the pair is not ``excused`` (the pairs whose
    words overlap enough for :func:`match_pair` to let them through): exactly the pairs
    :func:`match_pair` vetoes or would veto. The answers come from the claims' own slots and
    entities, not from a matrix over all pairs: a story of 30,000 claims has 450 million.
    """

    #: Up to this many pairs a question is answered pair by pair, above it by sparse products.
    _PAIRWISE = 4096

    def __init__(self, slots: Sequence[frozenset[str]], entities: Sequence[frozenset[str]]) -> None:
        self.slots = list(slots)
        self.entities = list(entities)
        #: Pairs ``(i, j)``, ``i < j``, whose entity mismatch is excused by their shared words
        #: (filled by :func:`group_claims`, which sees their word overlap).
        self.excused: set[tuple[int, int]] = set()
        self._s = _incidence(self.slots)
        self._e = _incidence(self.entities)
        self._s_size = np.asarray(self._s.sum(axis=1)).ravel()
        self._has_e = np.asarray(self._e.sum(axis=1)).ravel() > 0

    def pair(self, i: int, j: int) -> bool:
        """Whether claims ``i`` and ``j`` are banned from one group."""
        if slots_conflict(self.slots[i], self.slots[j]):
            return True
        a, b = self.entities[i], self.entities[j]
        return bool(a and b and a.isdisjoint(b)) and (min(i, j), max(i, j)) not in self.excused

    def any_between(self, rows: Sequence[int], cols: Sequence[int]) -> bool:
        """Whether some claim of ``rows`` and some claim of ``cols`` are banned."""
        if len(rows) * len(cols) <= self._PAIRWISE:
            return any(self.pair(i, j) for i in rows for j in cols)
        return bool(self.block(rows, cols).any())

    def block(self, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
        """The bans between ``rows`` and ``cols`` as a boolean matrix."""
        r, c = np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)
        slot_conflict, entity_mismatch = self.vetoes(r, c)
        out = slot_conflict | entity_mismatch
        if self.excused:
            at_r = {int(i): x for x, i in enumerate(r)}
            at_c = {int(j): y for y, j in enumerate(c)}
            for i, j in self.excused:
                for a, b in ((i, j), (j, i)):
                    if a in at_r and b in at_c:
                        out[at_r[a], at_c[b]] = slot_conflict[at_r[a], at_c[b]]
        return out

    def vetoes(self, r: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slot conflicts, entity mismatches) between claims ``r`` and ``c``, before excuses."""
        shared = (self._s[r] @ self._s[c].T).toarray()
        sr, sc = self._s_size[r][:, None], self._s_size[c][None, :]
        slot_conflict = (sr > 0) & (sc > 0) & (shared < sr) & (shared < sc)
        entity_mismatch = (self._has_e[r][:, None] & self._has_e[c][None, :]
                           & ((self._e[r] @ self._e[c].T).toarray() == 0))
        return slot_conflict, entity_mismatch


@dataclass(frozen=True)
class Grouping:
    """What :func:`group_claims` found in one story."""

    groups: list[ClaimGroup]
    #: Vetoed pairs (``slot-mismatch``, ``entity-mismatch``) in (i, j) order, with their signals:
    #: those of the caller's ``report_rules`` whose cosine reaches its ``report_cosine`` (all of
    #: them by default).
    vetoed: list[Match]
    #: Every vetoed pair, reported or not, over the input claims' positions.
    banned: PairBans


#: Pairs compared per block of :func:`group_claims` (a block's matrices are this many floats).
_BLOCK_PAIRS = 1 << 20


def group_claims(
    claims: Sequence[Claim], vectors: np.ndarray | None = None, config: GroupConfig = GroupConfig(),
    embed_fn: EmbedFn | None = None, report_cosine: float | None = None,
    report_rules: Collection[str] = VETO_RULES,
) -> Grouping:
    """Group the claims of one story.

    Groups grow by matched pairs (strongest first), but two groups are never joined when any
    cross pair was vetoed for a number/date or entity mismatch, so a chain of paraphrases
    cannot carry "3 dead" into the group of "30 dead". Vetoed pairs are returned because they
    are exactly what the contradiction flag needs; a caller that only looks at vetoed pairs
    about the same thing passes ``report_cosine`` (compared with the rounded cosine signal),
    since a large story has millions of vetoed pairs and each would be an object; and one that
    only needs some kinds of veto names them in ``report_rules`` (corroboration reads only
    ``slot-mismatch``: in a story of 26,000 claims, 1.4 million of the 2 million pairs the rules
    were asked about were entity mismatches it discarded). A pair is banned whether reported or not.

    The pairs are compared a block of rows at a time (``_BLOCK_PAIRS`` pairs), so memory grows
    with the number of claims, not with the number of pairs.
    """
    n = len(claims)
    if n == 0:
        return Grouping([], [], PairBans([], []))
    if vectors is None:
        vectors = (embed_fn or _default_embed)([c.text for c in claims])
    vectors = np.asarray(vectors, dtype=np.float32)
    lex = LexicalIndex([c.text for c in claims])
    lex_t = lex.tfidf.T.tocsr()
    # Slots and normalised texts once per claim, not once per pair.
    claims = [c if c.slots is not None else replace(c, slots=c.slot_values()) for c in claims]
    norm_ids: dict[str, int] = {}
    norm_id = np.array([norm_ids.setdefault(normalize_for_matching(c.text), len(norm_ids)) for c in claims])
    bans = PairBans([c.slot_values() for c in claims], [c.entities for c in claims])
    every = np.arange(n)
    step = max(1, _BLOCK_PAIRS // n)
    paraphrase = min(config.paraphrase, config.paraphrase_supported)
    matches: list[Match] = []
    vetoed: list[Match] = []
    for start in range(0, n, step):
        rows = every[start:start + step]
        cos = np.asarray(vectors[rows] @ vectors.T, dtype=np.float32)
        tf = (lex.tfidf[rows] @ lex_t).toarray()
        # Only pairs that :func:`match_pair` could join get the full rule: the same text, heavy
        # word overlap or a paraphrase cosine (float32 compares below the float64 bars: a superset).
        can_match = (cos >= paraphrase) | (tf >= config.lexical) | (norm_id[rows][:, None] == norm_id[None, :])
        slot_conflict, entity_mismatch = bans.vetoes(rows, every)
        later = every[None, :] > rows[:, None]
        # As match_pair compares (float64), so that a ban and a veto never disagree at the bar.
        wordy = tf.astype(np.float64) >= config.lexical
        excused = entity_mismatch & ~slot_conflict & wordy & later
        xi, xj = np.nonzero(excused)
        bans.excused.update(zip(rows[xi].tolist(), xj.tolist()))
        # The pairs match_pair calls slot-mismatch and entity-mismatch: never matches, so asked
        # about only when reported.
        veto = {"slot-mismatch": slot_conflict, "entity-mismatch": entity_mismatch & ~slot_conflict & ~wordy}
        report = np.zeros_like(can_match)
        unreported = np.zeros_like(can_match)
        for rule, pairs in veto.items():
            if rule in report_rules:
                report |= pairs
            else:
                unreported |= pairs
        if report_cosine is not None:
            report &= cos >= report_cosine - 1e-4
        # Pairs in (i, j) order, as nested loops would visit them: the order of the vetoed list
        # is the order in which contradictions are gathered.
        ii, jj = np.nonzero(((can_match & ~unreported) | report) & later)
        for i, j, c, t in zip(rows[ii].tolist(), jj.tolist(), cos[ii, jj].tolist(), tf[ii, jj].tolist()):
            m = match_pair(claims[i], claims[j], c, t, config, same_text=bool(norm_id[i] == norm_id[j]))
            if m.same:
                matches.append(m)
            elif m.rule in report_rules and (report_cosine is None or m.signals["cosine"] >= report_cosine):
                vetoed.append(m)
    index = {c.id: i for i, c in enumerate(claims)}
    group_of = list(range(n))
    members: dict[int, set[int]] = {i: {i} for i in range(n)}
    joined: dict[int, list[Match]] = {i: [] for i in range(n)}
    apart: set[tuple[int, int]] = set()  # groups found banned: members only grow, so they stay so
    for m in sorted(matches, key=lambda m: -m.score):
        ga, gb = group_of[index[m.a]], group_of[index[m.b]]
        if ga == gb:
            joined[ga].append(m)
            continue
        key = (min(ga, gb), max(ga, gb))
        if key in apart:
            continue
        if bans.any_between(sorted(members[ga]), sorted(members[gb])):
            apart.add(key)
            continue
        for x in members[gb]:
            group_of[x] = ga
        members[ga] |= members.pop(gb)
        joined[ga] += joined.pop(gb) + [m]
    groups = []
    for g, mem in members.items():
        ms = tuple(joined[g])
        score = min((m.score for m in ms), default=1.0)
        groups.append(ClaimGroup(tuple(claims[i].id for i in sorted(mem)), round(score, 4), ms))
    groups.sort(key=lambda g: (-len(g.members), g.members))
    return Grouping(groups, vetoed, bans)
