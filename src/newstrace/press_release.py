"""Press releases reproduced by outlets: the release's textual form, and whether an origin
group's common source is an organisation's statement that is not in the corpus.

Why this exists: outlets publish company, agency and party releases verbatim or with a paragraph
of their own. When the release itself was not collected, the earliest reproduction wins every
time comparison and would be named the origin, crediting an outlet with a text that an
organisation wrote. A release has a form that journalism does not have, and reproductions keep
much of it:

* an **announcement** in the release register: "<Org> today announced", "<Org> is pleased to
  announce" (journalists write it too, so on its own it proves nothing);
* an **about section**, the boilerplate "About <Org>" followed by "<Org> is ...";
* a **contact block**: "Media contact:", "Press enquiries", "For more information, contact";
* an **end mark** on a line of its own: "###", "-ends-", "-30-";
* a **source line** "SOURCE <Org>" (the distribution services' closing line);
* an outlet's **introduction** of the text that follows as the statement: "The company released
  the following statement:".

"X said in a statement" and "according to a press release" are reporting *about* a statement:
wire stories carry them all the time, so they are kept as evidence and never decide anything.

The judgement is conservative, because a news story copied by many outlets (wire syndication)
must keep its origin article: the members must agree on one organisation, the release's form
(not just its register) must be present, and the candidate origin must not be the organisation's
own publication (its outlet or web host) nor the complete, earliest copy of the release.
All functions are pure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from newstrace.names import LEGAL_WORDS

ANNOUNCEMENT = "announcement"
ABOUT = "about section"
CONTACT = "contact block"
END_MARK = "end mark"
SOURCE_LINE = "source line"
INTRODUCED = "statement introduced"
ATTRIBUTION = "statement attribution"

#: Kinds that name the announcing organisation and count as a member's vote for it.
ORG_NAMING = frozenset({ANNOUNCEMENT, ABOUT})
#: Parts of a release's own text (not of an outlet's framing).
RELEASE_FORM = frozenset({ABOUT, CONTACT, END_MARK, SOURCE_LINE})
#: The end matter that reproductions drop first; the complete release has it.
CLOSING = frozenset({CONTACT, END_MARK, SOURCE_LINE})
#: Kinds that show the shared text is a release and not a story about one.
FORM_EVIDENCE = RELEASE_FORM | {INTRODUCED}

# A capitalised word of a name ("Group", "Inc.", "O'Neill", "Saint-Gobain"), and a name of up to
# six of them, with the lower-case joiners organisation names use. Spaces and tabs only: a name
# never runs over a line break.
_CAP = r"[A-Z][\w&'\u2019.-]*"
_JOIN = r"(?:&|and|of|for|de|du|der|des|la|le|van|von)"
_ORG = rf"{_CAP}(?:[ \t]+(?:{_JOIN}[ \t]+)?{_CAP}){{0,5}}"
# The start of a line, or of a sentence in a text whose line breaks were flattened.
_ANCHOR = r"(?:^|(?<=[.!?\"\u201d)]\s)|(?<=[.!?\"\u201d)]\s\s))"

_ANNOUNCE = re.compile(
    rf"(?P<org>{_ORG})(?:[ \t]*\([^()\n]{{1,30}}\))?(?:,[ \t]*(?!\d)[^,.;:\n\u2013\u2014]{{2,120}},)?[ \t]+"
    r"(?:today[ \t]+(?:announced|unveiled|launched|introduced|released|reported)|announced[ \t]+today"
    r"|(?:is|are)[ \t]+(?:pleased|proud|delighted|excited|happy)[ \t]+to[ \t]+announce)\b"
)
_ANNOUNCE_TODAY = re.compile(rf"\bToday,[ \t]+(?P<org>{_ORG})[ \t]+announced\b")
# "About Acme Group" followed by "Acme Group is ...", on one line or two.
_ABOUT_REPEATED = re.compile(rf"{_ANCHOR}[ \t]*About[ \t]+(?P<org>{_ORG})[ \t]*:?\s+(?P=org)(?!\w)", re.M)
# "About Acme Group" as a heading of its own line; the paragraph under it must name it again.
_ABOUT_HEADING = re.compile(rf"^[ \t]*About[ \t]+(?P<org>{_ORG})[ \t]*:?[ \t]*$", re.M)
_ABOUT_FOLLOW_CHARS = 300
# Headings that are not an organisation's boilerplate ("About us", "About this show").
_NOT_ORG = frozenset({"us", "this", "that", "these", "those", "our", "me", "my", "it", "author", "authors"})
_CONTACT = re.compile(
    rf"{_ANCHOR}[ \t]*(?:(?:media|press|investor|investors|news|public)[ \t]+(?:relations[ \t]+)?"
    r"(?:contacts?|enquiries|inquiries)|for[ \t]+(?:more|further|additional)[ \t]+information,?[ \t]+"
    r"(?:please[ \t]+)?contact)\b",
    re.M | re.I,
)
_EMAIL = re.compile(r"\b[\w.+-]+@(?P<domain>[\w-]+(?:\.[\w-]+)+)")
_CONTACT_EMAIL_CHARS = 200
_END_MARK = re.compile(r"^[ \t]*(?:#[ \t]?#[ \t]?#|-{1,3}[ \t]*(?i:ends?|30)[ \t]*-{1,3}|ENDS)[ \t]*$", re.M)
_SOURCE_LINE = re.compile(rf"^[ \t]*SOURCE:?[ \t]+(?P<org>{_ORG})[ \t]*$", re.M)
_INTRODUCED = re.compile(
    r"\b(?:released|issued|put[ \t]+out|published|sent|made|shared)[ \t]+the[ \t]+following[ \t]+statement\b", re.I)
_ATTRIBUTION = re.compile(
    r"\b(?:said[ \t]+in[ \t]+(?:a|an[ \t]+emailed|a[ \t]+written|a[ \t]+joint)[ \t]+statement"
    r"|(?:in|according[ \t]+to)[ \t]+a[ \t]+(?:press|news)[ \t]+release)\b", re.I)

# Words of a company's legal form, which a text may or may not repeat ("Acme Group", "Acme").
_LEGAL_FORM = LEGAL_WORDS | {"se"}
# Words an organisation adds to its own publishing channel ("Acme Newsroom", "Acme Press Office").
_CHANNEL = frozenset({"newsroom", "pressroom", "press", "office", "communications", "media", "relations",
                      "investor", "investors", "centre", "center"})
# Second-level labels of country domains ("acme.co.uk"): not part of a name.
_GENERIC_LABELS = frozenset({"www", "co", "com", "org", "net", "gov", "ac", "news", "press", "newsroom", "media"})


@dataclass(frozen=True)
class Marker:
    """One mark of a release in a text: its kind, the matched text and its character offsets,
    and the organisation it names (announcements, about sections and source lines)."""

    kind: str
    text: str
    start: int
    end: int
    org: str | None = None
    detail: str | None = None  # e.g. the e-mail domain of a contact block

    def as_evidence(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}
        if self.org:
            out["org"] = self.org
        if self.detail:
            out["detail"] = self.detail
        return out


def _tokens(name: str) -> list[str]:
    s = re.sub(r"['\u2019]s\b", "", name.casefold())
    toks = re.findall(r"[^\W_]+|&", s)
    return toks[1:] if len(toks) > 1 and toks[0] == "the" else toks


def org_key(name: str) -> str:
    """A comparable form of an organisation's name: case, a leading "The", a possessive and
    trailing legal-form words ("Group", "Inc.") dropped, since texts name one organisation both
    ways ("Acme Group today announced" ... "Acme said")."""
    toks = _tokens(name)
    while len(toks) > 1 and toks[-1] in _LEGAL_FORM:
        toks.pop()
    return " ".join(toks)


def same_org(a: str | None, b: str | None) -> bool:
    """Whether two names are one organisation (equal :func:`org_key`, not empty)."""
    return bool(a and b) and org_key(a) == org_key(b) != ""


def outlet_is_org(outlet: str | None, org: str) -> bool:
    """Whether an outlet's name is the organisation's, allowing for its publishing channel
    ("Acme Group Newsroom", "Acme Press Office"): then the article is the organisation's own."""
    if not outlet:
        return False
    toks = _tokens(outlet)
    while len(toks) > 1 and (toks[-1] in _CHANNEL or toks[-1] in _LEGAL_FORM):
        toks.pop()
    return bool(toks) and " ".join(toks) == org_key(org)


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def host_is_org(url: str | None, org: str) -> bool:
    """Whether a web address is on the organisation's own domain ("altavia.example" for
    "Altavia Group", "www.acme-group.com" for "Acme Group"). Subdomains count ("press.acme.com")."""
    if not url:
        return False
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return False
    labels = host.split(".")[:-1]  # the top-level domain names nobody
    names = {_squash(org_key(org)), _squash(" ".join(_tokens(org)))} - {""}
    return any(_squash(lab) in names for lab in labels if lab not in _GENERIC_LABELS)


