"""What was carried over into a release: its numbers, known from the walk over the
releases, and which items they were, found only when a report asks (``CarriedOver``)."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from jirasync.reports.figures.types import Count
from jirasync.reports.programme import ActionIssue, Item, LessonIssue


@dataclass(frozen=True)
class CarriedItem:
    key: str
    level: str                        # lesson | action
    title: str
    release: str | None               # the release it came from
    age_days: int | None              # on the live date of the release it was carried into
    open_today: bool
    owner: str | None = None


class CarriedCount(NamedTuple):
    """How many lessons and actions were carried into a release, and how many of them are
    still open today."""

    lessons: int = 0
    actions: int = 0
    still_open: int = 0


# The carried items in key order, and each one's release's live date.
Found = tuple[tuple[Item, ...], tuple[date | None, ...]]


NONE_CARRIED = CarriedCount()


def _nothing() -> Found:
    return (), ()


@dataclass(frozen=True)
class CarriedOver:
    """Into ``release`` (None when it has no live date: nothing can be carried).

    ``count`` is known at once; which items they are is found when first asked
    (``find``): a programme of 658 releases carries about 20 million items if every
    release keeps its own copy of what it carried, where a report lists the latest
    release's alone and the trend needs only the numbers."""

    release: str | None
    live_date: date | None
    count: CarriedCount = NONE_CARRIED
    find: Callable[[], Found] = field(default=_nothing, repr=False, compare=False)

    @functools.cached_property
    def _found(self) -> Found:
        return self.find()

    @property
    def carried(self) -> tuple[Item, ...]:
        """The carried items, in key order."""
        return self._found[0]

    @property
    def lives(self) -> tuple[date | None, ...]:
        """Each carried item's release's live date."""
        return self._found[1]

    @functools.cached_property
    def lessons(self) -> Count:
        return _counted(i.key for i in self.carried if isinstance(i, LessonIssue))

    @functools.cached_property
    def actions(self) -> Count:
        return _counted(i.key for i in self.carried if isinstance(i, ActionIssue))

    @functools.cached_property
    def still_open(self) -> Count:
        """Of those, the ones still open today."""
        return _counted(i.key for i in self.carried if not i.done)

    def age(self, n: int) -> int | None:
        """Days the ``n``th carried item had been open on the live date: from the day it
        was made, or from its own release's live date when it was made later (a programme
        that adopted jirasync after that release, or lessons recorded late)."""
        live, item = self.live_date, self.carried[n]
        since = item.created
        if since is None or live is None or since > live:
            since = self.lives[n]
        return (live - since).days if live is not None and since is not None else None

    @functools.cached_property
    def items(self) -> tuple[CarriedItem, ...]:
        """The carried items with their age (made when asked: a programme of hundreds of
        releases carries hundreds of thousands, and most reports show only the latest)."""
        live = self.live_date
        if live is None:
            return ()
        return tuple(CarriedItem(i.key, "lesson" if isinstance(i, LessonIssue) else "action",
                                 i.title, i.release,
                                 self.age(n), not i.done,
                                 i.owner.name if isinstance(i, ActionIssue) and i.owner
                                 else None)
                     for n, i in enumerate(self.carried))

    @property
    def total(self) -> Count:
        return _counted(i.key for i in self.carried)


def _counted(keys: Iterable[str]) -> Count:
    """``keys``, already in key order, counted."""
    found = tuple(keys)
    return Count(len(found), found)

