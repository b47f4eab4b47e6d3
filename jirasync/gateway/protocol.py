"""What jirasync asks of Jira, typed, in roles: ``Site``, ``Search``, ``CachedProperties``
(Data Center's property cache) and ``CacheReads`` (what it did in this run's searches),
``IssueWrites``, ``People``, ``ProjectProperties`` (and its reading half), ``Meta`` and
``Workflows``. Each capability declares its own port from the roles it uses
(``sync/port.py``, ``chase/port.py``, ``answers/port.py``, ``reports/port.py``); ``Jira`` is
all of them, for the top level (the job runner, ``check``, the lease). ``Gateway`` meets
every one; so may a test's fake, or a
wrapper that injects a failure into the real one. Where Cloud and Data Center differ for a
capability, one method here hides it (``reread``: a consistent re-read, Data Center's by
key skipping what the caller vouches for; ``read_programme``: a report's read), so no
capability asks for ``flavour`` (``tests/test_flavour_in_gateway.py``).

Errors are part of the contract: every operation raises ``JiraError`` (``AuthError``
when the credentials are refused, ``UserNotFound`` from ``find_user``) whose
``maybe_applied`` says a write may have happened although no answer said so, and
``create_issues`` raises ``CreateFailed`` carrying what it created before the failure.
"""
from __future__ import annotations

from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from jirasync.gateway.properties import Entry
from jirasync.gateway.types import (
    Comment,
    CreateField,
    CreateResult,
    FieldValue,
    JiraIssue,
    NewIssue,
    ProjectInfo,
    Transition,
    User,
)
from jirasync.json_values import JSON, ToJSON
from jirasync.rung_index import Entry as IndexEntry


class Site(Protocol):
    """Which Jira, and what it has been asked so far."""

    @property
    def flavour(self) -> str:
        """"cloud" or "datacenter"."""

    @property
    def url(self) -> str:
        """The site's address, without any credentials."""

    @property
    def server_time(self) -> datetime | None:
        """Jira's own clock when the connection opened (its serverInfo), if it said."""

    @property
    def stats(self) -> dict[str, int]:
        """HTTP requests made so far by kind, plus ``retries``."""


class Search(Protocol):
    """Reading issues: searches, reads by key, consistent re-reads."""

    def search(self, jql: str, *, fields: Sequence[str] = ..., properties: Sequence[str] = ...,
               reconcile: Iterable[str | int] = (), page_size: int | None = None,
               limit: int | None = None, read_properties: bool = True) -> Iterator[JiraIssue]:
        """Every issue ``jql`` finds, page by page; ``reconcile`` lists ids Cloud's
        lagging index must read fresh; ``read_properties=False``: Data Center takes
        properties from its cache only, and lists the keys it could not in ``unread``."""

    def keys(self, jql: str) -> Iterator[str]:
        """The keys of every issue ``jql`` finds (in Jira's largest pages)."""

    def count(self, jql: str) -> int | None:
        """How many issues ``jql`` finds, when Jira counts exactly (Data Center)."""

    def get_issue(self, key: str, *, fields: Sequence[str] = ...,
                  properties: Sequence[str] = ...) -> JiraIssue | None:
        """One issue read by key (consistent), None if Jira has none."""

    def reread(self, issues: Mapping[str, str | None], *, fields: Sequence[str] = ...,
               properties: Sequence[str] = ..., by_key: bool = False,
               trust_own_reads: bool = False,
               vouched: Collection[str] = ()) -> list[JiraIssue]:
        """The issues ``issues`` (key -> id) read again consistently, 50 per search;
        those Jira no longer has are left out. ``by_key``: on Data Center, read by key
        instead (properties not from the cache), but with ``trust_own_reads`` an issue
        whose properties this run read by key is as its search returned it (with that
        search's fields, not ``fields``), and those in ``vouched`` (the caller's memory
        vouches for them) are neither read nor returned. Cloud re-reads every one in a
        search (its search returns properties, reconciled): the flavours differ here,
        never in the caller."""

    def read_programme(self, jql: str, *, properties: Sequence[str],
                       identify: Callable[[list[JiraIssue]], list[JiraIssue]],
                       later: Mapping[str, str],
                       worth_reading: Callable[[JiraIssue], bool] = ...,
                       index: Callable[[], Mapping[str, IndexEntry] | None] = ...
                       ) -> list[JiraIssue]:
        """Every issue ``jql`` finds with ``properties``, for a report: one search on
        Cloud; on Data Center the first property from the cache, completed by
        ``identify``, each other one through the cache by its search in ``later``, and
        where the cache misses, for an issue ``worth_reading`` only, from ``index`` (read
        once, when first needed) if it holds the issue at the version found, else by key."""

    def children_clause(self, keys: Iterable[str]) -> str:
        """JQL for the children of the issues ``keys``."""


