"""Planning a chase, as pure rules: which steps a run takes, in which order, and what each
writes into the action's record. No Jira, no clock."""
from __future__ import annotations

from datetime import date

import pytest

from jirasync.chase.plan import (
    ChasePlan,
    ClearLabels,
    Escalate,
    ReportHeld,
    ReportNobodyToEscalate,
    ReportUnowned,
    Rules,
    SendDigest,
    SendPrompt,
    plan_chase,
)
from jirasync.escalation import Ladder, Rung
from jirasync.records import ChaseRecord
from tests.chase.conftest import at
from tests.chase.test_reminders import CYCLE, DEFAULT, ESCALATED, OVERDUE, PRIYA, action

COMMENTS = Rules(digest=False, ladder=DEFAULT, overdue_label=OVERDUE, escalated_label=ESCALATED)
DIGESTS = Rules(digest=True, ladder=DEFAULT, overdue_label=OVERDUE, escalated_label=ESCALATED)
OWNER_ONLY = Rules(digest=False, ladder=Ladder((Rung(0, ("owner",)),)),
                   overdue_label=OVERDUE, escalated_label=ESCALATED)
IN_WINDOW, BEFORE_WINDOW = at("2026-11-25"), at("2026-11-10")


def described(plan: ChasePlan) -> list[str]:
    """Each step as a short line: kind, key and what it carries."""
    out = []
    for s in plan.steps:
        if isinstance(s, SendPrompt):
            out.append(f"prompt {s.key}")
        elif isinstance(s, SendDigest):
            keys = " ".join(a.key for a in s.digest.actions)
            out.append(f"digest {s.key} to {s.digest.owner}: {keys}")
        elif isinstance(s, Escalate):
            folded = " +prompt" if s.folded else ""
            first = " owner-first" if s.escalation.owner_first else ""
            out.append(f"escalate {s.key} rung {s.escalation.rung.after_days} "
                       f"+{','.join(sorted(s.add_labels))}{folded}{first}")
        elif isinstance(s, ReportHeld):
            out.append(f"waiting {s.key} rung {s.held.rung.after_days} until {s.held.until}")
        elif isinstance(s, ClearLabels):
            out.append(f"clear {s.key} -{','.join(sorted(s.remove))}")
        elif isinstance(s, ReportUnowned):
            out.append(f"unowned {s.key}")
        elif isinstance(s, ReportNobodyToEscalate):
            out.append(f"nobody {s.key}")
    return out


CASES = [
    pytest.param(COMMENTS, IN_WINDOW, [action("A-1"), action("A-2", owner=None)],
                 ["prompt A-1", "unowned A-2"], id="prompts-and-unowned-in-report-order"),
    pytest.param(COMMENTS, BEFORE_WINDOW, [action("A-1")], [], id="nothing-before-window"),
    pytest.param(COMMENTS, IN_WINDOW, [action("A-1", due="2026-11-20")],
                 ["escalate A-1 rung 0 +ll-overdue +prompt"],
                 id="prompt-folded-into-the-escalation"),
    pytest.param(COMMENTS, IN_WINDOW,
                 [action("A-1", due="2026-11-20"), action("A-2")],
                 ["prompt A-2", "escalate A-1 rung 0 +ll-overdue +prompt"],
                 id="reminders-then-escalations"),
    pytest.param(COMMENTS, at("2026-12-10"), [action("A-1", due="2026-11-20",
                                                     due_rec="2026-11-20", rungs=(0,),
                                                     told="2026-11-21 acc-sam")],
                 ["escalate A-1 rung 14 +ll-escalated,ll-overdue"],
                 id="rung-naming-others-adds-escalated"),
    pytest.param(COMMENTS, at("2026-12-10"), [action("A-1", due="2026-11-20",
                                                     due_rec="2026-11-20", rungs=(0,))],
                 ["escalate A-1 rung 14 +ll-overdue owner-first"],
                 id="owner-never-told-hears-first-alone"),
    pytest.param(COMMENTS, at("2026-12-10"), [action("A-1", due="2026-11-20",
                                                     due_rec="2026-11-20", rungs=(0,),
                                                     told="2026-12-04 acc-sam")],
                 ["waiting A-1 rung 14 until 2026-12-11"],
                 id="owner-told-lately-waits-for-the-grace"),
    pytest.param(COMMENTS, at("2026-12-10"), [action("A-1", due="2026-11-20",
                                                     due_rec="2026-11-20", rungs=(0,),
                                                     told="2026-11-21 acc-priya")],
                 ["escalate A-1 rung 14 +ll-overdue owner-first"],
                 id="a-new-owner-hears-first-too"),
    pytest.param(OWNER_ONLY, BEFORE_WINDOW, [action("A-1", owner=None, due="2026-11-01")],
                 ["nobody A-1"], id="owner-only-rung-without-owner-is-reported"),
    pytest.param(COMMENTS, at("2026-12-10"), [action("A-1", owner=None, due="2026-11-20",
                                                     due_rec="2026-11-20", rungs=(0,))],
                 ["escalate A-1 rung 14 +ll-escalated,ll-overdue"],
                 id="rung-naming-others-escalates-without-owner"),
    pytest.param(COMMENTS, BEFORE_WINDOW,
                 [action("A-1", due="2026-12-20", labels=(OVERDUE, ESCALATED, "keep")),
                  action("A-2", due=None, labels=(OVERDUE,)),
                  action("A-3", due="2026-12-20", labels=(OVERDUE,), resolved=True)],
                 ["clear A-1 -ll-escalated,ll-overdue", "clear A-2 -ll-overdue"],
                 id="clears-only-the-flags-it-holds"),
    pytest.param(DIGESTS, IN_WINDOW,
                 [action("A-2"), action("A-1", due="2026-11-20"), action("A-3", owner=PRIYA),
                  action("A-4", owner=None)],
                 ["unowned A-4", "digest A-3 to acc-priya: A-3",
                  "digest A-1 to acc-sam: A-1 A-2", "escalate A-1 rung 0 +ll-overdue"],
                 id="digests-are-not-folded"),
]


