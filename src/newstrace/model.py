"""Plain records that flow between stages.

Records are dataclasses with no behaviour beyond derived conveniences, so a stage can run
in this process or on a Ray worker and hand back the same objects. Every offset is a
character offset into ``Article.text`` (the cleaned text that is stored), so evidence can
always be shown by slicing the stored text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Article:
    """One news item, as ingested.

    ``id`` is stable: a hash of the normalised text and the item's source locator, so the
    same input ingested twice gets the same id, while a verbatim copy published at another
    address is a different article (which is what rewrite detection needs to see).
    """

    id: str
    text: str
    source: str
    format: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    language: str | None = None
    raw: bytes = b""
    content_hash: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    """An input item that could not become an article, with a reason a person can act on.

    ``reason`` is a stable machine-readable code (see ``newstrace.errors.REASONS``);
    ``detail`` says what exactly was wrong with this item.
    """

    source: str
    reason: str
    detail: str
    format: str | None = None

    @property
    def id(self) -> str:
        from newstrace.text import stable_hash

        return stable_hash(self.source, self.reason)


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: ``text == article.text[start:end]``."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ArticleStats:
    """Per-article figures computed by the segment stage."""

    article_id: str
    n_chars: int
    n_words: int
    n_sentences: int
    n_paragraphs: int
    n_quotes: int
    n_numbers: int
    mean_sentence_words: float


@dataclass
class Analysis:
    """What a run produced, as plain records, for notebook users of ``newstrace.run``."""

    db_path: str
    articles: list[Article]
    rejections: list[Rejection]
    sentences: dict[str, list[Sentence]]
    stats: dict[str, ArticleStats]
    claims: dict[str, list["Claim"]] = field(default_factory=dict)
    edges: list["ReuseEdge"] = field(default_factory=list)
    origin_groups: list["OriginGroup"] = field(default_factory=list)
    entities: list["Entity"] = field(default_factory=list)
    garbles: list["Garble"] = field(default_factory=list)
    stories: list["Story"] = field(default_factory=list)
    claim_groups: list["ClaimGroup"] = field(default_factory=list)
    flags: list["Flag"] = field(default_factory=list)
    report_dir: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)


# --- Records of the analysis stages -------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A character span of an article's text, with the text it covers (for display)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Claim:
    """An attributed claim: who (source) said (cue) what (content), and how firmly.

    ``source_kind`` is one of ``person``, ``organisation``, ``role``, ``anonymous``, ``none``;
    ``hedge`` one of ``asserted``, ``reported``, ``alleged``, ``speculated``, ``denied``.
    ``source_entity`` is the name the source resolves to (a pronoun or role resolved back to
    the last fitting named mention), or None. ``method`` names the extractor that produced it.
    """

    id: str
    article_id: str
    sentence_index: int
    content: Span
    cue: Span | None = None
    source: Span | None = None
    is_direct_quote: bool = False
    source_kind: str = "none"
    source_entity: str | None = None
    hedge: str = "asserted"
    hedge_cues: tuple[Span, ...] = ()
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    method: str = "rules"


@dataclass(frozen=True)
class Mention:
    """A named mention (person, organisation, place, event) in an article."""

    id: str
    article_id: str
    start: int
    end: int
    text: str
    label: str
    role: str | None = None
    method: str = "spacy"


@dataclass(frozen=True)
class Merge:
    """Why two surface forms were taken to name one entity (or flagged as a garble)."""

    a: str
    b: str
    rule: str
    score: float
    evidence: str = ""


@dataclass
class Entity:
    """A canonical entity across the corpus with every surface form seen for it."""

    id: str
    canonical: str
    label: str
    variants: dict[str, int] = field(default_factory=dict)
    mention_ids: list[str] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)


@dataclass(frozen=True)
class Garble:
    """A mention suspected to be a garbled form of a canonical entity's name."""

    mention_id: str
    article_id: str
    surface: str
    entity_id: str
    canonical: str
    rule: str
    score: float
    evidence: str = ""


@dataclass(frozen=True)
class AlignedPair:
    """Two aligned sentences of a reuse edge, with the scores that aligned them."""

    a_index: int
    b_index: int
    a: Span
    b: Span
    cosine: float | None  # None where the pair was aligned on lexical overlap alone (no sentence vectors)
    lexical: float
    score: float


