"""The owner hears first (SPEC §5): a programme that adopts jirasync with actions long
overdue sends prompts first; the rungs naming anyone else wait until the owner was told
``review.escalation_grace_days`` (7) days earlier, then go once, to the right people,
never to an owner as their own manager.

Chased first on Wednesday 2 December 2026, the day after a review: no prompt window is
open until 29 December, so only the ladder is in play. Each action is 261 days overdue.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from jirasync.cli import main
from tests.chase.conftest import JODIE, PAT, SAM, Act, at, midnight

FIRST = date(2026, 12, 2)
DUE = (FIRST - timedelta(days=261)).isoformat()
# Sam is an owner; Jodie owns one and is the release manager; Pat owns one and is the
# PMO lead. Rung 30 names the owner, the release manager and the PMO lead.
ACTIONS = (Act("checklist", SAM, DUE), Act("contacts", JODIE, DUE), Act("rota", PAT, DUE))
TOLD = {"checklist": (SAM, JODIE, PAT), "contacts": (JODIE, PAT), "rota": (PAT, JODIE)}


@pytest.mark.parametrize("reminder", ["comment", "digest"])
def test_a_programme_chased_first_sends_prompts_then_escalates_once_after_the_grace(
        programme, reminder):
    p = programme(ACTIONS, reminder=reminder)
    first = p.chase(at(FIRST))
    assert sorted((s.kind, s.key) for s in first.sent) == sorted(
        ("prompt", p.key(a)) for a in TOLD)
    for action, (owner, *others) in TOLD.items():
        (body,) = p.comments(action)
        assert body.startswith(f"{p.mention(owner)} this lessons-learnt action is "
                               "*overdue by 261 days*"), body
        assert all(p.mention(o) not in body for o in others), body
        assert "* Release: DCR Release 4.2" in body
        assert "* Lesson: Partners turned their feeds off late" in body
        assert "Nobody else has been told yet. If it is still open on Wednesday 9 " \
               "December 2026, it goes to " in body
        assert "What to do:" in body
        assert p.labels(action) & {"ll-overdue", "ll-escalated"} == {"ll-overdue"}
    assert "Jodie Crowfoot (the release manager) and Pat Morgan (the PMO lead)" in \
        p.comments("checklist")[0]
    assert "goes to Pat Morgan (the PMO lead)" in p.comments("contacts")[0]

    for day in (FIRST + timedelta(days=1), FIRST + timedelta(days=6)):
        waiting = p.chase(at(day))
        assert {s.kind for s in waiting.sent} == {"waiting"}, waiting.sent
        assert all("waits until 2026-12-09" in s.detail for s in waiting.sent)
    assert all(len(p.comments(a)) == 1 for a in TOLD)

    after = p.chase(midnight(FIRST + timedelta(days=7)))
    assert sorted((s.kind, s.key) for s in after.sent) == sorted(
        ("escalation", p.key(a)) for a in TOLD)
    for action, people in TOLD.items():
        body = p.comments(action)[-1]
        mentions = " ".join(p.mention(who) for who in people)
        assert body.startswith(f"{mentions} this lessons-learnt action is *overdue by "
                               "268 days*"), body
        copied = ", ".join(p.mention(who) for who in people[1:])
        assert f"* Copied to: {copied} (ladder step: 30 days overdue)" in body
        assert p.labels(action) >= {"ll-overdue", "ll-escalated"}
    assert "* Not copied: Jodie Crowfoot (the release manager), who owns" in \
        p.comments("contacts")[-1]
    assert "* Not copied: Pat Morgan (the PMO lead), who owns" in p.comments("rota")[-1]
    for day in (8, 9, 40):
        assert p.chase(at(FIRST + timedelta(days=day))).count("escalation") == 0
    # the next review's prompts (from 12-29) and two months on: still one escalation each
    assert sum(b.count("Copied to") for a in TOLD for b in p.comments(a)) == 3


def test_the_dry_run_says_what_the_first_real_run_will_send(programme, capsys):
    p = programme(ACTIONS)
    p.clock.now = at(FIRST)
    args = ["chase", "--config", str(p.config.path)]
    assert main([*args, "--dry-run"]) == 0
    dry = capsys.readouterr().out.splitlines()
    assert p.sb.count(write=True) == 0
    assert [ln.split()[0] for ln in dry[1:-1]] == ["prompt"] * 3
    assert all("overdue by 261 days: the owner hears first; rung 30" in ln
               for ln in dry[1:-1])
    assert dry[-1] == "dry run, nothing sent: 3 open actions; 3 prompts"
    assert main(args) == 0
    real = capsys.readouterr().out.splitlines()
    assert real[:-1] == dry[:-1] and real[-1] == "chase: 3 open actions; 3 prompts"


def test_a_prompt_in_the_window_tells_the_owner_and_starts_the_grace(programme):
    """Chased first on the prompt day: one comment carries the prompt and the news; the
    rung waits a week from that day."""
    p = programme((Act("checklist", SAM, DUE),))
    first = p.chase(midnight("2026-12-29"))
    assert [s.kind for s in first.sent] == ["prompt"]
    (body,) = p.comments("checklist")
    assert "review 2027-01-05" in first.sent[0].detail and "*overdue by 288 days*" in body
    assert [s.kind for s in p.chase(at("2027-01-04")).sent] == ["waiting"]
    assert [s.kind for s in p.chase(at("2027-01-05", 11)).sent] == ["escalation"]
    assert len(p.comments("checklist")) == 2


def test_a_grace_of_zero_escalates_at_once(programme):
    p = programme((Act("checklist", SAM, DUE),), escalation="  escalation_grace_days: 0\n")
    assert [s.kind for s in p.chase(at(FIRST)).sent] == ["escalation"]
    assert p.comments("checklist")[0].startswith(
        f"{p.mention(SAM)} {p.mention(JODIE)} {p.mention(PAT)} ")


def test_a_rehearsal_of_a_day_before_a_real_run_says_its_records_are_from_later(programme):
    """After a real run on 2 December, a rehearsal of 1 December starts from what Jira
    records now: the 'was told on' date it shows is after the rehearsed day, and it says
    so rather than show a date from that day's future as if it were past."""
    p = programme(ACTIONS)
    p.chase(at(FIRST))
    writes = p.sb.count(write=True)
    rehearsal = p.chase(at(FIRST + timedelta(days=1)), dry_run=True)
    assert all("after the rehearsed day" not in s.detail for s in rehearsal.sent)
    earlier = p.chase(at(FIRST - timedelta(days=1)), dry_run=True)
    waiting = [s for s in earlier.sent if s.kind == "waiting"]
    assert len(waiting) == 3 and p.sb.count(write=True) == writes
    assert all("was told on 2026-12-02 (after the rehearsed day: a rehearsal starts from "
               "what Jira records now)" in s.detail for s in waiting), waiting