def _clean_org(name: str) -> str:
    name = name.strip().rstrip(".,;:")
    return re.sub(r"^(?:The|THE)\s+", "", name) if len(name.split()) > 1 else name


def _about_ok(org: str) -> bool:
    toks = _tokens(org)
    return bool(toks) and toks[0] not in _NOT_ORG and any(ch.isalpha() for ch in org)


def _stripped(m: re.Match[str]) -> tuple[str, int, int]:
    """The match without the spaces its anchor let in, and that text's offsets."""
    g = m.group(0)
    start = m.start() + len(g) - len(g.lstrip())
    return g.strip(), start, start + len(g.strip())


def find_markers(text: str) -> list[Marker]:
    """Every release marker in ``text``, in text order (see the module docstring for kinds),
    each with the matched text and its offsets in ``text``."""
    out: list[Marker] = []
    for rx in (_ANNOUNCE, _ANNOUNCE_TODAY):
        for m in rx.finditer(text):
            org = _clean_org(m.group("org"))
            if org_key(org):
                out.append(Marker(ANNOUNCEMENT, *_stripped(m), org))
    about_at = set()
    for m in _ABOUT_REPEATED.finditer(text):
        org = _clean_org(m.group("org"))
        if _about_ok(org):  # the heading only, not the repeated name under it
            about_at.add(m.start("org"))
            _, start, _ = _stripped(m)
            out.append(Marker(ABOUT, text[start : m.end("org")], start, m.end("org"), org))
    for m in _ABOUT_HEADING.finditer(text):
        org = _clean_org(m.group("org"))
        if m.start("org") in about_at or not _about_ok(org):
            continue
        first = re.escape(org.split()[0])
        if re.search(rf"(?<!\w){first}(?!\w)", text[m.end() : m.end() + _ABOUT_FOLLOW_CHARS]):
            out.append(Marker(ABOUT, *_stripped(m), org))
    for m in _CONTACT.finditer(text):
        email = _EMAIL.search(text, m.end(), m.end() + _CONTACT_EMAIL_CHARS)
        out.append(Marker(CONTACT, *_stripped(m), detail=email.group("domain") if email else None))
    for m in _END_MARK.finditer(text):
        out.append(Marker(END_MARK, *_stripped(m)))
    for m in _SOURCE_LINE.finditer(text):
        out.append(Marker(SOURCE_LINE, *_stripped(m), _clean_org(m.group("org"))))
    for kind, rx in ((INTRODUCED, _INTRODUCED), (ATTRIBUTION, _ATTRIBUTION)):
        for m in rx.finditer(text):
            out.append(Marker(kind, *_stripped(m)))
    return sorted(out, key=lambda k: (k.start, k.kind))


