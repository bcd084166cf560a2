"""Publication dates: timezone-aware when the source says the zone, otherwise unknown.

A date without a zone is kept as a calendar date in ``meta["published_date"]`` (useful to
order articles by day) but never turned into an instant: inventing a zone would invent an
order between articles published hours apart.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser


#: ISO forms that name less than a day ("2024", "2024-03", "2024-W10"): no calendar date.
_ISO_PARTIAL = re.compile(r"^\d{4}(-?\d{2})?$|^\d{4}-?W\d{2}$", re.I)
#: Two defaults that differ in every field: a field that differs between the two parses
#: was missing from the text (dateutil would fill it from today's date otherwise).
_DEFAULTS = (datetime(1904, 1, 1, 0, 0, 0), datetime(1908, 2, 2, 1, 1, 1))


def _parse_free(text: str) -> tuple[datetime, bool] | None:
    """(parsed, has_time) for a free-form date with year, month and day all given, else None."""
    try:
        a, b = (dateutil_parser.parse(text, fuzzy=False, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.year != b.year or a.month != b.month or a.day != b.day:
        return None  # "March 2024", "Tuesday", "12", "10:00 AM": no whole date to keep
    return a, a.hour == b.hour and a.minute == b.minute


def parse_date(value: object) -> tuple[datetime | None, str | None]:
    """Return (aware datetime or None, ISO calendar date or None) for a date-like value."""
    if value is None:
        return None, None
    if isinstance(value, datetime):
        return (value if value.tzinfo else None), value.date().isoformat()
    if isinstance(value, date):
        return None, value.isoformat()
    if isinstance(value, (int, float)) or not str(value).strip():
        return None, None
    text = str(value).strip()
    parsed: datetime | None = None
    try:
        parsed = parsedate_to_datetime(text)  # RFC 822, as RSS uses
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is None:
        if _ISO_PARTIAL.match(text):
            return None, None
        try:
            parsed = dateutil_parser.isoparse(text)
        except (ValueError, OverflowError):
            free = _parse_free(text)
            if free is None:
                return None, None
            parsed, has_time = free
            if not has_time:  # a day with a zone but no time is not an instant
                parsed = parsed.replace(tzinfo=None)
    if parsed.year < 1800 or parsed.year > 2200:
        return None, None
    try:
        offset = parsed.utcoffset() if parsed.tzinfo is not None else None
    except ValueError:  # a zone of a day or more ("+90:15", found by fuzzing): not a real zone
        offset = None
    aware = parsed if offset is not None else None
    return aware, parsed.date().isoformat()
