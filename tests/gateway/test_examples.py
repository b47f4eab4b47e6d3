"""The gateway parses Jira's own examples: every operation it calls is tested with
``responses`` on the example answer Atlassian publishes in the contract, copied verbatim
into ``examples/`` (each file says where it came from), so that parsing never depends on
shapes the sandbox happens to produce. Operations whose answers carry no body (the
contract declares none) are tested on the statuses it declares.

A test fails when the gateway gains a call to an operation that has no test here.
"""
from __future__ import annotations

import copy
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import responses

from jirasync.errors import UnexpectedAnswer, UserNotFound
from jirasync.gateway.connect import connect
from jirasync.gateway.types import NewIssue, User

from .conftest import API, BASE, TOKEN, calls_to, open_gateway, sent
from .test_permissions import test_the_contracts_example_is_read

HERE = Path(__file__).parent
EXAMPLES = HERE / "examples"
CONTRACT = HERE.parent / "contract" / "jira-cloud-trimmed.json"
GATEWAY = HERE.parent.parent / "jirasync" / "gateway"
MIA = "5b10a2844c20165700ede21g"
JIRA_TIME = "2021-01-18T23:45:00.000+0000"     # as the same examples write a comment's time


def example(name: str) -> Any:
    """A fresh copy of the example in ``examples/<name>.json``."""
    return copy.deepcopy(json.loads((EXAMPLES / f"{name}.json").read_text())["example"])


def as_v2(issue: dict) -> dict:
    """An example issue as Jira's v2 API writes it. The contract's v2 operations are
    Atlassian's v3 ones republished, and two values of their issue examples are v3's or
    placeholders: ``description`` as an Atlassian Document (v2 answers wiki text, as the
    /search/jql example itself shows) and ``updated: 1`` (Jira writes date-times as text,
    as the same examples' comments and attachments do). Both stay refused as they are:
    see ``test_the_examples_v3_values_are_refused_clearly``."""
    fields = issue["fields"]
    if isinstance(fields.get("description"), dict):
        fields["description"] = "Main order flow broken"
    fields["updated"] = JIRA_TIME
    return issue


# -- the examples are the contract's own ---------------------------------------------

@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_each_example_is_copied_verbatim_from_the_contract(path):
    """Each file names the file, path, method and status it came from; its example is
    still exactly the contract's."""
    data = json.loads(path.read_text())
    where = data["from"]
    contract = json.loads((HERE.parent.parent / where["file"]).read_text())
    answer = contract["paths"][where["path"]][where["method"].lower()]["responses"]
    published = answer[str(where["status"])]["content"]["application/json"]["example"]
    assert json.loads(published) == data["example"]
    assert where["operationId"] == path.stem.split("-")[0]


# -- every operation the gateway calls -----------------------------------------------

def test_server_info(rsps, fake_time):
    """Atlassian's example has no deploymentType, which "is always returned as Cloud":
    with the flavour configured it connects, and reads Jira's clock; without it, jirasync
    says what to set rather than guess."""
    rsps.add(responses.GET, f"{API}/serverInfo", json=example("getServerInfo_v2"))
    gw = connect(BASE, email="pmo-bot@example.org", token=TOKEN, flavour="cloud",
                 sleep=fake_time.sleep, clock=fake_time.clock)
    assert gw.flavour == "cloud"
    assert gw.server_time == datetime(2020, 3, 31, 16, 43, 50, tzinfo=UTC)
    with pytest.raises(UnexpectedAnswer, match=r"^Jira answered the serverInfo request without "
                       r"deploymentType \(set jira.flavour to cloud or datacenter\); "):
        connect(BASE, email="pmo-bot@example.org", token=TOKEN, sleep=fake_time.sleep,
                clock=fake_time.clock)
    rsps.replace(responses.GET, f"{API}/serverInfo",
                 json={**example("getServerInfo_v2"), "deploymentType": "Cloud"})
    assert connect(BASE, email="pmo-bot@example.org", token=TOKEN, sleep=fake_time.sleep,
                   clock=fake_time.clock).flavour == "cloud"


