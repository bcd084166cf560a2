"""Values two sentences told alike give at the same point: a place, a weekday, an act and its
opposite, who did what to whom.

Two reports of one event often differ only in a word: "the amendment was *approved*" / "was
*rejected*", "collided *near Hollin*" / "*near Drummel*", "Korvenia summoned the Lestrian
ambassador" / "Lestria summoned the Korvenian ambassador". :func:`aligned_values` aligns two
sentences word by word and names what was replaced; :func:`named_predicates` reads which
names an act of an opposite pair (:data:`_OPPOSITE`) is said of, for sentences worded too
differently to align. Pure functions of text, like :mod:`newstrace.figures`.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from newstrace import claim_matching as cm
from newstrace.figures import PERSON, TELLING, WEEKDAY_NAMES, possessor
from newstrace.names import normalize, tokens_match
from newstrace.text import strip_dateline

#: Words that put a place name after them ("in Hollin", "at Skarra", "near Drummel").
_PLACE_PREPS = frozenset({"in", "at", "near", "outside"})


ALIGN_TOKEN = re.compile(r"\w[\w'\u2019-]*|[^\w\s]")
#: Cheap test for a text that can hold such a value at all.
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
VALUE_SITE = re.compile(rf"\b(?:in|at|near|outside)\s+[A-Z]|\b{_WEEKDAY}\b")


def _opposites(families: dict[str, tuple[str, str]]) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for family, (plus, minus) in families.items():
        for sign, words in ((1, plus), (-1, minus)):
            for phrase in words.split(","):
                out[" ".join(phrase.split())] = (family, sign)
    return out


#: Predicates that state the opposite of each other without a negation: what a claim says
#: happened, told the other way ("shares *rose* 2.4 per cent" / "*fell* 2.4 per cent", "the
#: amendment was *approved*" / "was *rejected*", "convicted" / "acquitted"). Each phrase is in one
#: family only ("declined" an offer, not a share price).
_OPPOSITE = _opposites({
    "up-down": ("rose,risen,rise,rises,climbed,gained,increased,jumped,raised,soared,higher",
                "fell,fallen,fall,falls,dropped,decreased,slid,slipped,cut,reduced,lowered,tumbled,lower"),
    "assent": ("approved,passed,adopted,accepted,agreed,backed,carried,upheld",
               "rejected,defeated,voted down,turned down,refused,declined,overturned,vetoed"),
    "verdict": ("convicted,found guilty,guilty", "acquitted,cleared,found not guilty,not guilty"),
    "open": ("opened,reopened,open,reopens,opens", "closed,shut,close,closes,remained closed,stayed closed"),
    "outcome": ("won,wins", "lost,loses"),
    "alive": ("survived,alive,rescued", "died,dead,killed"),
    # Leaving a post and keeping it: "resigned on Tuesday" / "has refused to resign", "would not
    # resign"; "was suspended" / "has remained in charge".
    "office": ("resigned,resigns,resign,quit,quits,stepped down,steps down,step down,sacked,dismissed,ousted,"
               "suspended",
               "refused to resign,refuses to resign,refused to quit,refused to step down,remained in charge,"
               "remains in charge,remained in post,remains in post,remained in office,remains in office,stayed on,"
               "stays on,kept his job,kept her job"),
})
#: Auxiliaries and adverbs around such a predicate that do not change it.
_PREDICATE_FILLER = frozenset("was were is are be been being has have had also then later".split())
#: Cheap test for a text that can hold such a predicate.
OPPOSITE_SITE = re.compile(r"\b(?:" + "|".join(sorted({re.escape(p.split()[0]) for p in _OPPOSITE}, key=len,
                                                            reverse=True)) + r")\b", re.IGNORECASE)


#: "X <verb> Y" with two names, for a claim told the other way round ("Lindhaven beat Norrby" /
#: "Norrby beat Lindhaven", "Selvane sued Brenholt" / "Brenholt sued Selvane").
_NAME = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){0,2}"
_SWAP_VERBS = ("beat|beats|defeated|defeats|sued|sues|attacked|attacks|accused|accuses|acquired|acquires|"
               "bought|buys|fined|fines|arrested|arrests|shot|overtook|overtakes|outvoted|sacked|fired|"
               "invaded|invades|blamed|blames")
SWAP = re.compile(rf"(?<![\w'\u2019])({_NAME})\s+({_SWAP_VERBS})\s+({_NAME})")
#: A win told in other words, as (winner, loser): "X came from behind to beat Y", "gave X a 2-1
#: victory over Y", "Y lost 2-1 to X", "Y left empty-handed after a 2-1 defeat by X".
_SCORE = r"(?:\d+-\d+\s+)?"
_WINS = (re.compile(rf"(?<![\w'\u2019])({_NAME})\s+(?:[a-z]+\s+){{1,4}}?to\s+(?:beat|defeat|overcome)\s+({_NAME})"),
         re.compile(rf"(?<![\w'\u2019])({_NAME})(?:'s|\u2019s)?\s+(?:an?\s+)?{_SCORE}(?:victory|win)\s+(?:over|against)\s+"
                    rf"({_NAME})"))
_LOSSES = (re.compile(rf"(?<![\w'\u2019])({_NAME})\s+(?:lost|lose|loses|went\s+down)\s+{_SCORE}to\s+({_NAME})"),
           re.compile(rf"(?<![\w'\u2019])({_NAME})\s+(?:[\w'\u2019-]+\s+){{0,8}}?after\s+an?\s+{_SCORE}(?:defeat|loss)\s+"
                      rf"(?:by|to|against)\s+({_NAME})"))
#: Verbs of one act: "beat" and "defeated" are one, so "X beat Y" / "Y defeated X" is told round.
_SWAP_FAMILY = {"beats": "beat", "defeated": "beat", "defeats": "beat", "overtakes": "overtook", "sues": "sued",
                "attacks": "attacked", "accuses": "accused", "acquires": "acquired", "buys": "acquired",
                "bought": "acquired", "fines": "fined", "arrests": "arrested", "invades": "invaded", "blames": "blamed"}
#: A state's act on another's envoy: "Korvenia summoned the Lestrian ambassador" (the envoy
#: named by the country's adjective).
_ENVOY = re.compile(rf"(?<![\w'\u2019])({_NAME})\s+(summoned|expelled|recalled)\s+(?:the\s+)?({_NAME})\s+"
                    r"(?:ambassador|envoy|diplomats?|charg\w+)\b")
SWAP_SITE = re.compile(rf"\b(?:{_SWAP_VERBS}|summoned|expelled|recalled|victory|win|lost|lose|loses|defeat|loss|"
                       r"went\s+down)\b")


def who_did_what(text: str) -> list[tuple[str, str, str, str]]:
    """Who did what to whom in ``text``: ``(doer, act, done to, the words)``, names casefolded,
    the act's verb family ("defeated" is "beat"); a win told in other words (:data:`_WINS`,
    :data:`_LOSSES`) is "beat"."""
    def name(words_: str) -> str:
        words = words_.split()
        while words and (words[0].casefold() in cm._STOP or words[0].casefold() in WEEKDAY_NAMES
                         or words[0].casefold() in cm._MONTHS):
            words = words[1:]  # "On Sunday Norrby beat ...": the name is Norrby
        return " ".join(words)

    found = []
    for m in SWAP.finditer(text):
        doer, verb = name(m.group(1)), m.group(2).casefold()
        if doer:
            found.append((doer.casefold(), _SWAP_FAMILY.get(verb, verb), m.group(3).casefold(),
                          f"{doer} {m.group(2)} {m.group(3)}"))
    for pattern, won in [(p, True) for p in _WINS] + [(p, False) for p in _LOSSES]:
        for m in pattern.finditer(text):
            one, other = name(m.group(1)), m.group(2)
            if one:
                winner, loser = (one, other) if won else (other, one)
                found.append((winner.casefold(), "beat", loser.casefold(), m.group(0)))
    for m in _ENVOY.finditer(text):
        doer = name(m.group(1))
        if doer:
            found.append((_state(doer), m.group(2).casefold(), _state(m.group(3)), m.group(0)))
    return found


def _state(name: str) -> str:
    """A country's name, its possessive and its adjective as one key: "Lestria", "Lestria's"
    and "Lestrian" are "lestria"."""
    low = re.sub(r"['\u2019]s$", "", name.casefold())
    return low[:-1] if low.endswith(("ian", "an")) and len(low) > 4 else low


def _swapped(a: str, b: str) -> list[tuple[str, str, str, str]]:
    """Who did what to whom, told the other way round: "X beat Y" in one text, "Y beat X" (or
    "X lost to Y") in the other: one act, the two names exchanged."""
    out = []
    for x, verb, y, told_a in who_did_what(a):
        for x2, verb2, y2, told_b in who_did_what(b):
            if verb == verb2 and x != y and (x2, y2) == (y, x):
                out.append(("swapped", told_a, told_b, verb))
    return list(dict.fromkeys(out))


def opposite_predicates(a: list[str], b: list[str]) -> bool:
    """Whether two runs of words are predicates of one :data:`_OPPOSITE` family with opposite
    signs (:func:`predicate_sign`)."""
    pa, pb = predicate_sign(a), predicate_sign(b)
    if not (pa and pb and pa[0] == pb[0] and pa[1] != pb[1]):
        return False
    # "reopened" tells that it was closed before: only "remained closed" denies it.
    for again, state in ((a, b), (b, a)):
        if any(w.startswith("re") and _OPPOSITE.get(w, ("", 0))[0] == "open" for w in again):
            return any(w in ("remained", "stayed", "still") for w in state)
    return True


def predicate_sign(tokens: list[str]) -> tuple[str, int] | None:
    """The opposite family and sign of a replaced run of words, its sign turned by a "not"."""
    words = [t for t in tokens if t not in _PREDICATE_FILLER]
    sign = 1
    if words and words[0] in ("not", "never") and " ".join(words) not in _OPPOSITE:
        words, sign = words[1:], -1
    found = _OPPOSITE.get(" ".join(words))
    return (found[0], found[1] * sign) if found else None


def aligned_values(a: str, b: str) -> list[tuple[str, str, str, str]]:
    """Places, weekdays and predicates that two wordings of one claim give differently at the
    same point: ``(type, value in a, value in b, context)``, ``type`` ``place`` (a capitalised
    name of up to three words after "in", "at", "near" or "outside"), ``weekday`` or
    ``opposite`` (two predicates of one :data:`_OPPOSITE` family with opposite signs: "shares
    *rose*" / "shares *fell*"), where the two words before or the two after are the same on
    both sides ("the Skarra checkpoint in *Hollin* shortly after" / "... in *Drummel* shortly
    after"); or ``swapped``: two names exchanged around one verb, in any word order
    (:func:`_swapped`). Names that are spellings of one name (Kyiv, Kiev) are not two values."""
    ta, tb = ALIGN_TOKEN.findall(a), ALIGN_TOKEN.findall(b)
    la, lb = [t.casefold() for t in ta], [t.casefold() for t in tb]
    out = _swapped(a, b)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
        if op != "replace":
            continue
        left = i1 >= 2 and j1 >= 2 and la[i1 - 2:i1] == lb[j1 - 2:j1]
        if left and (i2 - i1 > 3 or j2 - j1 > 3):
            # A longer change that starts with opposite predicates: "open was *approved*." /
            # "open was *rejected* by 25 votes to 24".
            hit = next(((k, m) for k in range(1, min(3, i2 - i1) + 1) for m in range(1, min(3, j2 - j1) + 1)
                        if opposite_predicates(la[i1:i1 + k], lb[j1:j1 + m])), None)
            if hit:
                context = " ".join(ta[max(0, i1 - 3):i1]) + " _"
                out.append(("opposite", " ".join(ta[i1:i1 + hit[0]]), " ".join(tb[j1:j1 + hit[1]]), context))
            continue
        if not (i2 - i1 <= 3 and j2 - j1 <= 3):
            continue
        right = len(la[i2:i2 + 2]) == 2 and la[i2:i2 + 2] == lb[j2:j2 + 2]
        if not (left or right):
            continue
        va, vb = ta[i1:i2], tb[j1:j2]
        context = " ".join(ta[max(0, i1 - 3):i1]) + " _ " + " ".join(ta[i2:i2 + 3])
        if opposite_predicates(la[i1:i2], lb[j1:j2]):
            out.append(("opposite", " ".join(va), " ".join(vb), context))
        elif len(va) == len(vb) == 1 and la[i1] in WEEKDAY_NAMES and lb[j1] in WEEKDAY_NAMES:
            if not ({la[i1 - 1] if i1 else "", la[i1 - 2] if i1 > 1 else ""} & TELLING):
                out.append(("weekday", va[0], vb[0], context))
        elif (i1 and j1 and la[i1 - 1] in _PLACE_PREPS and la[i1 - 1] == lb[j1 - 1]
              and (words_a := _unarticled(va)) and (words_b := _unarticled(vb))
              and all(w[:1].isupper() and w.isalpha() for w in words_a + words_b)
              and not any(w.casefold() in WEEKDAY_NAMES or w.casefold() in cm._MONTHS for w in words_a + words_b)):
            name_a, name_b = " ".join(va), " ".join(vb)
            if tokens_match(normalize(name_a), normalize(name_b)) < 0.8:
                out.append(("place", name_a, name_b, context))
    return out


def _unarticled(words: list[str]) -> list[str]:
    """A place's words without a leading "the" ("at *the* Harbour Ground")."""
    return words[1:] if words[:1] and words[0].casefold() == "the" else words


#: Words that end the clause a predicate's name is looked for in, reading back from it:
#: "Quellan was convicted, *while* Lorrimer was cleared", "Quellan, *whose* co-defendant was
#: cleared".
_NAME_CLAUSE_ENDS = frozenset({";", "but", "while", "whereas", "although", "whose"})
#: :data:`_OPPOSITE` families that tell a state at a time, not an outcome: "remained closed on
#: Wednesday morning" and "reopened shortly before midnight" are news, "rescued" and "died in
#: hospital" too. Sentences far apart in words are not read for these (the aligned rule is).
_STATES = frozenset({"open", "alive"})
#: Tokens read back from a predicate for its names, and forward for its object's.
_NAME_BACK, _NAME_AHEAD = 15, 3
#: Words after a rise or fall within which a "since" gives it a period of its own.
_SINCE_AHEAD = 6
#: Prepositions of place: a name after one says where, not what rose or fell ("the death toll
#: from the crash on the Brennock Pass rose"; "shares in Orrin fell" keeps its name).
_PLACE_PREPOSITIONS = frozenset("on at near from over across along into onto through towards toward outside "
                                "inside beyond off".split())

#: Most tokens between "voted" or "turned" and the "down" that makes it a rejection.
_SPLIT_MAX = 6


def _placed(toks: list[str], low: list[str], j: int) -> bool:
    """Whether the capitalised token ``j`` belongs to a name a place preposition governs."""
    while j > 0 and (toks[j - 1][:1].isupper() or low[j - 1] == "the"):
        j -= 1
    return j > 0 and low[j - 1] in _PLACE_PREPOSITIONS


def _split_down(low: list[str], i: int) -> int:
    """The tokens of "voted the Line 4 tram extension down" (a rejection with its object inside)
    from ``low[i]`` to its "down", or 0: at most ``_SPLIT_MAX`` words between, none a
    punctuation mark or a joining word."""
    if low[i] not in ("voted", "turned") or f"{low[i]} down" not in _OPPOSITE:
        return 0
    for j in range(i + 1, min(len(low), i + 2 + _SPLIT_MAX)):
        if low[j] == "down":
            return j - i + 1 if j > i + 1 else 0
        if not low[j][0].isalnum() or low[j] in ("and", "or", "but", "to", "for", "in", "on", "by", "with"):
            return 0
    return 0


def named_predicates(text: str) -> dict[tuple[str, str], tuple[int, str]]:
    """For each predicate of an :data:`_OPPOSITE` family in ``text`` ("acquitted", "was
    convicted", "did not pass"; not of the :data:`_STATES`), the names it is said of: the capitalised words of its clause
    before it (back to a :data:`_NAME_CLAUSE_ENDS` word) and right after it ("acquitted Lise
    Moberg"), casefolded. Returns ``{(family, name): (sign, predicate)}``; a family told with
    both signs in the one text is left out (it speaks of two things)."""
    toks = ALIGN_TOKEN.findall(strip_dateline(text))  # where the story was filed is no name of it
    low = [t.casefold() for t in toks]
    found: dict[tuple[str, str], tuple[int, str]] = {}
    both: set[str] = set()
    signs: dict[str, set[int]] = {}
    i = 0
    while i < len(toks):
        hit = next(((k, _OPPOSITE[" ".join(low[i:i + k])]) for k in (3, 2, 1)
                    if i + k <= len(toks) and " ".join(low[i:i + k]) in _OPPOSITE), None)
        split = _split_down(low, i) if hit is None else 0
        if split:
            hit = (split, _OPPOSITE[f"{low[i]} down"])
        if hit is None:
            i += 1
            continue
        k, (family, sign) = hit
        if family in _STATES or (family == "up-down" and ("had" in low[max(0, i - 2):i]
                                                         or "since" in low[i + k:i + k + _SINCE_AHEAD])):
            i += k  # a move before the story's ("had gained 22 per cent since January"): another period
            continue
        before = [w for w in low[max(0, i - 3):i] if w not in _PREDICATE_FILLER]
        negated = bool(before) and before[-1] in ("not", "never")
        sign = -sign if negated else sign
        signs.setdefault(family, set()).add(sign)
        names = set()
        for j in range(i - 1, max(-1, i - 1 - _NAME_BACK), -1):
            if low[j] in _NAME_CLAUSE_ENDS:
                break
            if toks[j][0].isupper() and not (family == "up-down" and _placed(toks, low, j)):
                names.add(possessor(low[j]))
        for j in range(i + k, min(len(toks), i + k + _NAME_AHEAD) if family != "outcome" else i + k):
            if toks[j][0].isupper():
                names.add(low[j])  # "acquitted Lise Moberg"; but "won the Tamsar Cup" names no winner
        names.update(low[j] for j in range(i + 1, i + k - 1) if split and toks[j][0].isupper())
        phrase = ("not " if negated else "") + (f"{toks[i]} down" if split else " ".join(toks[i:i + k]))
        for name in names - cm._STOP - WEEKDAY_NAMES - set(cm._MONTHS):
            found.setdefault((family, name), (sign, phrase))
        i += k
    both = {f for f, s in signs.items() if len(s) > 1}
    return {key: v for key, v in found.items() if key[0] not in both}


_PERSON = PERSON.replace("name", "who")
_BY_WORDS = (r"(?:(?i:substitute|veteran|striker|defender|midfielder|captain|winger|forward|teenager"
             r"|[a-z]+-year-old)\s+)*")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
#: Who decided a match: "Pieter Aldane scored the winner", "The winner came from substitute Tomas
#: Eklin", "It was Garrend, ..., who rose to head home", "Aldane's winner came", "Substitute Ruben
#: Skaal settled it".
_WINNER = (
    re.compile(r"^\W*" + _BY_WORDS + _PERSON
               + r"\s+(?:scored|headed|netted|struck|fired|turned|swept|curled|slotted|settled|sealed|grabbed|"
               r"poked|volleyed|stabbed|rifled|nodded)\b"),
    re.compile(r"\b[Ww]inner\s+came\s+from\s+" + _BY_WORDS + _PERSON),
    re.compile(r"^\W*It\s+was\s+" + _BY_WORDS + _PERSON + r"\b(?:,[^,]*,)?\s+who\b"),
    re.compile(r"^\W*" + _PERSON + r"['\u2019]s?\s+(?:late\s+|\d+\w*-minute\s+)?winner\b"),
)
_WINNER_CUE = re.compile(r"\bwinn(?:er|ing\s+goal)\b|\bsettled\s+(?:it|the\s+(?:match|game|final|tie))\b"
                         r"|\bsealed\s+(?:it|the\s+(?:win|victory|match|game|final))\b")
_MINUTE = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\s+minute\b"
                     r"|\b(one|two|three|four|five|\d)\s+minutes?\s+from\s+time\b", re.IGNORECASE)
#: A place in a race or a table: "Danel Roske ... took third", "Emil Tarvo ... finished third".
_PLACED = re.compile(r"^\W*" + _PERSON + r"\b(?:[^.;]{0,80}?)\s+(?:took|finished|came|crossed\s+the\s+line|placed)\s+"
                     r"(?P<rank>first|second|third|fourth|fifth|sixth)\b")


def decisive_agents(text: str) -> dict[tuple[str, ...], str]:
    """Who ``text`` says did a match's or a race's decisive act, by what: ``("winner",
    minute)`` for the scorer of a winning goal (the minute, "two minutes from time" the 88th,
    or None where it gives none), ``("place", rank)`` for a finisher's place -> the surname,
    casefolded. Only the subject of the act (the corner-taker named after "from" is none)."""
    out: dict[tuple[str, ...], str] = {}
    if _WINNER_CUE.search(text):
        minutes = {int(m.group(1)) if m.group(1) else 90 - _word_number(m.group(2)) for m in _MINUTE.finditer(text)}
        for pattern in _WINNER:
            m = pattern.search(text)
            if m and len(minutes) <= 1:
                out[("winner", str(next(iter(minutes))) if minutes else "")] = _surname(m.group("who"))
                break
    m = _PLACED.search(text)
    if m:
        out[("place", str(_ORDINALS[m.group("rank").casefold()]))] = _surname(m.group("who"))
    return {k: v for k, v in out.items() if v}


def _word_number(word: str) -> int:
    return int(word) if word.isdigit() else ("one", "two", "three", "four", "five").index(word.casefold()) + 1


def _surname(name: str) -> str:
    words = [w for w in name.split() if w.casefold() not in cm._STOP and w.casefold() not in WEEKDAY_NAMES]
    return possessor(words[-1]) if words else ""


#: What a story's main event is, by the words that name it: a fire, a strike, a storm coming
#: ashore, a council's vote, a match.
_EVENT_NOUNS = {**dict.fromkeys(("fire", "blaze", "flames", "wildfire"), "fire"),
                **dict.fromkeys(("strike", "stoppage", "walkout"), "strike"),
                **dict.fromkeys(("storm", "landfall", "ashore"), "storm"),
                **dict.fromkeys(("council", "councillors", "assembly", "parliament"), "vote"),
                **dict.fromkeys(("final", "match", "cup"), "match")}
#: The event's moment told with a verb: it began, broke out, came ashore; a council voted; a
#: team won or beat.
_EVENT_VERBS = {"fire": r"broke\s+out|started|began|was\s+(?:first\s+)?(?:reported|spotted)|erupted|spread",
                "strike": r"began|started|stopped\s+work|walked\s+out|went\s+up",
                "storm": r"made\s+landfall|came\s+ashore|reached\s+the\s+coast|hit|struck|arrived",
                "vote": r"voted|approved|backed|passed|rejected|adopted",
                "match": r"won|beat|lifted"}
_EVENT_DAY = {family: re.compile(rf"\b(?:{verbs})\b(?:\s+[\w'\u2019-]+){{0,10}}?\s+"
                                 rf"(?:on\s+|this\s+|early\s+on\s+|late\s+on\s+)?(?:the\s+)?({_WEEKDAY})\b"
                                 rf"|\b(?:on\s+|this\s+)({_WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?"
                                 rf"(?:\s+[\w'\u2019-]+){{0,3}}?\s+(?:{verbs})\b", re.IGNORECASE)
              for family, verbs in _EVENT_VERBS.items()}


def event_days(text: str) -> dict[str, str]:
    """The weekday ``text`` gives a story's main event, by family (:data:`_EVENT_NOUNS`): the
    noun names the event ("the fire", "the stoppage", "Storm Vessaline", "the council", "the
    final") and a verb of its moment is within a few words of the one weekday the sentence
    names ("broke out on Sunday afternoon", "which started on Wednesday morning", "voted on
    Tuesday night"). A sentence naming two weekdays gives nothing (one of them is another
    moment: "began on Monday and will end on Friday")."""
    days = set(re.findall(_WEEKDAY, text))
    if len(days) != 1:
        return {}
    nouns = {_EVENT_NOUNS[w.casefold()] for w in re.findall(r"[A-Za-z]+", text) if w.casefold() in _EVENT_NOUNS}
    out = {}
    for family in sorted(nouns):
        m = _EVENT_DAY[family].search(text)
        if m:
            out[family] = (m.group(1) or m.group(2)).capitalize()
    return out
