"""The review calendar (README "5. Chase"): when the review meets, and when owners are
prompted.

Pure: every instant is a parameter. The rule is an RFC 5545 RRULE evaluated by
python-dateutil in naive local wall time and only then placed in the configured timezone,
so a 10:00 meeting stays at 10:00 local on both sides of a daylight-saving change.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

# DTSTART for every rule. A Saturday, 1 January: moving it by whole periods (days, weeks,
# months, years) keeps the weekday, day of month and month that dateutil takes from DTSTART
# when the rule leaves them out, and keeps INTERVAL counting from the same phase.
ANCHOR = date(2000, 1, 1)
# Wider than any jump in a zone's UTC offset (Samoa once skipped a whole day), so searching
# from this far before a moment in wall time never misses a meeting.
_MARGIN = timedelta(days=2)
_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_PARTS = frozenset({"FREQ", "INTERVAL", "WKST", "BYMONTH", "BYWEEKNO", "BYYEARDAY",
                    "BYMONTHDAY", "BYDAY", "BYSETPOS"})
_REFUSED = {
    "DTSTART": "the calendar starts the rule itself",
    "COUNT": "the review recurs without end",
    "UNTIL": "the review recurs without end",
    "BYHOUR": "the meeting's time of day comes from review.time",
    "BYMINUTE": "the meeting's time of day comes from review.time",
    "BYSECOND": "the meeting's time of day comes from review.time",
}
_HH_MM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class ReviewCycle:
    """One review meeting and the prompt window that leads up to it."""

    meeting: datetime        # aware, in the calendar's timezone
    prompt_from: datetime    # 00:00 local, prompt_days_before days before the meeting

    @property
    def name(self) -> str:
        """The cycle is named by its meeting date, e.g. ``2026-12-01``."""
        return self.meeting.date().isoformat()

    def in_prompt_window(self, now: datetime) -> bool:
        """``prompt_from <= now < meeting``; ``now`` must be aware, in any timezone."""
        return _instant(self.prompt_from) <= _instant(now) < _instant(self.meeting)


class ReviewCalendar:
    """The review meetings of ``rule`` at ``time`` in ``timezone``.

    ``rule`` is an RRULE without DTSTART (``FREQ=MONTHLY;BYDAY=1TU``), optionally prefixed
    ``RRULE:``. Parts the rule leaves to DTSTART (the weekday of a plain weekly rule, the
    phase of an INTERVAL) count from Saturday 1 January 2000. A meeting whose local time
    falls in a spring-forward gap moves forward by the gap; in an autumn overlap it is the
    first of the two. Raises ValueError naming the rule, the time or the timezone.
    """

    def __init__(self, *, rule: str, time: str, timezone: str, prompt_days_before: int = 7):
        self.time = parse_time(time)
        self.timezone = parse_zone(timezone)
        if (not isinstance(prompt_days_before, int) or isinstance(prompt_days_before, bool)
                or prompt_days_before < 0):
            raise ValueError(f"prompt_days_before must be a whole number of days, 0 or more "
                             f"(got {prompt_days_before!r})")
        self.prompt_days_before = prompt_days_before
        self.rule, self._freq, self._interval = _check_rule(rule)
        try:
            recurrence = rrulestr(self.rule, dtstart=datetime.combine(ANCHOR, self.time))
        except (ValueError, TypeError, KeyError, IndexError) as e:
            raise ValueError(f"review rule '{rule}' is not a valid RFC 5545 recurrence: {e}") \
                from None
        if not isinstance(recurrence, rrule):     # _check_rule lets one RRULE through
            # TRY004: config errors are ValueErrors by contract
            raise ValueError(f"review rule '{rule}' must be a single RRULE")  # noqa: TRY004
        self._rrule = recurrence
        # dateutil walks to year 9999 before giving up on a rule that never matches
        # (BYMONTH=2;BYMONTHDAY=30); starting near the end keeps that to four centuries,
        # one full turn of the Gregorian calendar.
        if next(self._occurrences(datetime(9600, 1, 1)), None) is None:
            raise ValueError(f"review rule '{rule}' never produces a meeting")

    def __repr__(self) -> str:
        return (f"ReviewCalendar(rule={self.rule!r}, time='{self.time:%H:%M}', "
                f"timezone={self.timezone.key!r}, prompt_days_before={self.prompt_days_before})")

    def meetings(self, start: datetime, end: datetime) -> list[datetime]:
        """Meetings with ``start <= meeting < end``, in order."""
        first, last = _instant(start), _instant(end)
        stop = self._wall(end) + _MARGIN
        out = []
        for naive in self._occurrences(self._wall(start) - _MARGIN):
            if naive > stop:
                break
            meeting = self._place(naive)
            if first <= _instant(meeting) < last:
                out.append(meeting)
        return out

    def next_meeting(self, after: datetime) -> datetime:
        """The first meeting strictly after ``after``."""
        return self._place(self._next(after))

    def upcoming(self, now: datetime) -> ReviewCycle:
        """The cycle of the next meeting (strictly after ``now``): the "next review"."""
        naive = self._next(now)
        # The window opens at the start of the prompt day: a PMO says "a week before",
        # and a run at 09:00 that day (or a rehearsal with --today) must already be in it.
        opens = datetime.combine(naive.date() - timedelta(days=self.prompt_days_before),
                                 clock_time(0))
        return ReviewCycle(self._place(naive), self._place(opens))

    def cycle_at(self, now: datetime) -> ReviewCycle | None:
        """The cycle whose prompt window holds ``now``, or None between windows.

        Where windows overlap (a weekly rule with a ten-day prompt) the nearest upcoming
        meeting wins; a later meeting's window can never hold ``now`` when the nearest
        one's does not, since it opens later.
        """
        cycle = self.upcoming(now)
        return cycle if cycle.in_prompt_window(now) else None

    def _next(self, after: datetime) -> datetime:
        moment = _instant(after)
        for naive in self._occurrences(self._wall(after) - _MARGIN):
            if _instant(self._place(naive)) > moment:
                return naive
        raise ValueError(f"the review rule has no meeting after {after.isoformat()}")

    def _occurrences(self, since: datetime) -> Iterator[datetime]:
        """Naive local occurrences on or after ``since``'s period, in order.

        dateutil walks every period from DTSTART on each query, so DTSTART moves up to
        the period holding ``since`` rather than staying in 2000.
        """
        return iter(self._rrule.replace(dtstart=self._period_start(since)))

    def _period_start(self, since: datetime) -> datetime:
        step = self._interval
        if self._freq in ("YEARLY", "MONTHLY"):
            step *= 12 if self._freq == "YEARLY" else 1
            months = (since.year - ANCHOR.year) * 12 + since.month - 1
            months -= months % step
            day = date(ANCHOR.year + months // 12, months % 12 + 1, 1)
        else:
            step *= 7 if self._freq == "WEEKLY" else 1
            days = (since.date() - ANCHOR).days
            day = ANCHOR + timedelta(days=days - days % step)
        return datetime.combine(day, self.time)

    def _wall(self, moment: datetime) -> datetime:
        return _instant(moment).astimezone(self.timezone).replace(tzinfo=None)

    def _place(self, naive: datetime) -> datetime:
        # fold=0 and a round trip through UTC: a time in the spring-forward gap is read
        # with the offset before the gap (RFC 5545 §3.3.5), i.e. moved forward by the gap.
        aware = naive.replace(tzinfo=self.timezone, fold=0)
        return aware.astimezone(UTC).astimezone(self.timezone)


def _instant(moment: datetime) -> datetime:
    # Compared in UTC: Python compares two datetimes sharing one tzinfo by wall time,
    # which orders the two halves of an autumn overlap wrongly.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no UTC offset; the review calendar "
                         "needs timezone-aware datetimes")
    return moment.astimezone(UTC)


def parse_time(text: str) -> clock_time:
    match = _HH_MM.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"review time {text!r} is not a time of day; write HH:MM, e.g. 10:00")
    return clock_time(int(match.group(1)), int(match.group(2)))


def parse_zone(name: str) -> ZoneInfo:
    try:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(name)
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown timezone {name!r}; use an IANA zone name such as "
                         "Europe/London or America/New_York") from None


def _check_rule(text: str) -> tuple[str, str, int]:
    """The rule without its ``RRULE:`` prefix, its FREQ and INTERVAL; ValueError if it is
    not one line of known parts that suits a meeting held at most once a day."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("review rule is empty; write an RRULE such as FREQ=MONTHLY;BYDAY=1TU")
    if any(c in text for c in "\n\r\x0b\x0c\x85\u2028\u2029"):
        raise ValueError(f"review rule {text!r} holds a line break; write it on one line, "
                         "e.g. FREQ=MONTHLY;BYDAY=1TU")
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:"):]
    parts: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in body.split(";"))):
        name, equals, value = part.partition("=")
        name = name.strip().upper()
        if not equals or not value.strip():
            raise ValueError(f"review rule '{text}': '{part}' is not NAME=VALUE")
        if name in _REFUSED:
            raise ValueError(f"review rule '{text}': remove {name}, {_REFUSED[name]}")
        if name not in _PARTS:
            raise ValueError(f"review rule '{text}': unknown part {name}")
        if name in parts:
            raise ValueError(f"review rule '{text}': {name} is given twice")
        parts[name] = value.strip().upper()
    freq = parts.get("FREQ")
    if freq not in _FREQS:
        raise ValueError(f"review rule '{text}': FREQ must be one of {', '.join(_FREQS)} "
                         f"(got {freq or 'nothing'}); the meeting is at most once a day")
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        raise ValueError(f"review rule '{text}': INTERVAL must be a whole number, 1 or more")
    if int(interval) > _TWO_YEARS[freq]:
        raise ValueError(f"review rule '{text}': INTERVAL={interval} leaves no meeting in the "
                         f"next two years; at most {_TWO_YEARS[freq]} with FREQ={freq}")
    for name, value in parts.items():
        _check_numbers(text, name, value, freq)
    return ";".join(f"{k}={v}" for k, v in parts.items()), freq, int(interval)



