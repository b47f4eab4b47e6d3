"""sync's record of its recent creates, kept in Jira (project property ``jirasync.sync``).

Jira Cloud's search may not show an issue for a while after it was made. The state
folder remembers recent creates, but a crashed run, a deleted folder or another host
leave it blind. So the record lives in Jira too: before a run's first bulk create, one
*in-flight* entry says "issues made from here on, after key N, may be ours"; after its
last, the keys made replace that entry (two writes a run, not two a chunk). The next run
reads the record: recent keys by key (consistent), and for an in-flight entry a crash
left behind, every key above N the search did not show, until more keys are missing in a
row than a chunk holds (the entry's count: a chunk's, never the run's) and a margin
(deleted keys leave gaps; the run's chunks follow each other in key order).

Only the lease holder writes it. A record Jira refuses to write (no permission) is
skipped: the state folder and the probe above the highest key still guard.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeGuard

from jirasync.errors import JiraError
from jirasync.json_values import JSON, ToJSON
from jirasync.sync.port import SyncJira

PROPERTY = "jirasync.sync"
KEEP_FOR = timedelta(days=1)
KEEP_MAX = 500          # entries; a property holds at most 32,768 characters


@dataclass(frozen=True)
class InFlight:
    after: int          # the highest key number known when the create was sent
    count: int          # issues in the request
    at: str


@dataclass
class Ledger:
    jira: SyncJira
    now: datetime
    created: list[list[str]] = field(default_factory=list)      # [key, id, at]
    inflight: list[InFlight] = field(default_factory=list)

    @classmethod
    def read(cls, jira: SyncJira, now: datetime) -> Ledger:
        """The record as Jira holds it; an unreadable value counts as empty."""
        raw = jira.get_project_property(PROPERTY)
        ledger = cls(jira, now)
        if isinstance(raw, dict):
            ledger.created = [e for e in _items(raw.get("created")) if _entry(e)]
            ledger.inflight = [f for f in map(_flight, _items(raw.get("inflight"))) if f]
        return ledger

    def recent(self) -> dict[str, dict[str, str]]:
        """Recent creates, shaped like the state folder's: name -> {key, id, at}."""
        return {f"jira:{key}": {"key": key, "id": issue_id, "at": at}
                for key, issue_id, at in self.created}

    def begin(self, after: int, count: int) -> InFlight:
        flight = InFlight(after, count, self.now.isoformat())
        self.inflight.append(flight)
        self._write()
        return flight

    def done(self, flight: InFlight, made: Iterable[tuple[str, str]]) -> None:
        if flight in self.inflight:
            self.inflight.remove(flight)
        known = {e[0] for e in self.created}
        self.created.extend([key, issue_id, self.now.isoformat()]
                            for key, issue_id in made if key not in known)
        self._write()

    def settle(self, found: Iterable[tuple[str, str]]) -> None:
        """Replace the in-flight entries by what an observation found above them (a
        crashed run's creates), so the next run reads those by key."""
        if self.inflight:
            self.inflight.clear()
            known = {e[0] for e in self.created}
            self.created.extend([key, issue_id, self.now.isoformat()]
                                for key, issue_id in found if key not in known)
            self._write()

    def _write(self) -> None:
        cutoff = (self.now - KEEP_FOR).isoformat()
        self.created = [e for e in self.created if e[2] >= cutoff][-KEEP_MAX:]
        self.inflight = [f for f in self.inflight if f.at >= cutoff]
        value: ToJSON = {"created": self.created,
                 "inflight": [{"after": f.after, "count": f.count, "at": f.at}
                              for f in self.inflight]}
        try:
            self.jira.put_project_property(PROPERTY, value)
        except JiraError as e:
            if e.status != 403:
                raise


def _items(value: JSON) -> list[JSON]:
    """The items of a list in the record; anything else holds none."""
    return value if isinstance(value, list) else []


def _entry(e: JSON) -> TypeGuard[list[str]]:
    return isinstance(e, list) and len(e) == 3 and all(isinstance(x, str) for x in e)


def _flight(f: JSON) -> InFlight | None:
    if not isinstance(f, dict):
        return None
    after, count, at = f.get("after"), f.get("count"), f.get("at")
    if isinstance(after, int) and isinstance(count, int) and isinstance(at, str):
        return InFlight(int(after), int(count), at)
    return None
