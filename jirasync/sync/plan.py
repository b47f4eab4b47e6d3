"""Planning a sync (README "4. Sync"): a pure function turns what the files want, what
Jira holds and what jirasync last wrote into small named steps. ``apply`` carries them out.

Three-way rule per owned field: changed only in the file -> pushed; changed only in Jira
-> kept and reported; changed in both -> conflict, Jira kept unless ``force``. Nothing is
ever closed or deleted: an issue whose lesson left its file is reported as orphaned.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from jirasync.fingerprint import Digest, fingerprint
from jirasync.model import Identity, Labels, key_order, printable
from jirasync.records import Memory
from jirasync.seen import Seen
from jirasync.wanted import Wanted, memory_for, owned


@dataclass(frozen=True, slots=True)
class Create:
    wanted: Wanted

    @property
    def memory(self) -> Memory:
        return memory_for(self.wanted)


@dataclass(frozen=True, slots=True)
class Update:
    key: str
    identity: Identity
    fields: Mapping[str, Any]
    add_labels: frozenset[str]
    remove_labels: frozenset[str]
    memory: Memory
    forced: tuple[str, ...] = ()
    agreed: tuple[str, ...] = ()     # fields the file and Jira came to agree on: remembered
    recorded: bool = False           # the release's name and live date written anew


@dataclass(frozen=True, slots=True)
class Tag:
    """Labels for a lesson someone made by hand under a release issue; its text is theirs."""

    key: str
    release: str
    add_labels: frozenset[str]


@dataclass(frozen=True, slots=True)
class Report:
    """Something the PMO should know; changes nothing in Jira."""

    kind: str     # unchanged | kept | conflict | orphaned | duplicate | warning | failed
    key: str | None
    identity: Identity | None
    detail: str = ""


Step = Create | Update | Tag | Report
S = TypeVar("S", Create, Update, Tag, Report)


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def of(self, kind: type[S]) -> list[S]:
        return [s for s in self.steps if isinstance(s, kind)]

    def reports(self, kind: str) -> list[Report]:
        return [s for s in self.steps if isinstance(s, Report) and s.kind == kind]


def plan_sync(wanted: Sequence[Wanted], seen: Sequence[Seen], *, labels: Labels,
              loaded: Collection[str], force: bool = False) -> Plan:
    """Steps that make Jira hold what ``wanted`` says. ``loaded`` are the ids of releases
    whose files were read; issues of any other release are left alone, unreported."""
    managed, duplicates = _index(seen)
    steps: list[Step] = list(duplicates)
    for w in wanted:
        issue = managed.get(w.identity)
        if w.problem:
            steps.append(Report("failed", issue.key if issue else None, w.identity, w.problem))
        elif issue is None:
            steps.append(Create(w))
        else:
            steps.extend(_compare(w, issue, force))
    wanted_ids = {w.identity for w in wanted}
    for identity, issue in sorted(managed.items(), key=lambda kv: key_order(kv[1].key)):
        if identity not in wanted_ids and identity.release in loaded:
            steps.append(Report("orphaned", issue.key, identity,
                                "no longer in its release file; left as it is in Jira"))
    steps.extend(_tag_hand_made(seen, managed, labels, loaded))
    steps.extend(_id_changed(wanted, managed, loaded))
    return Plan(tuple(steps))


def _id_changed(wanted: Sequence[Wanted], managed: Mapping[Identity, Seen],
                loaded: Collection[str]) -> list[Report]:
    """A new release issue whose title a release without a file already has: most likely
    the release's id was changed in its file, which makes a second copy of everything."""
    # by fingerprint: the state folder may know a title by its fingerprint alone
    retired = {fingerprint("summary", issue.summary): (identity, issue)
               for identity, issue in managed.items()
               if identity.level == "release" and identity.release not in loaded}
    out = []
    for w in wanted:
        title = fingerprint("summary", w.summary) if w.level == "release" else ""
        if w.identity not in managed and title in retired:
            old, issue = retired[title]
            out.append(Report("warning", issue.key, old,
                              f"release {w.identity.release} is new, yet this issue has its "
                              f"title as release {old.release}, which no file has: if the "
                              "id was changed, change it back (the id is how jirasync knows "
                              "its issues); else give the release another name"))
    return out


