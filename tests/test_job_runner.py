"""jobs.start, the one job runner: what the job reads comes before Jira is opened, the lease
is the job's and only for a real run, the journal holds the requests made and the job's
own details, and a dry run leaves no entry. (Every path runs sync and chase through it:
tests/sync, tests/chase, tests/service and tests/test_demo.py see the outcomes.)"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from jirasync.errors import InputError, JiraError, Problem
from jirasync.jobs import Job, Run, start
from jirasync.lease_types import NO_LEASE
from jirasync.state import StateDir

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Result:
    failed: bool = False

    def counts(self) -> dict[str, int]:
        return {"sent": 1}

    def failure(self) -> str:
        return "1 item failed"


@dataclass
class Jira:
    stats: dict[str, int] = field(default_factory=lambda: {"search": 2})


@dataclass
class Trace:
    """What happened, in order."""

    steps: list[str] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)

    def job(self, *, broken: bool = False) -> Job[Result]:
        def prepare(run: Run) -> Run:
            self.steps.append("prepare")
            if broken:
                raise InputError([Problem("releases/4.2.yaml", 3, "live_date", "not a date")])
            return replace(run, options="read")

        def work(run: Run) -> Result:
            self.steps.append("work")
            self.runs.append(run)
            return Result()
        return Job("chase", work, prepare=prepare, details=lambda run: {"as_of": "then"})

    def connect(self, run: Run) -> Any:
        self.steps.append(f"connect ({run.options})")
        return Jira()

    def lease(self, jira: Any, job: str) -> Any:
        self.steps.append(f"lease {job}")
        return f"the {job} lease"


def a_run(tmp_path, **kw: Any) -> Run:
    return Run(config=None, state=StateDir(tmp_path), now=NOW, **kw)  # type: ignore[arg-type]


def test_a_run_reads_first_then_opens_jira_takes_the_lease_and_is_journaled(tmp_path):
    trace = Trace()
    kept = []
    result = start(trace.job(), a_run(tmp_path), connect=trace.connect, lease=trace.lease,
                   then=lambda run, result: kept.append(result), clock=lambda: NOW)
    assert result == Result() and kept == [result]
    assert trace.steps == ["prepare", "connect (read)", "lease chase", "work"]
    (run,) = trace.runs
    assert run.lease == "the chase lease" and run.opened().stats == {"search": 2}
    (entry,) = StateDir(tmp_path).runs()
    assert entry["job"] == "chase" and entry["ok"] is True and entry["counts"] == {"sent": 1}
    assert entry["requests"] == {"search": 2} and entry["as_of"] == "then"


def test_a_dry_run_takes_no_lease_and_leaves_no_entry(tmp_path):
    trace = Trace()
    start(trace.job(), a_run(tmp_path, dry_run=True), connect=trace.connect,
          lease=trace.lease, journal=False)
    assert trace.steps == ["prepare", "connect (read)", "work"]
    assert trace.runs[0].lease is NO_LEASE
    assert StateDir(tmp_path).runs() == []


def test_a_broken_file_fails_the_run_before_jira_is_opened(tmp_path):
    trace = Trace()
    with pytest.raises(InputError):
        start(trace.job(broken=True), a_run(tmp_path), connect=trace.connect,
              lease=trace.lease)
    assert trace.steps == ["prepare"]
    (entry,) = StateDir(tmp_path).runs()
    assert entry["ok"] is False and "live_date" in entry["error"] and "requests" not in entry


def test_jira_that_cannot_be_opened_fails_the_run_journaled(tmp_path):
    trace = Trace()

    def refused(run: Run) -> Any:
        raise JiraError("Jira answered 503 Service Unavailable to serverInfo")
    with pytest.raises(JiraError):
        start(trace.job(), a_run(tmp_path), connect=refused, lease=trace.lease)
    (entry,) = StateDir(tmp_path).runs()
    assert entry["ok"] is False and entry["aborted"] is True and "503" in entry["error"]
    assert trace.steps == ["prepare"]


def test_a_job_run_without_jira_opened_says_so(tmp_path):
    with pytest.raises(RuntimeError, match="before start"):
        a_run(tmp_path).opened()
