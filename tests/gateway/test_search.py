"""Search: Cloud's nextPageToken and reconcileIssues; Data Center's startAt/total or key
paging, and its issue properties read by key."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import responses

from .conftest import API, calls_to, open_gateway, sent

FIELDS = [
    {"id": "summary", "name": "Summary"},
    {"id": "customfield_10008", "name": "Epic Link"},
    {"id": "customfield_10020", "name": "Team"},
]


def raw_issue(n: int, **fields) -> dict:
    return {"id": str(10000 + n), "key": f"DCR-{n}",
            "fields": {"summary": f"issue {n}", "issuetype": {"name": "Task"}, **fields}}


def test_cloud_pages_with_next_page_token(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.POST, f"{API}/search/jql",
             json={"issues": [raw_issue(1), raw_issue(2)], "nextPageToken": "tok-2"})
    rsps.add(responses.POST, f"{API}/search/jql", json={"issues": [raw_issue(3)], "isLast": True})
    keys = [i.key for i in gw.search("project = DCR", page_size=2)]
    assert keys == ["DCR-1", "DCR-2", "DCR-3"]
    first, second = (sent(c) for c in calls_to(rsps, "/search/jql"))
    assert first["jql"] == "project = DCR" and first["maxResults"] == 2
    assert first["properties"] == ["jirasync"] and "labels" in first["fields"]
    assert "nextPageToken" not in first and "startAt" not in first
    assert second["nextPageToken"] == "tok-2"
    assert gw.stats["search"] == 2


def test_cloud_reconciles_the_newest_50_ids(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.POST, f"{API}/search/jql", json={"issues": []})
    assert list(gw.search("project = DCR", reconcile=[str(i) for i in range(1, 121)])) == []
    body = sent(calls_to(rsps, "/search/jql")[0])
    assert body["reconcileIssues"] == list(range(120, 70, -1))


def test_datacenter_pages_with_start_at_and_reads_properties_by_key(rsps, fake_time):
    """Data Center's search cannot return issue properties: they are read by key, and
    not again while the issue's ``updated`` stays the same."""
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=FIELDS)
    for start in (0, 2, 4):
        issues = [raw_issue(n, updated=f"2026-11-0{n}T09:00:00.000+0000")
                  for n in range(start + 1, min(start + 2, 5) + 1)]
        rsps.add(responses.POST, f"{API}/search",
                 json={"startAt": start, "maxResults": 2, "total": 5, "issues": issues})
    for n in range(1, 6):
        rsps.add(responses.GET, f"{API}/issue/DCR-{n}", json={
            "key": f"DCR-{n}", "fields": {"updated": f"2026-11-0{n}T09:00:00.000+0000"},
            "properties": {"jirasync": {"release": "4.2", "n": n}}})
    found = list(gw.search("project = DCR", page_size=2))
    assert [i.key for i in found] == ["DCR-1", "DCR-2", "DCR-3", "DCR-4", "DCR-5"]
    assert [i.properties["jirasync"]["n"] for i in found] == [1, 2, 3, 4, 5]
    bodies = [sent(c) for c in calls_to(rsps, "/search")]
    assert [b["startAt"] for b in bodies] == [0, 2, 4]
    assert "properties" not in bodies[0] and bodies[0]["jql"] == "project = DCR"
    assert "customfield_10008" in bodies[0]["fields"]      # Epic Link, for parent
    reads = [c.request.params for c in rsps.calls if "/issue/DCR-" in c.request.url]
    assert len(reads) == 5 and reads[0]["properties"] == "jirasync"

    for start in (0, 2, 4):                                 # the same versions again
        issues = [raw_issue(n, updated=f"2026-11-0{n}T09:00:00.000+0000")
                  for n in range(start + 1, min(start + 2, 5) + 1)]
        rsps.add(responses.POST, f"{API}/search",
                 json={"startAt": start, "maxResults": 2, "total": 5, "issues": issues})
    again = list(gw.search("project = DCR", page_size=2))
    assert [i.properties["jirasync"]["n"] for i in again] == [1, 2, 3, 4, 5]
    assert len([c for c in rsps.calls if "/issue/DCR-" in c.request.url]) == 5   # cached


