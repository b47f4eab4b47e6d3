"""An answer jirasync does not understand is a clear error, never a crash: each of
Jira's example answers, truncated or mistyped (a key missing, null, a value of another
type, a body that is not JSON, an HTML page with 200), ends either in what the answer
still says or in a JiraError, and the error for an answer not understood is one line
naming the request and the value: "Jira answered <request> without <value>; ...".
"""
from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import responses

from jirasync.errors import JiraError, UnexpectedAnswer
from jirasync.gateway.client import Gateway
from jirasync.gateway.connect import connect
from jirasync.gateway.transport import Transport
from jirasync.gateway.types import NewIssue, Pacing

from .conftest import API, BASE, TOKEN, server_info
from .test_examples import as_v2, example

MESSAGE = (r"^Jira answered .+ without .+; (nothing was written after it|Jira may have "
           r"done it, so it was not sent again: search before retrying)$")
OWNERS = ["mia@example.com", "a@example.org", "b@example.org", "c@example.org"]


@dataclass(frozen=True)
class Operation:
    """One gateway operation fed a broken answer: its example, the request it answers,
    what else must answer first, and the gateway call."""

    example: str
    method: str
    url: str
    call: Callable[[Gateway], Any]
    flavour: str = "cloud"
    status: int = 200
    first: Callable[[responses.RequestsMock], None] = lambda rsps: None
    adapt: Callable[[Any], Any] = lambda body: body     # as in test_examples

    def answer(self) -> Any:
        return self.adapt(example(self.example))


def v2(body: dict) -> dict:
    """Issues as v2 writes them (see test_examples.as_v2)."""
    for issue in body.get("issues", [body]):
        as_v2(issue)
    return body


def active(users: list[dict]) -> list[dict]:
    return [{**u, "active": True} for u in users]


def project(rsps) -> None:
    rsps.add(responses.GET, f"{API}/project/EX", json=example("getProject_v2"))


def fields(rsps) -> None:
    rsps.add(responses.GET, f"{API}/field", json=example("getFields_v2"))


def preload(gw: Gateway) -> None:
    gw.preload_users(OWNERS)


OPERATIONS = {
    "myself": Operation("getCurrentUser_v2", "GET", "myself", lambda gw: gw.myself()),
    "project": Operation("getProject_v2", "GET", "project/EX",
                         lambda gw: (gw.project("EX"),
                                     gw.create_issues([NewIssue(summary="x", issue_type="Task")], project="EX"))),
    "create-screen": Operation("getCreateIssueMetaIssueTypeId_v2", "GET",
                               "issue/createmeta/EX/issuetypes/3",
                               lambda gw: gw.create_fields("EX", "Task"), first=project),
    "fields": Operation("getFields_v2", "GET", "field",
                        lambda gw: (gw.field_id("Summary"), gw.field_id("description"))),
    "search/jql": Operation("searchAndReconsileIssuesUsingJqlPost_v2", "POST", "search/jql",
                            lambda gw: (list(gw.search("project = ED")),
                                        list(gw.keys("project = ED"))), adapt=v2),
    "search (Data Center)": Operation(
        "searchForIssuesUsingJqlPost_v2", "POST", "search",
        lambda gw: (list(gw.search("project = ED ORDER BY key")),
                    list(gw.search("project = ED", properties=())), gw.count("x")),
        flavour="datacenter", first=fields, adapt=v2),
    "issue by key": Operation("getIssue_v2", "GET", "issue/ED-1",
                              lambda gw: gw.get_issue("ED-1"), adapt=v2),
    "issue by key (Data Center)": Operation("getIssue_v2", "GET", "issue/ED-1",
                                            lambda gw: gw.get_issue("ED-1"), adapt=v2,
                                            flavour="datacenter", first=fields),
    "bulk create": Operation("createIssues_v2", "POST", "issue/bulk",
                             lambda gw: gw.create_issues([NewIssue(summary="a", issue_type="Task"),
                                                          NewIssue(summary="b", issue_type="Task")],
                                                         project="EX"),
                             status=201, first=project),
    "bulk create refused": Operation("createIssues_v2-400", "POST", "issue/bulk",
                                     lambda gw: gw.create_issues([NewIssue(summary="a", issue_type="Task"),
                                                                  NewIssue(summary="b", issue_type="Task")],
                                                                 project="EX"),
                                     status=400, first=project),
    "issue property": Operation("getIssueProperty_v2", "GET",
                                "issue/EX-2/properties/issue.support",
                                lambda gw: gw.get_property("EX-2", "issue.support")),
    "project property keys": Operation("getProjectPropertyKeys_v2", "GET",
                                       "project/EX/properties",
                                       lambda gw: gw.project_property_keys("EX")),
    "project property": Operation("getProjectProperty_v2", "GET",
                                  "project/EX/properties/issue.support",
                                  lambda gw: gw.get_project_property("issue.support", "EX")),
    "comment": Operation("addComment_v2", "POST", "issue/ED-1/comment",
                         lambda gw: gw.add_comment("ED-1", "hello"), status=201),
    "user search": Operation("findUsers_v2", "GET", "user/search",
                             lambda gw: gw.find_user("Mia Krystof"), adapt=active),
    "assignable users": Operation("findAssignableUsers_v2", "GET", "user/assignable/search",
                                  preload, adapt=lambda user: [user]),
}


