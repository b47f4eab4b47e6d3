"""The ``schedule`` keys: what is accepted, when a job is due, daylight saving included."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jirasync.cli import main
from jirasync.service.timetable import parse_schedule
from tests.helpers import CONFIG, write_programme

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize("text,last,next_due", [
    ("every 15 minutes", "2026-11-02 09:00", "2026-11-02 09:14"),   # a minute's grace
    ("every 2 hours", "2026-11-02 09:00", "2026-11-02 10:59"),
    ("every 30 seconds", "2026-11-02 09:00", "2026-11-02 09:00:27"),    # a tenth's grace
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
