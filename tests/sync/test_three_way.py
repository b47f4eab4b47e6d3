"""Three-way sync (SPEC §3): what the file changed is pushed, what people changed in Jira is
kept and reported, both changed is a conflict that only ``force`` settles for the file.
Status belongs to Jira."""
from __future__ import annotations

from dataclasses import replace

import pytest

from jirasync.sandbox.catalog import EPIC_NAME
from jirasync.sync.plan import Update
from tests.sync.conftest import LESSONS, TOM, changes, release_yaml, snapshot, tree

FEEDS, REHEARSAL = LESSONS
CHECKLIST, CONTACTS = FEEDS.actions


def with_checklist(**change):
    """LESSONS with the checklist action changed."""
    feeds = replace(FEEDS, actions=(replace(CHECKLIST, **change), CONTACTS))
    return feeds, REHEARSAL


# (file change, identity, Jira field that must change to, field ids that may change)
FILE_EDITS = [
    ((replace(FEEDS, title="Partners switched feeds off late"), REHEARSAL),
     "4.2/feeds-off", "summary", "Partners switched feeds off late"),
    ((FEEDS, replace(REHEARSAL, description="Both rehearsals ran on production data.")),
     "4.2/rehearsal", "description", "Both rehearsals ran on production data."),
    (with_checklist(due="2027-01-08"), "4.2/feeds-off/checklist", "duedate", "2027-01-08"),
    (with_checklist(title="Feed shutdown at T-5 in the checklist"),
     "4.2/feeds-off/checklist", "summary", "Feed shutdown at T-5 in the checklist"),
]


@pytest.mark.parametrize("lessons,identity,field,value", FILE_EDITS,
                         ids=["lesson-title", "lesson-description", "action-due",
                              "action-title"])
def test_a_field_edited_in_the_file_updates_exactly_that_field(synced, lessons, identity,
                                                                field, value):
    before = snapshot(synced.sb)
    synced.lessons(*lessons)

    result = synced.sync()

    key = synced.key(identity)
    assert tree(synced.sb)[identity].fields[field] == value
    assert changes(before, snapshot(synced.sb)) == {key: {field, "properties"}}
    assert synced.sb.count(write=True) == 1
    assert [(o.verb, o.key) for o in result.outcomes] == [("updated", key)]


def test_a_renamed_release_renames_its_issue_and_data_center_s_epic_name(synced):
    before = snapshot(synced.sb)
    synced.write(release_yaml(name="DCR Release 4.2 — adult social care feeds"))

    synced.sync()

    release = tree(synced.sb)["4.2"]
    assert release.fields["summary"] == "Lessons learnt: DCR Release 4.2 — adult social care feeds"
    epic_name = {"datacenter": {EPIC_NAME}, "cloud": set()}[synced.sb.flavour]
    assert changes(before, snapshot(synced.sb)) == {
        release.key: {"summary", "description", "properties", *epic_name}}
    if epic_name:
        assert release.fields[EPIC_NAME] == "DCR Release 4.2 — adult social care feeds"
    assert synced.sb.count(write=True) == 1


def test_after_file_and_jira_agree_a_later_file_edit_is_pushed_not_a_conflict(synced):
    synced.sb.edit(synced.key("4.2/feeds-off"), summary="Feeds went off late")
    synced.lessons(replace(FEEDS, title="Feeds went off late"), REHEARSAL)
    agreed = synced.sync()
    assert [(o.verb, o.detail) for o in agreed.outcomes] == [
        ("updated", "file and Jira now agree on summary; remembered")]

    synced.lessons(replace(FEEDS, title="Feeds went off two days late"), REHEARSAL)
    result = synced.sync()

    assert tree(synced.sb)["4.2/feeds-off"].summary == "Feeds went off two days late"
    assert result.plan.reports("conflict") == []
    assert synced.sync().plan.of(Update) == []


def test_a_new_owner_in_the_file_reassigns_the_action(synced):
    synced.lessons(*with_checklist(owner=TOM))

    synced.sync()

    assert tree(synced.sb)["4.2/feeds-off/checklist"].assignee == synced.sb.user_id(TOM)


@pytest.mark.parametrize("change,labels", [
    ({"theme": "Supplier contracts"}, {"ll-improve", "theme-supplier-contracts"}),
    ({"theme": None}, {"ll-improve"}),
    ({"kind": "keep"}, {"ll-keep", "theme-partner-comms"}),
], ids=["theme-changed", "theme-dropped", "kind-changed"])
def test_a_changed_tag_swaps_only_jirasync_s_labels(synced, change, labels):
    key = synced.key("4.2/feeds-off")
    synced.sb.edit(key, labels=[*tree(synced.sb)["4.2/feeds-off"].labels, "board-q4"])
    synced.lessons(replace(FEEDS, **change), REHEARSAL)

    synced.sync()

    assert set(synced.sb.issue(key).labels) == {
        "lessons-learnt", "release-4-2", "board-q4", *labels}
    synced.sb.reset_log()
    synced.sync()
    assert synced.sb.count(write=True) == 0


