"""Incremental re-sync: ask Jira only for what changed since the last run.

The state folder keeps, after each run, the issues its searches returned (``seen.json``).
The next run asks for the project's issues updated since that run began, less a safety
margin (Cloud's index lag; the time gone by is also counted on Jira's own clock, from
its serverTime, so a host clock stepped back hides nothing), and lists only the *keys*
of the labelled issues (ids alone: Cloud's largest pages). An issue is then taken from the changed ones, else from
memory; a key listed but in neither is read by key. So:

- an edit, a removed label, a moved parent or due date bumps ``updated``: it is searched;
- a deleted issue drops out of the key listing, exactly as out of the full search; on
  Data Center, whose search counts exactly, one count stands in for the listing when it
  equals the issues remembered and changed (no deletion), as it does on most runs;
- the newest creates (reconciled), the key probe and the parents are found as the full
  scan finds them (the same code, see ``Observer.seen``); a lesson made by hand under a
  release issue is new or edited (so it changed), or was seen untagged last time (read
  again by key); tagged, it is listed like the others;
- jirasync's own property-only writes may leave ``updated`` as it was: those keys are
  remembered as ``dirty`` and read by key next time.

Anything else (a state folder missing, unreadable, written for another Jira, project or
labels, older than a day, or a clock that went back) means the full scan, and so does
``--full``. A full scan at least daily bounds what anything unforeseen could hide.
"""
from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from jirasync.bulk import paused_gc
from jirasync.config import Config
from jirasync.gateway.types import JiraIssue
from jirasync.model import SYNC_PROPERTY as PROPERTY
from jirasync.model import Labels, key_order
from jirasync.seen import Seen, to_seen
from jirasync.state import StateDir
from jirasync.sync import seen_file
from jirasync.sync.observe import Observer
from jirasync.sync.port import SyncJira
from jirasync.wanted import Wanted

FILE = "seen.json"
MARGIN = timedelta(minutes=15)     # Cloud's index lag, with room to spare
FULL_EVERY = timedelta(days=1)     # a full scan at least this often


@dataclass(frozen=True)
class Snapshot:
    """What the last run's searches returned, and when it began."""

    scope: str
    at: datetime
    full_at: datetime
    high_water: int
    dirty: frozenset[str]
    issues: dict[str, JiraIssue]       # less those searched again, as they are (see _changed)
    inferred: frozenset[str] = frozenset()     # memories inferred, not read (see infer)
    jira_at: datetime | None = None            # when it began, by Jira's clock
    written: frozenset[str] = frozenset()      # issues it wrote: their memory as searched
                                               # is older than the one it wrote
    lines: tuple[seen_file.Line, ...] = ()     # seen.json's lines, as read


def scope_of(config: Config) -> str:
    """What a snapshot is valid for: the Jira, project and labels it was read with."""
    return json.dumps([config.jira.url, config.jira.project,
                       sorted(config.jira.labels.items())], sort_keys=True)


class Previous(NamedTuple):
    """What the state folder tells of the last run: its ``snapshot`` (None when a full
    scan is due) and the issues whose memory it ``inferred``, however old the snapshot
    (a full scan may infer them again rather than read each by key)."""

    snapshot: Snapshot | None
    inferred: frozenset[str]


NOTHING = Previous(None, frozenset())


def previous(state: StateDir, scope: str, now: datetime, *, full: bool = False) -> Previous:
    """The last run's snapshot and inferred keys, from one read of ``seen.json``; its
    issues are not read when a full scan is due (``full``, another scope, too old)."""
    def parse(lines: Iterator[str]) -> Previous:
        header = seen_file.read_header(lines)
        if header.scope != scope:
            return NOTHING
        snapshot = None if full else _snapshot(header, lines, now)
        return Previous(snapshot, header.inferred)
    found = state.read_lines(FILE, parse)
    return found if isinstance(found, Previous) else NOTHING