def bare_gateway(flavour: str) -> Gateway:
    """A Gateway on a plain session: the fuzz makes thousands, and connecting (the
    ``jira`` library's set-up) is tested elsewhere."""
    transport = Transport(BASE, Pacing(max_requests_per_s=1e9, max_retry_s=0),
                          sleep=lambda s: None, clock=lambda: 0.0, rng=lambda: 0.0)
    transport.session = requests.Session()
    transport.session.headers["Authorization"] = f"Bearer {TOKEN}"
    return Gateway(requests.Session(), transport, flavour, project="EX")


def paths(value: Any, at: tuple = (), depth: int = 6) -> Iterator[tuple]:
    """Every place in ``value`` a mutation can hit (the first element of each list)."""
    if depth == 0:
        return
    children = value.items() if isinstance(value, dict) else \
        [(0, value[0])] if isinstance(value, list) and value else []
    for key, child in children:
        yield (*at, key)
        yield from paths(child, (*at, key), depth - 1)


def other_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float):
        return "12x"
    if isinstance(value, str):
        return 42
    if isinstance(value, list):
        return {"0": value[:1]}
    return ["not", "an", "object"]


def mutated(body: Any) -> Iterator[tuple[str, Any]]:
    """(label, broken copy of ``body``): each value missing, null, of another type."""
    for at in paths(body):
        for how in ("missing", "null", "other type"):
            if how == "missing" and isinstance(at[-1], int):
                continue
            broken = copy.deepcopy(body)
            parent = broken
            for step in at[:-1]:
                parent = parent[step]
            if how == "missing":
                del parent[at[-1]]
            else:
                parent[at[-1]] = None if how == "null" else other_type(parent[at[-1]])
            yield f"{'.'.join(map(str, at))} {how}", broken


