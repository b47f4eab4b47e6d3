"""The lease that keeps two hosts apart (SPEC §5): project properties in Jira, per job.

Jira has no compare-and-set, but a property PUT answers 201 when it created the property
and 200 when it replaced one. A lease is therefore a numbered *term*: the property
``jirasync.lease.<job>.<n>`` belongs to whoever's PUT created it (201), and only to them;
a second PUT to the same term answers 200 and its sender steps back. To take the lease, a
run finds the newest term and the claims beside every term in one listing of the
project's properties (``getProjectPropertyKeys``): if that term is live, it refuses; if
it was released, has expired, or names a run that has ended (a killed process of this
host, or an earlier run of this very process), it claims the next term. Two runs claiming
the same next term: one gets 201, one 200.

Before claiming, a run leaves its *claim* beside the term
(``jirasync.lease.<job>.<n>.claimant.<run>``, a key no other run writes); a run that
steps back removes it, a released term keeps it. The losing run's PUT replaced the
winner's value, so it writes the term once more as *contested*, naming no process. A
contested term is judged by the claims beside it (one listing of the project's
properties): it stands while any names a run that may still be going, and is taken over
once every one names a run that has ended, so a winner killed before it confirmed holds
nobody up.

Just before its first write the holder lists the properties again (``confirm``): with no
other claim beside its term and no newer term, nobody replaced its value. Otherwise it
reads its term back and the one above: a newer term, or another run's claim in its own (a
loser killed before it could mark the term contested; or a run whose claim's answer was
lost and that read the term back as its own), makes it step back without writing, so of
two runs claiming one term at most one writes (it re-reads a few times over a second
first: a live loser marks the term contested one request after its claim). Over a
contested mark it writes its own value again once no other claim beside the term may
still be going. It marks its term released at the end. Every ``KEEP`` terms the taker
removes the terms below the ``KEEP`` kept and the claims beside older terms. A deleted
state folder changes nothing.

What remains: a run that paused between finding the newest term and claiming the next one
for longer than ``KEEP`` further runs took (old terms are deleted) could claim a term
again; a losing claim that reaches Jira only after the winner confirmed (it stalled for
the winner's whole start) is not seen by the winner. Whether a process has ended is only
known on its own host: a contested term whose winner ran on another host and was killed
stands until it expires. Hosts' clocks must agree to well within ``TTL``.
"""
from __future__ import annotations

import contextlib
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NoReturn

from jirasync import lease_rules as rules
from jirasync.errors import AuthError, JiraError
from jirasync.lease_runs import made_here, pid_alive, remember, utc_now
from jirasync.lease_types import LeaseHeld, ProjectProperties

TTL = timedelta(minutes=30)
KEEP = 5            # older terms kept before they are deleted
LOSER_GRACE_S = (0.05, 0.2, 0.5)   # re-reads before a foreign claim in our term stops us