def load(state: StateDir, scope: str, now: datetime) -> Snapshot | None:
    """The last run's snapshot, or None when a full scan is due."""
    return previous(state, scope, now).snapshot


def _snapshot(header: seen_file.Header, lines: Iterator[str], now: datetime
              ) -> Snapshot | None:
    try:
        at, full_at = header.when("at"), header.when("full_at")
        if at is None or full_at is None or not (full_at <= at <= now) \
                or now - full_at > FULL_EVERY:
            return None
    except (TypeError, ValueError):     # a time without its offset (edited by hand)
        return None
    read: list[seen_file.Line] = []
    issues = seen_file.read_issues(header, lines, read)
    return Snapshot(scope=header.scope, at=at, full_at=full_at,
                    high_water=header.high_water, dirty=header.keys("dirty"),
                    issues=issues, inferred=header.inferred, lines=tuple(read),
                    written=header.keys("written"), jira_at=_aware(header.data.get("jira_at")))


def save(state: StateDir, observer: Observer, *, scope: str, now: datetime,
         previous: Snapshot | None, dirty: Iterable[str], created: Iterable[str],
         jira_at: datetime | None = None, written: Iterable[str] = ()) -> None:
    """Keep this run's searches for the next one (``now`` is when this run began, and
    ``jira_at`` the same by Jira's clock), written as they are turned into text."""
    high = max([observer.high_water, *(key_order(k)[1] for k in created)])
    header = {"scope": scope, "at": now.isoformat(),
              "jira_at": jira_at.isoformat() if jira_at else None,
              "full_at": (previous.full_at if previous else now).isoformat(),
              "high_water": high, "dirty": sorted(set(dirty)), "written": sorted(set(written)),
              "inferred": sorted(set(observer.inferred) & set(observer.searched))}
    with paused_gc(), contextlib.closing(state.lines_now(FILE)) as old:
        # Lines of issues unchanged since they were read are copied from the file.
        state.write_lines(FILE, seen_file.lines(
            header, observer.searched.values(), previous.lines if previous else (), old,
            previous.issues if previous else None))


