"""This host's side of the lease (``lease.py``): the runs this process has made, and
whether a process of this host still runs — what ``lease_rules.ended`` asks to tell a run
that has ended from one that may still write — and the clock a lease reads."""
from __future__ import annotations

import os
from datetime import UTC, datetime

# The runs this process has made (lease_rules.ended), newest last: a daemon makes one a
# run, so only the last ``RUNS_KEPT`` are kept (an older one's term has long expired).
RUNS_KEPT = 1000
RUNS_HERE: dict[str, None] = {}


def utc_now() -> datetime:
    return datetime.now(UTC)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:       # exists, owned by someone else
        return True
    return True


def remember(run: str) -> None:
    """Note ``run`` as made by this process (the oldest beyond RUNS_KEPT forgotten)."""
    RUNS_HERE[run] = None
    while len(RUNS_HERE) > RUNS_KEPT:
        del RUNS_HERE[next(iter(RUNS_HERE))]


def made_here(run: str) -> bool:
    return run in RUNS_HERE
