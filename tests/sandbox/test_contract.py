"""The contract check itself: it must catch violations, or it proves nothing."""
from __future__ import annotations

import json

import pytest
import requests

from jirasync.sandbox import ObservedRequest, ObservedResponse
from jirasync.sandbox.users import Directory
from tests.conftest import checked_sandbox
from tests.contract.validator import ContractValidator
from tests.sandbox.clients import api, session

JSON = (("Content-Type", "application/json;charset=UTF-8"),)


def _exchange(method: str, path: str, status: int, body: object = None, *,
              flavour: str = "cloud", query: str = "", sent: object = None):
    request = ObservedRequest(method, "http://127.0.0.1:1", path, query, JSON,
                              b"" if sent is None else json.dumps(sent).encode(), flavour)
    data = b"" if body is None else json.dumps(body).encode()
    return request, ObservedResponse(status, JSON if data else (), data)


SERVER_INFO = {"baseUrl": "http://127.0.0.1:1", "versionNumbers": [1001, 0, 0],
               "deploymentType": "Cloud"}
CASES = [
    ("conforming", _exchange("GET", "/rest/api/2/serverInfo", 200, SERVER_INFO), None),
    ("extra-property", _exchange("GET", "/rest/api/2/serverInfo", 200,
                                 SERVER_INFO | {"bogus": 1}), "bogus"),
    ("wrong-type", _exchange("GET", "/rest/api/2/serverInfo", 200,
                             SERVER_INFO | {"versionNumbers": "1001"}), "not of type"),
    ("rfc3339-time", _exchange("GET", "/rest/api/2/serverInfo", 200,
                               SERVER_INFO | {"serverTime": "2026-01-05T10:20:30.000+0000"}),
     "date-time"),
    ("search-jql-total", _exchange("POST", "/rest/api/2/search/jql", 200,
                                   {"issues": [], "total": 0}, sent={"jql": "x"}), "total"),
    ("undeclared-status-not-error", _exchange("GET", "/rest/api/2/myself", 429,
                                              {"message": "slow down"}), "ErrorCollection"),
    ("undeclared-status-error", _exchange("GET", "/rest/api/2/myself", 429,
                                          {"errorMessages": ["slow"], "errors": {}}), None),
    ("no-content-with-body", _exchange("PUT", "/rest/api/2/issue/DCR-1", 204, {"id": "1"},
                                       sent={"fields": {}}), "no content"),
    ("unknown-operation", _exchange("DELETE", "/rest/api/2/issue/DCR-1", 204), "not an operation"),
    ("request-start-at", _exchange("POST", "/rest/api/2/search/jql", 400,
                                   {"errorMessages": ["x"], "errors": {}},
                                   sent={"jql": "x", "startAt": 0}), "startAt"),
    ("dc-search-boolean", _exchange("GET", "/rest/api/2/search", 200,
                                    {"startAt": 0, "maxResults": 50, "total": 0, "issues": []},
                                    flavour="datacenter", query="jql=x&validateQuery=True"),
     None),
    ("dc-search-bad-bean", _exchange("POST", "/rest/api/2/search", 200, {"issues": []},
                                     flavour="datacenter", sent={"jql": "x", "bogus": 1}),
     "bogus"),
]


@pytest.mark.parametrize("exchange, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validator_catches_what_breaks_the_contract(contract, exchange, expected):
    problems = ContractValidator(contract).check(*exchange)
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0]


def test_a_violating_sandbox_answer_is_caught_live(sandbox, monkeypatch):
    original = Directory.user_json
    monkeypatch.setattr(Directory, "user_json",
                        lambda self, user, base: original(self, user, base) | {"bogus": True})
    assert session(sandbox).get(api(sandbox, "myself")).status_code == 200
    caught = sandbox.observer.take()
    assert len(caught) == 1 and "'bogus' was unexpected" in caught[0]


def test_the_fixture_fails_a_test_whose_sandbox_broke_the_contract(contract):
    with pytest.raises(pytest.fail.Exception, match="startAt"), \
            checked_sandbox(contract, "cloud") as sb:
        session(sb).post(api(sb, "search/jql"), json={"jql": "project = DCR", "startAt": 1})


def test_dropped_connections_still_have_their_request_checked(sandbox):
    sandbox.faults.drop_after_create()
    fields = {"project": {"key": "DCR"}, "issuetype": {"name": "Task"}, "summary": "A lesson"}
    with pytest.raises(requests.ConnectionError):
        session(sandbox).post(api(sandbox, "issue"), json={
            "fields": fields, "properties": [{"key": "jirasync", "value": 1, "bogus": 2}]})
    caught = sandbox.observer.take()
    assert len(caught) == 1 and "request" in caught[0] and "bogus" in caught[0]