# The largest INTERVAL that still meets within two years, by FREQ.
_TWO_YEARS = {"YEARLY": 2, "MONTHLY": 24, "WEEKLY": 104, "DAILY": 730}
# RFC 5545 §3.3.10: the numbers each BY part allows (never 0), by name.
_RANGES = {"BYMONTHDAY": (1, 31, True),
           "BYYEARDAY": (1, 366, True), "BYWEEKNO": (1, 53, True), "BYSETPOS": (1, 366, True)}
_BYDAY = re.compile(r"([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_HINTS = {"BYMONTHDAY": "; -1 is the last day of the month"}


def _check_numbers(text: str, name: str, value: str, freq: str) -> None:
    """Each value of a BY part within what RFC 5545 allows (dateutil would crash on, or
    silently ignore, the others: BYMONTHDAY=0 made every day a meeting)."""
    for item in value.split(","):
        if name == "BYDAY":
            _check_byday(text, item, freq)
            continue
        if name not in _RANGES:
            continue
        low, high, negative = _RANGES[name]
        number = item.lstrip("+-")
        ok = number.isdigit() and low <= int(number) <= high and (
            negative or not item.startswith("-"))
        if not ok:
            allowed = f"{low} to {high}" + (f" or -{high} to -{low}" if negative else "")
            raise ValueError(f"review rule '{text}': {name}={item} is not allowed; give "
                             f"{allowed}{_HINTS.get(name, '')}")


def _check_byday(text: str, item: str, freq: str) -> None:
    match = _BYDAY.fullmatch(item)
    if match is None or match.group(2) is None:
        return                      # dateutil names what it cannot read
    most = 53 if freq == "YEARLY" else 5
    if freq not in ("MONTHLY", "YEARLY") or not 1 <= int(match.group(2)) <= most:
        where = "in a monthly rule" if freq == "MONTHLY" else (
            "in a yearly rule" if freq == "YEARLY" else f"with FREQ={freq} (no number there)")
        raise ValueError(f"review rule '{text}': BYDAY={item}: the number before the day "
                         f"must be 1 to {most} (or -1 to -{most}, counting from the end) "
                         f"{where}")