@dataclass
class JiraLease:
    """``with lease.held():`` runs the block holding ``job``'s lease in Jira."""

    jira: ProjectProperties
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
    undisturbed: bool = False
    seen: int | None = None      # the newest term, if it was free, when ``look`` ran
    last: tuple[int, str] | None = None        # see Lease
    taken_as: tuple[int, str] | None = None

    def __post_init__(self) -> None:
        remember(self.run)

    @property
    def me(self) -> rules.Runner:
        return rules.Runner(self.host, self.pid, self.run, made_here, self.alive)

    @property
    def pointer(self) -> str:
        return f"jirasync.lease.{self.job}"

    def name(self, term: int) -> str:
        return f"{self.pointer}.{term}"

    def claim_name(self, term: int, run: str | None = None) -> str:
        return f"{self.name(term)}.claimant.{self.run if run is None else run}"

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

    def look(self) -> None:
        """Note the newest term, if nobody holds it: should this run then take the very
        next one, no run held the lease in between, so nothing it reads meanwhile can
        have been written by another run (``undisturbed``)."""
        survey = self._survey()
        term, value = self._newest(survey)
        with contextlib.suppress(LeaseHeld):
            self._refuse_if_live(term, value, survey)
            self.seen = term

    def confirm(self) -> None:
        """Just before the first write, read our term back and the one above it. Another
        run's claim in our term (a loser that may be killed before marking it contested,
        so it names a process that may soon be gone; or a run whose claim's answer was
        lost and reads it as its own) or any newer term means another run may write: step
        back, leaving the terms as they are (released, ours would free a claim that may
        be theirs). A contested mark is a loser giving way: write our value over it, if
        no other claim beside the term names a run that may still be going."""
        if self.term is None:
            return
        survey = self._survey()
        others = [c for c in survey.claims.get(self.term, ()) if c != self.claim_name(self.term)]
        if not others and max(survey.terms, default=0) <= self.term:
            # Every run that writes a term first leaves its claim beside it: with no other
            # claim beside ours and no newer term, nobody replaced our value.
            return
        for wait in (*LOSER_GRACE_S, None):
            here = self.jira.get_project_property(self.name(self.term))
            above = self.jira.get_project_property(self.name(self.term + 1))
            clear = above is None and self._clear(self.term, here)
            if clear or above is not None or wait is None:
                break
            self.pause(wait)   # a live loser marks the term contested one request later
        if not clear:
            self._step_back(above if above is not None else here)
        self.jira.put_project_property(self.name(self.term), self._value())

    def _clear(self, term: int, value: Any) -> bool:
        """Whether we may write under ``term``, which holds ``value`` (rules.clear; the
        claims beside it are listed only for a contested mark)."""
        mine = self.claim_name(term)
        others = [claim for name, claim in self._claims(term).items() if name != mine] \
            if rules.contested(value) else []
        return rules.clear(value, others, self.me)

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
        (the winner's may be gone from the value); the claims beside the term say when it
        may be taken over (rules.free)."""
        now = self.clock()
        return {"job": self.job, "holder": "two runs claimed this term at once",
                "contested": True, "taken": now.isoformat(),
                "expires": (now + self.ttl).isoformat()}

    def _take(self) -> bool:
        survey = self._survey()
        newest, value = self._newest(survey)
        self._refuse_if_live(newest, value, survey)
        self.term = newest + 1
        try:
            self.jira.put_project_property(self.claim_name(self.term), self._value())
            created = self._claim(self.term)
        except AuthError as e:
            self._withdraw()
            if e.status != 403:
                raise
            self.warn(f"the bot may not write project properties in Jira (Administer "
                      f"Projects), so no lease keeps other hosts' {self.job} runs apart; "
                      "grant it to run on more than one host")
            return False
        except JiraError:
            self._withdraw()
            raise
        if not created:      # another run created this term first: ours replaced its value
            with contextlib.suppress(JiraError):    # so name no process that may end soon
                self.jira.put_project_property(self.name(self.term), self._contested())
            self._step_back(self._contested())
        self.taken = self.clock()
        # Free since ``look``, or since this host's last run released it: no other run
        # held it in between, so none wrote what this run read meanwhile.
        previous = (newest, value.get("run")) if isinstance(value, dict) else None
        self.undisturbed = self.seen == newest or \
            (self.last is not None and previous == self.last)
        self.taken_as = (self.term, self.run)
        self._sweep(survey, newest)
        return True

    def _claim(self, term: int) -> bool:
        """Create ``term``: True if this run's PUT created it. When the answer was lost the
        term is read back: ours if it holds our claim (or, should another run have claimed
        it in that same instant, if ours replaced theirs: a double fault this does not
        tell apart); claimed once more if nothing landed; another run's otherwise."""
        try:
            return self.jira.put_project_property(self.name(term), self._value(), once=True)
        except JiraError as e:
            if not e.maybe_applied:
                raise
        value = self.jira.get_project_property(self.name(term))
        if value is None:       # neither ours nor anyone's landed: writing it is no contest
            return self.jira.put_project_property(self.name(term), self._value(), once=True)
        if isinstance(value, dict) and value.get("run") == self.run:
            return True
        self._step_back(value)

    def _step_back(self, current: Any) -> NoReturn:
        """Refuse: this run never writes under the term."""
        self._withdraw()
        self._refuse(current)

    def _withdraw(self) -> None:
        """Remove our claim (a run that has ended must not look as if it may still
        write) and forget the term."""
        if self.term is not None:
            with contextlib.suppress(JiraError):
                self.jira.delete_project_property(self.claim_name(self.term))
        self.term = self.taken = None

    def _survey(self) -> rules.Survey:
        """One listing of the project's properties: our job's terms and their claims."""
        return rules.survey(self.jira.project_property_keys(), self.pointer)

    def _newest(self, survey: rules.Survey) -> tuple[int, Any]:
        """The newest term and its value (0 and None when there has been none)."""
        term = max(survey.terms, default=0)
        return term, self.jira.get_project_property(self.name(term)) if term else None

    def _sweep(self, survey: rules.Survey, before: int) -> None:
        """Every ``KEEP`` terms, remove what runs left behind: the terms that fall out of
        the ``KEEP`` kept below ours, and the claims beside ``before`` (the term we took
        over: free, so every run that claimed it has ended or given way) and older ones."""
        if (before + 1) % KEEP:
            return
        for name in rules.swept(survey, before, KEEP):
            with contextlib.suppress(JiraError):
                self.jira.delete_project_property(name)

    def _refuse_if_live(self, term: int, value: Any, survey: rules.Survey) -> None:
        """Refuse if the newest term may still be written under (rules.free)."""
        claims = self._claims(term, survey) if rules.contested(value) else {}
        if not rules.free(value, claims.values(), self.me, self.clock()):
            self._refuse(value)

    def _claims(self, term: int, survey: rules.Survey | None = None) -> dict[str, Any]:
        survey = survey or self._survey()
        return {name: self.jira.get_project_property(name)
                for name in survey.claims.get(term, ())}

    def _refuse(self, current: Any) -> NoReturn:
        current = current if isinstance(current, dict) else {}
        raise LeaseHeld(self.job, str(current.get("holder", "unknown")),
                        str(current.get("expires", "unknown")))

    def _release(self) -> None:
        if self.term is None:                     # stepped back at confirm: not ours
            return
        # Our claim stays beside the released term (a released term is free whatever its
        # claims say) until a sweep removes it. A failure leaves the term to expire, or
        # die with us.
        with contextlib.suppress(JiraError):
            self.jira.put_project_property(
                self.name(self.term), {**self._value(), "released": self.clock().isoformat()})
        self.term = self.taken = None

