"""What Jira holds, as sync needs it — robust to Jira Cloud's lagging search.

Cloud's ``/search/jql`` may miss issues created moments ago. Three guards close the gap:
issues jirasync remembers creating are asked for through ``reconcileIssues`` (or read
by key); issues above the highest key the search index knows are read by key until Jira
says there are no more (reads by key are consistent); and after a lost create answer the
same probe finds what Jira made. The probe past the highest key is read only by a run
about to write (``beyond``): an issue the index does not show yet can only be duplicated
by a create, and a run that writes nothing leaves it to the next run that writes, which
reads it first. The state folder only speeds this up: losing it loses nothing, because
identities live in the issue property ``jirasync``. The index may also show an issue as
it was before an edit, so issues about to be written are read again first (``fresh``,
through the gateway's ``reread``: on Cloud 50 per search, their ids reconciled).
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from jirasync.bulk import paused_gc
from jirasync.gateway.limits import RECONCILE_LIMIT
from jirasync.gateway.types import JiraIssue
from jirasync.infer import infer
from jirasync.model import SYNC_PROPERTY as PROPERTY
from jirasync.model import Identity, Labels, key_order
from jirasync.records import Memory, memory_of
from jirasync.seen import Seen, to_seen
from jirasync.sync.port import SyncJira
from jirasync.wanted import Wanted

# Keys read past the highest one the search index knows: deleted issues leave gaps in the
# numbers, so the probe stops only after this many missing keys in a row.
PROBE_MISSES = 3
RECOVER_MISSES = 10       # after a lost create answer, when a duplicate is at stake


class Observer:
    def __init__(self, jira: SyncJira, project: str, labels: Labels,
                 recent: Mapping[str, dict[str, Any]], wanted: Sequence[Wanted] = (),
                 inflight: Sequence[tuple[int, int]] = ()):
        self.jira = jira
        self.project = project
        self.labels = labels
        self.recent = recent
        self.wanted = wanted
        # Data Center issues whose memory was inferred, not read (see infer): only when
        # no property is cached (no state folder); with a cache, the few issues it does
        # not know are read by key.
        self.inferred: set[str] = set()
        self.cold = not jira.holds_properties()
        self.inferable: set[str] = set()    # inferred by an earlier run: may be again
        # Issues as the searches returned them (labelled, and hand-made lessons): what
        # the next run may remember instead of searching them again (see incremental).
        self.searched: dict[str, JiraIssue] = {}
        self.inflight = inflight          # (after key number, issues sent) of a crashed run
        self.high_water = 0
        self.found_in_flight: dict[str, str] = {}      # key -> id
        self.found: dict[str, JiraIssue] = {}          # what ``seen`` found, by key
        # Ours, found past the highest key (``beyond``): the mark moves past them, so the
        # next run reads them by key (as recent creates) until the index shows them.
        self.beyond_index: dict[str, str] = {}         # key -> id
        # Keys whose property this observation read by key (not from the cache), or
        # re-read in ``fresh``, which ``fresh`` need not read again.
        self.read: set[str] = set()
        self._read_before = set(jira.read_by_key)
        # Issues whose memory ``fresh`` may take as Jira's unless inferred in this look
        # (what this host's last writing run confirmed; see trust).
        self.confirmed: frozenset[str] = frozenset()
        self.defer = False      # a look to be made again under the lease: read none yet
        self._marks = frozenset(labels.marks)

    def seen(self) -> list[Seen]:
        """Every managed issue of the project, plus hand-made lessons under release issues.

        An issue is found by any of jirasync's labels (someone may remove one), or as the
        parent of one found; what makes it jirasync's is its ``jirasync`` property."""
        found = self._labelled()
        self._note(found)
        for item in self.recent.values():
            key = item.get("key")
            if key and key not in found:
                issue = self._read(key)
                if issue is not None:
                    found[key] = issue
        self._note(found)
        self.high_water = max(self.high_water, self._indexed_high_water())
        for after, count in self.inflight:
            # A crashed run's creates: past any keys deleted above the mark it wrote.
            for issue in self._probe(after, misses=PROBE_MISSES + count, known=found):
                found.setdefault(issue.key, issue)
                if self._ours(issue):
                    self.found_in_flight[issue.key] = issue.id
        self._settle(found)
        self._add_parents(found)
        self.found = found
        return self._with_hand_made(found)

    def beyond(self) -> list[Seen] | None:
        """What ``seen`` returned plus the issues above the highest key known, read by key
        until ``PROBE_MISSES`` in a row are missing; None when there are none (the usual
        answer). Cloud's index may not show yet what a crashed run whose mark Jira
        refused, another host or a run before the state folder was lost made moments ago:
        a create planned without them would duplicate them. Only a plan that writes
        needs this, and it is read before anything is written (``observe_and_plan``)."""
        more = [i for i in self._probe(self.high_water, misses=PROBE_MISSES)
                if i.key not in self.found]
        if not more:
            return None
        self.found.update((i.key, i) for i in more)
        self.beyond_index.update((i.key, i.id) for i in more if self._ours(i))
        self._add_parents(self.found)
        return self._with_hand_made(self.found)

    def _with_hand_made(self, found: Mapping[str, JiraIssue]) -> list[Seen]:
        with paused_gc():
            seen = [to_seen(i) for i in found.values() if self._ours(i)]
        return seen + self._hand_made(seen, found)

    def _labelled(self) -> dict[str, JiraIssue]:
        """The issues carrying any of jirasync's labels, as the search shows them (the
        newest creates reconciled). ``searched`` keeps them for the state folder."""
        marks = ", ".join(f'"{label}"' for label in self.labels.marks)
        jql = f'project = "{self.project}" AND labels in ({marks}) ORDER BY key'
        found = {i.key: i for i in self.jira.search(jql, properties=(PROPERTY,),
                                                    reconcile=self._reconcile_ids(),
                                                    read_properties=False)}
        self.searched.update(found)
        return found

    def _settle(self, found: dict[str, JiraIssue]) -> None:
        """Data Center: give the issues searched without their property (no cache) the
        memory inferred from the files (see infer), or else read it by key. Parents are
        read before their children, whose match needs the parent's identity."""
        pending = {k for k in found if k in self.jira.unread}
        while pending:
            known = [to_seen(i) for k, i in found.items() if k not in pending]
            inferable = sorted(pending if self.cold else pending & self.inferable)
            inferred = infer([to_seen(found[k]) for k in inferable], known, self.wanted)
            for key, memory in inferred.items():
                found[key] = replace(found[key], properties={PROPERTY: memory.to_json()})
            self.inferred.update(inferred)
            pending -= set(inferred)
            first = {k for k in pending if found[k].parent not in pending} or pending
            for key in first:
                issue = self._read(key)
                if issue is None:
                    del found[key]
                    self.searched.pop(key, None)
                else:
                    found[key] = issue
            pending -= first
        self.searched.update((k, i) for k, i in found.items() if k in self.searched)

    def _reconcile_ids(self) -> list[Any]:
        return [v["id"] for v in self.recent.values() if v.get("id")][-RECONCILE_LIMIT:]

    def _add_parents(self, found: dict[str, JiraIssue]) -> None:
        """Read by key the parents of jirasync's issues that the search did not return (a
        release issue whose labels were all removed is still its lessons' parent)."""
        pending = [i.parent for i in found.values() if i.parent and self._ours(i)]
        while pending:
            key = pending.pop()
            if key in found:
                continue
            issue = self._read(key)
            if issue is not None and self._ours(issue):
                found[key] = issue
                if issue.parent:
                    pending.append(issue.parent)

    def fresh(self, seen: Sequence[Seen], keys: Collection[str],
              always: Collection[str] = ()) -> list[Seen]:
        """``seen`` with the issues ``keys`` read again. The search index may still show
        an issue as it was before jirasync's last write to it, and judging a write on
        that would push the file again over what people changed since. The gateway's
        ``reread`` decides how (Cloud: 50 per search, their ids reconciled; Data Center:
        by key); this says which memories need no read: those this observation read by
        key, and those the lease says no other run can have rewritten (``confirmed``
        less what was inferred, see trust; all of them when the look is to be made again
        under the lease, ``defer``). ``always`` are read again whatever the lease says (a
        conflict: it writes nothing, so no lease may follow)."""
        asked = set(keys) | set(always)
        trusted = asked if self.defer else self.confirmed - self.inferred
        vouched = (trusted - set(always)) | self.read_now()
        issues = {s.key: s.id for s in seen if s.key in asked}
        found = {i.key: i for i in self.jira.reread(issues, properties=(PROPERTY,),
                                                    by_key=True, vouched=vouched)}
        # Read consistently in this look from here (by key, or in a reconciled search).
        self.read.update(k for k in issues if k not in vouched)
        return [to_seen(found[s.key]) if s.key in found else s for s in seen]

    def read_now(self) -> set[str]:
        """The issues whose property this observation read by key (Data Center's
        searches read some by key too: the cache missed)."""
        return self.read | (set(self.jira.read_by_key) - self._read_before)

    def _read(self, key: str) -> JiraIssue | None:
        """One issue read by key, with its property."""
        issue = self.jira.get_issue(key, properties=(PROPERTY,))
        self.read.add(key)
        return issue

    def keys(self, seen: Sequence[Seen]) -> dict[Identity, str]:
        out: dict[Identity, str] = {}
        for s in sorted(seen, key=lambda s: key_order(s.key)):
            if s.memory is not None:
                out.setdefault(s.memory.identity, s.key)
        return out

    def recover(self, chunk: Sequence[Wanted]) -> dict[Identity, tuple[str, str]]:
        """After a lost create answer: the issues Jira made for ``chunk``, read by key."""
        wanted = {w.identity for w in chunk}
        out: dict[Identity, tuple[str, str]] = {}
        for issue in self._probe(self.high_water, misses=RECOVER_MISSES):
            memory = memory_of(issue.properties)
            if memory is not None and memory.identity in wanted:
                out.setdefault(memory.identity, (issue.key, issue.id))
        return out

    def created(self, keys: Iterable[str]) -> None:
        """Keys made by this run raise the mark the next probe starts from."""
        self._note({k: None for k in keys})

    def _note(self, keys: Iterable[str]) -> None:
        for key in keys:
            project, number = key_order(key)
            if project == self.project:
                self.high_water = max(self.high_water, number)

    def _indexed_high_water(self) -> int:
        jql = f'project = "{self.project}" ORDER BY key DESC'
        for issue in self.jira.search(jql, properties=(), limit=1):
            return key_order(issue.key)[1]
        return 0

    def _probe(self, start: int, *, misses: int,
               known: Mapping[str, JiraIssue] | None = None) -> list[JiraIssue]:
        """Read keys above ``start`` one by one until ``misses`` in a row do not exist;
        those in ``known`` (what the search and the recorded keys already showed) exist
        without a read: after a crash in a big run, only what the index lacks is read."""
        out, number, missed = [], start, 0
        while missed < misses:
            number += 1
            key = f"{self.project}-{number}"
            issue = (known or {}).get(key) or self._read(key)
            if issue is None:
                missed += 1
                continue
            missed = 0
            self.high_water = max(self.high_water, number)
            out.append(issue)
        return out

    def _ours(self, issue: JiraIssue) -> bool:
        # Memory.from_json's test, without building the memory: asked twice an issue
        return (Memory.holds(issue.properties.get(PROPERTY))
                or not self._marks.isdisjoint(issue.labels))

    def _hand_made(self, seen: Sequence[Seen], found: Mapping[str, object]) -> list[Seen]:
        releases = [s.key for s in seen if s.memory and s.memory.identity.level == "release"]
        if not releases:
            return []
        clause = self.jira.children_clause(releases)
        jql = (f'project = "{self.project}" AND {clause} AND '
               f'(labels is EMPTY OR labels != "{self.labels.all}") ORDER BY key')
        issues = list(self.jira.search(jql))
        self.searched.update((i.key, i) for i in issues)
        return [to_seen(i) for i in issues if i.key not in found]
