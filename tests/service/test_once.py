"""``jirasync run --once``: what cron, a systemd timer or a Kubernetes CronJob runs."""
from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta

import jirasync.commands.run as run_command
from jirasync.cli import main
from jirasync.service.daemon import Outside, Service
from jirasync.stopping import Stop
from tests.service.conftest import PROMPT_DAY, TOKENS, release_yaml


def test_once_syncs_chases_and_journals_both(site, once):
    s = site()
    code, err = once(s, PROMPT_DAY)
    assert code == 0, err
    sync_run, chase_run = s.journal()
    assert (sync_run["job"], sync_run["ok"], sync_run["counts"]["created"]) == ("sync", True, 5)
    assert (chase_run["job"], chase_run["ok"], chase_run["counts"]["prompt"]) == \
        ("chase", True, 2)
    assert sorted(s.comments().values()) == [1, 1]      # each action prompted once
    assert "sync ok in" in err and "5 created" in err and "chase ok in" in err


def test_a_second_run_within_the_interval_writes_nothing(site, once):
    s = site()
    once(s, PROMPT_DAY)
    s.sb.reset_log()
    code, _ = once(s, PROMPT_DAY + timedelta(minutes=10))
    assert code == 0
    assert s.sb.count(write=True) == 0 and s.sb.count() == 0     # not even a read
    assert len(s.journal()) == 2
    code, _ = once(s, PROMPT_DAY + timedelta(minutes=15))     # sync due again; chase not
    assert [r["job"] for r in s.journal()] == ["sync", "chase", "sync"]
    assert s.sb.count(write=True) == 0 and s.journal()[-1]["counts"]["created"] == 0


def test_nothing_due_is_silent_unless_verbose_which_says_when_each_job_is(site, once):
    s = site()
    once(s, PROMPT_DAY)
    code, err = once(s, PROMPT_DAY + timedelta(minutes=10))
    assert code == 0 and err == ""
    code, err = once(s, PROMPT_DAY + timedelta(minutes=10), "-v")
    assert code == 0 and "nothing due; next: chase at 2026-11-25 09:00, sync at " in err


def test_a_wrong_token_journals_a_failure_without_the_token(site, once):
    s = site()
    code, err = once(s, PROMPT_DAY, token="wrong-token-1234")
    assert code == 1
    runs = s.journal()
    assert [(r["job"], r["ok"]) for r in runs] == [("sync", False), ("chase", False)]
    for r in runs:
        assert r["error"] and "wrong-token-1234" not in json.dumps(r)
    assert "wrong-token-1234" not in err and "failed" in err
    assert s.sb.count(write=True) == 0


def test_a_broken_release_file_fails_sync_and_chase_still_runs(site, once):
    s = site()
    (s.root / "releases" / "5.0.yaml").write_text("id: [unclosed\n")
    code, _err = once(s, PROMPT_DAY)
    sync_run, chase_run = s.journal()
    assert code == 1
    assert not sync_run["ok"] and "5.0.yaml" in sync_run["error"]
    assert sync_run["counts"]["created"] == 5          # the readable release still synced
    assert chase_run["ok"]


def test_the_daemon_waits_for_the_interval_and_a_timer_may_tick_a_moment_early(site, once):
    """Every 15 minutes is every 15 for the daemon, not 14; a timer firing on the
    minute after a run that started late still finds the job due."""
    s = site()
    once(s, PROMPT_DAY)
    started = datetime.fromisoformat(s.journal()[0]["started"])
    for after, daemon, timer in ((timedelta(minutes=14, seconds=30), [], ["sync"]),
                                 (timedelta(minutes=15), ["sync"], ["sync"])):
        service = Service(s.config, Outside(lambda config, stop: None,
                                            # B023: called within this iteration
                                            lambda: started + after), Stop())  # noqa: B023
        assert service.due(started + after, grace=False) == daemon
        assert service.due(started + after) == timer
        if not daemon:
            assert 0 < service.idle_seconds() <= 30