# (Jira edit by a person, identity, field id, Jira's value that must survive)
JIRA_EDITS = [
    ("4.2/feeds-off/checklist", "duedate", "2026-12-20"),
    ("4.2/feeds-off/checklist", "summary", "Feed shutdown moved to the cut-over plan"),
    ("4.2/feeds-off", "description", "Rewritten in the review meeting."),
    ("4.2/feeds-off/contacts", "assignee", TOM),
]


@pytest.mark.parametrize("identity,field,value", JIRA_EDITS,
                         ids=["due-moved", "action-renamed", "lesson-reworded", "reassigned"])
def test_a_field_changed_in_jira_is_kept_and_reported(synced, identity, field, value):
    key = synced.key(identity)
    synced.sb.edit(key, **{field: value})
    expected = synced.sb.issue(key).fields[field]
    synced.sb.reset_log()

    for _ in range(2):                        # and stays kept on every later run
        result = synced.sync()
        assert synced.sb.issue(key).fields[field] == expected
        assert synced.sb.count(write=True) == 0
        (kept,) = result.plan.reports("kept")
        assert kept.key == key and "Jira kept" in kept.detail


def test_each_field_is_judged_on_its_own(synced):
    """A due date moved in the meeting and a title fixed in the file: both survive."""
    key = synced.key("4.2/feeds-off/checklist")
    synced.sb.edit(key, duedate="2026-12-20")
    synced.lessons(*with_checklist(title="Feed shutdown at T-5 in the checklist"))

    result = synced.sync()

    issue = synced.sb.issue(key)
    assert (issue.summary, issue.fields["duedate"]) == (
        "Feed shutdown at T-5 in the checklist", "2026-12-20")
    assert [r.key for r in result.plan.reports("kept")] == [key]


# (file change, Jira edit, identity, field id, file's value in Jira terms)
CONFLICTS = [
    (with_checklist(due="2027-01-08"), {"duedate": "2026-12-20"},
     "4.2/feeds-off/checklist", "duedate", "2027-01-08"),
    ((replace(FEEDS, title="Feeds were switched off late"), REHEARSAL),
     {"summary": "Partners' feeds: late switch-off"}, "4.2/feeds-off", "summary",
     "Feeds were switched off late"),
]


@pytest.mark.parametrize("lessons,jira_edit,identity,field,file_value", CONFLICTS,
                         ids=["due-date", "lesson-title"])
def test_both_changed_is_a_conflict_jira_kept_until_forced(synced, lessons, jira_edit,
                                                            identity, field, file_value):
    key = synced.key(identity)
    synced.sb.edit(key, **jira_edit)
    synced.lessons(*lessons)
    jira_value = synced.sb.issue(key).fields[field]
    synced.sb.reset_log()

    result = synced.sync()

    (conflict,) = result.plan.reports("conflict")
    assert conflict.key == key and "--force" in conflict.detail
    assert synced.sb.issue(key).fields[field] == jira_value
    assert synced.sb.count(write=True) == 0

    forced = synced.sync(force=True)

    assert synced.sb.issue(key).fields[field] == file_value
    assert [(o.verb, o.key) for o in forced.outcomes] == [("updated", key)]
    assert "forced" in forced.outcomes[0].detail
    synced.sb.reset_log()
    assert synced.sync().plan.reports("conflict") == []       # settled for good
    assert synced.sb.count(write=True) == 0


def test_force_does_not_undo_a_jira_change_the_file_never_touched(synced):
    key = synced.key("4.2/feeds-off/checklist")
    synced.sb.edit(key, duedate="2026-12-20")

    synced.sync(force=True)

    assert synced.sb.issue(key).fields["duedate"] == "2026-12-20"


def test_status_belongs_to_jira(synced):
    key = synced.key("4.2/feeds-off/checklist")
    synced.sb.transition(key, "Done")
    synced.lessons(*with_checklist(title="Feed shutdown at T-5 in the checklist"))

    synced.sync(force=True)

    issue = synced.sb.issue(key)
    assert issue.status == "Done" and issue.fields["resolution"] is not None
    assert issue.summary == "Feed shutdown at T-5 in the checklist"
