"""Lessons people create by hand under a release issue get the labels they lack on the
next sync, and nothing else: their text is theirs and they never become managed."""
from __future__ import annotations

import pytest

from tests.sync.conftest import IDENTITIES, snapshot, tree

TAGS = {"lessons-learnt", "release-4-2"}


@pytest.mark.parametrize("labels,added", [
    ((), TAGS),
    (("ll-keep", "board-q4"), TAGS),
    (("lessons-learnt",), {"release-4-2"}),
    (("release-4-2", "theme-vendors"), {"lessons-learnt"}),
], ids=["no-labels", "own-labels-kept", "has-all-label", "has-release-label"])
def test_a_hand_made_lesson_gets_only_the_labels_it_lacks(synced, labels, added):
    release = synced.key("4.2")
    key = synced.sb.create_issue("Task", "Vendors were not told about the freeze ",
                                 parent=release, labels=labels,
                                 description="Raised in the retro.\r\nNo owner yet.  ")
    before = snapshot(synced.sb)
    synced.sb.reset_log()

    result = synced.sync()

    after = snapshot(synced.sb)
    assert set(after[key]["labels"]) == set(labels) | added
    assert {k: v for k, v in after[key].items() if k != "labels"} == \
        {k: v for k, v in before[key].items() if k != "labels"}     # text, parent, no property
    assert "jirasync" not in synced.sb.issue(key).properties
    assert {k: v for k, v in after.items() if k != key} == \
        {k: v for k, v in before.items() if k != key}
    assert synced.sb.count(write=True) == 1
    assert [(o.verb, o.key) for o in result.outcomes] == [("tagged", key)]

    synced.sb.reset_log()
    again = synced.sync()
    assert synced.sb.count(write=True) == 0
    assert set(tree(synced.sb)) == IDENTITIES                      # never adopted
    assert again.plan.reports("orphaned") == []


def test_a_fully_tagged_hand_made_lesson_is_left_alone(synced):
    synced.sb.create_issue("Task", "Already tagged", parent=synced.key("4.2"),
                           labels=sorted(TAGS | {"ll-improve"}))
    synced.sb.reset_log()

    synced.sync()

    assert synced.sb.count(write=True) == 0


def test_issues_outside_the_release_are_not_tagged(synced):
    loose = synced.sb.create_issue("Task", "Upgrade the feed adapter")
    other_epic = synced.sb.create_issue("Epic", "Platform roadmap")
    child = synced.sb.create_issue("Task", "Roadmap item", parent=other_epic)
    synced.sb.reset_log()

    synced.sync()

    assert synced.sb.count(write=True) == 0
    for key in (loose, other_epic, child):
        assert synced.sb.issue(key).labels == []
