"""Due dates as written in release files: ISO dates or offsets from the live date."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_RELATIVE = re.compile(r"\+(\d{1,4})([dwm])")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped to the month's end: 31 Jan + 1m = 28/29 Feb."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def iso_date(text: str) -> date:
    """A date written YYYY-MM-DD; ValueError saying what is wrong otherwise."""
    text = text.strip()
    if not _ISO.fullmatch(text):
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a day of the calendar") from None


def is_relative(text: str) -> bool:
    return _RELATIVE.fullmatch(text.strip()) is not None


def parse_due(text: str, live_date: date | None) -> date:
    """'2026-12-01', or '+30d' / '+6w' / '+2m' after ``live_date``; ValueError otherwise."""
    text = text.strip()
    match = _RELATIVE.fullmatch(text)
    if match is None:
        if not _ISO.fullmatch(text):
            raise ValueError(f"'{text}' is not a date; write YYYY-MM-DD or an offset "
                             "from live_date like +30d, +6w or +2m")
        return iso_date(text)
    if live_date is None:
        raise ValueError(f"'{text}' is relative to live_date, which is missing")
    n, unit = int(match.group(1)), match.group(2)
    try:
        if unit == "m":
            return add_months(live_date, n)
        return live_date + timedelta(days=n * (7 if unit == "w" else 1))
    except (OverflowError, ValueError):
        raise ValueError(f"'{text}' after {live_date} is past the year 9999") from None
