"""When the service finds a job due, from odd journals and clocks (no Jira needed): a
lock held by another process, a weekly job among many runs of another, a clock that was
wrong, a hand-edited journal, a backoff after an aborted run."""
from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime, timedelta

import pytest

from jirasync.service.daemon import Outside, Service
from jirasync.state import StateDir
from jirasync.stopping import Stop
from tests.helpers import write_programme

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)     # a Wednesday


def programme(tmp_path, schedule: str):
    cfg = ("jira:\n  url: https://x.atlassian.net\n  auth:\n    email: a@b.org\n"
           "    token_env: T\n  project: DCR\ntimezone: Europe/London\nstate_dir: state\n"
           "review: {rule: FREQ=MONTHLY;BYDAY=1TU, time: '10:00', prompt_days_before: 7}\n"
           "people: {release_manager: j@e.org, pmo_lead: p@e.org}\n"
           f"schedule:\n{schedule}")
    return write_programme(tmp_path, config=cfg)


def entry(job, started, **more):
    return {"job": job, "started": started.isoformat(),
            "finished": (started + timedelta(seconds=5)).isoformat(), "seconds": 5.0,
            "ok": True, "counts": {"created": 0, "updated": 0, "unchanged": 35},
            "error": None, "requests": {"retries": 0, "search": 3, "meta": 2}, **more}


def test_daemon_does_not_spin_while_another_process_holds_the_jobs_lock(tmp_path):
    """A manual `jirasync sync` holds sync.lock; the daemon's sync is due. Its run is
    skipped (LockedError) and nothing is journaled, so the job stays due and
    idle_seconds() is 0: serve() loops with no wait, logging a warning each pass."""
    config = programme(tmp_path, "  sync: every 15 minutes\n")
    state = tmp_path / "state"
    StateDir(state).record_run(entry("sync", NOW - timedelta(minutes=20)))
    fd = os.open(state / "sync.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)          # the other process's run
    service = Service(config, Outside(lambda c, s: None, lambda: NOW), Stop())
    assert service.tick(grace=False) == [True]          # skipped
    assert service.idle_seconds() > 0                   # not a busy loop


def test_a_weekly_chase_runs_once_a_week_however_often_sync_runs(tmp_path, monkeypatch):
    """sync every 5 minutes, chase every Monday 09:00, driven as the daemon drives them
    for two weeks. The journal is cut to its last runs once past its bound; each job's
    latest run is kept, so Monday's chase is not taken for never run mid-week."""
    # The journal's bound made small, so that it is cut many times within the fortnight.
    monkeypatch.setattr("jirasync.state.JOURNAL_KEEP", 100)
    monkeypatch.setattr("jirasync.state.JOURNAL_TRIM_BYTES", 60_000)
    config = programme(tmp_path, "  sync: every 5 minutes\n  chase: every monday at 09:00\n")
    state = StateDir(tmp_path / "state")
    counts = {k: 0 for k in ("created", "updated", "unchanged", "kept", "conflict",
                             "orphaned", "duplicate", "warning", "tagged", "failed")}
    t = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)        # a Monday
    service = Service(config, Outside(lambda c, s: None, lambda: t), Stop())
    chased = []
    for _ in range(2 * 7 * 288):
        for job in service.due(t, grace=False):
            state.record_run(entry(job, t, counts=counts))
            if job == "chase":
                chased.append(t)
        t += timedelta(minutes=5)
    assert [f"{c:%a %d %H:%M}" for c in chased] == ["Mon 16 09:00", "Mon 23 09:00"]


def test_a_run_journaled_while_the_host_clock_was_a_year_ahead_does_not_stop_the_job(
        tmp_path):
    """One run started with the clock wrong (a VM booting before NTP): the next 15-minute
    sync is a year away, and nothing says so."""
    config = programme(tmp_path, "  sync: every 15 minutes\n")
    StateDir(tmp_path / "state").record_run(entry("sync", NOW + timedelta(days=365)))
    service = Service(config, Outside(lambda c, s: None, lambda: NOW), Stop())
    assert service.due(NOW + timedelta(hours=1), grace=False) == ["sync"]


@pytest.mark.parametrize("started", ["2026-11-25T11:00:00", "yesterday", 12345])
def test_an_odd_journal_entry_does_not_crash_the_daemon(tmp_path, started):
    config = programme(tmp_path, "  sync: every 15 minutes\n  chase: every day at 09:00\n")
    state = tmp_path / "state"
    state.mkdir()
    (state / "runs.jsonl").write_text(json.dumps({"job": "chase", "started": started,
                                                  "ok": False, "aborted": True}) + "\n")
    service = Service(config, Outside(lambda c, s: None, lambda: NOW), Stop())
    assert service.due(NOW) == ["sync", "chase"]      # as if never run: safe


def test_run_once_grace_does_not_eat_the_backoff(tmp_path):
    """An aborted 15-minute sync: backoff 30 s. run --once subtracts the interval's grace
    (60 s) from the backoff's time too, so the retry is due at once, 5 s after failing."""
    config = programme(tmp_path, "  sync: every 15 minutes\n")
    failed = NOW
    StateDir(tmp_path / "state").record_run(entry("sync", failed - timedelta(seconds=5),
                                                  ok=False, aborted=True))
    service = Service(config, Outside(lambda c, s: None, lambda: NOW), Stop())
    assert service.due(failed + timedelta(seconds=5)) == []
    assert service.due(failed + timedelta(seconds=31)) == ["sync"]
