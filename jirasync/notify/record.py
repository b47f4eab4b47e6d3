""""Sent for day D on channel C", kept in Jira where a second host or a lost state folder
sees it: project properties ``jirasync.notify.<channel>.<day>.<n>``, one per attempt n.

Jira has no compare-and-set, but a property PUT answers 201 when it created the
property (the lease's rule, docs/exactly-once.md): an attempt is claimed by creating its
property, so of two runs claiming the same attempt only one posts. The claim is written
before the post and turned into ``sent`` or ``failed`` after it. So:

- ``sent``: the day is done on that channel; no later run posts again.
- ``failed``: the service did not take the message (or answered 5xx): a later run that
  day claims attempt n+1 and tries again.
- ``claimed`` and older than BUSY: a run stopped between posting and recording. The
  message may or may not be in the channel: it is reported (``unconfirmed``), never posted
  again that day. At worst the PMO sees one day without a message, and is told so.

A bot without *Administer Projects* cannot write project properties: the record falls
back to the state folder, with a warning that another host or a lost state folder may
post the day again.
"""
from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from jirasync.errors import AuthError
from jirasync.json_values import JSON, ToJSON
from jirasync.lease_types import ProjectProperties
from jirasync.state import StateDir

PREFIX = "jirasync.notify."
BUSY = timedelta(minutes=10)     # a claim younger than this may be a run still posting
KEEP_DAYS = 7                    # older days' records are removed
LOCAL = "notify.json"


class Store(Protocol):
    def keys(self) -> list[str]: ...

    def get(self, name: str) -> JSON: ...

    def create(self, name: str, value: Mapping[str, ToJSON]) -> bool: ...

    def put(self, name: str, value: Mapping[str, ToJSON]) -> None: ...

    def delete(self, name: str) -> None: ...


class JiraStore:
    def __init__(self, jira: ProjectProperties):
        self.jira = jira

    def keys(self) -> list[str]:
        return [k for k in self.jira.project_property_keys() if k.startswith(PREFIX)]

    def get(self, name: str) -> JSON:
        return self.jira.get_project_property(name)

    def create(self, name: str, value: Mapping[str, ToJSON]) -> bool:
        return self.jira.put_project_property(name, value, once=True)

    def put(self, name: str, value: Mapping[str, ToJSON]) -> None:
        self.jira.put_project_property(name, value)

    def delete(self, name: str) -> None:
        self.jira.delete_project_property(name)


class LocalStore:
    """The same record in the state folder: one host, one folder."""

    def __init__(self, state: StateDir):
        self.state = state

    def _all(self) -> dict[str, JSON]:
        data = self.state.read_json(LOCAL)
        return data if isinstance(data, dict) else {}

    def keys(self) -> list[str]:
        return list(self._all())

    def get(self, name: str) -> JSON:
        return self._all().get(name)

    def create(self, name: str, value: Mapping[str, ToJSON]) -> bool:
        data = self._all()
        created = name not in data
        self.state.write_json(LOCAL, {**data, name: value})
        return created

    def put(self, name: str, value: Mapping[str, ToJSON]) -> None:
        self.state.write_json(LOCAL, {**self._all(), name: value})

    def delete(self, name: str) -> None:
        data = self._all()
        data.pop(name, None)
        self.state.write_json(LOCAL, data)


@dataclass(frozen=True)
class Look:
    """Where the day stands on a channel: ``state`` is none, sent, failed, busy or
    unconfirmed; ``attempt`` the newest attempt's number (0: none yet)."""

    state: str
    attempt: int
    value: dict[str, JSON] | None = None


def name(channel: str, day: date, attempt: int) -> str:
    return f"{PREFIX}{channel}.{day.isoformat()}.{attempt}"


def _attempt(key: str, channel: str, day: date) -> int | None:
    head = f"{PREFIX}{channel}.{day.isoformat()}."
    tail = key[len(head):] if key.startswith(head) else ""
    return int(tail) if tail.isdigit() else None


class DayRecord:
    """The channel's record of the day, in Jira (or, without the permission, the state
    folder). ``now`` is the run's clock."""

    def __init__(self, jira: ProjectProperties, state: StateDir, *,
                 now: Callable[[], datetime], warn: Callable[[str], None]):
        self.store: Store = JiraStore(jira)
        self.local = LocalStore(state)
        self.now, self.warn = now, warn
        self._keys: list[str] | None = None

    def _fall_back(self, e: AuthError) -> None:
        if e.status != 403 or self.store is self.local:
            raise e
        self.warn("the bot may not write project properties (Administer Projects), so the "
                  "channel's record of the day is kept in the state folder: another host or "
                  "a lost state folder may post the day's message again")
        self.store, self._keys = self.local, None

    def _listed(self) -> list[str]:
        if self._keys is None:
            try:
                self._keys = self.store.keys()
            except AuthError as e:
                self._fall_back(e)
                self._keys = self.store.keys()
        return self._keys

    def look(self, channel: str, day: date) -> Look:
        attempts = [n for k in self._listed() if (n := _attempt(k, channel, day))]
        if not attempts:
            return Look("none", 0)
        newest = max(attempts)
        value = self.store.get(name(channel, day, newest))
        if not isinstance(value, dict):
            return Look("failed", newest, None)     # gone or edited by hand: try again
        state = value.get("state")
        if state in ("sent", "failed"):
            return Look(str(state), newest, value)
        if state == "claimed" and self._young(value):
            return Look("busy", newest, value)
        if state == "claimed":
            return Look("unconfirmed", newest, value)
        return Look("failed", newest, None)     # gone or edited by hand: try again

    def _young(self, value: dict[str, JSON]) -> bool:
        try:
            at = datetime.fromisoformat(str(value.get("at")))
        except ValueError:
            return False
        if value.get("host") == socket.gethostname() and not _alive(value.get("pid")):
            return False                        # a run of this host that was killed
        return at.tzinfo is not None and self.now() - at < BUSY

    def claim(self, channel: str, day: date, attempt: int, message: str) -> bool:
        """Claim ``attempt``; False if another run created it first."""
        value: dict[str, ToJSON] = {
            "v": 1, "state": "claimed", "channel": channel, "day": day.isoformat(),
            "attempt": attempt, "message": message, "host": socket.gethostname(),
            "pid": os.getpid(), "at": self.now().isoformat()}
        try:
            return self.store.create(name(channel, day, attempt), value)
        except AuthError as e:
            self._fall_back(e)
            return self.store.create(name(channel, day, attempt), value)

    def settle(self, channel: str, day: date, attempt: int, *, sent: bool, why: str = "",
               tries: int = 1) -> None:
        value: dict[str, ToJSON] = {
            "v": 1, "state": "sent" if sent else "failed", "channel": channel,
            "day": day.isoformat(), "attempt": attempt, "tries": tries, "why": why,
            "host": socket.gethostname(), "at": self.now().isoformat()}
        self.store.put(name(channel, day, attempt), value)

    def tidy(self, day: date) -> None:
        """Remove the records of days more than KEEP_DAYS before ``day``."""
        oldest = (day - timedelta(days=KEEP_DAYS)).isoformat()
        for key in self._listed():
            recorded = key[len(PREFIX):].split(".")
            if len(recorded) == 3 and recorded[1] < oldest:
                self.store.delete(key)


def _alive(pid: JSON) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
