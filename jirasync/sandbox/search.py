"""JQL search: Cloud's ``/search/jql`` (page tokens, reconcile) and DC's ``/search``.

A search evaluates the JQL over every issue of the sandbox as the (possibly lagging)
index sees it. Paging through a large result re-runs nothing: the sorted result is kept
until the next write or for a second, whichever comes first.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from collections import OrderedDict
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .catalog import CATEGORIES, EPIC_LINK, status
from .jql import JqlContext, JqlError, named_issues, parse
from .model import Issue
from .render import Renderer, select_fields
from .replies import ApiError, Reply, bad_request, invalid_payload

if TYPE_CHECKING:
    from .instance import Instance
    from .request import ApiRequest

MAX_RECONCILE = 50
MAX_PROPERTIES = 5
MAX_RESULT_WINDOW = 10000     # Data Center's index.max_result_window
CLOUD_BODY_KEYS = frozenset({"jql", "nextPageToken", "maxResults", "fields", "expand",
                             "properties", "fieldsByKeys", "reconcileIssues"})
DC_BODY_KEYS = frozenset({"jql", "startAt", "maxResults", "fields", "expand",
                          "validateQuery", "fieldsByKeys"})
UNBOUNDED = re.compile(r"\s*(order\s+by\b.*)?", re.IGNORECASE | re.DOTALL)
REUSE_FOR = timedelta(seconds=1)
GONE = ("The requested API has been removed. Please migrate to the /rest/api/3/search/jql "
        "API. A full migration guideline is available at "
        "https://developer.atlassian.com/changelog/#CHANGE-2046")


@lru_cache(maxsize=256)
def _parse(jql: str) -> Any:
    try:
        return parse(jql), named_issues(jql)
    except JqlError as e:
        raise bad_request(*e.messages) from None


class SearchIndex:
    """Runs JQL over the store, caching rows per issue version and recent results."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self._rows: dict[int, tuple[Issue, dict[str, Any]]] = {}
        self._results: OrderedDict[tuple[Any, ...], tuple[Any, list[Issue]]] = OrderedDict()

    def find(self, jql: str, user_id: str | None,
             reconcile: frozenset[int] = frozenset()) -> list[Issue]:
        """The issues matching ``jql`` in ORDER BY order, as the index sees them."""
        now = self.inst.now()
        key = (jql, user_id, reconcile, self.inst.store.generation)
        hit = self._results.get(key)
        if hit is not None and timedelta(0) <= now - hit[0] < REUSE_FOR:
            return hit[1]
        query, named = _parse(jql)
        missing = [f"An issue with key '{key}' does not exist for field '{field}'."
                   for field, key in named if self.inst.store.get(key) is None]
        if missing:
            raise bad_request(*missing)
        ctx = JqlContext(now=now, current_user=user_id)
        matched: dict[int, Issue] = {}
        rows = []
        for issue in self.inst.store.searchable(reconcile):
            row = self.row(issue)
            if query.matches(row, ctx):
                rows.append(row)
                matched[issue.id] = issue
        found = [matched[r["id"]] for r in query.sort(rows)]
        self._results[key] = (now, found)
        if len(self._results) > 16:
            self._results.popitem(last=False)
        return found

    def row(self, issue: Issue) -> dict[str, Any]:
        """What the JQL evaluator reads about one issue version."""
        cached = self._rows.get(issue.id)
        if cached is not None and cached[0] is issue:
            return cached[1]
        row = {"project": issue.project, "key": issue.key, "id": issue.id,
               "issuetype": issue.issue_type, "parent": issue.parent,
               "epic link": self._epic(issue), "labels": list(issue.labels),
               "status": issue.status, "statuscategory": CATEGORIES[status(issue.status).category][1],
               "resolution": issue.resolution, "assignee": issue.assignee,
               "reporter": issue.reporter, "duedate": issue.duedate, "created": issue.created,
               "updated": issue.updated, "resolutiondate": issue.resolutiondate,
               "summary": issue.summary, "description": issue.description}
        self._rows[issue.id] = (issue, row)
        return row

    def _epic(self, issue: Issue) -> str | None:
        if not self.inst.cloud:
            return issue.custom.get(EPIC_LINK)
        parent = self.inst.store.get(issue.parent) if issue.parent else None
        return parent.key if parent is not None and parent.issue_type == "Epic" else None


