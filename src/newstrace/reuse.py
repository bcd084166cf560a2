"""Reuse detection: which articles copy, edit or rewrite which.

Three steps, each a pure function of records, so the same code runs here or on Ray:

1. **Candidates** without comparing all pairs. MinHash LSH on word shingles finds copies and
   light edits; it cannot find LLM rewrites (a rewrite shares almost no 5-word shingle with its
   original), so nearest neighbours on a truncated article embedding add the paraphrases. Both
   live in :class:`ReuseIndex`, which grows as articles arrive and is saved as bytes.
2. **Pair evidence**: cheap article-level scores (shingle Jaccard, IDF-weighted containment of
   content terms, embedding cosine) and a monotone sentence alignment.
3. **Classification** of each pair into ``copy``, ``edit``, ``rewrite``, ``shared-source`` or
   ``same-story`` (not reuse), with the scores, thresholds and rule kept on the edge.

The budget drives the design: MiniLM embeds ~200 sentences/s on 2 cores, so embedding every
sentence cannot reach 20 articles/s. The article embedding is one short text per article (its
first ``embed_words`` words); sentence alignment is lexical by default and uses sentence
embeddings only when a caller passes them (the report, for a handful of edges).
"""

from __future__ import annotations

import math
import pickle
import sys
import time
import zlib
from collections import ChainMap, Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from newstrace.model import AlignedPair, Article, ReuseEdge, Span
from newstrace.text import _PUNCT_MAP, normalize_for_matching, stable_hash, words

if TYPE_CHECKING:  # pragma: no cover
    from newstrace.nlp import BatchMap

#: Reuse kinds; ``same-story`` is recorded for audit but is not reuse.
REUSE_KINDS = ("copy", "edit", "rewrite", "shared-source")

# sklearn's English stop list is the common choice; copied in small so that this module has no
# import-time dependency on scikit-learn.
_STOP = frozenset(
    """a about above across after afterwards again against all almost alone along already also
    although always am among amongst an and another any anyhow anyone anything anyway anywhere are
    around as at back be became because become becomes becoming been before beforehand behind being
    below beside besides between beyond both but by can cannot could did do does doing done down
    during each either else elsewhere enough etc even ever every everyone everything everywhere
    except few for former formerly from further had has have having he hence her here hereafter
    hereby herein hereupon hers herself him himself his how however i if in indeed into is it its
    itself just last latter latterly least less made many may me meanwhile might mine more moreover
    most mostly much must my myself namely neither never nevertheless next no nobody none noone nor
    not nothing now nowhere of off often on once one only onto or other others otherwise our ours
    ourselves out over own per perhaps please put rather re said same say says see seem seemed
    seeming seems several she should since so some somehow someone something sometime sometimes
    somewhere still such than that the their theirs them themselves then thence there thereafter
    thereby therefore therein thereupon these they this those though through throughout thru thus
    to together too toward towards under until up upon us very via was we well were what whatever
    when whence whenever where whereafter whereas whereby wherein whereupon wherever whether which
    while whither who whoever whole whom whose why will with within without would yet you your
    yours yourself yourselves""".split()
)


@dataclass(frozen=True)
class ReuseConfig:
    """Settings of the reuse stage. The string form names them, so outputs describe themselves.

    Thresholds were set by reasoning about the score scales and checked on the SheepDog dev
    split as a whole (never per item); see ``docs/benchmarks.md``.
    """

    shingle_words: int = 5
    num_perm: int = 128
    seed: int = 1
    lsh_threshold: float = 0.5  # Jaccard of 5-word shingles; bands x rows derived as datasketch does
    ann_k: int = 10
    ann_min_cosine: float = 0.45
    embed_words: int = 96  # ~128 word pieces: the head of an article names who, what, where
    # Content terms are taken from the head too: a long transcript contains the vocabulary of
    # every short piece on its topic, which would make containment meaningless.
    term_words: int = 1000
    idf_prior_docs: int = 50  # keeps IDF meaningful while the corpus is still tiny
    copy_jaccard: float = 0.9
    edit_jaccard: float = 0.5
    rewrite_score: float = 0.44  # mean of containment and embedding cosine; see classify_edge
    rewrite_sure: float = 0.50  # above this a sliver of aligned text is enough (rewrite_sure_coverage)
    rewrite_certain: float = 0.60  # above this the paraphrase score alone decides
    # Between rewrite_sure and rewrite_certain this share must align: two reports of one event
    # reach 0.5 on topic words and head cosine alone, with one loosely matched sentence in 14.
    rewrite_sure_coverage: float = 0.08
    rewrite_min_coverage: float = 0.15  # below rewrite_sure, this share of the shorter text must align
    candidate_score: float = 0.30  # pairs below this are not worth an edge record at all
    densify_score: float = 0.40  # links whose two-step neighbours are scored as well
    densify_max: int = 30  # neighbours per article considered for that
    align_min_sim: float = 0.25
    shared_min_aligned: int = 3
    shared_max_coverage: float = 0.5


# --- Records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """What the reuse stage needs of an article (``Article`` converts to it)."""

    id: str
    text: str
    published_at: datetime | None = None
    content_hash: str = ""  # ``newstrace.text.content_hash`` of the text, when ingest computed it
    outlet: str | None = None  # the publisher's name, when ingest found one (provenance credits it)
    url: str | None = None  # where it was published (provenance: a press release on its issuer's site)


