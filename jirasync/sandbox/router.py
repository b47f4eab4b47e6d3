"""Which handler answers which request, and the short kind name the request log uses."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from . import api_activity as activity
from . import api_issues as issues
from . import api_meta as meta
from . import api_project as project
from . import permissions, search
from .replies import ApiError

PREFIX = re.compile(r"^/rest/api/(?:2|latest)(/.*)$")


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    kind: str
    handler: Callable[..., Any]
    anonymous: bool = False


def _route(method: str, template: str, kind: str, handler: Callable[..., Any], *,
           anonymous: bool = False) -> Route:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return Route(method, re.compile(f"^{regex}$"), kind, handler, anonymous)


ROUTES = (
    _route("GET", "/serverInfo", "serverInfo", meta.server_info, anonymous=True),
    _route("GET", "/myself", "myself", meta.myself),
    _route("GET", "/field", "field", meta.fields),
    _route("GET", "/issuetype", "issuetype", meta.issue_types),
    _route("GET", "/project/{project}", "project", meta.project),
    _route("GET", "/project/{project}/properties", "project-property", project.property_keys),
    _route("GET", "/project/{project}/properties/{property}", "project-property",
           project.get_property),
    _route("PUT", "/project/{project}/properties/{property}", "project-property",
           project.set_property),
    _route("DELETE", "/project/{project}/properties/{property}", "project-property",
           project.delete_property),
    _route("GET", "/issue/createmeta/{project}/issuetypes", "createmeta", meta.createmeta_types),
    _route("GET", "/issue/createmeta/{project}/issuetypes/{type}", "createmeta",
           meta.createmeta_fields),
    _route("POST", "/issue", "create", issues.create),
    _route("POST", "/issue/bulk", "bulk-create", issues.bulk_create),
    _route("GET", "/issue/{issue}", "get", issues.get_issue),
    _route("PUT", "/issue/{issue}", "edit", issues.edit),
    _route("PUT", "/issue/{issue}/assignee", "assignee", issues.assign),
    _route("GET", "/issue/{issue}/transitions", "transition", issues.transitions),
    _route("POST", "/issue/{issue}/transitions", "transition", issues.transition),
    _route("GET", "/issue/{issue}/comment", "comment", activity.comments),
    _route("POST", "/issue/{issue}/comment", "comment", activity.add_comment),
    _route("GET", "/issue/{issue}/comment/{comment}", "comment", activity.comment),
    _route("POST", "/issue/{issue}/notify", "notify", activity.notify),
    _route("GET", "/issue/{issue}/properties", "property", activity.property_keys),
    _route("GET", "/issue/{issue}/properties/{property}", "property", activity.get_property),
    _route("PUT", "/issue/{issue}/properties/{property}", "property", activity.set_property),
    _route("GET", "/search", "search", search.search_legacy),
    _route("POST", "/search", "search", search.search_legacy),
    _route("GET", "/search/jql", "search", search.search_jql),
    _route("POST", "/search/jql", "search", search.search_jql),
    _route("GET", "/issueLinkType", "link-type", meta.link_types),
    _route("POST", "/issueLink", "link", activity.link),
    _route("GET", "/user/search", "user-search", meta.user_search),
    _route("GET", "/user/assignable/search", "assignable-search", meta.assignable_search),
    _route("GET", "/mypermissions", "permissions", permissions.my_permissions),
)


@dataclass(frozen=True)
class Match:
    route: Route
    params: dict[str, str]


def resolve(method: str, path: str) -> Match:
    """The route for a request, or ApiError 404 (no such resource) / 405 (wrong method)."""
    prefixed = PREFIX.match(path)
    rest = prefixed.group(1) if prefixed else None
    allowed = False
    for route in ROUTES if rest is not None else ():
        found = route.pattern.match(rest or "")      # (rest is not None here)
        if found and route.method == method:
            return Match(route, {k: unquote(v) for k, v in found.groupdict().items()})
        allowed = allowed or bool(found)
    if allowed:
        raise ApiError(405, f"Method {method} is not allowed on {path}.")
    raise ApiError(404, f"No resource found for {path}.")


def kind_of(method: str, path: str) -> str:
    """The log kind of a request, even one that no route answers."""
    try:
        return resolve(method, path).route.kind
    except ApiError:
        return "unknown"
