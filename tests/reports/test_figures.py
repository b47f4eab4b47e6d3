"""The figures of SPEC §6 against hand-computed expectations, edges included."""
from __future__ import annotations

import importlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from jirasync.reports.figures import (
    Count,
    actions_state,
    carried_over,
    compute,
    indicators,
    lessons_identified,
    next_steps,
    recurring,
    similarity,
)
from jirasync.reports.reader import local_day
from tests.reports.build import action, lesson, programme, release

TODAY = date(2026, 12, 10)
LONDON = ZoneInfo("Europe/London")

# Two releases: 4.1 (live 2026-06-01) and 4.2 (live 2026-10-14).
R41, R42 = release("DCR-1", "4.1", "2026-06-01"), release("DCR-10", "4.2", "2026-10-14")
L41 = lesson("DCR-2", "4.1", "DCR-1", "Partners turned their feeds off late", theme="comms",
             created="2026-05-20")
L41_DONE = lesson("DCR-5", "4.1", "DCR-1", "Rehearse twice", kind="keep",
                  created="2026-05-20", resolved="2026-07-01", done=True)
A41_OPEN = action("DCR-3", "4.1", "DCR-2", due="2026-09-01", created="2026-06-02",
                  rungs=(0, 14, 30))                           # open since June: carried
A41_LATE_CLOSE = action("DCR-4", "4.1", "DCR-2", due="2026-09-01", created="2026-06-02",
                        resolved="2026-11-01", done=True)      # open on 4.2's live date
L42 = lesson("DCR-11", "4.2", "DCR-10", "Partners turned feeds off late again",
             theme="comms", created="2026-10-15")
L42_HAND = lesson("DCR-12", "4.2", "DCR-10", "Found by hand", kind=None, lid=None,
                  created="2026-10-20")
A42_ONTIME = action("DCR-13", "4.2", "DCR-11", due="2026-11-30", created="2026-10-16",
                    resolved="2026-11-30", done=True)          # done on its due date
A42_LATE = action("DCR-14", "4.2", "DCR-11", owner="Priya Shah", due="2026-12-01",
                  created="2026-10-16", rungs=(0,))            # 9 days overdue
A42_NODUE = action("DCR-15", "4.2", "DCR-11", owner=None, due=None, created="2026-10-16",
                   resolved="2026-10-26", done=True)           # resolved without a due date

PROGRAMME = programme([R41, R42], [L41, L41_DONE, L42, L42_HAND],
                      [A41_OPEN, A41_LATE_CLOSE, A42_ONTIME, A42_LATE, A42_NODUE])


def test_lessons_identified_by_kind_and_theme_hand_made_included():
    figures = lessons_identified([L42, L42_HAND], [A42_LATE])
    assert figures.total == Count(2, ("DCR-11", "DCR-12"))
    assert figures.improve == Count(1, ("DCR-11",))
    assert figures.keep == Count(0)
    assert figures.unclassified == Count(1, ("DCR-12",))
    assert figures.hand_made == Count(1, ("DCR-12",))
    assert [(t.theme, t.lessons.value) for t in figures.by_theme] == [("comms", 1), ("", 1)]
    assert figures.improvements_without_action == Count(0)


def test_an_improvement_without_action_is_named():
    assert lessons_identified([L41], []).improvements_without_action == Count(1, ("DCR-2",))


@pytest.mark.parametrize("name,actions,expected", [
    ("no actions", [], {"agreed": 0, "open": 0, "done": 0, "overdue": 0}),
    ("all done", [A42_ONTIME, A42_NODUE], {"agreed": 2, "open": 0, "done": 2, "overdue": 0}),
    ("mixed", [A41_OPEN, A42_ONTIME, A42_LATE],
     {"agreed": 3, "open": 2, "done": 1, "overdue": 2}),
])
def test_actions_state(name, actions, expected):
    state = actions_state(actions, TODAY)
    assert {k: getattr(state, k).value for k in expected} == expected


def test_overdue_rows_carry_days_and_rung_most_overdue_first():
    rows = actions_state([A42_LATE, A41_OPEN], TODAY).overdue_rows()
    assert [(r.key, r.days_overdue, r.rung) for r in rows] == [("DCR-3", 100, 30),
                                                              ("DCR-14", 9, 0)]


