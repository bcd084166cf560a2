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
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from newstrace import attribution_crf as ac
from newstrace.attribution_rules import rule_labels
from newstrace.entities import ORG_HEADS, ROLE_WORDS
from newstrace.hedging import ORG_LABELS, ORG_NOUNS, hedge_level, source_kind
from newstrace.model import Claim, Span
from newstrace.names import LEGAL_WORDS, is_acronym_of
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
    return fill_from_rules(labels, rules, sentence_units(tokens)) if method == "auto" else labels


def sentence_units(tokens: Sequence["Token"]) -> list[int]:
    """Per paragraph token, the number of its sentence, where a sentence that starts inside a
    quotation continues the one before (a quote over two sentences is one unit of speech:
    '"We will hire 40 welders. The order book is full," she said.').

    A cue takes its content from its own unit first; the CRF tags whole paragraphs and often
    marks the sentence before an "According to X, ..." as content, which must not win over
    the content in the cue's own sentence."""
    qs = ac.quote_state(tokens)
    units, cur = [], 0
    for k, tok in enumerate(tokens):
        if k and tok.is_sent_start and qs[k] != 1 and not (qs[k] == 2 and qs[k - 1] == 1):
            cur += 1
        units.append(cur)
    return units


ADD_RULE_ATTRIBUTIONS = True


def _add_unseen_rule_attributions(out: list[str], rule_spans: list[tuple[str, int, int]]) -> list[str]:
    """Rule attributions ("according to X", "X said that") whose every token the CRF left
    unlabelled are added whole; the rules are precise, the CRF is the one with recall."""
    out = list(out)
    free = lambda s, e: all(x == "O" for x in out[s:e])  # noqa: E731

    def same(comp: str, s: int, e: int) -> bool:
        # The CRF found this very span with the same role (the source of "According to two
        # nurses, ...") but missed the cue: the rule attribution is still unseen.
        return out[s:e] == [f"B-{comp}"] + [f"I-{comp}"] * (e - s - 1) and (e >= len(out) or out[e] != f"I-{comp}")
    cues = [(s, e) for c, s, e in rule_spans if c == "cue"]
    for cs, ce in cues:
        if not free(cs, ce):
            continue
        parts = [(c, s, e) for c, s, e in rule_spans if c != "cue"
                 and min(cues, key=lambda q: _gap((s, e), q)) == (cs, ce)]
        if not parts or not all(free(s, e) or same(c, s, e) for c, s, e in parts):
            continue
        for c, s, e in [("cue", cs, ce), *parts]:
            out[s:e] = [f"B-{c}"] + [f"I-{c}"] * (e - s - 1)
    return out


def fill_from_rules(crf: list[str], rules: list[str], units: Sequence[int] | None = None) -> list[str]:
    """Add the rule content of a cue the CRF also found but left without content (the CRF
    learnt PolNeAR's habit of leaving "according to" content unmarked, which a claim needs),
    where those tokens are unlabelled by the CRF.

    ``units`` (``sentence_units``) says which positions share a sentence. With it, a CRF
    content counts as a cue's only when it shares a sentence with a cue: the CRF often marks
    the sentence *before* "According to X, <content>" as content and leaves the real content
    unmarked, and that neighbour must not stop the cue's own content from being added."""
    out = list(crf)
    crf_spans, rule_spans = ac.spans_from_bio(crf), ac.spans_from_bio(rules)
    if ADD_RULE_ATTRIBUTIONS:
        out = _add_unseen_rule_attributions(out, rule_spans)
        crf_spans = ac.spans_from_bio(out)
    crf_has = {c for c, _, _ in crf_spans}
    if "cue" not in crf_has:
        return out

    def unit_set(s: int, e: int) -> set[int]:
        return set(units[s:e]) if units is not None else {0}

    crf_cue_units = set().union(*(unit_set(s, e) for c, s, e in crf_spans if c == "cue"))
    owned = [(c, s, e) for c, s, e in crf_spans if c == "content" and unit_set(s, e) & crf_cue_units]
    if owned and len(owned) >= sum(c == "cue" for c, _, _ in crf_spans):
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
        if any(cc == "content" and _gap((cs, ce), crf_near) <= 2 and unit_set(cs, ce) & unit_set(*crf_near)
               for cc, cs, ce in crf_spans):
            continue
        out[s:e] = ["B-content"] + ["I-content"] * (e - s - 1)
    return out


