"""What is due, as pure rules: prompts, digests, escalations and the record kept in Jira."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from jirasync.chase.reminders import (
    Digest,
    OpenAction,
    Prompt,
    Unowned,
    due_digests,
    due_escalations,
    due_prompts,
    no_longer_overdue,
)
from jirasync.config import LADDER
from jirasync.escalation import Ladder, Rung
from jirasync.records import KEEP_CYCLES, ChaseRecord
from jirasync.review import ReviewCalendar
from tests.chase.conftest import at

CALENDAR = ReviewCalendar(rule="FREQ=MONTHLY;BYDAY=1TU", time="10:00",
                          timezone="Europe/London", prompt_days_before=7)
CYCLE = CALENDAR.upcoming(at("2026-11-24"))          # the review of 2026-12-01
DEFAULT = Ladder(tuple(Rung(days, who) for days, who in LADDER))
SAM, PRIYA = "acc-sam", "acc-priya"
OVERDUE, ESCALATED = "ll-overdue", "ll-escalated"


def action(key: str, owner: str | None = SAM, due: str | None = "2026-12-15", *,
           resolved: bool = False, labels=(), due_rec: str | None = None,
           **record) -> OpenAction:
    """An action as chase reads it; ``due_rec`` and ``record`` are its ChaseRecord (the
    due date the ladder last climbed for, rungs fired, cycles prompted)."""
    return OpenAction(key=key, summary=f"summary of {key}", owner=owner,
                      due=date.fromisoformat(due) if due else None, resolved=resolved,
                      labels=frozenset(labels), record=ChaseRecord(due=due_rec, **record))


def keys(items) -> list:
    return [(type(i).__name__, getattr(i, "action", None) and i.action.key) for i in items]


def test_the_cycle_under_test():
    assert CYCLE.name == "2026-12-01"
    assert CYCLE.prompt_from == at("2026-11-24", 0, 0)
    assert CYCLE.meeting == at("2026-12-01", 10, 0)


# -- the record --------------------------------------------------------------------------

@pytest.mark.parametrize("record", [
    pytest.param(ChaseRecord(), id="empty"),
    pytest.param(ChaseRecord(prompts=("2026-11-03", "2026-12-01")), id="prompts"),
    pytest.param(ChaseRecord(digests=("2026-12-01 acc-sam",)), id="digest"),
    pytest.param(ChaseRecord(due="2026-11-01", rungs=(0, 14)), id="rungs"),
])
def test_record_round_trips_through_json(record):
    assert ChaseRecord.from_json(record.to_json()) == record


@pytest.mark.parametrize("data, expected", [
    pytest.param(None, ChaseRecord(), id="no-property"),
    pytest.param("prompted", ChaseRecord(), id="a-string"),
    pytest.param([1, 2], ChaseRecord(), id="a-list"),
    pytest.param({}, ChaseRecord(), id="empty-object"),
    pytest.param({"prompts": "2026-12-01", "digests": 7}, ChaseRecord(), id="not-lists"),
    pytest.param({"rungs": 14}, ChaseRecord(), id="rungs-a-number"),
    pytest.param({"rungs": "0,14"}, ChaseRecord(), id="rungs-a-string"),
    pytest.param({"rungs": [0, "14", None, 14.5, True, 30]}, ChaseRecord(rungs=(0, 30)),
                 id="rungs-mixed"),
    pytest.param({"due": 20261201, "rungs": [0]}, ChaseRecord(rungs=(0,)), id="due-a-number"),
    pytest.param({"v": 99, "prompts": ["2026-12-01"], "later": {"x": 1}},
                 ChaseRecord(prompts=("2026-12-01",)), id="unknown-keys-ignored"),
])
def test_record_tolerates_garbage(data, expected):
    assert ChaseRecord.from_json(data) == expected


def test_record_keeps_the_last_cycles_only():
    record = ChaseRecord()
    for month in range(1, 21):
        record = record.with_prompt(f"2026-{month:02}")
    assert len(record.prompts) == KEEP_CYCLES
    assert record.prompts[-1] == "2026-20"


def test_a_rung_for_a_new_due_date_forgets_the_old_climb():
    record = ChaseRecord(due="2026-11-01", rungs=(0, 14))
    moved = record.with_rung(date(2026, 11, 20), DEFAULT.rungs[0])
    assert (moved.due, moved.rungs) == ("2026-11-20", (0,))
    assert record.with_rung(date(2026, 11, 1), DEFAULT.rungs[2]).rungs == (0, 14, 30)


# -- prompts (comment mode) ---------------------------------------------------------------

@pytest.mark.parametrize("now, actions, expected", [
    pytest.param(at("2026-11-24", 0, 0), [action("DCR-10"), action("DCR-9")],
                 [("Prompt", "DCR-9"), ("Prompt", "DCR-10")], id="window-opens-key-order"),
    pytest.param(at("2026-12-01", 9, 59), [action("DCR-1")], [("Prompt", "DCR-1")],
                 id="meeting-day-before-10"),
    pytest.param(at("2026-11-23", 23, 59), [action("DCR-1")], [], id="day-before-window"),
    pytest.param(at("2026-12-01", 10, 0), [action("DCR-1")], [], id="meeting-started"),
    pytest.param(at("2026-11-24"), [action("DCR-1", prompts=("2026-12-01",))], [],
                 id="already-prompted-this-cycle"),
    pytest.param(at("2026-11-24"), [action("DCR-1", prompts=("2026-11-03",))],
                 [("Prompt", "DCR-1")], id="prompted-last-cycle-only"),
    pytest.param(at("2026-11-24"), [action("DCR-1", resolved=True)], [], id="resolved"),
    pytest.param(at("2026-11-24"), [action("DCR-1", owner=None)], [("Unowned", "DCR-1")],
                 id="no-owner-reported"),
    pytest.param(at("2026-11-24"), [action("DCR-1", due=None)], [("Prompt", "DCR-1")],
                 id="no-due-date-still-prompted"),
])
def test_due_prompts(now, actions, expected):
    assert keys(due_prompts(actions, CALENDAR.cycle_at(now), now)) == expected


def test_no_cycle_no_prompts():
    assert due_prompts([action("DCR-1")], None, at("2026-11-24")) == []


def test_a_prompt_names_its_cycle():
    (prompt,) = due_prompts([action("DCR-1")], CYCLE, at("2026-11-26"))
    assert isinstance(prompt, Prompt) and prompt.cycle == CYCLE


# -- digests ------------------------------------------------------------------------------

def digests(actions, now: datetime | None = None) -> list:
    now = now or at("2026-11-24")
    return [(d.owner, [a.key for a in d.actions], d.anchor.key) if isinstance(d, Digest)
            else ("unowned", d.action.key)
            for d in due_digests(actions, CALENDAR.cycle_at(now), now)]


@pytest.mark.parametrize("actions, expected", [
    pytest.param([action("DCR-3", due="2026-12-20"), action("DCR-2", due="2026-12-01"),
                  action("DCR-4", PRIYA)],
                 [(PRIYA, ["DCR-4"], "DCR-4"), (SAM, ["DCR-2", "DCR-3"], "DCR-2")],
                 id="one-per-owner-by-due-date"),
    pytest.param([action("DCR-2", due="2026-12-20"), action("DCR-10", due="2026-12-01")],
                 [(SAM, ["DCR-10", "DCR-2"], "DCR-2")], id="anchor-is-the-lowest-key"),
    pytest.param([action("DCR-2", due=None), action("DCR-3")],
                 [(SAM, ["DCR-3", "DCR-2"], "DCR-2")], id="no-due-date-last"),
    pytest.param([action("DCR-2", digests=("2026-12-01 acc-sam",)), action("DCR-3")], [],
                 id="already-sent-this-cycle"),
    pytest.param([action("DCR-2", digests=("2026-11-03 acc-sam",)), action("DCR-3")],
                 [(SAM, ["DCR-2", "DCR-3"], "DCR-2")], id="sent-last-cycle-only"),
    pytest.param([action("DCR-2", resolved=True, digests=("2026-12-01 acc-sam",)),
                  action("DCR-3")], [], id="record-on-an-action-resolved-since-counts"),
    pytest.param([action("DCR-2", resolved=True), action("DCR-3")],
                 [(SAM, ["DCR-3"], "DCR-3")], id="resolved-actions-not-listed"),
    pytest.param([action("DCR-2", resolved=True)], [], id="only-resolved-nothing"),
    pytest.param([action("DCR-2", owner=None)], [("unowned", "DCR-2")], id="no-owner"),
    # The anchor was reassigned after it carried Sam's digest: Sam has had his, Priya not.
    pytest.param([action("DCR-2", PRIYA, digests=("2026-12-01 acc-sam",)), action("DCR-3")],
                 [(PRIYA, ["DCR-2"], "DCR-2")], id="anchor-reassigned-since"),
    # Records written before digests named their owner count for the current assignee.
    pytest.param([action("DCR-2", digests=("2026-12-01",)), action("DCR-3")], [],
                 id="older-record-without-owner"),
])
def test_due_digests(actions, expected):
    assert digests(actions) == expected


@pytest.mark.parametrize("now", [
    pytest.param(at("2026-11-23", 23, 59), id="before-window"),
    pytest.param(at("2026-12-01", 10, 0), id="meeting-started"),
])
def test_no_digests_outside_the_window(now):
    assert digests([action("DCR-2")], now) == []


def test_a_digest_record_names_cycle_and_owner():
    record = ChaseRecord().with_digest("2026-12-01", SAM)
    assert record.digests == ("2026-12-01 acc-sam",)


# -- escalations --------------------------------------------------------------------------

def escalations(actions, today: str, ladder: Ladder = DEFAULT) -> list:
    return [(e.action.key, e.rung.after_days, e.days_overdue)
            for e in due_escalations(actions, ladder, date.fromisoformat(today))]


@pytest.mark.parametrize("actions, today, expected", [
    pytest.param([action("DCR-1", due="2026-11-20")], "2026-11-20", [], id="due-today"),
    pytest.param([action("DCR-1", due="2026-11-20")], "2026-11-21", [("DCR-1", 0, 1)],
                 id="first-overdue-day-rung-0"),
    pytest.param([action("DCR-1", due="2026-11-20", due_rec="2026-11-20", rungs=(0,))],
                 "2026-11-22", [], id="rung-0-fired"),
    pytest.param([action("DCR-1", due="2026-11-01", due_rec="2026-11-01", rungs=(0,))],
                 "2026-11-15", [("DCR-1", 14, 14)], id="rung-14"),
    pytest.param([action("DCR-1", due="2026-10-01", due_rec="2026-10-01", rungs=(0, 14))],
                 "2026-10-31", [("DCR-1", 30, 30)], id="rung-30"),
    pytest.param([action("DCR-1", due="2026-10-01", due_rec="2026-10-01", rungs=(0, 14, 30))],
                 "2027-03-01", [], id="top-rung-fired"),
    pytest.param([action("DCR-1", due="2026-10-01")], "2026-11-24", [("DCR-1", 30, 54)],
                 id="several-due-only-the-highest"),
    pytest.param([action("DCR-1", due="2026-11-01", due_rec="2026-11-01", rungs=(0,))],
                 "2026-12-24", [("DCR-1", 30, 53)], id="14-and-30-due-only-30"),
    pytest.param([action("DCR-1", due="2026-11-20", due_rec="2026-10-01", rungs=(0, 14, 30))],
                 "2026-11-21", [("DCR-1", 0, 1)], id="moved-due-date-restarts"),
    pytest.param([action("DCR-1", due="2026-11-01", due_rec="2026-10-01", rungs=(0, 14, 30))],
                 "2026-11-16", [("DCR-1", 14, 15)], id="moved-but-still-late-restarts-high"),
    pytest.param([action("DCR-1", due="2026-10-01", resolved=True)], "2026-11-24", [],
                 id="resolved"),
    pytest.param([action("DCR-1", due=None)], "2026-11-24", [], id="no-due-date"),
    pytest.param([action("DCR-10", due="2026-11-01"), action("DCR-9", due="2026-11-20")],
                 "2026-11-24", [("DCR-9", 0, 4), ("DCR-10", 14, 23)], id="key-order"),
])
def test_due_escalations(actions, today, expected):
    assert escalations(actions, today) == expected


# -- overdue labels that no longer apply ---------------------------------------------------

@pytest.mark.parametrize("act, expected", [
    pytest.param(action("DCR-1", due="2026-12-20", labels=(OVERDUE, ESCALATED)), True,
                 id="moved-into-the-future"),
    pytest.param(action("DCR-1", due="2026-11-24", labels=(OVERDUE,)), True,
                 id="due-today-is-not-overdue"),
    pytest.param(action("DCR-1", due=None, labels=(ESCALATED,)), True, id="due-date-removed"),
    pytest.param(action("DCR-1", due="2026-11-23", labels=(OVERDUE,)), False,
                 id="still-overdue"),
    pytest.param(action("DCR-1", due="2026-12-20"), False, id="never-labelled"),
    pytest.param(action("DCR-1", due="2026-12-20", labels=(OVERDUE,), resolved=True), False,
                 id="resolved-left-alone"),
])
def test_no_longer_overdue(act, expected):
    cleared = no_longer_overdue([act], date(2026, 11, 24), (OVERDUE, ESCALATED))
    assert (cleared == [act]) is expected


def test_unowned_and_prompt_types():
    items = due_prompts([action("DCR-1", owner=None), action("DCR-2")], CYCLE, at("2026-11-24"))
    assert [type(i) for i in items] == [Unowned, Prompt]


def test_time_is_compared_as_an_instant():
    utc = datetime.fromisoformat("2026-11-24T00:00:00+00:00")
    assert due_prompts([action("DCR-1")], CYCLE, utc) != []
