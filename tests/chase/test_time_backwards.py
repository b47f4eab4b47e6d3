"""Time going backwards never clears a rung (SPEC §5): a rung fired and a prompt sent are
facts in Jira. A later run whose clock is earlier (the daemon's plain run after a
``--today`` rehearsal, a second host whose clock is behind, a step back across midnight)
finds the action not yet overdue, and leaves its labels and its record alone; only a
moved due date restarts the ladder.

The action here is due 2026-12-15; no prompt window is open between 12-16 and 12-28.
"""
from __future__ import annotations

from jirasync.cli import main
from tests.chase.conftest import PRIYA, SAM, Act, at, midnight

DUE = "2026-12-15"
LATE = Act("checklist", SAM, DUE)
FINE = Act("contacts", PRIYA, "2027-03-31")
FLAGS = {"ll-overdue", "ll-escalated"}


def cli(p, capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["chase", "--config", str(p.config.path), *args])
    return code, capsys.readouterr().out.splitlines()


def test_a_rehearsal_then_the_daily_run_then_the_rehearsal_again_escalates_once(
        programme, capsys):
    """Issue 24's reproduction: ``--today <due+1> --yes``, a plain run on the real day
    (before the due date), and the rehearsal again: one rung-0 comment, never cleared."""
    p = programme((LATE, FINE))
    p.clock.now = at("2026-12-10")                  # the real today
    code, first = cli(p, capsys, "--today", "2026-12-16", "--yes")
    assert code == 0 and [ln.split()[0] for ln in first[1:-1]] == ["escalation"]
    record = p.record("checklist")
    code, daily = cli(p, capsys)
    assert code == 0 and not [ln for ln in daily if ln.startswith("cleared")], daily
    assert "ll-overdue" in p.labels("checklist") and p.record("checklist") == record
    code, again = cli(p, capsys, "--today", "2026-12-16", "--yes")
    assert code == 0 and not [ln for ln in again if ln.startswith("escalation")], again
    assert len(p.comments("checklist")) == 1


def test_a_rung_fired_forty_days_on_is_not_undone_by_the_real_day(programme):
    p = programme((LATE, FINE))
    p.chase(midnight("2026-12-16"))                 # rung 0: the owner hears first
    p.chase(midnight("2027-01-24"))                 # rung 30, after the grace
    fired = p.record("checklist")["rungs"]
    assert fired == [0, 30] and FLAGS <= p.labels("checklist")
    for back in (at("2026-12-10"), at("2026-12-15", 23, 59), at("2026-12-20")):
        assert p.chase(back).sent == (), back
        assert FLAGS <= p.labels("checklist") and p.record("checklist")["rungs"] == fired
    assert p.chase(midnight("2027-01-24")).sent == ()
    assert p.chase(at("2027-01-25", 8)).sent == ()          # before the next window
    assert len(p.comments("checklist")) == 2


def test_clocks_straddling_midnight_send_rung_zero_once(programme):
    """Two hosts whose clocks disagree by two minutes across midnight."""
    p = programme((LATE,))
    steps = [at("2026-12-16", 0, 1), at("2026-12-15", 23, 59), at("2026-12-16", 0, 2),
             at("2026-12-15", 23, 58), at("2026-12-16", 9)]
    sent = [[s.kind for s in p.chase(now).sent] for now in steps]
    assert sent == [["escalation"], [], [], [], []]
    assert len(p.comments("checklist")) == 1 and "ll-overdue" in p.labels("checklist")


def test_a_moved_due_date_still_restarts_the_ladder(programme):
    p = programme((LATE,))
    p.chase(at("2026-12-16"))
    p.move_due("checklist", "2027-01-20")
    cleared = p.chase(at("2026-12-17"))
    assert [s.kind for s in cleared.sent] == ["cleared"]
    assert not FLAGS & p.labels("checklist")
    again = p.chase(at("2027-01-21"))
    assert [s.kind for s in again.sent] == ["escalation"]
    assert len(p.comments("checklist")) == 2


def test_a_due_date_moved_back_to_the_one_the_ladder_climbed_keeps_its_rungs(programme):
    """Moved away and back between two runs: Jira holds the same due date as the record,
    so nothing is cleared and the rung already fired for it does not fire again."""
    p = programme((LATE,))
    p.chase(at("2026-12-16"))
    p.move_due("checklist", "2027-01-20")
    p.move_due("checklist", DUE)
    assert p.chase(at("2026-12-17")).sent == ()
    assert p.record("checklist")["rungs"] == [0]
    assert len(p.comments("checklist")) == 1