@dataclass
class ArticleFeatures:
    """Per-article material the index keeps, so stored articles are never re-read or re-embedded."""

    id: str
    published_at: datetime | None
    n_words: int
    #: Distinct content terms of the head, in first-occurrence order, each string interned: the
    #: index holds every article's, and one shared object per term is a fifth of a dict of them.
    terms: tuple[str, ...]
    signature: np.ndarray  # uint32 MinHash values
    vector: np.ndarray | None  # unit-length truncated-article embedding
    content_hash: str


@dataclass(frozen=True)
class Candidate:
    """A pair worth comparing and which generator proposed it (``lsh``, ``ann`` or both; ``hash``
    for a verbatim copy and the first article with its text)."""

    a: str
    b: str
    via: tuple[str, ...]


def as_records(items: Iterable[Article | Record | tuple[Any, ...] | dict[str, Any]]) -> list[Record]:
    """Accept ``Article``, ``Record``, ``(id, text[, published_at])`` or dicts with those keys."""
    out = []
    for it in items:
        if isinstance(it, Record):
            out.append(it)
        elif isinstance(it, Article):
            out.append(Record(it.id, it.text, it.published_at, it.content_hash, it.outlet, it.url))
        elif isinstance(it, dict):
            out.append(Record(it["id"], it["text"], it.get("published_at"), outlet=it.get("outlet"),
                              url=it.get("url")))
        else:
            out.append(Record(it[0], it[1], it[2] if len(it) > 2 else None))
    return out


# --- Features -------------------------------------------------------------------------------


def matching_tokens(text: str) -> list[str]:
    """Tokens of ``normalize_for_matching(text)``, with a fast path for ASCII text (most news),
    where the accent-stripping pass of the full normaliser is a no-op but costs most of the time."""
    if text.isascii():
        return words(text.translate(_PUNCT_MAP).casefold())
    return normalize_for_matching(text).split()


def content_terms(text: str) -> list[str]:
    """Lower-cased content words (no stop words, no single characters)."""
    return _content(matching_tokens(text))


def _content(tokens: Sequence[str]) -> list[str]:
    return [w for w in tokens if len(w) > 1 and w not in _STOP]


def _interned(terms: Iterable[str]) -> tuple[str, ...]:
    """The distinct terms in first-occurrence order, as interned strings."""
    return tuple(sys.intern(t) for t in dict.fromkeys(terms))


def _identity(x: int) -> int:
    return x


def shingle_hashes(tokens: Sequence[str], k: int) -> np.ndarray:
    """32-bit hashes of the distinct word k-shingles, computed from per-token CRC32s in numpy.

    Equivalent in purpose to hashing the joined shingle strings, at a fraction of the cost.
    """
    th = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64, count=len(tokens))
    if th.size == 0:
        return np.zeros(1, dtype=np.uint64)
    n = max(th.size - k + 1, 1)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, th.size)):
        h = h * np.uint64(1_000_003) + th[j : j + n]
    return np.unique(h & np.uint64(0xFFFFFFFF))


def minhash_signatures(texts: Sequence[str], config: ReuseConfig = ReuseConfig(),
                       tokens: Sequence[Sequence[str]] | None = None) -> np.ndarray:
    """MinHash signatures (datasketch permutations) of word shingles, as an ``(n, num_perm)``
    uint32 array."""
    from datasketch import MinHash

    toks = tokens if tokens is not None else [matching_tokens(t) for t in texts]
    out = np.zeros((len(toks), config.num_perm), dtype=np.uint32)
    template = MinHash(num_perm=config.num_perm, seed=config.seed)  # drawing permutations is costly
    for i, tk in enumerate(toks):
        m = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=_identity,
                    permutations=template.permutations, scheme=template.scheme)
        m.update_batch(shingle_hashes(tk, config.shingle_words).tolist())
        out[i] = m.hashvalues
    return out


def article_heads(texts: Sequence[str], max_words: int) -> list[str]:
    """The first ``max_words`` words of each text: one short model input per article.

    The dateline stays: stripped, rewrites that keep their original's dateline lost it as
    evidence (SheepDog dev, command A: pairwise F1 0.9808 -> 0.9801, origin accuracy 0.9122
    -> 0.9117), more than unrelated items of one city gained."""
    out = []
    for t in texts:
        parts = t.split()
        out.append(" ".join(parts[:max_words]))
    return out


def embed_articles(texts: Sequence[str], config: ReuseConfig = ReuseConfig(),
                   map_batches: BatchMap | None = None) -> np.ndarray:
    """Unit-length MiniLM embeddings of each article's head; ``map_batches`` runs the model's
    batches (:func:`newstrace.nlp.embed`)."""
    from newstrace.nlp import embed

    return embed(article_heads(texts, config.embed_words), map_batches=map_batches)


