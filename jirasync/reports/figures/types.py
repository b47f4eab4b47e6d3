"""The figures' types: each a number (or a rate, a median) with the Jira keys it counts,
and the records every report shows (``ActionRow``, ``Figures``; what was carried over
is ``carriedover``)."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from jirasync.model import key_order as _key_order
from jirasync.reports.programme import Item, ReleaseIssue

if TYPE_CHECKING:      # carriedover counts with Count: named here for the annotations only
    from jirasync.reports.figures.carriedover import CarriedOver

# Keys are sorted over and over (every figure lists its keys in Jira's order): parse each
# key once.
key_order = functools.lru_cache(maxsize=65536)(_key_order)


def sorted_keys(items: Iterable[Item]) -> tuple[str, ...]:
    """The keys of ``items`` once each, in Jira's order (``key_order``, cached)."""
    return tuple(sorted({i.key for i in items}, key=key_order))


@dataclass(frozen=True)
class Count:
    """A number and the issue keys it counts."""

    value: int
    keys: tuple[str, ...] = ()

    @staticmethod
    def of(items: Iterable[Item]) -> Count:
        keys = sorted_keys(items)
        return Count(len(keys), keys)


@dataclass(frozen=True)
class Rate:
    """``part`` of ``whole``; ``value`` is None when ``whole`` is empty (no 0/0 = 0%)."""

    part: Count
    whole: Count

    @property
    def value(self) -> float | None:
        return self.part.value / self.whole.value if self.whole.value else None

    @property
    def percent(self) -> str:
        """'75%' or '–' when there is nothing to rate."""
        return "–" if self.value is None else f"{round(self.value * 100)}%"

    @property
    def keys(self) -> tuple[str, ...]:
        return self.whole.keys


@dataclass(frozen=True)
class Median:
    """A median number of days (None when there is nothing to measure) and its keys."""

    value: float | None
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeCount:
    theme: str                        # the theme label's slug; "" for lessons without one
    lessons: Count
    keep: Count
    improve: Count


@dataclass(frozen=True)
class LessonsIdentified:
    total: Count
    keep: Count
    improve: Count
    unclassified: Count               # hand-made lessons with neither kind label
    hand_made: Count
    by_theme: tuple[ThemeCount, ...] = ()
    improvements_without_action: Count = Count(0)
    not_reviewed: Count = Count(0)    # template lessons the release never answered


@dataclass(frozen=True)
class ActionRow:
    """One action with what every report shows of it, as of ``today``."""

    key: str
    title: str
    release: str | None
    lesson_key: str | None
    owner: str | None                 # display name
    owner_account: str | None
    due: date | None
    state: str                        # open | done | overdue
    status: str
    days_overdue: int | None          # set only when overdue
    rung: int | None                  # highest rung fired (after_days) for this due date
    created: date | None
    resolved: date | None
    on_time: bool | None              # done with a due date: resolved on or before it
    url: str = ""


@dataclass(frozen=True)
class OwnerLoad:
    owner: str                        # display name ("" for unassigned)
    account: str | None
    open: Count
    overdue: Count
    done: Count


@dataclass(frozen=True)
class ActionsState:
    agreed: Count
    open: Count                       # every action not done, overdue ones included
    done: Count
    overdue: Count
    rows: tuple[ActionRow, ...] = ()
    by_owner: tuple[OwnerLoad, ...] = ()

    def overdue_rows(self) -> tuple[ActionRow, ...]:
        """Most overdue first, then by key."""
        rows = [r for r in self.rows if r.state == "overdue"]
        return tuple(sorted(rows, key=lambda r: (-(r.days_overdue or 0), key_order(r.key))))


@dataclass(frozen=True)
class TrendPoint:
    release: str | None
    name: str
    key: str
    live_date: date | None
    lessons: Count
    actions: Count
    carried: CarriedOver              # earlier releases' lessons and actions open on its live date
    closure: Rate

    @property
    def carried_in(self) -> int:
        """Actions of earlier releases open on its live date (their keys: ``carried``)."""
        return self.carried.count.actions


@dataclass(frozen=True)
class Indicators:
    closure_rate: Rate                # done / agreed
    on_time_rate: Rate                # done on or before due / done with a due date
    median_days_to_close: Median      # created to resolved, done actions
    overdue: Count
    completeness: Rate                # actions with owner and due date / all actions


@dataclass(frozen=True)
class Recurrence:
    """An improvement raised again: ``key`` matches ``earlier_key`` of an earlier release."""

    key: str
    title: str
    release: str | None
    earlier_key: str
    earlier_title: str
    earlier_release: str | None
    similarity: float                 # difflib ratio of the titles, 0..1
    same_theme: bool

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.earlier_key, self.key)


@dataclass(frozen=True)
class NextSteps:
    review: datetime | None           # the next review meeting
    due_before: tuple[ActionRow, ...] = ()   # open actions due on or before its day
    count: Count = Count(0)


@dataclass(frozen=True)
class ReleaseFigures:
    """The figures of one release."""

    release: ReleaseIssue
    lessons: LessonsIdentified
    actions: ActionsState
    carried_over: CarriedOver
    indicators: Indicators


@dataclass(frozen=True)
class Figures:
    """Everything a report needs, for the releases chosen (all by default)."""

    today: date
    scope: tuple[str, ...]            # release ids, in live-date order
    releases: tuple[ReleaseFigures, ...]
    lessons: LessonsIdentified
    actions: ActionsState
    carried_over: CarriedOver         # into the latest dated release of the scope
    trend: tuple[TrendPoint, ...]
    indicators: Indicators
    next_steps: NextSteps
    undated: tuple[str, ...] = ()     # releases neither Jira nor a file could date
    owners: Count = Count(0)          # actions that have an owner; value = distinct owners
    dated_from_files: tuple[str, ...] = ()   # releases whose live date came from a file
    # The recurring lessons are found when first asked: comparing each improvement's title
    # with the earlier ones' is most of the figures' time on a long programme, and
    # `status` and the agenda show none of them.
    find_recurring: Callable[[], tuple[Recurrence, ...]] = field(
        default=tuple, repr=False, compare=False)

    @functools.cached_property
    def recurring(self) -> tuple[Recurrence, ...]:
        """Improvements raised again, each with the earlier one it matches, in key order."""
        return self.find_recurring()

    def appendix(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(figure, keys) for the data appendix: every key behind every figure."""
        i = self.indicators
        rows = [("release issues", sorted_keys(r.release for r in self.releases)),
                ("lessons identified", self.lessons.total.keys),
                ("keep", self.lessons.keep.keys), ("improve", self.lessons.improve.keys),
                ("actions agreed", self.actions.agreed.keys),
                ("actions open", self.actions.open.keys),
                ("actions done", self.actions.done.keys),
                ("actions overdue", self.actions.overdue.keys),
                ("carried over", self.carried_over.total.keys),
                ("still open today", self.carried_over.still_open.keys),
                ("closed on time", i.on_time_rate.part.keys),
                ("closed with a due date", i.on_time_rate.whole.keys),
                ("days to close measured", i.median_days_to_close.keys),
                ("complete records", i.completeness.part.keys),
                ("recurring lessons", tuple(k for r in self.recurring for k in r.keys)),
                ("due before the next review", self.next_steps.count.keys)]
        return tuple(rows)