#: The keys provenance adds to a reuse edge's direction evidence inside an origin group
#: (``provenance.reconcile_edges``): whether the edge is a parent link, the rule, the reason
#: and the article it turns on.
PARENT_KEYS: tuple[str, ...] = ("parent", "parent_rule", "parent_reason", "parent_via")

#: The key of a reuse edge's direction evidence that holds, when provenance found the pair to
#: be one article reporting on the other (``newstrace.restatement``), the judged sentence pairs.
RESTATEMENT_KEY = "restatement"


@dataclass
class ReuseEdge:
    """A reuse relation between two articles.

    ``kind`` is ``copy``, ``edit``, ``rewrite``, ``shared-source`` or ``same-story`` (the last
    is NOT reuse). When ``directed`` is true, ``source_id`` is upstream of ``derived_id``;
    ``direction_evidence`` says why (time, information content, name forms).
    """

    source_id: str
    derived_id: str
    kind: str
    score: float
    rule: str
    features: dict[str, float] = field(default_factory=dict)
    pairs: list[AlignedPair] = field(default_factory=list)
    directed: bool = False
    direction_evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class OriginGroup:
    """Articles that are one source, not many, with the predicted origin article.

    ``origin_id`` is None when the evidence says the origin is not in the corpus.
    """

    id: str
    members: list[str]
    origin_id: str | None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Story:
    """Articles that report one event or development. ``id`` never changes once given out;
    when two stories merge, the older id survives and the event log says so."""

    id: str
    article_ids: list[str]
    title: str | None = None
    first_published: datetime | None = None
    last_published: datetime | None = None


@dataclass
class ClaimGroup:
    """Claims of one story that assert the same thing, counted by independent origin.

    ``n_origins`` counts distinct origin groups (ten rewrites of one story are one), next to the
    raw number of articles and of outlets. ``rule`` says how the members were matched.
    """

    id: str
    story_id: str
    claim_ids: list[str]
    article_ids: list[str]
    origin_ids: list[str]
    outlets: list[str]
    text: str
    speaker: str | None = None
    slots: list[str] = field(default_factory=list)
    hedges: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    rule: str = ""
    score: float = 1.0

    @property
    def n_articles(self) -> int:
        return len(self.article_ids)

    @property
    def n_origins(self) -> int:
        return len(self.origin_ids)

    @property
    def n_outlets(self) -> int:
        return len(self.outlets)


@dataclass
class Flag:
    """A finding a person should check, with everything needed to check it.

    ``kind`` is ``single-origin``, ``embellishment``, ``attribution-dropped``, ``hedge-changed``
    or ``contradiction``. ``spans`` point at the exact sentences behind it
    (``{"article_id", "claim_id", "start", "end", "text"}``); ``rule`` names what fired and
    ``evidence`` holds its scores.
    """

    id: str
    kind: str
    story_id: str | None
    article_ids: list[str]
    claim_ids: list[str]
    spans: list[dict[str, Any]]
    summary: str
    rule: str
    score: float = 1.0
    evidence: dict[str, Any] = field(default_factory=dict)


def restated_pairs(edge: ReuseEdge) -> list[dict[str, Any]]:
    """The judged sentence pairs of an edge provenance found to be one article reporting on the
    other, or both reporting the same people's words (``newstrace.restatement``), for display:
    who ``by`` (the article whose sentence credits or disputes; the edge's source for the
    same speakers), ``why``, the outlet it ``credits``, the ``speakers`` both give voice to,
    and both sentences (``by_text`` and ``other_text``, with ``other`` the other article).
    Empty for any other edge."""
    judged = edge.direction_evidence.get(RESTATEMENT_KEY, {}).get("pairs", [])
    pairs = {(p.a_index, p.b_index): p for p in edge.pairs}
    out = []
    for j in judged:
        p = pairs.get((j["a_index"], j["b_index"]))
        if p is None:
            continue
        on_a = j.get("side") == "a"
        out.append({"why": j["why"], "credits": j.get("credits"), "speakers": j.get("speakers"),
                    "by": edge.source_id if on_a else edge.derived_id,
                    "other": edge.derived_id if on_a else edge.source_id,
                    "by_text": p.a.text if on_a else p.b.text, "other_text": p.b.text if on_a else p.a.text})
    return out
