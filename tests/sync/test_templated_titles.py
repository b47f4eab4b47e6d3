"""Titles a template repeats (across releases, and within one) against the identity on
the issue: with no state folder, Data Center infers whose issue is whose from what its
search returns, looking for a lesson under its release's issue and an action under its
lesson, and telling look-alike lessons apart by their actions. It must decide as the
property does (the same run with the state folder, whose cache holds every property),
read by key only what is truly ambiguous, and never create a duplicate or write on an
inference. Cloud reads the property itself: the outcomes must be the same there."""
from __future__ import annotations

import pytest

from tests.sync.conftest import PRIYA, Act, Les, copies, release_yaml, snapshot, tree

# A template's lessons: the first two share title, kind, theme and text, and differ only
# by their actions.
TEMPLATE = (
    Les("feeds", "Partners turned their feeds off late", theme="Partner Comms",
        actions=(Act("checklist", "Add feed shutdown to the drop checklist"),)),
    Les("feeds-again", "Partners turned their feeds off late", theme="Partner Comms",
        actions=(Act("contacts", "Name an out-of-hours contact per partner", PRIYA),)),
    Les("rehearsal", "Two data-migration rehearsals before go-live", kind="keep"),
)
RELEASES = ("4.2", "4.3")
ISSUES = len(RELEASES) * (1 + 3 + 2)


@pytest.fixture
def templated(programme):
    for rid in RELEASES:
        programme.write(release_yaml(rid, f"DCR Release {rid}", lessons=TEMPLATE),
                        f"{rid}.yaml")
    first = programme.sync()
    assert first.count("created") == ISSUES and not first.failed
    return programme


def by_the_property(p):
    """The plan the identities on the issues give (the state folder's cache holds every
    property): what inference must agree with."""
    p.sync()        # the cache is full once this run has read every property
    result = p.sync(dry_run=True, full=True)
    return [(r.kind, r.key, str(r.identity)) for r in result.plan.steps
            if hasattr(r, "kind")], result.counts()


def inferred(p):
    p.forget_state()
    p.sb.reset_log()
    result = p.sync(dry_run=True)
    return [(r.kind, r.key, str(r.identity)) for r in result.plan.steps
            if hasattr(r, "kind")], result.counts()


def test_templated_lessons_are_told_apart_without_reading_a_property(templated):
    expected = by_the_property(templated)

    assert inferred(templated) == expected
    assert expected[1]["unchanged"] == ISSUES
    # Data Center: no property read by key (a dry run reads nothing past the highest key)
    assert templated.sb.count(kind="get") == 0
    before = snapshot(templated.sb)
    templated.sb.reset_log()
    assert templated.sync().count("unchanged") == ISSUES
    assert templated.sb.count(write=True) == 0 and snapshot(templated.sb) == before


def test_a_hand_made_lesson_with_a_template_s_title_is_never_taken_for_it(templated):
    rehearsal = templated.key("4.2/rehearsal")
    release = templated.key("4.2")
    labels = templated.sb.issue(rehearsal).fields["labels"]
    hand_made = templated.sb.create_issue("Task", "Two data-migration rehearsals before "
                                          "go-live", parent=release, labels=labels)
    expected = by_the_property(templated)

    assert inferred(templated) == expected
    templated.forget_state()
    templated.sb.reset_log()
    result = templated.sync()

    assert result.count("created") == 0 and result.count("duplicate") == 0
    assert templated.sb.count(write=True) == 0
    assert "jirasync" not in templated.sb.issue(hand_made).properties
    assert max(copies(templated.sb).values()) == 1
    assert tree(templated.sb)["4.2/rehearsal"].key == rehearsal


