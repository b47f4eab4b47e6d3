"""Comments, notifications, properties, links, users and metadata through the library."""
from __future__ import annotations

import pytest

from jirasync.sandbox.catalog import EPIC_LINK, EPIC_NAME, TEAM
from tests.sandbox.clients import api, client, session, user_ref


def test_comments_are_added_and_listed(sandbox):
    key = sandbox.create_issue("Sub-task", "Action", parent=sandbox.create_issue("Task", "L"))
    mention = ("[~accountid:5b10a0effa615349cb016cd8]" if sandbox.flavour == "cloud"
               else "[~sam.jones]")
    j = client(sandbox)
    added = j.add_comment(key, f"{mention} please update this action before the review.")
    sandbox.add_comment(key, "Done on my side.", author="sam.jones@example.org")

    listed = j.comments(key)
    assert [c.body for c in listed] == [added.body, "Done on my side."]
    assert listed[1].author.displayName == "Sam Jones"
    assert j.comment(key, added.id).body.startswith(mention)
    assert [c["body"] for c in sandbox.issue(key).comments] == [added.body, "Done on my side."]


def test_empty_comment_is_refused(sandbox):
    key = sandbox.create_issue("Task", "A lesson")
    answer = session(sandbox).post(api(sandbox, f"issue/{key}/comment"), json={"body": " "})
    assert answer.status_code == 400
    assert sandbox.issue(key).comments == ()


def test_notify_records_the_mail_with_resolved_recipients(sandbox):
    key = sandbox.create_issue("Task", "A lesson", assignee="sam.jones@example.org")
    body = {"subject": "Actions due before the review on 2026-11-03",
            "textBody": "Please update DCR-1.", "htmlBody": "<p>Please update DCR-1.</p>",
            "to": {"assignee": True, "reporter": True,
                   "users": [user_ref(sandbox, "jodie.crowfoot@example.org"),
                             user_ref(sandbox, "sam.jones@example.org")]}}
    answer = session(sandbox).post(api(sandbox, f"issue/{key}/notify"), json=body)

    assert answer.status_code == 204 and answer.content == b""
    # The reporter is the bot itself, which Jira does not mail about its own request.
    ids = [sandbox.user_id(e) for e in ("sam.jones@example.org",
                                        "jodie.crowfoot@example.org")]
    assert sandbox.notifications == [{
        "issue": key, "subject": body["subject"], "textBody": body["textBody"],
        "htmlBody": body["htmlBody"], "recipients": ids}]


@pytest.mark.parametrize("to", [{}, {"users": [{"accountId": "nobody"}]},
                                {"groups": [{"name": "jira-users"}]}],
                         ids=["nobody", "unknown-user", "unknown-group"])
def test_notify_refuses_mail_to_nobody(sandbox_cloud, to):
    key = sandbox_cloud.create_issue("Task", "A lesson")
    answer = session(sandbox_cloud).post(api(sandbox_cloud, f"issue/{key}/notify"),
                                         json={"subject": "x", "textBody": "y", "to": to})
    assert answer.status_code == 400
    assert sandbox_cloud.notifications == []


def test_cloud_notify_refuses_usernames(sandbox_cloud):
    key = sandbox_cloud.create_issue("Task", "A lesson")
    answer = session(sandbox_cloud).post(api(sandbox_cloud, f"issue/{key}/notify"), json={
        "textBody": "y", "to": {"users": [{"name": "sam.jones"}]}})
    assert answer.status_code == 400
    assert "read-only" in " ".join(sandbox_cloud.observer.take())


def test_issue_properties_round_trip(sandbox):
    key = sandbox.create_issue("Task", "A lesson")
    j = client(sandbox)
    j.add_issue_property(key, "jirasync", {"release": "4.2", "prompted": ["2026-11"]})
    j.add_issue_property(key, "jirasync", {"release": "4.2", "prompted": ["2026-11", "2026-12"]})

    assert [p.key for p in j.issue_properties(key)] == ["jirasync"]
    assert j.issue_property(key, "jirasync").value.prompted == ["2026-11", "2026-12"]
    assert sandbox.issue(key).properties["jirasync"]["prompted"] == ["2026-11", "2026-12"]


@pytest.mark.parametrize("length, status", [(32766, 201), (32767, 400)],
                         ids=["at-limit", "over-limit"])
