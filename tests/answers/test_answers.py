"""Owners answer a reminder in a Jira comment (SPEC §5 "Answers"), on both flavours: each
answer is applied once and acknowledged by one reply; refusals get one reply and change
nothing; a kill after Jira applied an answer, a lost state folder and a second host
repeat nothing."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from jirasync.chase.job import chase
from jirasync.errors import JiraError
from jirasync.lease import JiraLease
from jirasync.model import ANSWERS_PROPERTY
from jirasync.state import StateDir
from tests.chase.conftest import JODIE, PAT, SAM, TOM, Act, at, gateway
from tests.chase.test_crashes import AfterWrite, Killed

ACTIONS = (Act("checklist", SAM, "2026-11-04"), Act("charter", SAM, "2027-01-31"))


def answer(p, action: str, body: str, who: str = SAM, day: str = "2026-11-20") -> None:
    p.clock.now = at(day, 8)
    p.sb.add_comment(p.key(action), body, author=who)


def replies(p, action: str) -> list[str]:
    return [c for c in p.comments(action) if "jirasync:" in c]


def record(p, action: str) -> dict:
    return p.sb.issue(p.key(action)).properties.get(ANSWERS_PROPERTY) or {}


def test_extend_moves_the_due_date_once_with_one_reply(programme):
    p = programme(ACTIONS)
    answer(p, "checklist", "Extend to 2027-02-15: waiting for partner sign-off")
    first = p.chase(at("2026-11-20"))
    issue = p.sb.issue(p.key("checklist"))
    assert issue.fields["duedate"] == "2027-02-15"
    [reply] = replies(p, "checklist")
    assert "to 2027-02-15" in reply and "waiting for partner sign-off" in reply
    assert reply.startswith(p.mention(SAM))
    assert [(a.key, a.kind) for a in first.answers] == [(p.key("checklist"), "extend")]
    assert first.counts()["answers"] == 1
    assert record(p, "checklist")["extensions"][0]["reason"] == "waiting for partner sign-off"
    # No longer overdue: the ladder starts again from the new date, not escalated today.
    assert not [s for s in first.sent if s.kind == "escalation"]
    again = p.chase(at("2026-11-21"))
    assert again.answers == () and len(replies(p, "checklist")) == 1


def test_a_second_extension_is_counted(programme):
    p = programme(ACTIONS)
    answer(p, "charter", "extend to 2027-02-28: supplier late")
    p.chase(at("2026-11-20"))
    answer(p, "charter", "EXTENDED TO 2027-03-31: supplier later still", day="2026-11-22")
    p.chase(at("2026-11-22"))
    assert [e["to"] for e in record(p, "charter")["extensions"]] == ["2027-02-28",
                                                                      "2027-03-31"]
    assert "extension 2" in replies(p, "charter")[-1]


def test_done_moves_the_action_through_a_done_transition(programme):
    p = programme(ACTIONS)
    answer(p, "checklist", "Done - the checklist is in the wiki")
    result = p.chase(at("2026-11-20"))
    issue = p.sb.issue(p.key("checklist"))
    assert issue.status == "Done" and issue.fields["resolution"]["name"] == "Done"
    [reply] = replies(p, "checklist")
    assert "the checklist is in the wiki" in reply
    assert [a.kind for a in result.answers] == ["done"]
    # Resolved: neither prompted nor escalated, today or later.
    assert not [s for s in result.sent if s.key == p.key("checklist")
                and s.kind in ("prompt", "escalation")]
    p.chase(at("2026-11-24"))
    assert len(p.comments("checklist")) == 2      # the answer and the one reply


def test_done_where_the_transition_needs_a_resolution(programme):
    p = programme(ACTIONS)
    p.sb.use_workflow(p.key("charter"), "resolution-screen")
    answer(p, "charter", "completed")
    p.chase(at("2026-11-20"))
    issue = p.sb.issue(p.key("charter"))
    assert issue.status == "Done" and issue.fields["resolution"]["name"] == "Done"
    assert len(replies(p, "charter")) == 1


def test_done_without_a_done_transition_is_recorded_and_said(programme):
    p = programme(ACTIONS)
    p.sb.use_workflow(p.key("charter"), "no-done")
    answer(p, "charter", "done")
    result = p.chase(at("2026-11-20"))
    assert p.sb.issue(p.key("charter")).status == "To Do"
    [reply] = replies(p, "charter")
    assert "offers no move to a done status" in reply
    assert record(p, "charter")["done"] == "2026-11-20"
    assert [a.kind for a in result.answers] == ["done"]
    p.chase(at("2026-11-21"))
    assert len(replies(p, "charter")) == 1


def test_blocked_labels_tells_the_release_manager_once_and_stops_escalation(programme):
    p = programme(ACTIONS)
    answer(p, "checklist", "Blocked: the partner's test system is down")
    result = p.chase(at("2026-11-20"))
    assert "ll-blocked" in p.labels("checklist")
    [reply] = replies(p, "checklist")
    assert p.mention(JODIE) in reply
    assert not [s for s in result.sent if s.kind == "escalation"]
    answer(p, "checklist", "stuck: still down", day="2026-11-23")
    p.chase(at("2026-11-23"))
    assert p.mention(JODIE) not in replies(p, "checklist")[-1]
    # A later answer that moves it unblocks it.
    answer(p, "checklist", "extend to 2027-01-20: back up", day="2026-11-24")
    p.chase(at("2026-11-24"))
    assert "ll-blocked" not in p.labels("checklist")


def test_not_needed_from_the_owner_is_a_request_and_from_the_release_manager_resolves(
        programme):
    p = programme(ACTIONS)
    answer(p, "charter", "Not needed: the charter was dropped")
    result = p.chase(at("2026-11-20"))
    assert p.sb.issue(p.key("charter")).status == "To Do"
    [reply] = replies(p, "charter")
    assert p.mention(JODIE) in reply and p.mention(PAT) in reply
    assert result.answers == ()
    p.sb.use_workflow(p.key("charter"), "resolution-screen")
    answer(p, "charter", "not needed: agreed, dropped", who=JODIE, day="2026-11-21")
    result = p.chase(at("2026-11-21"))
    issue = p.sb.issue(p.key("charter"))
    assert issue.status == "Done" and issue.fields["resolution"]["name"] == "Won't Do"
    assert [a.kind for a in result.answers] == ["not_needed"]


@pytest.mark.parametrize("who, body, why", [
    (TOM, "done", "only the action's owner"),
    (SAM, "extend to 2026-11-01: too late", "in the past"),
    (SAM, "extend to next month: later", "not a date I can read"),
    (SAM, "extend to 2027-02-30: no such day", "not a date in the calendar"),
    (SAM, "blocked", "give the reason"),
])
def test_refusals_get_one_reply_and_change_nothing(programme, who, body, why):
    p = programme(ACTIONS)
    before = p.sb.issue(p.key("charter"))
    answer(p, "charter", body, who=who)
    result = p.chase(at("2026-11-20"))
    after = p.sb.issue(p.key("charter"))
    assert (after.status, after.fields["duedate"], after.labels) == (
        before.status, before.fields["duedate"], before.labels)
    [reply] = replies(p, "charter")
    assert why in reply and "nothing changed" in reply
    assert [s.kind for s in result.sent if s.key == p.key("charter")] == ["refused"]
    p.chase(at("2026-11-21"))
    assert len(replies(p, "charter")) == 1


def test_a_transition_jira_refuses_gets_one_reply_and_changes_nothing(programme):
    p = programme(ACTIONS)
    answer(p, "charter", "done")
    p.sb.use_workflow(p.key("charter"), "validator")
    p.chase(at("2026-11-20"))
    assert p.sb.issue(p.key("charter")).status == "To Do"
    [reply] = replies(p, "charter")
    assert "Jira refused to move it to Done" in reply and "sub-tasks are open" in reply
    p.chase(at("2026-11-21"))
    assert len(replies(p, "charter")) == 1


@pytest.mark.parametrize("body, method", [("extend to 2027-03-01: later", "edit_issue"),
                                          ("done", "transition_issue")])
def test_killed_after_jira_applied_the_answer_nothing_is_applied_or_said_twice(
        programme, body, method):
    p = programme(ACTIONS)
    answer(p, "charter", body)
    dying = AfterWrite(p.jira, method, p.key("charter"), Killed())
    with pytest.raises(Killed):
        p.chase(at("2026-11-20"), jira=dying)
    p.chase(at("2026-11-20", 10), jira=gateway(p.sb))
    p.chase(at("2026-11-21"), jira=gateway(p.sb))
    assert len(replies(p, "charter")) == 1
    assert len(record(p, "charter").get("extensions", [])) == (1 if "extend" in body else 0)


def test_a_lost_state_folder_repeats_nothing(programme):
    p = programme(ACTIONS)
    answer(p, "charter", "extend to 2027-03-01: later")
    p.chase(at("2026-11-20"))
    shutil.rmtree(p.config.state_dir)
    p.chase(at("2026-11-21"))
    assert len(replies(p, "charter")) == 1
    assert len(record(p, "charter")["extensions"]) == 1


def test_a_second_host_with_its_own_state_folder_repeats_nothing(programme):
    p = programme(ACTIONS)
    answer(p, "charter", "extend to 2027-03-01: later")
    p.chase(at("2026-11-20"))
    other = chase(p.config, gateway(p.sb), now=at("2026-11-20", 9, 5), texts=p.texts,
                  state=StateDir(p.config.state_dir.with_name("state-b")),
                  lease=JiraLease(gateway(p.sb), "chase", host="host-b"))
    assert other.answers == ()
    assert len(replies(p, "charter")) == 1


def test_an_ordinary_comment_is_left_alone(programme):
    p = programme(ACTIONS)
    answer(p, "charter", "Is this done yet? Asking for the review")
    answer(p, "charter", "doneness is not a word")
    result = p.chase(at("2026-11-20"))
    assert replies(p, "charter") == [] and result.answers == ()


def test_words_are_configurable(programme):
    p = programme(ACTIONS)
    text = p.config.path.read_text() + ("answers:\n  words:\n    done: [erledigt]\n"
                                        "    extend: [verschieben auf]\n")
    p.config.path.write_text(text)
    from jirasync.config import load_config
    p.config = load_config(p.config.path)
    answer(p, "charter", "Verschieben auf 2027-03-01: Lieferant spät")
    p.chase(at("2026-11-20"))
    assert p.sb.issue(p.key("charter")).fields["duedate"] == "2027-03-01"
    assert date.fromisoformat(record(p, "charter")["extensions"][0]["to"]) == date(2027, 3, 1)


def test_a_bot_that_may_not_transition_records_done_and_says_so(programme):
    p = programme(ACTIONS)
    p.sb.withhold("TRANSITION_ISSUES")
    answer(p, "charter", "done")
    p.chase(at("2026-11-20"))
    assert p.sb.issue(p.key("charter")).status == "To Do"
    [reply] = replies(p, "charter")
    assert "offers no move to a done status" in reply


def test_an_extension_clears_the_overdue_labels_and_restarts_the_ladder(programme):
    p = programme(ACTIONS)
    p.chase(at("2026-11-06"))                 # rung 0: the owner hears, ll-overdue
    assert "ll-overdue" in p.labels("checklist")
    answer(p, "checklist", "extend to 2026-12-20: partner late")
    result = p.chase(at("2026-11-20"))
    assert "ll-overdue" not in p.labels("checklist")
    assert [s.kind for s in result.sent if s.key == p.key("checklist")] == ["answer",
                                                                           "cleared"]
    later = p.chase(at("2026-12-21"))         # past the new date: rung 0 again
    assert [s.kind for s in later.sent if s.key == p.key("checklist")] == ["escalation"]


def test_two_runs_overlapping_apply_an_answer_once(programme):
    """A run finds the answer, then another host applies it and releases the lease before
    the first takes it: the first reads the record again under the lease and does nothing."""
    p = programme(ACTIONS)
    answer(p, "charter", "extend to 2027-03-01: later")
    now = at("2026-11-20")
    first = JiraLease(p.jira, "chase", host="host-a")
    take = first.held

    def other_host_answers_first():
        other = chase(p.config, gateway(p.sb), now=now, texts=p.texts,
                      state=StateDir(p.config.state_dir.with_name("state-b")),
                      lease=JiraLease(gateway(p.sb), "chase", host="host-b"))
        assert [a.kind for a in other.answers] == ["extend"]
        return take()
    first.held = other_host_answers_first
    result = chase(p.config, p.jira, state=StateDir(p.config.state_dir), now=now,
                   texts=p.texts, lease=first)
    assert result.answers == ()
    assert len(replies(p, "charter")) == 1
    assert len(record(p, "charter")["extensions"]) == 1


def test_a_lost_answer_after_jira_applied_it_is_not_applied_again(programme):
    p = programme(ACTIONS)
    answer(p, "charter", "blocked: waiting for the supplier")
    lost = JiraError(f"lost the connection to Jira during the edit of {p.key('charter')}",
                     issue=p.key("charter"), maybe_applied=True)
    first = p.chase(at("2026-11-20"), jira=AfterWrite(p.jira, "edit_issue", p.key("charter"),
                                                      lost))
    assert [s.kind for s in first.sent if s.key == p.key("charter")] == ["failed"]
    again = p.chase(at("2026-11-21"), jira=gateway(p.sb))
    assert again.answers == ()
    assert len(replies(p, "charter")) == 1 and p.mention(JODIE) in replies(p, "charter")[0]


def test_the_authors_words_are_quoted_not_run_as_markup(programme):
    p = programme(ACTIONS)
    answer(p, "charter", "blocked: see [~accountid:someone] {code}x{code}")
    p.chase(at("2026-11-20"))
    [reply] = replies(p, "charter")
    assert "see \\[\\~accountid:someone\\] \\{code\\}x\\{code\\}" in reply
    assert record(p, "charter")["blocked"] == "see [~accountid:someone] {code}x{code}"


@pytest.mark.parametrize("body", ["done (published on the intranet)",
                                  "Done: [published on the intranet]"])
def test_a_note_in_brackets_is_shown_in_one_pair(programme, body):
    p = programme(ACTIONS)
    answer(p, "checklist", body)
    result = p.chase(at("2026-11-20"))
    [reply] = replies(p, "checklist")
    [applied] = result.answers
    for said in (reply, applied.change):
        assert "(published on the intranet)" in said
        assert "((" not in said and "[published" not in said


def test_brackets_inside_a_note_are_kept(programme):
    p = programme(ACTIONS)
    answer(p, "checklist", "done (a) wiki and (b) intranet")
    [applied] = p.chase(at("2026-11-20")).answers
    assert "done ((a) wiki and (b) intranet);" in applied.change
