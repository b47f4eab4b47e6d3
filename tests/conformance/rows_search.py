"""Searching: Cloud's ``/search/jql`` and Data Center's ``/search``."""
from __future__ import annotations

from typing import Any

from jirasync.sandbox import Sandbox
from tests.conformance.table import CLOUD, DATACENTER, DC_DOCS, DC_READING, Row
from tests.sandbox.clients import api, session

JQL_OP = "POST /rest/api/2/search/jql"
DC_OP = "POST /rest/api/2/search"
JQL = "project = DCR AND labels = lessons-learnt ORDER BY key"


def _lessons(sb: Sandbox, count: int, **options: Any) -> list[str]:
    return [sb.create_issue("Task", f"Lesson {n}", labels=["lessons-learnt"], **options)
            for n in range(count)]


def _search(sb: Sandbox, expect: int = 200, **body: Any) -> Any:
    path = "search/jql" if sb.flavour == CLOUD else "search"
    answer = session(sb).post(api(sb, path), json={"jql": JQL} | body)
    assert answer.status_code == expect, answer.text
    return answer.json()


def ids_only(sb: Sandbox) -> None:
    _lessons(sb, 3)
    issues = _search(sb, fields=["id"])["issues"]
    assert issues and all(set(i) == {"id"} for i in issues)


def ids_by_default(sb: Sandbox) -> None:
    _lessons(sb, 3)
    issues = _search(sb)["issues"]
    assert issues and all(set(i) == {"id"} for i in issues)


def all_fields(sb: Sandbox) -> None:
    _lessons(sb, 1)
    fields = _search(sb, fields=["*all"])["issues"][0]["fields"]
    assert {"summary", "labels", "duedate", "comment", "status"} <= set(fields)


def navigable_fields(sb: Sandbox) -> None:
    _lessons(sb, 1)
    fields = _search(sb, fields=["*navigable"])["issues"][0]["fields"]
    assert {"summary", "labels", "status"} <= set(fields) and "comment" not in fields


def minus_excludes(sb: Sandbox) -> None:
    _lessons(sb, 1)
    fields = _search(sb, fields=["*all", "-comment"])["issues"][0]["fields"]
    assert "comment" not in fields and "summary" in fields


def named_fields_only(sb: Sandbox) -> None:
    _lessons(sb, 1)
    fields = _search(sb, fields=["summary", "comment"])["issues"][0]["fields"]
    assert set(fields) == {"summary", "comment"}


def largest_pages_for_ids_or_keys(sb: Sandbox) -> None:
    keys = _lessons(sb, 120)
    page = _search(sb, fields=["key"], maxResults=5000)
    assert [i["key"] for i in page["issues"]] == keys and "nextPageToken" not in page


def fewer_with_fields(sb: Sandbox) -> None:
    _lessons(sb, 120)
    page = _search(sb, fields=["summary", "labels"], maxResults=5000)
    assert len(page["issues"]) < 120 and page["nextPageToken"]


def at_most_five_properties(sb: Sandbox) -> None:
    sb.create_issue("Task", "Lesson", labels=["lessons-learnt"],
                    properties={f"p{n}": {"n": n} for n in range(6)})
    five = _search(sb, fields=["summary"], properties=[f"p{n}" for n in range(5)])
    assert five["issues"][0]["properties"] == {f"p{n}": {"n": n} for n in range(5)}
    _search(sb, 400, fields=["summary"], properties=[f"p{n}" for n in range(6)])


def at_most_fifty_reconciled(sb: Sandbox) -> None:
    _lessons(sb, 1)
    _search(sb, fields=["key"], reconcileIssues=list(range(10000, 10050)))
    _search(sb, 400, fields=["key"], reconcileIssues=list(range(10000, 10051)))


def recent_updates_lag(sb: Sandbox) -> None:
    sb.faults.search_lag(True)
    key = sb.create_issue("Task", "Just made", labels=["lessons-learnt"])
    issue_id = int(sb.issue(key).id)
    assert _search(sb, fields=["key"])["issues"] == []
    assert [i["key"] for i in _search(sb, fields=["key"], reconcileIssues=[issue_id])
            ["issues"]] == [key]


def next_page_token(sb: Sandbox) -> None:
    keys = _lessons(sb, 7)
    first = _search(sb, fields=["summary"], maxResults=5)
    assert first.get("nextPageToken") and not first.get("isLast")
    last = _search(sb, fields=["summary"], maxResults=5, nextPageToken=first["nextPageToken"])
    assert [i["key"] for i in first["issues"] + last["issues"]] == keys
    assert "nextPageToken" not in last and last["isLast"] is True


def bounded_jql(sb: Sandbox) -> None:
    _lessons(sb, 1)
    answer = session(sb).post(api(sb, "search/jql"), json={"jql": "order by key desc"})
    assert answer.status_code == 400


def expand_is_a_string(sb: Sandbox) -> None:
    _lessons(sb, 1)
    assert _search(sb, fields=["summary"], expand="names")["issues"]
    answer = session(sb).post(api(sb, "search/jql"),
                              json={"jql": JQL, "fields": ["summary"], "expand": ["names"]})
    assert answer.status_code == 400
    sb.observer.take()          # the refused list breaks the contract's schema on purpose


