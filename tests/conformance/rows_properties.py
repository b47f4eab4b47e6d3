"""Entity properties: an issue's (sync's identity record) and the project's (the lease)."""
from __future__ import annotations

from typing import Any

from jirasync.sandbox import Sandbox
from tests.conformance.table import Row
from tests.sandbox.clients import api, session

ISSUE_PROP = "/rest/api/2/issue/{issueIdOrKey}/properties/{propertyKey}"
PROJECT_PROP = "/rest/api/2/project/{projectIdOrKey}/properties/{propertyKey}"
PROJECT_KEYS = "GET /rest/api/2/project/{projectIdOrKey}/properties"
LIMIT = 32768


def _value_of_length(n: int) -> str:
    """A JSON string value whose JSON text is exactly ``n`` characters."""
    return "x" * (n - 2)


def _put(sb: Sandbox, path: str, value: Any) -> Any:
    return session(sb).put(api(sb, path), json=value)


def _issue_path(sb: Sandbox, name: str = "jirasync") -> str:
    return f"issue/{sb.create_issue('Task', 'Lesson')}/properties/{name}"


def issue_value_limit(sb: Sandbox) -> None:
    path = _issue_path(sb)
    assert _put(sb, path, _value_of_length(LIMIT + 1)).status_code == 400
    assert _put(sb, path, _value_of_length(LIMIT)).status_code == 201


def issue_key_limit(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    assert _put(sb, f"issue/{key}/properties/{'k' * 256}", {}).status_code == 400
    assert _put(sb, f"issue/{key}/properties/{'k' * 255}", {}).status_code == 201


def issue_created_then_updated(sb: Sandbox) -> None:
    path = _issue_path(sb)
    assert [_put(sb, path, {"n": n}).status_code for n in (1, 2)] == [201, 200]
    assert session(sb).get(api(sb, path)).json() == {"key": "jirasync", "value": {"n": 2}}


def issue_missing_property(sb: Sandbox) -> None:
    assert session(sb).get(api(sb, _issue_path(sb, "absent"))).status_code == 404


def project_value_limit(sb: Sandbox) -> None:
    path = "project/DCR/properties/jirasync.lease.sync"
    assert _put(sb, path, _value_of_length(LIMIT + 1)).status_code == 400
    assert _put(sb, path, _value_of_length(LIMIT)).status_code == 201
    assert "jirasync.lease.sync" in sb.project_properties()


def project_index_parts(sb: Sandbox) -> None:
    """Chase's index of records: every part it shards is taken, a byte more is not."""
    from jirasync.rung_index import Entry, part_name, shard
    index = {f"DCR-{n}": Entry("2026-11-05T09:00:00.000+0000", {"jirasync.chase": {
        "due": "2026-11-04", "rungs": [0, 14, 30], "told": f"2026-11-05 user-{n}"}})
        for n in range(1500)}
    parts = shard(index, "w1")
    assert len(parts) > 2
    for n, part in enumerate(parts, 2):
        assert _put(sb, f"project/DCR/properties/{part_name(n)}", part).status_code == 201
    path = "project/DCR/properties/jirasync.rungs.2"
    assert _put(sb, path, _value_of_length(LIMIT + 1)).status_code == 400


def project_missing_property(sb: Sandbox) -> None:
    """A part of chase's index that is not there (a write cut off, a part removed)."""
    path = api(sb, "project/DCR/properties/jirasync.rungs.2")
    assert session(sb).get(path).status_code == 404


def project_created_then_updated(sb: Sandbox) -> None:
    path = "project/DCR/properties/jirasync.lease.sync"
    assert [_put(sb, path, {"term": n}).status_code for n in (1, 2)] == [201, 200]
    assert session(sb).get(api(sb, path)).json()["value"] == {"term": 2}


def project_keys(sb: Sandbox) -> None:
    for name in ("jirasync.lease.sync", "jirasync.lease.chase"):
        _put(sb, f"project/DCR/properties/{name}", {"term": 1})
    body = session(sb).get(api(sb, "project/DCR/properties")).json()
    assert sorted(k["key"] for k in body["keys"]) == ["jirasync.lease.chase",
                                                      "jirasync.lease.sync"]


def project_delete_missing(sb: Sandbox) -> None:
    path = api(sb, "project/DCR/properties/jirasync.lease.sync")
    _put(sb, "project/DCR/properties/jirasync.lease.sync", {"term": 1})
    assert session(sb).delete(path).status_code == 204
    assert session(sb).delete(path).status_code == 404
    assert session(sb).get(path).status_code == 404


ROWS = [
    Row(f"PUT {ISSUE_PROP}", "(operation)", "The value of the request body must be a valid, "
        "non-empty JSON blob. The maximum length is 32768 characters.", issue_value_limit),
    Row(f"PUT {ISSUE_PROP}", "propertyKey", "The key of the issue property. The maximum "
        "length is 255 characters.", issue_key_limit),
    Row(f"PUT {ISSUE_PROP}", "201", "Returned if the issue property is created.",
        issue_created_then_updated),
    Row(f"GET {ISSUE_PROP}", "404", "Returned if the issue or property is not found",
        issue_missing_property),
    Row(f"PUT {PROJECT_PROP}", "(operation)", "The value of the request body must be a "
        "valid, non-empty JSON blob. The maximum length is 32768 characters.",
        project_value_limit),
    Row(f"PUT {PROJECT_PROP}", "(body)", "The value of the property. The value has to be a "
        "valid, non-empty JSON value. The maximum length of the property value is 32768 "
        "bytes.", project_index_parts),
    Row(f"GET {PROJECT_PROP}", "404", "Returned if the project or property is not found.",
        project_missing_property),
    Row(f"PUT {PROJECT_PROP}", "201", "Returned if the project property is created.",
        project_created_then_updated),
    Row(f"GET {PROJECT_PROP}", "(operation)", "Returns the value of a project property.",
        project_created_then_updated),
    Row(PROJECT_KEYS, "(operation)", "Returns all project property keys for the project.",
        project_keys),
    Row(f"DELETE {PROJECT_PROP}", "404", "Returned if the project or property is not found.",
        project_delete_missing),
]
