"""Provenance: which way each reuse edge points, and which article a group comes from.

Evidence, strongest first:

* **publication time**, where both dates are known and differ: the later article cannot be
  the source;
* **an update note**, between two versions of one outlet's article (same URL or outlet): the
  version saying "This article was updated ..." (or "Correction:", "UPDATE 2-") is the later
  one, whatever their publication times say (an article edited in place often keeps its time);
* **credit**: one article names the other's outlet in its text ("VSNA reports", "This article
  first appeared in The Meridian Post") and not the reverse: the credited one is upstream;
* **name garbling** (optional, per article from the entities stage): the article whose names
  match the rest of the corpus is upstream of the one that garbles them;
* **information content**: a rewrite condenses and restyles; it drops numbers, quotes and
  names far more often than it adds them, and adds generic framing (exclamations, shouting,
  stock intensifiers). Compared lexicographically in that order (:class:`InfoProfile`).

Shared vocabulary does not work for direction here: a restyled rewrite is longer than its
original and contains most of it, so containment points the wrong way (measured: 0.52 on
SheepDog dev, against 0.83 for the profile).

Groups are formed by average linkage over the scored pairs (single linkage would let one
same-story pair chain two groups); each group's origin is the member that is upstream in the
most pairwise comparisons, unless the members reproduce a press release that is not in the
corpus (:mod:`newstrace.press_release`): the organisation's statement is then the unseen
origin.

Inside a group, each derived article gets its **parents** (:func:`parent_links`): of the
articles upstream of it, the one with the strongest evidence (kind first, then score), after
two lineage tests on every candidate that itself derives from another candidate. An article
that carries the intermediate's own names and numbers (or is much closer to it) derives
*through* it, so the earlier article is an ancestor, not a parent; one that does not is the
intermediate's *sibling*. Every edge is kept as evidence; the parent marks ride on the edges'
direction evidence (:func:`reconcile_edges`). All functions are pure: records and edges in,
records out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache, partial
from typing import Any

from newstrace.model import PARENT_KEYS, RESTATEMENT_KEY, OriginGroup, ReuseEdge
from newstrace.press_release import RULE_NOT_IN_CORPUS, GroupMember, judge_origin, shared_release
from newstrace.restatement import OutletNames, Voices, demote_restatements
from newstrace.reuse import REUSE_KINDS, Record, as_records
from newstrace.text import stable_hash

@dataclass(frozen=True)
class ProvenanceConfig:
    """Settings; ``link_threshold`` is on the reuse score scale (see ``ReuseConfig``)."""

    link_threshold: float = 0.44
    time_min_seconds: float = 60.0  # closer than this, timestamps say nothing about order
    garble_margin: float = 0.1
    max_group: int = 500  # beyond this, average linkage is skipped (the component is kept whole)
    # Parent links (:func:`parent_links`). A candidate parent this far below the strongest
    # upstream link of the same kind is an ancestor's or a cousin's trace, not a parent.
    parent_margin: float = 0.05
    # An article is put below an intermediate (a rewrite of a rewrite: :func:`lineage`) when the
    # intermediate covers at least this share of its distance from the intermediate's source
    # and it carries ``chain_specifics`` more of the intermediate's own names and numbers than
    # of those it dropped (one can be a coincidence: two rewriters both spell out "Barack
    # Obama"). On SheepDog dev, where every rewrite is made from the original, a sibling covers
    # a quarter of the distance in 11% of the comparisons and half of it in 1.8%; both
    # conditions hold in 2%. Similarity alone is no evidence of a chain: siblings are often
    # closer to each other than to their source (SheepDog: a chain on a gain of a half with at
    # most one of the intermediate's particulars was wrong in all 27 cases). Particulars that
    # another rewrite of the same source holds too do not count: rewriters converge on them.
    chain_specifics: int = 2
    chain_gain: float = 0.25
    # Or when it is a near copy of the intermediate (``copy_score``) that covers nearly all of
    # its distance from the intermediate's source (``copy_gain``) and keeps nothing the
    # intermediate dropped from it: two rewrites of one source are never that alike unless one
    # copies the other (a restyle's copy with its particulars spelt out, "Nine workers", holds
    # none of its own to count). On SheepDog dev the parent links are the same with and
    # without it (command A of docs/benchmarks.md with ``--parents-out``).
    copy_score: float = 0.9
    copy_gain: float = 0.75
    # Upstream links weighed per article (the strongest); the lineage tests cost their square.
    max_candidates: int = 24


_NUMBER_TOKEN = re.compile(r"\b\d[\d,.:/%]*\b")
_QUOTE_CHARS = re.compile(r'["\u201c\u201d]')
_PROPER = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+(?: [A-Z][a-z]+)*")
_SHOUT = re.compile(r"\b[A-Z]{6,}\b")  # long all-caps words; shorter ones are mostly acronyms
# Generic sensational framing; a description of the register, not a list of known texts.
_FRAMING = re.compile(
    r"\b(?:shock\w*|outrag\w*|unbelievabl\w*|brace|heart-?\w*|devastat\w*|jaw-?dropping|mind-?blowing|"
    r"explosive|stunning|incredibl\w*|prepare|folks|bombshell|scandal\w*|horrif\w*|disgust\w*|terrif\w*|"
    r"alarming|astonish\w*|furious|fury|sensational|exclusive|breaking|unprecedented|sheer|utterly|truly)\b",
    re.I,
)
# Typography that publishing systems and people produce and that language-model output (and most
# rewriting pipelines) flattens to ASCII: curly quotes and apostrophes, dashes, ellipses. A copy of
# a published page keeps them; a regenerated text rarely has them.
_TYPOGRAPHY = re.compile("[\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")
# The register of machine (and editorial) paraphrase: connectives and reporting verbs that a
# rewrite adds around the facts it keeps. A description of the register, not a list of known
# texts; counted per 1,000 words, so a long text is not penalised for its length.
_REWRITE_REGISTER = re.compile(
    r"\b(?:additionally|furthermore|moreover|overall|highlight\w*|emphasi[sz]\w*|underscor\w*|notabl\w*|"
    r"significant\w*|various|individuals|regarding|ensur\w*|crucial|delve\w*|expressed|discuss\w*|"
    r"mentioned|stated|utiliz\w*|aims? to|in conclusion|it is (?:important|worth)|however)\b",
    re.I,
)


@dataclass(frozen=True)
class InfoProfile:
    """What an article says specifically, and how much generic framing it adds.

    Rewriting, by people or language models, drops numbers, direct quotes and names far more
    often than it adds them, and restyling adds exclamations, shouting and stock intensifiers.
    A regenerated text also loses the source's typography (``typography``: curly quotes,
    dashes, ellipses) and gains the connectives of paraphrase (``register``: per 1,000 words).
    """

    numbers: int
    quotes: int
    framing: int
    names: int
    words: int
    typography: int = 0
    register: int = 0

    def key(self) -> tuple[int, ...]:
        """Lexicographic order, most telling first: higher means more likely upstream.

        Numbers first (a rewrite rarely invents one), then the publisher's typography, then
        the paraphrase register, then quotes, framing, names and length. Measured on SheepDog
        dev as a whole (picking the original of each gold group): numbers-quotes-framing-names-
        words 0.83; with typography and register inserted after numbers 0.94.
        """
        return (self.numbers, self.typography, -self.register, self.quotes, -self.framing, self.names,
                self.words)


_KEY_NAMES = ("numbers", "typography", "register", "quotes", "framing", "names", "words")


def quoted_spans(text: str, min_chars: int = 10, skip_opening: bool = False) -> list[tuple[int, int]]:
    """Spans inside quotation marks: curly quotes open and close, straight ones alternate.

    With ``skip_opening``, a quotation that opens the text is left out: that is a quoted
    headline (a restyling habit), not a quote of a source.
    """
    spans, start = [], None
    for m in _QUOTE_CHARS.finditer(text):
        ch = m.group(0)
        if start is None and ch != "\u201d":
            start = m.end()
        elif start is not None and ch != "\u201c":
            if m.start() - start >= min_chars and not (skip_opening and start == 1):
                spans.append((start, m.start()))
            start = None
        elif ch == "\u201c":  # an unclosed curly quote: restart at the new one
            start = m.end()
    return spans


def info_profile(text: str) -> InfoProfile:
    """Counts of distinct specifics and of framing marks in ``text``.

    A quotation that opens the text is not counted (see :func:`quoted_spans`).
    """
    quotes = len(quoted_spans(text, skip_opening=True))
    framing = text.count("!") + len(_SHOUT.findall(text)) + len(_FRAMING.findall(text))
    n_words = len(text.split())
    return InfoProfile(
        numbers=len(set(_NUMBER_TOKEN.findall(text))), quotes=quotes, framing=framing,
        names=len(set(_PROPER.findall(text))), words=n_words,
        typography=len(_TYPOGRAPHY.findall(text)),
        register=round(1000 * len(_REWRITE_REGISTER.findall(text)) / max(n_words, 1)),
    )


def upstream_by_info(a: InfoProfile, b: InfoProfile) -> tuple[int, str]:
    """+1 if ``a`` looks upstream of ``b``, -1 if ``b`` does, 0 if nothing differs; and why."""
    for name, x, y in zip(_KEY_NAMES, a.key(), b.key()):
        if x != y:
            return (1 if x > y else -1), name
    return 0, "identical profiles"


def credits(text: str, outlet: str | None) -> bool:
    """Whether ``text`` names ``outlet``: its name (case-insensitive, a leading "The" optional,
    at least six letters: shorter ones match too much) or its acronym
    (:class:`newstrace.restatement.OutletNames`). Asked of every pair of a group's members,
    so a substring pre-test spares most texts the word lookup."""
    if not outlet or not outlet.strip():
        return False
    names = _outlet_names(outlet.strip())
    return names.might_name(text) and outlet.strip() in names.named(text)


@lru_cache(maxsize=4096)
def _outlet_names(outlet: str) -> OutletNames:
    return OutletNames([outlet])


def _credit(a: Record, b: Record) -> str | None:
    """The article whose outlet the other one credits, when only one direction holds."""
    if a.outlet and b.outlet and a.outlet.casefold() == b.outlet.casefold():
        return None  # one outlet: naming itself says nothing about order
    a_credits_b, b_credits_a = credits(a.text, b.outlet), credits(b.text, a.outlet)
    if a_credits_b == b_credits_a:
        return None
    return b.id if a_credits_b else a.id


#: A note that the text was changed after it was first published: "This article was updated
#: at 14:20 to add ...", "Updated: 14:20", "UPDATE 2-", "Correction:", "Editor's note:", a
#: wire's "(Adds comment from ...)".
_UPDATE_NOTE = re.compile(
    r"\bthis (?:article|story|report|post|page) (?:has been|was|had been) (?:updated|corrected|amended|changed)\b"
    r"|(?:^|\n)[ \t]*(?:last[ \t]+)?(?:updated?|correction|clarification|editor['’]s[ \t]+note)\b[ \t]*(?:\d+[ \t]*)?"
    r"(?:at|on)?[ \t]*[:\-–—]"
    r"|(?:^|\n)[ \t]*(?:last[ \t]+)?updated[ \t]+(?:at|on)[ \t]+\d"
    r"|\((?:adds|updates|recasts|changes)[ \t]+(?:with[ \t]+)?(?:comment|comments|details|quotes?|background|figures?)\b",
    re.IGNORECASE)


def update_note(text: str) -> tuple[int, int] | None:
    """The span of the first note saying the text was changed after publication, if any."""
    m = _UPDATE_NOTE.search(text)
    return (m.start(), m.end()) if m else None


def _same_publication(a: Record, b: Record) -> bool:
    """One outlet's article at two moments: the same URL, or the same outlet's name."""
    if a.url and b.url and a.url.strip() == b.url.strip():
        return True
    return bool(a.outlet and b.outlet and a.outlet.casefold() == b.outlet.casefold())


def _updated(a: Record, b: Record) -> str | None:
    """Of two versions of one outlet's article, the earlier when only the other carries an
    update note (an article edited in place often keeps its publication time)."""
    if not _same_publication(a, b):
        return None  # another outlet's copy may predate the update: the note orders nothing there
    na, nb = update_note(a.text), update_note(b.text)
    if (na is None) == (nb is None):
        return None
    return a.id if na is None else b.id


def _direction(a: str, b: str, recs: dict[str, Record], prof: dict[str, InfoProfile],
               garble: dict[str, float] | None, config: ProvenanceConfig) -> tuple[str | None, dict[str, Any]]:
    """Upstream article of the pair ``a``–``b`` (or None if undecided), with the evidence."""
    ev: dict[str, Any] = {}
    ta, tb = recs[a].published_at, recs[b].published_at
    if ta is not None and tb is not None:
        try:
            dt = (tb - ta).total_seconds()
        except TypeError:  # naive vs aware: cannot be compared honestly
            dt = 0.0
        ev["time_delta_s"] = dt
        if abs(dt) >= config.time_min_seconds:
            ev["rule"] = "earlier publication"
            return (a if dt > 0 else b), ev
    earlier = _updated(recs[a], recs[b])
    if earlier is not None:
        later = b if earlier == a else a
        span = update_note(recs[later].text)
        ev["update_note"] = {"article_id": later, "start": span[0], "end": span[1],  # type: ignore[index]
                             "text": recs[later].text[span[0]:span[1]].strip()}  # type: ignore[index]
        ev["rule"] = "the other version of the outlet's article carries an update note"
        return earlier, ev
    credit = _credit(recs[a], recs[b])
    if credit is not None:
        ev["credited_outlet"] = recs[credit].outlet
        ev["rule"] = "the other article credits its outlet"
        return credit, ev
    if garble and a in garble and b in garble and abs(garble[a] - garble[b]) >= config.garble_margin:
        ev["garble_a"], ev["garble_b"] = garble[a], garble[b]
        ev["rule"] = "fewer garbled names"
        return (a if garble[a] < garble[b] else b), ev
    vote, why = upstream_by_info(prof[a], prof[b])
    ev["profile_a"], ev["profile_b"] = asdict(prof[a]), asdict(prof[b])
    if vote == 0:
        ev["rule"] = "undecided"
        return None, ev
    ev["rule"] = f"information content: {why}"
    return (a if vote > 0 else b), ev


def direct_edges(edges: Iterable[ReuseEdge], records: Iterable[Any], garble: dict[str, float] | None = None,
                 config: ProvenanceConfig = ProvenanceConfig(), voices: Voices | None = None,
                 profiles: dict[str, InfoProfile] | None = None) -> list[ReuseEdge]:
    """Orient each reuse edge; ``same-story`` edges pass through undirected.

    A rewrite edge whose overlap is one article restating (with credit) or disputing the other
    is first demoted to ``same-story`` (:func:`newstrace.restatement.demote_restatements`): a
    report about an article has no direction of reuse, and must not join its origin group; so
    is a loose one where an article quotes its own sources (``voices``: each article's speakers
    and people mentioned, from the claims and entities stages). ``profiles`` collects each
    article's :func:`info_profile` for :func:`origin_groups` to reuse (a regex pass over the
    whole text, the costliest part of directing an edge)."""
    recs = {r.id: r for r in as_records(records)}
    prof: dict[str, InfoProfile] = {} if profiles is None else profiles
    out = []
    for e in demote_restatements(edges, recs.values(), voices=voices):
        if e.kind not in REUSE_KINDS or e.source_id not in recs or e.derived_id not in recs:
            out.append(e)
            continue
        for x in (e.source_id, e.derived_id):
            if x not in prof:
                prof[x] = info_profile(recs[x].text)
        up, ev = _direction(e.source_id, e.derived_id, recs, prof, garble, config)
        if up is None:
            out.append(replace(e, directed=False, direction_evidence=ev))
        elif up == e.source_id:
            out.append(replace(e, directed=True, direction_evidence=ev))
        else:
            out.append(flipped(replace(e, directed=True, direction_evidence=ev)))
    return out


def _swap_sides(values: dict[str, Any]) -> dict[str, Any]:
    """Per-side values (features, direction evidence) of an edge turned round: an ``_a`` value
    always belongs to the edge's source, and ``time_delta_s`` is the derived's time minus the
    source's, so that a reader (and a later run, which directs the stored edge again) sees them
    the way the edge points."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "time_delta_s":
            out[key] = -value
        elif key.endswith(("_a", "_b")):
            out[key[:-1] + ("b" if key.endswith("_a") else "a")] = value
        else:
            out[key] = value
    return out


