"""Publication dates: timezone-aware when the source says the zone, otherwise unknown.

A date without a zone is kept as a calendar date in ``meta["published_date"]`` (useful to
order articles by day) but never turned into an instant: inventing a zone would invent an
order between articles published hours apart.
"""

from __future__ import annotations

from datetime import date, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser


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
        try:
            parsed = dateutil_parser.isoparse(text)
        except (ValueError, OverflowError):
            try:
                parsed = dateutil_parser.parse(text, fuzzy=False)
            except (ValueError, OverflowError, TypeError):
                return None, None
    if parsed.year < 1800 or parsed.year > 2200:
        return None, None
    try:
        offset = parsed.utcoffset() if parsed.tzinfo is not None else None
    except ValueError:  # a zone of a day or more ("+90:15", found by fuzzing): not a real zone
        offset = None
    aware = parsed if offset is not None else None
    return aware, parsed.date().isoformat()
