"""The sandbox Confluence's REST API: the operations jirasync's publish uses, in the
request and answer shapes of Atlassian's published contract (tests/conformance/
test_confluence_contract.py quotes it). Cloud: ``/wiki/api/v2`` pages and properties,
``/wiki/rest/api`` labels, CQL search and attachments. Data Center: ``/confluence/rest/api``."""
from __future__ import annotations

from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs, unquote

from .confluence import Site, WikiPage
from .replies import ApiError
from .request import ApiRequest
from .router import Route
from .router import route as _r

CLOUD, DC = "/wiki", "/confluence"
V2, V1 = "/api/v2", "/rest/api"
# "you must set a `X-Atlassian-Token: nocheck` header on the request for this method,
# otherwise it will be blocked" (Atlassian's XSRF guard also takes "no-check").
NO_CHECK = ("nocheck", "no-check")


def serves(path: str, cloud: bool) -> bool:
    """Whether a path is the Confluence side of this flavour's sandbox."""
    prefix = CLOUD if cloud else DC
    return path == prefix or path.startswith(prefix + "/")


def prepare(inst: Any, method: str, path: str, query: str, headers: dict[str, str],
            body: bytes, authenticate: Callable[[dict[str, str], bool], str | None]
            ) -> tuple[ApiRequest, Callable[..., Any], str]:
    """The request, its handler and its log kind; ApiError 404/405/401/403 before that."""
    route, params = resolve(method, path, inst.cloud)
    actor = authenticate(headers, route.anonymous)
    lowered = {k.lower(): v for k, v in headers.items()}
    if route.kind.startswith("attachment") and method == "POST" \
            and lowered.get("x-atlassian-token") not in NO_CHECK:
        raise ApiError(403, "XSRF check failed")
    parsed: Any = _body(lowered.get("content-type", ""), body)
    request = ApiRequest(method, path, parse_qs(query, keep_blank_values=True), parsed,
                         actor, params)
    return request, route.handler, route.kind


def kind_of(method: str, path: str, cloud: bool) -> str:
    try:
        return resolve(method, path, cloud)[0].kind
    except ApiError:
        return "unknown"


def resolve(method: str, path: str, cloud: bool) -> tuple[Route, dict[str, str]]:
    rest = path.removeprefix(CLOUD if cloud else DC)
    allowed = False
    for route in CLOUD_ROUTES if cloud else DC_ROUTES:
        found = route.pattern.match(rest)
        if found and route.method == method:
            return route, {k: unquote(v) for k, v in found.groupdict().items()}
        allowed = allowed or bool(found)
    if allowed:
        raise ApiError(405, f"Method {method} is not allowed on {path}.")
    raise ApiError(404, f"No resource found for {path}.")


def _body(content_type: str, body: bytes) -> Any:
    if not body:
        from .request import NO_BODY
        return NO_BODY
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        parts: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True)
            parts[str(name)] = (part.get_filename(), data if isinstance(data, bytes) else b"")
        return parts
    import json
    try:
        return json.loads(body)
    except ValueError as e:
        raise ApiError(400, f"Unexpected character in the request body: {e}") from None


# -- the site the request is about -------------------------------------------------


def site(inst: Any) -> Site:
    wiki: Site = inst.wiki
    return wiki


def page_of(inst: Any, page_id: str) -> WikiPage:
    page = site(inst).pages.get(page_id)
    if page is None:
        raise ApiError(404, f"No content found with id: ContentId{{id={page_id}}}")
    return page


def web_path(inst: Any, page: WikiPage) -> str:
    if inst.cloud:
        return f"/spaces/{page.space}/pages/{page.id}"
    return f"/pages/viewpage.action?pageId={page.id}"


def _version(inst: Any, number: int, by: str, when: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"number": number, "message": "", "minorEdit": False,
                           "createdAt" if inst.cloud else "when": when.isoformat()}
    out["authorId" if inst.cloud else "by"] = by if inst.cloud else \
        {"type": "known", "username": by}
    return out


