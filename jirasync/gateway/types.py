"""The gateway's data: what consumers send to Jira and what they read back."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeAlias, TypedDict

from jirasync.errors import JiraError
from jirasync.json_values import JSON, ToJSON

FieldValue: TypeAlias = ToJSON | date | datetime | frozenset[str] | set[str]
"""A field's value as ``edit_issue`` takes it: JSON, or a date, an instant or a set of
labels, which the gateway writes as Jira's JSON wants them."""


@dataclass(frozen=True)
class User:
    """A Jira user. ``id`` is the Cloud accountId or the Data Center username."""

    id: str
    display_name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)     # 50,000 of them in a sync: no dict each
class JiraIssue:
    """An issue as a search returned it.

    ``parent`` is the parent's key: Cloud's ``parent`` field; on Data Center the sub-task's
    parent or else the Epic Link. ``assignee`` is a user id, ``assignee_name`` its display
    name. ``properties`` holds the
    requested issue properties present on the issue; ``extra`` the raw values of any
    additional fields the search asked for, keyed as they were asked.
    ``status_category`` is the status category's key (``new``, ``indeterminate`` or
    ``done``: the same in every language); ``created_at`` and ``resolved_at`` the exact
    instants, with the offset Jira gave (``created`` and ``resolved`` are their dates there).
    """

    key: str
    id: str
    issue_type: str
    summary: str
    description: str = ""
    labels: tuple[str, ...] = ()
    parent: str | None = None
    parent_summary: str | None = None      # as the parent field shows it, when it does
    assignee: str | None = None
    assignee_name: str | None = None
    due: date | None = None
    status: str = ""
    resolution: str | None = None
    resolved: date | None = None
    created: date | None = None
    updated: datetime | None = None
    properties: Mapping[str, JSON] = field(default_factory=dict)
    extra: Mapping[str, JSON] = field(default_factory=dict)
    status_category: str = ""
    created_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class NewIssue:
    """An issue to create.

    ``issue_type`` is a name; ``parent`` a key (sent as ``parent`` for sub-tasks and on
    Cloud, as the Epic Link on Data Center); ``assignee`` a user id; ``fields`` extra
    fields by display name; ``properties`` issue properties written in the same request.
    ``epic_name`` fills Data Center's required Epic Name (default: the summary).
    """

    issue_type: str
    summary: str
    description: str = ""
    labels: tuple[str, ...] = ()
    parent: str | None = None
    assignee: str | None = None
    due: date | None = None
    # As the config's jira.fields gives them (YAML: only serialised, through field_value).
    fields: Mapping[str, object] = field(default_factory=dict)
    properties: Mapping[str, ToJSON] = field(default_factory=dict)
    epic_name: str | None = None


@dataclass(frozen=True)
class CreateResult:
    """What became of ``NewIssue`` number ``index``: a key and id, or Jira's error."""

    index: int
    key: str | None = None
    id: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class CreateFailed(JiraError):
    """A bulk create whose request failed. ``results`` hold what the requests before it
    created; ``status``, ``retryable`` and ``maybe_applied`` are the failed request's
    (with ``maybe_applied``, Jira may have created its issues: search, never resend)."""

    def __init__(self, cause: JiraError, results: tuple[CreateResult, ...]):
        super().__init__(str(cause), status=cause.status, retryable=cause.retryable,
                         issue=cause.issue, maybe_applied=cause.maybe_applied)
        self.results = results


class ProjectInfo(TypedDict):
    """A project as ``project()`` describes it: issue types by name."""

    key: str
    name: str
    issue_types: list[str]
    subtask_types: list[str]


class CreateField(TypedDict):
    """A field of a create screen."""

    id: str
    name: str
    required: bool
    has_default: bool


@dataclass(frozen=True)
class Pacing:
    """How politely the gateway talks to Jira (config keys ``jira.timeout_s`` etc.)."""

    timeout_s: float = 30
    max_requests_per_s: float = 10
    max_retry_s: float = 300
    backoff_base_s: float = 1
    backoff_cap_s: float = 60
    # Connection failures each cost up to timeout_s of real time: a mistyped URL should
    # fail in seconds, not after max_retry_s of retries.
    max_connection_tries: int = 4

    def __post_init__(self) -> None:
        if self.max_requests_per_s <= 0 or self.timeout_s <= 0 or self.max_retry_s < 0:
            raise ValueError("timeout_s and max_requests_per_s must be > 0, "
                             "max_retry_s >= 0")


@dataclass(frozen=True)
class Comment:
    """A comment as Jira gives it: ``author`` is the accountId (Cloud) or username (DC)."""

    id: str
    author: str | None
    author_name: str
    body: str
    created: datetime | None


@dataclass(frozen=True)
class Transition:
    """A transition the workflow offers the bot now. ``category`` is the target status's
    category key (``new``, ``indeterminate``, ``done``: the same in every language).
    ``resolution`` says whether its screen has the resolution field, ``required`` whether
    Jira insists on it, and ``resolutions`` the names it allows."""

    id: str
    name: str
    to: str
    category: str
    resolution: bool = False
    required: bool = False
    resolutions: tuple[str, ...] = ()
