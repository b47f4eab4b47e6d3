"""Owners' answers: an issue's comments, the transitions its workflow offers (with their
screens' fields) and a transition carrying its resolution, a comment and properties."""
from __future__ import annotations

from jirasync.sandbox import Sandbox
from tests.conformance.table import Row
from tests.sandbox.clients import api, session

COMMENTS = "GET /rest/api/2/issue/{issueIdOrKey}/comment"
TRANSITIONS = "GET /rest/api/2/issue/{issueIdOrKey}/transitions"
TRANSITION = "POST /rest/api/2/issue/{issueIdOrKey}/transitions"


def comments_listed(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Action")
    for text in ("first", "second", "third"):
        sb.add_comment(key, text, author="sam.jones@example.org")
    page = session(sb).get(api(sb, f"issue/{key}/comment"),
                           params={"startAt": "1", "maxResults": "1",
                                   "orderBy": "created"}).json()
    assert [c["body"] for c in page["comments"]] == ["second"] and page["total"] == 3


def transitions_follow_the_status(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Action")
    listed = session(sb).get(api(sb, f"issue/{key}/transitions")).json()["transitions"]
    assert {t["to"]["name"] for t in listed} == {"In Progress", "Done"}
    sb.use_workflow(key, "no-done")
    listed = session(sb).get(api(sb, f"issue/{key}/transitions")).json()["transitions"]
    assert {t["to"]["statusCategory"]["key"] for t in listed} == {"indeterminate"}


def screen_fields_on_expand(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Action")
    sb.use_workflow(key, "resolution-screen")
    url = api(sb, f"issue/{key}/transitions")
    plain = session(sb).get(url).json()["transitions"]
    assert all("fields" not in t for t in plain)
    listed = session(sb).get(url, params={"expand": "transitions.fields"}).json()["transitions"]
    done = next(t for t in listed if t["to"]["statusCategory"]["key"] == "done")
    resolution = done["fields"]["resolution"]
    assert resolution["required"] and {"Done", "Won't Do"} <= {
        v["name"] for v in resolution["allowedValues"]}


def transition_with_comment_and_properties(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Action")
    answer = session(sb).post(api(sb, f"issue/{key}/transitions"), json={
        "transition": {"id": "31"}, "update": {"comment": [{"add": {"body": "done"}}]},
        "properties": [{"key": "jirasync.answers", "value": {"answered": ["1"]}}]})
    issue = sb.issue(key)
    assert answer.status_code == 204 and issue.status == "Done"
    assert issue.comments[-1]["body"] == "done"
    assert issue.properties["jirasync.answers"] == {"answered": ["1"]}


def field_not_on_screen_refused(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Action")
    answer = session(sb).post(api(sb, f"issue/{key}/transitions"), json={
        "transition": {"id": "31"}, "fields": {"resolution": {"name": "Done"}},
        "update": {"comment": [{"add": {"body": "done"}}]}})
    assert answer.status_code == 400 and "resolution" in answer.json()["errors"]
    assert sb.issue(key).status == "To Do" and sb.issue(key).comments == ()


def required_screen_field_missing_refused(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Action")
    sb.use_workflow(key, "resolution-screen")
    url = api(sb, f"issue/{key}/transitions")
    answer = session(sb).post(url, json={"transition": {"id": "31"}})
    assert answer.status_code == 400 and "resolution" in answer.json()["errors"]
    assert sb.issue(key).status == "To Do"
    answer = session(sb).post(url, json={"transition": {"id": "31"},
                                         "fields": {"resolution": {"name": "Won't Do"}}})
    assert answer.status_code == 204
    assert sb.issue(key).fields["resolution"]["name"] == "Won't Do"


def transition_without_permission(sb: Sandbox) -> None:
    key = sb.create_issue("Task", "Action")
    sb.withhold("TRANSITION_ISSUES")
    try:
        listed = session(sb).get(api(sb, f"issue/{key}/transitions")).json()["transitions"]
        answer = session(sb).post(api(sb, f"issue/{key}/transitions"),
                                  json={"transition": {"id": "31"}})
    finally:
        sb.grant("TRANSITION_ISSUES")
    assert listed == [] and answer.status_code == 400 and sb.issue(key).status == "To Do"


ROWS = [
    Row(COMMENTS, "(operation)", "Returns all comments for an issue.", comments_listed),
    Row(COMMENTS, "startAt", "The index of the first item to return in a page of results "
        "(page offset).", comments_listed),
    Row(TRANSITIONS, "(operation)", "Returns either all transitions or a transition that can "
        "be performed by the user on an issue, based on the issue's status.",
        transitions_follow_the_status),
    Row(TRANSITIONS, "expand", "This parameter accepts `transitions.fields`, which returns "
        "information about the fields in the transition screen for each transition.",
        screen_fields_on_expand),
    Row(TRANSITION, "(operation)", "Performs an issue transition and, if the transition has "
        "a screen, updates the fields from the transition screen.",
        required_screen_field_missing_refused),
    Row(TRANSITION, "properties", "Details of issue properties to be add or update.",
        transition_with_comment_and_properties),
    Row(TRANSITION, "400", "a field that isn't included on the transition screen is defined "
        "in `fields` or `update`.", field_not_on_screen_refused),
    Row(TRANSITION, "400", "the user does not have permission to transition the issue.",
        transition_without_permission),
]
