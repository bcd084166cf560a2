"""View models the templates render: the provenance graph laid out server-side, the timeline,
side-by-side aligned sentences with word differences, and article text cut into annotated
segments.

Why lay the graph out on the server: the page then needs no graph library and no layout
JavaScript; it is inline SVG that prints, screenshots and reads without scripts, and a few
lines of our own JS only toggle the panel of the edge clicked. The layout puts time on the x
axis (rank order, so a burst of copies within a minute does not pile up) and each origin group
on its own lane, so "ten outlets, one source" is visible at a glance.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from newstrace.model import PARENT_KEYS, AlignedPair, Claim, Garble, Mention, OriginGroup, ReuseEdge, Span
from newstrace.web.queries import REUSE_KINDS, ArticleSummary

#: Colour classes for origin groups (``og-0`` ...); the CSS holds the palette.
N_COLOURS = 10
#: Beyond this many articles the graph shows the earliest ones and says so; the timeline and
#: the tables still list all of them.
MAX_GRAPH_NODES = 120
MAX_PAIRS_SHOWN = 60
#: Edges drawn and explained on one page (strongest first); the edges export has all of them.
MAX_EDGES_SHOWN = 300

_TOKEN = re.compile(r"\s+|[^\s]+")
#: The rules of ``provenance.parent_links`` in a reader's words (an unknown one is shown as is).
PARENT_RULE_WORDS = {"strongest": "strongest upstream link", "co-parent": "also a likely parent",
                     "ancestor": "ancestor", "through-parent": "derives through another article",
                     "sibling": "sibling", "weaker-kind": "weaker kind of link", "far-below": "far weaker link",
                     "origin": "into the origin", "shared-source": "shared source",
                     "undirected": "direction not settled"}


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def time_label(value: str | None) -> str:
    dt = parse_time(value)
    return dt.strftime("%Y-%m-%d %H:%M %Z").strip() if dt else "date unknown"


def date_label(article: ArticleSummary) -> str:
    """When an article was published, as lists and the timeline show it: its instant, or else
    its date-only ``published_date`` as a date without a time (the report shows the same),
    or "date unknown"."""
    if parse_time(article.published_at) is not None:
        return time_label(article.published_at)
    return article.published_date or "date unknown"


def delay_label(seconds: float) -> str:
    """'+2h 05m' after the first article: how long the story took to travel."""
    if seconds < 60:
        return "+0m" if seconds < 1 else f"+{int(seconds)}s"
    minutes = int(seconds // 60)
    days, rem = divmod(minutes, 1440)
    hours, mins = divmod(rem, 60)
    if days:
        return f"+{days}d {hours}h"
    return f"+{hours}h {mins:02d}m" if hours else f"+{mins}m"


# --- graph -----------------------------------------------------------------------------------------


@dataclass
class Node:
    id: str
    x: float
    y: float
    colour: str
    label: str
    sublabel: str
    title: str
    is_origin: bool


@dataclass
class Segment:
    text: str
    cls: str = ""
    title: str = ""


@dataclass
class PairView:
    left: list[Segment]
    right: list[Segment]
    score: float
    cosine: float | None
    lexical: float


@dataclass
class EdgeView:
    index: int
    source: ArticleSummary
    derived: ArticleSummary
    kind: str
    score: float
    directed: bool
    rule: str
    path: str = ""
    label_x: float = 0.0
    label_y: float = 0.0
    in_graph: bool = True
    pairs: list[PairView] = field(default_factory=list)
    n_pairs: int = 0
    evidence: list[tuple[str, str]] = field(default_factory=list)
    # Parent link marks (provenance.parent_links): None where the edge carries none (a database
    # analysed before they existed), so the page then shows every edge as before.
    parent: bool | None = None
    parent_rule: str = ""
    parent_reason: str = ""
    parent_via: ArticleSummary | None = None

    @property
    def panel_id(self) -> str:
        return f"edge-{self.index}"

    @property
    def is_parent(self) -> bool:
        return self.parent is True

    @property
    def parent_rule_words(self) -> str:
        return PARENT_RULE_WORDS.get(self.parent_rule, self.parent_rule)

    @property
    def related(self) -> bool:
        """Marked not a parent: evidence of a shared source, an ancestor or a sibling, drawn
        faint so that the derivation tree stands out."""
        return self.parent is False


@dataclass
class Lane:
    y: float
    label: str
    colour: str


@dataclass
class Graph:
    width: float
    height: float
    nodes: list[Node]
    edges: list[EdgeView]
    lanes: list[Lane]
    truncated: int = 0


@dataclass
class TimelineRow:
    article: ArticleSummary
    y: float
    x: float
    colour: str
    when: str
    delay: str


@dataclass
class Timeline:
    width: float
    height: float
    axis_x0: float
    axis_x1: float
    rows: list[TimelineRow]
    start: str
    end: str


def time_order(articles: Iterable[ArticleSummary]) -> list[ArticleSummary]:
    """Known times first, in order; unknown times after, in ingest order (stable)."""
    far = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(articles, key=lambda a: (parse_time(a.published_at) or far))


def colours(articles: Sequence[ArticleSummary], origin_of: dict[str, str]) -> dict[str, str]:
    """Origin group id -> colour class, groups numbered by their earliest member."""
    out: dict[str, str] = {}
    for a in articles:
        g = origin_of.get(a.id)
        if g and g not in out:
            out[g] = f"og-{len(out) % N_COLOURS}"
    return out


def _word_diff(a: str, b: str) -> tuple[list[Segment], list[Segment]]:
    """Words removed from the source and added in the derived sentence, marked."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    if len(ta) > 800 or len(tb) > 800:
        return [Segment(a)], [Segment(b)]
    left: list[Segment] = []
    right: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(Segment("".join(ta[i1:i2])))
            right.append(Segment("".join(tb[j1:j2])))
            continue
        if i2 > i1:
            left.append(Segment("".join(ta[i1:i2]), "del"))
        if j2 > j1:
            right.append(Segment("".join(tb[j1:j2]), "ins"))
    return left, right


