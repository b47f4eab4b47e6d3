"""Searching: Cloud's /search/jql with page tokens and reconcile, DC's /search with startAt."""
from __future__ import annotations

import pytest

from tests.sandbox.clients import api, client, session

JQL = "project = DCR AND labels = lessons-learnt ORDER BY key"


def _lessons(sb, count: int, **options) -> list[str]:
    return [sb.create_issue("Task", f"Lesson {n}", labels=["lessons-learnt"], **options)
            for n in range(count)]


def _all_pages(sb, jql: str, size: int) -> list[dict]:
    """Every page of a search, the way the flavour pages: token or startAt."""
    j, pages, token, start = client(sb), [], None, 0
    while True:
        if sb.flavour == "cloud":
            page = j.enhanced_search_issues(jql, nextPageToken=token, maxResults=size,
                                            fields=["summary"], json_result=True)
        else:
            page = j.search_issues(jql, startAt=start, maxResults=size, fields=["summary"],
                                   json_result=True)
        pages.append(page)
        token, start = page.get("nextPageToken"), start + size
        if (sb.flavour == "cloud" and not token) or (sb.flavour != "cloud"
                                                     and start >= page["total"]):
            return pages


def test_search_pages_through_every_issue(sandbox):
    keys = _lessons(sandbox, 120)
    sandbox.create_issue("Task", "Not a lesson")
    sandbox.reset_log()

    pages = _all_pages(sandbox, JQL, 50)

    assert [i["key"] for p in pages for i in p["issues"]] == keys
    assert [len(p["issues"]) for p in pages] == [50, 50, 20]
    assert sandbox.count("search") == 3
    if sandbox.flavour == "cloud":
        assert all("total" not in p for p in pages)
        assert ["nextPageToken" in p for p in pages] == [True, True, False]
        assert pages[-1]["isLast"] is True
    else:
        assert {p["total"] for p in pages} == {120}
        assert [p["startAt"] for p in pages] == [0, 50, 100]


def test_library_fetches_all_pages(sandbox):
    keys = _lessons(sandbox, 230)
    found = client(sandbox).search_issues(JQL, maxResults=False, fields="summary,labels")
    assert [i.key for i in found] == keys
    assert found[0].fields.labels == ["lessons-learnt"]


@pytest.mark.parametrize("flavour, method, path, status", [
    ("cloud", "GET", "search", 410), ("cloud", "POST", "search", 410),
    ("datacenter", "GET", "search/jql", 404), ("datacenter", "POST", "search/jql", 404)],
    ids=["cloud-get-search", "cloud-post-search", "dc-get-jql", "dc-post-jql"])
def test_the_other_flavours_search_endpoint_is_not_there(make_sandbox, flavour, method, path,
                                                         status):
    sb = make_sandbox(flavour)
    _lessons(sb, 1)
    answer = session(sb).request(method, api(sb, path), params={"jql": JQL} if method == "GET"
                                 else None, json={"jql": JQL} if method == "POST" else None)
    assert answer.status_code == status
    assert answer.json()["errorMessages"]


@pytest.mark.parametrize("body", [{"jql": JQL, "startAt": 50}, {"jql": JQL, "nextPageToken": 5}],
                         ids=["startAt", "numeric-token"])
def test_cloud_search_refuses_what_the_contract_forbids(sandbox_cloud, body):
    answer = session(sandbox_cloud).post(api(sandbox_cloud, "search/jql"), json=body)
    assert answer.status_code == 400
    assert len(sandbox_cloud.observer.take()) == 1  # the client broke the contract


@pytest.mark.parametrize("jql, message", [
    ("order by key", "Unbounded"), ("project = ", "Error in the JQL"),
    ("nonsense = 1", "does not exist")], ids=["unbounded", "syntax", "unknown-field"])
def test_cloud_search_explains_bad_jql(sandbox_cloud, jql, message):
    answer = session(sandbox_cloud).post(api(sandbox_cloud, "search/jql"), json={"jql": jql})
    assert answer.status_code == 400
    assert message in " ".join(answer.json()["errorMessages"])


def test_bad_page_token_and_too_many_reconciled_ids_are_refused(sandbox_cloud):
    s = session(sandbox_cloud)
    url = api(sandbox_cloud, "search/jql")
    assert s.post(url, json={"jql": JQL, "nextPageToken": "garbage"}).status_code == 400
    assert s.post(url, json={"jql": JQL, "reconcileIssues": list(range(51))}).status_code == 400