# --- grouping spans into attributions -------------------------------------------------------


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def group_spans(tokens: Sequence["Token"], labels: Sequence[str]) -> list[dict]:
    """Attributions of one paragraph: each cue with the source and content spans nearest to
    it (token ranges in doc indices). A source or content is linked to the cue it hangs under
    in the parse when there is one, else to the nearest cue in its own sentence; contents may
    be several fragments (a quote interrupted by "he said").

    A span in a sentence without a cue goes to the nearest cue only where that cue found none
    of its own kind in its own sentence: in "<A>. According to X, <B>." the cue's content is B,
    never A (A is the writer's or another cue's), while a quote over several sentences is one
    unit (``sentence_units``) and a quoted fragment still joins the quote it continues."""
    bio = ac.spans_from_bio(labels)
    units = sentence_units(tokens)
    qs = ac.quote_state(tokens)
    spans = [(c, tokens[s].i, tokens[e - 1].i + 1) for c, s, e in bio]
    cues = [(s, e) for c, s, e in spans if c == "cue"]
    if not cues:
        return []
    doc = tokens[0].doc
    groups = [{"cue": c, "source": [], "content": []} for c in cues]
    # Per span (in ``spans`` order): the sentence units it touches, and whether it is quoted.
    span_units = [set(units[s:e]) for _, s, e in bio]
    quoted = [sum(q != 0 for q in qs[s:e]) * 2 > e - s for _, s, e in bio]
    cue_units = [span_units[k] for k, (c, _, _) in enumerate(spans) if c == "cue"]

    def nearest(span: tuple[int, int], ks: Sequence[int]) -> int:
        return min(ks, key=lambda k: (_gap(span, cues[k]), cues[k][0] < span[0]))

    def owner(span: tuple[int, int], here: set[int]) -> int | None:
        # The parse link: the span's root hangs (transitively, 3 steps) under a cue token.
        node = doc[span[0]:span[1]].root
        for _ in range(3):
            node = node.head
            for k, (cs, ce) in enumerate(cues):
                if cs <= node.i < ce:
                    return k
            if node.head.i == node.i:
                break
        local = [k for k in range(len(cues)) if cue_units[k] & here]
        return nearest(span, local) if local else None

    deferred = []
    for n, (comp, s, e) in enumerate(spans):
        if comp == "cue":
            continue
        k = owner((s, e), span_units[n])
        if k is None:
            deferred.append(n)
        else:
            groups[k][comp].append((s, e))
    # Spans in a sentence with no cue: to the nearest cue, unless it has one of its own from its
    # own sentence (a quoted content fragment may still join it: the quote goes on over the
    # sentences).
    own = [{comp for comp in ("source", "content") if g[comp]} for g in groups]
    for n in deferred:
        comp, s, e = spans[n]
        k = nearest((s, e), range(len(cues)))
        if comp in own[k] and not (comp == "content" and quoted[n]):
            continue
        groups[k][comp].append((s, e))
    for g in groups:
        g["content"].sort()
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
    """(kind, entity) for a source.

    * A named source is its own entity ("Port Authority spokeswoman Lena Holm"); a role with its
      holder's name in apposition ("The mayor's lawyer, Jon Ek,") is that person.
    * A pronoun points back to the last fitting named mention before it (a PERSON for
      he/she, an ORG for it/they).
    * A definite role ("the minister", "the chief executive") points back to the last PERSON
      mention the text ties to that role word (``_ties``); with none it stays kind ``role``
      with no entity, rather than going to whoever was named last.
    * A definite organisation noun ("the inspectorate", "the company") points back to the
      last organisation whose name has that noun or is the acronym of such a name, that the
      text ties to the noun, or, for a company word, that was named as a company
      (``_resolve_org``); with none it stays ``organisation`` with no entity. Never a person.
    """
    ids = {t.i for t in source}
    root = next((t for t in source if t.head.i not in ids or t.head.i == t.i), source[0])
    after = doc[source[-1].i + 1: min(len(doc), source[-1].i + 12, source[-1].sent.end)]
    kind = source_kind(source, " ".join(t.lower_ for t in after if not t.is_space))
    if kind in ("organisation", "person") and all(t.pos_ == "PROPN" for t in source) and len(source) <= 2:
        # A surname the tagger took for an organisation ("Fosse said" after "his lawyer, Mira
        # Fosse"): the person named before with that last name.
        person = _earlier_person(doc, source)
        if person is not None:
            return "person", person
    named = [t for t in source if t.ent_type_ == "PERSON"] if kind == "person" else []
    named = named or [t for t in source if t.ent_type_ in ORG_LABELS]
    if kind in ("person", "organisation") and named:
        i = named[0].i
        hit = next((text for s, e, _, text in _doc_ents(doc) if s <= i < e), None)
        return kind, hit if hit is not None else root.text
    if kind == "role":
        holder = _appositive_person(doc, source, root)
        if holder is not None:
            return "person", holder
    if kind == "pronoun":
        return _resolve_pronoun(doc, source, root)
    definite = source[0].lower_ == "the" and len(source) <= 4
    if not definite or kind not in ("role", "organisation") or any(t.ent_type_ == "PERSON" for t in source):
        return kind, None
    if kind == "organisation" or _keys(root) & ORG_HEAD_NOUNS:
        # "the unions": several organisations, not the one named before
        return "organisation", None if _plural(root) else _resolve_org(doc, root, source[0].i)
    holder = None if _plural(root) else _resolve_role(doc, root, source[0].i)  # "the officials": none
    return ("person", holder) if holder is not None else ("role", None)


def _earlier_person(doc: "Doc", source: Sequence["Token"]) -> str | None:
    """The latest PERSON mention before ``source`` of more words than it, ending with its
    last word, if any."""
    last = source[-1].text
    for s, e, label, text in reversed(_doc_ents(doc)):
        if e <= source[0].i and label == "PERSON" and e - s > len(source) and doc[e - 1].text == last:
            return text
    return None


def _resolve_pronoun(doc: "Doc", source: Sequence["Token"], root: "Token") -> tuple[str, str | None]:
    """The nearest fitting named mention before a pronoun: a PERSON for he/she/him/her, an
    ORG (or place, nationality, facility) for it/they; none for I/we/you."""
    want = {"he", "she", "him", "her"}
    labels = ("PERSON",) if root.lower_ in want else tuple(ORG_LABELS)
    if root.lower_ not in ("i", "we", "you"):
        first = source[0].i
        # The nearest fitting entity before the source, latest first (a Span's root costs a
        # walk over its tokens, so only candidates are built). A name used as a modifier
        # ("the Kestrel shipyard") is not a referent.
        for s, e, label, text in reversed(_doc_ents(doc)):
            if e > first or label not in labels:
                continue
            head = doc[s:e].root
            if not (head.dep_ in ("compound", "amod") and head.head.pos_ == "NOUN"):
                return ("person" if label == "PERSON" else "organisation"), text
    return ("role" if root.lower_ in want else "organisation"), None


# --- what a definite role or organisation noun points back to ------------------------------

#: Head nouns of an unnamed organisation ("the inspectorate said", "according to the
#: agency"): the source is an organisation, resolved only to an organisation that fits the
#: noun. ("guard" is left out: "the guard said" is more often a person than a coast guard.)
_ORG_EXTRA = frozenset("inspectorate regulator watchdog brigade municipality city secretariat presidency "
                       "prosecution utility network board".split())
#: Nouns for a business: an organisation named as a company fits them too ("Kestrel Group",
#: "Nordvik Ltd", "the shipping company, Nordvik Lines", the subject of "announced").
COMPANY_HEADS = frozenset("company firm group corporation carrier airline manufacturer maker producer "
                          "operator retailer insurer lender employer business conglomerate".split())
ORG_HEAD_NOUNS = (ORG_NOUNS | ORG_HEADS | COMPANY_HEADS | _ORG_EXTRA) - {"guard"}
#: Last words of a company's name.
_CORP_WORDS = LEGAL_WORDS | frozenset("industries works enterprises airlines airways motors".split())
#: Modifiers that make a title another role: "the mayor" is not "Deputy mayor Lena Holm",
#: "the minister" not "Prime Minister Jon Ek".
_ROLE_CHANGERS = frozenset("deputy vice assistant former ex associate prime co junior under".split())
#: "X, who heads the ministry" ties X to these roles, and to the ministry's own role word.
_HEAD_VERBS = frozenset("head lead run chair direct manage helm".split())
_HEAD_ROLES = frozenset("head chief leader chair chairman chairwoman chairperson director president "
                        "boss".split())
