"""``seen.json``, the last sync's view of Jira (see incremental), written and read as a
stream: at 50,000 issues the whole file parsed at once, beside the issues made from it,
was most of a re-sync's peak memory.

Form 2 (written since 2026-12): the first line is the header (the run's times, scope and
key sets, and how many issues follow); then lines of up to ``ROWS`` issues each, one JSON
array per line, an issue a row ``[key, id, type, summary, description, labels, parent,
assignee, due, property]``. A summary or description that is exactly what jirasync last
wrote there (its fingerprint is the memory's) is kept as ``[fingerprint]``: a plan only
compares it, and shows Jira's text only where it differs from the memory. Form 1 (one
JSON object, the issues a list of objects) is still read, and the run writes form 2.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from jirasync.bulk import paused_gc
from jirasync.fingerprint import Digest, fingerprint
from jirasync.gateway.types import JiraIssue
from jirasync.model import SYNC_PROPERTY as PROPERTY

VERSION = 2
ROWS = 1000       # issues a line: its parse shares the property's key strings


class Header:
    """The header's fields, checked for type; ``count`` issues follow (form 2)."""

    def __init__(self, data: Any):
        if not isinstance(data, dict) or data.get("v") not in (1, VERSION):
            raise ValueError("not a seen.json jirasync writes")
        self.data = data
        self.version: int = data["v"]
        self.scope = str(data["scope"])
        self.inferred = frozenset(map(str, data.get("inferred", ())))

    def when(self, name: str) -> datetime | None:
        text = self.data.get(name)
        return datetime.fromisoformat(text) if text else None

    def keys(self, name: str) -> frozenset[str]:
        return frozenset(map(str, self.data.get(name, ())))

    @property
    def high_water(self) -> int:
        return int(self.data["high_water"])


def read_header(lines: Iterator[str]) -> Header:
    return Header(json.loads(next(lines)))


@dataclass(frozen=True, slots=True)
class Line:
    """A line of issues as it was read: its text's hash, and the keys of the issues made
    of it. A run that writes those very issues again (each still the one ``remembered``,
    not one searched since) copies the line instead of making it anew (most of a
    no-change re-sync's save). Keys, not the issues: an issue searched again is let go
    of as its successor arrives (see incremental)."""

    digest: int
    keys: tuple[str, ...]

    def holds(self, issues: Sequence[JiraIssue], remembered: Mapping[str, JiraIssue]) -> bool:
        return len(issues) == len(self.keys) and \
            all(i.key == k and remembered.get(k) is i
                for i, k in zip(issues, self.keys, strict=True))


def read_issues(header: Header, lines: Iterator[str],
                read: list[Line] | None = None) -> dict[str, JiraIssue]:
    """The issues after ``header``, one line of them parsed at a time (each line noted in
    ``read``). ValueError if they are not all there (a file cut short)."""
    issues: dict[str, JiraIssue] = {}
    if header.version == 1:         # form 1: the header line held the whole file
        raw = header.data["issues"]
        with paused_gc():
            for n, entry in enumerate(raw):
                issue = _issue_from_v1(entry)
                issues[issue.key] = issue
                raw[n] = None       # let each one's JSON go as it is converted
        return issues
    digests: dict[str, Digest] = {}
    with paused_gc():
        for line in lines:
            made = [_issue_from(row, digests) for row in json.loads(line)]
            issues.update((issue.key, issue) for issue in made)
            if read is not None:
                read.append(Line(hash(line), tuple(i.key for i in made)))
    if len(issues) != int(header.data["issues"]):
        raise ValueError(f"{len(issues)} issues where the header says {header.data['issues']}")
    return issues


