"""The lease that keeps two hosts apart (SPEC §5): project properties in Jira, per job.

Jira has no compare-and-set, but a property PUT answers 201 when it created the property
and 200 when it replaced one. A lease is therefore a numbered *term*: the property
``jirasync.lease.<job>.<n>`` belongs to whoever's PUT created it (201), and only to them;
a second PUT to the same term answers 200 and its sender steps back. To take the lease,
a run finds the newest term (from the pointer ``jirasync.lease.<job>``, then reading
upwards until a term is missing): if that term is live, it refuses; if it was released,
has expired, or names a process of this host that no longer runs (a killed run), it
claims the next term. Two runs claiming the same next term: one gets 201, one 200.

The losing run's PUT replaced the winner's value, so it writes the term once more as
*contested*, naming no process (a dead loser must not make the term look abandoned).
Just before its first write the holder reads its term back, and the one above
(``confirm``): a newer term, or another run's claim in its own (a loser killed before it
could mark the term contested, whose dead process lets a third run take over; or a run
whose claim's answer was lost and that read the term back as its own), makes it step
back without writing, so of two runs claiming one term at most one writes (it re-reads
a few times over a second first: a live loser marks the term contested one request after
its claim). Over a contested mark it writes its own value again. It marks its term released at the end. A
winner killed before confirming leaves a contested term, which stands until it expires.
A deleted state folder changes nothing.

What remains: a run that paused between finding the newest term and claiming the next
one for longer than ``KEEP`` further runs took (old terms are deleted) could claim a term
again; a losing claim that reaches Jira only after the winner confirmed (it stalled for
the winner's whole start) is not seen by the winner. Hosts' clocks must agree to well
within ``TTL``.
"""
from __future__ import annotations

import contextlib
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn, Protocol

from jirasync.errors import AuthError, JiraError

TTL = timedelta(minutes=30)
KEEP = 5            # older terms kept before they are deleted
LOSER_GRACE_S = (0.05, 0.2, 0.5)   # re-reads before a foreign claim in our term stops us


class LeaseHeld(JiraError):
    """Another run (here or on another host) holds the job's lease in Jira."""

    def __init__(self, job: str, holder: str, until: str):
        self.job, self.holder, self.until = job, holder, until
        super().__init__(f"another {job} run ({holder}) holds the {job} lease in Jira until "
                         f"{until}; this run wrote nothing; the next run tries again",
                         retryable=True)


class Lease(Protocol):
    """What a use-case needs of a lease: hold it around its writes, renew it."""

    real: bool

    def held(self) -> contextlib.AbstractContextManager[None]: ...

    def renew(self) -> None: ...

    def confirm(self) -> None: ...