_ROLE_OF_ORG = {"ministry": "minister", "inspectorate": "inspector", "directorate": "director",
                "secretariat": "secretary", "presidency": "president", "commission": "commissioner",
                "council": "councillor", "chancellery": "chancellor", "prosecution": "prosecutor"}
#: "the agency" also fits a public body whose name ends in one of these ("Nordvik
#: Statistics Office ... the agency said"), besides one with "Agency" in its name.
_AGENCY_HEADS = frozenset("agency office bureau service administration department commission authority "
                          "inspectorate directorate board institute secretariat".split())
#: Abbreviated titles ("Sen. Maria Lopez" is tied to "the senator").
_TITLE_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
                        "pres": "president", "sec": "secretary", "col": "colonel", "lt": "lieutenant",
                        "capt": "captain", "cmdr": "commander", "adm": "admiral", "sgt": "sergeant",
                        "supt": "superintendent", "insp": "inspector", "prof": "professor", "amb": "ambassador"}
_TITLE_DEPS = frozenset({"compound", "amod", "nmod"})
_NAME_LINKERS = frozenset({"the", "of", "and", "for", "on", "de", "&", "-"})

#: A noun the text ties to a named mention: (its word forms, the words that narrow it down).
Tie = tuple[frozenset[str], frozenset[str]]


def _keys(tok: "Token") -> frozenset[str]:
    return frozenset((tok.lower_, tok.lemma_.lower()))


def _title_keys(tok: "Token") -> frozenset[str]:
    full = _TITLE_ABBREVIATIONS.get(tok.lower_.rstrip("."))
    return (_keys(tok) | {full}) if full else _keys(tok)


def _name_word(tok: "Token") -> str | None:
    """A word of a name, lower case and without dots ("U.S." -> "us"); None for linkers."""
    word = tok.lower_.replace(".", "")
    return word if word.isalpha() and word not in _NAME_LINKERS else None


def _plural(tok: "Token") -> bool:
    """A plural noun ("officials", "unions"; "police" is not)."""
    return tok.tag_ in ("NNS", "NNPS") and tok.lemma_.lower() != tok.lower_


def _mods(tok: "Token") -> frozenset[str]:
    """The words that narrow a noun down: "agriculture" in "the agriculture minister"."""
    return frozenset(c.lower_ for c in tok.children if c.dep_ in _TITLE_DEPS and c.pos_ in ("NOUN", "PROPN", "ADJ"))


def _compatible(source_mods: frozenset[str], mention_mods: frozenset[str]) -> bool:
    """A source's modifiers and a mention's describe one role: the same role-changing words
    (deputy, prime, ...), and one set of the other words inside the other ("the minister" and
    "Agriculture Minister Ana Ruiz" yes; "the finance minister" and that one no)."""
    if source_mods & _ROLE_CHANGERS != mention_mods & _ROLE_CHANGERS:
        return False
    a, b = source_mods - _ROLE_CHANGERS, mention_mods - _ROLE_CHANGERS
    return a <= b or b <= a


def _ties(doc: "Doc", s: int, e: int, title_words: frozenset[str] | None) -> list[Tie]:
    """The nouns the text ties to the named mention doc[s:e]:

    * a title before the name ("Agriculture Minister Ana Ruiz", "Port Authority spokeswoman
      Lena Holm": each word of it, with the others as its modifiers), and the words of
      ``title_words`` inside the entity ("Minister Ruiz");
    * apposition either way ("Ana Ruiz, the agriculture minister,"; "the shipping company,
      Nordvik Lines"; "His party, the Harbour League");
    * a relative clause ("Ruiz, who heads the ministry": head, chief, ... and minister; "who
      is the minister"; "who serves as spokeswoman") or a copula ("Ruiz is the minister").

    ``title_words`` is given for people: their appositions must then be common nouns.
    """
    root = doc[s:e].root
    title = []
    t = s - 1
    while t >= 0 and s - t <= 6:
        tok = doc[t]
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ") or tok.ent_type_ == "PERSON" \
                or tok.dep_ not in _TITLE_DEPS or not t < tok.head.i < e:
            break
        title.append(tok)
        t -= 1
    if title_words is not None:
        title += [tok for tok in doc[s:e] if tok.lower_ in title_words]
    ties: list[Tie] = [(_title_keys(tok), frozenset(x.lower_ for x in title if x.i != tok.i)) for tok in title]
    nouns = ("NOUN",) if title_words is not None else ("NOUN", "PROPN")
    ties += [(_keys(c), _mods(c)) for c in root.children
             if c.dep_ == "appos" and c.pos_ in nouns and c.ent_type_ != "PERSON"]
    head = root.head
    if root.dep_ == "appos" and head.pos_ in nouns and not s <= head.i < e and head.ent_type_ != "PERSON":
        ties.append((_keys(head), _mods(head)))
    for v in root.children:
        if v.dep_ != "relcl":
            continue
        for c in v.children:
            if c.dep_ == "dobj" and v.lemma_.lower() in _HEAD_VERBS:
                org_role = _ROLE_OF_ORG.get(c.lemma_.lower())
                ties.append((_HEAD_ROLES | ({org_role} if org_role else set()), _mods(c)))
            elif c.dep_ == "attr" and v.lemma_ == "be":
                ties.append((_keys(c), _mods(c)))
            elif c.dep_ == "prep" and c.lower_ == "as":
                ties += [(_keys(p), _mods(p)) for p in c.children if p.dep_ == "pobj"]
    if root.dep_ == "nsubj" and head.lemma_ == "be":
        ties += [(_keys(c), _mods(c)) for c in head.children if c.dep_ == "attr"]
    return ties


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Words that are a title inside a PERSON entity ("Minister Ruiz", "Dr Berg")."""
    return frozenset(ac.lexicon()["role_nouns"]["items"]) | ROLE_WORDS


def _person_mentions(doc: "Doc") -> list[tuple[int, int, str, list[Tie]]]:
    """(start, end, text, ties) of the Doc's PERSON entities, built once per Doc."""
    found = doc.user_data.get("newstrace_person_ties")
    if found is None:
        words = _title_words()
        found = doc.user_data["newstrace_person_ties"] = [
            (s, e, text, _ties(doc, s, e, words)) for s, e, label, text in _doc_ents(doc) if label == "PERSON"]
    return found