def test_a_lesson_moved_by_hand_to_another_release_s_epic_stays_itself(templated):
    moved = templated.key("4.2/feeds")
    templated.sb.edit(moved, parent=templated.key("4.3"))
    expected = by_the_property(templated)

    assert inferred(templated) == expected
    templated.forget_state()
    before = snapshot(templated.sb)
    templated.sb.reset_log()
    result = templated.sync()

    assert result.count("created") == 0 and result.count("duplicate") == 0
    assert templated.sb.count(write=True) == 0 and snapshot(templated.sb) == before
    issues = tree(templated.sb)
    assert issues["4.2/feeds"].key == moved and len(issues) == ISSUES


def test_look_alikes_whose_actions_are_alike_too_are_read_not_guessed(programme):
    twins = (Les("feeds", "Partners turned their feeds off late",
                 actions=(Act("checklist", "Add feed shutdown to the checklist"),)),
             Les("feeds-again", "Partners turned their feeds off late",
                 actions=(Act("checklist", "Add feed shutdown to the checklist"),)))
    programme.write(release_yaml(lessons=twins))
    programme.sync()
    expected = by_the_property(programme)

    assert inferred(programme) == expected
    if programme.sb.flavour == "datacenter":
        # the two lessons are read by key, then their actions are told apart by parent
        # (a dry run writes nothing, so reads nothing past the highest key)
        assert programme.sb.count(kind="get") == 2
    programme.forget_state()
    programme.sb.reset_log()
    assert programme.sync().count("unchanged") == 5
    assert programme.sb.count(write=True) == 0


def read_cold(p):
    """What a report reads on a machine that never synced (no state folder), and the
    identities it found: key -> (release, lesson, action)."""
    from jirasync.config import load_config
    from jirasync.reports.reader import read_programme
    p.sb.reset_log()
    programme = read_programme(p.gateway(), load_config(p.config_path))
    found = {r.key: (r.release, None, None) for r in programme.releases}
    found |= {l.key: (l.release, l.lesson, None) for l in programme.lessons}
    found |= {a.key: (a.release, a.lesson, a.action) for a in programme.actions}
    return programme, found


def by_property(sb):
    return {i.key: (m["release"], m.get("lesson"), m.get("action")) for i in sb.issues()
            if isinstance(m := i.properties.get("jirasync"), dict) and "release" in m}


def test_a_cold_report_tells_templated_lessons_apart_as_the_property_does(templated):
    _, found = read_cold(templated)

    assert found == by_property(templated.sb) and len(found) == ISSUES
    assert templated.sb.count(kind="get") == 0 and templated.sb.count(write=True) == 0


def test_a_cold_report_takes_no_hand_made_lesson_for_a_template_s(templated):
    rehearsal, release = templated.key("4.2/rehearsal"), templated.key("4.2")
    labels = templated.sb.issue(rehearsal).fields["labels"]
    hand_made = templated.sb.create_issue("Task", "Two data-migration rehearsals before "
                                          "go-live", parent=release, labels=labels)

    programme, found = read_cold(templated)

    truth = by_property(templated.sb)
    assert {k: v for k, v in found.items() if k != hand_made} == truth
    assert found.get(hand_made, (None, None))[1] is None      # a hand-made lesson, if any
    assert [l.key for l in programme.lessons if l.lesson == "rehearsal"
            and l.release == "4.2"] == [rehearsal]
    assert templated.sb.count(write=True) == 0
    # the two look-alikes are read by key, nothing else
    assert templated.sb.count(kind="get") <= (2 if templated.sb.flavour == "datacenter" else 0)


def test_a_cold_report_keeps_a_lesson_moved_to_another_release_s_epic_itself(templated):
    moved = templated.key("4.2/feeds")
    templated.sb.edit(moved, parent=templated.key("4.3"))

    _, found = read_cold(templated)

    assert found == by_property(templated.sb) and found[moved] == ("4.2", "feeds", None)
    assert templated.sb.count(write=True) == 0
    # no file wants it there: the moved lesson is read, and its action under it
    assert templated.sb.count(kind="get") <= (2 if templated.sb.flavour == "datacenter" else 0)
