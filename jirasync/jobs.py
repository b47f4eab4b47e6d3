"""One way to run a job (``sync``, ``chase``): under its lock, timed, and journaled with
its counts, whether it finished, failed or was interrupted. The command line and the
daemon both run their jobs through ``run_job``, so the journal means the same thing
whoever started the run."""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

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