def _resolve_role(doc: "Doc", root: "Token", first: int) -> str | None:
    """The last PERSON mention before token ``first`` that the text ties to the role noun
    ``root`` with fitting modifiers."""
    keys, mods = _keys(root), _mods(root)
    for _, e, text, ties in reversed(_person_mentions(doc)):
        if e <= first and any(keys & k and _compatible(mods, m) for k, m in ties):
            return text
    return None


def _appositive_person(doc: "Doc", source: Sequence["Token"], root: "Token") -> str | None:
    """The PERSON in apposition to the head of a role source ("A union representative at the
    mill, Tomas Berg,"; "Its spokesman, Jon Ek,")."""
    for t in source:
        if t.ent_type_ == "PERSON" and t.dep_ == "appos" and t.head.i == root.i:
            return next((text for s, e, _, text in _doc_ents(doc) if s <= t.i < e), None)
    return None


def _is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 8 and text.isupper() and text.replace("-", "").isalpha()


def _long_forms(doc: "Doc") -> dict[str, tuple[str, ...]]:
    """Acronym -> the words of the capitalised name it follows in brackets ("the Regional
    Safety Inspectorate (RSI)"), tagged as entities or not."""
    out: dict[str, tuple[str, ...]] = {}
    for i in range(1, len(doc) - 2):
        if doc[i].text != "(" or doc[i + 2].text != ")" or not _is_acronym(doc[i + 1].text):
            continue
        j = i
        while j > 0 and i - j < 10 and doc[j - 1].lower_ != "the" and (
                (doc[j - 1].is_alpha and (doc[j - 1].is_title or doc[j - 1].is_upper))
                or doc[j - 1].lower_ in _NAME_LINKERS):
            j -= 1
        words = tuple(w for t in doc[j:i] if (w := _name_word(t)))
        if words:
            out.setdefault(doc[i + 1].text, words)
    return out


class _Org(NamedTuple):
    start: int
    end: int
    text: str
    bare: str  # without a leading "the"
    names: frozenset[str]  # the words of the name (and of the long form, for an acronym)
    lemmas: frozenset[str]
    last: str  # the last word of the name or long form ("office" for "Nordvik Statistics Office")
    ties: list[Tie]
    company: bool  # named as a company
    modifier: bool  # used as a modifier of a noun ("a Nordvik Audit Office report")
    core: str  # a company's name without its last legal word ("kestrel" for "Kestrel Group")
    long: tuple[str, ...]  # the words of the name in order


def _org_mentions(doc: "Doc") -> list[_Org]:
    """The Doc's organisation mentions in text order, built once per Doc. Acronyms that
    follow a long form in brackets count wherever they occur, tagged as entities or not."""
    found = doc.user_data.get("newstrace_org_ties")
    if found is not None:
        return found
    long_forms = _long_forms(doc)
    mentions = [(s, e, label, text) for s, e, label, text in _doc_ents(doc) if label in ORG_LABELS]
    covered = {i for s, e, _, _ in _doc_ents(doc) for i in range(s, e)}
    mentions += [(t.i, t.i + 1, "ORG", t.text) for t in doc if t.text in long_forms and t.i not in covered]
    found = []
    for s, e, label, text in sorted(mentions):
        span = doc[s:e]
        toks = [t for t in span if _name_word(t)]
        names = {w for t in toks if (w := _name_word(t))}
        lemmas = {t.lemma_.lower() for t in toks}
        last = (_name_word(toks[-1]) or "") if toks else ""
        bare = text[4:] if text.lower().startswith("the ") else text
        if _is_acronym(bare):
            long = long_forms.get(bare) or next((m.long for m in reversed(found) if not _is_acronym(m.bare)
                                                 and is_acronym_of(bare, m.bare)), ())
            names, lemmas, last = names | set(long), lemmas | set(long), long[-1] if long else last
        ties = _ties(doc, s, e, None)
        root = span.root
        words = bare.lower().replace(".", "").split()
        core = " ".join(w for w in words if w not in _CORP_WORDS) if len(words) > 1 and words[-1] in _CORP_WORDS else ""
        company = label == "ORG" and (bool(core) or (root.dep_ == "nsubj" and root.head.lemma_ == "announce")
                                      or any(k & COMPANY_HEADS for k, _ in ties))
        if not company:  # "Kestrel" after "Kestrel Group"
            full = next((m for m in reversed(found) if m.company and m.core == bare.lower()), None)
            if full is not None:
                company, names, lemmas = True, names | full.names, lemmas | full.names
        modifier = root.dep_ in ("compound", "amod") and root.head.pos_ == "NOUN"
        found.append(_Org(s, e, text, bare, frozenset(names), frozenset(lemmas), last, ties, company, modifier,
                          core, tuple(w for t in toks if (w := _name_word(t)))))
    doc.user_data["newstrace_org_ties"] = found
    return found