def _oriented(edge: ReuseEdge, pair: AlignedPair, texts: dict[str, str]) -> tuple[Span, Span]:
    """(source-side span, derived-side span) of a pair.

    The reuse stage aligns (a, b) before provenance decides the direction, and a flipped edge
    keeps its pairs as aligned; checking which article each span's text comes from keeps the
    side-by-side view right either way.
    """
    src, der = texts.get(edge.source_id, ""), texts.get(edge.derived_id, "")

    def fits(text: str, span: Span) -> bool:
        return text[span.start:span.end] == span.text

    if fits(src, pair.a) and fits(der, pair.b):
        return pair.a, pair.b
    if fits(src, pair.b) and fits(der, pair.a):
        return pair.b, pair.a
    return pair.a, pair.b


def _evidence(edge: ReuseEdge) -> list[tuple[str, str]]:
    out = []
    for k, v in sorted(edge.direction_evidence.items()):
        if k in PARENT_KEYS:  # shown in full above the evidence, not cut to a line here
            continue
        out.append((f"direction: {_side_named(k, edge.directed)}", _short(v)))
    for k, v in sorted(edge.features.items()):
        out.append((k, _short(v)))
    return out[:16]


def _side_named(key: str, directed: bool) -> str:
    """A direction-evidence key with the article it describes: an ``_a`` value is the edge's
    source's (the left article's while no direction is settled), a ``_b`` value the other's."""
    left, right = ("source", "derived") if directed else ("left", "right")
    if key == "time_delta_s":
        return f"seconds from {left} to {right}"
    if key.endswith(("_a", "_b")):
        return f"{key[:-2]} ({left if key.endswith('_a') else right})"
    return key


def _short(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.3f}"
    text = str(v)
    return text if len(text) <= 120 else text[:117] + "..."


def edge_views(edges: Sequence[ReuseEdge], summaries: dict[str, ArticleSummary],
               texts: dict[str, str]) -> list[EdgeView]:
    out: list[EdgeView] = []
    for e in sorted(edges, key=lambda e: -float(e.score)):
        if e.kind not in REUSE_KINDS or e.source_id not in summaries or e.derived_id not in summaries:
            continue
        if len(out) >= MAX_EDGES_SHOWN:
            break
        ev = e.direction_evidence
        view = EdgeView(index=len(out), source=summaries[e.source_id], derived=summaries[e.derived_id],
                        kind=e.kind, score=float(e.score), directed=bool(e.directed), rule=e.rule,
                        n_pairs=len(e.pairs), evidence=_evidence(e),
                        parent=None if ev.get("parent") is None else bool(ev["parent"]),
                        parent_rule=str(ev.get("parent_rule", "")), parent_reason=str(ev.get("parent_reason", "")),
                        parent_via=summaries.get(str(ev.get("parent_via", ""))))
        for p in sorted(e.pairs, key=lambda p: (p.a_index, p.b_index))[:MAX_PAIRS_SHOWN]:
            s, d = _oriented(e, p, texts)
            left, right = _word_diff(s.text, d.text)
            view.pairs.append(PairView(left, right, float(p.score),
                                       None if p.cosine is None else float(p.cosine), float(p.lexical)))
        out.append(view)
    return out


