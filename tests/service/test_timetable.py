"""The ``schedule`` keys: what is accepted, when a job is due, daylight saving included.

The words are read in ``jirasync/schedule_words.py``, when a job is due is worked out in
``jirasync/service/timetable.py``; these tests pin the answers a PMO expects from them.
"""
from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from jirasync.cli import main
from jirasync.service.timetable import parse_schedule
from tests.helpers import CONFIG, write_programme

LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")


def at(text: str, zone: ZoneInfo = LONDON, *, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone, fold=fold)


def wall(instant: datetime, zone: ZoneInfo = LONDON) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


@pytest.mark.parametrize("text,last,next_due", [
    ("every 15 minutes", "2026-11-02 09:00", "2026-11-02 09:15"),
    ("every 2 hours", "2026-11-02 09:00", "2026-11-02 11:00"),
    ("every 30 seconds", "2026-11-02 09:00", "2026-11-02 09:00:30"),
    ("every day at 09:00", "2026-11-02 09:00", "2026-11-03 09:00"),
    ("every day at 09:00", "2026-11-02 08:00", "2026-11-02 09:00"),
    ("every monday at 08:30", "2026-11-02 09:00", "2026-11-09 08:30"),    # a Monday
    ("every weekday at 09:00", "2026-11-06 09:00", "2026-11-09 09:00"),   # Friday -> Monday
    ("Every  Weekday at 9:00", "2026-11-03 09:00", "2026-11-04 09:00"),
    # Clocks go forward on 29 March 2026 at 01:00: 01:30 that night is 02:30 BST.
    ("every day at 01:30", "2026-03-28 01:30", "2026-03-29 02:30"),
    # They go back on 25 October 2026: 09:00 stays 09:00, 25 hours later.
    ("every day at 09:00", "2026-10-24 09:00", "2026-10-25 09:00"),
], ids=["minutes", "hours", "seconds", "daily", "daily-later-today", "monday",
        "weekday-over-weekend", "spacing-and-case", "dst-skipped-time", "dst-autumn"])
def test_next_due(text, last, next_due):
    due = parse_schedule(text).next_after(at(last), LONDON)
    assert due.astimezone(LONDON).replace(tzinfo=None) == datetime.fromisoformat(next_due)


def test_a_time_the_clocks_repeat_runs_once():
    daily = parse_schedule("every day at 01:30")
    first = daily.next_after(at("2026-10-24 02:00"), LONDON)         # 01:30 BST on the 25th
    assert first.astimezone(UTC).hour == 0
    assert daily.next_after(first, LONDON).date() == first.date() + timedelta(days=1)


def test_never_run_is_due_and_health_period():
    assert parse_schedule("every day at 09:00").due(None, at("2026-11-02 00:00"), LONDON)


@pytest.mark.parametrize("text,last,now,due", [
    # A timer ticks at 09:15:00; the last run started at 09:00:20: still on time.
    ("every 15 minutes", "2026-11-02 09:00:20", "2026-11-02 09:15:00", True),
    ("every 15 minutes", "2026-11-02 09:00:20", "2026-11-02 09:14:19", False),
    ("every 30 seconds", "2026-11-02 09:00:00", "2026-11-02 09:00:27", True),   # a tenth
    ("every 30 seconds", "2026-11-02 09:00:00", "2026-11-02 09:00:26", False),
    ("every day at 09:00", "2026-11-02 09:00:20", "2026-11-03 08:59:59", False),
], ids=["timer-tick", "too-early", "tenth", "tenth-too-early", "daily-no-grace"])
def test_a_run_a_moment_early_is_on_time_for_a_timer(text, last, now, due):
    assert parse_schedule(text).due(at(last), at(now), LONDON) is due
    assert parse_schedule("every weekday at 09:00").period == timedelta(days=3)
    assert parse_schedule("every 15 minutes").period == timedelta(minutes=15)


@pytest.mark.parametrize("text,says", [
    ("sometimes", "write one of: 'every 15 minutes'"),
    ("every fortnight", "write one of:"), ("daily at 09:00", "write one of:"),
    ("every 0 minutes", "at least 1"), ("every day at 25:00", "not a time of day")])
def test_unreadable_schedules_say_what_is_accepted(text, says):
    with pytest.raises(ValueError, match=says):
        parse_schedule(text)


