"""What each Confluence request does to the sandbox's site (``confluence_api`` routes them
here). Versions are checked as Confluence checks them: an update must give the current
version plus one, else 409 Conflict."""
from __future__ import annotations

import re
from typing import Any

from .confluence import Property, WikiPage
from .confluence_api import (
    content_v1,
    included_properties,
    label_json,
    listing,
    page_of,
    page_v2,
    property_json,
    site,
)
from .confluence_perms import require_write
from .confluence_search import search_next, search_start
from .replies import ApiError, Reply
from .request import ApiRequest

TITLE_TAKEN = "A page with this title already exists: A page already exists with the " \
              "same TITLE in this space"
CQL_TERM = re.compile(r'\s*(\w+)\s*=\s*(?:"([^"]*)"|(\w[\w.-]*))\s*')
MAX_LIMIT = 250


def _stale(current: int, given: Any) -> ApiError:
    return ApiError(409, f"Version must be incremented on update. Current version is: "
                         f"{current}. Provided version: {given}")


def _storage(body: Any) -> str:
    """The storage value of a v2 body ({representation, value}) or a v1 one."""
    if isinstance(body, dict) and "storage" in body:
        body = body["storage"]
    if not isinstance(body, dict) or body.get("representation") != "storage" \
            or not isinstance(body.get("value"), str):
        raise ApiError(400, "The body must be in the storage representation")
    return str(body["value"])


def _obj(req: ApiRequest) -> dict[str, Any]:
    return req.json_object()


def _expand(req: ApiRequest) -> set[str]:
    return set(req.args("expand"))


# -- spaces ------------------------------------------------------------------------


def spaces_v2(inst: Any, req: ApiRequest) -> Reply:
    keys = set(req.args("keys"))
    found = [{"id": s["id"], "key": s["key"], "name": s["name"], "type": "global",
              "status": "current", "homepageId": s["homepageId"]}
             for s in site(inst).spaces.values() if not keys or s["key"] in keys]
    return Reply(200, {"results": found, "_links": {}})


def space_v1(inst: Any, req: ApiRequest) -> Reply:
    space = site(inst).spaces.get(req.params["space"])
    if space is None:
        raise ApiError(404, f"No space with key : {req.params['space']}")
    return Reply(200, {"id": int(space["id"]), "key": space["key"], "name": space["name"],
                       "type": "global", "status": "current",
                       "homepage": {"id": space["homepageId"], "type": "page",
                                    "status": "current"},
                       "_expandable": {}, "_links": {}})


# -- pages -------------------------------------------------------------------------


def pages_v2(inst: Any, req: ApiRequest) -> Reply:
    spaces = set(req.args("space-id"))
    title = req.arg("title")
    keys = {k for k, s in site(inst).spaces.items() if s["id"] in spaces}
    found = [page_v2(inst, p, False, listed=True) for p in site(inst).pages.values()
             if (not spaces or p.space in keys) and (title is None or p.title == title)]
    return Reply(200, {"results": found[:req.int_arg("limit", 25)], "_links": {}})


