"""An issue as Jira holds it, as sync compares it and the reports infer its identity
(``Seen``), and ``to_seen``, which makes one of an issue a search or a read returned.
Pure: the issue comes in through the few fields read (``Issue``), naming no gateway type."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from jirasync.records import Memory, memory_of
from jirasync.wanted import label_set


@dataclass(frozen=True, slots=True)
class Seen:
    """An issue as Jira holds it (only what sync compares)."""

    key: str
    summary: str = ""
    description: str = ""
    labels: frozenset[str] = frozenset()
    assignee: str | None = None
    due: date | None = None
    parent: str | None = None
    memory: Memory | None = None
    id: str = ""


class Issue(Protocol):
    """What ``to_seen`` reads of an issue Jira returned (the gateway's JiraIssue)."""

    @property
    def key(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def labels(self) -> tuple[str, ...]: ...
    @property
    def assignee(self) -> str | None: ...
    @property
    def due(self) -> date | None: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def properties(self) -> Mapping[str, Any]: ...


def to_seen(issue: Issue) -> Seen:
    return Seen(key=issue.key, id=issue.id, summary=issue.summary or "",
                description=issue.description or "", labels=label_set(issue.labels),
                assignee=issue.assignee, due=issue.due, parent=issue.parent,
                memory=memory_of(issue.properties))
