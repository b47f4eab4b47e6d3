"""What jirasync last wrote to an issue, kept on the issue itself (property ``jirasync``).

Text is kept as a fingerprint of its normalised form: the property stays small (Jira
allows 32,768 characters) and line-ending or trailing-space changes Jira makes never
count as edits.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jirasync.model import Identity

FIELDS = ("summary", "description", "assignee", "due")


def normalise(text: str | None) -> str:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def fingerprint(name: str, value: Any) -> str:
    """A short, stable stand-in for a field value as jirasync compares it."""
    if name in ("summary", "description"):
        return hashlib.sha256(normalise(value).encode()).hexdigest()[:16]
    if isinstance(value, date):
        return value.isoformat()
    return value or ""


RECORD = ("name", "live_date")    # what a release issue records of its release for reports


@dataclass(frozen=True)
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
        record = {k: data[k] for k in RECORD if isinstance(data.get(k), str)}
        return Memory(identity,
                      {k: str(v) for k, v in fields.items()} if isinstance(fields, dict) else {},
                      tuple(labels) if isinstance(labels, list) else (), record)