def _resolve_org(doc: "Doc", root: "Token", first: int) -> str | None:
    """The last organisation mention before token ``first`` that fits the noun ``root``: its
    name has the noun ("the inspectorate" <- "Regional Safety Inspectorate", or that name's
    acronym), the text ties the noun to it ("His party, the Harbour League"), or, for a company
    word, it was named as a company; "the agency" also takes a public body named "... Office",
    "... Bureau" and so on in its own sentence or the one before. The source's own modifiers
    must fit too ("the audit office" <- "Nordvik Audit Office", not "Foreign Office"). The
    last two do not take a name used as a modifier ("a Nordvik Audit Office report
    found that the agency ...")."""
    keys, mods = _keys(root), _mods(root)
    sent = doc[first].sent.start
    near = doc[sent - 1].sent.start if sent > 0 else 0
    for m in reversed(_org_mentions(doc)):
        if m.end > first:
            continue
        rest = m.names - keys
        # A name that is only the noun ("Bank" opening a sentence) names nothing.
        if (rest and keys & (m.names | m.lemmas) and _compatible(mods, rest)) \
                or any(keys & k and _compatible(mods, tm) for k, tm in m.ties) \
                or (keys & COMPANY_HEADS and m.company and not m.modifier
                    and _compatible(mods, rest - _CORP_WORDS)) \
                or ("agency" in keys and m.last in _AGENCY_HEADS and len(m.names) > 1 and not m.modifier
                    and m.start >= near and _compatible(mods, m.names - {m.last})):
            return m.text
    return None


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
    if group.get("hedge"):  # set by the rule that found it (an unattributed denial)
        level, hedge_toks = group["hedge"], cue_toks
    direct = all(_is_quoted(_text(doc), *(_char_span(doc, s, e).start, _char_span(doc, s, e).end))
                 for s, e in contents)
    anchor = content.start if group.get("continued") else cue.start
    sentence_index = max(0, bisect.bisect_right(sent_starts, anchor) - 1)
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
    # A cue the CRF found no content for makes no claim, so it must not hide the hedge adverb
    # it swallowed ("Kovalchuk [allegedly told] officials not to report the cases").
    groups = [without_addressee(doc, g) for g in directives_as_events(doc, repaired(doc, groups))]
    groups += nested_groups(doc, groups)
    cues = {i for g in groups for i in range(*g["cue"])}
    groups = shared_source(doc, [one for g in groups for one in second_statement(doc, g, cues)])
    groups = [part for g in groups for part in by_sentence(doc, g)]
    taken = [sp for g in groups if g["content"] for sp in [g["cue"], *g["content"]]]
    for g in groups + hedge_only_groups(doc, taken) + denial_groups(doc, taken):
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
        # Datelines and bylines ("Coastline Monitor, 9 February 2026") state nothing. The parser
        # may root a short sentence on its subject and hang the verb on it ("The *budget*
        # passed by 27 votes to 22"): a verb right after a noun root, as its clause, will do.
        if span is None or not (span.root.pos_ in ("VERB", "AUX") or any(
                t.dep_ == "acl" and t.pos_ == "VERB" and t.head.i == span.root.i == t.i - 1 for t in span)):
            continue
        if span.text.rstrip().rstrip("\"'\u201d\u2019").endswith("?"):
            continue  # a question states nothing
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


#: Verbs of telling whose object is the hearer ("told *the Courier* the ferry had not run"),
#: not the thing ordered ("ordered *the beach* closed").
_ADDRESSED = frozenset({"tell", "inform", "assure", "reassure", "remind", "notify", "promise", "brief",
                        "convince", "persuade", "warn", "advise"})


def without_addressee(doc: "Doc", g: dict) -> dict:
    """The group with its content starting after the cue verb's addressee: "told *Nordlake
    Wire* the town hadn't closed any school" is the town's schools, not the outlet's (the
    tagger often takes the object of "told" into the content, and the outlet's name then
    dilutes every comparison of the claim). Only where the content opens inside the verb's
    object and a clause of the verb follows it."""
    if not g["content"]:
        return g
    verb = next((t for t in doc[g["cue"][0]:g["cue"][1]] if t.lemma_.lower() in _ADDRESSED), None)
    if verb is None:
        return g
    first = min(s for s, _ in g["content"])
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "dative") and c.left_edge.i <= first <= c.i), None)
    if obj is None:
        return g
    clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > obj.i), None)
    if clause is None:
        return g
    start = obj.right_edge.i + 1
    while start < clause.i and (doc[start].lower_ == "that" or doc[start].is_punct):
        start += 1
    content = [(max(s, start), e) for s, e in g["content"] if e > start]
    return {**g, "content": content} if content else g


#: Verbs that tell someone to do something ("ordered doctors not to report the cases").
_DIRECTIVES = frozenset({"order", "instruct", "tell", "urge", "ask", "command", "direct", "force", "pressure",
                         "advise", "warn", "encourage", "beg", "implore", "request", "require"})


#: Cue verbs of an accusation: what is alleged is their object and its "of" / "for" phrase.
_ACCUSE = frozenset({"accuse", "charge", "blame"})


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    """The lexicon's verbs of saying and writing (lemmas)."""
    verbs = ac.lexicon()["cue_verbs"]
    return frozenset(verbs["speech"]) | frozenset(verbs["writing"])


def repaired(doc: "Doc", groups: list[dict]) -> list[dict]:
    """The tagger's groups with its commoner slips mended, each by the parse:

    * "..., according to *bank records shown to the court*": what follows "according to" is
      its source, never content; where the tagger marked it as neither ("According to *the
      inspector*, the older ..."), the object of "to" is the source;
    * "X is expected to Y, according to *sources*": a source the tagger left in a group of its
      own, with no content, is the source of the sentence's group that has content and none;
      so is a speech verb's subject left alone when the content is in that verb's clause
      ("*The press office* said *in a news release* that ..."), and the verb is the cue;
    * "*The prosecution* also accused Greve *of lying to auditors*": the object and its "of"
      phrase are the content of a cue that got none;
    * "*A witness, who did not want to be named,* said the robbers ...": a span before the cue
      holding the cue verb's subject is its source, not content, when content follows the cue;
    * "He said *two council officials had told* him that the mayor's office asked ...": a
      content that stops at a verb of telling, whose own clause runs on past it, stopped at an
      inner attribution the tagger cannot nest; it runs to that clause's end, so the outer claim
      is whole and :func:`nested_groups` finds the inner one.

    ``extract_groups``, which the PolNeAR benchmarks score, is left as the tagger has it."""
    out = [{**g, "source": list(g["source"]), "content": list(g["content"])} for g in groups]
    according = [doc[g["cue"][0]:g["cue"][1]].text.casefold() == "according to" for g in out]
    for g, by_source in zip(out, according):
        cue_s, cue_e = g["cue"]
        if by_source and not g["source"] and len(g["content"]) > 1:
            after = [sp for sp in g["content"] if sp[0] == cue_e]
            if after:
                g["source"], g["content"] = after, [sp for sp in g["content"] if sp not in after]
        if by_source and not g["source"] and g["content"]:
            obj = next((c for c in doc[cue_e - 1].children if c.dep_ == "pobj"), None)
            if obj is not None and obj.left_edge.i == cue_e and all(obj.right_edge.i < a or b <= cue_s
                                                                    for a, b in g["content"]):
                g["source"] = [(cue_e, obj.right_edge.i + 1)]
        if by_source and len(g["content"]) == 1:
            g["content"] = [_clause_before(doc, out, g, *g["content"][0])]
        verb = next((t for t in doc[cue_s:cue_e] if t.pos_ == "VERB"), None)
        if verb is None:
            continue
        if not g["content"] and g["source"] and verb.lemma_.lower() in _ACCUSE:
            accused = _accused(verb)
            if accused is not None:
                g["content"] = [accused]
        if not g["source"] and len(g["content"]) > 1 and verb.lemma_.lower() in _speech_verbs():
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            before = [sp for sp in g["content"] if sp[1] <= cue_s and subj is not None and sp[0] <= subj.i < sp[1]]
            if before and any(sp[0] >= cue_e for sp in g["content"]):
                g["source"], g["content"] = before, [sp for sp in g["content"] if sp not in before]
        if len(g["content"]) == 1:
            g["content"] = [_told_clause(doc, verb, *g["content"][0])]
    for lone, by_source in zip(out, according):
        if lone["content"] or not lone["source"]:
            continue
        verb = next((t for t in doc[lone["cue"][0]:lone["cue"][1]] if t.pos_ == "VERB"), None)
        speech = verb is not None and verb.lemma_.lower() in _speech_verbs()
        if not by_source and not speech:
            continue
        sent = doc[lone["cue"][0]].sent
        lo, hi = (sent.start, sent.end) if by_source else (verb.left_edge.i, verb.right_edge.i + 1)
        takers = [g for g in out if g["content"] and not g["source"]
                  and all(lo <= a and b <= hi for a, b in g["content"])]
        if len(takers) == 1:
            takers[0]["source"] = lone["source"]
            if speech and not any(t.pos_ == "VERB" for t in doc[takers[0]["cue"][0]:takers[0]["cue"][1]]):
                takers[0]["cue"] = lone["cue"]
                takers[0]["content"] = [(a + (doc[a].dep_ == "mark" and b - a > 1), b) for a, b in takers[0]["content"]]
    return out