def flipped(e: ReuseEdge) -> ReuseEdge:
    """The edge pointing the other way, with its aligned pairs, per-side features and direction
    evidence swapped, so that ``pair.a`` is always a span of ``source_id`` and ``pair.b`` of
    ``derived_id``, and ``coverage_a`` or ``garble_a`` the source's."""
    pairs = [replace(p, a_index=p.b_index, b_index=p.a_index, a=p.b, b=p.a) for p in e.pairs]
    return replace(e, source_id=e.derived_id, derived_id=e.source_id, pairs=pairs,
                   features=_swap_sides(e.features), direction_evidence=_swap_sides(e.direction_evidence))


# --- Groups ---------------------------------------------------------------------------------


_SAME_STORY_CAP = 0.30


def _link_similarity(e: ReuseEdge, threshold: float) -> float:
    """Similarity used for grouping: copies and edits are certain; a shared-source pair is one
    source by definition (both copy a third text), so it links at the threshold; others use the
    pair score."""
    if e.kind in ("copy", "edit"):
        return 1.0
    if e.kind == "shared-source":
        return max(float(e.score), threshold)
    if e.kind == "same-story":  # on topic, so it may add to an average, but never carry a merge
        return min(float(e.score), _SAME_STORY_CAP)
    return float(e.score)


