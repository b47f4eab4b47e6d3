"""Which prompts, digests and escalations are due: pure, time is a parameter.

What was already sent lives on each action in Jira (property ``jirasync.chase``), so a
restart, a crash or a lost state folder never repeats a prompt or a rung.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from jirasync.escalation import Ladder, Rung
from jirasync.model import key_order
from jirasync.records import ChaseRecord
from jirasync.review import ReviewCycle


@dataclass(frozen=True)
class OpenAction:
    """An action as chase sees it in Jira."""

    key: str
    summary: str
    owner: str | None          # Jira user id of the assignee
    due: date | None
    owner_name: str | None = None
    resolved: bool = False
    labels: frozenset[str] = frozenset()
    record: ChaseRecord = field(default_factory=ChaseRecord)
    id: str | None = None      # Jira's issue id, to read the action again consistently
    lesson: str | None = None  # the lesson's title (its parent issue's summary)
    release: str | None = None     # the release's name, or its label when no file names it
    # The version (``updated``) as read, and its answers record: chase's index of
    # records (chase/index.py) holds both for the reports.
    version: str | None = None
    answers: Any = None


@dataclass(frozen=True)
class Prompt:
    """A prompt is only ever due for an action with an owner: ``owner`` is its id."""

    action: OpenAction
    cycle: ReviewCycle
    on: date | None = None       # the day it is sent: the owner is told then

    @property
    def owner(self) -> str:
        return self.action.owner or ""


@dataclass(frozen=True)
class Digest:
    owner: str
    actions: tuple[OpenAction, ...]
    anchor: OpenAction           # the action that carries the record of this digest
    cycle: ReviewCycle
    on: date | None = None


@dataclass(frozen=True)
class Escalation:
    """``rung`` is due for ``action``. ``owner_first``: it names others, but the owner has
    never been told about the action, so only the owner hears now (that rung waits
    ``grace`` days more); the rung is not recorded as fired."""

    action: OpenAction
    rung: Rung
    days_overdue: int
    on: date | None = None
    owner_first: bool = False
    grace: int = 0

    @property
    def held_until(self) -> date | None:
        """When the rung itself may go, for an owner-first message."""
        return self.on + timedelta(days=self.grace) if self.owner_first and self.on else None


@dataclass(frozen=True)
class Held:
    """A rung that names others, waiting for the grace after the owner was told on
    ``told`` (SPEC §5 "The owner hears first"): nothing is sent until ``until``."""

    action: OpenAction
    rung: Rung
    days_overdue: int
    told: date
    until: date


@dataclass(frozen=True)
class Unowned:
    """An unresolved action nobody can be prompted for."""

    action: OpenAction


def due_prompts(actions: Sequence[OpenAction], cycle: ReviewCycle | None,
                now: datetime) -> list[Prompt | Unowned]:
    """Comment mode: one prompt per unresolved action per cycle, inside the window."""
    if cycle is None or not cycle.in_prompt_window(now):
        return []
    out: list[Prompt | Unowned] = []
    for action in _open(actions):
        if cycle.name in action.record.prompts:
            continue
        out.append(Prompt(action, cycle, now.date()) if action.owner else Unowned(action))
    return out


def due_digests(actions: Sequence[OpenAction], cycle: ReviewCycle | None,
                now: datetime) -> list[Digest | Unowned]:
    """Digest mode: one notification per owner per cycle, listing all their open actions.
    ``actions`` may include actions resolved during the window: their records count."""
    if cycle is None or not cycle.in_prompt_window(now):
        return []
    sent = set().union(*(a.record.digested(cycle.name, a.owner) for a in actions))
    by_owner: dict[str, list[OpenAction]] = {}
    out: list[Digest | Unowned] = []
    for action in _open(actions):
        if not action.owner:
            out.append(Unowned(action))
        elif action.owner not in sent:
            by_owner.setdefault(action.owner, []).append(action)
    for owner, mine in sorted(by_owner.items()):
        mine.sort(key=lambda a: (a.due or date.max, key_order(a.key)))
        anchor = min(mine, key=lambda a: key_order(a.key))
        out.append(Digest(owner, tuple(mine), anchor, cycle, now.date()))
    return out


def due_escalations(actions: Sequence[OpenAction], ladder: Ladder, today: date, *,
                    grace_days: int = 0, told: Mapping[str, date] | None = None
                    ) -> list[Escalation | Held]:
    """The highest rung reached and not yet fired, per overdue unresolved action. A rung
    naming anyone but the owner waits until the owner was told ``grace_days`` earlier
    (``told``: action key -> the day its owner was first told); an owner never told
    hears first, alone (``Escalation.owner_first``)."""
    told = told or {}
    out: list[Escalation | Held] = []
    for action in _open(actions):
        if action.due is None:
            continue
        rung = ladder.due_rung(due=action.due, today=today,
                               fired=action.record.fired(action.due))
        if rung is None:
            continue
        days = ladder.days_overdue(action.due, today)
        first = told.get(action.key)
        if not rung.escalates or not action.owner or grace_days == 0 or (
                first is not None and (today - first).days >= grace_days):
            out.append(Escalation(action, rung, days, today))
        elif first is None:
            out.append(Escalation(action, rung, days, today, owner_first=True,
                                  grace=grace_days))
        else:       # told, but lately (or on a day a rehearsal put ahead of this clock)
            out.append(Held(action, rung, days, first, first + timedelta(days=grace_days)))
    return out


def first_told(actions: Sequence[OpenAction], *, digest: bool) -> dict[str, date]:
    """Action key -> the day its owner was first told about it. A digest lists every open
    action of its owner but is recorded on one (its anchor), so in digest mode the
    owner's earliest digest counts for each of their actions."""
    by_owner: dict[str, date] = {}
    if digest:
        for a in actions:
            whom = (a.record.told or "").partition(" ")[2]
            on = a.record.told_on(whom)
            if on is not None and (whom not in by_owner or on < by_owner[whom]):
                by_owner[whom] = on
    out = {}
    for a in actions:
        own = a.record.told_on(a.owner)
        days = [d for d in (own, by_owner.get(a.owner or "")) if d is not None]
        if days:
            out[a.key] = min(days)
    return out


def no_longer_overdue(actions: Sequence[OpenAction], today: date,
                      flags: Iterable[str]) -> list[OpenAction]:
    """Unresolved actions still labelled overdue although their due date moved ahead.

    Only a moved due date clears: an action whose ladder was climbed for the due date it
    has now is left alone even when ``today`` is on or before that date, since a clock
    that runs behind (a plain run after a ``--today`` rehearsal, a second host, a step
    back across midnight) does not undo what Jira was told."""
    flags = frozenset(flags)
    return [a for a in _open(actions)
            if a.labels & flags and (a.due is None or a.due >= today)
            and not (a.due is not None and a.record.due == a.due.isoformat())]


def _open(actions: Sequence[OpenAction]) -> list[OpenAction]:
    return sorted((a for a in actions if not a.resolved), key=lambda a: key_order(a.key))