def _clause_before(doc: "Doc", groups: list[dict], g: dict, a: int, b: int) -> tuple[int, int]:
    """The content ``(a, b)`` of a trailing "..., according to X" run back to its sentence's
    start where the tagger cut it short ("The fire started shortly after 2 a.m. in *the
    factory's mixing hall*, according to the fire service"): what comes before the attribution
    is what it attributes, when nothing else of any group lies there."""
    cue_s = g["cue"][0]
    between = [t for t in doc[b:cue_s] if not (t.is_punct or t.is_space)]
    if between or b > cue_s:
        return a, b
    start = doc[cue_s].sent.start
    while start < a and (doc[start].is_punct or doc[start].is_space):
        start += 1
    if start >= a or any(start <= i < a for other in groups
                         for x, y in [other["cue"], *other["source"], *other["content"]] for i in range(x, y)):
        return a, b
    if not any(t.pos_ in ("VERB", "AUX") for t in doc[start:b]):
        return a, b
    return start, b


def _accused(verb: "Token") -> tuple[int, int] | None:
    """The token range of whom an accusing verb accuses and of what: "accused *the newspaper of
    lying about the figures*" (its object to the end of its "of" / "for" phrase), or None."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
    of = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
    return (obj.left_edge.i, of.right_edge.i + 1) if obj is not None and of is not None else None


def _told_clause(doc: "Doc", cue: "Token", a: int, b: int) -> tuple[int, int]:
    """``(a, b)`` run on to the end of the clause of a verb of telling that ends it, where that
    verb is the cue's own clause ("said [officials had told him] that ...")."""
    last = doc[b - 1]
    if last.pos_ != "VERB" or last.lemma_.lower() not in _NESTED_CUES or last.head.i != cue.i or last.dep_ != "ccomp":
        return a, b
    clause = next((c for c in last.children if c.dep_ == "ccomp" and c.i >= b), None)
    if clause is None:
        return a, b
    end = clause.right_edge.i + 1
    while end > b and doc[end - 1].is_punct:
        end -= 1
    return (a, end) if end <= last.sent.end else (a, b)


#: A speaker's own voice or the audience's: "I told you that ..." reports no other source.
_PERSONAL_VOICE = frozenset({"i", "we", "you", "me", "us"})
#: Verbs of telling whose subject (or "by" agent) is the source of a reported claim inside
#: another one ("the minister said *police had told her* that ...").
_NESTED_CUES = frozenset({"tell", "say", "inform", "assure", "warn", "brief"})


#: Verbs of a second statement by a claim's own source, run on in its content: "denied that
#: ... *and accused* troops of ...", "rejected claims that ..., *saying* the release ...".
_SECOND_CUES = frozenset({"accuse", "blame", "say", "insist", "add", "argue", "warn"})


def second_statement(doc: "Doc", group: dict, cues: set[int]) -> list[dict]:
    """A source's second statement that the tagger ran into the first one's content, split off
    as a claim of its own: "The Front denied that its fighters had fired on the post *and
    accused government troops of shelling residential streets*"; "Solheim rejected claims
    that the team had exaggerated its findings*, saying the press release had been written
    without her approval*". Kept in one, the accusation was denied with the denial, and the
    reason given was a claim rejected. The verb must follow "and" in the cue's own past form,
    or ", " as a participle ("saying"), and have no subject of its own; its object (an
    accusation) or clause is the new content, under the same source. ("X denied that the
    officer had stopped a car and accused its driver of speeding" reads wrongly so: the parse
    cannot tell the two levels apart, and a denial with a counter-accusation is the commoner.)"""
    if len(group["content"]) != 1 or not group["source"]:
        return [group]
    a, b = group["content"][0]
    cue = next((t for t in doc[group["cue"][0]:group["cue"][1]] if t.pos_ == "VERB"), None)
    if cue is None:
        return [group]
    # "The ministry denied the report and accused the newspaper of lying": the tagger may mark
    # no group for the accusation after the content at all.
    after = next((c for c in cue.children if c.dep_ == "conj" and c.i >= b and c.i not in cues
                  and c.lemma_.lower() in _ACCUSE and not any(k.dep_ == "nsubj" for k in c.children)), None)
    accused = _accused(after) if after is not None else None
    if accused is not None and accused[1] - accused[0] >= 3:
        return [group, {**group, "cue": (after.i, after.i + 1), "content": [accused], "method": "second-statement-rules"}]
    for t in doc[a + 2:b - 1]:
        lemma = t.lemma_.lower()
        if t.pos_ != "VERB" or lemma not in _SECOND_CUES or any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            continue
        before = doc[t.i - 1]
        joined = before.lower_ == "and" and cue.tag_ == "VBD" and t.tag_ in ("VBD", "VBN") and lemma in _ACCUSE
        participle = before.text == "," and t.tag_ == "VBG" and lemma not in _ACCUSE
        if not (joined or participle):
            continue
        if joined:
            accused = _accused(t)
            if accused is None:
                return [group]
            start = accused[0]
        else:
            start = t.i + 1 + (doc[t.i + 1].dep_ == "mark")
        end = b
        while end > start and doc[end - 1].is_punct:
            end -= 1
        if end - start < 3:
            return [group]
        return [{**group, "content": [(a, before.i)]},
                {**group, "cue": (t.i, t.i + 1), "content": [(start, end)], "method": "second-statement-rules"}]
    return [group]


