"""Permissions: what ``GET /mypermissions`` says the bot holds, and what the operations do
for a bot that lacks what their contract requires (``Sandbox.withhold``)."""
from __future__ import annotations

from typing import Any

from jirasync.sandbox import Sandbox
from tests.conformance.table import CLOUD, DATACENTER, DC_DOCS, Row
from tests.sandbox.clients import api, epic_fields, session

MINE = "GET /rest/api/2/mypermissions"
ASKED = "BROWSE_PROJECTS,CREATE_ISSUES,EDIT_ISSUES,ADD_COMMENTS,ADMINISTER_PROJECTS,ADMINISTER"


def _mine(sb: Sandbox, **params: Any) -> Any:
    return session(sb).get(api(sb, "mypermissions"), params=params)


def _held(sb: Sandbox, **params: Any) -> dict[str, bool]:
    answer = _mine(sb, **params)
    assert answer.status_code == 200, answer.text
    return {k: v["havePermission"] for k, v in answer.json()["permissions"].items()}


def says_what_the_bot_holds(sb: Sandbox) -> None:
    assert _held(sb, projectKey="DCR", permissions=ASKED) == {
        "BROWSE_PROJECTS": True, "CREATE_ISSUES": True, "EDIT_ISSUES": True,
        "ADD_COMMENTS": True, "ADMINISTER_PROJECTS": True, "ADMINISTER": False}
    sb.withhold("ADD_COMMENTS")
    sb.bot_administers(False)
    held = _held(sb, projectKey="DCR", permissions=ASKED)
    assert (held["ADD_COMMENTS"], held["ADMINISTER_PROJECTS"], held["EDIT_ISSUES"]) == \
        (False, False, True)


def permissions_required(sb: Sandbox) -> None:
    assert _mine(sb, projectKey="DCR").status_code == 400
    assert _mine(sb, projectKey="DCR", permissions="BROWSE_PROJECTS,NO_SUCH").status_code == 400


def unknown_project(sb: Sandbox) -> None:
    assert _mine(sb, projectKey="NOPE", permissions="BROWSE_PROJECTS").status_code == 404


def datacenter_lists_all(sb: Sandbox) -> None:
    held = _held(sb, projectKey="DCR")
    assert held["BROWSE_PROJECTS"] and held["USER_PICKER"] and not held["ADMINISTER"]
    assert len(held) > 10


def create_refused(sb: Sandbox) -> None:
    sb.withhold("CREATE_ISSUES")
    answer = session(sb).post(api(sb, "issue"), json={"fields": epic_fields(sb)})
    assert answer.status_code == 403 and sb.issues() == []


def bulk_refused(sb: Sandbox) -> None:
    sb.withhold("CREATE_ISSUES")
    answer = session(sb).post(api(sb, "issue/bulk"), json={"issueUpdates": [
        {"fields": epic_fields(sb, summary=f"Release {n}")} for n in range(2)]})
    assert answer.status_code == 400 and sb.issues() == []
    assert [e["failedElementNumber"] for e in answer.json()["errors"]] == [0, 1]


def edit_refused(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    sb.withhold("EDIT_ISSUES")
    answer = session(sb).put(api(sb, f"issue/{key}"), json={"fields": {"summary": "Renamed"}})
    assert answer.status_code == 400 and sb.issue(key).summary == "Lesson"


def comment_refused(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    sb.withhold("ADD_COMMENTS")
    answer = session(sb).post(api(sb, f"issue/{key}/comment"), json={"body": "Prompt"})
    assert answer.status_code == 400
    edit = session(sb).put(api(sb, f"issue/{key}"), json={
        "update": {"comment": [{"add": {"body": "Prompt"}}]}})
    assert edit.status_code == 400 and sb.issue(key).comments == ()


def issue_property_refused(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    sb.withhold("EDIT_ISSUES")
    answer = session(sb).put(api(sb, f"issue/{key}/properties/jirasync"), json={"n": 1})
    assert answer.status_code == 403 and sb.issue(key).properties == {}


def project_property_refused(sb: Sandbox) -> None:
    sb.bot_administers(False)
    path = api(sb, "project/DCR/properties/jirasync.lease.sync")
    assert session(sb).put(path, json={"term": 1}).status_code == 403
    assert sb.project_properties() == {}


ROWS = [
    Row(MINE, "(operation)", "Returns a list of permissions indicating which permissions the "
        "user has.", says_what_the_bot_holds),
    Row(MINE, "400", "Returned if `permissions` is empty, contains an invalid key",
        permissions_required, (CLOUD,)),
    Row(MINE, "404", "Returned if the project or issue is not found or the user does not "
        "have permission to view the project or issue.", unknown_project),
    Row(MINE, "permissions", "Returns all permissions in the system and whether the currently "
        "logged in user has them.", datacenter_lists_all, (DATACENTER,), DC_DOCS),
    Row("POST /rest/api/2/issue", "403", "Returned if the user does not have the necessary "
        "permission.", create_refused),
    Row("POST /rest/api/2/issue/bulk", "400", "are by a user who does not have the necessary "
        "permission.", bulk_refused),
    Row("PUT /rest/api/2/issue/{issueIdOrKey}", "(operation)", "*Browse projects* and *Edit "
        "issues* project permission for the project that the issue is in.", edit_refused),
    Row("POST /rest/api/2/issue/{issueIdOrKey}/comment", "(operation)", "*Browse projects* "
        "and *Add comments* project permission for the project that the issue containing the "
        "comment is in.", comment_refused),
    Row("PUT /rest/api/2/issue/{issueIdOrKey}/properties/{propertyKey}", "403", "Returned if "
        "the user does not have permission to edit the issue.", issue_property_refused),
    Row("PUT /rest/api/2/project/{projectIdOrKey}/properties/{propertyKey}", "403",
        "Returned if the user does not have permission to administer the project.",
        project_property_refused),
]
