"""The escalation ladder: which rung fires, given the due date, today and what fired."""
from __future__ import annotations

from datetime import date

import pytest

from jirasync.escalation import Ladder, Rung

OWNER, RM, PMO = "owner", "release_manager", "pmo_lead"
LADDER = Ladder((Rung(0, (OWNER,)), Rung(14, (OWNER, RM)), Rung(30, (OWNER, RM, PMO))))
DUE = date(2027, 1, 1)


@pytest.mark.parametrize("due, today, fired, expected", [
    pytest.param(DUE, date(2026, 12, 20), (), None, id="not-yet-due"),
    pytest.param(DUE, DUE, (), None, id="due-today-is-not-overdue"),
    pytest.param(DUE, date(2027, 1, 2), (), 0, id="1-day-over-fires-the-0-rung"),
    pytest.param(DUE, date(2027, 1, 2), (0,), None, id="0-rung-already-fired"),
    pytest.param(DUE, date(2027, 1, 14), (0,), None, id="13-days-over-waits-for-14"),
    pytest.param(DUE, date(2027, 1, 14), (), 0, id="13-days-over-catches-up-the-0-rung"),
    pytest.param(DUE, date(2027, 1, 15), (0,), 14, id="14-days-over-reaches-14"),
    pytest.param(DUE, date(2027, 1, 30), (0, 14), None, id="29-days-over-waits-for-30"),
    pytest.param(DUE, date(2027, 1, 31), (0, 14), 30, id="30-days-over-reaches-30"),
    pytest.param(DUE, date(2027, 1, 15), (), 14, id="0-and-14-due-at-once-only-14"),
    pytest.param(DUE, date(2027, 2, 15), (), 30, id="all-due-at-once-only-30"),
    pytest.param(DUE, date(2027, 2, 15), (0,), 30, id="14-and-30-due-at-once-only-30"),
    pytest.param(DUE, date(2027, 6, 1), (0, 14, 30), None, id="top-rung-fired-nothing-left"),
    pytest.param(DUE, date(2027, 1, 20), (14,), None, id="lower-0-never-after-14"),
    pytest.param(DUE, date(2027, 3, 1), (30,), None, id="lower-never-after-30"),
    # A rung removed from the config since it fired still marks how far the action climbed.
    pytest.param(DUE, date(2027, 1, 25), (20,), None, id="fired-rung-gone-from-config"),
    # The caller empties `fired` when the due date moves: the ladder starts again.
    pytest.param(date(2027, 2, 1), date(2027, 2, 2), (), 0, id="moved-due-date-restarts"),
    pytest.param(date(2028, 2, 28), date(2028, 3, 1), (), 0, id="across-leap-day"),
])
def test_due_rung(due, today, fired, expected):
    rung = LADDER.due_rung(due=due, today=today, fired=fired)
    assert (rung.after_days if rung else None) == expected


@pytest.mark.parametrize("rungs, today, fired, expected", [
    pytest.param([(3, (OWNER,))], date(2027, 1, 3), (), None, id="3-rung-2-days-over"),
    pytest.param([(3, (OWNER,))], date(2027, 1, 4), (), 3, id="3-rung-3-days-over"),
    # 0 and 1 are both reached on the first overdue day, so only 1 ever fires.
    pytest.param([(0, (OWNER,)), (1, (OWNER, RM))], date(2027, 1, 2), (), 1,
                 id="0-and-1-both-reached-on-day-1"),
    pytest.param([], date(2027, 6, 1), (), None, id="empty-ladder-never-fires"),
])
def test_due_rung_other_ladders(rungs, today, fired, expected):
    ladder = Ladder(tuple(Rung(days, who) for days, who in rungs))
    rung = ladder.due_rung(due=DUE, today=today, fired=fired)
    assert (rung.after_days if rung else None) == expected


def test_fired_may_be_any_collection():
    assert LADDER.due_rung(due=DUE, today=date(2027, 1, 31), fired={0, 14}) == LADDER.rungs[2]
    assert LADDER.due_rung(due=DUE, today=date(2027, 1, 31), fired=frozenset()) == LADDER.rungs[2]


@pytest.mark.parametrize("due, today, expected", [
    pytest.param(DUE, date(2026, 12, 31), 0, id="before"),
    pytest.param(DUE, DUE, 0, id="on-the-day"),
    pytest.param(DUE, date(2027, 1, 2), 1, id="next-day"),
    pytest.param(date(2026, 12, 31), date(2027, 1, 30), 30, id="across-new-year"),
])
def test_days_overdue(due, today, expected):
    assert Ladder.days_overdue(due, today) == expected
    assert LADDER.days_overdue(due, today) == expected


@pytest.mark.parametrize("notify, escalates", [
    pytest.param((OWNER,), False, id="owner-only"),
    pytest.param((OWNER, RM), True, id="owner-and-release-manager"),
    pytest.param((PMO,), True, id="someone-else-only"),
])
def test_rung_escalates(notify, escalates):
    assert Rung(14, notify).escalates is escalates


def test_rung_keeps_notify_as_a_tuple():
    assert Rung(0, [OWNER, RM]).notify == (OWNER, RM)
    assert Rung(0, OWNER).notify == (OWNER,)
    assert hash(Rung(0, [OWNER])) == hash(Rung(0, (OWNER,)))


@pytest.mark.parametrize("rungs, message", [
    pytest.param([(14, (OWNER,)), (0, (OWNER,))], r"rung 2: after_days 0 comes after 14",
                 id="out-of-order"),
    pytest.param([(0, (OWNER,)), (0, (RM,))], r"rung 2: after_days 0 is used twice",
                 id="duplicate"),
    pytest.param([(-1, (OWNER,))], r"rung 1: after_days must be .* 0 or more \(got -1\)",
                 id="negative"),
    pytest.param([(1.5, (OWNER,))], r"whole number .*got 1.5", id="not-whole"),
    pytest.param([(True, (OWNER,))], r"whole number", id="boolean"),
    pytest.param([(0, ())], r"rung 1 \(after_days 0\): notify must list", id="nobody"),
    pytest.param([(0, ("",))], r"notify must list", id="blank-name"),
])
def test_ladder_validation(rungs, message):
    with pytest.raises(ValueError, match=message):
        Ladder(tuple(Rung(days, who) for days, who in rungs))


def test_ladder_reports_every_problem_at_once():
    with pytest.raises(ValueError) as caught:
        Ladder((Rung(-2, (OWNER,)), Rung(30, ()), Rung(14, (OWNER,))))
    assert str(caught.value).count("rung ") == 3
