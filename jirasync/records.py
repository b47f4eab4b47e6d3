"""What jirasync keeps in Jira, encoded and decoded in one place: on each synced issue its
identity and what sync last wrote (property ``jirasync``, ``Memory``), on a release issue
the release's name and live date with it (``RECORD``) and its summary (``RELEASE_TITLE``);
on each action what chase has sent about it (property ``jirasync.chase``,
``ChaseRecord``) and what it keeps of its owners' answers (``jirasync.answers``,
``AnswersRecord``); and ``Sent``, the line a run reports of each message it sent or
answer it carried out. Pure: sync, chase, the answers, the reports and the channel all
read them through here."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from jirasync.escalation import Rung
from jirasync.model import ANSWERS_PROPERTY, CHASE_PROPERTY, SYNC_PROPERTY, Identity

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


def answers_record_of(properties: Mapping[str, Any]) -> AnswersRecord:
    """What an action keeps of its owners' answers, from its properties (empty if none)."""
    return AnswersRecord.from_json(properties.get(ANSWERS_PROPERTY))


@dataclass(frozen=True)
class Sent:
    """One line of chase's report: ``kind`` prompt/digest/escalation/cleared/unowned/failed,
    or answer/refused for an owner's answer carried out or turned down."""

    kind: str
    key: str
    to: tuple[str, ...] = ()
    detail: str = ""


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
        return ChaseRecord(strings("prompts"), strings("digests"), text(data.get("due")),
                           rungs, strings("pending"), text(data.get("told")))


ANSWERS_VERSION = 1
KEEP_ANSWERED = 500       # answered comment ids kept (the newest): far more than any action gets


@dataclass(frozen=True)
class Extension:
    to: str
    reason: str
    on: str
    was: str | None = None


@dataclass(frozen=True)
class AnswersRecord:
    """What an action keeps of its owners' answers, in Jira, never only in the state
    folder: the ids of the comments already answered (so each is applied and
    acknowledged once, by whichever run or host), the extensions with their reasons, and
    the open block."""

    answered: tuple[str, ...] = ()
    extensions: tuple[Extension, ...] = ()
    blocked: str | None = None          # the reason given, while the block stands
    blocked_on: str | None = None
    done: str | None = None             # a done answer recorded (no transition offered)

    @classmethod
    def from_json(cls, data: Any) -> AnswersRecord:
        if not isinstance(data, dict):
            return cls()
        ext = tuple(Extension(to=str(e.get("to")), reason=str(e.get("reason", "")),
                              on=str(e.get("on", "")), was=text(e.get("was")))
                    for e in data.get("extensions") or () if isinstance(e, dict))
        return cls(answered=tuple(map(str, data.get("answered") or ())), extensions=ext,
                   blocked=text(data.get("blocked")), blocked_on=text(data.get("blocked_on")),
                   done=text(data.get("done")))

    def to_json(self) -> dict[str, Any]:
        return {"v": ANSWERS_VERSION, "answered": list(self.answered[-KEEP_ANSWERED:]),
                "extensions": [{"to": e.to, "reason": e.reason, "on": e.on, "was": e.was}
                               for e in self.extensions],
                "blocked": self.blocked, "blocked_on": self.blocked_on, "done": self.done}

    def has(self, comment: str) -> bool:
        return comment in self.answered

    def answering(self, comment: str) -> AnswersRecord:
        return replace(self, answered=(*self.answered, comment))

    def summary(self) -> str:
        """"extended 3×, last: waiting for partner sign-off", or "" without extensions."""
        if not self.extensions:
            return ""
        return f"extended {len(self.extensions)}×, last: {self.extensions[-1].reason}"


def text(value: Any) -> str | None:
    """A record's text, or None where it holds something else (a hand-edited property)."""
    return value if isinstance(value, str) else None
