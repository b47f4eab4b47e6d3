"""What jirasync keeps in Jira, encoded and decoded in one place: on each synced issue its
identity and what sync last wrote (property ``jirasync``, ``Memory``), on a release issue
the release's name and live date with it (``RECORD``) and its summary (``RELEASE_TITLE``);
on each action what chase has sent about it (property ``jirasync.chase``,
``ChaseRecord``). Pure: sync, chase and the reports all read them through here."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from jirasync.escalation import Rung
from jirasync.model import CHASE_PROPERTY, SYNC_PROPERTY, Identity

RELEASE_TITLE = "Lessons learnt: "     # then the release's name

RECORD = ("name", "live_date")    # what a release issue records of its release for reports
NO_RECORD: Mapping[str, str] = MappingProxyType({})      # a lesson's or action's: shared


@dataclass(frozen=True, slots=True)
class Memory:
    """``record``: on a release issue, the release's name and live date (ISO), so reports
    need only Jira; jirasync's own record, rewritten whenever the file changes it."""

    identity: Identity
    fields: Mapping[str, str] = field(default_factory=dict)
    labels: tuple[str, ...] = ()
    record: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        i = self.identity
        data = {"v": 1, "release": i.release, "lesson": i.lesson, "action": i.action,
                "fields": dict(self.fields), "labels": sorted(self.labels),
                **{k: self.record[k] for k in RECORD if k in self.record}}
        return {k: v for k, v in data.items() if v is not None}

    @staticmethod
    def holds(data: Any) -> bool:
        """Whether ``data`` (a property's value) is a memory: ``from_json`` gives one."""
        return isinstance(data, dict) and isinstance(data.get("release"), str)

    @staticmethod
    def from_json(data: Any) -> Memory | None:
        """The memory on an issue, or None if the property is absent or not jirasync's."""
        if not Memory.holds(data):
            return None
        identity = Identity(data["release"], data.get("lesson"), data.get("action"))
        fields = data.get("fields")
        labels = data.get("labels")
        record = {k: data[k] for k in RECORD if isinstance(data.get(k), str)} \
            if "name" in data or "live_date" in data else NO_RECORD
        if not isinstance(fields, dict):
            fields = {}
        elif not all(type(v) is str for v in fields.values()):
            fields = {k: str(v) for k, v in fields.items()}
        # else the property's own (read-only here): a sync holds 50,000 memories
        return Memory(identity, fields, tuple(labels) if isinstance(labels, list) else (),
                      record)


def memory_of(properties: Mapping[str, Any]) -> Memory | None:
    """What sync last wrote to an issue, from its properties; None if it holds none."""
    return Memory.from_json(properties.get(SYNC_PROPERTY))


def identity_of(properties: Mapping[str, Any]) -> Identity | None:
    """Who a managed issue is, from its properties; None for an issue sync never wrote."""
    memory = memory_of(properties)
    return memory.identity if memory else None


def chase_record_of(properties: Mapping[str, Any]) -> ChaseRecord:
    """What chase has sent about an action, from its properties (empty if nothing)."""
    return ChaseRecord.from_json(properties.get(CHASE_PROPERTY))


KEEP_CYCLES = 12


@dataclass(frozen=True)
class ChaseRecord:
    """What jirasync has sent about one action."""

    prompts: tuple[str, ...] = ()    # review cycles (meeting dates) prompted, comment mode
    digests: tuple[str, ...] = ()    # "<cycle> <owner id>" of digests this action anchored
    due: str | None = None           # the due date the ladder was climbed for
    rungs: tuple[int, ...] = ()      # rungs fired (after_days) for that due date
    # "<cycle> <owner id>" digests recorded but not yet known to be sent: written with the
    # record before the notification, cleared after it. One left behind means the run
    # stopped in between, and the owner may not have had it (reported, never resent).
    pending: tuple[str, ...] = ()
    # "<date> <owner id>": the day the owner (then) was first told about this action, by a
    # prompt, a digest or an owner-only message. A rung naming anyone else waits for it.
    told: str | None = None

    def with_told(self, day: date | None, owner: str | None) -> ChaseRecord:
        """Told ``owner`` on ``day``, unless they were told already (the first day counts,
        and a day already in the record stays: time does not undo it)."""
        if day is None or not owner or self.told_on(owner) is not None:
            return self
        return replace(self, told=f"{day.isoformat()} {owner}")

    def told_on(self, owner: str | None) -> date | None:
        """The day ``owner`` was first told about this action; None if never (or if the
        record is of an earlier owner: a new owner hears first too)."""
        day, _, whom = (self.told or "").partition(" ")
        if not owner or whom != owner:
            return None
        try:
            return date.fromisoformat(day)
        except ValueError:
            return None

    def with_prompt(self, cycle: str) -> ChaseRecord:
        return replace(self, prompts=(self.prompts + (cycle,))[-KEEP_CYCLES:])

    def with_digest(self, cycle: str, owner: str) -> ChaseRecord:
        # The owner is named because the anchor may be reassigned later in the cycle:
        # the digest went to whoever owned it then, not to its next owner.
        return replace(self, digests=(self.digests + (f"{cycle} {owner}",))[-KEEP_CYCLES:])

    def sending(self, cycle: str, owner: str) -> ChaseRecord:
        """The record as written before the notification: digested, and pending."""
        entry = f"{cycle} {owner}"
        return replace(self.with_digest(cycle, owner), pending=self.pending + (entry,))

    def settled(self, entry: str | None = None) -> ChaseRecord:
        """Without the pending ``entry`` (a digest now known sent), or without any."""
        return replace(self, pending=tuple(p for p in self.pending
                                           if entry is not None and p != entry))

    def digested(self, cycle: str, assignee: str | None) -> set[str | None]:
        """Owners whose digest of ``cycle`` this action anchored (records written before
        digests named their owner count for the current ``assignee``)."""
        return {owner or assignee for entry in self.digests
                for name, _, owner in [entry.partition(" ")] if name == cycle}

    def with_rung(self, due: date, rung: Rung) -> ChaseRecord:
        return replace(self, due=due.isoformat(), rungs=self.fired(due) + (rung.after_days,))

    def fired(self, due: date) -> tuple[int, ...]:
        """Rungs fired for this due date; a moved due date restarts the ladder."""
        return self.rungs if self.due == due.isoformat() else ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"v": 1, "prompts": list(self.prompts), "digests": list(self.digests),
               "due": self.due, "rungs": list(self.rungs)}
        if self.told:
            out["told"] = self.told
        return {**out, "pending": list(self.pending)} if self.pending else out

    @staticmethod
    def from_json(data: Any) -> ChaseRecord:
        if not isinstance(data, dict):
            return ChaseRecord()
        def strings(name: str) -> tuple[str, ...]:
            value = data.get(name)
            return tuple(str(v) for v in value) if isinstance(value, list) else ()
        listed = data.get("rungs")
        rungs = tuple(v for v in (listed if isinstance(listed, list) else ())
                      if isinstance(v, int) and not isinstance(v, bool))
        due = data.get("due") if isinstance(data.get("due"), str) else None
        told = data.get("told") if isinstance(data.get("told"), str) else None
        return ChaseRecord(strings("prompts"), strings("digests"), due, rungs,
                           strings("pending"), told)
