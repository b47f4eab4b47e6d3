"""The programme as Jira holds it, as data (README "7. Reports"): releases, lessons and
actions, each with what chase and the owners' answers left on it. Pure: ``assemble.py``
builds it from the issues a search returned; the reader (``reader.py``) does the reading.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from jirasync.model import key_order


@dataclass(frozen=True, kw_only=True)
class Person:
    """An assignee: ``account`` is the Cloud accountId or Data Center username."""

    account: str
    name: str


@dataclass(frozen=True, kw_only=True)
class Chased:
    """What chase has sent about an action (its record in Jira)."""

    prompts: tuple[str, ...] = ()     # review cycles (meeting dates) prompted
    digests: tuple[str, ...] = ()     # "<cycle> <owner>" digests this action anchored
    due: str | None = None            # the due date the ladder was climbed for
    rungs: tuple[int, ...] = ()       # after_days of the rungs fired for that due date
    pending: tuple[str, ...] = ()     # "<cycle> <owner>" digests recorded, not known sent

    def rung(self, due: date | None) -> int | None:
        """The highest rung fired for ``due`` (a moved due date restarts the ladder)."""
        fired = self.rungs if due is not None and self.due == due.isoformat() else ()
        return max(fired, default=None)


@dataclass(frozen=True)
class Answered:
    """What its owners' answers left on an action (docs/answers.md): how many times its
    due date was extended and the last reason; blocked while it carries the blocked
    label, with the reason given."""

    extensions: int = 0
    last_reason: str = ""
    blocked: bool = False
    blocked_reason: str = ""

    def extended(self) -> str:
        """"extended 3×, last: waiting for partner sign-off", or ""."""
        return f"extended {self.extensions}×, last: {self.last_reason}" \
            if self.extensions else ""


@dataclass(frozen=True, kw_only=True)
class Item:
    """What every issue of the programme has. Dates are in the config's timezone;
    ``created_at``/``resolved_at`` are the exact instants. ``release`` is the release id
    (from the identity, or the release issue a hand-made lesson sits under)."""

    key: str
    id: str
    url: str
    title: str
    status: str
    status_category: str              # To Do | In Progress | Done
    resolution: str | None
    created: date | None
    resolved: date | None
    parent: str | None
    labels: tuple[str, ...]
    release: str | None
    created_at: datetime | None = None
    resolved_at: datetime | None = None
    issue_type: str = ""              # the Jira issue type's name (Epic, Task, Sub-task...)

    @property
    def done(self) -> bool:
        """Done: status category Done, or a resolution (a workflow may close an issue
        without its category reaching Done, or the other way round)."""
        return self.status_category == "Done" or self.resolution is not None


@dataclass(frozen=True, kw_only=True)
class ReleaseIssue(Item):
    name: str
    live_date: date | None
    dated_by: str = ""                # "jira" | "file" | "" (could not be dated)


@dataclass(frozen=True, kw_only=True)
class LessonIssue(Item):
    lesson: str | None                # the lesson id; None when made by hand
    kind: str | None                  # keep | improve | NOT_REVIEWED | None (a hand-made
                                      # one may lack it)
    theme: str | None                 # the theme label's slug (theme-<slug>)

    @property
    def hand_made(self) -> bool:
        return self.lesson is None


@dataclass(frozen=True, kw_only=True)
class ActionIssue(Item):
    lesson: str | None
    action: str | None
    owner: Person | None
    due: date | None
    chase: Chased = field(default_factory=Chased)
    answered: Answered = field(default_factory=Answered)

    @property
    def rung(self) -> int | None:
        return self.chase.rung(self.due)


# The kind of a release template's lesson the release never answered (label
# ``not_reviewed``): shown as such, never counted as keep or improve.
NOT_REVIEWED = "not reviewed"


@dataclass(frozen=True, kw_only=True)
class Programme:
    """Every release, lesson and action in Jira, each list in key order (releases by
    live date, then key). ``undated``: release ids neither Jira nor a file could date."""

    project: str
    url: str
    releases: tuple[ReleaseIssue, ...] = ()
    lessons: tuple[LessonIssue, ...] = ()
    actions: tuple[ActionIssue, ...] = ()
    undated: tuple[str, ...] = ()
    dated_from_files: tuple[str, ...] = ()

    def release(self, release_id: str) -> ReleaseIssue | None:
        return next((r for r in self.releases if r.release == release_id), None)

    def release_ids(self) -> tuple[str, ...]:
        return tuple(r.release for r in self.releases if r.release)


def keys(items: Iterable[Item]) -> tuple[str, ...]:
    """Issue keys in Jira's order."""
    return tuple(sorted({i.key for i in items}, key=key_order))
