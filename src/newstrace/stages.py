"""The analysis stages as the pipeline runs them over the store.

Two kinds of stage, both run by :mod:`newstrace.pipeline`:

* **article stages** (``segment``, ``parse``) are pure functions of each article, so a batch can
  run in a worker process (or a Ray task) and come back as records;
* **corpus stages** (``reuse``, ``entities``, ``stories``, ``provenance``, ``corroboration``)
  need what is known about other articles. Each reads its inputs and incremental state from
  the store, calls the pure functions of its module, and writes results, its state and the
  "done" markers in one transaction, so a killed run resumes where it stopped.

Order matters and is fixed by :func:`newstrace.pipeline.default_stages`: the entity
canonicaliser's garble signal feeds provenance (the article that garbles names is downstream)
and its canonical entities feed stories, provenance's origin groups feed corroboration's
independent-origin counts. Entities and provenance may begin early in the run's worker pool
(``start_entities`` during reuse, ``start_provenance`` during stories): each needs only what
the stages before those stored.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from newstrace.model import Article, Claim, Mention, Story
from newstrace.progress import Progress
from newstrace.store import Store
from newstrace.text import batched

if TYPE_CHECKING:  # pragma: no cover
    from newstrace.nlp import BatchMap

#: The embedding the reuse index and the story clustering share (one vector per article).
ARTICLE_VECTOR_MODEL = "all-MiniLM-L6-v2/head96"
#: Longest text the parser sees; beyond it claims and mentions are not extracted (a 20 MB
#: page would hold the parser for minutes). Offsets stay valid: it is a prefix.
MAX_PARSE_CHARS = 200_000
#: Entity families that tie articles to a story.
STORY_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP", "PLACE"})


@dataclass(frozen=True)
class AnalyzeConfig:
    """Settings of a whole ``analyze`` run; the string form names them.

    ``workers`` is the number of processes that parse articles (spaCy + the attribution CRF,
    the costliest step); runs with fewer than ``parallel_min`` pending articles parse in this
    process, because starting a worker costs a model load.
    """

    workers: int = 2
    parallel_min: int = 200
    gazetteer: str | None = None
    reuse_batch: int = 1000
    #: The reuse and story indexes are saved (with the done marks of the articles in them)
    #: once the articles added since the last save reach this share of the index, and at the
    #: end of the stage. Saving one after every batch would write the whole index once per
    #: batch: quadratic in the corpus. A run killed between saves redoes the unsaved articles.
    state_save_share: float = 0.25
    story_batch: int = 2000
    #: Where the article stages and corroboration run: "local" (this process and ``workers``
    #: processes) or "ray" (tasks on a Ray cluster, :mod:`newstrace.distributed`); the other
    #: corpus stages run here either way.
    executor: str = "local"
    #: Ray cluster to join ("auto", "host:port", "ray://host:port"); None starts a local one
    #: with ``workers`` CPUs for the run.
    ray_address: str | None = None
    #: CPUs each Ray task asks for (one batch of an article stage, or of stories to corroborate).
    ray_num_cpus: float = 1.0


# --- parse: claims and mentions from one spaCy parse --------------------------------------


@dataclass(frozen=True)
class Parsed:
    """What the parse stage found in one article."""

    article_id: str
    claims: list[Claim]
    mentions: list[Mention]
    truncated: bool = False


def parse_batch(articles: list[Article]) -> list[Parsed]:
    """Parse each article once and extract both its attributed claims and its named mentions.

    Pure (the models are loaded once per process by :mod:`newstrace.nlp`), so it runs the same
    in a worker process or a Ray task.
    """
    from newstrace.attribution import extract_claims
    from newstrace.entities import extract_mentions
    from newstrace.nlp import spacy_pipeline

    nlp = spacy_pipeline("full")
    texts = [a.text[:MAX_PARSE_CHARS] for a in articles]
    # Verbatim copies share one parse (the runner batches them together); extraction, which
    # keys claims and mentions by article, still runs per article and only reads the Doc.
    copies: dict[str, list[Article]] = {}
    for article, text in zip(articles, texts):
        copies.setdefault(text, []).append(article)
    found: dict[str, Parsed] = {}
    for text, doc in zip(copies, nlp.pipe(copies, batch_size=16)):
        for a in copies[text]:
            found[a.id] = Parsed(a.id, extract_claims(doc, a.id, facts=True), extract_mentions(doc, a.id),
                                 truncated=len(a.text) > MAX_PARSE_CHARS)
    return [found[a.id] for a in articles]


def write_parsed(store: Store, result: Parsed) -> None:
    store.put_claims(result.article_id, result.claims)
    store.put_mentions(result.article_id, result.mentions)


# --- helpers shared by the corpus stages ---------------------------------------------------


class _StoredView(Mapping[str, Any]):
    """A lazy, read-through view of one per-article column of the store: only the articles a
    stage asks for are read, each once (the reuse stage needs the few stored articles a new
    one is paired with)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, Any] = {}

    def _read(self, article_id: str) -> Any:
        """The article's value, or None when it has none."""
        raise NotImplementedError

    def __getitem__(self, article_id: str) -> Any:
        if article_id not in self._cache:
            value = self._read(article_id)
            if value is None:
                raise KeyError(article_id)
            self._cache[article_id] = value
        return self._cache[article_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.article_ids())

    def __len__(self) -> int:
        return self._store.count_articles()


class StoredTexts(_StoredView):
    """Stored article texts; ``masked``: with their boilerplate blanked, as the reuse stage
    compares them (provenance reads them whole: a standing credit line is evidence there)."""

    def __init__(self, store: Store, *, masked: bool = False) -> None:
        super().__init__(store)
        self._masked = masked

    def _read(self, article_id: str) -> str | None:
        from newstrace.boilerplate import mask

        row = self._store.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None or not self._masked:
            return None if row is None else row[0]
        return mask(row[0], self._store.boilerplate([article_id]).get(article_id, []))


