"""Attributed claims: who (source) said (cue) what (content), and how firmly.

Spans come from a CRF trained on PolNeAR (``attribution_crf``), which tags every paragraph
with source / cue / content BIO labels; when the model file is missing a dependency-rule
tagger (``rule_labels``) stands in. The spans of a paragraph are then grouped into claims
around their cues, and each claim gets its properties from rules (``hedging``): direct
quote or not, kind of source, the entity a pronoun points back to, hedge level, and the
numbers and dates in its content.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newstrace import attribution_crf as ac
from newstrace.attribution_rules import rule_labels
from newstrace.hedging import ORG_LABELS, hedge_level, source_kind
from newstrace.model import Claim, Span
from newstrace.text import split_sentences, stable_hash

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
DATE_LABELS = frozenset({"DATE", "TIME"})


# --- span tagging -----------------------------------------------------------------------


def tag_paragraph(tokens: Sequence["Token"], method: str = "auto") -> list[str]:
    """BIO labels for one paragraph: ``crf``, ``rules``, or ``auto`` (CRF when installed,
    with contents the rules find for CRF cues that have none)."""
    if method == "rules" or (method == "auto" and ac.model_path() is None):
        return rule_labels(tokens)
    rules = rule_labels(tokens)
    labels = ac.tag_tokens(tokens, rules=rules)
    return fill_from_rules(labels, rules) if method == "auto" else labels


ADD_RULE_ATTRIBUTIONS = True


def _add_unseen_rule_attributions(out: list[str], rule_spans: list[tuple[str, int, int]]) -> list[str]:
    """Rule attributions ("according to X", "X said that") whose every token the CRF left
    unlabelled are added whole; the rules are precise, the CRF is the one with recall."""
    out = list(out)
    free = lambda s, e: all(x == "O" for x in out[s:e])  # noqa: E731
    cues = [(s, e) for c, s, e in rule_spans if c == "cue"]
    for cs, ce in cues:
        if not free(cs, ce):
            continue
        parts = [(c, s, e) for c, s, e in rule_spans if c != "cue"
                 and min(cues, key=lambda q: _gap((s, e), q)) == (cs, ce)]
        if not parts or not all(free(s, e) for _, s, e in parts):
            continue
        for c, s, e in [("cue", cs, ce), *parts]:
            out[s:e] = [f"B-{c}"] + [f"I-{c}"] * (e - s - 1)
    return out


def fill_from_rules(crf: list[str], rules: list[str]) -> list[str]:
    """Add the rule content of a cue the CRF also found but left without content (the CRF
    learnt PolNeAR's habit of leaving "according to" content unmarked, which a claim needs),
    where those tokens are unlabelled by the CRF."""
    out = list(crf)
    crf_spans, rule_spans = ac.spans_from_bio(crf), ac.spans_from_bio(rules)
    if ADD_RULE_ATTRIBUTIONS:
        out = _add_unseen_rule_attributions(out, rule_spans)
        crf_spans = ac.spans_from_bio(out)
    crf_has = {c for c, _, _ in crf_spans}
    if "cue" not in crf_has:
        return out
    if "content" in crf_has and sum(c == "content" for c, _, _ in crf_spans) >= sum(
            c == "cue" for c, _, _ in crf_spans):
        return out
    rule_cues = [(s, e) for c, s, e in rule_spans if c == "cue"]
    crf_cues = [(s, e) for c, s, e in crf_spans if c == "cue"]
    for c, s, e in rule_spans:
        if c != "content" or any(x != "O" for x in out[s:e]):
            continue
        near = min(rule_cues, key=lambda q: _gap((s, e), q), default=None)
        if near is None or not any(_gap(near, q) == 0 and q[0] < near[1] for q in crf_cues):
            continue
        crf_near = min(crf_cues, key=lambda q: _gap((s, e), q))
        if any(cc == "content" and _gap((cs, ce), crf_near) <= 2 for cc, cs, ce in crf_spans):
            continue
        out[s:e] = ["B-content"] + ["I-content"] * (e - s - 1)
    return out


# --- grouping spans into attributions -------------------------------------------------------


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def group_spans(tokens: Sequence["Token"], labels: Sequence[str]) -> list[dict]:
    """Attributions of one paragraph: each cue with the source and content spans nearest to
    it (token ranges in doc indices). A source or content is linked to the cue it hangs under
    in the parse when there is one, else to the nearest cue; contents may be several
    fragments (a quote interrupted by "he said")."""
    spans = [(c, tokens[s].i, tokens[e - 1].i + 1) for c, s, e in ac.spans_from_bio(labels)]
    cues = [(s, e) for c, s, e in spans if c == "cue"]
    if not cues:
        return []
    doc = tokens[0].doc
    groups = [{"cue": c, "source": [], "content": []} for c in cues]

    def owner(span: tuple[int, int]) -> int:
        # The parse link: the span's root hangs (transitively, 3 steps) under a cue token.
        node = doc[span[0]:span[1]].root
        for _ in range(3):
            node = node.head
            for k, (cs, ce) in enumerate(cues):
                if cs <= node.i < ce:
                    return k
            if node.head.i == node.i:
                break
        return min(range(len(cues)), key=lambda k: (_gap(span, cues[k]), cues[k][0] < span[0]))

    for comp, s, e in spans:
        if comp != "cue":
            groups[owner((s, e))][comp].append((s, e))
    for g in groups:
        if len(g["source"]) > 1:  # keep the nearest source
            g["source"] = [min(g["source"], key=lambda sp: _gap(sp, g["cue"]))]
    return groups


# --- claim properties -----------------------------------------------------------------------


def _is_quoted(text: str, start: int, end: int) -> bool:
    """Content wrapped in quotation marks (straight or curly), marks inside or just outside."""
    frag = text[start:end].strip()
    before = text[max(0, start - 2):start].strip()
    after = text[end:end + 2].strip()
    q_open, q_close = ac.QUOTES | {"\u2018"}, ac.QUOTES | {"\u2019"}
    opens = frag[:1] in q_open or before[-1:] in q_open
    closes = frag[-1:] in q_close or frag[-2:-1] in q_close or after[:1] in q_close
    return opens and closes


def _resolve(doc: "Doc", source: Sequence["Token"]) -> tuple[str, str | None]:
    """(kind, entity) for a source: a pronoun or a definite role points back to the last
    fitting named mention before it (a PERSON for he/she/a person role, an ORG for it/they)."""
    ids = {t.i for t in source}
    root = next((t for t in source if t.head.i not in ids or t.head.i == t.i), source[0])
    after = doc[source[-1].i + 1: min(len(doc), source[-1].i + 12, source[-1].sent.end)]
    kind = source_kind(source, " ".join(t.lower_ for t in after if not t.is_space))
    named = [t for t in source if t.ent_type_ == "PERSON"] if kind == "person" else []
    named = named or [t for t in source if t.ent_type_ in ORG_LABELS]
    if kind in ("person", "organisation") and named:
        i = named[0].i
        hit = next((text for s, e, _, text in _doc_ents(doc) if s <= i < e), None)
        return kind, hit if hit is not None else root.text
    definite = source[0].lower_ == "the" and len(source) <= 3
    if kind == "pronoun" or (kind in ("role", "organisation") and definite and not named):
        want = {"he", "she", "him", "her"}
        labels = ("PERSON",) if root.lower_ in want or kind == "role" else tuple(ORG_LABELS)
        # A name used as a modifier ("the Kestrel shipyard") is not a referent.
        prior = None
        if root.lower_ not in ("i", "we", "you"):
            first = source[0].i
            # The nearest fitting entity before the source, latest first (a Span's root costs
            # a walk over its tokens, so only candidates are built).
            for s, e, label, text in reversed(_doc_ents(doc)):
                if e > first or label not in labels:
                    continue
                head = doc[s:e].root
                if not (head.dep_ in ("compound", "amod") and head.head.pos_ == "NOUN"):
                    prior = (label, text)
                    break
        if prior:
            return ("person" if prior[0] == "PERSON" else "organisation"), prior[1]
        return ("role" if kind == "pronoun" and root.lower_ in want else
                "organisation" if kind == "pronoun" else kind), None
    return kind, None


def _ents_in(doc: "Doc", spans: list[tuple[int, int]], labels: frozenset[str]) -> tuple[str, ...]:
    """Texts of the entities of ``labels`` inside the token ranges ``spans`` (as ``Span.ents``
    would give, from a list of the Doc's entities built once per Doc)."""
    out: list[str] = []
    for s, e in spans:
        for start, end, label, text in _doc_ents(doc):
            if start >= s and end <= e and label in labels and text not in out:
                out.append(text)
    return tuple(out)


def _doc_ents(doc: "Doc") -> list[tuple[int, int, str, str]]:
    """(start, end, label, text) of the Doc's entities, built once per Doc: ``doc.ents`` and
    ``Span.ents`` rebuild every entity Span of the whole Doc on each call, which made claim
    building quadratic in the article's length."""
    ents = doc.user_data.get("newstrace_ents")
    if ents is None:
        ents = doc.user_data["newstrace_ents"] = [(e.start, e.end, e.label_, e.text) for e in doc.ents]
    return ents


def _char_span(doc: "Doc", s: int, e: int) -> Span:
    a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
    return Span(a, b, _text(doc)[a:b])


def _text(doc: "Doc") -> str:
    """``doc.text``, built once per Doc: spaCy joins every token each time it is asked,
    which made claim building quadratic in the article's length."""
    text = doc.user_data.get("newstrace_text")
    if text is None:
        text = doc.user_data["newstrace_text"] = doc.text
    return text


def build_claim(doc: "Doc", article_id: str, group: dict, sent_starts: list[int],
                method: str) -> Claim | None:
    """A Claim from one grouped attribution, or None when it has no content."""
    if not group["content"]:
        return None
    contents = sorted(group["content"])
    c0, c1 = contents[0][0], contents[-1][1]
    content = _char_span(doc, c0, c1)
    cue = _char_span(doc, *group["cue"])
    cue_toks = list(doc[group["cue"][0]:group["cue"][1]])
    src_toks = [t for s, e in group["source"] for t in doc[s:e]]
    content_toks = [t for s, e in contents for t in doc[s:e]]
    source = _char_span(doc, *group["source"][0]) if group["source"] else None
    kind, entity = _resolve(doc, src_toks) if src_toks else ("none", None)
    level, hedge_toks = hedge_level(cue_toks, src_toks, content_toks)
    direct = all(_is_quoted(_text(doc), *(_char_span(doc, s, e).start, _char_span(doc, s, e).end))
                 for s, e in contents)
    sentence_index = max(0, bisect.bisect_right(sent_starts, cue.start) - 1)
    return Claim(
        id=stable_hash(article_id, str(content.start), str(content.end)),
        article_id=article_id,
        sentence_index=sentence_index,
        content=content,
        cue=cue,
        source=source,
        is_direct_quote=direct,
        source_kind=kind,
        source_entity=entity,
        hedge=level,
        hedge_cues=tuple(Span(t.idx, t.idx + len(t.text), t.text) for t in hedge_toks),
        numbers=_ents_in(doc, contents, NUMBER_LABELS),
        dates=_ents_in(doc, contents, DATE_LABELS),
        method=method,
    )


# --- public API -----------------------------------------------------------------------------


def extract_groups(doc: "Doc", method: str = "auto") -> list[dict]:
    """Grouped attributions (token ranges) for every paragraph of ``doc``."""
    groups: list[dict] = []
    for toks in ac.paragraph_tokens(doc):
        groups.extend(group_spans(toks, tag_paragraph(toks, method)))
    return groups


def extract_claims(doc: "Doc", article_id: str, method: str = "auto", facts: bool = False) -> list[Claim]:
    """Every attributed claim in an article, in text order.

    With ``facts``, sentences that carry no attribution but state a number or a date in the
    article's own voice ("The plant will employ 1,200 workers") become unattributed claims
    too (``method="fact-rules"``, ``source_kind="none"``): corroboration counts them across
    articles and finds contradictions in them. PolNeAR does not annotate them, so the
    benchmark leaves them out.

    ``doc`` is the spaCy Doc of the whole article text (``newstrace.nlp.spacy_pipeline("full")``),
    so character offsets are offsets into the article. ``sentence_index`` counts sentences as
    ``newstrace.text.split_sentences`` does, to line up with the stored Sentence records.
    """
    used = "crf" if method == "crf" or (method == "auto" and ac.model_path() is not None) else "rules"
    sent_starts = [s for s, _ in split_sentences(_text(doc))]
    claims = []
    seen: set[str] = set()
    groups = extract_groups(doc, method)
    taken = [sp for g in groups for sp in [g["cue"], *g["content"]]]
    for g in groups + hedge_only_groups(doc, taken):
        claim = build_claim(doc, article_id, g, sent_starts, g.get("method", used))
        if claim is not None and claim.id not in seen:
            seen.add(claim.id)
            claims.append(claim)
    if facts:
        claims.extend(fact_claims(doc, article_id, claims))
    return sorted(claims, key=lambda c: (c.content.start, c.content.end))


def fact_claims(doc: "Doc", article_id: str, claims: Sequence[Claim]) -> list[Claim]:
    """Unattributed statements of a number or date: sentences no claim touches that hold a
    number or date entity. Headline-like first lines and datelines are skipped (no verb)."""
    taken = sorted((c.content.start, c.content.end) for c in claims)
    taken += sorted((c.cue.start, c.cue.end) for c in claims if c.cue is not None)
    out = []
    for i, (s, e) in enumerate(split_sentences(_text(doc))):
        if any(a < e and b > s for a, b in taken):
            continue
        span = doc.char_span(s, e, alignment_mode="contract")
        if span is None or span.root.pos_ not in ("VERB", "AUX"):
            continue  # datelines and bylines ("Coastline Monitor, 9 February 2026") state nothing
        labels = {label for a, b, label, _ in _doc_ents(doc) if a >= span.start and b <= span.end}
        if not labels & (NUMBER_LABELS | DATE_LABELS) or labels <= {"ORDINAL"}:
            continue
        toks = list(span)
        while toks and (toks[-1].is_punct or toks[-1].is_space):
            toks.pop()
        if len(toks) < 4:
            continue
        content = _char_span(doc, toks[0].i, toks[-1].i + 1)
        level, hedge_toks = hedge_level([], [], toks)
        ranges = [(toks[0].i, toks[-1].i + 1)]
        out.append(Claim(
            id=stable_hash(article_id, str(content.start), str(content.end)),
            article_id=article_id, sentence_index=i, content=content, cue=None, source=None,
            is_direct_quote=False, source_kind="none", source_entity=None, hedge=level,
            hedge_cues=tuple(Span(t.idx, t.idx + len(t.text), t.text) for t in hedge_toks),
            numbers=_ents_in(doc, ranges, NUMBER_LABELS), dates=_ents_in(doc, ranges, DATE_LABELS),
            method="fact-rules",
        ))
    return out


_HEDGE_ADVERBS = frozenset({"reportedly", "allegedly", "supposedly", "purportedly", "reputedly"})


def hedge_only_groups(doc: "Doc", taken: list[tuple[int, int]]) -> list[dict]:
    """Source-less claims carried by a hedge adverb alone ("The plant will reportedly supply
    drones"), which PolNeAR does not annotate (no cue) but a reader needs flagged. The adverb
    is the cue, its clause the content; skipped where a found claim already covers it."""
    out = []
    for tok in doc:
        if tok.lower_ not in _HEDGE_ADVERBS or any(s <= tok.i < e for s, e in taken):
            continue
        head = tok.head
        s, e = head.left_edge.i, head.right_edge.i + 1
        while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
            e -= 1
        if e - s >= 3:
            out.append({"cue": (tok.i, tok.i + 1), "source": [], "content": [(s, e)],
                        "method": "hedge-rules"})
    return out


def extract_claims_from_text(text: str, article_id: str, method: str = "auto") -> list[Claim]:
    """Parse ``text`` with the full spaCy pipeline and extract its claims."""
    from newstrace.nlp import spacy_pipeline

    return extract_claims(spacy_pipeline("full")(text), article_id, method)