@pytest.mark.parametrize("due,today,overdue", [
    ("2026-12-01", date(2026, 12, 1), None),     # the due date itself: not yet overdue
    ("2026-12-01", date(2026, 12, 2), 1),        # the day after: 1 day
    (None, date(2027, 1, 1), None),              # no due date: never overdue
])
def test_days_overdue_edges(due, today, overdue):
    row = actions_state([action("DCR-9", "4.2", "DCR-11", due=due)], today).rows[0]
    assert row.days_overdue == overdue
    assert row.state == ("overdue" if overdue else "open")


def test_by_owner_most_overdue_first_unassigned_named_empty():
    owners = actions_state(PROGRAMME.actions, TODAY).by_owner
    assert [(o.owner, o.open.value, o.overdue.value, o.done.value) for o in owners] == [
        ("Priya Shah", 1, 1, 0), ("Sam Jones", 1, 1, 2), ("", 0, 0, 1)]


def test_indicators_hand_computed():
    i = indicators(PROGRAMME.actions, TODAY)
    # done: DCR-4, DCR-13, DCR-15 of 5 agreed
    assert (i.closure_rate.part.value, i.closure_rate.whole.value) == (3, 5)
    assert i.closure_rate.percent == "60%"
    # done with a due date: DCR-4 (late), DCR-13 (on the day); DCR-15 has no due date
    assert i.on_time_rate.part.keys == ("DCR-13",)
    assert i.on_time_rate.whole.keys == ("DCR-4", "DCR-13")
    # days to close: DCR-4 152, DCR-13 45, DCR-15 10 -> median 45
    assert i.median_days_to_close.value == 45
    assert i.median_days_to_close.keys == ("DCR-4", "DCR-13", "DCR-15")
    assert i.overdue == Count(2, ("DCR-3", "DCR-14"))
    # DCR-15 lacks owner and due date
    assert (i.completeness.part.value, i.completeness.whole.value) == (4, 5)


def test_indicators_of_no_actions_are_blank_not_zero():
    i = indicators([], TODAY)
    assert i.closure_rate.value is None and i.closure_rate.percent == "–"
    assert i.on_time_rate.value is None and i.median_days_to_close.value is None
    assert i.completeness.value is None


def test_carried_over_is_what_was_open_on_the_live_date_with_age():
    carried = carried_over(PROGRAMME, R42, TODAY)
    assert carried.lessons.keys == ("DCR-2",)         # DCR-5 was done in July
    assert carried.actions.keys == ("DCR-3", "DCR-4")  # DCR-4 closed after 4.2 went live
    assert carried.still_open.keys == ("DCR-2", "DCR-3")
    ages = {i.key: i.age_days for i in carried.items}
    assert ages == {"DCR-2": 147, "DCR-3": 134, "DCR-4": 134}
    assert carried.total.value == 3


def test_a_programme_that_adopted_jirasync_late_still_carries_its_open_items():
    # Every issue made on 2026-12-01, after both live dates (the release files of past
    # releases synced when the programme adopted jirasync): 4.1's open lesson and action
    # were still open when 4.2 went live, aged from 4.1's live date; the lesson done
    # before 4.2 went live (resolved 2026-07-01) is not carried.
    made = "2026-12-01"
    lessons = [lesson("DCR-2", "4.1", "DCR-1", "Feeds off late", created=made),
               lesson("DCR-5", "4.1", "DCR-1", "Rehearse twice", kind="keep", created=made,
                      resolved="2026-07-01", done=True),
               lesson("DCR-11", "4.2", "DCR-10", "Feeds off late again", created=made)]
    actions = [action("DCR-3", "4.1", "DCR-2", due="2026-09-01", created=made)]
    late = programme([R41, R42], lessons, actions)
    carried = carried_over(late, R42, TODAY)
    assert carried.total.keys == ("DCR-2", "DCR-3")
    assert {i.key: i.age_days for i in carried.items} == {"DCR-2": 135, "DCR-3": 135}
    figures = compute(late, today=TODAY)
    assert figures.carried_over.total.keys == ("DCR-2", "DCR-3")   # the walk agrees
    trend = {t.release: t for t in figures.trend}
    assert trend["4.2"].carried.actions.keys == ("DCR-3",)
    assert trend["4.1"].carried_in == 0


def test_a_release_with_no_live_date_carries_nothing_and_is_named():
    undated = release("DCR-20", "4.3", None)
    p = programme([R41, R42, undated], PROGRAMME.lessons, PROGRAMME.actions)
    assert carried_over(p, undated, TODAY).items == ()
    figures = compute(p, today=TODAY)
    assert figures.undated == ("4.3",)
    assert figures.carried_over.release == "4.2"      # the latest dated release
    assert [t.release for t in figures.trend] == ["4.1", "4.2", "4.3"]
    assert figures.trend[2].carried_in == 0


