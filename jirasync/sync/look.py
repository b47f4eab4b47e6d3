"""Sync's look-and-plan loop: read Jira (the index, recent creates, Jira's record of
them, keys past the highest known), plan against it, and read again by key whatever the
plan would write or decide on an inference, until the plan stands on fresh reads."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from jirasync.bulk import paused_gc
from jirasync.config import Config
from jirasync.model import Labels, Release
from jirasync.seen import Seen
from jirasync.state import StateDir
from jirasync.sync import incremental, owners
from jirasync.sync.ledger import Ledger
from jirasync.sync.observe import Observer
from jirasync.sync.plan import Create, Plan, Tag, Update, plan_sync
from jirasync.sync.port import SyncJira
from jirasync.wanted import Wanted, wanted_issues


def labels_of(config: Config) -> Labels:
    return Labels(**config.jira.labels)


def observe_and_plan(wanted: Sequence[Wanted], observer: Observer, *, labels: Labels,
                     loaded: set[str], force: bool) -> tuple[Plan, list[Seen]]:
    """The plan, and what Jira holds. Every write is judged on the issue as Jira holds
    it now (read by key): the search index may still show it as it was before
    jirasync's last write, and the file would then be pushed over people's edits."""
    seen = observer.seen()
    plan = _plan(wanted, seen, labels=labels, loaded=loaded, force=force)
    if plan_writes(plan):
        # What the index may not show yet (see Observer.beyond): a plan that writes
        # nothing cannot duplicate it, so only one that writes reads past the highest key.
        more = observer.beyond()
        if more is not None:
            seen = more
            plan = _plan(wanted, seen, labels=labels, loaded=loaded, force=force)
    writes = [step.key for step in plan.of(Update) + plan.of(Tag)]
    # A conflict may be judged on a memory another host (or a restored state folder)
    # has since rewritten: writing a property leaves ``updated`` as it was.
    conflicts = [r.key for r in plan.reports("conflict") if r.key]
    if plan.of(Create) or plan.reports("duplicate"):     # never decided on an inference
        writes += sorted(observer.inferred)
    if not writes and not conflicts:
        return plan, seen
    seen = observer.fresh(seen, writes, always=conflicts)
    plan = _plan(wanted, seen, labels=labels, loaded=loaded, force=force)
    rest = sorted(set(observer.inferred) - set(writes))
    if rest and (plan.of(Create) or plan.reports("duplicate")):
        # What was read may show an inference wrong (a lesson's children moved by hand
        # between look-alikes): no create is decided before every inference is read.
        seen = observer.fresh(seen, rest)
        plan = _plan(wanted, seen, labels=labels, loaded=loaded, force=force)
    return plan, seen


def _plan(wanted: Sequence[Wanted], seen: Sequence[Seen], *, labels: Labels,
          loaded: set[str], force: bool) -> Plan:
    with paused_gc():           # tens of thousands of steps, none let go till the end
        return plan_sync(wanted, seen, labels=labels, loaded=loaded, force=force)


@dataclass(frozen=True)
class Scope:
    """What one observation of Jira needs: the wanted issues and how to judge them."""

    wanted: list[Wanted]
    labels: Labels
    loaded: set[str]
    force: bool
    full: bool


class Look(NamedTuple):
    """Jira read (``observer``, with Jira's record of creates, ``ledger``) and planned."""

    observer: Observer
    ledger: Ledger
    plan: Plan
    seen: list[Seen]


def scope_of_releases(config: Config, releases: Sequence[Release], users: owners.Owners, *,
                      force: bool, full: bool) -> Scope:
    labels = labels_of(config)
    with paused_gc():
        wanted = [w for r in releases for w in wanted_issues(r, labels, users.ids)]
    return Scope(wanted, labels, {r.id for r in releases}, force, full)


def observer_for(config: Config, jira: SyncJira, state: StateDir, now: datetime, *,
                 full: bool, wanted: Sequence[Wanted] = (),
                 ledger: Ledger | None = None) -> Observer:
    """The incremental observer when the state folder allows it, else the full scan;
    with ``ledger``, Jira's record of recent creates is read too (see ledger)."""
    labels = labels_of(config)
    recent = {**state.recent_creates(now), **(ledger.recent() if ledger else {})}
    scope = incremental.scope_of(config)
    snapshot, inferred = incremental.previous(state, scope, now, full=full)
    observer = Observer(jira, config.jira.project, labels, recent, wanted) \
        if snapshot is None else incremental.IncrementalObserver(
            jira, config.jira.project, labels, recent, snapshot, now, wanted)
    observer.inferable = set(inferred)
    observer.inflight = [(f.after, f.count) for f in ledger.inflight] if ledger else []
    return observer


def first_look(config: Config, jira: SyncJira, state: StateDir, now: datetime,
               releases: Sequence[Release], *, force: bool, full: bool,
               confirmed: frozenset[str] = frozenset(), defer: bool = False
               ) -> tuple[owners.Owners, Scope, Look]:
    """The owners, what is wanted, and Jira read and planned against, before the lease.
    The plan is made on the owners the state folder remembers; one that writes is never
    carried out on them: every remembered owner is asked of Jira again, and if an answer
    changed, Jira is read and the plan made again on the fresh answers (see owners)."""
    users = owners.resolve(releases, jira, state, scope=owners.scope_of(config), now=now,
                           fresh=full)
    scope = scope_of_releases(config, releases, users, force=force, full=full)
    looked = look(config, jira, state, now, scope, confirmed, defer)
    if plan_writes(looked.plan) and users.remembered:
        users, changed = owners.confirm(users, jira)
        if changed:
            scope = scope_of_releases(config, releases, users, force=force, full=full)
            looked = look(config, jira, state, now, scope, confirmed, defer)
    return users, scope, looked


def look(config: Config, jira: SyncJira, state: StateDir, now: datetime, scope: Scope,
         confirmed: frozenset[str] = frozenset(), defer: bool = False) -> Look:
    """Read Jira (search, recent creates from the state folder and from Jira's record,
    keys above the highest known) and plan against it; ``confirmed``: the issues about
    to be written whose memory Data Center need not read again by key, or none of them
    (``defer``: a look to be made again under the lease; see trust)."""
    ledger = Ledger.read(jira, now)
    observer = observer_for(config, jira, state, now, full=scope.full, wanted=scope.wanted,
                            ledger=ledger)
    observer.confirmed, observer.defer = confirmed, defer
    plan, seen = observe_and_plan(scope.wanted, observer, labels=scope.labels,
                                  loaded=scope.loaded, force=scope.force)
    return Look(observer, ledger, plan, seen)


def plan_writes(plan: Plan) -> bool:
    """Whether ``plan`` writes anything to Jira (a report alone writes nothing)."""
    return bool(plan.of(Create)) or bool(plan.of(Update)) or bool(plan.of(Tag))
