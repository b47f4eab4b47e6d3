"""``agenda``: the monthly review meeting's agenda (README "7. Reports"), data first,
then a template.

``agenda_data`` is pure (dates are parameters); ``render_agenda`` lays it out with the
packaged template ``agenda/agenda.<md|html>.j2``, which a user's ``templates_dir``
overrides by name. HTML is autoescaped and self-contained; in Markdown every printed
text is escaped too, so a title from Jira is shown, never run or formatted.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from jirasync.errors import UserNotFound
from jirasync.model import key_order, printable
from jirasync.render import render_template, template_environment
from jirasync.reports.answered import BlockedRow, blocked_rows, extensions
from jirasync.reports.figures import ActionRow, Figures
from jirasync.reports.port import ReportsJira
from jirasync.reports.programme import LessonIssue, Programme
from jirasync.review import ReviewCalendar


@dataclass(frozen=True)
class Invitee:
    name: str
    why: str                          # "owner of 2 open actions" | "release_manager"


@dataclass(frozen=True)
class OwnerOverdue:
    owner: str
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class Agenda:
    project: str
    meeting: datetime                 # in the config's timezone
    previous: datetime | None
    following: datetime
    place: str
    timezone: str
    today: date
    invited: tuple[Invitee, ...]
    overdue: tuple[OwnerOverdue, ...]
    due_before_following: tuple[ActionRow, ...]
    done_since: tuple[ActionRow, ...]
    lessons_since: tuple[LessonIssue, ...]
    without_owner: tuple[ActionRow, ...]
    without_due: tuple[ActionRow, ...]
    improvements_without_action: tuple[LessonIssue, ...]
    undated: tuple[str, ...] = ()
    blocked: tuple[BlockedRow, ...] = ()         # listed first, and not as overdue
    extended: Mapping[str, str] = field(default_factory=dict)   # key -> "extended 3×, last: …"


def agenda_data(programme: Programme, figures: Figures, *, meeting: datetime,
                previous: datetime | None, following: datetime, today: date,
                people: Mapping[str, str | Person], ladder_roles: Sequence[str],
                place: str = "",
                timezone: str = "") -> Agenda:
    """The agenda of the review on ``meeting``: overdue as of ``today``; done and raised
    since the previous review (its day included, up to ``today``); open actions due
    before the following review."""
    rows = figures.actions.rows
    open_rows = [r for r in rows if r.state != "done"]
    since = previous.date() if previous else date.min
    until = min(today, meeting.date())      # a rehearsed date sees nothing after it
    blocked = blocked_rows(programme.actions, figures.scope)
    stuck = {b.key for b in blocked}
    overdue = [r for r in figures.actions.overdue_rows() if r.key not in stuck]
    owners: dict[str, list[ActionRow]] = {}
    for row in overdue:
        owners.setdefault(row.owner or "(unassigned)", []).append(row)
    due_soon = sorted((r for r in open_rows if r.state == "open" and r.due is not None
                       and r.due < following.date()), key=lambda r: (r.due, key_order(r.key)))
    scope = set(figures.scope)
    lessons = [l for l in programme.lessons if l.release in scope]
    return Agenda(
        project=programme.project, meeting=meeting, previous=previous, following=following,
        place=place, timezone=timezone, today=today,
        invited=_invited(open_rows, people, ladder_roles),
        overdue=tuple(OwnerOverdue(o, tuple(rs)) for o, rs in
                      sorted(owners.items(), key=lambda kv: kv[0].casefold())),
        due_before_following=tuple(due_soon),
        done_since=tuple(r for r in rows if r.state == "done" and r.resolved is not None
                         and since <= r.resolved <= until),
        lessons_since=tuple(l for l in lessons if l.created is not None
                            and since <= l.created <= until),
        without_owner=tuple(r for r in open_rows if r.owner is None),
        without_due=tuple(r for r in open_rows if r.due is None),
        improvements_without_action=tuple(
            l for l in lessons if l.key in figures.lessons.improvements_without_action.keys),
        undated=figures.undated, blocked=tuple(blocked),
        extended=extensions(programme.actions, figures.scope))


@dataclass(frozen=True)
class Person:
    """Someone of the config's people as Jira knows them (``account`` None: not found)."""

    name: str
    account: str | None = None


def _invited(open_rows: Sequence[ActionRow], people: Mapping[str, str | Person],
             roles: Sequence[str]) -> tuple[Invitee, ...]:
    """One line per person, with every reason they are invited. People are told apart
    by their Jira account (two people may share a name); ``people`` may be as written
    in the config (emails) or as Jira named them (``named_people``)."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for row in open_rows:
        if row.owner:
            who = row.owner_account or row.owner
            counts[who] = counts.get(who, 0) + 1
            names[who] = row.owner
    why: dict[str, list[str]] = {}
    for who, n in sorted(counts.items(), key=lambda kv: names[kv[0]].casefold()):
        why[who] = [f"owner of {n} open action{'' if n == 1 else 's'}"]
    for role in dict.fromkeys(roles):
        person = people.get(role)
        if person is not None:
            person = person if isinstance(person, Person) else Person(person)
            who = person.account or person.name
            names.setdefault(who, person.name)
            why.setdefault(who, []).append(role.replace("_", " "))
    return tuple(Invitee(names[who], "; ".join(reasons)) for who, reasons in why.items())


def named_people(jira: ReportsJira, people: Mapping[str, str]) -> dict[str, Person]:
    """The config's people (role -> email) as Jira knows them, so that an owner who is
    also the release manager is invited once, by name; someone Jira does not know (or
    knows twice) is kept as written. Jira failing otherwise fails the agenda."""
    named = {}
    for role, who in people.items():
        try:
            user = jira.find_user(who)
            named[role] = Person(user.display_name or who, user.id)
        except UserNotFound:
            named[role] = Person(who)
    return named


def meetings_near(calendar: ReviewCalendar, day: date, zone: tzinfo, *,
                  around: int = 45) -> list[date]:
    """Meeting days within ``around`` days of ``day`` (for 'did you mean')."""
    start = datetime.combine(day - timedelta(days=around), datetime.min.time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=around), datetime.min.time(), tzinfo=zone)
    return [m.date() for m in calendar.meetings(start, end)]


_MD_MARKS = re.compile(r"([\\`*_\[\]<>|#~!])")


def markdown_text(value: object) -> object:
    """Every text printed in the Markdown agenda: its markup characters escaped, so a
    title like '<script>' or '*urgent*' is shown as written."""
    return _MD_MARKS.sub(r"\\\1", printable(value)) if isinstance(value, str) else value


def render_agenda(agenda: Agenda, *, fmt: str, templates_dir: Path | None) -> str:
    """The agenda as Markdown or HTML from the template ``agenda/agenda.<fmt>.j2``."""
    env = template_environment(templates_dir, autoescape=fmt == "html",
                               finalize=markdown_text if fmt == "md" else None)
    return render_template(env, f"agenda/agenda.{fmt}.j2", {"agenda": agenda})


def plain(value: Any) -> Any:
    """``value`` (an agenda, or any part of it) as JSON-ready data: records as objects,
    dates as ISO text, collections as lists (sets sorted)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value
