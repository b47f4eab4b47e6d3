"""Owners remembered in the state folder (sync/owners): a run that writes nothing lists no
user; a run that writes asks Jira for every owner again first, so a remembered id is never
written and an owner who left fails as before; anything the folder cannot vouch for is
asked again."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from jirasync.config import load_config
from jirasync.sync import owners
from tests.sync.conftest import LESSONS, NOW, PRIYA, SAM, TOM, tree


def owners_file(p):
    return load_config(p.config_path).state_dir / owners.FILE


def failures(result):
    return [(r.identity, r.detail) for r in result.plan.reports("failed")]


def test_a_run_that_writes_nothing_lists_no_user(synced):
    result = synced.sync()

    assert result.count("unchanged") == 5
    assert synced.sb.count(kind="user-search") == 0


@pytest.mark.parametrize("why", ["lost", "unreadable", "other-project", "a-day-old", "full"])
def test_owners_the_state_folder_cannot_vouch_for_are_asked_again(synced, why):
    path, now = owners_file(synced), NOW
    if why == "lost":
        synced.forget_state()
    elif why == "unreadable":
        path.write_text("{not json", encoding="utf-8")
    elif why == "other-project":
        path.write_text(path.read_text().replace('\\"DCR\\"', '\\"OPS\\"'), encoding="utf-8")
    elif why == "a-day-old":
        now = NOW + owners.KEEP_FOR + timedelta(minutes=1)

    result = synced.sync(now=now, full=why == "full")

    assert result.count("unchanged") == 5
    assert synced.sb.count(kind="user-search") > 0
    synced.sb.reset_log()
    assert synced.sync(now=now).count("unchanged") == 5           # remembered again
    assert synced.sb.count(kind="user-search") == 0


def test_an_owner_changed_in_the_file_is_asked_for_and_assigned(synced):
    first, second = LESSONS
    checklist, contacts = first.actions
    synced.lessons(replace(first, actions=(checklist, replace(contacts, owner=TOM))), second)

    result = synced.sync()

    assert result.count("updated") == 1 and not result.failed
    assert tree(synced.sb)["4.2/feeds-off/contacts"].assignee == synced.sb.user_id(TOM)


def test_a_stale_remembered_id_is_never_written(synced):
    """The folder says Sam is Priya (say, an email given to another person since): the
    plan would push that, so the run asks Jira again, and plans again on its answer."""
    path = owners_file(synced)
    data = json.loads(path.read_text())
    data["owners"][SAM]["id"] = synced.sb.user_id(PRIYA)
    path.write_text(json.dumps(data), encoding="utf-8")

    result = synced.sync()

    assert result.count("unchanged") == 5 and synced.sb.count(write=True) == 0
    assert tree(synced.sb)["4.2/feeds-off/checklist"].assignee == synced.sb.user_id(SAM)
    assert json.loads(path.read_text())["owners"][SAM]["id"] == synced.sb.user_id(SAM)


def test_an_owner_who_left_fails_as_before_in_a_run_that_writes(synced):
    synced.sb.deactivate_user(SAM)
    assert synced.sync().count("unchanged") == 5        # nothing written: within the day
    first, second = LESSONS
    checklist, contacts = first.actions
    synced.lessons(replace(first, actions=(replace(checklist, title="Reworded"), contacts)),
                   replace(second, title="Two rehearsals, on real data"))
    without_cache = synced.sync(dry_run=True, full=True)

    result = synced.sync()

    assert result.count("failed") == 1 and result.count("updated") == 1
    assert failures(result) == failures(without_cache)
    assert "no Jira user matches" in failures(result)[0][1]
    assert synced.sb.count(kind="user-search") > 0
    assert synced.sync().count("failed") == 1           # a failure is not remembered


def test_an_owner_who_left_fails_within_a_day_whatever_the_run(synced):
    synced.sb.deactivate_user(SAM)
    later = NOW + owners.KEEP_FOR + timedelta(minutes=1)

    result = synced.sync(now=later)

    assert result.count("failed") == 1
    assert failures(result) == failures(synced.sync(now=later, dry_run=True, full=True))
