"""One scheduled run of a job (``sync``, ``chase`` or ``publish``) as the service makes it: the config
and release files read again, the job started through ``jobs.start`` (lock, lease, journal)
with the service's stop, the finished run kept in Jira (``lastrun``), and one summary
line logged."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from jirasync.config import Config
from jirasync.confluence.connect import open_until
from jirasync.errors import InputError, JirasyncError
from jirasync.gateway.protocol import Jira
from jirasync.jobs import Job, JobResult, Run, leases, run_job, start
from jirasync.model import counted
from jirasync.notify.job import chase_then_tell
from jirasync.publish.run import publish_job
from jirasync.service import lastrun
from jirasync.service.timetable import parse_schedule
from jirasync.state import StateDir
from jirasync.stopping import Stop
from jirasync.sync import job as sync_job

LOG = logging.getLogger("jirasync.service")
# The jobs the service runs on their schedules, by name.
# Chase's run ends by telling the PMO's channel the day's news (logged, never failing it).
# Publish runs only when the config schedules it; its run opens Confluence here.
JOBS: dict[str, Job[Any]] = {"sync": sync_job.JOB,
                             "chase": chase_then_tell(say=LOG.info, warn=LOG.warning),
                             "publish": publish_job(open_until)}
Connect = Callable[[Config, Stop], Jira]    # (config, the stop its waits obey) -> gateway


def run_scheduled(job: str, loaded: Config | InputError, state: StateDir, *, now: datetime,
                  stop: Stop, connect: Connect,
                  journaled: Callable[[dict[str, Any]], None]) -> bool:
    """Run ``job`` on ``loaded`` (the config just read, or why it could not be: then the
    run fails with that sentence, journaled in ``state``); whether the run was ok.
    Raises what ``run_job`` raises."""
    entries: list[dict[str, Any]] = []

    def log(entry: dict[str, Any]) -> None:
        entries.append(entry)
        summary(entry)
        journaled(entry)

    if isinstance(loaded, InputError):
        run_job(job, state, _refuse(loaded), clock=lambda: now, stop=stop, journaled=log)
        return False

    def keep(run: Run, result: JobResult) -> None:
        schedule = loaded.schedule.get(job)
        if not stop() and schedule and lastrun.kept(parse_schedule(schedule)):
            # A run cut short leaves the job due: Jira keeps the one before.
            lastrun.remember(run.opened(), job, now, ok=not result.failed)

    start(JOBS[job], Run(config=loaded, state=state, now=now, stop=stop, progress=LOG.info),
          connect=lambda run: connect(run.config, stop), lease=leases(LOG.warning), then=keep,
          clock=lambda: now, journaled=log)
    return bool(entries[0]["ok"])


def _refuse(error: InputError) -> Callable[[], JobResult]:
    def work() -> JobResult:
        raise error
    return work


def summary(entry: Mapping[str, Any]) -> None:
    """The run's one log line: ok or not, how long, its counts, its Jira requests."""
    counts = ", ".join(counted(v, k) for k, v in (entry.get("counts") or {}).items() if v)
    stats = entry.get("requests") or {}
    requests = sum(v for k, v in stats.items() if k not in ("retries", "rate-limited"))
    outcome = "ok" if entry["ok"] else "interrupted" if entry.get("interrupted") else "failed"
    head = f"{entry['job']} {outcome} in {entry['seconds']} s"
    # A failure leads with its reason; what it did, if anything, follows.
    done = counts or ("nothing to do" if entry["ok"] else "nothing done")
    text = f"{head}: " + "; ".join(p for p in (entry.get("error"), done,
                                                f"{requests} Jira requests") if p)
    fields = {k: entry.get(k) for k in ("job", "ok", "counts", "error", "seconds")}
    level = logging.INFO if entry["ok"] else \
        logging.WARNING if entry.get("interrupted") else logging.ERROR
    LOG.log(level, text, extra={**fields, "requests": dict(stats)})


class Link:
    """One job's connection to Jira for one pass, made when first asked for: the read of
    the job's last run kept in Jira (is it due?) and the run itself share it, and its
    count of requests; a connection that failed fails the run with the same error,
    without a second try."""

    def __init__(self, connect: Connect):
        self._connect = connect
        self._gateway: Jira | None = None
        self._error: JirasyncError | None = None

    def __call__(self, config: Config, stop: Stop) -> Jira:
        if self._error is not None:
            raise self._error
        if self._gateway is None:
            try:
                self._gateway = self._connect(config, stop)
            except JirasyncError as e:
                self._error = e
                raise
        return self._gateway