def _root(parent: dict[str, str], x: str) -> str:
    """The root of ``x`` in a union-find forest (``parent``), halving the path on the way."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def average_link_groups(ids: Sequence[str], edges: Iterable[ReuseEdge], threshold: float,
                        max_group: int = 500) -> list[list[str]]:
    """Average-linkage clusters over scored pairs (an unscored pair counts as 0).

    Only components of pairs at or above ``threshold`` can merge, so the quadratic work stays
    inside small components.
    """
    sim: dict[tuple[str, str], float] = {}
    parent = {i: i for i in ids}
    find = partial(_root, parent)
    for e in edges:
        a, b = sorted((e.source_id, e.derived_id))
        if a not in parent or b not in parent:
            continue
        s = _link_similarity(e, threshold)
        sim[(a, b)] = max(s, sim.get((a, b), 0.0))
        if s >= threshold:
            parent[find(a)] = find(b)
    comps: dict[str, list[str]] = {}
    for i in ids:
        comps.setdefault(find(i), []).append(i)
    groups: list[list[str]] = []
    for members in comps.values():
        if len(members) == 1 or len(members) > max_group:
            groups.append(sorted(members))
            continue
        clusters = [[m] for m in sorted(members)]
        while True:
            best, pair = threshold, None
            for x in range(len(clusters)):
                for y in range(x + 1, len(clusters)):
                    tot = 0.0
                    for a in clusters[x]:
                        for b in clusters[y]:
                            tot += sim.get((a, b) if a < b else (b, a), 0.0)
                    avg = tot / (len(clusters[x]) * len(clusters[y]))
                    if avg >= best:
                        best, pair = avg, (x, y)
            if pair is None:
                break
            x, y = pair
            clusters[x] = sorted(clusters[x] + clusters[y])
            del clusters[y]
        groups.extend(clusters)
    return sorted(groups)


def _copies_together(ids: Sequence[str], edges: Sequence[ReuseEdge], arrival: dict[str, int],
                     config: ProvenanceConfig) -> list[list[str]]:
    """:func:`average_link_groups` with each set of verbatim copies (``copy`` edges of equal
    content hash) as one node, the first to arrive standing for them all.

    The reuse stage links a copy to the first article with its text only (not to every other
    copy, nor to what that article is linked with), so in average linkage the copies of a wire
    story would count as unrelated to everything but one article. As one node they carry that
    article's links, and a group holds all of them or none."""
    parent = {i: i for i in ids}
    find = partial(_root, parent)
    for e in edges:
        if e.kind == "copy" and e.features.get("same_hash", 0.0) >= 1.0 and e.source_id in parent \
                and e.derived_id in parent:
            a, b = find(e.source_id), find(e.derived_id)
            if a != b:
                first, other = (a, b) if arrival[a] < arrival[b] else (b, a)
                parent[other] = first
    rep = {i: find(i) for i in ids}
    if all(rep[i] == i for i in ids):
        return average_link_groups(ids, edges, config.link_threshold, config.max_group)
    mapped = [replace(e, source_id=rep.get(e.source_id, e.source_id), derived_id=rep.get(e.derived_id, e.derived_id))
              for e in edges if rep.get(e.source_id, e.source_id) != rep.get(e.derived_id, e.derived_id)]
    nodes = sorted(set(rep.values()))
    members: dict[str, list[str]] = {}
    for i in ids:
        members.setdefault(rep[i], []).append(i)
    groups = average_link_groups(nodes, mapped, config.link_threshold, config.max_group)
    return sorted(sorted(m for node in g for m in members[node]) for g in groups)


