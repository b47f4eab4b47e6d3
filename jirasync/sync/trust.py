"""When a writing sync may take its state folder's memory of an issue (the ``jirasync``
property, from the cache or ``seen.json``) instead of reading the issue again before
writing it. Only Data Center's re-read makes use of it (the gateway's ``reread``, told
what this vouches for); Cloud's re-reads every issue in searches of 50 whatever it says.

Data Center's search returns no property, and a property-only write keeps ``updated``,
so the state folder cannot tell on its own whether another host rewrote a memory since.
The sync lease can: every writing run holds it, so a memory is still Jira's as long as
no other run took the lease after this host's run that read or wrote it. The state folder
keeps, beside the term its last writing run took (job.LEASE_FILE), the issues whose
memory that run ``confirmed``: read by key in its last look, created or written by it,
or confirmed before and, the lease taken right after (``lease.undisturbed``), neither
inferred nor rewritten since. A run that finds that list, and takes the very next term,
reads again by key only the issues about to be written that are not on it (an inferred
memory is always read first: docs/exactly-once.md). Any other run reads them all, as
before, and starts the list again from what it read and wrote.

A run whose state folder names no term of this host's (lost, or never written) is sure
to look again once it holds the lease: its first look reads nothing again by key but
conflicts, so the issues it writes are read once, under the lease.

A dry run and a run without a lease read as before and keep no list. Cloud keeps one
too, unused by its re-reads: a few packed runs of keys (``pack``), cheaper than a
question about the flavour here.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable

from jirasync.lease_types import Lease
from jirasync.state import StateDir

MAX_RUN = 1_000_000       # a longer run is no programme's: the file was damaged


def confirmed_before(lease: Lease, state: StateDir, file: str, *,
                     dry_run: bool) -> frozenset[str] | None:
    """The issues whose memory the first look may take as Jira's should the lease come
    right after this host's last (None: read every issue about to be written)."""
    if not lease.real or dry_run:
        return None
    data = state.read_json(file)
    keys = data.get("confirmed") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        return None
    return unpack(keys)


def looks_again(lease: Lease, state: StateDir, file: str, *, dry_run: bool) -> bool:
    """Whether a writing run is sure to look again once it holds the lease (the state
    folder names no term of this host's: lost, or never written): its first look then
    reads nothing again by key but conflicts (the second look reads what it writes)."""
    if not lease.real or dry_run:
        return False
    data = state.read_json(file)
    return not (isinstance(data, dict) and isinstance(data.get("term"), int)
                and isinstance(data.get("run"), str))


def confirmed_after(lease: Lease, before: frozenset[str] | None, *, looked_again: bool,
                    inferred: Collection[str], read: Iterable[str],
                    written: Iterable[str]) -> list[str] | None:
    """What the state folder keeps for the next run (None: nothing, this run did not hold
    the lease)."""
    if lease.taken_as is None:
        return None
    kept = set(before) - set(inferred) if before is not None and not looked_again \
        and lease.undisturbed else set()
    return pack(kept | set(read) | set(written))


def pack(keys: Iterable[str]) -> list[str]:
    """Keys as runs (``DCR-1..15200``): a programme's keys are mostly consecutive, and the
    list is kept for every issue."""
    numbers: dict[str, list[int]] = {}
    for key in keys:
        project, _, number = key.rpartition("-")
        if project and number.isdigit():
            numbers.setdefault(project, []).append(int(number))
    out: list[str] = []
    for project, found in sorted(numbers.items()):
        found.sort()
        start = end = found[0]
        for n in [*found[1:], None]:
            if n is not None and n <= end + 1:
                end = max(end, n)
                continue
            out.append(f"{project}-{start}" if start == end else f"{project}-{start}..{end}")
            if n is not None:
                start = end = n
    return out


def unpack(runs: Iterable[object]) -> frozenset[str]:
    """``pack``'s runs as keys; anything else in the file is left out (read as before)."""
    out: set[str] = set()
    for run in runs:
        if not isinstance(run, str):
            continue
        project, _, numbers = run.rpartition("-")
        first, _, last = numbers.partition("..")
        if project and first.isdigit() and (not last or last.isdigit()) \
                and 0 <= int(last or first) - int(first) <= MAX_RUN:
            out.update(f"{project}-{n}" for n in range(int(first), int(last or first) + 1))
    return frozenset(out)
