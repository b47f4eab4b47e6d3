"""Digest mode: one Jira notification per owner per review cycle, listing all their open
actions; the record sits on one of them (the anchor, the lowest key)."""
from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from tests.chase.conftest import PRIYA, SAM, TEAM, TOM, Act, at, midnight

MEETING_TEXT = "Tuesday 1 December 2026 at 10:00 (Europe/London)"
BY_OWNER = {SAM: ("checklist", "charter"), PRIYA: ("readiness", "contacts"), TOM: ("rota",)}
DUE = {a.id: a.due for a in TEAM}


def sent_to(p) -> dict[str, list[dict]]:
    """Owner email -> the notifications Jira sent them."""
    out: dict[str, list[dict]] = {}
    for n in p.sb.notifications:
        for owner in BY_OWNER:
            if p.user_id(owner) in n["recipients"]:
                out.setdefault(owner, []).append(n)
    return out


def test_the_prompt_day_sends_one_digest_per_owner(programme):
    p = programme(reminder="digest")
    result = p.chase(midnight("2026-11-24"))
    assert result.count("digest") == 3
    assert p.sb.count(kind="notify") == 3
    for owner, actions in BY_OWNER.items():
        (note,) = sent_to(p)[owner]
        assert note["recipients"] == [p.user_id(owner)]
        plural = "" if len(actions) == 1 else "s"
        assert note["subject"] == (f"{len(actions)} lessons-learnt action{plural} to update "
                                   f"before the review on {MEETING_TEXT}")
        assert MEETING_TEXT in note["textBody"]
        lines = [f"- {p.key(a)}: Action {a} (due {DUE[a]}) {p.sb.url}/browse/{p.key(a)}"
                 for a in actions]                            # soonest due first
        assert [ln for ln in note["textBody"].splitlines() if ln.startswith("- ")] == lines
        for a in actions:
            assert f'<a href="{p.sb.url}/browse/{p.key(a)}">{p.key(a)}</a>' in note["htmlBody"]
        anchor = min(actions, key=lambda a: int(p.key(a).split("-")[1]))
        assert note["issue"] == p.key(anchor)
        assert p.record(anchor)["digests"] == [f"2026-12-01 {p.user_id(owner)}"]
    assert p.all_comments() == {}


def resolve_sams_anchor(p):
    p.resolve("checklist", at("2026-11-24", 11))


def reassign_sams_anchor(p):
    p.sb.edit(p.key("checklist"), assignee=PRIYA)


def add_an_action_for_sam(p):
    """An action made by hand during the window gives Sam one more."""
    lesson = p.sb.issue(p.key("checklist")).fields["parent"]["key"]
    p.sb.create_issue("Sub-task", "Late action", parent=lesson, assignee=SAM,
                      labels=("lessons-learnt", "ll-action"), duedate="2026-12-30")


@pytest.mark.parametrize("between, again", [
    pytest.param(None, at("2026-11-24", 9), id="same-day"),
    pytest.param(None, at("2026-11-30", 18), id="days-later"),
    pytest.param(resolve_sams_anchor, at("2026-11-25"), id="anchor-resolved-after-digest"),
    pytest.param(reassign_sams_anchor, at("2026-11-25"), id="anchor-reassigned-after-digest"),
    pytest.param(add_an_action_for_sam, at("2026-11-25"), id="new-action-later-in-cycle"),
])
def test_never_twice_in_a_cycle(programme, between: Callable | None, again):
    p = programme(reminder="digest")
    p.chase(midnight("2026-11-24"))
    if between:
        between(p)
    p.sb.reset_log()
    result = p.chase(again)
    assert result.count("digest") == 0
    assert p.sb.count(kind="notify") == 0 and p.sb.count(write=True) == 0
    assert {o: len(n) for o, n in sent_to(p).items()} == {SAM: 1, PRIYA: 1, TOM: 1}