# -- shapes ------------------------------------------------------------------------


def page_v2(inst: Any, page: WikiPage, body: bool, *, listed: bool = False
            ) -> dict[str, Any]:
    """A v2 ``PageSingle`` (``PageBulk`` when ``listed``: no ``_links.base``); its body
    only when ``body-format`` asked for it."""
    space = site(inst).spaces[page.space]
    out: dict[str, Any] = {
        "id": page.id, "status": "current", "title": page.title, "spaceId": space["id"],
        "authorId": page.author, "ownerId": page.author,
        "createdAt": page.created.isoformat(),
        "version": _version(inst, page.version, page.editor, page.edited or page.created),
        "_links": {"webui": web_path(inst, page)}}
    if not listed:
        out["_links"]["base"] = inst.base_url + CLOUD
    if page.parent_id:      # the contract's parentType is an enum, never null
        out.update(parentId=page.parent_id, parentType="page")
    if body:
        out["body"] = {"storage": {"representation": "storage", "value": page.body}}
    return out


INCLUDED = 50   # "The number of results will be limited to 50"


def included_properties(inst: Any, page: WikiPage) -> dict[str, Any]:
    """A v2 page's ``properties`` as ``include-properties`` gives them: at most 50, "sorted
    in the default sort order" (by key, the sort's only field), ``meta.hasMore`` past that."""
    found = sorted(page.properties.values(), key=lambda p: p.key)
    out: dict[str, Any] = {"results": [property_json(inst, p) for p in found[:INCLUDED]],
                           "meta": {"hasMore": len(found) > INCLUDED}}
    if len(found) > INCLUDED:
        out["_links"] = {"self": f"{CLOUD}{V2}/pages/{page.id}/properties"}
    return out


def content_v1(inst: Any, page: WikiPage, expand: set[str]) -> dict[str, Any]:
    """A v1 ``Content`` of type page; ``expand`` as the request asked."""
    prefix = CLOUD if inst.cloud else DC
    out: dict[str, Any] = {"id": page.id, "type": "page", "status": "current",
                           "title": page.title,
                           "_links": {"webui": web_path(inst, page),
                                      "self": f"{inst.base_url}{prefix}{V1}/content/{page.id}"},
                           "_expandable": {"body": "", "version": "", "history": ""}}
    if "version" in expand:
        out["version"] = _version(inst, page.version, page.editor, page.edited or page.created)
    if "history" in expand:
        who = {"type": "known", "accountId" if inst.cloud else "username": page.author}
        out["history"] = {"createdBy": who, "createdDate": page.created.isoformat(),
                          "latest": True}
    if "body.storage" in expand:
        out["body"] = {"storage": {"value": page.body, "representation": "storage"}}
    if "ancestors" in expand:
        out["ancestors"] = [{"id": page.parent_id, "type": "page", "status": "current"}] \
            if page.parent_id else []
    if "metadata.labels" in expand:
        out["metadata"] = {"labels": {"results": [label_json(n) for n in page.labels],
                                      "size": len(page.labels)}}
    if "space" in expand:
        out["space"] = {"key": page.space}
    return out


def label_json(name: str) -> dict[str, str]:
    """A v1 ``Label``: the contract requires all four."""
    return {"prefix": "global", "name": name, "id": name, "label": name}


def property_json(inst: Any, prop: Any) -> dict[str, Any]:
    out = {"id": prop.id, "key": prop.key, "value": prop.value,
           "version": {"number": prop.version, "minorEdit": False}}
    if not inst.cloud:      # v1's ContentProperty requires its _links and these
        out["_links"] = {"self": f"{inst.base_url}{DC}{V1}/content/property/{prop.id}"}
        out["version"].update(when=inst.now().isoformat(), message="")
    return out


