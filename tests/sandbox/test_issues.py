"""Creating, editing, assigning and moving issues through the real ``jira`` library."""
from __future__ import annotations

import jira
import pytest

from jirasync.sandbox.catalog import EPIC_LINK, EPIC_NAME, TEAM
from tests.sandbox.clients import (
    action_fields,
    api,
    client,
    epic_fields,
    lesson_fields,
    session,
    user_ref,
)


def test_release_lesson_and_action_form_a_tree(sandbox):
    j = client(sandbox)
    epic = j.create_issue(fields=epic_fields(sandbox))
    lesson = j.create_issue(fields=lesson_fields(sandbox, epic.key))
    action = j.create_issue(fields=action_fields(lesson.key, duedate="2026-12-01"))

    assert [epic.key, lesson.key, action.key] == ["DCR-1", "DCR-2", "DCR-3"]
    assert [epic.id, lesson.id, action.id] == ["10000", "10001", "10002"]
    stored = sandbox.issue(lesson.key).fields
    if sandbox.flavour == "cloud":
        assert stored["parent"]["key"] == epic.key
    else:
        assert stored[EPIC_LINK] == epic.key and stored["parent"] is None
    assert sandbox.issue(action.key).fields["parent"]["key"] == lesson.key
    assert [s.key for s in j.issue(lesson.key).fields.subtasks] == [action.key]
    assert sandbox.issue(action.key).fields["duedate"] == "2026-12-01"
    assert sandbox.issue(epic.key).labels == ["lessons-learnt", "release-4-2"]


def test_create_stores_properties_from_the_request_body(sandbox):
    identity = {"release": "4.2", "lesson": "feeds-off"}
    body = {"fields": epic_fields(sandbox), "properties": [{"key": "jirasync", "value": identity}]}
    created = session(sandbox).post(api(sandbox, "issue"), json=body)
    assert created.status_code == 201
    assert sandbox.issue(created.json()["key"]).properties == {"jirasync": identity}


BOTH = ("cloud", "datacenter")
REFUSED = [
    # (id, flavours, fields change, field whose error Jira reports)
    ("label-with-space", BOTH, {"labels": ["lessons learnt"]}, "labels"),
    ("duedate-not-iso", BOTH, {"duedate": "01/12/2026"}, "duedate"),
    ("duedate-impossible", BOTH, {"duedate": "2026-02-30"}, "duedate"),
    ("summary-missing", BOTH, {"summary": None}, "summary"),
    ("summary-too-long", BOTH, {"summary": "x" * 256}, "summary"),
    ("summary-newline", BOTH, {"summary": "two\nlines"}, "summary"),
    ("unknown-field", BOTH, {"customfield_99999": "x"}, "customfield_99999"),
    ("field-by-name", BOTH, {"Team": "PMO"}, "Team"),
    ("status-not-settable", BOTH, {"status": {"name": "Done"}}, "status"),
    ("unknown-issue-type", BOTH, {"issuetype": {"name": "Saga"}}, "issuetype"),
    ("unknown-project", BOTH, {"project": {"key": "NOPE"}}, "project"),
    ("assignee-by-name", ("cloud",), {"assignee": {"name": "sam.jones"}}, "assignee"),
    ("assignee-unknown", ("cloud",), {"assignee": {"accountId": "0000"}}, "assignee"),
    ("assignee-by-account", ("datacenter",), {"assignee": {"accountId": "5b10"}}, "assignee"),
    ("parent-not-an-epic", ("cloud",), {"parent": {"key": "DCR-2"}}, "parent"),
    ("parent-missing", ("cloud",), {"parent": {"key": "DCR-99"}}, "parent"),
    ("parent-on-dc-story", ("datacenter",), {"parent": {"key": "DCR-1"}}, "parent"),
    ("epic-link-not-epic", ("datacenter",), {EPIC_LINK: "DCR-2"}, EPIC_LINK),
]
REFUSED_CASES = [pytest.param(flavour, change, field, id=f"{flavour}-{case}")
                 for case, flavours, change, field in REFUSED for flavour in flavours]


@pytest.mark.parametrize("flavour, change, field", REFUSED_CASES)
def test_create_refuses_what_jira_refuses(make_sandbox, flavour, change, field):
    sandbox = make_sandbox(flavour)
    epic = sandbox.create_issue("Epic", "Release 4.2")
    sandbox.create_issue("Task", "A lesson", parent=epic)
    fields = {"project": {"key": "DCR"}, "issuetype": {"name": "Task"}, "summary": "x"} | change
    fields = {k: v for k, v in fields.items() if v is not None}

    answer = session(sandbox).post(api(sandbox, "issue"), json={"fields": fields})

    assert answer.status_code == 400
    assert field in answer.json()["errors"]
    assert len(sandbox.issues()) == 2