def test_trend_per_release():
    points = {t.release: t for t in compute(PROGRAMME, today=TODAY).trend}
    assert (points["4.1"].lessons.value, points["4.1"].actions.value) == (2, 2)
    assert points["4.1"].carried_in == 0 and points["4.1"].closure.percent == "50%"
    assert (points["4.2"].lessons.value, points["4.2"].actions.value) == (2, 3)
    assert points["4.2"].carried.actions.keys == ("DCR-3", "DCR-4")
    assert points["4.2"].closure.percent == "67%"


def test_recurring_lessons_match_an_earlier_improvement_with_both_keys():
    found = recurring(PROGRAMME)
    assert [(r.key, r.earlier_key, r.same_theme) for r in found] == [
        ("DCR-11", "DCR-2", True)]
    assert found[0].keys == ("DCR-2", "DCR-11")


def test_the_recurring_lessons_are_compared_only_when_a_report_asks(monkeypatch):
    """`status` and the agenda show no recurring lesson: their figures never compare
    titles (most of the figures' time on a long programme); the deck's find them."""
    computing = importlib.import_module("jirasync.reports.figures.compute")
    asked = []
    monkeypatch.setattr(computing, "recurring",
                        lambda *args: asked.append(args) or recurring(*args))
    figures = compute(PROGRAMME, today=TODAY)
    assert figures.releases and figures.actions.agreed.value and not asked
    assert [(r.key, r.earlier_key) for r in figures.recurring] == [("DCR-11", "DCR-2")]
    assert figures.recurring is figures.recurring and len(asked) == 1   # found once


@pytest.mark.parametrize("a,b,alike", [
    ("Partners turned their feeds off late", "Partners turned feeds off late again", True),
    ("Feeds were switched off late by partners", "Partners switched feeds off late", True),
    ("Partners turned their feeds off late", "Two data-migration rehearsals", False),
    ("", "anything", False),
])
def test_title_similarity(a, b, alike):
    assert (similarity(a, b) >= 0.75) is alike


def test_a_later_release_is_never_the_earlier_of_a_recurrence():
    assert all(r.release == "4.2" for r in recurring(PROGRAMME))
    assert recurring(PROGRAMME, scope=["4.1"]) == ()


@pytest.mark.parametrize("due,included", [
    ("2027-01-05", True),     # due on the review day: due by the meeting
    ("2027-01-06", False),
    ("2026-12-01", True),     # overdue and still open
])
def test_next_steps_actions_due_before_the_review(due, included):
    review = datetime(2027, 1, 5, 10, 0, tzinfo=LONDON)
    steps = next_steps([action("DCR-9", "4.2", "DCR-11", due=due)], review, TODAY)
    assert steps.review == review
    assert (steps.count.keys == ("DCR-9",)) is included


def test_done_actions_are_not_next_steps():
    review = datetime(2027, 1, 5, 10, 0, tzinfo=LONDON)
    assert next_steps([A42_ONTIME], review, TODAY).count.value == 0


@pytest.mark.parametrize("instant,day", [
    # 23:30 UTC in summer is already the next day in London
    (datetime.fromisoformat("2026-07-01T23:30:00+00:00"), date(2026, 7, 2)),
    # the same in winter is still that day
    (datetime.fromisoformat("2026-12-01T23:30:00+00:00"), date(2026, 12, 1)),
    # Jira in the bot's zone far east: the day there is not the day in London
    (datetime.fromisoformat("2026-12-02T07:00:00+10:00"), date(2026, 12, 1)),
])
def test_time_zones_dates_are_days_in_the_configured_zone(instant, day):
    assert local_day(instant, LONDON) == day


def test_compute_for_one_release_keeps_keys_traceable():
    figures = compute(PROGRAMME, today=TODAY, releases=["4.2"])
    assert figures.scope == ("4.2",)
    assert figures.lessons.total.keys == ("DCR-11", "DCR-12")
    assert figures.actions.agreed.keys == ("DCR-13", "DCR-14", "DCR-15")
    assert figures.owners.value == 2
    appendix = dict(figures.appendix())
    assert appendix["actions overdue"] == ("DCR-14",)
    assert appendix["carried over"] == ("DCR-2", "DCR-3", "DCR-4")