# --- Groups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupMember:
    """What the judgement needs of an origin-group member; ``outlet`` and ``url`` may be
    unknown."""

    id: str
    text: str
    outlet: str | None = None
    url: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class ReleaseFinding:
    """Members of a group that reproduce one organisation's release, with their markers.

    ``organisation`` is the name as written most often; ``naming`` the members whose
    announcement or about section names it; ``form`` the members with a marker of the release's
    form (about section of that organisation, contact block, end mark, its source line, or an
    introduction of the statement)."""

    organisation: str
    naming: tuple[str, ...]
    form: tuple[str, ...]
    markers: Mapping[str, tuple[Marker, ...]]

    def member_form(self, member: str) -> frozenset[str]:
        """The kinds of the release's own form that ``member`` carries (of this organisation)."""
        return frozenset(k.kind for k in self.markers.get(member, ()) if k.kind in RELEASE_FORM
                         and (k.org is None or same_org(k.org, self.organisation)))

    def group_form(self) -> frozenset[str]:
        """The release form kinds seen anywhere in the group: what the complete release has."""
        return frozenset(k for m in self.markers for k in self.member_form(m))

    def evidence(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "members_naming_it": list(self.naming),
            "members_with_release_form": list(self.form),
            "release_form_seen": sorted(self.group_form()),
            "markers": {m: [k.as_evidence() for k in ks] for m, ks in sorted(self.markers.items()) if ks},
            # A contact address on the organisation's own domain says whose release it is.
            "contact_domains": {k.detail: host_is_org(k.detail, self.organisation)
                                for ks in self.markers.values() for k in ks if k.kind == CONTACT and k.detail},
        }


