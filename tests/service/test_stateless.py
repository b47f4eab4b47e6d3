"""The schedule holds on a runner with no disk of its own (README "8. Run it as a
service"): a Kubernetes CronJob's fresh state folder, a restarted container, a lost
state folder. Each job's last run is kept in Jira beside its lease, so "every weekday at
09:00" stays that, not "every pass of the CronJob"."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from jirasync.service.daemon import Outside, Service
from jirasync.stopping import Stop
from tests.service.conftest import PROMPT_DAY

FRIDAY = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)      # Europe/London is UTC in November


def fresh_state(s, name: str) -> None:
    """Point the config at a new, empty state folder (a CronJob's emptyDir)."""
    text = s.config.read_text()
    start = text.index("state_dir: ")
    end = text.index("\n", start)
    s.config.write_text(text[:start] + f"state_dir: {name}" + text[end:])


def journal(s, name: str) -> list[dict]:
    path = s.root / name / "runs.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] \
        if path.exists() else []


def test_twice_in_an_hour_from_two_empty_state_folders_chases_once(site, once):
    s = site()
    fresh_state(s, "pass-1")
    code, _ = once(s, PROMPT_DAY)
    assert code == 0 and [r["job"] for r in journal(s, "pass-1")] == ["sync", "chase"]
    fresh_state(s, "pass-2")
    code, err = once(s, PROMPT_DAY + timedelta(minutes=40), "-v")
    assert code == 0
    assert [r["job"] for r in journal(s, "pass-2")] == ["sync"]   # sync's 15 minutes passed
    assert "chase is not due: it last ran at 2026-11-24T09:00:00+00:00 (kept in Jira); " \
        "next at 2026-11-25 09:00" in err
    assert sorted(s.comments().values()) == [1, 1]


def test_a_weekday_only_chase_does_not_run_on_a_saturday(site, once):
    s = site(schedule="  chase: every weekday at 09:00\n")
    ran = []
    passes = [FRIDAY, FRIDAY + timedelta(minutes=5), FRIDAY + timedelta(hours=8),
              *(FRIDAY + timedelta(days=1, hours=h, minutes=m)       # Saturday, every pass
                for h in (-9, 0, 3, 8) for m in (0, 5)),
              FRIDAY + timedelta(days=2, hours=1),                   # Sunday 10:00
              FRIDAY + timedelta(days=3), FRIDAY + timedelta(days=3, minutes=5)]   # Monday
    for n, when in enumerate(passes):
        fresh_state(s, f"pass-{n}")
        code, err = once(s, when)
        assert code == 0, err
        ran += [when.strftime("%a %H:%M") for r in journal(s, f"pass-{n}")]
    assert ran == ["Fri 09:00", "Mon 09:00"]


def test_a_restarted_daemon_with_no_state_waits_for_the_schedule_and_is_healthy(site, once):
    s = site()
    fresh_state(s, "before")
    once(s, PROMPT_DAY)
    fresh_state(s, "after")
    later = PROMPT_DAY + timedelta(minutes=5)
    service = Service(s.config, Outside(lambda config, stop: _connect(config), lambda: later),
                      Stop())
    # sync, every 15 minutes, runs again (writing nothing); chase waits for its time.
    assert service.tick() == [True] and [r["job"] for r in journal(s, "after")] == ["sync"]
    assert journal(s, "after")[0]["counts"]["created"] == 0
    verdict = service.health()
    assert verdict.ok, verdict.to_json()
    assert verdict.jobs["chase"]["last_started"] == PROMPT_DAY.isoformat()


def test_the_run_kept_in_jira_is_the_last_finished_one(site, once):
    s = site()
    once(s, PROMPT_DAY)
    kept = s.sb.project_properties()
    assert kept["jirasync.lastrun.chase"]["started"] == PROMPT_DAY.isoformat()
    assert kept["jirasync.lastrun.chase"]["ok"] is True
    # A run an error aborted (a wrong token) leaves the record as it was: still due.
    fresh_state(s, "later")
    code, _ = once(s, PROMPT_DAY + timedelta(days=1), token="wrong-token-1234")
    assert code == 1
    assert s.sb.project_properties()["jirasync.lastrun.chase"] == kept["jirasync.lastrun.chase"]


@pytest.mark.parametrize("edit", ["future", "garbled"])
def test_a_record_from_a_wrong_clock_or_a_hand_edit_does_not_stop_the_job(site, once, edit):
    s = site(schedule="  chase: every day at 09:00\n")
    value = {"job": "chase", "started": (PROMPT_DAY + timedelta(days=30)).isoformat(),
             "ok": True} if edit == "future" else {"job": "chase", "started": "yesterday"}
    s.sb.set_project_property("jirasync.lastrun.chase", value)
    code, _ = once(s, PROMPT_DAY)
    assert code == 0 and [r["job"] for r in s.journal()] == ["chase"]
    assert s.sb.project_properties()["jirasync.lastrun.chase"]["started"] == \
        PROMPT_DAY.isoformat()


def test_a_bot_that_may_not_write_project_properties_still_runs_and_says_why(site, once):
    s = site(schedule="  chase: every day at 09:00\n")
    s.sb.bot_administers(False)
    code, err = once(s, PROMPT_DAY)
    assert code == 0 and s.journal()[-1]["ok"]
    assert "may not write project properties" in err
    assert "jirasync.lastrun.chase" not in s.sb.project_properties()


def test_a_journal_newer_than_jira_needs_no_read(site, once):
    """The journal is the first word: a job it says is not due costs no request."""
    s = site()
    once(s, PROMPT_DAY)
    s.sb.reset_log()
    code, _ = once(s, PROMPT_DAY + timedelta(minutes=5))
    assert code == 0 and s.sb.count() == 0


def _connect(config):
    from jirasync.commands.base import open_jira
    return open_jira(config)
