"""The index of chase's records kept in project properties, for a report read cold on
Data Center (whose search returns no issue property, JRASERVER-62898): one request per
part instead of one read by key per overdue action (docs/chase.md, "The index").

Each entry is an unresolved action's properties as chase last knew them (its chase
record and answers record), with the issue's version (``updated``) they belong to: a
report takes an entry only for the very version its search shows, so an edit made since
(an owner's answer, an older jirasync's chase, a person) sends it back to the read by key.

A property value is at most 32,768 characters (Jira's contract), so the index is sharded:
``jirasync.rungs`` is the head, naming the write and its number of parts, and
``jirasync.rungs.2``, ``.3``, ... hold the entries, each carrying the write's id. The
head is written twice: first marked ``writing`` (before chase writes any record), last
clear, after every part. A reader trusts the index only when the head is clear and every
part carries its write id, so a write cut off anywhere is never half-trusted.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

HEAD = "jirasync.rungs"
FORMAT = 1
# Under Jira's 32,768 characters per property value, with room for the part's own keys.
PART_LIMIT = 32000


def part_name(number: int) -> str:
    """The property holding part ``number`` (2 and up; the head is part 1)."""
    return f"{HEAD}.{number}"


@dataclass(frozen=True)
class Entry:
    """One action's properties (by name) as of the issue's version ``updated``."""

    updated: str
    properties: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"u": self.updated, "p": dict(self.properties)}

    @staticmethod
    def from_json(value: Any) -> Entry | None:
        if not isinstance(value, dict) or not isinstance(value.get("u"), str) or \
                not isinstance(value.get("p"), dict):
            return None
        return Entry(value["u"], value["p"])


Index = dict[str, Entry]      # action key -> its entry


def size(value: Any) -> int:
    """A value's length as Jira measures it: its JSON text (ASCII, so bytes too)."""
    return len(json.dumps(value))


def head(write: str, *, parts: int, writing: bool) -> dict[str, Any]:
    """The head's value: the write's id, how many parts (the head counts as 1)."""
    return {"format": FORMAT, "write": write, "parts": parts, "writing": writing}


def shard(index: Mapping[str, Entry], write: str,
          limit: int = PART_LIMIT) -> list[dict[str, Any]]:
    """The parts 2..n of ``index``, each value at most ``limit`` characters. An entry too
    large for a part of its own is left out: a report reads that action by key."""
    parts: list[dict[str, Any]] = []
    empty = size({"write": write, "entries": {}})
    current: dict[str, Any] = {}
    used = empty
    for key in sorted(index):
        value = index[key].to_json()
        # ", " between entries and '"key": ' before each, as json.dumps writes them.
        cost = size(key) + 2 + size(value) + (2 if current else 0)
        if empty + cost > limit:
            continue
        if used + cost > limit:
            parts.append({"write": write, "entries": current})
            current, used, cost = {}, empty, cost - 2
        current[key] = value
        used += cost
    if current or not parts:
        parts.append({"write": write, "entries": current})
    return parts


def read(get: Callable[[str], Any]) -> Index | None:
    """The index ``get`` (a project property by name, None when absent) holds, or None
    when it cannot be trusted: no head, a head marked writing or of another format, a
    part missing or of another write."""
    top = get(HEAD)
    if not isinstance(top, dict) or top.get("format") != FORMAT or top.get("writing") \
            or not isinstance(top.get("write"), str) or not isinstance(top.get("parts"), int):
        return None
    out: Index = {}
    for number in range(2, top["parts"] + 1):
        part = get(part_name(number))
        if not isinstance(part, dict) or part.get("write") != top["write"] or \
                not isinstance(part.get("entries"), dict):
            return None
        for key, value in part["entries"].items():
            entry = Entry.from_json(value)
            if entry is not None:
                out[key] = entry
    return out


def parts_of(top: Any) -> int:
    """How many parts a head names (1 when there is no index): those past a new write's
    count are removed after it."""
    return top["parts"] if isinstance(top, dict) and isinstance(top.get("parts"), int) else 1