def shared_source(doc: "Doc", groups: list[dict]) -> list[dict]:
    """The source of a claim lent to the second statement the tagger found after it with no
    source of its own ("The League denied that ... *and accused* police of ...", "Lindqvist
    rejected claims that ...*, saying* the summary ..."): a verb of :data:`_SECOND_CUES`
    with no subject, right after "and" or a comma that ends the first claim's content."""
    ends = {}
    for g in groups:
        if g["source"] and g["content"]:
            ends[max(b for _, b in g["content"])] = g
    out = []
    for g in groups:
        verb = next((t for t in doc[g["cue"][0]:g["cue"][1]] if t.pos_ == "VERB"), None)
        first = ends.get(g["cue"][0] - 1)
        if (not g["source"] and g["content"] and verb is not None and first is not None
                and verb.lemma_.lower() in _SECOND_CUES and doc[g["cue"][0] - 1].lower_ in ("and", ",")
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)):
            g = {**g, "source": first["source"], "method": "second-statement-rules"}
        out.append(g)
    return out


def by_sentence(doc: "Doc", group: dict) -> list[dict]:
    """A quotation that runs on into sentences of its own, one claim per such sentence:
    ""The third man ran off across the fields," Boyd said. "We believe he is still in the
    area."" The tagger gives both sentences to one cue; as one claim, its content held the
    cue between them, and the second sentence's hedge ("We believe") was the first's. Each
    continued sentence keeps the cue and source, with its own content and hedge; the parts in
    the cue's own sentence ("..., she said, "and I will not ..."") stay one claim."""
    if len(group["content"]) < 2:
        return [group]
    cue_sent = doc[group["cue"][0]].sent.start
    own: list[tuple[int, int]] = []
    rest: dict[int, list[tuple[int, int]]] = {}
    for a, b in sorted(group["content"]):
        if cue_sent in (doc[a].sent.start, doc[b - 1].sent.start):
            own.append((a, b))
        else:
            rest.setdefault(doc[a].sent.start, []).append((a, b))
    if not own or not rest:
        return [group]
    return [{**group, "content": own}] + [{**group, "content": spans, "continued": True} for spans in rest.values()]


def nested_groups(doc: "Doc", groups: list[dict]) -> list[dict]:
    """Attributions inside a claim's content: "He said *two council officials had told him*
    the mayor's office asked them ...", "Dahl said *he had been told by Solbakk managers*
    that no closures were planned". The outer claim stays (it is what the article reports the
    outer speaker said); the inner one is the reported source's claim, with its verb as cue,
    its subject or "by" agent as source and its clause as content. The tagger marks only the
    outer one, as PolNeAR annotates only the outermost attribution of a sentence."""
    taken = {tuple(g["content"][0]) for g in groups if len(g["content"]) == 1}
    out = []
    for g in groups:
        for a, b in g["content"]:
            for t in doc[a:b]:
                if t.pos_ != "VERB" or t.lemma_.lower() not in _NESTED_CUES:
                    continue
                clause = next((c for c in t.children if c.dep_ == "ccomp" and a <= c.left_edge.i and c.right_edge.i < b),
                              None)
                who = next((c for c in t.children if c.dep_ == "nsubj"), None)
                agent = next((c for c in t.children if c.dep_ == "agent"), None)
                if agent is not None:
                    who = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if clause is None or who is None or not a <= who.left_edge.i < b or who.lower_ in _PERSONAL_VOICE:
                    continue  # "I told you that ...", "you said you wanted ...": rhetoric, not a source
                content = _clause_span(doc, clause)
                if content[1] - content[0] < 3 or content in taken:
                    continue
                auxes = [c.i for c in t.children if c.dep_ in ("aux", "auxpass") and c.i < t.i]
                taken.add(content)
                out.append({"cue": (min([t.i, *auxes]), t.i + 1), "source": [(who.left_edge.i, who.right_edge.i + 1)],
                            "content": [content], "method": "nested-rules"})
    return out


def directives_as_events(doc: "Doc", groups: list[dict]) -> list[dict]:
    """An order is an event the article reports, not the giver's claim of fact.

    PolNeAR annotates "X ordered doctors not to report the cases" as an attribution: source X,
    cue "ordered", content "doctors not to report the cases". Read that way, X becomes the
    speaker of a claim that he ordered nothing (a claim table shows "Kovalchuk" beside
    "doctors not to report the cases"), while what the article asserts, that X gave the order,
    is lost. So a group whose cue is a directive verb with an object and a to-infinitive
    ("told doctors to", "urged Republicans to") becomes a source-less claim of the whole
    clause, giver, verb and all (``method`` "directive-rules"; a hedge adverb inside it,
    "allegedly ordered", is the claim's hedge); where another group's content already holds
    that clause ("X ordered ..., officials said"), it is dropped. A "that" clause ("told
    reporters that ...") is speech and stays. ``extract_groups``, which the PolNeAR benchmark
    scores, is left as the annotation has it."""
    out: list[dict] = []
    events: list[tuple[dict, tuple[int, int]]] = []
    for g in groups:
        clause = _directive_clause(doc, g)
        if clause is None:
            out.append(g)
        else:
            events.append((g, clause))
    held = [(min(a for a, _ in h["content"]), max(b for _, b in h["content"])) for h in out if h["content"]]
    for g, (s, e) in events:
        if not any(a <= s and e <= b for a, b in held):
            out.append({"cue": g["cue"], "source": [], "content": [(s, e)], "method": "directive-rules"})
        rest = _after_order(doc, g, e, groups)
        if rest is not None:
            out.append(rest)
    return out


