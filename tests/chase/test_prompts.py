"""Comment mode: each open action gets one prompt per review cycle, inside the window.

The review of 2026-12-01 at 10:00 (Europe/London) opens its window on 2026-11-24 00:00.
"""
from __future__ import annotations

import pytest

from jirasync.model import key_order
from tests.chase.conftest import (
    PRIYA,
    SAM,
    TEAM,
    TOM,
    Act,
    at,
    gateway,
    issue_writes,
    midnight,
)

MEETING_TEXT = "Tuesday 1 December 2026 at 10:00 (Europe/London)"
OWNERS = {"checklist": SAM, "contacts": PRIYA, "rota": TOM, "charter": SAM, "readiness": PRIYA}
DUE = {a.id: a.due for a in TEAM}


def assert_prompted_once(p, actions=tuple(OWNERS)):
    """Exactly the ``actions`` carry one prompt each, and nothing else has a comment."""
    assert set(p.all_comments()) == set(actions)
    for name in actions:
        (body,) = p.comments(name)
        assert body.startswith(p.mention(OWNERS[name]) + " ")
        assert f"*{MEETING_TEXT}*" in body
        assert f"* Due: {DUE[name]}" in body
        assert p.record(name)["prompts"] == ["2026-12-01"]
        assert p.labels(name) == {"lessons-learnt", "release-4-2", "ll-action"}


def test_the_prompt_day_sends_one_comment_per_open_action(programme):
    p = programme()
    result = p.chase(midnight("2026-11-24"))
    assert_prompted_once(p)
    assert issue_writes(p.sb) == 5
    assert result.cycle.name == "2026-12-01"
    assert [(s.kind, s.key, s.to) for s in result.sent] == [
        ("prompt", p.key(a), (p.sb.user(OWNERS[a]).display_name,)) for a in OWNERS]


@pytest.mark.parametrize("again", [
    pytest.param(midnight("2026-11-24"), id="same-moment"),
    pytest.param(at("2026-11-24", 9), id="same-day"),
    pytest.param(at("2026-11-25"), id="next-day"),
    pytest.param(at("2026-12-01", 9, 59), id="meeting-day-before-it-starts"),
])
def test_a_second_run_in_the_window_sends_nothing(programme, again):
    p = programme()
    p.chase(midnight("2026-11-24"))
    p.sb.reset_log()
    result = p.chase(again)
    assert result.sent == ()
    assert p.sb.count(write=True) == 0
    assert_prompted_once(p)


def test_a_new_process_with_no_memory_sends_nothing_again(programme):
    """The record lives in Jira: a fresh gateway (a restart, another host) sees it."""
    p = programme()
    p.chase(midnight("2026-11-24"))
    p.sb.reset_log()
    assert p.chase(at("2026-11-25"), jira=gateway(p.sb)).sent == ()
    assert p.sb.count(write=True) == 0


def test_resolved_actions_get_nothing(programme):
    p = programme()
    p.resolve("contacts", at("2026-11-20"))
    p.resolve("charter", at("2026-11-23", 17))
    result = p.chase(midnight("2026-11-24"))
    assert_prompted_once(p, ("checklist", "rota", "readiness"))
    assert result.open_actions == 3


def test_an_action_without_owner_is_reported_not_commented(programme):
    p = programme((Act("checklist", SAM, "2026-12-15"), Act("orphan", None, "2026-12-20")))
    result = p.chase(midnight("2026-11-24"))
    assert set(p.all_comments()) == {"checklist"}
    assert [(s.kind, s.key) for s in result.sent] == [
        ("prompt", p.key("checklist")), ("unowned", p.key("orphan"))]


@pytest.mark.parametrize("now", [
    pytest.param(midnight("2026-11-23"), id="day-before-window-start-of-day"),
    pytest.param(at("2026-11-23", 23, 59), id="minute-before-window"),
    pytest.param(at("2026-12-01", 10, 0), id="meeting-has-started"),
    pytest.param(at("2026-12-01", 10, 30), id="meeting-day-after-10"),
    pytest.param(midnight("2026-12-02"), id="day-after-meeting"),
    pytest.param(at("2026-11-03", 11), id="after-the-previous-meeting"),
])
def test_outside_the_window_nothing_is_sent(programme, now):
    p = programme()
    result = p.chase(now)
    assert result.cycle is None and result.sent == ()
    assert p.all_comments() == {}
    assert p.sb.count(write=True) == 0


def test_first_run_late_in_the_window_catches_up_once(programme):
    p = programme()
    late = p.chase(at("2026-11-26", 9))
    assert late.count("prompt") == 5
    assert_prompted_once(p)
    p.sb.reset_log()
    for day in ("2026-11-27", "2026-11-30"):
        assert p.chase(at(day)).sent == ()
    assert p.chase(at("2026-12-01", 9, 30)).sent == ()
    assert p.sb.count(write=True) == 0
    assert_prompted_once(p)


def test_each_cycle_prompts_again(programme):
    p = programme((Act("checklist", SAM, "2027-02-26"),))
    p.chase(midnight("2026-11-24"))
    p.chase(at("2026-12-29"))           # the window of the review on 2027-01-05
    first, second = p.comments("checklist")
    assert "Tuesday 5 January 2027 at 10:00" in second and MEETING_TEXT in first
    assert p.record("checklist")["prompts"] == ["2026-12-01", "2027-01-05"]


def test_dry_run_writes_nothing_and_reports_what_it_would_send(programme):
    p = programme()
    dry = p.chase(midnight("2026-11-24"), dry_run=True)
    assert p.sb.count(write=True) == 0
    assert p.all_comments() == {} and p.record("checklist") is None
    assert dry.dry_run and dry.count("prompt") == 5
    real = p.chase(midnight("2026-11-24"))
    assert [(s.kind, s.key, s.to, s.detail) for s in dry.sent] == \
        [(s.kind, s.key, s.to, s.detail) for s in real.sent]
    assert_prompted_once(p)


@pytest.mark.parametrize("sandbox", ["cloud"], indirect=True)
def test_cloud_lagging_search_index_cannot_repeat_a_prompt(programme):
    """Jira Cloud's search may still show the actions as they were before the first run's
    writes; the second run must read the records that matter consistently."""
    p = programme()
    p.sb.faults.search_lag(True)
    p.chase(midnight("2026-11-24"))
    p.sb.reset_log()
    assert p.chase(at("2026-11-24", 0, 5)).sent == ()
    assert p.sb.count(write=True) == 0
    assert_prompted_once(p)


def test_an_action_deleted_while_the_index_still_lists_it_stops_nothing(programme):
    """Jira refuses a whole ``key in (...)`` query naming a deleted issue; Cloud's lagging
    index may still list one, so the others are read one by one and prompted."""
    p = programme()
    if p.sb.flavour != "cloud":
        pytest.skip("Data Center's search index does not lag behind writes")
    p.sb.faults.search_lag(True)
    others = [a for a in OWNERS if a != "rota"]
    keys = {a: p.key(a) for a in others}
    p.sb.delete(p.key("rota"))

    result = p.chase(midnight("2026-11-24"))

    assert [(s.kind, s.key) for s in result.sent] == [("prompt", keys[a]) for a in
                                                      sorted(others, key=lambda a: key_order(keys[a]))]
    assert all(len(p.sb.issue(k).comments) == 1 for k in keys.values())