def _index(seen: Sequence[Seen]) -> tuple[dict[Identity, Seen], list[Report]]:
    """Managed issues by identity; a second issue with one identity is reported, not used."""
    managed: dict[Identity, Seen] = {}
    reports: list[Report] = []
    for issue in sorted(seen, key=lambda s: key_order(s.key)):
        if issue.memory is None:
            continue
        first = managed.setdefault(issue.memory.identity, issue)
        if first is not issue:
            reports.append(Report("duplicate", issue.key, issue.memory.identity,
                                  f"same identity as {first.key}; jirasync uses {first.key} "
                                  "and leaves this one alone"))
    return managed, reports



def _compare(w: Wanted, issue: Seen, force: bool) -> list[Update | Report]:
    base = issue.memory.fields if issue.memory else {}
    push: dict[str, Any] = {}
    reports: list[Update | Report] = []
    new_base = dict(base)
    forced: list[str] = []
    agreed: list[str] = []
    for name in owned(w):
        want, have = getattr(w, name), getattr(issue, name)
        fw = fingerprint(name, want)
        # a fingerprint depends on the value alone: equal values (the usual case) share it
        # (a Digest is a fingerprint already, never a text equal to the file's)
        fh = fw if want == have and not isinstance(have, Digest) else fingerprint(name, have)
        fb = base.get(name)
        if fw == fh:
            new_base[name] = fw
            if fb != fw:        # changed on both sides to the same value: remember it, or a
                agreed.append(name)     # later change in the file would look like a conflict
        elif fb == fh or (force and fb != fw):
            push[name], new_base[name] = want, fw
            if fb != fh:
                forced.append(name)
        elif fb == fw:
            reports.append(Report("kept", issue.key, w.identity,
                                  f"{name} changed in Jira ({_show(have)}); the file still "
                                  f"says {_show(want)}; Jira kept"))
        else:
            reports.append(Report("conflict", issue.key, w.identity,
                                  f"{name} changed in both the file ({_show(want)}) and Jira "
                                  f"({_show(have)}); Jira kept (use --force to push the file)"))
    remembered = set(issue.memory.labels) if issue.memory else set()
    add = w.labels - issue.labels
    remove = (remembered - w.labels) & issue.labels
    # jirasync's own record (a release's name and live date): no three-way, it follows the file
    recorded = dict(w.record) != dict(issue.memory.record if issue.memory else {})
    if not (push or add or remove or agreed or recorded):
        return reports or [Report("unchanged", issue.key, w.identity)]
    memory = Memory(w.identity, new_base, tuple(sorted((remembered - remove) | w.labels)),
                    dict(w.record))
    return [Update(issue.key, w.identity, push, frozenset(add), frozenset(remove), memory,
                   tuple(forced), tuple(agreed), recorded)] + reports


def _show(value: object) -> str:
    if value is None or value == "":
        return "empty"
    text = printable(str(value).replace("\n", " "))
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _tag_hand_made(seen: Sequence[Seen], managed: Mapping[Identity, Seen], labels: Labels,
                   loaded: Collection[str]) -> list[Tag]:
    releases = {issue.key: identity.release for identity, issue in managed.items()
                if identity.level == "release" and identity.release in loaded}
    tags: list[Tag] = []
    for issue in seen:
        release = releases.get(issue.parent or "")
        if issue.memory is None and release is not None:
            missing = {labels.all, labels.release(release)} - issue.labels
            if missing:
                tags.append(Tag(issue.key, release, frozenset(missing)))
    return tags
