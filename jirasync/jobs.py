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


class JobResult(Protocol):
    """What a job's use-case returns: its summary numbers, and whether any item failed."""

    @property
    def failed(self) -> bool: ...

    def counts(self) -> dict[str, int]: ...


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
            clock: Callable[[], datetime] = utc_now) -> R:
    """Run ``work`` holding ``job``'s lock and journal the run. A raised error is
    journaled as ``ok: false`` with its sentence and raised again; ``details`` is asked
    after the work, whatever its end (say, the requests the gateway made)."""
    started, timer = clock(), time.monotonic()
    with state.lock(job):
        try:
            result = work()
        except BaseException as e:
            error = ("interrupted" if isinstance(e, KeyboardInterrupt)
                     else str(e) or type(e).__name__)
            state.record_run(_entry(job, started, timer, ok=False, error=error,
                                    details=details()))
            raise
        state.record_run(_entry(job, started, timer, ok=not result.failed,
                                counts=result.counts(), details=details()))
    return result


def _entry(job: str, started: datetime, timer: float, *,
           ok: bool, counts: Mapping[str, int] | None = None, error: str | None = None,
           details: Mapping[str, Any]) -> dict[str, Any]:
    # The wall clock may be a rehearsal's or a test's: the duration comes from the
    # monotonic timer, so the two times always differ by what the run really took.
    finished = started + timedelta(seconds=time.monotonic() - timer)
    return JobRun(job, started, finished, ok, counts or {}, error, details).to_json()
