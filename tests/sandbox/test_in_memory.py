"""The in-memory way to the sandbox (tests/in_memory.py) answers as HTTP does.

The same exchanges, faults among them, are sent to a sandbox served over loopback HTTP
and to one reached in memory, each with the same clock: the statuses, the headers (all
but the time of day), the bodies, the lost answers, the request logs and the contract
check's findings must be the same.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import requests

from jirasync.sandbox import Sandbox
from tests import in_memory
from tests.conftest import FLAVOURS, checked_sandbox
from tests.sandbox.clients import epic_fields, session

NOON = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)
BASIC_WRONG = {"Authorization": "Basic cG1vLWJvdEBleGFtcGxlLm9yZzp3cm9uZw=="}


def _task(summary: str) -> dict:
    return {"fields": {"project": {"key": "DCR"}, "issuetype": {"name": "Task"},
                       "summary": summary, "labels": ["lessons-learnt"],
                       "duedate": "2026-12-01"}}


def _search(sb: Sandbox) -> str:
    return "search/jql" if sb.flavour == "cloud" else "search"


# Each step: what to do to the sandbox first (or nothing), then the request sent: method,
# path, and options for requests (or a function of the sandbox making them).
Step = tuple[Callable[[Sandbox], object] | None, str, Callable[[Sandbox], str],
             dict | Callable[[Sandbox], dict]]
STEPS: list[Step] = [
    (None, "GET", lambda sb: "rest/api/2/serverInfo", {"anonymous": True}),
    (None, "GET", lambda sb: "rest/api/2/myself", {"anonymous": True}),
    (None, "GET", lambda sb: "rest/api/2/myself", {"headers": BASIC_WRONG}),
    (None, "GET", lambda sb: "rest/api/2/myself", {}),
    (None, "POST", lambda sb: "rest/api/2/issue", lambda sb: {"json": {"fields": epic_fields(sb)}}),
    (None, "POST", lambda sb: "rest/api/2/issue", {"json": _task("A lesson")}),
    (None, "GET", lambda sb: "rest/api/2/issue/DCR-2", {}),
    (None, "GET", lambda sb: "rest/api/2/issue/DCR-99", {}),
    (None, "PUT", lambda sb: "rest/api/2/issue/DCR-2",
     {"json": {"fields": {"summary": "A lesson, edited"}}}),
    (None, "POST", lambda sb: "rest/api/2/issue", {"data": b"{not json"}),
    (None, "GET", lambda sb: f"rest/api/2/{_search(sb)}",
     {"params": {"jql": "project = DCR ORDER BY key", "fields": "summary,duedate"}}),
    (None, "GET", lambda sb: f"rest/api/2/{_search(sb)}", {"params": {"jql": "project = ="}}),
    (lambda sb: sb.faults.rate_limit(1, retry_after=7), "GET",
     lambda sb: "rest/api/2/issue/DCR-1", {}),
    (lambda sb: sb.faults.fail(502, path="/issue/"), "GET",
     lambda sb: "rest/api/2/issue/DCR-1", {}),
    (lambda sb: sb.faults.drop_after_create(), "POST", lambda sb: "rest/api/2/issue",
     {"json": _task("Lost answer")}),
    (None, "GET", lambda sb: "rest/api/2/issue/DCR-3", {}),
    (None, "POST", lambda sb: "webhooks/teams/pmo", {"json": {"text": "hello"}}),
    (None, "GET", lambda sb: "webhooks", {"anonymous": True}),
    (None, "GET", lambda sb: "rest/api/2/no-such-thing", {}),
]


@contextmanager
def _started(contract, flavour: str, *, memory: bool) -> Iterator[Sandbox]:
    was, in_memory.enabled = in_memory.enabled, memory
    try:
        with checked_sandbox(contract, flavour, clock=lambda: NOON) as sb:
            in_memory.enabled = was
            yield sb
    finally:
        in_memory.enabled = was


def _exchange(sb: Sandbox, step: Step) -> tuple:
    before, method, path, options = step
    if before is not None:
        before(sb)
    options = dict(options(sb) if callable(options) else options)
    http = requests.Session() if options.pop("anonymous", False) else session(sb)
    try:
        answer = http.request(method, f"{sb.url}/{path(sb)}", timeout=10, **options)
    except requests.ConnectionError as e:
        return ("no answer", type(e).__name__)
    headers = {k.lower(): v.replace(sb.url, "BASE") for k, v in answer.headers.items()
               if k.lower() != "date"}
    return (answer.status_code, answer.reason, headers, answer.text.replace(sb.url, "BASE"))


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_in_memory_answers_as_http_does(contract, flavour):
    with _started(contract, flavour, memory=True) as memory, \
            _started(contract, flavour, memory=False) as http:
        assert memory.url in in_memory.routed() and http.url not in in_memory.routed()
        answers = []
        for step in STEPS:
            answers.append(_exchange(memory, step))
            assert answers[-1] == _exchange(http, step), step
        assert {a[0] for a in answers} >= {200, 201, 204, 400, 401, 404, 429, 502, "no answer"}
        assert [(r.method, r.path, r.status, r.kind) for r in memory.requests] == \
            [(r.method, r.path, r.status, r.kind) for r in http.requests]
        memory_findings = [f.replace(memory.url, "BASE") for f in memory.observer.take()]
        http_findings = [f.replace(http.url, "BASE") for f in http.observer.take()]
        assert memory_findings == http_findings
        assert repr(memory.issues()).replace(memory.url, "BASE") == \
            repr(http.issues()).replace(http.url, "BASE")


def test_an_in_memory_sandbox_is_gone_once_stopped(contract):
    with _started(contract, "cloud", memory=True) as sb:
        url = sb.url
        assert session(sb).get(f"{url}/rest/api/2/myself", timeout=10).status_code == 200
    assert url not in in_memory.routed()
    with pytest.raises(requests.ConnectionError):      # nothing listens at its address
        requests.get(f"{url}/rest/api/2/serverInfo", timeout=10)
