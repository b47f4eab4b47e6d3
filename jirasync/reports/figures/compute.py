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

import functools
import statistics
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from jirasync.reports.figures.carried import ItemsByRelease, carried_into_each, items_by_release
from jirasync.reports.figures.carriedover import CarriedOver
from jirasync.reports.figures.recurring import recurring
from jirasync.reports.figures.types import (
    ActionRow,
    ActionsState,
    Count,
    Figures,
    Indicators,
    LessonsIdentified,
    Median,
    NextSteps,
    OwnerLoad,
    Rate,
    ReleaseFigures,
    ThemeCount,
    TrendPoint,
    key_order,
    sorted_keys,
)
from jirasync.reports.programme import (
    NOT_REVIEWED,
    ActionIssue,
    LessonIssue,
    Programme,
    ReleaseIssue,
)


def compute(programme: Programme, *, today: date, releases: Sequence[str] = (),
            next_review: datetime | None = None) -> Figures:
    """All the figures as of ``today`` for ``releases`` (ids; all when empty)."""
    chosen = [r for r in programme.releases if not releases or r.release in releases]
    scope = {r.release or "" for r in chosen}
    by_release = items_by_release(programme)
    lessons = [l for l in programme.lessons if l.release in scope]
    actions = [a for a in programme.actions if a.release in scope]
    carried = carried_into_each(programme, by_release)
    per_release = tuple(_release_figures(r, by_release, carried[r.key], today) for r in chosen)
    dated = [r for r in chosen if r.live_date is not None]
    return Figures(
        today=today, scope=tuple(r.release or "" for r in chosen), releases=per_release,
        lessons=lessons_identified(lessons, actions), actions=actions_state(actions, today),
        carried_over=carried[dated[-1].key] if dated else CarriedOver(None, None),
        trend=tuple(_trend_point(f.release, f.lessons.total, f.actions.agreed,
                                 f.actions.done, f.carried_over) for f in per_release),
        indicators=indicators(actions, today),
        find_recurring=functools.partial(recurring, programme, scope),
        next_steps=next_steps(actions, next_review, today),
        undated=tuple(r.release or r.key for r in chosen if r.live_date is None),
        owners=Count(len({a.owner.account for a in actions if a.owner}),
                     sorted_keys(a for a in actions if a.owner)),
        dated_from_files=tuple(r.release or r.key for r in chosen if r.dated_by == "file"))


def _release_figures(release: ReleaseIssue, by_release: ItemsByRelease, carried: CarriedOver,
                     today: date) -> ReleaseFigures:
    lessons, actions = by_release.get(release.release, ([], []))
    return ReleaseFigures(release, lessons_identified(lessons, actions),
                          actions_state(actions, today), carried, indicators(actions, today))


def _trend_point(release: ReleaseIssue, lessons: Count, actions: Count, done: Count,
                 carried: CarriedOver) -> TrendPoint:
    return TrendPoint(release.release, release.name, release.key, release.live_date, lessons,
                      actions, carried, Rate(done, actions))


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



def trend(programme: Programme, releases: Sequence[ReleaseIssue],
          today: date) -> tuple[TrendPoint, ...]:
    """Per release: lessons identified, actions agreed, actions carried into it, closure."""
    by_release = items_by_release(programme)
    carried = carried_into_each(programme, by_release)
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
                                    sorted_keys(measured)),
        overdue=Count.of(a for a in actions if days_overdue(a, today)),
        completeness=Rate(Count.of(a for a in actions if a.owner and a.due),
                          Count.of(actions)))

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