def no_total(sb: Sandbox) -> None:
    _lessons(sb, 3)
    assert "total" not in _search(sb, fields=["key"])


def dc_navigable_by_default(sb: Sandbox) -> None:
    _lessons(sb, 1)
    issue = _search(sb)["issues"][0]
    assert issue["key"] and {"summary", "status"} <= set(issue["fields"])
    assert "comment" not in issue["fields"]


def dc_start_at(sb: Sandbox) -> None:
    keys = _lessons(sb, 5)
    page = _search(sb, fields=["summary"], startAt=2, maxResults=2)
    assert [i["key"] for i in page["issues"]] == keys[2:4]
    assert page["startAt"] == 2 and page["total"] == 5


def dc_page_cap(sb: Sandbox) -> None:
    _lessons(sb, 1005)
    page = _search(sb, fields=["summary"], maxResults=5000)
    assert len(page["issues"]) == 1000 and page["maxResults"] == 1000 and page["total"] == 1005


def dc_no_properties(sb: Sandbox) -> None:
    sb.create_issue("Task", "Lesson", labels=["lessons-learnt"], properties={"jirasync": {}})
    issue = _search(sb, fields=["summary"])["issues"][0]
    assert "properties" not in issue
    answer = session(sb).post(api(sb, "search"), json={"jql": JQL, "properties": ["jirasync"]})
    assert answer.status_code == 400
    sb.observer.take()


ROWS = [
    Row(JQL_OP, "fields", "`id` Returns only issue IDs.", ids_only, (CLOUD,)),
    Row(JQL_OP, "fields", "The default is `id`.", ids_by_default, (CLOUD,)),
    Row(JQL_OP, "fields", "Note: By default, this resource returns IDs only.", ids_by_default,
        (CLOUD,)),
    Row(JQL_OP, "maxResults", "The greatest number of items returned per page is achieved "
        "when requesting `id` or `key` only. It returns max 5000 issues.",
        largest_pages_for_ids_or_keys, (CLOUD,)),
    Row(JQL_OP, "fields", "`*all` Returns all fields.", all_fields, (CLOUD,)),
    Row(JQL_OP, "fields", "`*navigable` Returns navigable fields.", navigable_fields, (CLOUD,)),
    Row(JQL_OP, "fields", "Any issue field, prefixed with a dash to exclude.", minus_excludes,
        (CLOUD,)),
    Row(JQL_OP, "fields", "`*all,-comment` Returns all fields except comments.",
        minus_excludes, (CLOUD,)),
    Row(JQL_OP, "fields", "`summary,comment` Returns the summary and comments fields only.",
        named_fields_only, (CLOUD,)),
    Row(JQL_OP, "maxResults", "To manage page size, API may return fewer items per page "
        "where a large number of fields are requested.", fewer_with_fields, (CLOUD,)),
    Row(JQL_OP, "properties", "A list of up to 5 issue properties to include in the results.",
        at_most_five_properties, (CLOUD,)),
    Row(JQL_OP, "reconcileIssues", "Accepts max 50 ids.", at_most_fifty_reconciled, (CLOUD,)),
    Row(JQL_OP, "(operation)", "Recent updates might not be immediately visible in the "
        "returned search results. If you need read-after-write consistency, you can utilize "
        "the `reconcileIssues` parameter", recent_updates_lag, (CLOUD,)),
    Row(JQL_OP, "nextPageToken", "Use the `nextPageToken` to fetch the next page of issues.",
        next_page_token, (CLOUD,)),
    Row("GET /rest/api/2/search/jql", "nextPageToken", "The `nextPageToken` field is **not "
        "included** in the response for the last page, indicating there is no next page.",
        next_page_token, (CLOUD,)),
    Row(JQL_OP, "jql", "this parameter requires a bounded query.", bounded_jql, (CLOUD,)),
    Row(JQL_OP, "expand", "`expand` is defined as a comma-delimited string of values.",
        expand_is_a_string, (CLOUD,)),
    Row(JQL_OP, "response", "The result of a JQL search with issues reconsilation.", no_total,
        (CLOUD,)),
    Row(DC_OP, "fields", "The default is `*navigable`.", dc_navigable_by_default,
        (DATACENTER,)),
    Row(DC_OP, "startAt", "The index of the first item to return in the page of results "
        "(page offset). The base index is `0`.", dc_start_at, (DATACENTER,)),
    Row(DC_OP, "maxResults", "The maximum allowable value is dictated by the JIRA property "
        "'jira.search.views.default.max'. If you specify a value that is higher than this "
        "number, your search results will be truncated.", dc_page_cap, (DATACENTER,),
        DC_DOCS),
    Row(DC_OP, "properties", "The search request's fields are jql, startAt, maxResults, "
        "validateQuery, fields and expand: no issue properties", dc_no_properties,
        (DATACENTER,), DC_READING),
]
