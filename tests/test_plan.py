"""The sync planner: three-way rule per field, orphans, hand-made lessons, duplicates."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from jirasync.fingerprint import fingerprint
from jirasync.model import Identity
from jirasync.records import Memory
from jirasync.seen import Seen
from jirasync.sync.plan import Create, Report, Tag, Update, plan_sync
from jirasync.wanted import Labels, Wanted

L = Labels()
ACTION = Identity("4.2", "feeds-off", "checklist")
ACTION_LABELS = frozenset({"lessons-learnt", "release-4-2", "ll-action"})


def wanted(**kw) -> Wanted:
    values = {"identity": ACTION, "summary": "Add feed shutdown", "description": "T-5 days",
              "labels": ACTION_LABELS, "assignee": "sam", "due": date(2026, 12, 1)}
    return Wanted(**{**values, **kw})


def seen(*, written=None, **kw) -> Seen:
    """An issue in Jira as jirasync last wrote it (``written``), then edited by ``kw``."""
    base = {"summary": "Add feed shutdown", "description": "T-5 days", "assignee": "sam",
            "due": date(2026, 12, 1), **(written or {})}
    memory = Memory(ACTION, {k: fingerprint(k, v) for k, v in base.items()},
                    tuple(sorted(ACTION_LABELS)))
    now = {**base, **kw}
    return Seen(key="DCR-7", labels=ACTION_LABELS, memory=memory, **now)


def plan(w, s, force=False):
    return plan_sync([w], [s] if s else [], labels=L, loaded={"4.2"}, force=force).steps


@pytest.mark.parametrize("w,s,force,expect", [
    (wanted(), None, False, [("create", None)]),
    (wanted(), seen(), False, [("unchanged", None)]),
    (wanted(summary="Add feed shutdown (T-5)"), seen(), False, [("update", {"summary"})]),
    (wanted(), seen(due=date(2026, 12, 15)), False, [("kept", "due")]),
    (wanted(due=date(2026, 12, 3)), seen(due=date(2026, 12, 15)), False, [("conflict", "due")]),
    (wanted(due=date(2026, 12, 3)), seen(due=date(2026, 12, 15)), True, [("update", {"due"})]),
    (wanted(), seen(due=date(2026, 12, 15)), True, [("kept", "due")]),
    (wanted(description="T-5 days\n"), seen(description="T-5 days  \r\n"), False,
     [("unchanged", None)]),
    (wanted(assignee="priya"), seen(), False, [("update", {"assignee"})]),
    (wanted(due=date(2026, 12, 15)), seen(due=date(2026, 12, 15)), False, [("update", set())]),
], ids=["new-item-created", "nothing-changed", "file-edit-pushed", "jira-edit-kept",
        "both-edited-conflict", "force-pushes-conflict", "force-does-not-undo-jira-edit",
        "whitespace-does-not-flap", "new-owner-pushed", "converged-both-sides"])
def test_three_way_rule(w, s, force, expect):
    got = []
    for step in plan(w, s, force):
        if isinstance(step, Create):
            got.append(("create", None))
        elif isinstance(step, Update):
            got.append(("update", set(step.fields)))
        elif isinstance(step, Report):
            got.append((step.kind, step.detail.split()[0] if step.kind in ("kept", "conflict")
                         else None))
    assert got == expect


def test_both_sides_agreeing_is_remembered_so_the_next_file_edit_is_pushed():
    (update,) = plan(wanted(due=date(2026, 12, 15)), seen(due=date(2026, 12, 15)))
    assert update.fields == {} and update.agreed == ("due",)
    assert update.memory.fields["due"] == "2026-12-15"


def test_update_remembers_pushed_value_and_keeps_base_of_kept_fields():
    (update, kept) = plan(wanted(summary="New title"), seen(due=date(2026, 12, 20)))
    assert update.memory.fields["summary"] == fingerprint("summary", "New title")
    assert update.memory.fields["due"] == "2026-12-01"     # what jirasync last wrote
    assert kept.kind == "kept"


def test_labels_missing_are_added_and_labels_jirasync_dropped_are_removed():
    old = seen()
    old = replace(old, labels=old.labels | {"theme-x", "team-own"},
                  memory=Memory(ACTION, old.memory.fields, old.memory.labels + ("theme-x",)))
    (update,) = plan(wanted(labels=ACTION_LABELS | {"theme-y"}), old)
    assert update.add_labels == {"theme-y"}
    assert update.remove_labels == {"theme-x"}              # never a label someone else added


def test_lesson_gone_from_file_is_orphaned_not_touched():
    steps = plan_sync([], [seen()], labels=L, loaded={"4.2"}).steps
    assert [(s.kind, s.key) for s in steps] == [("orphaned", "DCR-7")]


def test_release_whose_file_failed_is_left_alone():
    assert plan_sync([], [seen()], labels=L, loaded=set()).steps == ()


def test_hand_made_lesson_under_release_gets_missing_labels_only():
    release = Seen(key="DCR-1", memory=Memory(Identity("4.2")),
                   labels=frozenset({"lessons-learnt", "release-4-2"}))
    hand = Seen(key="DCR-9", summary="Typed in Jira", parent="DCR-1",
                labels=frozenset({"lessons-learnt"}))
    w = Wanted(Identity("4.2"), release.summary, "", release.labels)
    steps = plan_sync([w], [release, hand], labels=L, loaded={"4.2"}).steps
    assert Tag("DCR-9", "4.2", frozenset({"release-4-2"})) in steps


def test_second_issue_with_same_identity_is_reported_and_never_used():
    first, second = seen(), replace(seen(), key="DCR-12", summary="other text")
    steps = plan_sync([wanted()], [second, first], labels=L, loaded={"4.2"}).steps
    kinds = {(getattr(s, "kind", "update"), s.key) for s in steps}
    assert kinds == {("duplicate", "DCR-12"), ("unchanged", "DCR-7")}


def test_owner_that_cannot_be_resolved_fails_only_that_item():
    other = wanted(identity=Identity("4.2", "feeds-off", "other"))
    steps = plan_sync([wanted(problem="no Jira user matches 'x'"), other], [], labels=L,
                      loaded={"4.2"}).steps
    assert [type(s).__name__ for s in steps] == ["Report", "Create"]
    assert steps[0].kind == "failed"
