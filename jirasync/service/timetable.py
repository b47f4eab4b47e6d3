"""The ``schedule`` keys (README "8. Run it as a service"): plain-English intervals, read
and turned into due times.

Pure: no clock, no I/O. Times of day are wall-clock times in the config's timezone, so
``every day at 09:00`` stays at 09:00 across daylight saving (a time the clocks skip runs
at the same instant an hour later by the clock; a time they repeat runs once, the first
time). ``every N minutes/hours`` counts elapsed time, which daylight saving does not touch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FORMS = ("every 15 minutes", "every 2 hours", "every hour", "every 30 seconds",
         "every day at 09:00", "every monday at 08:30", "every weekday at 09:00")
_EVERY = re.compile(r"every (?:(\d{1,4}) )?(second|minute|hour)s?")
_AT = re.compile(r"every (day|weekday|" + "|".join(DAYS) + r") at (\d{1,2}):(\d\d)")
# A run a moment early still counts as on time: cron or a timer fires on the minute,
# and the last run started a little after it.
GRACE = timedelta(seconds=60)


@dataclass(frozen=True)
class Schedule:
    """``every`` (elapsed time between runs) or ``days`` + ``at`` (a wall-clock time)."""

    text: str
    every: timedelta | None = None
    days: frozenset[int] = frozenset()      # 0 = Monday
    at: time | None = None

    @property
    def period(self) -> timedelta:
        """The longest gap between two runs on time (a weekday job's is Friday to Monday)."""
        if self.every is not None:
            return self.every
        if len(self.days) == 7:
            return timedelta(days=1)
        return timedelta(days=3 if len(self.days) == 5 else 7)

    def next_after(self, last: datetime, zone: ZoneInfo) -> datetime:
        """When the job is next due, given the start of its last run."""
        if self.every is not None:
            return last + self.every - min(GRACE, self.every / 10)
        local = last.astimezone(zone)
        for offset in range(0, 9):
            day = local.date() + timedelta(days=offset)
            if day.weekday() in self.days:
                moment = _wall(day, self.at, zone)
                if moment > local:
                    return moment
        raise AssertionError("a weekly schedule always falls within 8 days")

    def due(self, last: datetime | None, now: datetime, zone: ZoneInfo) -> bool:
        """Whether a run is due at ``now``; a job never run is due."""
        return last is None or self.next_after(last, zone) <= now


def _wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    # Round-tripping through UTC moves a time the clocks skipped to the same instant's
    # real local time (01:30 on the spring-forward night becomes 02:30).
    naive = datetime.combine(day, at, tzinfo=zone)
    return naive.astimezone(ZoneInfo("UTC")).astimezone(zone)


def parse_schedule(text: str) -> Schedule:
    """A schedule from its words; ValueError listing the accepted forms otherwise."""
    words = " ".join(str(text).lower().split())
    if m := _EVERY.fullmatch(words):
        count = int(m.group(1) or 1)
        if count < 1:
            raise ValueError(f"'{text}': the interval must be at least 1")
        return Schedule(words, every=timedelta(**{f"{m.group(2)}s": count}))
    if m := _AT.fullmatch(words):
        hour, minute = int(m.group(2)), int(m.group(3))
        if hour > 23 or minute > 59:
            raise ValueError(f"'{text}': {m.group(2)}:{m.group(3)} is not a time of day "
                             "(00:00 to 23:59)")
        which = m.group(1)
        days = range(7) if which == "day" else range(5) if which == "weekday" \
            else (DAYS.index(which),)
        return Schedule(words, days=frozenset(days), at=time(hour, minute))
    raise ValueError(f"'{text}' is not a schedule; write one of: " + ", ".join(
        f"'{form}'" for form in FORMS))
