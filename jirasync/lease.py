"""The lease that keeps two hosts apart (SPEC §5): a project property in Jira, one per job.

Jira has no compare-and-set, but a property PUT answers 201 when it created the property
and 200 when it replaced one. So a lease is taken by reading the property (someone else's
live lease: refuse), then PUTting ours: 201 means it was absent and is now ours; 200 means
another host created it in between, and we step back (leaving it: deleting could free a
lease someone else now relies on). A lease names its holder (host, process, run), its job
and when it expires; it is removed at the end of the run and taken over only once it has
expired, or when it names a process of this host that no longer runs (a killed run).
A deleted state folder changes nothing here: the lease lives in Jira.

What remains: two hosts taking over the same expired lease in the same instant (between
one's second read and its delete) may both run. That needs a holder killed, its lease
expired, and two runs starting within milliseconds; they then rely on sync's identity in
Jira and chase's records read again before sending. Hosts' clocks must agree to well
within ``TTL``.
"""
from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from jirasync.errors import AuthError, JiraError

TTL = timedelta(minutes=30)


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


class _NoLease:
    """No lease (a test, or one host by design): the local lock alone."""

    real = False

    def held(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def renew(self) -> None:
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
    taken: datetime | None = None
    real: bool = True

    @property
    def name(self) -> str:
        return f"jirasync.lease.{self.job}"

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        if self.taken is not None:       # already held by this run: nothing to add
            yield
            return
        if not self._take():
            yield                        # no permission: the local lock only (warned)
            return
        try:
            yield
        finally:
            self._release()

    def renew(self) -> None:
        """Push the expiry on during a long run (a third of the lease gone)."""
        if self.taken is not None and self.clock() - self.taken > self.ttl / 3:
            if self._ours(self.jira.get_project_property(self.name)):
                self.jira.put_project_property(self.name, self._value())
                self.taken = self.clock()

    def _value(self) -> dict[str, Any]:
        now = self.clock()
        return {"job": self.job, "holder": f"{self.host} pid {self.pid}", "host": self.host,
                "pid": self.pid, "run": self.run, "taken": now.isoformat(),
                "expires": (now + self.ttl).isoformat()}

    def _take(self) -> bool:
        current = self.jira.get_project_property(self.name)
        if current is not None:
            self._refuse_unless_stale(current)
            if self.jira.get_project_property(self.name) != current:
                self._refuse(current)      # someone took it over first
            self.jira.delete_project_property(self.name)
        try:
            created = self.jira.put_project_property(self.name, self._value(), once=True)
        except AuthError as e:
            if e.status != 403:
                raise
            self.warn(f"the bot may not write project properties in Jira (Administer "
                      f"Projects), so no lease keeps other hosts' {self.job} runs apart; "
                      "grant it to run on more than one host")
            return False
        except JiraError as e:
            if getattr(e, "maybe_applied", False):
                raise JiraError(f"the answer to taking the {self.job} lease in Jira was "
                                "lost; this run wrote nothing; the next run takes it over",
                                retryable=True) from None
            raise
        if not created:
            self._refuse(self.jira.get_project_property(self.name) or {})
        self.taken = self.clock()
        return True

    def _refuse_unless_stale(self, current: Any) -> None:
        if not isinstance(current, dict):
            return                         # unreadable: nobody can be relying on it
        expires = _when(current.get("expires"))
        if expires is not None and expires > self.clock():
            same_host = current.get("host") == self.host and current.get("pid") != self.pid
            if not (same_host and isinstance(current.get("pid"), int)
                    and not self.alive(current["pid"])):
                self._refuse(current)

    def _refuse(self, current: Any) -> None:
        current = current if isinstance(current, dict) else {}
        raise LeaseHeld(self.job, str(current.get("holder", "unknown")),
                        str(current.get("expires", "unknown")))

    def _ours(self, value: Any) -> bool:
        return isinstance(value, dict) and value.get("run") == self.run

    def _release(self) -> None:
        with contextlib.suppress(JiraError):
            if self._ours(self.jira.get_project_property(self.name)):
                self.jira.delete_project_property(self.name)
        self.taken = None


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None