def bodies(body: Any) -> Iterator[tuple[str, dict]]:
    """Whole answers that are not the example's shape: (label, responses keywords)."""
    text = json.dumps(body)
    yield "truncated", {"body": text[: len(text) // 2]}
    yield "html with 200", {"body": "<!DOCTYPE html><html><body>Log in</body></html>",
                            "content_type": "text/html"}
    yield "plain text", {"body": "Service is starting"}
    yield "empty", {"body": ""}
    for label, value in (("null", None), ("a list", []), ("an object", {}), ("a number", 7),
                         ("text", "ok")):
        yield f"JSON {label}", {"body": json.dumps(value), "content_type": "application/json"}


def outcome(op: Operation, answer: dict) -> BaseException | None:
    """What the gateway does with ``answer`` (responses keywords) to ``op``'s request."""
    gw = bare_gateway(op.flavour)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        op.first(rsps)
        rsps.add(op.method, f"{API}/{op.url}", status=op.status, **answer)
        # Anything else the operation goes on to ask (a second page, a property read,
        # a user search after the preload) finds nothing.
        rsps.add(responses.GET, f"{API}/user/search", json=[])
        rsps.add(responses.GET, f"{API}/user/assignable/search", json=[])
        rsps.add(responses.GET, f"{API}/issue/ED-1", json={"key": "ED-1", "fields": {}})
        rsps.add(responses.POST, f"{API}/search", json={"issues": [], "total": 0})
        rsps.add(responses.POST, f"{API}/issue/bulk", status=201,
                 json={"issues": [{"id": "10000", "key": "EX-1"}], "errors": []})
        try:
            op.call(gw)
        except Exception as e:  # noqa: BLE001 - classified by the test
            return e
    return None


def unexpected(error: BaseException | None) -> UnexpectedAnswer | None:
    """The UnexpectedAnswer an error is or wraps (CreateFailed wraps a bulk create's)."""
    while error is not None and not isinstance(error, UnexpectedAnswer):
        error = error.__cause__
    return error


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_broken_answer_is_a_jira_error_never_a_crash(name):
    op = OPERATIONS[name]
    assert outcome(op, {"json": op.answer()}) is None          # the example itself is read
    crashes, refused = [], 0
    cases = [(label, {"json": body}) for label, body in mutated(op.answer())]
    for label, answer in [*cases, *bodies(op.answer())]:
        error = outcome(op, answer)
        if error is not None and not isinstance(error, JiraError):
            crashes.append(f"{label}: {type(error).__name__}: {error}")
        clear = unexpected(error)
        if clear is not None:
            refused += 1
            assert "\n" not in str(clear) and clear.status in (op.status, 200), label
            assert not clear.retryable, label
            assert re.match(MESSAGE, str(clear)), f"{label}: {clear}"
    assert not crashes, f"{len(crashes)} of {len(cases)} broken answers crashed:\n" + \
        "\n".join(crashes[:20])
    assert refused >= 3, f"only {refused} broken answers were refused"


@pytest.mark.parametrize("name", [n for n, op in OPERATIONS.items() if op.status < 300])
def test_an_html_page_with_200_names_the_request_and_the_url(name):
    op = OPERATIONS[name]
    error = unexpected(outcome(op, {"body": "<html><body>Single sign-on</body></html>",
                                    "content_type": "text/html"}))
    assert error is not None
    assert "without a JSON body (it sent an HTML page; is jira.url " \
           f"({BASE}) the address of Jira itself?)" in str(error)


@pytest.mark.parametrize("missing, message", [
    (("issues", 0, "key"), "the search without issues[0].key; nothing was written after it"),
    (("issues", 0, "id"), "the search without issues[0].id; nothing"),
    (("issues",), "the search without issues; nothing"),
    (("issues", 0, "fields", "project"), None),           # not read by jirasync
    (("issues", 0, "fields", "description"), None),       # absent: the issue has none
], ids=["key", "id", "issues", "project", "description"])
def test_what_is_missing_is_named(missing, message):
    op = OPERATIONS["search/jql"]
    body = op.answer()
    parent = body
    for step in missing[:-1]:
        parent = parent[step]
    del parent[missing[-1]]
    error = outcome(op, {"json": body})
    if message is None:
        assert error is None
    else:
        assert isinstance(error, UnexpectedAnswer)
        assert str(error).startswith(f"Jira answered {message}")


def test_a_create_whose_answer_is_not_understood_may_have_been_applied():
    """Jira made the issues even if its answer cannot be read: the caller searches for
    them before sending them again (and never takes them for failed)."""
    op = OPERATIONS["bulk create"]
    body = op.answer()
    del body["issues"][1]["key"]
    error = outcome(op, {"json": body})
    assert isinstance(error, JiraError) and error.maybe_applied
    assert str(error) == ("Jira answered the creation of 2 issues without issues[1].key; "
                          "Jira may have done it, so it was not sent again: search before "
                          "retrying")


def test_server_info_not_understood(rsps, fake_time):
    """serverInfo, read while connecting: mistyped values are named, not crashed on."""
    server_info(rsps)
    for broken, missing in (({"versionNumbers": "9.12"}, "versionNumbers as a list"),
                            ({"versionNumbers": None}, "versionNumbers as a list"),
                            ({"serverTime": 5}, "serverTime as a date-time"),
                            ({"serverTime": "at noon"}, "serverTime as a date-time"),
                            ({"deploymentType": ["Cloud"]}, "deploymentType as text")):
        rsps.replace(responses.GET, f"{API}/serverInfo", json={
            "versionNumbers": [9, 12, 0], "deploymentType": "Cloud", **broken})
        with pytest.raises(UnexpectedAnswer, match=f"^Jira answered the serverInfo request "
                           f"without {missing} "):
            connect(BASE, email="pmo-bot@example.org", token=TOKEN, sleep=fake_time.sleep,
                    clock=fake_time.clock)
