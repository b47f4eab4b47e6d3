"""A job started from the command line (``sync``, ``chase``): progress on the console's
meter, the lease's warnings on stderr, journaled unless it is a dry run, its exit code."""
from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from jirasync.commands.base import interrupted
from jirasync.config import Config
from jirasync.gateway.protocol import Jira
from jirasync.jobs import Job, JobResult, Run, leases, start
from jirasync.state import StateDir
from jirasync.stopping import Stop

R = TypeVar("R", bound=JobResult)


def start_here(job: Job[R], jira: Jira, config: Config, *, now: datetime, stop: Stop,
               dry_run: bool, options: object, console: Any) -> R:
    """Run ``job`` on the Jira opened for this command, through the one job runner."""
    meter = console.meter()
    try:
        run = Run(config=config, state=StateDir(config.state_dir), now=now, stop=stop,
                  progress=meter, dry_run=dry_run, options=options)
        return start(job, run, connect=lambda run: jira, lease=leases(console.warn),
                     journal=not dry_run)
    finally:
        meter.close()


def exit_code(result: JobResult, stop: Stop, console: Any) -> int:
    """1 if an item failed; an interrupted run's code (and sentence) if it was stopped."""
    if stop():
        return int(interrupted(stop, console))
    return 1 if result.failed else 0
