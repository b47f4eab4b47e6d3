"""Every figure of README "7. Reports", computed purely from the programme as read (no I/O, no
clock: ``today`` and the review dates are parameters). Each figure carries the Jira keys
it was computed from, so every number in a report can be traced, and every report shows
the same number for the same question.

Words, as the PMO uses them: an action is *done* when its status category is Done or it
has a resolution; otherwise it is *open*; an open action is *overdue* from the day after
its due date (``days_overdue`` 1), as the escalation ladder counts. *Carried over* into a
release: lessons and actions of releases that went live earlier, still open on its live
date; their age is counted from the day they were created.
"""
from __future__ import annotations

import bisect
import collections
import functools
import heapq
import itertools
import operator
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from jirasync.model import key_order as _key_order
from jirasync.reports.programme import (
    NOT_REVIEWED,
    ActionIssue,
    Item,
    LessonIssue,
    Programme,
    ReleaseIssue,
)

# Recurring lessons: titles this alike (difflib's ratio, 0..1) are the same problem
# raised again; with the same theme a looser match is enough.
SAME_TITLE = 0.75
SAME_THEME_TITLE = 0.5


# Keys are sorted over and over (every figure lists its keys in Jira's order): parse each
# key once.
key_order = functools.lru_cache(maxsize=65536)(_key_order)


def _keys(items: Iterable[Item]) -> tuple[str, ...]:
    return tuple(sorted({i.key for i in items}, key=key_order))


@dataclass(frozen=True)
class Count:
    """A number and the issue keys it counts."""

    value: int
    keys: tuple[str, ...] = ()

    @staticmethod
    def of(items: Iterable[Item]) -> Count:
        keys = _keys(items)
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
class CarriedItem:
    key: str
    level: str                        # lesson | action
    title: str
    release: str | None               # the release it came from
    age_days: int | None              # on the live date of the release it was carried into
    open_today: bool
    owner: str | None = None


@dataclass(frozen=True)
class CarriedOver:
    """Into ``release`` (None when it has no live date: nothing can be carried)."""

    release: str | None
    live_date: date | None
    lessons: Count = Count(0)
    actions: Count = Count(0)
    still_open: Count = Count(0)      # of those, still open today
    carried: tuple[Item, ...] = field(default=(), repr=False)   # in key order

    @functools.cached_property
    def items(self) -> tuple[CarriedItem, ...]:
        """The carried items with their age (made when asked: a programme of hundreds of
        releases carries hundreds of thousands, and most reports show only the latest)."""
        live = self.live_date
        if live is None:
            return ()
        return tuple(CarriedItem(i.key, "lesson" if isinstance(i, LessonIssue) else "action",
                                 i.title, i.release,
                                 (live - i.created).days if i.created else None, not i.done,
                                 i.owner.name if isinstance(i, ActionIssue) and i.owner
                                 else None)
                     for i in self.carried)

    @property
    def total(self) -> Count:
        return Count(self.lessons.value + self.actions.value,
                     tuple(sorted(self.lessons.keys + self.actions.keys, key=key_order)))


