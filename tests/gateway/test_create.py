"""Bulk creates: payloads per flavour, chunks of 50, per-element errors, lost answers."""
from __future__ import annotations

from datetime import date

import pytest
import requests
import responses

from jirasync.errors import JiraError
from jirasync.gateway.types import CreateResult, NewIssue

from .conftest import API, calls_to, open_gateway, sent

PROJECT = {"id": "10000", "key": "DCR", "name": "Digital Care Records", "issueTypes": [
    {"id": "10100", "name": "Epic", "subtask": False},
    {"id": "10101", "name": "Task", "subtask": False},
    {"id": "10102", "name": "Sub-task", "subtask": True}]}
FIELDS = [{"id": "customfield_10008", "name": "Epic Link"},
          {"id": "customfield_10009", "name": "Epic Name"},
          {"id": "customfield_10020", "name": "Team"}]


def jira_with_project(rsps, fake_time, flavour="cloud"):
    gw = open_gateway(rsps, fake_time, flavour)
    rsps.add(responses.GET, f"{API}/project/DCR", json=PROJECT)
    rsps.add(responses.GET, f"{API}/field", json=FIELDS)
    gw.project("DCR")
    return gw


def created(*numbers: int) -> dict:
    return {"issues": [{"id": str(20000 + n), "key": f"DCR-{n}"} for n in numbers],
            "errors": []}


def tree() -> list[NewIssue]:
    return [
        NewIssue(issue_type="Epic", summary="Lessons learnt: 4.2", labels=("lessons-learnt",),
                 properties={"jirasync": {"release": "4.2"}}),
        NewIssue(issue_type="Task", summary="Feeds off late", parent="DCR-1",
                 fields={"Team": "PMO"}),
        NewIssue(issue_type="Sub-task", summary="Checklist", parent="DCR-2",
                 assignee="sam", due=date(2026, 12, 1)),
    ]


def test_cloud_payload(rsps, fake_time):
    gw = jira_with_project(rsps, fake_time, "cloud")
    rsps.add(responses.POST, f"{API}/issue/bulk", status=201, json=created(1, 2, 3))
    assert [r.key for r in gw.create_issues(tree())] == ["DCR-1", "DCR-2", "DCR-3"]
    epic, task, sub = sent(calls_to(rsps, "/issue/bulk")[0])["issueUpdates"]
    assert epic["fields"] == {"project": {"key": "DCR"}, "issuetype": {"id": "10100"},
                              "summary": "Lessons learnt: 4.2", "labels": ["lessons-learnt"]}
    assert epic["properties"] == [{"key": "jirasync", "value": {"release": "4.2"}}]
    assert task["fields"]["parent"] == {"key": "DCR-1"}
    assert task["fields"]["customfield_10020"] == "PMO"
    assert sub["fields"]["parent"] == {"key": "DCR-2"}
    assert sub["fields"]["assignee"] == {"accountId": "sam"}
    assert sub["fields"]["duedate"] == "2026-12-01"


def test_datacenter_payload_uses_epic_link_and_epic_name(rsps, fake_time):
    gw = jira_with_project(rsps, fake_time, "datacenter")
    rsps.add(responses.POST, f"{API}/issue/bulk", status=201, json=created(1, 2, 3))
    gw.create_issues(tree())
    epic, task, sub = sent(calls_to(rsps, "/issue/bulk")[0])["issueUpdates"]
    assert epic["fields"]["customfield_10009"] == "Lessons learnt: 4.2"
    assert task["fields"]["customfield_10008"] == "DCR-1" and "parent" not in task["fields"]
    assert sub["fields"]["parent"] == {"key": "DCR-2"}
    assert sub["fields"]["assignee"] == {"name": "sam"}