def page_get_v2(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    out = page_v2(inst, page, req.arg("body-format") == "storage")
    if req.arg("include-properties") == "true":
        out["properties"] = included_properties(inst, page)
    return Reply(200, out)


def create_v2(inst: Any, req: ApiRequest) -> Reply:
    body = _obj(req)
    space = site(inst).space_by_id(str(body.get("spaceId")))
    if space is None:
        raise ApiError(400, "spaceId: the space does not exist")
    page = _create(inst, req, space["key"], body.get("title"), body.get("parentId"),
                   _storage(body.get("body")))
    return Reply(200, page_v2(inst, page, True))


def update_v2(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    body = _obj(req)
    if str(body.get("id")) != page.id or body.get("status") not in ("current", "draft"):
        raise ApiError(400, "id and status are required, id the page's")    # required
    _update(inst, req, page, (body.get("version") or {}).get("number"), body.get("title"),
            _storage(body.get("body")))
    return Reply(200, page_v2(inst, page, True))


def contents_v1(inst: Any, req: ApiRequest) -> Reply:
    space, title = req.arg("spaceKey"), req.arg("title")
    found = [content_v1(inst, p, _expand(req)) for p in site(inst).pages.values()
             if (space is None or p.space == space) and (title is None or p.title == title)]
    return Reply(200, listing(found, limit=req.int_arg("limit", 25)))


def content_get_v1(inst: Any, req: ApiRequest) -> Reply:
    return Reply(200, content_v1(inst, page_of(inst, req.params["id"]), _expand(req)))


def create_v1(inst: Any, req: ApiRequest) -> Reply:
    body = _obj(req)
    key = (body.get("space") or {}).get("key")
    if key not in site(inst).spaces:
        raise ApiError(400, f"No space with key : {key}")
    ancestors = body.get("ancestors") or []
    parent = str(ancestors[-1]["id"]) if ancestors else None
    page = _create(inst, req, key, body.get("title"), parent, _storage(body.get("body")))
    return Reply(200, content_v1(inst, page, {"version", "body.storage", "history"}))


def update_v1(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    body = _obj(req)
    if body.get("type") != "page":      # required: title, type, version
        raise ApiError(400, "type is required")
    _update(inst, req, page, (body.get("version") or {}).get("number"), body.get("title"),
            _storage(body.get("body")))
    return Reply(200, content_v1(inst, page, {"version", "body.storage"}))


def _create(inst: Any, req: ApiRequest, space: str, title: Any, parent: Any,
            storage: str) -> WikiPage:
    require_write(inst, req, v2=inst.cloud)
    if not isinstance(title, str) or not title.strip():
        raise ApiError(400, "Title is required")
    if parent is not None:
        page_of(inst, str(parent))
    if site(inst).titled(space, title) is not None:
        raise ApiError(400, TITLE_TAKEN)
    return site(inst).add_page(space, title, str(parent) if parent else None,
                               str(req.actor), inst.now(), storage)


def _update(inst: Any, req: ApiRequest, page: WikiPage, number: Any, title: Any,
            storage: str) -> None:
    require_write(inst, req, v2=inst.cloud)
    if number != page.version + 1:
        raise _stale(page.version, number)
    if not isinstance(title, str) or not title.strip():
        raise ApiError(400, "Title is required")
    other = site(inst).titled(page.space, title)
    if other is not None and other is not page:
        raise ApiError(400, TITLE_TAKEN)
    site(inst).edit(page, by=str(req.actor), when=inst.now(), body=storage, title=title)


# -- properties --------------------------------------------------------------------


def properties_v2(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    key = req.arg("key")
    found = [property_json(inst, p) for p in page.properties.values()
             if key is None or p.key == key]
    return Reply(200, {"results": found, "_links": {}})


def add_property_v2(inst: Any, req: ApiRequest) -> Reply:
    return Reply(200, property_json(inst, _add_property(inst, req, _obj(req).get("key"))))


def set_property_v2(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    prop = next((p for p in page.properties.values() if p.id == req.params["property"]), None)
    if prop is None:
        raise ApiError(404, "Content property not found")
    return Reply(200, property_json(inst, _set_property(prop, _obj(req))))


def property_v1(inst: Any, req: ApiRequest) -> Reply:
    prop = page_of(inst, req.params["id"]).properties.get(req.params["key"])
    if prop is None:
        raise ApiError(404, f"Cannot find content property with key: {req.params['key']}")
    return Reply(200, property_json(inst, prop))


def add_property_v1(inst: Any, req: ApiRequest) -> Reply:
    return Reply(200, property_json(inst, _add_property(inst, req, _obj(req).get("key"))))


def set_property_v1(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    prop = page.properties.get(req.params["key"])
    if prop is None:        # v1 PUT creates a missing property ("Create content property")
        return add_property_v1(inst, req)
    return Reply(200, property_json(inst, _set_property(prop, _obj(req))))


def _add_property(inst: Any, req: ApiRequest, key: Any) -> Property:
    page = page_of(inst, req.params["id"])
    if not isinstance(key, str) or not key:
        raise ApiError(400, "key is required")
    if key in page.properties:
        raise ApiError(409, f"Cannot add a property with key '{key}': one already exists")
    page.properties[key] = Property(site(inst).next_id(), key, _obj(req).get("value"))
    return page.properties[key]


def _set_property(prop: Property, body: dict[str, Any]) -> Property:
    number = (body.get("version") or {}).get("number")
    if number != prop.version + 1:
        raise _stale(prop.version, number)
    prop.value, prop.version = body.get("value"), prop.version + 1
    return prop


# -- labels, search, the current user ---------------------------------------------


def add_labels(inst: Any, req: ApiRequest) -> Reply:
    page = page_of(inst, req.params["id"])
    require_write(inst, req, v2=False)
    body = req.json()
    for label in body if isinstance(body, list) else [body]:
        name = str(label.get("name", "")).lower()
        if not re.fullmatch(r"[^\s:;,.!?&()\[\]<>#@*]+", name):
            raise ApiError(400, f"Label '{name}' contains an invalid character")
        if name not in page.labels:
            page.labels.append(name)
    labels = [label_json(n) for n in page.labels]
    return Reply(200, listing(labels, limit=200))


def search(inst: Any, req: ApiRequest) -> Reply:
    """CQL, the clauses jirasync uses: ``space``, ``label``, ``type``, ``title`` joined by
    ``and``."""
    terms = _cql(req.arg("cql") or "")
    start, limit = search_start(inst, req), min(req.int_arg("limit", 25), MAX_LIMIT)
    found = sorted((p for p in site(inst).pages.values() if _matches(p, terms)),
                   key=lambda p: int(p.id))
    shown = [content_v1(inst, p, _expand(req)) for p in found[start:start + limit]]
    out = listing(shown, start, limit)
    if start + limit < len(found):
        out["_links"]["next"] = search_next(inst, req, start + limit, limit)
    return Reply(200, out)


def _cql(text: str) -> dict[str, str]:
    terms: dict[str, str] = {}
    for clause in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        found = CQL_TERM.fullmatch(clause)
        if not found or found.group(1).lower() not in ("space", "label", "type", "title"):
            raise ApiError(400, f"Could not parse cql : {text}")
        terms[found.group(1).lower()] = found.group(2) if found.group(2) is not None \
            else found.group(3)
    return terms


def _matches(page: WikiPage, terms: dict[str, str]) -> bool:
    return (terms.get("type", "page") == "page"
            and terms.get("space", page.space) == page.space
            and terms.get("title", page.title) == page.title
            and ("label" not in terms or terms["label"].lower() in page.labels))


def current_user(inst: Any, req: ApiRequest) -> Reply:
    user = inst.bot
    if inst.cloud:
        return Reply(200, {"type": "known", "accountId": user.account_id,
                           "displayName": user.display_name})
    return Reply(200, {"type": "known", "username": user.name, "userKey": user.name,
                       "displayName": user.display_name})