def origin_groups(edges: Sequence[ReuseEdge], records: Iterable[Any], garble: dict[str, float] | None = None,
                  config: ProvenanceConfig = ProvenanceConfig(),
                  profiles: dict[str, InfoProfile] | None = None) -> list[OriginGroup]:
    """Origin groups of the traced articles, singletons included.

    The origin is the member that wins most pairwise direction decisions (time where both dates
    are known, then garbling, then information content). When the group is held together only by
    ``shared-source`` edges, its members draw on a text that is not in the corpus, so the origin
    is None. A verbatim duplicate of the origin joins the group through its ``copy`` edge and
    points at the origin like any derived member. A tie goes to the member with more
    information, then to one whose publication time is known (an undated verbatim copy ties with
    its dated original: only the dated one has evidence of being first), then to the first to
    arrive (``records`` come in ingest order).

    A group whose members reproduce an organisation's press release (:mod:`newstrace.press_release`)
    gets origin None when the release itself is not among them: the earliest reproduction is not
    the source, the organisation's statement is. A record's ``url`` lets the organisation's own
    web host count as the release's publisher.
    """
    recs = {r.id: r for r in as_records(records)}
    # A tie between members (verbatim copies, both undated) goes to the one that arrived first:
    # article ids follow the input's path, so breaking it by id would name a different origin
    # when the same files are read from another folder.
    arrival = {r: k for k, r in enumerate(recs)}
    ids = sorted(recs)
    groups = _copies_together(ids, edges, arrival, config)
    kinds: dict[frozenset[str], str] = {frozenset((e.source_id, e.derived_id)): e.kind for e in edges}
    index_of = {m: k for k, members in enumerate(groups) for m in members}
    inner: dict[int, list[ReuseEdge]] = {}
    for e in edges:
        k = index_of.get(e.source_id)
        if k is not None and k == index_of.get(e.derived_id):
            inner.setdefault(k, []).append(e)
    out = []
    for k, members in enumerate(groups):
        gid = "og-" + stable_hash(*members)
        if len(members) == 1:
            out.append(OriginGroup(gid, members, None, {"rule": "singleton"}))
            continue
        known = {} if profiles is None else profiles
        prof = {m: known[m] if m in known else info_profile(recs[m].text) for m in members}
        wins = {m: 0.0 for m in members}
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                up, _ = _direction(a, b, recs, prof, garble, config)
                if up is not None:
                    wins[up] += 1
        member_kinds = {kinds.get(frozenset((a, b))) for i, a in enumerate(members) for b in members[i + 1 :]}
        member_kinds.discard(None)
        ev: dict[str, Any] = {"wins": wins, "profiles": {m: asdict(p) for m, p in prof.items()},
                              "kinds": sorted(k for k in member_kinds if k)}
        if member_kinds and member_kinds <= {"shared-source", "same-story"}:
            origin = None
            ev["rule"] = "only shared-source links: the common source is not in the corpus"
            release = shared_release({m: recs[m].text for m in members})
            if release is not None:  # says whose text the shared source is
                ev["press_release"] = release.evidence()
        else:
            origin = max(members, key=lambda m: (wins[m], prof[m].key(), recs[m].published_at is not None,
                                                 -arrival[m]))
            ev["rule"] = "upstream of most members (time, then credit, then garbling, then information content)"
            verdict = judge_origin([GroupMember(m, recs[m].text, recs[m].outlet, recs[m].url, recs[m].published_at)
                                    for m in members], origin, config.time_min_seconds)
            if verdict is not None:
                ev["press_release"] = {**verdict.evidence, "verdict": verdict.reason}
                if not verdict.origin_in_corpus:
                    origin = None
                    ev["rule"] = RULE_NOT_IN_CORPUS
        # Who copied whom inside the group; :func:`reconcile_edges` marks the edges with it.
        ev["parent_links"] = parent_links(members, origin, inner.get(k, []), recs, config)
        out.append(OriginGroup(gid, members, origin, ev))
    return out