def test_property_values_are_limited_to_32768_characters(sandbox, length, status):
    key = sandbox.create_issue("Task", "A lesson")
    value = "x" * length  # JSON adds two quotes
    answer = session(sandbox).put(api(sandbox, f"issue/{key}/properties/big"), json=value)
    assert answer.status_code == status
    assert ("big" in sandbox.issue(key).properties) is (status == 201)


def test_missing_property_is_404(sandbox):
    key = sandbox.create_issue("Task", "A lesson")
    assert session(sandbox).get(api(sandbox, f"issue/{key}/properties/none")).status_code == 404


def test_issue_links(sandbox):
    first, second = (sandbox.create_issue("Task", f"Lesson {n}") for n in (1, 2))
    j = client(sandbox)
    j.create_issue_link("Relates", first, second)
    links = sandbox.issue(first).fields["issuelinks"]
    assert [(link["type"]["name"], link["outwardIssue"]["key"]) for link in links] == [
        ("Relates", second)]
    assert sandbox.issue(second).fields["issuelinks"][0]["inwardIssue"]["key"] == first


@pytest.mark.parametrize("text, emails", [
    ("sam.jones@example.org", ["sam.jones@example.org"]),
    ("Alex Green", ["alex.green@example.org", "alex.green2@example.org"]),
    ("alex.green@example.org", ["alex.green@example.org"]),
    ("nobody@example.org", [])], ids=["email", "two-people", "exact-email", "none"])
def test_user_search(sandbox, text, emails):
    if sandbox.flavour == "cloud":
        found = client(sandbox).search_users(query=text)
    else:
        found = client(sandbox).search_users(user=text)
    assert [u.emailAddress for u in found] == emails
    identity = "accountId" if sandbox.flavour == "cloud" else "name"
    assert all(identity in u.raw for u in found)
    assert all(("name" in u.raw) is (sandbox.flavour != "cloud") for u in found)


def test_user_search_by_username_is_refused_on_cloud(sandbox_cloud):
    answer = session(sandbox_cloud).get(api(sandbox_cloud, "user/search"),
                                        params={"username": "sam.jones"})
    assert answer.status_code == 400


def test_assignable_users(sandbox):
    param = "query" if sandbox.flavour == "cloud" else "username"
    found = session(sandbox).get(api(sandbox, "user/assignable/search"),
                                 params={param: "priya", "project": "DCR"}).json()
    assert [u["displayName"] for u in found] == ["Priya Shah"]


def test_metadata_describes_the_flavour(sandbox):
    j = client(sandbox)
    info = j.server_info()
    names = {f["name"]: f["id"] for f in j.fields()}
    project = j.project("DCR")

    assert info["deploymentType"] == ("Cloud" if sandbox.flavour == "cloud" else "Server")
    assert j.myself()["emailAddress"] == "pmo-bot@example.org"
    assert names["Team"] == TEAM
    assert ("Epic Link" in names, "Epic Name" in names) == ((False, False)
                                                           if sandbox.flavour == "cloud"
                                                           else (True, True))
    assert {t.name for t in project.issueTypes} >= {"Epic", "Task", "Sub-task"}
    assert {lt.name for lt in j.issue_link_types()} >= {"Blocks", "Relates"}


def test_createmeta_lists_fields_with_required_flags(sandbox):
    s = session(sandbox)
    types = s.get(api(sandbox, "issue/createmeta/DCR/issuetypes")).json()
    listed = types["issueTypes"] if sandbox.flavour == "cloud" else types["values"]
    epic_id = next(t["id"] for t in listed if t["name"] == "Epic")
    fields = s.get(api(sandbox, f"issue/createmeta/DCR/issuetypes/{epic_id}")).json()
    listed = fields["fields"] if sandbox.flavour == "cloud" else fields["values"]
    required = {f["fieldId"] for f in listed if f["required"]}
    expected = {"project", "issuetype", "summary"}
    assert required == (expected if sandbox.flavour == "cloud" else expected | {EPIC_NAME})
    assert (EPIC_LINK in {f["fieldId"] for f in listed}) is False


def test_data_center_createmeta_through_the_library(sandbox_dc):
    j = client(sandbox_dc)
    types = {t.name: t.id for t in j.project_issue_types("DCR")}
    fields = {f.fieldId: f.required for f in j.project_issue_fields("DCR", types["Sub-task"])}
    assert fields["parent"] is True and fields["summary"] is True
    assert fields[TEAM] is False
