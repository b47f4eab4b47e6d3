"""Small builders of a programme as the reader gives it, for the pure figure tests."""
from __future__ import annotations

from datetime import date

from jirasync.reports.reader import (
    ActionIssue,
    Chased,
    LessonIssue,
    Person,
    Programme,
    ReleaseIssue,
)

URL = "https://jira.example.org"


def d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _common(key: str, release: str | None, title: str, *, created: str | None,
            resolved: str | None, done: bool, parent: str | None) -> dict:
    return {"key": key, "id": key.split("-")[1], "url": f"{URL}/browse/{key}", "title": title,
                "status": "Done" if done else "To Do",
                "status_category": "Done" if done else "To Do",
                "resolution": "Done" if done else None, "created": d(created),
                "resolved": d(resolved), "parent": parent, "labels": (), "release": release}


def release(key: str, rid: str, live: str | None, name: str = "") -> ReleaseIssue:
    return ReleaseIssue(**_common(key, rid, f"Lessons learnt: {name or rid}",
                                  created="2026-01-01", resolved=None, done=False,
                                  parent=None),
                        name=name or rid, live_date=d(live), dated_by="jira" if live else "")


def lesson(key: str, rid: str, parent: str, title: str = "a lesson", *, kind="improve",
           theme=None, lid: str | None = "l", created="2026-01-01", resolved=None,
           done=False) -> LessonIssue:
    return LessonIssue(**_common(key, rid, title, created=created, resolved=resolved,
                                 done=done, parent=parent),
                       lesson=lid, kind=kind, theme=theme)


def action(key: str, rid: str, parent: str, *, owner: str | None = "Sam Jones",
           due: str | None = "2026-12-01", created="2026-10-01", resolved=None,
           done=False, rungs=(), title: str = "an action") -> ActionIssue:
    person = Person(account=owner.lower().replace(" ", "."), name=owner) if owner else None
    return ActionIssue(**_common(key, rid, title, created=created, resolved=resolved,
                                 done=done, parent=parent),
                       lesson="l", action="a", owner=person, due=d(due),
                       chase=Chased(due=due, rungs=tuple(rungs)))


def programme(releases=(), lessons=(), actions=()) -> Programme:
    return Programme(project="DCR", url=URL, releases=tuple(releases),
                     lessons=tuple(lessons), actions=tuple(actions))
