"""The first sync of a release builds the issue tree of SPEC §3 in Jira, on Cloud and Data
Center alike, and a second run writes nothing."""
from __future__ import annotations

from dataclasses import replace

import pytest

from jirasync.sandbox.catalog import EPIC_NAME
from tests.sync.conftest import (
    IDENTITIES,
    LESSONS,
    NAME,
    PRIYA,
    SAM,
    Act,
    Les,
    Programme,
    parent_key,
    tree,
)

RELEASE_LABELS = {"lessons-learnt", "release-4-2"}


def test_first_sync_creates_the_release_its_lessons_and_their_actions(programme):
    result = programme.sync()

    sb = programme.sb
    issues = tree(sb)
    assert set(issues) == IDENTITIES and len(sb.issues()) == len(IDENTITIES)
    assert result.count("created") == 5 and not result.failed

    release = issues["4.2"]
    assert release.fields["issuetype"]["name"] == "Epic"
    assert release.summary == f"Lessons learnt: {NAME}"
    assert set(release.labels) == RELEASE_LABELS
    assert parent_key(release) is None

    feeds, rehearsal = issues["4.2/feeds-off"], issues["4.2/rehearsal"]
    for lesson in (feeds, rehearsal):
        assert lesson.fields["issuetype"]["name"] == "Task"
        assert parent_key(lesson) == release.key
    assert feeds.summary == "Partners turned their feeds off late before the drop"
    assert feeds.fields["description"].startswith("Two partners were still sending messages\n")
    assert "jodie.crowfoot@example.org" in feeds.fields["description"]      # raised_by
    assert set(feeds.labels) == RELEASE_LABELS | {"ll-improve", "theme-partner-comms"}
    assert set(rehearsal.labels) == RELEASE_LABELS | {"ll-keep"}

    checklist, contacts = issues["4.2/feeds-off/checklist"], issues["4.2/feeds-off/contacts"]
    for action in (checklist, contacts):
        assert action.fields["issuetype"]["name"] == "Sub-task"
        assert action.fields["parent"]["key"] == feeds.key
        assert set(action.labels) == RELEASE_LABELS | {"ll-action"}
    assert checklist.assignee == sb.user_id(SAM)
    assert checklist.fields["duedate"] == "2026-12-01"
    assert contacts.assignee == sb.user_id(PRIYA)
    assert contacts.fields["duedate"] == "2026-11-25"           # "+6w" after 2026-10-14
    assert contacts.fields["description"] == "One named person per partner."


def test_data_center_epic_gets_its_required_epic_name(sandbox_dc, tmp_path):
    programme = Programme(sandbox_dc, tmp_path)
    programme.sync()
    assert tree(sandbox_dc)["4.2"].fields[EPIC_NAME] == NAME


def test_identity_property_names_release_lesson_and_action(programme):
    programme.sync()

    props = {i: r.properties["jirasync"] for i, r in tree(programme.sb).items()}
    assert (props["4.2"]["release"], props["4.2"].get("lesson")) == ("4.2", None)
    assert (props["4.2/rehearsal"]["lesson"], props["4.2/rehearsal"].get("action")) == (
        "rehearsal", None)
    assert props["4.2/feeds-off/checklist"]["action"] == "checklist"
    # Identity lives in the property, never in the labels (§3).
    for record in tree(programme.sb).values():
        assert not any("feeds-off" in label or "checklist" in label for label in record.labels)


@pytest.mark.parametrize("lessons,expected", [
    ((), {"4.2"}),
    ((Les("late", "Sign-off came late", kind="keep"),), {"4.2", "4.2/late"}),
    ((Les("late", "Sign-off came late",
          actions=(Act("a1", "Agree dates", SAM), Act("a2", "Write it down", None, None))),),
     {"4.2", "4.2/late", "4.2/late/a1", "4.2/late/a2"}),
], ids=["release-without-lessons", "keep-lesson-only", "action-without-owner-or-date"])
def test_each_release_shape_lands_as_one_issue_per_item(programme, lessons, expected):
    programme.lessons(*lessons)

    result = programme.sync()

    assert set(tree(programme.sb)) == expected and not result.failed
    if "4.2/late/a2" in expected:
        bare = tree(programme.sb)["4.2/late/a2"]
        assert bare.assignee is None and bare.fields["duedate"] is None


def test_several_releases_each_get_their_own_tree(programme):
    programme.write(programme.releases.joinpath("4.2.yaml").read_text()
                    .replace('"4.2"', '"4.3"').replace("Release 4.2", "Release 4.3"), "4.3.yaml")

    programme.sync()

    issues = tree(programme.sb)
    assert len(issues) == 2 * len(IDENTITIES)
    assert "release-4-3" in issues["4.3/rehearsal"].labels
    assert parent_key(issues["4.3/rehearsal"]) == issues["4.3"].key
    assert issues["4.3/feeds-off/checklist"].fields["parent"]["key"] == \
        issues["4.3/feeds-off"].key


def test_second_run_writes_nothing(synced):
    result = synced.sync()

    assert synced.sb.count(write=True) == 0
    assert result.count("unchanged") == len(IDENTITIES)
    assert result.count("created") == result.count("updated") == 0


def test_themes_in_any_script_keep_their_letters_in_the_label(programme):
    themes = {"feeds-off": "Qualité & Sécurité!", "rehearsal": "データ移行"}
    programme.lessons(*(replace(les, theme=themes[les.id]) for les in LESSONS))

    programme.sync()

    issues = tree(programme.sb)
    assert "theme-qualité-sécurité" in issues["4.2/feeds-off"].labels
    assert "theme-データ移行" in issues["4.2/rehearsal"].labels
    programme.sb.reset_log()
    assert programme.sync().count("updated") == 0 and programme.sb.count(write=True) == 0


def test_data_center_reads_no_record_by_key_after_creating_it(synced):
    """Data Center's search cannot return issue properties; the state folder keeps those
    jirasync created or read, with the version they were read at, so the issues it made
    are not read by key on the next run, nor unchanged issues later."""
    synced.sync()
    first = synced.sb.count(kind="get")
    synced.sb.reset_log()

    synced.sync()

    again = synced.sb.count(kind="get")
    assert first == again
    assert again <= 3                  # the probe for keys the search index does not know