def test_datacenter_pages_a_key_ordered_search_by_key(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=FIELDS)
    rsps.add(responses.POST, f"{API}/search",
             json={"startAt": 0, "total": 3, "issues": [raw_issue(1), raw_issue(2)]})
    rsps.add(responses.POST, f"{API}/search",
             json={"startAt": 0, "total": 1, "issues": [raw_issue(3)]})
    keys = [i.key for i in gw.search("project = DCR ORDER BY key", page_size=2, properties=())]
    assert keys == ["DCR-1", "DCR-2", "DCR-3"]
    first, second = (sent(c) for c in calls_to(rsps, "/search"))
    assert first["jql"] == "project = DCR ORDER BY key" and first["startAt"] == 0
    assert second["jql"] == '(project = DCR) AND key > "DCR-2" ORDER BY key'
    assert second["startAt"] == 0


def test_datacenter_search_without_properties_posts(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=FIELDS)
    rsps.add(responses.POST, f"{API}/search",
             json={"startAt": 0, "maxResults": 100, "total": 1, "issues": [raw_issue(1)]})
    assert [i.key for i in gw.search("project = DCR", properties=())] == ["DCR-1"]
    body = sent(calls_to(rsps, "/search")[0])
    assert body["startAt"] == 0 and "properties" not in body


def test_issue_conversion_on_datacenter(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=FIELDS)
    story = raw_issue(
        5, description="why", labels=["lessons-learnt", "ll-keep"],
        customfield_10008="DCR-1", assignee={"name": "sam.jones", "displayName": "Sam Jones"},
        duedate="2026-12-01", status={"name": "Done"}, resolution={"name": "Fixed"},
        resolutiondate="2026-11-20T16:05:00.000+0000", created="2026-10-14T09:00:00.000+0100",
        updated="2026-11-20T16:05:00.000+0000", customfield_10020="PMO")
    subtask = raw_issue(6, parent={"key": "DCR-5"}, assignee=None, status={"name": "To Do"},
                        resolution=None)
    rsps.add(responses.POST, f"{API}/search",
             json={"startAt": 0, "maxResults": 100, "total": 2, "issues": [story, subtask]})
    rsps.add(responses.GET, f"{API}/issue/DCR-5", json={
        "key": "DCR-5", "fields": {"updated": "2026-11-20T16:05:00.000+0000"},
        "properties": {"jirasync": {"release": "4.2", "lesson": "feeds-off"}}})
    rsps.add(responses.GET, f"{API}/issue/DCR-6", json={"key": "DCR-6", "fields": {}})
    got, sub = gw.search("project = DCR", fields=["summary", "Team"])
    assert (got.key, got.id, got.issue_type, got.summary, got.description) == (
        "DCR-5", "10005", "Task", "issue 5", "why")
    assert got.labels == ("lessons-learnt", "ll-keep") and got.parent == "DCR-1"
    assert (got.assignee, got.due, got.status, got.resolution) == (
        "sam.jones", date(2026, 12, 1), "Done", "Fixed")
    assert got.resolved == date(2026, 11, 20) and got.created == date(2026, 10, 14)
    assert got.updated == datetime(2026, 11, 20, 16, 5, tzinfo=timezone(timedelta(0)))
    assert got.properties == {"jirasync": {"release": "4.2", "lesson": "feeds-off"}}
    assert got.extra == {"Team": "PMO"}
    assert (sub.parent, sub.assignee, sub.resolution, sub.properties) == ("DCR-5", None, None, {})


