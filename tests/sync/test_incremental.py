"""Incremental re-sync: with the state folder kept, a re-sync asks Jira only for what
changed since the last run, and reaches the plan the full scan reaches, whatever the
change: in the files, in Jira, both, by hand, deleted, lost or lagging."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import timedelta

import pytest

from jirasync.config import load_config
from jirasync.state import StateDir
from jirasync.sync import incremental
from tests.conftest import FLAVOURS, checked_sandbox
from tests.sync.conftest import LESSONS, NOW, PRIYA, Act, Les, copies

HOUR = timedelta(hours=1)


class Clock:
    """Jira's clock and the runs' ``now``, moved on by the test."""

    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture(params=FLAVOURS, ids=FLAVOURS)
def sandbox(request, contract):
    """A sandbox whose clock the test moves, so that issues age out of the window."""
    clock = Clock()
    with checked_sandbox(contract, request.param, clock=clock) as sb:
        sb.clock = clock
        yield sb


def run(p, **kw):
    """A run an hour after the last: issues unchanged since are outside the window."""
    p.sb.clock.now += HOUR
    return p.sync(now=p.sb.clock.now, **kw)


def same(p, **kw):
    """Another run at the same moment."""
    return p.sync(now=p.sb.clock.now, **kw)


@pytest.fixture
def kept(synced):
    """Synced, then re-synced twice an hour apart: the state folder remembers every
    issue and none changed within the window."""
    run(synced)
    run(synced)
    synced.sb.clock.now += HOUR
    synced.sb.reset_log()
    return synced


def file_edit(p):
    first, second = LESSONS
    p.lessons(first, Les(second.id, "Three data-migration rehearsals", kind="keep"))


def jira_edit(p):
    p.sb.edit(p.key("4.2/rehearsal"), summary="Rehearsals: two, on real data")


def conflict(p):
    file_edit(p)
    jira_edit(p)


def hand_made(p):
    p.sb.create_issue("Task", "Vendors were not told about the freeze", parent=p.key("4.2"))


def hand_made_seen_untagged(p):
    """Its tag refused, then an hour old: it is remembered untagged, not changed."""
    hand_made(p)
    key = max((i.key for i in p.sb.issues()), key=lambda k: int(k.split("-")[1]))
    p.sb.faults.fail(503, 100, method="PUT", path=rf"/issue/{key}$")
    assert same(p).count("failed") == 1
    p.sb.clock.now += HOUR


def hand_made_deleted_untagged(p):
    hand_made_seen_untagged(p)
    p.sb.delete(max((i.key for i in p.sb.issues()), key=lambda k: int(k.split("-")[1])))


def removed_label(p):
    p.sb.edit(p.key("4.2/feeds-off/checklist"), labels=["ll-action"])


def removed_every_label(p):
    p.sb.edit(p.key("4.2/feeds-off"), labels=[])


def deleted(p):
    p.sb.delete(p.key("4.2/feeds-off/contacts"))


def moved_due_date(p):
    p.sb.edit(p.key("4.2/feeds-off/checklist"), duedate="2026-12-20")


def new_lesson(p):
    p.lessons(*LESSONS, Les("freeze", "Tell vendors about the freeze",
                            actions=(Act("letter", "Send the freeze letter", PRIYA),)))


def lost_create(p):
    new_lesson(p)
    p.sb.faults.drop_after_create(1)
    same(p)


def lagging_search(p):
    p.sb.faults.search_lag(on=True)
    new_lesson(p)
    same(p)
    jira_edit(p)


CHANGES = [file_edit, jira_edit, conflict, hand_made, hand_made_seen_untagged,
           hand_made_deleted_untagged, removed_label, removed_every_label,
           deleted, moved_due_date, new_lesson, lost_create, lagging_search]


def incremental_ready(p) -> bool:
    config = load_config(p.config_path)
    return incremental.load(StateDir(config.state_dir), incremental.scope_of(config),
                            p.sb.clock.now) is not None


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_the_incremental_plan_is_the_full_scan_s_plan(kept, change):
    change(kept)
    assert incremental_ready(kept)
    assert same(kept, dry_run=True).plan == same(kept, dry_run=True, full=True).plan

    same(kept)                        # applied incrementally, then the same an hour on

    kept.sb.clock.now += HOUR
    assert incremental_ready(kept)
    again, full = same(kept, dry_run=True), same(kept, dry_run=True, full=True)
    assert again.plan == full.plan
    assert again.counts() == full.counts()
    assert max(copies(kept.sb).values()) == 1


def test_a_no_change_re_sync_reads_only_what_changed(kept):
    result = same(kept)

    assert result.count("unchanged") == 5 and kept.sb.count(write=True) == 0
    # what changed (1) and the labelled keys (1); no other search, no issue read by key
    # but the probe past the highest key
    assert kept.sb.count(kind="search") == 2
    assert kept.sb.count(kind="get") <= 3


def test_a_no_change_re_sync_reads_no_key_past_the_highest(kept):
    """Nothing to write, so nothing the index does not show yet can be duplicated: the
    keys past the highest are read by the next run that has something to write."""
    result = same(kept)

    assert result.count("unchanged") == 5 and kept.sb.count(write=True) == 0
    assert kept.sb.count(kind="get") == 0


def test_a_no_change_re_sync_makes_its_few_requests(kept):
    """Cloud at most 10 (issue #13): serverInfo, the record of creates, one search of
    what changed and one page of keys (at 15,200 issues: four); Data Center a count
    instead of the keys, and its field list (the Epic Link). No user listed (remembered),
    no key read (nothing is written)."""
    same(kept)

    extra = {"field": 1} if kept.sb.flavour == "datacenter" else {}
    assert Counter(r.kind for r in kept.sb.requests) == {
        "serverInfo": 1, "project-property": 1, "search": 2, **extra}


@pytest.mark.parametrize("why", ["missing", "unreadable", "other-project", "a-day-old",
                                 "no-offset", "truncated", "full"])
def test_the_full_scan_when_the_state_cannot_be_trusted(synced, why):
    config = load_config(synced.config_path)
    path = config.state_dir / incremental.FILE
    now = synced.sb.clock.now = NOW
    if why == "missing":
        path.unlink()
    elif why == "unreadable":
        path.write_text("{not json", encoding="utf-8")
    elif why == "other-project":
        path.write_text(path.read_text().replace('\\"DCR\\"', '\\"OPS\\"'), encoding="utf-8")
    elif why == "no-offset":          # edited by hand: times without their UTC offset
        path.write_text(re.sub(r'("(?:full_)?at":"[^"+]*)\+00:00"', r'\1"', path.read_text()),
                        encoding="utf-8")
    elif why == "truncated":
        path.write_text(path.read_text()[:200], encoding="utf-8")
    elif why == "a-day-old":
        now = synced.sb.clock.now = NOW + incremental.FULL_EVERY + timedelta(minutes=1)
    assert (incremental.load(StateDir(config.state_dir), incremental.scope_of(config), now)
            is None) == (why != "full")
    synced.sb.reset_log()

    result = synced.sync(now=now, full=why == "full")

    assert result.count("unchanged") == 5
    assert synced.sb.count(kind="search") == 3    # labelled issues, high water, hand-made
    assert incremental_ready(synced) or why == "a-day-old"


def test_a_clock_stepped_back_between_runs_hides_no_jira_edit(kept):
    """The window of changes is counted on Jira's clock too (its serverTime, kept in the
    state folder): a host clock stepped back by more than the margin hides nothing."""
    minute = timedelta(minutes=1)
    kept.sync(now=kept.sb.clock.now + 30 * minute)   # the bot's clock half an hour fast
    kept.sb.clock.now += 5 * minute
    jira_edit(kept)
    kept.sb.clock.now += 55 * minute                 # stepped back to Jira's time since
    assert incremental_ready(kept)
    again, full = same(kept, dry_run=True), same(kept, dry_run=True, full=True)
    assert full.count("kept") == 1
    assert again.plan == full.plan


def test_an_agreement_another_host_recorded_is_no_conflict(kept):
    """Host B records that Jira and the file agree (a property-only write, which leaves
    ``updated`` as it was); host A, whose state folder predates it, then sees the file
    change that field again: it is pushed, as the full read of the property decides."""
    kept.sb.clock.now -= 30 * timedelta(minutes=1)
    jira_edit(kept)
    kept.sb.clock.now += 30 * timedelta(minutes=1)
    same(kept)                                                 # host A
    state = load_config(kept.config_path).state_dir
    shutil.copytree(state, kept.root / "host-a")
    first, second = LESSONS
    kept.sb.clock.now += HOUR
    kept.lessons(first, Les(second.id, "Rehearsals: two, on real data", kind="keep"))
    assert same(kept).count("updated") == 1                    # host B: the agreement
    shutil.rmtree(state)
    shutil.copytree(kept.root / "host-a", state)
    kept.sb.clock.now += HOUR
    kept.lessons(first, Les(second.id, "Three rehearsals", kind="keep"))

    result = same(kept)                                        # host A again

    assert result.count("conflict") == 0 and result.count("updated") == 1
    assert kept.sb.issue(kept.key("4.2/rehearsal")).summary == "Three rehearsals"


@pytest.mark.parametrize("change", [jira_edit, moved_due_date],
                         ids=["jira_edit", "moved_due_date"])
def test_a_person_s_edit_costs_no_read_by_key(kept, change):
    """Data Center's search returns no property, and the cache holds it only for the
    version before the edit: the memory the last run saw stands in (a person's edit
    leaves the property as it was), so the re-sync reads nothing by key, writes nothing
    over the edit, and plans as the full read of every property does."""
    change(kept)
    full = same(kept, dry_run=True, full=True)
    kept.sb.reset_log()

    result = same(kept)

    assert result.plan == full.plan and result.count("kept") == full.count("kept") == 1
    assert kept.sb.count(kind="get") == 0 and kept.sb.count(write=True) == 0


def test_a_file_edit_over_a_person_s_edit_is_judged_on_the_property_read(kept):
    """The remembered memory decides nothing it would write: the issue a person edited
    and the file changed too is read by key before the plan is final (a conflict)."""
    conflict(kept)
    full = same(kept, dry_run=True, full=True)
    kept.sb.reset_log()

    result = same(kept)

    assert result.plan == full.plan and result.count("conflict") == 1
    if kept.sb.flavour == "datacenter":
        assert kept.sb.count(kind="get") >= 1