@dataclass(frozen=True)
class TrendPoint:
    release: str | None
    name: str
    key: str
    live_date: date | None
    lessons: Count
    actions: Count
    carried_in: Count                 # actions of earlier releases open on its live date
    lessons_carried_in: Count
    closure: Rate


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
    recurring: tuple[Recurrence, ...]
    next_steps: NextSteps
    undated: tuple[str, ...] = ()     # releases neither Jira nor a file could date
    owners: Count = Count(0)          # actions that have an owner; value = distinct owners
    dated_from_files: tuple[str, ...] = ()   # releases whose live date came from a file

    def appendix(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(figure, keys) for the data appendix: every key behind every figure."""
        i = self.indicators
        rows = [("release issues", _keys(r.release for r in self.releases)),
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


# -- the figures ------------------------------------------------------------------------

def compute(programme: Programme, *, today: date, releases: Sequence[str] = (),
            next_review: datetime | None = None) -> Figures:
    """All the figures as of ``today`` for ``releases`` (ids; all when empty)."""
    chosen = [r for r in programme.releases if not releases or r.release in releases]
    scope = {r.release or "" for r in chosen}
    by_release = _by_release(programme)
    lessons = [l for l in programme.lessons if l.release in scope]
    actions = [a for a in programme.actions if a.release in scope]
    carried = _carried_all(programme, by_release)
    per_release = tuple(_release_figures(r, by_release, carried[r.key], today) for r in chosen)
    dated = [r for r in chosen if r.live_date is not None]
    return Figures(
        today=today, scope=tuple(r.release or "" for r in chosen), releases=per_release,
        lessons=lessons_identified(lessons, actions), actions=actions_state(actions, today),
        carried_over=carried[dated[-1].key] if dated else CarriedOver(None, None),
        trend=tuple(_trend_point(f.release, f.lessons.total, f.actions.agreed,
                                 f.actions.done, f.carried_over) for f in per_release),
        indicators=indicators(actions, today),
        recurring=recurring(programme, scope),
        next_steps=next_steps(actions, next_review, today),
        undated=tuple(r.release or r.key for r in chosen if r.live_date is None),
        owners=Count(len({a.owner.account for a in actions if a.owner}),
                     _keys(a for a in actions if a.owner)),
        dated_from_files=tuple(r.release or r.key for r in chosen if r.dated_by == "file"))


_Items = dict[str | None, tuple[list[LessonIssue], list[ActionIssue]]]


def _by_release(programme: Programme) -> _Items:
    out: _Items = {}
    for lesson in programme.lessons:
        out.setdefault(lesson.release, ([], []))[0].append(lesson)
    for action in programme.actions:
        out.setdefault(action.release, ([], []))[1].append(action)
    return out


def _carried_all(programme: Programme, by_release: _Items) -> dict[str, CarriedOver]:
    """Carried over into every release (by release key), in one walk over the releases in
    live-date order: an item joins the open set once its release is live and it has been
    created, and leaves it when it is resolved, so each release costs what it carries."""
    walk = _OpenWalk(programme)
    out = {r.key: CarriedOver(r.release, None) for r in programme.releases}
    dated = sorted((r for r in programme.releases if r.live_date is not None),
                   key=lambda r: r.live_date or date.min)
    for _, group in itertools.groupby(dated, key=lambda r: r.live_date):
        same_day = list(group)
        live = same_day[0].live_date
        assert live is not None
        carried = walk.open_on(live)
        for release in same_day:
            out[release.key] = carried.into(release)
        for release in same_day:                 # live now: carried from the next day on
            walk.add(by_release.get(release.release, ([], [])))
    return out


class _OpenWalk:
    """The items of the releases live so far that are open on a day, for days asked in
    increasing order (what ``open_on`` says, kept as a set instead of re-scanned)."""

    def __init__(self, programme: Programme):
        every = sorted([*programme.lessons, *programme.actions], key=lambda i: key_order(i.key))
        self.rank = {id(i): n for n, i in enumerate(every)}
        self.items = every
        self.keys = [i.key for i in every]
        self.lesson = [isinstance(i, LessonIssue) for i in every]
        self.action = [not flag for flag in self.lesson]
        self.undone = [not i.done for i in every]
        self.waiting: list[tuple[date, int]] = []     # (created, rank) not yet created
        self.closing: list[tuple[date, int]] = []     # (resolved, rank) open, will close
        self.open: set[int] = set()

    def add(self, items: tuple[list[LessonIssue], list[ActionIssue]]) -> None:
        for item in (*items[0], *items[1]):
            if item.done and item.resolved is None:
                continue                              # done, when unknown: never open
            heapq.heappush(self.waiting, (item.created or date.min, self.rank[id(item)]))

    def open_on(self, day: date) -> _Open:
        while self.waiting and self.waiting[0][0] <= day:
            _, n = heapq.heappop(self.waiting)
            self.open.add(n)
            resolved = self.items[n].resolved if self.items[n].done else None
            if resolved is not None:
                heapq.heappush(self.closing, (resolved, n))
        while self.closing and self.closing[0][0] <= day:
            self.open.discard(heapq.heappop(self.closing)[1])
        return _Open(self, sorted(self.open), day)


@dataclass(frozen=True)
class _Open:
    """What ``_OpenWalk`` found open on ``day``: item ranks, in key order."""

    walk: _OpenWalk
    ranks: list[int]
    day: date

    def into(self, release: ReleaseIssue) -> CarriedOver:
        def pick(values: list[Any]) -> tuple[Any, ...]:   # C speed: 10^5 items a release
            return tuple(values[n] for n in self.ranks) if len(self.ranks) < 2 \
                else tuple(operator.itemgetter(*self.ranks)(values))
        keys = pick(self.walk.keys)
        lessons = tuple(itertools.compress(keys, pick(self.walk.lesson)))
        actions = tuple(itertools.compress(keys, pick(self.walk.action)))
        still = tuple(itertools.compress(keys, pick(self.walk.undone)))
        return CarriedOver(release.release, self.day, Count(len(lessons), lessons),
                           Count(len(actions), actions), Count(len(still), still),
                           pick(self.walk.items))


def _release_figures(release: ReleaseIssue, by_release: _Items, carried: CarriedOver,
                     today: date) -> ReleaseFigures:
    lessons, actions = by_release.get(release.release, ([], []))
    return ReleaseFigures(release, lessons_identified(lessons, actions),
                          actions_state(actions, today), carried, indicators(actions, today))


def _trend_point(release: ReleaseIssue, lessons: Count, actions: Count, done: Count,
                 carried: CarriedOver) -> TrendPoint:
    return TrendPoint(release.release, release.name, release.key, release.live_date, lessons,
                      actions, carried.actions, carried.lessons, Rate(done, actions))


def lessons_identified(lessons: Sequence[LessonIssue],
                       actions: Sequence[ActionIssue] = ()) -> LessonsIdentified:
    themes: dict[str, list[LessonIssue]] = {}
    for lesson in lessons:
        themes.setdefault(lesson.theme or "", []).append(lesson)
    by_theme = tuple(ThemeCount(t, Count.of(ls), Count.of(l for l in ls if l.kind == "keep"),
                                Count.of(l for l in ls if l.kind == "improve"))
                     for t, ls in sorted(themes.items(), key=lambda kv: (kv[0] == "", kv[0])))
    with_action = {a.parent for a in actions}
    return LessonsIdentified(
        total=Count.of(lessons), keep=Count.of(l for l in lessons if l.kind == "keep"),
        improve=Count.of(l for l in lessons if l.kind == "improve"),
        unclassified=Count.of(l for l in lessons if l.kind is None),
        hand_made=Count.of(l for l in lessons if l.hand_made), by_theme=by_theme,
        improvements_without_action=Count.of(
            l for l in lessons if l.kind == "improve" and l.key not in with_action),
        not_reviewed=Count.of(l for l in lessons if l.kind == NOT_REVIEWED))


def days_overdue(action: ActionIssue, today: date) -> int | None:
    """Whole days past the due date of an open action; None unless overdue."""
    if action.done or action.due is None or today <= action.due:
        return None
    return (today - action.due).days


def action_row(action: ActionIssue, today: date) -> ActionRow:
    late = days_overdue(action, today)
    state = "done" if action.done else "overdue" if late else "open"
    on_time = None
    if action.done and action.due is not None and action.resolved is not None:
        on_time = action.resolved <= action.due
    return ActionRow(
        key=action.key, title=action.title, release=action.release, lesson_key=action.parent,
        owner=action.owner.name if action.owner else None,
        owner_account=action.owner.account if action.owner else None, due=action.due,
        state=state, status=action.status, days_overdue=late,
        rung=action.rung if not action.done else None, created=action.created,
        resolved=action.resolved, on_time=on_time, url=action.url)


def actions_state(actions: Sequence[ActionIssue], today: date) -> ActionsState:
    rows = tuple(action_row(a, today) for a in actions)
    by = {s: [r for r in rows if r.state == s] for s in ("open", "done", "overdue")}
    return ActionsState(agreed=_count(rows), open=_count(by["open"] + by["overdue"]),
                        done=_count(by["done"]), overdue=_count(by["overdue"]), rows=rows,
                        by_owner=_by_owner(rows))


def _count(rows: Iterable[ActionRow]) -> Count:
    keys = tuple(sorted({r.key for r in rows}, key=key_order))
    return Count(len(keys), keys)


def _by_owner(rows: Sequence[ActionRow]) -> tuple[OwnerLoad, ...]:
    owners: dict[str | None, list[ActionRow]] = {}
    for row in rows:
        owners.setdefault(row.owner_account, []).append(row)
    loads = [OwnerLoad(mine[0].owner or "", account,
                       _count(r for r in mine if r.state != "done"),
                       _count(r for r in mine if r.state == "overdue"),
                       _count(r for r in mine if r.state == "done"))
             for account, mine in owners.items()]
    # Most overdue, then most open first: the owners a review talks to first.
    return tuple(sorted(loads, key=lambda o: (-o.overdue.value, -o.open.value,
                                             o.account is None, o.owner.casefold())))


def open_on(item: Item, day: date) -> bool:
    """Whether ``item`` was open at the end of ``day``: created by then, not yet done.
    Done without a resolution date counts as done (when is unknown)."""
    if item.created is not None and item.created > day:
        return False
    if not item.done:
        return True
    return item.resolved is not None and item.resolved > day


def carried_over(programme: Programme, release: ReleaseIssue, today: date) -> CarriedOver:
    """Lessons and actions of releases live before ``release`` still open on its live
    date, with their age then; how many are still open today. A release without a live
    date can neither carry nor be carried."""
    live = release.live_date
    earlier = {r.release for r in programme.releases
               if r.live_date is not None and live is not None and r.live_date < live}
    items = [i for i in (*programme.lessons, *programme.actions)
             if i.release in earlier and live is not None and open_on(i, live)]
    return _carried(release, sorted(items, key=lambda i: key_order(i.key)))


def _carried(release: ReleaseIssue, items: Sequence[Item]) -> CarriedOver:
    """``release`` carried over ``items`` (open on its live date, in key order)."""
    live = release.live_date
    if live is None:
        return CarriedOver(release.release, None)
    carried = tuple(items)
    lessons = tuple(i.key for i in carried if isinstance(i, LessonIssue))
    actions = tuple(i.key for i in carried if isinstance(i, ActionIssue))
    still = tuple(i.key for i in carried if not i.done)
    return CarriedOver(release.release, live, Count(len(lessons), lessons),
                       Count(len(actions), actions), Count(len(still), still), carried)


def trend(programme: Programme, releases: Sequence[ReleaseIssue],
          today: date) -> tuple[TrendPoint, ...]:
    """Per release: lessons identified, actions agreed, actions carried into it, closure."""
    by_release = _by_release(programme)
    carried = _carried_all(programme, by_release)
    out = []
    for release in releases:
        lessons, actions = by_release.get(release.release, ([], []))
        out.append(_trend_point(release, Count.of(lessons), Count.of(actions),
                                Count.of(a for a in actions if a.done), carried[release.key]))
    return tuple(out)


def indicators(actions: Sequence[ActionIssue], today: date) -> Indicators:
    done = [a for a in actions if a.done]
    dated = [a for a in done if a.due is not None and a.resolved is not None]
    on_time = [a for a in dated if a.resolved and a.due and a.resolved <= a.due]
    measured = [a for a in done if a.created is not None and a.resolved is not None]
    days = [(a.resolved - a.created).days for a in measured if a.resolved and a.created]
    return Indicators(
        closure_rate=Rate(Count.of(done), Count.of(actions)),
        on_time_rate=Rate(Count.of(on_time), Count.of(dated)),
        median_days_to_close=Median(statistics.median(days) if days else None,
                                    _keys(measured)),
        overdue=Count.of(a for a in actions if days_overdue(a, today)),
        completeness=Rate(Count.of(a for a in actions if a.owner and a.due),
                          Count.of(actions)))


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1: difflib's ratio over their words, in order and
    sorted (so 'feeds turned off late' matches 'late turning off of feeds' too). Words,
    not characters: as good at telling a problem raised again, and ten times quicker on
    a programme of thousands of improvements."""
    return _similarity(collections.Counter(_words(a)), collections.Counter(_words(b)))


def _similarity(a: collections.Counter[str], b: collections.Counter[str]) -> float:
    """``similarity`` of two titles' word counts, without running difflib: on sorted
    sequences difflib's matching blocks are exactly the words the two share (counted
    with repeats), and no order of the words matches more, so the larger of the two
    ratios is always the sorted one, 2 * shared / (len a + len b), the same float
    difflib returns (tests/reports/test_figures.py checks it against difflib)."""
    length = a.total() + b.total()
    if not a or not b:
        return 0.0
    return 2.0 * (a & b).total() / length


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


# Words that say nothing of the problem: two titles sharing only these are not compared.
_COMMON = frozenset(["the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "but", "with", "by", "at", "from", "was", "were", "is", "are", "be", "been", "not", "no", "too", "our", "their", "its", "it", "this", "that", "before", "after"])


def recurring(programme: Programme, scope: Iterable[str] = ()) -> tuple[Recurrence, ...]:
    """Improvements of ``scope``'s releases (all when empty) that match an improvement of
    a release live earlier: the closest earlier match for each (the earliest key on a
    tie). Titles are compared once per pair of distinct titles, and only when they share
    a third of their words of substance (titles sharing fewer are
    different problems, or have a typo in nearly every word)."""
    live = {r.release: r.live_date for r in programme.releases}
    improvements = [l for l in programme.lessons
                    if l.kind == "improve" and live.get(l.release) is not None]
    by_title: dict[str, list[LessonIssue]] = {}
    for lesson in improvements:
        by_title.setdefault(lesson.title, []).append(lesson)
    alike = _alike_titles(list(by_title))
    earliest = {title: _Earliest(lessons, live) for title, lessons in by_title.items()}
    chosen = set(scope)
    out = []
    for lesson in improvements:
        if chosen and lesson.release not in chosen:
            continue
        best = _best(lesson, alike.get(lesson.title, ()), earliest, live)
        if best is not None:
            out.append(best)
    return tuple(sorted(out, key=lambda r: key_order(r.key)))


def _alike_titles(titles: Sequence[str]) -> dict[str, list[tuple[float, str]]]:
    """For each title, the titles at least SAME_THEME_TITLE alike: (score, title), the
    most alike first."""
    words = {t: _content(t) for t in titles}
    counts = {t: collections.Counter(_words(t)) for t in titles}
    index: dict[str, list[str]] = {}
    for title in titles:
        for word in words[title]:
            index.setdefault(word, []).append(title)
    out: dict[str, list[tuple[float, str]]] = {}
    for title in titles:
        shared: dict[str, int] = {}
        for word in words[title]:
            for other in index[word]:
                shared[other] = shared.get(other, 0) + 1
        for other, n in shared.items():
            if other < title and 3 * n >= min(len(words[title]), len(words[other])):
                score = round(_similarity(counts[title], counts[other]), 3)
                if score >= SAME_THEME_TITLE:
                    out.setdefault(title, []).append((score, other))
                    out.setdefault(other, []).append((score, title))
        out.setdefault(title, []).append((1.0, title))
    for pairs in out.values():
        pairs.sort(key=lambda p: -p[0])
    return out


class _Earliest:
    """The improvements of one title by live date, answering 'the lowest key among those
    live before a day' (of any theme, or of one) by bisection instead of a scan."""

    def __init__(self, lessons: Sequence[LessonIssue], live: dict[str | None, date | None]):
        self.live = live
        self.any = self._prefix(lessons)
        self.themes = {t: self._prefix([l for l in lessons if l.theme == t])
                       for t in {l.theme for l in lessons if l.theme}}

    def _prefix(self, lessons: Sequence[LessonIssue]) -> tuple[list[date], list[LessonIssue]]:
        ordered = sorted(lessons, key=lambda l: (self.live[l.release] or date.max,
                                                 key_order(l.key)))
        lowest: list[LessonIssue] = []
        for lesson in ordered:
            better = not lowest or key_order(lesson.key) < key_order(lowest[-1].key)
            lowest.append(lesson if better else lowest[-1])
        return [self.live[l.release] or date.max for l in ordered], lowest

    def before(self, when: date, theme: str | None = None) -> LessonIssue | None:
        days, lowest = self.any if theme is None else self.themes.get(theme, ([], []))
        n = bisect.bisect_left(days, when)
        return lowest[n - 1] if n else None


def _best(lesson: LessonIssue, alike: Sequence[tuple[float, str]],
          earliest: dict[str, _Earliest],
          live: dict[str | None, date | None]) -> Recurrence | None:
    """The most alike improvement of a release live before ``lesson``'s (the lowest key
    on a tie) that ``_match`` accepts."""
    when = live[lesson.release] or date.min
    best: Recurrence | None = None
    for score, title in alike:
        if best is not None and score < best.similarity:
            break
        loose = score < SAME_TITLE
        if loose and not lesson.theme:
            continue
        candidate = earliest[title].before(when, lesson.theme if loose else None)
        match = None if candidate is None else _match(lesson, candidate, score)
        if match is not None and (best is None or score > best.similarity or
                                  key_order(match.earlier_key) < key_order(best.earlier_key)):
            best = match
    return best


def _content(title: str) -> set[str]:
    return {w for w in _words(title) if w not in _COMMON and not w.isdigit()}


def _match(lesson: LessonIssue, earlier: LessonIssue, score: float) -> Recurrence | None:
    same_theme = bool(lesson.theme) and lesson.theme == earlier.theme
    if score < SAME_TITLE and not (same_theme and score >= SAME_THEME_TITLE):
        return None
    return Recurrence(lesson.key, lesson.title, lesson.release, earlier.key, earlier.title,
                      earlier.release, score, same_theme)


def next_steps(actions: Sequence[ActionIssue], review: datetime | None,
               today: date) -> NextSteps:
    """The next review, and the open actions due on or before its day (an action due on
    the review day is due by the meeting)."""
    if review is None:
        return NextSteps(None)
    day = review.date()
    rows = sorted((action_row(a, today) for a in actions
                   if not a.done and a.due is not None and a.due <= day),
                  key=lambda r: (r.due, key_order(r.key)))
    return NextSteps(review, tuple(rows), _count(rows))