# --- Parent links ----------------------------------------------------------------------------

#: Reuse kinds that can make one article another's parent, by strength of evidence: a verbatim
#: copy says more about where a text came from than an edit, an edit more than a rewrite. A
#: ``shared-source`` pair is two uses of a third text, so neither is the other's parent.
PARENT_KIND_RANK: dict[str, int] = {"copy": 3, "edit": 2, "rewrite": 1}

_NAME_WORD = re.compile(r"(?<=[a-z0-9,;] )[A-Z][A-Za-z'\u2019-]+")  # capitalised inside a sentence
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")


def specifics(text: str) -> frozenset[str]:
    """The particulars of ``text``: numbers, capitalised words inside a sentence (names, mostly)
    and acronyms.

    These are what tells a copyist's source: a rewrite keeps some and drops others, and misspells
    some, but rarely invents the same one as another rewrite of the same text, while its
    wording converges with every other rewrite's (two language-model paraphrases share a
    register, not the facts one of them dropped). Measured on SheepDog dev, the share of
    rewrites whose parent link points at their original: 0.56 for the strongest link alone,
    0.82 with the lineage tests over all content words, 0.88 over these, 0.90 leaving out those
    another rewrite of the source holds too.
    """
    nums = {n.rstrip(".,:/") for n in _NUMBER_TOKEN.findall(text)}
    return frozenset(nums | set(_NAME_WORD.findall(text)) | set(_ACRONYM.findall(text)))


