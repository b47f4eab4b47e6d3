"""One scheduled run of a job (``sync`` or ``chase``) as the service makes it: the config
and release files read again, the job run through ``run_job`` (lock, timing, journal)
with the service's stop, the finished run kept in Jira (``lastrun``), and one summary
line logged."""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from jirasync.chase.job import chase
from jirasync.chase.messages import Texts
from jirasync.config import Config
from jirasync.errors import InputError, JirasyncError
from jirasync.jobs import JobResult, run_job
from jirasync.lease import JiraLease
from jirasync.model import counted
from jirasync.service import lastrun
from jirasync.service.timetable import parse_schedule
from jirasync.state import StateDir
from jirasync.stopping import Stop
from jirasync.sync.job import read_programme, sync

LOG = logging.getLogger("jirasync.service")
JOBS = ("sync", "chase", "publish")    # publish only when the config schedules it
Connect = Callable[[Config, Stop], Any]     # (config, the stop its waits obey) -> gateway


def run_scheduled(job: str, loaded: Config | InputError, state: StateDir, *, now: datetime,
                  stop: Stop, connect: Connect,
                  journaled: Callable[[dict[str, Any]], None]) -> bool:
    """Run ``job`` on ``loaded`` (the config just read, or why it could not be: then the
    run fails with that sentence, journaled in ``state``); whether the run was ok.
    Raises what ``run_job`` raises."""
    gateway: list[Any] = []
    entries: list[dict[str, Any]] = []

    def work():
        if isinstance(loaded, InputError):
            raise loaded
        if job == "sync":
            programme = read_programme(loaded)      # a broken file fails this run
        gateway.append(connect(loaded, stop))
        result: JobResult
        if job == "publish":
            result = publish_scheduled(loaded, gateway[0], state=state, now=now, stop=stop,
                                       wiki=wiki, lease=lease(gateway[0], job))
        elif job == "sync":
            result = sync(loaded, gateway[0], state=state, now=now, progress=LOG.info,
                          programme=programme, stop=stop, lease=lease(gateway[0], job))
        else:
            texts = Texts(loaded.templates_dir, loaded.jira.url)
            result = chase(loaded, gateway[0], state=state, now=now, texts=texts,
                           progress=LOG.info, stop=stop, lease=lease(gateway[0], job))
        schedule = loaded.schedule.get(job)
        if not stop() and schedule and lastrun.kept(parse_schedule(schedule)):
            # A run cut short leaves the job due: Jira keeps the one before.
            lastrun.remember(gateway[0], job, now, ok=not result.failed)
        return result

    wiki: list[Any] = []

    def details() -> dict[str, Any]:
        out = {"requests": dict(gateway[0].stats)} if gateway else {}
        if wiki:
            out["confluence_requests"] = dict(wiki[0].stats)
        return out

    def log(entry: dict[str, Any]) -> None:
        entries.append(entry)
        summary(entry)
        journaled(entry)
    run_job(job, state, work, details=details, clock=lambda: now, stop=stop, journaled=log)
    return bool(entries[0]["ok"])


def publish_scheduled(config: Config, jira: Any, *, state: StateDir, now: datetime,
                      stop: Stop, wiki: list[Any], lease: JiraLease) -> JobResult:
    """Every release's page and the programme's, as of the day in the config's zone."""
    from zoneinfo import ZoneInfo

    from jirasync.commands.publish import open_wiki
    from jirasync.publish.run import publish_programme
    wiki.append(open_wiki(config, sleep=stop.sleep, clock=stop.clock))
    return publish_programme(config, jira, wiki[0], release=None,
                             today=now.astimezone(ZoneInfo(config.timezone)).date(),
                             state=state, lease=lease, progress=LOG.info)


def lease(jira: Any, job: str) -> JiraLease:
    """The lease in Jira that keeps other hosts' runs of ``job`` apart (SPEC §5)."""
    return JiraLease(jira, job, warn=LOG.warning)


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
        self._gateway: Any = None
        self._error: JirasyncError | None = None

    def __call__(self, config: Config, stop: Stop) -> Any:
        if self._error is not None:
            raise self._error
        if self._gateway is None:
            try:
                self._gateway = self._connect(config, stop)
            except JirasyncError as e:
                self._error = e
                raise
        return self._gateway
