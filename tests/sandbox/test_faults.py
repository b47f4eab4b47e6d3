"""Authentication, rate limits, injected failures, lost answers and latency."""
from __future__ import annotations

import base64
import time

import jira
import pytest
import requests

from tests.sandbox.clients import api, client, epic_fields, session

# The HTTP layer's own tests: authentication, faults and lost answers on a real socket
# (tests/sandbox/test_in_memory.py shows the in-memory way answers the same).
pytestmark = pytest.mark.over_http

NEW_TASK = {"fields": {"project": {"key": "DCR"}, "issuetype": {"name": "Task"},
                       "summary": "A lesson"}}


def _basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


AUTH = [
    ("cloud", None, "myself", 401),
    ("cloud", None, "serverInfo", 200),
    ("cloud", _basic("pmo-bot@example.org", "wrong"), "serverInfo", 401),
    ("cloud", _basic("pmo-bot@example.org", "sandbox-token"), "myself", 200),
    ("cloud", "Bearer sandbox-pat", "myself", 401),
    ("datacenter", None, "myself", 401),
    ("datacenter", "Bearer wrong", "myself", 401),
    ("datacenter", "Bearer sandbox-pat", "myself", 200),
    ("datacenter", _basic("pmo-bot@example.org", "sandbox-token"), "myself", 401),
]


@pytest.mark.parametrize("flavour, header, path, status", AUTH, ids=[
    "cloud-anonymous", "cloud-anonymous-serverinfo", "cloud-wrong-token", "cloud-ok",
    "cloud-bearer", "dc-anonymous", "dc-wrong-pat", "dc-ok", "dc-basic"])
def test_authentication(make_sandbox, flavour, header, path, status):
    sb = make_sandbox(flavour)
    answer = requests.get(api(sb, path), headers={"Authorization": header} if header else {})
    assert answer.status_code == status
    if status == 401:
        assert answer.json()["errorMessages"]


@pytest.mark.parametrize("flavour, auth", [
    ("cloud", {"basic_auth": ("pmo-bot@example.org", "not-the-token")}),
    ("datacenter", {"token_auth": "not-the-pat"})], ids=["cloud", "datacenter"])
def test_library_with_wrong_credentials_sees_401(make_sandbox, flavour, auth):
    sb = make_sandbox(flavour)
    with pytest.raises(jira.JIRAError) as refused:
        jira.JIRA(server=sb.url, max_retries=0, **auth).myself()
    assert refused.value.status_code == 401


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limit_answers_with_retry_after_then_recovers(sandbox, status):
    sandbox.faults.rate_limit(2, retry_after=7, status=status)
    s = session(sandbox)
    answers = [s.get(api(sandbox, "myself")) for _ in range(3)]
    assert [a.status_code for a in answers] == [status, status, 200]
    assert [a.headers.get("Retry-After") for a in answers[:2]] == ["7", "7"]
    assert [r.status for r in sandbox.requests] == [status, status, 200]


def test_library_sees_the_rate_limit_status(sandbox):
    j = client(sandbox)
    sandbox.faults.rate_limit(1, retry_after=3)
    with pytest.raises(jira.JIRAError) as limited:
        j.issue("DCR-1")
    assert limited.value.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "3"


def test_fail_answers_matching_requests_without_processing_them(sandbox):
    sandbox.faults.fail(502, count=2, method="POST", path=r"/issue$")
    s = session(sandbox)
    statuses = [s.post(api(sandbox, "issue"), json=NEW_TASK).status_code for _ in range(2)]
    unaffected = s.get(api(sandbox, "myself")).status_code
    last = s.post(api(sandbox, "issue"), json=NEW_TASK)
    assert (statuses, unaffected, last.status_code) == ([502, 502], 200, 201)
    assert [i.key for i in sandbox.issues()] == ["DCR-1"]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_library_sees_the_injected_status(sandbox, status):
    j = client(sandbox)
    sandbox.faults.fail(status)
    with pytest.raises(jira.JIRAError) as failed:
        j.create_issue(fields=NEW_TASK["fields"])
    assert failed.value.status_code == status
    assert sandbox.issues() == []


def test_dropped_answer_after_create_leaves_the_issue_in_jira(sandbox):
    j = client(sandbox)
    sandbox.faults.drop_after_create()
    with pytest.raises(requests.ConnectionError):
        j.create_issue(fields=epic_fields(sandbox))
    created = j.create_issue(fields=epic_fields(sandbox, summary="Second try"))

    assert [i.key for i in sandbox.issues()] == ["DCR-1", created.key]
    assert [(r.kind, r.status) for r in sandbox.requests if r.kind == "create"] == [
        ("create", 0), ("create", 201)]


def test_dropped_answer_after_bulk_create(sandbox):
    sandbox.faults.drop_after_create(count=1)
    with pytest.raises(requests.ConnectionError):
        session(sandbox).post(api(sandbox, "issue/bulk"), json={"issueUpdates": [NEW_TASK] * 3})
    assert len(sandbox.issues()) == 3


def test_dropped_answer_after_an_edit_leaves_the_edit_done_once(sandbox):
    j = client(sandbox)
    issue = j.create_issue(fields=epic_fields(sandbox))
    sandbox.faults.drop_after(("edit",))
    body = {"update": {"comment": [{"add": {"body": "Please update this action."}}]}}
    with pytest.raises(requests.ConnectionError):
        session(sandbox).put(api(sandbox, f"issue/{issue.key}"), json=body)
    session(sandbox).put(api(sandbox, f"issue/{issue.key}"), json={"fields": {"summary": "x"}})

    assert [c["body"] for c in sandbox.issue(issue.key).comments] == ["Please update this action."]
    assert [r.status for r in sandbox.requests if r.kind == "edit"] == [0, 204]


def test_latency_delays_every_answer(sandbox):
    s = session(sandbox)
    sandbox.latency_s = 0.05
    started = time.monotonic()
    s.get(api(sandbox, "myself"))
    assert time.monotonic() - started >= 0.05


def test_request_log_counts_kinds_and_writes(sandbox):
    j = client(sandbox)
    sandbox.reset_log()
    key = j.create_issue(fields=NEW_TASK["fields"], prefetch=False).key
    j.search_issues("project = DCR")
    j.add_comment(key, "A comment")
    assert sandbox.count("create") == 1
    assert sandbox.count("search") == 1
    assert sandbox.count(write=True) == 2
    assert {r.kind for r in sandbox.requests if not r.write} == {"field", "search"}


def test_on_cloud_every_sandbox_user_signs_in_with_the_token_as_themselves(make_sandbox):
    """So a PMO can write an owner's answer by hand (docs/answers.md); a user the sandbox
    does not know, or a wrong token, is still refused."""
    sb = make_sandbox("cloud")
    me = requests.get(api(sb, "myself"),
                      headers={"Authorization": _basic("sam.jones@example.org", "sandbox-token")})
    assert me.status_code == 200 and me.json()["displayName"] == "Sam Jones"
    for header in (_basic("sam.jones@example.org", "wrong"),
                   _basic("nobody@example.org", "sandbox-token")):
        assert requests.get(api(sb, "myself"),
                            headers={"Authorization": header}).status_code == 401
