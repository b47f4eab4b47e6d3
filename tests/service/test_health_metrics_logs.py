"""/healthz's rule, /metrics' names and the logs' masking, on journal entries."""
from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from jirasync.service import logs
from jirasync.service.health import health
from jirasync.service.metrics import Metrics
from jirasync.service.runs import summary
from jirasync.service.timetable import parse_schedule

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
SCHEDULES = {"sync": parse_schedule("every 15 minutes"),
             "chase": parse_schedule("every day at 09:00")}


def run(job: str, minutes_ago: float, ok: bool = True, **more) -> dict:
    started = NOW - timedelta(minutes=minutes_ago)
    return {"job": job, "started": started.isoformat(), "finished": started.isoformat(),
            "seconds": 1.5, "ok": ok, "counts": {}, "error": None if ok else "Jira said no",
            **more}


@pytest.mark.parametrize("runs,healthy,why", [
    ({"sync": run("sync", 5), "chase": run("chase", 180)}, True, None),
    ({"sync": run("sync", 5)}, False, ("chase", "has not run yet")),
    ({"sync": run("sync", 5, ok=False), "chase": run("chase", 180)}, False,
     ("sync", "last run failed: Jira said no")),
    ({"sync": run("sync", 31), "chase": run("chase", 180)}, False,
     ("sync", "older than twice its interval")),
    ({"sync": run("sync", 29), "chase": run("chase", 47 * 60)}, True, None),
], ids=["all-fresh-and-ok", "never-ran", "last-failed", "stale", "just-in-time"])
def test_health(runs, healthy, why):
    verdict = health(SCHEDULES, runs, NOW)
    assert verdict.ok is healthy
    if why:
        job, reason = why
        assert reason in verdict.to_json()["jobs"][job]["reason"]


def test_metrics_follow_the_journal():
    m = Metrics()
    m.observe(run("sync", 1, counts={"created": 5, "updated": 2},
                  requests={"search": 3, "bulk-create": 1, "retries": 2, "rate-limited": 2}))
    m.observe(run("chase", 1, ok=False, counts={"prompt": 4, "escalation": 1},
                  requests={"edit": 5}))
    text = m.render().decode()
    for line in ['jirasync_job_runs_total{job="sync"} 1.0',
                 'jirasync_job_failures_total{job="chase"} 1.0',
                 'jirasync_job_failures_total{job="sync"} 0.0',
                 'jirasync_issues_total{action="created"} 5.0',
                 'jirasync_issues_total{action="updated"} 2.0',
                 'jirasync_prompts_sent_total{kind="prompt"} 4.0',
                 "jirasync_escalations_sent_total 1.0",
                 "jirasync_jira_requests_total 9.0", "jirasync_jira_retries_total 2.0",
                 "jirasync_jira_rate_limited_total 2.0",
                 'jirasync_job_last_duration_seconds{job="sync"} 1.5']:
        assert line in text, line
    assert 'jirasync_job_last_success_timestamp_seconds{job="sync"}' in text
    assert 'jirasync_job_last_success_timestamp_seconds{job="chase"}' not in text


