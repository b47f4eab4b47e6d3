"""End to end against the sandbox Jira in both flavours, checked against Atlassian's
contract: what lands in Jira, not which calls were made."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from jirasync.errors import JiraError, UserNotFound
from jirasync.gateway.connect import connect
from jirasync.gateway.types import NewIssue
from jirasync.sandbox import SandboxUser

from .conftest import FakeTime

CREDENTIALS = {
    "cloud": {"auth_type": "basic", "email": "pmo-bot@example.org", "token": "sandbox-token"},
    "datacenter": {"auth_type": "pat", "token": "sandbox-pat"},
}


@pytest.fixture(params=["cloud", "datacenter"])
def jira(request, make_sandbox):
    """A gateway on a contract-checked sandbox (see tests/conftest.py), with fake time."""
    sb = make_sandbox(request.param)
    fake = FakeTime()
    gw = connect(sb.url, **CREDENTIALS[request.param], project="DCR", sleep=fake.sleep,
                 clock=fake.clock, max_requests_per_s=1000)
    gw.fake_time = fake   # for the tests that look at the waits
    yield sb, gw
    gw.close()


def make_tree(gw, owner) -> tuple[str, str, str]:
    """A release epic, a lesson under it and an action under the lesson: one bulk each."""
    (epic,) = gw.create_issues([NewIssue(
        issue_type="Epic", summary="Lessons learnt: DCR Release 4.2",
        labels=("lessons-learnt", "release-4-2"), epic_name="DCR Release 4.2",
        properties={"jirasync": {"release": "4.2"}})])
    (lesson,) = gw.create_issues([NewIssue(
        issue_type="Task", summary="Partners turned their feeds off late", parent=epic.key,
        labels=("lessons-learnt", "release-4-2", "ll-improve"),
        properties={"jirasync": {"release": "4.2", "lesson": "feeds-off"}})])
    (action,) = gw.create_issues([NewIssue(
        issue_type="Sub-task", summary="Add feed shutdown to the checklist", parent=lesson.key,
        assignee=owner.id, due=date(2026, 12, 1), labels=("lessons-learnt", "ll-action"),
        properties={"jirasync": {"release": "4.2", "lesson": "feeds-off",
                                 "action": "feeds-checklist"}})])
    return epic.key, lesson.key, action.key


def test_flavour_is_detected(jira):
    sb, gw = jira
    assert gw.flavour == sb.flavour
    assert gw.myself().display_name == "PMO Bot"


def test_jiras_clock_is_kept_from_its_server_info(jira):
    _sb, gw = jira
    assert gw.server_time is not None
    assert abs(gw.server_time - datetime.now(UTC)) < timedelta(minutes=1)   # its default clock


def test_tree_is_created_and_searched_back_with_properties(jira):
    sb, gw = jira
    owner = gw.find_user("sam.jones@example.org")
    epic, lesson, action = make_tree(gw, owner)
    assert sb.issue(action).assignee == owner.id
    found = {i.key: i for i in gw.search('project = DCR AND labels = "lessons-learnt"')}
    assert set(found) == {epic, lesson, action}
    assert found[lesson].parent == epic and found[action].parent == lesson
    assert (found[action].assignee, found[action].due) == (owner.id, date(2026, 12, 1))
    assert found[action].properties["jirasync"]["action"] == "feeds-checklist"
    assert found[epic].issue_type == "Epic" and found[action].status == "To Do"


def test_edit_labels_comment_and_property_in_one_put(jira):
    sb, gw = jira
    owner = gw.find_user("sam.jones@example.org")
    _, _, action = make_tree(gw, owner)
    writes = sb.count(write=True)
    gw.edit_issue(action, add_labels=["ll-overdue"], remove_labels=["ll-action"],
                  comment=f"{gw.mention(owner)} this action is overdue",
                  properties={"jirasync-chase": {"rung": 0}}, fields={"due": date(2027, 1, 4)})
    assert sb.count(write=True) == writes + 1
    record = sb.issue(action)
    assert "ll-overdue" in record.labels and "ll-action" not in record.labels
    assert record.fields["duedate"] == "2027-01-04"
    assert [c["body"] for c in record.comments] == [f"{gw.mention(owner)} this action is overdue"]
    assert record.properties["jirasync-chase"] == {"rung": 0}
    assert gw.get_property(action, "jirasync-chase") == {"rung": 0}
    assert gw.get_property(action, "nothing-here") is None


def test_users_and_notify(jira):
    sb, gw = jira
    owner = gw.find_user("sam.jones@example.org")
    assert owner.id == sb.user_id("sam.jones@example.org")
    assert gw.find_user(owner.id) == owner and gw.find_user("Sam Jones") == owner
    with pytest.raises(UserNotFound, match="'Alex Green' matches 2 Jira users"):
        gw.find_user("Alex Green")
    with pytest.raises(UserNotFound, match="no Jira user matches 'nobody@example.org'"):
        gw.find_user("nobody@example.org")
    epic, _, _ = make_tree(gw, owner)
    gw.notify(epic, subject="Lessons-learnt review on 3 March", text="Please update",
              to_users=[owner.id])
    assert len(sb.notifications) == 1


def test_rate_limits_are_waited_out(jira):
    sb, gw = jira
    sb.faults.rate_limit(2, retry_after=7)
    assert gw.find_user("sam.jones@example.org").display_name == "Sam Jones"
    assert gw.stats["retries"] == 2
    assert [w for w in gw.fake_time.waits if w >= 7] == [7, 7]


@pytest.mark.parametrize("jira", ["cloud"], indirect=True)   # only Cloud's search lags
def test_reconcile_sees_issues_the_cloud_index_has_not_caught_up_with(jira):
    sb, gw = jira
    sb.faults.search_lag(True)
    (made,) = gw.create_issues([NewIssue(issue_type="Task", summary="Fresh",
                                         labels=("lessons-learnt",))])
    jql = 'project = DCR AND labels = "lessons-learnt"'
    assert [i.key for i in gw.search(jql)] == []
    assert [i.key for i in gw.search(jql, reconcile=[made.id])] == [made.key]


def test_a_lost_create_answer_is_never_resent(jira):
    sb, gw = jira
    before = len(sb.issues())
    sb.faults.drop_after_create(1)
    with pytest.raises(JiraError) as caught:
        gw.create_issues([NewIssue(issue_type="Task", summary="Dropped answer")])
    assert caught.value.maybe_applied
    assert len(sb.issues()) == before + 1     # Jira made it once, and only once


def test_an_email_never_resolves_to_someone_whose_shown_address_differs(jira):
    sb, gw = jira
    sb.add_user(SandboxUser("5b10ac8d82e05b22cc7d4e77", "chris.lee", "chris@example.org.uk",
                            "Chris Lee"))
    with pytest.raises(UserNotFound, match="chris@example.org"):
        gw.find_user("chris@example.org")
    assert gw.find_user("chris@example.org.uk").display_name == "Chris Lee"


def test_a_failed_field_listing_is_an_error_never_a_missing_epic_link(make_sandbox):
    sb = make_sandbox("datacenter")
    gw = connect(sb.url, **CREDENTIALS["datacenter"], project="DCR", sleep=FakeTime().sleep,
                 max_requests_per_s=1000)
    sb.faults.fail(500, count=1, method="GET", path="/field$")
    with pytest.raises(JiraError, match="500"):
        gw.children_clause(["DCR-1"])
    assert '"Epic Link"' in gw.children_clause(["DCR-1"]) or "cf[" in gw.children_clause(
        ["DCR-1"])


def test_keys_lists_every_key_whatever_the_flavour_answers_for_ids(jira):
    """Cloud's /search/jql "`id` Returns only issue IDs": a key listing must ask for keys."""
    _sb, gw = jira
    owner = gw.find_user("sam.jones@example.org")
    made = make_tree(gw, owner)
    assert sorted(gw.keys("project = DCR AND labels = lessons-learnt")) == sorted(made)
