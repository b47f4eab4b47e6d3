"""Carried over: the lessons and actions of releases live earlier still open on a release's
live date (pure; one walk over the releases for every release at once).

An item of an earlier release counts whenever its Jira issue was made: a programme that
adopts jirasync midway, or records a release's lessons late, makes its issues after the
live dates they belong to, and its board pack must still show what each release carried.
Its age is counted from the day it was made, or from its own release's live date when it
was made later than the day asked about (``CarriedOver.age``)."""
from __future__ import annotations

import bisect
import functools
import heapq
import itertools
from datetime import date

from jirasync.reports.figures.carriedover import CarriedCount, CarriedOver, Found
from jirasync.reports.figures.types import key_order
from jirasync.reports.programme import ActionIssue, Item, LessonIssue, Programme, ReleaseIssue

# Each release id's lessons and actions (None: those no release claims).
ItemsByRelease = dict[str | None, tuple[list[LessonIssue], list[ActionIssue]]]


def items_by_release(programme: Programme) -> ItemsByRelease:
    """The programme's lessons and actions, grouped by the release they belong to."""
    out: ItemsByRelease = {}
    for lesson in programme.lessons:
        out.setdefault(lesson.release, ([], []))[0].append(lesson)
    for action in programme.actions:
        out.setdefault(action.release, ([], []))[1].append(action)
    return out


def carried_into_each(programme: Programme, by_release: ItemsByRelease) -> dict[str, CarriedOver]:
    """Carried over into every release (by release key), in one walk over the releases in
    live-date order: an item joins the open set once its release is live and it has been
    live, and leaves it when it is resolved. Each release keeps its numbers; the items
    are found again when asked (``_OpenWalk.find``), not copied release by release."""
    walk = _OpenWalk(programme)
    out = {r.key: CarriedOver(r.release, None) for r in programme.releases}
    dated = sorted((r for r in programme.releases if r.live_date is not None),
                   key=lambda r: r.live_date or date.min)
    for _, group in itertools.groupby(dated, key=lambda r: r.live_date):
        same_day = list(group)
        live = same_day[0].live_date
        assert live is not None
        count = walk.count_on(live)
        for release in same_day:
            out[release.key] = CarriedOver(release.release, live, count,
                                           functools.partial(walk.find, live))
        for release in same_day:                 # live now: carried from the next day on
            walk.add(release.release, by_release.get(release.release, ([], [])), live)
    return out


class _OpenWalk:
    """The items of the releases live so far that are open on a day, for days asked in
    increasing order: counted as they open and close, and found again for a day when a
    report asks which they were."""

    def __init__(self, programme: Programme):
        every = sorted([*programme.lessons, *programme.actions], key=lambda i: key_order(i.key))
        self.rank = {id(i): n for n, i in enumerate(every)}
        self.items = every
        self.since: list[date | None] = [None] * len(every)   # its release's first live date
        # Each release id's live dates so far, in order: two release issues of one id
        # carry its items from the first, aged from the latest before the day asked.
        self.lives: dict[str | None, list[date]] = {}
        self.closing: list[tuple[date, int]] = []     # (resolved, rank) open, will close
        self.lessons = self.actions = self.undone = 0  # of the open items

    def add(self, release: str | None, items: tuple[list[LessonIssue], list[ActionIssue]],
            live: date) -> None:
        """The items of ``release`` (an id), live on ``live``: open from then until resolved."""
        self.lives.setdefault(release, []).append(live)
        for item in (*items[0], *items[1]):
            if item.done and item.resolved is None:
                continue                              # done, when unknown: never open
            n = self.rank[id(item)]
            if self.since[n] is not None:
                continue                              # two releases of one name: the first
            self.since[n] = live
            self._tally(item, +1)
            if item.done and item.resolved is not None:
                heapq.heappush(self.closing, (item.resolved, n))

    def count_on(self, day: date) -> CarriedCount:
        """How many lessons and actions are open on ``day`` (and not done today)."""
        while self.closing and self.closing[0][0] <= day:
            n = heapq.heappop(self.closing)[1]
            self._tally(self.items[n], -1)
        return CarriedCount(self.lessons, self.actions, self.undone)

    def _tally(self, item: Item, step: int) -> None:
        if isinstance(item, LessonIssue):
            self.lessons += step
        else:
            self.actions += step
        self.undone += step * (not item.done)

    def find(self, day: date) -> Found:
        """The items open on ``day``, in key order, with their releases' live dates (the
        latest before ``day``, as ``carried_over`` has them): those of releases live
        before it not resolved by its end (what ``count_on`` counted)."""
        ranks = [n for n, since in enumerate(self.since)
                 if since is not None and since < day and still_open_on(self.items[n], day)]
        items = tuple(self.items[n] for n in ranks)
        return items, tuple(self._latest(item.release, day) for item in items)

    def _latest(self, release: str | None, day: date) -> date:
        lives = self.lives[release]
        return lives[bisect.bisect_left(lives, day) - 1]


def still_open_on(item: Item, day: date) -> bool:
    """Whether ``item`` was not yet done at the end of ``day``, whenever it was made (see
    the module's note). Done without a resolution date counts as done (when is unknown)."""
    if not item.done:
        return True
    return item.resolved is not None and item.resolved > day


def carried_over(programme: Programme, release: ReleaseIssue, today: date) -> CarriedOver:
    """Lessons and actions of releases live before ``release`` still open on its live
    date, with their age then; how many are still open today. A release without a live
    date can neither carry nor be carried."""
    live = release.live_date
    if live is None:
        return CarriedOver(release.release, None)
    earlier = {r.release: r.live_date for r in programme.releases
               if r.live_date is not None and r.live_date < live}
    items = sorted((i for i in (*programme.lessons, *programme.actions)
                    if i.release in earlier and still_open_on(i, live)),
                   key=lambda i: key_order(i.key))
    found = (tuple(items), tuple(earlier[i.release] for i in items))
    count = CarriedCount(sum(isinstance(i, LessonIssue) for i in items),
                         sum(isinstance(i, ActionIssue) for i in items),
                         sum(not i.done for i in items))
    return CarriedOver(release.release, live, count, lambda: found)
