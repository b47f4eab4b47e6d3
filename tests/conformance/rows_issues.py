"""Issues: bulk create, read by key, edit, comment, notify."""
from __future__ import annotations

from typing import Any

from jirasync.sandbox import Sandbox
from tests.conformance.table import Row
from tests.sandbox.clients import EMAIL, api, epic_fields, session, user_ref

BULK = "POST /rest/api/2/issue/bulk"
GET = "GET /rest/api/2/issue/{issueIdOrKey}"
EDIT = "PUT /rest/api/2/issue/{issueIdOrKey}"
COMMENT = "POST /rest/api/2/issue/{issueIdOrKey}/comment"
NOTIFY = "POST /rest/api/2/issue/{issueIdOrKey}/notify"


def _bulk(sb: Sandbox, entries: list[dict[str, Any]]) -> Any:
    return session(sb).post(api(sb, "issue/bulk"), json={"issueUpdates": entries})


def _good(sb: Sandbox, n: int) -> dict[str, Any]:
    return {"fields": epic_fields(sb, summary=f"Release {n}")}


def _bad() -> dict[str, Any]:
    return {"fields": {"project": {"key": "DCR"}, "issuetype": {"name": "No such type"},
                       "summary": "Refused"}}


def bulk_at_most_fifty(sb: Sandbox) -> None:
    assert _bulk(sb, [_good(sb, n) for n in range(51)]).status_code == 400
    assert sb.issues() == []
    assert _bulk(sb, [_good(sb, n) for n in range(50)]).status_code == 201
    assert len(sb.issues()) == 50


def bulk_partial(sb: Sandbox) -> None:
    answer = _bulk(sb, [_good(sb, 0), _bad(), _good(sb, 2)])
    body = answer.json()
    assert answer.status_code == 201 and len(body["issues"]) == 2
    assert [e["failedElementNumber"] for e in body["errors"]] == [1]
    assert body["errors"][0]["elementErrors"]["errors"]
    assert len(sb.issues()) == 2


def bulk_all_refused(sb: Sandbox) -> None:
    answer = _bulk(sb, [_bad(), _bad()])
    assert answer.status_code == 400
    assert [e["failedElementNumber"] for e in answer.json()["errors"]] == [0, 1]
    assert sb.issues() == []


def _read(sb: Sandbox, key: str, **params: str) -> Any:
    return session(sb).get(api(sb, f"issue/{key}"), params=params)


def get_all_fields_by_default(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    fields = _read(sb, key).json()["fields"]
    assert {"summary", "comment", "labels", "status"} <= set(fields)


def get_named_properties(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson", properties={"a": 1, "b": 2, "c": 3})
    body = _read(sb, key, fields="summary", properties="a,b").json()
    assert body["properties"] == {"a": 1, "b": 2} and set(body["fields"]) == {"summary"}


def get_missing_is_404(sb: Sandbox) -> None:
    assert _read(sb, "DCR-999").status_code == 404


def edit_applies(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    answer = session(sb).put(api(sb, f"issue/{key}"), json={
        "fields": {"summary": "Renamed"}, "update": {"labels": [{"add": "ll-keep"}]},
        "properties": [{"key": "jirasync", "value": {"n": 1}}]})
    assert answer.status_code == 204 and answer.text == ""
    issue = sb.issue(key)
    assert (issue.summary, issue.labels, issue.properties["jirasync"]) == \
        ("Renamed", ["ll-keep"], {"n": 1})


def edit_notify_ignored_without_admin(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    sb.bot_administers(False)
    answer = session(sb).put(api(sb, f"issue/{key}"), params={"notifyUsers": "false"},
                             json={"fields": {"summary": "Quietly renamed"}})
    assert answer.status_code == 204 and sb.issue(key).summary == "Quietly renamed"


def comment_added(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    answer = session(sb).post(api(sb, f"issue/{key}/comment"), json={"body": "Prompt"})
    assert answer.status_code == 201 and answer.json()["id"]
    assert [c["body"] for c in sb.issue(key).comments] == ["Prompt"]


def comment_on_missing_issue(sb: Sandbox) -> None:
    answer = session(sb).post(api(sb, "issue/DCR-999/comment"), json={"body": "Prompt"})
    assert answer.status_code == 404


def _notify(sb: Sandbox, key: str, **body: Any) -> Any:
    return session(sb).post(api(sb, f"issue/{key}/notify"), json=body)


def notify_queues_for_exactly_the_users(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson", assignee="priya.shah@example.org")
    to = {"users": [user_ref(sb, "sam.jones@example.org")], "reporter": False,
          "assignee": False, "watchers": False, "voters": False}
    answer = _notify(sb, key, subject="Prompt", textBody="Please", to=to)
    assert answer.status_code == 204
    (sent,) = sb.notifications
    assert sent["recipients"] == [sb.user_id("sam.jones@example.org")]


def notify_default_subject(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    to = {"users": [user_ref(sb, "sam.jones@example.org")]}
    assert _notify(sb, key, textBody="Please", to=to).status_code == 204
    assert sb.notifications[0]["subject"] == f"{key}: Lesson"


def notify_not_to_the_caller(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Lesson")
    answer = _notify(sb, key, subject="Prompt", textBody="Please",
                     to={"users": [user_ref(sb, EMAIL)]})
    assert answer.status_code == 400 and sb.notifications == []


ROWS = [
    Row(BULK, "(operation)", "Creates upto **50** issues", bulk_at_most_fifty),
    Row(BULK, "201", "Returned if any of the issue or subtask creation requests were "
        "successful.", bulk_partial),
    Row(BULK, "400", "Returned if all requests are invalid.", bulk_all_refused),
    Row(GET, "fields", "Note: All fields are returned by default.", get_all_fields_by_default),
    Row(GET, "properties", "`prop1,prop2` Returns `prop1` and `prop2` properties.",
        get_named_properties),
    Row(GET, "404", "Returned if the issue is not found or the user does not have permission "
        "to view it.", get_missing_is_404),
    Row(EDIT, "(operation)", "Edits an issue. Issue properties may be updated as part of the "
        "edit.", edit_applies),
    Row(EDIT, "notifyUsers", "If the user doesn't have the necessary permission the request "
        "is ignored.", edit_notify_ignored_without_admin),
    Row(COMMENT, "(operation)", "Adds a comment to an issue.", comment_added),
    Row(COMMENT, "404", "Returned if the issue is not found or the user does not have "
        "permission to view it.", comment_on_missing_issue),
    Row(NOTIFY, "(operation)", "Creates an email notification for an issue and adds it to "
        "the mail queue.", notify_queues_for_exactly_the_users),
    Row(NOTIFY, "subject", "If this is not specified, then the subject is set to the issue "
        "key and summary.", notify_default_subject),
    Row(NOTIFY, "400", "the recipient is the same as the calling user.",
        notify_not_to_the_caller),
]
