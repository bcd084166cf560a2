"""Stories: articles grouped by the event or development they report, incrementally.

Similarity of two articles mixes two views of the text, because each catches what the other
misses on short news items: MiniLM cosine (paraphrase) and TF-IDF cosine (rare names and
keywords). Both live in one concatenated space (``sqrt(w)*embedding ++ sqrt(1-w)*tfidf``), so
the average similarity of an article to a story is one dot product with the story's mean
vector. Optional signals: shared canonical entities (a bonus) and time (a penalty past a
window).

Clustering (no number of stories is given):
1. average-link agglomeration cut at a fixed similarity (``StoryConfig.cut``);
2. a refinement pass: stories smaller than a fraction of the batch are absorbed by the story
   they are on average most similar to (small fragments are mostly outliers of a larger story).
3. a lone article the cut left alone (or a pair of them) joins the one story it shares at least
   three specific canonical entities with (``StoryConfig.attach_min_shared``), if it is near
   enough to it (``attach_floor``): independent reports of one event open differently, but
   name the same people and places.

Incremental, with stable ids: :meth:`StoryIndex.add` lets each new article *join* the story it
is on average most similar to when that passes the cut, clusters the rest among themselves
into *new* stories, then *merges* stories whose average-link similarity passes the cut, and
*splits* a story the batch changed when its members, clustered afresh, fall into parts whose
average-link similarity is below the cut (a development that branched into two events; the
same measure as the merge, so a split is not undone by the next merge). Every join, open,
merge and split is an event; the older story id survives a merge, and the part holding a
story's first article keeps its id in a split. Ids are never renumbered.
:meth:`StoryIndex.to_state` / :meth:`StoryIndex.from_state` give JSON + arrays.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np
from scipy import sparse

from newstrace.text import normalize_for_matching, words


@dataclass(frozen=True)
class StoryConfig:
    """Settings; the string form names them so outputs describe themselves.

    ``embed_weight`` and ``cut`` were chosen on the GoogleNews-TS dev split as whole-set
    settings (a grid of 5 x 6 values), never per item; ``absorb_fraction`` and
    ``absorb_floor`` are the refinement rule (fragments under 0.1 % of the batch join their
    nearest story if their average similarity to it is at least 0.2).
    """

    embed_weight: float = 0.7
    cut: float = 0.25  # average-link similarity (1 - distance 0.75)
    absorb_fraction: float = 0.001
    absorb_floor: float = 0.2
    entity_bonus: float = 0.1  # x Jaccard of canonical entity sets, when both have entities
    time_window_days: float = 7.0
    time_penalty: float = 0.1  # per window beyond the first
    max_batch: int = 8000  # pairwise matrix of a batch is max_batch^2 floats
    split_max: int = 2000  # larger stories are not re-clustered for a split (its cost is size^2)
    #: Full-length articles about one person or place but different events are closer than
    #: snippets about different stories: the 200 words the TF-IDF view sees share the
    #: subject's vocabulary, and the head embeddings its topic. Pairs of long texts need
    #: ``long_text_shift`` more similarity; a text counts as long from ``long_text_terms``
    #: (content terms, first value) to fully long at the second (GoogleNews-TS snippets
    #: have at most 42 words, so the fitted cut is untouched there).
    long_text_shift: float = 0.15
    long_text_terms: tuple[int, int] = (45, 60)
    #: Articles of one outlet share its house style: a byline and dateline ("By Gazette Staff
    #: | RIVERTON, April 6 (Riverton Gazette) -"), the town it covers, its sign-off. The head
    #: embedding reads them as content (six unrelated items of one local paper: cosine
    #: 0.28-0.59 with them, 0.12-0.50 without), so pairs of one outlet need this much more
    #: similarity. An outlet's follow-ups on one event are far above the cut.
    same_outlet_shift: float = 0.10
    #: A lone article (one the cut left alone) joins the one story it shares at least
    #: ``attach_min_shared`` *specific* canonical entities with (entities of at most
    #: ``attach_story_share`` of the stories, and of no more than ``attach_max_stories``)
    #: and is at least ``attach_floor`` similar to on average (entity and time terms and
    #: shifts included). Two reporters of one landslide write different leads (a courier's
    #: rescued shepherd, a wire's death toll): on the heads the similarity sees they stay under
    #: the long-text cut (0.14-0.25 on the held-out corpora), but they name the same village,
    #: people and officials (4-10 specific entities), where an unrelated item of the same
    #: country shares none. Two candidate stories and the article stays alone. Up to
    #: ``attach_max_size`` articles the cut left together may join a larger story so, each of
    #: them meeting the test alone and all naming the same story: a business daily and a
    #: national paper both leading on a rocket maker's shares the day after its launch failed.
    attach_min_shared: int = 3
    attach_max_size: int = 2
    attach_floor: float = 0.10
    attach_story_share: float = 0.5
    attach_max_stories: int = 20


@dataclass(frozen=True)
class StoryEvent:
    """A change to the story set: ``open``, ``join``, ``merge`` (``from_story`` into ``story``),
    ``split`` (``story`` split off ``from_story``; ``score`` is the parts' average similarity),
    or ``link``: ``article`` joined ``story`` and passed the cut for ``from_story`` too
    (``score``), so the two stories are related, though not one."""

    kind: str
    story: str
    article: str | None = None
    from_story: str | None = None
    score: float | None = None
    batch: int = 0
    #: A lone article's join below the cut: the specific canonical entities it shares with
    #: the story (``StoryConfig.attach_min_shared``).
    shared: list[str] | None = None


_STOP = frozenset("a an the of to in on at by for with from and or is are was were be it its".split())


def _terms(text: str) -> list[str]:
    return [w for w in words(normalize_for_matching(text)) if w not in _STOP and len(w) > 1]


@dataclass
class StoryIndex:
    """The incremental story state (pure data plus numpy arrays)."""

    config: StoryConfig = field(default_factory=StoryConfig)
    ids: list[str] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), dtype=np.float32))
    term_counts: list[dict[str, int]] = field(default_factory=list)
    entities: list[list[str]] = field(default_factory=list)
    times: list[float | None] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)  # "" where unknown
    story_of: list[str] = field(default_factory=list)
    events: list[StoryEvent] = field(default_factory=list)
    next_story: int = 0
    batches: int = 0

    # --- public API ---------------------------------------------------------------------

    def add(
        self, ids: Sequence[str], vectors: np.ndarray, texts: Sequence[str],
        entities: Sequence[Sequence[str]] | None = None,
        times: Sequence[datetime | float | None] | None = None,
        outlets: Sequence[str | None] | None = None,
    ) -> list[str]:
        """Add a batch; returns the story id of each new article (in input order)."""
        out: list[str] = []
        for start in range(0, len(ids), self.config.max_batch):
            sl = slice(start, start + self.config.max_batch)
            out += self._add(list(ids[sl]), np.asarray(vectors[sl], dtype=np.float32), list(texts[sl]),
                             list(entities[sl]) if entities is not None else None,
                             list(times[sl]) if times is not None else None,
                             list(outlets[sl]) if outlets is not None else None)
        return out

    def stories(self) -> dict[str, list[str]]:
        """Story id -> article ids, in arrival order."""
        out: dict[str, list[str]] = {}
        for a, s in zip(self.ids, self.story_of):
            out.setdefault(s, []).append(a)
        return out

    def to_state(self) -> tuple[bytes, np.ndarray]:
        """JSON bytes of everything but the vectors, and the vectors (save with ``np.save``)."""
        doc = {
            "config": asdict(self.config), "ids": self.ids, "term_counts": self.term_counts,
            "entities": self.entities, "times": self.times, "outlets": self.outlets, "story_of": self.story_of,
            "events": [asdict(e) for e in self.events], "next_story": self.next_story,
            "batches": self.batches,
        }
        return json.dumps(doc).encode("utf-8"), self.vectors

    @classmethod
    def from_state(cls, data: bytes, vectors: np.ndarray) -> "StoryIndex":
        doc = json.loads(data.decode("utf-8"))
        return cls(
            config=StoryConfig(**doc["config"]), ids=doc["ids"], vectors=np.asarray(vectors, dtype=np.float32),
            term_counts=doc["term_counts"], entities=doc["entities"], times=doc["times"],
            outlets=doc.get("outlets") or [""] * len(doc["ids"]), story_of=doc["story_of"], events=[StoryEvent(**e) for e in doc["events"]],
            next_story=doc["next_story"], batches=doc["batches"],
        )

    # --- internals ----------------------------------------------------------------------

    def _new_story_id(self) -> str:
        self.next_story += 1
        return f"s{self.next_story:06d}"

    def _space(self) -> sparse.csr_matrix:
        """All articles in the concatenated space, with the current IDF."""
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, tc in enumerate(self.term_counts):
            for t, c in tc.items():
                rows.append(i)
                cols.append(vocab.setdefault(t, len(vocab)))
                vals.append(1 + math.log(c))
        n = len(self.term_counts)
        tf = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(n, len(vocab)))
        df = np.bincount(tf.indices, minlength=len(vocab)).astype(np.float32)
        idf = np.log((1 + n) / (1 + df)) + 1
        tfidf = tf.multiply(idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        tfidf = sparse.diags(1 / norms) @ tfidf
        w = self.config.embed_weight
        return sparse.hstack([sparse.csr_matrix(self.vectors * math.sqrt(w)), tfidf * math.sqrt(1 - w)]).tocsr()

    def _long(self, idx: np.ndarray | Sequence[int]) -> np.ndarray:
        """How long each article's text is, from 0 (a snippet) to 1 (full length)."""
        lo, hi = self.config.long_text_terms
        n = np.array([sum(self.term_counts[i].values()) for i in idx], dtype=np.float32)
        return np.clip((n - lo) / max(hi - lo, 1), 0.0, 1.0)

    def _shift(self, rows: np.ndarray | Sequence[int], cols: np.ndarray | Sequence[int]) -> np.ndarray:
        """The similarity two article sets must add to pass the cut: the long-text shift
        (``StoryConfig.long_text_shift``, a product, so that between two stories it is the
        product of their mean lengths) and the same-outlet shift (``same_outlet_shift``)."""
        cfg = self.config
        out = np.zeros((len(rows), len(cols)), dtype=np.float32)
        if cfg.long_text_shift:
            out += cfg.long_text_shift * np.outer(self._long(rows), self._long(cols))
        if cfg.same_outlet_shift and self.outlets:
            # Integer codes (0: unknown), one numbering for both sets: every pair of two large
            # sets is then compared in one vectorised operation.
            code: dict[str, int] = {}
            a, b = (np.fromiter((code.setdefault(o, len(code) + 1) if (o := self.outlets[i]) else 0 for i in idx),
                                dtype=np.int64, count=len(idx)) for idx in (rows, cols))
            out += cfg.same_outlet_shift * ((a[:, None] == b[None, :]) & (a[:, None] > 0)).astype(np.float32)
        return out

    def _outlet_shares(self, m: sparse.csr_matrix, sizes: np.ndarray) -> np.ndarray:
        """Between every two stories (rows of the membership matrix ``m``), the share of their
        article pairs that are of one outlet."""
        names = {o: k for k, o in enumerate(sorted({o for o in self.outlets if o}))}
        if not names:
            return np.zeros((m.shape[0], m.shape[0]), dtype=np.float32)
        rows = [i for i, o in enumerate(self.outlets) if o]
        one_hot = sparse.csr_matrix((np.ones(len(rows)), (rows, [names[self.outlets[i]] for i in rows])),
                                    shape=(len(self.outlets), len(names)))
        share = (m @ one_hot).multiply(1 / sizes[:, None]).tocsr()
        return (share @ share.T).toarray().astype(np.float32)

    def _extra(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Entity bonus, time penalty and long-text shift between article index sets."""
        out = -self._shift(rows, cols)
        cfg = self.config
        if any(self.entities[i] for i in rows) and any(self.entities[j] for j in cols):
            inter, union = self._entity_overlap(rows, cols)
            out += np.divide(cfg.entity_bonus * inter, union, out=np.zeros_like(inter), where=union > 0)
        ti = np.array([np.nan if self.times[i] is None else self.times[i] for i in rows], dtype=np.float64)
        tj = np.array([np.nan if self.times[j] is None else self.times[j] for j in cols], dtype=np.float64)
        if np.isfinite(ti).any() and np.isfinite(tj).any():
            gap = np.abs(ti[:, None] - tj[None, :]) / 86400 / cfg.time_window_days
            pen = np.where(np.isfinite(gap), np.maximum(gap - 1, 0) * cfg.time_penalty, 0)
            out -= pen.astype(np.float32)
        return out

    def _entity_overlap(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sizes of the intersection and union of the canonical entity sets, from incidence
        matrices: a batch of a few thousand articles has millions of pairs."""
        vocab: dict[str, int] = {}
        sets = [set(self.entities[i]) for i in rows], [set(self.entities[j]) for j in cols]
        mats = []
        for side in sets:
            r, c = [], []
            for k, ents in enumerate(side):
                for e in ents:
                    r.append(k)
                    c.append(vocab.setdefault(e, len(vocab)))
            mats.append((r, c, len(side)))
        a, b = (sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(n, len(vocab))) for r, c, n in mats)
        inter = (a @ b.T).toarray()
        size_a, size_b = np.asarray(a.sum(axis=1)), np.asarray(b.sum(axis=1)).T
        # Either side empty: the union is the other side's size, and the pair gets no bonus.
        return inter, np.where((size_a == 0) | (size_b == 0), 0, size_a + size_b - inter)

    def _add(self, ids: list[str], vectors: np.ndarray, texts: list[str],
             entities: list[Sequence[str]] | None, times: list[datetime | float | None] | None,
             outlets: list[str | None] | None = None) -> list[str]:
        self.batches += 1
        batch = self.batches
        known = set(self.ids)
        if any(i in known for i in ids) or len(set(ids)) != len(ids):
            raise ValueError("article ids must be new and unique")
        n_old = len(self.ids)
        self.ids += ids
        self.vectors = np.vstack([self.vectors, vectors]) if n_old else vectors.copy()
        self.term_counts += [dict(Counter(_terms(t))) for t in texts]
        self.entities += [sorted(e) for e in (entities or [[] for _ in ids])]
        self.times += [_epoch(t) for t in (times or [None] * len(ids))]
        self.outlets += [(o or "").strip().casefold() for o in (outlets or [None] * len(ids))]
        self.story_of += [""] * len(ids)
        x = self._space()
        new = np.arange(n_old, n_old + len(ids))
        cut = self.config.cut

        # 1. join an existing story when the average similarity to it passes the cut
        pending = list(new)
        old_sim, old_names, old_inv = np.zeros((len(new), 0), dtype=np.float32), np.array([], dtype=str), None
        if n_old:
            labels = np.array(self.story_of[:n_old])
            names, inv = np.unique(labels, return_inverse=True)
            m = sparse.csr_matrix((np.ones(n_old), (inv, np.arange(n_old))), shape=(len(names), n_old))
            sizes = np.asarray(m.sum(axis=1)).ravel()
            means = (m @ x[:n_old]).multiply(1 / sizes[:, None]).tocsr()
            sim = (x[new] @ means.T).toarray() + self._extra_mean(new, inv, len(names), n_old)
            old_sim, old_names, old_inv = sim, names, inv
            best = sim.argmax(axis=1)
            pending = []
            for a, i in enumerate(new):
                if sim[a, best[a]] >= cut:
                    self.story_of[i] = str(names[best[a]])
                    self.events.append(StoryEvent("join", self.story_of[i], self.ids[i], None,
                                                  round(float(sim[a, best[a]]), 4), batch))
                    # An article close enough to join a second story too links the two, which
                    # stay apart unless the stories as wholes pass the cut (the merge).
                    for k in np.flatnonzero(sim[a] >= cut):
                        if k != best[a]:
                            self.events.append(StoryEvent("link", self.story_of[i], self.ids[i], str(names[k]),
                                                          round(float(sim[a, k]), 4), batch))
                else:
                    pending.append(i)

        # 2. cluster the rest among themselves; each cluster opens a story
        if pending:
            idx = np.array(pending)
            extra = self._extra(idx, idx)
            labels = cluster(x[idx], cut, self.config, extra=extra)
            scores = _mean_to_others(x[idx], labels, extra)
            attached = self._attach_lone(x, idx, labels, extra, old_sim[np.searchsorted(new, idx)], old_names, old_inv)
            opened: dict[int, str] = {}
            for k, (i, lab) in enumerate(zip(idx, labels)):
                if k in attached:
                    continue
                if lab not in opened:
                    opened[lab] = self._new_story_id()
                    self.events.append(StoryEvent("open", opened[lab], self.ids[i], None, None, batch))
                else:
                    self.events.append(StoryEvent("join", opened[lab], self.ids[i], None, scores[k], batch))
                self.story_of[i] = opened[lab]

            for k, (target, score, shared) in sorted(attached.items()):
                sid = target if isinstance(target, str) else opened[target]
                self.story_of[idx[k]] = sid
                self.events.append(StoryEvent("join", sid, self.ids[idx[k]], None, score, batch, shared))

        # 3. merge stories that the new articles brought together, 4. split those they pulled apart
        if n_old:
            self._merge(x, batch)
            self._split(x, n_old, batch)
        return [self.story_of[i] for i in new]

    def _attach_lone(self, x: sparse.csr_matrix, idx: np.ndarray, labels: np.ndarray, extra: np.ndarray,
                     old_sim: np.ndarray, old_names: np.ndarray, old_inv: np.ndarray | None
                     ) -> dict[int, tuple[str | int, float, list[str]]]:
        """The lone articles of this batch's clustering (rows of ``idx`` in a cluster of at most
        ``StoryConfig.attach_max_size``) that join a story below the cut
        (``StoryConfig.attach_min_shared``): row -> (an existing story's id, or the label of a
        larger cluster of this batch; the average similarity; the shared specific entities).
        The rows of one cluster join together or not at all. ``old_sim`` holds the rows'
        average similarity to the existing stories ``old_names`` (``old_inv``: each earlier
        article's story)."""
        rows_of: dict[int, list[int]] = {}
        for k, lab in enumerate(labels):
            rows_of.setdefault(int(lab), []).append(k)
        lone = [k for k, lab in enumerate(labels) if len(rows_of[int(lab)]) <= self.config.attach_max_size
                and all(self.entities[idx[j]] for j in rows_of[int(lab)])]
        if not lone:
            return {}
        sets: list[tuple[str | int, set[str]]] = []
        if old_inv is not None:
            old_sets: list[set[str]] = [set() for _ in old_names]
            for j, k in enumerate(old_inv):
                old_sets[k].update(self.entities[j])
            sets += [(str(n), e) for n, e in zip(old_names, old_sets)]
        new_sets: dict[int, set[str]] = {}
        for k, lab in enumerate(labels):
            new_sets.setdefault(int(lab), set()).update(self.entities[idx[k]])
        sets += list(new_sets.items())
        frequency = Counter(e for _, es in sets for e in es)
        limit = max(1, min(int(self.config.attach_story_share * len(sets)), self.config.attach_max_stories))
        # Average similarity of each lone row to each cluster of this batch, through a
        # membership matrix (a loop over clusters would be lone x clusters x batch).
        keys = list(new_sets)
        code = {lab: c for c, lab in enumerate(keys)}
        member = sparse.csr_matrix((np.ones(len(labels)), ([code[int(lab)] for lab in labels], np.arange(len(labels)))),
                                   shape=(len(keys), len(labels)))
        counts = np.asarray(member.sum(axis=1)).ravel()
        within = (x[idx[lone]] @ x[idx].T).toarray() + extra[lone]
        means = np.asarray(member @ within.T).T / counts[None, :]
        found: dict[int, tuple[str | int, float, list[str]] | None] = {}
        for r, k in enumerate(lone):
            # Only a larger cluster of this batch: two lone articles (or pairs) sharing names
            # are the cut's to judge, and a pair must not swap places with another.
            own = len(rows_of[int(labels[k])])
            here = np.where(counts > max(own, 1), means[r], -np.inf)
            scores = np.concatenate([np.asarray(old_sim[k], dtype=np.float64), here])
            found[k] = self._lone_target(idx[k], sets, scores, frequency, limit)
        out: dict[int, tuple[str | int, float, list[str]]] = {}
        for k, hit in found.items():
            rows = rows_of[int(labels[k])]
            if hit is not None and all(found[j] is not None and found[j][0] == hit[0] for j in rows):
                out[k] = hit
        # Not into a pair that joins a story itself (it opens nothing to join).
        moving = {int(labels[k]) for k in out}
        return {k: hit for k, hit in out.items() if isinstance(hit[0], str) or hit[0] not in moving}

    def _lone_target(self, i: int, sets: Sequence[tuple[str | int, set[str]]], scores: Sequence[float] | np.ndarray,
                     frequency: Counter[str], limit: int) -> tuple[str | int, float, list[str]] | None:
        """The one story of ``sets`` (key, entity set) that article ``i`` shares enough specific
        entities with (at most ``limit`` stories of ``frequency`` hold one) at an average
        similarity (``scores``) of at least ``attach_floor``; None where there is no such story
        or more than one."""
        cfg = self.config
        mine = {e for e in self.entities[i] if frequency[e] <= limit}
        if len(mine) < cfg.attach_min_shared:
            return None
        near = np.flatnonzero(np.asarray(scores, dtype=np.float64) >= cfg.attach_floor)
        hits = [(sets[c][0], round(float(scores[c]), 4), sorted(mine & sets[c][1])) for c in near
                if len(mine & sets[c][1]) >= cfg.attach_min_shared]
        return hits[0] if len(hits) == 1 else None

    def _extra_mean(self, new: np.ndarray, inv: np.ndarray, k: int, n_old: int) -> np.ndarray:
        extra = self._extra(new, np.arange(n_old))
        if not extra.any():
            return np.zeros((len(new), k), dtype=np.float32)
        m = sparse.csr_matrix((np.ones(n_old), (inv, np.arange(n_old))), shape=(k, n_old))
        sizes = np.asarray(m.sum(axis=1)).ravel()
        return np.asarray((m @ extra.T).T / sizes[None, :], dtype=np.float32)

    def _merge(self, x: sparse.csr_matrix, batch: int) -> None:
        lengths = self._long(range(len(self.story_of))) if self.config.long_text_shift else None
        while True:
            labels = np.array(self.story_of)
            names, inv = np.unique(labels, return_inverse=True)
            if len(names) < 2:
                return
            m = sparse.csr_matrix((np.ones(len(labels)), (inv, np.arange(len(labels)))),
                                  shape=(len(names), len(labels)))
            sizes = np.asarray(m.sum(axis=1)).ravel()
            means = (m @ x).multiply(1 / sizes[:, None]).tocsr()
            sim = (means @ means.T).toarray()
            if lengths is not None:
                long = (m @ lengths) / sizes
                sim -= self.config.long_text_shift * np.outer(long, long)
            if self.config.same_outlet_shift:
                sim -= self.config.same_outlet_shift * self._outlet_shares(m, sizes)
            np.fill_diagonal(sim, -1)
            a, b = np.unravel_index(sim.argmax(), sim.shape)
            if sim[a, b] < self.config.cut:
                return
            keep, gone = sorted([str(names[a]), str(names[b])])  # the older id survives
            self.story_of = [keep if s == gone else s for s in self.story_of]
            self.events.append(StoryEvent("merge", keep, None, gone, round(float(sim[a, b]), 4), batch))

    def _split(self, x: sparse.csr_matrix, n_old: int, batch: int) -> None:
        """Re-cluster each story that holds both earlier articles and articles of this batch.

        Parts come from :func:`cluster` on the story's members (average link at the cut, small
        fragments absorbed), without the entity and time terms, as in :meth:`_merge`; a part
        splits off only when its average similarity to the part that keeps the id is below the
        cut, so the merge step would not join them again, and is below it with those terms too,
        so that the split does not undo a join of the same run (a lone article's join on shared
        entities below the cut included). Stories of more than ``split_max``
        articles are left whole: the check's cost grows with the square of the story's size.
        """
        changed = {self.story_of[i] for i in range(n_old, len(self.ids))} & set(self.story_of[:n_old])
        member_lists: dict[str, list[int]] = {}
        story_sets: dict[str, set[str]] = {}
        for i, s in enumerate(self.story_of):
            story_sets.setdefault(s, set()).update(self.entities[i])
            if s in changed:
                member_lists.setdefault(s, []).append(i)
        frequency = Counter(e for es in story_sets.values() for e in es)
        limit = max(1, min(int(self.config.attach_story_share * len(story_sets)), self.config.attach_max_stories))
        for sid in sorted(changed):
            members = np.array(member_lists[sid])
            if len(members) > self.config.split_max:
                continue
            labels = cluster(x[members], self.config.cut, self.config, extra=-self._shift(members, members))
            if labels.max() == 0:
                continue
            kept = members[labels == labels[0]]  # the part with the story's first article
            kept_mean = np.asarray(x[kept].mean(axis=0)).ravel()
            for lab in dict.fromkeys(labels.tolist()):  # parts in order of their first article
                if lab == labels[0]:
                    continue
                part = members[labels == lab]
                plain = float(np.asarray(x[part].mean(axis=0)).ravel() @ kept_mean)
                score = plain - float(self._shift(part, kept).mean())
                # Nor when the join's own measure (shared entities, time) keeps them together:
                # an article that joined on it must not be split off by the same run.
                joined = plain + float(self._extra(part, kept).mean())
                if score >= self.config.cut or joined >= self.config.cut:
                    continue
                # Nor lone articles that joined below the cut on the specific entities they share.
                kept_set = {e for j in kept for e in self.entities[j]}
                if len(part) <= self.config.attach_max_size and all(
                        self._lone_target(i, [(sid, kept_set)], [joined], frequency, limit) for i in part):
                    continue
                new_id = self._new_story_id()
                for i in part:
                    self.story_of[i] = new_id
                self.events.append(StoryEvent("split", new_id, None, sid, round(score, 4), batch))


def _mean_to_others(x: sparse.csr_matrix, labels: np.ndarray, extra: np.ndarray) -> list[float | None]:
    """Each row's average similarity to the other rows of its cluster, as the clustering saw
    it (the concatenated space plus the entity and time terms): the score a ``join`` event
    records, so a reader can see how close an article came to the cut. None for a cluster of one."""
    x = x.tocsr()
    out: list[float | None] = [None] * len(labels)
    for lab in np.unique(labels):
        rows = np.flatnonzero(labels == lab)
        if len(rows) < 2:
            continue
        part = x[rows]
        total = np.asarray(part.sum(axis=0)).ravel()
        own = np.asarray(part.multiply(part).sum(axis=1)).ravel()
        dots = np.asarray(part @ total).ravel() - own
        if extra.any():
            block = extra[np.ix_(rows, rows)]
            dots = dots + block.sum(axis=1) - np.diag(block)
        for r, v in zip(rows, dots / (len(rows) - 1)):
            out[r] = round(float(v), 4)
    return out


def cluster(x: sparse.csr_matrix, cut: float, config: StoryConfig = StoryConfig(),
            extra: np.ndarray | None = None) -> np.ndarray:
    """Labels ``0..k-1`` for the rows of ``x`` (unit rows in the concatenated space)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = x.shape[0]
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    sim = (x @ x.T).toarray().astype(np.float32)
    if extra is not None:
        sim += extra
    dist = np.clip(1 - sim, 0, None)
    np.fill_diagonal(dist, 0)
    z = linkage(squareform(dist, checks=False), "average")
    labels = np.unique(fcluster(z, 1 - cut, "distance"), return_inverse=True)[1]
    return absorb_fragments(x, labels, config)


def absorb_fragments(x: sparse.csr_matrix, labels: np.ndarray, config: StoryConfig = StoryConfig()) -> np.ndarray:
    """Move members of very small clusters to the cluster they are on average closest to.

    The size limit is relative to the batch (``absorb_fraction``), so the rule carries over
    to sets of another size; ``absorb_floor`` keeps a true outlier on its own.
    """
    n = len(labels)
    sizes = np.bincount(labels)
    # A fragment is smaller than that share of the batch: in a batch of a few hundred or
    # fewer, nothing is (a lone article there is a story of its own, not a crumb of another).
    min_size = max(1, int(round(config.absorb_fraction * n)))
    big = np.where(sizes >= min_size)[0]
    if len(big) == 0 or len(big) == len(sizes):
        return labels
    m = sparse.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(len(sizes), n))
    means = (m @ x).multiply(1 / sizes[:, None]).tocsr()[big]
    sim = (x @ means.T).toarray()
    best, value = sim.argmax(axis=1), sim.max(axis=1)
    move = (sizes[labels] < min_size) & (value >= config.absorb_floor)
    out = labels.copy()
    out[move] = big[best[move]]
    return np.unique(out, return_inverse=True)[1]


def _epoch(t: datetime | float | None) -> float | None:
    if t is None:
        return None
    if isinstance(t, datetime):
        return t.timestamp()
    return float(t)
