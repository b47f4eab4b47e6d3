"""JQL operands: what the parser reads, and the dates, periods and functions they become.

A compiled value has ``resolve(ctx)``, giving the plain values a clause compares a row
with; the clock and the current user come from the context, never from the machine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from jirasync.dates import add_months
from jirasync.sandbox.jql_lex import JqlError

if TYPE_CHECKING:
    from jirasync.sandbox.jql import JqlContext


class Resolvable(Protocol):
    """A compiled value: the plain values it stands for at ``ctx``."""

    def resolve(self, ctx: JqlContext) -> tuple[Any, ...]: ...


@dataclass(frozen=True)
class Empty:
    """EMPTY or NULL: the field has no value."""

    def __str__(self) -> str:
        return "EMPTY"

    def resolve(self, ctx: JqlContext) -> tuple[Any, ...]:
        return (self,)


EMPTY = Empty()


@dataclass(frozen=True)
class Literal:
    """A quoted string or an unquoted word, as written."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Call:
    """A function call as written, such as ``startOfDay(-1d)``."""

    name: str
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name}({', '.join(self.args)})"


@dataclass(frozen=True)
class ValueList:
    """``(a, b, EMPTY)`` after IN or NOT IN."""

    items: tuple[Empty | Literal | Call, ...]

    def __str__(self) -> str:
        return "(" + ", ".join(str(item) for item in self.items) + ")"


@dataclass(frozen=True)
class Fixed:
    """A value the context cannot change: a name, a label, an issue reference."""

    value: object

    def resolve(self, ctx: JqlContext) -> tuple[Any, ...]:
        return (self.value,)


@dataclass(frozen=True)
class Moment:
    """A date or date-time as written; Jira reads it in the searcher's timezone."""

    at: datetime

    def resolve(self, ctx: JqlContext) -> tuple[Any, ...]:
        return (self.at.replace(tzinfo=ctx.now.tzinfo),)


@dataclass(frozen=True)
class Shift:
    """A period such as ``-4w 2d``: calendar months first, then a fixed length."""

    months: int = 0
    delta: timedelta = timedelta()

    def apply(self, moment: datetime) -> datetime:
        if self.months:
            day = add_months(moment.date(), self.months)
            moment = moment.replace(year=day.year, month=day.month, day=day.day)
        return moment + self.delta


@dataclass(frozen=True)
class FromNow:
    """``now()``, ``startOfDay(..)``, ``endOfDay(..)`` or a bare period like ``-7d``."""

    shift: Shift = Shift()
    anchor: str = "now"

    def resolve(self, ctx: JqlContext) -> tuple[Any, ...]:
        now = ctx.now
        if self.anchor == "start of day":
            now = now.replace(hour=0, minute=0, second=0, microsecond=0)
        elif self.anchor == "end of day":
            now = now.replace(hour=23, minute=59, second=59, microsecond=999999)
        return (self.shift.apply(now),)


@dataclass(frozen=True)
class CurrentUser:
    """``currentUser()``: nobody when the request is anonymous, so nothing matches."""

    def resolve(self, ctx: JqlContext) -> tuple[Any, ...]:
        return (ctx.current_user,) if ctx.current_user else ()


_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?")
# Each part ends in a unit letter but the last, so the pattern cannot backtrack wildly.
_PERIOD_WORD = re.compile(r"(?:\d{1,9}[yMwdhm])*\d{1,9}[yMwdhm]?")
_PERIOD_PART = re.compile(r"(\d+)([yMwdhm]?)")
_MONTHS = {"y": 12, "M": 1}
# Jira reads a period without a unit as minutes.
_LENGTHS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1),
            "m": timedelta(minutes=1), "": timedelta(minutes=1)}
# Past a thousand years a shifted "now" could leave datetime's range mid-search.
_LONGEST = timedelta(days=366_000)
_DATE_FORMATS = ("Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', "
                 "'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.")


def parse_moment(text: str) -> Moment | None:
    """``2026-03-10``, ``2026/03/10`` or either with `` HH:MM``; None if not one."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, _, month, day, hour, minute = match.groups()
    try:
        return Moment(datetime(int(year), int(month), int(day), int(hour or 0),
                               int(minute or 0)))
    except ValueError:
        return None


def parse_period(text: str) -> Shift | None:
    """``-7d``, ``1w``, ``-4w 2d``, ``+3M``, ``-15`` (minutes); None if not a period."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    body = text[1:] if text[:1] in ("-", "+") else text
    if not body.split() or not all(_PERIOD_WORD.fullmatch(w) for w in body.split()):
        return None
    months, delta = 0, timedelta()
    for number, unit in _PERIOD_PART.findall(body):
        if unit in _MONTHS:
            months += int(number) * _MONTHS[unit]
        elif int(number) * _LENGTHS[unit].total_seconds() <= _LONGEST.total_seconds():
            delta += int(number) * _LENGTHS[unit]
        else:
            return None
        if months > 12_000 or delta > _LONGEST:
            return None
    return Shift(sign * months, sign * delta)


def date_value(literal: Literal, field: str) -> Moment | FromNow:
    """A date field's literal: an absolute date(-time) or a period from now."""
    moment = parse_moment(literal.text)
    if moment is not None:
        return moment
    shift = parse_period(literal.text)
    if shift is None:
        raise JqlError(f"Date value '{literal.text}' for field '{field}' is invalid. "
                       + _DATE_FORMATS)
    return FromNow(shift)


# name -> (most arguments, anchor for date functions)
_FUNCTIONS = {"now": (0, "now"), "startofday": (1, "start of day"),
              "endofday": (1, "end of day"), "currentuser": (0, "")}


def compile_call(call: Call, *, field: str, accepts: frozenset[str]) -> FromNow | CurrentUser:
    """The value of a function call on ``field``, which accepts the functions named."""
    name = call.name.lower()
    if name not in _FUNCTIONS:
        raise JqlError(f"Unable to find JQL function '{call}'.")
    if name not in accepts:
        raise JqlError(f"A value provided by the function '{call.name}' is invalid for the "
                       f"field '{field}'.")
    most, anchor = _FUNCTIONS[name]
    if len(call.args) > most:
        allowed = "'0'" if most == 0 else f"between '0' and '{most}'"
        raise JqlError(f"Function '{call.name}' expected {allowed} arguments but received "
                       f"'{len(call.args)}'.")
    if name == "currentuser":
        return CurrentUser()
    shift = parse_period(call.args[0]) if call.args else Shift()
    if shift is None:
        raise JqlError(f"Duration for function '{call.name}' should have the format "
                       "(+/-)n(y|M|w|d|h|m), e.g. -1M for 1 month earlier.")
    return FromNow(shift, anchor)
