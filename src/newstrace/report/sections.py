"""The analysis sections of the report, built from the store as plain JSON-able data.

One function per section, so the JSON report, the HTML report and the web UI read the same
shapes. Every finding keeps what a person needs to check it: article ids, character spans
into the stored text, scores, and the rule or model that fired.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from newstrace import codec
from newstrace.model import Article, Claim, ClaimGroup, Mention
from newstrace.store import Store

#: Hedge levels that weaken a claim (everything but a plain assertion).
HEDGED = frozenset({"reported", "alleged", "speculated", "denied"})


def claim_dict(c: Claim) -> dict[str, Any]:
    return codec.to_dict(c)


def claim_summary(article_id: str, claims: list[Claim]) -> dict[str, Any]:
    """Per article: how much rests on anonymous sources, how much is hedged, who is quoted."""
    n = len(claims)
    quotes: Counter[str] = Counter()
    for c in claims:
        if c.is_direct_quote:
            quotes[c.source_entity or (c.source.text if c.source else "(unattributed)")] += 1
    return {
        "article_id": article_id,
        "n_claims": n,
        "n_anonymous": sum(1 for c in claims if c.source_kind == "anonymous"),
        "n_hedged": sum(1 for c in claims if c.hedge in HEDGED),
        "n_direct_quotes": sum(quotes.values()),
        "share_anonymous": round(sum(1 for c in claims if c.source_kind == "anonymous") / n, 4) if n else 0.0,
        "share_hedged": round(sum(1 for c in claims if c.hedge in HEDGED) / n, 4) if n else 0.0,
        "direct_quotes_by": dict(quotes.most_common()),
    }


def edges_section(store: Store, include_same_story: bool = True) -> list[dict[str, Any]]:
    out = []
    for e in store.edges():
        if e.kind == "same-story" and not include_same_story:
            continue
        d = codec.to_dict(e)
        d["features"] = {k: round(float(v), 4) for k, v in e.features.items()}
        out.append(d)
    return out


def origin_groups_section(store: Store) -> list[dict[str, Any]]:
    out = []
    for g in store.origin_groups():
        ev = dict(g.evidence)
        out.append({"id": g.id, "members": g.members, "origin_id": g.origin_id,
                    "rule": ev.pop("rule", ""), "evidence": codec.to_dict(ev)})
    return out


def entities_section(store: Store, mentions: Sequence[Mention] | None = None) -> list[dict[str, Any]]:
    """Entities with more than one mention or form (a lone mention tells a reader nothing).
    ``mentions``: every stored mention, when the caller has read them already."""
    mention_article = dict(store.conn.execute("SELECT mention_id, article_id FROM mention_entity"))
    forms_by_mention = {m.id: m.text for m in (store.mentions() if mentions is None else mentions)}
    out = []
    for e in store.entities():
        if len(e.mention_ids) < 2 and len(e.variants) < 2:
            continue
        by_form: dict[str, set[str]] = defaultdict(set)
        for mid in e.mention_ids:
            if mid in forms_by_mention:
                by_form[forms_by_mention[mid]].add(mention_article.get(mid, ""))
        out.append({"id": e.id, "canonical": e.canonical, "label": e.label, "variants": e.variants,
                    "articles_by_form": {f: sorted(a) for f, a in sorted(by_form.items())},
                    "merges": [codec.to_dict(m) for m in e.merges]})
    return out


def garbles_section(store: Store, mentions: Sequence[Mention] | None = None) -> list[dict[str, Any]]:
    spans = {m.id: (m.start, m.end) for m in (store.mentions() if mentions is None else mentions)}
    out = []
    for g in store.garbles():
        d = codec.to_dict(g)
        d["start"], d["end"] = spans.get(g.mention_id, (None, None))
        out.append(d)
    return out


def stories_section(store: Store) -> list[dict[str, Any]]:
    """Stories with their events (:meth:`Store.story_events`: indexed per story)."""
    out = []
    for s in store.stories():
        d = codec.to_dict(s)
        d["events"] = store.story_events(s.id)
        out.append(d)
    return out


def claim_group_record(g: ClaimGroup) -> dict[str, Any]:
    """A claim group as JSON with its derived counts (``n_articles``, ``n_origins``,
    ``n_outlets``): one function for report.json, the exports and the HTTP API, so a group
    carries the same fields wherever a reader meets it."""
    return {**codec.to_dict(g), "n_articles": g.n_articles, "n_origins": g.n_origins, "n_outlets": g.n_outlets}


def claim_groups_section(store: Store) -> list[dict[str, Any]]:
    return [claim_group_record(g) for g in store.claim_groups()]


def flags_section(store: Store) -> list[dict[str, Any]]:
    return [codec.to_dict(f) for f in store.flags()]


# --- Highlighting (HTML) --------------------------------------------------------------------

#: Priority of overlapping marks: a cue inside a content span shows as the cue.
_PRIORITY = {"garble": 4, "cue": 3, "source": 2, "content": 1}


def highlight_runs(article: Article, claims: list[Claim], garbled: list[tuple[int, int, str]]
                   ) -> list[dict[str, Any]]:
    """The article text as runs of ``{"text", "classes", "title"}`` for the HTML report.

    Runs are computed here, in Python, so the template only ever prints text through Jinja's
    autoescaping: no markup is ever built from article text.
    """
    n = len(article.text)
    mark: list[tuple[int, str, str]] = [(0, "", "")] * n  # (priority, class, title)

    def paint(start: int, end: int, cls: str, title: str) -> None:
        p = _PRIORITY[cls.split()[0]]
        for i in range(max(0, start), min(n, end)):
            if mark[i][0] < p:
                mark[i] = (p, cls, title)

    for c in claims:
        extra = (" anonymous" if c.source_kind == "anonymous" else "") + (" hedged" if c.hedge in HEDGED else "")
        who = c.source_entity or (c.source.text if c.source else "no source")
        title = f"claim {c.id}: {who} ({c.source_kind}); hedge {c.hedge}; {'quote' if c.is_direct_quote else 'paraphrase'}; {c.method}"
        paint(c.content.start, c.content.end, "content" + extra, title)
        if c.source is not None:
            paint(c.source.start, c.source.end, "source" + extra, title)
        if c.cue is not None:
            paint(c.cue.start, c.cue.end, "cue" + extra, title)
        for h in c.hedge_cues:
            paint(h.start, h.end, "cue hedgecue", f"hedge cue ({c.hedge})")
    for start, end, why in garbled:
        paint(start, end, "garble", why)
    runs: list[dict[str, Any]] = []
    i = 0
    while i < n:
        j = i
        while j < n and mark[j] == mark[i]:
            j += 1
        runs.append({"text": article.text[i:j], "classes": mark[i][1], "title": mark[i][2]})
        i = j
    return runs