class StoredSpans(_StoredView):
    """Stored sentence spans outside boilerplate, for the reuse stage's alignments (without
    them an article would be aligned as one block: a single "sentence" every sentence of the
    other is compared with)."""

    def _read(self, article_id: str) -> list[tuple[int, int]] | None:
        from newstrace.boilerplate import outside

        spans = [(int(s), int(e)) for s, e in self._store.conn.execute(
            "SELECT start, end FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,))]
        return outside(spans, self._store.boilerplate([article_id]).get(article_id, [])) or None


def _pack_arrays(doc: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """JSON and numpy arrays in one blob (``np.savez``), for a stage's state."""
    buf = io.BytesIO()
    np.savez(buf, __json__=np.frombuffer(json.dumps(doc).encode("utf-8"), dtype=np.uint8), **arrays)
    return buf.getvalue()


def _unpack_arrays(blob: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files if k != "__json__"}
        doc = json.loads(bytes(z["__json__"]).decode("utf-8"))
    return doc, arrays


@dataclass
class StageReport:
    """What one corpus stage did in this run (counts for the run log)."""

    processed: int = 0
    details: dict[str, Any] = field(default_factory=dict)


# --- boilerplate ----------------------------------------------------------------------------

#: Articles read and written per transaction of the boilerplate stage.
BOILERPLATE_BATCH = 1000
#: Other articles sharing a run that are compared with its article (the first ones by id).
BOILERPLATE_NEIGHBOURS = 64


def run_boilerplate(store: Store, progress: Progress, config: AnalyzeConfig) -> StageReport:
    """Record new articles' head and tail sentences under their outlet and find each
    article's boilerplate (:mod:`newstrace.boilerplate`).

    A sentence that becomes repeated with this batch (its outlet's count reaches
    ``MIN_ARTICLES`` now) can change the boilerplate of stored articles: theirs is computed
    again, and an article whose boilerplate changed is made pending for reuse and
    corroboration, which compare its text without it. Stories are not redone: an article's
    story stays as it was assigned."""
    from newstrace import boilerplate as bp
    from newstrace.text import count_words

    ids = store.pending(bp.NAME, bp.VERSION)
    if not ids:
        return StageReport()
    task = progress.task(bp.NAME, total=len(ids))
    found = redone = 0

    def spans_of(article_id: str) -> list[tuple[int, int]] | None:
        got = store.edge_sentences(article_id)
        if got is None:
            return None
        outlet, n_sentences, n_words, edges = got
        counts = store.outlet_counts(outlet, (e.key for e in edges))
        repeated = {k for k, n in counts.items() if n >= bp.MIN_ARTICLES}
        own = {e.key for e in edges if bp.counted(e, n_sentences)}
        runs = [r for r in bp.boilerplate_runs(edges, n_sentences, n_words, repeated)
                if bp.distinct_elsewhere(r, own, store.outlet_neighbours(outlet, r[0].key, article_id,
                                                                          BOILERPLATE_NEIGHBOURS))]
        return bp.spans_of_runs(runs)

    for chunk in batched(ids, BOILERPLATE_BATCH):
        with store.transaction():
            keys_by_outlet: dict[str, set[str]] = defaultdict(set)
            rows = []
            for a in store.articles(chunk):
                outlet = bp.outlet_key(a.outlet, a.url)
                if outlet is None:
                    continue
                sentences = [(s.start, s.end) for s in store.sentences(a.id, a.text)]
                edges = bp.edge_sentences(a.text, sentences)
                rows.append((outlet, a, len(sentences), count_words(a.text), edges))
                keys_by_outlet[outlet].update(e.key for e in edges)
            before = {o: store.outlet_counts(o, keys) for o, keys in keys_by_outlet.items()}
            for outlet, a, n_sentences, n_words, edges in rows:
                store.put_outlet_sentences(outlet, a.id, a.content_hash or a.id, n_sentences, n_words, edges)
            new = set(chunk)
            stale: set[str] = set()
            for outlet, keys in keys_by_outlet.items():
                after = store.outlet_counts(outlet, keys)
                now_repeated = [k for k, n in after.items()
                                if n >= bp.MIN_ARTICLES > before[outlet].get(k, 0)]
                stale.update(a for a in store.outlet_articles_with(outlet, now_repeated) if a not in new)
            for _, a, *_ in rows:
                spans = spans_of(a.id) or []
                store.put_boilerplate(a.id, spans)
                found += bool(spans)
            old = store.boilerplate(sorted(stale))
            changed = []
            for article_id in sorted(stale):
                spans = spans_of(article_id) or []
                if spans != old.get(article_id, []):
                    store.put_boilerplate(article_id, spans)
                    changed.append(article_id)
            store.clear_done("reuse", changed)
            store.clear_done("corroboration", changed)
            store.mark_done(bp.NAME, bp.VERSION, chunk)
            redone += len(changed)
        task.advance(len(chunk))
    task.done()
    return StageReport(len(ids), {"with_boilerplate": found, "stored_articles_changed": redone})


def masked_articles(store: Store, ids: Sequence[str]) -> tuple[list[Article], dict[str, list[tuple[int, int]]]]:
    """The articles as reuse, stories and corroboration compare them (their boilerplate
    blanked, offsets kept), and each one's boilerplate spans (absent when it has none)."""
    from newstrace.boilerplate import mask

    masks = store.boilerplate(ids)
    return [replace(a, text=mask(a.text, masks[a.id])) if a.id in masks else a for a in store.articles(ids)], masks


# --- reuse ----------------------------------------------------------------------------------

#: "2": stored articles are aligned sentence by sentence (they were one block), boilerplate is
#: masked (:mod:`newstrace.boilerplate`).
REUSE_VERSION = "2"


def run_reuse(store: Store, progress: Progress, config: AnalyzeConfig) -> StageReport:
    """Match new articles against the stored ones and store the edges (undirected for now).

    The article heads are embedded a batch ahead: while this process matches one batch, the
    next one's heads are embedded in the worker pool (with ``workers`` processes and at least
    ``parallel_min`` articles) or, with the Ray executor, as Ray tasks, one per model batch
    (MiniLM on the heads is most of the stage's CPU; at millions of articles, too much for one
    machine). Matching stays here, each batch against the index of the ones before, except,
    with Ray, the sentence alignment of the candidate pairs (most of the matching's CPU), sent
    as tasks of 64 pairs. The model batches and the pairs are planned here either way, so every
    executor stores the same vectors and edges. Each batch's edges and vectors are stored as it
    ends; the index and the done marks only at saves (``state_save_share``), so a resumed run
    first drops the edges of the articles it matches again."""
    from newstrace.reuse import ReuseIndex, detect_reuse, embed_articles

    ids = store.pending("reuse", REUSE_VERSION)
    report = StageReport()
    if not ids:
        return report
    state = store.get_state("reuse")
    index = ReuseIndex.from_bytes(state[1]) if state and state[0] == REUSE_VERSION else ReuseIndex()
    with store.transaction():
        store.delete_edges_touching(ids)  # a run killed between saves left some
    texts = StoredTexts(store, masked=True)
    stored_spans = StoredSpans(store)
    task = progress.task("reuse", total=len(ids))
    kinds: dict[str, int] = defaultdict(int)
    chunks = list(batched(ids, config.reuse_batch))
    with contextlib.ExitStack() as stack:
        map_batches: BatchMap | None = None
        map_alignments: Callable[[Callable[[Any], Any], Iterable[Any]], list[Any]] | None = None
        if config.executor == "ray":
            from newstrace.distributed import ray_map
            from newstrace.pipeline import ray_cluster_for

            # Connected here, not in the thread below that first sends tasks.
            map_batches = map_alignments = ray_map(stack.enter_context(ray_cluster_for(config)).start(),
                                                   config.ray_num_cpus)
        elif config.workers > 1 and len(ids) >= config.parallel_min:
            from newstrace.workers import process_pool

            map_batches = stack.enter_context(process_pool(config.workers)).map
        # One thread that waits on the pool (SQLite reads stay on this thread).
        ahead = stack.enter_context(ThreadPoolExecutor(1))

        def start(chunk: list[str]) -> tuple[list[Article], Future[np.ndarray]]:
            articles, _ = masked_articles(store, chunk)
            return articles, ahead.submit(embed_articles, [a.text for a in articles], index.config, map_batches)

        following = start(chunks[0])
        unsaved: list[str] = []
        for k, chunk in enumerate(chunks):
            articles, vectors_future = following
            vectors = vectors_future.result()
            if k + 1 < len(chunks):
                following = start(chunks[k + 1])
            # The segment stage stored every article's sentences, this batch's and the earlier ones'.
            result = detect_reuse(articles, stored_spans, index=index, vectors=vectors, texts=texts,
                                  map_alignments=map_alignments)
            unsaved += chunk
            save = _save_due(k + 1 == len(chunks), len(unsaved), len(index), config)
            with store.transaction():
                store.put_vectors(ARTICLE_VECTOR_MODEL, {a.id: v for a, v in zip(articles, vectors)})
                store.put_edges(result.edges)
                # Pairs of stored articles are scored again too (``reuse._densify``).
                store.mark_edges_changed({x for e in result.edges for x in (e.source_id, e.derived_id)})
                if save:
                    store.put_state("reuse", REUSE_VERSION, index.to_bytes())
                    store.mark_done("reuse", REUSE_VERSION, unsaved)
            if save:
                unsaved = []
            for e in result.edges:
                kinds[e.kind] += 1
            task.advance(len(chunk))
    task.done()
    report.processed = len(ids)
    report.details = {"edges_by_kind": dict(kinds)}
    return report


# --- entities -------------------------------------------------------------------------------

#: "2": an acronym whose initials differ from its long form is a garble only where the corpus
#: has the right one (else it is the organisation's own, in another language); an acronym
#: with another's letters scrambled (RSVP for RVPS) is one. "3": only of four letters or more
#: (SEC and CES, PAC and PCA are real acronyms of each other). "4": the "j" of German and
#: scholarly romanisations of Slavic names is a "y" (Ljudmila / Lyudmila): a spelling, not a garble.
ENTITIES_VERSION = "4"


@dataclass
class EntitiesStart:
    """The entities stage begun early (:func:`start_entities`): its inputs, read when it began,
    and the canonicalisation running in a worker."""

    ids: list[str]
    mentions: list[Mention]
    result: Future[Any]


def _entities_inputs(store: Store, config: AnalyzeConfig) -> tuple[list[str], list[Mention], Any]:
    from newstrace.gazetteer import Gazetteer

    ids = store.pending("entities", ENTITIES_VERSION)
    if not ids:
        return [], [], None
    gazetteer = Gazetteer.load(config.gazetteer) if config.gazetteer else None
    return ids, store.mentions(), gazetteer


def start_entities(store: Store, config: AnalyzeConfig, pool: Executor) -> EntitiesStart | None:
    """Begin the entities stage in ``pool`` while this process runs the reuse stage.

    Canonicalising needs only the parse stage's mentions, and reuse leaves a core idle while
    this process matches its last batch; the stage then only writes the result. None when
    nothing is pending."""
    ids, mentions, gazetteer = _entities_inputs(store, config)
    if not ids:
        return None
    return EntitiesStart(ids, mentions, pool.submit(_canonicalize_job, mentions, gazetteer))


def _canonicalize_job(mentions: list[Mention], gazetteer: Any) -> Any:
    from newstrace.entities import canonicalize

    return canonicalize(mentions, gazetteer=gazetteer)


def run_entities(store: Store, progress: Progress, config: AnalyzeConfig,
                 started: EntitiesStart | None = None) -> StageReport:
    """Canonical entities over every stored mention (a function of the whole corpus: one new
    article can confirm a variant that earlier ones left unmerged), with garble signals.
    ``started``: the same work begun in a worker by :func:`start_entities`."""
    if started is not None:
        ids, mentions = started.ids, started.mentions
    else:
        ids, mentions, gazetteer = _entities_inputs(store, config)
    if not ids:
        return StageReport()
    task = progress.task("entities", total=1)
    result = started.result.result() if started is not None else _canonicalize_job(mentions, gazetteer)
    with store.transaction():
        store.replace_entities(result.entities, result.mention_entity, {m.id: m.article_id for m in mentions},
                               result.garbles)
        store.put_state("entities", ENTITIES_VERSION,
                        json.dumps(result.article_signal, sort_keys=True).encode("utf-8"))
        store.mark_done("entities", ENTITIES_VERSION, ids)
    task.done()
    return StageReport(len(ids), {"entities": len(result.entities), "garbles": len(result.garbles),
                                  "mentions": len(mentions)})


def garble_signal(store: Store) -> dict[str, dict[str, Any]]:
    """Per article: how many of its names look garbled (from the entities stage)."""
    state = store.get_state("entities")
    return json.loads(state[1]) if state else {}


# --- provenance -----------------------------------------------------------------------------

#: "3": a tie for a group's origin goes to a dated member before an undated one.
#: "4": a group reproducing a press release that is not in the corpus has no origin article.
#: "5": of two versions of one outlet's article, the one with an update note is the later.
#: "6": each reuse edge inside a group is marked as a parent link or not.
#: "7": a rewrite edge whose overlap restates the other article with credit or disputes it is
#: no reuse (``restatement``).
#: "8": a rewrite of a rewrite needs the intermediate's own particulars, not similarity alone.
#: "9": a loose rewrite edge between two articles that each quote people the other never
#: mentions is no reuse (``restatement.own_sources``).
#: "10": an intermediate's particulars that other rewrites of its source hold too are no mark
#: of a chain.
#: "11": a rewrite edge aligned on little but the same speakers' words, where one article has
#: a voice of its own, is no reuse (two reports of one press conference). "12": four such
#: sentence pairs, not three. "13": a loose rewrite edge between two articles that each state
#: figures the other lacks, one quoting someone the other never mentions, is no reuse
#: (``restatement.own_figures``). "14": the names each rewrite changed from the article it was
#: made from are garbles (``entities.rewrite_garbles``, rule ``changed_in_rewrite``). "15": a
#: rewrite edge whose later article is twice the earlier's length, mostly unaligned, with four
#: figures and a voice of its own, is no reuse (``restatement.expansion``: a brief, then the
#: full report). "16": a near copy of a rewrite (similarity 0.9, covering three quarters of
#: its distance from the rewrite's source, keeping nothing the rewrite dropped) is made from
#: the rewrite, particulars or not (``ProvenanceConfig.copy_score``). "17": a loose rewrite edge
#: (below the sure score, aligned on less than 0.55 of both texts, nothing credited) where both
#: articles, or the later one, quote what someone told their own outlet, in a sentence the edge
#: leaves unaligned, is no reuse (``restatement.own_interviews``: "told the Courier").
PROVENANCE_VERSION = "17"


@dataclass
class ProvenanceStart:
    """The provenance stage begun early (:func:`start_provenance`): the pending articles, the
    part of the corpus recomputed, and the directed edges and origin groups computing in a
    worker."""

    ids: list[str]
    work: ProvenanceWork
    result: Future[Any]


@dataclass
class ProvenanceWork:
    """What one provenance run recomputes: ``scope`` is the articles whose edges and origin
    groups may change (None: the whole corpus); ``garble`` the signals it directs edges with,
    kept so the next run can tell whose signal has changed since."""

    scope: set[str] | None
    garble: dict[str, float]
    changed: list[str]  # the articles :meth:`Store.edges_changed` listed, cleared once done
    args: tuple[Any, ...]


def provenance_scope(store: Store, seeds: Iterable[str], garble: dict[str, float]) -> set[str] | None:
    """The articles a provenance run must recompute, or None for the whole corpus (the first
    run, and a run after a version change).

    Edges are directed from their two articles alone (dates, credits, garble signals, texts),
    and an origin group never reaches beyond a connected component of the reuse graph. So only
    the components that hold one of ``seeds`` can change: the pending articles, and those whose
    edges the reuse stage wrote or removed since (:meth:`Store.edges_changed`: it scores some
    pairs of stored articles again), or an article whose garble signal moved since the last run
    (the entities stage recanonicalises the whole corpus). The rest of the store stays as it is.
    """
    from scipy.cluster.hierarchy import DisjointSet

    state = store.get_state("provenance")
    if state is None or state[0] != PROVENANCE_VERSION:
        return None
    before: dict[str, float] = json.loads(state[1])
    seeds = set(seeds) | {a for a in garble.keys() | before.keys() if garble.get(a) != before.get(a)}
    # Components over the edges the reuse stage classified as reuse (a demoted one included:
    # grouping may restore it); a same-story edge never joins two groups.
    components: DisjointSet = DisjointSet()
    for a, b in store.conn.execute(
            "SELECT a, b FROM edges WHERE kind != 'same-story'"
            " OR json_extract(data, '$.direction_evidence.demoted_from') IS NOT NULL"):
        components.add(a)
        components.add(b)
        components.merge(a, b)
    scope: set[str] = set()
    todo = seeds
    while todo:
        for x in todo:
            if x not in scope:
                scope.update(components.subset(x) if x in components else (x,))
        # A stored group that an edge no longer holds together (its articles re-analysed) is
        # replaced whole, so each of its members is recomputed too.
        todo = set(store.origin_group_members(scope)) - scope
    return scope


def _provenance_inputs(store: Store) -> tuple[list[str], ProvenanceWork | None]:
    """The pending articles and the work of :func:`provenance_job` for them."""
    ids = store.pending("provenance", PROVENANCE_VERSION)
    if not ids:
        return [], None
    garble = provenance_garble(store)
    changed = store.edges_changed()
    scope = provenance_scope(store, [*ids, *changed], garble)
    return ids, ProvenanceWork(scope, garble, changed, provenance_args(store, scope, garble))


def provenance_garble(store: Store) -> dict[str, float]:
    """Each article's garble score (:func:`garble_signal`), as edges are directed with it."""
    return {a: float(s.get("score", 0.0)) for a, s in garble_signal(store).items()}


def provenance_args(store: Store, scope: set[str] | None, garble: dict[str, float]) -> tuple[Any, ...]:
    """The arguments of :func:`provenance_job` for the articles of ``scope`` (None: all): the
    edges touching them as the reuse stage classified them, their records, and the voices of
    the linked ones (:func:`article_voices`)."""
    from newstrace.provenance import undo_reconcile
    from newstrace.restatement import expansion_candidate, figures_candidate, heard_candidate, loose_rewrite
    from newstrace.reuse import Record

    stored = store.edges() if scope is None else store.edges_touching(scope)
    edges = [undo_reconcile(e) for e in stored]
    linked = {x for e in edges for x in (e.source_id, e.derived_id)}
    texts = StoredTexts(store)
    records = [Record(i, texts[i] if i in linked else "", published, outlet=outlet, url=url)
               for i, published, outlet, url in _published(store) if scope is None or i in scope]
    # Only the articles of loose or narrowly aligned rewrite edges are asked who they quote.
    asked = sorted({x for e in edges if loose_rewrite(e) or heard_candidate(e) or figures_candidate(e)
                    or expansion_candidate(e)
                    for x in (e.source_id, e.derived_id)})
    return edges, records, garble, article_voices(store, asked)


def article_voices(store: Store, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """Per article, the people its claims cite (a claim's source overlapping a PERSON mention)
    and the people it mentions, by canonical entity name: a garbled name counts as its person;
    and where it gives someone's words: (start, end, key) of each attributed claim's cue and
    content, the key the last word of the speaker (the source's PERSON mention, or the claim's
    resolved speaker: "she said" after "Annika Sorvell"), "?" where the source is unresolved
    ("the minister said" with no name the text ties to it)."""
    canonical = dict(store.conn.execute("SELECT id, canonical FROM entities WHERE label = 'PERSON'"))
    out = {}
    for a in ids:
        entity_of = store.article_entities(a)
        people = [(m.start, m.end, canonical[entity_of[m.id]]) for m in store.mentions(a)
                  if m.label == "PERSON" and entity_of.get(m.id) in canonical]
        speakers: set[str] = set()
        spoken = []
        for c in store.claims(a):
            names = _source_entities(c, people)
            speakers.update(names)
            if c.source is None:
                continue
            keys = {n.split()[-1].casefold() for n in [*names, c.source_entity or ""] if n.split()} or {"?"}
            ends = [(c.content.start, c.content.end)] + ([(c.cue.start, c.cue.end)] if c.cue is not None else [])
            spoken += [(min(x for x, _ in ends), max(y for _, y in ends), key) for key in sorted(keys)]
        out[a] = (frozenset(speakers), frozenset(name for _, _, name in people), tuple(spoken))
    return out


def _source_entities(claim: Claim, spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """The entities of ``spans`` (start, end, entity) that overlap the claim's source, in order."""
    if claim.source is None:
        return []
    return [e for s, t, e in spans if s < claim.source.end and t > claim.source.start]


def provenance_job(edges: list[Any], records: list[Any], garble: dict[str, float],
                   voices: dict[str, tuple[Any, ...]] | None = None) -> tuple[list[Any], list[Any]]:
    """Directed edges and origin groups of the articles in ``records`` (a pure function, so it
    can run in a worker)."""
    from newstrace.provenance import direct_edges, origin_groups, reconcile_edges

    profiles: dict[str, Any] = {}
    directed = direct_edges(edges, records, garble, voices=voices, profiles=profiles)
    groups = origin_groups(directed, records, garble, profiles=profiles)
    return reconcile_edges(directed, groups), groups


def start_provenance(store: Store, config: AnalyzeConfig, pool: Executor) -> ProvenanceStart | None:
    """Begin the provenance stage in ``pool`` while this process runs the stories stage (each
    needs only what reuse and entities stored). None when nothing is pending."""
    ids, work = _provenance_inputs(store)
    return ProvenanceStart(ids, work, pool.submit(provenance_job, *work.args)) if work is not None else None


def run_provenance(store: Store, progress: Progress, config: AnalyzeConfig,
                   started: ProvenanceStart | None = None) -> StageReport:
    """Direct the reuse edges and recompute the origin groups in the part of the corpus where
    they can change (:func:`provenance_scope`).

    Not per new article: one new article can join two groups or reveal an older origin. It
    reads only the texts of articles that have an edge (singletons need none).
    ``started``: the same work begun in a worker by :func:`start_provenance`.
    """
    if started is not None:
        ids, work = started.ids, started.work
    else:
        ids, work = _provenance_inputs(store)
    if work is None:
        return StageReport()
    from newstrace.entities import REWRITE_RULE

    task = progress.task("provenance", total=1)
    directed, groups = started.result.result() if started is not None else provenance_job(*work.args)
    with store.transaction():
        store.put_edges(directed)
        store.replace_origin_groups(groups, scope=work.scope)
        store.replace_rewrite_garbles(changed_names(store), REWRITE_RULE)
        store.put_state("provenance", PROVENANCE_VERSION, json.dumps(work.garble, sort_keys=True).encode("utf-8"))
        store.clear_edges_changed(work.changed)
        store.mark_done("provenance", PROVENANCE_VERSION, ids)
    task.done()
    multi = store.conn.execute("SELECT COUNT(*) FROM origin_groups WHERE size > 1").fetchone()[0]
    renamed = store.conn.execute("SELECT COUNT(*) FROM garbles WHERE json_extract(data, '$.rule') = ?",
                                 (REWRITE_RULE,)).fetchone()[0]
    recomputed = store.count_articles() if work.scope is None else len(work.scope)
    return StageReport(len(ids), {"origin_groups": multi, "articles_recomputed": recomputed,
                                  "names_changed_in_rewrites": renamed})


def changed_names(store: Store) -> list[Any]:
    """Names each rewrite changed from the article it was made from
    (:func:`newstrace.entities.rewrite_garbles`), along every parent link of the corpus: the
    entities stage replaces all garbles when it runs, so these are found again each time."""
    from newstrace.entities import folded_text, rewrite_garbles

    canonical = dict(store.conn.execute("SELECT id, canonical FROM entities"))
    mentions: dict[str, list[Any]] = {}
    entity_of: dict[str, str] = {}
    texts = StoredTexts(store)
    folded: dict[str, str] = {}  # each source article's text, folded once

    def of(article_id: str) -> list[Any]:
        if article_id not in mentions:
            mentions[article_id] = store.mentions(article_id)
            entity_of.update(store.article_entities(article_id))
        return mentions[article_id]

    out = []
    for e in store.edges(kinds=("copy", "edit", "rewrite")):
        if not e.directed or e.direction_evidence.get("parent") is False:
            continue
        derived = of(e.derived_id)
        if derived:
            src = e.source_id
            if src not in folded:
                folded[src] = folded_text(texts[src])
            out += rewrite_garbles(src, texts[src], of(src), derived, entity_of, canonical, folded[src])
    return out


def _published(store: Store) -> list[tuple[str, Any, str | None, str | None]]:
    """Id, publication instant, outlet and URL of every article, without reading texts."""
    from newstrace.store import _str_to_dt

    return [(i, _str_to_dt(p), o, u) for i, p, o, u in store.conn.execute(
        "SELECT id, published_at, outlet, url FROM articles ORDER BY seq")]


# --- stories --------------------------------------------------------------------------------

#: "2": long texts need more similarity (``StoryConfig.long_text_shift``), a lone article of a
#: small batch is a story of its own, datelines and boilerplate are left out.
#: "3": articles of one outlet need more similarity (``StoryConfig.same_outlet_shift``).
#: "4": a split does not undo a join of the same run (the join counts shared entities and time);
#: an article that passes the cut for a second story records a link between the two.
#: "5": a lone article joins the one story it shares three specific entities with, below the
#: cut (``StoryConfig.attach_min_shared``); the join event lists them.
#: "6": so do two articles the cut left together, each meeting the test alone
#: (``StoryConfig.attach_max_size``).
STORIES_VERSION = "6"
#: Words of an article's text (after its title) that the story clustering's TF-IDF view sees.
STORY_TEXT_WORDS = 200


def run_stories(store: Store, progress: Progress, config: AnalyzeConfig) -> StageReport:
    """Add new articles to the incremental story index; ids of existing stories never change."""
    from newstrace.boilerplate import inside
    from newstrace.reuse import embed_articles
    from newstrace.stories import StoryIndex
    from newstrace.text import strip_dateline

    ids = store.pending("stories", STORIES_VERSION)
    if not ids:
        return StageReport()
    state = store.get_state("stories")
    if state and state[0] == STORIES_VERSION:
        doc, arrays = _unpack_arrays(state[1])
        index = StoryIndex.from_state(json.dumps(doc).encode("utf-8"), arrays["vectors"])
    else:
        index = StoryIndex()
    entity_of = dict(store.conn.execute("SELECT mention_id, entity_id FROM mention_entity"))
    task = progress.task("stories", total=len(ids))
    touched: set[str] = set()  # stories changed since the last save
    touched_in_run: set[str] = set()
    events: list[dict[str, Any]] = []
    unsaved: list[str] = []
    chunks = list(batched(ids, config.story_batch))
    for k, chunk in enumerate(chunks):
        # Boilerplate (an outlet's footer naming its town and itself) says nothing about the event.
        articles, masks = masked_articles(store, chunk)
        vecs = store.vectors(chunk, ARTICLE_VECTOR_MODEL)
        missing = [a for a in articles if a.id not in vecs]
        if missing:
            vecs.update(zip((a.id for a in missing), embed_articles([a.text for a in missing])))
        texts = [" ".join(filter(None, [a.title, " ".join(strip_dateline(a.text).split()[:STORY_TEXT_WORDS])]))
                 for a in articles]
        ents = [sorted({entity_of[m.id] for m in store.mentions(a.id)
                        if m.id in entity_of and m.label in STORY_ENTITY_LABELS
                        and not inside(masks.get(a.id, []), m.start, m.end)}) for a in articles]
        n_events = len(index.events)
        index.add([a.id for a in articles], np.stack([vecs[a.id] for a in articles]), texts, ents,
                  [a.published_at for a in articles], [a.outlet for a in articles])
        new_events = [e.__dict__ for e in index.events[n_events:]]
        for e in new_events:
            touched.add(e["story"])
            if e.get("from_story"):
                touched.add(e["from_story"])
        events += new_events
        unsaved += chunk
        task.advance(len(chunk))
        if not _save_due(k + 1 == len(chunks), len(unsaved), len(index.ids), config):
            continue
        # A save: the stories changed since the last one, their events, the index and the
        # done marks in one transaction (a killed run redoes everything after the last save).
        members = index.stories()
        stories = [_story_record(store, sid, members.get(sid, [])) for sid in sorted(touched)]
        doc, vectors = index.to_state()
        with store.transaction():
            store.put_stories(stories, events)
            # Every story whose membership changed is corroborated again as a whole, with the
            # earlier articles a split moved (they are not new, so nothing else would).
            store.clear_done("corroboration", [a for st in stories for a in st.article_ids])
            store.put_state("stories", STORIES_VERSION,
                            _pack_arrays(json.loads(doc.decode("utf-8")), {"vectors": vectors}))
            store.mark_done("stories", STORIES_VERSION, unsaved)
        touched_in_run |= touched
        touched, events, unsaved = set(), [], []
    task.done()
    return StageReport(len(ids), {"stories_touched": len(touched_in_run)})


def _save_due(last_batch: bool, unsaved: int, index_size: int, config: AnalyzeConfig) -> bool:
    """Whether a stage saves its index now: after its last batch, or once the articles added
    since the last save reach ``state_save_share`` of the index."""
    return last_batch or unsaved >= config.state_save_share * index_size


def _story_record(store: Store, story_id: str, article_ids: list[str]) -> Story:
    """A story's members with its time span; its title is its earliest article's."""
    rows = [(a.published_at, a.title, a.id) for a in store.articles(article_ids)]
    dated = sorted((r for r in rows if r[0] is not None), key=lambda r: r[0])
    first = dated[0] if dated else (rows[0] if rows else (None, None, None))
    return Story(story_id, list(article_ids), title=first[1],
                 first_published=dated[0][0] if dated else None,
                 last_published=dated[-1][0] if dated else None)


# --- corroboration --------------------------------------------------------------------------

#: "2": numbers in words read whole ("thirty-seven"); bounds, estimates and money in contradictions;
#: datelines are no slot values; "percent" is no frame word.
#: "3": boilerplate is masked and its claims left out; a claim cut off inside a dateline has
#: no slots.
#: "4": "six hundred and fifty" is 650; figures far apart matched on frame words alone are no
#: contradiction.
#: "5": an anonymous source's claim needs a close paraphrase in the origin (0.75) to be its.
#: "6": a claim reported from another outlet of the story counts for that outlet's origin, a
#: fact check's "Claim:" line for none; a figure said not to be so states no competing value.
#: "7": the outlet speaking of itself ("The Herald will publish further updates") is no
#: embellishment.
#: "8": a figure with a unit of measure ("1.5 kilometres") is compared only with figures of
#: that unit.
#: "9": a claim that says the opposite of another with a negation ("no schools had been
#: closed") is no corroboration of it, and a contradiction when they count for two origins.
#: "10": a rewrite's claim whose figures, dates and weekdays an origin sentence states, at
#: cosine 0.50, has its counterpart there (no embellishment).
#: "11": a denial grouped with the claim it denies is held to the same bar as one matched
#: across groups (the share of its words the claim holds, not the cosine alone).
#: "12": a negated clause also answers a close paraphrase of its positive reading (cosine
#: 0.70) that does not repeat the words it negates; counts of different things ("70
#: firefighters", "two workers") matched on a shared name only are no contradiction.
#: "13": that paraphrase must share three word stems with the negated clause ("two tax cuts
#: that were not paid for" is no answer to "tax cuts, job creation").
#: "14": hedge and attribution changes only along parent links; "is reported to" with no one
#: reporting is a hedge; an age's frame is the person, not "year-old"; a count an article
#: names as the one it updates ("up from the six") is no contradiction of it; a clause saying
#: the same "not" is no statement of what the other negates.
#: "15": two wordings of one claim that name another place or weekday at the same point ("the
#: checkpoint in Hollin" / "in Drummel") contradict each other (``contradiction:aligned-value``).
#: "16": two differing counts must be counts of one thing (their frame words meet, not only in
#: a currency; the word after each says what it counts); a claim's counterpart in a claim group
#: is the one worded most alike; a condition kept or a passive hedge ("is thought to") is no
#: hedge change; an order or a denial in the rewrite keeps its speaker. "17": two wordings of one
#: claim with opposite predicates at the same point ("rose" / "fell", "approved" / "rejected").
#: "18": or with two names exchanged around one verb ("X beat Y" / "Y beat X"). "19": so
#: may two sentences of different origins that are no claims of one group
#: (``sentences_told_otherwise``); times of day are a slot ("at about 3.40 a.m."); who is
#: counted ("two people") is no frame alone, a figure asked for ("sought six years") never
#: meets one given; "three and a half years" is a duration; a count of what is "still" so is of
#: a later time; "did not score" denies no count; "Hallam, 59," and "aged 71" are ages; a rate
#: ("a day") and a total are two quantities; durations need frames that meet. "20": what a
#: rewrite changed of its source along a parent reuse edge is a contradiction too
#: (``changed-in-rewrite``: a figure, a predicate, two names, a place, a weekday, a negation, a
#: quotation's speaker); "at *the* Harbour Ground" is a place; a flag that holds two sentences
#: on one side no longer keeps them from being set against each other. "21": minutes are a
#: length of time, and a length's unit ("minutes", "hours") no frame of it; florins, shillings,
#: dinars and two dozen more are currencies; "nobody will forget" denies nothing. "22": a win
#: told in other words ("came from behind to beat", "a victory over", "lost to", "after a
#: defeat by") is "X beat Y" for names told the other way round, and one act however worded.
#: "23": a plain sentence that says is not so what a sentence of another origin states is a
#: contradiction (``negated-sentence``: "The driver was not hurt." / "... taken to hospital
#: with injuries"). "24": a rewrite that keeps an open bound and changes its figure ("at least
#: 37" / "at least 137") changed it; a sentence cut short is not read for figures. "25":
#: "troops" and "soldiers" count one thing. "26": a denial told as a negation ("has said that
#: it is not aimed at" for "has denied that it is directed at") is no hedge change. "27":
#: "bought", "buys" and "acquired" are one act. "28": contradictions between plain sentences of
#: two origins (``sentence-value``: one quantity, two values; ``named-predicate``: opposite
#: things said of one name; ``quote-speaker``: one quotation, two speakers); a time told in
#: words is a time; "a year earlier" is no rate; a bound reaches past a currency sign; a
#: figure's frame stops at the next clause; "take effect" / "applies from" and "jailed" /
#: "prison" name one thing. "29": a story's own currency words are money; a linking verb gives
#: an amount its clause's subject; names leave the frames of counts, sums and years; a death
#: toll risen later and counts of what is left told apart are one count at two moments; demands
#: and allegations are no values stated; figures of two named things are two quantities;
#: scores and tallies are one value; one named person's two ages (``named-age``); times in
#: digits with the part of the day, race times as lengths; the value a change reached ("had
#: climbed to 16 degrees") is a later one. "30": a change told with another verb in the past
#: ("fell" / "slid") or a stake with another word ("owns" / "holds a stake") is one quantity; two
#: limits of one payment ("up to 25,000 marls" / "up to 15,000") disagree. "31": nobody hurt
#: or killed against a count of people who were (``nobody-count``), across origins and along a
#: rewrite's parent link. "32": a post left and a post kept ("resigned" / "would not resign",
#: "was suspended" / "has remained in charge") are opposite predicates of one name. "33": "voted
#: the extension down" is a rejection; one named-predicate flag per disagreement, not per name.
#: "34": a rewrite's aligned sentence that gives the event another weekday changed it. "35": a
#: denial a rewrite turns into an admission is a change (``stance``), not a dropped hedge. "36":
#: figures of an earlier event ("the record set in 2009"), combined totals, and a total against
#: a part of one noun ("carrying 212 passengers" / "brought 140 passengers ashore") are no
#: second value. "37": a crowd, an attendance and spectators are one count; a river's peak and
#: crest one level; an earlier event's "when" clause runs to the sentence's end. "38": nobody
#: arrested against a count of people arrested (``nobody-count``, was ``harm-count``). "39": the
#: one weekday two claims told alike give the event, in other words around it. "40": a length
#: of time counted from an event ("30 hours after a fire") has no frame after it; an earlier
#: year in a claim's sentence dates its figures. "41": "in all" is no frame word and residents
#: are people; nobody-count skips a sentence another flag already sets against the other article.
#: "42": an offer's premium and a figure "above" a price are one quantity. "43": a state's act
#: on another's envoy ("Korvenia summoned the Lestrian ambassador") can be told the other way round.
#: "44": a figure that looks like a year ("2019.50 rells", "2020%", "1850 tonnes") is read as the
#: figure it is again (a pattern for years in clauses had taken over the slots' own).
#: "45": a time with minutes ("6:40 p.m.") has its frame words, and a place's name is framed by
#: its last word ("on the Harrow *Bank*").
#: "46": one length told in two units ("48-hour" / "two-day") is one value; a running total
#: ("by Friday evening ... since the walkout began") is no second value of one day's count;
#: "next", "last", "past" are no frame words.
#: "47": homes, households and houses are one count; serving and supplying, provisions and
#: money set aside one frame.
#: "48": an age told of a role ("the 58-year-old former mayor") or of the subject named just
#: before ("The 19-year-old,") is that person's; one person alive in one report and dead in
#: another (``contradiction:alive-or-dead``); readings at two clock times, and a forecast, are
#: no second value; a day is no frame of a time.
#: "49": a body decided unanimously in one report and with a minority in another
#: (``contradiction:unanimous-or-split``); one person given two posts (``contradiction:named-title``).
#: "50": two scorers of one winning goal, two finishers in one place
#: (``contradiction:decisive-agent``).
#: "51": a denial is read without the words that say who denied it; a negation is a whole
#: word ("North", "now", "normally" are none); a sentence in a speaker's own voice states
#: nothing a denial answers; a source sentence's own denial is no denial a rewrite added.
#: "52": a story's main event (a fire, a strike, a storm, a council's vote, a match) given two
#: weekdays in sentences told in their own words (``contradiction:event-weekday``).
#: "53": a count of one noun whose other frame words lie near the other side's figure too is
#: one quantity ("The recall covers 14 batches" / "recalling nine batches"); a rise or fall
#: is said of a name, possessive or not, outside the dateline and not a place's, and not of
#: an earlier period ("had gained 22 per cent since January"); sentences are embedded
#: without their dateline.
#: "54": a day named "last Friday" is read as a date before the article's; pieces and objects
#: are one count; a count "still" left seven words on is a later one; a promise that something will not happen answers only a statement of the future.
#: "55": a weekday dating a moment counted "since" the event is not the event's day.
CORROBORATION_VERSION = "55"
#: Words of a claim's content that are embedded (quotes can run over several sentences).
CLAIM_EMBED_WORDS = 40


def _corroboration_config() -> Any:
    from newstrace.corroboration import CorroborationConfig

    # Budget mode (see ``CorroborationConfig.embed_sentences``): claims are embedded once, in
    # batches across stories; sentences are compared lexically and through reuse alignments.
    return CorroborationConfig(embed_sentences=False)


@dataclass
class CorroborationStart:
    """Claim vectors begun early (:func:`start_corroboration`): per batch of stories, the
    claim texts it would embed and their vectors computing in the run's pool."""

    texts: dict[tuple[str, ...], list[str]]
    vectors: dict[tuple[str, ...], Future[np.ndarray]]


@dataclass(frozen=True)
class _CorroborationPlan:
    """What the stage will do: :func:`_corroboration_plan`."""

    ids: list[str]
    story_ids: list[str]
    sizes: dict[str, int]
    chunks: list[list[str]]

    def parallel(self, config: AnalyzeConfig) -> bool:
        """Whether the stage runs in worker processes (:data:`CORROBORATION_PARALLEL_CLAIMS`)."""
        return config.workers > 1 and sum(self.sizes.get(s, 0) for s in self.story_ids) >= CORROBORATION_PARALLEL_CLAIMS


def _corroboration_plan(store: Store) -> _CorroborationPlan | None:
    """The pending articles, the stories they touch (through membership or a reuse edge) and
    those stories in batches (:func:`corroboration_batches`); None when nothing is pending."""
    ids = store.pending("corroboration", CORROBORATION_VERSION)
    if not ids:
        return None
    story_of = store.story_of()
    touched_articles = set(ids)
    for a in ids:
        for e in store.edges(a):
            touched_articles.update((e.source_id, e.derived_id))
    story_ids = sorted({story_of[a] for a in touched_articles if a in story_of})
    sizes = store.claims_per_story()
    return _CorroborationPlan(ids, story_ids, sizes, corroboration_batches(story_ids, sizes))


def start_corroboration(store: Store, config: AnalyzeConfig, pool: Executor) -> CorroborationStart | None:
    """Begin embedding the claims of the stories to corroborate, in ``pool``, while this
    process waits for provenance.

    Provenance directs edges in one worker while the other would idle (it takes longer than
    the stories stage it overlaps). The claims need only the parse, boilerplate and stories
    stages, so a thread of this process sends their model batches to the pool now, batch of
    stories by batch of stories, exactly as :func:`run_corroboration` would; the stage takes
    a batch's vectors where its claim texts are the same, and embeds it itself otherwise.
    None with the Ray executor, when nothing is pending or when the stage would not use the
    pool."""
    if config.executor == "ray":
        return None
    plan = _corroboration_plan(store)
    if plan is None or not plan.parallel(config):
        return None
    texts: dict[tuple[str, ...], list[str]] = {}
    for chunk in plan.chunks:
        # The claims as :func:`_story_input` will list them (its entities and edges not needed).
        texts[tuple(chunk)] = [c.content.text for s in store.stories(chunk) if len(s.article_ids) >= 2
                               for claims in _story_claims(store, s)[1] for c in claims]
    thread = ThreadPoolExecutor(1, thread_name_prefix="claim-vectors")
    vectors = {key: thread.submit(_embed_claims, t, pool.map) for key, t in texts.items()}
    thread.shutdown(wait=False)  # the thread ends when its last batch is embedded
    return CorroborationStart(texts, vectors)


def run_corroboration(store: Store, progress: Progress, config: AnalyzeConfig,
                      started: CorroborationStart | None = None) -> StageReport:
    """Claim groups, independent-origin counts and flags for every story that changed.

    A story changed when one of its articles is new or has a new reuse edge; its claim groups
    and flags are recomputed as a whole (they depend on every member).

    Stories go in batches of about ``CORROBORATION_BATCH_CLAIMS`` claims: one MiniLM call per
    batch, then each story of it. With the Ray executor a batch is one Ray task (embedding and
    stories); locally, when the stage has at least ``CORROBORATION_PARALLEL_CLAIMS`` claims,
    worker processes embed a batch's claims and then corroborate its stories, while the next
    batch is loaded. Either way every claim is embedded in the same batch, so both executors store
    the same findings, and each batch is committed in one transaction. ``started``: claim
    vectors begun by :func:`start_corroboration`.
    """
    plan = _corroboration_plan(store)
    if plan is None:
        return StageReport()
    ids, story_ids, sizes, chunks = plan.ids, plan.story_ids, plan.sizes, plan.chunks
    origin_of = store.origin_of()
    origin_article = {g.id: g.origin_id for g in store.origin_groups()}
    task = progress.task("corroboration", total=len(story_ids))
    counts = {"claim_groups": 0, "flags": 0}

    def load(chunk: list[str]) -> list[Any]:
        inputs = [_story_input(store, s, origin_of, origin_article) for s in store.stories(chunk)]
        return [x for x in inputs if x is not None]

    def commit(chunk: list[str], results: list[tuple[str, Any, Any]]) -> None:
        with store.transaction():
            done = {sid for sid, _, _ in results}
            for sid in chunk:
                if sid not in done:  # a one-article story has nothing to corroborate
                    store.replace_corroboration(sid, [], [])
            for sid, groups, flags in results:
                store.replace_corroboration(sid, groups, flags)
                counts["claim_groups"] += len(groups)
                counts["flags"] += len(flags)
        task.advance(len(chunk))

    if config.executor == "ray" and chunks:
        from newstrace.distributed import run_batches
        from newstrace.pipeline import ray_cluster_for

        # Largest batches first, so that the last tasks to finish are small ones (a batch of
        # one large story sent last kept one CPU busy alone at the end of the stage).
        largest_first = sorted(chunks, key=lambda c: -sum(sizes.get(s, 0) for s in c))
        with ray_cluster_for(config) as cluster:
            run_batches(cluster, corroborate_stories, largest_first, load, commit, num_cpus=config.ray_num_cpus)
    else:
        _corroborate_locally(chunks, load, commit, config.workers if plan.parallel(config) else 1, started)
    with store.transaction():
        store.mark_done("corroboration", CORROBORATION_VERSION, ids)
    task.done()
    return StageReport(len(ids), {"stories": len(story_ids), **counts})


#: Claims in the stage from which stories are corroborated in worker processes (below it,
#: starting the workers costs more than they save).
CORROBORATION_PARALLEL_CLAIMS = 3000
#: Claims per batch of stories (one embedding call; a Ray task). A larger story is a batch of
#: its own.
CORROBORATION_BATCH_CLAIMS = 4000


def corroboration_batches(story_ids: Sequence[str], sizes: Mapping[str, int],
                          budget: int | None = None) -> list[list[str]]:
    """Consecutive runs of ``story_ids`` holding at most ``budget`` claims each (a story over
    the budget alone): the batching is a function of the stories alone, so every executor
    embeds the same claims together."""
    budget = CORROBORATION_BATCH_CLAIMS if budget is None else budget
    out: list[list[str]] = []
    held = 0
    for sid in story_ids:
        n = sizes.get(sid, 0)
        if out and held + n <= budget:
            out[-1].append(sid)
            held += n
        else:
            out.append([sid])
            held = n
    return out


def _corroborate_locally(chunks: list[list[str]], load: Callable[[list[str]], list[Any]],
                         commit: Callable[[list[str], list[Any]], None], workers: int,
                         started: CorroborationStart | None = None) -> None:
    """Each batch embedded and its stories corroborated here, or both in ``workers`` processes:
    the batch's model batches are spread over the workers (each embeds on one thread), then
    its stories, which run while the next batch's model batches queue behind them (committed
    in batch order). Embedding here on torch's two threads while the workers grouped stories
    made three busy threads on two cores. A batch whose vectors ``started`` holds for the same
    claim texts takes them."""
    if workers <= 1:
        for chunk in chunks:
            commit(chunk, corroborate_stories(load(chunk)))
        return
    from newstrace.workers import process_pool

    config_ = _corroboration_config()
    with process_pool(workers) as pool:
        pending: list[tuple[list[str], list[Any], dict[int, Any]]] = []
        for chunk in chunks:
            inputs = load(chunk)
            early = _started_vectors(started, chunk, inputs)
            vectors = claim_vectors(inputs, pool.map) if early is None else early
            jobs = [(x, config_, v) for x, v in zip(inputs, vectors)]
            # Largest stories first, so that the workers finish together.
            order = sorted(range(len(jobs)), key=lambda k: -len(jobs[k][0].claims))
            pending.append((chunk, inputs, {k: pool.submit(_corroborate_job, jobs[k]) for k in order}))
            while len(pending) > 1:
                _commit_futures(pending.pop(0), commit)
        for item in pending:
            _commit_futures(item, commit)


def _commit_futures(item: tuple[list[str], list[Any], dict[int, Any]],
                    commit: Callable[[list[str], list[Any]], None]) -> None:
    chunk, inputs, futures = item
    commit(chunk, [(x.story_id, *futures[k].result()) for k, x in enumerate(inputs)])


def _claim_texts(inputs: Sequence[Any]) -> list[str]:
    return [c.content.text for x in inputs for c in x.claims]


def _embed_claims(texts: list[str], map_batches: BatchMap | None = None) -> np.ndarray:
    from newstrace.nlp import embed

    return (embed(texts, max_words=CLAIM_EMBED_WORDS, map_batches=map_batches) if texts
            else np.zeros((0, 384), dtype=np.float32))


def _started_vectors(started: CorroborationStart | None, chunk: list[str],
                     inputs: Sequence[Any]) -> list[np.ndarray] | None:
    """The vectors :func:`start_corroboration` computed for this batch, one array per story,
    if it embedded the same claim texts; else None."""
    key = tuple(chunk)
    if started is None or started.texts.get(key) != _claim_texts(inputs):
        return None
    return _per_story(inputs, started.vectors[key].result())


def claim_vectors(inputs: Sequence[Any], map_batches: BatchMap | None = None) -> list[np.ndarray]:
    """MiniLM vectors of every claim of a batch of stories, in one call; one array per story.
    ``map_batches`` runs the model's batches (:func:`newstrace.nlp.embed`: the same vectors
    in this process or in a pool's workers)."""
    return _per_story(inputs, _embed_claims(_claim_texts(inputs), map_batches))


def _per_story(inputs: Sequence[Any], vectors: np.ndarray) -> list[np.ndarray]:
    out, at = [], 0
    for x in inputs:
        out.append(vectors[at:at + len(x.claims)])
        at += len(x.claims)
    return out


def corroborate_stories(inputs: list[Any]) -> list[tuple[str, Any, Any]]:
    """A batch of stories: their claims embedded together, then each corroborated. Pure (models
    load once per process), so it is the body of a Ray task."""
    config_ = _corroboration_config()
    return [(x.story_id, *_corroborate_job((x, config_, v))) for x, v in zip(inputs, claim_vectors(inputs))]


def _corroborate_job(job: tuple[Any, Any, np.ndarray]) -> tuple[Any, Any]:
    """One story's claim groups and flags (a pure function, so it can run in a worker)."""
    from newstrace.corroboration import corroborate

    story, config, vectors = job
    return corroborate(story, config, vectors=vectors)


def _story_claims(store: Store, story: Story) -> tuple[list[Article], list[list[Claim]]]:
    """A story's articles as corroboration reads them and each one's claims, in order.
    Boilerplate is blanked (offsets stay) and its claims left out: an outlet's footer is not a
    claim its articles corroborate."""
    from newstrace.boilerplate import inside

    articles, masks = masked_articles(store, story.article_ids)
    return articles, [[c for c in store.claims(a.id) if not inside(masks.get(a.id, []), c.content.start, c.content.end)]
                      for a in articles]


def _story_input(store: Store, story: Story, origin_of: dict[str, str],
                 origin_article: dict[str, str | None]) -> Any:
    from newstrace.corroboration import StoryInput

    if len(story.article_ids) < 2:
        return None
    articles, per_article = _story_claims(store, story)
    claims: list[Claim] = []
    claim_entities: dict[str, frozenset[str]] = {}
    speaker_entity: dict[str, str] = {}
    for a, a_claims in zip(articles, per_article):
        claims.extend(a_claims)
        entity_of = store.article_entities(a.id)
        spans = [(m.start, m.end, entity_of[m.id]) for m in store.mentions(a.id) if m.id in entity_of]
        for c in a_claims:
            claim_entities[c.id] = frozenset(e for s, t, e in spans if s < c.content.end and t > c.content.start)
            hit = _source_entities(c, spans)
            if hit:
                speaker_entity[c.id] = hit[-1]
    ids = set(story.article_ids)
    edges = [e for a in story.article_ids for e in store.edges(a)
             if e.source_id in ids and e.derived_id in ids]
    unique = {tuple(sorted((e.source_id, e.derived_id))): e for e in edges}
    return StoryInput(
        story_id=story.id, articles=articles, claims=claims,
        origin_of={a: origin_of.get(a, "og-" + a) for a in story.article_ids},
        origin_article={**{"og-" + a: a for a in story.article_ids}, **origin_article},
        edges=list(unique.values()), claim_entities=claim_entities, speaker_entity=speaker_entity,
    )