def shared_release(texts: Mapping[str, str]) -> ReleaseFinding | None:
    """The organisation whose release the members of one origin group reproduce, or None.

    Demands, so that a story copied by outlets keeps its origin: (1) at least two members name
    one organisation in an announcement or an about section, and more than half of the members
    that name any organisation name that one (members agree); (2) the release's form is there,
    not just its register: an about section of that organisation, or form markers (contact
    block, end mark, its source line, "released the following statement") of two kinds or in
    two members. Attributions ("said in a statement") never count.
    """
    markers = {m: tuple(find_markers(t)) for m, t in texts.items()}
    named: dict[str, set[str]] = {}  # org key -> members
    spelled: Counter[str] = Counter()
    for m, ks in markers.items():
        for k in ks:
            if k.kind in ORG_NAMING and k.org:
                named.setdefault(org_key(k.org), set()).add(m)
                spelled[k.org] += 1
    if not named:
        return None
    key, naming = max(named.items(), key=lambda kv: (len(kv[1]), kv[0]))
    naming_any = set().union(*named.values())
    if len(naming) < 2 or 2 * len(naming) <= len(naming_any):
        return None
    org = max((s for s in spelled if org_key(s) == key), key=lambda s: (spelled[s], len(s), s))
    form_kinds: dict[str, set[str]] = {}
    for m, ks in markers.items():
        for k in ks:
            if k.kind in FORM_EVIDENCE and (k.org is None or org_key(k.org) == key):
                form_kinds.setdefault(m, set()).add(k.kind)
    kinds = set().union(*form_kinds.values()) if form_kinds else set()
    if not (ABOUT in kinds or len(kinds) >= 2 or len(form_kinds) >= 2):
        return None
    return ReleaseFinding(org, tuple(sorted(naming)), tuple(sorted(form_kinds)), markers)


RULE_NOT_IN_CORPUS = "press release not in the corpus"


@dataclass(frozen=True)
class ReleaseVerdict:
    """Whether the group's candidate origin is the release itself (``origin_in_corpus``), why
    (``reason``), and the evidence, for the group's record."""

    origin_in_corpus: bool
    reason: str
    evidence: dict[str, Any]


def _earliest(member: GroupMember, members: Sequence[GroupMember], time_min_seconds: float) -> bool:
    """No other member is dated earlier by ``time_min_seconds`` or more; an undated member is
    earliest only when nobody is dated (there is then no evidence against it)."""
    dated = [m for m in members if m.published_at is not None and m.id != member.id]
    if member.published_at is None:
        return not dated
    for m in dated:
        try:
            if (member.published_at - m.published_at).total_seconds() >= time_min_seconds:
                return False
        except TypeError:  # naive vs aware: no honest comparison
            continue
    return True


def judge_origin(members: Sequence[GroupMember], candidate: str,
                 time_min_seconds: float = 60.0) -> ReleaseVerdict | None:
    """Whether ``candidate`` (the member the time and content evidence names as origin) is the
    release the group reproduces, or the release is not in the corpus. None when the group shows
    no release (:func:`shared_release`): then nothing changes.

    The release is in the corpus when (a) a member's outlet or web host is the organisation
    (its own publication; the candidate stays the origin either way, the time evidence having
    decided between them), or (b) the candidate carries the release's complete form, every
    form kind seen in the group including its end matter (contact block, end mark or source
    line), and is the earliest member. Otherwise the members reproduce a release that was not
    collected: the candidate is only its earliest reproduction.
    """
    finding = shared_release({m.id: m.text for m in members})
    if finding is None:
        return None
    org = finding.organisation
    ev = finding.evidence()
    ev["candidate_origin"] = candidate
    by_id = {m.id: m for m in members}
    own = {}
    for m in members:
        if outlet_is_org(m.outlet, org):
            own[m.id] = f"outlet {m.outlet!r}"
        elif host_is_org(m.url, org):
            own[m.id] = f"web host of {m.url!r}"
    if own:
        ev["organisation_publications"] = own
        if candidate in own:
            return ReleaseVerdict(True, f"the origin is {org}'s own publication ({own[candidate]})", ev)
        return ReleaseVerdict(True, f"{org}'s own publication is in the group; the earlier evidence names "
                                    "another member", ev)
    cand = by_id[candidate]
    seen, has = finding.group_form(), finding.member_form(candidate)
    names_it = candidate in finding.naming
    complete = names_it and bool(seen & CLOSING) and seen <= has
    earliest = _earliest(cand, members, time_min_seconds)
    ev["candidate"] = {"outlet": cand.outlet, "url": cand.url, "names_organisation": names_it,
                       "release_form": sorted(has), "complete_release_form": complete, "earliest": earliest}
    if complete and earliest:
        return ReleaseVerdict(True, "the origin carries the release's complete form and is the earliest member: "
                                    "it is the release as published", ev)
    why = []
    why.append(f"its outlet {cand.outlet!r} is not {org}" if cand.outlet else "its outlet is unknown")
    if not complete:
        missing = sorted(seen - has)
        why.append("it lacks the release's " + (", ".join(missing) if missing else "end matter")
                   + (" that other members carry" if missing else ""))
    if not earliest:
        why.append("it is not the earliest member")
    ev["why_not_the_release"] = why
    return ReleaseVerdict(False, f"the members reproduce a release by {org} that is not in the corpus", ev)
