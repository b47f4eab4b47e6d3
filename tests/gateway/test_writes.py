"""Edits in one PUT, properties, comments and notifications on both flavours."""
from __future__ import annotations

from datetime import date

import pytest
import responses

from jirasync.errors import JiraError

from .conftest import API, calls_to, open_gateway, sent


def test_edit_is_one_put_with_fields_labels_comment_and_properties(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.PUT, f"{API}/issue/DCR-2", status=204)
    gw.edit_issue("DCR-2", fields={"summary": "New", "duedate": date(2026, 12, 1),
                                   "assignee": "acc-sam"},
                  add_labels=["ll-overdue"], remove_labels=["ll-keep"], comment="Overdue",
                  properties={"jirasync-chase": {"rung": 1}}, notify=False)
    (call,) = calls_to(rsps, "/issue/DCR-2", "PUT")
    assert call.request.params == {"notifyUsers": "false"}
    assert sent(call) == {
        "fields": {"summary": "New", "duedate": "2026-12-01",
                   "assignee": {"accountId": "acc-sam"}},
        "update": {"labels": [{"add": "ll-overdue"}, {"remove": "ll-keep"}],
                   "comment": [{"add": {"body": "Overdue"}}]},
        "properties": [{"key": "jirasync-chase", "value": {"rung": 1}}]}
    assert gw.stats["edit"] == 1


def test_edit_resolves_field_names_and_datacenter_users(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=[{"id": "customfield_10020", "name": "Team"}])
    rsps.add(responses.PUT, f"{API}/issue/DCR-2", status=204)
    gw.edit_issue("DCR-2", fields={"Team": "PMO", "assignee": "sam.jones"})
    (call,) = calls_to(rsps, "/issue/DCR-2", "PUT")
    assert sent(call)["fields"] == {"customfield_10020": "PMO", "assignee": {"name": "sam.jones"}}
    assert call.request.params == {}


def test_an_edit_without_changes_sends_nothing(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    gw.edit_issue("DCR-2")
    assert "edit" not in gw.stats


def test_labels_in_fields_and_as_operations_are_refused(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    with pytest.raises(ValueError):
        gw.edit_issue("DCR-2", fields={"labels": ["a"]}, add_labels=["b"])


def test_an_edit_is_retried_after_a_502_unless_it_adds_a_comment(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.PUT, f"{API}/issue/DCR-2", status=502)
    rsps.add(responses.PUT, f"{API}/issue/DCR-2", status=204)
    gw.edit_issue("DCR-2", add_labels=["ll-overdue"])
    rsps.add(responses.PUT, f"{API}/issue/DCR-3", status=502)
    with pytest.raises(JiraError) as caught:
        gw.edit_issue("DCR-3", add_labels=["ll-overdue"], comment="Overdue")
    assert caught.value.maybe_applied
    assert len(calls_to(rsps, "/issue/DCR-2")) == 2 and len(calls_to(rsps, "/issue/DCR-3")) == 1


def test_properties_round_trip(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    url = f"{API}/issue/DCR-2/properties/jirasync"
    rsps.add(responses.PUT, url, status=200)
    rsps.add(responses.GET, url, json={"key": "jirasync", "value": {"release": "4.2"}})
    gw.set_property("DCR-2", "jirasync", {"release": "4.2"})
    assert sent(calls_to(rsps, "/properties/jirasync", "PUT")[0]) == {"release": "4.2"}
    assert gw.get_property("DCR-2", "jirasync") == {"release": "4.2"}
    assert gw.stats["property"] == 2


def test_a_missing_property_is_none_but_a_missing_issue_is_an_error(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.GET, f"{API}/issue/DCR-2/properties/jirasync", status=404,
             json={"errorMessages": ["The property with key 'jirasync' does not exist."]})
    rsps.add(responses.GET, f"{API}/issue/DCR-9/properties/jirasync", status=404,
             json={"errorMessages": ["Issue does not exist or you do not have permission"]})
    assert gw.get_property("DCR-2", "jirasync") is None
    with pytest.raises(JiraError, match="Jira has no issue DCR-9"):
        gw.get_property("DCR-9", "jirasync")


def test_add_comment_returns_its_id(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    rsps.add(responses.POST, f"{API}/issue/DCR-2/comment", status=201,
             json={"id": "10500", "body": "hi"})
    assert gw.add_comment("DCR-2", "hi") == "10500"
    assert sent(calls_to(rsps, "/comment")[0]) == {"body": "hi"}


@pytest.mark.parametrize("flavour, ref", [("cloud", {"accountId": "u1"}),
                                          ("datacenter", {"name": "u1"})])
def test_notify_names_only_the_given_users(rsps, fake_time, flavour, ref):
    gw = open_gateway(rsps, fake_time, flavour)
    rsps.add(responses.POST, f"{API}/issue/DCR-2/notify", status=204)
    gw.notify("DCR-2", subject="Review on 3 March", text="Please update", html="<p>Please</p>",
              to_users=["u1"])
    assert sent(calls_to(rsps, "/notify")[0]) == {
        "subject": "Review on 3 March", "textBody": "Please update", "htmlBody": "<p>Please</p>",
        "to": {"users": [ref], "reporter": False, "assignee": False, "watchers": False,
               "voters": False}}
    assert gw.stats["notify"] == 1


def test_notify_without_recipients_is_refused(rsps, fake_time):
    gw = open_gateway(rsps, fake_time)
    with pytest.raises(ValueError):
        gw.notify("DCR-2", subject="s", text="t")


def test_due_means_duedate(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.PUT, f"{API}/issue/DCR-2", status=204)
    gw.edit_issue("DCR-2", fields={"due": date(2027, 1, 4), "assignee": None})
    assert sent(calls_to(rsps, "/issue/DCR-2")[0]) == {
        "fields": {"duedate": "2027-01-04", "assignee": None}}
