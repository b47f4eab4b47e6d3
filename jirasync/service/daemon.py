"""The service: which jobs are due, running them one after the other, and the loop of
``jirasync run`` (``run --once`` is one pass of it).

Each pass reads the config again (a change lands without a restart; a config that
became broken fails the due jobs' runs, judged by the last config that could be read).
Jobs never overlap: they run one at a time here, and under their lock against any other
process. A job that failed because Jira could not be reached waits a growing backoff on
top of its schedule, so a Jira outage is not met with a tight loop.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jirasync.config import Config, load_config
from jirasync.errors import InputError, JiraError, JirasyncError, LockedError, StateError
from jirasync.service import lastrun
from jirasync.service.health import Health, health
from jirasync.service.runs import JOBS, Connect, Link, run_scheduled
from jirasync.service.timetable import Schedule, parse_schedule
from jirasync.state import StateDir
from jirasync.stopping import Stop

LOG = logging.getLogger("jirasync.service")
BACKOFF = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=30)
IDLE_MAX_S = 30.0        # look at the config again at least this often


def backoff(failures: int) -> timedelta:
    """How long to wait after ``failures`` failed runs in a row."""
    factor: int = 2 ** (max(failures, 1) - 1)    # int ** int is typed Any
    return min(BACKOFF * factor, BACKOFF_CAP)


ZERO = timedelta(0)


def _instant(text: Any) -> datetime | None:
    """A journal time, or None for one that is missing or not an aware ISO time (a hand
    edit): such a run counts as never run, which is safe (runs are exactly once)."""
    try:
        when = datetime.fromisoformat(str(text)) if text is not None else None
    except ValueError:
        return None
    return when if when is not None and when.tzinfo is not None else None


def _aborted_in_a_row(runs: list[dict[str, Any]]) -> int:
    n = 0
    for run in reversed(runs):
        if not run.get("aborted"):
            break
        n += 1
    return n


@dataclass(frozen=True)
class Outside:
    """What the service takes from the world: built by the command, faked by tests."""

    connect: Connect
    clock: Callable[[], datetime]
    journaled: Callable[[dict[str, Any]], None] = lambda entry: None


class Service:
    def __init__(self, config_path: Path, outside: Outside, stop: Stop):
        self.path, self.outside, self.stop = config_path, outside, stop
        self.config: Config = load_config(config_path)     # broken at start: exit 2
        self._broken = ""
        self._not_before: dict[str, datetime] = {}
        self._kept: dict[str, dict[str, Any]] = {}    # each job's last run as Jira keeps it
        self._links: dict[str, Link] = {}             # this pass's connections, per job

    @property
    def state(self) -> StateDir:
        return StateDir(self.config.state_dir)

    def schedules(self) -> dict[str, Schedule]:
        """The jobs the config schedules, in the order they run (sync before chase)."""
        return {job: parse_schedule(self.config.schedule[job])
                for job in JOBS if job in self.config.schedule}

    def reload(self) -> Config | InputError:
        try:
            self.config = load_config(self.path)
        except InputError as e:
            if str(e) != self._broken:
                LOG.error("config cannot be read; due jobs fail until it is fixed: %s",
                          "; ".join(str(p) for p in e.problems), extra={"error": str(e)})
            self._broken = str(e)
            return e
        self._broken = ""
        return self.config

    def due(self, now: datetime, *, grace: bool = True) -> list[str]:
        """The jobs due at ``now``; with ``grace``, also those whose schedule falls due a
        moment later (a timer's tick after a run that started late: ``run --once``). A job
        the journal says is due is asked of Jira too (``lastrun``): another runner, or
        this one before its state folder was lost, may have run it since."""
        due = [job for job, when in self._next(now, grace=grace).items() if when <= now]
        if due and self._recall([job for job in due if lastrun.kept(self.schedules()[job])]):
            nexts = self._next(now, grace=grace)
            zone = ZoneInfo(self.config.timezone)
            for job in (job for job in due if nexts[job] > now):
                LOG.debug("%s is not due: it last ran at %s (kept in Jira); next at %s",
                          job, self._kept[job]["started"],
                          f"{nexts[job].astimezone(zone):%Y-%m-%d %H:%M}", extra={"job": job})
            due = [job for job in due if nexts[job] <= now]
        return due

    def _recall(self, jobs: list[str]) -> bool:
        """Read each job's last run kept in Jira; whether any was new to us. A config that
        cannot be read, or a Jira that cannot be reached, leaves the journal to decide:
        the run then fails with that error, journaled."""
        if self._broken:
            return False
        news = False
        for job in jobs:
            try:
                jira = self._link(job)(self.config, self.stop)
            except JirasyncError:
                continue
            kept = lastrun.recall(jira, job) if jira is not None else None
            if kept is not None and kept != self._kept.get(job):
                self._kept[job], news = kept, True
        return news

    def _link(self, job: str) -> Link:
        return self._links.setdefault(job, Link(self.outside.connect))

    def _runs(self, job: str, runs: list[Any], now: datetime) -> list[Any]:
        """The job's journaled runs with its last run kept in Jira among them."""
        mine = [r for r in runs if isinstance(r, dict) and r.get("job") == job]
        return lastrun.merged(mine, self._kept.get(job), now)

    def _next(self, now: datetime, *, grace: bool = False) -> dict[str, datetime]:
        """When each scheduled job is next due: ``now`` if it never ran, if its last run
        was interrupted (it left work for the next run), or if the journal says it
        started later than now (a host clock that was wrong: waiting for that date
        would stop the job); after a run an error aborted (Jira unreachable, another
        host's lease, a broken config), once a backoff has passed (30 s, doubling with
        each such run in a row, at most 30 min), unless its schedule comes sooner: a
        daily chase that met a Jira outage is tried again within the hour, not the next
        day. A run that finished with some items failed waits for its schedule: running
        again at once would fail them again. ``grace`` applies to the schedule alone."""
        runs = self.state.runs(last=None)
        zone = ZoneInfo(self.config.timezone)
        out = {}
        for job, schedule in self.schedules().items():
            mine = self._runs(job, runs, now)
            run = mine[-1] if mine else {}
            started = None if run.get("interrupted") else _instant(run.get("started"))
            when = now if started is None or started > now else \
                schedule.next_after(started, zone) - (schedule.grace if grace else ZERO)
            if started is not None and run.get("aborted"):
                failed = _instant(run.get("finished")) or started
                when = min(when, failed + backoff(_aborted_in_a_row(mine)))
            out[job] = max(when, self._not_before.get(job, when))
        return out

    def tick(self, *, grace: bool = True) -> list[bool]:
        """Read the config again and run each job that is due; whether each run was ok.
        The daemon asks without ``grace``: it wakes for the time due itself."""
        loaded = self.reload()
        self._links = {}            # a new pass connects anew, with the config just read
        results = []
        for job in self.due(self.outside.clock(), grace=grace):
            if self.stop():
                break
            results.append(self.run(job, loaded))
        return results

    def once(self) -> list[bool]:
        """``run --once``: the due jobs' runs (each ok or not); when none is due, says
        when each is (with ``-v``: cron mails whatever a job prints)."""
        results = self.tick()
        if not results and not self.stop():
            zone = ZoneInfo(self.config.timezone)
            LOG.debug("nothing due; next: %s", ", ".join(
                f"{job} at {when.astimezone(zone):%Y-%m-%d %H:%M}"
                for job, when in sorted(self._next(self.outside.clock()).items()))
                or "no job scheduled")
        return results

    def run(self, job: str, loaded: Config | InputError) -> bool:
        now = self.outside.clock()
        try:
            ok = run_scheduled(job, loaded, self.state, now=now, stop=self.stop,
                               connect=self._link(job), journaled=self.outside.journaled)
        except LockedError as e:
            # Another process runs the job (a sync by hand): look again after a backoff,
            # not at once (nothing was journaled, so the job is still due).
            LOG.warning("%s skipped: %s", job, e, extra={"job": job})
            self._not_before[job] = now + BACKOFF
            return True
        except JiraError:
            when = self._next(now).get(job)      # the journal's backoff decides
            if when is not None:
                LOG.warning("%s: Jira failed; next try in %d s at the earliest", job,
                            max(0.0, (when - now).total_seconds()), extra={"job": job})
            return False
        except StateError as e:
            # Not journaled (the journal is in that folder): said here, tried again later.
            LOG.error("%s cannot run: %s", job, e, extra={"job": job, "error": str(e)})
            self._not_before[job] = now + BACKOFF
            return False
        except JirasyncError:
            return False            # journaled and logged with its sentence
        except Exception as e:  # noqa: BLE001 - a bug in one run must not stop the service
            LOG.error("%s failed unexpectedly: %s: %s", job, type(e).__name__, e,
                      extra={"job": job})
            self._not_before[job] = now + BACKOFF     # it may have failed before journaling
            return False
        self._not_before.pop(job, None)
        return ok

    def idle_seconds(self) -> float:
        """How long to wait before the next pass."""
        now = self.outside.clock()
        soonest = min(self._next(now).values(), default=now + timedelta(seconds=IDLE_MAX_S))
        return max(0.0, min(IDLE_MAX_S, (soonest - now).total_seconds()))

    def health(self) -> Health:
        now = self.outside.clock()
        runs = self.state.runs(last=None)
        last = {job: mine[-1] for job in self.schedules() if (mine := self._runs(job, runs, now))}
        return health(self.schedules(), last, now)

    def serve(self) -> None:
        """Run due jobs until a stop is asked for (the daemon's loop)."""
        LOG.info("jirasync service started: %s", ", ".join(
            f"{job} {s.text}" for job, s in self.schedules().items()) or "no jobs scheduled")
        while not self.stop():
            self.tick(grace=False)
            if self.stop.wait(self.idle_seconds()):
                break
        LOG.info("jirasync service stopped (%s)", self.stop.reason or "stop requested")