@dataclass(frozen=True)
class Lineage:
    """Where article ``derived`` sits relative to ``middle``, one of its candidate parents that
    itself derives from ``upper``, another candidate: below ``middle`` (``upper`` is then an
    ancestor, not a parent) or beside it (both derive from ``upper``: siblings)."""

    upper: str
    middle: str
    derived: str
    below: bool
    kept_upper: int  # specifics of ``upper`` that ``middle`` dropped and ``derived`` has
    kept_middle: int  # specifics of ``middle`` that ``upper`` lacks and ``derived`` has
    score_upper: float  # similarity upper–derived
    score_middle: float  # similarity middle–derived
    score_link: float  # similarity upper–middle

    def reason(self, name: Callable[[str], str] = str, ancestor: bool = True) -> str:
        """Why the candidate set aside is not a parent, with the figures that decided it, in
        the words of the edge it marks: "the source" is the candidate set aside, "the derived
        article" ``derived``; ``name`` labels the third article for a reader. ``ancestor``:
        whether ``upper`` is upstream of ``middle`` in the parent links too (else the edge
        between them is itself no parent link, and "ancestor" would overstate it)."""
        if not self.below:  # the candidate set aside is ``middle``
            return (f"sibling, not parent: both derive from {name(self.upper)}; the derived article keeps "
                    f"{self.kept_upper} of the names and numbers the source dropped from it and {self.kept_middle} "
                    f"of the source's own (similarity to the source {self.score_middle:.2f}, to their common "
                    f"source {self.score_upper:.2f}; source to common source {self.score_link:.2f})")
        figures = (f"it keeps {self.kept_middle} of that article's own names and numbers and {self.kept_upper} of "
                   f"those that article dropped from the source (similarity to that article "
                   f"{self.score_middle:.2f}, to the source {self.score_upper:.2f}; source to that article "
                   f"{self.score_link:.2f})")
        mid = name(self.middle)
        if ancestor:
            return (f"ancestor, not parent: the derived article derives through {mid}, which derives from the "
                    f"source; {figures}")
        return f"not a parent: the derived article derives through {mid}, not from the source; {figures}"


def lineage(upper: str, middle: str, derived: str, spec: dict[str, frozenset[str]],
            score: dict[tuple[str, str], float], config: ProvenanceConfig = ProvenanceConfig(),
            convergent: frozenset[str] = frozenset()) -> Lineage:
    """Whether ``derived`` derives through ``middle`` (which derives from ``upper``) or beside it.

    The stemmatic test: a text copied from ``middle`` cannot have what ``middle`` dropped from
    ``upper`` (except by coincidence), and has what ``middle`` added. Similarity alone cannot
    tell: siblings share what their common source says, so two rewrites of one text are often
    more similar to each other than to it. So ``derived`` is below ``middle`` only when it is
    closer to ``middle`` by a clear share of its distance from ``upper`` (the gain,
    ``(s_middle - s_upper) / (1 - s_upper)``: a share, so that a chain of near-copies, all
    close to 1, is judged like a chain of rewrites) and carries clearly more of ``middle``'s own
    specifics than of ``upper``'s dropped ones (``chain_gain``, ``chain_specifics``). Otherwise
    it sits beside ``middle``: without particulars to go by, similarity alone cannot tell a
    rewrite of a rewrite from a sibling, and the common source is then the nearer guess, unless
    ``derived`` is a near copy of ``middle`` (``copy_score``, ``copy_gain``) keeping none of
    what ``middle`` dropped. ``score`` maps (upstream, downstream) pairs to edge
    scores. ``convergent``: particulars that other rewrites of ``upper`` added too, which are
    no mark of ``middle`` (language-model rewrites spell out the same names and titles).
    """
    up, mid, der = spec[upper], spec[middle], spec[derived]
    kept_upper, kept_middle = len(der & (up - mid)), len(der & (mid - up - convergent))
    s_up, s_mid = score[(upper, derived)], score[(middle, derived)]
    gain = (s_mid - s_up) / max(1.0 - s_up, 1e-6)
    below = ((gain >= config.chain_gain and kept_middle - kept_upper >= config.chain_specifics)
             or (s_mid >= config.copy_score and gain >= config.copy_gain and kept_upper == 0))
    return Lineage(upper, middle, derived, below, kept_upper, kept_middle, s_up, s_mid,
                   score.get((upper, middle), float("nan")))


def link_strength(e: ReuseEdge) -> tuple[int, float]:
    """Evidence that ``e.source_id`` is ``e.derived_id``'s parent: kind first, then score."""
    return PARENT_KIND_RANK.get(e.kind, 0), float(e.score)


def _link(parent: bool, rule: str, reason: str, via: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"parent": parent, "rule": rule, "reason": reason}
    if via is not None:
        out["via"] = via
    return out