def layout_graph(articles: Sequence[ArticleSummary], edges: list[EdgeView], origin_of: dict[str, str],
                 groups: Sequence[OriginGroup], colour_of: dict[str, str]) -> Graph:
    """Positions for nodes and curved edges: x = time rank, y = origin-group lane.

    Edges bow upward, so the top margin is whatever the highest arc and its label need: the
    lanes are laid out from y = 0 first, the curves measured, then everything is moved down.
    """
    ordered = time_order(articles)
    truncated = max(0, len(ordered) - MAX_GRAPH_NODES)
    shown = ordered[:MAX_GRAPH_NODES]
    origins = {g.origin_id for g in groups if g.origin_id}
    lane_of: dict[str, int] = {}
    for a in shown:
        lane_of.setdefault(origin_of.get(a.id) or f"single:{a.id}", len(lane_of))
    # Spread the nodes over about the page width; below 110 px apart labels collide, so a long
    # story scrolls sideways instead of shrinking.
    dy, left = 100.0, 90.0
    dx = max(110.0, min(170.0, (1180.0 - 2 * left) / max(1, len(shown) - 1)))
    base = {a.id: (left + rank * dx, lane_of[origin_of.get(a.id) or f"single:{a.id}"] * dy)
            for rank, a in enumerate(shown)}
    drawn = [e for e in edges if e.source.id in base and e.derived.id in base]
    highest = min([0.0] + [_curve(base[e.source.id], base[e.derived.id], e.index)[2] for e in drawn])
    top = 56.0 - highest + 14.0  # room for the highest label above the highest arc
    pos = {k: (x, y + top) for k, (x, y) in base.items()}
    width = max(640.0, left * 2 + dx * max(0, len(shown) - 1))
    height = top + dy * max(1, len(lane_of)) + 10
    nodes: list[Node] = []
    for a in shown:
        x, y = pos[a.id]
        g = origin_of.get(a.id)
        nodes.append(Node(id=a.id, x=x, y=y, colour=colour_of.get(g or "", "og-none"),
                          label=_clip(a.outlet or a.title or a.id, 18),
                          sublabel=date_label(a)[:16],
                          title=f"{a.outlet or '?'}: {a.title or '(untitled)'}", is_origin=a.id in origins))
    lanes = []
    seen: set[str] = set()
    for a in shown:
        g = origin_of.get(a.id)
        if g and g not in seen:
            seen.add(g)
            lanes.append(Lane(y=top + lane_of[g] * dy, label=f"origin group {g[:8]}", colour=colour_of.get(g, "og-none")))
    for e in edges:
        if e.source.id not in pos or e.derived.id not in pos:
            e.in_graph = False
            continue
        e.path, e.label_x, e.label_y = _curve(pos[e.source.id], pos[e.derived.id], e.index)
    return Graph(width=width, height=height, nodes=nodes, edges=edges, lanes=lanes, truncated=truncated)


def _curve(p0: tuple[float, float], p2: tuple[float, float], salt: int) -> tuple[str, float, float]:
    """A quadratic curve between two node centres, shortened to the node rims so the arrowhead
    shows; it bows upward by more the farther apart the nodes are, so edges along one lane
    do not hide each other."""
    (x0, y0), (x2, y2) = p0, p2
    mx, my = (x0 + x2) / 2, (y0 + y2) / 2
    dist = math.hypot(x2 - x0, y2 - y0) or 1.0
    bow = min(26 + 0.22 * dist, 260) + (salt % 4) * 10
    nx, ny = -(y2 - y0) / dist, (x2 - x0) / dist  # unit normal
    if ny > 0:  # always bow upward on screen
        nx, ny = -nx, -ny
    cx, cy = mx + nx * bow, my + ny * bow
    r = 17.0

    def toward(px: float, py: float, qx: float, qy: float) -> tuple[float, float]:
        d = math.hypot(qx - px, qy - py) or 1.0
        return px + (qx - px) * r / d, py + (qy - py) * r / d

    sx, sy = toward(x0, y0, cx, cy)
    ex, ey = toward(x2, y2, cx, cy)
    lx, ly = 0.25 * sx + 0.5 * cx + 0.25 * ex, 0.25 * sy + 0.5 * cy + 0.25 * ey
    return f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}", lx, ly


