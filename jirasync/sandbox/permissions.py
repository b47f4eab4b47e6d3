"""What the bot may do in the sandbox, and ``GET /mypermissions``, which says so.

The bot holds every project permission of the project and the *Browse users and groups*
global permission, but is no Jira administrator. A test withholds one (``Sandbox.withhold``)
to see what a bot set up without it meets: mypermissions says it lacks it, and the
operations whose contract names it answer as the contract declares for a caller without
it (``guard``). Browse projects cannot be withheld: a bot that cannot see the project
sees no Jira at all, and the sandbox does not model that.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .replies import ApiError, Reply, bad_request, error_body

if TYPE_CHECKING:
    from .instance import Instance
    from .request import ApiRequest


@dataclass(frozen=True)
class Permission:
    id: str
    name: str
    type: str           # PROJECT or GLOBAL
    description: str


PERMISSIONS = {
    "ADMINISTER": Permission("0", "Administer Jira", "GLOBAL",
                             "Create and administer projects, issue types, fields, workflows, "
                             "and schemes for all projects."),
    "SYSTEM_ADMIN": Permission("44", "Administer Jira system", "GLOBAL",
                               "Configure Jira's system settings."),
    "USER_PICKER": Permission("27", "Browse users and groups", "GLOBAL",
                              "View and select users or groups from the user picker, and share "
                              "issues."),
    "BROWSE_PROJECTS": Permission("10", "Browse Projects", "PROJECT",
                                  "Ability to browse projects and the issues within them."),
    "CREATE_ISSUES": Permission("11", "Create Issues", "PROJECT", "Ability to create issues."),
    "EDIT_ISSUES": Permission("12", "Edit Issues", "PROJECT", "Ability to edit issues."),
    "ASSIGN_ISSUES": Permission("13", "Assign Issues", "PROJECT",
                                "Ability to assign issues to other people."),
    "RESOLVE_ISSUES": Permission("14", "Resolve Issues", "PROJECT",
                                 "Ability to resolve and reopen issues."),
    "ADD_COMMENTS": Permission("15", "Add Comments", "PROJECT",
                               "Ability to comment on issues."),
    "DELETE_ISSUES": Permission("16", "Delete Issues", "PROJECT",
                                "Ability to delete issues."),
    "ASSIGNABLE_USER": Permission("17", "Assignable User", "PROJECT",
                                  "Users with this permission may be assigned to issues."),
    "LINK_ISSUES": Permission("21", "Link Issues", "PROJECT",
                              "Ability to link issues together."),
    "ADMINISTER_PROJECTS": Permission("23", "Administer Projects", "PROJECT",
                                      "Ability to administer a project in Jira."),
    "TRANSITION_ISSUES": Permission("46", "Transition Issues", "PROJECT",
                                    "Ability to transition issues."),
}
NOT_HELD = frozenset({"ADMINISTER", "SYSTEM_ADMIN"})
# What a test may withhold: the permissions whose absence ``guard`` or the handlers model.
WITHHOLDABLE = frozenset({"USER_PICKER", "CREATE_ISSUES", "EDIT_ISSUES", "ADD_COMMENTS",
                          "ADMINISTER_PROJECTS", "TRANSITION_ISSUES"})


def holds(inst: Instance, key: str) -> bool:
    return key not in NOT_HELD and key not in inst.withheld


def my_permissions(inst: Instance, req: ApiRequest) -> Reply:
    """Cloud requires ``permissions`` ("Returned if `permissions` is empty, contains an
    invalid key"); Data Center lists every permission without it."""
    keys = req.args("permissions")
    if not keys and inst.cloud:
        raise bad_request("The permissions parameter is required.")
    unknown = [k for k in keys if k not in PERMISSIONS]
    if unknown:
        raise bad_request(f"Permissions '{', '.join(unknown)}' do not exist.")
    project = req.arg("projectKey") if req.arg("projectId") is None else req.arg("projectId")
    if project is not None and project not in (inst.project_key, "10000"):
        raise ApiError(404, f"No project could be found with key '{project}'.")
    issue = req.arg("issueKey") if req.arg("issueId") is None else req.arg("issueId")
    if issue is not None:
        inst.issue(issue)
    return Reply(200, {"permissions": {
        key: {"id": p.id, "key": key, "name": p.name, "type": p.type,
              "description": p.description, "havePermission": holds(inst, key)}
        for key in keys or PERMISSIONS for p in [PERMISSIONS[key]]}})


def guard(inst: Instance, req: ApiRequest, kind: str) -> Reply | None:
    """An answer in place of the handler's when the bot lacks what the operation needs,
    as the contract declares it: create 403, bulk create 400 for every element, edit 400
    (with a comment, Add comments too), add comment 400, transition 400 ("the user does
    not have permission to transition the issue"), issue property 403. The transitions
    listed are those "that can be performed by the user": none without the permission."""
    method = req.method
    if kind == "create" and method == "POST" and not holds(inst, "CREATE_ISSUES"):
        raise ApiError(403, "You do not have permission to create issues in this project.")
    if kind == "bulk-create" and method == "POST" and not holds(inst, "CREATE_ISSUES"):
        return _bulk_refused(req)
    if kind == "edit" and method == "PUT":
        inst.issue(req.params["issue"])
        if not holds(inst, "EDIT_ISSUES"):
            raise bad_request("You do not have permission to edit issues in this project.")
        if _adds_comment(req.body) and not holds(inst, "ADD_COMMENTS"):
            raise bad_request("You do not have the permission to comment on this issue.")
    if kind == "comment" and method == "POST" and not holds(inst, "ADD_COMMENTS"):
        inst.issue(req.params["issue"])
        raise bad_request("You do not have the permission to comment on this issue.")
    if kind == "transition" and method == "POST" and not holds(inst, "TRANSITION_ISSUES"):
        inst.issue(req.params["issue"])
        raise bad_request("You do not have permission to transition this issue.")
    if kind == "property" and method == "PUT" and not holds(inst, "EDIT_ISSUES"):
        inst.issue(req.params["issue"])
        raise ApiError(403, "You do not have permission to edit this issue.")
    return None


def _bulk_refused(req: ApiRequest) -> Reply:
    body = req.body if isinstance(req.body, dict) else {}
    updates = body.get("issueUpdates")
    refused = error_body(["You do not have permission to create issues in this project."])
    return Reply(400, {"issues": [], "errors": [
        {"status": 403, "elementErrors": refused, "failedElementNumber": n}
        for n in range(len(updates) if isinstance(updates, list) else 0)]})


def _adds_comment(body: Any) -> bool:
    update = body.get("update") if isinstance(body, dict) else None
    return isinstance(update, dict) and bool(update.get("comment"))