def test_create_reports_every_problem_at_once(sandbox):
    fields = {"project": {"key": "DCR"}, "issuetype": {"name": "Task"}, "summary": "",
              "labels": ["has space"], "duedate": "tomorrow"}
    answer = session(sandbox).post(api(sandbox, "issue"), json={"fields": fields})
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"summary", "labels", "duedate"}


@pytest.mark.parametrize("parent_type", ["none", "sub-task"])
def test_sub_task_needs_a_parent_that_is_not_a_sub_task(sandbox, parent_type):
    lesson = sandbox.create_issue("Task", "A lesson")
    action = sandbox.create_issue("Sub-task", "An action", parent=lesson)
    fields = action_fields(action)
    if parent_type == "none":
        del fields["parent"]
    answer = session(sandbox).post(api(sandbox, "issue"), json={"fields": fields})
    assert answer.status_code == 400
    assert "parent" in answer.json()["errors"]


def test_data_center_epic_requires_epic_name(sandbox_dc):
    fields = epic_fields(sandbox_dc)
    del fields[EPIC_NAME]
    with pytest.raises(jira.JIRAError) as refused:
        client(sandbox_dc).create_issue(fields=fields)
    assert refused.value.status_code == 400
    assert refused.value.response.json()["errors"] == {EPIC_NAME: "Epic Name is required."}


def test_required_field_knob_makes_creates_without_it_fail(sandbox):
    sandbox.require_field("Task", "Team")
    s = session(sandbox)
    base = {"project": {"key": "DCR"}, "issuetype": {"name": "Task"}, "summary": "A lesson"}

    without = s.post(api(sandbox, "issue"), json={"fields": base})
    with_team = s.post(api(sandbox, "issue"), json={"fields": base | {TEAM: "PMO"}})
    meta = s.get(api(sandbox, "issue/createmeta/DCR/issuetypes/10001")).json()

    assert without.status_code == 400
    assert without.json()["errors"] == {TEAM: "Team is required."}
    assert with_team.status_code == 201
    assert sandbox.issue(with_team.json()["key"]).fields[TEAM] == "PMO"
    listed = meta["fields"] if sandbox.flavour == "cloud" else meta["values"]
    assert {f["fieldId"]: f["required"] for f in listed}[TEAM] is True


def test_bulk_create_reports_errors_per_element(sandbox):
    epic = sandbox.create_issue("Epic", "Release 4.2")
    good = lesson_fields(sandbox, epic)
    bad = lesson_fields(sandbox, epic, labels=["not valid"])
    results = client(sandbox).create_issues([good, bad, good], prefetch=False)

    assert [r["status"] for r in results] == ["Success", "Error", "Success"]
    assert "labels" in results[1]["error"]
    assert [i.key for i in sandbox.issues()] == ["DCR-1", "DCR-2", "DCR-3"]


@pytest.mark.parametrize("count, created", [(50, 50), (51, 0)], ids=["fifty", "fifty-one"])
def test_bulk_create_takes_at_most_fifty(sandbox, count, created):
    updates = [{"fields": {"project": {"key": "DCR"}, "issuetype": {"name": "Task"},
                           "summary": f"Lesson {n}"}} for n in range(count)]
    answer = session(sandbox).post(api(sandbox, "issue/bulk"), json={"issueUpdates": updates})
    assert answer.status_code == (201 if created else 400)
    assert len(answer.json()["issues"]) == created == len(sandbox.issues())


def test_bulk_create_with_every_element_failing_answers_400(sandbox):
    updates = [{"fields": {"project": {"key": "DCR"}, "issuetype": {"name": "Task"}}}] * 2
    answer = session(sandbox).post(api(sandbox, "issue/bulk"), json={"issueUpdates": updates})
    assert answer.status_code == 400
    assert [e["failedElementNumber"] for e in answer.json()["errors"]] == [0, 1]
    assert sandbox.issues() == []


def test_edit_applies_fields_update_operations_and_properties_together(sandbox):
    key = sandbox.create_issue("Task", "Old title", labels=["lessons-learnt", "stale"])
    body = {"fields": {"summary": "New title", "duedate": "2026-12-20"},
            "update": {"labels": [{"add": "ll-keep"}, {"remove": "stale"}],
                       "comment": [{"add": {"body": "Moved in the review meeting."}}],
                       "description": [{"set": "Agreed at the session."}]},
            "properties": [{"key": "jirasync", "value": {"lesson": "feeds-off"}}]}
    answer = session(sandbox).put(api(sandbox, f"issue/{key}"), json=body)

    record = sandbox.issue(key)
    assert answer.status_code == 204
    assert (record.summary, record.fields["duedate"]) == ("New title", "2026-12-20")
    assert record.labels == ["lessons-learnt", "ll-keep"]
    assert record.fields["description"] == "Agreed at the session."
    assert [c["body"] for c in record.comments] == ["Moved in the review meeting."]
    assert record.properties == {"jirasync": {"lesson": "feeds-off"}}