def _after_order(doc: "Doc", g: dict, end: int, groups: list[dict]) -> dict | None:
    """What the tagger put in an order's content after the order's sentence: the giver's next words
    ("ordered the beach closed. "Health comes first," she said."), which must not be lost with
    the order. They stay the giver's claim, under the cue that follows them where there is one
    ("she said", which the tagger left without content), else under the order's cue."""
    rest = []
    for a, b in g["content"]:
        a = max(a, end, doc[end - 1].sent.end)
        while a < b and (doc[a].is_space or (doc[a].is_punct and not doc[a].is_quote)):
            a += 1
        if b - a > 0:
            rest.append((a, b))
    if sum(b - a for a, b in rest) < 3:
        return None
    cue = next((h["cue"] for h in groups if not h["content"] and 0 <= h["cue"][0] - rest[-1][1] <= 3), g["cue"])
    return {"cue": cue, "source": g["source"], "content": rest}


def _directive_clause(doc: "Doc", g: dict) -> tuple[int, int] | None:
    """The token range of "X ordered Y (not) to Z" or "X ordered Y closed" when ``g``'s cue is
    such a directive, its content following the cue; else None."""
    if not g["content"]:
        return None
    verb = next((t for t in doc[g["cue"][0]:g["cue"][1]] if t.lemma_.lower() in _DIRECTIVES and t.pos_ == "VERB"),
                None)
    if verb is None or min(s for s, _ in g["content"]) <= verb.i:
        return None
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
    if obj is None:
        return None
    # What the object is to do ("doctors not *to report*") or to become ("the beach *closed*",
    # "the roads *cleared*"): a to-infinitive, or a participle after the object.
    done = next((c for c in verb.children if c.dep_ == "xcomp"
                 and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
    if done is None:
        done = next((c for c in [*verb.children, *obj.children] if c.dep_ in ("ccomp", "oprd", "acl", "xcomp")
                     and c.tag_ in ("VBN", "VBD") and c.i > obj.i
                     and not any(a.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for a in c.children)), None)
    if done is None:
        done = _result_state(doc, verb, obj)
    if done is None:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    starts = [verb.i] + ([subject.left_edge.i] if subject is not None else []) + [s for s, _ in g["source"]]
    # The clause ends with the order's own words: a trailing "..., documents show" is not in it.
    s, e = min(starts), max(done.right_edge.i, obj.right_edge.i) + 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    return s, e


#: Participles of the state an order puts its object in that the small parser reads as nouns
#: when they end the object phrase ("ordered the beach *shut*", "... the area at the beach *shut*").
_RESULT_STATES = frozenset({"shut", "closed", "sealed", "cordoned", "evacuated", "cleared", "locked", "reopened",
                            "suspended", "halted", "demolished", "released", "detained", "arrested", "banned"})


def _result_state(doc: "Doc", verb: "Token", obj: "Token") -> "Token | None":
    """The first word of the object's phrase of ``verb`` that names such a state right after a
    noun of the phrase (not "ordered *the* closed ..."), else None."""
    return next((t for t in obj.subtree if t.lower_ in _RESULT_STATES and t.i > verb.i + 2
                 and doc[t.i - 1].pos_ in ("NOUN", "PROPN")), None)


#: Nouns whose absence denies what their clause says ("no evidence that ...").
_ABSENT = frozenset({"evidence", "proof", "sign", "signs", "indication", "indications", "basis", "record", "trace"})
#: Adjectives that call what their subject's clause says untrue ("reports that ... are false").
_UNTRUE = frozenset({"false", "untrue", "baseless", "unfounded", "fabricated", "bogus", "groundless", "incorrect"})
#: The same, negated ("it is not true that ...").
_TRUE = frozenset({"true", "correct", "accurate"})


def _that_clause(tok: "Token") -> "Token | None":
    """The clause ``tok`` governs with "that" ("evidence *that the dam broke*"), if any."""
    for c in tok.children:
        if c.dep_ in ("acl", "ccomp", "advcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            return c
    return None


def _clause_span(doc: "Doc", clause: "Token") -> tuple[int, int]:
    """Token range of ``clause`` without its "that" and trailing punctuation."""
    s, e = clause.left_edge.i, clause.right_edge.i + 1
    while s < e and (doc[s].dep_ == "mark" or doc[s].is_punct):
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    return s, e


def denial_groups(doc: "Doc", taken: list[tuple[int, int]]) -> list[dict]:
    """Claims an article denies in its own voice, which PolNeAR does not annotate (no source)
    but a fact check is made of: "There is no evidence that X", "No evidence has emerged that
    X", "Reports that X are false", "It is not true that X". The content is X, the cue the
    denying words, the hedge ``denied``; skipped where a found claim already covers the cue
    (a source's denial has its claim, with its source)."""
    out = []
    for tok in doc:
        cue: tuple[int, int] | None = None
        clause = None
        low = tok.lower_
        if low in _ABSENT and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            clause = _that_clause(tok) or (_that_clause(tok.head) if tok.dep_ in ("nsubj", "nsubjpass") else None)
            det = min(c.i for c in tok.children if c.dep_ == "det" and c.lower_ == "no")
            cue = (det, tok.i + 1)
        elif tok.dep_ == "acomp" and (low in _UNTRUE or (low in _TRUE and any(c.dep_ == "neg" for c in tok.head.children))):
            subject = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None:
                clause = _that_clause(subject) if subject.lower_ != "it" else _that_clause(tok.head)
            cue = (min(tok.head.i, tok.i), tok.i + 1)
        if clause is None or cue is None or any(s <= i < e for s, e in taken for i in range(*cue)):
            continue
        s, e = _clause_span(doc, clause)
        if e - s >= 3:
            out.append({"cue": cue, "source": [], "content": [(s, e)], "method": "denial-rules", "hedge": "denied"})
    return out


def extract_claims_from_text(text: str, article_id: str, method: str = "auto") -> list[Claim]:
    """Parse ``text`` with the full spaCy pipeline and extract its claims."""
    from newstrace.nlp import spacy_pipeline

    return extract_claims(spacy_pipeline("full")(text), article_id, method)
