"""``my_permissions``: Jira's answer to GET /mypermissions, read from the contract's own
example response (tests/contract/jira-cloud-trimmed.json, getMyPermissions, 200)."""
from __future__ import annotations

import json
from pathlib import Path

import responses
from responses import matchers

from .conftest import API, open_gateway

CONTRACT = Path(__file__).resolve().parents[1] / "contract" / "jira-cloud-trimmed.json"


def _example() -> dict:
    spec = json.loads(CONTRACT.read_text(encoding="utf-8"))
    op = spec["paths"]["/rest/api/2/mypermissions"]["get"]
    return json.loads(op["responses"]["200"]["content"]["application/json"]["example"])


def test_the_contracts_example_is_read(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/mypermissions", json=_example(), match=[
        matchers.query_param_matcher({"permissions": "EDIT_ISSUES,ADD_COMMENTS",
                                      "projectKey": "DCR"})])
    # The example answers for EDIT_ISSUES only: a key Jira left out is not reported held.
    assert gw.my_permissions(["EDIT_ISSUES", "ADD_COMMENTS"], project="DCR") == {
        "EDIT_ISSUES": True}
    assert gw.stats["permissions"] == 1


def test_an_answer_without_permissions_reports_none(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/mypermissions", json={"permissions": {
        "EDIT_ISSUES": {"havePermission": "yes"}, "ADD_COMMENTS": "held"}})
    assert gw.my_permissions(["EDIT_ISSUES", "ADD_COMMENTS"]) == {}