def test_check_names_file_line_and_key_with_the_forms(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    path = write_programme(tmp_path, config=CONFIG + "schedule:\n  sync: every 15 minutes\n"
                                                     "  chase: each morning\n")
    code = main(["check", "--config", str(path)])
    err = capsys.readouterr().err
    lines = CONFIG.count("\n") + 3
    assert code == 2
    assert f"jirasync.yaml:{lines}: schedule.chase: 'each morning' is not a schedule" in err
    assert "'every weekday at 09:00'" in err


# Sydney's clocks go back on 5 April 2026 at 03:00 and forward on 4 October at 02:00.
SOUTHERN = [
    ("every day at 09:00", "2026-04-04 09:00", "2026-04-05 09:00"),     # 25 hours later
    ("every day at 09:00", "2026-10-03 09:00", "2026-10-04 09:00"),     # 23 hours later
    ("every day at 02:30", "2026-10-03 02:30", "2026-10-04 03:30"),     # a time skipped
    ("every weekday at 09:00", "2026-10-02 09:00", "2026-10-05 09:00"),  # Friday -> Monday
]


@pytest.mark.parametrize("text,last,next_due", SOUTHERN,
                         ids=["autumn", "spring", "skipped-time", "weekday-over-dst"])
def test_next_due_in_the_southern_hemisphere(text, last, next_due):
    due = parse_schedule(text).next_after(at(last, SYDNEY), SYDNEY)
    assert wall(due, SYDNEY) == datetime.fromisoformat(next_due)


def test_a_weekday_job_from_friday_to_monday_over_a_daylight_saving_change():
    due = parse_schedule("every weekday at 09:00").next_after(at("2026-10-23 09:00"), LONDON)
    assert due == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)     # 09:00 GMT on the Monday


@pytest.mark.parametrize("last,elapsed", [
    (at("2026-10-25 01:50"), timedelta(minutes=15)),        # BST, the clocks go back at 02:00
    (at("2026-03-29 00:55"), timedelta(minutes=15)),        # GMT, they go forward at 01:00
], ids=["autumn", "spring"])
def test_every_15_minutes_counts_elapsed_time_across_a_daylight_saving_change(last, elapsed):
    assert parse_schedule("every 15 minutes").next_after(last, LONDON) - last == elapsed


def test_a_repeated_time_asked_from_its_second_pass_runs_the_next_day():
    # 01:10 GMT on 25 October is after 01:30 BST: that day's 01:30 has been (once).
    last = at("2026-10-25 01:10", fold=1)
    due = parse_schedule("every day at 01:30").next_after(last, LONDON)
    assert due > last and wall(due) == datetime(2026, 10, 26, 1, 30)


def test_a_skipped_time_counts_as_passed_once_the_clocks_have_jumped_past_it():
    """A daily 01:30 job that ran at 02:10 BST on the spring-forward night (a retry, say) has
    had its run that day: the next is the next night at 01:30, not 02:30 the same night.
    (An earlier timetable ran it again at 02:30.)"""
    due = parse_schedule("every day at 01:30").next_after(at("2026-03-29 02:10"), LONDON)
    assert wall(due) == datetime(2026, 3, 30, 1, 30)


@pytest.mark.parametrize("text,last,next_due", [
    # From a run just before midnight on the day the clocks went back, the ``schedule``
    # library's own timezone support skipped a day (to the 27th).
    ("every day at 00:30", "2026-10-25 23:40", "2026-10-26 00:30"),
    # The day after the spring change, it put a time the clocks skipped an hour early.
    ("every day at 01:00", "2026-03-29 02:00", "2026-03-30 01:00"),
], ids=["no-day-skipped-after-autumn", "not-an-hour-early-after-spring"])
def test_daylight_saving_edges_where_schedule_alone_would_misplace_the_run(
        text, last, next_due):
    due = parse_schedule(text).next_after(at(last), LONDON)
    assert wall(due) == datetime.fromisoformat(next_due)


CASES = [("every 15 minutes", "2026-10-25 01:50"), ("every day at 01:30", "2026-10-24 02:00"),
         ("every day at 01:30", "2026-03-28 01:30"), ("every day at 09:00", "2026-10-24 09:00"),
         ("every weekday at 09:00", "2026-10-23 09:00"),
         ("every monday at 06:30", "2026-10-30 07:00")]


