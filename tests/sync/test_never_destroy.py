"""Never destroy by inference (SPEC §3): a lesson gone from its file is reported as
orphaned and left as it is; a release file that fails to parse is "unknown", not
"empty", and stops only that release."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tests.sync.conftest import IDENTITIES, LESSONS, Les, release_yaml, snapshot, tree

FEEDS, REHEARSAL = LESSONS


def test_a_lesson_removed_from_its_file_is_reported_orphaned_and_left_open(synced):
    keys = {i: synced.key(i) for i in ("4.2/feeds-off", "4.2/feeds-off/checklist",
                                      "4.2/feeds-off/contacts")}
    synced.sb.transition(keys["4.2/feeds-off"], "In Progress")
    before = snapshot(synced.sb)
    synced.lessons(REHEARSAL)
    synced.sb.reset_log()

    result = synced.sync()

    assert snapshot(synced.sb) == before                          # nothing closed or deleted
    assert synced.sb.count(write=True) == 0
    assert synced.sb.issue(keys["4.2/feeds-off"]).status == "In Progress"
    orphaned = {r.key: r for r in result.plan.reports("orphaned")}
    assert set(orphaned) == set(keys.values())
    assert "no longer in its release file" in orphaned[keys["4.2/feeds-off"]].detail
    assert not result.failed


def test_an_orphan_put_back_in_its_file_is_managed_again(synced):
    synced.lessons(REHEARSAL)
    synced.sync()
    synced.lessons(replace(FEEDS, title="Feeds went off late"), REHEARSAL)

    result = synced.sync()

    assert result.plan.reports("orphaned") == []
    assert tree(synced.sb)["4.2/feeds-off"].summary == "Feeds went off late"
    assert len(synced.sb.issues()) == len(IDENTITIES)


BROKEN = {
    "yaml-syntax": "id: \"4.3\"\nname: [unclosed\n",
    "unknown-key": release_yaml("4.3", "DCR Release 4.3") + "owner: someone\n",
    "bad-date": release_yaml("4.3", "DCR Release 4.3", live_date="14/10/2026"),
    "emptied": "",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_a_release_file_that_fails_to_parse_stops_only_that_release(synced, text):
    synced.write(release_yaml("4.3", "DCR Release 4.3", lessons=(REHEARSAL,)), "4.3.yaml")
    synced.sync()
    before = snapshot(synced.sb)
    synced.write(text, "4.3.yaml")
    synced.lessons(FEEDS, Les("new", "A lesson added to 4.2 meanwhile", kind="keep"))
    synced.sb.reset_log()

    result = synced.sync()

    issues = tree(synced.sb)
    assert "4.2/new" in issues                                     # 4.2 still synced
    # 4.2's dropped lesson is an orphan; nothing of the unreadable 4.3 is.
    assert {r.key for r in result.plan.reports("orphaned")} == {issues["4.2/rehearsal"].key}
    for identity in ("4.3", "4.3/rehearsal"):                      # 4.3 left as it was
        assert snapshot(synced.sb)[issues[identity].key] == before[issues[identity].key]
    assert result.failed and result.broken
    assert all("4.3.yaml" in str(p) for p in result.broken)


def test_the_only_release_file_broken_is_an_input_error_before_jira_is_asked(synced, cli):
    synced.write("id: \"4.2\"\nlessons: {not: a list}\n")

    code, _, err = cli("sync")

    assert code == 2 and "4.2.yaml:2: lessons: must be a list" in err
    assert synced.sb.requests == []


def test_a_clone_carrying_the_same_identity_is_reported_and_left_alone(synced):
    original = synced.sb.issue(synced.key("4.2/rehearsal"))
    clone = synced.sb.create_issue("Task", "CLONE - " + original.summary,
                                   parent=synced.key("4.2"), labels=original.labels,
                                   properties={"jirasync": original.properties["jirasync"]})
    synced.lessons(FEEDS, replace(REHEARSAL, title="Three rehearsals next time"))
    before = snapshot(synced.sb)[clone]

    result = synced.sync()

    assert synced.sb.issue(original.key).summary == "Three rehearsals next time"
    assert snapshot(synced.sb)[clone] == before
    (duplicate,) = result.plan.reports("duplicate")
    assert duplicate.key == clone and original.key in duplicate.detail
    assert result.count("created") == 0


def test_syncing_one_release_leaves_the_others_alone_and_unreported(synced):
    synced.write(release_yaml("4.3", "DCR Release 4.3", lessons=(REHEARSAL,)), "4.3.yaml")
    synced.lessons(REHEARSAL)                       # 4.2 loses a lesson meanwhile

    result = synced.sync(only=("4.3",))

    assert {str(o.identity) for o in result.outcomes} == {"4.3", "4.3/rehearsal"}
    assert result.plan.reports("orphaned") == []
    assert len(tree(synced.sb)) == len(IDENTITIES) + 2


def test_a_removed_release_file_retires_the_release_and_putting_it_back_resumes(synced):
    synced.write(release_yaml("4.3", "DCR Release 4.3", lessons=(REHEARSAL,)), "4.3.yaml")
    synced.sync()
    before = snapshot(synced.sb)
    (synced.releases / "4.3.yaml").unlink()
    synced.sb.reset_log()

    retired = synced.sync()

    assert snapshot(synced.sb) == before and synced.sb.count(write=True) == 0
    assert retired.plan.reports("orphaned") == [] and not retired.failed
    synced.write(release_yaml("4.3", "DCR Release 4.3 — renamed", lessons=(REHEARSAL,)),
                 "4.3.yaml")

    resumed = synced.sync()

    assert resumed.count("created") == 0
    assert [str(o.identity) for o in resumed.outcomes if o.verb == "updated"] == ["4.3"]
    assert len(tree(synced.sb)) == len(IDENTITIES) + 2


def test_a_changed_release_id_is_warned_about_where_the_old_issues_are(synced):
    synced.write(release_yaml("4.2.1"))            # same file, same name, new id

    result = synced.sync(dry_run=True)

    (warning,) = result.plan.reports("warning")
    assert warning.key == synced.key("4.2") and str(warning.identity) == "4.2"
    assert "release 4.2.1 is new" in warning.detail and "change it back" in warning.detail