def timeline(articles: Sequence[ArticleSummary], colour_of: dict[str, str], origin_of: dict[str, str]) -> Timeline:
    """Rows in publication order with x proportional to time since the first article."""
    ordered = time_order(articles)
    times = [parse_time(a.published_at) for a in ordered]
    known = [t for t in times if t is not None]
    x0, x1 = 150.0, 430.0
    t0, t1 = (min(known), max(known)) if known else (None, None)
    span = (t1 - t0).total_seconds() if t0 and t1 else 0.0
    rows = []
    for i, (a, t) in enumerate(zip(ordered, times)):
        if t is None or t0 is None:
            x, delay = x1 + 14, "?"
        else:
            frac = (t - t0).total_seconds() / span if span > 0 else 0.0
            x, delay = x0 + frac * (x1 - x0), delay_label((t - t0).total_seconds())
        rows.append(TimelineRow(article=a, y=30 + i * 26, x=x,
                                colour=colour_of.get(origin_of.get(a.id, ""), "og-none"),
                                when=date_label(a), delay=delay))
    return Timeline(width=980, height=44 + 26 * len(rows), axis_x0=x0, axis_x1=x1, rows=rows,
                    start=time_label(t0.isoformat()) if t0 else "", end=time_label(t1.isoformat()) if t1 else "")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


# --- article text ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    cls: str
    title: str = ""


def boilerplate_marks(spans: Iterable[tuple[int, int]]) -> list[Mark]:
    """The outlet's repeated header and footer runs (:mod:`newstrace.boilerplate`)."""
    return [Mark(s, e, "boilerplate", "repeated in other articles of this outlet: left out of reuse and claim groups")
            for s, e in spans]


def claim_marks(claims: Iterable[Claim]) -> list[Mark]:
    out: list[Mark] = []
    for c in claims:
        tip = f"claim ({c.hedge}{', anonymous source' if c.source_kind == 'anonymous' else ''})"
        out.append(Mark(c.content.start, c.content.end, "c-content", tip))
        if c.cue:
            out.append(Mark(c.cue.start, c.cue.end, "c-cue", "attribution cue"))
        if c.source:
            cls = "c-src c-anon" if c.source_kind == "anonymous" else "c-src"
            out.append(Mark(c.source.start, c.source.end, cls,
                            f"source: {c.source_entity or c.source.text} ({c.source_kind})"))
        for h in c.hedge_cues:
            out.append(Mark(h.start, h.end, "c-hedge", f"hedge: {c.hedge}"))
    return out


def entity_marks(mentions: Iterable[Mention], entity_of: dict[str, str], canonical: dict[str, str],
                 garbles: Iterable[Garble]) -> list[Mark]:
    garbled = {g.mention_id: g for g in garbles}
    out: list[Mark] = []
    for m in mentions:
        label = re.sub(r"[^A-Za-z0-9_-]", "", m.label)[:20] or "X"
        name = canonical.get(entity_of.get(m.id, ""), m.text)
        if m.id in garbled:
            g = garbled[m.id]
            out.append(Mark(m.start, m.end, f"ent ent-{label} garble",
                            f"suspected garble of {g.canonical} ({g.rule}, {g.score:.2f})"))
        else:
            out.append(Mark(m.start, m.end, f"ent ent-{label}", f"{m.label}: {name}"))
    return out


def annotate(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece carries the classes of the marks over it.

    Overlapping and nested marks (an entity inside a claim's source inside its content) just
    add classes, so no span is ever cut in two by HTML nesting rules.
    """
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    cuts = sorted({0, n, *(m.start for m in valid), *(m.end for m in valid)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        over = [m for m in valid if m.start <= a and b <= m.end]
        classes = sorted({c for m in over for c in m.cls.split()})
        titles = list(dict.fromkeys(m.title for m in over if m.title))
        out.append(Segment(text[a:b], " ".join(classes), "; ".join(titles)))
    return out


def safe_file_prefix(story_id: str | None) -> str:
    """A download name prefix from a story id, reduced to characters safe in a header."""
    if not story_id:
        return ""
    return re.sub(r"[^A-Za-z0-9_-]", "", story_id)[:40] + "-"