class IncrementalObserver(Observer):
    """An Observer whose labelled search is replaced by the changes since ``snapshot``."""

    def __init__(self, jira: SyncJira, project: str, labels: Labels,
                 recent: Mapping[str, dict[str, Any]], snapshot: Snapshot, now: datetime,
                 wanted: Sequence[Wanted] = ()):
        super().__init__(jira, project, labels, recent, wanted)
        self.snapshot = snapshot
        self.now = now
        self.changed: dict[str, JiraIssue] = {}
        self.high_water = snapshot.high_water

    def _labelled(self) -> dict[str, JiraIssue]:
        changed = self._changed()
        listed = self._listed(changed)
        self._note(listed)
        found = {}
        for key in listed:
            issue = changed.get(key) or self._remembered(key)
            if issue is not None:
                found[key] = issue
        # The key listing may lag behind the changes it was asked after.
        found.update((k, i) for k, i in changed.items() if not self._marks.isdisjoint(i.labels))
        self.searched.update(found)
        return found

    def _listed(self, changed: Mapping[str, JiraIssue]) -> list[str]:
        """The keys of the labelled issues. Labels, creates and edits change ``updated``,
        so they are the remembered ones as ``changed`` moves them in or out, less those
        deleted; when Jira counts exactly (Data Center) and its count is theirs, nothing
        was deleted and the listing is not needed."""
        marks = self._marks
        expected = {k for k, i in self.snapshot.issues.items() if not marks.isdisjoint(i.labels)}
        expected |= {k for k, i in changed.items() if not marks.isdisjoint(i.labels)}
        expected -= {k for k, i in changed.items() if marks.isdisjoint(i.labels)}
        quoted = ", ".join(f'"{label}"' for label in self.labels.marks)
        jql = f'project = "{self.project}" AND labels in ({quoted}) ORDER BY key'
        if self.jira.count(jql) == len(expected):
            return sorted(expected, key=key_order)
        return list(self.jira.keys(jql))

    def _changed(self) -> dict[str, JiraIssue]:
        """The project's issues updated since the last run began, less the margin. The
        time gone by is the longer of the host's count and Jira's (a host clock stepped
        back must not shrink the window: an edit made in Jira meanwhile would be missed)."""
        elapsed = self.now - self.snapshot.at
        if self.jira.server_time is not None and self.snapshot.jira_at is not None:
            elapsed = max(elapsed, self.jira.server_time - self.snapshot.jira_at)
        minutes = math.ceil((elapsed + MARGIN).total_seconds() / 60)
        jql = f'project = "{self.project}" AND updated >= "-{minutes}m" ORDER BY key'
        changed: dict[str, JiraIssue] = {}
        # The last run's issue is let go of as the search brings its successor: when
        # every issue changed (the daemon's run after a first sync), holding both was
        # the run's peak memory. Nothing after this reads a changed key's old issue.
        remembered = self.snapshot.issues
        for issue in self.jira.search(jql, properties=(PROPERTY,),
                                      reconcile=self._reconcile_ids(), read_properties=False):
            before = remembered.pop(issue.key, None)
            if before is None and issue.key in self.inferred:   # a page gave it twice
                before = changed.get(issue.key)
            changed[issue.key] = self._remembering(issue, before)
        self._note(changed)
        self.changed = changed
        return changed

    def _remembering(self, issue: JiraIssue, before: JiraIssue | None) -> JiraIssue:
        """Data Center: an issue edited since the last run (by a person: jirasync's own
        writes are ``written``) comes from the search without its property, which the
        cache holds only for the version before the edit. The memory the last run saw is
        taken instead of reading it by key, as an inference (see infer): a person's edit
        leaves the property as it was, and should another host's run have rewritten it
        since, every issue about to be written is read by key before the plan is final,
        and all of them before anything is created. Its identity never changes."""
        key, unread = issue.key, self.jira.unread
        memory = before.properties.get(PROPERTY) if before is not None else None
        if key in unread and memory is not None and key not in self.snapshot.written \
                and key not in self.snapshot.dirty:
            unread.discard(key)
            self.inferred.add(key)
            return replace(issue, properties={**issue.properties, PROPERTY: memory})
        return issue

    def _remembered(self, key: str) -> JiraIssue | None:
        """An unchanged issue as the last run saw it; read by key if it was not seen then
        or jirasync wrote only its property since."""
        issue = self.snapshot.issues.get(key)
        if issue is None or key in self.snapshot.dirty:
            return self._read(key)
        if key in self.snapshot.inferred:
            self.inferred.add(key)
        return issue

    def _hand_made(self, seen: Sequence[Seen], found: Mapping[str, object]) -> list[Seen]:
        """Lessons made by hand under a release issue and not yet tagged: among what
        changed, and those the last run saw (read again by key: still there, still so?).
        Once tagged they carry the labels and are listed like any other."""
        releases = {s.key for s in seen if s.memory and s.memory.identity.level == "release"}
        marks = self._marks
        before = [k for k, i in self.snapshot.issues.items()
                  if marks.isdisjoint(i.labels) and k not in self.changed and k not in found]
        again = (self._read(k) for k in before)
        pool = [*self.changed.values(), *filter(None, again)]
        made = [i for i in pool if i.key not in found and i.parent in releases
                and self.labels.all not in i.labels]
        self.searched.update((i.key, i) for i in made)
        return [to_seen(i) for i in made]

    def _indexed_high_water(self) -> int:
        """The last run's mark, raised by the keys searched since: no extra search."""
        return self.high_water


def _aware(text: Any) -> datetime | None:
    """Jira's time kept by the last run, if it is one (with its offset); else None, and
    the window is counted on the host's clock alone."""
    try:
        when = datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
    return when if when is not None and when.tzinfo is not None else None
