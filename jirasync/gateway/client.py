"""The Gateway: everything jirasync asks of Jira, on Cloud and Data Center alike."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from datetime import datetime
from typing import Any

from jirasync.errors import JiraError
from jirasync.gateway.bulk import bulk_create
from jirasync.gateway.catalog import Catalog
from jirasync.gateway.convert import (
    edit_body,
    new_issue_entry,
    user_from_json,
    user_ref,
)
from jirasync.gateway.failures import Call, public_url
from jirasync.gateway.limits import BULK_LIMIT
from jirasync.gateway.permissions import my_permissions
from jirasync.gateway.properties import Entry
from jirasync.gateway.property_reads import (
    PropertyReads,
    delete_project_property,
    get_project_property,
    project_property_keys,
    property_value,
    put_project_property,
)
from jirasync.gateway.reading import Answer
from jirasync.gateway.searching import IssueReads
from jirasync.gateway.transport import Transport
from jirasync.gateway.types import (
    Comment,
    CreateFailed,
    CreateField,
    CreateResult,
    FieldValue,
    JiraIssue,
    NewIssue,
    ProjectInfo,
    Transition,
    User,
)
from jirasync.gateway.users import UserDirectory, mention
from jirasync.gateway.workflow import Workflow
from jirasync.json_values import JSON, ToJSON


class Gateway(IssueReads):
    """Jira as jirasync's use-cases see it. Build one with ``connect``.

    Every request goes through one Transport (pacing, retries, errors); ``stats`` counts
    them by kind. Projects, fields and users are cached for the gateway's lifetime. It
    meets the ``Jira`` protocol the use-cases are written against.
    """

    def __init__(self, jira: Any, transport: Transport, flavour: str, *,
                 project: str | None = None, server_time: datetime | None = None):
        self._jira = jira   # kept for its authenticated session; its helpers are not used
        self._t = transport
        self.flavour = flavour
        self.server_time = server_time
        self.url = public_url(transport.url)
        self._default_project = project
        self._catalog = Catalog(transport)
        self._users = UserDirectory(transport, flavour)
        self._workflow = Workflow(transport, flavour)
        # Data Center's search cannot return issue properties, so they are read by key;
        # a caller may lend a cache kept between runs (``keeping_properties``).
        self._reads = PropertyReads(transport)

    @property
    def read_by_key(self) -> set[str]:
        """Keys whose properties were read by key since the cache was lent (Data Center)."""
        return self._reads.read_by_key

    @property
    def unread(self) -> set[str]:
        """Keys a search left without their properties (``read_properties=False``)."""
        return self._reads.unread

    @property
    def trusts_own_reads(self) -> bool:
        """Whether ``reread(by_key=True, trust_own_reads=True)`` may take an issue as this
        run read it (Data Center); Cloud re-reads every one in a search."""
        return self.flavour == "datacenter"

    def __repr__(self) -> str:
        return f"Gateway({self.url!r}, flavour={self.flavour!r})"

    @property
    def stats(self) -> dict[str, int]:
        """HTTP requests made so far by kind, plus ``retries``."""
        return self._t.stats

    def close(self) -> None:
        self._jira.close()

    def myself(self) -> User:
        """The user jirasync runs as."""
        call = Call("meta", "the check of the bot's own user", safe=True)
        return user_from_json(Answer.of(self._t.json(call, "GET", "myself"), call), self.flavour)

    def my_permissions(self, keys: Iterable[str], *,
                       project: str | None = None) -> dict[str, bool]:
        """Whether the bot holds each permission (Jira's keys: ``"EDIT_ISSUES"``), in
        ``project`` for project permissions; keys Jira did not report on are absent."""
        return my_permissions(self._t, keys, project=project)

    def project(self, key: str) -> ProjectInfo:
        """``{key, name, issue_types: [names], subtask_types: [names]}``. The first project
        looked up becomes the default for ``create_issues`` when ``connect`` was given none."""
        meta = self._catalog.project(key)
        self._default_project = self._default_project or meta.get("key", key)
        types = meta.get("issueTypes", ())
        return {"key": meta.get("key", key), "name": meta.get("name", ""),
                "issue_types": [t["name"] for t in types],
                "subtask_types": [t["name"] for t in types if t.get("subtask")]}

    def create_fields(self, project: str, issue_type_name: str) -> list[CreateField]:
        """Fields of the create screen: ``{id, name, required, has_default}`` each."""
        return self._catalog.create_fields(project, issue_type_name)

    @contextlib.contextmanager
    def keeping_properties(self, load: Callable[[], MutableMapping[str, Entry]],
                           save: Callable[[MutableMapping[str, Entry]], None] | None
                           ) -> Iterator[None]:
        """On Data Center, read issue properties through the cache ``load`` gives (kept
        by an earlier run) for the block, then hand ``save`` what it holds, whatever the
        block's end. Cloud's search returns properties: nothing is loaded nor saved."""
        if self.flavour == "cloud":
            yield
            return
        with self._reads.lent(load, save):
            yield

    # -- writes ----------------------------------------------------------------------

    def create_issues(self, issues: Sequence[NewIssue], *,
                      project: str | None = None) -> list[CreateResult]:
        """Create ``issues`` in ``project`` (default: ``connect(project=)`` or the first
        project looked up).

        One POST /issue/bulk per 50 issues; results come in input order and an issue Jira
        refused gets ``CreateResult.error`` rather than an exception. A failed request
        raises CreateFailed, whose ``results`` hold what earlier requests created; if it
        has ``maybe_applied``, Jira may have created the issues: search, never just resend.
        """
        project = project or self._default_project
        if not project:
            raise ValueError("create_issues needs project=KEY, connect(project=KEY) "
                             "or an earlier gw.project(KEY)")
        entries = [self._entry(new, project) for new in issues]
        results: list[CreateResult] = []
        for start in range(0, len(entries), BULK_LIMIT):
            try:
                results += bulk_create(self._t, entries[start:start + BULK_LIMIT], start)
            except JiraError as err:
                raise CreateFailed(err, tuple(results)) from err
        self._seed_properties(issues, results)
        return results

    def _seed_properties(self, issues: Sequence[NewIssue], results: list[CreateResult]) -> None:
        """On Data Center, the properties an issue was just created with are cached, so
        that the next search need not read them by key."""
        if self.flavour == "cloud":
            return
        for result in results:
            new = issues[result.index]
            if result.key and not result.error and new.properties:
                self._reads.cache.seed(result.key, new.properties)

    def _entry(self, new: NewIssue, project: str) -> dict[str, Any]:
        itype = self._catalog.issue_type(project, new.issue_type)
        return new_issue_entry(new, project=project, issue_type=itype, flavour=self.flavour,
                               field_id=self.field_id)

    def edit_issue(self, key: str, *, fields: Mapping[str, FieldValue] | None = None,
                   add_labels: Iterable[str] = (), remove_labels: Iterable[str] = (),
                   comment: str | None = None, properties: Mapping[str, ToJSON] | None = None,
                   notify: bool = True, epic_name: str | None = None) -> None:
        """One PUT that Jira applies atomically: fields, label changes, a comment, properties.

        ``fields`` are keyed by id or display name (``due`` means ``duedate``); dates, and
        user ids for ``assignee``, are converted. ``notify=False`` asks Jira not to email
        watchers (on Cloud this needs admin rights). An edit that adds a comment is not
        resent after a lost connection, since the comment may already be there.
        ``epic_name`` sets Data Center's Epic Name (Cloud has none) in the same request.
        """
        fields = dict(fields or {})
        if epic_name and self.flavour == "datacenter":
            fields["Epic Name"] = epic_name
        body = edit_body(fields, add_labels=add_labels, remove_labels=remove_labels,
                         comment=comment, properties=properties, flavour=self.flavour,
                         field_id=self.field_id)
        if not body:
            return
        self._reads.cache.forget(key)
        call = Call("edit", f"the edit of {key}", safe=not comment, issue=key)
        self._t.request(call, "PUT", f"issue/{key}", body=body,
                        params=None if notify else {"notifyUsers": "false"})
        if properties and self.flavour == "datacenter":
            # As after a create: the properties this edit wrote are Jira's now, at the
            # version the next search shows (a person's edit since changes none of them).
            self._reads.cache.seed(key, properties)

    def set_property(self, key: str, name: str, value: ToJSON) -> None:
        """Write issue property ``name`` (JSON, at most 32,768 characters)."""
        self._reads.cache.forget(key)
        call = Call("property", f"writing property {name} of {key}", safe=True, issue=key)
        self._t.request(call, "PUT", f"issue/{key}/properties/{name}", body=value)

    def get_property(self, key: str, name: str) -> JSON:
        """The value of issue property ``name``, or None if the issue has none."""
        call = Call("property", f"reading property {name} of {key}", safe=True, issue=key,
                    allow=(404,))
        return property_value(self._t, call, f"issue/{key}/properties/{name}")

    def project_property_keys(self, project: str | None = None) -> list[str]:
        """The names of the project's properties."""
        return project_property_keys(self._t, project or self._default_project)

    def get_project_property(self, name: str, project: str | None = None) -> JSON:
        """The value of project property ``name``, or None if the project has none."""
        return get_project_property(self._t, name, project or self._default_project)

    def put_project_property(self, name: str, value: ToJSON, *, project: str | None = None,
                             once: bool = False) -> bool:
        """Write project property ``name``; True if Jira created it (201), False if it
        replaced a value (200). With ``once`` the request is never resent after a lost
        answer (a resend would answer 200 for our own create): it fails maybe-applied."""
        return put_project_property(self._t, name, value, project or self._default_project, once=once)

    def delete_project_property(self, name: str, project: str | None = None) -> None:
        """Remove project property ``name``; a property already gone is not an error."""
        delete_project_property(self._t, name, project or self._default_project)

    def add_comment(self, key: str, body: str) -> str:
        """Add a comment (wiki markup); its id. Never resent: see the transport rules."""
        call = Call("comment", f"the comment on {key}", safe=False, issue=key)
        answer = Answer.of(self._t.json(call, "POST", f"issue/{key}/comment",
                                        body={"body": body}), call)
        return answer.ident("id", required=True)

    def comments(self, issue: JiraIssue | str) -> list[Comment]:
        """Every comment of an issue, oldest first (owners' answers: see workflow.py); of
        one searched with its ``comment`` field, those the search returned if whole."""
        if isinstance(issue, str):
            return self._workflow.comments(issue)
        return self._workflow.comments_of(issue)

    def transitions(self, key: str) -> list[Transition]:
        """The transitions Jira offers on ``key`` now, with their screens' fields."""
        return self._workflow.transitions(key)

    def transition_issue(self, key: str, transition: str, *, resolution: str | None = None,
                         comment: str | None = None,
                         properties: Mapping[str, ToJSON] | None = None) -> None:
        """One atomic transition with its resolution, a comment and properties."""
        self._reads.cache.forget(key)
        self._workflow.transition(key, transition, resolution=resolution, comment=comment,
                                  properties=properties)

    def notify(self, key: str, *, subject: str, text: str, html: str | None = None,
               to_users: Iterable[str] = ()) -> None:
        """Email exactly ``to_users`` (user ids) about ``key`` through Jira."""
        users = [user_ref(u, self.flavour) for u in to_users]
        if not users:
            raise ValueError("notify needs at least one user in to_users")
        # Say no to every default audience so that only the named users are emailed.
        to = {"users": users, "reporter": False, "assignee": False, "watchers": False,
              "voters": False}
        body: dict[str, Any] = {"subject": subject, "textBody": text, "to": to}
        if html:
            body["htmlBody"] = html
        call = Call("notify", f"the notification on {key}", safe=False, issue=key)
        self._t.request(call, "POST", f"issue/{key}/notify", body=body)

    # -- users -----------------------------------------------------------------------

    def find_user(self, query: str) -> User:
        """The user an email, accountId, username or display name names (cached)."""
        return self._users.find(query)

    def preload_users(self, queries: Iterable[str]) -> None:
        """Resolve many owners at once (see UserDirectory.preload); ``find_user`` then
        answers from the cache."""
        if self._default_project:
            self._users.preload(self._default_project, queries)

    def mention(self, user: User | str) -> str:
        """``[~accountid:ID]`` on Cloud, ``[~username]`` on Data Center."""
        return mention(user, self.flavour)

