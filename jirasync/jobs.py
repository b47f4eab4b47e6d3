"""One way to run a job (``sync``, ``chase``): its files read, Jira opened, under its lock
and its lease, timed, and journaled with its counts and requests, whether it finished,
failed or was interrupted. The command line, the daemon, ``run --once`` and the demo all
start their jobs through ``start`` (``run_job`` is its lock-and-journal half), so the
journal means the same thing whoever started the run. A job is a ``Job``: its name, its
use-case given one ``Run``, and what it reads before Jira is opened."""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from jirasync.config import Config
from jirasync.gateway.protocol import Jira
from jirasync.lease import JiraLease
from jirasync.lease_types import NO_LEASE, Lease
from jirasync.state import StateDir
from jirasync.stopping import Interrupted, Stop


class JobResult(Protocol):
    """What a job's use-case returns: its summary numbers, and whether any item failed."""

    @property
    def failed(self) -> bool: ...

    def counts(self) -> dict[str, int]: ...

    def failure(self) -> str:
        """One sentence for the journal when ``failed``: what failed."""
        ...


R = TypeVar("R", bound=JobResult)
O = TypeVar("O")


@dataclass(frozen=True)
class JobRun:
    """One journal entry (``runs.jsonl``): the fields every run has, then ``details``
    (requests made, the rehearsed date)."""

    job: str
    started: datetime
    finished: datetime
    ok: bool
    counts: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"job": self.job, "started": self.started.isoformat(),
                "finished": self.finished.isoformat(),
                "seconds": round((self.finished - self.started).total_seconds(), 1),
                "ok": self.ok, "counts": dict(self.counts), "error": self.error,
                **self.details}


def utc_now() -> datetime:
    return datetime.now(UTC)


def run_job(job: str, state: StateDir, work: Callable[[], R], *,
            details: Callable[[], Mapping[str, Any]] = dict,
            clock: Callable[[], datetime] = utc_now,
            stop: Stop | None = None,
            journaled: Callable[[dict[str, Any]], None] = lambda entry: None) -> R:
    """Run ``work`` holding ``job``'s lock and journal the run. A raised error is
    journaled as ``ok: false`` with its sentence (and ``aborted``) and raised again;
    ``details`` is asked after the work, whatever its end (say, the requests the gateway
    made). A run that returns after ``stop`` was asked for is journaled as interrupted,
    with the counts of what it did. ``journaled`` is given each entry once written."""
    started, timer = clock(), time.monotonic()
    with state.lock(job):
        try:
            result = work()
        except BaseException as e:
            # Stopped by a signal, or by an error before it could finish (the service
            # tries an aborted run again after a backoff, not at its next slot).
            more = {"interrupted": True} if isinstance(e, (KeyboardInterrupt, Interrupted)) \
                else {"aborted": True}
            entry = _entry(job, started, timer, ok=False, error=_sentence(e),
                           details={**details(), **more})
            state.record_run(entry)
            journaled(entry)
            raise
        stopped = stop is not None and stop()
        error = (f"interrupted ({stop.reason or 'stop requested'}); "
                 "what was not done is left for the next run") if stop is not None and stopped \
            else result.failure() if result.failed else None
        more = {"interrupted": True} if stopped else {}
        entry = _entry(job, started, timer, ok=not result.failed and error is None,
                       counts=result.counts(), error=error, details={**details(), **more})
        state.record_run(entry)
        journaled(entry)
    return result


def _sentence(e: BaseException) -> str:
    if isinstance(e, Interrupted):
        return f"interrupted ({e}) while reading Jira; nothing was written"
    if isinstance(e, KeyboardInterrupt):
        return "interrupted"
    return str(e) or type(e).__name__


def _entry(job: str, started: datetime, timer: float, *,
           ok: bool, counts: Mapping[str, int] | None = None, error: str | None = None,
           details: Mapping[str, Any]) -> dict[str, Any]:
    # The wall clock may be a rehearsal's or a test's: the duration comes from the
    # monotonic timer, so the two times always differ by what the run really took.
    finished = started + timedelta(seconds=time.monotonic() - timer)
    return JobRun(job, started, finished, ok, counts or {}, error, details).to_json()


def _quiet(text: str) -> None:
    """Progress nobody is shown."""


@dataclass(frozen=True, kw_only=True)
class Run:
    """What one run of a job is given. ``jira`` and ``lease`` are set by ``start`` once
    Jira is open; ``options`` are the job's own (``SyncOptions``, ``ChaseOptions``)."""

    config: Config
    state: StateDir
    now: datetime
    stop: Stop = field(default_factory=Stop)
    progress: Callable[[str], None] = _quiet
    dry_run: bool = False
    options: object = None
    jira: Jira | None = None
    lease: Lease = NO_LEASE

    def options_as(self, kind: type[O]) -> O:
        """The job's own options, or its defaults (``kind()``) when it was given none."""
        return self.options if isinstance(self.options, kind) else kind()

    def opened(self) -> Jira:
        """The Jira ``start`` opened for this run."""
        if self.jira is None:
            raise RuntimeError("the job ran before start() opened Jira")
        return self.jira


def _unchanged(run: Run) -> Run:
    return run


def _no_details(run: Run) -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class Job(Generic[R]):
    """A job as every runner starts it: ``work`` is its use-case; ``prepare`` reads what
    it needs before Jira is opened (a broken release file fails the run without a
    connection), unless the caller already did; ``details`` adds to its journal entry."""

    name: str
    work: Callable[[Run], R]
    prepare: Callable[[Run], Run] = _unchanged
    details: Callable[[Run], Mapping[str, Any]] = _no_details


Connect = Callable[[Run], Jira]
Leases = Callable[[Jira, str], Lease]


def leases(warn: Callable[[str], None]) -> Leases:
    """The lease in Jira that keeps other hosts' runs of a job apart (SPEC §5)."""
    def lease(jira: Jira, job: str) -> Lease:
        return JiraLease(jira, job, warn=warn)
    return lease


def start(job: Job[R], run: Run, *, connect: Connect, lease: Leases | None = None,
          journal: bool = True, then: Callable[[Run, R], None] | None = None,
          clock: Callable[[], datetime] = utc_now,
          journaled: Callable[[dict[str, Any]], None] = lambda entry: None) -> R:
    """Run ``job``: prepare, ``connect`` (Jira, for the prepared run), take ``lease``'s
    lease of the job (none if not given, or in a dry run), do the work, then ``then``
    (say, the service keeping the run in Jira). Unless ``journal`` is off (a dry run),
    all of it holds the job's lock and is journaled, with the requests made."""
    opened: list[Jira] = []
    prepared: list[Run] = []

    def work() -> R:
        ready = job.prepare(run)
        prepared.append(ready)          # its details may name what prepare opened
        jira = connect(ready)
        opened.append(jira)
        held = lease(jira, job.name) if lease is not None and not run.dry_run else NO_LEASE
        ready = replace(ready, jira=jira, lease=held)
        result = job.work(ready)
        if then is not None:
            then(ready, result)
        return result

    def details() -> Mapping[str, Any]:
        return {**job.details(prepared[-1] if prepared else run),
                **({"requests": dict(opened[0].stats)} if opened else {})}

    if not journal:
        return work()
    return run_job(job.name, run.state, work, details=details, clock=clock, stop=run.stop,
                   journaled=journaled)
