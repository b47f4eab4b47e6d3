"""No duplicates, ever (SPEC §3): lost create answers, Cloud's lagging search index,
rate-limit storms, server errors on bulk creates and a lost state folder each leave
exactly one issue per item, counted by the identity stored on the issues."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.sync.conftest import IDENTITIES, LESSONS, NOW, Les, copies, tree

ONE_EACH = dict.fromkeys(IDENTITIES, 1)
FEEDS, REHEARSAL = LESSONS


def lost_answer(n):
    return lambda sb: sb.faults.drop_after_create(n)


def lagging_search(sb):
    sb.faults.search_lag(on=True)


def lag_and_lost_answers(sb):
    sb.faults.search_lag(on=True)
    sb.faults.drop_after_create(3)


def storm(count, status=429):
    return lambda sb: sb.faults.rate_limit(count, retry_after=2, status=status)


def bulk_fails(status, count):
    return lambda sb: sb.faults.fail(status, count, method="POST", path=r"/issue/bulk$")


# Trouble set just before the first sync (on a gateway already open), and whether the
# state folder is lost before the re-run, which happens before the index catches up.
TROUBLE = {
    "lost-release-create-answer": lost_answer(1),
    "lost-answer-at-every-level": lost_answer(3),
    "lagging-search": lagging_search,
    "lagging-search-and-lost-answers": lag_and_lost_answers,
    "429-storm": storm(8),
    "503-storm": storm(6, status=503),
    "503-on-bulk-create": bulk_fails(503, 2),
    "502-on-bulk-create": bulk_fails(502, 1),
}


@pytest.mark.parametrize("forget", [False, True], ids=["state-kept", "state-lost"])
@pytest.mark.parametrize("trouble", TROUBLE.values(), ids=TROUBLE.keys())
def test_trouble_during_the_first_sync_leaves_one_issue_per_item(programme, trouble,
                                                                   forget):
    sb = programme.sb
    jira = programme.gateway()
    trouble(sb)

    first = programme.sync(jira=jira)

    assert not first.failed, [o for o in first.outcomes if o.verb == "failed"]
    assert dict(copies(sb)) == ONE_EACH
    if forget:
        programme.forget_state()
    sb.reset_log()
    again = programme.sync()                                 # index not caught up yet
    assert dict(copies(sb)) == ONE_EACH
    assert again.count("created") == 0 and sb.count(write=True) == 0
    assert again.count("unchanged") == len(IDENTITIES)


def test_lost_answers_are_confirmed_not_resent(programme):
    programme.sb.faults.drop_after_create(3)

    result = programme.sync()

    assert all("confirmed after a lost answer" in o.detail for o in result.outcomes)
    assert programme.sb.count(kind="bulk-create") == 3      # one per level, none resent


@pytest.mark.parametrize("forget", [False, True], ids=["state-kept", "state-lost"])
def test_a_release_added_while_the_index_lags_is_not_duplicated(synced, forget):
    synced.sb.faults.search_lag(on=True)
    synced.write((synced.releases / "4.2.yaml").read_text()
                 .replace('"4.2"', '"4.3"').replace("Release 4.2", "Release 4.3"), "4.3.yaml")
    synced.sync()
    if forget:
        synced.forget_state()

    result = synced.sync()

    assert set(copies(synced.sb).values()) == {1} and len(copies(synced.sb)) == 10
    assert result.count("created") == 0


def test_a_lost_state_folder_alone_changes_nothing(synced):
    synced.forget_state()

    result = synced.sync()

    assert synced.sb.count(write=True) == 0
    assert result.count("unchanged") == len(IDENTITIES)


def test_a_level_that_could_not_be_created_fails_its_children_then_heals(programme):
    programme.sb.faults.fail(502, 2, method="POST", path=r"/issue/bulk$")

    first = programme.sync()

    assert first.failed and copies(programme.sb) == {}
    failed = {str(o.identity): o.detail for o in first.outcomes if o.verb == "failed"}
    assert set(failed) == IDENTITIES
    assert "502" in failed["4.2"]
    assert "could not be created" in failed["4.2/feeds-off/checklist"]

    healed = programme.sync()

    assert not healed.failed and dict(copies(programme.sb)) == ONE_EACH


def test_a_failing_bulk_chunk_never_stops_the_next_one(synced):
    many = tuple(Les(f"l{n:02}", f"Lesson number {n}", kind="keep") for n in range(60))
    synced.lessons(*LESSONS, *many)
    # Both tries of the first chunk of 50 fail; the second chunk (10) goes through.
    synced.sb.faults.fail(502, 2, method="POST", path=r"/issue/bulk$")

    first = synced.sync()

    made = [o for o in first.outcomes if o.verb == "created"]
    assert len(made) == 10 and first.count("failed") == 50
    assert set(copies(synced.sb).values()) == {1}

    second = synced.sync()

    assert second.count("created") == 50 and not second.failed
    assert len(tree(synced.sb)) == len(IDENTITIES) + 60
    assert set(copies(synced.sb).values()) == {1}


LATER = {"state-lost": {"forget": True, "days": 0},
         "weeks-later": {"forget": False, "days": 30}}


@pytest.mark.parametrize("later", LATER.values(), ids=LATER.keys())
def test_a_lagging_index_never_makes_sync_undo_a_person_s_edit(synced, later):
    """Search may show an issue as it was before jirasync's last write; judging by that
    would push the file again over what a person wrote since."""
    key = synced.key("4.2/feeds-off")
    synced.sb.faults.search_lag(on=True)
    synced.lessons(replace(FEEDS, title="Feeds went off late"), REHEARSAL)
    synced.sync()
    synced.sb.edit(key, summary="Partners' feeds: late switch-off")
    if later["forget"]:
        synced.forget_state()
    synced.sb.reset_log()

    result = synced.sync(now=NOW + timedelta(days=later["days"]))

    assert synced.sb.issue(key).summary == "Partners' feeds: late switch-off"
    assert synced.sb.count(write=True) == 0
    assert [r.key for r in result.plan.reports("kept")] == [key]


@pytest.mark.parametrize("later", LATER.values(), ids=LATER.keys())
def test_updates_and_tags_are_not_resent_while_the_index_lags(synced, later):
    hand_made = synced.sb.create_issue("Task", "Vendors not told", parent=synced.key("4.2"))
    synced.sb.faults.search_lag(on=True)
    synced.lessons(replace(FEEDS, title="Feeds went off late"), REHEARSAL)
    synced.sync()
    if later["forget"]:
        synced.forget_state()
    synced.sb.reset_log()

    synced.sync(now=NOW + timedelta(days=later["days"]))

    assert synced.sb.count(write=True) == 0
    assert "release-4-2" in synced.sb.issue(hand_made).labels


@pytest.mark.parametrize("status", [429, 503])
def test_a_storm_is_waited_out_on_the_injected_clock(programme, status):
    jira = programme.gateway()
    programme.sb.faults.rate_limit(8, retry_after=2, status=status)

    result = programme.sync(jira=jira)

    assert sum(1 for r in programme.sb.requests if r.status == status) == 8
    assert len([w for w in programme.time.waits if w >= 2]) == 8    # Retry-After honoured
    assert not result.failed and dict(copies(programme.sb)) == ONE_EACH