def lines(header: dict[str, Any], issues: Collection[JiraIssue], read: Sequence[Line] = (),
          old: Iterable[str] = (), remembered: Mapping[str, JiraIssue] | None = None
          ) -> Iterator[str]:
    """The file's lines, made as they are written: ``header`` (every field but the form
    and the count), then the issues. A line of the same issues as the one ``read`` in
    that place (those ``remembered`` from it) is the ``old`` file's line, copied as it is
    (its hash checked)."""
    yield json.dumps({"v": VERSION, **header, "issues": len(issues)},
                     separators=(",", ":")) + "\n"
    old = iter(old)
    next(old, None)                     # its header
    each = iter(issues)
    for n, chunk in enumerate(iter(lambda: list(islice(each, ROWS)), [])):
        was = next(old, None)
        if was is not None and remembered is not None and n < len(read) and \
                read[n].holds(chunk, remembered) and \
                hash(was) == read[n].digest:
            yield was
        else:
            yield json.dumps([_row(issue) for issue in chunk], separators=(",", ":")) + "\n"


def _row(issue: JiraIssue) -> list[Any]:
    memory = issue.properties.get(PROPERTY)
    fields = memory.get("fields") if isinstance(memory, dict) else None
    return [issue.key, issue.id, issue.issue_type,
            _text("summary", issue.summary, fields),
            _text("description", issue.description, fields),
            list(issue.labels), issue.parent, issue.assignee,
            issue.due.isoformat() if issue.due else None, memory]


def _text(name: str, text: str, fields: Any) -> str | list[str]:
    """The text, or ``[fingerprint]`` where it is what jirasync last wrote (a digest read
    back stays one: it was so when it was kept, and an issue is remembered only while
    unchanged in Jira)."""
    if isinstance(text, Digest):
        return [str(text)]
    if isinstance(fields, dict) and fields.get(name) and \
            fields.get(name) == fingerprint(name, text):
        return [fields[name]]
    return text


def _issue_from(row: list[Any], digests: dict[str, Digest]) -> JiraIssue:
    key, issue_id, kind, summary, description, labels, parent, assignee, due, memory = row
    return JiraIssue(key=str(key), id=str(issue_id), issue_type=_one(str(kind)),
                     summary=_text_from(summary, digests),
                     description=_text_from(description, digests),
                     labels=tuple(_one(str(label)) for label in labels),
                     parent=_one(parent), assignee=_one(assignee),
                     due=date.fromisoformat(due) if due else None,
                     properties={PROPERTY: _shared(memory)} if memory is not None else {})


def _text_from(value: Any, digests: dict[str, Digest]) -> str:
    if isinstance(value, list):
        digest, = value
        # a template's texts recur: one copy of each fingerprint
        return digests.get(digest) or digests.setdefault(digest, Digest(str(digest)))
    return str(value)


def _shared(memory: Any) -> Any:
    """The memory, its recurring texts (release, lesson and action ids, labels, owner,
    due date) held once each: parsed line by line they would be a copy an issue."""
    if isinstance(memory, dict):
        for name in ("release", "lesson", "action"):
            if name in memory:
                memory[name] = _one(memory[name])
        labels = memory.get("labels")
        if isinstance(labels, list):
            memory["labels"] = [_one(label) for label in labels]
        fields = memory.get("fields")
        if isinstance(fields, dict):
            for name in ("assignee", "due"):
                if name in fields:
                    fields[name] = _one(fields[name])
    return memory


def _issue_from_v1(data: dict[str, Any]) -> JiraIssue:
    return JiraIssue(key=str(data["key"]), id=str(data["id"]),
                     issue_type=_one(str(data["type"])),
                     summary=str(data["summary"]), description=str(data["description"]),
                     labels=tuple(_one(str(label)) for label in data["labels"]),
                     parent=_one(data.get("parent")), assignee=_one(data.get("assignee")),
                     due=date.fromisoformat(data["due"]) if data.get("due") else None,
                     properties={PROPERTY: data["property"]}
                     if data.get("property") is not None else {})


def _one(text: Any) -> Any:
    # Labels, types, parents and owners recur across thousands of issues: one copy each.
    return sys.intern(text) if isinstance(text, str) else text