def test_120_creates_take_3_requests_in_input_order(rsps, fake_time):
    gw = jira_with_project(rsps, fake_time)
    for first, count in ((1, 50), (51, 50), (101, 20)):
        rsps.add(responses.POST, f"{API}/issue/bulk", status=201,
                 json=created(*range(first, first + count)))
    issues = [NewIssue(issue_type="Task", summary=f"lesson {n}") for n in range(120)]
    results = gw.create_issues(issues)
    assert [len(sent(c)["issueUpdates"]) for c in calls_to(rsps, "/issue/bulk")] == [50, 50, 20]
    assert [r.index for r in results] == list(range(120))
    assert [r.key for r in results] == [f"DCR-{n}" for n in range(1, 121)]
    assert gw.stats["bulk-create"] == 3


def element_error(number: int, message: str) -> dict:
    return {"status": 400, "failedElementNumber": number,
            "elementErrors": {"errorMessages": [], "errors": {"labels": message}}}


def test_per_element_errors_keep_their_place(rsps, fake_time):
    gw = jira_with_project(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/bulk", status=201, json={
        "issues": [{"id": "20001", "key": "DCR-1"}, {"id": "20003", "key": "DCR-3"}],
        "errors": [element_error(1, "no spaces"), element_error(3, "too long")]})
    issues = [NewIssue(issue_type="Task", summary=f"s{n}") for n in range(4)]
    assert gw.create_issues(issues) == [
        CreateResult(0, "DCR-1", "20001"), CreateResult(1, error="labels: no spaces"),
        CreateResult(2, "DCR-3", "20003"), CreateResult(3, error="labels: too long")]


def test_all_elements_failing_is_a_400_with_results_not_an_exception(rsps, fake_time):
    gw = jira_with_project(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/bulk", status=400,
             json={"issues": [], "errors": [element_error(0, "bad")]})
    (result,) = gw.create_issues([NewIssue(issue_type="Task", summary="s")])
    assert result == CreateResult(0, error="labels: bad")


def test_a_lost_answer_is_maybe_applied_and_never_resent(rsps, fake_time):
    gw = jira_with_project(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/bulk", status=201, json=created(*range(1, 51)))
    rsps.add(responses.POST, f"{API}/issue/bulk",
             body=requests.ConnectionError("Connection aborted: RemoteDisconnected"))
    issues = [NewIssue(issue_type="Task", summary=f"s{n}") for n in range(60)]
    with pytest.raises(JiraError) as caught:
        gw.create_issues(issues)
    err = caught.value
    assert err.maybe_applied and not err.retryable
    assert "may have done it" in str(err)
    assert [r.key for r in err.results] == [f"DCR-{n}" for n in range(1, 51)]
    assert len(calls_to(rsps, "/issue/bulk")) == 2


def test_a_request_level_400_raises(rsps, fake_time):
    gw = jira_with_project(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/bulk", status=400,
             json={"errorMessages": ["issueUpdates is required"]})
    with pytest.raises(JiraError, match="rejected the creation of 1 issues .*required"):
        gw.create_issues([NewIssue(issue_type="Task", summary="s")])


def test_unknown_issue_type_fails_before_any_write(rsps, fake_time):
    gw = jira_with_project(rsps, fake_time)
    with pytest.raises(JiraError, match="project DCR has no issue type 'Story' "
                       r"\(it has: Epic, Task, Sub-task\)"):
        gw.create_issues([NewIssue(issue_type="Task", summary="a"),
                          NewIssue(issue_type="Story", summary="b")])
    assert not calls_to(rsps, "/issue/bulk")


def test_the_default_project_comes_from_connect(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, project="DCR")
    rsps.add(responses.GET, f"{API}/project/DCR", json=PROJECT)
    rsps.add(responses.POST, f"{API}/issue/bulk", status=201, json=created(1))
    gw.create_issues([NewIssue(issue_type="Task", summary="s")])
    assert sent(calls_to(rsps, "/issue/bulk")[0])["issueUpdates"][0]["fields"]["project"] == {
        "key": "DCR"}


def test_creating_without_a_project_is_a_programming_error(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    with pytest.raises(ValueError, match="project"):
        gw.create_issues([NewIssue(issue_type="Task", summary="s")])
