"""Each job's last run, kept in Jira (README "8. Run it as a service"): a project property
``jirasync.lastrun.<job>`` beside the job's lease, so a runner with no disk of its own (a
Kubernetes CronJob, a container restarted, a state folder lost) still knows when the job
last ran, and "every weekday at 09:00" stays that, not "every pass".

The local journal stays the first word and a cache: only a job the journal says is due
makes a read here, and the newer of the two runs counts. Only a run that finished is
written (ok, or with some items failed): a run an error aborted or a stop cut short leaves
the job due, so the record keeps the run before it, which keeps it due as well.
"""
from __future__ import annotations

import logging
import socket
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from jirasync.errors import AuthError, JirasyncError
from jirasync.json_values import JSON
from jirasync.lease_types import ProjectProperties
from jirasync.service.timetable import Schedule

LOG = logging.getLogger("jirasync.service")
PREFIX = "jirasync.lastrun."


def kept(schedule: Schedule) -> bool:
    """Whether Jira keeps the job's last run: only for a time of day ("every weekday at
    09:00"), where running at the wrong time would be noticed (an escalation at night). An
    interval's job that lost its state folder just runs once more, which is safe and
    writes nothing new (SPEC §5), so a no-change sync every 5 minutes writes nothing."""
    return schedule.every is None


def name(job: str) -> str:
    return PREFIX + job


def record(job: str, started: datetime, *, ok: bool) -> dict[str, str | bool]:
    """What a finished run leaves in Jira: enough to say when the job is next due."""
    return {"job": job, "started": started.isoformat(), "ok": ok,
            "host": socket.gethostname(), "from": "jira"}


def remember(jira: ProjectProperties, job: str, started: datetime, *, ok: bool) -> None:
    """Write the run's record; a failure is logged, never fails the run (the next
    stateless pass then runs the job again, which is safe: runs are exactly once)."""
    try:
        jira.put_project_property(name(job), record(job, started, ok=ok))
    except AuthError as e:
        why = "may not write project properties (Administer Projects)" if e.status == 403 \
            else str(e)
        LOG.warning("%s: the bot %s, so Jira does not keep this run; a runner without its "
                    "state folder will run the job again", job, why, extra={"job": job})
    except JirasyncError as e:
        LOG.warning("%s: the run could not be kept in Jira (%s); a runner without its state "
                    "folder will run the job again", job, e, extra={"job": job})


def recall(jira: ProjectProperties, job: str) -> dict[str, JSON] | None:
    """The job's record in Jira, or None (none yet, one edited by hand, or Jira could
    not be read: then the journal alone decides, and the run meets the error itself)."""
    try:
        value = jira.get_project_property(name(job))
    except JirasyncError as e:
        LOG.debug("%s: the last run kept in Jira could not be read: %s", job, e,
                  extra={"job": job})
        return None
    return value if isinstance(value, dict) and _valid(value, job) else None


def merged(local: Sequence[Mapping[str, Any]], kept: Mapping[str, Any] | None,
           now: datetime) -> list[Mapping[str, Any]]:
    """The job's runs, oldest first: the journal's, with Jira's record placed among them
    by its start (unless the journal has it already, or it starts after ``now``: another
    host's clock that was wrong must not hold the job back for ever)."""
    if kept is None:
        return list(local)
    started = _instant(kept.get("started"))
    if started is None or started > now:
        return list(local)
    if any(_instant(run.get("started")) == started for run in local):
        return list(local)
    earlier = [run for run in local if (_instant(run.get("started")) or started) <= started]
    later = [run for run in local if (_instant(run.get("started")) or started) > started]
    return [*earlier, kept, *later]


def _valid(value: dict[str, JSON], job: str) -> bool:
    return value.get("job") == job and _instant(value.get("started")) is not None


def _instant(text: Any) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(text)) if text is not None else None
    except ValueError:
        return None
    return when if when is not None and when.tzinfo is not None else None
