"""Chase's index of its records in project properties (encoded in ``rung_index.py``), kept
where a search returns no issue property (Data Center), so that a report read on a machine
that never synced takes each overdue action's rung from a few parts rather than a read by
key each (docs/chase.md, "The index of records").

Only a run that is about to write a record touches it: before the first record is
written the head is marked ``writing`` (a run cut off from there on leaves the mark, and
every reader goes back to reads by key until the next run that writes completes it);
after the last, the parts are written, then the head without the mark, then the parts a
larger index left are removed. A dry run, or a run that writes no record, writes nothing.
"""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Mapping, Sequence
from typing import Protocol

from jirasync import rung_index
from jirasync.chase.plan import ClearLabels, Escalate, ReportUnconfirmed, SendDigest, SendPrompt
from jirasync.chase.reminders import OpenAction
from jirasync.errors import JiraError
from jirasync.gateway.protocol import ProjectProperties, Search
from jirasync.model import ANSWERS_PROPERTY, CHASE_PROPERTY
from jirasync.records import ChaseRecord
from jirasync.rung_index import HEAD, Entry, Index, head, part_name, shard

# The steps that write an action's record (the others only report).
WRITES = (SendPrompt, SendDigest, Escalate, ClearLabels, ReportUnconfirmed)


class IndexJira(ProjectProperties, Search, Protocol):
    """What keeping the index asks of Jira: the project's properties, and one search for
    the versions the run's writes left."""


def writes_records(steps: Sequence[object]) -> bool:
    """Whether carrying out ``steps`` writes any action's record."""
    return any(isinstance(step, WRITES) for step in steps)


class RecordIndex:
    """The index of one run's records: ``begin`` before the first record is written,
    ``finish`` after the last."""

    def __init__(self, jira: IndexJira, project: str, write: str | None = None):
        self.jira, self.project = jira, project
        self.write = write or uuid.uuid4().hex
        self.begun = False
        self._parts: set[str] = set()        # the parts Jira holds before this write

    def begin(self) -> None:
        """Mark the index as being written: from here no reader trusts it. The index is
        only ever a shortcut for the reports: Jira refusing it (a bot that may not
        administer the project) leaves it alone, and chase goes on."""
        prefix = f"{HEAD}."
        with contextlib.suppress(JiraError):
            self._parts = {k for k in self.jira.project_property_keys(self.project)
                           if k.startswith(prefix)}
            self.jira.put_project_property(HEAD, head(self.write, parts=1, writing=True),
                                           project=self.project)
            self.begun = True

    def finish(self, index: Index) -> None:
        """Write ``index``: its parts, then the head that names them, then drop the parts
        a larger index left behind. One cut off leaves the head marked (readers read by
        key) until the next run that writes a record."""
        if not self.begun:
            return
        with contextlib.suppress(JiraError):
            self._finish(index)

    def _finish(self, index: Index) -> None:
        parts = shard(index, self.write, rung_index.PART_LIMIT)
        names = [part_name(n) for n in range(2, len(parts) + 2)]
        for name, value in zip(names, parts, strict=True):
            self.jira.put_project_property(name, value, project=self.project)
        self.jira.put_project_property(HEAD, head(self.write, parts=len(parts) + 1,
                                                  writing=False), project=self.project)
        for name in sorted(self._parts - set(names)):
            self.jira.delete_project_property(name, self.project)


def entries(actions: Sequence[OpenAction], written: Mapping[str, ChaseRecord],
            failed: set[str], versions: Mapping[str, str | None]) -> Index:
    """The index after a run: each unresolved action's records, at the version the run
    read them, or for one whose record it wrote, at the version ``versions`` (a search
    after the writes) shows. An action whose write failed is left out (it may have
    reached Jira), and so is one with no record: a report reads it by key if it needs
    it (an action labelled overdue always has a record, written with the label)."""
    out: Index = {}
    for a in actions:
        if a.resolved or a.key in failed:
            continue
        record = written.get(a.key)
        version = versions.get(a.key) if record is not None else a.version
        if version is None:
            continue
        properties = {}
        kept = record or a.record
        if kept != ChaseRecord():     # its empty lists left out: read back as empty
            properties[CHASE_PROPERTY] = {k: v for k, v in kept.to_json().items() if v}
        if a.answers is not None:
            properties[ANSWERS_PROPERTY] = a.answers
        if properties:      # an action with no record needs no entry (nothing to show)
            out[a.key] = Entry(version, properties)
    return out


def versions(jira: IndexJira, jql: str) -> dict[str, str | None]:
    """Each issue ``jql`` finds -> its version now (no property read)."""
    return {i.key: i.updated.isoformat() if i.updated else None
            for i in jira.search(jql, properties=())}
