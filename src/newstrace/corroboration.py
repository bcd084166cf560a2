"""Corroboration: within one story, which claims assert the same thing, how many independent
origins stand behind each, and what a reader should check (flags with their evidence).

The stage is one pure function, :func:`corroborate`: records in (a :class:`StoryInput`),
records out (``model.ClaimGroup`` and ``model.Flag``). It reads no store and keeps no state, so
it runs the same in this process and as a Ray task; ids are stable hashes of the members, so
re-running it gives the same ids.

How it works, and why:

* **Claim groups** come from :func:`newstrace.claim_matching.group_claims` (embedding cosine,
  TF-IDF overlap, canonical entities, speaker; a number or date that differs vetoes a pair).
  Two things are added here. Direct quotes of one speaker whose words one contains the other's
  (a verbatim fragment of a longer quote) are joined: they are the same quote, heard or copied.
  And a claim somebody *denies* never counts as corroborating the claim it denies: denied
  members are split into their own group, and the pair becomes a contradiction candidate.
* **Independent origins**: a group's ``origin_ids`` are the distinct provenance origin groups
  of its articles (ten rewrites of one story count one). Direct quotes of the same speaker in
  articles of different origin groups therefore count as independent reporting *of the quote*
  (the outlets heard it separately), which says nothing about whether it is true. A claim
  that reports what another outlet of the story published ("VSIA claimed that ...") counts for
  that outlet's origin group, and a fact check's "Claim: ..." line for none: reporting a claim
  is not a second source of it.
* **Flags** (each with article ids, claim ids, the exact spans, a score and the rule):
  ``single-origin``, ``embellishment``, ``attribution-dropped`` / ``hedge-changed`` (along a
  reuse edge that is a parent link) and ``contradiction``. The claim extractor only yields sentences with an
  attribution or hedge cue, so a rewrite that states a hedged claim as plain fact has *no*
  claim there: that is why the edge and embellishment checks also compare claims with the
  other article's sentences, not only with its claims.
* **Contradictions** are vetoed pairs of :func:`~newstrace.claim_matching.group_claims` (a
  differing number or date) between *different* origin groups, judged slot by slot: the
  differing values must be of one type (date/year/num/pct) and either the claims are close
  overall, or the values share frame words (:func:`~newstrace.figures.slot_frames`: "employ 1,200 people" and
  "800 people on its payroll" are both ``workforce``), since a claim carrying three facts is
  never close overall to a claim carrying one. Sentences of any article that state one side's
  value about the same thing are added as evidence for that side. An estimate hedged as
  speculation against a stated figure is not flagged unless the config asks for it (and then
  at a low score); rewrites of one origin group are never flagged against each other. Two
  members of one claim group worded alike but naming another place or weekday at the same
  point contradict each other too (:func:`~newstrace.predicates.aligned_values`), as do a statement and a denial or
  a negation of it (``assert-vs-deny``, ``assert-vs-negated``).

What a sentence says, read from its text alone, lives in two modules of pure functions:
:mod:`newstrace.figures` (numbers, dates, times, amounts and what they count) and
:mod:`newstrace.predicates` (values told at the same point of two sentences, opposite acts,
who did what to whom). This module holds the stage: the story's claims, their groups, and
the flags.

Embeddings come from ``vectors`` (the caller's, one row per claim in ``story.claims`` order),
else from ``embed_fn`` (default :func:`newstrace.nlp.embed`); sentences are embedded only
where a lexical check could not already decide.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from newstrace import claim_matching as cm
from newstrace.claim_diff import has_attribution, hedge_words, weakens
from newstrace.figures import (ADJECTIVE_ENDS, ADMITTING, DIGIT, DURATION, FigureNote, GENERIC, INNER_WORD, REQUEST,
                               TELLING, TWO_READINGS, WEEKDAYS, WEEKDAY_NAMES, alleges, article_people, bare_age,
                               claim_slots, combined_figures, counted_nouns, cue_says, currency_words, differing_slots,
                               disagreeing_slots, far_apart, fate_counts, figure_notes, figure_of, figure_owners,
                               figure_words, frame_stem, frame_tokens, frames_meet, is_figure, later_figures,
                               loose_figures, named_ages, named_titles, past_figures, person_fate, read_slots,
                               requested, role_ages, role_bindings, running_totals, same_duration, shared_frame,
                               slot_frames, slot_number, slot_sites, slot_type, story_names, superseded_figures,
                               titles_disagree, values_disagree, vote_split)
from newstrace.model import Article, Claim, ClaimGroup, Flag, ReuseEdge, Span
from newstrace.negation import (NEGATION, NegatedClause, fact_clauses, negated_clauses, stated_stems, states_fact,
                                stems, tells_future)
from newstrace.predicates import (ALIGN_TOKEN, OPPOSITE_SITE, SWAP, SWAP_SITE, VALUE_SITE, aligned_values,
                                  decisive_agents, event_days, named_predicates, opposite_predicates,
                                  predicate_sign, who_did_what)
from newstrace.restatement import OutletNames, is_claim_label
from newstrace.reuse import REUSE_KINDS, content_terms
from newstrace.text import split_sentences, stable_hash, strip_dateline

EmbedFn = Callable[[list[str]], np.ndarray]

#: Hedge levels that soften a claim (``denied`` is a polarity, handled on its own).
HEDGED = frozenset({"reported", "alleged", "speculated"})
FLAG_KINDS = ("single-origin", "embellishment", "attribution-dropped", "hedge-changed", "contradiction")
_FAR_FUTURE = datetime.max.replace(tzinfo=timezone.utc)
#: Attribution verbs beyond ``claim_diff``'s short list, for sentences that are not claims.
_MORE_ATTRIBUTION = re.compile(
    r"\b(added|announced|reported|confirmed|explained|noted|claimed|insisted|wrote|quoted|cited|"
    r"citing|per|according|denied|denies|deny|rejected|rejects|urged|urges|warned|warns|admitted|"
    r"admits|argued|argues)\b", re.IGNORECASE)
_REPORT_VERBS = frozenset({"report", "reports", "reported", "reporting"})
_QUOTE_CHARS = frozenset('"“”«»')


@dataclass(frozen=True)
class CorroborationConfig:
    """Thresholds of the corroboration stage. Cosines are MiniLM cosines of unit vectors;
    containment is the share of a text's content terms found in the other text.

    Set by reasoning about the scales (the same as ``GroupConfig``: MiniLM cosine above 0.8 is a
    close paraphrase, 0.6 is a loose one) and checked on the test fixtures, not fitted.

    * ``group``: the pairwise rules of claim grouping (``claim_matching.GroupConfig``).
    * ``single_origin_min_articles``: a group stated by at least this many articles, all of
      one origin group, is flagged ``single-origin`` (issue 6: "many articles, one origin").
    * ``quote_containment``: share of the shorter quote's terms inside the longer one for two
      direct quotes of one speaker to be the same quote (a verbatim fragment).
    * ``anonymous_own_cosine``: the bar instead of ``own_origin_cosine`` for a claim of an
      anonymous source ("people familiar with the plans"): the dress of invented claims.
    * ``own_origin_cosine`` / ``own_origin_containment``: the *lower* bar a derived article's
      claim (or its sentence) must reach against its own origin article to have a counterpart
      there. Lower because the two are known rewrites of each other, and a missed paraphrase
      would be a false embellishment, the costlier error. Checked with MiniLM: the rewrites of
      ``examples/corpus`` score 0.77-0.97 against their origin sentence, a rewrite that swaps
      every content word ("A first vessel is expected to berth at the end of May" for "The first
      ship is due to dock in late May") 0.70; the three claims the rewrites added score
      0.45-0.63 against anything in the origin (0.60 let one of them through).
    * ``anchored_own_cosine``: the still lower bar against an origin text that states every
      figure, date and weekday of the claim (:meth:`_Run.anchored_in`). The held-out S1
      rewrite's paraphrases score 0.56-0.65 against their origin sentences and were flagged;
      its invented expert quote, with no figure, 0.46.
    * ``aligned_pair_score``: a derived sentence that the reuse stage aligned to a sentence of
      the origin article (``ReuseEdge.pairs``) with at least this score has a counterpart there,
      whatever the cosine says: the alignment saw the order of the two texts as well.
    * ``independent_cosine`` / ``independent_containment``: the bar against articles of other
      origin groups (no reuse known, so a closer match is needed).
    * ``min_claim_terms``: claims with fewer content terms are too short to judge alone (the
      extractor yields fragments such as "the nation"); they are not flagged as embellishment
      or used as edge anchors.
    * ``edge_cosine`` / ``edge_containment``: the bar for a claim's counterpart along a reuse
      edge (claim to claim, or claim to sentence) in the hedge and attribution checks.
    * ``contradiction_cosine``: content similarity (apart from the slot) for two claims of
      different origin groups with a differing number/date to be about the same thing;
      ``contradiction_supported_cosine`` is the lower bar when they share an entity or words.
    * ``contradiction_frame_cosine``: the much lower whole-claim similarity that suffices when
      the differing values share frame words (what the number is *of*, :func:`slot_frames`):
      claims carrying several facts ("open on 14 March and employ 1,200 people") score
      0.39-0.46 against a one-fact claim that contradicts them on ``examples/corpus``. Such
      flags score ``0.5 + 0.5 * frame_score_scale * cosine`` (about 0.6: above a speculative
      one, below a direct match). On that evidence alone, two counts or amounts more than
      ``frame_max_ratio`` apart are taken for different quantities, not one disagreed on: a
      company's 5,800 staff and a new site's 650 jobs, four provinces and 12 emergency wells
      (the held-out scenarios' false flags; their true one, 310 against 470 million euros, is
      1.5 apart). A whole claim told alike (the rules above) is not held to it.
    * ``frameless_cosine``: two differing counts or amounts must be of the same thing (their
      frame words meet, currencies aside); where one has no frame word near it, the claims
      must be this alike overall.
    * ``told_min_terms`` / ``told_min_jaccard``: two sentences of different origins compared
      for a predicate, names or weekday told the other way round must share this many content
      words and this share of them (the pairs of the two held-out contradiction corpora that
      are found share 3-8 words, 0.11-0.40 of them); such a flag scores ``told_score``. A
      weekday needs more across two sentences: the same two words before it, one a content
      word ("late on"), and both articles dated within three days.
    * ``negated_min_words`` / ``negated_max_days``: a plain sentence that says is not so what a
      sentence of another origin states (``contradiction:negated-sentence``) must have this
      many content words in its positive reading, all of them in the stating sentence; dated
      articles more than this many days apart are not compared (a later one may report news).
    * ``changed_score``: the score of a value, predicate, name order or negation a rewrite
      changed in a sentence aligned to its source's (``contradiction:changed-in-rewrite``):
      the alignment pairs the two sentences, so the finding rests on the two texts alone.
      Sentences the alignment did not pair are compared where they share
      ``changed_min_terms`` content words and ``changed_min_containment`` of the shorter one's.
      A quotation given to someone else: two direct quotes of at least ``quote_min_terms``
      content words, each holding ``quote_min_containment`` of the other's.
    * ``denial_cosine``: similarity for "one asserts what another denies".
    * ``denial_supported_cosine`` / ``denial_containment``: the lower similarity at which a
      denial is matched with an assertion it was not grouped with, when the assertion holds
      this share of the denied content's terms. A denial names less than the claim it denies
      ("denied that *the minister* had ordered doctors to conceal any cases" against
      "Defence Minister Dragan Kowalczuk ordered local doctors not to report the cases":
      cosine 0.54, four of its five terms). At least ``denial_min_shared`` words must be shared:
      three of a four-word denial are a topic ("bailing out banks on Wall Street"), not a claim.
      Any assert-vs-deny pair needs ``min_claim_terms`` content words on both sides: a denial of
      "the question" or "that" (an extraction fragment) contradicts nothing.
    * ``weekday_cosine``: how alike (MiniLM) two claims of one group must be for the one
      weekday each gives the event, in other words around it, to be one date told two ways
      (:meth:`_Run.told_apart`).
    * ``stance_min_shared``: the content words a denial and a rewrite's admission of it must
      share ("that any leak took place" / "that a leak took place": three), with
      ``denial_containment`` of the denial's (:meth:`_Run.stance_change`).
    * ``speculative_contradictions``: whether a stated figure against an estimate hedged as
      speculation is flagged at all; when it is, its score is multiplied by
      ``speculative_penalty`` so it never ranks as a firm contradiction.
    * ``aligned_max_texts``: how many distinct wordings of one claim group (the shortest
      first) are aligned with each other for another place or weekday
      (:meth:`_Run.aligned_pairs`): the alignment is quadratic in them, and a quote repeated
      by thousands of articles has as many wordings.
    """

    group: cm.GroupConfig = cm.GroupConfig()
    single_origin_min_articles: int = 3
    quote_containment: float = 0.8
    own_origin_cosine: float = 0.65
    anonymous_own_cosine: float = 0.75
    aligned_pair_score: float = 0.50
    own_origin_containment: float = 0.60
    anchored_own_cosine: float = 0.50
    independent_cosine: float = 0.75
    independent_containment: float = 0.75
    min_claim_terms: int = 3
    edge_cosine: float = 0.70
    edge_containment: float = 0.60
    contradiction_cosine: float = 0.70
    contradiction_supported_cosine: float = 0.55
    contradiction_frame_cosine: float = 0.35
    frameless_cosine: float = 0.85
    #: Sentences told the other way round (:meth:`_Run.sentences_told_otherwise`): content
    #: words the two must share, the share of their words that is, and the flag's score.
    told_min_terms: int = 3
    told_min_jaccard: float = 0.10
    told_score: float = 0.6
    changed_score: float = 0.8
    negated_min_words: int = 2
    negated_max_days: float = 2.0
    value_min_terms: int = 3
    value_min_jaccard: float = 0.10
    value_max_days: float = 2.0
    value_cosine: float = 0.70
    weekday_cosine: float = 0.80
    value_named_cosine: float = 0.55
    #: A death toll higher in a report this many hours later updates the earlier one; counts of
    #: what is left ("nine patients remain in hospital") told this many hours apart are of two
    #: moments (:meth:`_Run.two_values`).
    toll_min_hours: float = 2.0
    left_min_hours: float = 12.0
    #: Alive in one report, dead in another of a second origin at most this many days apart
    #: (:meth:`_Run.fates_told_otherwise`): the dead do not come back, so the window is wider
    #: than a figure's.
    fate_max_days: float = 7.0
    #: One person given two posts in reports at most this many days apart
    #: (:meth:`_Run.titles_told_otherwise`).
    title_max_days: float = 7.0
    named_min_terms: int = 2
    changed_min_terms: int = 4
    changed_min_containment: float = 0.6
    quote_min_terms: int = 4
    quote_min_containment: float = 0.8
    frame_score_scale: float = 0.5
    frame_max_ratio: float = 2.5
    denial_cosine: float = 0.75
    denial_supported_cosine: float = 0.50
    denial_containment: float = 0.75
    denial_min_shared: int = 4
    stance_min_shared: int = 3
    negation_cosine: float = 0.60
    negation_paraphrase_cosine: float = 0.70
    negation_paraphrase_min_shared: int = 3
    negation_containment: float = 0.75
    negation_figure_containment: float = 0.5
    negation_min_shared: int = 2
    speculative_contradictions: bool = False
    speculative_penalty: float = 0.4
    aligned_max_texts: int = 100
    #: Embed sentences (and claim sentences) that have no vector yet. Off in the pipeline's
    #: budget mode: there only the claims' vectors (one batched call per chunk of stories) and
    #: the reuse stage's sentence alignments are used, because embedding every sentence of a
    #: large story costs more than the whole rest of the pipeline.
    embed_sentences: bool = True

    def __str__(self) -> str:
        parts = []
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, cm.GroupConfig):
                v = ",".join(f"{g.name}={getattr(v, g.name)}" for g in fields(v))
                parts.append(f"group=({v})")
            else:
                parts.append(f"{f.name}={v}")
        return "corroboration(" + ", ".join(parts) + ")"

    @property
    def min_contradiction_cosine(self) -> float:
        """The lowest cosine at which a vetoed pair can still be a contradiction."""
        return min(self.contradiction_cosine, self.contradiction_supported_cosine, self.contradiction_frame_cosine)


@dataclass
class StoryInput:
    """Everything the stage needs about one story, as plain records (picklable for Ray).

    ``origin_of`` maps every article to its origin group (an article missing from it is taken
    as its own singleton group, whose id is the article id); ``origin_article`` maps an origin
    group to its predicted origin article, None when the origin is not in the corpus (a
    singleton group missing from it is its own origin). ``edges`` may include ``same-story``
    edges: they are ignored for reuse. ``claim_entities`` and ``speaker_entity`` hold canonical
    entity ids from the entities stage, keyed by claim id.
    """

    story_id: str
    articles: list[Article]
    claims: list[Claim]
    origin_of: dict[str, str]
    origin_article: dict[str, str | None]
    edges: list[ReuseEdge] = field(default_factory=list)
    claim_entities: dict[str, frozenset[str]] = field(default_factory=dict)
    speaker_entity: dict[str, str] = field(default_factory=dict)


# --- small helpers ---------------------------------------------------------------------------


def _terms(text: str) -> frozenset[str]:
    return frozenset(cm.terms(text))


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def _unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    n = np.linalg.norm(v, axis=1, keepdims=True)
    n[n == 0] = 1
    return v / n


class _Embeddings:
    """Text -> unit vector, embedding each distinct text at most once per call (batched)."""

    def __init__(self, embed_fn: EmbedFn | None) -> None:
        self._fn = embed_fn
        self._cache: dict[str, np.ndarray] = {}

    def seed(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        for t, v in zip(texts, _unit(vectors)):
            self._cache.setdefault(t, v)

    def __contains__(self, text: str) -> bool:
        return text in self._cache

    def vector(self, text: str) -> np.ndarray:
        """The vector of a text that has one (no model call, no copy)."""
        return self._cache[text]

    def cosine(self, a: str, b: str) -> float:
        """The cosine of two texts that have vectors."""
        return float(self._cache[a] @ self._cache[b])

    def size(self) -> int:
        return len(self._cache)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            fn = self._fn or cm._default_embed
            # An article's first sentence opens with where it was filed ("ALDENPORT - "): no
            # part of what it says (0.52 against 0.61 for one share price told two ways).
            self.seed(missing, fn([strip_dateline(t) or t for t in missing]))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])


@dataclass(frozen=True)
class _Hit:
    """The best counterpart of a text among reference texts, with both similarities."""

    index: int
    cosine: float
    containment: float
    passed: bool


#: Reference lists at least this long are searched through a cached index (shorter ones, a
#: single article's claims, are scanned: building an index would cost more than it saves).
_INDEXED_REFS = 64


@dataclass(frozen=True)
class _RefIndex:
    """A reference list's term postings (ascending positions) and the vectors of the
    references that have one."""

    postings: dict[str, np.ndarray]
    known: list[int]
    known_matrix: np.ndarray


_NO_HITS = np.zeros(0, dtype=np.int64)


def _not_contained(keys: Sequence[Any], members: Mapping[Any, set[tuple[int, int]]]) -> list[Any]:
    """The ``keys``, in order, whose (non-empty) set of pairs is not contained in that of an
    earlier key kept. A kept key holding all of a key's pairs holds any one of them, so only
    the kept keys holding its rarest pair are compared: a story of 26,000 claims has thousands
    of disagreements, and comparing each with every kept one took 11 s of 241."""
    kept: list[Any] = []
    holding: dict[tuple[int, int], list[Any]] = {}  # pair -> the kept keys holding it
    for k in keys:
        rarest = min(members[k], key=lambda pair: len(holding.get(pair, ())))
        if not any(members[k] <= members[j] for j in holding.get(rarest, ())):
            kept.append(k)
            for pair in members[k]:
                holding.setdefault(pair, []).append(k)
    return kept


def _hits(postings: dict[str, np.ndarray], terms: frozenset[str]) -> np.ndarray:
    """The positions of the references holding each of ``terms``, once per term held: a
    position's count in it is the number of the terms its reference holds."""
    found = [postings[t] for t in terms if t in postings]
    return np.concatenate(found) if found else _NO_HITS


def _most_terms(hits: np.ndarray, n_terms: int) -> tuple[int, Callable[[int], float]]:
    """(the first position holding the most terms, or 0 when none holds any; each position's
    containment: the share of the ``n_terms`` its reference holds), from :func:`_hits`."""
    if not hits.size:
        return 0, lambda k: 0.0
    positions, counts = np.unique(hits, return_counts=True)

    def cont(k: int) -> float:
        i = int(np.searchsorted(positions, k))
        return int(counts[i]) / n_terms if i < positions.size and positions[i] == k else 0.0

    return int(positions[int(np.argmax(counts))]), cont


@dataclass
class _AllowedView:
    """A sub-list of a kept reference list (``allowed`` positions; ``place``: each position's
    place in the sub-list, -1 where not allowed) and, once asked for, the sub-list's places
    and vectors of references with a vector."""

    allowed: list[int]
    index: _RefIndex
    place: np.ndarray
    known: tuple[list[int], np.ndarray | None] | None = None


@dataclass(frozen=True)
class _Others:
    """The articles outside one origin group, within the story's two reference lists
    (:meth:`_Run.witnesses`): ``claims`` (every claim content) with the ``claim_positions``
    of those articles in it, and ``everything`` (claims and sentences) with a flag per entry,
    ``in_everything``."""

    claims: list[tuple[str, str, tuple[int, int]]]
    claim_positions: list[int]
    everything: list[tuple[str, str, tuple[int, int]]]
    in_everything: np.ndarray


@dataclass
class _Group:
    members: list[int]
    rules: set[str]
    score: float


# --- the stage -------------------------------------------------------------------------------


def corroborate(
    story: StoryInput, config: CorroborationConfig = CorroborationConfig(),
    vectors: np.ndarray | None = None, embed_fn: EmbedFn | None = None,
) -> tuple[list[ClaimGroup], list[Flag]]:
    """Claim groups and flags of one story.

    ``vectors`` (optional) has one row per claim of ``story.claims``, the embedding of its
    content text; without it, claims are embedded with ``embed_fn`` (default
    :func:`newstrace.nlp.embed`) when the story has claims in two or more articles. Returns the
    groups (largest first) and the flags (by kind, then id); ``ClaimGroup.flags`` holds the
    kinds of the flags that involve the group's claims.
    """
    return _Run(story, config, vectors, embed_fn).run()


class _Run:
    """The state of one call (kept in one object so the helpers share it; never global)."""

    def __init__(self, story: StoryInput, config: CorroborationConfig, vectors: np.ndarray | None,
                 embed_fn: EmbedFn | None) -> None:
        self.story = story
        self.config = config
        self.articles = {a.id: a for a in story.articles}
        unknown = sorted({c.article_id for c in story.claims} - set(self.articles))
        if unknown:
            raise ValueError(f"claims of articles not in story {story.story_id!r}: {unknown[:5]}")
        # A canonical order, so that the result does not depend on the order of the input.
        order = sorted(range(len(story.claims)), key=lambda i: self._claim_key(story.claims[i]))
        self.claims = [story.claims[i] for i in order]
        self.index = {c.id: i for i, c in enumerate(self.claims)}
        self.embed = _Embeddings(embed_fn)
        self.vectors: np.ndarray | None = None
        if vectors is not None:
            vectors = np.asarray(vectors)
            if vectors.shape[0] != len(story.claims):
                raise ValueError(f"vectors has {vectors.shape[0]} rows for {len(story.claims)} claims")
            self.vectors = _unit(vectors[order]) if len(order) else None
            if self.vectors is not None:
                self.embed.seed([c.content.text for c in self.claims], self.vectors)
        self._slot_cache: dict[str, frozenset[str]] = {}
        self._frame_cache: dict[tuple[str, bool], dict[str, frozenset[str]]] = {}
        self._counted_cache: dict[str, dict[str, str]] = {}
        self._later_cache: dict[str, frozenset[str]] = {}
        self._past_cache: dict[tuple[int, str], frozenset[str]] = {}
        self._reading_order: list[tuple[str, tuple[int, int], str]] | None = None
        self._postings_cache: dict[str, tuple[list[tuple[tuple[int, int], frozenset[str]]], dict[str, list[int]]]] = {}
        self._superseded: dict[str, frozenset[str]] = {}
        self._note_cache: dict[str, dict[str, FigureNote]] = {}
        self._owner_cache: dict[str, dict[str, tuple[str, int]]] = {}
        #: Claim -> (the words, the date) of a day it names relative to its article's date.
        self._relative: dict[int, tuple[str, str]] = {}
        self.slots = [self.slots_of(c.content.text) | self.relative_date(i) for i, c in enumerate(self.claims)]
        self._term_cache: dict[str, frozenset[str]] = {}
        self._matrix_cache: dict[tuple[str, ...], np.ndarray] = {}
        self._ref_cache: dict[tuple[str, ...], list[tuple[str, str, tuple[int, int]]]] = {}
        # id() of a reference list -> (that list, its texts); the list is kept alive with it
        self._texts_cache: dict[int, tuple[list[tuple[str, str, tuple[int, int]]], list[str]]] = {}
        self._refindex_cache: dict[tuple[Any, int], _RefIndex] = {}
        # id() of a whole reference list -> (that list, vectors known when indexed, its index)
        self._whole_index: dict[int, tuple[list[str], int, _RefIndex]] = {}
        self._allowed_view: _AllowedView | None = None
        self._sentence_tables: dict[str, tuple[list[tuple[int, int]], list[str], list[frozenset[str]]]] = {}
        self._claim_texts: dict[str, list[str]] = {}
        self._slot_sentences: tuple[list[tuple[str, tuple[int, int]]], dict[str, list[int]]] | None = None
        self.terms = [self.term_set(c.content.text) for c in self.claims]
        self.sentences = {a: split_sentences(art.text) for a, art in self.articles.items()}
        self.currencies = currency_words(art.text for art in story.articles)
        self.names = story_names(art.text for art in story.articles)
        self._sent_starts = {a: [s for s, _ in sp] for a, sp in self.sentences.items()}
        self.by_article: dict[str, list[int]] = {}
        for i, c in enumerate(self.claims):
            self.by_article.setdefault(c.article_id, []).append(i)
        self.reuse_edges = [e for e in story.edges if e.kind in REUSE_KINDS
                            and e.source_id in self.articles and e.derived_id in self.articles]
        self.linked = {a for e in self.reuse_edges for a in (e.source_id, e.derived_id)}
        # Article id -> (its edges, the other article, its side of the aligned pairs).
        self.edges_at: dict[str, list[tuple[ReuseEdge, str, str]]] = {}
        for e in self.reuse_edges:
            self.edges_at.setdefault(e.derived_id, []).append((e, e.source_id, "b"))
            self.edges_at.setdefault(e.source_id, []).append((e, e.derived_id, "a"))
        self.group_of: dict[int, int] = {}
        self.flag_kinds: dict[int, set[str]] = {}
        self._outlets = OutletNames(a.outlet for a in story.articles)
        self._first_of_outlet: dict[str, str] = {}  # outlet -> its earliest article in the story
        for a in sorted(story.articles, key=lambda a: (self._published(a.id), a.id)):
            if a.outlet:
                self._first_of_outlet.setdefault(a.outlet.strip(), a.id)
        self.claim_origins = [self._claim_origin(i) for i in range(len(self.claims))]
        self._negations: dict[int, tuple[NegatedClause, ...]] | None = None
        self._negation_detail: dict[tuple[int, int], dict[str, Any]] = {}
        #: What :meth:`aligned_pairs` found each pair to name differently (read by the flags).
        self._aligned_detail: dict[tuple[int, int], list[tuple[str, str, str, str]]] = {}
        self._content_words: list[frozenset[str]] | None = None
        self._anchor_cache: dict[str, frozenset[str]] = {}

    # -- lookups ----------------------------------------------------------------------------

    def _claim_key(self, c: Claim) -> tuple[Any, ...]:
        return (self._published(c.article_id), c.article_id, c.content.start, c.content.end, c.id)

    def _published(self, article_id: str) -> datetime:
        p = self.articles[article_id].published_at if article_id in self.articles else None
        if p is None:
            return _FAR_FUTURE
        return p if p.tzinfo else p.replace(tzinfo=timezone.utc)

    def origin(self, article_id: str) -> str:
        return self.story.origin_of.get(article_id, article_id)

    def origin_article(self, group_id: str) -> str | None:
        """The group's origin article when it is in this story, else None. An origin group can
        reach into another story (stories are clustered apart from reuse, and an incremental
        split can part an origin from its rewrites); its texts are then not here, and the
        group is treated as one whose origin is not in the corpus."""
        article = self.story.origin_article.get(group_id, group_id)
        return article if article is not None and article in self.articles else None

    def is_derived(self, article_id: str) -> bool:
        """Not its origin group's origin article, and linked to another article by reuse."""
        return self.origin_article(self.origin(article_id)) != article_id and article_id in self.linked

    def _claim_origin(self, i: int) -> str | None:
        """The origin group a claim counts for: its article's, unless the claim reports what
        another outlet of this story published ("VSIA claimed that ..."), which is that
        outlet's claim, not a second source of it (the outlet's earliest article here gives
        the group); None for a fact check's "Claim:" line, which only names the claim checked."""
        c = self.claims[i]
        if is_claim_label(self.sentence_text(c.article_id, self.sentence_of(c.article_id, c.content.start))):
            return None
        own = self.origin(c.article_id)
        source = c.source.text if c.source else ""
        if not source:
            return own
        mine = (self.articles[c.article_id].outlet or "").strip().casefold()
        named = sorted(o for o in self._outlets.named(source) if o.casefold() != mine)
        return self.origin(self._first_of_outlet[named[0]]) if named else own

    def own_voice(self, i: int) -> bool:
        """Whether the claim's source is its own article's outlet ("The Herald will publish
        further updates", "FactLens contacted the agency")."""
        c = self.claims[i]
        outlet = (self.articles[c.article_id].outlet or "").strip()
        return bool(c.source and outlet and outlet in self._outlets.named(c.source.text))

    def origins_of(self, members: Iterable[int]) -> set[str]:
        """The origin groups claims count for (:meth:`_claim_origin`); their articles' groups
        when every one of them only restates."""
        members = list(members)
        found = {o for m in members if (o := self.claim_origins[m]) is not None}
        return found or {self.origin(self.claims[m].article_id) for m in members}

    def speaker(self, i: int) -> str | None:
        c = self.claims[i]
        return self.story.speaker_entity.get(c.id) or (c.source_entity.casefold() if c.source_entity else None)

    def sentence_of(self, article_id: str, offset: int) -> tuple[int, int]:
        spans = self.sentences[article_id]
        if not spans:
            text = self.articles[article_id].text
            return 0, len(text)
        k = max(0, bisect.bisect_right(self._sent_starts[article_id], offset) - 1)
        return spans[k]

    def sentence_text(self, article_id: str, span: tuple[int, int]) -> str:
        return self.articles[article_id].text[span[0]:span[1]]

    def claim_span(self, i: int) -> dict[str, Any]:
        c = self.claims[i]
        return {"article_id": c.article_id, "claim_id": c.id, "start": c.content.start,
                "end": c.content.end, "text": c.content.text}

    def sentence_span(self, article_id: str, span: tuple[int, int], claim_id: str | None = None
                      ) -> dict[str, Any]:
        return {"article_id": article_id, "claim_id": claim_id, "start": span[0], "end": span[1],
                "text": self.sentence_text(article_id, span)}

    def claim_vectors(self) -> np.ndarray:
        if self.vectors is None:
            self.vectors = self.embed([c.content.text for c in self.claims])
        return self.vectors

    def reading_order(self) -> list[tuple[str, tuple[int, int], str]]:
        """Every sentence of the story, ``(article, span, text)``, articles by publication: the
        order the sentence-level rules read them in (and side A is the earlier one)."""
        if self._reading_order is None:
            self._reading_order = [(a, sp, self.sentence_text(a, sp))
                                   for a in sorted(self.articles, key=lambda x: (self._published(x), x))
                                   for sp in self.sentences[a]]
        return self._reading_order

    def near_in_time(self, a: str, b: str, days: float) -> bool:
        """Whether two articles are at most ``days`` apart (undated ones always are)."""
        pa, pb = self._published(a), self._published(b)
        return _FAR_FUTURE in (pa, pb) or abs(pa - pb) <= timedelta(days=days)

    def claims_in(self, article_id: str, span: tuple[int, int]) -> list[int]:
        """The claims of an article whose content overlaps ``span``."""
        return [m for m in self.by_article.get(article_id, [])
                if self.claims[m].content.start < span[1] and self.claims[m].content.end > span[0]]

    def slots_of(self, text: str) -> frozenset[str]:
        """:func:`claim_slots`, computed once per text per call of the stage."""
        got = self._slot_cache.get(text)
        if got is None:
            got = self._slot_cache[text] = claim_slots(text)
        return got

    def relative_date(self, i: int) -> frozenset[str]:
        """The date slot of a day claim ``i`` names by its weekday before its article's date
        ("The first case was confirmed last Friday", in an article of Tuesday 22 July: 18
        July), where the claim gives no date itself: so it meets "confirmed the first case on
        Tuesday 15 July" as a date. Only "last": "on Friday" is as often the coming one."""
        c = self.claims[i]
        days = {d.casefold() for d in _LAST_WEEKDAY.findall(c.content.text)}
        published = self._published(c.article_id)
        if len(days) != 1 or published == _FAR_FUTURE or any(v.startswith("date:") for v in
                                                             self.slots_of(c.content.text)):
            return frozenset()
        day = days.pop()
        date = published.date() - timedelta(days=_days_back(published, day) or 7)  # "last" is not today
        slot = f"date:{date.month}-{date.day}"
        self._relative[i] = (f"last {day.capitalize()}", date.isoformat())
        return frozenset({slot})

    def superseded(self, article_id: str) -> frozenset[str]:
        """:func:`superseded_figures` of an article, read once per call of the stage."""
        got = self._superseded.get(article_id)
        if got is None:
            got = self._superseded[article_id] = superseded_figures(self.articles[article_id].text)
        return got

    def frames(self, text: str, nearest: bool = True) -> dict[str, frozenset[str]]:
        """:func:`slot_frames`, computed once per text per call of the stage."""
        key = (text, nearest)
        if key not in self._frame_cache:
            self._frame_cache[key] = slot_frames(text, nearest=nearest, currencies=self.currencies)
        return self._frame_cache[key]

    def notes(self, text: str) -> dict[str, FigureNote]:
        """:func:`figure_notes`, computed once per text per call of the stage."""
        got = self._note_cache.get(text)
        if got is None:
            got = self._note_cache[text] = figure_notes(text, self.currencies)
        return got

    def term_set(self, text: str) -> frozenset[str]:
        """Content terms of a text, computed once per call of the stage."""
        got = self._term_cache.get(text)
        if got is None:
            got = self._term_cache[text] = _terms(text)
        return got

    def best_lexical(self, query: str, refs: list[tuple[str, str, tuple[int, int]]], containment_bar: float,
                     allowed: np.ndarray | None = None) -> bool:
        """Whether some reference text (of those ``allowed``: a Boolean mask by position) holds
        ``query``'s content terms at ``containment_bar`` (through the reference list's cached
        index: a large story has thousands of reference sentences, checked for every claim of
        every derived article)."""
        q = self.term_set(query)
        if len(q) < self.config.min_claim_terms:
            return False
        hits = _hits(self._kept_index(self.texts_of(refs)).postings, q)
        if allowed is not None:
            hits = hits[allowed[hits]]
        top = int(np.unique(hits, return_counts=True)[1].max()) if hits.size else 0
        return top > 0 and top >= containment_bar * len(q)

    def texts_of(self, refs: list[tuple[str, str, tuple[int, int]]]) -> list[str]:
        """The texts of a cached reference list, as one list kept for the call (so that its
        index is found by identity, not by hashing thousands of texts per query)."""
        got = self._texts_cache.get(id(refs))
        if got is None or got[0] is not refs:
            got = self._texts_cache[id(refs)] = (refs, [r[1] for r in refs])
        return got[1]

    def best(self, query: str, refs: Sequence[str], cosine_bar: float, containment_bar: float) -> _Hit | None:
        """The best counterpart of ``query`` in ``refs``: lexical containment first, and an
        embedding only when no reference passes lexically (most rewrites keep the words).

        Containment is counted through an inverted index kept per reference list, and in
        budget mode the vectors of the references that have one are stacked once per list:
        the same list of a large story's claims is searched for every claim of its rewrites."""
        if not refs:
            return None
        q = self.term_set(query)
        ref = self._reference_index(refs) if len(refs) >= _INDEXED_REFS else None
        if ref is None:
            direct = [_containment(q, self.term_set(r)) for r in refs]
            j = int(np.argmax(direct))

            def cont(k: int) -> float:
                return direct[k]
        else:
            j, cont = _most_terms(_hits(ref.postings, q), len(q))

        def known() -> tuple[list[int], np.ndarray | None]:
            if ref is not None:
                return ref.known, ref.known_matrix
            positions = [k for k, r in enumerate(refs) if r in self.embed]
            return positions, (self.embed([refs[k] for k in positions]) if positions else None)

        hit = self._decide(query, len(q), j, cont, refs.__getitem__, known, cosine_bar, containment_bar)
        if hit is not None:
            return hit
        key = tuple(refs)
        matrix = self._matrix_cache.get(key)
        if matrix is None:
            matrix = self._matrix_cache[key] = self.embed(list(refs))
        cos_all = matrix @ self.embed([query])[0]
        k = int(np.argmax(cos_all))
        return _Hit(k, round(float(cos_all[k]), 4), round(cont(k), 4), float(cos_all[k]) >= cosine_bar)

    def _reference_index(self, refs: Sequence[str]) -> _RefIndex:
        """The index of any reference list, found by its texts."""
        key = (tuple(refs), self.embed.size())
        got = self._refindex_cache.get(key)
        if got is None:
            got = self._refindex_cache[key] = self._build_reference_index(refs)
        return got

    def _kept_index(self, refs: list[str]) -> _RefIndex:
        """The index of a reference list kept for the call, found by identity (hashing the
        texts of a whole story's list for every query would cost more than the search)."""
        got = self._whole_index.get(id(refs))
        if got is None or got[0] is not refs or got[1] != self.embed.size():
            got = self._whole_index[id(refs)] = (refs, self.embed.size(), self._build_reference_index(refs))
        return got[2]

    def _build_reference_index(self, refs: Sequence[str]) -> _RefIndex:
        postings: dict[str, list[int]] = {}
        for k, r in enumerate(refs):
            for t in self.term_set(r):
                postings.setdefault(t, []).append(k)
        known = [k for k, r in enumerate(refs) if r in self.embed]
        matrix = self.embed([refs[k] for k in known]) if known else np.zeros((0, 1), dtype=np.float32)
        return _RefIndex({t: np.array(ks, dtype=np.int64) for t, ks in postings.items()}, known, matrix)

    def best_in(self, query: str, refs: list[str], allowed: list[int], cosine_bar: float,
                containment_bar: float) -> _Hit | None:
        """What ``best(query, [refs[k] for k in allowed], ...)`` returns (its index is into
        that sub-list), through one index of the whole of ``refs``, a list kept for the call.

        A derived article's claims are each compared with the same sentences of another
        article, each time less the few whose numbers conflict with the claim: indexing every
        such sub-list anew was the stage's costliest step."""
        if len(allowed) < _INDEXED_REFS or self.config.embed_sentences:
            return self.best(query, [refs[k] for k in allowed], cosine_bar, containment_bar)
        index = self._kept_index(refs)
        # The sub-list's positions and vectors, kept while the same ``allowed`` list is asked
        # about (every claim of an origin group's rewrites asks about the same one).
        view = self._allowed_view
        if view is None or view.allowed is not allowed or view.index is not index:
            place = np.full(len(refs), -1, dtype=np.int64)
            place[allowed] = np.arange(len(allowed))
            view = self._allowed_view = _AllowedView(allowed, index, place)
        q = self.term_set(query)
        hits = view.place[_hits(index.postings, q)]
        j, cont = _most_terms(hits[hits >= 0], len(q))

        def known() -> tuple[list[int], np.ndarray | None]:
            if view.known is None:
                places = view.place[np.asarray(index.known, dtype=np.int64)]
                rows = np.flatnonzero(places >= 0)
                view.known = places[rows].tolist(), (index.known_matrix[rows] if rows.size else None)
            return view.known

        return self._decide(query, len(q), j, cont, lambda p: refs[allowed[p]], known, cosine_bar, containment_bar)

    def _decide(self, query: str, n_terms: int, j: int, cont: Callable[[int], float], text: Callable[[int], str],
                known: Callable[[], tuple[list[int], np.ndarray | None]], cosine_bar: float,
                containment_bar: float) -> _Hit | None:
        """The end of :meth:`best` and :meth:`best_in` once the reference ``j`` with the most
        of the query's terms is known: it passes on containment; else, in budget mode, the
        reference with the highest cosine among those with a vector wins (``known``: their
        positions and stacked vectors, asked for only then). None in full mode, where the
        caller embeds every reference."""
        if n_terms >= self.config.min_claim_terms and cont(j) >= containment_bar:
            # Decided lexically; a cosine is reported only when both vectors already exist.
            t = text(j)
            cos = (float(self.embed.vector(query) @ self.embed.vector(t))
                   if query in self.embed and t in self.embed else float("nan"))
            return _Hit(j, round(cos, 4), round(cont(j), 4), True)
        if self.config.embed_sentences:
            return None
        # Only texts that already have a vector (the claims) are compared by embedding.
        positions, matrix = known()
        if not positions or matrix is None or query not in self.embed:
            return _Hit(j, float("nan"), round(cont(j), 4), False)
        cos_known = matrix @ self.embed.vector(query)
        b = int(np.argmax(cos_known))
        k, cos = positions[b], float(cos_known[b])
        return _Hit(k, round(cos, 4), round(cont(k), 4), cos >= cosine_bar)

    def claim_texts(self, article_id: str) -> list[str]:
        """The content texts of an article's claims (``by_article`` order), one list per call."""
        got = self._claim_texts.get(article_id)
        if got is None:
            got = self._claim_texts[article_id] = [self.claims[j].content.text
                                                   for j in self.by_article.get(article_id, [])]
        return got

    def sentence_table(self, article_id: str) -> tuple[list[tuple[int, int]], list[str], list[frozenset[str]]]:
        """An article's sentence spans, texts and slots, built once per call."""
        got = self._sentence_tables.get(article_id)
        if got is None:
            spans = self.sentences[article_id]
            texts = [self.sentence_text(article_id, sp) for sp in spans]
            got = self._sentence_tables[article_id] = (spans, texts, [self.slots_of(t) for t in texts])
        return got

    # -- steps ------------------------------------------------------------------------------

    def run(self) -> tuple[list[ClaimGroup], list[Flag]]:
        groups, vetoed = self.group()
        for g_i, g in enumerate(groups):
            for m in g.members:
                self.group_of[m] = g_i
        flags: list[Flag] = []
        flags += self.single_origin(groups)
        flags += self.embellishments(groups)
        flags += self.one_per_downstream(self.edge_changes())
        contradictions = self.contradictions(vetoed)
        contradictions += self.sentences_told_otherwise(contradictions)
        contradictions += self.sentences_negated_otherwise(contradictions)
        contradictions += self.sentences_valued_otherwise(contradictions)
        contradictions += self.sentences_named_otherwise(contradictions)
        contradictions += self.quotes_given_otherwise(contradictions)
        contradictions += self.ages_given_otherwise(contradictions)
        contradictions += self.nobody_told_otherwise(contradictions)
        contradictions += self.fates_told_otherwise(contradictions)
        contradictions += self.votes_told_otherwise(contradictions)
        contradictions += self.titles_told_otherwise(contradictions)
        contradictions += self.agents_told_otherwise(contradictions)
        contradictions += self.event_days_told_otherwise(contradictions)
        flags += contradictions + self.changed_in_rewrites(contradictions)
        flags = sorted({f.id: f for f in flags}.values(), key=lambda f: (FLAG_KINDS.index(f.kind), f.id))
        for f in flags:
            for cid in f.claim_ids:
                if cid in self.index:
                    self.flag_kinds.setdefault(self.group_of[self.index[cid]], set()).add(f.kind)
        records = [self.group_record(g_i, g) for g_i, g in enumerate(groups)]
        records.sort(key=lambda r: (-r.n_origins, -r.n_articles, r.id))
        return records, flags

    def group(self) -> tuple[list[_Group], list[tuple[int, int, dict[str, float], str]]]:
        """Claim groups (indices into ``self.claims``) and the vetoed / opposed pairs.

        A vetoed pair is ``(i, j, signals, rule)``; ``rule`` is ``slot-mismatch``,
        ``entity-mismatch`` or ``assert-vs-deny`` (a denied claim split from its group).
        """
        n = len(self.claims)
        if n == 0:
            return [], []
        mclaims = [cm.Claim(c.id, c.content.text, entities=self.story.claim_entities.get(c.id, frozenset()),
                            speaker=self.speaker(i), slots=self.slots[i]) for i, c in enumerate(self.claims)]
        if len(self.by_article) < 2 and self.vectors is None:
            # One article: nothing to corroborate across articles, so nothing worth embedding;
            # zero vectors leave only the exact and lexical rules (a repeated claim still joins).
            vecs = np.zeros((n, 1), dtype=np.float32)
        else:
            vecs = self.claim_vectors()
        # Only slot vetoes about the same thing can become contradictions; the others (entity
        # mismatches, and slot vetoes between unrelated claims: most of the pairs of a large
        # story) matter only as bans on joining groups.
        found = cm.group_claims(mclaims, vecs, self.config.group, report_cosine=self.config.min_contradiction_cosine,
                                report_rules=("slot-mismatch",))
        groups = [_Group([self.index[cid] for cid in g.members], {m.rule for m in g.matches} or {"single"},
                         g.score) for g in found.groups]
        vetoed = [(self.index[m.a], self.index[m.b], dict(m.signals), m.rule) for m in found.vetoed]
        groups = self.merge_quote_fragments(groups, found.banned)
        groups, opposed = self.split_denials(groups, vecs)
        groups, negated = self.split_negations(groups)
        groups.sort(key=lambda g: (-len(g.members), sorted(g.members)))
        return groups, vetoed + opposed + negated + self.denied_elsewhere(opposed, vecs) + self.aligned_pairs(groups)

    def aligned_pairs(self, groups: list[_Group]) -> list[tuple[int, int, dict[str, float], str]]:
        """Members of one claim group, of two origins, that word the claim alike but name a
        different place or weekday at the same point (:func:`aligned_values`): "the Skarra
        checkpoint in Hollin" against "in Drummel". Each distinct pair of texts is aligned once."""
        out = []
        for g in groups:
            firsts: dict[str, int] = {}
            for m in g.members:
                text = self.claims[m].content.text
                if self.claim_origins[m] is not None and (VALUE_SITE.search(text) or OPPOSITE_SITE.search(text)
                                                          or SWAP_SITE.search(text)):
                    firsts.setdefault(self.claims[m].content.text, m)
            texts = sorted(firsts, key=lambda t: (len(t), t))[:self.config.aligned_max_texts]
            for p, ta in enumerate(texts):
                for tb in texts[p + 1:]:
                    # In the order the flag lists its sides, so that each value stays on its side.
                    x, y = sorted((firsts[ta], firsts[tb]), key=lambda i: self._claim_key(self.claims[i]))
                    if self.claim_origins[x] == self.claim_origins[y]:
                        continue
                    told = self.told_apart(x, y)
                    if told:
                        self._aligned_detail[(x, y)] = told
                        vecs = self.claim_vectors()  # only where a pair is found: one article embeds nothing
                        out.append((x, y, {"cosine": float(vecs[x] @ vecs[y])}, "aligned-value"))
        return out

    def told_apart(self, x: int, y: int) -> list[tuple[str, str, str, str]]:
        """:func:`aligned_values` of claims ``x`` and ``y`` (and the event's weekday told in other
        words, :func:`_changed_weekday`, at ``weekday_cosine``), weekdays kept only where both
        articles appeared within three days of each other (a weekday names one date in a week)."""
        tx, ty = self.claims[x].content.text, self.claims[y].content.text
        found = aligned_values(tx, ty)
        if not any(t == "weekday" for t, *_ in found):
            # The weekday each gives the one event in other words around it ("A court on Monday
            # convicted Roskamp" / "The court convicted Roskamp ... on Tuesday"), where MiniLM
            # finds the claims told alike.
            moved = _changed_weekday(tx, ty)
            if moved and float(self.claim_vectors()[x] @ self.claim_vectors()[y]) >= self.config.weekday_cosine:
                found += moved
        if any(t == "weekday" for t, *_ in found):
            px, py = self._published(self.claims[x].article_id), self._published(self.claims[y].article_id)
            near = _FAR_FUTURE not in (px, py) and abs(px - py) <= timedelta(days=3)
            found = [f for f in found if f[0] != "weekday" or near]
        return found

    def merge_quote_fragments(self, groups: list[_Group], banned: cm.PairBans) -> list[_Group]:
        """Join groups holding direct quotes of one speaker where one quote's words contain the
        other's: a verbatim fragment is the same quote (group_claims' TF-IDF cosine is diluted
        by the length difference). Never across a vetoed pair."""
        quotes = [i for i, c in enumerate(self.claims) if c.is_direct_quote and self.speaker(i)
                  and len(self.terms[i]) >= self.config.min_claim_terms]
        if len(quotes) < 2:
            return groups
        where = {m: g_i for g_i, g in enumerate(groups) for m in g.members}
        for n, x in enumerate(quotes):
            for y in quotes[n + 1:]:
                gx, gy = where[x], where[y]
                if gx == gy or self.speaker(x) != self.speaker(y):
                    continue
                short, long_ = sorted((self.terms[x], self.terms[y]), key=len)
                if _containment(short, long_) < self.config.quote_containment:
                    continue
                ga, gb = groups[gx], groups[gy]
                if banned.any_between(ga.members, gb.members):
                    continue
                ga.members = sorted(ga.members + gb.members)
                ga.rules = (ga.rules | gb.rules | {"quote-fragment"}) - {"single"}
                ga.score = min(ga.score, gb.score)
                gb.members = []
                for m in ga.members:
                    where[m] = gx
        return [g for g in groups if g.members]

    def split_denials(self, groups: list[_Group], vecs: np.ndarray
                      ) -> tuple[list[_Group], list[tuple[int, int, dict[str, float], str]]]:
        """A denial of a claim is not corroboration of it: denied members leave the group, and
        each (asserted, denied) pair is kept as an ``assert-vs-deny`` candidate, with the share
        of the denial's words the assertion holds (:meth:`denial_signals`): a pair grouped
        together is held to no higher bar than one matched across groups."""
        out, opposed = [], []
        for g in groups:
            denied = [m for m in g.members if self.claims[m].hedge == "denied"]
            kept = [m for m in g.members if self.claims[m].hedge != "denied"]
            if not denied or not kept:
                out.append(g)
                continue
            out.append(_Group(kept, set(g.rules), g.score))
            out.append(_Group(denied, {"denied"}, g.score))
            for a in kept:
                for d in denied:
                    cos = float(vecs[a] @ vecs[d]) if vecs.shape[1] > 1 else 1.0
                    opposed.append((a, d, {"cosine": round(cos, 4), **self.denial_signals(a, d)}, "assert-vs-deny"))
        return out, opposed

    def denial_signals(self, a: int, d: int) -> dict[str, float]:
        """``{"containment": share}`` when assertion ``a`` holds ``denial_min_shared`` or more
        of denial ``d``'s content words (the reuse stage's stop list: "any", "such" are none),
        else empty."""
        terms = self.content_words()[d]
        shared = len(terms & self.content_words()[a])
        return {"containment": round(shared / len(terms), 4)} if shared >= self.config.denial_min_shared else {}

    def content_words(self) -> list[frozenset[str]]:
        """Each claim's content words as the reuse stage counts them (its stop list drops "any",
        "such"), the measure of how much of a denial a claim holds; computed once per call."""
        if self._content_words is None:
            self._content_words = [frozenset(content_terms(c.content.text)) for c in self.claims]
        return self._content_words

    def denied_elsewhere(self, opposed: list[tuple[int, int, dict[str, float], str]], vecs: np.ndarray
                         ) -> list[tuple[int, int, dict[str, float], str]]:
        """``assert-vs-deny`` candidates between a denial and claims of other origin groups it
        was not grouped with: the assertion holds ``denial_containment`` of the denied content's
        terms at ``denial_supported_cosine`` (a fact check's "no evidence that a laboratory
        leak caused the outbreak", a ministry's denial naming "the minister" only)."""
        cfg = self.config
        denials = [d for d, c in enumerate(self.claims) if c.hedge == "denied" and self.claim_origins[d] is not None]
        if not denials:
            return []
        words = self.content_words()
        seen = {(a, d) for a, d, _, _ in opposed}
        out = []
        for d in denials:
            terms = words[d]
            if len(terms) < cfg.min_claim_terms:
                continue
            for a, other in enumerate(self.claims):
                if (a, d) in seen or other.hedge == "denied" or self.claim_origins[a] in (None, self.claim_origins[d]):
                    continue
                shared = len(terms & words[a])
                held = shared / len(terms)
                if held < cfg.denial_containment or shared < cfg.denial_min_shared:
                    continue
                cos = float(vecs[a] @ vecs[d]) if vecs.shape[1] > 1 else 0.0
                if cos >= cfg.denial_supported_cosine:
                    out.append((a, d, {"cosine": round(cos, 4), "containment": round(held, 4)}, "assert-vs-deny"))
        return out

    def negations(self) -> dict[int, tuple[NegatedClause, ...]]:
        """The claims that say something is not so, with their negated clauses: claims that
        count for an origin, neither denied (a denial is matched on its own) nor speculated."""
        if self._negations is None:
            self._negations = {}
            for i, c in enumerate(self.claims):
                if c.hedge in ("denied", "speculated") or self.claim_origins[i] is None:
                    continue
                found = negated_clauses(c.content.text)
                if found:
                    self._negations[i] = found
        return self._negations

    def split_negations(self, groups: list[_Group]
                        ) -> tuple[list[_Group], list[tuple[int, int, dict[str, float], str]]]:
        """Pairs of claims of different origins where one says what the other states is not so
        (:meth:`negation_matches`), as ``assert-vs-negated`` candidates. A claim saying the
        opposite of another is no corroboration of it, however alike their words: where such a
        pair shares a group, the group's negating members leave it (as one group; a rewrite
        that turns its source's claim round is not that claim either)."""
        if not self.negations():
            return groups, []
        where = {m: g_i for g_i, g in enumerate(groups) for m in g.members}
        found = self.negation_matches(where)
        negating: dict[int, set[int]] = {}
        for y, x in found:
            if where.get(y) == where.get(x) is not None:
                negating.setdefault(where[x], set()).add(x)
        out = []
        for g_i, g in enumerate(groups):
            if g_i not in negating:
                out.append(g)
                continue
            out.append(_Group([m for m in g.members if m not in negating[g_i]], set(g.rules), g.score))
            out.append(_Group(sorted(negating[g_i]), {"negated"}, g.score))
        out = [g for g in out if g.members]
        group_of = {m: g_i for g_i, g in enumerate(out) for m in g.members}
        pairs = []
        for (y, x), (cos, n, span) in sorted(found.items()):
            # What the matched claim's group says together, the negation answers for all of it
            # (the agency's "340 hospitalised" as well as a report restating it) where a member
            # states what is negated (a lead that tells the 340 but not the schools is no side
            # of the schools' contradiction).
            for z in out[group_of[y]].members if y in group_of else [y]:
                if (z != y and (z, x) in found) or self.claim_origins[z] in (None, self.claim_origins[x]):
                    continue
                if z != y and (effective_level(self.claims[z]) not in _DENIABLE or z in self._negations
                               or not _states_negated(n, self.claims[z].content.text)):
                    continue
                detail = self._negation_evidence(y, x, n, span, cos)
                if z != y:
                    detail["via_group_of"] = self.claims[y].id
                self._negation_detail[(z, x)] = detail
                pairs.append((z, x, {"cosine": round(cos, 4)}, "assert-vs-negated"))
        return out, pairs

    def negation_matches(self, where: dict[int, int]
                         ) -> dict[tuple[int, int], tuple[float, NegatedClause, tuple[int, int]]]:
        """``(stating, negating)`` claim pairs, with the cosine, the negated clause and the span
        of the stating claim's clause that matched it: pairs of two origins (contradictions),
        and pairs of one origin that share a group (``where``: claim -> group), which they part.

        A negated clause and a clause of the other claim must share ``negation_min_shared``
        word stems, among them one the negation governs (and every figure it governs: "had
        not admitted 340 patients" says nothing about 14), hold ``negation_containment`` of the
        negated clause's stems, and the clause's positive reading must meet the other clause
        at ``negation_cosine`` ("it had not admitted 340 patients with respiratory illness"
        against "at least 340 residents have been hospitalised with a severe respiratory
        illness": 0.56 read positively, 0.51 with the negation)."""
        cfg = self.config
        by_stem: dict[str, list[int]] = {}
        for y, c in enumerate(self.claims):
            if self.claim_origins[y] is not None and effective_level(c) in _DENIABLE:
                for t in stated_stems(c.content.text):
                    by_stem.setdefault(t, []).append(y)
        asked: list[tuple[int, int, NegatedClause, tuple[int, int], float]] = []
        for x, found in self.negations().items():
            for n in found:
                need = max(cfg.negation_min_shared, (cfg.negation_figure_containment if _figures(n)
                                                     else cfg.negation_containment) * len(n.terms))
                need_loose = max(cfg.negation_min_shared, cfg.negation_figure_containment * len(n.terms))
                hits = Counter(y for t in n.terms for y in by_stem.get(t, ()))
                for y in sorted(y for y, k in hits.items() if k >= need_loose and y != x):
                    if self.claim_origins[y] == self.claim_origins[x] and where.get(y) != where.get(x):
                        continue
                    text_y = self.claims[y].content.text
                    for span, said in fact_clauses(text_y):
                        shared = len(n.terms & said)
                        if len(said) < cfg.min_claim_terms or shared < need_loose or not _figures(n) <= said:
                            continue
                        if any(m.negated & n.negated for m in negated_clauses(text_y[span[0]:span[1]])):
                            continue  # it says the same "not" (one quote in two reports)
                        if n.future and not tells_future(text_y[span[0]:span[1]]):
                            continue  # "this will not happen again" answers no "what happened"
                        if _bare_act(n) and any(v.startswith("num:") for v in claim_slots(text_y[span[0]:span[1]])):
                            continue  # "Malk did not score" (one game) denies no "scored 19 goals" (a season)
                        # The words the negation governs, stated: the plain bar; else only a
                        # close paraphrase of the positive reading ("hadn't closed any of its
                        # four schools" against "shut all four schools").
                        if shared >= need and _states_negated(n, said):
                            asked.append((x, y, n, span, cfg.negation_cosine))
                        elif shared >= cfg.negation_paraphrase_min_shared:
                            asked.append((x, y, n, span, cfg.negation_paraphrase_cosine))
        if not asked:
            return {}
        texts = [t for x, y, n, (s, e), _ in asked for t in (n.positive, self.claims[y].content.text[s:e])]
        vectors = self.embed(texts)
        best: dict[tuple[int, int], tuple[float, NegatedClause, tuple[int, int]]] = {}
        for k, (x, y, n, span, bar) in enumerate(asked):
            cos = float(vectors[2 * k] @ vectors[2 * k + 1])
            if cos >= bar and cos > best.get((y, x), (-1.0,))[0]:
                best[(y, x)] = (cos, n, span)
        return best

    def _negation_evidence(self, y: int, x: int, n: NegatedClause, span: tuple[int, int], cos: float
                           ) -> dict[str, Any]:
        """What an ``assert-vs-negated`` pair rests on: the negated clause, its positive reading,
        the words the negation governs that the other claim states, and the clause it met."""
        cx, cy = self.claims[x], self.claims[y]
        s, e = span
        return {
            "negated_clause": {"claim_id": cx.id, "start": cx.content.start + n.start,
                               "end": cx.content.start + n.end, "text": cx.content.text[n.start:n.end]},
            "positive_reading": n.positive,
            "negated_words": sorted(n.negated & stated_stems(cy.content.text[s:e])),
            "stated_clause": {"claim_id": cy.id, "start": cy.content.start + s, "end": cy.content.start + e,
                              "text": cy.content.text[s:e]},
            "cosine": round(cos, 4),
        }

    # -- records ----------------------------------------------------------------------------

    def group_record(self, g_i: int, g: _Group) -> ClaimGroup:
        members = sorted(g.members)
        ids = [self.claims[m].id for m in members]
        arts = list(dict.fromkeys(self.claims[m].article_id for m in members))
        origins = sorted(self.origins_of(members))
        outlets = sorted({o for a in arts if (o := self.articles[a].outlet)})
        origin_articles = {self.origin_article(o) for o in origins}
        rep = min(members, key=lambda m: (self.claims[m].article_id not in origin_articles,
                                          self._claim_key(self.claims[m])))
        names = Counter(self.claims[m].source_entity for m in members if self.claims[m].source_entity)
        speaker = min(names, key=lambda s: (-names[s], s)) if names else None
        rules = set(g.rules)
        if all(self.claims[m].is_direct_quote for m in members):
            rules.add("quote")
        return ClaimGroup(
            id=stable_hash("claim-group", self.story.story_id, *sorted(ids)),
            story_id=self.story.story_id,
            claim_ids=ids,
            article_ids=arts,
            origin_ids=origins,
            outlets=outlets,
            text=self.claims[rep].content.text,
            speaker=speaker,
            slots=sorted(set().union(*(self.slots[m] for m in members))),
            hedges={self.claims[m].id: self.claims[m].hedge for m in members},
            flags=sorted(self.flag_kinds.get(g_i, set()), key=FLAG_KINDS.index),
            rule=",".join(sorted(rules)),
            score=round(float(g.score), 4),
        )

    def flag(self, kind: str, claim_idx: Iterable[int], spans: list[dict[str, Any]], summary: str,
             rule: str, score: float, evidence: dict[str, Any], key: Sequence[str] = ()) -> Flag:
        claim_ids = list(dict.fromkeys(self.claims[i].id for i in claim_idx))
        arts = list(dict.fromkeys(s["article_id"] for s in spans))
        return Flag(
            id=stable_hash("flag", kind, self.story.story_id, rule, *sorted(claim_ids), *key),
            kind=kind, story_id=self.story.story_id, article_ids=arts, claim_ids=claim_ids,
            spans=spans, summary=summary, rule=rule, score=round(float(min(max(score, 0.0), 1.0)), 4),
            evidence=evidence,
        )

    # -- flags ------------------------------------------------------------------------------

    def single_origin(self, groups: list[_Group]) -> list[Flag]:
        """Many articles, one origin group: the repetition is not corroboration."""
        out = []
        for g in groups:
            arts = list(dict.fromkeys(self.claims[m].article_id for m in sorted(g.members)))
            origins = self.origins_of(g.members)
            if len(arts) < self.config.single_origin_min_articles or len(origins) != 1:
                continue
            og = next(iter(origins))
            outlets = sorted({o for a in arts if (o := self.articles[a].outlet)})
            quote = all(self.claims[m].is_direct_quote for m in g.members)
            what = "quote" if quote else "claim"
            out.append(self.flag(
                "single-origin", sorted(g.members), [self.claim_span(m) for m in sorted(g.members)],
                f"{len(arts)} articles ({len(outlets)} outlets) state this {what}, all from one origin",
                f"single-origin:articles>={self.config.single_origin_min_articles},origins=1", g.score,
                {"n_articles": len(arts), "n_outlets": len(outlets), "n_origins": 1, "origin_group": og,
                 "origin_article": self.origin_article(og), "match_rules": sorted(g.rules),
                 "min_articles": self.config.single_origin_min_articles}))
        return out

    def embellishments(self, groups: list[_Group]) -> list[Flag]:
        """Claims that only derived articles of one origin group carry: absent from the origin
        article (claims *and* sentences, at the lower rewrite bar) and from every article of
        another origin group. The outlet speaking of itself ("The Northshore Gazette will report
        further developments") adds nothing to the story."""
        by_origin: dict[str, list[_Group]] = {}
        for g in groups:
            arts = list(dict.fromkeys(self.claims[m].article_id for m in g.members))
            origins = {self.origin(a) for a in arts}
            if all(self.own_voice(m) for m in g.members):
                continue
            if len(origins) == 1 and all(self.is_derived(a) for a in arts):
                by_origin.setdefault(next(iter(origins)), []).append(g)
        out: list[Flag] = []
        if not by_origin:
            return out
        # Every origin group is compared with the articles outside it: one pair of lists for the
        # story, each origin group asking for its positions in them (lists of its own would
        # grow with origin groups x claims, in memory and in indexing time).
        claims_all, everything = self.witnesses()
        origin_of_claim = [self.origin(r[0]) for r in claims_all]
        origin_of_any = [self.origin(r[0]) for r in everything]
        for og, gs in by_origin.items():
            others = _Others(claims_all, [k for k, o in enumerate(origin_of_claim) if o != og],
                             everything, np.array([o != og for o in origin_of_any], dtype=bool))
            out += [f for g in gs if (f := self.embellishment(g, og, others)) is not None]
        return out

    def witnesses(self) -> tuple[list[tuple[str, str, tuple[int, int]]], list[tuple[str, str, tuple[int, int]]]]:
        """The claim contents of every article, and its claims and sentences: the two lists
        (and their indexes) that independent counterparts are searched in."""
        arts = sorted(self.articles)
        return self.references(arts, sentences=False), self.references(arts)

    def embellishment(self, g: _Group, og: str, others: _Others) -> Flag | None:
        """The embellishment flag of group ``g``, whose articles are all derived ones of the
        origin group ``og``, or None when its claims have counterparts; ``others``: the articles
        outside ``og``."""
        cfg = self.config
        members = sorted(g.members)
        arts = list(dict.fromkeys(self.claims[m].article_id for m in members))
        oa = self.origin_article(og)
        cands = [m for m in members if len(self.terms[m]) >= cfg.min_claim_terms]
        if not cands:
            return None
        # Own-origin references: the origin article, or (origin not in the corpus) the other
        # members of the origin group, which are then the best witnesses of the lost origin.
        # Without the origin, a claim that two or more members carry is the lost source's as
        # far as anyone can tell (two copies of a press release both keep its "About" text):
        # only a claim of one member can be shown to be added.
        if oa is None and len(arts) >= 2:
            return None
        own_arts = [oa] if oa is not None else sorted(
            a for a in self.articles if self.origin(a) == og and a not in arts)
        if not own_arts:
            return None
        own = self.references(own_arts)
        # Each member is judged on its own: a group can hold a copied claim with a counterpart
        # next to an added one the grouping joined to it.
        unsupported = []
        best_own: tuple[_Hit, tuple[str, str, tuple[int, int]]] | None = None
        best_other: tuple[_Hit, tuple[str, str, tuple[int, int]]] | None = None
        for m in cands:
            found = self.counterparts(m, own, others)
            if found is None:
                continue
            h_own, h_other = found
            if h_own is not None and (best_own is None or _hit_key(h_own[0]) > _hit_key(best_own[0])):
                best_own = h_own
            if h_other is not None and (best_other is None or _hit_key(h_other[0]) > _hit_key(best_other[0])):
                best_other = h_other
            unsupported.append(m)
        if not unsupported:
            return None
        cands = unsupported
        kinds = sorted({self.claims[m].source_kind for m in cands})
        # Confidence grows with the margin under the bars: 0.5 just under them, 1.0 far away.
        margins = [1.0 - max(h.cosine, 0.0) / bar for h, bar in (
            (best_own[0] if best_own else None, cfg.own_origin_cosine),
            (best_other[0] if best_other else None, cfg.independent_cosine))
            if h is not None and h.cosine == h.cosine]
        score = 0.5 + 0.5 * min(margins, default=1.0)
        unnamed = any(k in ("anonymous", "role") for k in kinds)
        first = self.claims[cands[0]]
        who = {"anonymous": "an anonymous source", "role": "an unnamed source", "none": "no source"}.get(
            first.source_kind, first.source_entity or "a source")
        return self.flag(
            "embellishment", cands, [self.claim_span(m) for m in cands],
            f"claim attributed to {who} found only in rewrites; not in the origin article "
            "or any independent article",
            "embellishment:no-counterpart" + (":unnamed-source" if unnamed else ""), score,
            {"origin_group": og, "origin_article": oa, "source_kinds": kinds,
             "speakers": sorted({s for m in cands if (s := self.claims[m].source_entity)}),
             "best_in_origin": _hit_evidence(best_own), "best_independent": _hit_evidence(best_other),
             "thresholds": {"own_origin_cosine": cfg.own_origin_cosine,
                            "own_origin_containment": cfg.own_origin_containment,
                            "independent_cosine": cfg.independent_cosine,
                            "independent_containment": cfg.independent_containment}})

    def one_per_downstream(self, flags: list[Flag]) -> list[Flag]:
        """One hedge/attribution flag per changed sentence of a derived article.

        A rewrite reached by several reuse edges (from the origin, its copy, a sibling) would
        otherwise be flagged once per edge for the same sentence. The edge from the origin
        article is kept when it is among them, else the strongest; the others are listed.
        """
        by_key: dict[tuple[str, str, str], list[Flag]] = {}
        for f in flags:
            down = f.evidence.get("downstream", {})
            by_key.setdefault((f.kind, str(down.get("article_id")), str(down.get("text"))), []).append(f)
        out = []
        for (_, article, _), group in by_key.items():
            origin = self.origin_article(self.origin(article))
            keep = max(group, key=lambda f: (f.evidence.get("edge", {}).get("upstream") == origin, f.score, f.id))
            others = sorted({f.evidence.get("edge", {}).get("upstream") for f in group if f is not keep} - {None})
            if others:
                keep.evidence["also_upstream"] = others
            out.append(keep)
        return out

    def counterparts(self, m: int, own: list[tuple[str, str, tuple[int, int]]], others: _Others
                     ) -> tuple[tuple[_Hit, tuple[str, str, tuple[int, int]]] | None,
                                tuple[_Hit, tuple[str, str, tuple[int, int]]] | None] | None:
        """None when claim ``m`` (its content or its sentence) has a counterpart in ``own`` at
        the rewrite bar or in the articles of ``others`` at the independent bar; else the best
        near-misses. Independent articles: their claims are compared by embedding (the
        caller's vectors), their other sentences lexically only. Embedding every sentence of a
        large story would cost more than the rest of the pipeline (MiniLM: ~200 sentences/s)."""
        cfg = self.config
        c = self.claims[m]
        if self.aligned_in(c, {r[0] for r in own}):
            return None
        sent = self.sentence_text(c.article_id, self.sentence_of(c.article_id, c.content.start))
        best_own = best_other = None
        # An anonymous source is how invented claims are most often dressed: its counterpart in
        # the origin must be a close paraphrase ("talks on a first export order began" is not
        # "people familiar say the first export contract has been signed", cosine 0.71).
        own_bar = max(cfg.own_origin_cosine, cfg.anonymous_own_cosine) if c.source_kind == "anonymous" \
            else cfg.own_origin_cosine
        for query in dict.fromkeys((c.content.text, sent)):
            h = self.best(query, self.texts_of(own), own_bar, cfg.own_origin_containment)
            if h is not None and h.passed:
                return None
            best_own = _better(h, own, best_own)
            if self.best_lexical(query, others.everything, cfg.independent_containment, others.in_everything):
                return None
            h = self.best_in(query, self.texts_of(others.claims), others.claim_positions, cfg.independent_cosine,
                             cfg.independent_containment)
            if h is not None and h.passed:
                return None
            best_other = _better(h, others.claims, best_other, others.claim_positions)
        if self.anchored_in(c.content.text, own):
            return None
        return best_own, best_other

    def anchored_in(self, query: str, own: list[tuple[str, str, tuple[int, int]]]) -> bool:
        """Whether a text of the origin states every figure, date and weekday of ``query`` and
        is at least ``anchored_own_cosine`` like it: a rewrite's paraphrase keeps the facts
        and changes the words ("concentrations had dropped below the threshold by 6 a.m." for
        "by 6 a.m. the levels had fallen below the limit": cosine 0.65, a quarter of the words),
        where an invented claim brings facts of its own. Only the few texts holding all of the
        claim's figures are embedded."""
        anchors = self.anchors(query)
        if not anchors:
            return False
        q = self.term_set(query)
        held = {t: _containment(q, self.term_set(t)) for t in dict.fromkeys(r[1] for r in own)
                if anchors <= self.anchors(t)}
        # A text sharing the figures and little else is another statement of them: only those
        # that share some words too are embedded, the most alike first.
        refs = sorted((t for t, c in held.items() if c >= _ANCHORED_MIN_CONTAINMENT), key=lambda t: (-held[t], t))
        if not refs:
            return False
        # Texts with a vector already (the origin's claims) first; sentences are embedded only
        # when none of those will do.
        known = [t for t in refs if t in self.embed]
        for batch in (known, [t for t in refs if t not in self.embed][:_ANCHORED_REFS]):
            if batch and float((self.embed(batch) @ self.embed([query])[0]).max()) >= self.config.anchored_own_cosine:
                return True
        return False

    def anchors(self, text: str) -> frozenset[str]:
        """A text's figures and dates (its slots) and the weekdays it names, once per text (an
        origin's sentences are asked about for every claim of its rewrites)."""
        got = self._anchor_cache.get(text)
        if got is None:
            got = self._anchor_cache[text] = self.slots_of(text) | frozenset(
                w.casefold() for w in _WEEKDAY.findall(text))
        return got

    def aligned_in(self, c: Claim, article_ids: set[str]) -> bool:
        """Whether a reuse edge between the claim's article and one of ``article_ids`` aligned
        the claim's sentence to a sentence there with at least ``aligned_pair_score``."""
        s0, s1 = self.sentence_of(c.article_id, c.content.start)
        for e, other, side in self.edges_at.get(c.article_id, ()):
            if other not in article_ids:
                continue
            for p in e.pairs:
                sp = p.b if side == "b" else p.a
                if p.score >= self.config.aligned_pair_score and sp.start < s1 and s0 < sp.end:
                    return True
        return False

    def references(self, article_ids: Sequence[str], sentences: bool = True
                   ) -> list[tuple[str, str, tuple[int, int]]]:
        """(article id, text, span) of every claim content (and, with ``sentences``, every
        sentence) of the articles."""
        key = (tuple(article_ids), sentences)
        if key in self._ref_cache:
            return self._ref_cache[key]
        out: list[tuple[str, str, tuple[int, int]]] = []
        self._ref_cache[key] = out
        for a in article_ids:
            for i in self.by_article.get(a, []):
                c = self.claims[i]
                out.append((a, c.content.text, (c.content.start, c.content.end)))
            if sentences:
                for s in self.sentences[a]:
                    out.append((a, self.sentence_text(a, s), s))
        return out

    def direction(self, e: ReuseEdge) -> tuple[str, str] | None:
        """(upstream, downstream) of a reuse edge: its own direction, else the origin article
        of the pair's group, else the earlier publication; None when nothing says."""
        s, d = e.source_id, e.derived_id
        if e.directed:
            return s, d
        for up, down in ((s, d), (d, s)):
            if self.origin(up) == self.origin(down) and self.origin_article(self.origin(up)) == up:
                return up, down
        ps, pd = self._published(s), self._published(d)
        if ps == pd:
            return None
        return (s, d) if ps < pd else (d, s)

    def edge_changes(self) -> list[Flag]:
        """``hedge-changed`` / ``attribution-dropped`` along each reuse edge that is a parent
        link (or carries no parent mark)."""
        out: list[Flag] = []
        seen: set[tuple[str, ...]] = set()
        for e in sorted(self.reuse_edges, key=lambda e: (e.source_id, e.derived_id, e.kind)):
            dirn = self.parent_direction(e)
            if dirn is None:
                # A link between two rewrites of one source is no path the text took: what one
                # hedges and the other asserts is each one's change from the source, flagged there.
                continue
            up, down = dirn
            for i in self.by_article.get(up, []):
                if len(self.terms[i]) >= self.config.min_claim_terms:
                    out += self.compare_along(e, up, down, i, upstream_is_claim=True, seen=seen)
            for j in self.by_article.get(down, []):
                if effective_level(self.claims[j]) in HEDGED and len(self.terms[j]) >= self.config.min_claim_terms:
                    out += self.compare_along(e, up, down, j, upstream_is_claim=False, seen=seen)
        return out

    def counterpart(self, i: int, article_id: str) -> tuple[str, int | tuple[int, int], _Hit] | None:
        """The counterpart of claim ``i`` in another article: one of its claims (same group, or
        close enough at the edge bar with no differing slot), else one of its sentences."""
        cfg = self.config
        own = self.by_article.get(article_id, [])
        slots = self.slots[i]
        allowed = [p for p, j in enumerate(own) if not cm.slots_conflict(slots, self.slots[j])]
        cands = [own[p] for p in allowed]
        same = [j for j in cands if self.group_of.get(j) == self.group_of.get(i)]
        if same:
            # A claim group may hold two claims of one article ("The body of Scarle was found"
            # and "Scarle appears to have died"): the counterpart is the one worded most alike.
            j = max(same, key=lambda k: _containment(self.terms[i], self.terms[k]))
            return "claim", j, _Hit(0, float("nan"), round(_containment(self.terms[i], self.terms[j]), 4), True)
        query = self.claims[i].content.text
        h = self.best_in(query, self.claim_texts(article_id), allowed, cfg.edge_cosine, cfg.edge_containment)
        if h is not None and h.passed:
            return "claim", cands[h.index], h
        spans, texts, sent_slots = self.sentence_table(article_id)
        allowed = [k for k, sl in enumerate(sent_slots) if not cm.slots_conflict(slots, sl)]
        h = self.best_in(query, texts, allowed, cfg.edge_cosine, cfg.edge_containment)
        if h is not None and h.passed:
            return "sentence", spans[allowed[h.index]], h
        return None

    def compare_along(self, e: ReuseEdge, up: str, down: str, i: int, upstream_is_claim: bool,
                      seen: set[tuple[str, ...]]) -> list[Flag]:
        """Compare claim ``i`` (in ``up`` when ``upstream_is_claim``, else in ``down``) with its
        counterpart in the other article of the edge; a flag when hedge or attribution changed."""
        other = down if upstream_is_claim else up
        cp = self.counterpart(i, other)
        if cp is None:
            return []
        kind_cp, ref, hit = cp
        c = self.claims[i]
        if kind_cp == "claim":
            assert isinstance(ref, int)
            j = ref
            o = self.claims[j]
            key = (c.id, o.id) if upstream_is_claim else (o.id, c.id)
            other_span = self.claim_span(j)
            other_text = o.content.text
            other_sent = self.sentence_text(other, self.sentence_of(other, o.content.start))
            other_level, other_cues = effective_level(o), [_span_dict(other, o.id, h) for h in o.hedge_cues]
            # An order is reported with its giver in the claim ("She urged everyone not to ..."):
            # the words are still hers.
            other_sourced = o.source_kind != "none" or o.method == "directive-rules" or self._sentence_attributed(
                other, self.sentence_of(other, o.content.start), c)
            if other_level == "asserted" and effective_level(c) != "asserted":
                # The extractor can lose a hedge ("According to unverified reports, X" came out as
                # a bare X): the sentence still holding the hedge words keeps the hedge.
                kept = {h.text.casefold() for h in c.hedge_cues} & set(cm.terms(other_sent))
                if kept or hedge_words(other_sent):
                    other_level = effective_level(c)
        else:
            assert isinstance(ref, tuple)
            j = -1
            text = self.sentence_text(other, ref)
            key = (c.id, f"{other}:{ref[0]}") if upstream_is_claim else (f"{other}:{ref[0]}", c.id)
            words = hedge_words(text)
            keeps = {h.text.casefold() for h in c.hedge_cues} & (set(words) | set(cm.terms(text)))
            other_level = effective_level(c) if keeps else ("hedged" if words else "asserted")
            other_cues = [{"article_id": other, "claim_id": None, "start": ref[0] + m.start(),
                           "end": ref[0] + m.end(), "text": m.group(0)}
                          for w in words for m in re.finditer(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]
            other_sourced = self._sentence_attributed(other, ref, c)
            other_span = self.sentence_span(other, ref)
            other_text = other_sent = text
        if key in seen:
            return []
        seen.add(key)
        if upstream_is_claim:
            up_level, up_cues, up_sourced, up_span, up_text = (
                effective_level(c), [_span_dict(up, c.id, h) for h in c.hedge_cues], c.source_kind != "none",
                self.claim_span(i), c.content.text)
            up_sent = self.sentence_text(up, self.sentence_of(up, c.content.start))
            down_level, down_cues, down_sourced, down_span, down_text, down_sent = (
                other_level, other_cues, other_sourced, other_span, other_text, other_sent)
        else:
            down_level, down_cues, down_sourced, down_span, down_text = (
                effective_level(c), [_span_dict(down, c.id, h) for h in c.hedge_cues], c.source_kind != "none",
                self.claim_span(i), c.content.text)
            down_sent = self.sentence_text(down, self.sentence_of(down, c.content.start))
            up_level, up_cues, up_sourced, up_span, up_text, up_sent = (
                other_level, other_cues, other_sourced, other_span, other_text, other_sent)
        change = _hedge_change(up_level, down_level)
        if change == "dropped" and _CONDITIONAL.search(up_sent) and _CONDITIONAL.search(down_sent):
            change = None  # "could face ten years if convicted" / "If convicted, he faces": still a condition
        if change in ("denial-dropped", "denial-added") and _NEGATION_WORD.search(
                down_text if change == "denial-dropped" else up_text):
            change = None  # "has denied that it is directed at" / "has said that it is not aimed at"
        if change == "denial-added" and _DENYING.search(up_sent):
            change = None  # "has denied that any leak took place, saying ..." / "denies ... and says ..."
        if (change in ("denial-dropped", "denial-added") and kind_cp == "claim"
                and self.stance_change(i, j) is not None):
            change = None  # a denial turned into an admission: changed_in_rewrites' "stance" flag
        dropped_source = up_sourced and not down_sourced and upstream_is_claim and c.source_kind in (
            "person", "organisation", "role", "anonymous")
        if change is None and not dropped_source:
            return []
        if change == "added" and kind_cp == "sentence" and upstream_is_claim:
            return []  # a hedge word somewhere in a sentence is not a hedge on this claim
        claim_idx = [x for x in (i, j) if x >= 0]
        if not upstream_is_claim:
            claim_idx = claim_idx[::-1]
        # claim_diff's lexicon gives the weakening direction its own, independent evidence.
        w = weakens(down_sent, up_sent) if change in ("dropped", "denial-dropped") else weakens(up_sent, down_sent)
        kind = "attribution-dropped" if dropped_source else "hedge-changed"
        base = 0.9 if kind_cp == "claim" else 0.75
        score = base * (1.0 if w.weakens else 0.85)
        src = self.claims[i].source.text if upstream_is_claim and self.claims[i].source else None
        if kind == "attribution-dropped":
            summary = (f"the rewrite drops the attribution{f' to {src!r}' if src else ''}"
                       + (f" and the hedge ({up_level} -> {down_level})" if change else ""))
        else:
            summary = {
                "dropped": f"the rewrite asserts what the source article hedges ({up_level} -> asserted)",
                "added": f"the rewrite hedges what the source article asserts (asserted -> {down_level})",
                "denial-dropped": "the rewrite asserts what the source article reports as denied",
                "denial-added": "the rewrite reports as denied what the source article asserts",
            }[change or "dropped"]
        return [self.flag(
            kind, claim_idx, [up_span, down_span], summary,
            f"{kind}:{change or 'source-removed'}:{'claim' if kind_cp == 'claim' else 'sentence'}", score,
            {"edge": {"source_id": e.source_id, "derived_id": e.derived_id, "kind": e.kind,
                      "directed": e.directed, "upstream": up, "downstream": down},
             "upstream": {"article_id": up, "hedge": up_level, "hedge_cues": up_cues, "attributed": up_sourced,
                          "text": up_text},
             "downstream": {"article_id": down, "hedge": down_level, "hedge_cues": down_cues,
                            "attributed": down_sourced, "text": down_text},
             "source": src, "match": {"via": kind_cp, "cosine": _num(hit.cosine), "containment": hit.containment},
             "weakens": {"weakens": w.weakens, "score": round(w.score, 4), "cues": list(w.cues)}},
            key=(up, down, *key))]

    def _sentence_attributed(self, article_id: str, span: tuple[int, int], c: Claim) -> bool:
        """Whether a sentence keeps an attribution: a cue word, a quotation, or the claim's
        source named in it (a neighbour sentence counts only when the claim itself spans two)."""
        spans = self.sentences[article_id]
        k = spans.index(span) if span in spans else 0
        near = [self.sentence_text(article_id, s) for s in spans[max(0, k - 1):k + 2]]
        text = self.sentence_text(article_id, span)
        if _attributed(text):
            return True
        spread = self.sentence_of(c.article_id, c.content.start) != self.sentence_of(
            c.article_id, max(c.content.start, c.content.end - 1))
        if spread and any(_attributed(t) for t in near):
            return True  # a claim told over two sentences keeps its cue in one of them
        names = [n for n in (c.source_entity, c.source.text if c.source else None) if n]
        last = [n.split()[-1].casefold() for n in names if n.split()]
        return any(w and re.search(rf"\b{re.escape(w)}\b", text.casefold()) for w in last)

    def _same_quantity(self, fu: frozenset[str] | None, fw: frozenset[str] | None, detail: dict[str, Any]) -> bool:
        """Whether two differing counts or amounts are of the same thing. Counts of different
        things in one story are the commonest false contradiction: "70 firefighters" and "two
        workers", a takeover's price and the buyer's sales (both in euros), "nine points" and
        "19 league goals". Their frames (:func:`slot_frames`) must share a stem other than a
        currency; a figure with no frame word near it only counts where the two claims are
        told alike overall (``frameless_cosine``)."""
        if fu and fw:
            return bool(frames_meet(fu, fw, self.currencies))
        return float(detail.get("cosine", 0.0)) >= self.config.frameless_cosine

    def later(self, text: str) -> frozenset[str]:
        """:func:`later_figures`, computed once per text per call of the stage."""
        got = self._later_cache.get(text)
        if got is None:
            got = self._later_cache[text] = later_figures(text)
        return got

    def counted(self, text: str) -> dict[str, str]:
        """:func:`counted_nouns`, computed once per text per call of the stage."""
        got = self._counted_cache.get(text)
        if got is None:
            got = self._counted_cache[text] = counted_nouns(text, self.currencies)
        return got

    def contradictions(self, vetoed: list[tuple[int, int, dict[str, float], str]]) -> list[Flag]:
        """Same slot, different value (or asserted vs denied) between claims of different origin
        groups whose content is otherwise about the same thing.

        Pairs are gathered per pair of claim groups, so "seven articles say 1,200, one says 800"
        is one flag listing every claim on both sides, not seven."""
        cfg = self.config
        found: dict[tuple[str, tuple[Any, ...]], list[tuple[int, int, float, dict[str, Any]]]] = {}
        side_value: dict[tuple[str, tuple[Any, ...]], str] = {}
        for a, b, signals, rule in vetoed:
            ca, cb = self.claims[a], self.claims[b]
            oa, ob = self.claim_origins[a], self.claim_origins[b]
            if oa is None or ob is None or oa == ob:
                # Rewrites of one origin disagreeing is an editing matter, not two sources; a
                # fact check's "Claim:" line is the claim checked, not the checker's own.
                continue
            cos = float(signals.get("cosine", 0.0))
            lexical = float(signals.get("lexical", 0.0))
            if rule == "assert-vs-deny":
                x, y = (a, b) if cb.hedge == "denied" else (b, a)
                held = float(signals.get("containment", 0.0))
                close = cos >= cfg.denial_cosine or (held >= cfg.denial_containment
                                                     and cos >= cfg.denial_supported_cosine)
                level = effective_level(self.claims[x])
                if min(len(self.terms[x]), len(self.terms[y])) < cfg.min_claim_terms:
                    continue
                # An allegation a source denies is disputed as much as a plain statement; a
                # speculation ("may have") is not a claim the denial can contradict.
                if level not in _DENIABLE or not close:
                    continue
                name = "contradiction:assert-vs-deny"
                detail: dict[str, Any] = {"cosine": round(cos, 4), "hedges": [level, "denied"]}
                if "containment" in signals:
                    detail["containment"] = round(held, 4)
            elif rule == "assert-vs-negated":
                # ``a`` states, ``b`` says it is not so (:meth:`split_negations`).
                x, y = a, b
                name = "contradiction:assert-vs-negated"
                detail = {**self._negation_detail[(a, b)], "hedges": [effective_level(ca), cb.hedge]}
            elif rule == "aligned-value":
                x, y = a, b  # ordered by :meth:`aligned_pairs`
                told = self._aligned_detail[(a, b)]
                name = "contradiction:aligned-value"
                detail = {"slots": {t: {"a": [f"{t}:{u}"], "b": [f"{t}:{w}"]} for t, u, w, _ in told},
                          "context": {f"{t}:{u}": ctx for t, u, _, ctx in told},
                          "cosine": round(cos, 4), "hedges": [self.claims[x].hedge, self.claims[y].hedge]}
            elif rule == "slot-mismatch":
                diff = disagreeing_slots(self.slots[a], self.slots[b], self.notes(ca.content.text),
                                         self.notes(cb.content.text))
                if not diff:
                    continue
                supported = signals.get("shared_entities", 0.0) > 0 or lexical >= cfg.group.support_lexical
                frame = shared_frame(self.frames(ca.content.text), self.frames(cb.content.text), diff, self.currencies)
                if cos >= cfg.contradiction_cosine or (cos >= cfg.contradiction_supported_cosine and supported):
                    name = "contradiction:slot-value"
                elif frame and cos >= cfg.contradiction_frame_cosine:
                    # Claims that carry several facts: their overall similarity is diluted, but
                    # the differing value is a value *of* the same thing (its frame words).
                    name = "contradiction:slot-frame"
                    diff = {t: v for t, v in diff.items() if t in frame}
                    cos = 0.5 + 0.5 * cfg.frame_score_scale * cos
                else:
                    continue
                x, y = sorted((a, b), key=lambda i: self._claim_key(self.claims[i]))
                if {ca.hedge, cb.hedge} & {"speculated"}:
                    if not cfg.speculative_contradictions:
                        continue
                    cos *= cfg.speculative_penalty
                    name += ":speculative"
                rx, ry = self.notes(self.claims[x].content.text), self.notes(self.claims[y].content.text)
                dx = {t: v for t, v in disagreeing_slots(self.slots[x], self.slots[y], rx, ry).items() if t in diff}
                detail = {"slots": {t: {"a": v[0], "b": v[1]} for t, v in dx.items()},
                          "frame": shared_frame(self.frames(self.claims[x].content.text),
                                                self.frames(self.claims[y].content.text), dx, self.currencies),
                          "cosine": round(float(signals.get("cosine", 0.0)), 4), "lexical": round(lexical, 4),
                          "shared_entities": signals.get("shared_entities", 0.0),
                          "hedges": [self.claims[x].hedge, self.claims[y].hedge]}
                read = {self.claims[i].id: {"words": self._relative[i][0], "date": self._relative[i][1]}
                        for i in (x, y) if i in self._relative}
                if read:
                    detail["relative_dates"] = read  # "last Friday" and the article's date
            else:
                continue
            detail = {**detail, "rule": name}
            family = name.replace(":slot-frame", ":slot-value")
            if name in _POLARITY:
                found.setdefault((family, (_POLARITY[name], self.group_of[x], self.group_of[y])), []
                                 ).append((x, y, cos, detail))
                continue
            # One flag per disagreement, not per pair of claim groups: a disagreement is one slot
            # with two values ("1,200" vs "800"). A pair of claims carrying several facts takes
            # part in each of its disagreements.
            fx, fy = self.frames(self.claims[x].content.text), self.frames(self.claims[y].content.text)
            # Names in a count's, a sum's or a year's frame say whose figure it is, not of what:
            # "mayor of Fennick until 2026" / "arrested in Fennick in 2027", "Velmo's revenue" /
            # "the deal for Velmo". A length of time told of a name is its one term or deadline:
            # "Hollin has six months to complete the sales" / "Hollin has twelve months to sell".
            names = frozenset(frame_stem(n) for n in _capitalised(self.claims[x].content.text)[0]
                              | _capitalised(self.claims[y].content.text)[0]
                              if n not in WEEKDAY_NAMES and n not in cm._MONTHS)  # when, not whose
            for t, v in detail["slots"].items():
                for u in v["a"]:
                    for w in v["b"]:
                        if not self.two_values((u, self.claims[x]), (w, self.claims[y])):
                            continue
                        fu, fw = fx.get(u), fy.get(w)
                        if t in ("num", "pct", "year"):  # a party has many counts, sums and years
                            fu, fw = (fu - names or None) if fu else fu, (fw - names or None) if fw else fw
                        elif t == "time" and name.endswith("slot-frame"):
                            # The day is not what a time times: "at 9 a.m. on Tuesday" / "shortly
                            # after 2 a.m. on Tuesday" (a level read, a wall breached).
                            fu, fw = (fu - _DAY_STEMS or None) if fu else fu, (fw - _DAY_STEMS or None) if fw else fw
                        if name.endswith("slot-frame") and (not frames_meet(fu or frozenset(), fw or frozenset(),
                                                                            self.currencies)
                                                            or far_apart(u, w, cfg.frame_max_ratio)):
                            continue  # each value must be a value *of* the same thing
                        if t in ("num", "pct", "time", "dur", "year") and not self._same_quantity(fu, fw, detail):
                            continue  # a story's times, lengths and years are of many things: of which one?
                        if (t == "year" and name.endswith("slot-frame")
                                and not detail.get("shared_entities", 0.0)):
                            continue  # "founded in 1998" / "founded in 1907": of two companies
                        key = (family, (t, *sorted((u, w))))
                        first_a = side_value.setdefault(key, u)  # the first pair sets the orientation
                        found.setdefault(key, []).append((x, y, cos, detail) if u == first_a else (y, x, cos, detail))
        # A disagreement seen only in pairs that also show a larger one ("340 vs 800" only
        # where "1,200 vs 800" is stated too) is part of that one, not a finding of its own.
        members = {k: {(p[0], p[1]) if p[0] < p[1] else (p[1], p[0]) for p in v} for k, v in found.items()}
        keys = sorted(found, key=lambda k: (-len(members[k]), str(k)))
        found = {k: found[k] for k in _not_contained(keys, members)}
        out = []
        for (family, atom), pairs in sorted(found.items(), key=lambda kv: str(kv[0])):
            rules = {p[3]["rule"] for p in pairs}
            name = family if family in rules else family.replace(":slot-value", ":slot-frame")
            side_a = sorted({p[0] for p in pairs}, key=lambda i: self._claim_key(self.claims[i]))
            side_b = sorted({p[1] for p in pairs}, key=lambda i: self._claim_key(self.claims[i]))
            best = max(pairs, key=lambda p: p[2])
            if name.startswith("contradiction:assert-vs-deny"):
                summary = "one article states what another reports as denied"
            elif name.startswith("contradiction:assert-vs-negated"):
                summary = f"one article states what another says is not so: \"{best[3]['negated_clause']['text']}\""
            else:
                va = side_value[(family, atom)]
                vb = atom[2] if va == atom[1] else atom[1]
                if atom[0] == "swapped":
                    summary = (f"one article says \"{va.partition(':')[2]}\", another \"{vb.partition(':')[2]}\": "
                               f"who did what, the other way round")
                elif atom[0] == "opposite":
                    summary = (f"one article says \"{va.partition(':')[2]}\" where another, in the same words "
                               f"around it, says \"{vb.partition(':')[2]}\"")
                else:
                    summary = f"same slot, different value ({atom[0]}: {va} vs {vb})"
            arts_a = list(dict.fromkeys(self.claims[i].article_id for i in side_a))
            arts_b = list(dict.fromkeys(self.claims[i].article_id for i in side_b))
            evidence = {
                **best[3],
                "side_a": {"claim_ids": [self.claims[i].id for i in side_a], "article_ids": arts_a,
                           "origin_groups": sorted({self.origin(x) for x in arts_a})},
                "side_b": {"claim_ids": [self.claims[i].id for i in side_b], "article_ids": arts_b,
                           "origin_groups": sorted({self.origin(x) for x in arts_b})},
                "pairs": [{"a": self.claims[p[0]].id, "b": self.claims[p[1]].id, "score": round(p[2], 4),
                           "rule": p[3]["rule"]}
                          for p in sorted(pairs, key=lambda p: (self.claims[p[0]].id, self.claims[p[1]].id))],
                "thresholds": {"contradiction_cosine": cfg.contradiction_cosine,
                               "contradiction_supported_cosine": cfg.contradiction_supported_cosine,
                               "denial_cosine": cfg.denial_cosine, "negation_cosine": cfg.negation_cosine},
            }
            if atom[0] not in _POLARITY.values():
                evidence["slots"] = {atom[0]: {"a": [va], "b": [vb]}}
            idx = side_a + side_b
            spans = [self.claim_span(i) for i in idx]
            if "slots" in evidence:
                extra_a, extra_b = self.sentences_stating(side_a, side_b, evidence["slots"])
                for key, extra in (("side_a", extra_a), ("side_b", extra_b)):
                    arts = list(dict.fromkeys(evidence[key]["article_ids"] + [x["article_id"] for x in extra]))
                    evidence[key] = {**evidence[key], "sentences": extra, "all_article_ids": arts,
                                     "all_origin_groups": sorted({self.origin(x) for x in arts})}
                spans += extra_a + extra_b
            out.append(self.flag("contradiction", idx, spans, summary, name, best[2], evidence))
        return out

    def sentences_told_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """Sentences of two origin groups that tell one thing the other way round, at the same
        point of the same words (:func:`aligned_values`: "the amendment ... was *approved*" /
        "... was *rejected*", "*Selvane sued Brenholt*" / "*Brenholt sued Selvane*", "came ashore
        late on *Friday*" / "on *Saturday*"), where the claim-level test cannot see them: one
        side is no claim (a plain statement without a figure), the act lies outside a claim's
        content ("Selvane sued Brenholt in 2024, *claiming* that ..."), or the two claims fell
        into different groups. Only sentences with such a predicate, a "X verb Y" or a weekday
        are compared, and only pairs sharing ``told_min_terms`` content words and
        ``told_min_jaccard`` of them; a pair some contradiction flag already sets against each
        other is skipped."""
        cfg = self.config
        cands = [(a, sp, text, _terms(text)) for a, sp, text in self.reading_order()
                 if OPPOSITE_SITE.search(text) or SWAP.search(text) or _WEEKDAY.search(text)]
        if len({self.origin(a) for a, *_ in cands}) < 2:
            return []
        covered = _sides_by_article(flagged)

        postings: dict[str, list[int]] = {}
        for k, (*_, terms) in enumerate(cands):
            for t in terms:
                postings.setdefault(t, []).append(k)
        found: dict[tuple[str, ...], list[tuple[int, int, tuple[str, str, str, str]]]] = {}
        for k, (a, sp, text, terms) in enumerate(cands):
            shared: dict[int, int] = {}
            for t in terms:
                for j in postings[t]:
                    if j > k:
                        shared[j] = shared.get(j, 0) + 1
            for j, n in shared.items():
                b, sp_b, text_b, terms_b = cands[j]
                if (n < cfg.told_min_terms or n / len(terms | terms_b) < cfg.told_min_jaccard
                        or self.origin(a) == self.origin(b) or text == text_b):
                    continue
                pa, pb = self._published(a), self._published(b)
                near = _FAR_FUTURE not in (pa, pb) and abs(pa - pb) <= timedelta(days=3)
                told_apart = [t for t in _told_apart(text, text_b) if t[0] in ("opposite", "swapped") or (
                    t[0] == "weekday" and near and _same_lead(text, text_b, t[1], t[2]))]
                if told_apart and not _set_against(covered, a, sp, b, sp_b):
                    for told in told_apart:
                        found.setdefault(_told_key(told), []).append((k, j, told))
        return [self._told_flag(cands, part) for _, pairs in sorted(found.items()) for part in _connected(pairs)]

    def _told_flag(self, cands: list[tuple[str, tuple[int, int], str, frozenset[str]]],
                   pairs: list[tuple[int, int, tuple[str, str, str, str]]]) -> Flag:
        """One flag for sentence pairs telling one thing the other way round, linked by shared
        sentences (one "approved" against both "rejected" and "voted down"): the sentences that
        side with the first pair's first value on side A, the rest on side B."""
        cfg = self.config
        kind, va, vb, context = pairs[0][2]
        label: dict[int, str] = {}
        for k, j, told in pairs:
            label.setdefault(k, _told_side(told[0], told[1]))
            label.setdefault(j, _told_side(told[0], told[2]))
        first = label[pairs[0][0]]
        side_a = sorted(i for i, v in label.items() if v == first)
        side_b = sorted(i for i, v in label.items() if v != first)
        summary = {
            "swapped": f"one article says \"{va}\", another \"{vb}\": who did what, the other way round",
            "weekday": f"one article gives the day as {va}, another, in the same words around it, as {vb}",
        }.get(kind, f"one article says \"{va}\" where another, in the same words around it, says \"{vb}\"")
        evidence = {
            "rule": "contradiction:aligned-sentence", "slots": {kind: {"a": [va], "b": [vb]}}, "context": context,
            "pairs": [{"a_article": cands[k][0], "a_start": cands[k][1][0], "b_article": cands[j][0],
                       "b_start": cands[j][1][0], "a_value": told[1], "b_value": told[2], "context": told[3]}
                      for k, j, told in pairs],
            "thresholds": {"told_min_terms": cfg.told_min_terms, "told_min_jaccard": cfg.told_min_jaccard},
        }
        return self._sentences_flag(cands, side_a, side_b, summary, cfg.told_score, evidence)

    def _sentences_flag(self, cands: list[tuple[str, tuple[int, int], str, frozenset[str]]], side_a: list[int],
                        side_b: list[int], summary: str, score: float, evidence: dict[str, Any]) -> Flag:
        """A contradiction flag between sentences (positions in ``cands``, ``(article, span,
        ...)``) on its two sides: their spans, the claims inside them, and ``evidence`` with
        each side's articles, origin groups and sentences added; the rule is the evidence's."""
        spans = [self.sentence_span(cands[i][0], cands[i][1]) for i in side_a + side_b]
        claim_idx = [m for i in side_a + side_b for m in self.claims_in(cands[i][0], cands[i][1])]

        def side(idx: list[int]) -> dict[str, Any]:
            arts = list(dict.fromkeys(cands[i][0] for i in idx))
            return {"article_ids": arts, "origin_groups": sorted({self.origin(x) for x in arts}),
                    "sentences": [self.sentence_span(cands[i][0], cands[i][1]) for i in idx]}

        evidence = {**evidence, "side_a": side(side_a), "side_b": side(side_b)}
        key = [f"{cands[i][0]}:{cands[i][1][0]}" for i in side_a + side_b]
        return self.flag("contradiction", claim_idx, spans, summary, evidence["rule"], score, evidence, key=key)

    def sentences_valued_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:sentence-value``: two sentences of different origin groups give one
        quantity two values, where the claim-level rule could not pair them (most
        figures of a report are in its own voice: "The national minimum wage is going up by 8
        per cent" against "the assembly approved a 6.5 per cent increase in the minimum wage").

        The sentences share ``value_min_terms`` content words and ``value_min_jaccard`` of them
        (or two words with a name), their articles are at most ``value_max_days`` apart, neither
        holds a guess ("may employ only 200"), and each differing pair of values passes every
        test the claim-level rule applies to a slot-frame pair (:meth:`figures_disagree`: same
        frame, same unit, no bound reaching the other value, not an update, not a request, not
        2.5 times apart). Words and figures say the values are of one kind of quantity, not that
        the sentences tell of one thing, so MiniLM must also find them alike (cosine at least
        ``value_cosine``, or ``value_named_cosine`` where they share a name): only the few
        sentences left are embedded. One flag per disagreement (slot and two values), linked by
        shared sentences; a pair some other flag already sets against each other is left to it."""
        cfg = self.config
        covered = _sides_by_article(flagged)
        cands = [(a, sp, text, self.term_set(text)) for a, sp, text in self.reading_order()
                 if len(text) <= _NEGATED_MAX_CHARS and not text.rstrip().endswith("?") and self.slots_of(text)]
        if len({self.origin(a) for a, *_ in cands}) < 2:
            return []
        found: dict[tuple[str, ...], list[tuple[int, int, tuple[str, str, str, str]]]] = {}
        side_value: dict[tuple[str, ...], str] = {}
        types = [frozenset(slot_type(v) for v in self.slots_of(text)) for _, _, text, _ in cands]
        guessed = [any(self.claims[m].hedge == "speculated" for m in self.claims_in(a, sp)) for a, sp, _, _ in cands]
        for k, j, n in _shared_counts([terms for *_, terms in cands], 2):
            (a, sp, text, terms), (b, sp_b, text_b, terms_b) = cands[k], cands[j]
            if (not types[k] & types[j] or self.origin(a) == self.origin(b) or text == text_b
                    or guessed[k] or guessed[j]):
                continue  # "may employ only 200": a guess is no second value (as for claims)
            if not self.near_in_time(a, b, cfg.value_max_days):
                continue
            alike = n >= cfg.value_min_terms and n / len(terms | terms_b) >= cfg.value_min_jaccard
            if not alike and not _shared_names(text, text_b) & terms & terms_b:
                continue
            diff = disagreeing_slots(self.slots_of(text), self.slots_of(text_b), self.notes(text), self.notes(text_b))
            if not diff or _set_against(covered, a, sp, b, sp_b):
                continue
            for t, (va, vb) in sorted(diff.items()):
                for u in va:
                    for w in vb:
                        frame = self.figures_disagree(u, w, (a, text), (b, text_b))
                        if frame is None:
                            continue
                        key = (t, *sorted((u, w)))
                        first = side_value.setdefault(key, u)
                        told = (t, u, w, " ".join(sorted(frame)))
                        found.setdefault(key, []).append((k, j, told) if u == first else (j, k, (t, w, u, told[3])))
        if not found:
            return []
        # The model says whether the two sentences tell of one thing ("That's 16 million jobs in
        # America." and "a plan estimated to create 7 million jobs" do not).
        self.embed(sorted({cands[i][2] for pairs in found.values() for k, j, _ in pairs for i in (k, j)}))
        kept: dict[tuple[str, ...], list[tuple[int, int, tuple[str, str, str, str, float]]]] = {}
        for key, pairs in found.items():
            for k, j, told in pairs:
                cos = self.embed.cosine(cands[k][2], cands[j][2])
                named = bool(_shared_names(cands[k][2], cands[j][2]))
                if cos >= cfg.value_cosine or (named and cos >= cfg.value_named_cosine):
                    kept.setdefault(key, []).append((k, j, (*told, round(cos, 4))))
        return [self._valued_flag(cands, part) for _, pairs in sorted(kept.items()) for part in _connected(pairs)]

    def sentences_named_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:named-predicate``: sentences of two origin groups that say opposite
        things of one name ("Hesper Lorrimer ... was acquitted." / "Businessman Hesper
        Lorrimer was convicted of paying bribes"), each with a predicate of one
        :data:`~newstrace.predicates._OPPOSITE` family bound to that name (:func:`named_predicates`), in other words
        around it than :meth:`sentences_told_otherwise` needs. The sentences must also share
        ``named_min_terms`` content words (the name's), be at most ``value_max_days`` apart and be told
        alike (MiniLM cosine at least ``value_named_cosine``); a sentence giving both signs of
        the family ("X was convicted, while Y was cleared") speaks of two people and is left
        out. One flag per family and name, linked by shared sentences."""
        cfg = self.config
        covered = _sides_by_article(flagged)
        cands: list[tuple[str, tuple[int, int], str, frozenset[str]]] = []
        told: list[dict[tuple[str, str], tuple[int, str]]] = []
        for a, sp, text in self.reading_order():
            if (len(text) > _NEGATED_MAX_CHARS or text.rstrip().endswith("?") or not OPPOSITE_SITE.search(text)
                    or _SPEAKER_LABEL.match(text)):
                continue  # a transcript's "ROMNEY: ..." names who speaks, not what is said of him
            preds = named_predicates(text)
            if preds:
                cands.append((a, sp, text, self.term_set(text)))
                told.append(preds)
        if len({self.origin(a) for a, *_ in cands}) < 2:
            return []
        by_name: dict[tuple[str, str], list[int]] = {}
        for k, preds in enumerate(told):
            for key in preds:
                by_name.setdefault(key, []).append(k)
        found: dict[tuple[str, str], list[tuple[int, int, tuple[str, str, str, str]]]] = {}
        for key, ks in sorted(by_name.items()):
            for x, k in enumerate(ks):
                for j in ks[x + 1:]:
                    (a, sp, text, terms), (b, sp_b, text_b, terms_b) = cands[k], cands[j]
                    (sign_a, pa_), (sign_b, pb_) = told[k][key], told[j][key]
                    # A rise or fall is of something the name has ("cut education spending", "higher
                    # pay"): the sentences must share more than the name.
                    least = cfg.value_min_terms if key[0] == "up-down" else cfg.named_min_terms
                    if (sign_a == sign_b or self.origin(a) == self.origin(b) or len(terms & terms_b) < least
                            or not opposite_predicates(pa_.casefold().split(), pb_.casefold().split())):
                        continue  # (:func:`opposite_predicates`: "reopened" says it was closed before)
                    if not self.near_in_time(a, b, cfg.value_max_days) or _set_against(covered, a, sp, b, sp_b):
                        continue
                    found.setdefault(key, []).append((k, j, ("opposite", pa_, pb_, key[1])))
        if not found:
            return []
        self.embed(sorted({cands[i][2] for pairs in found.values() for k, j, _ in pairs for i in (k, j)}))
        # One flag per family and set of linked sentences, whichever of their names paired them
        # ("Castelmere city council has approved" and "The council approved the Line 4
        # extension", both against "voted the Line 4 tram extension down").
        kept: dict[str, dict[tuple[int, int], tuple[tuple[str, str, str, str], float, set[str]]]] = {}
        for key, pairs in sorted(found.items()):
            for k, j, t in pairs:
                cos = self.embed.cosine(cands[k][2], cands[j][2])
                if cos >= cfg.value_named_cosine:
                    kept.setdefault(key[0], {}).setdefault((k, j), (t, round(cos, 4), set()))[2].add(key[1])
        out = []
        for family, pairs in sorted(kept.items()):
            sign_of = {i: told[i][key][0] for key, ks in by_name.items() if key[0] == family for i in ks}
            listed = [(k, j, t, cos) for (k, j), (t, cos, _) in pairs.items()]
            for part in _connected(listed):
                names = Counter(n for k, j, _, _ in part for n in pairs[(k, j)][2])
                out.append(self._named_flag(cands, family, sorted(names, key=lambda n: (-names[n], n)), sign_of, part))
        return out

    def ages_given_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:named-age``: sentences of two origin groups, at most
        ``value_max_days`` apart, giving one named person two ages ("shift foreman Aurel
        Tamberlin, 52," / "Tamberlin, who was 47,"; "Quellan, 61," / "the 58-year-old former
        mayor", the one former mayor the second article names, :func:`role_ages`; "The
        19-year-old," after a sentence naming one person, :func:`bare_age`): the age is bound
        to the name beside it (:func:`named_ages`), the role's one person or the subject, so no
        similarity of the sentences is asked for. Two given names for one surname are two
        people. One flag per person, linked by shared sentences; none where a flag already gives
        the two ages between the two origin groups (a claim-level one through a rewrite's
        sentence)."""
        cfg = self.config
        covered = _sides_by_article(flagged)
        told_ages = {(frozenset(f.evidence["slots"]["age"]["a"] + f.evidence["slots"]["age"]["b"]),
                      frozenset(f.evidence["side_a"]["origin_groups"] + f.evidence["side_b"]["origin_groups"]))
                     for f in flagged if "age" in f.evidence.get("slots", {})}
        cands: list[tuple[str, tuple[int, int], str, frozenset[str]]] = []
        ages: list[dict[str, tuple[str | None, int]]] = []
        roles: dict[str, dict[tuple[str, ...], set[tuple[str | None, str]]]] = {}
        people: dict[str, frozenset[str]] = {}
        previous = ("", "")  # the article and text of the sentence before
        for a, sp, text in self.reading_order():
            before, previous = (previous[1] if previous[0] == a else ""), (a, text)
            if len(text) <= _NEGATED_MAX_CHARS and DIGIT.search(text) and not _SPEAKER_LABEL.match(text):
                told = named_ages(text)
                if "old" in text:  # "-year-old", "years old"
                    if a not in roles:
                        roles[a] = role_bindings(self.articles[a].text)
                        people[a] = article_people(self.articles[a].text)
                    told = {**bare_age(text, before, people[a]), **role_ages(text, roles[a]), **told}
                if told:
                    cands.append((a, sp, text, frozenset()))
                    ages.append(told)
        found: dict[str, list[tuple[int, int, Any]]] = {}
        for k in range(len(cands)):
            for j in range(k + 1, len(cands)):
                (a, sp, *_), (b, sp_b, *_) = cands[k], cands[j]
                if self.origin(a) == self.origin(b) or not self.near_in_time(a, b, cfg.value_max_days):
                    continue
                for surname in sorted(ages[k].keys() & ages[j].keys()):
                    (given_a, age_a), (given_b, age_b) = ages[k][surname], ages[j][surname]
                    if age_a == age_b or (given_a and given_b and given_a != given_b):
                        continue
                    if (frozenset({f"age:{age_a}-year", f"age:{age_b}-year"}),
                            frozenset({self.origin(a), self.origin(b)})) in told_ages:
                        continue
                    if not _set_against(covered, a, sp, b, sp_b):
                        found.setdefault(surname, []).append((k, j, (age_a, age_b)))
        out = []
        for surname, pairs in sorted(found.items()):
            for part in _connected(pairs):
                first = part[0][2][0]
                ends = {i for k, j, _ in part for i in (k, j)}
                side_a = sorted(i for i in ends if ages[i][surname][1] == first)
                side_b = sorted(ends - set(side_a))
                second = ages[side_b[0]][surname][1]
                evidence = {
                    "rule": "contradiction:named-age", "slots": {"age": {"a": [f"age:{first}-year"],
                                                                          "b": [f"age:{second}-year"]}},
                    "name": surname,
                    "pairs": [{"a_article": cands[k][0], "a_start": cands[k][1][0], "b_article": cands[j][0],
                               "b_start": cands[j][1][0], "a_value": t[0], "b_value": t[1]} for k, j, t in part],
                    "thresholds": {"value_max_days": cfg.value_max_days},
                }
                summary = f"one article gives {surname.title()}'s age as {first}, another as {second}"
                out.append(self._sentences_flag(cands, side_a, side_b, summary, 1.0, evidence))
        return out

    def nobody_told_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:nobody-count``: one sentence says nobody was hurt, killed or
        arrested, another gives a count of people who were (:func:`fate_counts`: "No one was
        injured" / "Two workers of the gas company were injured"; "unconfirmed reports of two
        deaths" / "no one had died"; "Police arrested four protesters" / "no one had been
        arrested"). Between two origin groups at most ``value_max_days`` apart, unless nobody
        dead or arrested came ``toll_min_hours`` or more before a count (the injured who die,
        the bodies found and the arrests made later update a first report, as a death toll that
        rises does; people hurt are told at once, so a later count of them is no update of
        "nobody was hurt"); and between a rewrite and the article it was made from (a parent
        link), whenever told, for a rewrite has no reporting of its own to update with. "None of
        the employees" meets only a count of people that word names. One flag per family and
        pair of sides, linked by shared sentences; none where a flag already sets either
        sentence against one of the other article's."""
        cfg = self.config
        covered = _sides_by_article(flagged)
        cands = [(a, sp, text, frozenset()) for a, sp, text in self.reading_order()
                 if len(text) <= _NEGATED_MAX_CHARS and fate_counts(text)]
        if len(cands) < 2:
            return []
        parents = self.parent_pairs()
        told = [fate_counts(text) for _, _, text, _ in cands]
        found: dict[str, list[tuple[int, int, tuple[int, int]]]] = {}
        for k in range(len(cands)):
            for j in range(k + 1, len(cands)):
                (a, sp, text_a, _), (b, sp_b, text_b, _) = cands[k], cands[j]
                linked = (a, b) in parents or (b, a) in parents
                if a == b or (self.origin(a) == self.origin(b) and not linked):
                    continue
                if not linked and not self.near_in_time(a, b, cfg.value_max_days):
                    continue
                for family in sorted(told[k].keys() & told[j].keys()):
                    (n_a, who_a), (n_b, who_b) = told[k][family], told[j][family]
                    if (n_a == 0) == (n_b == 0):
                        continue
                    who, counted = (who_a, text_b) if n_a == 0 else (who_b, text_a)
                    if who and not re.search(rf"\b{re.escape(who)}\b", counted, re.IGNORECASE) and not (
                            frame_stem(who) == "people" and re.search(
                                r"\b(?:workers?|employees?|staff|people|persons)\b", counted, re.IGNORECASE)):
                        continue  # "none of the passengers" and "two crew members"
                    zero_first = n_a == 0  # cands are in reading order: ``a`` is not later
                    later = self._published(b) - self._published(a)
                    if (not linked and zero_first and family in ("dead", "arrested")
                            and _FAR_FUTURE not in (self._published(a), self._published(b))
                            and later >= timedelta(hours=cfg.toll_min_hours)):
                        continue
                    # Either sentence set against any of the other article's already (the
                    # hospital's "no patient had died" against "Two elderly patients have died"):
                    # its "We have had no deaths" is the same disagreement again.
                    if not (_set_against(covered, a, sp, b, _WHOLE) or _set_against(covered, b, sp_b, a, _WHOLE)):
                        found.setdefault(family, []).append((k, j, (n_a, n_b)))
        out = []
        for family, pairs in sorted(found.items()):
            for part in _connected(pairs):
                ends = {i for k, j, _ in part for i in (k, j)}
                first_zero = told[part[0][0]][family][0] == 0
                side_a = sorted(i for i in ends if (told[i][family][0] == 0) == first_zero)
                side_b = sorted(ends - set(side_a))
                values_a = sorted({told[i][family][0] for i in side_a})
                values_b = sorted({told[i][family][0] for i in side_b})
                evidence = {
                    "rule": "contradiction:nobody-count",
                    "slots": {family: {"a": [f"num:{v}" for v in values_a], "b": [f"num:{v}" for v in values_b]}},
                    "what": family,
                    "pairs": [{"a_article": cands[k][0], "a_start": cands[k][1][0], "b_article": cands[j][0],
                               "b_start": cands[j][1][0], "a_value": t[0], "b_value": t[1],
                               "parent_link": (cands[k][0], cands[j][0]) in parents
                               or (cands[j][0], cands[k][0]) in parents} for k, j, t in part],
                    "thresholds": {"value_max_days": cfg.value_max_days, "toll_min_hours": cfg.toll_min_hours},
                }
                what = {"injured": "hurt", "dead": "killed"}.get(family, family)
                counts = " or ".join(str(v) for v in (values_b if first_zero else values_a))
                summary = (f"one article says nobody was {what}, another that {counts} "
                           f"{'was' if counts == '1' else 'were'}")
                out.append(self._sentences_flag(cands, side_a, side_b, summary, cfg.changed_score, evidence))
        return out

    def _read_apart(self, flagged: list[Flag], reader: Callable[[str], Any], days: float,
                    told: Callable[[Any, Any, _Cand, _Cand], Iterable[tuple[Any, Any, Any]]]
                    ) -> tuple[list[_Cand], list[Any], dict[Any, list[tuple[int, int, tuple[Any, Any]]]]]:
        """The skeleton of the sentence-level rules that read one thing per sentence (a fate, a
        vote, a post, a scorer, an event's weekday): the sentences (at most
        ``_NEGATED_MAX_CHARS`` long) ``reader`` reads something in, what it read, and for each
        key ``told(reading of k, reading of j, sentence k, sentence j)`` yields ``(key, value of
        k, value of j)`` for (a sentence as ``(article, span, text, _)``), the pairs ``(k, j,
        values)`` of sentences of two origin groups at most ``days`` apart, in reading order,
        that no flag of ``flagged`` sets against each other already."""
        covered = _sides_by_article(flagged)
        cands: list[_Cand] = []
        readings: list[Any] = []
        for a, sp, text in self.reading_order():
            got = reader(text) if len(text) <= _NEGATED_MAX_CHARS else None
            if got:
                cands.append((a, sp, text, frozenset()))
                readings.append(got)
        found: dict[Any, list[tuple[int, int, tuple[Any, Any]]]] = {}
        for k in range(len(cands)):
            for j in range(k + 1, len(cands)):
                (a, sp, *_), (b, sp_b, *_) = cands[k], cands[j]
                if self.origin(a) == self.origin(b) or not self.near_in_time(a, b, days):
                    continue
                for key, u, w in told(readings[k], readings[j], cands[k], cands[j]):
                    if not _set_against(covered, a, sp, b, sp_b):
                        found.setdefault(key, []).append((k, j, (u, w)))
        return cands, readings, found

    def _apart_flags(self, cands: list[_Cand],
                     found: dict[Any, list[tuple[int, int, tuple[Any, Any]]]], value: Callable[[int, Any], Any],
                     evidence: Callable[[Any, Any, Any], dict[str, Any]], summary: Callable[[Any, Any, Any], str],
                     thresholds: dict[str, float]) -> list[Flag]:
        """One flag per key of :meth:`_read_apart`'s pairs and connected set of them: side A the
        sentences holding the first pair's first value (``value(i, key)``), side B the rest;
        ``evidence(key, a, b)`` and ``summary(key, a, b)`` name the two values."""
        out = []
        for key, pairs in sorted(found.items(), key=lambda kv: str(kv[0])):
            for part in _connected(pairs):
                ends = {i for k, j, _ in part for i in (k, j)}
                first = part[0][2][0]
                side_a = sorted(i for i in ends if value(i, key) == first)
                side_b = sorted(ends - set(side_a))
                second = value(side_b[0], key)
                record = {**evidence(key, first, second),
                          "pairs": [{"a_article": cands[k][0], "a_start": cands[k][1][0], "b_article": cands[j][0],
                                     "b_start": cands[j][1][0], "a_value": t[0], "b_value": t[1]} for k, j, t in part],
                          "thresholds": thresholds}
                out.append(self._sentences_flag(cands, side_a, side_b, summary(key, first, second), 1.0, record))
        return out

    def fates_told_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:alive-or-dead``: one sentence says a person is alive, another of a
        second origin group at most ``value_max_days`` away that the same person is dead
        ("Ansel Prewick ... was pulled out alive" / "Rescuers recovered the body of Ansel
        Prewick"; "the body of a 72-year-old man ... was found" / "The 72-year-old man ... was
        pulled alive from the water"): :func:`person_fate`, the person one full name's surname
        or one age and noun both sentences share, at most ``fate_max_days`` apart. A death told
        ``toll_min_hours`` or more after "alive" with "died" (not a body found) may be its
        update, and is not flagged, unless its weekday puts it before the "alive" report
        (:meth:`dated_before`: "recovering in hospital" on Friday, "died on Thursday night" in
        Monday's paper); nor is a
        fate hedged, negated or told with another's in one sentence. One flag per person, linked
        by shared sentences; none where a flag already sets the two sentences against each
        other."""
        cfg = self.config

        def told(x: tuple[str, frozenset[str]], y: tuple[str, frozenset[str]], one: _Cand, other: _Cand
                 ) -> Iterator[tuple[str, str, str]]:
            (fate_a, people_a), (fate_b, people_b) = x, y
            (a, *_), (b, _, text_b, _) = one, other
            shared = people_a & people_b
            if fate_a == fate_b or not shared:
                return
            later = self._published(b) - self._published(a)  # ``a`` is not later
            if (fate_a == "alive" and _FAR_FUTURE not in (self._published(a), self._published(b))
                    and later >= timedelta(hours=cfg.toll_min_hours) and not _FOUND_DEAD.search(text_b)
                    and not self.dated_before(text_b, b, self._published(a))):
                return
            yield min(shared), fate_a, fate_b

        cands, readings, found = self._read_apart(flagged, person_fate, cfg.fate_max_days, told)

        def summary(person: str, first: str, second: str) -> str:
            who = person.partition(":")[2]
            named = who.title() if person.startswith("name:") else f"the {who}"
            return f"one article says {named} is {first}, another {second}"

        return self._apart_flags(
            cands, found, lambda i, _: readings[i][0],
            lambda person, first, second: {"rule": "contradiction:alive-or-dead", "person": person.partition(":")[2],
                                           "fates": {"a": first, "b": second}},
            summary, {"fate_max_days": cfg.fate_max_days, "toll_min_hours": cfg.toll_min_hours})

    def votes_told_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:unanimous-or-split``: one sentence says a body decided unanimously,
        another of a second origin group at most ``value_max_days`` away that it decided with a
        minority ("The five-judge panel was unanimous" / "The judges were split three to two";
        "certified the result unanimously" / "approved the result by five votes to two"):
        :func:`vote_split`, the two naming one body (judges, a panel or a court; a commission
        or its commissioners; a board). One flag per body, linked by shared sentences; none
        where a flag already sets the two sentences against each other."""
        cfg = self.config

        def told(x: tuple[str, frozenset[str]], y: tuple[str, frozenset[str]], *_: _Cand
                 ) -> Iterator[tuple[str, str, str]]:
            (way_a, bodies_a), (way_b, bodies_b) = x, y
            if way_a != way_b and bodies_a & bodies_b:
                yield min(bodies_a & bodies_b), way_a, way_b

        cands, readings, found = self._read_apart(flagged, vote_split, cfg.value_max_days, told)

        def summary(body: str, first: str, second: str) -> str:
            how = ("unanimously", "with a minority")[::1 if first == "unanimous" else -1]
            return f"one article says the {body} decided {how[0]}, another {how[1]}"

        return self._apart_flags(
            cands, found, lambda i, _: readings[i][0],
            lambda body, first, second: {"rule": "contradiction:unanimous-or-split", "body": body,
                                         "ways": {"a": first, "b": second}},
            summary, {"value_max_days": cfg.value_max_days})

    def titles_told_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:named-title``: one person, named in full beside a post, given two
        posts by sentences of two origin groups at most ``title_max_days`` apart ("Jonas Fell,
        the mine's general manager," / "Jonas Fell, NCM's chief financial officer,"):
        :func:`named_titles`, :func:`titles_disagree` (no word of the post in common, not one
        post in other words). Former, acting and double posts are not read. One flag per
        person, linked by shared sentences; none where a flag already sets the two sentences
        against each other."""
        cfg = self.config

        def told(x: dict[tuple[str, str], str], y: dict[tuple[str, str], str], *_: _Cand
                 ) -> Iterator[tuple[tuple[str, str], str, str]]:
            for person in sorted(x.keys() & y.keys()):
                if titles_disagree(x[person], y[person]):
                    yield person, x[person], y[person]

        cands, readings, found = self._read_apart(
            flagged, lambda text: named_titles(text) if "," in text else {}, cfg.title_max_days, told)

        def name(person: tuple[str, str]) -> str:
            return " ".join(w.title() for w in person)

        return self._apart_flags(
            cands, found, lambda i, person: readings[i][person],
            lambda person, first, second: {"rule": "contradiction:named-title", "person": name(person),
                                           "titles": {"a": first, "b": second}},
            lambda person, first, second: f"one article calls {name(person)} the {first}, another the {second}",
            {"title_max_days": cfg.title_max_days})

    def agents_told_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:decisive-agent``: two origin groups at most ``value_max_days`` apart
        name two people for one decisive act (:func:`decisive_agents`): the scorer of a winning
        goal at one minute ("Pieter Aldane scored the winner in the 87th minute" / "Tomas Quist
        headed the winner in the 87th minute"; a sentence without a minute meets any), or a
        finisher's place ("took third" / "finished third"). One flag per act, linked by shared
        sentences; none where a flag already sets the two sentences against each other."""
        cfg = self.config

        def told(one: dict[tuple[str, ...], str], other: dict[tuple[str, ...], str], *_: _Cand
                 ) -> Iterator[tuple[tuple[str, ...], str, str]]:
            for x, who_x in sorted(one.items()):
                for y, who_y in sorted(other.items()):
                    same_act = x[0] == y[0] and (x[1] == y[1] or (x[0] == "winner" and "" in (x[1], y[1])))
                    if same_act and who_x != who_y:
                        yield (x[0], x[1] or y[1]), who_x, who_y

        cands, readings, found = self._read_apart(flagged, decisive_agents, cfg.value_max_days, told)

        def summary(act: tuple[str, str], first: str, second: str) -> str:
            what = (f"scored the winner{' in the ' + act[1] + 'th minute' if act[1] else ''}"
                    if act[0] == "winner" else f"finished in place {act[1]}")
            return f"one article says {first.title()} {what}, another {second.title()}"

        return self._apart_flags(
            cands, found, lambda i, act: next(v for key, v in readings[i].items() if key[0] == act[0]),
            lambda act, first, second: {"rule": "contradiction:decisive-agent", "act": list(act),
                                        "agents": {"a": first, "b": second}},
            summary, {"value_max_days": cfg.value_max_days})

    def event_days_told_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:event-weekday``: two origin groups at most ``value_max_days`` apart
        (one week's weekdays) give a story's main event two weekdays in sentences told in their
        own words (:func:`event_days`: "The fire broke out on Sunday afternoon" / "The fire was
        first reported on Saturday evening"; "Storm Vessaline made landfall on Thursday
        evening" / "since Storm Vessaline came ashore on Wednesday night"), which the
        claim-level weekday rule, asking for sentences told alike, does not pair. One flag per
        event, linked by shared sentences; none where a flag already sets the two sentences
        against each other."""
        cfg = self.config

        def told(x: dict[str, str], y: dict[str, str], *_: _Cand) -> Iterator[tuple[str, str, str]]:
            for event in sorted(x.keys() & y.keys()):
                if x[event] != y[event]:
                    yield event, x[event], y[event]

        cands, readings, found = self._read_apart(flagged, event_days, cfg.value_max_days, told)
        return self._apart_flags(
            cands, found, lambda i, event: readings[i][event],
            lambda event, first, second: {"rule": "contradiction:event-weekday", "event": event, "slots": {
                "weekday": {"a": [f"weekday:{first}"], "b": [f"weekday:{second}"]}}},
            lambda event, first, second: f"one article dates the {event} to {first}, another to {second}",
            {"value_max_days": cfg.value_max_days})

    def dated_before(self, text: str, article_id: str, moment: datetime) -> bool:
        """Whether ``text`` (of ``article_id``) dates its event by a weekday that falls on a day
        before ``moment``'s: the weekday's last date up to the article's publication ("died on
        Thursday night" in Monday's paper: last Thursday)."""
        published = self._published(article_id)
        if _FAR_FUTURE in (published, moment):
            return False
        return any(published.date() - timedelta(days=_days_back(published, d)) < moment.date()
                   for d in _event_weekdays(text))

    def parent_direction(self, e: ReuseEdge) -> tuple[str, str] | None:
        """(upstream, downstream) of a reuse edge that is a parent link (or not known not to be
        one): what a rewrite was made from; None for a link between two rewrites of one source,
        or where nothing tells the direction."""
        if e.direction_evidence.get("parent") is False:
            return None
        return self.direction(e)

    def parent_pairs(self) -> set[tuple[str, str]]:
        """:meth:`parent_direction` of every reuse edge of the story that has one."""
        return {d for e in self.reuse_edges if (d := self.parent_direction(e)) is not None}

    def _named_flag(self, cands: list[tuple[str, tuple[int, int], str, frozenset[str]]], family: str,
                    names: list[str], sign_of: dict[int, int],
                    pairs: list[tuple[int, int, tuple[str, str, str, str], float]]) -> Flag:
        """One ``named-predicate`` flag: the sentences whose predicate has the sign of the first
        pair's first sentence on side A, the others on side B; ``names`` (the one most pairs
        share first) are the names the predicates were said of."""
        cfg = self.config
        name = names[0]
        _, va, vb, _ = pairs[0][2]
        ends = {i for k, j, _, _ in pairs for i in (k, j)}
        side_a = sorted(i for i in ends if sign_of[i] == sign_of[pairs[0][0]])
        side_b = sorted(ends - set(side_a))
        evidence = {
            "rule": "contradiction:named-predicate", "slots": {"opposite": {"a": [va], "b": [vb]}},
            "family": family, "name": name, "names": names,
            "pairs": [{"a_article": cands[k][0], "a_start": cands[k][1][0], "b_article": cands[j][0],
                       "b_start": cands[j][1][0], "a_value": t[1], "b_value": t[2], "cosine": cos}
                      for k, j, t, cos in pairs],
            "thresholds": {"named_min_terms": cfg.named_min_terms, "value_max_days": cfg.value_max_days,
                           "value_named_cosine": cfg.value_named_cosine},
        }
        summary = f"one article says {name.title()} \"{va}\", another \"{vb}\""
        return self._sentences_flag(cands, side_a, side_b, summary, max(p[3] for p in pairs), evidence)

    def figures_disagree(self, u: str, w: str, x: tuple[str, str], y: tuple[str, str]) -> frozenset[str] | None:
        """The frame stems two differing values of two texts (``(article, text)`` each) share
        when they are two values of one quantity, else None: the tests the claim-level rule
        applies to a pair of values (:meth:`contradictions`), all of them, with the frame
        required (sentences have no model cosine to stand in for it)."""
        (ax, tx), (ay, ty) = x, y
        if {u, w} & (self.superseded(ax) | self.superseded(ay)) or not self.two_values((u, ax, tx), (w, ay, ty)):
            return None  # also "rose to five, up from four": the four is no count the article gives
        fx, fy = self.frames(tx).get(u, frozenset()), self.frames(ty).get(w, frozenset())
        meet = frames_meet(fx, fy, self.currencies) - _capitalised(tx)[0] - _capitalised(ty)[0]  # whose, not what
        if not meet or far_apart(u, w, self.config.frame_max_ratio):
            return None
        return meet

    def two_values(self, x: tuple[Any, ...], y: tuple[Any, ...]) -> bool:
        """Whether two differing values, each ``(value, claim)`` or ``(value, article, text)``,
        can be two values of one quantity as far as their own words tell: no bound or estimate
        reaching the other, both money or neither, not one the other's article names as the
        figure it updates, neither counting what is left later, not one count told at two
        moments (:meth:`told_later`) or at two clock times (each sentence gives one, and none
        in common), not the figures of two named things (:meth:`owned_apart`), neither alleged
        nor asked for (or forecast) unless both are, and not two counts of two different nouns.
        The frame tests are each rule's own."""
        (u, ax, tx), (w, ay, ty) = (v if len(v) == 3 else (v[0], v[1].article_id, v[1].content.text) for v in (x, y))
        asked_x, asked_y = (len(v) == 2 and cue_says(v[1], REQUEST) for v in (x, y))
        if not values_disagree(u, w, self.notes(tx), self.notes(ty)):
            return False  # "more than a dozen" and "14": a bound, not a second value
        if u in self.superseded(ay) or w in self.superseded(ax):
            return False  # "nine, up from the six announced": an update naming what it replaces
        if slot_type(u) in ("num", "pct") and (u in self.later(tx)) != (w in self.later(ty)):
            return False  # "still without power" counts what is left, later
        if slot_type(u) == "num" and self.told_later(u, ax, tx, w, ay, ty):
            return False
        if slot_type(u) == "num" and (u in running_totals(tx)) != (w in running_totals(ty)):
            return False  # "85 cancelled on Thursday" / "by Friday evening, 160 since the walkout began"
        if self.owned_apart(u, self.owning_text(x), w, self.owning_text(y)):
            return False  # "Ostrel recorded 64 millimetres" / "at Brannaval ... 118 millimetres"
        if alleges(x) != alleges(y):
            return False  # "prosecutors had alleged 430,000" / "the court found 310,000"
        if (asked_x or requested(self.frames(tx).get(u))) != (asked_y or requested(self.frames(ty).get(w))):
            return False  # "prosecutors sought six years" / "sentenced to four years"
        if (u in self.past(ax, self.owning_text(x))) != (w in self.past(ay, self.owning_text(y))):
            return False  # "the record of 7.1 metres set in 2009" / "crested at 5.4 metres"
        if (u in combined_figures(tx)) != (w in combined_figures(ty)):
            return False  # "combined annual sales of almost 8 billion" / "had sales of 5.6 billion"
        # Readings at two clock times: "4.1 metres at 9 a.m. ... still rising" / "peaked at 4.6
        # metres at about 7 p.m." differ in both the level and the hour, and neither is wrong.
        hours_x, hours_y = ({v for v in self.slots_of(t) if v.startswith("time:")} for t in (tx, ty))
        if slot_type(u) in ("num", "pct", "money") and hours_x and hours_y and not hours_x & hours_y:
            return False
        if slot_type(u) == "time":
            read_x, read_y = ({v for v in self.slots_of(t) if slot_type(v) in ("num", "pct")} for t in (tx, ty))
            if read_x and read_y and not read_x & read_y:
                return False
        nx, ny = self.counted(tx).get(u), self.counted(ty).get(w)
        if nx and ny and nx != ny:
            return False  # "nine points" and "19 league goals"
        fu, fw = self.frames(tx).get(u), self.frames(ty).get(w)
        measured = self.notes(tx).get(u, FigureNote()).unit or self.notes(ty).get(w, FigureNote()).unit
        if nx and nx == ny and fu and fw and not measured and nx != "money" and not nx.endswith(ADJECTIVE_ENDS):
            # Counts of one noun that each side says something else of: "a ferry carrying 212
            # passengers" / "lifeboats had brought 140 passengers ashore", a total and a part
            # (not measures: "recorded 118 millimetres" / "measured 86 millimetres").
            common = frames_meet(fu, fw, self.currencies)
            if (common and common <= {nx} and fu - common and fw - common
                    # unless one side's other words are near the other's figure too: "The recall
                    # covers 14 batches" / "is recalling nine batches"
                    and not fu - common <= self.frames(ty, nearest=False).get(w, frozenset())
                    and not fw - common <= self.frames(tx, nearest=False).get(u, frozenset())):
                return False
        return True

    def past(self, article_id: str, text: str) -> frozenset[str]:
        """:func:`past_figures` of ``text`` in its article's year (none for an undated one),
        computed once per text per call of the stage."""
        published = self._published(article_id)
        if published == _FAR_FUTURE:
            return frozenset()
        key = (published.year, text)
        got = self._past_cache.get(key)
        if got is None:
            got = self._past_cache[key] = past_figures(text, published.year)
        return got

    def owners(self, text: str) -> dict[str, tuple[str, int]]:
        """:func:`figure_owners`, computed once per text per call of the stage."""
        got = self._owner_cache.get(text)
        if got is None:
            got = self._owner_cache[text] = figure_owners(text, self.names)
        return got

    def owning_text(self, v: tuple[Any, ...]) -> str:
        """The text to read a value's owner in: a claim's whole sentence ("Velmo had revenue of
        940 million", where the claim is "revenue of 940 million"), else the text given."""
        if len(v) == 3:
            return v[2]
        c = v[1]
        return self.sentence_text(c.article_id, self.sentence_of(c.article_id, c.content.start))

    def owned_apart(self, u: str, tx: str, w: str, ty: str) -> bool:
        """Whether two figures are of two different named things: each has a name before it
        (:func:`figure_owners`), the names differ and neither text names the other's before
        its own figure ("Fennick's Kessmore mill employs 250" is the mill "owned by Fennick")."""
        ou, ow = self.owners(tx).get(u), self.owners(ty).get(w)
        if not ou or not ow or ou[0].casefold() == ow[0].casefold():
            return False
        return not (re.search(rf"\b{re.escape(ou[0])}\b", ty[:ow[1]], re.IGNORECASE)
                    or re.search(rf"\b{re.escape(ow[0])}\b", tx[:ou[1]], re.IGNORECASE))

    def told_later(self, u: str, ax: str, tx: str, w: str, ay: str, ty: str) -> bool:
        """Whether two counts are one count at two moments by their articles' times: a death
        toll higher in the later report (tolls rise as the missing are found and the injured
        die: "three workers were killed" at noon, "killed four workers" the next day), or two
        counts of what is left ("nine patients remain in hospital", "eight ... remain") told
        at least half a day apart. A toll that falls later is still a disagreement."""
        pu, pw = self._published(ax), self._published(ay)
        if _FAR_FUTURE in (pu, pw):
            return False
        apart = abs(pu - pw)
        if u in self.later(tx) and w in self.later(ty) and apart >= timedelta(hours=self.config.left_min_hours):
            return True
        vu, vw = slot_number(u), slot_number(w)
        if vu is None or vw is None or apart < timedelta(hours=self.config.toll_min_hours):
            return False
        if "dead" not in self.frames(tx).get(u, frozenset()) or "dead" not in self.frames(ty).get(w, frozenset()):
            return False
        return (vw > vu) == (pw > pu)

    def _valued_flag(self, cands: list[tuple[str, tuple[int, int], str, frozenset[str]]],
                     pairs: list[tuple[int, int, tuple[str, str, str, str, float]]]) -> Flag:
        """One ``sentence-value`` flag: the sentences giving the first pair's first value on
        side A, those giving the other on side B."""
        cfg = self.config
        kind, va, vb, *_ = pairs[0][2]
        side_a = sorted({k for k, _, _ in pairs})
        side_b = sorted({j for _, j, _ in pairs} - set(side_a))
        evidence = {
            "rule": "contradiction:sentence-value", "slots": {kind: {"a": [va], "b": [vb]}},
            "frame": sorted({w for *_, told in pairs for w in told[3].split()}),
            "pairs": [{"a_article": cands[k][0], "a_start": cands[k][1][0], "b_article": cands[j][0],
                       "b_start": cands[j][1][0], "a_value": told[1], "b_value": told[2], "frame": told[3].split(),
                       "cosine": told[4]}
                      for k, j, told in pairs],
            "thresholds": {"value_min_terms": cfg.value_min_terms, "value_min_jaccard": cfg.value_min_jaccard,
                           "value_max_days": cfg.value_max_days, "frame_max_ratio": cfg.frame_max_ratio,
                           "value_cosine": cfg.value_cosine, "value_named_cosine": cfg.value_named_cosine},
        }
        summary = f"same quantity, different value ({kind}: {va} vs {vb}), in sentences of two origins"
        return self._sentences_flag(cands, side_a, side_b, summary, max(told[4] for *_, told in pairs), evidence)

    def sentences_negated_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:negated-sentence``: a sentence of one origin group says is not so
        what a sentence of another states, where neither is a claim the claim-level rule
        (``assert-vs-negated``) could pair: "The driver was not hurt." against "The driver ...
        was taken to hospital with injuries to his head and hands." The stating sentence must
        hold every content word of the negated clause's positive reading, less the words that
        say who said it (:func:`_reported`): "driver", "hurt", read through
        :data:`~newstrace.figures.SLOT_SYNONYMS` ("hurt" and "injuries" are one), at least
        ``negated_min_words`` of them; it must say nothing is not so itself (no negation,
        "without", "failed to", ...; no question), nor speak in its own voice or of what could
        be (:func:`~newstrace.negation.states_fact`: "I have a long record"). Dated articles
        more than ``negated_max_days`` apart are not compared ("has not reopened" on Monday,
        "reopened" on Thursday is news, not a contradiction). One flag per negated clause; a
        pair another flag already sets against each other is left to it."""
        cfg = self.config
        covered = _sides_by_article(flagged)
        negated, stating = [], []
        for a, sp, text in self.reading_order():
            if len(text) > _NEGATED_MAX_CHARS or text.rstrip().endswith("?") or _SPEAKER_LABEL.match(text):
                continue
            if _NEGATION_WORD.search(text):
                for n in negated_clauses(text):
                    said = _reported(n.positive)  # what is negated, not who said it
                    words = _folded(said)
                    if len(words) >= cfg.negated_min_words and (_has_subject(n.positive) or _has_subject(said)
                                                                or _EXISTENTIAL.match(said)):
                        # Every figure it negates too: "had not admitted 340 patients" says
                        # nothing against "admitted 14 patients".
                        negated.append((a, sp, n, words | _figures(n)))
            elif not _NEGATIVE.search(text) and states_fact(text):
                stating.append((a, sp, _folded(text) | figure_words(text)))
        if not negated or not stating:
            return []
        postings: dict[str, set[int]] = {}
        for k, (_, _, words) in enumerate(stating):
            for w in words:
                postings.setdefault(w, set()).add(k)
        out = []
        for a, sp, n, words in negated:
            hits = set.intersection(*(postings.get(w, set()) for w in words))
            found = []
            for k in sorted(hits):
                b, sp_b, _ = stating[k]
                if (self.origin(a) == self.origin(b) or not self.near_in_time(a, b, cfg.negated_max_days)
                        or _set_against(covered, a, sp, b, sp_b)):
                    continue
                found.append((b, sp_b))
            if found:
                out.append(self._negated_flag(a, sp, n, words, found))
        return out

    def _negated_flag(self, a: str, sp: tuple[int, int], n: NegatedClause, words: frozenset[str],
                      found: list[tuple[str, tuple[int, int]]]) -> Flag:
        """One ``negated-sentence`` flag: the stating sentences on side A, the negating one on B."""
        neg_span = self.sentence_span(a, sp)
        stated = [self.sentence_span(b, sp_b) for b, sp_b in found]
        arts = list(dict.fromkeys(b for b, _ in found))
        clause = {"article_id": a, "start": sp[0] + n.start, "end": sp[0] + n.end,
                  "text": self.sentence_text(a, sp)[n.start:n.end]}
        claim_idx = [m for art, span in [(a, sp), *found] for m in self.claims_in(art, span)]
        evidence = {
            "rule": "contradiction:negated-sentence", "negated_clause": clause, "positive_reading": n.positive,
            "words": sorted(words),
            "side_a": {"article_ids": arts, "origin_groups": sorted({self.origin(b) for b in arts}),
                       "sentences": stated},
            "side_b": {"article_ids": [a], "origin_groups": [self.origin(a)], "sentences": [neg_span]},
            "pairs": [{"a_article": b, "a_start": sp_b[0], "b_article": a, "b_start": sp[0]} for b, sp_b in found],
            "thresholds": {"negated_min_words": self.config.negated_min_words,
                           "negated_max_days": self.config.negated_max_days},
        }
        summary = f"one article says \"{clause['text']}\"; another states it: \"{stated[0]['text'][:160]}\""
        key = [f"{a}:{sp[0]}", *(f"{b}:{s}" for b, (s, _) in found)]
        return self.flag("contradiction", claim_idx, [*stated, neg_span], summary, "contradiction:negated-sentence",
                         self.config.told_score, evidence, key=key)

    def changed_in_rewrites(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:changed-in-rewrite``: a value, a predicate, the order of two names or a
        negation that a rewrite changed in a sentence aligned to its source's
        (:func:`changed_values`), along each reuse edge that is a parent link. The other
        contradiction rules compare origin groups and pass over a group's own members; this is
        the one that sees a laundered copy turn "four injured" into "nine". One flag per source
        sentence and change, listing every rewrite sentence that made it; a pair some other
        contradiction flag already sets against each other is left to that flag."""
        covered = _sides_by_article(flagged)

        found: dict[tuple[Any, ...], list[tuple[ReuseEdge, Span, Span, tuple[str, str, str, str]]]] = {}
        for e in sorted(self.reuse_edges, key=lambda e: (e.source_id, e.derived_id, e.kind)):
            dirn = self.parent_direction(e)
            if dirn is None:
                continue  # two rewrites of one source: each one's change is flagged on its own edge
            up, down = dirn
            for a, b, aligned in self.rewritten_pairs(e, up, down):
                if _set_against(covered, up, (a.start, a.end), down, (b.start, b.end)):
                    continue
                published = self._published(down)
                day = published.strftime("%A") if published != _FAR_FUTURE else None
                for change in changed_values(a.text, b.text, self.superseded(down), aligned, day):
                    kind, va, vb, _ = change
                    found.setdefault((up, a.start, kind, va, vb), []).append((e, a, b, change))
            for a, b, change in [*self.changed_speakers(up, down), *self.changed_stances(up, down)]:
                found.setdefault((up, a.start, *change[:3]), []).append((e, a, b, change))
        return [self._changed_flag(up, changes) for (up, *_), changes in sorted(found.items(), key=lambda kv: str(kv[0]))]

    def changed_speakers(self, up: str, down: str) -> Iterator[tuple[Span, Span, tuple[str, str, str, str]]]:
        """A quotation the rewrite gives to someone else (:meth:`speaker_change`), each direct
        quote of ``up`` against each of ``down``."""
        for i in self.by_article.get(up, []):
            for j in self.by_article.get(down, []):
                got = self.speaker_change(i, j)
                if got is not None:
                    yield got

    def changed_stances(self, up: str, down: str) -> Iterator[tuple[Span, Span, tuple[str, str, str, str]]]:
        """A denial the rewrite turns into an admission, or the reverse (:meth:`stance_change`),
        each claim of ``up`` against each of ``down``."""
        for i in self.by_article.get(up, []):
            for j in self.by_article.get(down, []):
                got = self.stance_change(i, j)
                if got is not None:
                    yield got

    def stance_change(self, i: int, j: int) -> tuple[Span, Span, tuple[str, str, str, str]] | None:
        """Claim ``i`` denied and claim ``j`` admitted, or the reverse, by one speaker, of the
        same content ("The mayor ... denied that the town had asked Korvenia for help" / "the
        mayor acknowledged that the town had asked Korvenia for help"): the denied content's
        words held ``denial_containment`` by the other (at least ``stance_min_shared`` of them:
        "who denied all the charges" is no denial of what a co-defendant "admitted handing over
        cash ... for lighter charges"), the speakers' last names the same (or one unresolved), and
        the other's cue one that admits (:data:`ADMITTING`). More than a hedge dropped: the
        source says the person said no, the rewrite that they said yes. Returns the two
        sentences and ``("stance", cue in i, cue in j, the content)``."""
        cfg = self.config
        ci, cj = self.claims[i], self.claims[j]
        if (ci.hedge == "denied") == (cj.hedge == "denied"):
            return None
        admitting = cj if ci.hedge == "denied" else ci
        if admitting.cue is None or not ADMITTING.search(admitting.cue.text):
            return None
        words = self.content_words()
        denied = words[i] if ci.hedge == "denied" else words[j]
        shared = len(words[i] & words[j])
        if shared < cfg.stance_min_shared or shared / len(denied) < cfg.denial_containment:
            return None
        si, sj = self.speaker(i), self.speaker(j)
        if si and sj and si.split()[-1].casefold() != sj.split()[-1].casefold():
            return None
        up, down = ci.article_id, cj.article_id
        sa, sb = self.sentence_of(up, ci.content.start), self.sentence_of(down, cj.content.start)
        cues = [c.cue.text if c.cue is not None else c.hedge for c in (ci, cj)]
        return (Span(sa[0], sa[1], self.sentence_text(up, sa)), Span(sb[0], sb[1], self.sentence_text(down, sb)),
                ("stance", cues[0], cues[1], ci.content.text))

    def speaker_change(self, i: int, j: int) -> tuple[Span, Span, tuple[str, str, str, str]] | None:
        """Claim ``i``'s direct quote given to someone else by claim ``j``: both hold the same
        words (``quote_min_terms`` content words, each holding ``quote_min_containment`` of the
        other's), their speakers resolved to two people or bodies whose names are not one name
        respelt (a garbled name is the names stage's). Returns the two sentences and
        ``("speaker", name in i, name in j, the quote)``."""
        cfg = self.config
        ci, si, cj, sj = self.claims[i], self.speaker(i), self.claims[j], self.speaker(j)
        if (not ci.is_direct_quote or not cj.is_direct_quote or si is None or sj is None or sj == si
                or len(self.terms[i]) < cfg.quote_min_terms):
            return None
        shared = len(self.terms[i] & self.terms[j])
        if shared < cfg.quote_min_containment * max(len(self.terms[i]), len(self.terms[j])):
            return None
        names = [c.source_entity or (c.source.text if c.source else "") for c in (ci, cj)]
        if not all(names) or fuzz.token_set_ratio(names[0].casefold(), names[1].casefold()) >= 70:
            return None
        up, down = ci.article_id, cj.article_id
        sa, sb = self.sentence_of(up, ci.content.start), self.sentence_of(down, cj.content.start)
        # The second must name its speaker ("Mayor Helena Vorst admitted", not "he said"), and
        # neither sentence the other's: "Prejean told judge Perez Hilton: ..." names both, and
        # which one a resolver picked is no change of speaker.
        last = [n.split()[-1].casefold() for n in names]
        if (cj.source is None or last[1] not in cj.source.text.casefold()
                or last[1] in self.sentence_text(up, sa).casefold()
                or last[0] in self.sentence_text(down, sb).casefold()):
            return None
        return (Span(sa[0], sa[1], self.sentence_text(up, sa)), Span(sb[0], sb[1], self.sentence_text(down, sb)),
                ("speaker", names[0], names[1], ci.content.text))

    def quotes_given_otherwise(self, flagged: list[Flag]) -> list[Flag]:
        """``contradiction:quote-speaker``: one direct quotation given by name to two different
        people in articles of two origin groups ("\"This line will change Eastholm for a
        generation,\" said Mayor Ottilie Brann" / "... said Jonas Merrick, the council's
        transport chief"). Two outlets that heard one speaker agree on who spoke; one of them
        has it wrong. The test is :meth:`speaker_change`'s; the earlier article's quote is side
        A. One flag per quote and pair of names; a pair another flag already sets against
        each other is left to it."""
        cfg = self.config
        covered = _sides_by_article(flagged)
        quotes = sorted((i for i, c in enumerate(self.claims) if c.is_direct_quote and self.speaker(i) is not None
                         and len(self.terms[i]) >= cfg.quote_min_terms),
                        key=lambda i: (self._published(self.claims[i].article_id), self._claim_key(self.claims[i])))
        if len({self.origin(self.claims[i].article_id) for i in quotes}) < 2:
            return []
        postings: dict[str, list[int]] = {}
        for k, i in enumerate(quotes):
            for t in self.terms[i]:
                postings.setdefault(t, []).append(k)
        found: dict[tuple[Any, ...], list[tuple[str, Span, Span, tuple[str, str, str, str]]]] = {}
        for k, i in enumerate(quotes):
            up = self.claims[i].article_id
            for n in sorted({n for t in self.terms[i] for n in postings[t] if n > k}):
                j = quotes[n]
                down = self.claims[j].article_id
                if self.origin(up) == self.origin(down):
                    continue
                got = self.speaker_change(i, j)
                if got is None or _set_against(covered, up, (got[0].start, got[0].end), down, (got[1].start, got[1].end)):
                    continue
                a, b, change = got
                found.setdefault((up, a.start, *change[:3]), []).append((down, a, b, change))
        return [self._quote_flag(up, given) for (up, *_), given in sorted(found.items(), key=lambda kv: str(kv[0]))]

    def _quote_flag(self, up: str, given: list[tuple[str, Span, Span, tuple[str, str, str, str]]]) -> Flag:
        """One ``quote-speaker`` flag: the first article's sentence on side A, the sentences
        that give the quote to the other speaker on side B."""
        _, a, _, (kind, va, vb, quote) = given[0]
        downs = list(dict.fromkeys((d, b.start, b.end) for d, _, b, _ in given))
        up_span, down_spans, claim_idx, sides = self._one_against_many(up, a, downs)
        evidence = {
            "rule": "contradiction:quote-speaker", "slots": {kind: {"a": [va], "b": [vb]}}, "quote": quote, **sides,
            "thresholds": {"quote_min_terms": self.config.quote_min_terms,
                           "quote_min_containment": self.config.quote_min_containment},
        }
        summary = f"one quotation, two speakers: {quote.strip(' ,')[:120]} is {va}'s in one article, {vb}'s in another"
        key = [f"{up}:{a.start}", va, vb, *(f"{d}:{s}" for d, s, _ in downs)]
        return self.flag("contradiction", claim_idx, [up_span, *down_spans], summary, "contradiction:quote-speaker",
                         self.config.changed_score, evidence, key=key)

    def rewritten_pairs(self, e: ReuseEdge, up: str, down: str) -> Iterator[tuple[Span, Span, bool]]:
        """The sentence pairs of a reuse edge to compare for a change, upstream first: the pairs
        the reuse stage aligned (each sentence there has one partner), then each other pair
        holding ``changed_min_terms`` of the same content words and ``changed_min_containment``
        of the shorter sentence's (a restyle that appends a clause to a sentence may be aligned
        elsewhere: "was approved by 33 votes to 22, *but ...*")."""
        cfg = self.config
        seen = set()
        for p in e.pairs:
            a, b = (p.a, p.b) if up == e.source_id else (p.b, p.a)
            seen.add((a.start, b.start))
            yield a, b, True
        ups, postings = self.sentence_postings(up)
        for sp_b in self.sentences[down]:
            terms_b = self.term_set(self.sentence_text(down, sp_b))
            shared = Counter(k for t in terms_b for k in postings.get(t, ()))
            for k, n in sorted(shared.items()):
                sp_a, terms_a = ups[k]
                if ((sp_a[0], sp_b[0]) in seen or n < cfg.changed_min_terms
                        or n < cfg.changed_min_containment * min(len(terms_a), len(terms_b))):
                    continue
                yield (Span(sp_a[0], sp_a[1], self.sentence_text(up, sp_a)),
                       Span(sp_b[0], sp_b[1], self.sentence_text(down, sp_b)), False)

    def sentence_postings(self, article_id: str
                          ) -> tuple[list[tuple[tuple[int, int], frozenset[str]]], dict[str, list[int]]]:
        """An article's sentences with their content terms, and which sentences hold each term:
        built once per article per call of the stage (an origin is upstream of every rewrite)."""
        got = self._postings_cache.get(article_id)
        if got is None:
            ups = [(sp, self.term_set(self.sentence_text(article_id, sp))) for sp in self.sentences[article_id]]
            postings: dict[str, list[int]] = {}
            for k, (_, terms) in enumerate(ups):
                for t in terms:
                    postings.setdefault(t, []).append(k)
            got = self._postings_cache[article_id] = (ups, postings)
        return got

    def _one_against_many(self, up: str, a: Span, downs: list[tuple[str, int, int]]
                          ) -> tuple[dict[str, Any], list[dict[str, Any]], list[int], dict[str, Any]]:
        """One sentence of ``up`` against sentences of other articles (``(article, start, end)``):
        its span, theirs, the claims inside any of them, and the flag's two sides."""
        up_span = self.sentence_span(up, (a.start, a.end))
        down_spans = [self.sentence_span(d, (s, t)) for d, s, t in downs]
        claim_idx = [m for art, s, t in [(up, a.start, a.end), *downs] for m in self.claims_in(art, (s, t))]
        arts_b = list(dict.fromkeys(d for d, _, _ in downs))
        sides = {"side_a": {"article_ids": [up], "origin_groups": [self.origin(up)], "sentences": [up_span]},
                 "side_b": {"article_ids": arts_b, "origin_groups": sorted({self.origin(d) for d in arts_b}),
                            "sentences": down_spans}}
        return up_span, down_spans, claim_idx, sides

    def _changed_flag(self, up: str, changes: list[tuple[ReuseEdge, Span, Span, tuple[str, str, str, str]]]) -> Flag:
        """One ``changed-in-rewrite`` flag: the source sentence on side A, the rewrites'
        sentences that changed it the same way on side B."""
        _, a, _, (kind, va, vb, context) = changes[0]
        downs = sorted(dict.fromkeys((self._pair_down(e, up), b.start, b.end) for e, _, b, _ in changes),
                       key=lambda x: (self._published(x[0]), x))
        shown = {"negation": f"one says \"{va}\", the other \"{vb}\"",
                 "speaker": f"{context.strip(' ,')} is {va}'s in the source, {vb}'s in the rewrite"}.get(
            kind, f"\"{va.partition(':')[2] or va}\" became \"{vb.partition(':')[2] or vb}\"")
        summary = f"a rewrite changed what its source says ({kind}): {shown}"
        up_span, down_spans, claim_idx, sides = self._one_against_many(up, a, downs)
        evidence = {
            "rule": "contradiction:changed-in-rewrite", "slots": {kind: {"a": [va], "b": [vb]}}, "context": context,
            **sides,
            "edges": [{"source_id": e.source_id, "derived_id": e.derived_id, "kind": e.kind, "score": round(e.score, 4),
                       "upstream": up, "downstream": self._pair_down(e, up)}
                      for e in {(c[0].source_id, c[0].derived_id, c[0].kind): c[0] for c in changes}.values()],
            "pairs": [{"a_article": up, "a_start": a_.start, "b_article": self._pair_down(e, up), "b_start": b.start,
                       "a_value": ch[1], "b_value": ch[2], "context": ch[3]} for e, a_, b, ch in changes],
        }
        key = [f"{up}:{a.start}", kind, va, vb, *(f"{d}:{s}" for d, s, _ in downs)]
        return self.flag("contradiction", claim_idx, [up_span, *down_spans], summary,
                         "contradiction:changed-in-rewrite", self.config.changed_score, evidence, key=key)

    @staticmethod
    def _pair_down(e: ReuseEdge, up: str) -> str:
        return e.derived_id if up == e.source_id else e.source_id

    def slot_sentences(self) -> tuple[list[tuple[str, tuple[int, int]]], dict[str, list[int]]]:
        """Every sentence of the story in reading order (articles by publication), and for each
        slot value the positions of the sentences that state it: contradiction evidence looks
        for one value among thousands of sentences."""
        if self._slot_sentences is None:
            order: list[tuple[str, tuple[int, int]]] = []
            holding: dict[str, list[int]] = {}
            for a, sp, text in self.reading_order():
                for v in self.slots_of(text):
                    holding.setdefault(v, []).append(len(order))
                order.append((a, sp))
            self._slot_sentences = (order, holding)
        return self._slot_sentences

    def sentences_stating(self, side_a: list[int], side_b: list[int], slots_: dict[str, dict[str, list[str]]]
                          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Sentences (of any article of the story) that state one side's value of the differing
        slot, about the same thing (shared frame words), where no claim on that side covers them.

        The claim extractor yields only attributed sentences, so "The plant, due to open on 14
        March, will employ 1,200 people." in an agency's own voice is no claim; without this the
        flag would under-report who says what."""
        out: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])
        covered = {(self.claims[i].article_id, self.sentence_of(self.claims[i].article_id,
                                                                 self.claims[i].content.start))
                   for i in side_a + side_b}
        for t, vals in sorted(slots_.items()):
            va, vb = set(vals["a"]), set(vals["b"])
            fa: set[str] = set()
            fb: set[str] = set()
            for i in side_a:
                fr = self.frames(self.claims[i].content.text, nearest=False)
                fa.update(*(fr.get(v, frozenset()) for v in va))
            for i in side_b:
                fr = self.frames(self.claims[i].content.text, nearest=False)
                fb.update(*(fr.get(v, frozenset()) for v in vb))
            stems = (fa & fb) or (fa | fb)
            if not stems:
                continue
            order, holding = self.slot_sentences()
            for pos in sorted({p for v in va | vb for p in holding.get(v, ())}):
                a, sp = order[pos]
                if (a, sp) in covered:
                    continue
                text = self.sentence_text(a, sp)
                got = self.slots_of(text) - self.past(a, text)  # "since 2019, when they beat Tessaly 3-1"
                for side, mine, theirs in ((0, va, vb), (1, vb, va)):
                    hit = sorted(got & mine)
                    if not hit or got & theirs:
                        continue
                    fr = self.frames(text, nearest=False)
                    if any(fr.get(v, frozenset()) & stems for v in hit):
                        out[side].append(self.sentence_span(a, sp))
                        covered.add((a, sp))
                        break
        return out


def changed_values(up: str, down: str, superseded: frozenset[str] = frozenset(), aligned: bool = True,
                   down_day: str | None = None) -> list[tuple[str, str, str, str]]:
    """What a rewrite's sentence tells otherwise than the source sentence it is aligned to:
    ``(type, value upstream, value downstream, context)``. ``type`` is a slot type (``num``,
    ``pct``, ``date``, ``time``, ``dur``, ``age``, ...; the context is the frame words the two
    values share), one of :func:`aligned_values`' (``opposite``, ``swapped``, ``weekday``,
    ``place``), or ``negation`` (one side says is not so what the other states: the two
    clauses). Figures are compared only where the reuse stage ``aligned`` the two sentences,
    and only in sentences of at most ``_CHANGED_MAX_SLOTS`` figures (not in a table); a figure
    need not share frame words with the other where each sentence has that one figure of its
    type ("*Four* people were injured" / "*Nine* people were hurt"); where either has several,
    the two must be of the same thing. Sentences paired on their words alone differ in their
    figures as often as not ("Twenty-two states enacted 70 restrictions" / "the actions of
    four states"): only the other kinds, told at the same point of the same words. A figure the
    downstream article names as the one it updates (``superseded``: "nine, up from four") is no
    change, nor a bound that reaches the other value ("more than 400" / "412"). ``down_day``:
    the weekday the downstream article was published, which it names for its own day ("drivers
    woke up on Tuesday to the news"), not as the event's."""
    out: list[tuple[str, str, str, str]] = []
    if up.strip() == down.strip():
        return out  # a sentence copied as it stands: most pairs of a copy or a light edit
    if aligned:
        out += _changed_figures(up, down, superseded)
        out += _changed_weekday(up, down, down_day)
    if _TOLD_SITE.search(up) or _TOLD_SITE.search(down):
        out += [x for x in _told_apart(up, down) if x[0] in ("opposite", "swapped", "weekday")
                or (x[0] == "place" and not _respelt(x[1], x[2]))]
    if not (_NEGATION_WORD.search(up) or _NEGATION_WORD.search(down)) or SequenceMatcher(
            None, ALIGN_TOKEN.findall(up.casefold()), ALIGN_TOKEN.findall(down.casefold()),
            autojunk=False).ratio() < _NEGATION_MIN_RATIO:
        return out
    for x, y, flip in ((up, down, False), (down, up, True)):
        if _NEGATIVE.search(x) or _NOT_A_NEGATION.search(y) or y.rstrip().endswith("?"):
            # A restyle says "failed to mention" for "didn't mention", "far from simple" for
            # "isn't simple", "without invoking" for "would not invoke": only a sentence kept
            # nearly word for word with a negation put in or taken out is one turned round.
            continue
        for n in negated_clauses(y):
            if not n.terms <= stems(x) or not _states_negated(n, x):
                continue
            said, stated = y[n.start:n.end], x.strip()
            out.append(("negation", said, stated, "") if flip else ("negation", stated, said, ""))
    return out


#: Words before a weekday that make it a bound or the day of another thing than the event:
#: "since Monday", "until Friday", "next Tuesday".
_NOT_EVENT_DAY = frozenset({"since", "until", "till", "by", "before", "after", "next", "last", "from", "every"})


def _event_weekdays(text: str) -> list[str]:
    """The weekdays ``text`` dates something with, less those a speaking verb up to three
    words before makes the day of the telling ("the ministry said on Monday") and bounds
    (:data:`_NOT_EVENT_DAY`)."""
    toks = ALIGN_TOKEN.findall(text)
    low = [t.casefold() for t in toks]
    return [toks[i] for i, w in enumerate(low) if w in WEEKDAY_NAMES
            and not set(low[max(0, i - 3):i]) & TELLING and not (i and low[i - 1] in _NOT_EVENT_DAY)]


def _changed_weekday(up: str, down: str, down_day: str | None = None) -> list[tuple[str, str, str, str]]:
    """The weekday a rewrite's aligned sentence gives the event otherwise than its source's,
    where each gives one (:func:`_event_weekdays`): "early on *Tuesday*" / "late on *Monday*
    night", in other words around it than :func:`aligned_values` needs; not the rewrite's own
    day of publication (``down_day``), which it names for its own telling."""
    if _DAY_SINCE.search(up) or _DAY_SINCE.search(down):
        return []  # "queues on Tuesday morning, the first rush hour since the bridge was closed"
    wa, wb = _event_weekdays(up), _event_weekdays(down)
    if (len(wa) == 1 and len(wb) == 1 and wa[0].casefold() != wb[0].casefold()
            and wb[0].casefold() != (down_day or "").casefold()):
        return [("weekday", wa[0], wb[0], "")]
    return []


_NEGATION_WORD = re.compile(NEGATION, re.IGNORECASE)
#: A denial in a sentence: the one a rewrite's claim carries may be its source sentence's too.
_DENYING = re.compile(r"\bden(?:y|ies|ied|ying)\b", re.IGNORECASE)
#: What :func:`aligned_values` can find told otherwise (a predicate of :data:`~newstrace.predicates._OPPOSITE`, "X
#: verb Y", a weekday, a place after a preposition): a pair with none of them is not compared
#: for those.
_TOLD_SITE = re.compile(rf"{OPPOSITE_SITE.pattern}|{SWAP_SITE.pattern}|{VALUE_SITE.pattern}|"
                        r"\b(?:in|at|near|outside)\s+the\s+[A-Z]", re.IGNORECASE)  # a sieve: wider is safe
#: Words that say something is not so, or hardly so, besides the negations themselves: a
#: sentence holding one is no plain statement of what another negates.
_NEGATIVE = re.compile(NEGATION + r"|\b(?:nothing|nowhere|cannot|without|lacks?|lacking|fail(?:s|ed|ure|ing)?|"
                       r"refus\w*|unable|absen\w*|far from|free of|nor|minimal|little|few|hardly|barely|scarcely|"
                       r"unharmed|unhurt|den(?:y|ies|ied)|avoid\w*|instead of|rather than|silent)\b", re.IGNORECASE)
#: Negation words that negate nothing: "none other than", "not without", "not only".
_NOT_A_NEGATION = re.compile(r"\b(?:none other than|not without|not only|not just|no less than|no doubt|"
                             r"nothing but|next to no)\b", re.IGNORECASE)
#: How alike (token sequence ratio) two sentences must be for a negation put in or taken out.
_NEGATION_MIN_RATIO = 0.6
#: How a whole sentence ends (a quotation or a bracket may close it).
_SENTENCE_ENDS = frozenset('.!?"\'\u201d\u2019)')
#: Figures beyond which a sentence is a table or a list of results, not one statement.
_CHANGED_MAX_SLOTS = 6


def _word_before(text: str, slot: str) -> str:
    """The word right before the first figure of ``text`` that states ``slot`` ("" if none; a
    duration is read whole, "for *three and a half* years")."""
    toks = frame_tokens(text)
    at = next((toks[i][0] for i, found in slot_sites(text, toks, months=True) if found == slot), None)
    if at is None and slot.startswith("dur:"):
        at = next((m.start() for m in DURATION.finditer(text) if slot in read_slots(m.group(0))), None)
    if at is None:  # "Kellner, *58*, was rescued": the age is read with the name before it
        digits = slot.partition(":")[2].partition("-")[0]
        hit = re.search(rf"(?<![\d.,]){re.escape(digits)}(?![\d]|[.,]\d)", text) if digits.isdigit() else None
        at = hit.start() if hit else None
    before = frame_tokens(text[:at]) if at else []
    return before[-1][2].casefold() if before else ""


def _changed_figures(up: str, down: str, superseded: frozenset[str]) -> list[tuple[str, str, str, str]]:
    """The figures :func:`changed_values` finds changed between two aligned sentences."""
    su, sd = claim_slots(up), claim_slots(down)
    if (not su or not sd or max(len(su), len(sd)) > _CHANGED_MAX_SLOTS
            or TWO_READINGS.search(up) or TWO_READINGS.search(down)
            or not up.rstrip()[-1:] in _SENTENCE_ENDS or not down.rstrip()[-1:] in _SENTENCE_ENDS):
        return []  # a sentence cut short ("slaughtered over 6") may have lost part of a figure
    diff = differing_slots(su, sd)  # told apart below: a bound may reach the other value
    if not diff:
        return []
    nu, nd = figure_notes(up), figure_notes(down)
    fu, fd = slot_frames(up), slot_frames(down)
    cu, cd = counted_nouns(up), counted_nouns(down)
    lu, ld = later_figures(up), later_figures(down)
    loose = loose_figures(up) | loose_figures(down)
    out = []
    for t, (va, vb) in diff.items():
        alone = sum(slot_type(x) == t for x in su) == 1 and sum(slot_type(x) == t for x in sd) == 1
        for u in va:
            for w in vb:
                if ((not values_disagree(u, w, nu, nd) and not (alone and _same_bound(u, w, nu, nd))) or u in superseded
                        or same_duration(u, w) or figure_of(u) in loose or figure_of(w) in loose):
                    continue
                if t in ("num", "pct") and ((u in lu) != (w in ld) or min(slot_number(u) or 0,
                                                                          slot_number(w) or 0) < 2):
                    continue  # "one of the culprits" / "the two assailants": "one" is seldom a count
                if (cu.get(u) and cd.get(w) and cu[u] != cd[w]) or requested(fu.get(u)) != requested(fd.get(w)):
                    continue  # "60 firefighters" / "85 employees": two counts of two things
                # Of one thing: frame words that meet, or each sentence's one figure of the type
                # counting the same noun ("Four *workers*" / "Nine *workers*") or after the same
                # word ("will *pay* 8 florins" / "will *pay* 18 florins"). A year, or a measure
                # ("500 pound bombs" / "a payload of 3,000 pounds"), only after the same word.
                meet = frozenset() if t == "year" else frames_meet(fu.get(u, frozenset()), fd.get(w, frozenset()))
                counted = (cu.get(u) is not None and cu.get(u) == cd.get(w) and t != "year"
                           and nu.get(u, FigureNote()).unit is None)
                if meet or (alone and (counted or _word_before(up, u) == _word_before(down, w) != "")):
                    out.append((t, u, w, " ".join(sorted(meet))))
    return out


#: Sentences longer than this (a list, a table, a paragraph the splitter could not cut) are not
#: read for a negation said elsewhere.
_NEGATED_MAX_CHARS = 400
#: A sentence as the sentence-level rules hold it: (article, span, text, its words).
_Cand = tuple[str, tuple[int, int], str, frozenset[str]]
#: Frame stems that say on which day, not what: a time's frame without them.
_DAY_STEMS = frozenset(frame_stem(w) for w in (*WEEKDAYS, *cm._MONTHS, "today", "yesterday", "tonight", "morning",
                                               "afternoon", "evening", "night"))
#: A death told by what was found, not by its moment ("recovered the body of"): no update of an
#: earlier "pulled out alive", which would say "later died".
_FOUND_DEAD = re.compile(r"\b(?:body|bodies|remains|found\s+dead)\b", re.IGNORECASE)


def _folded(text: str) -> frozenset[str]:
    """Content words of ``text`` as frame stems (:func:`frame_stem`: "hurt" and "injuries" are
    ``injured``), less function words, generic words and figures."""
    return frozenset(frame_stem(w) for w in ALIGN_TOKEN.findall(text)
                     if w[:1].isalpha() and len(w) > 2 and w.casefold() not in cm._STOP
                     and w.casefold() not in GENERIC and not is_figure(w))


#: Words a statement's subject may start with before its noun ("*The* driver", "*Two* workers").
_DETERMINERS = frozenset("the a an its their his her this these those two three four five six seven eight "
                         "nine ten all both several some many most".split())


#: The verb that says who said a report: "A spokesperson, Lise Tamberg, *said* (that) ...",
#: "..., Fennick Milling *said* in a statement on Wednesday".
_SAID = re.compile(r"\b(?:told\s+(?:\w+\s+){0,3}?(?=that\b)|"
                   # "reported" is no cue here: "No serious injuries were reported, according to ..."
                   + "|".join(sorted((TELLING | {"insisted"}) - {"told", "reported", "wrote"}))
                   + r")\s*(?:that\b)?", re.IGNORECASE)
#: What follows a trailing attribution's verb: where, when and how it was said.
_SAID_HOW = re.compile(r"^\s*(?:in|on|at|to|during|after|late|earlier|this|last|yesterday|today|\W*$)", re.IGNORECASE)


#: "there had been (no) fire at Dunvell": a state of affairs with no subject but "there".
_EXISTENTIAL = re.compile(r"[Tt]here\s+(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\b")


def _reported(clause: str) -> str:
    """``clause`` without the words that say who said it: up to its first reporting verb
    (:data:`_SAID`) where a report follows ("Tamberg said no blasting had been scheduled"),
    else from the comma before that verb ("No contractors were on site, Fennick Milling said in
    a statement"); the clause itself where nothing of two words is left."""
    m = _SAID.search(clause)
    if m is None or '"' in clause[:m.start()] or "\u201c" in clause[:m.start()]:
        return clause
    after, before = clause[m.end():].strip(), clause[:m.start()]
    if len(after.split()) >= 3 and not _SAID_HOW.match(after):
        inner = after
    else:
        inner = before.rsplit(",", 1)[0].strip() if "," in before else ""
    return inner if len(inner.split()) >= 2 else clause


def _has_subject(clause: str) -> bool:
    """Whether a clause opens with a named or nominal subject and has a verb after it ("The
    driver was hurt", "Police arrested ..."), not a pronoun ("It's not the case", "That's not
    right": a speaker's rejoinder, whatever "it" is) nor a fragment ("Not the federal
    government")."""
    if _RELATIVE.search(clause):
        return False  # "two tax cuts that were not paid for": of the cuts, not a statement
    toks = ALIGN_TOKEN.findall(clause)
    k = 0
    while k < len(toks) and toks[k].casefold() in _LEADS:
        k += 1
    if k >= len(toks) or not toks[k][:1].isalpha() or toks[k].casefold() in cm._STOP:
        return False
    return any(t.casefold() in _AUXILIARIES or t.casefold().endswith("ed") for t in toks[k + 1:])


#: Words a speaker opens with ("But understand this", "Well, ..."): no subject.
_OPENERS = frozenset("but and so well now look yes no then also".split())
_LEADS = _DETERMINERS | _OPENERS
_RELATIVE = re.compile(r"\b(?:that|which|who|whom|whose)\b", re.IGNORECASE)
#: A transcript's speaker label ("MCCAIN: ...", "(CROSSTALK) OBAMA: ..."): a debater's words,
#: which the other debater's contradict by design.
_SPEAKER_LABEL = re.compile(r"^\W*(?:\([A-Z]+\)\s*)?[A-Z][A-Z.' -]{2,}:")
#: Verbs that carry a statement's tense: a clause with none after its subject is a fragment.
_AUXILIARIES = frozenset("is are was were has have had do does did will would can could be been".split())


def _shared_counts(term_sets: Sequence[frozenset[str]], at_least: int) -> list[tuple[int, int, int]]:
    """``(k, j, n)`` for each pair ``k < j`` of the sets sharing ``n >= at_least`` terms, in
    order: one sparse product instead of a walk through every term's postings (a large story
    has thousands of sentences with figures, and "said" is in most of them)."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows = [k for k, terms in enumerate(term_sets) for _ in terms]
    cols = [vocab.setdefault(t, len(vocab)) for terms in term_sets for t in terms]
    if not rows:
        return []
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(term_sets), len(vocab)))
    shared = sparse.triu(m @ m.T, k=1).tocoo()
    keep = shared.data >= at_least
    return sorted(zip(shared.row[keep].tolist(), shared.col[keep].tolist(), shared.data[keep].tolist()))


@lru_cache(maxsize=65_536)
def _capitalised(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The capitalised words of ``text``, casefolded, and those of them past its first word,
    weekdays, months and function words aside."""
    words = INNER_WORD.findall(text)
    caps = [w.casefold() for w in words if w[0].isupper()]
    inner = [w.casefold() for w in words[1:] if w[0].isupper()]
    return frozenset(caps), frozenset(w for w in inner if w not in WEEKDAY_NAMES and w not in cm._MONTHS
                                      and w not in cm._STOP)


def _shared_names(a: str, b: str) -> frozenset[str]:
    """Names two texts share: words capitalised in both and inside at least one of them
    (not only its first word). Two sentences naming one person or place ("sentenced Quellan
    to six years" / "Quellan was jailed for four years") are about one thing more surely than
    two that share common words."""
    (caps_a, inner_a), (caps_b, inner_b) = _capitalised(a), _capitalised(b)
    return (inner_a & caps_b) | (inner_b & caps_a)


def _same_bound(u: str, w: str, nu: Mapping[str, FigureNote], nw: Mapping[str, FigureNote]) -> bool:
    """Whether two different figures carry the same open bound ("at least 37" / "at least 137",
    "up to 40" / "up to 400"): two sources' bounds may both hold, but a rewrite that keeps the
    bound and changes the figure changed the figure. An estimate ("about 400" / "some 412") is
    a rounding, not this."""
    x, y = slot_number(u), slot_number(w)
    a, b = nu.get(u), nw.get(w)
    if x is None or y is None or x == y or a is None or b is None or a.low is None or b.low is None:
        return False
    same = (a.money, a.unit, a.rate) == (b.money, b.unit, b.rate)
    return same and ((a.high == b.high == math.inf and a.low == x and b.low == y)
                     or (a.high == x and b.high == y and a.low == b.low and a.low <= 0))


def _respelt(a: str, b: str) -> bool:
    """Whether two place names may be one name garbled ("Volnogorsk" / "Volnograd"): the
    names stage flags those; a rewrite's change of place is another name altogether."""
    return a[:4].casefold() == b[:4].casefold() or fuzz.ratio(a.casefold(), b.casefold()) >= 60


def _states_negated(n: NegatedClause, text_or_stems: str | frozenset[str]) -> bool:
    """Whether a text states a word the negation governs, and every figure it governs ("had not
    admitted 340 patients" says nothing about 14 patients)."""
    said = stated_stems(text_or_stems) if isinstance(text_or_stems, str) else text_or_stems
    return bool(n.negated & said) and _figures(n) <= said


def _bare_act(n: NegatedClause) -> bool:
    """Whether a negated clause is a named subject's act and nothing more ("Malk did not
    score"): no figure, no common noun ("no *patient* had died" is about patients)."""
    words = [w for w in ALIGN_TOKEN.findall(n.positive) if w[:1].isalpha() and w.casefold() not in cm._STOP]
    named = sum(1 for w in words if w[:1].isupper())
    return not _figures(n) and len(n.terms) <= 2 and len(n.terms) - named <= 1


def _figures(n: NegatedClause) -> frozenset[str]:
    """The figures a negation governs ("had not admitted 340 patients": 340)."""
    return frozenset(t for t in n.negated if t[:1].isdigit())


#: Weekdays a rewrite keeps as it rephrases ("allowed back on Thursday").
_WEEKDAY = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")
#: A weekday dating a moment counted from another event, named after it ("on Tuesday morning,
#: the first rush hour since the bridge was closed"): the day is not the event's.
_DAY_SINCE = re.compile(_WEEKDAY.pattern + r"[^.;]*?\bsince\b", re.IGNORECASE)
#: A weekday before the article's date: "last Friday" (:meth:`_Run.relative_date`).
_LAST_WEEKDAY = re.compile(r"\blast\s+(" + _WEEKDAY.pattern + ")", re.IGNORECASE)


def _days_back(published: datetime, day: str) -> int:
    """How many days before ``published`` the latest ``day`` (a weekday's name) fell, 0 for
    the day itself."""
    return (published.weekday() - WEEKDAYS.index(day.casefold())) % 7
#: At most this many origin texts holding a claim's figures are embedded for it, each holding
#: at least this share of the claim's words.
_ANCHORED_REFS = 3
_ANCHORED_MIN_CONTAINMENT = 0.2


#: Contradictions of polarity (one side says it is so, the other not), by rule, and the key
#: they are gathered under (one flag per pair of claim groups, not per pair of claims).
_POLARITY = {"contradiction:assert-vs-deny": "deny", "contradiction:assert-vs-negated": "negated"}


#: When a sentence says something happened: left out to compare what happened, so that
#: "the union refused on Thursday to call off its strike" meets "has agreed to call off".
_WHEN = re.compile(r"\s*\b(?:(?:late|early)\s+)?(?:on|last|this|by)\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
                   r"(?:\s+(?:morning|afternoon|evening|night))?\b|\s*\b(?:yesterday|today|tonight)\b", re.IGNORECASE)


def _side_spans(f: Flag, side: str) -> list[tuple[str, int, int]]:
    """(article, start, end) of what one side of a contradiction flag says: its claims' spans
    and the sentences added for it."""
    ev = f.evidence.get(side, {})
    claims = set(ev.get("claim_ids", []))
    return ([(x["article_id"], x["start"], x["end"]) for x in f.spans if x.get("claim_id") in claims]
            + [(x["article_id"], x["start"], x["end"]) for x in ev.get("sentences", [])])


def _sides_by_article(flags: list[Flag]) -> dict[str, list[tuple[int, int, int, int]]]:
    """Per article, ``(start, end, flag, side)`` of what each side of each flag says
    (:func:`_side_spans`), for :func:`_set_against`."""
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    for k, f in enumerate(flags):
        for side, key in enumerate(("side_a", "side_b")):
            for art, s, e in _side_spans(f, key):
                out.setdefault(art, []).append((s, e, k, side))
    return out


#: A span covering a whole article, for :func:`_set_against` asked about any of its sentences.
_WHOLE = (0, 1 << 62)


def _set_against(covered: dict[str, list[tuple[int, int, int, int]]], a: str, sp_a: tuple[int, int], b: str,
                 sp_b: tuple[int, int]) -> bool:
    """Whether a flag already sets the two sentences against each other: one on each of its
    sides (``covered``: :func:`_sides_by_article`). Two sentences on one side (a wire and its
    rewrite both stating the figure an independent report disputes) are not."""
    on_a = {(k, side) for s, e, k, side in covered.get(a, ()) if s < sp_a[1] and e > sp_a[0]}
    return any((k, 1 - side) in on_a for s, e, k, side in covered.get(b, ()) if s < sp_b[1] and e > sp_b[0])


def _told_apart(a: str, b: str) -> list[tuple[str, str, str, str]]:
    """:func:`aligned_values` of two sentences; where it finds no predicate or names told the
    other way round, again with the day each gives left out (its weekdays aside)."""
    found = aligned_values(a, b)
    if any(t in ("opposite", "swapped") for t, *_ in found):
        return found
    a2, b2 = _WHEN.sub("", a), _WHEN.sub("", b)
    if a2 == a and b2 == b:
        return found
    return found + [t for t in aligned_values(a2, b2) if t[0] in ("opposite", "swapped")]


def _same_lead(a: str, b: str, day_a: str, day_b: str) -> bool:
    """Whether the two words before the weekday are the same in both sentences, one of them a
    content word ("came ashore late on *Friday*" / "late on *Saturday*"): across sentences, a
    shared "on _ evening" after it dates two different events as often as one."""
    def lead(text: str, day: str) -> list[str] | None:
        toks = [t.casefold() for t in ALIGN_TOKEN.findall(text)]
        return toks[toks.index(day.casefold()) - 2:toks.index(day.casefold())] if day.casefold() in toks[2:] else None

    la, lb = lead(a, day_a), lead(b, day_b)
    return bool(la and la == lb and any(w not in cm._STOP and w.isalpha() for w in la))


def _told_key(told: tuple[str, str, str, str]) -> tuple[str, ...]:
    """What a sentence pair told the other way round disagrees on: an opposite predicate's
    family, the two names exchanged, or "weekday"."""
    kind, va, vb, _ = told
    if kind == "opposite":
        found = predicate_sign(va.casefold().split())
        return (kind, found[0] if found else va.casefold())
    if kind == "swapped":
        acts = who_did_what(va)
        return (kind, acts[0][1], *sorted((acts[0][0], acts[0][2]))) if acts else (kind, va.casefold())
    return (kind,)


def _told_side(kind: str, value: str) -> str:
    """Which way a sentence tells it: an opposite predicate's sign, the order of the names, the
    weekday."""
    if kind == "opposite":
        found = predicate_sign(value.casefold().split())
        return str(found[1]) if found else value.casefold()
    if kind == "swapped":  # "X came from behind to beat Y" and "a 2-1 defeat of Y by X" are one side
        acts = who_did_what(value)
        return f"{acts[0][0]} > {acts[0][2]}" if acts else value.casefold()
    return value.casefold()


def _connected(pairs: list[tuple[int, int, Any]]) -> list[list[tuple[int, int, Any]]]:
    """The pairs parted into groups linked by a shared sentence, each in the pairs' order (a
    disagreement has a handful of pairs, so each new pair is merged by scanning the groups)."""
    groups: list[tuple[set[int], list[tuple[int, int, Any]]]] = []
    for p in pairs:
        ends = {p[0], p[1]}
        hit = [g for g in groups if g[0] & ends]
        groups = [g for g in groups if not g[0] & ends]
        merged = sorted([q for g in hit for q in g[1]] + [p], key=pairs.index)
        groups.append((ends.union(*(g[0] for g in hit)), merged))
    return [g[1] for g in groups]


#: Hedge levels of a claim that a denial contradicts.
_DENIABLE = frozenset({"asserted", "reported", "alleged"})


def effective_level(c: Claim) -> str:
    """The claim's hedge level, except that a "reported" level set only by the cue verb itself
    ("the agency reports", "X reported that") is attribution, not a hedge: "reportedly" and
    "unverified reports" soften a claim, a news agency reporting it does not. With no one
    reporting ("the lorry is reported to have crossed") the verb is a hedge."""
    if c.hedge == "reported" and c.cue is not None and c.source is not None and c.hedge_cues and all(
            c.cue.start <= h.start and h.end <= c.cue.end and h.text.casefold() in _REPORT_VERBS
            for h in c.hedge_cues):
        return "asserted"
    return c.hedge


def _attributed(text: str) -> bool:
    return bool(has_attribution(text) or _MORE_ATTRIBUTION.search(text) or _QUOTE_CHARS & set(text))


#: A condition that keeps a statement hypothetical whatever its verb.
_CONDITIONAL = re.compile(r"\b(?:if|unless|provided that|in the event that)\b", re.IGNORECASE)


def _hedge_change(up: str, down: str) -> str | None:
    """How the hedge changed from the upstream to the downstream article, or None.

    ``hedged`` (a sentence with hedge words, level unknown) counts as hedged. A change between
    two hedged levels (reported -> alleged) is left alone: it is wording, not firmness.
    """
    hedged = HEDGED | {"hedged"}
    if up in hedged and down == "asserted":
        return "dropped"
    if up == "asserted" and down in hedged:
        return "added"
    if up == "denied" and down == "asserted":
        return "denial-dropped"
    if up == "asserted" and down == "denied":
        return "denial-added"
    return None


def _span_dict(article_id: str, claim_id: str, span: Any) -> dict[str, Any]:
    return {"article_id": article_id, "claim_id": claim_id, "start": span.start, "end": span.end, "text": span.text}


def _num(x: float) -> float | None:
    return None if x != x else round(x, 4)


def _hit_key(h: _Hit) -> tuple[bool, float]:
    cos = h.cosine if h.cosine == h.cosine else -1.0
    return (h.passed, max(cos, h.containment))


def _better(h: _Hit | None, refs: list[tuple[str, str, tuple[int, int]]],
            best: tuple[_Hit, tuple[str, str, tuple[int, int]]] | None, positions: list[int] | None = None
            ) -> tuple[_Hit, tuple[str, str, tuple[int, int]]] | None:
    """The nearer miss of ``h`` and ``best``; ``h.index`` is into ``refs``, or into the sub-list
    of ``refs`` at ``positions``."""
    if h is None or (best is not None and _hit_key(h) <= _hit_key(best[0])):
        return best
    return h, refs[h.index if positions is None else positions[h.index]]


def _hit_evidence(best: tuple[_Hit, tuple[str, str, tuple[int, int]]] | None) -> dict[str, Any] | None:
    if best is None:
        return None
    h, (article_id, text, span) = best
    return {"article_id": article_id, "start": span[0], "end": span[1], "text": text,
            "cosine": _num(h.cosine), "containment": h.containment}