def test_metrics_recall_the_last_success_from_the_journal_after_a_restart():
    metrics = Metrics()
    metrics.recall([
        {"job": "sync", "ok": True, "started": "2026-11-29T09:00:00+00:00", "seconds": 1.5},
        {"job": "chase", "ok": False, "started": "2026-11-29T09:01:00+00:00", "seconds": 0.2},
    ])
    text = metrics.render().decode()
    value = {line.split()[0]: float(line.split()[1]) for line in text.splitlines()
             if line.startswith("jirasync_job_last_success")}
    assert value == {'jirasync_job_last_success_timestamp_seconds{job="sync"}':
                     datetime(2026, 11, 29, 9, 0, tzinfo=UTC).timestamp()}
    assert 'jirasync_job_last_duration_seconds{job="chase"} 0.2' in text
    assert 'jirasync_job_last_success_timestamp_seconds{job="chase"}' not in text
    assert 'jirasync_job_runs_total{job="sync"} 0.0' in text


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_logs_are_one_line_per_event_and_never_show_a_secret(fmt):
    out = io.StringIO()
    with logs.to_stderr(fmt, stream=out) as redact:
        redact.add("s3cret-token-value")
        log = logging.getLogger("jirasync.service")
        log.info("sync ok\nin two lines", extra={"job": "sync", "ok": True})
        log.error("sent Authorization: Basic cG1vOnMzY3JldA== and token s3cret-token-value",
                  extra={"error": "s3cret-token-value rejected"})
        log.warning("headers {'Cookie': 'JSESSIONID=abc123', 'x': 1} bearer abcdefghijkl")
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    text = out.getvalue()
    for secret in ("s3cret-token-value", "cG1vOnMzY3JldA==", "JSESSIONID", "abcdefghijkl"):
        assert secret not in text
    if fmt == "json":
        first = json.loads(lines[0])
        assert first["job"] == "sync" and first["level"] == "info"
        assert json.loads(lines[1])["error"] == "[redacted] rejected"


@pytest.mark.parametrize("entry,line", [
    ({"job": "sync", "ok": True, "seconds": 1.2, "counts": {"created": 5, "updated": 0},
      "requests": {"search": 2, "bulk-create": 1, "retries": 1}},
     "INFO sync ok in 1.2 s: 5 created; 3 Jira requests"),
    ({"job": "chase", "ok": True, "seconds": 0.4, "counts": {"prompt": 0}, "requests": {}},
     "INFO chase ok in 0.4 s: nothing to do; 0 Jira requests"),
    ({"job": "chase", "ok": True, "seconds": 2.3, "requests": {"edit": 24},
      "counts": {"prompt": 8, "escalation": 1, "failed": 2}},
     "INFO chase ok in 2.3 s: 8 prompts, 1 escalation, 2 failed; 24 Jira requests"),
    ({"job": "sync", "ok": False, "seconds": 0.0, "counts": {}, "requests": {},
      "error": "Jira answered 500 Internal Server Error to the serverInfo request"},
     ("ERROR sync failed in 0.0 s: Jira answered 500 Internal Server Error to the serverInfo "
     "request; nothing done; 0 Jira requests")),
    ({"job": "sync", "ok": False, "seconds": 2.5, "counts": {"created": 7},
      "requests": {"bulk-create": 1}, "interrupted": True,
      "error": "interrupted (stopped by SIGTERM); what was not done is left for the next run"},
     ("WARNING sync interrupted in 2.5 s: interrupted (stopped by SIGTERM); what was not done "
     "is left for the next run; 7 created; 1 Jira requests")),
], ids=["ok", "nothing-due", "chase", "failed", "interrupted"])
def test_a_run_is_one_summary_line_a_failure_leading_with_its_reason(entry, line):
    out = io.StringIO()
    with logs.to_stderr("text", stream=out):
        summary(entry)
    assert out.getvalue().rstrip("\n").endswith(line)


def test_the_journal_is_cut_to_its_last_runs_once_past_its_bound(tmp_path, monkeypatch):
    from jirasync import state as state_module
    from jirasync.state import StateDir
    monkeypatch.setattr(state_module, "JOURNAL_TRIM_BYTES", 20_000)
    monkeypatch.setattr(state_module, "JOURNAL_KEEP", 50)
    journal = StateDir(tmp_path)
    for n in range(400):
        journal.record_run(run("sync", 400 - n, counts={"n": n}))
    lines = (tmp_path / "runs.jsonl").read_text().splitlines()
    assert 50 <= len(lines) < 400 and (tmp_path / "runs.jsonl").stat().st_size <= 20_000 + 300
    assert json.loads(lines[-1])["counts"] == {"n": 399}        # the newest kept, in order
    assert journal.last_runs()["sync"]["counts"] == {"n": 399}
