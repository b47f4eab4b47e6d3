"""Connecting, flavour detection, projects, create screens and field ids."""
from __future__ import annotations

import pytest
import responses

from jirasync.errors import JiraError, UnexpectedAnswer
from jirasync.gateway.connect import connect

from .conftest import API, BASE, TOKEN, calls_to, open_gateway


@pytest.mark.parametrize("deployment, flavour", [
    ("Cloud", "cloud"), ("Server", "datacenter"), ("DataCenter", "datacenter")])
def test_flavour_is_detected_from_server_info(rsps, fake_time, deployment, flavour):
    rsps.add(responses.GET, f"{API}/serverInfo", json={
        "versionNumbers": [9, 0, 0], "deploymentType": deployment})
    gw = connect(BASE, auth_type="pat", token=TOKEN, sleep=fake_time.sleep,
                 clock=fake_time.clock)
    assert gw.flavour == flavour
    assert repr(gw) == f"Gateway('{BASE}', flavour='{flavour}')"


def test_flavour_can_be_overridden(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud", flavour="datacenter")
    assert gw.flavour == "datacenter"


def test_pat_is_sent_as_a_bearer_token_and_basic_as_basic(rsps, fake_time):
    open_gateway(rsps, fake_time, "datacenter")
    open_gateway(rsps, fake_time, "cloud")
    pat, basic = (c.request.headers["Authorization"] for c in calls_to(rsps, "/serverInfo"))
    assert pat == f"Bearer {TOKEN}" and basic.startswith("Basic ")


def test_a_server_that_is_not_jira(rsps, fake_time):
    rsps.add(responses.GET, f"{API}/serverInfo", body="<html>portal</html>")
    with pytest.raises(UnexpectedAnswer, match=r"Jira answered the serverInfo request without "
                       r"a JSON body \(is jira.url \(https://jira.example.test\) the address"):
        connect(BASE, email="a@example.org", token=TOKEN, sleep=fake_time.sleep,
                clock=fake_time.clock)


def test_connect_checks_its_arguments():
    with pytest.raises(ValueError, match="email"):
        connect(BASE, token=TOKEN)
    with pytest.raises(ValueError, match="flavour"):
        connect(BASE, auth_type="pat", token=TOKEN, flavour="server")


def test_project_lists_issue_type_names(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.GET, f"{API}/project/DCR", json={"key": "DCR", "name": "Records",
             "issueTypes": [{"id": "1", "name": "Epic", "subtask": False},
                            {"id": "3", "name": "Sub-task", "subtask": True}]})
    assert gw.project("DCR") == {"key": "DCR", "name": "Records",
                                 "issue_types": ["Epic", "Sub-task"],
                                 "subtask_types": ["Sub-task"]}
    gw.project("DCR")
    assert gw.stats["meta"] == 2    # serverInfo + one project lookup


def test_create_fields_pages_through_createmeta(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.GET, f"{API}/project/DCR", json={"key": "DCR", "name": "Records",
             "issueTypes": [{"id": "10101", "name": "Task", "subtask": False}]})
    url = f"{API}/issue/createmeta/DCR/issuetypes/10101"
    rsps.add(responses.GET, url, json={"startAt": 0, "maxResults": 1, "total": 2, "fields": [
        {"fieldId": "summary", "name": "Summary", "required": True, "hasDefaultValue": False}]})
    rsps.add(responses.GET, url, json={"startAt": 1, "maxResults": 1, "total": 2, "fields": [
        {"fieldId": "priority", "name": "Priority", "required": True, "hasDefaultValue": True}]})
    assert gw.create_fields("DCR", "task") == [
        {"id": "summary", "name": "Summary", "required": True, "has_default": False},
        {"id": "priority", "name": "Priority", "required": True, "has_default": True}]
    assert [c.request.params["startAt"] for c in calls_to(rsps, "/issuetypes/10101")] == ["0", "1"]


def test_field_id_by_name_or_id_is_cached(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.GET, f"{API}/field", json=[
        {"id": "customfield_10020", "name": "Team"}, {"id": "customfield_10030", "name": "Area"},
        {"id": "customfield_10031", "name": "Area"}])
    assert gw.field_id("Team") == gw.field_id("team") == "customfield_10020"
    assert gw.field_id("customfield_10030") == "customfield_10030"
    with pytest.raises(JiraError, match="no field named 'Squad'"):
        gw.field_id("Squad")
    with pytest.raises(JiraError, match=r"2 fields named 'Area' \(customfield_10030, "):
        gw.field_id("Area")
    assert len(calls_to(rsps, "/field")) == 1