@pytest.mark.parametrize("machine", ["America/New_York", "Australia/Sydney", "UTC"])
def test_the_machines_own_timezone_changes_no_answer(machine, monkeypatch):
    # 06:30 London on 1 November is 01:30 in New York, in the hour its clocks repeat.
    expected = [parse_schedule(text).next_after(at(last), LONDON) for text, last in CASES]
    monkeypatch.setenv("TZ", machine)
    time.tzset()
    try:
        epoch = datetime.fromtimestamp(0, UTC)
        assert time.localtime(0).tm_gmtoff == ZoneInfo(machine).utcoffset(epoch).total_seconds()
        got = [parse_schedule(text).next_after(at(last), LONDON) for text, last in CASES]
    finally:
        monkeypatch.undo()
        time.tzset()
    assert got == expected


def test_asking_from_many_threads_at_once_gives_each_its_own_answer():
    daily, start = parse_schedule("every day at 09:00"), at("2026-11-02 08:00")
    lasts = [start + timedelta(days=n) for n in range(40)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda last: daily.next_after(last, LONDON), lasts))
    assert [wall(a) for a in answers] == [wall(last + timedelta(hours=1)) for last in lasts]


def test_loading_a_config_imports_neither_the_service_nor_a_scheduling_library():
    probe = ("import sys, jirasync.config; print(sorted(m for m in sys.modules"
             " if m.startswith(('jirasync.service', 'schedule'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("text,last,next_due", [
    # A run that started exactly on its time has had its run: the next is the next one.
    ("every monday at 08:30", "2026-11-02 08:30", "2026-11-09 08:30"),
    ("every weekday at 09:00", "2026-11-06 09:00", "2026-11-09 09:00"),
    ("every day at 09:00", "2026-11-02 09:00:00.000001", "2026-11-03 09:00"),
    ("every day at 09:00", "2026-11-02 08:59:59.999999", "2026-11-02 09:00"),
    ("every weekday at 09:00", "2026-11-07 12:00", "2026-11-09 09:00"),     # Saturday
    ("every sunday at 23:59", "2026-11-01 23:59:30", "2026-11-08 23:59"),
    # 29 March 2026 is a Sunday, the spring-forward night.
    ("every sunday at 01:30", "2026-03-28 09:00", "2026-03-29 02:30"),
    # 25 October 2026 is a Sunday, the night the clocks go back: the first 01:30.
    ("every sunday at 01:30", "2026-10-24 09:00", "2026-10-25 01:30"),
], ids=["monday-on-the-dot", "friday-on-the-dot", "just-after", "just-before",
        "weekday-from-saturday", "a-week-on", "weekly-skipped-time", "weekly-repeated-time"])
def test_next_due_at_the_edges(text, last, next_due):
    due = parse_schedule(text).next_after(at(last), LONDON)
    assert wall(due) == datetime.fromisoformat(next_due)
    assert due.tzinfo is UTC and type(due) is datetime


@pytest.mark.parametrize("start,walls", [
    # Spring: the night of the 29th has no 01:30; the run is at 02:30, once.
    ("2026-03-27 01:30", ["2026-03-28 01:30", "2026-03-29 02:30", "2026-03-30 01:30",
                          "2026-03-31 01:30"]),
    # Autumn: the night of the 25th has two 01:30s; the run is at the first, once.
    ("2026-10-23 01:30", ["2026-10-24 01:30", "2026-10-25 01:30", "2026-10-26 01:30",
                          "2026-10-27 01:30"]),
], ids=["spring-gap", "autumn-overlap"])
def test_every_day_at_0130_runs_once_a_night_over_a_daylight_saving_change(start, walls):
    """Each run asked from the one before: one run a night, none skipped, none doubled."""
    daily, last, runs = parse_schedule("every day at 01:30"), at(start), []
    for _ in walls:
        last = daily.next_after(last, LONDON)
        runs.append(last)
    assert [wall(r) for r in runs] == [datetime.fromisoformat(w) for w in walls]
    gaps = {b - a for a, b in pairwise(runs)}
    assert gaps <= {timedelta(hours=23), timedelta(hours=24), timedelta(hours=25)}