def test_a_run_with_some_items_failed_waits_for_its_schedule(site, once):
    """A broken release file fails sync (the readable releases still synced): running
    again at once would fail it again, so sync waits for its next slot."""
    s = site()
    (s.root / "releases" / "5.0.yaml").write_text("id: [unclosed\n")
    assert once(s, PROMPT_DAY)[0] == 1
    assert not s.journal()[0]["ok"] and not s.journal()[0].get("aborted")
    once(s, PROMPT_DAY + timedelta(minutes=2))
    assert [r["job"] for r in s.journal()] == ["sync", "chase"]
    once(s, PROMPT_DAY + timedelta(minutes=15))
    assert [r["job"] for r in s.journal()] == ["sync", "chase", "sync"]


def test_a_config_broken_after_start_fails_the_due_runs_journaled(site, once):
    s = site()
    once(s, PROMPT_DAY)
    later = PROMPT_DAY + timedelta(minutes=20)
    service = Service(s.config, Outside(lambda config, stop: None, lambda: later), Stop())
    s.config.write_text(s.config.read_text().replace("project: DCR", "project: DCR\n  colour: red"))
    assert service.tick() == [False]                 # sync was due; its run failed
    last = s.journal()[-1]
    assert last["job"] == "sync" and not last["ok"] and "jira.colour" in last["error"]


def test_with_the_state_folder_lost_the_interval_job_runs_and_nothing_is_repeated(site,
                                                                                 once):
    """sync (every 15 minutes) runs again and writes nothing; chase (at a time of day)
    does not: Jira keeps when it last ran."""
    s = site()
    once(s, PROMPT_DAY)
    shutil.rmtree(s.root / "state")
    s.sb.reset_log()
    code, _ = once(s, PROMPT_DAY + timedelta(minutes=1))
    assert code == 0 and [r["job"] for r in s.journal()] == ["sync"]
    assert s.journal()[0]["counts"]["created"] == 0 and s.sb.count(write=True) == 0
    assert sorted(s.comments().values()) == [1, 1]


def test_a_job_left_out_of_the_schedule_does_not_run(site, once):
    s = site(schedule="  chase: every weekday at 09:00\n", release=release_yaml())
    _code, _ = once(s, PROMPT_DAY)
    assert [r["job"] for r in s.journal()] == ["chase"]


def test_json_lists_the_runs_on_stdout(site, monkeypatch, capsys):
    s = site()
    monkeypatch.setenv("JIRASYNC_SERVICE_TOKEN", TOKENS[s.sb.flavour])
    monkeypatch.setattr(run_command, "clock", lambda: PROMPT_DAY)
    code = main(["run", "--once", "--json", "--config", str(s.config)])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["ok"] is True
    assert [r["job"] for r in data["runs"]] == ["sync", "chase"] == \
        [r["job"] for r in s.journal()]


def test_a_failed_run_is_tried_again_after_a_backoff_not_at_its_next_slot(site, once):
    """A daily chase that met a Jira outage at 09:00 is tried again 30 s later (then 60 s,
    doubling, at most 30 minutes), not the next day; cron sees exit 1 until it is."""
    s = site()
    chases = lambda: [r for r in s.journal() if r["job"] == "chase"]
    code, _ = once(s, PROMPT_DAY, token="wrong-token-1234")
    assert code == 1
    failed = datetime.fromisoformat(chases()[-1]["finished"])
    code, _ = once(s, failed + timedelta(seconds=20))
    assert code == 0 and len(chases()) == 1                    # not yet: the backoff
    code, _ = once(s, failed + timedelta(seconds=31), token="wrong-token-1234")
    assert code == 1 and len(chases()) == 2                    # tried again, failed again
    again = datetime.fromisoformat(chases()[-1]["finished"])
    code, _ = once(s, again + timedelta(seconds=45))
    assert code == 0 and len(chases()) == 2                    # now 60 s
    code, _ = once(s, again + timedelta(seconds=61))
    assert code == 0 and chases()[-1]["ok"] and sorted(s.comments().values()) == [1, 1]