def test_a_bot_whose_jira_timezone_runs_behind_still_sees_the_resolved_anchor(programme,
                                                                              clock):
    """Jira reads the JQL date of "resolved since the window opened" in the bot's own
    timezone: at 00:30 in London it is still yesterday evening in New York."""
    clock.zone = ZoneInfo("America/New_York")
    p = programme(reminder="digest")
    p.chase(midnight("2026-11-24"))
    p.resolve("checklist", at("2026-11-24", 0, 30))
    assert p.chase(at("2026-11-24", 9)).count("digest") == 0
    assert len(sent_to(p)[SAM]) == 1


def test_resolved_actions_are_left_out(programme):
    p = programme(reminder="digest")
    p.resolve("checklist", at("2026-11-20"))
    p.resolve("rota", at("2026-11-20"))
    result = p.chase(midnight("2026-11-24"))
    assert result.count("digest") == 2 and TOM not in sent_to(p)
    (note,) = sent_to(p)[SAM]
    assert p.key("checklist") not in note["textBody"] and note["issue"] == p.key("charter")


def test_each_cycle_has_its_digest(programme):
    p = programme((Act("checklist", SAM, "2027-02-26"),), reminder="digest")
    p.chase(midnight("2026-11-24"))
    p.chase(at("2026-12-29"))                    # the review of 2027-01-05
    first, second = sent_to(p)[SAM]
    assert MEETING_TEXT in first["subject"] and "5 January 2027" in second["subject"]
    assert p.record("checklist")["digests"] == [f"2026-12-01 {p.user_id(SAM)}",
                                                f"2027-01-05 {p.user_id(SAM)}"]


@pytest.mark.parametrize("now", [
    pytest.param(at("2026-11-23", 23, 59), id="before-window"),
    pytest.param(at("2026-12-01", 10, 30), id="meeting-day-after-10"),
])
def test_no_digest_outside_the_window(programme, now):
    p = programme(reminder="digest")
    assert p.chase(now).sent == ()
    assert p.sb.notifications == [] and p.sb.count(write=True) == 0


def test_dry_run_sends_and_records_nothing(programme):
    p = programme(reminder="digest")
    dry = p.chase(midnight("2026-11-24"), dry_run=True)
    assert dry.count("digest") == 3
    assert p.sb.notifications == [] and p.sb.count(write=True) == 0
    assert p.chase(midnight("2026-11-24")).count("digest") == 3


def test_an_overdue_action_is_listed_and_escalated(programme):
    p = programme((Act("checklist", SAM, "2026-11-20"), Act("charter", SAM, "2026-12-31")),
                  reminder="digest")
    result = p.chase(at("2026-11-24"))
    assert sorted(s.kind for s in result.sent) == ["digest", "escalation"]
    (note,) = sent_to(p)[SAM]
    assert p.key("checklist") in note["textBody"] and p.key("charter") in note["textBody"]
    (comment,) = p.comments("checklist")
    assert "overdue by 4 days" in comment
    assert p.record("checklist")["rungs"] == [0]
    assert p.record("checklist")["digests"] == [f"2026-12-01 {p.user_id(SAM)}"]
    assert p.chase(at("2026-11-25")).sent == ()


@pytest.mark.parametrize("sandbox", ["cloud"], indirect=True)
def test_cloud_lagging_search_index_cannot_repeat_a_digest(programme):
    """The search may still show every action as it was before the first run, anchor
    records and resolutions included."""
    p = programme(reminder="digest")
    p.sb.faults.search_lag(True)
    p.chase(midnight("2026-11-24"))
    p.resolve("checklist", at("2026-11-24", 0, 2))
    p.sb.reset_log()
    assert p.chase(at("2026-11-24", 0, 5)).count("digest") == 0
    assert p.sb.count(kind="notify") == 0
    assert {o: len(n) for o, n in sent_to(p).items()} == {SAM: 1, PRIYA: 1, TOM: 1}
