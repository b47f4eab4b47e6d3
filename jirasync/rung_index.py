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

from jirasync.json_values import JSON, ToJSON

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
    properties: Mapping[str, JSON]

    def to_json(self) -> dict[str, ToJSON]:
        return {"u": self.updated, "p": dict(self.properties)}

    @staticmethod
    def from_json(value: JSON) -> Entry | None:
        if not isinstance(value, dict):
            return None
        updated, properties = value.get("u"), value.get("p")
        if not isinstance(updated, str) or not isinstance(properties, dict):
            return None
        return Entry(updated, properties)


Index = dict[str, Entry]      # action key -> its entry


def size(value: ToJSON) -> int:
    """A value's length as Jira measures it: its JSON text (ASCII, so bytes too)."""
    return len(json.dumps(value))


def head(write: str, *, parts: int, writing: bool) -> dict[str, ToJSON]:
    """The head's value: the write's id, how many parts (the head counts as 1)."""
    return {"format": FORMAT, "write": write, "parts": parts, "writing": writing}


def shard(index: Mapping[str, Entry], write: str,
          limit: int = PART_LIMIT) -> list[dict[str, ToJSON]]:
    """The parts 2..n of ``index``, each value at most ``limit`` characters. An entry too
    large for a part of its own is left out: a report reads that action by key."""
    parts: list[dict[str, ToJSON]] = []
    empty = size({"write": write, "entries": {}})
    current: dict[str, ToJSON] = {}
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


def read(get: Callable[[str], JSON]) -> Index | None:
    """The index ``get`` (a project property by name, None when absent) holds, or None
    when it cannot be trusted: no head, a head marked writing or of another format, a
    part missing or of another write."""
    top = get(HEAD)
    if not isinstance(top, dict):
        return None
    write, parts = top.get("write"), top.get("parts")
    if top.get("format") != FORMAT or top.get("writing") or not isinstance(write, str) \
            or not isinstance(parts, int):
        return None
    out: Index = {}
    for number in range(2, parts + 1):
        part = get(part_name(number))
        entries = part.get("entries") if isinstance(part, dict) else None
        if not isinstance(part, dict) or part.get("write") != write or \
                not isinstance(entries, dict):
            return None
        for key, value in entries.items():
            entry = Entry.from_json(value)
            if entry is not None:
                out[key] = entry
    return out


def parts_of(top: JSON) -> int:
    """How many parts a head names (1 when there is no index): those past a new write's
    count are removed after it."""
    parts = top.get("parts") if isinstance(top, dict) else None
    return parts if isinstance(parts, int) else 1
