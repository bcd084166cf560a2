"""Entities: named mentions per article, canonical entities across the corpus, garbles.

Rewrites and translations mangle names, so one person appears as several surface forms. The
canonicaliser merges forms only on strong evidence, in order of strength: equal after
normalisation, a gazetteer alias, name parts agreeing as transliterations (Dmitriy/Dmitry,
Kim Jong-un/Kim Jong Un), initials or a subset of the parts, acronym and long form, a bare
surname after the full name in the same article. A close *misspelling* (Kovalenko/Kovalenkov)
is merged only when the context agrees (same role, shared co-mentions) and is then also
flagged as a garble; with conflicting roles it is neither merged nor flagged. Every merge
records its rule, score and evidence. Comparison is blocked by name keys, never all pairs.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Indel

from newstrace.gazetteer import Gazetteer, GazetteerEntry
from newstrace.model import Entity, Garble, Mention, Merge
from newstrace.names import (
    blocking_keys,
    is_acronym_of,
    match_names,
    needs_context,
    normalize,
    parse_org,
    parse_person,
    skeleton,
    translit_key,
)
from newstrace.text import stable_hash

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["extract_mentions", "canonicalize", "CanonicalResult", "family", "ROLE_WORDS"]

# --- mentions ------------------------------------------------------------------------------

#: Head nouns of titles that precede or follow a person's name (generic words, not names).
ROLE_WORDS = frozenset(
    "minister president secretary spokesman spokeswoman spokesperson chairman chairwoman chair "
    "director governor mayor ambassador general commander chief head leader premier senator "
    "envoy king queen prince princess chancellor official editor ceo founder judge prosecutor "
    "lawmaker deputy adviser advisor analyst colonel captain lieutenant major admiral marshal "
    "sergeant officer president-elect vice-president speaker representative correspondent "
    "reporter researcher professor dr mr mrs ms councillor councilor alderman mp".split()
)
_ROLE_MODIFIERS = frozenset("deputy vice acting first former foreign defence defense interior "
                            "finance prime chief general press economy health justice".split())
#: Head nouns that make a capitalised phrase an organisation ("Ministry of Defence").
ORG_HEADS = frozenset(
    "ministry agency bank council committee museum university institute office department "
    "service corporation company party army navy court commission foundation association union "
    "authority bureau directorate administration parliament assembly federation group "
    "organisation organization fund society centre center school college police guard".split()
)
_PLACE_PREPS = frozenset("in near outside around across from into at".split())
_LOCATIVE = frozenset("in near outside around across".split())
_PLACE_HEADS = frozenset("region oblast province district city town village county republic".split())
_MISPLACED = frozenset({"PRODUCT", "WORK_OF_ART", "ORG", "PERSON", "NORP"})
_KEEP = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})
_LINKERS = frozenset({"of", "for", "and", "the", "on", "de", "al"})


def family(label: str) -> str:
    """Label family the canonicaliser compares within (GPE, LOC and FAC are all places)."""
    return {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}.get(label, label)


def _mention(article_id: str, start: int, end: int, text: str, label: str, role: str | None,
             method: str) -> Mention:
    return Mention(stable_hash(article_id, str(start), str(end), label), article_id, start, end,
                   text, label, role, method)


def _role_before(doc: "Doc", i: int) -> tuple[int, str | None]:
    """Start token and text of a title right before token ``i`` ("Defence Minister X")."""
    j = i
    while j > 0 and doc[j - 1].lower_ in _ROLE_MODIFIERS | ROLE_WORDS:
        j -= 1
    while j > 0 and j < i and doc[j - 1].is_title and doc[j - 1].lower_ not in {"the", "a"} \
            and doc[j].lower_ in ROLE_WORDS | _ROLE_MODIFIERS and doc[j - 1].ent_type_ in ("", "NORP", "GPE"):
        j -= 1  # "Russian Defence Minister", "Kursk Governor"
    if j < i and any(t.lower_ in ROLE_WORDS for t in doc[j:i]):
        return j, doc[j:i].text.lower()
    # "Head of the Defence Department X": a capitalised title phrase opening with a role word.
    k = i
    while k > 0 and i - k < 7 and (doc[k - 1].is_title or doc[k - 1].lower_ in {"of", "the", "for", "and"}) \
            and doc[k - 1].ent_type_ not in ("PERSON",):
        k -= 1
    for start in range(k, i - 1):
        if doc[start].lower_ in ROLE_WORDS and doc[start].is_title:
            return start, doc[start:i].text.lower()
    return i, None


def _role_after(doc: "Doc", end: int) -> str | None:
    """An appositive title: "X, the defence minister," / "X, head of the agency"."""
    if end + 1 < len(doc) and doc[end].text == ",":
        k = end + 1
        if doc[k].lower_ in {"the", "a", "an"}:
            k += 1
        stop = k
        while stop < len(doc) and stop - k < 5 and doc[stop].text not in {",", ".", ";", "(", ")"} \
                and not doc[stop].ent_type_ == "PERSON":
            stop += 1
        words = [t.lower_ for t in doc[k:stop]]
        if words and any(w in ROLE_WORDS for w in words) and words[0] not in {"said", "says", "who"}:
            return " ".join(words)
    return None


def _org_phrase_end(doc: "Doc", start: int, end: int) -> int:
    """Extend an organisation over "of Y" ("Ministry of Defence", "Bank of Korea")."""
    k = end
    while k + 1 < len(doc) and doc[k].lower_ in {"of", "for"} and (doc[k + 1].is_title or doc[k + 1].is_upper):
        k += 1
        if doc[k].lower_ == "the":
            k += 1
        while k < len(doc) and (doc[k].is_title or doc[k].is_upper) and doc[k].pos_ in ("PROPN", "NOUN", "ADJ"):
            k += 1
    return k


def _org_rule_spans(doc: "Doc") -> list[tuple[int, int]]:
    """Capitalised phrases headed by an organisation noun that NER missed."""
    spans = []
    i = 0
    while i < len(doc):
        if doc[i].is_title and doc[i].lower_ in ORG_HEADS or (
                doc[i].is_title and i + 1 < len(doc) and doc[i + 1].is_title and doc[i + 1].lower_ in ORG_HEADS):
            s = i
            while s > 0 and doc[s - 1].is_title and not doc[s - 1].is_sent_start and doc[s - 1].lower_ not in {"the"}:
                s -= 1
            e = i + 1
            while e < len(doc) and doc[e].is_title and doc[e].lower_ not in _LINKERS:
                e += 1
            if not any(t.lower_ in ORG_HEADS for t in doc[s:e]):
                i += 1
                continue
            e = _org_phrase_end(doc, s, e)
            if e - s >= 2:
                spans.append((s, e))
            i = e
        else:
            i += 1
    return spans


def _hyphen_joined(doc: "Doc", k: int) -> bool:
    """Whether token ``k`` is a hyphen written without spaces between two capitalised words."""
    return (doc[k].text in ("-", "\u2010", "\u2011") and k > 0 and not doc[k].whitespace_
            and not doc[k - 1].whitespace_ and (doc[k - 1].is_title or doc[k - 1].is_upper)
            and k + 1 < len(doc) and (doc[k + 1].is_title or doc[k + 1].is_upper))


def _acronym_defs(doc: "Doc") -> list[tuple[int, int, int]]:
    """``Long Form (ACR)``: token spans of the long form and the acronym's token index."""
    out = []
    for i, t in enumerate(doc):
        if t.text == "(" and i + 2 < len(doc) and doc[i + 2].text == ")" and doc[i + 1].is_upper \
                and 2 <= len(doc[i + 1].text) <= 8 and doc[i + 1].is_alpha:
            s = i
            while s > 0:
                if doc[s - 1].is_title or doc[s - 1].is_upper or (
                        doc[s - 1].lower_ in _LINKERS - {"the"} and s - 1 > 0 and doc[s - 2].is_title):
                    s -= 1
                elif _hyphen_joined(doc, s - 1):
                    s -= 2  # "Anti-Corruption": the hyphen and the word before it belong to the name
                else:
                    break
            if i - s >= 2:
                out.append((s, i, i + 1))
    return out


