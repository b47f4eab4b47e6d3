"""Read-only resources: server, fields, project metadata, link types, users."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .catalog import LINK_TYPES, IssueTypeDef
from .instance import PROJECT_ID
from .permissions import holds
from .render import Renderer, rfc3339
from .replies import ApiError, Reply, bad_request

if TYPE_CHECKING:
    from .instance import Instance
    from .request import ApiRequest

BUILD_DATE = "2026-01-15T09:00:00.000+00:00"


def server_info(inst: Instance, req: ApiRequest) -> Reply:
    if inst.cloud:
        version, numbers, deployment, build = "1001.0.0-SNAPSHOT", [1001, 0, 0], "Cloud", 100285
    else:
        # Data Center reports itself as "Server".
        version, numbers, deployment, build = "9.12.0", [9, 12, 0], "Server", 9120000
    return Reply(200, {"baseUrl": inst.base_url, "version": version, "versionNumbers": numbers,
                       "deploymentType": deployment, "buildNumber": build,
                       "buildDate": BUILD_DATE, "serverTime": rfc3339(inst.now()),
                       "scmInfo": "sandbox", "serverTitle": "Jira sandbox"})


def myself(inst: Instance, req: ApiRequest) -> Reply:
    user = inst.directory.get(req.actor)
    assert user is not None             # the front door let only a known user in
    return Reply(200, inst.directory.user_json(user, inst.base_url))


def fields(inst: Instance, req: ApiRequest) -> Reply:
    return Reply(200, [{"id": f.id, "key": f.id, "name": f.name, "custom": f.custom,
                        "orderable": True, "navigable": f.navigable, "searchable": True,
                        "clauseNames": list(f.clause_names), "schema": f.schema}
                       for f in inst.catalog.fields])


def issue_types(inst: Instance, req: ApiRequest) -> Reply:
    renderer = Renderer(inst)
    return Reply(200, [renderer.issue_type(t) for t in inst.catalog.issue_types])


def project(inst: Instance, req: ApiRequest) -> Reply:
    check_project(inst, req.params["project"])
    renderer = Renderer(inst)
    lead = inst.directory.user_json(inst.bot, inst.base_url)
    return Reply(200, {"self": inst.url(f"project/{PROJECT_ID}"), "id": PROJECT_ID,
                       "key": inst.project_key, "name": inst.project_name,
                       "projectTypeKey": "software", "simplified": False, "style": "classic",
                       "isPrivate": False, "assigneeType": "UNASSIGNED", "lead": lead,
                       "components": [], "versions": [], "roles": {},
                       "issueTypes": [renderer.issue_type(t) for t in inst.catalog.issue_types]})


def createmeta_types(inst: Instance, req: ApiRequest) -> Reply:
    check_project(inst, req.params["project"])
    renderer = Renderer(inst)
    types = [{**renderer.issue_type(t), "description": _describe(t)}
             for t in inst.catalog.issue_types]
    return _page(inst, req, "issueTypes", types)


def createmeta_fields(inst: Instance, req: ApiRequest) -> Reply:
    check_project(inst, req.params["project"])
    itype = inst.catalog.issue_type(id=req.params["type"])
    if itype is None:
        raise ApiError(404, f"Issue type with id '{req.params['type']}' does not exist.")
    required = set(inst.required(itype.name)) | {"project", "issuetype"}
    ids = ("project", "issuetype", *inst.catalog.create_screen(itype.name))
    metas = []
    for fid in ids:
        f = inst.catalog.known_field(fid)
        metas.append({"required": fid in required, "schema": f.schema, "name": f.name,
                      "key": fid, "fieldId": fid, "hasDefaultValue": False,
                      "operations": list(f.operations)})
    return _page(inst, req, "fields", metas)


def link_types(inst: Instance, req: ApiRequest) -> Reply:
    return Reply(200, {"issueLinkTypes": [
        {"id": i, "name": n, "inward": inward, "outward": outward,
         "self": inst.url(f"issueLinkType/{i}")} for i, n, inward, outward in LINK_TYPES]})


def user_search(inst: Instance, req: ApiRequest) -> Reply:
    """Cloud: ``query`` (or ``accountId``); Data Center: ``username``. "Returns a list of
    active users"; "calls by users without the required permission return empty search
    results" (Browse users and groups)."""
    if inst.cloud and req.arg("username"):
        raise bad_request("The username query parameter was provided but is not supported; "
                          "use query or accountId.")
    text = req.arg("query") if inst.cloud else req.arg("username")
    if inst.cloud and req.arg("accountId"):
        users = _by_account_id(inst, req.arg("accountId"))
    elif not text:
        raise bad_request("The query parameter is required." if inst.cloud
                          else "The username query parameter is required.")
    else:
        users = inst.directory.search(text)
    return _users(inst, req, users if holds(inst, "USER_PICKER") else [])


def assignable_search(inst: Instance, req: ApiRequest) -> Reply:
    """Needs "Browse users and groups global permission or Assign issues project
    permission"; without either the sandbox answers no one. On Cloud, ``accountId`` "is
    matched exactly against user `accountId`"."""
    if not (req.arg("project") or req.arg("issueKey") or req.arg("issueId")):
        raise bad_request("The 'project' or 'issueKey' parameter is required.")
    if key := req.arg("issueKey"):
        inst.issue(key)
    text = req.arg("query") if inst.cloud else req.arg("username")
    if inst.cloud and req.arg("accountId"):
        users = _by_account_id(inst, req.arg("accountId"))
    else:
        users = inst.directory.search(text) if text else [
            u for u in inst.directory.all() if u.active]
    if not (holds(inst, "USER_PICKER") or holds(inst, "ASSIGN_ISSUES")):
        users = []
    return _users(inst, req, users, cap=None if inst.cloud else 100)


def _by_account_id(inst: Instance, account_id: str | None) -> list[Any]:
    user = inst.directory.get(account_id)
    return [user] if user is not None and user.active else []


def _users(inst: Instance, req: ApiRequest, users: list[Any], cap: int | None = None) -> Reply:
    """A page of users; Data Center 10 gives at most 100 assignable users a page."""
    start = req.int_arg("startAt", 0)
    size = min(req.int_arg("maxResults", 50), cap or 10**9)
    return Reply(200, [inst.directory.user_json(u, inst.base_url)
                       for u in users[start:start + size]])


def check_project(inst: Instance, ref: str) -> None:
    """404 as Jira answers it unless ``ref`` names the sandbox's project (key or id)."""
    if ref not in (inst.project_key, PROJECT_ID):
        raise ApiError(404, f"No project could be found with key '{ref}'.")


def _describe(itype: IssueTypeDef) -> str:
    if itype.subtask:
        return "A small piece of work that's part of a larger task."
    return "A big user story that needs to be broken down." if itype.level else ""


def _page(inst: Instance, req: ApiRequest, cloud_key: str, items: list[Any]) -> Reply:
    """Cloud pages createmeta under a named key; Data Center under ``values``."""
    start = req.int_arg("startAt", 0)
    size = req.int_arg("maxResults", 50)
    chunk = items[start:start + size]
    if inst.cloud:
        return Reply(200, {"startAt": start, "maxResults": size, "total": len(items),
                           cloud_key: chunk})
    return Reply(200, {"startAt": start, "maxResults": size, "total": len(items),
                       "isLast": start + size >= len(items), "values": chunk})