@pytest.mark.parametrize("rules, now, actions, expected", CASES)
def test_plan(rules, now, actions, expected):
    assert described(plan_chase(actions, rules, CYCLE, now)) == expected


def test_planning_twice_gives_the_same_plan():
    actions = [action("A-1", due="2026-11-20"), action("A-2"), action("A-3", owner=None)]
    assert plan_chase(actions, COMMENTS, CYCLE, IN_WINDOW) == \
        plan_chase(actions, COMMENTS, CYCLE, IN_WINDOW)


@pytest.mark.parametrize("rules, actions, expected", [
    pytest.param(COMMENTS, [action("A-1"), action("A-2", owner=None),
                            action("A-3", due="2026-11-20")],
                 {"A-1", "A-3"}, id="prompted-and-escalated"),
    pytest.param(DIGESTS, [action("A-1"), action("A-2", resolved=True),
                           action("A-3", owner=PRIYA, resolved=True)],
                 {"A-1", "A-2"}, id="every-action-of-an-owner-due-a-digest"),
    pytest.param(COMMENTS, [action("A-1", due="2026-12-20", labels=(OVERDUE,))], {"A-1"},
                 id="cleared"),
])
def test_keys_read_again_before_sending(rules, actions, expected):
    plan = plan_chase(actions, rules, CYCLE, IN_WINDOW)
    assert plan.keys_to_confirm(actions) == expected


def test_each_step_writes_its_change_onto_the_record_it_finds():
    (escalate,) = plan_chase([action("A-1", due="2026-11-20")], COMMENTS, CYCLE, IN_WINDOW).steps
    assert isinstance(escalate, Escalate) and escalate.fallback is not None
    found = ChaseRecord(digests=("2026-12-01 acc-sam",))
    assert escalate.record(found) == ChaseRecord(prompts=("2026-12-01",),
                                                 digests=("2026-12-01 acc-sam",),
                                                 due="2026-11-20", rungs=(0,),
                                                 told="2026-11-25 acc-sam")
    assert escalate.fallback.record(ChaseRecord()) == ChaseRecord(
        prompts=("2026-12-01",), told="2026-11-25 acc-sam")
    (clear,) = plan_chase([action("A-2", due="2026-12-20", labels=(OVERDUE,))], COMMENTS,
                          CYCLE, BEFORE_WINDOW).steps
    climbed = ChaseRecord(prompts=("2026-11-03",), due="2026-11-20", rungs=(0, 14),
                          told="2026-11-02 acc-sam")
    assert clear.record(climbed) == ChaseRecord(prompts=("2026-11-03",),
                                                told="2026-11-02 acc-sam")


def test_a_moved_due_date_climbs_again_from_the_first_rung():
    moved = action("A-1", due="2026-11-05", due_rec="2026-11-01", rungs=(0, 14))
    (step,) = plan_chase([moved], COMMENTS, CYCLE, BEFORE_WINDOW).steps
    assert isinstance(step, Escalate) and step.escalation.rung.after_days == 0
    assert step.record(moved.record).rungs == (0,)
    assert step.record(moved.record).due == date(2026, 11, 5).isoformat()


def test_in_digest_mode_the_owners_digest_tells_them_of_each_action():
    """A digest lists every open action of its owner but is recorded on one (its anchor):
    the owner was told of the others on that day too, so their rungs wait only the grace."""
    anchor = action("A-1", due="2026-12-20", told="2026-11-24 acc-sam")
    late = action("A-2", due="2026-11-20", due_rec="2026-11-20", rungs=(0,))
    other = action("A-3", owner=PRIYA, due="2026-11-20", due_rec="2026-11-20", rungs=(0,))
    steps = plan_chase([anchor, late, other], DIGESTS, CYCLE, at("2026-12-10")).steps
    assert described(ChasePlan(steps)) == [
        "escalate A-2 rung 14 +ll-escalated,ll-overdue",
        "escalate A-3 rung 14 +ll-overdue owner-first"]
    # in comment mode a prompt on one action says nothing of another
    steps = plan_chase([anchor, late], COMMENTS, CYCLE, at("2026-12-10")).steps
    assert described(ChasePlan(steps)) == ["escalate A-2 rung 14 +ll-overdue owner-first"]