_QUOTES = {"'", '"', "\u2018", "\u2019", "\u201c", "\u201d"}


def _quoted_names(doc: "Doc") -> list[tuple[int, int]]:
    """A short quoted phrase that opens with a capital and holds a non-word: a name the
    rewrite could not translate ("the 'In internationals kvir'")."""
    out = []
    for i, t in enumerate(doc):
        if t.text in _QUOTES and i + 1 < len(doc) and doc[i + 1].is_title:
            for j in range(i + 2, min(i + 7, len(doc))):
                if doc[j].text in _QUOTES:
                    words = [x.text for x in doc[i + 1:j] if x.is_alpha]
                    if len(words) >= 2 and not any(x.pos_ in ("VERB", "AUX") for x in doc[i + 1:j]) and \
                            _nonword_evidence(" ".join(words), "ORG"):
                        out.append((i + 1, j))
                    break
                if doc[j].is_punct:
                    break
    return out


def extract_mentions(doc: "Doc", article_id: str) -> list[Mention]:
    """People, organisations, places and events of one article, with titles kept as roles.

    ``doc`` comes from ``newstrace.nlp.spacy_pipeline("full")``; offsets are character offsets
    into the article text. spaCy NER comes first; rules add what the small model misses:
    titles in front of names, "X of Y" organisations, acronyms defined in parentheses and
    place names tagged as products or missed after a locative preposition.
    """
    found: dict[tuple[int, int], Mention] = {}
    covered: set[int] = set()

    def add(s: int, e: int, label: str, role: str | None, method: str) -> None:
        if s >= e or any(i in covered for i in range(s, e)):
            return
        while e - s > 1 and doc[s].lower_ in {"the", "a", "an"}:
            s += 1
        span = doc[s:e]
        text = span.text.split("\n")[0].strip(" '\u2019\":")
        if not text or not text[0].isupper() or not any(c.isalpha() for c in text):
            return  # lower-case "names" (solidarity, transport department) are NER noise
        if label == "PERSON" and all(t.lower_ in ROLE_WORDS | _ROLE_MODIFIERS for t in span):
            return
        if label == "PERSON" and e - s == 1 and span.text.isupper() and len(span.text) > 1:
            label = "ORG"  # an acronym is not a person
        if text.endswith("'s") or text.endswith("\u2019s"):
            text = text[:-2]
        start = span.start_char
        found[(start, start + len(text))] = _mention(article_id, start, start + len(text), text, label, role, method)
        covered.update(range(s, e))

    for s, e, a in _acronym_defs(doc):
        add(s, e, "ORG", None, "rule:acronym-long")
        add(a, a + 1, "ORG", None, "rule:acronym")
    for ent in doc.ents:
        label = ent.label_
        if label not in _KEEP and label not in _MISPLACED:
            continue
        s, e = ent.start, ent.end
        role = None
        method = "spacy"
        if label == "PERSON":
            while s < e - 1 and doc[s].lower_ in ROLE_WORDS | _ROLE_MODIFIERS:
                s += 1  # NER sometimes swallows the title: keep it as the role instead
            if s > ent.start:
                role = doc[ent.start:s].text.lower()
            rs, before = _role_before(doc, s if s == ent.start else ent.start)
            role = role or before or _role_after(doc, e)
        prev = doc[s - 1].lower_ if s > 0 else ""
        nxt = doc[e].lower_ if e < len(doc) else ""
        if label in _MISPLACED and (
                e - s == 1 and (prev in _PLACE_PREPS and (label != "PERSON" or prev in _LOCATIVE) or nxt in _PLACE_HEADS)
                or e - s > 1 and doc[e - 1].lower_ in _PLACE_HEADS):
            label, method = "GPE", "rule:place"
        elif label == "ORG":
            e2 = _org_phrase_end(doc, s, e)
            if e2 > e:
                e, method = e2, "spacy+rule:of"
        if label not in _KEEP:
            continue
        add(s, e, label, role, method)
    for s, e in _org_rule_spans(doc):
        add(s, e, "ORG", None, "rule:org-head")
    for s, e in _quoted_names(doc):
        add(s, e, "ORG", None, "rule:quoted-name")
    for i, t in enumerate(doc):
        # A proper noun after "in"/"near" that NER left untagged is usually a place.
        if i and t.pos_ == "PROPN" and t.is_title and not t.ent_type_ and doc[i - 1].lower_ in _PLACE_PREPS \
                and (i + 1 >= len(doc) or not doc[i + 1].is_title):
            add(i, i + 1, "GPE", None, "rule:place")
    for i, t in enumerate(doc):
        # "Defence Minister Kovalenkov": a title followed by an untagged capitalised name.
        if t.lower_ in ROLE_WORDS and t.is_title and i + 1 < len(doc) and doc[i + 1].is_title \
                and doc[i + 1].pos_ == "PROPN" and i + 1 not in covered:
            e = i + 1
            while e < len(doc) and doc[e].is_title and doc[e].pos_ == "PROPN" and e - i <= 3:
                e += 1
            rs, role = _role_before(doc, i + 1)
            add(i + 1, e, "PERSON", role, "rule:title-name")
    # spaCy often calls a bare surname an ORG or a place; if the story names a person with
    # that surname, it is that person.
    surnames = {m.text.split()[-1] for m in found.values() if m.label == "PERSON" and " " in m.text}
    for k, m in list(found.items()):
        if m.label != "PERSON" and m.method == "spacy" and " " not in m.text and m.text in surnames:
            found[k] = _mention(article_id, m.start, m.end, m.text, "PERSON", m.role, "spacy+rule:surname")
    return sorted(found.values(), key=lambda m: (m.start, m.end))


