"""Building the programme (``programme.py``) from the issues a search returned: each
issue's identity decides whether it is a release, a lesson or an action; a lesson made by
hand is placed by its parent. Pure but for the release files' dates it is given.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Protocol, TypedDict
from zoneinfo import ZoneInfo

from jirasync.model import ANSWERS_PROPERTY, CHASE_PROPERTY, Identity, Labels, key_order
from jirasync.model import SYNC_PROPERTY as IDENTITY_PROPERTY
from jirasync.records import RELEASE_TITLE, answers_record_of, chase_record_of, memory_of
from jirasync.records import identity_of as identity_from
from jirasync.reports.programme import (
    NOT_REVIEWED,
    ActionIssue,
    Answered,
    Chased,
    LessonIssue,
    Person,
    Programme,
    ReleaseIssue,
)
from jirasync.seen import Issue

PROPERTIES = (IDENTITY_PROPERTY, CHASE_PROPERTY, ANSWERS_PROPERTY)
CATEGORIES = {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}


class SearchedIssue(Issue, Protocol):
    """What ``assemble`` reads of an issue a search returned (the gateway's JiraIssue
    has all of it): a port of this core module, so it names no gateway type."""

    @property
    def issue_type(self) -> str: ...
    @property
    def assignee_name(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def status_category(self) -> str: ...
    @property
    def resolution(self) -> str | None: ...
    @property
    def created(self) -> date | None: ...
    @property
    def resolved(self) -> date | None: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def resolved_at(self) -> datetime | None: ...


# A function that gives (name, live date) of a release from its file, or None.
FileDates = Callable[[str], tuple[str, date] | None]


def identity_of(issue: SearchedIssue) -> Identity | None:
    return identity_from(issue.properties)


def assemble(issues: Iterable[SearchedIssue], *, labels: Labels, project: str, url: str,
             zone: ZoneInfo,
             file_dates: FileDates) -> Programme:
    """The programme from the issues read (gateway JiraIssues). Pure but for
    ``file_dates``. Two issues with one identity: the first in key order counts."""
    ordered = sorted(issues, key=lambda i: key_order(i.key))
    by_identity: dict[Identity, SearchedIssue] = {}
    for issue in ordered:
        identity = identity_of(issue)
        if identity is not None:
            by_identity.setdefault(identity, issue)
    release_of = {i.key: ident.release for ident, i in by_identity.items()
                  if ident.level == "release"}
    build = _Builder(labels, url, zone)
    releases = [build.release(i, ident, file_dates) for ident, i in by_identity.items()
                if ident.level == "release"]
    lessons: list[LessonIssue] = []
    actions: list[ActionIssue] = []
    lesson_of: dict[str, LessonIssue] = {}
    for issue in ordered:
        identity = identity_of(issue)
        if identity is not None and by_identity.get(identity) is not issue:
            continue                                # a duplicate: sync reports it
        if identity is not None and identity.level == "lesson" or \
                identity is None and issue.parent in release_of:
            lesson = build.lesson(issue, identity, release_of.get(issue.parent or ""))
            lessons.append(lesson)
            lesson_of[issue.key] = lesson
    for issue in ordered:
        identity = identity_of(issue)
        if identity is not None and by_identity.get(identity) is not issue:
            continue
        parent = lesson_of.get(issue.parent or "")
        if identity is not None and identity.level == "action" or \
                identity is None and parent is not None:
            actions.append(build.action(issue, identity, parent))
    releases.sort(key=lambda r: (r.live_date or date.max, key_order(r.key)))
    return Programme(project=project, url=url, releases=tuple(releases),
                     lessons=tuple(lessons), actions=tuple(actions),
                     # (a release issue's release is its identity's: never None)
                     undated=tuple(r.release or "" for r in releases if not r.dated_by),
                     dated_from_files=tuple(r.release or "" for r in releases
                                            if r.dated_by == "file"))


class _Common(TypedDict):
    """The fields of ``Item``, as ``_Builder.common`` reads them from an issue."""

    key: str
    id: str
    url: str
    title: str
    status: str
    status_category: str
    resolution: str | None
    created: date | None
    resolved: date | None
    created_at: datetime | None
    resolved_at: datetime | None
    parent: str | None
    labels: tuple[str, ...]
    release: str | None
    issue_type: str


class _Builder:
    def __init__(self, labels: Labels, url: str, zone: ZoneInfo):
        self.labels, self.url, self.zone = labels, url.rstrip("/"), zone

    def common(self, issue: SearchedIssue, release: str | None) -> _Common:
        return {"key": issue.key, "id": issue.id, "url": f"{self.url}/browse/{issue.key}",
                    "title": issue.summary or "", "status": issue.status or "",
                    "status_category": CATEGORIES.get(issue.status_category, ""),
                    "resolution": issue.resolution,
                    "created": local_day(issue.created_at, self.zone) or issue.created,
                    "resolved": local_day(issue.resolved_at, self.zone) or issue.resolved,
                    "created_at": issue.created_at, "resolved_at": issue.resolved_at,
                    "parent": issue.parent, "labels": tuple(issue.labels), "release": release,
                    "issue_type": issue.issue_type}

    def release(self, issue: SearchedIssue, identity: Identity,
                file_dates: FileDates) -> ReleaseIssue:
        memory = memory_of(issue.properties)
        record = memory.record if memory else {}
        name, live, dated_by = record.get("name"), _iso_date(record.get("live_date")), "jira"
        if live is None:
            found = file_dates(identity.release)
            live, dated_by = (found[1], "file") if found else (None, "")
            name = name or (found[0] if found else None)
        title = issue.summary or ""
        name = name or (title.removeprefix(RELEASE_TITLE))
        return ReleaseIssue(**self.common(issue, identity.release), name=name,
                            live_date=live, dated_by=dated_by)

    def lesson(self, issue: SearchedIssue, identity: Identity | None,
               release: str | None) -> LessonIssue:
        labels = set(issue.labels)
        kind = "keep" if self.labels.keep in labels else \
            "improve" if self.labels.improve in labels else \
            NOT_REVIEWED if self.labels.not_reviewed in labels else None
        themes = Labels.themes(labels)
        return LessonIssue(**self.common(issue, identity.release if identity else release),
                           lesson=identity.lesson if identity else None, kind=kind,
                           theme=themes[0] if themes else None)

    def action(self, issue: SearchedIssue, identity: Identity | None,
               lesson: LessonIssue | None) -> ActionIssue:
        record = chase_record_of(issue.properties)
        owner = Person(account=issue.assignee, name=issue.assignee_name or issue.assignee) \
            if issue.assignee else None
        release = identity.release if identity else (lesson.release if lesson else None)
        return ActionIssue(**self.common(issue, release),
                           lesson=identity.lesson if identity else None,
                           action=identity.action if identity else None, owner=owner,
                           due=issue.due,
                           chase=Chased(prompts=record.prompts, digests=record.digests,
                                        due=record.due, rungs=record.rungs,
                                        pending=record.pending),
                           answered=self.answered(issue))

    def answered(self, issue: SearchedIssue) -> Answered:
        record = answers_record_of(issue.properties)
        extensions = record.extensions
        blocked = self.labels.blocked in issue.labels
        return Answered(extensions=len(extensions),
                        last_reason=extensions[-1].reason if extensions else "",
                        blocked=blocked,
                        blocked_reason=(record.blocked or "") if blocked else "")


def local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    """The calendar day of ``moment`` in ``zone`` (Jira gives times in the bot's zone)."""
    if moment is None or moment.tzinfo is None:
        return moment.date() if moment else None
    return moment.astimezone(zone).date()


def _iso_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