def parent_links(members: Sequence[str], origin_id: str | None, edges: Iterable[ReuseEdge], recs: dict[str, Record],
                 config: ProvenanceConfig = ProvenanceConfig()) -> dict[str, dict[str, dict[str, Any]]]:
    """Whether each reuse edge inside one origin group is a parent link, and why.

    Returns ``{derived_id: {source_id: {"parent", "rule", "reason"[, "via"]}}}`` for every reuse
    edge between two members (an undirected one under its stored orientation). For each
    derived article, the candidates are its directed ``copy``, ``edit`` and ``rewrite`` edges
    from other members; every candidate that derives from another candidate is put to the
    :func:`lineage` test, which sets aside either the earlier one (``ancestor``) or the later
    one (``sibling``). Of the rest, the parent is the strongest (kind, then score), with any of
    its kind within ``parent_margin`` of it (a text drawn from two sources); the others are
    ``weaker-kind`` or ``far-below``. The group's origin has no parent. ``rule`` is one of
    ``strongest``, ``co-parent``, ``ancestor``, ``through-parent`` (derived through a parent
    that is not this article's descendant), ``sibling``, ``weaker-kind``, ``far-below``,
    ``origin``, ``shared-source``, ``undirected``; ``via`` names the article the verdict turns
    on.
    """
    inside = set(members)

    def label(x: str) -> str:
        """An article as a reader knows it: its outlet, with the start of its id (what
        ``newstrace trace`` accepts); the id alone when the outlet is unknown."""
        r = recs.get(x)
        return f"{r.outlet} ({x[:8]})" if r is not None and r.outlet else x

    out: dict[str, dict[str, dict[str, Any]]] = {}
    incoming: dict[str, dict[str, ReuseEdge]] = {}
    score: dict[tuple[str, str], float] = {}
    for e in edges:
        s, d = e.source_id, e.derived_id
        if e.kind not in REUSE_KINDS or s not in inside or d not in inside or s == d:
            continue
        verdict = out.setdefault(d, {})
        if not e.directed:
            verdict[s] = _link(False, "undirected", "direction not settled: neither is known to be the other's parent")
        elif e.kind not in PARENT_KIND_RANK:
            verdict[s] = _link(False, "shared-source", "shared source: both draw on a third text, neither on the other")
        else:
            score[(s, d)] = max(float(e.score), score.get((s, d), 0.0))
            if d == origin_id:
                verdict[s] = _link(False, "origin", "points into the group's origin, which is upstream of more "
                                                    "members and has no parent in the group")
            elif s not in incoming.get(d, {}) or link_strength(e) > link_strength(incoming[d][s]):
                incoming.setdefault(d, {})[s] = e
    spec: dict[str, frozenset[str]] = {}
    through: dict[tuple[str, str], Lineage] = {}  # the lineage verdict that set a candidate aside
    children: dict[str, list[str]] = {}
    for s_, d_ in score:
        children.setdefault(s_, []).append(d_)
    held_by: dict[str, Counter[str]] = {}  # source -> how many of its rewrites hold each particular

    def specifics_of(x: str) -> frozenset[str]:
        if x not in spec:
            spec[x] = specifics(recs[x].text) if x in recs else frozenset()
        return spec[x]

    def convergent(upper: str, middle: str, derived: str) -> frozenset[str]:
        """The particulars ``middle`` and ``derived`` share, ``upper`` lacks, and a third
        rewrite of ``upper`` holds too: rewriters add them independently. (Both are rewrites
        of ``upper``, so a count above two is a third one's.) Counted once per source, not per
        pair of candidates: a group of hundreds of rewrites is asked about every pair."""
        if upper not in held_by:
            held_by[upper] = Counter(p for x in children.get(upper, ()) for p in specifics_of(x))
        count = held_by[upper]
        return frozenset(p for p in (specifics_of(middle) & specifics_of(derived)) - specifics_of(upper)
                         if count[p] > 2)
    for d, cands in incoming.items():
        ranked = sorted(cands.values(), key=lambda e: (link_strength(e), e.source_id), reverse=True)
        # The lineage tests weigh every pair of candidates, which in a large group of rewrites
        # linked to one another is quadratic per article: only the strongest links are weighed,
        # and a link weaker than all of them is no parent.
        weighed, unweighed = ranked[:config.max_candidates], ranked[config.max_candidates:]
        for x in (d, *(e.source_id for e in weighed)):
            specifics_of(x)
        ids = sorted(e.source_id for e in weighed)
        set_aside: dict[str, list[Lineage]] = {}
        for middle in ids:
            for upper in ids:
                if (upper, middle) in score:
                    lin = lineage(upper, middle, d, spec, score, config, convergent(upper, middle, d))
                    set_aside.setdefault(upper if lin.below else middle, []).append(lin)
        # A cycle of verdicts (possible where directions rest on different rules) sets every
        # candidate aside; the strongest link then stands, so no article loses its parent.
        standing = [e for e in weighed if e.source_id not in set_aside] or weighed[:1]
        standing_ids = {e.source_id for e in standing}
        best = standing[0]
        parents = {e.source_id for e in standing
                   if e.kind == best.kind and float(e.score) >= float(best.score) - config.parent_margin}
        verdict = out.setdefault(d, {})
        for e in weighed:
            s = e.source_id
            if s == best.source_id:
                n = len(ranked) - 1
                others = f" ({n} other upstream link{'s' if n > 1 else ''} set aside)" if n else ""
                verdict[s] = _link(True, "strongest", f"strongest upstream link: {e.kind} {e.score:.2f}{others}")
            elif s in parents:
                verdict[s] = _link(True, "co-parent", f"also a likely parent: {e.kind} {e.score:.2f}, within "
                                   f"{config.parent_margin:.2f} of the strongest link ({label(best.source_id)}, "
                                   f"{best.score:.2f})", best.source_id)
            elif s not in standing_ids:
                # The verdict that names a parent tells the reader most; else the first.
                lins = set_aside[s]
                lin = next((x for x in lins if (x.middle if x.upper == s else x.upper) in parents), lins[0])
                via = lin.middle if lin.upper == s else lin.upper
                verdict[s] = _link(False, "ancestor" if lin.below else "sibling", lin.reason(label), via)
                through[(s, d)] = lin
            elif link_strength(e)[0] < link_strength(best)[0]:
                verdict[s] = _link(False, "weaker-kind", f"a {best.kind} link from {label(best.source_id)} is "
                                   f"stronger evidence than this {e.kind}", best.source_id)
            else:
                verdict[s] = _link(False, "far-below", f"score {e.score:.2f} is far below the strongest upstream "
                                   f"link ({label(best.source_id)}, {best.score:.2f})", best.source_id)
        for e in unweighed:
            verdict[e.source_id] = _link(False, "far-below", f"{e.kind} {e.score:.2f} is weaker than the "
                                         f"{len(weighed)} strongest upstream links, which were weighed",
                                         best.source_id)
    _settle_ancestors(out, through, label)
    return {d: v for d, v in out.items() if v}