# --- canonicalisation ----------------------------------------------------------------------


@dataclass
class CanonicalResult:
    """Canonical entities, suspected garbles and where every mention went.

    ``unresolved`` maps a mention id to why it was left out of every entity (a bare surname
    shared by two people in its article).
    """

    entities: list[Entity]
    garbles: list[Garble]
    mention_entity: dict[str, str]
    unresolved: dict[str, str] = field(default_factory=dict)
    article_signal: dict[str, dict[str, Any]] = field(default_factory=dict)

    def garble_score(self, article_id: str) -> float:
        """Share of an article's person and organisation mentions that look garbled (0..1)."""
        return float(self.article_signal.get(article_id, {}).get("score", 0.0))

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)


class _Forms:
    """Union-find over surface forms (``family|normalised``) with merge logs per root."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.merges: dict[str, list[Merge]] = defaultdict(list)
        self.anchor: dict[str, str] = {}  # root -> gazetteer entry id

    def add(self, f: str) -> None:
        self.parent.setdefault(f, f)

    def find(self, f: str) -> str:
        root = f
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[f] != root:
            self.parent[f], f = root, self.parent[f]
        return root

    def union(self, a: str, b: str, merge: Merge) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        ga, gb = self.anchor.get(ra), self.anchor.get(rb)
        if ga and gb and ga != gb:
            return False  # two different gazetteer entities never merge
        self.parent[rb] = ra
        self.merges[ra].extend(self.merges.pop(rb, []))
        self.merges[ra].append(merge)
        if gb:
            self.anchor[ra] = gb
        return True


@dataclass
class _FormInfo:
    family: str
    surfaces: Counter
    roles: Counter
    articles: set[str]
    parts: int
    scoped: bool = False


def _surface_key(fam: str, text: str) -> str:
    return f"{fam}|{normalize(text)}"


def _role_key(role: str) -> str:
    words = [w for w in normalize(role).split() if w not in {"the", "a", "an", "former", "acting"}]
    return " ".join(w.replace("defense", "defence") for w in words)


def _people_compatible(forms: _Forms, info: dict[str, _FormInfo], members: dict[str, list[str]],
                       a: str, b: str) -> bool:
    """No two full names across the two clusters may be different people (so that "A. Kim"
    cannot chain Andrei Kim to Anna Kim)."""
    ra, rb = forms.find(a), forms.find(b)
    fa = sorted((f for f in members[ra] if info[f].parts >= 2), key=lambda f: -info[f].parts)[:4]
    fb = sorted((f for f in members[rb] if info[f].parts >= 2), key=lambda f: -info[f].parts)[:4]
    for x in fa:
        for y in fb:
            if not match_names(x.split("|", 1)[1], y.split("|", 1)[1], "person").same:
                return False
    return True


def _context_agrees(ia: _FormInfo, ib: _FormInfo) -> tuple[bool | None, str]:
    """True/False when roles agree/conflict, else co-mentions decide (None: no evidence)."""
    ra, rb = set(ia.roles), set(ib.roles)
    if ra and rb:
        shared = ra & rb
        if shared:
            return True, f"same role: {sorted(shared)[0]}"
        wa = {w for r in ra for w in r.split()} - _ROLE_STOP
        wb = {w for r in rb for w in r.split()} - _ROLE_STOP
        if wa & wb:
            return None, ""  # related titles (defence minister / head of defence department)
        return False, f"different roles: {sorted(ra)[0]} / {sorted(rb)[0]}"
    return None, ""


_ROLE_STOP = frozenset("of the for and a an deputy vice acting first former".split())


def _comention_agrees(a: str, b: str, comention: dict[str, Counter],
                      info: dict[str, _FormInfo]) -> tuple[bool, str]:
    """At least two people or organisations named alongside both forms (places are shared by
    every story on a topic, so they do not count)."""
    ca, cb = comention.get(a, Counter()), comention.get(b, Counter())
    shared = {f for f in set(ca) & set(cb) if info[f].family in ("PERSON", "ORG")}
    if len(shared) >= 2:
        return True, "co-mentioned with " + ", ".join(sorted(s.split("|", 1)[1] for s in shared)[:3])
    return False, ""


_NONWORD_OK = frozenset("of the and for de la al el bin ibn von van der du des da y on in".split())
_SUFFIXES = ("s", "es", "ed", "ing", "ly", "er", "est")


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """English words known to spaCy's lemmatizer tables (about 90,000 lemmas): the only word
    list at hand offline. Empty when the pipeline cannot load (the rule then stays silent)."""
    try:
        from newstrace.nlp import spacy_pipeline

        table = spacy_pipeline("full").get_pipe("lemmatizer").lookups.get_table("lemma_index")
        return frozenset(w for words in table.values() for w in words)
    except Exception:  # pragma: no cover - no model: no lexicon
        return frozenset()


def is_known_word(word: str, lexicon: frozenset[str] | None = None) -> bool:
    """True when ``word`` (or it minus a common inflection) is an English word."""
    lex = _lexicon() if lexicon is None else lexicon
    w = word.lower()
    return w in lex or any(w.endswith(suf) and w[: -len(suf)] in lex for suf in _SUFFIXES)


def _nonword_evidence(text: str, fam: str, lexicon: frozenset[str] | None = None) -> str | None:
    """Lower-case non-words inside a capitalised multi-word name ("In internationals kvir"):
    a machine rewrite that transliterated a name it did not understand."""
    if fam not in ("ORG", "PERSON", "MISC"):
        return None
    words = re.findall(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*", text)
    if len(words) < 2 or not words[0][:1].isupper():
        return None
    lower = [w for w in words[1:] if w.islower() and w not in _NONWORD_OK]
    if not lower:
        return None
    odd = [w for w in lower if not is_known_word(w, lexicon)]
    if odd and (lexicon is not None or _lexicon()):
        return "non-words inside a proper name: " + ", ".join(odd)
    return None


def canonicalize(mentions: list[Mention], *, context: dict | None = None,
                 gazetteer: Gazetteer | None = None) -> CanonicalResult:
    """Group mentions into canonical entities across the corpus.

    ``context`` may carry ``{"roles": {mention_id: role}}`` to add roles found elsewhere (for
    example by claim attribution) and ``{"lexicon": frozenset[str]}``, the English words for
    the non-word check (default: spaCy's lemmatizer tables, loaded only when a capitalised
    name holds a lower-case word). ``gazetteer`` anchors canonical names. Acronyms defined
    in parentheses are recognised from ``Mention.method`` (``rule:acronym-long`` followed
    within three characters by ``rule:acronym``), as :func:`extract_mentions` marks them.
    """
    extra_roles = (context or {}).get("roles", {})
    forms = _Forms()
    info: dict[str, _FormInfo] = {}
    by_article: dict[str, list[Mention]] = defaultdict(list)
    mention_form: dict[str, str] = {}
    unresolved: dict[str, str] = {}
    garbles: list[Garble] = []
    mismatched: list[tuple[str, str, str]] = []  # (acronym form, long form, article)
    given_wrong: list[tuple[Mention, Mention]] = []  # (acronym, its long form) whose initials differ
    gaz_entries: dict[str, GazetteerEntry] = {}

    for m in mentions:
        by_article[m.article_id].append(m)

    def form_of(m: Mention, scope: str = "") -> str:
        fam = family(m.label)
        key = _surface_key(fam + scope, m.text)
        if key not in info:
            parts = len(parse_person(m.text).parts) if fam == "PERSON" else len(parse_org(m.text).core)
            info[key] = _FormInfo(fam, Counter(), Counter(), set(), parts, bool(scope))
            forms.add(key)
        fi = info[key]
        fi.surfaces[m.text] += 1
        fi.articles.add(m.article_id)
        role = extra_roles.get(m.id) or m.role
        if role:
            fi.roles[_role_key(role)] += 1
        return key

    # 1. Per article: a bare surname joins the one full name in the story that carries it; two
    #    people sharing it leave it unresolved. Acronyms defined in parentheses join their long form.
    for aid, ms in by_article.items():
        ms.sort(key=lambda m: m.start)
        full_people = [m for m in ms if family(m.label) == "PERSON" and len(parse_person(m.text).parts) >= 2]
        for m in ms:
            if not (family(m.label) == "PERSON" and len(parse_person(m.text).parts) == 1):
                mention_form[m.id] = form_of(m)
        for m in ms:
            fam = family(m.label)
            if fam == "PERSON" and len(parse_person(m.text).parts) == 1:
                word = parse_person(m.text).parts[0]
                owners = {}
                for p in full_people:
                    pp = parse_person(p.text).parts
                    if translit_key(pp[-1]) == translit_key(word) or translit_key(pp[0]) == translit_key(word):
                        owners.setdefault(_surface_key("PERSON", p.text), p)
                distinct = _distinct_people(list(owners))
                if len(distinct) > 1:
                    unresolved[m.id] = (f"surname {m.text!r} shared by {len(distinct)} people in the article: "
                                        + "; ".join(o.split('|', 1)[1] for o in distinct))
                    continue
                # A surname resolved in its story gets a form of its own for that story, so that
                # it cannot chain two people who share it across the corpus.
                key = form_of(m, "@" + aid if distinct else "")
                mention_form[m.id] = key
                if distinct:
                    forms.union(distinct[0], key, Merge(distinct[0].split("|", 1)[1], m.text,
                                                       "surname_in_article", 0.9, f"article {aid}"))
        for m in ms:
            if m.method == "rule:acronym":
                longs = [x for x in ms if x.method == "rule:acronym-long" and 0 < m.start - x.end <= 3]
                if longs:
                    lf, af = mention_form[longs[0].id], mention_form[m.id]
                    ok = is_acronym_of(m.text, longs[0].text)
                    forms.union(lf, af, Merge(longs[0].text, m.text, "acronym_defined" if ok else "acronym_mismatch",
                                              1.0 if ok else 0.7, f"defined in parentheses in article {aid}"))
                    if not ok:
                        mismatched.append((af, lf, aid))
                        given_wrong.append((m, longs[0]))

    # An acronym whose letters are not its long form's initials is a garble where the corpus
    # has the right one for that long form (CTAK for the Korean Central News Agency, which
    # others call KCNA); with no right one anywhere it is the organisation's own acronym in
    # another language (the FSB, a Kestrian "RVPS" for the State Border Guard Service).
    acronyms = {m.text for m in mentions if family(m.label) == "ORG" and _ACRONYM.fullmatch(m.text)} \
        if given_wrong else set()
    for m, long in given_wrong:
        right = sorted(a for a in acronyms if a != m.text and is_acronym_of(a, long.text))
        if right:
            garbles.append(Garble(m.id, m.article_id, m.text, "", long.text, "acronym_mismatch", 0.7,
                                  f"{m.text!r} given as the acronym of {long.text!r}, whose initials are "
                                  f"{parse_org(long.text).acronym.upper()!r} ({', '.join(right)} elsewhere)"))

    form_mentions: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.id in mention_form:
            form_mentions[mention_form[m.id]].append(m)
    flagged = {g.mention_id for g in garbles}
    garbles += [g for g in _scrambled_acronyms(mentions, mention_form, forms) if g.mention_id not in flagged]

    def flag(form: str, target: str, rule: str, score: float, evidence: str) -> None:
        for m in form_mentions.get(form, ()):
                garbles.append(Garble(m.id, m.article_id, m.text, target, "", rule, score, evidence))

    # An acronym given for the wrong long form (CTAK for the Korean Central News Agency) that
    # spells out another long form in the corpus (Central Telegraph Agency of Korea) links the
    # two: the second is a garbled rendering of the first, e.g. by a translation round trip.
    if mismatched:
        by_acronym: dict[str, list[str]] = defaultdict(list)
        for key, fi in info.items():
            if fi.family == "ORG" and " " in key:
                by_acronym[parse_org(key.split("|", 1)[1]).acronym].append(key)
        for af, lf, aid in mismatched:
            acr = af.split("|", 1)[1].replace(" ", "")
            for other in by_acronym.get(acr, []):
                if forms.find(other) != forms.find(lf) and forms.union(lf, other, Merge(
                        lf.split("|", 1)[1], other.split("|", 1)[1], "acronym_shared_expansion", 0.7,
                        f"{acr.upper()} was given as the acronym of {lf.split('|', 1)[1]!r} in article {aid} "
                        f"and is the initials of {other.split('|', 1)[1]!r}")):
                    flag(other, lf, "acronym_shared_expansion", 0.7,
                         f"{other.split('|', 1)[1]!r} spells out {acr.upper()}, used for {lf.split('|', 1)[1]!r}")

    # 2. Gazetteer anchors.
    if gazetteer is not None:
        for key, fi in info.items():
            entry = gazetteer.lookup(key.split("|", 1)[1], fi.family)
            if entry is None:
                continue
            gaz_entries[entry.id] = entry
            root = forms.find(key)
            anchor_key = f"gaz|{entry.id}"
            if anchor_key not in forms.parent:
                forms.add(anchor_key)
                forms.anchor[anchor_key] = entry.id
            if forms.anchor.get(root) not in (None, entry.id):
                continue
            forms.union(anchor_key, key, Merge(entry.canonical, key.split("|", 1)[1], "gazetteer", 1.0,
                                               f"gazetteer entry {entry.id}"))
            for r in entry.roles:  # gazetteer roles count as known context
                fi.roles[_role_key(r)] = max(fi.roles[_role_key(r)], 1)

    # Co-mentions per form (other forms in the same articles), for context agreement.
    comention: dict[str, Counter] = defaultdict(Counter)
    for aid, ms in by_article.items():
        fs = {mention_form[m.id] for m in ms if m.id in mention_form}
        if len(fs) > 60:
            continue
        for f in fs:
            for g in fs:
                if f != g:
                    comention[f][g] += 1

    # 3. Candidate pairs by blocking keys, within a label family; never all pairs. People are
    #    indexed by their surname's keys and probed with the surname and the first part (a
    #    surname written first), so two people who merely share a given name are never paired.
    candidates = _candidate_pairs(info)

    strong: list[tuple[float, str, str, str]] = []
    weak: list[tuple[float, str, str, str]] = []
    near: list[tuple[float, str, str]] = []
    for a, b in candidates:
        fam = info[a].family
        na, nb = a.split("|", 1)[1], b.split("|", 1)[1]
        kind = {"PERSON": "person", "PLACE": "place"}.get(fam, "org")
        bare = fam == "PERSON" and min(info[a].parts, info[b].parts) == 1
        if bare and max(info[a].parts, info[b].parts) > 1:
            continue  # bare surnames are resolved per article or by uniqueness below
        m = match_names(na, nb, kind)
        if m.same and not needs_context(m) and not bare:
            strong.append((m.score, a, b, m.rule))
        elif m.same:
            weak.append((m.score, a, b, m.rule))
        elif fam == "PERSON":
            # Organisations and places differ by one word all the time (Russian / Ukrainian
            # Armed Forces): only people get near-spelling garble candidates.
            sim = _near_similarity(na, nb, fam)
            if sim >= 0.6:
                near.append((sim, a, b))

    members: dict[str, list[str]] = defaultdict(list)
    for f in info:
        members[forms.find(f)].append(f)

    def do_union(a: str, b: str, merge: Merge) -> bool:
        if info[a].family == "PERSON" and not _people_compatible(forms, info, members, a, b):
            return False
        ra, rb = forms.find(a), forms.find(b)
        if forms.union(a, b, merge):
            root, other = (ra, rb) if forms.find(a) == ra else (rb, ra)
            members[root].extend(members.pop(other, []))
            return True
        return False

    for score, a, b, rule in sorted(strong, reverse=True):
        do_union(a, b, Merge(a.split("|", 1)[1], b.split("|", 1)[1], rule, score, "names alone"))

    for score, a, b, rule in sorted(weak + [(s, a, b, "near_spelling") for s, a, b in near], reverse=True):
        if forms.find(a) == forms.find(b):
            continue
        ia, ib = info[a], info[b]
        agree, why = _context_agrees(ia, ib)
        if agree is None and not (ia.articles & ib.articles):
            # Two spellings in one story are two names there: co-mentions prove nothing then.
            agree, why = _comention_agrees(a, b, comention, info)
            agree = agree or None
        minority, majority = (a, b) if sum(ia.surfaces.values()) < sum(ib.surfaces.values()) else (b, a)
        if agree:
            if do_union(a, b, Merge(a.split("|", 1)[1], b.split("|", 1)[1], f"{rule}+context", score, why)):
                flag(minority, majority, "close_spelling", score,
                     f"{minority.split('|', 1)[1]!r} vs {majority.split('|', 1)[1]!r} ({rule}, {score:.2f}); {why}")
        elif agree is None and rule != "near_spelling":
            flag(minority, majority, "close_spelling_unconfirmed", round(score * 0.8, 4),
                 f"{minority.split('|', 1)[1]!r} is close to {majority.split('|', 1)[1]!r} ({rule}, {score:.2f}) "
                 "but no role or co-mention confirms it: not merged")

    # 4. Bare surnames seen without a full name in their article: join the one person in the
    #    corpus who carries that surname, if exactly one does.
    surname_index: dict[str, set[str]] = defaultdict(set)
    for key, fi in info.items():
        if fi.family == "PERSON" and fi.parts >= 2 and not fi.scoped:
            parts = parse_person(key.split("|", 1)[1]).parts
            surname_index[translit_key(parts[-1])].add(forms.find(key))
    for key, fi in info.items():
        if fi.family == "PERSON" and fi.parts == 1 and not fi.scoped and len(members.get(forms.find(key), [key])) == 1:
            word = parse_person(key.split("|", 1)[1]).parts[0]
            roots = {forms.find(r) for r in surname_index.get(translit_key(word), set())}
            if len(roots) == 1:
                target = next(iter(roots))
                do_union(target, key, Merge(target.split("|", 1)[1], key.split("|", 1)[1],
                                            "surname_unique_in_corpus", 0.75, "one person in the corpus has this surname"))

    entities = _build_entities(mentions, mention_form, forms, info, gaz_entries)
    mention_entity: dict[str, str] = {}
    root_entity = {}
    for e in entities:
        for mid in e.mention_ids:
            mention_entity[mid] = e.id
    for e in entities:
        root_entity[e.id] = e
    # Garbles name the entity their form ended up in (or the one they resemble).
    fixed: list[Garble] = []
    by_mention_form = {f: forms.find(f) for f in info}
    root_to_entity = {}
    for mid, f in mention_form.items():
        if mid in mention_entity:
            root_to_entity[by_mention_form[f]] = mention_entity[mid]
    seen = set()
    for g in garbles:
        target_root = forms.find(g.entity_id) if g.entity_id in info else None
        if g.entity_id == "" and g.mention_id in mention_entity:
            eid = mention_entity[g.mention_id]
        else:
            eid = root_to_entity.get(target_root, "")
        canonical = root_entity[eid].canonical if eid in root_entity else g.canonical
        if (g.mention_id, g.rule) in seen:
            continue
        seen.add((g.mention_id, g.rule))
        fixed.append(Garble(g.mention_id, g.article_id, g.surface, eid, canonical, g.rule, g.score, g.evidence))
    for m in mentions:
        fam = family(m.label)
        ev = _nonword_evidence(m.text, fam, (context or {}).get("lexicon"))
        if ev and m.id in mention_entity:
            eid = mention_entity[m.id]
            fixed.append(Garble(m.id, m.article_id, m.text, eid, root_entity[eid].canonical, "nonword_in_name", 0.6, ev))

    return CanonicalResult(entities, fixed, mention_entity, unresolved, _article_signal(mentions, fixed))


#: An acronym as a mention: three to eight capitals.
_ACRONYM = re.compile(r"[A-Z]{3,8}")


def _scrambled_acronyms(mentions: list[Mention], mention_form: dict[str, str], forms: "_Forms") -> list[Garble]:
    """Acronyms of four letters or more with the letters of another in a different order (RSVP
    for RVPS), where the other is used by at least two articles the scrambled one is not in: the
    rare spelling is a garble of the common one, and is merged with it."""
    articles: dict[str, set[str]] = defaultdict(set)
    of_text: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if family(m.label) == "ORG" and _ACRONYM.fullmatch(m.text) and m.id in mention_form:
            articles[m.text].add(m.article_id)
            of_text[m.text].append(m)
    by_letters: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        if len(a) >= 4:  # three letters make many real acronyms of each other (SEC, CES; PAC, PCA)
            by_letters["".join(sorted(a))].append(a)
    out = []
    for same in by_letters.values():
        for rare in same:
            common = max((a for a in same if a != rare and len(articles[a] - articles[rare]) >= 2
                          and len(articles[a]) > len(articles[rare])), key=lambda a: len(articles[a]), default=None)
            if common is None:
                continue
            target = mention_form[of_text[common][0].id]
            evidence = (f"{rare!r} has the letters of {common!r}, which {len(articles[common] - articles[rare])} "
                        f"other articles use")
            for m in of_text[rare]:
                forms.union(target, mention_form[m.id], Merge(common, rare, "acronym_scrambled", 0.6, evidence))
                out.append(Garble(m.id, m.article_id, m.text, target, "", "acronym_scrambled", 0.6, evidence))
    return out


def _distinct_people(keys: list[str]) -> list[str]:
    """Full-name forms of one article grouped into distinct people (longest form kept)."""
    out: list[str] = []
    for k in sorted(keys, key=lambda k: -len(k)):
        if not any(match_names(k.split("|", 1)[1], o.split("|", 1)[1], "person").same for o in out):
            out.append(k)
    return out


def _keys(name: str, fam: str) -> tuple[set[str], set[str]]:
    """Blocking keys of a form: (keys it is indexed under, keys it probes with)."""
    if fam == "PERSON":
        parts = parse_person(name).parts
        if not parts:
            return set(), set()

        def part_keys(p: str) -> set[str]:
            return {"k:" + translit_key(p)[:3], "s:" + skeleton(p)[:3]} if len(p) > 1 else set()

        index = part_keys(parts[-1])
        return index, index | (part_keys(parts[0]) if len(parts) > 1 else set())
    if fam == "PLACE":
        keys = {"k:" + translit_key(normalize(name).replace(" ", ""))[:4]}
        return keys, keys
    keys = blocking_keys(name, "org")
    return keys, keys


#: Blocks larger than this are searched as a sorted neighbourhood (window of 2 x 15).
_MAX_BLOCK = 300


def _candidate_pairs(info: dict[str, "_FormInfo"]) -> set[tuple[str, str]]:
    buckets: dict[str, list[str]] = defaultdict(list)
    probes: dict[str, set[str]] = {}
    for key, fi in info.items():
        if fi.family not in ("PERSON", "ORG", "PLACE") or fi.scoped:
            continue
        index, probe = _keys(key.split("|", 1)[1], fi.family)
        for b in index:
            buckets[f"{fi.family}|{b}"].append(key)
        probes[key] = {f"{fi.family}|{b}" for b in probe}
    big = {b: sorted(ms) for b, ms in buckets.items() if len(ms) > _MAX_BLOCK}
    candidates: set[tuple[str, str]] = set()
    for key, bs in probes.items():
        for b in bs:
            members = buckets.get(b)
            if not members:
                continue
            if b in big:
                srt = big[b]
                i = bisect_left(srt, key)
                members = srt[max(0, i - 15): i + 15]
            for other in members:
                if other != key:
                    candidates.add((key, other) if key < other else (other, key))
    return candidates


def _near_similarity(a: str, b: str, fam: str) -> float:
    """How close two names that the matcher did not merge are (garble candidates)."""
    if fam == "PERSON":
        pa, pb = parse_person(a).parts, parse_person(b).parts
        if len(pa) != len(pb) or len(pa[-1]) < 4 or len(pb[-1]) < 4:
            return 0.0
        if len(pa) > 1 and translit_key(pa[0]) != translit_key(pb[0]):
            return 0.0
        return Indel.normalized_similarity(translit_key(pa[-1]), translit_key(pb[-1]))
    oa, ob = parse_org(a), parse_org(b)
    return Indel.normalized_similarity(" ".join(oa.core), " ".join(ob.core))


def _build_entities(mentions: list[Mention], mention_form: dict[str, str], forms: _Forms,
                    info: dict[str, _FormInfo], gaz: dict[str, GazetteerEntry]) -> list[Entity]:
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        f = mention_form.get(m.id)
        if f is not None:
            groups[forms.find(f)].append(m)
    entities = []
    for root, ms in groups.items():
        variants = Counter(m.text for m in ms)
        labels = Counter(m.label for m in ms)
        anchor = forms.anchor.get(root)
        if anchor and anchor in gaz:
            canonical = gaz[anchor].canonical
        else:
            # Most frequent among the fullest forms: "Andrei Belousov" over "Belousov".
            def rank(v: str) -> tuple[int, int, int]:
                fam = family(ms[0].label)
                parts = len(parse_person(v).parts) if fam == "PERSON" else len(v.split())
                acr = 1 if v.isupper() and " " not in v else 0
                return (min(parts, 3) - 3 * acr, variants[v], -len(v))
            canonical = max(variants, key=rank)
        eid = "ent_" + stable_hash(family(ms[0].label), root)
        merges = []
        for f in sorted({mention_form[m.id] for m in ms}):
            forms_seen = [v for v, _ in info[f].surfaces.most_common()]
            merges += [Merge(forms_seen[0], v, "exact_normalised", 1.0, "equal after normalisation")
                       for v in forms_seen[1:]]
        entities.append(Entity(eid, canonical, labels.most_common(1)[0][0], dict(variants),
                               [m.id for m in ms], merges + list(forms.merges.get(root, []))))
    entities.sort(key=lambda e: (-len(e.mention_ids), e.canonical))
    return entities


def _article_signal(mentions: list[Mention], garbles: list[Garble]) -> dict[str, dict[str, Any]]:
    """Per article: how many named mentions look garbled, and which (for reuse and report).

    A garble confirmed by context (or an acronym mismatch, a non-word) counts 1; a close
    spelling that nothing confirmed counts 0.5 in ``score``.
    """
    named = Counter(m.article_id for m in mentions if family(m.label) in ("PERSON", "ORG"))
    weight: dict[str, dict[str, float]] = defaultdict(dict)
    surfaces: dict[str, set[str]] = defaultdict(set)
    for g in garbles:
        w = 0.5 if g.rule == "close_spelling_unconfirmed" else 1.0
        weight[g.article_id][g.mention_id] = max(weight[g.article_id].get(g.mention_id, 0.0), w)
        surfaces[g.article_id].add(g.surface)
    out = {}
    for aid in set(named) | set(weight):
        ws = weight.get(aid, {})
        n = max(named.get(aid, 0), len(ws))
        out[aid] = {"garbled_mentions": sum(1 for w in ws.values() if w == 1.0),
                    "suspected_mentions": sum(1 for w in ws.values() if w < 1.0),
                    "named_mentions": n,
                    "score": round(sum(ws.values()) / n, 4) if n else 0.0,
                    "surfaces": sorted(surfaces.get(aid, ()))}
    return out


# --- names a rewrite changed ---------------------------------------------------------------

#: The rule of a name a rewrite changed from its source's (:func:`rewrite_garbles`).
REWRITE_RULE = "changed_in_rewrite"
_NAMED_FAMILIES = frozenset({"PERSON", "ORG", "PLACE"})
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_ACRONYM_WORD = re.compile(r"\b[A-Z]{3,6}\b")
#: What turns a place into its people's adjective: Kestria / Kestrian, Malta / Maltese.
_DEMONYM_ENDINGS = frozenset({"n", "an", "ian", "ean", "ese", "ish", "ic", "i", "ans", "ians", "ns", "s", "es", "ern",
                              "erner", "erners"})


def _form(text: str) -> str:
    return _POSSESSIVE.sub("", " ".join(text.split()))


def folded_text(text: str) -> str:
    """An article's text as :func:`newstrace.names.normalize` writes names, space-padded, so
    that a normalised name is in it as whole words when `` {name} `` is (not through
    ``normalize``'s cache, which is for names)."""
    return f" {normalize.__wrapped__(text)} "


def _words_of(name: str) -> list[str]:
    """A name's words, normalised, without possessive endings ("Michelle Obama’s Mom")."""
    return [w for w in normalize(re.sub(r"['\u2019]s\b", "", name)).split()]


def changed_form_score(changed: str, source: str, place: bool = False) -> float:
    """How likely ``changed`` is ``source`` altered (0: not a variant of it). A scrambled acronym
    (the same letters in another order: ZTA / TZA) scores 0.9; other names their normalised
    Indel similarity when it is at least 0.8, each word that differs close to the word in its
    place (Velichkov / Velichkovsky, Kravets / Krevats, Artyom / Anton Shelepin; not Bill /
    Hillary Clinton, National Hockey / Football League); a ``place`` of one word may keep only
    its first five letters (Volnogorsk / Volnograd, at 0.7). Short names (under five letters)
    only as acronyms."""
    a, b = changed.casefold(), source.casefold()
    if a == b or normalize(changed) == normalize(source) or a.replace(".", "") == b.replace(".", ""):
        return 0.0  # Österlund / Osterlund, U.S. / US: a spelling, not a change
    if changed.isupper() and source.isupper() and 2 < len(a) <= 6 and sorted(a) == sorted(b):
        return 0.9
    words_a, words_b = _words_of(changed), _words_of(source)
    if set(words_a) <= set(words_b) or set(words_b) <= set(words_a):
        return 0.0  # a title, a first name or a word more or less: "Baltzer & Toft Konstruktion (BTK)"
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] in _DEMONYM_ENDINGS:
        return 0.0  # "a Kestrian guard" / "a guard in Kestria"; "America" / "the Americas"
    if min(len(a), len(b)) < 5:
        return 0.0
    if len(words_a) == len(words_b) and any(
            x != y and Indel.normalized_similarity(x, y) < 0.6 for x, y in zip(words_a, words_b)):
        return 0.0  # another word in its place: Hillary / Bill Clinton, Fox / ABC News
    score = Indel.normalized_similarity(a, b)
    ending = place and len(words_a) == len(words_b) == 1 and a[:5] == b[:5] and score >= 0.7
    return score if score >= 0.8 or ending else 0.0