class _NoLease:
    """No lease (a test, or one host by design): the local lock alone."""

    real = False

    def held(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def renew(self) -> None:
        pass

    def confirm(self) -> None:
        pass


NO_LEASE: Lease = _NoLease()


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


@dataclass
class JiraLease:
    """``with lease.held():`` runs the block holding ``job``'s lease in Jira."""

    jira: Any
    job: str
    clock: Callable[[], datetime] = utc_now
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    alive: Callable[[int], bool] = pid_alive
    warn: Callable[[str], None] = lambda text: None
    run: str = field(default_factory=lambda: uuid.uuid4().hex)
    ttl: timedelta = TTL
    pause: Callable[[float], None] = time.sleep
    term: int | None = None
    taken: datetime | None = None
    real: bool = True

    @property
    def pointer(self) -> str:
        return f"jirasync.lease.{self.job}"

    def name(self, term: int) -> str:
        return f"{self.pointer}.{term}"

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        if self.term is not None:        # already held by this run
            yield
            return
        if not self._take():
            yield                        # no permission: the local lock only (warned)
            return
        try:
            yield
        finally:
            self._release()

    def confirm(self) -> None:
        """Just before the first write, read our term back and the one above it. Another
        run's claim in our term (a loser that may be killed before marking it contested,
        so it names a process that may soon be gone; or a run whose claim's answer was
        lost and reads it as its own) or any newer term means another run may write: step
        back, leaving the terms as they are (released, ours would free a claim that may
        be theirs). A contested mark is a loser giving way: write our value over it."""
        if self.term is None:
            return
        for wait in (*LOSER_GRACE_S, None):
            here = self.jira.get_project_property(self.name(self.term))
            above = self.jira.get_project_property(self.name(self.term + 1))
            if above is not None or self._ours_or_given_way(here) or wait is None:
                break
            self.pause(wait)   # a live loser marks the term contested one request later
        if above is not None or not self._ours_or_given_way(here):
            self.term = self.taken = None
            self._refuse(above if above is not None else here)
        self.jira.put_project_property(self.name(self.term), self._value())

    def _ours_or_given_way(self, value: Any) -> bool:
        return isinstance(value, dict) and (value.get("run") == self.run
                                            or bool(value.get("contested")))

    def renew(self) -> None:
        """Push the expiry on during a long run (a third of the lease gone)."""
        if self.term is not None and self.taken is not None \
                and self.clock() - self.taken > self.ttl / 3:
            self.jira.put_project_property(self.name(self.term), self._value())
            self.taken = self.clock()

    def _value(self) -> dict[str, Any]:
        now = self.clock()
        return {"job": self.job, "holder": f"{self.host} pid {self.pid}", "host": self.host,
                "pid": self.pid, "run": self.run, "taken": now.isoformat(),
                "expires": (now + self.ttl).isoformat()}

    def _contested(self) -> dict[str, Any]:
        """What a run that lost the race for a term leaves in it: no process to outlive
        (the winner's may be gone from the value), so it stands until it expires."""
        now = self.clock()
        return {"job": self.job, "holder": "another run (two claimed this term at once)",
                "contested": True, "taken": now.isoformat(),
                "expires": (now + self.ttl).isoformat()}

    def _take(self) -> bool:
        newest, value = self._newest()
        if value is not None:
            self._refuse_if_live(value)
        try:
            created = self.jira.put_project_property(self.name(newest + 1), self._value(),
                                                     once=True)
        except AuthError as e:
            if e.status != 403:
                raise
            self.warn(f"the bot may not write project properties in Jira (Administer "
                      f"Projects), so no lease keeps other hosts' {self.job} runs apart; "
                      "grant it to run on more than one host")
            return False
        except JiraError as e:
            if not e.maybe_applied:
                raise
            created = self._claimed_after_lost_answer(newest + 1)
        if not created:      # another run created this term first: ours replaced its value
            with contextlib.suppress(JiraError):    # so name no process that may end soon
                self.jira.put_project_property(self.name(newest + 1), self._contested())
            self._refuse(self._contested())
        self.term, self.taken = newest + 1, self.clock()
        self._tidy(newest)
        return True

    def _claimed_after_lost_answer(self, term: int) -> bool:
        """Our claim's answer was lost: the term holds our claim if Jira made it for us
        (or, should another run have claimed it in that same instant, if ours replaced
        theirs: a double fault this does not tell apart). Anything else: not ours."""
        value = self.jira.get_project_property(self.name(term))
        return isinstance(value, dict) and value.get("run") == self.run

    def _newest(self) -> tuple[int, Any]:
        """The newest term and its value (0 and None when there has been none)."""
        pointer = self.jira.get_project_property(self.pointer)
        term = pointer.get("term", 0) if isinstance(pointer, dict) else 0
        term = term if isinstance(term, int) and term >= 0 else 0
        value = self.jira.get_project_property(self.name(term)) if term else None
        while True:
            above = self.jira.get_project_property(self.name(term + 1))
            if above is None:
                return term, value
            term, value = term + 1, above

    def _tidy(self, before: int) -> None:
        """Point readers at our term; drop terms older than the one we took over."""
        with contextlib.suppress(JiraError):
            self.jira.put_project_property(self.pointer, {"term": self.term})
            for old in range(max(1, before - KEEP), before):
                self.jira.delete_project_property(self.name(old))

    def _refuse_if_live(self, value: Any) -> None:
        if not isinstance(value, dict) or value.get("released"):
            return                         # unreadable or released: nobody relies on it
        expires = _when(value.get("expires"))
        if expires is None or expires <= self.clock():
            return
        pid = value.get("pid")
        if value.get("host") == self.host and isinstance(pid, int) and pid != self.pid \
                and not self.alive(pid):
            return                         # a killed run of this host
        self._refuse(value)

    def _refuse(self, current: Any) -> NoReturn:
        current = current if isinstance(current, dict) else {}
        raise LeaseHeld(self.job, str(current.get("holder", "unknown")),
                        str(current.get("expires", "unknown")))

    def _release(self) -> None:
        if self.term is None:                     # stepped back at confirm: not ours
            return
        with contextlib.suppress(JiraError):      # else it expires, or dies with us
            self.jira.put_project_property(
                self.name(self.term), {**self._value(), "released": self.clock().isoformat()})
        self.term = self.taken = None


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None