class CachedProperties(Protocol):
    """Data Center's property cache, lent for a run (Cloud's search returns properties)."""

    @property
    def trusts_own_reads(self) -> bool:
        """Whether ``reread(by_key=True, trust_own_reads=True)`` may take an issue as this
        run read it (Data Center); Cloud re-reads every one in a search."""

    @property
    def searches_properties(self) -> bool:
        """Whether a search returns issue properties (Cloud). Where it does not (Data
        Center), chase keeps an index of its records for a report read cold."""

    def holds_properties(self) -> bool:
        """Whether any issue's properties are cached (Data Center)."""

    def keeping_properties(self, load: Callable[[], MutableMapping[str, Entry]],
                           save: Callable[[MutableMapping[str, Entry]], None] | None
                           ) -> AbstractContextManager[None]:
        """For the block, read issue properties through the cache ``load`` gives, then
        hand it to ``save`` (Data Center only: Cloud's search returns properties)."""


class CacheReads(Protocol):
    """What Data Center's cache did in this run's searches: the issues a search left
    without their properties, those whose properties it read by key (sync's observer and
    the reports' inference of identities work from them)."""

    @property
    def unread(self) -> set[str]:
        """Keys a search left without their properties (Data Center)."""

    @property
    def read_by_key(self) -> set[str]:
        """Keys whose properties were read by key since the cache was lent."""


class IssueWrites(Protocol):
    """Creating and editing issues, and emailing about one."""

    def create_issues(self, issues: Sequence[NewIssue], *,
                      project: str | None = None) -> list[CreateResult]:
        """Create ``issues`` in bulk; per-issue refusals are results, not errors."""

    def edit_issue(self, key: str, *, fields: Mapping[str, FieldValue] | None = None,
                   add_labels: Iterable[str] = (), remove_labels: Iterable[str] = (),
                   comment: str | None = None, properties: Mapping[str, ToJSON] | None = None,
                   notify: bool = True, epic_name: str | None = None) -> None:
        """One atomic edit: fields, label changes, a comment and properties together."""

    def set_property(self, key: str, name: str, value: ToJSON) -> None:
        """Write one issue property."""

    def notify(self, key: str, *, subject: str, text: str, html: str | None = None,
               to_users: Iterable[str] = ()) -> None:
        """Email exactly ``to_users`` about ``key`` through Jira."""


class People(Protocol):
    """Users: found by email, id or name, and mentioned in a comment."""

    def find_user(self, query: str) -> User:
        """The one user an email, id or name names; UserNotFound otherwise."""

    def preload_users(self, queries: Iterable[str]) -> None:
        """Resolve many users at once, so that ``find_user`` answers from a cache."""

    def mention(self, user: User | str) -> str:
        """How a comment mentions ``user``."""


class ProjectPropertyReads(Protocol):
    """Reading the project's own properties (the reports read chase's index of records)."""

    def get_project_property(self, name: str, project: str | None = None) -> JSON:
        """The value of a project property, or None if there is none (to be narrowed: a
        person may have written anything there)."""


class ProjectProperties(ProjectPropertyReads, Protocol):
    """The project's own properties (the lease, the journal of creates, last runs, chase's
    index of records)."""

    def project_property_keys(self, project: str | None = None) -> list[str]:
        """The names of the project's properties."""

    def put_project_property(self, name: str, value: ToJSON, *, project: str | None = None,
                             once: bool = False) -> bool:
        """Write a project property; True if Jira created it (201), False if replaced."""

    def delete_project_property(self, name: str, project: str | None = None) -> None:
        """Remove a project property (one already gone is not an error)."""


class Meta(Protocol):
    """The bot, its permissions, the project and its fields (``check``)."""

    def myself(self) -> User:
        """The user jirasync runs as."""

    def my_permissions(self, keys: Iterable[str], *,
                       project: str | None = None) -> dict[str, bool]:
        """Whether the bot holds each permission (by Jira's key), in ``project``."""

    def project(self, key: str) -> ProjectInfo:
        """The project and its issue types."""

    def create_fields(self, project: str, issue_type_name: str) -> list[CreateField]:
        """The fields of an issue type's create screen."""

    def field_id(self, name: str) -> str:
        """The id of a field given its display name or its id."""


class Workflows(Protocol):
    """Comments read, and an issue moved through its workflow (owners' answers)."""

    def comments(self, issue: JiraIssue | str) -> list[Comment]:
        """Every comment of an issue, oldest first. Of a ``JiraIssue`` a search returned
        with its ``comment`` field, those the search returned, unless Jira's page left
        some out (then all, read by key); of a key, all, read by key."""

    def transitions(self, key: str) -> list[Transition]:
        """The transitions Jira offers on ``key`` now, with their screens' fields."""

    def transition_issue(self, key: str, transition: str, *, resolution: str | None = None,
                         comment: str | None = None,
                         properties: Mapping[str, ToJSON] | None = None) -> None:
        """One atomic transition: the resolution, a comment and properties together."""


class Jira(Site, Search, CachedProperties, CacheReads, IssueWrites, People, ProjectProperties,
           Meta, Workflows, Protocol):
    """Jira as the top level sees it, on Cloud and Data Center alike: every role."""