def rewrite_garbles(source_id: str, source_text: str, source_mentions: list[Mention],
                    derived_mentions: list[Mention], entity_of: dict[str, str],
                    canonical: dict[str, str], folded: str | None = None) -> list[Garble]:
    """Names a rewrite spells otherwise than the source it was made from: each mention of the
    rewrite whose form the source never writes but whose source counterpart (same family,
    :func:`changed_form_score`) it does. A rewrite reproduces names; a changed one is the
    rewriter's garble (an LLM's "Velichkovsky" for "Velichkov", "TZA" for "ZTA"), where an
    independent outlet's own spelling ("Ljudmila Ostrovskaja") is only a variant: so this is
    asked of parent links only (:func:`newstrace.stages.run_provenance`). Corpus-wide
    canonicalising merges such forms silently when their parts look like transliterations.
    ``folded``: :func:`folded_text` of the source, where the caller has it already."""
    folded = folded_text(source_text) if folded is None else folded
    sources = [(family(m.label), _form(m.text), m) for m in source_mentions if family(m.label) in _NAMED_FAMILIES]
    # An acronym the source writes but its mentions missed (a dateline's "(ZTA)").
    named = {f for _, f, _ in sources}
    sources += [("ORG", x, Mention(f"{source_id}:{x}", source_id, 0, 0, x, "ORG", method="text"))
                for x in sorted(set(_ACRONYM_WORD.findall(source_text)) - named)]
    out: list[Garble] = []
    for m in derived_mentions:
        fam, form = family(m.label), _form(m.text)
        if fam not in _NAMED_FAMILIES or len(form) < 3 or f" {normalize(form)} " in folded:
            continue
        best: tuple[float, Mention] | None = None
        for s_fam, s_form, s in sources:
            acronyms = form.isupper() and s_form.isupper()
            if s_fam != fam and not acronyms:
                continue
            score = changed_form_score(form, s_form, place=fam == "PLACE")
            if score and (best is None or score > best[0]):
                best = (score, s)
        if best is None:
            continue
        target = best[1]
        entity = entity_of.get(m.id, "")
        own = canonical.get(entity, "") if entity and entity == entity_of.get(target.id) else ""
        if own and normalize(own) == normalize(form) != normalize(_form(target.text)):
            continue  # one entity, spelled as the corpus usually does: the rewrite corrected "Gingerich"
        entity = entity_of.get(target.id, "")
        out.append(Garble(
            mention_id=m.id, article_id=m.article_id, surface=m.text, entity_id=entity,
            canonical=canonical.get(entity, _form(target.text)), rule=REWRITE_RULE, score=round(best[0], 4),
            evidence=f"the article it rewrites ({source_id}) writes {_form(target.text)!r} where it writes {form!r}"))
    return out