def test_cloud_search_returns_ids_only_unless_fields_are_asked_for(sandbox_cloud):
    _lessons(sandbox_cloud, 1)
    url = api(sandbox_cloud, "search/jql")
    bare = session(sandbox_cloud).post(url, json={"jql": JQL}).json()["issues"][0]
    some = session(sandbox_cloud).post(url, json={"jql": JQL, "fields": ["summary"]}).json()
    assert bare == {"id": "10000"}
    assert some["issues"][0]["fields"] == {"summary": "Lesson 0"}


def test_lagging_index_hides_new_and_edited_issues_until_reconciled(sandbox_cloud):
    sb, s = sandbox_cloud, session(sandbox_cloud)
    old = sb.create_issue("Task", "Old title", labels=["lessons-learnt"])
    sb.faults.search_lag()
    created = s.post(api(sb, "issue"), json={"fields": {
        "project": {"key": "DCR"}, "issuetype": {"name": "Task"}, "summary": "Just created",
        "labels": ["lessons-learnt"]}}).json()
    sb.edit(old, summary="New title")

    def found(**body):
        answer = s.post(api(sb, "search/jql"), json={"jql": JQL, "fields": ["summary"]} | body)
        return {i["key"]: i["fields"]["summary"] for i in answer.json()["issues"]}

    assert found() == {old: "Old title"}
    assert found(reconcileIssues=[int(created["id"]), int(sb.issue(old).id)]) == {
        old: "New title", created["key"]: "Just created"}
    sb.index_catch_up()
    assert found() == {old: "New title", created["key"]: "Just created"}


def test_search_finds_children_the_flavours_way(sandbox):
    epic = sandbox.create_issue("Epic", "Release 4.2")
    lessons = [sandbox.create_issue("Task", f"Lesson {n}", parent=epic) for n in range(2)]
    action = sandbox.create_issue("Sub-task", "Action", parent=lessons[0])
    link = "parent" if sandbox.flavour == "cloud" else '"Epic Link"'
    j = client(sandbox)
    assert [i.key for i in j.search_issues(f"{link} = {epic}")] == lessons
    assert [i.key for i in j.search_issues(f"parent = {lessons[0]}")] == [action]


def test_search_results_carry_the_properties_asked_for_on_cloud_only(sandbox):
    """Data Center's search has no ``properties`` (JRASERVER-62898): a GET ignores it."""
    identity = {"release": "4.2", "lesson": "feeds-off"}
    key = sandbox.create_issue("Task", "A lesson", labels=["lessons-learnt"],
                               properties={"jirasync": identity, "other": 1})
    found = client(sandbox).search_issues(JQL, fields="summary", properties="jirasync",
                                          json_result=True)
    assert found["issues"][0]["key"] == key
    expected = {"jirasync": identity} if sandbox.flavour == "cloud" else {}
    assert found["issues"][0].get("properties", {}) == expected


def test_data_center_search_stops_at_its_result_window(sandbox_dc):
    answer = session(sandbox_dc).post(api(sandbox_dc, "search"),
                                      json={"jql": JQL, "startAt": 10000})
    assert answer.status_code == 500 and "Search limit exceeded" in answer.text


def test_data_center_post_search_refuses_properties(sandbox_dc):
    answer = session(sandbox_dc).post(api(sandbox_dc, "search"),
                                      json={"jql": JQL, "properties": ["jirasync"]})
    assert answer.status_code == 400


def test_search_for_the_current_user(sandbox):
    mine = sandbox.create_issue("Task", "Mine", assignee="pmo-bot@example.org")
    sandbox.create_issue("Task", "Theirs", assignee="sam.jones@example.org")
    assert [i.key for i in client(sandbox).search_issues(
        "project = DCR AND assignee = currentUser()")] == [mine]


def test_pages_are_trimmed_as_jira_trims_them(sandbox):
    """Cloud gives at most 100 issues a page when fields are asked for (5,000 with ids
    only); Data Center at most its window of 1,000."""
    _lessons(sandbox, 1005 if sandbox.flavour == "datacenter" else 120)
    pages = _all_pages(sandbox, JQL, 5000)
    if sandbox.flavour == "cloud":
        assert [len(p["issues"]) for p in pages] == [100, 20]
        ids_only = client(sandbox).enhanced_search_issues(JQL, maxResults=5000, fields=["id"],
                                                          json_result=True)
        assert len(ids_only["issues"]) == 120
    else:
        assert len(pages[0]["issues"]) == 1000 and pages[0]["maxResults"] == 1000
