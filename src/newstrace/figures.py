"""Figures in news prose: what a claim's numbers, dates, times and amounts are, and what they count.

Corroboration compares claims slot by slot: "3 dead" and "30 dead" are a contradiction to flag,
"1.5 million" and "1,500,000" one value. This module reads those values from text and the
words around them, and nothing else: it knows no story, article or claim record, so every
function here is pure and cheap to test on a sentence.

* **Slots** (:func:`claim_slots`): ``claim_matching.slots`` fitted to news prose: day-first
  dates, years after a date, times of day (also told in words), durations, ages, race times,
  tallies and scores, amounts with their currency.
* **Frames** (:func:`slot_frames`, :func:`counted_nouns`, :func:`figure_owners`): the words that
  say what a figure is of ("employ 1,200 people" and "800 people on its payroll" are both
  ``workforce``), so that two figures are compared only when they count one thing.
* **Notes on figures** (:func:`figure_notes`): bounds ("more than", "up to"), caps, rates,
  approximations: what makes two different numbers agree.
* **Figures that are no second value**: earlier events' (:func:`past_figures`), combined
  totals, figures of what is left later (:func:`later_figures`), figures an article says it
  updates (:func:`superseded_figures`), accusations and demands rather than statements.
* **Fates** (:func:`fate_counts`): how many were hurt, killed or arrested, "nobody" included;
  **ages** told after a name (:func:`named_ages`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newstrace import claim_matching as cm
from newstrace.model import Claim
from newstrace.names import HONORIFICS
from newstrace.negation import NEGATION, stems
from newstrace.text import strip_dateline

_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(
    sorted(cm._MONTHS, key=len, reverse=True)) + r")\b\.?", re.IGNORECASE)
_DATE_YEAR = re.compile(r"(\b(?:" + "|".join(sorted(cm._MONTHS, key=len, reverse=True))
                        + r")\.?\s+\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)


_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d\d)(?![\d,.]\d|\s*(?:%|per ?cent))")
#: A number of years, months, ... is a duration ("eleven years welding"), never a count of
#: the things a story is about: it gets its own slot type so it is compared only with durations.
DURATION = re.compile(r"\b(\d[\d,.]*|" + cm.NUMBER_WORDS
                      + r")(\s+and\s+a\s+half)?[\s-]+(years?|months?|weeks?|days?|hours?|minutes?|decades?)\b",
                      re.IGNORECASE)


_AGED = re.compile(r"[\s-]+old\b", re.IGNORECASE)
#: An age told without "-year-old": after a name between commas ("Hallam, 59, accepted"), after
#: "aged", or "who is 49".
_AGE_TOLD = re.compile(r"\b(?P<name>[A-Z][\w'\u2019-]*[a-z])(?P<comma>,\s+)(?P<n>\d{1,3})(?=,\s)"
                       r"|\b(?:aged|who\s+is|who\s+was)\s+(?P<m>\d{1,3})\b(?!\s*(?:%|per\s*cent|percent|[.,]\d))")
#: A time of day: "3.40 a.m.", "2 am", "11pm", or a 24-hour "23:15" (which needs its minutes).
_TIME = re.compile(r"\b(\d{1,2})(?:[.:]([0-5]\d))?\s*([ap])\.?\s?m\b\.?|\b([01]?\d|2[0-3]):([0-5]\d)\b",
                   re.IGNORECASE)
#: A time told in words, with the part of the day after it that fixes the hour ("a quarter
#: past eight on Wednesday morning", "half past seven in the evening", "ten o'clock at night").
#: Without that part it is no time (eight in the morning or the evening?) and is left alone.
_HOURS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_SPOKEN_TIME = re.compile(
    rf"\b(?:(a\s+quarter|quarter|half|five|ten|twenty|twenty-five)\s+(past|after|to)\s+({_HOURS})"
    rf"|({_HOURS})\s+o['\u2019]clock)\b(?=[^.;]{{0,40}}?\b(morning|a\.\s?m\b|afternoon|evening|night|p\.\s?m\b))",
    re.IGNORECASE)
#: A time in digits with the part of the day after it instead of "a.m." or "p.m.": "at about
#: 10.15 on Tuesday morning", "9.30 this evening".
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.([0-5]\d)(?=\s+(?:on\s+\w+day\s+|this\s+|in\s+the\s+|yesterday\s+|"
                          r"tomorrow\s+|last\s+)?(morning|afternoon|evening|night)\b)", re.IGNORECASE)
_PAST_MINUTES = {"a quarter": 15, "quarter": 15, "half": 30, "five": 5, "ten": 10, "twenty": 20, "twenty-five": 25}


def spoken_times(text: str) -> str:
    """``text`` with each time told in words (:data:`_SPOKEN_TIME`), or in digits with the part
    of the day after it (:data:`_DOTTED_TIME`), written as ``8.15 a.m.``, so that it is read as
    the time it is and not as the number eight."""
    if _DOTTED_TIME.search(text):
        text = _DOTTED_TIME.sub(lambda m: f"{m.group(0)} {_meridiem(int(m.group(1)), m.group(3))}", text)
    if "o'clock" not in text and "o\u2019clock" not in text and not re.search(r"\b(?:past|to|after)\b", text):
        return text

    def told(m: re.Match[str]) -> str:
        hour = cm.word_number((m.group(3) or m.group(4)).casefold()) or 0
        minutes = 0
        if m.group(1):
            minutes = _PAST_MINUTES[" ".join(m.group(1).casefold().split())]
            if m.group(2).casefold() == "to":
                hour, minutes = hour - 1 or 12, 60 - minutes
        return f"{hour}.{minutes:02d} {_meridiem(hour, m.group(5))}"

    return _SPOKEN_TIME.sub(told, text)


def _meridiem(hour: int, part: str) -> str:
    """"a.m." or "p.m." for an hour told with a part of the day ("ten at night": p.m., "two
    at night": a.m.)."""
    part = part.casefold()
    pm = part.startswith(("p", "afternoon", "evening")) or (part == "night" and hour >= 6)
    return "p.m." if pm else "a.m."


#: Words before a time that make it a range, in minutes around it: "at about 3.40 a.m.",
#: "shortly after 2 a.m."
_TIME_BOUNDS: dict[str, tuple[float, float]] = {
    **dict.fromkeys(("about", "around", "approximately", "roughly", "some time around", "circa"), (-30.0, 30.0)),
    **dict.fromkeys(("shortly after", "just after", "soon after", "a little after"), (0.0, 45.0)),
    **dict.fromkeys(("shortly before", "just before", "a little before"), (-45.0, 0.0)),
    "after": (0.0, math.inf), "before": (-math.inf, 0.0), "by": (-math.inf, 0.0),
}
_TIME_BOUND_BEFORE = re.compile(
    r"(?:^|\W)(" + "|".join(re.escape(b) for b in sorted(_TIME_BOUNDS, key=len, reverse=True)) + r")\s+(?:at\s+)?$",
    re.IGNORECASE)
#: Two plain times this close (minutes) are one time told more or less exactly.
_TIME_TOLERANCE = 10.0


def _time_slot(m: re.Match[str]) -> str:
    """``time:HH:MM`` (24-hour) of a :data:`_TIME` match."""
    if m.group(4) is not None:
        return f"time:{int(m.group(4)):02d}:{m.group(5)}"
    hour, minute = int(m.group(1)) % 12, int(m.group(2) or 0)
    if m.group(3).lower() == "p":
        hour += 12
    return f"time:{hour:02d}:{minute:02d}"


def _time_minutes(slot: str) -> float | None:
    if not slot.startswith("time:"):
        return None
    hour, _, minute = slot[5:].partition(":")
    return 60.0 * int(hour) + int(minute)
DIGIT = re.compile(r"\d")
_NO_SLOTS: frozenset[str] = frozenset()


@lru_cache(maxsize=65_536)
def claim_slots(text: str) -> frozenset[str]:
    """``claim_matching.slots`` made fit for news prose about one event.

    Three differences, each to keep paraphrases of one claim from vetoing each other:
    "14 March" (day first) is read as the date "March 14"; a year right after a date becomes
    ``year:2026`` instead of the number 2026 (so "March 14, 2026" still compares with "14 March");
    weekdays are dropped ("on Monday" and "on 9 February" are the same visit, and a weekday is
    usually relative to the publication day, not a value a source asserts).
    """
    text = spoken_times(text)
    if DIGIT.search(text) is None and cm._WORD_NUMBER.search(text) is None:
        # Every pattern below needs a digit or a number word, but a weekday, which is dropped:
        # most sentences of a story hold neither, and the stage reads the slots of each.
        return _NO_SLOTS
    return read_slots(text)


#: A name with a number in it ("Halcyon-2", "Kestrel-2", "F-16", "COVID-19"): the number is
#: part of the name, not a quantity ("Halcyon-1" and "Halcyon-2" do not disagree).
_NAMED_NUMBER = re.compile(r"\b[A-Z][\w]*[-\u2010\u2011]\d[\w-]*")
#: An item's number, not a count: "Number two, open up more trade", "the number 7 bus", "No. 4",
#: "part one of the transcript", "segment three", "Chapter 11" (not "day" or "week": "in the
#: past week 40 people").
_NUMBERED = re.compile(r"\b(?:number|no\.|part|segment|round|phase|stage|chapter|section|article|clause|item|"
                       r"question|game|level|category|grade|page|gate|terminal|platform|route|flight|episode|"
                       rf"season|volume)\s+(?:\d+|{cm.NUMBER_WORDS})\b(?!\s*(?:%|per\s*cent|percent))",
                       re.IGNORECASE)
#: A share told in words ("one-quarter of the workers", "two thirds"): no count of one or two.
_FRACTION = re.compile(r"\b(?:a|one|two|three|four)[\s-]+(?:quarters?|thirds?|fifths?|tenths?)\b", re.IGNORECASE)


#: A match's score or a vote's tally: "beat Rovers 2-1", "a 3-1 defeat", "voted 19 to 14", "by 21
#: votes to 12". The dash form counts only beside a word of a result (:data:`_RESULT_WORDS`):
#: "aged 18-25" and "10-15 people" are ranges.
_TALLY = re.compile(r"(?<![\w.,:/\u2013-])(\d{1,3})\s?[-\u2013]\s?(\d{1,3})(?![\w:/%\u2013-]|[.,]\d)"
                    r"|(?<![\w.,])(\d{1,4})\s+(votes?\s+)?to\s+(\d{1,4})\b(?!\s*(?:%|per\s*cent|percent))",
                    re.IGNORECASE)
_RESULT_WORDS = frozenset("""beat beats beating won win wins winning lost lose loses losing defeat defeated defeats
    victory victories draw drew drawn score scored scoreline lead led leading trail trailed trailing thrashed
    edged final match game tie tied passed approved carried rejected adopted""".split())
#: A race or match time in hours, minutes and seconds ("2:08:51"): one length, not a time of day
#: and a count.
_CLOCK_TIME = re.compile(r"(?<![\d:.])(\d{1,2}):([0-5]\d):([0-5]\d)(?:\.\d+)?(?![\d:])")
_VOTE_WORDS = frozenset({"vote", "votes", "voted", "voting", "ballot"})


def tallies(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, "score:A-B")`` for each score or vote tally of ``text``, the larger side
    first (which side won is the outcome's words, told apart elsewhere: "beat" / "lost to")."""
    out = []
    for m in _TALLY.finditer(text):
        before = _WORD.findall(text[max(0, m.start() - 40):m.start()].casefold())[-4:]
        if m.group(1):
            after = _WORD.findall(text[m.end():m.end() + 30].casefold())[:2]
            if not _RESULT_WORDS.intersection(before + after) and not _VOTE_WORDS.intersection(before + after):
                continue
            a, b = int(m.group(1)), int(m.group(2))
        else:
            if not m.group(4) and not _VOTE_WORDS.intersection(before[-3:]):
                continue  # "rose from 19 to 24": a change, not a tally
            a, b = int(m.group(3)), int(m.group(5))
        out.append((m.start(), m.end(), f"score:{max(a, b)}-{min(a, b)}"))
    return out


@lru_cache(maxsize=65_536)
def read_slots(text: str) -> frozenset[str]:
    text = strip_dateline(text)
    text = _FRACTION.sub(" ", _NUMBERED.sub(" ", _NAMED_NUMBER.sub(" ", text)))
    # Race times and tallies are read whole first, so that their parts are no times or counts.
    whole = {f"dur:{int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))}-second"
             for m in _CLOCK_TIME.finditer(text)}
    text = _CLOCK_TIME.sub(" ", text)
    for start, end, slot in reversed(tallies(text)):
        whole.add(slot)
        text = text[:start] + " " + text[end:]
    text = _DAY_MONTH.sub(lambda m: f"{m.group(2)} {m.group(1)}", text)
    years = [m.group(2) for m in _DATE_YEAR.finditer(text)]
    text = _DATE_YEAR.sub(lambda m: m.group(1), text)
    years += _YEAR.findall(text)
    text = _YEAR.sub(" ", text)
    durations = set()
    for m in DURATION.finditer(text):
        for v in cm.slots(m.group(1)):
            if not v.startswith("num:"):
                continue
            unit = m.group(3).lower().rstrip("s")
            value = cm._fmt(float(v[4:]) + 0.5) if m.group(2) else v[4:]  # "three and a half years"
            # An age ("a 38-year-old sergeant") is no length of service ("15 years' service").
            aged = _AGED.match(text, m.end())
            durations.add(f"age:{value}-{unit}" if aged else f"dur:{value}-{unit}")
    text = DURATION.sub(" ", text)
    told = [m for m in _AGE_TOLD.finditer(text) if not (m.group("name") and (
        m.group("name").casefold() in cm._MONTHS or m.group("name").casefold() in WEEKDAY_NAMES))]
    durations.update(f"age:{m.group('n') or m.group('m')}-year" for m in told)
    for m in reversed(told):  # the name stays, the age goes
        text = text[:m.start()] + (m.group("name") + m.group("comma") if m.group("name") else " ") + text[m.end():]
    times = {_time_slot(m) for m in _TIME.finditer(text)}
    text = _TIME.sub(" ", text)
    out = {s for s in cm.slots(text) if not s.startswith("day:")}
    out.update(times)
    out.update(f"year:{y}" for y in years)
    out.update(durations)
    out.update(whole)
    return frozenset(out)


def slot_type(slot: str) -> str:
    """``date``, ``year``, ``num``, ``pct``, ``dur``, ``age``, ``time`` or ``score``: the part of a
    slot before the colon."""
    return slot.split(":", 1)[0]


def differing_slots(a: frozenset[str], b: frozenset[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Per slot type, the values that differ, where both sides state that type and neither
    side's values of it contain the other's ("same slot, different value")."""
    out = {}
    for t in sorted({slot_type(s) for s in a} & {slot_type(s) for s in b}):
        va = frozenset(s for s in a if slot_type(s) == t)
        vb = frozenset(s for s in b if slot_type(s) == t)
        if not (va <= vb or vb <= va):
            out[t] = (sorted(va - vb), sorted(vb - va))
    return out


#: Words before a figure that make it a bound or an estimate, with the range they allow around
#: the figure (as multiples of it): "more than a dozen" agrees with "14", "about 2,400" with
#: "2,450", "up to 40" with "35". A reporter's hedge on a number is not a second value.
_BOUNDS: dict[str, tuple[float, float]] = {
    **dict.fromkeys(("more than", "over", "at least", "in excess of", "upwards of", "just over",
                     "no fewer than", "no less than"), (1.0, math.inf)),
    **dict.fromkeys(("fewer than", "less than", "under", "up to", "at most", "no more than", "just under",
                     "below", "a maximum of", "capped at"), (0.0, 1.0)),
    **dict.fromkeys(("nearly", "almost"), (0.8, 1.0)),
    **dict.fromkeys(("about", "around", "roughly", "some", "approximately", "an estimated", "estimated",
                     "close to", "circa", "approx."), (0.85, 1.15)),
}
_BOUND_BEFORE = re.compile(r"(?:^|\W)(" + "|".join(re.escape(b) for b in sorted(_BOUNDS, key=len, reverse=True))
                           + r")\s+(?:an?\s+)?(?:[$€£¥₽₹]\s*|(?:US)?\$\s*)?$", re.IGNORECASE)
#: Bounds that set a limit: an amount of money "up to" which something is paid or fined is the
#: limit's own value, so two limits of one payment disagree ("emergency payments of up to
#: 25,000 marls" / "of up to 15,000 marls") where two upper bounds of a count both may hold.
_CAPS = frozenset({"up to", "at most", "no more than", "a maximum of", "capped at"})
#: A figure as ``claim_matching.slots`` reads one: digits with their scale or per cent, or words.
_FIGURE = re.compile(cm._NUMBER.pattern + r"|" + cm._WORD_NUMBER.pattern, re.IGNORECASE)


#: Currency words after a figure, or symbols and codes before it: an amount of money is never
#: the same quantity as a count ("four suppliers" and "470 million euros").
_CURRENCIES = ("euro", "dollar", "pound", "sterling", "yen", "yuan", "renminbi", "rouble", "ruble", "franc",
               "rupee", "peso", "lira", "kronor", "kroner", "krona", "crown", "zloty", "forint", "hryvnia",
               "florin", "guilder", "shilling", "dinar", "dirham", "riyal", "rial", "shekel", "rand", "baht",
               "ringgit", "rupiah", "naira", "cedi", "lev", "leu", "lei", "lari", "tenge", "dram",
               "koruna", "kuna", "escudo", "drachma", "ducat", "thaler", "groschen")
_MONEY_AFTER = re.compile(
    r"^\s*(?:" + "|".join(f"{c}s?" for c in _CURRENCIES) + r"|won|EUR|USD|GBP|CHF|JPY|CNY|RUB)\b", re.IGNORECASE)


def _is_currency(word: str, known: frozenset[str] = frozenset()) -> bool:
    """A currency's name ("euros", "kronor"), as a frame or counted word: what an amount is
    counted in, not what it is of ("won", a verb too, is left out). ``known``: the story's
    own currency words (:func:`currency_words`)."""
    w = word.casefold().rstrip("s")
    return w in _CURRENCIES or w in known


#: Words of an amount of money near it: "revenue of 2.1 billion drals", "valuing it at 1.2
#: billion drals", "a 900 million dral bank loan".
_MONEY_CONTEXT = frozenset("""revenue revenues price prices priced cost costs costing loan loans value valued
    valuing worth budget budgets fine fined salary salaries wage wages profit profits turnover debt debts bid
    pay paid invest invested investment investments tax taxes fee fees compensation damages grant
    grants subsidy subsidies bailout dividend dividends earnings income spend spent spending fund funds
    funded funding cash money payment payments""".split())
#: "18.40 drals a share": an amount per share is a price.
_PER_SHARE = re.compile(r"(?<![\d,.])\d[\d,]*(?:\.\d+)?\s+([a-z]+)\s+(?:a|per|each)\s+share\b")
#: An amount in millions, thousands or with cents, and the word after it: "2.1 billion drals",
#: "200,000 lavs", "13.96 drals".
_AMOUNT_WORD = re.compile(r"(?<![\d,.])\d[\d,]*(?:\.\d+)?\s*(?:million|billion|trillion|bn)\s+([a-z]+)\b"
                          r"|(?<![\d,.])(?:\d[\d,]*\.\d\d|\d{1,3}(?:,\d{3})+)\s+([a-z]+)\b")
_WORD = re.compile(r"[a-z]+")
#: Where a clause ends: the words of money must be in the amount's own clause.
_CLAUSE_END = re.compile(r"[.;:!?()\u2013\u2014]|\s--\s")
#: Words between a money word and its amount: "a *price of* 13.96", "*valuing* it *at about* 1.2 billion".
_TO_AMOUNT = frozenset("of at for to about around roughly nearly almost some just over under more less than a an "
                       "the new up least most maximum".split())


def _money_clause(text: str, start: int, end: int) -> bool:
    """Whether the amount at ``text[start:end]`` (its figure and the word after it) is money by
    the words of its clause: a word of money right before it (past words like "of", "at",
    "about": "revenue of 2.1 billion", "pay 18.40") or two words after it ("a 900 million dral
    bank *loan*", "200,000 lavs in *cash*"); "funded by our 3.2 million members" is a count."""
    left = _CLAUSE_END.split(text[max(0, start - 60):start])[-1].casefold()
    right = _CLAUSE_END.split(text[end:end + 30])[0].casefold()
    before = _WORD.findall(left)[-5:]
    while before and before[-1] in _TO_AMOUNT:
        before.pop()
    return bool(before and before[-1] in _MONEY_CONTEXT) or bool(_MONEY_CONTEXT.intersection(_WORD.findall(right)[:2]))


def currency_words(texts: Iterable[str]) -> frozenset[str]:
    """Words ``texts`` use as a currency that :data:`_CURRENCIES` lacks (an invented or a rarer
    currency: "the dral"), each as :func:`_is_currency` reads it: the word after an amount per
    share, or after an amount in millions, thousands or with cents that its clause says is money
    (:func:`_money_clause`). Unknown, such a word is what a figure counts, so a takeover's
    price, its value, the buyer's revenue and its loan, all "in drals", look like one count
    with four values."""
    out: set[str] = set()
    for text in texts:
        found = [m.group(1) for m in _PER_SHARE.finditer(text)
                 if not _MONEY_BEFORE.search(text[max(0, m.start() - 4):m.start()])]
        for m in _AMOUNT_WORD.finditer(text):
            if _MONEY_BEFORE.search(text[max(0, m.start() - 4):m.start()]):
                continue  # "$1.1 trillion omnibus": money already; the word is what it pays for
            if _money_clause(text, m.start(), m.end()):
                found.append(m.group(1) or m.group(2))
        out.update(w.rstrip("s") for w in found
                   if len(w) > 2 and w not in cm._STOP and w not in cm._SCALE and w not in _UNIT_WORDS
                   and w not in _COUNT_MODIFIERS and w not in GENERIC and w not in _MONEY_CONTEXT
                   and w.rstrip("s") not in _NOT_CURRENCY and not _MEASURE_AFTER.match(w) and not _is_currency(w))
    return frozenset(out)


#: Words after an amount that say what it buys or counts, never what it is counted in.
_NOT_CURRENCY = frozenset({"share", "stock", "point", "people", "year", "month", "week", "day", "time", "job",
                           "customer", "user", "household", "resident", "worker", "ton", "tonne", "barrel"})
_MONEY_BEFORE = re.compile(r"(?:[$€£¥₽₹]|\b(?:EUR|USD|GBP|CHF|JPY|CNY|RUB|US\$))\s*$")
#: Units of measure after a figure: "1.5 kilometres" is a distance, never a count of people.
_MEASURE_AFTER = re.compile(r"^\s*(?:(?:square|cubic)\s+)?(kilomet(?:re|er)s?|km|miles?|met(?:re|er)s?|"
                            r"centimet(?:re|er)s?|cm|millimet(?:re|er)s?|mm|feet|foot|ft|inch(?:es)?|yards?|"
                            r"tonnes?|tons?|kilograms?|kg|grams?|pounds?\s+of|lbs?|litres?|liters?|gallons?|"
                            r"barrels?|hectares?|acres?|degrees?|megawatts?|mw|gigawatts?|gw|kilowatts?|kw|"
                            r"kilowatt-hours?|kwh|knots?|mph|km/h)\b", re.IGNORECASE)
#: A negation up to three words before a figure: "had not admitted 340", "no 340 patients".
_NEGATION_BEFORE = re.compile(NEGATION + r"(?:\s+[\w'\u2019-]+){0,2}\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class FigureNote:
    """How a text qualifies one of its figures: the range a bound or estimate word allows
    (None: stated plainly) and whether it is an amount of money."""

    low: float | None = None
    high: float | None = None
    money: bool = False
    negated: bool = False  # "had not admitted 340": said not to be so, which states no other value
    unit: str | None = None  # a unit of measure ("kilometres", "tonnes"): a measure, not a count
    rate: str | None = None  # "a day", "annual": a rate per day or year, not a total
    cap: bool = False  # "up to", "a maximum of": a limit set on an amount (see :data:`_CAPS`)


def figure_notes(text: str, currencies: frozenset[str] = frozenset()) -> dict[str, FigureNote]:
    """The figures of ``text`` that a bound or estimate word qualifies, that are amounts of
    money or measures, or that a negation denies, by slot: ``{"num:12": FigureNote(12.0, inf)}``
    for "more than a dozen", ``negated`` for "had not admitted 340", ``unit`` for "1.5
    kilometres". Plain counts are absent. ``currencies``: the story's own currency words
    (:func:`currency_words`)."""
    text = spoken_times(text)
    out: dict[str, FigureNote] = {}
    for m in _FIGURE.finditer(text):
        bound = _BOUND_BEFORE.search(text[max(0, m.start() - 24):m.start()])
        after = _WORD.match(text[m.end():m.end() + 24].lstrip().casefold())
        money = bool(_MONEY_AFTER.search(text[m.end():m.end() + 12])
                     or _MONEY_BEFORE.search(text[max(0, m.start() - 4):m.start()])
                     or (currencies and after and after.group(0).rstrip("s") in currencies))
        negated = _NEGATION_BEFORE.search(text[max(0, m.start() - 40):m.start()]) is not None
        measure = _MEASURE_AFTER.search(text[m.end():m.end() + 24])
        unit = _unit_name(measure.group(1)) if measure and not money else None
        per = _RATE_AFTER.search(text[m.end():m.end() + 40])
        if per and per.group(1) and _NOT_A_RATE.match(text, m.end() + per.end()):
            per = None  # "389 million a year earlier": when, not how often
        per = per or _RATE_BEFORE.search(text[max(0, m.start() - 16):m.start()])
        rate = _RATES.get(next(g for g in per.groups() if g).casefold()) if per else None
        if bound is None and not money and not negated and unit is None and rate is None:
            continue
        lo, hi = _BOUNDS[bound.group(1).lower()] if bound else (1.0, 1.0)
        for slot in claim_slots(m.group(0)):
            value = slot_number(slot)
            if value is not None:
                out[slot] = FigureNote(lo * value if bound else None, hi * value if bound else None, money, negated,
                                       unit, rate, bool(bound) and bound.group(1).lower() in _CAPS)
    for m in _TIME.finditer(text):
        bound = _TIME_BOUND_BEFORE.search(text[max(0, m.start() - 24):m.start()])
        if bound is not None:
            slot = _time_slot(m)
            at = _time_minutes(slot) or 0.0
            lo, hi = _TIME_BOUNDS[" ".join(bound.group(1).lower().split())]
            out[slot] = FigureNote(at + lo, at + hi)
    return out


#: A rate's period after a figure ("4 million crowns *a day*", "*per year*", "to its *annual*
#: wage bill") or before it ("an *annual* 9 million"): a rate and a total, or rates of two
#: periods, are two quantities.
_RATES = {**dict.fromkeys(("day", "daily"), "day"), **dict.fromkeys(("week", "weekly"), "week"),
          **dict.fromkeys(("month", "monthly"), "month"),
          **dict.fromkeys(("year", "annual", "annually", "yearly"), "year"), **dict.fromkeys(("hour", "hourly"), "hour")}
_RATE_AFTER = re.compile(r"^[^.;]*?\b(?:a|an|per|each)\s+(day|week|month|year|hour)\b"
                         r"|^[^.;]*?\b(daily|weekly|monthly|annual|annually|yearly|hourly)\b", re.IGNORECASE)
_NOT_A_RATE = re.compile(r"\s+(?:earlier|ago|before|later|after)\b", re.IGNORECASE)
_RATE_BEFORE = re.compile(r"\b(daily|weekly|monthly|annual|yearly|hourly)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _unit_name(word: str) -> str:
    """One name per unit, whatever its spelling or abbreviation ("km", "kilometers")."""
    w = word.casefold().rstrip("s")
    for name, forms in (("km", ("kilometre", "kilometer", "km")), ("m", ("metre", "meter", "m")),
                        ("t", ("tonne", "ton")), ("kg", ("kilogram", "kg")), ("l", ("litre", "liter"))):
        if w in forms:
            return name
    return w


def slot_number(slot: str) -> float | None:
    """The value of a ``num``/``pct`` slot (other types are not ranges)."""
    kind, _, value = slot.partition(":")
    if kind not in ("num", "pct"):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def far_apart(u: str, w: str, ratio: float) -> bool:
    """Whether two counts or percentages differ by more than ``ratio`` times."""
    x, y = slot_number(u), slot_number(w)
    if x is None or y is None or x <= 0 or y <= 0:
        return False
    return max(x, y) > ratio * min(x, y)


def values_disagree(u: str, w: str, notes_u: Mapping[str, FigureNote], notes_w: Mapping[str, FigureNote]) -> bool:
    """Whether two different values of one slot type cannot both be true: they measure the same
    kind of quantity (both money or neither, the same unit of measure or none) and no value lies
    in both ranges (a figure stated plainly ranges over itself only). A length told in two units
    is one length: "a 48-hour strike" and "a two-day strike"."""
    a, b = _length_days(u), _length_days(w)
    if a is not None and b is not None and u.rpartition("-")[2] != w.rpartition("-")[2] and math.isclose(
            a, b, rel_tol=0.005):  # within a month's rounding: "12 months" is a year; race times share a unit
        return False
    x, y = slot_number(u), slot_number(w)
    nu, nw = notes_u.get(u, FigureNote()), notes_w.get(w, FigureNote())
    tu, tw = _time_minutes(u), _time_minutes(w)
    if tu is not None and tw is not None:
        # Times of day: a bound or estimate spans minutes around its time; two plain ones
        # disagree by more than a rounding.
        lo_u, hi_u = (nu.low, nu.high) if nu.low is not None else (tu - _TIME_TOLERANCE / 2, tu + _TIME_TOLERANCE / 2)
        lo_w, hi_w = (nw.low, nw.high) if nw.low is not None else (tw - _TIME_TOLERANCE / 2, tw + _TIME_TOLERANCE / 2)
        return max(lo_u, lo_w) > min(hi_u, hi_w)  # type: ignore[type-var]
    if x is None or y is None:
        # Dates and years: different values disagree. Lengths of time too, unless one is told
        # in minutes and the other in years: "two-minute answers" and "39 years" are no one length.
        return _comparable_lengths(u, w)
    if nu.money != nw.money or nu.unit != nw.unit or nu.rate != nw.rate or nu.negated or nw.negated:
        return False
    if nu.cap and nw.cap and nu.money:
        return x != y
    lo_u, hi_u = (nu.low, nu.high) if nu.low is not None else (x, x)
    lo_w, hi_w = (nw.low, nw.high) if nw.low is not None else (y, y)
    return max(lo_u, lo_w) > min(hi_u, hi_w)  # type: ignore[type-var]


def disagreeing_slots(a: frozenset[str], b: frozenset[str], notes_a: Mapping[str, FigureNote],
                      notes_b: Mapping[str, FigureNote]) -> dict[str, tuple[list[str], list[str]]]:
    """:func:`differing_slots` less the values that do not disagree after all (a bound or an
    estimate that reaches the other value, money against a count): per type, the values of
    each side that disagree with some value of the other side."""
    out = {}
    for t, (va, vb) in differing_slots(a, b).items():
        keep_a = [u for u in va if any(values_disagree(u, w, notes_a, notes_b) for w in vb)]
        keep_b = [w for w in vb if any(values_disagree(u, w, notes_a, notes_b) for u in va)]
        if keep_a and keep_b:
            out[t] = (keep_a, keep_b)
    return out


#: Words that name the same slot in different words (a small, documented lexicon: the slots
#: news stories disagree on most). Anything else is compared by its crude stem.
SLOT_SYNONYMS: dict[str, str] = {
    **dict.fromkeys("jobs job workforce employ employs employed employing hire hired hiring payroll "
                    "headcount".split(), "workforce"),
    **dict.fromkeys("people persons staff worker workers employee employees residents".split(), "people"),
    **dict.fromkeys("dead killed died deaths death fatalities kill".split(), "dead"),
    **dict.fromkeys("troops troop soldiers soldier servicemen serviceman".split(), "troops"),
    **dict.fromkeys("injured wounded hurt injuries".split(), "injured"),
    **dict.fromkeys("open opens opened opening launch launched launches start starts started begin began "
                    "broke erupted "
                    "begins inauguration".split(), "open"),
    **dict.fromkeys("cost costs price bill spent spending budget fee fees paid pay pays paying worth value "
                    "valued".split(), "cost"),
    **dict.fromkeys("stole stolen steal stealing embezzled embezzling embezzlement misappropriated "
                    "siphoned taken took".split(), "taken"),
    **dict.fromkeys("effect effective applies".split(), "open"),
    **dict.fromkeys("prison jail jailed imprisoned imprisonment custody".split(), "prison"),
    **dict.fromkeys("evacuated evacuate evacuating evacuation evacuees displaced relocated rehoused".split(),
                    "evacuated"),
    **dict.fromkeys("beat beats beating defeat defeated defeats victory win wins won winning lost loss lose losing "
                    "draw drew drawn".split(), "result"),
    **dict.fromkeys("vote votes voted voting ballot".split(), "vote"),
    # A change told with another verb is the same change: "revenue fell 8 percent" and
    # "revenue slid 14 percent". Only the verbs in the past: the nouns ("a 12 per cent rise", "a
    # 6.5 per cent increase") name a demand, an award or a past year's change as often as the
    # change reported. Falls and rises stay apart.
    **dict.fromkeys("fell fallen slid slipped dropped declined decreased shrank shrunk sank plunged plummeted "
                    "tumbled dipped".split(), "fell"),
    **dict.fromkeys("rose risen climbed grew increased jumped soared surged gained".split(), "rose"),
    # A shareholding: "already owns 14 percent" and "holds a 9 percent stake".
    **dict.fromkeys("stake stakes shareholding owns owned holding holdings".split(), "stake"),
    # Who watched: "a crowd of 41,200" and "in front of 34,500 spectators".
    **dict.fromkeys("crowd crowds spectators spectator attendance".split(), "crowd"),
    # A river's or a count's highest point: "peaked at 6.8 metres" and "crested at 5.4 metres".
    **dict.fromkeys("peak peaked peaks crest crested crests".split(), "peak"),
    # What an offer pays over a price: "a premium of 28 percent to the closing price" and "19
    # percent above the closing share price" ("higher" is as often a day's move of the shares).
    **dict.fromkeys("premium above".split(), "premium"),
    # Homes counted in other words: "six houses were flattened" and "swept away nine homes",
    # "supplies 140,000 households" and "serves 38,000 homes".
    **dict.fromkeys("home homes house houses household households dwelling dwellings".split(), "homes"),
    **dict.fromkeys("serve serves served serving supply supplies supplied supplying".split(), "serve"),
    # Money put aside against losses: "provisions of 1.8 billion" and "set aside 860 million".
    **dict.fromkeys("provision provisions aside".split(), "provision"),
    # Things counted by a collection's words: "took 23 objects" and "eleven pieces were stolen".
    **dict.fromkeys("object objects piece pieces item items artefact artefacts artifact artifacts".split(), "items"),
}


#: Stems of who a count is of ("people", "workers"): shared, they say nothing about which count
#: it is ("two people died", "employs 240 people"); what is said of them does.
_WHO = frozenset({"people"})
#: Stems of asking for a figure: "prosecutors sought six years" is no prison term, "the union
#: demanded 8 per cent" no pay rise; nor of forecasting one ("had forecast up to 60 millimetres
#: of rain" is no rainfall).
REQUEST = frozenset({"sought", "seek", "asked", "demand", "request", "propos", "recommend", "wanted", "urge", "urged",
                     "urging", "forecast", "predict"})


def frames_meet(a: frozenset[str], b: frozenset[str], currencies: frozenset[str] = frozenset()) -> frozenset[str]:
    """The frame stems two values share, less currencies (:func:`_is_currency`): every figure of
    a story about a takeover is "in euros" (the price, the sales, the loans, the order book).
    Sharing only who is counted (``_WHO``) is no meeting where each side says something else of
    them, and nothing else ("two people *died*", "*employs* 240 people"); a figure asked for and
    one given are never one (``REQUEST``). ``currencies``: the story's own (:func:`currency_words`)."""
    if bool(a & REQUEST) != bool(b & REQUEST):
        return frozenset()
    common = frozenset(x for x in a & b if not _is_currency(x, currencies))
    if common and common <= _WHO and a - _WHO and b - _WHO:
        return frozenset()
    return common


def requested(frame: frozenset[str] | None) -> bool:
    """Whether a figure's frame asks for it ("sought a six-year sentence") rather than states it."""
    return bool(frame and frame & REQUEST)


#: Cues that admit what a denial denies: "acknowledged that the town had asked for help",
#: "has admitted that a leak took place".
ADMITTING = re.compile(r"\b(?:acknowledg\w*|admit\w*|conced\w*|confess\w*|owned\s+up)\b", re.IGNORECASE)
#: Stems of a cue that accuses: an alleged figure ("prosecutors had alleged that he pocketed
#: 430,000") is what one side claims, not a second value of what a court found.
_ALLEGING = frozenset({"alleg", "accus"})


def alleges(v: tuple[Any, ...]) -> bool:
    """Whether a value, ``(value, claim)`` or ``(value, article, text)``, is an accusation
    (:data:`_ALLEGING`): by its claim's cue, or by a word before it in its sentence."""
    if len(v) == 3:
        return v[0] in alleged_figures(v[2])
    return cue_says(v[1], _ALLEGING)


@lru_cache(maxsize=16_384)
def alleged_figures(text: str) -> frozenset[str]:
    """The slots of ``text`` whose figure an accusing word (:data:`_ALLEGING`) comes before in
    its sentence: "Prosecutors had *alleged* that Brask pocketed 430,000 marls"."""
    return _figures_after(text, lambda t: frame_stem(t) in _ALLEGING)


#: Words that make a figure the total of several parties: "a group with *combined* annual
#: sales of almost 8 billion" is no second value of one party's "sales of 5.6 billion".
_COMBINED = frozenset({"combined", "together", "jointly", "altogether"})


@lru_cache(maxsize=16_384)
def combined_figures(text: str) -> frozenset[str]:
    """The slots of ``text`` whose figure a word of :data:`_COMBINED` comes before in its clause."""
    return _figures_after(text, lambda t: t.casefold() in _COMBINED)


def _figures_after(text: str, said: Callable[[str], bool]) -> frozenset[str]:
    """The slots of ``text`` with a token ``said`` holds for before their figure, from the
    start of the figure's clause."""
    toks = frame_tokens(text)
    starts = [m.end() for m in _CLAUSE_START.finditer(text)]
    out = set()
    for i, slot in slot_sites(text, toks, months=False):
        begin = max((s for s in starts if s <= toks[i][0]), default=0)
        if any(said(t) for start, _, t in toks[:i] if start >= begin):
            out.add(slot)
    return frozenset(out)


def cue_says(c: Claim, stems: frozenset[str]) -> bool:
    """Whether a claim's cue holds a word of ``stems``: one that asks (:data:`REQUEST`: "the
    federation *is demanding* a 9 percent pay rise", a demand, not a value stated) or accuses
    (:data:`_ALLEGING`)."""
    return c.cue is not None and any(frame_stem(w) in stems for w in _WORD.findall(c.cue.text.casefold()))


_FRAME_TOKEN = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
GENERIC = frozenset("""would will about around some only than more less nearly almost least
    once said says told also new first through until since from more have having shortly just soon out
    next last past coming previous following
    year years month months week weeks day days time times hour hours minute minutes decade decades""".split())


@lru_cache(maxsize=65_536)
def frame_stem(word: str) -> str:
    w = word.casefold()
    if w in SLOT_SYNONYMS:
        return SLOT_SYNONYMS[w]
    for suffix in ("ments", "ment", "ings", "ing", "ers", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return SLOT_SYNONYMS.get(w, w)


def slot_frames(text: str, window: int = 4, nearest: bool = True,
                currencies: frozenset[str] = frozenset()) -> dict[str, frozenset[str]]:
    """For each slot of ``text`` (as :func:`claim_slots` reads it), the stems of the nearest
    content word on each side of its first mention (within ``window`` tokens): what the number
    or date is *of* (its verb, its unit noun), not the sentence's subject. With ``nearest``
    false, every content word within the window (looser: used only where the value itself
    must already be equal, to find more sentences stating it). "employ 1,200 people" and
    "800 people on its payroll" share ``workforce``; "placed 230 of them through retraining"
    shares nothing with them. This is what lets two claims that each carry several facts be
    compared slot by slot, where a whole-claim cosine is diluted by the other facts."""
    out: dict[str, frozenset[str]] = {}
    text = spoken_times(text)
    toks = frame_tokens(text)
    ends = {start: end for start, end, _ in tallies(text)} if _TALLY.search(text) else {}
    for i, slot in slot_sites(text, toks, months=True):
        if slot not in out:
            left = _frame_side(toks, range(i - 1, max(-1, i - 1 - window), -1))
            k = i + 1  # past the whole figure: "a 3-1 *defeat*", not the "1" of it
            while slot.startswith("score:") and k < len(toks) and toks[k][0] < ends.get(toks[i][0], 0):
                k += 1
            if slot.startswith("time:"):  # past its minutes and its "p.m.": "6:40 p.m. *on the bank*"
                if k < len(toks) and text[toks[k - 1][1]:toks[k][0]] == ":":
                    k += 1
                while k < len(toks) and toks[k][2].casefold() in _MERIDIEM_TOKENS:
                    k += 1
            right = _frame_side(toks, range(k, min(len(toks), k + window)))
            if slot.startswith("dur:") and any(t.casefold() in _OFFSET_WORDS for _, _, t in toks[k:k + 2]):
                right = []  # "30 hours *after a fire*": the fire anchors the time, it is not what lasted
            elif i + 2 < len(toks) and toks[i + 1][2].casefold() == "of" and toks[i + 2][2].casefold() in _PARTITIVE:
                # "17 of the patients are in intensive care": a part of the patients, not their
                # number; the figure is of what is said about the part.
                right = [t for _, _, t in toks[i + 3: i + 4 + window] if _frame_word(t)][1:]
            elif i + 2 < len(toks) and toks[i + 1][2].casefold() == "of" and toks[i + 2][2].casefold() in _THEM:
                # "17 of them are in intensive care": no noun to pass over.
                right = [t for _, _, t in toks[i + 3: i + 4 + window] if _frame_word(t)]
            # An amount's verb may stand behind its object: "cost *taxpayers* 470 million euros";
            # who is counted says less than what is said of them: "two *people* died".
            near = 2 if right[:1] and _is_currency(right[0], currencies) else 1
            after = 2 if right[:1] and frame_stem(right[0]) in _WHO else 1
            if nearest and left[:1] and left[0].casefold() in _LINKING:
                left = left[:near] + _clause_opening(text, toks, i)
                near = len(left)
            frame = [*left[:near], *right[:after]] if nearest else left + right
            if slot.startswith("score:") and "vote" in text[toks[i][0]:ends.get(toks[i][0], 0)].casefold():
                frame.append("votes")  # "by 21 votes to 12": the tally's own word
            out[slot] = frozenset(frame_stem(t) for t in frame)
    return out


#: The tokens of a time's "a.m." or "p.m." after its figure.
_MERIDIEM_TOKENS = frozenset({"a", "p", "m", "am", "pm"})
#: Words after a length of time that make it the time from another event ("restarted 30 hours
#: *after* a fire", "two days *later*"): what follows is the event it is counted from.
_OFFSET_WORDS = frozenset({"after", "before", "later", "earlier", "ago"})
#: Verbs that link a subject to its amount and say nothing of what it is: "Net profit for the
#: six months came to 212 million", "the bill stood at 4 million".
_LINKING = frozenset({"came", "comes", "stood", "stands", "totalled", "totaled", "totals", "amounted", "amounts"})
_CLAUSE_START = re.compile(r"[.;:!?]\s+")


def figure_owners(text: str, names: frozenset[str] = frozenset()) -> dict[str, tuple[str, int]]:
    """For each count, share or score of ``text`` (``num``, ``pct`` and ``score`` slots), the
    name nearest before its figure in its clause (up to six words back; a sentence's first word
    only if ``names`` holds it, casefolded, for any word starts a sentence capitalised), with
    where the figure starts: whose figure it is. "Further downstream, *Ostrel* recorded 64
    millimetres" and "the gauge at *Brannaval* recorded 118 millimetres" are two places'
    rainfall. A name that says or tells is the figure's source, not its owner ("the
    *Institute* said 64"); months and weekdays are no names."""
    out: dict[str, tuple[str, int]] = {}
    toks = frame_tokens(text)
    sentence_starts = {0} | {m.end() for m in _CLAUSE_START.finditer(text)}
    for i, slot in slot_sites(text, toks, months=False):
        if slot in out or slot_type(slot) not in ("num", "pct", "score"):
            continue  # a date or a length is of an event, told by its verbs, not by a name
        for j in range(i - 1, max(-1, i - 7), -1):
            start, _, tok = toks[j]
            low = tok.casefold()
            first = start in sentence_starts
            if is_figure(tok) or low in _CLAUSE_JOINS or (first and possessor(tok) not in names):
                break
            if tok[0].isupper() and low not in cm._STOP and low not in cm._MONTHS and low not in WEEKDAY_NAMES:
                if j + 1 < len(toks) and toks[j + 1][2].casefold() in TELLING:
                    break
                out[slot] = (possessor(tok, keep_case=True), toks[i][0])
                break
            if first:
                break
    return out


def possessor(word: str, keep_case: bool = False) -> str:
    """A word without its possessive ending ("Brannaval's" → "brannaval")."""
    bare = re.sub(r"['\u2019]s$", "", word)
    return bare if keep_case else bare.casefold()


def story_names(texts: Iterable[str]) -> frozenset[str]:
    """Words ``texts`` capitalise inside a sentence (casefolded, function words, months and
    weekdays aside): names, where a capital at a sentence's start says nothing."""
    out: set[str] = set()
    for text in texts:
        for part in _CLAUSE_START.split(text):
            out.update(w.casefold() for w in INNER_WORD.findall(part)[1:] if w[0].isupper())
    return frozenset(possessor(w) for w in out if w not in cm._STOP and w not in cm._MONTHS
                     and w not in WEEKDAY_NAMES)


_NAME_WORD_RE = r"[A-Z][\w'\u2019-]*[a-z]"
#: A person's name, one to three capitalised words (a pattern string, group ``name``).
PERSON = rf"(?P<name>(?:{_NAME_WORD_RE}\s+){{0,2}}{_NAME_WORD_RE})"
#: A person's age beside the name: "Aurel Tamberlin, 52,", "Tamberlin, who was 47,", "Edwin Harl
#: (63)", "47-year-old shotfirer Aleks Durran" (up to three words between, none a preposition:
#: "a 63-year-old joiner *from* Ostlin" is no Ostlin's age).
_NAMED_AGE = re.compile(
    PERSON + r",\s+(?:who\s+(?:was|is)\s+)?(?P<n>\d{1,3})(?=[,;.)]|\s+(?:and|when|who|had|has|was|is)\b)"
    + r"|" + PERSON.replace("name", "name2") + r"\s+\((?:aged\s+)?(?P<n2>\d{1,3})\)"
    + r"|\b(?P<n3>\d{1,3})[\s-]years?[\s-]old\s+(?:(?!(?:from|of|in|at|on|near|with|who|and|was|is)\b)"
    r"[a-z][\w-]*\s+){0,3}" + PERSON.replace("name", "name3"))


def named_ages(text: str) -> dict[str, tuple[str | None, int]]:
    """The ages ``text`` gives named people (:data:`_NAMED_AGE`): surname, casefolded ->
    (given name or None, age). Titles are no given names ("Judge Amory Trell": Amory)."""
    out: dict[str, tuple[str | None, int]] = {}
    for m in _NAMED_AGE.finditer(text):
        name = m.group("name") or m.group("name2") or m.group("name3")
        age = int(m.group("n") or m.group("n2") or m.group("n3"))
        words = [w for w in name.split() if w.casefold().rstrip(".") not in HONORIFICS]
        if not words or not 0 < age < 120:
            continue
        surname = words[-1].casefold()
        if surname in cm._MONTHS or surname in WEEKDAY_NAMES or surname in cm._STOP or len(surname) < 3:
            continue
        out.setdefault(surname, (words[-2].casefold() if len(words) > 1 else None, age))
    return out


_ROLE_WORD = r"(?!(?:the|an?|of|in|at|on|from|to|by|for|with|and|or|that|who|is|was|has|had)\b)[a-z][\w'\u2019-]*"
_ROLE_WORDS = rf"(?<![\w'\u2019-])(?P<role>(?:{_ROLE_WORD}\s+){{0,2}}{_ROLE_WORD})"
#: An age told of a role, its person named elsewhere in the article: "The 58-year-old former
#: mayor showed no emotion".
_ROLE_AGE = re.compile(r"\b[Tt]he\s+(?P<n>\d{1,3})[\s-]years?[\s-]old\s+" + _ROLE_WORDS)
#: Where an article names the person a role is: "former mayor Bertrand Quellan", "Fennick's
#: current mayor, Rosalind Achter", "the former mayor of Fennick, Bertrand Quellan," (the role
#: before the name); "Edvard Roskamp, Lindholt's former mayor," (after it).
_ROLE_BOUND = (
    re.compile(_ROLE_WORDS + r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'\u2019-]*)?,?\s+" + PERSON + r"(?![\w'\u2019-])"),
    re.compile(PERSON + r",\s+(?:the\s+|an?\s+|[A-Z][\w-]*['\u2019]s\s+)" + _ROLE_WORDS + r"(?=[,.;])"))


def role_bindings(text: str) -> dict[tuple[str, ...], set[tuple[str | None, str]]]:
    """Who ``text`` names in each role (:data:`_ROLE_BOUND`): the role's words (up to three
    lowercase words before the name, or after it and a determiner) -> {(given name, surname)},
    casefolded."""
    out: dict[tuple[str, ...], set[tuple[str | None, str]]] = {}
    for m in (m for pattern in _ROLE_BOUND for m in pattern.finditer(text)):
        name, role = m.group("name"), m.group("role")
        words = [w for w in name.split() if w.casefold().rstrip(".") not in HONORIFICS]
        if not words or len(words[-1]) < 3 or words[-1].casefold() in cm._STOP:
            continue
        given = words[-2].casefold() if len(words) > 1 else None
        out.setdefault(tuple(role.casefold().split()), set()).add((given, possessor(words[-1].casefold())))
    return out


#: An age for a subject named just before: "The 19-year-old, who learned the game on the public
#: courts" (after "... to watch Lenz, the boy from the Victoria Park courts, ...").
_BARE_AGE = re.compile(r"^\W*The\s+(?P<n>\d{1,3})[\s-]years?[\s-]old(?:,|\s+(?:is|was|has|had|will|became|won|"
                       r"said|told|added)\b)")


def article_people(text: str) -> frozenset[str]:
    """The surnames (casefolded) of the people ``text`` names in full and by surname alone
    elsewhere ("Jonah Lenz ... watch Lenz"): a place in two words ("Victoria Park") is never
    its last word alone."""
    full = {possessor(m.group(0).split()[-1]) for m in _FULL_NAME.finditer(text)}
    toks = [(m.group(0), m.start(), m.end()) for m in INNER_WORD.finditer(text)]
    alone = set()
    for k, (w, start, end) in enumerate(toks):
        if not w[0].isupper() or w.isupper():
            continue
        before = k > 0 and toks[k - 1][0][0].isupper() and text[toks[k - 1][2]:start].isspace()
        after = k + 1 < len(toks) and toks[k + 1][0][0].isupper() and text[end:toks[k + 1][1]].isspace()
        if not before and not after:
            alone.add(possessor(w))
    return frozenset(w for w in full & alone if w not in cm._STOP)


def bare_age(text: str, previous: str, people: frozenset[str]) -> dict[str, tuple[str | None, int]]:
    """The age a sentence opening "The 19-year-old," gives the one person of ``people``
    (:func:`article_people`) the sentence before names: surname -> (None, age), as
    :func:`named_ages`; nothing where it names none or two."""
    m = _BARE_AGE.match(text)
    if not m or not 0 < int(m.group("n")) < 120:
        return {}
    named = {w for w in (possessor(t.casefold()) for t in INNER_WORD.findall(previous)) if w in people}
    return {named.pop(): (None, int(m.group("n")))} if len(named) == 1 else {}


def role_ages(text: str, bindings: Mapping[tuple[str, ...], set[tuple[str | None, str]]]
              ) -> dict[str, tuple[str | None, int]]:
    """The ages ``text`` gives a role (:data:`_ROLE_AGE`) whose person its article names once
    (``bindings``, :func:`role_bindings` of the whole article): surname -> (given name, age), as
    :func:`named_ages`. The role is the longest run of the words after the age that ends the
    words of a binding ("the 58-year-old former mayor showed": "former mayor"); two people in
    that role ("mayor": the former and the current one) and the age is nobody's."""
    out: dict[str, tuple[str | None, int]] = {}
    for m in _ROLE_AGE.finditer(text):
        age, after = int(m.group("n")), m.group("role").casefold().split()
        if not 0 < age < 120:
            continue
        for k in range(len(after), 0, -1):
            who = {p for role, people in bindings.items() if role[-k:] == tuple(after[:k]) and len(role) >= k
                   for p in people}
            if who:
                if len({s for _, s in who}) == 1:
                    given = next((g for g, _ in who if g), None)
                    out.setdefault(next(iter(who))[1], (given, age))
                break
    return out


#: A year named in a clause ("set in 2009", "since 2019"): it dates the figures beside it
#: (:func:`past_figures`) and puts a sentence's fates in another event (:data:`_OTHER_EVENT`);
#: the slots' own reading of years is :data:`_YEAR`.
_CLAUSE_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: What a sentence counts people by, by family: "injured" (hurt, wounded), "dead" (killed,
#: died) and "arrested" (detained).
_FATE_FAMILY = {**dict.fromkeys(("injured", "hurt", "wounded", "harmed", "injuries", "injury", "casualties",
                                 "injuring", "wounding"), "injured"),
                **dict.fromkeys(("killed", "dead", "died", "deaths", "fatalities", "killing"), "dead"),
                **dict.fromkeys(("arrested", "detained", "arrests", "arresting"), "arrested")}
#: Nobody: "No one was injured", "nobody had been hurt", "none of the company's employees had
#: been hurt", "no one had died", "there were no injuries", "no one had been arrested". Only
#: auxiliaries may stand between the nobody and the verb: "no one *else*", "nobody was
#: *seriously* hurt", "no one *would have* been hurt" say something else.
_NOBODY = (r"(?:\bno[\s-]?one|\bnobody|\bnone\s+of\s+(?:the|their|its|his|her|our)\s+"
           r"(?:[\w'\u2019-]+\s+){0,3}?(?P<who>[a-z][\w-]*))")
_ZERO_FATE = re.compile(
    _NOBODY + r"\s+(?:(?:was|were|is|are|had|has|have|been|got)\s+){1,3}"
    r"(?P<fate>injured|hurt|wounded|harmed|killed|arrested|detained)\b"
    r"|(?:\bno[\s-]?one|\bnobody)\s+(?:(?:has|had|have)\s+)?(?P<died>died)\b"
    r"|\b(?:there\s+(?:were|was|have\s+been|had\s+been)\s+)?no\s+(?:reported\s+)?"
    r"(?P<noun>injuries|casualties|deaths|fatalities|arrests)\b(?!\s+(?:among|of|in|to)\b)",
    re.IGNORECASE)
#: A count of people it happened to: "Two workers of the gas company were injured", "three
#: people died", "reports of two deaths", "killing four", "Police arrested four protesters". Up
#: to five words between the count and the verb, none a joining word or a modal ("dozens
#: *could* have been killed" is no count).
_COUNT_WORD = rf"(?P<n>\d[\d,]*|{cm.NUMBER_WORDS})"
_COUNTED_FATE = re.compile(
    rf"\b{_COUNT_WORD}\s+(?:(?!(?:and|or|but|who|which|that|after|before|when|while|could|would|might|may|"
    r"should|must|will|can|not|no)\b)[\w'\u2019-]+\s+){0,5}?(?:(?:was|were|is|are|had\s+been|have\s+been|"
    r"has\s+been|got)\s+)(?:\w+ly\s+)?(?P<fate>injured|hurt|wounded|killed|arrested|detained)\b"
    rf"|\b{_COUNT_WORD.replace('?P<n>', '?P<n2>')}\s+(?:(?!(?:and|or|but|who|which|that|could|would|might|may|"
    r"not|no)\b)[\w'\u2019-]+\s+){0,4}?(?:(?:have|has|had)\s+)?(?P<died>died)\b"
    rf"|\b{_COUNT_WORD.replace('?P<n>', '?P<n3>')}\s+(?:(?:reported|confirmed|further|more)\s+)?"
    r"(?P<noun>deaths|injuries|fatalities|casualties|dead|injured|arrests)\b"
    rf"|\b(?P<verb>killing|injuring|wounding|killed|injured|wounded|arrested|detained|arresting)\s+"
    rf"(?:at\s+least\s+|about\s+|some\s+)?{_COUNT_WORD.replace('?P<n>', '?P<n4>')}\s+"
    r"(?:(?:other|more|further|[a-z]+-?[a-z]*)\s+)?"
    r"(?:people|persons|others|workers|miners|passengers|residents|civilians|soldiers|officers|firefighters|"
    r"children|men|women|pedestrians|staff|employees|patients|crew|students|pupils|protesters|demonstrators|"
    r"suspects|of)\b",
    re.IGNORECASE)
#: A sentence about another event than the story's: a year ("Its last derailment was in 2024"),
#: an earlier incident, a running total ("since January", "so far this year"); or about what
#: would or could have happened ("if the wall had given way, dozens would have been hurt").
_OTHER_EVENT = re.compile(
    _CLAUSE_YEAR.pattern + r"|\b(?:last|previous|earlier|prior|similar)\s+(?:year|month|week|incident|accident|"
    r"fire|crash|blast|explosion|derailment|attack|time)\b|\bin\s+that\s+(?:incident|accident|fire|crash|"
    r"blast|attack)\b|\bsince\b|\bso\s+far\b|\bthis\s+year\b|\b(?:every|each)\s+year\b|\bannually\b|"
    r"\bwould\b|\bcould\b|\bif\b", re.IGNORECASE)
_FATE_SIEVE = re.compile(r"injur|hurt|wound|harm|kill|dead|died|death|fatalit|casualt|arrest|detain", re.IGNORECASE)


@lru_cache(maxsize=16_384)
def fate_counts(text: str) -> dict[str, tuple[int, str | None]]:
    """How many people ``text`` says were hurt, killed or arrested, by family (``injured``,
    ``dead``, ``arrested``): 0 where it says nobody was (:data:`_ZERO_FATE`), else the count it
    gives (:data:`_COUNTED_FATE`), with who "none of" names ("none of the company's
    *employees*"), else None. A family told two ways in one sentence, or a sentence about
    another event or a condition (:data:`_OTHER_EVENT`), gives nothing."""
    if not _FATE_SIEVE.search(text) or _OTHER_EVENT.search(text):
        return {}
    found: dict[str, set[tuple[int, str | None]]] = {}
    for m in _ZERO_FATE.finditer(text):
        family = _FATE_FAMILY[(m.group("fate") or m.group("died") or m.group("noun")).casefold()]
        found.setdefault(family, set()).add((0, (m.group("who") or "").casefold() or None))
    for m in _COUNTED_FATE.finditer(text):
        count = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4")
        before = text[max(0, m.start() - 4):m.start()].casefold()
        if re.search(r"\bno[\s-]?$", before):
            continue  # the "one" of "no one"
        values = [v for v in (slot_number(x) for x in claim_slots(count)) if v is not None]
        if len(values) != 1 or not values[0] >= 1 or values[0] != int(values[0]):
            continue
        family = _FATE_FAMILY[(m.group("fate") or m.group("died") or m.group("noun") or m.group("verb")).casefold()]
        found.setdefault(family, set()).add((int(values[0]), None))
    out: dict[str, tuple[int, str | None]] = {}
    for family, told in found.items():
        counts = sorted(n for n, _ in told if n > 0)
        zeros = sorted((who or "" for n, who in told if n == 0))
        if counts and not zeros:
            out[family] = (counts[-1], None)
        elif zeros and not counts:
            out[family] = (0, zeros[0] or None)
    return out


#: Where a clause ends, for the figures a year dates.
_DATED_CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]|\s-\s")


def past_figures(text: str, year: int) -> frozenset[str]:
    """The slots of ``text`` that a year before ``year`` (the article's) dates in their own
    clause ("That is just below the record of 7.1 metres set in 2009"), or from a clause opening
    with "when" right after the year's to the end ("their first cup since 2019, when they beat
    Tessaly United 3-1"; "in 2017, when a ferry struck the harbour wall, injuring four"):
    figures of an earlier event, not values of this story's. Years themselves aside."""
    if not _CLAUSE_YEAR.search(text):
        return frozenset()
    out: set[str] = set()
    prev_past = when = False
    for part in _DATED_CLAUSE_END.split(text):
        earlier = [m for m in _CLAUSE_YEAR.finditer(part) if int(m.group(1)) < year]
        # "a first cup since 1998 goes on after a 3-1 defeat": a span up to now dates no figure
        # beside it, only a "when" clause that follows ("since 2019, when they beat ...").
        dated = any(not re.search(r"\bsince\s+$", part[:m.start()]) for m in earlier)
        when = prev_past and (part.lstrip().startswith("when ") or when)
        if dated or when:
            out.update(v for v in claim_slots(part) if not v.startswith(("year:", "date:")))
        prev_past = bool(earlier) or when
    return frozenset(out)


def _clause_opening(text: str, toks: list[tuple[int, int, str]], i: int) -> list[str]:
    """The first two frame words of the clause of token ``i``, up to the first figure: the
    subject a linking verb (:data:`_LINKING`) gives the amount."""
    starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, toks[i][0])]
    begin = starts[-1] if starts else 0
    out = []
    for start, _, tok in toks[:i]:
        if start < begin:
            continue
        if is_figure(tok):
            break
        if _frame_word(tok):
            out.append(tok)
            if len(out) == 2:
                break
    return out


def is_figure(tok: str) -> bool:
    """A number in digits or words, alone or leading a compound ("six-year", "five-day")."""
    return tok[0].isdigit() or cm.word_number(tok) is not None or (
        "-" in tok and cm.word_number(tok.split("-", 1)[0]) is not None)


def frame_tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _FRAME_TOKEN.finditer(text)]


def slot_sites(text: str, toks: list[tuple[int, int, str]], months: bool) -> Iterator[tuple[int, str]]:
    """(token index, slot) for each figure of ``text`` (and each month, with ``months``) that
    states one of the text's slots (:func:`claim_slots`), in text order."""
    wanted = claim_slots(text)
    scores = {start: slot for start, _, slot in tallies(text)} if any(w.startswith("score:") for w in wanted) else {}
    for i, (start, _, tok) in enumerate(toks):
        if start in scores:
            if scores[start] in wanted:
                yield i, scores[start]
            continue
        if not (is_figure(tok) or (months and tok.casefold() in cm._MONTHS)):
            continue
        piece = text[start: toks[min(i + 2, len(toks) - 1)][1]]
        if text[toks[i][1]:toks[i][1] + 1] == ":":
            # "6:40 p.m." is three tokens and a dot ("6", "40", "p", "m"): without its "p.m." the
            # piece would read as 06:40
            piece = text[start: toks[min(i + 3, len(toks) - 1)][1] + 1]
        for slot in sorted(claim_slots(piece) & wanted):
            yield i, slot


def _frame_side(toks: list[tuple[int, int, str]], order: range) -> list[str]:
    """The frame words on one side of a figure, nearest first, up to the next figure (and on
    the left up to a joining word): in "58 goals in 142 games", "goals" is what 58 counts, not
    a frame of 142."""
    out = []
    for j in order:
        tok = toks[j][2]
        if is_figure(tok) or tok.casefold() in _CLAUSE_JOINS:
            break  # "being treated, and 17 of them", "jailed for four years, and the court ordered"
        if tok.casefold() == "all" and j > 0 and toks[j - 1][2].casefold() == "in":
            continue  # "Seven people in all were taken to hospital": a total, not what of them
        if _frame_word(tok) and not (order.step < 0 and j > 0 and is_figure(toks[j - 1][2])):
            out.append(_name_head(toks, j) if order.step > 0 else tok)
    return out


def _name_head(toks: list[tuple[int, int, str]], j: int) -> str:
    """The last word of the capitalised name that starts at ``toks[j]`` ("on the Harrow *Bank*"),
    or ``toks[j]`` itself: a name's head is its last word, as the left side, read backwards, meets it first."""
    if not toks[j][2][:1].isupper():
        return toks[j][2]
    k = j
    while k + 1 < len(toks) and toks[k + 1][2][:1].isupper() and toks[k + 1][0] - toks[k][1] == 1:
        k += 1
    return toks[k][2]


#: Words between a figure and what it counts: "two more guards", "120 additional officers".
_COUNT_MODIFIERS = frozenset("more other new additional extra further fewer less than".split())
#: Endings of a word after a figure that describes the count rather than naming what is counted
#: ("70 *consecutive* days").
ADJECTIVE_ENDS = ("ive", "al", "ous", "ful", "ic", "able", "ible")


def counted_nouns(text: str, currencies: frozenset[str] = frozenset()) -> dict[str, str]:
    """For each count or amount of ``text``, the word right after it that says what it counts
    ("nine *points*", "19 league goals": *league*, "14 million *euros*": ``money``), stemmed as
    frames are; none where a function word follows ("sixth in the league, 9 of them")."""
    out: dict[str, str] = {}
    toks = frame_tokens(text)
    for i, slot in slot_sites(text, toks, months=False):
        if slot in out or not slot.startswith(("num:", "pct:")):
            continue
        j = i + 1
        while j < len(toks) and (toks[j][2].casefold() in cm._SCALE or toks[j][2].casefold() in _UNIT_WORDS
                                 or toks[j][2].casefold() in _COUNT_MODIFIERS):
            j += 1
        if j >= len(toks) or toks[j][0] - toks[j - 1][1] > 1:
            continue  # punctuation between: "by 27 votes to 22." has no noun after 22
        word = toks[j][2].casefold()
        if _is_currency(word, currencies):
            out[slot] = "money"
        elif word[0].isalpha() and word not in cm._STOP:
            out[slot] = frame_stem(word)
    return out


#: Pronouns of a partitive figure with no noun ("17 of them").
_THEM = frozenset({"them", "us", "those", "these"})
#: Words that join a clause to the one before: a frame word behind them is the other clause's.
_CLAUSE_JOINS = frozenset({"and", "but", "while", "whereas", "although"})
#: Determiners of a partitive figure ("17 of the patients", "two of its plants").
_PARTITIVE = frozenset({"the", "these", "those", "its", "their", "his", "her", "our", "your"})

#: Words that are part of a figure, not what it counts: "41 percent" of rainfall and "9.4
#: percent" of food prices share the word and nothing else.
_UNIT_WORDS = frozenset({"percent", "per", "cent", "percentage", "pct"})


#: The weekdays in order (Monday is 0, as ``datetime.weekday`` counts).
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES = frozenset(WEEKDAYS)


#: A weekday right after one of these dates the telling, not the event ("said on Monday").
TELLING = frozenset({"said", "says", "told", "announced", "confirmed", "added", "stated", "reported", "wrote"})


#: A figure an article names as the one its own replaces: "nine, up from the six announced on
#: Monday", "revised the toll from 12 to 14", "raised its estimate from 300".
_SUPERSEDED = re.compile(
    r"\b(?:up|down|higher|lower|rising|falling|rose|fell|risen|fallen|revised|raised|lowered|corrected|"
    r"increased|decreased|adjusted|updated)\s+(?:\w+\s+){0,3}?from\s+(?:(?:the|an?|its|their)\s+)?"
    r"(?:(?:earlier|initial|previous|first|original)\s+)?(?:(?:figure|estimate|toll|count|total)\s+of\s+)?"
    r"((?:about|some|around|roughly)\s+)?([\d][\d,.]*(?:\s+(?:million|billion|thousand))?|"
    + cm.NUMBER_WORDS + r")", re.IGNORECASE)


#: Words near a figure that make it a count of what is left at a later time: "some 12,000
#: households were *still* without electricity" is no second count of the 48,000 "at the height
#: of the storm".
_LATER = frozenset({"still", "remaining", "remain", "remained"})
#: Verbs of a change whose "to" gives the value reached, later than the one left: "by midday the
#: temperature had *climbed to* 16 degrees" is no second value of the 9 degrees at the start.
_REACHED = frozenset("rose risen climbed fell fallen dropped increased decreased grew".split())


def later_figures(text: str) -> frozenset[str]:
    """The slots of ``text`` whose figure has a :data:`_LATER` word within three words before
    or seven after it ("Ten patients with the disease were *still* being treated"), or is the
    value a change reached (:data:`_REACHED` "... to" right before it)."""
    toks = frame_tokens(text)
    return frozenset(slot for i, slot in slot_sites(text, toks, months=False)
                     if any(t.casefold() in _LATER for _, _, t in toks[max(0, i - 3):i + 8])
                     or (i >= 2 and toks[i - 1][2].casefold() == "to" and toks[i - 2][2].casefold() in _REACHED))


#: Words that make a count a running total at a moment: "*by Friday evening*, 160 operations
#: had been cancelled *since the walkout began*", "*so far*", "*to date*". An event "began" has
#: its article ("since records began" dates a record, it counts nothing up).
_RUNNING = re.compile(
    r"\b(?:so\s+far|to\s+date|since\s+(?:the|its|their|this)\s+[\w-]+(?:\s+[\w-]+){0,3}?\s+"
    r"(?:began|begun|started|opened|broke\s+out)|by\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|midday|noon|"
    r"midnight|nightfall|dawn|this\s+(?:morning|afternoon|evening))\b)", re.IGNORECASE)


def running_totals(text: str) -> frozenset[str]:
    """The counts of ``text`` when it tells them as a running total (:data:`_RUNNING`): "85
    operations cancelled on Thursday" and "by Friday evening, 160 cancelled since the walkout
    began" are a day's count and the count so far, not two values of one."""
    if not _RUNNING.search(text):
        return frozenset()
    return frozenset(s for s in claim_slots(text) if s.startswith("num:"))


def superseded_figures(text: str) -> frozenset[str]:
    """Slot values ``text`` names as earlier figures it updates (:data:`_SUPERSEDED`): a report
    that gives a new count and the old one it replaces does not contradict the old one's
    reports; it says the count moved."""
    out: set[str] = set()
    for m in _SUPERSEDED.finditer(text):
        out |= claim_slots(m.group(2))
    return frozenset(out)


#: "38-year-old": part of an age, not what the age is of (the sergeant, the driver).
_AGE_WORD = re.compile(r"(?:years?|months?|weeks?|days?)-old", re.IGNORECASE)


def _frame_word(t: str) -> bool:
    low = t.casefold()
    return (t[0].isalpha() and len(t) > 2 and low not in cm._STOP and low not in GENERIC and low not in _UNIT_WORDS
            and low not in cm._MONTHS and cm.word_number(low) is None and low not in cm._SCALE
            and not _AGE_WORD.fullmatch(t))


def shared_frame(fa: dict[str, frozenset[str]], fb: dict[str, frozenset[str]],
                 diff: dict[str, tuple[list[str], list[str]]], currencies: frozenset[str] = frozenset()
                 ) -> dict[str, list[str]]:
    """Per differing slot type, the frame stems (:func:`slot_frames` of each side) a value of
    one side shares with a value of the other (empty: the numbers are about different things)."""
    out = {}
    for t, (va, vb) in diff.items():
        common: set[str] = set()
        for x in va:
            for y in vb:
                common |= frames_meet(fa.get(x, frozenset()), fb.get(y, frozenset()), currencies)
        if common:
            out[t] = sorted(common)
    return out


#: Figures that read two ways, so a sentence holding one is not compared: dozens ("two dozen
#: years" reads 12 and 2), a point between thousands ("18.000 USD").
TWO_READINGS = re.compile(r"\bdozens?\b|\b\d{1,3}(?:\.\d{3})+\b(?![.,]\d)", re.IGNORECASE)
#: Figures given loosely: the ends of a range ("aged 54 to 57", "between 2020 and 2024":
#: either may be the other sentence's figure) and an open bound ("five or more").
_LOOSE = re.compile(rf"(\d[\d,.]*|{cm.NUMBER_WORDS})\s*(?:to|-|\u2013|and)\s*(\d[\d,.]*|{cm.NUMBER_WORDS})\b"
                    rf"|\b(\d[\d,.]*|{cm.NUMBER_WORDS})\s+or\s+(?:more|fewer|less|so|over|under)\b", re.IGNORECASE)


def loose_figures(text: str) -> frozenset[float]:
    """The values of the figures :data:`_LOOSE` finds in ``text``."""
    out = set()
    for m in _LOOSE.finditer(text):
        for piece in m.groups():
            out.update(x for v in cm.slots(piece or "") if (x := figure_of(v)) is not None)
    return frozenset(out)


def figure_of(slot: str) -> float | None:
    """The number a slot states (a year's, a duration's count), or None (a date)."""
    value = slot.partition(":")[2].partition("-")[0]
    try:
        return float(value)
    except ValueError:
        return None


#: How far apart two lengths of time may be and still be one length told two ways.
_LENGTH_RATIO = 100.0
#: Days in a unit of :data:`DURATION`: "40 years" and "four decades" are one length.
_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.4, "year": 365.25,
         "decade": 3652.5}


def _comparable_lengths(u: str, w: str) -> bool:
    """Whether two slots may be one length: anything but two durations more than
    ``_LENGTH_RATIO`` times apart."""
    a, b = _length_days(u), _length_days(w)
    return a is None or b is None or max(a, b) <= _LENGTH_RATIO * max(min(a, b), 1e-9)


def _length_days(slot: str) -> float | None:
    """A duration slot's length in days ("dur:40-year": 14,610), else None."""
    if not slot.startswith("dur:"):
        return None
    value, _, unit = slot[4:].rpartition("-")
    try:
        return float(value) * _DAYS[unit]
    except (KeyError, ValueError):
        return None


def same_duration(u: str, w: str) -> bool:
    """Whether two durations in different units are one length (within a tenth)."""
    a, b = _length_days(u), _length_days(w)
    return a is not None and b is not None and abs(a - b) <= 0.1 * max(a, b)


INNER_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def figure_words(text: str) -> frozenset[str]:
    """The figures of ``text`` as negation stems (:func:`newstrace.negation.stems`), among which
    the figures a negated clause governs are looked up."""
    return frozenset(t for t in stems(text) if t[:1].isdigit())


#: A person said to be alive ("pulled out alive", "survived", "unhurt", "is recovering in
#: hospital"); "survived by" is an obituary's family.
_ALIVE = re.compile(r"\b(?:alive|unhurt|unharmed|survived(?!\s+by\b)|recovering|stable\s+condition|"
                    r"(?:is|are|remains?)\s+in\s+hospital)\b", re.IGNORECASE)
#: A person said to be dead ("the body of", "found dead", "died", "was killed").
_DEAD = re.compile(r"\b(?:body|bodies|remains|dead|died|killed|drowned)\b", re.IGNORECASE)
#: What makes a fate no fact of the sentence: a negation, a hope or fear, a condition, a later
#: death ("later died in hospital": the update of an earlier "pulled out alive").
_FATE_HEDGE = re.compile(
    r"\b(?:not|no|never|nobody|hopes?|hoped|hoping|fear(?:ed|s)?|presumed|believed|thought|whether|if|chance|"
    r"could|may|might|would|should|expected|likely|possibly|perhaps|reportedly|later|since|succumbed|"
    r"injuries|wounds)\b|n't\b", re.IGNORECASE)
#: A person picked out by an age and a noun: "the 72-year-old man", "a 71-year-old shepherd".
_AGED_PERSON = re.compile(r"\b(\d{1,3})[\s-]years?[\s-]old\s+([a-z][\w-]*)")
#: A person's name in full: two or three capitalised words.
_FULL_NAME_WORDS = r"(?:[A-Z][\w'\u2019-]*[a-z]\s+){1,2}[A-Z][\w'\u2019-]*[a-z]"
_FULL_NAME = re.compile(rf"(?<![\w'\u2019-]){_FULL_NAME_WORDS}(?![\w'\u2019-])")


def person_fate(text: str) -> tuple[str, frozenset[str]] | None:
    """Whether ``text`` says someone is alive or dead, and whom it could be of: ``("alive" |
    "dead", people)``, the people as "name:<surname>" for each full name in the sentence and
    "aged:<age> <noun>" for each "72-year-old man", casefolded. None where the sentence tells
    both fates (one survived, another died), none, or a fate under a negation, a hope, a fear
    or a condition (:data:`_FATE_HEDGE`); :meth:`newstrace.corroboration._Run.fates_told_otherwise`
    asks two sentences for one person in common."""
    alive, dead = _ALIVE.search(text), _DEAD.search(text)
    if bool(alive) == bool(dead) or _FATE_HEDGE.search(text):
        return None
    people = {f"aged:{n} {noun.casefold()}" for n, noun in _AGED_PERSON.findall(text)}
    for m in _FULL_NAME.finditer(text):
        words = [w for w in m.group(0).split() if w.casefold().rstrip(".") not in HONORIFICS]
        if len(words) >= 2 and words[0].casefold() not in cm._STOP and words[-1].casefold() not in cm._MONTHS:
            people.add(f"name:{possessor(words[-1].casefold())}")
    return ("alive" if alive else "dead", frozenset(people)) if people else None


#: Bodies that decide by a vote, by family: a panel of judges and its court, a commission and
#: its commissioners, a board and its directors.
_BODY_FAMILY = {"judge": "court", "judges": "court", "panel": "court", "court": "court", "bench": "court",
                "justices": "court", "commission": "commission", "commissioners": "commission",
                "board": "board", "directors": "board", "council": "council", "councillors": "council",
                "councilors": "council", "committee": "committee", "jury": "jury", "jurors": "jury",
                "shareholders": "shareholders", "parliament": "parliament", "assembly": "parliament",
                "senate": "senate", "senators": "senate"}
_BODY = re.compile(r"\b(" + "|".join(sorted(_BODY_FAMILY, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SMALL = r"\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
#: A decision taken by everyone: "unanimously", "was unanimous", "without dissent", "all five
#: judges ... agreed".
_UNANIMOUS = re.compile(r"\bunanimous(?:ly)?\b|\bwithout\s+(?:a\s+)?dissent\b|\ball\s+(?:the\s+)?(?:"
                        + _SMALL + r")\s+(?:\w+\s+){0,6}?(?:agreed|backed|supported|voted\s+(?:for|in\s+favour))",
                        re.IGNORECASE)
#: A decision with a minority: "split three to two", "by a 3-2 vote", "by five votes to two",
#: "two ... dissented".
_SPLIT = re.compile(r"\bsplit\s+(?:" + _SMALL + r")\s*(?:to|-|\u2013)\s*(?:" + _SMALL + r")\b"
                    r"|\b(?:by|in)\s+(?:a\s+)?(?:" + _SMALL + r")\s*(?:votes?\s+)?(?:to|-|\u2013)\s*(?:" + _SMALL
                    + r")(?:\s+(?:vote|votes|majority|decision|ruling))?\b(?!\s*(?:minutes?|hours?|km|metres))"
                    r"|\bdissent(?:ed|ing)\b", re.IGNORECASE)
_VOTE_CUE = re.compile(r"\bvot(?:e|es|ed|ing)\b|\bdissent|\bsplit\b|\bmajority\b", re.IGNORECASE)


def vote_split(text: str) -> tuple[str, frozenset[str]] | None:
    """Whether ``text`` says a body decided unanimously or with a minority, and which bodies
    it names (:data:`_BODY_FAMILY`): ``("unanimous" | "split", families)``. None where it says
    neither, both, or "not unanimous" (a negation reads as neither), or names no body."""
    unanimous, split = _UNANIMOUS.search(text), _SPLIT.search(text)
    if bool(unanimous) == bool(split) or (split and not _VOTE_CUE.search(text)):
        return None
    if unanimous and re.search(r"\b(?:not|n't|never|nor)\s+(?:\w+\s+)?unanimous", text, re.IGNORECASE):
        return None
    bodies = frozenset(_BODY_FAMILY[m.group(1).casefold()] for m in _BODY.finditer(text))
    if not bodies:
        return None
    return ("unanimous" if unanimous else "split", bodies)


#: Head nouns of a title: "the mine's general *manager*", "NCM's chief financial *officer*".
_TITLE_HEADS = frozenset(
    "director manager officer executive head chief president chairman chairwoman chair chairperson secretary "
    "minister spokesman spokeswoman spokesperson commander governor treasurer editor superintendent inspector "
    "coordinator engineer prosecutor coach captain adviser advisor controller commissioner administrator "
    "principal dean provost ceo cfo coo cto".split())
#: Titles that name one post in other words.
_TITLE_FAMILIES = (
    frozenset({"chief executive", "chief executive officer", "ceo", "managing director", "president"}),
    frozenset({"spokesman", "spokeswoman", "spokesperson", "press secretary", "press officer",
               "communications director", "director of communications", "head of communications"}),
    frozenset({"chairman", "chairwoman", "chair", "chairperson"}),
    frozenset({"chief financial officer", "cfo", "finance director", "director of finance"}),
)
#: One word of a post in other words: "chair" and "chairman", "spokeswoman" and "spokesman".
_TITLE_WORDS = {**dict.fromkeys(("chair", "chairwoman", "chairperson"), "chairman"),
                **dict.fromkeys(("spokeswoman", "spokesperson"), "spokesman")}
_TITLE_WORD = r"(?!(?:who|which|that|and|said|says|told|was|is|has|had|will|of|in|at|on|for)\b)[a-zA-Z][\w-]*"
_TITLE = rf"(?P<title>(?:{_TITLE_WORD}\s+){{0,3}}{_TITLE_WORD}(?:\s+of\s+(?:[A-Za-z][\w-]*\s+){{0,2}}[A-Za-z][\w-]*)?)"
_FULL = rf"(?P<name>{_FULL_NAME_WORDS})"
#: Whose post: "the", "its", "the mine's", "NCM's".
_OWNER = r"(?:(?:the|an?|its|his|her|their)\s+(?:[\w-]+['\u2019]s\s+)?|[A-Z][\w&.-]*['\u2019]s\s+)"
#: "Jonas Fell, the mine's general manager," / "The company's managing director, Helga Brannock,".
_NAMED_TITLE = (
    re.compile(_FULL + r",\s+" + _OWNER + _TITLE + r"(?=[,.;])"),
    re.compile(r"\b" + _OWNER.replace("the|", "[Tt]he|") + _TITLE.replace("title", "title2") + r",\s+"
               + _FULL.replace("name", "name2") + r","),
)


def named_titles(text: str) -> dict[tuple[str, str], str]:
    """The titles ``text`` gives people named in full beside them (:data:`_NAMED_TITLE`):
    (given name, surname) casefolded -> the title, casefolded ("general manager", "head of it
    security"). Only titles with a head noun of a post (:data:`_TITLE_HEADS`); none told as
    former, acting or as two posts ("founder and chief executive")."""
    out: dict[tuple[str, str], str] = {}
    for m in (m for pattern in _NAMED_TITLE for m in pattern.finditer(text)):
        name = m.group("name") if "name" in m.groupdict() and m.group("name") else m.group("name2")
        title = (m.group("title") if "title" in m.groupdict() and m.group("title") else m.group("title2")).casefold()
        words = title.split()
        head = words[words.index("of") - 1] if "of" in words else words[-1]
        if head not in _TITLE_HEADS or set(words) & {"former", "acting", "interim", "then", "ex", "and", "late"}:
            continue
        parts = [w for w in name.split() if w.casefold().rstrip(".") not in HONORIFICS]
        if len(parts) >= 2:
            out.setdefault((parts[0].casefold(), possessor(parts[-1])), title)
    return out


def titles_disagree(a: str, b: str) -> bool:
    """Whether two titles name two posts: no word of the post in common (the head's
    modifiers count: "communications director" and "head of communications" share one) and
    not one post in other words (:data:`_TITLE_FAMILIES`)."""
    if any(a in family and b in family for family in _TITLE_FAMILIES):
        return False
    generic = {"of", "the", "its", "chief", "senior", "deputy", "head", "executive", "officer"}
    words_a, words_b = ({_TITLE_WORDS.get(w, w) for w in t.split()} - generic for t in (a, b))
    return not words_a & words_b and a not in b and b not in a