def test_edit_that_fails_changes_nothing(sandbox):
    key = sandbox.create_issue("Task", "Old title", labels=["lessons-learnt"])
    before = sandbox.issue(key)
    body = {"fields": {"summary": "New title"}, "update": {"labels": [{"add": "bad label"}]},
            "properties": [{"key": "jirasync", "value": 1}]}
    answer = session(sandbox).put(api(sandbox, f"issue/{key}"), json=body)
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"labels"}
    assert sandbox.issue(key) == before


def test_library_update_with_fields_sets_labels(sandbox):
    key = sandbox.create_issue("Task", "A lesson", labels=["a"])
    client(sandbox).issue(key).update(fields={"labels": ["a", "ll-keep"]})
    assert sandbox.issue(key).labels == ["a", "ll-keep"]


def test_same_field_in_fields_and_update_is_refused(sandbox):
    key = sandbox.create_issue("Task", "A lesson")
    body = {"fields": {"labels": ["a"]}, "update": {"labels": [{"add": "b"}]}}
    answer = session(sandbox).put(api(sandbox, f"issue/{key}"), json=body)
    assert answer.status_code == 400


def test_assign_issue_through_the_library(sandbox):
    key = sandbox.create_issue("Sub-task", "An action", parent=sandbox.create_issue("Task", "L"))
    who = "sam.jones@example.org" if sandbox.flavour == "cloud" else "sam.jones"
    client(sandbox).assign_issue(key, who)
    assert sandbox.issue(key).assignee == sandbox.user_id("sam.jones@example.org")


@pytest.mark.parametrize("body_for, status, assigned", [
    ("flavour-ref", 204, True), ("default-assignee", 204, False), ("wrong-way", 400, False)])
def test_assignee_resource(sandbox, body_for, status, assigned):
    key = sandbox.create_issue("Task", "A lesson", assignee="tom.okafor@example.org")
    id_key, other = ("accountId", "name") if sandbox.flavour == "cloud" else ("name", "accountId")
    priya = sandbox.user("priya.shah@example.org")
    body = {"flavour-ref": user_ref(sandbox, priya.email),
            "default-assignee": {id_key: "-1"},
            "wrong-way": {other: priya.account_id if other == "accountId" else priya.name},
            }[body_for]
    answer = session(sandbox).put(api(sandbox, f"issue/{key}/assignee"), json=body)
    assert answer.status_code == status
    expected = {"flavour-ref": sandbox.user_id(priya.email), "default-assignee": None,
                "wrong-way": sandbox.user_id("tom.okafor@example.org")}[body_for]
    assert sandbox.issue(key).assignee == expected


def test_clearing_the_assignee_field_unassigns(sandbox):
    key = sandbox.create_issue("Task", "A lesson", assignee="tom.okafor@example.org")
    answer = session(sandbox).put(api(sandbox, f"issue/{key}"), json={"fields": {"assignee": None}})
    assert answer.status_code == 204
    assert sandbox.issue(key).assignee is None


def test_transitions_move_and_resolve(sandbox):
    j = client(sandbox)
    key = sandbox.create_issue("Task", "A lesson")
    assert {t["name"] for t in j.transitions(key)} == {"In Progress", "Done"}

    j.transition_issue(key, "In Progress")
    assert (sandbox.issue(key).status, sandbox.issue(key).fields["resolution"]) == (
        "In Progress", None)
    j.transition_issue(key, "Done", comment="Closed at the review.")
    done = sandbox.issue(key)
    assert done.status == "Done" and done.fields["resolution"]["name"] == "Done"
    assert done.fields["resolutiondate"] is not None
    assert done.comments[-1]["body"] == "Closed at the review."

    j.transition_issue(key, "To Do")
    assert sandbox.issue(key).fields["resolution"] is None


def test_unknown_transition_is_refused(sandbox):
    key = sandbox.create_issue("Task", "A lesson")
    answer = session(sandbox).post(api(sandbox, f"issue/{key}/transitions"),
                                   json={"transition": {"id": "99"}})
    assert answer.status_code == 400
    assert sandbox.issue(key).status == "To Do"


def test_get_issue_returns_the_fields_and_properties_asked_for(sandbox):
    key = sandbox.create_issue("Task", "A lesson", properties={"jirasync": {"id": 1}, "x": 2})
    s = session(sandbox)
    body = s.get(api(sandbox, f"issue/{key}"),
                 params={"fields": "summary,labels", "properties": "jirasync"}).json()
    assert set(body["fields"]) == {"summary", "labels"}
    assert body["properties"] == {"jirasync": {"id": 1}}
    assert s.get(api(sandbox, "issue/DCR-404")).status_code == 404
    assert s.get(f"{sandbox.url}/rest/api/latest/issue/{key.lower()}").json()["key"] == key
