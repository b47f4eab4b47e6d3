"""Owners by email, accountId, username or display name; none, several, cached; mentions."""
from __future__ import annotations

import pytest
import responses
from responses import matchers

from jirasync.errors import UserNotFound
from jirasync.gateway.types import User

from .conftest import API, calls_to, open_gateway

SAM = {"accountId": "acc-sam", "displayName": "Sam Jones", "emailAddress": "sam.jones@example.org",
       "active": True, "accountType": "atlassian"}
SAMANTHA = {"accountId": "acc-samantha", "displayName": "Samantha Jonas", "active": True}
SAM_DC = {"name": "sjones", "key": "JIRAUSER1", "displayName": "Sam Jones",
          "emailAddress": "sam.jones@example.org", "active": True}


def user_search(rsps, found: list, **params) -> None:
    """Answer user/search with ``found`` when the query string has ``params``."""
    rsps.add(responses.GET, f"{API}/user/search", json=found,
             match=[matchers.query_param_matcher(params, strict_match=False)])


def searched(rsps) -> list[dict]:
    return [c.request.params for c in calls_to(rsps, "/user/search")]


def test_cloud_email(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    user_search(rsps, [SAM], query="sam.jones@example.org")
    assert gw.find_user("sam.jones@example.org") == User("acc-sam", "Sam Jones",
                                                         "sam.jones@example.org")
    # an email is no accountId: no lookup by id
    assert searched(rsps) == [{"query": "sam.jones@example.org", "maxResults": "50"}]


def test_cloud_email_hidden_by_privacy_settings_still_matches(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    user_search(rsps, [{**SAM, "emailAddress": None}], query="sam.jones@example.org")
    assert gw.find_user("sam.jones@example.org").id == "acc-sam"


def test_cloud_account_id(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    user_search(rsps, [SAM], accountId="acc-sam")
    assert gw.find_user("acc-sam").display_name == "Sam Jones"
    assert len(searched(rsps)) == 1


def test_cloud_single_word_falls_back_to_a_search_when_it_is_no_account_id(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/user/search", status=404,
             json={"errorMessages": ["not found"]},
             match=[matchers.query_param_matcher({"accountId": "Samantha"}, strict_match=False)])
    user_search(rsps, [SAMANTHA], query="Samantha")
    with pytest.raises(UserNotFound, match="did you mean Samantha Jonas"):
        gw.find_user("Samantha")


def test_datacenter_username(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    user_search(rsps, [SAM_DC], username="sjones")
    assert gw.find_user("sjones") == User("sjones", "Sam Jones", "sam.jones@example.org")


def test_datacenter_email(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    user_search(rsps, [SAM_DC], username="sam.jones@example.org")
    assert gw.find_user("sam.jones@example.org").id == "sjones"


def test_display_name_prefers_the_exact_match(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    user_search(rsps, [SAM, {**SAMANTHA, "displayName": "Sam Jonesy"}], query="sam jones")
    assert gw.find_user("sam jones").id == "acc-sam"


def test_no_match(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    user_search(rsps, [], query="nobody@example.org")
    with pytest.raises(UserNotFound) as caught:
        gw.find_user("nobody@example.org")
    assert str(caught.value) == (
        "no Jira user matches 'nobody@example.org'; check the address: if it is right, the "
        "person may keep it hidden (a Jira Cloud privacy setting, and Jira then does not find "
        "them by it): name them by their Jira account id (the last part of their Jira "
        "profile's address) instead")


def test_several_matches(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    user_search(rsps, [], accountId="Sam")
    user_search(rsps, [SAM, SAMANTHA, {**SAMANTHA, "accountId": "acc-3", "displayName": "Sam T"}],
                query="Sam")
    with pytest.raises(UserNotFound) as caught:
        gw.find_user("Sam")
    assert str(caught.value) == (
        "'Sam' matches 3 Jira users: Sam Jones (sam.jones@example.org), "
        "Samantha Jonas (acc-samantha), Sam T (acc-3); use the email or account id")


def test_a_single_loose_match_is_not_taken_for_the_owner(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    user_search(rsps, [SAM_DC], username="Sam")
    with pytest.raises(UserNotFound, match=r"no Jira user matches 'Sam' exactly \(did you mean "
                       r"Sam Jones \(sam.jones@example.org\)\?\); use the email or username"):
        gw.find_user("Sam")


def test_inactive_users_and_apps_are_not_owners(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    user_search(rsps, [{**SAM, "active": False},
                       {"accountId": "app-1", "displayName": "Sam", "accountType": "app"}])
    with pytest.raises(UserNotFound, match="no Jira user matches 'Sam'"):
        gw.find_user("Sam")


def test_answers_and_failures_are_cached(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    user_search(rsps, [SAM], query="sam.jones@example.org")
    user_search(rsps, [], query="ghost@example.org")
    for _ in range(2):
        assert gw.find_user("sam.jones@example.org").id == "acc-sam"
    for _ in range(2):
        with pytest.raises(UserNotFound):
            gw.find_user("ghost@example.org")
    assert gw.stats["user-search"] == 2


@pytest.mark.parametrize("flavour, expected", [("cloud", "[~accountid:u-1]"),
                                               ("datacenter", "[~u-1]")])
def test_mentions(rsps, fake_time, flavour, expected):
    gw = open_gateway(rsps, fake_time, flavour)
    assert gw.mention(User("u-1", "Sam Jones")) == expected


def test_myself(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/myself", json={"name": "pmo-bot", "displayName": "PMO bot"})
    assert gw.myself() == User("pmo-bot", "PMO bot", None)


def test_assignable_users_are_listed_until_an_empty_page_not_a_short_one(rsps, fake_time):
    """Data Center 10 gives at most 100 a page; Cloud filters after paging: a page shorter
    than asked is not the last."""
    gw = open_gateway(rsps, fake_time, "datacenter", project="DCR")
    people = [{"name": f"user{n}", "key": f"JIRAUSER{n}", "displayName": f"User {n}",
               "emailAddress": f"user{n}@example.org", "active": True} for n in range(130)]
    for page in (people[:100], people[100:], []):
        rsps.add(responses.GET, f"{API}/user/assignable/search", json=page)

    gw.preload_users([f"user{n}@example.org" for n in (5, 99, 100, 129)])

    assert len(calls_to(rsps, "/user/assignable/search")) == 3
    assert gw.find_user("user129@example.org").id == "user129"
    assert searched(rsps) == []                            # every owner came from the list
