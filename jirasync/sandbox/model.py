"""The records a sandbox Jira keeps, and the snapshots it hands to tests and observers."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

SEARCH_KINDS = frozenset({"search"})
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})


@dataclass(frozen=True)
class Comment:
    id: int
    author: str | None  # user id (accountId on Cloud, username on Data Center)
    body: str
    created: datetime
    updated: datetime


@dataclass(frozen=True, eq=False)
class Issue:
    """One issue as stored; replaced, never mutated, so an old version is a snapshot.

    ``custom`` and ``properties`` are never changed in place either: a change makes a new
    dict. ``parent`` is the parent key (Cloud epics and sub-tasks; DC sub-tasks only).
    """

    id: int
    key: str
    project: str
    issue_type: str
    summary: str
    created: datetime
    updated: datetime
    status: str = "To Do"
    description: str | None = None
    labels: tuple[str, ...] = ()
    resolution: str | None = None
    resolutiondate: datetime | None = None
    duedate: date | None = None
    assignee: str | None = None
    reporter: str | None = None
    creator: str | None = None
    parent: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    comments: tuple[Comment, ...] = ()

    def but(self, **changes: Any) -> Issue:
        return replace(self, **changes)


@dataclass(frozen=True)
class Link:
    id: int
    type_id: str
    inward: str  # key of the issue that "blocks" (outward description reads from it)
    outward: str


@dataclass(frozen=True)
class IssueRecord:
    """An issue as ``GET issue/{key}`` would show it, for tests to assert on.

    ``fields`` maps Jira field ids to the JSON values Jira returns, ``comments`` holds
    the comment JSON objects.
    """

    key: str
    id: str
    fields: dict[str, Any]
    properties: dict[str, Any]
    comments: tuple[dict[str, Any], ...]

    @property
    def summary(self) -> str:
        summary: str = self.fields["summary"]
        return summary

    @property
    def labels(self) -> list[str]:
        labels: list[str] = self.fields["labels"]
        return labels

    @property
    def status(self) -> str:
        name: str = self.fields["status"]["name"]
        return name

    @property
    def assignee(self) -> str | None:
        """accountId on Cloud, username on Data Center, None when unassigned."""
        user = self.fields["assignee"]
        return None if user is None else user.get("accountId", user.get("name"))


@dataclass(frozen=True)
class RequestLog:
    """One HTTP request the sandbox received. ``status`` 0: connection dropped, no answer."""

    method: str
    path: str
    query: str
    status: int
    kind: str

    @property
    def write(self) -> bool:
        """The request asks to change state (whether or not it succeeded)."""
        return self.method in WRITE_METHODS and self.kind not in SEARCH_KINDS


@dataclass(frozen=True)
class ObservedRequest:
    """A request as received, handed to the observer (e.g. a contract validator)."""

    method: str
    host_url: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    flavour: str


@dataclass(frozen=True)
class ObservedResponse:
    """The answer sent; ``None`` is passed instead when the connection was dropped."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")