def search_jql(inst: Instance, req: ApiRequest) -> Reply:
    """Cloud's enhanced search; Data Center has no such resource."""
    if not inst.cloud:
        raise ApiError(404, f"No resource found for {req.path}")
    spec = _cloud_spec(req)
    jql = _text(spec.get("jql", ""))
    if UNBOUNDED.fullmatch(jql):
        raise bad_request("Unbounded JQL queries are not allowed here. Please add a search "
                          "restriction to your query.")
    reconcile = _reconcile(spec.get("reconcileIssues", []))
    if not isinstance(spec.get("expand", ""), str):
        # "`expand` is defined as a comma-delimited string of values", not a list.
        raise invalid_payload()
    asked = _strings(spec.get("fields", [])) or ["id"]
    fields = select_fields(inst, asked, "id")
    # "The greatest number of items returned per page is achieved when requesting `id` or
    # `key` only. It returns max 5000 issues"; with fields, fewer (100 here, as Cloud today).
    size = _page_size(spec.get("maxResults", 50), 5000 if set(asked) <= {"id", "key"} else 100)
    start = _offset(spec.get("nextPageToken"))
    found = inst.search.find(jql, req.actor, reconcile)
    page = found[start:start + size]
    if set(asked) == {"id"}:
        # "`id` Returns only issue IDs ... The default is `id`": no key, no self, no fields.
        _render(inst, [], fields, spec.get("properties"))   # the properties are still checked
        issues: list[Any] = [{"id": str(issue.id)} for issue in page]
    else:
        issues = _render(inst, page, fields, spec.get("properties"))
    body: dict[str, Any] = {"issues": issues}
    if start + size < len(found):
        body["nextPageToken"] = _token(start + size)
    body["isLast"] = "nextPageToken" not in body
    return Reply(200, body)


def search_legacy(inst: Instance, req: ApiRequest) -> Reply:
    """Data Center's search with startAt/total; removed from Cloud (410)."""
    if inst.cloud:
        raise ApiError(410, GONE)
    spec = _dc_spec(req)
    jql = _text(spec.get("jql", ""))
    fields = select_fields(inst, _strings(spec.get("fields", [])), "*navigable")
    size = _page_size(spec.get("maxResults", 50), 1000, minimum=0)
    start = _number(spec.get("startAt", 0), "startAt")
    if start < 0:
        raise bad_request("The 'startAt' parameter must not be negative.")
    if start >= MAX_RESULT_WINDOW:
        raise ApiError(500, "Search limit exceeded: startAt is past the search window "
                            f"(max_result_window {MAX_RESULT_WINDOW}).")
    found = inst.search.find(jql, req.actor)
    page = found[start:start + size]
    # Data Center's search has no ``properties``: a GET ignores the parameter (and a POST
    # refuses the field, in _dc_spec), so issue properties are never in its results.
    return Reply(200, {"expand": "schema,names", "startAt": start, "maxResults": size,
                       "total": len(found), "issues": _render(inst, page, fields, [])})


def _cloud_spec(req: ApiRequest) -> dict[str, Any]:
    if req.method == "POST":
        return _body(req, CLOUD_BODY_KEYS)
    spec: dict[str, Any] = {k: req.arg(k) for k in ("jql", "nextPageToken", "maxResults")
                            if req.arg(k) is not None}
    spec.update(fields=req.args("fields"), properties=req.args("properties"),
                reconcileIssues=req.args("reconcileIssues"))
    return spec


def _dc_spec(req: ApiRequest) -> dict[str, Any]:
    if req.method == "POST":
        return _body(req, DC_BODY_KEYS)
    spec: dict[str, Any] = {k: req.arg(k) for k in ("jql", "startAt", "maxResults")
                            if req.arg(k) is not None}
    spec.update(fields=req.args("fields"), properties=req.args("properties"))
    return spec


def _body(req: ApiRequest, allowed: frozenset[str]) -> dict[str, Any]:
    body = req.json_object()
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise bad_request(f'Unrecognized field "{unknown[0]}".',
                          "Invalid request payload. Refer to the REST API documentation and "
                          "try again.")
    return {k: v for k, v in body.items() if v is not None}


def _render(inst: Instance, page: list[Issue], fields: tuple[str, ...], props: Any) -> list[Any]:
    keys = tuple(_strings(props or []))
    if len(keys) > MAX_PROPERTIES:
        raise bad_request(f"At most {MAX_PROPERTIES} issue properties can be requested.")
    renderer = Renderer(inst)
    return [renderer.issue(issue, fields, keys) for issue in page]


def _strings(value: Any) -> list[str]:
    values = [value] if isinstance(value, str) else value
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        return [p.strip() for v in values for p in v.split(",") if p.strip()]
    raise invalid_payload()


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise invalid_payload()


def _number(value: Any, name: str) -> int:
    try:
        if isinstance(value, bool):
            raise TypeError
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"The '{name}' parameter must be a number.") from None


def _page_size(value: Any, cap: int, minimum: int = 1) -> int:
    size = _number(value, "maxResults")
    if size < minimum:
        raise bad_request(f"The 'maxResults' parameter must be at least {minimum}.")
    return min(size, cap)


def _reconcile(value: Any) -> frozenset[int]:
    ids = [_number(v, "reconcileIssues") for v in (value if isinstance(value, list) else [value])]
    if len(ids) > MAX_RECONCILE:
        raise bad_request(f"At most {MAX_RECONCILE} issues can be reconciled.")
    return frozenset(ids)


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def _offset(token: Any) -> int:
    if token is None:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(str(token).encode()))["offset"]
        if isinstance(offset, int) and offset >= 0:
            return offset
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise bad_request("The nextPageToken is invalid.")
