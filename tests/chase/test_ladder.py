"""Escalation: an unresolved action past its due date climbs the ladder, one rung at a time.

Default ladder: 0 days -> owner; 14 -> owner + release manager; 30 -> + PMO lead. The
action here is due 2026-11-04; every run is outside the review's prompt windows (which
open on 10-27, 11-24 and 12-29), so only escalations are in play.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.chase.conftest import JODIE, PAT, PRIYA, SAM, Act, at, issue_writes, midnight

BASE = {"lessons-learnt", "release-4-2", "ll-action"}
OVERDUE, ESCALATED = BASE | {"ll-overdue"}, BASE | {"ll-overdue", "ll-escalated"}
LATE = Act("checklist", SAM, "2026-11-04")
LATE_DUE = date(2026, 11, 4)
ON_TIME = Act("contacts", PRIYA, "2027-03-31")
# Rungs fire as soon as they are reached, without waiting for the owner to hear first:
# the ladder's own mechanics, apart from the grace (tested in test_first_chase.py).
AT_ONCE = "  escalation_grace_days: 0\n"


def head(p, people, days: int, due: str = "2026-11-04") -> str:
    """How an escalation comment starts: everyone the rung names, then the lateness."""
    mentions = " ".join(p.mention(who) for who in people)
    plural = "" if days == 1 else "s"
    return f"{mentions} this lessons-learnt action is *overdue by {days} day{plural}* (due {due})."


# Each step: the run, then the rung that fires (None: nothing), whom it names, the labels.
CLIMB = [
    (at("2026-11-04"), None, (), BASE),
    (at("2026-11-05"), 0, (SAM,), OVERDUE),
    (at("2026-11-06"), None, (), OVERDUE),
    (at("2026-11-17"), None, (), OVERDUE),
    (at("2026-11-18"), 14, (SAM, JODIE), ESCALATED),
    (at("2026-11-19", 18), None, (), ESCALATED),
    (at("2026-12-04"), 30, (SAM, JODIE, PAT), ESCALATED),
    (at("2026-12-05"), None, (), ESCALATED),
    (at("2027-01-20"), None, (), ESCALATED),
]


def test_each_rung_fires_once_naming_its_people(programme):
    p = programme((LATE, ON_TIME))
    fired = []
    for now, rung, people, labels in CLIMB:
        p.sb.reset_log()
        result = p.chase(now)
        assert [s.kind for s in result.sent] == (["escalation"] if rung is not None else []), now
        assert issue_writes(p.sb) == (1 if rung is not None else 0), now
        if rung is not None:
            fired.append(rung)
            days = (now.date() - LATE_DUE).days
            body = p.comments("checklist")[-1]
            assert body.startswith(head(p, people, days)), body
            assert "next review on *Tuesday" in body
            assert result.sent[0].to == tuple(p.sb.user(w).display_name for w in people)
        assert p.labels("checklist") == labels, now
        assert len(p.comments("checklist")) == len(fired)
        assert (p.record("checklist") or {}).get("rungs", []) == fired
    assert "contacts" not in p.all_comments() and p.labels("contacts") == BASE


def test_the_owner_alone_is_not_escalated(programme):
    p = programme((LATE,))
    p.chase(at("2026-11-05"))
    (body,) = p.comments("checklist")
    assert "Copied to" not in body and f"* Owner: {p.mention(SAM)}" in body


def test_escalated_comment_says_to_whom(programme):
    p = programme((LATE,))
    p.chase(at("2026-11-05"))
    p.chase(at("2026-12-04"))
    body = p.comments("checklist")[-1]
    assert f"* Owner: {p.mention(SAM)}" in body
    assert (f"* Copied to: {p.mention(JODIE)}, {p.mention(PAT)} "
            "(ladder step: 30 days overdue)") in body


@pytest.mark.parametrize("first_run, rung, people", [
    pytest.param(at("2026-11-05"), 0, (SAM,), id="first-overdue-day-rung-0"),
    pytest.param(at("2026-11-19"), 14, (SAM, JODIE), id="0-and-14-due-only-14"),
    pytest.param(at("2026-12-04"), 30, (SAM, JODIE, PAT), id="all-due-only-30"),
    pytest.param(at("2027-01-20"), 30, (SAM, JODIE, PAT), id="months-late-only-30"),
])
def test_several_rungs_due_at_once_only_the_highest_fires(programme, first_run, rung, people):
    p = programme((LATE,), escalation=AT_ONCE)
    result = p.chase(first_run)
    days = (first_run.date() - LATE_DUE).days
    assert [(s.kind, s.detail.split("; ")[0]) for s in result.sent] == [
        ("escalation", f"overdue by {days} day{'' if days == 1 else 's'} (rung {rung})")]
    (body,) = p.comments("checklist")
    assert body.startswith(head(p, people, (first_run.date() - LATE_DUE).days))
    assert p.record("checklist") == {"v": 1, "prompts": [], "digests": [],
                                     "due": "2026-11-04", "rungs": [rung],
                                     "told": f"{first_run.date()} {p.user_id(SAM)}"}
    p.sb.reset_log()
    assert p.chase(first_run + timedelta(days=1)).sent == ()
    assert p.sb.count(write=True) == 0


def test_moving_the_due_date_restarts_the_ladder(programme):
    p = programme((LATE,), escalation=AT_ONCE)
    p.chase(at("2026-12-04"))                         # rung 30 for 2026-11-04
    p.move_due("checklist", "2026-12-02")             # agreed in the review, then missed
    result = p.chase(at("2026-12-04", 12))
    assert [s.kind for s in result.sent] == ["escalation"]
    assert p.comments("checklist")[-1].startswith(head(p, (SAM,), 2, "2026-12-02"))
    assert p.record("checklist")["due"] == "2026-12-02"
    assert p.record("checklist")["rungs"] == [0]
    assert p.chase(at("2026-12-05")).sent == ()
    p.chase(at("2026-12-16"))
    assert p.comments("checklist")[-1].startswith(head(p, (SAM, JODIE), 14, "2026-12-02"))
    assert len(p.comments("checklist")) == 3


@pytest.mark.parametrize("new_due", [
    pytest.param("2027-01-31", id="into-the-future"),
    pytest.param("2026-11-19", id="to-today"),
])
def test_moving_the_due_date_ahead_clears_the_overdue_labels(programme, new_due):
    p = programme((LATE,), escalation=AT_ONCE)
    p.chase(at("2026-11-18"))
    assert p.labels("checklist") == ESCALATED
    p.move_due("checklist", new_due)
    p.sb.reset_log()
    result = p.chase(at("2026-11-19"))
    assert [(s.kind, s.key) for s in result.sent] == [("cleared", p.key("checklist"))]
    assert result.sent[0].detail.endswith("is no longer past; -ll-escalated, ll-overdue")
    assert p.labels("checklist") == BASE
    assert len(p.comments("checklist")) == 1             # no comment for the good news
    assert issue_writes(p.sb) == 1
    p.sb.reset_log()
    assert p.chase(at("2026-11-19", 18)).sent == ()
    assert p.sb.count(write=True) == 0


def test_a_due_date_moved_ahead_then_back_climbs_the_ladder_again(programme):
    p = programme((LATE,))
    p.chase(at("2026-11-05"))                          # rung 0 for 2026-11-04
    p.move_due("checklist", "2026-12-31")
    p.chase(at("2026-11-06"))                          # labels cleared
    p.move_due("checklist", "2026-11-04")              # back to the date it had

    result = p.chase(at("2026-11-07"))

    assert [s.kind for s in result.sent] == ["escalation"]
    assert p.comments("checklist")[-1].startswith(head(p, (SAM,), 3))
    assert p.labels("checklist") == OVERDUE
    assert p.chase(at("2026-11-08")).sent == ()


@pytest.mark.parametrize("lagging", [False, True], ids=["index-current", "index-lagging"])
def test_labels_are_cleared_only_from_what_jira_holds_now(programme, lagging):
    p = programme((LATE,))
    if lagging and p.sb.flavour != "cloud":
        pytest.skip("Data Center's search index does not lag behind writes")
    p.chase(at("2026-11-05"))                          # rung 0: ll-overdue
    p.move_due("checklist", "2026-12-31")              # the index sees this version...
    p.sb.faults.search_lag(on=lagging)
    p.move_due("checklist", "2026-11-03")              # ...not this one, when it lags

    p.chase(at("2026-11-07"))

    assert p.labels("checklist") == OVERDUE
    assert p.comments("checklist")[-1].startswith(head(p, (SAM,), 4, "2026-11-03"))
    p.sb.reset_log()
    assert p.chase(at("2026-11-08")).sent == () and p.sb.count(write=True) == 0


def test_an_overdue_action_nobody_owns_is_reported_not_escalated_to_nobody(programme):
    p = programme((Act("checklist", None, "2026-11-04"),))

    result = p.chase(at("2026-11-05"))

    assert [(s.kind, s.key) for s in result.sent] == [("unowned", p.key("checklist"))]
    assert "no assignee" in result.sent[0].detail
    assert p.comments("checklist") == [] and p.labels("checklist") == BASE
    p.chase(at("2026-11-18"))                           # rung 14 names the release manager
    assert p.comments("checklist")[0].startswith(head(p, (JODIE,), 14))


def test_an_action_resolved_since_stops_climbing(programme):
    p = programme((LATE,))
    p.chase(at("2026-11-05"))
    p.resolve("checklist", at("2026-11-10"))
    p.sb.reset_log()
    for day in ("2026-11-18", "2026-12-04", "2027-01-20"):
        assert p.chase(at(day)).sent == ()
    assert p.sb.count(write=True) == 0
    assert len(p.comments("checklist")) == 1
    assert p.record("checklist")["rungs"] == [0]


def test_an_escalation_in_the_prompt_window_carries_the_prompt(programme):
    """One comment, not two: the escalation names the review too, and both are recorded."""
    p = programme((Act("checklist", SAM, "2026-11-20"), ON_TIME))
    result = p.chase(at("2026-11-24"))
    assert sorted((s.kind, s.key) for s in result.sent) == [
        ("escalation", p.key("checklist")), ("prompt", p.key("checklist")),
        ("prompt", p.key("contacts"))]
    (body,) = p.comments("checklist")
    assert body.startswith(head(p, (SAM,), 4, "2026-11-20"))
    assert "next review on *Tuesday 1 December 2026 at 10:00 (Europe/London)*" in body
    assert p.record("checklist") == {"v": 1, "prompts": ["2026-12-01"], "digests": [],
                                     "due": "2026-11-20", "rungs": [0],
                                     "told": f"2026-11-24 {p.user_id(SAM)}"}
    assert p.chase(at("2026-11-25")).sent == ()
    assert len(p.comments("checklist")) == 1


def test_the_owner_who_is_also_the_release_manager_is_named_once(programme):
    """Nobody is escalated to themselves: the rung goes now (it tells nobody new), names
    her once, says she was left out as release manager, and is no escalation."""
    p = programme((Act("checklist", JODIE, "2026-11-04"),))
    result = p.chase(at("2026-11-19"))
    (body,) = p.comments("checklist")
    assert body.startswith(head(p, (JODIE,), 15))
    assert "Copied to" not in body
    assert "* Not copied: Jodie Crowfoot (the release manager), who owns this action" in body
    assert p.labels("checklist") == OVERDUE
    (sent,) = result.sent
    assert sent.kind == "escalation" and sent.to == ("Jodie Crowfoot",)
    assert "not copied, being the owner: Jodie Crowfoot (the release manager)" in sent.detail
    p.chase(at("2026-12-04"))                  # rung 30: the PMO lead, after the grace
    assert p.comments("checklist")[-1].startswith(head(p, (JODIE, PAT), 30))
    assert p.labels("checklist") == ESCALATED


def test_an_unowned_action_names_the_release_manager_not_as_owner(programme):
    p = programme((Act("checklist", None, "2026-11-04"),))
    p.chase(at("2026-11-19"))
    (body,) = p.comments("checklist")
    assert body.startswith(head(p, (JODIE,), 15))
    assert "* Owner: nobody" in body
    assert f"* Copied to: {p.mention(JODIE)} " in body


@pytest.mark.parametrize("people, broken", [
    pytest.param({"release_manager": "nobody@example.org", "pmo_lead": PAT},
                 "release_manager", id="role-names-nobody-in-jira"),
])
def test_a_role_jira_cannot_find_fails_only_the_escalations_naming_it(programme, people,
                                                                      broken):
    """Sending to the owner alone would record the rung as fired: the release manager
    would never hear of it. The item fails instead and fires once the config is fixed."""
    p = programme((LATE, Act("contacts", PRIYA, "2026-11-17")), people=people,
                  escalation=AT_ONCE)
    result = p.chase(at("2026-11-18"))
    assert sorted((s.kind, s.key) for s in result.sent) == [
        ("escalation", p.key("contacts")), ("failed", p.key("checklist"))]
    (failed,) = [s for s in result.sent if s.kind == "failed"]
    assert failed.detail.startswith("escalation not sent: ") and broken in failed.detail
    assert "checklist" not in p.all_comments() and p.labels("checklist") == BASE
    assert p.comments("contacts")[0].startswith(head(p, (PRIYA,), 1, "2026-11-17"))

    p.config = replace(p.config, people={"release_manager": JODIE, "pmo_lead": PAT})
    fixed = p.chase(at("2026-11-19"))
    assert [(s.kind, s.key) for s in fixed.sent] == [("escalation", p.key("checklist"))]
    assert p.comments("checklist")[0].startswith(head(p, (SAM, JODIE), 15))


def test_a_failed_escalation_still_lets_the_owner_have_the_prompt(programme):
    p = programme((Act("checklist", SAM, "2026-11-04"),),
                  people={"release_manager": "nobody@example.org", "pmo_lead": PAT},
                  escalation=AT_ONCE)
    result = p.chase(at("2026-11-24"))
    assert [(s.kind, s.key) for s in result.sent] == [
        ("failed", p.key("checklist")), ("prompt", p.key("checklist"))]
    (body,) = p.comments("checklist")
    assert body.startswith(p.mention(SAM) + " the lessons-learnt review meets on")
    assert p.record("checklist")["prompts"] == ["2026-12-01"]
    assert p.chase(at("2026-11-25")).count("prompt") == 0


def test_an_escalation_jira_may_have_applied_is_not_followed_by_its_prompt(programme):
    """A 500 or a lost answer may hide an applied edit: sending the folded prompt on its
    own could repeat the comment, so it waits for the next run, which sends it once."""
    p = programme((Act("checklist", SAM, "2026-11-04"),), escalation=AT_ONCE)
    p.sb.faults.fail(500, count=1, method="PUT", path=f"/issue/{p.key('checklist')}$")
    first = p.chase(at("2026-11-24"))
    assert [(s.kind, s.key) for s in first.sent] == [("failed", p.key("checklist"))]
    assert p.comments("checklist") == []
    later = p.chase(at("2026-11-25"))
    assert [s.kind for s in later.sent] == ["prompt", "escalation"]
    assert p.chase(at("2026-11-26")).sent == () and len(p.comments("checklist")) == 1


def test_an_escalation_whose_answer_was_lost_is_sent_once_with_its_prompt(programme):
    p = programme((Act("checklist", SAM, "2026-11-20"),))
    p.sb.faults.drop_after(("edit",))            # Jira applies it; the answer is lost
    p.chase(midnight("2026-11-24"))
    p.chase(at("2026-11-25"))
    (body,) = p.comments("checklist")
    assert "overdue by 4 days" in body
    assert p.record("checklist")["prompts"] == ["2026-12-01"]


CUSTOM = ("  escalation:\n"
          "    - {after_days: 3, notify: [owner]}\n"
          "    - {after_days: 7, notify: [release_manager, owner]}\n")


def test_a_custom_ladder_names_the_owner_whatever_the_order(programme):
    p = programme((LATE,), escalation=CUSTOM)
    assert p.chase(at("2026-11-06")).sent == ()              # 2 days: below the first rung
    p.chase(at("2026-11-07"))
    assert p.labels("checklist") == OVERDUE
    assert [s.kind for s in p.chase(at("2026-11-11")).sent] == ["waiting"]   # 4 days' grace
    p.chase(at("2026-11-14"))
    first, second = p.comments("checklist")
    assert first.startswith(head(p, (SAM,), 3)) and p.labels("checklist") == ESCALATED
    assert second.startswith(head(p, (SAM, JODIE), 10))
    assert f"* Owner: {p.mention(SAM)}" in second
    assert f"* Copied to: {p.mention(JODIE)} (ladder step: 7 days overdue)" in second
