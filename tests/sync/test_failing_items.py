"""One failing item never stops the others (SPEC §3, §4): an owner that names no Jira user,
or several, fails that action alone, and the result counts it as failed."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tests.sync.conftest import IDENTITIES, LESSONS, PRIYA, SAM, TOM, Act, Les, tree

FEEDS, REHEARSAL = LESSONS
CHECKLIST, CONTACTS = FEEDS.actions
NOBODY, TWO_ALEXES = "nobody@example.org", "Alex Green"

# Extra actions with distinct owners, so that owners are resolved from one listing of the
# project's assignable users rather than one search each.
CROWD = Les("crowd", "Cut-over staffing", actions=(
    Act("a-tom", "Name a cut-over lead", TOM), Act("a-priya", "Book the war room", PRIYA),
    Act("a-jodie", "Brief the board", "jodie.crowfoot@example.org")))


@pytest.mark.parametrize("crowd", [False, True], ids=["few-owners", "many-owners"])
@pytest.mark.parametrize("owner,message", [
    (NOBODY, "no Jira user matches 'nobody@example.org'"),
    (TWO_ALEXES, "'Alex Green' matches 2 Jira users"),
], ids=["owner-unknown", "owner-ambiguous"])
def test_an_unresolvable_owner_fails_only_its_action(programme, owner, message, crowd):
    feeds = replace(FEEDS, actions=(replace(CHECKLIST, owner=owner), CONTACTS))
    programme.lessons(feeds, REHEARSAL, *([CROWD] if crowd else []))

    result = programme.sync()

    issues = tree(programme.sb)
    assert "4.2/feeds-off/checklist" not in issues
    assert IDENTITIES - {"4.2/feeds-off/checklist"} <= set(issues)
    assert issues["4.2/feeds-off/contacts"].assignee == programme.sb.user_id(PRIYA)
    if crowd:
        assert issues["4.2/crowd/a-tom"].assignee == programme.sb.user_id(TOM)
    (failed,) = result.plan.reports("failed")
    assert str(failed.identity) == "4.2/feeds-off/checklist" and message in failed.detail
    assert result.count("failed") == 1 and result.failed


def test_two_bad_owners_fail_two_actions_and_nothing_else(programme):
    feeds = replace(FEEDS, actions=(replace(CHECKLIST, owner=NOBODY),
                                    replace(CONTACTS, owner=TWO_ALEXES)))
    programme.lessons(feeds, REHEARSAL)

    result = programme.sync()

    assert set(tree(programme.sb)) == {"4.2", "4.2/feeds-off", "4.2/rehearsal"}
    assert result.count("failed") == 2 and result.count("created") == 3


def test_an_owner_changed_to_nobody_leaves_the_issue_as_it_is(synced):
    key = synced.key("4.2/feeds-off/checklist")
    feeds = replace(FEEDS, title="Feeds went off late",
                    actions=(replace(CHECKLIST, owner=NOBODY, due="2027-02-01"), CONTACTS))
    synced.lessons(feeds, REHEARSAL)

    result = synced.sync()

    checklist = synced.sb.issue(key)
    assert (checklist.assignee, checklist.fields["duedate"]) == (
        synced.sb.user_id(SAM), "2026-12-01")
    assert tree(synced.sb)["4.2/feeds-off"].summary == "Feeds went off late"
    (failed,) = result.plan.reports("failed")
    assert failed.key == key and result.count("failed") == 1


def test_a_fixed_owner_lets_the_action_through_on_the_next_run(programme):
    programme.lessons(replace(FEEDS, actions=(replace(CHECKLIST, owner=NOBODY), CONTACTS)),
                      REHEARSAL)
    programme.sync()
    programme.lessons(*LESSONS)

    result = programme.sync()

    assert set(tree(programme.sb)) == IDENTITIES and not result.failed
    assert [str(o.identity) for o in result.outcomes] == ["4.2/feeds-off/checklist"]
