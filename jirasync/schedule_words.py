"""The words of the ``schedule`` keys (README "8. Run it as a service"), read and checked.

Pure: the config checks a schedule with these words and keeps its text; the service's
timetable (``jirasync/service/timetable.py``) turns the same reading into run times. So
loading a config imports nothing of the service.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FORMS = ("every 15 minutes", "every 2 hours", "every hour", "every 30 seconds",
         "every day at 09:00", "every monday at 08:30", "every weekday at 09:00")
_EVERY = re.compile(r"every (?:(\d{1,4}) )?(second|minute|hour)s?")
_AT = re.compile(r"every (day|weekday|" + "|".join(DAYS) + r") at (\d{1,2}):(\d\d)")


@dataclass(frozen=True)
class ScheduleWords:
    """``every`` (elapsed time between runs) or ``days`` + ``at`` (a wall-clock time)."""

    text: str                               # the words, lower case, single spaces
    every: timedelta | None = None
    days: frozenset[int] = frozenset()      # 0 = Monday
    at: time | None = None


def read_schedule(text: str) -> ScheduleWords:
    """A schedule's words read; ValueError listing the accepted forms otherwise."""
    words = " ".join(str(text).lower().split())
    if m := _EVERY.fullmatch(words):
        count = int(m.group(1) or 1)
        if count < 1:
            raise ValueError(f"'{text}': the interval must be at least 1")
        return ScheduleWords(words, every=timedelta(**{f"{m.group(2)}s": count}))
    if m := _AT.fullmatch(words):
        hour, minute = int(m.group(2)), int(m.group(3))
        if hour > 23 or minute > 59:
            raise ValueError(f"'{text}': {m.group(2)}:{m.group(3)} is not a time of day "
                             "(00:00 to 23:59)")
        which = m.group(1)
        days = range(7) if which == "day" else range(5) if which == "weekday" \
            else (DAYS.index(which),)
        return ScheduleWords(words, days=frozenset(days), at=time(hour, minute))
    raise ValueError(f"'{text}' is not a schedule; write one of: " + ", ".join(
        f"'{form}'" for form in FORMS))
