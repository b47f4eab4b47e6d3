"""What jirasync reads before it writes: server, bot, project, create screens, fields."""
from __future__ import annotations

from typing import Any

from jirasync.sandbox import Sandbox
from tests.conformance.table import CLOUD, DATACENTER, DC_READING, Row
from tests.sandbox.clients import api, session


def _get(sb: Sandbox, path: str, **params: Any) -> Any:
    answer = session(sb).get(api(sb, path), params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def server_is_cloud(sb: Sandbox) -> None:
    assert _get(sb, "serverInfo")["deploymentType"] == "Cloud"


def server_is_not_cloud(sb: Sandbox) -> None:
    assert _get(sb, "serverInfo")["deploymentType"] != "Cloud"


def myself(sb: Sandbox) -> None:
    me = _get(sb, "myself")
    if sb.flavour == CLOUD:
        assert me["accountId"] == sb.user_id("pmo-bot@example.org")
    else:
        assert me["name"] == "pmo-bot"


def project_issue_types(sb: Sandbox) -> None:
    project = _get(sb, "project/DCR")
    names = {t["name"] for t in project["issueTypes"]}
    assert {"Epic", "Task", "Sub-task"} <= names
    assert [t["subtask"] for t in project["issueTypes"] if t["name"] == "Sub-task"] == [True]


def create_meta_pages(sb: Sandbox) -> None:
    task = next(t for t in _get(sb, "project/DCR")["issueTypes"] if t["name"] == "Task")
    path = f"issue/createmeta/DCR/issuetypes/{task['id']}"
    items = "fields" if sb.flavour == CLOUD else "values"   # Data Center pages "values"

    def ids(**params: Any) -> list[str]:
        return [f["fieldId"] for f in _get(sb, path, **params)[items]]

    whole, first, rest = ids(maxResults=200), ids(maxResults=2), ids(startAt=2, maxResults=200)
    assert len(first) == 2 and len(whole) > 2 and first + rest == whole


def fields_listed(sb: Sandbox) -> None:
    fields = {f["id"]: f["name"] for f in _get(sb, "field")}
    assert fields["summary"] == "Summary" and fields["duedate"] == "Due date"


ROWS = [
    Row("GET /rest/api/2/serverInfo", "deploymentType", "This is always returned as *Cloud*.",
        server_is_cloud, (CLOUD,)),
    Row("GET /rest/api/2/serverInfo", "deploymentType", "Data Center answers \"Server\" or "
        "\"DataCenter\", never \"Cloud\"", server_is_not_cloud, (DATACENTER,), DC_READING),
    Row("GET /rest/api/2/myself", "(operation)", "Returns details for the current user.",
        myself),
    Row("GET /rest/api/2/project/{projectIdOrKey}", "expand", "Note that the project "
        "description, issue types, and project lead are included in all responses by "
        "default.", project_issue_types),
    Row("GET /rest/api/2/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}",
        "startAt", "The index of the first item to return in a page of results (page "
        "offset).", create_meta_pages),
    Row("GET /rest/api/2/field", "(operation)", "Returns system and custom issue fields",
        fields_listed),
]
