"""When each job of the ``schedule`` keys (README "8. Run it as a service") is next due.

The words are read in ``jirasync/schedule_words.py`` (the config checks them there); here
is the calendar arithmetic, in the standard library: the next weekday, the time of day,
the interval. Time is a parameter: the caller gives the start of the last run, "as if now
were the last run", which is how ``run --once`` asks what is due since the last journaled
run and how tests set the time. No clock is read here and nothing is shared between
callers, so threads need no lock.

An interval counts elapsed time (in UTC). A time of day is a wall-clock time in the
config's timezone: a time the clocks skip runs an hour later by the clock, a time they
repeat runs once, the first time. The machine's own timezone never changes an answer.

(The ``schedule`` library did this arithmetic until it was replaced: it reads the clock
itself and has no way to be asked about another instant, so using it meant swapping the
``datetime`` module inside it, pinned to the one minor version where that worked. The
arithmetic it did for us is the few lines of ``next_after``.)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from jirasync.schedule_words import ScheduleWords, read_schedule

# A run a moment early still counts as on time: cron or a timer fires on the minute,
# and the last run started a little after it. The daemon itself waits for the time due.
GRACE = timedelta(seconds=60)
_WEEK = 7


@dataclass(frozen=True)
class Schedule(ScheduleWords):
    """A schedule's words, and when the job they describe is due."""

    @property
    def period(self) -> timedelta:
        """The longest gap between two runs on time (a weekday job's is Friday to Monday)."""
        if self.every is not None:
            return self.every
        if len(self.days) == _WEEK:
            return timedelta(days=1)
        return timedelta(days=3 if len(self.days) == 5 else _WEEK)

    @property
    def grace(self) -> timedelta:
        """How much before its time a run is still on time (an interval's: a timer's tick
        after a run that started late; a tenth of the interval at most)."""
        return min(GRACE, self.every / 10) if self.every is not None else timedelta(0)

    def next_after(self, last: datetime, zone: ZoneInfo) -> datetime:
        """When the job is next due (in UTC), given the start of its last run (aware)."""
        if self.every is not None:
            # In UTC: adding to a zoned time would add wall-clock time, not elapsed time.
            return last.astimezone(UTC) + self.every
        if self.at is None:
            raise ValueError(f"'{self.text}' has neither an interval nor a time of day")
        local = last.astimezone(zone).replace(tzinfo=None)
        # Today and the next seven days: a weekly job whose time today has passed is due
        # on the same weekday next week.
        for ahead in range(_WEEK + 1):
            day = local.date() + timedelta(days=ahead)
            if day.weekday() not in self.days:
                continue
            wall = datetime.combine(day, self.at)
            # Later by the clock than the last run (so a time skipped on the spring night
            # has passed once the clocks jumped past it), and later in fact (so a time the
            # clocks repeat, asked from its second pass, is the next day's).
            if wall > local and (instant := _instant(wall, zone)) > last:
                return instant
        raise AssertionError(f"'{self.text}' falls on no day of a week")   # days is never empty

    def due(self, last: datetime | None, now: datetime, zone: ZoneInfo) -> bool:
        """Whether a run is due at ``now`` (within its grace); a job never run is due."""
        return last is None or self.next_after(last, zone) - self.grace <= now


def _instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in ``zone``: a time the clocks skip is the instant an hour later by
    the clock (01:30 on the spring-forward night is 02:30), a time they repeat its first."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def parse_schedule(text: str) -> Schedule:
    """A schedule from its words; ValueError listing the accepted forms otherwise."""
    words = read_schedule(text)
    return Schedule(words.text, every=words.every, days=words.days, at=words.at)
