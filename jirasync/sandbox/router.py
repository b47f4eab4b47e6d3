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


def route(method: str, template: str, kind: str, handler: Callable[..., Any], *,
           anonymous: bool = False) -> Route:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return Route(method, re.compile(f"^{regex}$"), kind, handler, anonymous)


ROUTES = (
    route("GET", "/serverInfo", "serverInfo", meta.server_info, anonymous=True),
    route("GET", "/myself", "myself", meta.myself),
    route("GET", "/field", "field", meta.fields),
    route("GET", "/issuetype", "issuetype", meta.issue_types),
    route("GET", "/project/{project}", "project", meta.project),
    route("GET", "/project/{project}/properties", "project-property", project.property_keys),
    route("GET", "/project/{project}/properties/{property}", "project-property",
           project.get_property),
    route("PUT", "/project/{project}/properties/{property}", "project-property",
           project.set_property),
    route("DELETE", "/project/{project}/properties/{property}", "project-property",
           project.delete_property),
    route("GET", "/issue/createmeta/{project}/issuetypes", "createmeta", meta.createmeta_types),
    route("GET", "/issue/createmeta/{project}/issuetypes/{type}", "createmeta",
           meta.createmeta_fields),
    route("POST", "/issue", "create", issues.create),
    route("POST", "/issue/bulk", "bulk-create", issues.bulk_create),
    route("GET", "/issue/{issue}", "get", issues.get_issue),
    route("PUT", "/issue/{issue}", "edit", issues.edit),
    route("PUT", "/issue/{issue}/assignee", "assignee", issues.assign),
    route("GET", "/issue/{issue}/transitions", "transition", issues.transitions),
    route("POST", "/issue/{issue}/transitions", "transition", issues.transition),
    route("GET", "/issue/{issue}/comment", "comment", activity.comments),
    route("POST", "/issue/{issue}/comment", "comment", activity.add_comment),
    route("GET", "/issue/{issue}/comment/{comment}", "comment", activity.comment),
    route("POST", "/issue/{issue}/notify", "notify", activity.notify),
    route("GET", "/issue/{issue}/properties", "property", activity.property_keys),
    route("GET", "/issue/{issue}/properties/{property}", "property", activity.get_property),
    route("PUT", "/issue/{issue}/properties/{property}", "property", activity.set_property),
    route("GET", "/search", "search", search.search_legacy),
    route("POST", "/search", "search", search.search_legacy),
    route("GET", "/search/jql", "search", search.search_jql),
    route("POST", "/search/jql", "search", search.search_jql),
    route("GET", "/issueLinkType", "link-type", meta.link_types),
    route("POST", "/issueLink", "link", activity.link),
    route("GET", "/user/search", "user-search", meta.user_search),
    route("GET", "/user/assignable/search", "assignable-search", meta.assignable_search),
    route("GET", "/mypermissions", "permissions", permissions.my_permissions),
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