def test_cloud_reads_parent_and_account_id(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    issue = raw_issue(2, parent={"key": "DCR-1"}, assignee={"accountId": "acc-sam"})
    rsps.add(responses.POST, f"{API}/search/jql", json={"issues": [issue]})
    (got,) = gw.search("project = DCR")
    assert (got.parent, got.assignee) == ("DCR-1", "acc-sam")
    assert not calls_to(rsps, "/field")    # Cloud needs no Epic Link lookup


def test_limit_stops_early(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.POST, f"{API}/search/jql",
             json={"issues": [raw_issue(9)], "nextPageToken": "more"})
    assert [i.key for i in gw.search("project = DCR ORDER BY key DESC", limit=1)] == ["DCR-9"]
    (call,) = calls_to(rsps, "/search/jql")
    assert sent(call)["maxResults"] == 1


def test_get_issue_reads_by_key_and_is_none_when_missing(rsps, fake_time):
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.GET, f"{API}/issue/DCR-4", json={
        **raw_issue(4), "properties": {"jirasync": {"release": "4.2"}}})
    rsps.add(responses.GET, f"{API}/issue/DCR-5", status=404,
             json={"errorMessages": ["Issue does not exist or you do not have permission"]})
    issue = gw.get_issue("DCR-4")
    assert issue.key == "DCR-4" and issue.properties == {"jirasync": {"release": "4.2"}}
    params = calls_to(rsps, "/issue/DCR-4")[0].request.params
    assert params["properties"] == "jirasync" and "labels" in params["fields"].split(",")
    assert gw.get_issue("DCR-5") is None
    assert gw.stats["read"] == 2


def test_children_clause_per_flavour(rsps, fake_time):
    cloud = open_gateway(rsps, fake_time, "cloud")
    assert cloud.children_clause(["DCR-1", "DCR-7"]) == 'parent in ("DCR-1", "DCR-7")'
    dc = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=FIELDS)
    assert dc.children_clause(["DCR-1"]) == '"Epic Link" in ("DCR-1")'


def test_datacenter_key_paging_survives_a_deleted_last_key(rsps, fake_time):
    """Jira refuses ``key > "DCR-2"`` once DCR-2 is deleted: the page goes on from DCR-1."""
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=FIELDS)
    rsps.add(responses.POST, f"{API}/search",
             json={"startAt": 0, "total": 3, "issues": [raw_issue(1), raw_issue(2)]})
    rsps.add(responses.POST, f"{API}/search", status=400, json={
        "errorMessages": ["An issue with key 'DCR-2' does not exist for field 'key'."]})
    rsps.add(responses.POST, f"{API}/search",
             json={"startAt": 0, "total": 1, "issues": [raw_issue(3)]})
    keys = [i.key for i in gw.search("project = DCR ORDER BY key", page_size=2, properties=())]
    assert keys == ["DCR-1", "DCR-2", "DCR-3"]
    jqls = [sent(c)["jql"] for c in calls_to(rsps, "/search")]
    assert jqls[1:] == ['(project = DCR) AND key > "DCR-2" ORDER BY key',
                        '(project = DCR) AND key > "DCR-1" ORDER BY key']


def test_pages_ask_for_as_many_as_jira_gives_and_short_pages_go_on(rsps, fake_time):
    """Cloud is asked for 5,000 and trims to what it gives with fields (100): a short
    page with a next token is not the last. Data Center is asked for its window, 1,000."""
    gw = open_gateway(rsps, fake_time, "cloud")
    rsps.add(responses.POST, f"{API}/search/jql",
             json={"issues": [raw_issue(n) for n in range(1, 101)], "nextPageToken": "t"})
    rsps.add(responses.POST, f"{API}/search/jql",
             json={"issues": [raw_issue(101)], "isLast": True})
    assert len(list(gw.search("project = DCR"))) == 101
    assert [sent(c)["maxResults"] for c in calls_to(rsps, "/search/jql")] == [5000, 5000]
    rsps.reset()
    gw = open_gateway(rsps, fake_time, "datacenter")
    rsps.add(responses.GET, f"{API}/field", json=FIELDS)
    rsps.add(responses.POST, f"{API}/search",
             json={"startAt": 0, "maxResults": 1000, "total": 1, "issues": [raw_issue(1)]})
    assert len(list(gw.search("project = DCR", properties=()))) == 1
    assert sent(calls_to(rsps, "/search")[0])["maxResults"] == 1000
