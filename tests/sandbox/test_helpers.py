"""The helpers tests use to act as people in the Jira UI, and what the sandbox reports."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jirasync.sandbox import Sandbox, SandboxError, SandboxUser
from jirasync.sandbox.catalog import EPIC_LINK, EPIC_NAME, TEAM
from tests.sandbox.clients import client

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def test_create_issue_places_children_the_flavours_way(sandbox):
    epic = sandbox.create_issue("Epic", "Release 4.2")
    lesson = sandbox.create_issue("Task", "A lesson", parent=epic, fields={"Team": "PMO"})
    action = sandbox.create_issue("Sub-task", "An action", parent=lesson,
                                  assignee="sam.jones@example.org", duedate=date(2026, 12, 1))
    record = sandbox.issue(lesson)
    if sandbox.flavour == "cloud":
        assert record.fields["parent"]["key"] == epic
    else:
        assert record.fields[EPIC_LINK] == epic
        assert sandbox.issue(epic).fields[EPIC_NAME] == "Release 4.2"
    assert record.fields[TEAM] == "PMO"
    assert (sandbox.issue(action).assignee, sandbox.issue(action).fields["duedate"]) == (
        sandbox.user_id("sam.jones@example.org"), "2026-12-01")


def test_edit_changes_fields_by_id_or_name(sandbox):
    key = sandbox.create_issue("Task", "A lesson", labels=["lessons-learnt"])
    aged = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
    sandbox.edit(key, duedate="2026-12-20", summary="Renamed", Team="Ops",
                 labels=["lessons-learnt", "ll-keep"], assignee="priya.shah@example.org",
                 created=aged)
    record = sandbox.issue(key)
    assert (record.summary, record.fields["duedate"], record.fields[TEAM]) == (
        "Renamed", "2026-12-20", "Ops")
    assert record.labels == ["lessons-learnt", "ll-keep"]
    assert record.assignee == sandbox.user_id("priya.shah@example.org")
    assert record.fields["created"] == "2025-01-06T09:30:00.000+0000"


@pytest.mark.parametrize("change, error", [
    ({"labels": ["has space"]}, SandboxError), ({"duedate": "next week"}, SandboxError),
    ({"Colour": "red"}, SandboxError), ({"assignee": "nobody@example.org"}, SandboxError)],
    ids=["label", "date", "unknown-field", "unknown-user"])
def test_helpers_refuse_what_jira_refuses(sandbox, change, error):
    key = sandbox.create_issue("Task", "A lesson")
    with pytest.raises(error):
        sandbox.edit(key, **change)
    assert sandbox.issue(key).fields["duedate"] is None


def test_transition_helper_resolves_and_reopens(make_sandbox):
    sb = make_sandbox("cloud", clock=lambda: NOON)
    key = sb.create_issue("Task", "A lesson")
    sb.transition(key, "Done")
    done = sb.issue(key)
    assert (done.status, done.fields["resolution"]["name"]) == ("Done", "Done")
    assert done.fields["resolutiondate"] == "2026-11-02T12:00:00.000+0000"
    sb.transition(key, "In Progress")
    assert sb.issue(key).fields["resolution"] is None
    with pytest.raises(KeyError):
        sb.transition(key, "Closed")


def test_clock_drives_timestamps_and_jql_time(make_sandbox):
    sb = make_sandbox("datacenter", clock=lambda: NOON)
    due = sb.create_issue("Task", "Overdue", duedate="2026-11-01")
    sb.create_issue("Task", "Later", duedate="2026-11-30")
    assert sb.issue(due).fields["created"] == "2026-11-02T12:00:00.000+0000"
    found = client(sb).search_issues("project = DCR AND duedate < startOfDay()")
    assert [i.key for i in found] == [due]


def test_added_users_are_found_and_inactive_ones_are_not_assignable(sandbox):
    sandbox.add_user(SandboxUser("5b10ac8d82e05b22cc7d4e55", "nia.brown", "nia.brown@example.org",
                                 "Nia Brown"))
    sandbox.add_user(SandboxUser("5b10ac8d82e05b22cc7d4e66", "old.hand", "old.hand@example.org",
                                 "Old Hand", active=False))
    j = client(sandbox)
    search = {"query": "nia"} if sandbox.flavour == "cloud" else {"user": "nia"}
    assert [u.displayName for u in j.search_users(**search)] == ["Nia Brown"]
    with pytest.raises(SandboxError):
        sandbox.create_issue("Task", "A lesson", assignee="old.hand@example.org")


def test_records_and_lookups(sandbox):
    key = sandbox.create_issue("Task", "A lesson", properties={"jirasync": {"lesson": "x"}})
    sandbox.add_comment(key, "First!")
    record = sandbox.issue(key)
    assert (record.key, record.id, record.properties) == (key, "10000", {"jirasync": {"lesson": "x"}})
    assert record.comments[0]["author"]["displayName"] == "PMO Bot"
    assert [r.key for r in sandbox.issues("DCR")] == [key]
    assert sandbox.issues("OTHER") == []
    with pytest.raises(KeyError):
        sandbox.issue("DCR-99")
    assert sandbox.user("sam.jones").email == "sam.jones@example.org"


def test_required_field_knob_refuses_fields_off_the_screen(sandbox):
    with pytest.raises(SandboxError):
        sandbox.require_field("Epic", "parent")


def test_lifecycle():
    sb = Sandbox("datacenter")
    with pytest.raises(RuntimeError):
        _ = sb.url
    with sb:
        assert sb.url.startswith("http://127.0.0.1:")
        assert client(sb).server_info()["versionNumbers"] == [9, 12, 0]
    with pytest.raises(RuntimeError):
        _ = sb.url
    with pytest.raises(ValueError):
        Sandbox("server")
    with pytest.raises(ValueError):
        Sandbox(email="stranger@example.org")
