"""The ``schedule`` keys (README "8. Run it as a service"): plain-English intervals, read
here, and the ``schedule`` library, which decides when each job is next due.

The one door of ``schedule``. Our reading of the words gives ``check`` its messages;
``schedule`` does the calendar arithmetic: the next weekday, the time of day, the interval.
It reads the clock itself, so the door lends it the instant asked about, "as if now were
the last run": that is how ``run --once`` asks what is due since the last journaled run,
and how tests set the time. No clock is read here.

``schedule`` works in naive local time. The door lends it the config's timezone as its
local time for a time of day (and UTC for an interval, which counts elapsed time), then
turns its answer into an instant: a time the clocks skip runs an hour later by the clock,
a time they repeat runs once, the first time. So the machine's own timezone never changes
an answer, and ``schedule``'s timezone support (``pytz``), which misplaces runs around
daylight saving changes, is not used.
"""
from __future__ import annotations

import datetime as _datetime
import re
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import schedule as _schedule

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FORMS = ("every 15 minutes", "every 2 hours", "every hour", "every 30 seconds",
         "every day at 09:00", "every monday at 08:30", "every weekday at 09:00")
_EVERY = re.compile(r"every (?:(\d{1,4}) )?(second|minute|hour)s?")
_AT = re.compile(r"every (day|weekday|" + "|".join(DAYS) + r") at (\d{1,2}):(\d\d)")
# A run a moment early still counts as on time: cron or a timer fires on the minute,
# and the last run started a little after it. The daemon itself waits for the time due.
GRACE = timedelta(seconds=60)
# The clock is lent by swapping the ``datetime`` module ``schedule`` reads: one at a time.
_LENDING = threading.Lock()


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

    @property
    def grace(self) -> timedelta:
        """How much before its time a run is still on time (an interval's: a timer's tick
        after a run that started late; a tenth of the interval at most)."""
        return min(GRACE, self.every / 10) if self.every is not None else timedelta(0)

    def next_after(self, last: datetime, zone: ZoneInfo) -> datetime:
        """When the job is next due, given the start of its last run (an aware instant)."""
        if self.every is not None:
            since = last.astimezone(UTC).replace(tzinfo=None)
            return _next_run(self, since).replace(tzinfo=UTC)
        wall = _next_run(self, last.astimezone(zone).replace(tzinfo=None))
        if _instant(wall, zone) <= last:
            # A time the clocks repeat, asked from its second pass: its first pass is the
            # day's run, already behind the last run; the next is on the next day.
            wall = _next_run(self, wall)
        return _instant(wall, zone)

    def due(self, last: datetime | None, now: datetime, zone: ZoneInfo) -> bool:
        """Whether a run is due at ``now`` (within its grace); a job never run is due."""
        return last is None or self.next_after(last, zone) - self.grace <= now


def _instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in ``zone``: a time the clocks skip is the instant an hour later by
    the clock (01:30 on the spring-forward night is 02:30), a time they repeat its first."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _next_run(schedule: Schedule, now: datetime) -> datetime:
    """``schedule``'s next run of the job, as if its naive local time were ``now``."""
    scheduler = _schedule.Scheduler()       # never the library's shared default one
    with _clock_at(now):
        for job in _jobs(schedule, scheduler):
            job.do(_nothing)                # computes the job's next run
        when = scheduler.get_next_run()     # the earliest of a weekday job's five
    if when is None:        # a job always has a next run: schedule changed under us
        raise RuntimeError(f"the schedule library gave '{schedule.text}' no next run")
    return when


def _jobs(schedule: Schedule, scheduler: _schedule.Scheduler) -> list[_schedule.Job]:
    if schedule.every is not None:
        seconds = int(schedule.every.total_seconds())
        if seconds % 3600 == 0:
            return [scheduler.every(seconds // 3600).hours]
        if seconds % 60 == 0:
            return [scheduler.every(seconds // 60).minutes]
        return [scheduler.every(seconds).seconds]
    if schedule.at is None:
        raise ValueError(f"'{schedule.text}' has neither an interval nor a time of day")
    at = f"{schedule.at:%H:%M}"
    if len(schedule.days) == 7:
        return [scheduler.every().day.at(at)]
    return [getattr(scheduler.every(), DAYS[day]).at(at) for day in sorted(schedule.days)]


def _nothing() -> None:
    """The jobs are asked when they are due, never run by ``schedule``."""


@contextmanager
def _clock_at(now: datetime) -> Iterator[None]:
    """For the moment, ``schedule``'s ``datetime.datetime.now()`` is ``now`` (naive)."""
    class Lent(_datetime.datetime):
        @classmethod
        def now(cls, tz: _datetime.tzinfo | None = None) -> datetime:  # type: ignore[override]
            if tz is not None:   # the door gives schedule no timezone, only local time
                raise RuntimeError("the schedule library asked for a timezone's time")
            return now      # a plain datetime: what schedule computes from it is plain too

    lent = types.ModuleType("datetime")
    lent.__dict__.update(vars(_datetime), datetime=Lent)
    with _LENDING:
        real = vars(_schedule)["datetime"]
        vars(_schedule)["datetime"] = lent
        try:
            yield
        finally:
            vars(_schedule)["datetime"] = real


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
