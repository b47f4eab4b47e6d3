"""``properties.json``, Data Center's property cache in the state folder (see
gateway/properties), kept one line an issue so that a run parses only the entries it
asks for: at 50,000 issues the whole file parsed at once held every issue's memory a
second time beside ``seen.json``'s (about 80 MB of a re-sync's peak), for a run that
asks for a handful.

Form 2 (written since 2026-12): a header line ``{"v":2,"entries":N}``, then one line an
issue, ``[key, entry]``, then the header line again. A file without that closing line
was cut short (a full disk, a crash mid-write without the rename) and is set aside,
never trusted in part. Lines are kept as read and each is parsed when its key is asked
for; a run that changed no entry writes nothing, and one that did writes the others
back as they were read. Form 1 (one JSON object, key -> entry) is still read, and
written again in form 2.
"""
from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

LOG = logging.getLogger("jirasync.state")

VERSION = 2
SHARED_BELOW = 64       # texts this short recur (ids, labels, versions, dates): held once
Entry = dict[str, Any]      # {"updated": ..., "read": [names], "properties": {name: value}}


class PropertyFile(MutableMapping[str, Entry]):
    """key -> entry, each held as its line: parsed when asked for, made when set."""

    def __init__(self, entries: Mapping[str, Entry] | None = None, *,
                 lines: dict[str, str] | None = None, changed: bool = False):
        self._held: dict[str, str] = {} if lines is None else lines
        self._texts: dict[str, str] = {}         # one copy of each short text (_shared)
        # Whether the file needs writing: an entry set to another value or removed, or a
        # file read in form 1.
        self.changed = changed
        for key, entry in (entries or {}).items():
            self._held[key] = _line(key, entry)

    def __getitem__(self, key: str) -> Entry:
        try:        # parsed each time: what a caller does with it never changes the line
            entry = self._shared(json.loads(self._held[key])[1])
            if isinstance(entry, dict):
                return entry
        except (ValueError, IndexError, TypeError):
            pass
        LOG.warning("properties.json: the entry of %s is not what jirasync writes there; "
                    "it is dropped, and read again from Jira", key)
        del self[key]
        raise KeyError(key)

    def _shared(self, value: Any) -> Any:
        """``value`` with its names and short texts held once across the entries: parsed
        a line at a time, each entry would hold its own copies, and a run that reads every
        issue keeps every memory (twice the memory of the whole file parsed at once)."""
        if type(value) is dict:
            return {sys.intern(k): self._shared(v) for k, v in value.items()}
        if type(value) is list:
            return [self._shared(v) for v in value]
        if type(value) is str and len(value) < SHARED_BELOW:
            return self._texts.setdefault(value, value)
        return value

    def __setitem__(self, key: str, entry: Entry) -> None:
        # Kept as its line, not as the entry: as compact as the lines read, and compared
        # with the line held without parsing it.
        line = _line(key, entry)
        if self._held.get(key) != line:
            self._held[key] = line
            self.changed = True

    def __delitem__(self, key: str) -> None:
        del self._held[key]
        self.changed = True

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)

    def lines(self) -> Iterator[str]:
        """The file in form 2, made as it is written: an entry not changed is its line
        as it was read."""
        header = json.dumps({"v": VERSION, "entries": len(self._held)}) + "\n"
        yield header
        yield from self._held.values()
        yield header


def _line(key: str, entry: Entry) -> str:
    return json.dumps([key, entry], separators=(",", ":")) + "\n"


def read(lines: Iterator[str]) -> PropertyFile:
    """The cache in ``lines`` (the file's, read as asked for), either form. ValueError
    (and the like) if it is not what jirasync writes, or was cut short; StopIteration if
    it is empty."""
    first = next(lines)
    try:
        head = json.loads(first)
    except ValueError:          # form 1 written over several lines (by hand)
        head = json.loads(first + "".join(lines))
    if not _is_header(head):
        if not isinstance(head, dict):
            raise TypeError("not a JSON object")
        # Form 1: written again in form 2 at the end of the run.
        return PropertyFile({k: v for k, v in head.items() if isinstance(v, dict)},
                            changed=True)
    held: dict[str, str] = {}
    for line in lines:
        if line == first:       # the closing line
            break
        if not line.endswith("\n"):       # the file's end, mid-line
            break
        held[_key(line)] = line
    else:
        line = ""
    if line != first:
        raise ValueError(f"cut short: {len(held):,} whole entries of the "
                         f"{head['entries']:,} its first line announces, and no closing line")
    if len(held) != head["entries"] or next(lines, None) is not None:
        raise ValueError(f"{len(held):,} entries where its first line announces "
                         f"{head['entries']:,}")
    return PropertyFile(lines=held)


def _is_header(data: Any) -> bool:
    return isinstance(data, dict) and set(data) == {"v", "entries"} and \
        data["v"] == VERSION and isinstance(data["entries"], int)


def _key(line: str) -> str:
    """The key of an entry's line, without parsing the entry (that waits until asked)."""
    if not (line.startswith('["') and line.endswith("]\n")):
        raise ValueError("a line that is not an entry")
    end = line.find('",', 2)
    key = line[2:end]
    if end > 2 and "\\" not in key:
        return key
    found = json.loads(line)[0]         # a key with an escaped character
    if not isinstance(found, str):
        raise TypeError("an entry whose key is not text")
    return found