def _settle_ancestors(out: dict[str, dict[str, dict[str, Any]]], through: dict[tuple[str, str], Lineage],
                      name: Callable[[str], str]) -> None:
    """Name an article set aside because the derived one derives through an intermediate an
    ``ancestor`` only where it is upstream of that intermediate in the parent links as well; a
    sibling of the intermediate (a sibling edge carries a direction, not a lineage) is
    ``through-parent``."""
    parents = {d: {s for s, v in links.items() if v["parent"]} for d, links in out.items()}

    def upstream_of(x: str) -> set[str]:
        seen: set[str] = set()
        todo = list(parents.get(x, ()))
        while todo:
            y = todo.pop()
            if y not in seen:
                seen.add(y)
                todo.extend(parents.get(y, ()))
        return seen

    for (s, d), lin in through.items():
        if lin.below and s not in upstream_of(lin.middle):
            out[d][s] = {**out[d][s], "rule": "through-parent", "reason": lin.reason(name, ancestor=False)}


def chain_to_origin(article_id: str, groups: Sequence[OriginGroup]) -> str | None:
    """The predicted origin of ``article_id`` (None when it is an origin or a singleton)."""
    for g in groups:
        if article_id in g.members:
            return None if g.origin_id in (None, article_id) else g.origin_id
    return None


def reconcile_edges(edges: Sequence[ReuseEdge], groups: Sequence[OriginGroup]) -> list[ReuseEdge]:
    """Demote reuse edges whose two articles ended in different origin groups to ``same-story``,
    and mark each reuse edge inside a group as a parent link or not.

    A borderline pair (an independent report on the same event can reach the rewrite score on
    topic words alone) is outvoted by average linkage over the whole group; the edge then says
    so instead of accusing an outlet of rewriting. The original kind and rule are kept as
    evidence.

    The parent marks come from the group's ``parent_links`` evidence (:func:`origin_groups`
    decides them, with the texts at hand) and go into ``direction_evidence`` as ``parent``
    (true or false), ``parent_rule``, ``parent_reason`` and ``parent_via``: every edge stays,
    as evidence, and a reader (or ``trace``) can tell the derivation tree from the articles
    that merely share a source.
    """
    group_of = {m: g for g in groups for m in g.members}
    out = []
    for e in edges:
        g = group_of.get(e.source_id)
        if e.kind in REUSE_KINDS and g is not group_of.get(e.derived_id):
            ev = {**e.direction_evidence, "demoted_from": e.kind, "demoted_rule": e.rule}
            out.append(replace(e, kind="same-story", directed=False, direction_evidence=ev,
                               rule=f"{e.rule}; but average linkage puts the two articles in different origin groups"))
            continue
        link = (g.evidence.get("parent_links", {}).get(e.derived_id, {}).get(e.source_id)
                if g is not None and e.kind in REUSE_KINDS else None)
        if link is None:
            out.append(e)
            continue
        marks = {"parent": link["parent"], "parent_rule": link["rule"], "parent_reason": link["reason"]}
        if "via" in link:
            marks["parent_via"] = link["via"]
        out.append(replace(e, direction_evidence={**_without_parent(e.direction_evidence), **marks}))
    return out


def _without_parent(evidence: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in evidence.items() if k not in PARENT_KEYS}


def is_parent_link(edge: ReuseEdge) -> bool | None:
    """Whether ``edge`` is marked a parent link (None: not marked, e.g. a database analysed
    before parent links existed, or an edge between groups)."""
    value = edge.direction_evidence.get("parent")
    return None if value is None else bool(value)


def undo_reconcile(edge: ReuseEdge) -> ReuseEdge:
    """The edge as the reuse stage classified it, before :func:`reconcile_edges` demoted or
    marked it, so provenance can be recomputed from first evidence when new articles arrive."""
    ev = _without_parent(edge.direction_evidence)  # parent marks are recomputed with the groups
    if "demoted_from" not in ev:
        return edge if len(ev) == len(edge.direction_evidence) else replace(edge, direction_evidence=ev)
    kind, rule = ev.pop("demoted_from"), ev.pop("demoted_rule", edge.rule)
    ev.pop(RESTATEMENT_KEY, None)
    return replace(edge, kind=kind, rule=rule, direction_evidence=ev)
