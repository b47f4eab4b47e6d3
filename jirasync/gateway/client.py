"""The Gateway: everything jirasync asks of Jira, on Cloud and Data Center alike."""
from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from jirasync.errors import JiraError
from jirasync.gateway.catalog import Catalog
from jirasync.gateway.convert import (
    ISSUE_FIELDS,
    bulk_results,
    edit_body,
    issue_from_json,
    new_issue_entry,
    user_from_json,
    user_ref,
)
from jirasync.gateway.failures import Call, error_for, public_url
from jirasync.gateway.limits import BULK_LIMIT, RECONCILE_LIMIT, SEARCH_PAGE
from jirasync.gateway.permissions import my_permissions
from jirasync.gateway.properties import Entry, PropertyCache
from jirasync.gateway.reading import Answer
from jirasync.gateway.transport import Transport, decode
from jirasync.gateway.types import (
    CreateFailed,
    CreateField,
    CreateResult,
    JiraIssue,
    NewIssue,
    ProjectInfo,
    User,
)
from jirasync.gateway.users import UserDirectory, mention
from jirasync.gateway.workflow import Comment, Transition, Workflow
from jirasync.model import SYNC_PROPERTY


class Gateway:
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
        self._properties = PropertyCache()
        # Keys whose properties were read by key (not from the cache) since the cache was
        # lent, at the version the search showed: a caller about to re-read one for
        # consistency need not read it twice.
        self.read_by_key: set[str] = set()
        # Keys a search left without their properties (``read_properties=False``).
        self.unread: set[str] = set()

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

    def field_id(self, name: str) -> str:
        """The id of a field given its display name (case-insensitive) or its id."""
        return self._catalog.field_id(name)

    # -- reading issues --------------------------------------------------------------

    def search(self, jql: str, *, fields: Sequence[str] = ISSUE_FIELDS,
               properties: Sequence[str] = (SYNC_PROPERTY,), reconcile: Iterable[str | int] = (),
               page_size: int | None = None, limit: int | None = None,
               read_properties: bool = True) -> Iterator[JiraIssue]:
        """Every issue ``jql`` finds (at most ``limit``), fetched page by page.

        The fields JiraIssue needs are always fetched; other ``fields`` (names or ids) land
        in ``JiraIssue.extra``. ``properties`` are the issue properties to return. On Cloud,
        whose search index lags behind writes, ``reconcile`` lists issue ids that must be
        read fresh; Jira accepts 50, so the newest 50 (highest ids) are sent: the most
        recently created are the ones the index is likely to miss. Pages are as large as
        Jira gives (``page_size`` asks for fewer); a shorter page is not the last one.
        On Data Center, ``read_properties=False`` takes properties from the cache only:
        an issue it does not know comes without them and its key is added to ``unread``.
        """
        wanted, extra, epic_link = self._fields_to_read(fields)
        page_size = page_size or SEARCH_PAGE[self.flavour]
        size = min(page_size, limit) if limit else page_size
        if self.flavour == "cloud":
            pages = self._cloud_pages({"jql": jql, "fields": wanted, "maxResults": size,
                                       "properties": list(properties)}, reconcile)
        else:
            pages = self._datacenter_pages(jql, {"fields": wanted, "maxResults": size})
        for raw in islice(pages, limit):
            held = self._properties_of(raw, properties, read=read_properties) \
                if self.flavour == "datacenter" and properties else None
            yield issue_from_json(raw, flavour=self.flavour, epic_link=epic_link, extra=extra,
                                  properties=held)

    def keys(self, jql: str) -> Iterator[str]:
        """The keys of every issue ``jql`` finds. Only keys are asked for: Cloud gives its
        largest pages (5,000) "when requesting `id` or `key` only", and answers ids alone
        for ``id`` (its default); Data Center reads no properties."""
        size = SEARCH_PAGE[self.flavour]
        if self.flavour == "cloud":
            pages = self._cloud_pages({"jql": jql, "fields": ["key"], "maxResults": size}, ())
        else:
            pages = self._datacenter_pages(jql, {"fields": ["key"], "maxResults": size})
        for raw in pages:
            yield raw.text("key", required=True)

    def count(self, jql: str) -> int | None:
        """How many issues ``jql`` finds, exactly: Data Center's search says so in one
        request; Cloud's does not (None)."""
        if self.flavour == "cloud":
            return None
        call = Call("search", "the count", safe=True)
        page = Answer.of(self._t.json(call, "POST", "search", body={
            "jql": jql, "startAt": 0, "maxResults": 0, "fields": ["id"]}), call)
        return page.number("total", required=True)

    def holds_properties(self) -> bool:
        """Whether any issue's properties are cached (Data Center)."""
        return len(self._properties) > 0

    def get_issue(self, key: str, *, fields: Sequence[str] = ISSUE_FIELDS,
                  properties: Sequence[str] = (SYNC_PROPERTY,)) -> JiraIssue | None:
        """One issue read by key (consistent, unlike Cloud's search), None if there is none."""
        wanted, extra, epic_link = self._fields_to_read(fields)
        call = Call("read", f"the read of {key}", safe=True, issue=key, allow=(404,))
        response = self._t.request(call, "GET", f"issue/{key}", params={
            "fields": ",".join(wanted), "properties": ",".join(properties)})
        if response.status_code == 404:
            return None
        data = Answer.of(decode(call, response, self._t.url), call)
        issue = issue_from_json(data, flavour=self.flavour, epic_link=epic_link, extra=extra)
        self._keep_properties(data, properties)
        return issue

    def reread(self, issues: Mapping[str, str | None], *,
               properties: Sequence[str] = (SYNC_PROPERTY,)) -> list[JiraIssue]:
        """The issues ``issues`` (key -> id) read again as Jira holds them now, in one
        search of ``key in (...)`` per 50 rather than one read by key each. On Cloud the
        search names their ids in ``reconcileIssues``, which the index must read fresh;
        on Data Center (whose index is written with the issue) properties come from the
        cache for the very version returned, else are read by key. A key Jira no longer
        has is left out; since one such key fails the whole query, that chunk is read by
        key instead."""
        keys = list(issues)
        out: list[JiraIssue] = []
        for start in range(0, len(keys), RECONCILE_LIMIT):
            chunk = keys[start:start + RECONCILE_LIMIT]
            jql = f"key in ({', '.join(chunk)}) ORDER BY key"
            ids = [i for i in (issues[k] for k in chunk) if i]
            try:
                out += self.search(jql, properties=properties, reconcile=ids)
            except JiraError as e:
                if e.status != 400:
                    raise
                read = (self.get_issue(k, properties=properties) for k in chunk)
                out += [i for i in read if i is not None]
        return out

    def _keep_properties(self, data: Answer, names: Sequence[str]) -> None:
        """On Data Center, properties read by key are cached with the version read."""
        updated = data.section("fields").text("updated")
        if self.flavour == "cloud" or not names or not updated:
            return
        key = data.text("key", required=True)
        properties = {n: v for n, v in data.mapping("properties").items() if n in names}
        self._properties.store(key, updated, names, properties)
        self.unread.discard(key)

    def children_clause(self, keys: Iterable[str]) -> str:
        """JQL for the children of the issues ``keys`` (the Epic Link on Data Center)."""
        joined = ", ".join(f'"{k}"' for k in keys)
        if self.flavour == "cloud" or self._catalog.epic_link_id() is None:
            return f"parent in ({joined})"
        return f'"Epic Link" in ({joined})'

    def _fields_to_read(self, fields: Sequence[str]
                        ) -> tuple[list[str], dict[str, str], str | None]:
        extra = {n: self.field_id(n) for n in fields if n not in ISSUE_FIELDS}
        epic_link = self._catalog.epic_link_id() if self.flavour == "datacenter" else None
        wanted = [*ISSUE_FIELDS, *extra.values(), *filter(None, [epic_link])]
        return list(dict.fromkeys(wanted)), extra, epic_link

    def _cloud_pages(self, body: dict[str, Any], reconcile: Iterable[str | int]
                     ) -> Iterator[Answer]:
        ids = sorted({int(i) for i in reconcile}, reverse=True)[:RECONCILE_LIMIT]
        if ids:
            body = {**body, "reconcileIssues": ids}
        call = Call("search", "the search", safe=True)
        while True:
            page = Answer.of(self._t.json(call, "POST", "search/jql", body=body), call)
            yield from page.objects("issues", required=True)
            token = page.text("nextPageToken")
            if not token or page.flag("isLast"):
                return
            body = {**body, "nextPageToken": token}

    def _datacenter_pages(self, jql: str, body: dict[str, Any]) -> Iterator[Answer]:
        """Pages of Data Center's search. A query in key order pages by key: ``startAt``
        fails past Jira's search window (10,000 results by default)."""
        call = Call("search", "the search", safe=True)
        where, by_key = _key_ordered(jql)
        start, page = 0, Answer.of(self._t.json(call, "POST", "search",
                                                body={**body, "jql": jql, "startAt": 0}), call)
        while True:
            issues, total = page.objects("issues", required=True), \
                page.number("total", required=True)
            yield from issues
            start += len(issues)
            if not issues or len(issues) >= total or (not by_key and start >= total):
                return
            if not by_key:
                page = Answer.of(self._t.json(call, "POST", "search", body={
                    **body, "jql": jql, "startAt": start}), call)
                continue
            page = self._after(call, body, where,
                               [i.text("key", required=True) for i in issues])

    def _after(self, call: Call, body: dict[str, Any], where: str,
               keys: list[str]) -> Answer:
        """The page after ``keys`` in key order. Jira refuses ``key > X`` for an X deleted
        since it was read, so the keys before it are tried in turn."""
        for anchor in reversed(keys):
            query = f'({where}) AND key > "{anchor}" ORDER BY key'
            try:
                return Answer.of(self._t.json(call, "POST", "search", body={
                    **body, "jql": query, "startAt": 0}), call)
            except JiraError as e:
                if e.status != 400:
                    raise
        raise JiraError(f"every issue of a page of the search was deleted "
                            f"while it was read ({keys[0]} to {keys[-1]}); run again")

    def _properties_of(self, raw: Answer, names: Sequence[str], *,
                       read: bool = True) -> dict[str, Any]:
        """The issue properties ``names`` of a Data Center search result, read by key
        unless the cache holds them for this very version (same ``updated``)."""
        key = raw.text("key", required=True)
        updated = raw.section("fields").text("updated")
        held = self._properties.lookup(key, updated, names)
        if held is not None:
            return held
        if not read:
            self.unread.add(key)
            return {}
        call = Call("read", f"the properties of {key}", safe=True, issue=key, allow=(404,))
        response = self._t.request(call, "GET", f"issue/{key}", params={
            "fields": "updated", "properties": ",".join(names)})
        if response.status_code == 404:
            return {}
        data = Answer.of(decode(call, response, self._t.url), call)
        properties = {n: v for n, v in data.mapping("properties").items() if n in names}
        now = data.section("fields").text("updated")
        if now == updated:      # else the search showed an older version than the read
            self.read_by_key.add(key)
        return self._properties.store(key, now, names, properties)

    @contextlib.contextmanager
    def keeping_properties(self, load: Callable[[], Mapping[str, Entry]],
                           save: Callable[[dict[str, Entry]], None] | None) -> Iterator[None]:
        """On Data Center, read issue properties through the cache ``load`` gives (kept
        by an earlier run) for the block, then hand ``save`` what it holds, whatever the
        block's end. Cloud's search returns properties: nothing is loaded nor saved."""
        if self.flavour == "cloud":
            yield
            return
        self._properties = PropertyCache(load())
        self.read_by_key, self.unread = set(), set()
        try:
            yield
        finally:
            if save is not None:
                save(self._properties.entries)

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
                results += self._bulk(entries[start:start + BULK_LIMIT], start)
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
                self._properties.seed(result.key, new.properties)

    def _entry(self, new: NewIssue, project: str) -> dict[str, Any]:
        itype = self._catalog.issue_type(project, new.issue_type)
        return new_issue_entry(new, project=project, issue_type=itype, flavour=self.flavour,
                               field_id=self.field_id)

    def _bulk(self, chunk: list[dict[str, Any]], start: int) -> list[CreateResult]:
        call = Call("bulk-create", f"the creation of {len(chunk)} issues", safe=False,
                    allow=(400,))
        response = self._t.request(call, "POST", "issue/bulk", body={"issueUpdates": chunk})
        # When every element fails Jira answers 400, with the same per-element errors.
        if response.status_code == 400:
            body = _json_or_none(response)
            if not isinstance(body, dict) or not body.get("errors"):
                raise error_for(call, response, self._t.url)
        body = Answer.of(decode(call, response, self._t.url), call)
        return bulk_results(body, start=start, count=len(chunk))

    def edit_issue(self, key: str, *, fields: Mapping[str, Any] | None = None,
                   add_labels: Iterable[str] = (), remove_labels: Iterable[str] = (),
                   comment: str | None = None, properties: Mapping[str, Any] | None = None,
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
        self._properties.forget(key)
        call = Call("edit", f"the edit of {key}", safe=not comment, issue=key)
        self._t.request(call, "PUT", f"issue/{key}", body=body,
                        params=None if notify else {"notifyUsers": "false"})

    def set_property(self, key: str, name: str, value: Any) -> None:
        """Write issue property ``name`` (JSON, at most 32,768 characters)."""
        self._properties.forget(key)
        call = Call("property", f"writing property {name} of {key}", safe=True, issue=key)
        self._t.request(call, "PUT", f"issue/{key}/properties/{name}", body=value)

    def get_property(self, key: str, name: str) -> Any:
        """The value of issue property ``name``, or None if the issue has none."""
        call = Call("property", f"reading property {name} of {key}", safe=True, issue=key,
                    allow=(404,))
        return self._property_value(call, f"issue/{key}/properties/{name}")

    def _property_value(self, call: Call, path: str) -> Any:
        """An entity property's value; None when the entity has no such property."""
        response = self._t.request(call, "GET", path)
        if response.status_code == 404:
            # Jira answers 404 both for a missing property and a missing issue or project.
            if "propert" in response.text.lower():
                return None
            raise error_for(call, response, self._t.url)
        return Answer.of(decode(call, response, self._t.url), call).present("value")

    def project_property_keys(self, project: str | None = None) -> list[str]:
        """The names of the project's properties."""
        project = project or self._default_project
        call = Call("project-property", "listing project properties", safe=True)
        data = Answer.of(self._t.json(call, "GET", f"project/{project}/properties"), call)
        return [k.text("key", required=True) for k in data.objects("keys", required=True)]

    def get_project_property(self, name: str, project: str | None = None) -> Any:
        """The value of project property ``name``, or None if the project has none."""
        project = project or self._default_project
        call = Call("project-property", f"reading project property {name}", safe=True,
                    allow=(404,))
        return self._property_value(call, f"project/{project}/properties/{name}")

    def put_project_property(self, name: str, value: Any, *, project: str | None = None,
                             once: bool = False) -> bool:
        """Write project property ``name``; True if Jira created it (201), False if it
        replaced a value (200). With ``once`` the request is never resent after a lost
        answer (a resend would answer 200 for our own create): it fails maybe-applied."""
        project = project or self._default_project
        call = Call("project-property", f"writing project property {name}", safe=not once)
        response = self._t.request(call, "PUT", f"project/{project}/properties/{name}",
                                   body=value)
        return response.status_code == 201

    def delete_project_property(self, name: str, project: str | None = None) -> None:
        """Remove project property ``name``; a property already gone is not an error."""
        project = project or self._default_project
        call = Call("project-property", f"removing project property {name}", safe=True,
                    allow=(404,))
        self._t.request(call, "DELETE", f"project/{project}/properties/{name}")

    def add_comment(self, key: str, body: str) -> str:
        """Add a comment (wiki markup); its id. Never resent: see the transport rules."""
        call = Call("comment", f"the comment on {key}", safe=False, issue=key)
        answer = Answer.of(self._t.json(call, "POST", f"issue/{key}/comment",
                                        body={"body": body}), call)
        return answer.ident("id", required=True)

    def comments(self, key: str) -> list[Comment]:
        """Every comment of ``key``, oldest first (owners' answers: see workflow.py)."""
        return self._workflow.comments(key)

    def transitions(self, key: str) -> list[Transition]:
        """The transitions Jira offers on ``key`` now, with their screens' fields."""
        return self._workflow.transitions(key)

    def transition_issue(self, key: str, transition: str, *, resolution: str | None = None,
                         comment: str | None = None,
                         properties: Mapping[str, Any] | None = None) -> None:
        """One atomic transition with its resolution, a comment and properties."""
        self._properties.forget(key)
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


_ORDER_BY_KEY = re.compile(r"^(?P<where>.*\S)\s+ORDER\s+BY\s+key(\s+ASC)?\s*$",
                           re.IGNORECASE | re.DOTALL)


def _key_ordered(jql: str) -> tuple[str, bool]:
    """The conditions of ``jql``, and whether it is ordered by key ascending."""
    match = _ORDER_BY_KEY.match(jql)
    return (match["where"], True) if match else (jql, False)


def _json_or_none(response: Any) -> Any:
    """A refusal's body when it is JSON (its details are read best effort), else None."""
    try:
        return response.json()
    except ValueError:
        return None
