"""Pacing, retries and error mapping: the transport rules, through the public Gateway."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
import responses

from jirasync.errors import AuthError, JiraError, UnexpectedAnswer
from jirasync.gateway.connect import connect
from jirasync.gateway.failures import retry_after_s

from .conftest import API, BASE, TOKEN, calls_to, open_gateway, server_info

MYSELF = {"accountId": "acc-bot", "displayName": "PMO bot"}
ISSUE = {"key": "DCR-1", "id": "10001", "fields": {"summary": "s", "issuetype": {"name": "Task"}}}


def test_every_request_has_the_timeout(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, timeout_s=7)
    rsps.add(responses.GET, f"{API}/myself", json=MYSELF)
    gw.myself()
    assert [c.request.req_kwargs["timeout"] for c in rsps.calls] == [7, 7]


def test_requests_are_paced_to_max_requests_per_s(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, max_requests_per_s=4)
    rsps.add(responses.GET, f"{API}/myself", json=MYSELF)
    for _ in range(3):
        gw.myself()
    assert fake_time.waits == [0.25, 0.25, 0.25]


def test_retry_after_is_a_minimum_wait(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, rng=lambda: 0.0)
    rsps.add(responses.GET, f"{API}/myself", status=429, headers={"Retry-After": "5"})
    rsps.add(responses.GET, f"{API}/myself", json=MYSELF)
    assert gw.myself().id == "acc-bot"
    assert fake_time.retry_waits == [5.0]
    assert gw.stats["meta"] == 3 and gw.stats["retries"] == 1


def test_backoff_grows_past_a_short_retry_after(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, rng=lambda: 1.0)
    for _ in range(4):
        rsps.add(responses.GET, f"{API}/myself", status=503, headers={"Retry-After": "1"})
    rsps.add(responses.GET, f"{API}/myself", json=MYSELF)
    gw.myself()
    assert fake_time.retry_waits == [1.0, 2.0, 4.0, 8.0]


def test_backoff_without_retry_after_is_jittered_and_capped(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, rng=lambda: 0.5, max_retry_s=1000)
    for _ in range(8):
        rsps.add(responses.GET, f"{API}/myself", status=429)
    rsps.add(responses.GET, f"{API}/myself", json=MYSELF)
    gw.myself()
    assert fake_time.retry_waits == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_gives_up_before_waiting_longer_than_max_retry_s(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, max_retry_s=300)
    rsps.add(responses.POST, f"{API}/search/jql", status=429, headers={"Retry-After": "90"})
    with pytest.raises(JiraError) as caught:
        list(gw.search("project = DCR"))
    assert str(caught.value) == ("Jira kept answering 429 Too Many Requests for 300 s; "
                                 "try again later or lower jira.max_requests_per_s")
    assert caught.value.status == 429 and caught.value.retryable
    assert sum(fake_time.retry_waits) <= 300
    assert len(calls_to(rsps, "/search/jql")) == 4


def test_retry_after_http_date():
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    response = requests.Response()
    response.headers["Retry-After"] = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_s(response, now) == 90
    response.headers["Retry-After"] = "soon"
    assert retry_after_s(response, now) is None


def test_429_and_503_are_retried_even_for_a_create(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/DCR-1/comment", status=503)
    rsps.add(responses.POST, f"{API}/issue/DCR-1/comment", status=429)
    rsps.add(responses.POST, f"{API}/issue/DCR-1/comment", status=201, json={"id": "77"})
    assert gw.add_comment("DCR-1", "hello") == "77"
    assert gw.stats["comment"] == 3


def test_502_is_retried_for_a_search(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/search/jql", status=502)
    rsps.add(responses.POST, f"{API}/search/jql", json={"issues": [ISSUE]})
    assert [i.key for i in gw.search("project = DCR")] == ["DCR-1"]


@pytest.mark.parametrize("status", [502, 504])
def test_502_and_504_are_not_retried_for_a_create(rsps, fake_time, status):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/DCR-1/comment", status=status)
    with pytest.raises(JiraError) as caught:
        gw.add_comment("DCR-1", "hello")
    assert caught.value.maybe_applied and not caught.value.retryable
    assert caught.value.issue == "DCR-1"
    assert len(calls_to(rsps, "/comment")) == 1


def test_lost_connection_is_retried_for_a_read(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.GET, f"{API}/myself", body=requests.ConnectionError("reset by peer"))
    rsps.add(responses.GET, f"{API}/myself", body=requests.ReadTimeout("read timed out"))
    rsps.add(responses.GET, f"{API}/myself", json=MYSELF)
    assert gw.myself().id == "acc-bot"
    assert gw.stats["retries"] == 2


def test_a_connection_that_never_opened_is_retried_even_for_a_write(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/DCR-1/comment",
             body=requests.ConnectTimeout("connect timed out"))
    rsps.add(responses.POST, f"{API}/issue/DCR-1/comment", status=201, json={"id": "78"})
    assert gw.add_comment("DCR-1", "hello") == "78"


def test_an_unreachable_jira_fails_after_a_few_tries(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.GET, f"{API}/myself", body=requests.ConnectTimeout("timed out"))
    with pytest.raises(JiraError) as caught:
        gw.myself()
    assert str(caught.value).startswith(f"could not reach Jira at {BASE}")
    assert caught.value.retryable and not caught.value.maybe_applied
    assert gw.stats["meta"] == 1 + 4


def test_401_at_connect_is_an_auth_error(rsps, fake_time):
    server_info(rsps, status=401)
    with pytest.raises(AuthError) as caught:
        connect(BASE, email="pmo-bot@example.org", token=TOKEN, sleep=fake_time.sleep,
                clock=fake_time.clock)
    assert str(caught.value) == (f"Jira did not accept the credentials for {BASE} (401): "
                                 "check the email and the token (jira.auth and the token "
                                 "it names)")
    assert caught.value.status == 401


def test_403_is_an_auth_error_naming_the_request(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/DCR-1/notify", status=403,
             json={"errorMessages": ["You do not have permission to notify"]})
    with pytest.raises(AuthError, match="refused the notification on DCR-1 to the bot "
                       r"\(403 Forbidden\): You do not have permission to notify"):
        gw.notify("DCR-1", subject="s", text="t", to_users=["acc-1"])


def test_400_joins_jiras_messages_and_names_the_issue(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.PUT, f"{API}/issue/DCR-7", status=400, json={
        "errorMessages": ["Bad edit"], "errors": {"duedate": "Error parsing date string"}})
    with pytest.raises(JiraError) as caught:
        gw.edit_issue("DCR-7", fields={"duedate": "tomorrow"})
    assert str(caught.value) == ("Jira rejected the edit of DCR-7 (400): Bad edit; "
                                 "duedate: Error parsing date string")
    assert caught.value.issue == "DCR-7" and caught.value.status == 400


def test_404_on_an_issue_names_the_key(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/DCR-404/comment", status=404,
             json={"errorMessages": ["Issue does not exist or you do not have permission"]})
    with pytest.raises(JiraError, match="Jira has no issue DCR-404") as caught:
        gw.add_comment("DCR-404", "x")
    assert caught.value.status == 404 and not caught.value.maybe_applied


def test_a_non_json_answer_says_to_check_the_url(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.GET, f"{API}/myself", body="<html>login</html>")
    with pytest.raises(UnexpectedAnswer, match=r"without a JSON body \(it sent an HTML page; "
                       r"is jira.url \(https://jira.example.test\) the address of Jira"):
        gw.myself()


def test_an_answer_cut_off_midway_is_retried_for_a_read(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.GET, f"{API}/myself",
             body=requests.exceptions.ChunkedEncodingError("connection broken"))
    rsps.add(responses.GET, f"{API}/myself", json=MYSELF)
    assert gw.myself().id == "acc-bot"


def test_an_answer_cut_off_midway_may_have_been_applied_for_a_write(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/DCR-1/comment",
             body=requests.exceptions.ChunkedEncodingError("connection broken"))
    with pytest.raises(JiraError) as caught:
        gw.add_comment("DCR-1", "hello")
    assert caught.value.maybe_applied
    assert len([c for c in rsps.calls if c.request.method == "POST"]) == 1
