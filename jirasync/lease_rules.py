"""What the values of a lease's terms say (docs/sync.md, "Two runs, two hosts"): pure, no Jira
and no clock. ``lease.py`` reads the terms and the claims beside them, and asks here
whether the newest term may be taken over and whether a run may write under its own.

A value is what a run wrote into a term or a claim: ``host``, ``pid``, ``run`` (its id),
``expires``, and ``released`` or ``contested`` marks. Anything else (a value someone
edited, or none) is judged the safe way: as a run that may still be going.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Runner:
    """The run asking: its host, process and id; the runs its process made (a process
    runs a job's runs one at a time, so any other of them has ended); and which
    processes of its host still run."""

    host: str
    pid: int
    run: str
    made_here: Callable[[str], bool]
    alive: Callable[[int], bool]


def ended(value: Any, me: Runner) -> bool:
    """Whether the run ``value`` names has ended: a process of this host that no longer
    runs, or an earlier run of this very process. Another process may share our host
    name and pid (containers), so the pid alone never says a run was ours; and a run on
    another host may still be going."""
    if not isinstance(value, dict) or value.get("host") != me.host:
        return False
    pid, run = value.get("pid"), value.get("run")
    if pid == me.pid:
        return isinstance(run, str) and run != me.run and me.made_here(run)
    return isinstance(pid, int) and not me.alive(pid)


def expired(value: dict[str, Any], now: datetime) -> bool:
    expires = _when(value.get("expires"))
    return expires is None or expires <= now


def contested(value: Any) -> bool:
    return isinstance(value, dict) and bool(value.get("contested"))


def free(value: Any, claims: Iterable[Any], me: Runner, now: datetime) -> bool:
    """Whether the newest term (``value``) may be taken over. None, unreadable or
    released: nobody relies on it. Expired, or naming a run that has ended: its holder
    is gone. Contested (two runs claimed it at once; ``claims``, the claims left beside
    it, name them): once expired, or once every claim names a run that has ended."""
    if contested(value):
        return expired(value, now) or all(ended(claim, me) for claim in claims)
    if not isinstance(value, dict) or value.get("released"):
        return True
    return expired(value, now) or ended(value, me)


def clear(value: Any, other_claims: Iterable[Any], me: Runner) -> bool:
    """Whether a run may write under the term it claimed, reading ``value`` in it just
    before its first write: our own value; or a contested mark (a loser giving way) with
    no other claim beside the term naming a run that may still be going. A loser removes
    its claim once it has marked the term; a run that read the term back as its own
    after a lost answer keeps its claim, so two such runs both step back."""
    if not isinstance(value, dict):
        return False
    if value.get("run") == me.run:
        return True
    return contested(value) and all(ended(claim, me) for claim in other_claims)


def holder_run(value: Any) -> str | None:
    """The run a plain term names (not a contested mark, which names none)."""
    run = value.get("run") if isinstance(value, dict) else None
    return run if isinstance(run, str) and run else None


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


@dataclass(frozen=True)
class Survey:
    """A job's lease as one listing of the project's properties shows it: the numbers of
    its terms, the claims beside each term (property names), and everything else of the
    job's (a pointer an earlier version kept)."""

    pointer: str
    terms: frozenset[int] = frozenset()
    claims: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    other: tuple[str, ...] = ()


def survey(names: Iterable[str], pointer: str) -> Survey:
    """Sort the project's property ``names`` into the job's terms and claims:
    ``<pointer>.<n>`` is term n, ``<pointer>.<n>.claimant.<run>`` a claim beside it."""
    terms: set[int] = set()
    claims: dict[int, list[str]] = {}
    other: list[str] = []
    for name in names:
        if name == pointer:
            other.append(name)
        if not name.startswith(pointer + "."):
            continue
        number, _, rest = name[len(pointer) + 1:].partition(".")
        if not number.isdigit():
            continue
        if not rest:
            terms.add(int(number))
        elif rest.startswith("claimant."):
            claims.setdefault(int(number), []).append(name)
    return Survey(pointer, frozenset(terms), {n: tuple(c) for n, c in claims.items()},
                  tuple(other))


def swept(found: Survey, before: int, keep: int) -> list[str]:
    """What a run that took the term after ``before`` removes: terms ``keep`` or more
    below it, every claim beside ``before`` or older (those terms are free: their runs
    ended or gave way), and an earlier version's pointer."""
    gone = [f"{found.pointer}.{n}" for n in sorted(found.terms) if n <= before - keep]
    gone += [c for n in sorted(found.claims) if n <= before for c in found.claims[n]]
    return gone + list(found.other)