def featurize(
    records: Sequence[Record], vectors: np.ndarray | None = None, config: ReuseConfig = ReuseConfig(),
    embed_fn: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> list[ArticleFeatures]:
    """Features of new articles. Pass ``vectors`` when the embed stage already ran."""
    texts = [r.text for r in records]
    toks = [matching_tokens(t) for t in texts]
    sigs = minhash_signatures(texts, config, toks)
    if vectors is None:
        vectors = (embed_fn or (lambda t: embed_articles(t, config)))(texts)
    out = []
    for r, tk, sig, vec in zip(records, toks, sigs, vectors):
        out.append(
            ArticleFeatures(
                id=r.id, published_at=r.published_at, n_words=len(tk),
                terms=_interned(_content(tk[: config.term_words])), signature=sig,
                vector=np.asarray(vec, dtype=np.float32),
                content_hash=r.content_hash or stable_hash(" ".join(tk), length=32),
            )
        )
    return out


# --- The incremental index ------------------------------------------------------------------


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows minimising false positives + false negatives, exactly as datasketch does."""
    from datasketch.lsh import _optimal_param

    return tuple(_optimal_param(threshold, num_perm, 0.5, 0.5))  # type: ignore[return-value]


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit hash per LSH band of each signature, as an ``(n, bands)`` uint64 array.

    FNV-1a over the band's ``rows`` MinHash values, then the splitmix64 finaliser. Two bands
    with equal values always get equal hashes, so no pair the exact band keys would propose is
    lost; two different bands share a hash only by a 64-bit collision (no two of 50,000 random
    bands did in ``tests/test_reuse.py``), and such a pair is only proposed, never linked: the
    pair scores judge it like any other candidate.
    """
    n = signatures.shape[0]
    part = signatures[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    h = np.full((n, bands), 0xCBF29CE484222325, dtype=np.uint64)
    for r in range(rows):
        h ^= part[:, :, r]
        h *= np.uint64(0x100000001B3)
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h


class BandTable:
    """The LSH band buckets of every stored article, as sorted arrays of band hashes.

    A dict of band keys to lists of positions cost 4,876 bytes per article (25 bands of
    bytes keys, lists and dict slots; ``bench/reuse_memory.py``); these arrays cost 12 bytes
    per article and band (a 64-bit hash and a 32-bit position). A batch of new articles is
    inserted into a smaller sorted ``recent`` part, which is inserted into the main part once
    it outgrows ``merge_at`` rows and a quarter of the main part: adding a batch never sorts
    the corpus, and copies the main part only now and then.
    """

    def __init__(self, bands: int, merge_at: int = 65_536) -> None:
        self.bands = bands
        self.merge_at = merge_at
        empty = (np.zeros((bands, 0), dtype=np.uint64), np.zeros((bands, 0), dtype=np.int32))
        self._main = empty
        self._recent = empty

    def __len__(self) -> int:
        return self._main[0].shape[1] + self._recent[0].shape[1]

    def _merged(self, into: tuple[np.ndarray, np.ndarray], keys: np.ndarray, positions: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
        """``into`` with sorted ``keys``/``positions`` (``(bands, m)``) inserted in key order:
        one pass over ``into`` per band, no sort of it."""
        out_keys, out_pos = [], []
        for b in range(self.bands):
            at = np.searchsorted(into[0][b], keys[b], side="right")
            out_keys.append(np.insert(into[0][b], at, keys[b]))
            out_pos.append(np.insert(into[1][b], at, positions[b]))
        return np.stack(out_keys), np.stack(out_pos)

    def add(self, hashes: np.ndarray, positions: np.ndarray) -> None:
        """Store ``hashes`` (``(n, bands)``, from :func:`band_hashes`) under ``positions``."""
        keys = np.ascontiguousarray(hashes.T)
        order = np.argsort(keys, axis=1, kind="stable")
        pos = np.broadcast_to(positions.astype(np.int32), keys.shape)
        self._recent = self._merged(self._recent, np.take_along_axis(keys, order, 1),
                                    np.take_along_axis(pos, order, 1))
        if self._recent[0].shape[1] > max(self.merge_at, self._main[0].shape[1] // 4):
            self._main = self._merged(self._main, *self._recent)
            self._recent = (np.zeros((self.bands, 0), dtype=np.uint64), np.zeros((self.bands, 0), dtype=np.int32))

    def lookup(self, hashes: np.ndarray) -> list[np.ndarray]:
        """For each row of ``hashes``, the positions sharing at least one band with it
        (each position once, in ascending order). Vectorised: a batch of a thousand articles
        makes a few numpy calls per band, not one per hit."""
        queries, found = [], []
        for keys, pos in (self._main, self._recent):
            for b in range(self.bands):
                lo = np.searchsorted(keys[b], hashes[:, b], side="left")
                counts = np.searchsorted(keys[b], hashes[:, b], side="right") - lo
                total = int(counts.sum())
                if not total:
                    continue
                # Slot of each hit: its bucket's start plus its rank inside the bucket.
                starts = np.repeat(lo - (np.cumsum(counts) - counts), counts)
                queries.append(np.repeat(np.arange(len(hashes)), counts))
                found.append(pos[b][starts + np.arange(total)])
        if not found:
            return [np.zeros(0, dtype=np.int32) for _ in range(len(hashes))]
        pairs = np.unique(np.concatenate(queries).astype(np.int64) << 32 | np.concatenate(found).astype(np.int64))
        rows = pairs >> 32
        hits = (pairs & 0xFFFFFFFF).astype(np.int32)
        return np.split(hits, np.searchsorted(rows, np.arange(1, len(hashes))))


class ReuseIndex:
    """Everything needed to match new articles against stored ones.

    Holds the MinHash band buckets (numpy signatures, not MinHash objects), a usearch HNSW index
    of article embeddings, the document frequencies of content terms, and each article's
    features. ``add`` is cheap and never touches stored articles; ``to_bytes``/``from_bytes``
    let the store keep it between runs.

    A verbatim copy (the content hash of an article already stored) is an *alias* of the first
    article with that hash: it is matched with that article only, and kept out of the buckets
    and the ANN graph. A wire story copied by n outlets then costs n copy edges, not n²/2, and
    its copies do not fill other articles' nearest-neighbour lists; grouping
    (``provenance.origin_groups``) puts every copy with the article it copies.
    """

    def __init__(self, config: ReuseConfig = ReuseConfig(), dim: int = 384) -> None:
        from usearch.index import Index

        self.config = config
        self.dim = dim
        self.bands, self.rows = lsh_params(config.lsh_threshold, config.num_perm)
        self.buckets = BandTable(self.bands)
        self.ann = Index(ndim=dim, metric="cos", dtype="f32")
        self.features: list[ArticleFeatures] = []
        self.position: dict[str, int] = {}
        self.df: Counter[str] = Counter()
        self.first_of_hash: dict[str, str] = {}
        self.alias_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.features)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self.position

    def get(self, article_id: str) -> ArticleFeatures:
        return self.features[self.position[article_id]]

    def idf(self, term: str) -> float:
        n = len(self.features) + self.config.idf_prior_docs
        return math.log(n / (self.df.get(term, 0) + 1))

    def _band_hashes(self, feats: Sequence[ArticleFeatures]) -> np.ndarray:
        return band_hashes(np.stack([f.signature for f in feats]), self.bands, self.rows)

    def add(self, feats: Sequence[ArticleFeatures]) -> None:
        """Store new articles; an article already present gets the new features in its place.

        An article is matched again when its text as compared changed (boilerplate found
        after it arrived: :mod:`newstrace.boilerplate`): its terms replace the old ones in the
        document frequencies and its new MinHash bands are added. Its old bands and its ANN
        entry stay; they can only propose a candidate, which is then scored on the new features.
        Adding the same features again changes nothing."""
        keys, vecs = [], []
        matched: list[ArticleFeatures] = []
        positions: list[int] = []
        for f in feats:
            pos = self.position.get(f.id)
            if pos is not None:
                old = self.features[pos]
                if old.terms == f.terms and np.array_equal(old.signature, f.signature):
                    continue
                self.df.subtract(old.terms)
                for t in old.terms:
                    if self.df[t] <= 0:
                        del self.df[t]
                self.df.update(f.terms)
                self.features[pos] = f
                if f.id not in self.alias_of and f.content_hash == old.content_hash:
                    matched.append(f)
                    positions.append(pos)
                continue
            pos = len(self.features)
            self.position[f.id] = pos
            self.features.append(f)
            self.df.update(f.terms)  # a copy is a document too: IDF counts it
            if self._note_alias(f):
                continue
            matched.append(f)
            positions.append(pos)
            if f.vector is not None:
                keys.append(pos)
                vecs.append(f.vector)
        if matched:
            self.buckets.add(self._band_hashes(matched), np.asarray(positions))
        if vecs:
            # One thread: a graph built by several threads depends on their timing, and so would
            # the candidates, the edges and everything downstream (two runs differed by an edge).
            self.ann.add(np.asarray(keys, dtype=np.uint64), np.stack(vecs).astype(np.float32), threads=1)

    def query(self, feats: Sequence[ArticleFeatures]) -> dict[str, dict[str, set[str]]]:
        """Stored neighbours of each article: ``{id: {other_id: {"lsh", "ann"}}}``."""
        out: dict[str, dict[str, set[str]]] = {f.id: {} for f in feats}
        for f in feats:
            if f.id in self.alias_of:
                out[f.id][self.alias_of[f.id]] = {"hash"}
        feats = [f for f in feats if f.id not in self.alias_of]
        if feats and len(self.buckets):
            for f, hits in zip(feats, self.buckets.lookup(self._band_hashes(feats))):
                for pos in hits.tolist():
                    other = self.canonical(self.features[pos].id)
                    if other != f.id:
                        out[f.id].setdefault(other, set()).add("lsh")
        with_vec = [f for f in feats if f.vector is not None]
        if with_vec and len(self.ann):
            k = min(self.config.ann_k + 1, len(self.ann))
            res = self.ann.search(np.stack([f.vector for f in with_vec]).astype(np.float32), k)
            keys = np.asarray(res.keys).reshape(len(with_vec), -1)
            dists = np.asarray(res.distances).reshape(len(with_vec), -1)
            for f, ks, ds in zip(with_vec, keys, dists):
                for pos, d in zip(ks, ds):
                    if pos >= len(self.features) or 1.0 - float(d) < self.config.ann_min_cosine:
                        continue
                    other = self.canonical(self.features[int(pos)].id)  # an index saved before aliases
                    if other != f.id:
                        out[f.id].setdefault(other, set()).add("ann")
        return out

    def _note_alias(self, f: ArticleFeatures) -> bool:
        """Record ``f`` as the first article with its content hash, or as an alias of the
        first; True for an alias."""
        if not f.content_hash:
            return False
        first = self.first_of_hash.setdefault(f.content_hash, f.id)
        if first == f.id:
            return False
        self.alias_of[f.id] = first
        return True

    def canonical(self, article_id: str) -> str:
        """The article an alias copies; any other article is its own."""
        return self.alias_of.get(article_id, article_id)

    def is_alias(self, article_id: str) -> bool:
        return article_id in self.alias_of

    def to_bytes(self) -> bytes:
        """Serialise the index (the usearch graph included; the band table is rebuilt from the
        signatures on load, a few seconds for a million articles, rather than stored)."""
        state = {
            "config": asdict(self.config), "dim": self.dim,
            "features": self.features, "df": self.df, "ann": bytes(self.ann.save()),
        }
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, blob: bytes) -> "ReuseIndex":
        from usearch.index import Index

        state = pickle.loads(blob)  # noqa: S301 - our own store's bytes, never user input
        index = cls(ReuseConfig(**state["config"]), state["dim"])
        index.features = state["features"]  # an index stored with its bucket dicts: they are not read
        for f in index.features:  # interned again (and an index stored with term counts read)
            f.terms = _interned(f.terms)
        signatures = _share_arrays(index.features)
        if signatures is not None:
            keep = np.asarray([not index._note_alias(f) for f in index.features])
            index.buckets.add(band_hashes(signatures[keep], index.bands, index.rows), np.flatnonzero(keep))
        index.position = {f.id: i for i, f in enumerate(index.features)}
        index.df = state["df"]
        index.ann = Index.restore(state["ann"])
        return index

    def save(self, path: str) -> None:
        with open(path, "wb") as f:
            f.write(self.to_bytes())

    @classmethod
    def load(cls, path: str) -> "ReuseIndex":
        with open(path, "rb") as f:
            return cls.from_bytes(f.read())


def _share_arrays(features: Sequence[ArticleFeatures]) -> np.ndarray | None:
    """Make every signature and head vector a row of one matrix each; return the signatures'
    matrix (None when there are no features), which the band table is built from.

    Unpickled, each article's two arrays are objects of their own, each holding its data in a
    bytes object of its own: 1,105 and 2,129 bytes per article for 512 and 1,536 bytes of
    values (``bench/reuse_memory.py``). Rows of two shared matrices hold the same values.
    """
    if not features:
        return None
    signatures = np.stack([f.signature for f in features])
    for f, row in zip(features, signatures):
        f.signature = row
    with_vec = [f for f in features if f.vector is not None]
    if with_vec:
        for f, row in zip(with_vec, np.stack([f.vector for f in with_vec])):
            f.vector = row
    return signatures


def add_and_match(index: ReuseIndex, feats: Sequence[ArticleFeatures]) -> list[Candidate]:
    """Add new articles to ``index`` and return candidate pairs among them and with stored ones.

    New articles are added before querying so that pairs inside the batch are found too; each
    unordered pair is returned once.
    """
    index.add(feats)
    pairs: dict[tuple[str, str], set[str]] = {}
    for aid, hits in index.query(feats).items():
        for bid, via in hits.items():
            key = (aid, bid) if aid < bid else (bid, aid)
            pairs.setdefault(key, set()).update(via)
    return [Candidate(a, b, tuple(sorted(v))) for (a, b), v in sorted(pairs.items())]


# --- Pair evidence --------------------------------------------------------------------------


def pair_scores(a: ArticleFeatures, b: ArticleFeatures, index: ReuseIndex) -> dict[str, float]:
    """Article-level scores of a pair, all cheap (no model call).

    ``containment`` is the IDF-weighted share of the smaller article's content terms found in
    the other: a rewrite keeps the names, numbers and topic words of its original while changing
    the wording around them, and a condensed rewrite is contained in its longer original, which
    a symmetric cosine under-rates.
    """
    jaccard = float(np.mean(a.signature == b.signature))
    ta, tb = a.terms, b.terms
    wa = sum(index.idf(t) for t in ta)
    wb = sum(index.idf(t) for t in tb)
    # In the first article's term order: a set's order follows the per-process string hash, so
    # summing over ``ta & tb`` made the same pair score differ in its last bit between runs.
    in_b = set(tb)
    inter = sum(index.idf(t) for t in ta if t in in_b)
    containment = inter / min(wa, wb) if min(wa, wb) > 0 else 0.0
    cosine = float(a.vector @ b.vector) if a.vector is not None and b.vector is not None else 0.0
    return {
        "jaccard": jaccard, "containment": containment, "cosine": cosine,
        "score": 0.5 * (containment + cosine),
        "len_ratio": min(a.n_words, b.n_words) / max(a.n_words, b.n_words, 1),
        "same_hash": float(a.content_hash == b.content_hash),
    }


# --- Sentence alignment ---------------------------------------------------------------------

def sentence_terms(text: str, spans: Sequence[tuple[int, int]]) -> list[set[str]]:
    return [set(content_terms(text[s:e])) for s, e in spans]


def lexical_similarity(x: set[str], y: set[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted Dice overlap of two sentences' content terms."""
    if not x or not y:
        return 0.0
    inter = math.fsum(idf(t) for t in x & y)
    return 2 * inter / (math.fsum(idf(t) for t in x) + math.fsum(idf(t) for t in y))


def lexical_matrix(ta: Sequence[set[str]], tb: Sequence[set[str]], idf: Callable[[str], float]) -> np.ndarray:
    """All-pairs :func:`lexical_similarity` of two sentence lists, as one matrix product."""
    # Terms in sorted order, not the sets' (per-process, hash-dependent) order, so that the
    # products sum in the same order on every run.
    vocab = {t: i for i, t in enumerate(sorted(set().union(*ta, *tb)))}
    if not vocab:
        return np.zeros((len(ta), len(tb)), dtype=np.float32)
    weights = np.array([idf(t) for t in vocab], dtype=np.float32)

    def incidence(sents: Sequence[set[str]]) -> np.ndarray:
        x = np.zeros((len(sents), len(vocab)), dtype=np.float32)
        for i, sent in enumerate(sents):
            x[i, [vocab[t] for t in sent]] = 1.0
        return x

    xa, xb = incidence(ta), incidence(tb)
    wa = xa * weights
    inter = wa @ xb.T
    denom = wa.sum(1)[:, None] + (xb * weights).sum(1)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 2 * inter / denom, 0.0).astype(np.float32)


def align_sentences(
    text_a: str, spans_a: Sequence[tuple[int, int]], text_b: str, spans_b: Sequence[tuple[int, int]],
    idf: Callable[[str], float], vectors_a: np.ndarray | None = None, vectors_b: np.ndarray | None = None,
    min_sim: float = ReuseConfig.align_min_sim,
    terms_a: Sequence[set[str]] | None = None, terms_b: Sequence[set[str]] | None = None,
) -> list[AlignedPair]:
    """Monotone alignment that may skip sentences on either side (rewrites drop and add some).

    Dynamic programming maximises the sum of ``sim - min_sim`` over aligned pairs, so only pairs
    above ``min_sim`` are worth aligning and skips cost nothing. ``sim`` is lexical overlap, or
    the mean of embedding cosine and lexical overlap when sentence vectors are given.
    """
    ta = terms_a if terms_a is not None else sentence_terms(text_a, spans_a)
    tb = terms_b if terms_b is not None else sentence_terms(text_b, spans_b)
    n, m = len(ta), len(tb)
    if not n or not m:
        return []
    lex = lexical_matrix(ta, tb, idf)
    cos: np.ndarray | None = None
    if vectors_a is not None and vectors_b is not None:
        cos = np.clip(vectors_a @ vectors_b.T, 0.0, 1.0).astype(np.float32)
        sim = 0.5 * (cos + lex)
    else:
        sim = lex
    gain = sim - min_sim
    best = np.zeros((n + 1, m + 1), dtype=np.float32)
    # best[i, j] = max(best[i-1, j], best[i, j-1], best[i-1, j-1] + gain) (the diagonal only
    # where gain > 0). Within a row the left-neighbour term is a running maximum, so each row is
    # two vector operations and a cumulative max: the same float32 values as the scalar loop.
    neg = np.float32(-np.inf)
    for i in range(1, n + 1):
        prev = best[i - 1]
        g = gain[i - 1]
        cand = prev.copy()
        cand[1:] = np.maximum(prev[1:], np.where(g > 0, prev[:-1] + g, neg))
        best[i] = np.maximum.accumulate(cand)
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if gain[i - 1, j - 1] > 0 and math.isclose(best[i, j], best[i - 1, j - 1] + gain[i - 1, j - 1], rel_tol=1e-6, abs_tol=1e-7):
            (sa, ea), (sb, eb) = spans_a[i - 1], spans_b[j - 1]
            pairs.append(
                AlignedPair(
                    a_index=i - 1, b_index=j - 1, a=Span(sa, ea, text_a[sa:ea]), b=Span(sb, eb, text_b[sb:eb]),
                    cosine=None if cos is None else float(cos[i - 1, j - 1]),
                    lexical=float(lex[i - 1, j - 1]), score=float(sim[i - 1, j - 1]),
                )
            )
            i, j = i - 1, j - 1
        elif best[i, j] == best[i - 1, j]:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


def alignment_scores(pairs: Sequence[AlignedPair], n_a: int, n_b: int) -> dict[str, float]:
    """Coverage of each side by the alignment (share of its sentences that found a partner)."""
    k = len(pairs)
    return {
        "aligned": float(k), "coverage_a": k / n_a if n_a else 0.0, "coverage_b": k / n_b if n_b else 0.0,
        "aligned_mean": float(np.mean([p.score for p in pairs])) if pairs else 0.0,
    }


# --- Classification -------------------------------------------------------------------------


def classify_edge(f: dict[str, float], config: ReuseConfig = ReuseConfig()) -> tuple[str, str]:
    """Kind of a pair and the rule that fired, from its scores.

    Order matters: shingle overlap is unambiguous evidence of copying, so it decides first;
    then the paraphrase score (containment + embedding cosine), which is what separates an LLM
    rewrite from a report on the same event; a score below ``rewrite_certain`` must be backed by
    sentence alignment, the more the lower the score (in a small corpus, topic words alone push unrelated reports on one theme over the
    threshold; a rewrite "paraphrases most of the content", so its sentences align); then a partial alignment with material on both
    sides that the other lacks, which is what drawing on a common third text looks like.
    """
    if f.get("same_hash", 0.0) >= 1.0 or f["jaccard"] >= config.copy_jaccard:
        return "copy", f"jaccard>={config.copy_jaccard} or equal content hash"
    if f["jaccard"] >= config.edit_jaccard:
        return "edit", f"jaccard>={config.edit_jaccard}"
    coverage = max(f.get("coverage_a", 0.0), f.get("coverage_b", 0.0))
    if f["score"] >= config.rewrite_certain:
        return "rewrite", f"mean(containment,cosine)>={config.rewrite_certain}"
    if f["score"] >= config.rewrite_sure and ("aligned" not in f or coverage >= config.rewrite_sure_coverage):
        return "rewrite", (
            f"mean(containment,cosine)>={config.rewrite_sure} and aligned coverage>={config.rewrite_sure_coverage}"
        )
    if f["score"] >= config.rewrite_score and ("aligned" not in f or coverage >= config.rewrite_min_coverage):
        return "rewrite", (
            f"mean(containment,cosine)>={config.rewrite_score} and aligned coverage>={config.rewrite_min_coverage}"
        )
    if f["score"] >= config.rewrite_score:
        bar = config.rewrite_min_coverage if f["score"] < config.rewrite_sure else config.rewrite_sure_coverage
        return "same-story", (
            f"mean(containment,cosine) in [{config.rewrite_score},{config.rewrite_certain}) but aligned coverage"
            f"<{bar}: on-topic, not a paraphrase"
        )
    if (
        f.get("aligned", 0.0) >= config.shared_min_aligned
        and max(f.get("coverage_a", 0.0), f.get("coverage_b", 0.0)) < config.shared_max_coverage
        and f.get("aligned_mean", 0.0) >= 0.5
    ):
        return "shared-source", (
            f"aligned>={config.shared_min_aligned} and coverage<{config.shared_max_coverage} both sides"
        )
    return "same-story", f"mean(containment,cosine)<{config.rewrite_score} and no shared block"


# --- The stage ------------------------------------------------------------------------------


@dataclass
class ReuseResult:
    """What one run of the stage produced: edges (reuse and same-story) and timings."""

    edges: list[ReuseEdge]
    candidates: list[Candidate]
    timings: dict[str, float] = field(default_factory=dict)


def _densify(scored: dict[tuple[str, str], dict[str, float]], index: ReuseIndex, config: ReuseConfig) -> None:
    """Score the pairs two plausible links apart (``a``-``x`` and ``x``-``b``).

    Grouping uses average linkage, which needs pairs the candidate generators did not propose:
    a sensational restyle may not be among its original's nearest neighbours but is among a
    sibling rewrite's. Bounded by the squared degree of each article, so it scales linearly.
    """
    nbrs: dict[str, list[str]] = {}
    for (a, b), f in scored.items():
        if index.is_alias(a) or index.is_alias(b):
            continue  # a copy is matched with the article it copies only
        if f["score"] >= config.densify_score or f["jaccard"] >= config.edit_jaccard:
            nbrs.setdefault(a, []).append(b)
            nbrs.setdefault(b, []).append(a)
    for around in nbrs.values():
        around = sorted(around)[: config.densify_max]
        for i, a in enumerate(around):
            for b in around[i + 1 :]:
                if (a, b) not in scored:
                    scored[(a, b)] = pair_scores(index.get(a), index.get(b), index)


def detect_reuse(
    records: Iterable[Article | Record | tuple[Any, ...]],
    sentence_spans: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    index: ReuseIndex | None = None,
    vectors: np.ndarray | None = None,
    config: ReuseConfig = ReuseConfig(),
    sentence_vectors: dict[str, np.ndarray] | None = None,
    texts: Mapping[str, str] | None = None,
    timings: dict[str, float] | None = None,
    map_alignments: Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]] | None = None,
) -> ReuseResult:
    """The reuse stage: new articles in, edges out; ``index`` (if given) is updated in place.

    ``sentence_spans`` maps article id to char spans (``newstrace.text.split_sentences``); an
    article without spans is aligned as one block. ``texts`` supplies stored articles' texts
    for alignment against earlier batches (the store has them). Edges below
    ``config.candidate_score`` are dropped; ``same-story`` edges above it are kept, marked.
    ``map_alignments`` (a ``map``, e.g. :func:`newstrace.distributed.ray_map`) runs the sentence
    alignments, three quarters of this function's CPU, elsewhere, in batches of pairs that
    carry what they need (:func:`align_batch`); by default they run here.
    """
    recs = as_records(records)
    index = index if index is not None else ReuseIndex(config)
    t0 = time.perf_counter()
    c0 = time.process_time()
    feats = featurize(recs, vectors=vectors, config=config)
    t1 = time.perf_counter()
    c1 = time.process_time()
    cands = add_and_match(index, feats)
    t2 = time.perf_counter()
    c2 = time.process_time()
    scored = {(c.a, c.b): pair_scores(index.get(c.a), index.get(c.b), index) for c in cands}
    _densify(scored, index, config)
    t3 = time.perf_counter()
    c3 = time.process_time()
    # A ChainMap, not a merged dict: ``texts`` may be a lazy view of the store, read only for
    # the stored articles that a candidate pair actually needs.
    text_of: Mapping[str, str] = ChainMap({r.id: r.text for r in recs}, texts or {})  # type: ignore[arg-type]
    via = {(c.a, c.b): c.via for c in cands}
    edges = []
    sent_terms: dict[str, list[set[str]]] = {}

    def terms_of(aid: str) -> list[set[str]]:
        if aid not in sent_terms:
            sent_terms[aid] = sentence_terms(text_of[aid], _spans(text_of[aid], sentence_spans, aid))
        return sent_terms[aid]

    # Document frequencies do not change while the batch is aligned: look each IDF up once.
    idf_memo: dict[str, float] = {}

    def idf(term: str) -> float:
        v = idf_memo.get(term)
        if v is None:
            v = idf_memo[term] = index.idf(term)
        return v

    kept: list[tuple[str, str, dict[str, float]]] = []
    jobs: list[tuple[str, str]] = []
    for (a, b), f in sorted(scored.items()):
        if f["score"] < config.candidate_score and f["jaccard"] < config.edit_jaccard:
            continue
        kept.append((a, b, f))
        # Alignment is the costly part: do it where it is evidence for a reuse edge, or where a
        # generator proposed the pair and a shared block could still make it shared-source.
        worth = f["score"] >= config.rewrite_score or f["jaccard"] >= config.edit_jaccard or (a, b) in via
        if worth and a in text_of and b in text_of:
            jobs.append((a, b))
    # A generator: here each batch is built, aligned and dropped in turn (its IDF table is a
    # copy); a ``map`` that sends them elsewhere takes them all.
    items = (_alignment_batch(jobs[k:k + _ALIGN_BATCH], text_of, sentence_spans, sentence_vectors, terms_of, idf,
                              config.align_min_sim) for k in range(0, len(jobs), _ALIGN_BATCH))
    results = list((map_alignments or map)(align_batch, items))
    aligned = dict(zip(jobs, (pairs for batch in results for pairs in batch)))
    for a, b, f in kept:
        pairs: list[AlignedPair] = []
        if (a, b) in aligned:
            pairs = aligned[a, b]
            f = {**f, **alignment_scores(pairs, len(_spans(text_of[a], sentence_spans, a)),
                                         len(_spans(text_of[b], sentence_spans, b)))}
        kind, rule = classify_edge(f, config)
        f["via_lsh"] = float("lsh" in via.get((a, b), ()))
        f["via_ann"] = float("ann" in via.get((a, b), ()))
        edges.append(ReuseEdge(source_id=a, derived_id=b, kind=kind, score=f["score"], rule=rule,
                               features=f, pairs=pairs))
    t4 = time.perf_counter()
    c4 = time.process_time()
    tm = {"features": t1 - t0, "candidates": t2 - t1, "pair_scores": t3 - t2, "alignment": t4 - t3,
          # the same steps in CPU seconds: on a shared machine these barely move with the load
          "cpu_features": c1 - c0, "cpu_candidates": c2 - c1, "cpu_pair_scores": c3 - c2, "cpu_alignment": c4 - c3}
    if timings is not None:
        timings.update(tm)
    return ReuseResult(edges=edges, candidates=cands, timings=tm)


#: Candidate pairs per alignment batch (one task when the alignments run elsewhere).
_ALIGN_BATCH = 64


@dataclass(frozen=True)
class AlignmentBatch:
    """Pairs of articles to align, with all that :func:`align_sentences` reads about them: the
    texts, sentence spans, sentence terms and sentence vectors (if any) of each article once,
    and the IDF of every term of theirs (the index's document frequencies stay behind)."""

    pairs: list[tuple[str, str]]
    texts: dict[str, str]
    spans: dict[str, Sequence[tuple[int, int]]]
    terms: dict[str, list[set[str]]]
    vectors: dict[str, np.ndarray]
    idf: dict[str, float]
    min_sim: float


def _alignment_batch(pairs: list[tuple[str, str]], text_of: Mapping[str, str],
                     sentence_spans: Mapping[str, Sequence[tuple[int, int]]] | None,
                     sentence_vectors: dict[str, np.ndarray] | None, terms_of: Callable[[str], list[set[str]]],
                     idf: Callable[[str], float], min_sim: float) -> AlignmentBatch:
    """The :class:`AlignmentBatch` of ``pairs``, read from this batch's lookups (the IDF of each
    term the alignment will weigh: those of the two articles' sentences)."""
    ids = list(dict.fromkeys(x for pair in pairs for x in pair))
    terms = {x: terms_of(x) for x in ids}
    return AlignmentBatch(
        pairs, {x: text_of[x] for x in ids}, {x: _spans(text_of[x], sentence_spans, x) for x in ids}, terms,
        {x: sentence_vectors[x] for x in ids if x in sentence_vectors} if sentence_vectors else {},
        {t: idf(t) for x in ids for sent in terms[x] for t in sent}, min_sim)


def align_batch(batch: AlignmentBatch) -> list[list[AlignedPair]]:
    """The sentence alignment of each pair of ``batch``, in order (pure: a task's body)."""
    # The alignment's matrices are tiny (sentences x terms of one pair): BLAS threads cost far
    # more to wake than they save, and on a loaded machine their spinning multiplied the time.
    with _single_blas_thread():
        return [align_sentences(batch.texts[a], batch.spans[a], batch.texts[b], batch.spans[b], batch.idf.__getitem__,
                                batch.vectors.get(a), batch.vectors.get(b), batch.min_sim,
                                batch.terms[a], batch.terms[b])
                for a, b in batch.pairs]


def _single_blas_thread() -> Any:
    """A context in which numpy's BLAS runs on one thread (a no-op without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _spans(text: str, spans: Mapping[str, Sequence[tuple[int, int]]] | None, aid: str) -> Sequence[tuple[int, int]]:
    if spans is not None and aid in spans:
        return spans[aid]
    return [(0, len(text))] if text else []


def is_reuse(edge: ReuseEdge) -> bool:
    return edge.kind in REUSE_KINDS