def attachment_json(inst: Any, page: WikiPage, att: Any) -> dict[str, Any]:
    prefix = CLOUD if inst.cloud else DC
    return {"id": att.id, "type": "attachment", "status": "current", "title": att.title,
            "version": {"number": att.version, "minorEdit": True,
                        "when": (page.edited or page.created).isoformat()},
            "metadata": {"mediaType": att.media_type, "comment": att.comment},
            "extensions": {"mediaType": att.media_type, "fileSize": att.size,
                           "comment": att.comment},
            "_links": {"download": f"/download/attachments/{page.id}/{att.title}"
                                   f"?version={att.version}",
                       "self": f"{inst.base_url}{prefix}{V1}/content/{att.id}"}}


def listing(results: list[Any], start: int = 0, limit: int = 25,
            more: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"results": results, "start": start, "limit": limit,
                           "size": len(results), "_links": {}}
    if more:
        out["_links"]["next"] = f"?start={start + limit}&limit={limit}"
    return out


from . import confluence_files as files
from . import confluence_ops as ops
from .confluence_perms import space_operations
from .confluence_view import attachment_reply, view_page

# Both flavours' v1 operations: the current user, labels and attachments (Cloud still
# serves these on v1), and attachments downloaded.
V1_SHARED = (
    _r("GET", V1 + "/user/current", "wiki-user", ops.current_user),
    _r("POST", V1 + "/content/{id}/label", "wiki-label", ops.add_labels),
    _r("GET", V1 + "/content/{id}/child/attachment", "attachment-list", files.attachments),
    _r("POST", V1 + "/content/{id}/child/attachment", "attachment-create", files.attach),
    _r("POST", V1 + "/content/{id}/child/attachment/{att}/data", "attachment-update",
       files.attach_data),
    _r("GET", "/download/attachments/{id}/{name}", "wiki-view", attachment_reply,
       anonymous=True),
)

CLOUD_ROUTES = (
    _r("GET", V2 + "/spaces", "wiki-space", ops.spaces_v2),
    _r("GET", V2 + "/spaces/{id}/operations", "wiki-space", space_operations),
    _r("GET", V2 + "/pages", "wiki-page", ops.pages_v2),
    _r("POST", V2 + "/pages", "page-create", ops.create_v2),
    _r("GET", V2 + "/pages/{id}", "wiki-page", ops.page_get_v2),
    _r("PUT", V2 + "/pages/{id}", "page-update", ops.update_v2),
    _r("GET", V2 + "/pages/{id}/properties", "wiki-property", ops.properties_v2),
    _r("POST", V2 + "/pages/{id}/properties", "wiki-property", ops.add_property_v2),
    _r("PUT", V2 + "/pages/{id}/properties/{property}", "wiki-property", ops.set_property_v2),
    _r("GET", V1 + "/content/search", "wiki-search", ops.search),
    _r("GET", "/spaces/{space}/pages/{id}", "wiki-view", view_page, anonymous=True),
    _r("GET", "/spaces/{space}/pages/{id}/{slug}", "wiki-view", view_page, anonymous=True),
    *V1_SHARED,
)

DC_ROUTES = (
    _r("GET", V1 + "/space/{space}", "wiki-space", ops.space_v1),
    _r("GET", V1 + "/content", "wiki-page", ops.contents_v1),
    _r("POST", V1 + "/content", "page-create", ops.create_v1),
    _r("GET", V1 + "/content/search", "wiki-search", ops.search),
    _r("GET", V1 + "/content/{id}", "wiki-page", ops.content_get_v1),
    _r("PUT", V1 + "/content/{id}", "page-update", ops.update_v1),
    _r("GET", V1 + "/content/{id}/property/{key}", "wiki-property", ops.property_v1),
    _r("POST", V1 + "/content/{id}/property", "wiki-property", ops.add_property_v1),
    _r("PUT", V1 + "/content/{id}/property/{key}", "wiki-property", ops.set_property_v1),
    _r("GET", "/pages/viewpage.action", "wiki-view", view_page, anonymous=True),
    *V1_SHARED,
)
