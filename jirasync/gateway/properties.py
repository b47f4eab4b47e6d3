"""The Data Center property cache: its search cannot return issue properties, so they
are read by key, and kept by issue version (``updated``) to save reading again an issue
unchanged since. It is only ever a cache: losing it costs requests, never correctness."""
from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

Entry = dict[str, Any]    # {"updated": ..., "read": [names], "properties": {name: value}}


class PropertyCache:
    """key -> what was read of the issue's properties, and at which version."""

    def __init__(self, entries: MutableMapping[str, Entry] | None = None):
        # Kept and changed in place, not copied: a large one is read lazily, each entry
        # parsed when asked for, and written again only if changed (state's PropertyFile).
        self._entries: MutableMapping[str, Entry] = {} if entries is None else entries

    @property
    def entries(self) -> MutableMapping[str, Entry]:
        """Everything held, to keep for the next run."""
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def seed(self, key: str, properties: Mapping[str, Any]) -> None:
        """The properties an issue was just created with: its version is not known yet
        (``updated`` None) and is taken from the first search that returns it."""
        self._entries[key] = {"updated": None, "read": sorted(properties),
                              "properties": dict(properties)}

    def lookup(self, key: str, updated: str | None, names: Sequence[str]) -> dict[str, Any] | None:
        """The properties ``names`` of ``key`` if held for this very version, else None."""
        cached = self._entries.get(key) or {}
        if cached and cached.get("updated") is None and updated:     # seeded by a create
            cached = self._entries[key] = {**cached, "updated": updated}
        if updated and cached.get("updated") == updated and \
                all(n in cached.get("read", ()) for n in names):
            return {n: v for n, v in cached["properties"].items() if n in names}
        return None

    def store(self, key: str, updated: str | None, names: Sequence[str],
              properties: Mapping[str, Any]) -> dict[str, Any]:
        """Keep ``properties`` (the ``names`` read at version ``updated``); what an
        earlier read of the same version held for other names is kept too."""
        cached = self._entries.get(key) or {}
        held, read = dict(properties), list(names)
        if updated == cached.get("updated"):     # same version: keep the other names
            held = {**cached.get("properties", {}), **held}
            read = sorted({*cached.get("read", ()), *names})
        self._entries[key] = {"updated": updated, "read": read, "properties": held}
        return {n: v for n, v in held.items() if n in names}

    def forget(self, key: str) -> None:
        """After a write: a property-only edit may keep ``updated`` as it was. The key
        stays, at no version a search can show: known to have had its properties read (a
        report reads such an action's chase record again, see reports/reader.py)."""
        self._entries[key] = {"updated": "", "read": [], "properties": {}}