def test_myself(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/myself", json=example("getCurrentUser_v2"))
    assert gw.myself() == User(id=MIA, display_name="Mia Krystof", email="mia@example.com")


def project(rsps) -> None:
    rsps.add(responses.GET, f"{API}/project/EX", json=example("getProject_v2"))


def test_project(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    project(rsps)
    assert gw.project("EX") == {"key": "EX", "name": "Example", "issue_types": ["Task", "Bug"],
                                "subtask_types": []}


def test_create_screen(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    project(rsps)
    rsps.add(responses.GET, f"{API}/issue/createmeta/EX/issuetypes/3",
             json=example("getCreateIssueMetaIssueTypeId_v2"))
    assert gw.create_fields("EX", "Task") == [
        {"id": "assignee", "name": "Assignee", "required": True, "has_default": False}]


def test_fields(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/field", json=example("getFields_v2"))
    assert gw.field_id("Summary") == "summary"
    assert gw.field_id("description") == "description"


def search_jql(rsps, body: dict | None = None) -> None:
    page = body or example("searchAndReconsileIssuesUsingJqlPost_v2")
    page["issues"] = [as_v2(i) for i in page["issues"]]
    rsps.add(responses.POST, f"{API}/search/jql", json=page)


def test_cloud_search(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    search_jql(rsps)
    (issue,) = gw.search("project = ED")
    assert (issue.key, issue.id, issue.description) == ("ED-1", "10002", "Main order flow broken")
    assert issue.updated == datetime(2021, 1, 18, 23, 45, tzinfo=UTC)
    assert (issue.summary, issue.labels, issue.assignee, issue.properties) == ("", (), None, {})
    assert len(calls_to(rsps, "/search/jql")) == 1          # isLast: true


def test_cloud_key_listing(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    search_jql(rsps)
    assert list(gw.keys("project = ED")) == ["ED-1"]


def _as_fields_say(request) -> tuple[int, dict, str]:
    """/search/jql as the contract's words say: "`id` Returns only issue IDs" and "The
    default is `id`" (the fields parameter); the key comes only when asked for."""
    asked = json.loads(request.body).get("fields") or ["id"]
    page = example("searchAndReconsileIssuesUsingJqlPost_v2")
    keep = {"id"} | ({"key"} if {"key", "*all", "*navigable"} & set(asked) else set())
    page["issues"] = [{k: v for k, v in i.items() if k in keep} for i in page["issues"]]
    return 200, {}, json.dumps(page)


def test_cloud_key_listing_asks_for_the_key(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add_callback(responses.POST, f"{API}/search/jql", callback=_as_fields_say)
    assert list(gw.keys("project = ED")) == ["ED-1"]


def test_datacenter_search_and_count(rsps, fake_time):
    """Data Center's /search answers the contract's SearchResults (startAt, total)."""
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=example("getFields_v2"))     # no Epic Link
    page = example("searchForIssuesUsingJqlPost_v2")
    page["issues"] = [as_v2(i) for i in page["issues"]]
    rsps.add(responses.POST, f"{API}/search", json=page)
    (issue,) = gw.search("project = ED", properties=())
    assert (issue.key, issue.id, issue.description) == ("ED-1", "10002", "Main order flow broken")
    assert list(gw.keys("project = ED")) == ["ED-1"]
    assert gw.count("project = ED") == 1
    assert [sent(c)["startAt"] for c in calls_to(rsps, "/search")] == [0, 0, 0]   # total: 1


def test_issue_read_by_key(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/issue/ED-1", json=as_v2(example("getIssue_v2")))
    issue = gw.get_issue("ED-1")
    assert issue is not None
    assert (issue.key, issue.id, issue.description) == ("ED-1", "10002", "Main order flow broken")


def test_the_examples_v3_values_are_refused_clearly(rsps, fake_time):
    """As published, the issue examples carry an Atlassian Document where v2 writes text,
    and ``updated: 1``: jirasync says which value it could not read, it does not guess."""
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/issue/ED-1", json=example("getIssue_v2"))
    with pytest.raises(UnexpectedAnswer, match=r"^Jira answered the read of ED-1 without "
                       r"fields.description as text \(it sent an object\); nothing was "
                       r"written after it$"):
        gw.get_issue("ED-1")
    rsps.add(responses.POST, f"{API}/search/jql",
             json=example("searchAndReconsileIssuesUsingJqlPost_v2"))
    with pytest.raises(UnexpectedAnswer, match=r"^Jira answered the search without "
                       r"issues\[0\].fields.updated as a date-time \(it sent a number\);"):
        list(gw.search("project = ED"))


def new_issues(n: int) -> list[NewIssue]:
    return [NewIssue(summary=f"lesson {i}", issue_type="Task") for i in range(n)]


def test_bulk_create(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    project(rsps)
    rsps.add(responses.POST, f"{API}/issue/bulk", status=201, json=example("createIssues_v2"))
    results = gw.create_issues(new_issues(2), project="EX")
    assert [(r.key, r.id, r.error) for r in results] == [("ED-24", "10000", None),
                                                         ("ED-25", "10001", None)]


def test_bulk_create_where_every_element_failed(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    project(rsps)
    rsps.add(responses.POST, f"{API}/issue/bulk", status=400,
             json=example("createIssues_v2-400"))
    results = gw.create_issues(new_issues(2), project="EX")
    assert [r.key for r in results] == [None, None]
    assert results[1].error == ("issuetype: The issue type selected is invalid.; project: "
                                "Sub-tasks must be created in the same project as the parent.")


def test_issue_property(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/issue/EX-2/properties/issue.support",
             json=example("getIssueProperty_v2"))
    assert gw.get_property("EX-2", "issue.support") == {
        "system.conversation.id": "b1bf38be-5e94-4b40-a3b8-9278735ee1e6",
        "system.support.time": "1m"}


def test_project_property_keys(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/project/EX/properties",
             json=example("getProjectPropertyKeys_v2"))
    assert gw.project_property_keys("EX") == ["issue.support"]


def test_project_property(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/project/EX/properties/issue.support",
             json=example("getProjectProperty_v2"))
    assert gw.get_project_property("issue.support", "EX")["system.support.time"] == "1m"


def test_comment(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.POST, f"{API}/issue/ED-1/comment", status=201,
             json=example("addComment_v2"))
    assert gw.add_comment("ED-1", "Overdue: please update the action") == "10000"


def test_comments(rsps, fake_time):
    """The example's body is an Atlassian Document (v3's); v2 answers wiki text."""
    gw = open_gateway(rsps, fake_time, "cloud")
    page = example("getComments_v2")
    for c in page["comments"]:
        c["body"] = "extend to 2027-02-01: waiting for sign-off"
    rsps.add(responses.GET, f"{API}/issue/ED-1/comment", json=page)
    [comment] = gw.comments("ED-1")
    assert (comment.id, comment.author, comment.author_name) == ("10000", MIA, "Mia Krystof")
    assert comment.body.startswith("extend to") and comment.created is not None
    rsps.replace(responses.GET, f"{API}/issue/ED-1/comment", json=example("getComments_v2"))
    with pytest.raises(UnexpectedAnswer, match="body"):
        gw.comments("ED-1")


def test_transitions(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/issue/ED-1/transitions", json=example("getTransitions_v2"))
    found = gw.transitions("ED-1")
    assert [(t.id, t.name, t.to, t.category) for t in found] == [
        ("2", "Close Issue", "In Progress", "in-flight"),
        ("711", "QA Review", "Closed", "completed")]
    assert not any(t.resolution for t in found)     # no resolution field on the screens
    assert "expand=transitions.fields" in calls_to(rsps, "/transitions")[0].request.url


def test_do_transition(rsps, fake_time):
    """No body: the contract declares 204 alone."""
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.POST, f"{API}/issue/ED-1/transitions", status=204)
    gw.transition_issue("ED-1", "31", resolution="Done", comment="done, thank you",
                        properties={"jirasync.answers": {"answered": ["1"]}})
    body = sent(calls_to(rsps, "/transitions", "POST")[0])
    assert body == {"transition": {"id": "31"}, "fields": {"resolution": {"name": "Done"}},
                    "update": {"comment": [{"add": {"body": "done, thank you"}}]},
                    "properties": [{"key": "jirasync.answers",
                                    "value": {"answered": ["1"]}}]}


def test_user_search(rsps, fake_time):
    """The example's users are deactivated (``active: false``): neither can own an action.
    Active, each is found by its display name."""
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/user/search", json=example("findUsers_v2"))
    with pytest.raises(UserNotFound, match="no Jira user matches 'Emma Richards'"):
        gw.find_user("Emma Richards")
    active = [{**u, "active": True} for u in example("findUsers_v2")]
    rsps.replace(responses.GET, f"{API}/user/search", json=active)
    assert gw.find_user("Mia Krystof") == User(id=MIA, display_name="Mia Krystof")


def test_assignable_users(rsps, fake_time):
    """The contract's answer is a list of users (``type: array``); its example shows one
    user alone, which jirasync refuses by name rather than misread."""
    owners = ["mia@example.com", "a@example.org", "b@example.org", "c@example.org"]
    gw = open_gateway(rsps, fake_time, "cloud", project="EX")
    rsps.add(responses.GET, f"{API}/user/assignable/search",
             json=[example("findAssignableUsers_v2")])
    rsps.add(responses.GET, f"{API}/user/assignable/search", json=[])
    gw.preload_users(owners)
    assert gw.find_user("mia@example.com").id == MIA
    assert not calls_to(rsps, "/user/search")          # found in the preloaded list

    gw = open_gateway(rsps, fake_time, "cloud", project="EX")
    rsps.replace(responses.GET, f"{API}/user/assignable/search",
                 json=example("findAssignableUsers_v2"))
    with pytest.raises(UnexpectedAnswer, match=r"^Jira answered the list of assignable users "
                       r"without a JSON list \(it sent an object\); nothing was written"):
        gw.preload_users(owners)


# Operations whose answers have no body: the contract declares none, so there is no
# example; each is tested on the statuses it declares.

def test_edit(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    for status in (204, 200):
        rsps.add(responses.PUT, f"{API}/issue/ED-1", status=status)
        gw.edit_issue("ED-1", fields={"summary": "New", "due": date(2026, 12, 1)})
    assert [sent(c)["fields"]["duedate"] for c in calls_to(rsps, "/issue/ED-1", "PUT")] == \
        ["2026-12-01"] * 2


def test_set_issue_property(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    for status in (201, 200):
        rsps.add(responses.PUT, f"{API}/issue/ED-1/properties/jirasync", status=status)
        gw.set_property("ED-1", "jirasync", {"release": "4.2"})
    assert len(calls_to(rsps, "/properties/jirasync", "PUT")) == 2


def test_project_property_writes(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    url = f"{API}/project/EX/properties/jirasync-lease"
    rsps.add(responses.PUT, url, status=201)
    rsps.add(responses.PUT, url, status=200)
    rsps.add(responses.DELETE, url, status=204)
    assert gw.put_project_property("jirasync-lease", {"holder": "x"}, project="EX") is True
    assert gw.put_project_property("jirasync-lease", {"holder": "x"}, project="EX") is False
    gw.delete_project_property("jirasync-lease", project="EX")
    assert len(calls_to(rsps, "/jirasync-lease", "DELETE")) == 1


def test_notify(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.POST, f"{API}/issue/ED-1/notify", status=204)
    gw.notify("ED-1", subject="Overdue", text="Please update", to_users=[MIA])
    assert sent(calls_to(rsps, "/notify")[0])["to"]["users"] == [{"accountId": MIA}]


# -- no operation without its test ---------------------------------------------------

# Each request the gateway makes, as its source writes it (method, path with {} for each
# value), and the test above that feeds the operation Jira's answer.
OPERATIONS = {
    ("GET", "serverInfo"): test_server_info,
    ("GET", "myself"): test_myself,
    ("GET", "project/{}"): test_project,
    ("GET", "issue/createmeta/{}/issuetypes/{}"): test_create_screen,
    ("GET", "field"): test_fields,
    ("POST", "search/jql"): test_cloud_search,
    ("POST", "search"): test_datacenter_search_and_count,
    ("GET", "issue/{}"): test_issue_read_by_key,
    ("POST", "issue/bulk"): test_bulk_create,
    ("PUT", "issue/{}"): test_edit,
    ("PUT", "issue/{}/properties/{}"): test_set_issue_property,
    ("GET", "issue/{}/properties/{}"): test_issue_property,
    ("GET", "project/{}/properties"): test_project_property_keys,
    ("GET", "project/{}/properties/{}"): test_project_property,
    ("PUT", "project/{}/properties/{}"): test_project_property_writes,
    ("DELETE", "project/{}/properties/{}"): test_project_property_writes,
    ("POST", "issue/{}/comment"): test_comment,
    ("GET", "issue/{}/comment"): test_comments,
    ("GET", "issue/{}/transitions"): test_transitions,
    ("POST", "issue/{}/transitions"): test_do_transition,
    ("POST", "issue/{}/notify"): test_notify,
    ("GET", "user/search"): test_user_search,
    ("GET", "user/assignable/search"): test_assignable_users,
    ("GET", "mypermissions"): test_the_contracts_example_is_read,   # test_permissions.py
}
# A request on the transport: its method, then its path as a literal or a variable.
CALL = re.compile(r'(?:_t|transport)\.(?:json|request)\((?:[^()]|\([^()]*\))*?"(GET|POST|PUT|DELETE)",'
                  r'\s*(f?"[^"]*"|\w+)', re.DOTALL)
# The one helper that takes its path from its callers (entity property reads).
PROPERTY_READ = re.compile(r'property_value\([\w.]+,\s*\w+,\s*(f?"[^"]*")\)')


def _path(literal: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", literal.lstrip("f").strip('"').split("?")[0])


def gateway_requests() -> set[tuple[str, str]]:
    """Every (method, path) the gateway's source sends; serverInfo is the ``jira``
    library's request, made while connecting (``_Jira.server_info``)."""
    found = {("GET", "serverInfo")}
    for source in sorted(GATEWAY.glob("*.py")):
        text = source.read_text()
        for method, path in CALL.findall(text):
            if path.endswith('"'):
                found.add((method, _path(path)))
                continue
            # A path from a variable: only property_value's GET, whose callers give it.
            assert (source.name, method, path) == ("property_reads.py", "GET", "path"), \
                f"{source.name}: a {method} whose path is {path}; teach this test to read it"
        found |= {("GET", _path(p)) for p in PROPERTY_READ.findall(text)}
    return found


def test_every_operation_the_gateway_calls_has_an_example_test():
    found = gateway_requests()
    assert len(found) >= 18, found      # the grep still finds the gateway's requests
    missing = sorted(found - OPERATIONS.keys())
    assert not missing, f"operations without a test on Jira's example answer: {missing}"
    stale = sorted(OPERATIONS.keys() - found)
    assert not stale, f"rows for operations the gateway no longer calls: {stale}"
    assert all(test.__name__ in globals() for test in OPERATIONS.values())
