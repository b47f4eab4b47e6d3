"""``jirasync sync``: release files -> SyncJira, planned then applied (README "4. Sync")."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from jirasync.bulk import bulk_run
from jirasync.config import Config
from jirasync.errors import InputError, JiraError, Problem
from jirasync.gateway.limits import BULK_LIMIT
from jirasync.jobs import Job, Run
from jirasync.lease_types import NO_LEASE, Lease
from jirasync.model import Release
from jirasync.parsed import load_programme_kept
from jirasync.releases import Programme
from jirasync.state import StateDir
from jirasync.stopping import Stop
from jirasync.sync import incremental, owners, trust
from jirasync.sync.apply import Context, Outcome, apply_plan, preview
from jirasync.sync.ledger import InFlight, Ledger
from jirasync.sync.look import first_look, look, plan_writes
from jirasync.sync.observe import Observer
from jirasync.sync.plan import Plan, Update
from jirasync.sync.port import SyncJira

PLANNED = {"created": "create", "updated": "update", "tagged": "tag"}
COUNTS = ("created", "updated", "unchanged", "kept", "conflict", "orphaned", "duplicate",
          "warning", "tagged", "failed")


@dataclass(frozen=True)
class SyncResult:
    """A run's plan and what became of it; a dry run's ``outcomes`` are the planned
    create/update/tag steps, and its counts say what a real run would report."""

    plan: Plan
    outcomes: tuple[Outcome, ...] = ()
    broken: tuple[Problem, ...] = ()
    dry_run: bool = False
    requests: dict[str, int] = field(default_factory=dict)

    def count(self, verb: str) -> int:
        if verb in ("created", "updated", "tagged", "failed"):
            failed_plan = len(self.plan.reports("failed")) if verb == "failed" else 0
            done = PLANNED.get(verb, verb) if self.dry_run else verb
            return sum(1 for o in self.outcomes if o.verb == done) + failed_plan
        return len(self.plan.reports(verb))

    def counts(self) -> dict[str, int]:
        return {name: self.count(name) for name in COUNTS}

    def failure(self) -> str:
        """What failed, in one sentence for the journal."""
        failed = self.count("failed")
        parts = [f"{failed} item{'' if failed == 1 else 's'} failed"] if failed else []
        if self.broken:
            parts.append(f"{len(self.broken)} release file(s) not synced, "
                         f"first: {self.broken[0]}")
        return "; ".join(parts) or "the run failed"

    @property
    def failed(self) -> bool:
        return bool(self.broken) or self.count("failed") > 0


def select(programme: Programme, only: Sequence[str]) -> tuple[list[Release], list[Problem]]:
    """The releases to sync (all, or those named by --release) and the broken files."""
    broken = list(programme.problems)
    if not only:
        return list(programme.releases), broken
    known = {r.id: r for r in programme.releases}
    missing = [rid for rid in only if rid not in known]
    unreadable = f"; unreadable: {', '.join(programme.broken)}" if programme.broken else ""
    if missing:
        raise InputError([Problem("--release", None, "", f"no release file has id '{rid}' "
                                  f"(known: {', '.join(sorted(known)) or 'none'}{unreadable})")
                          for rid in missing])
    return [known[rid] for rid in only if rid in known], broken


def read_programme(config: Config, only: Sequence[str] = ()) -> Programme:
    """The release files, read before Jira is touched. InputError (nothing written) when
    no release can be synced: no files, none readable, or an unknown ``--release``."""
    programme = load_programme_kept(config.releases_dir, config.templates_dir, config.people,
                                    StateDir(config.state_dir))
    if not programme.releases and not programme.broken:
        raise InputError([Problem(str(config.releases_dir), None, "releases_dir",
                                  "no release files found (*.yaml)")])
    if not programme.releases:
        raise InputError(programme.problems)
    select(programme, only)
    return programme


def sync(config: Config, jira: SyncJira, *, state: StateDir, only: Sequence[str] = (),
         dry_run: bool = False, force: bool = False, now: datetime,
         progress: Callable[[str], None] = print,
         programme: Programme | None = None, stop: Stop | None = None,
         full: bool = False, lease: Lease = NO_LEASE) -> SyncResult:
    """Plan the sync of the selected releases and, unless ``dry_run``, apply it;
    ``state`` is the state folder whose caches it reads and keeps. Once ``stop`` is
    asked for, the writes not yet started are left for the next run. Jira is asked only
    for what changed since the last run unless ``full`` (see incremental). A run with
    something to write takes ``lease`` (the one in Jira that keeps hosts apart) and reads
    again what it is about to change; a run with nothing to write takes none."""
    with bulk_run():
        programme = programme or read_programme(config, only)
        with jira.keeping_properties(state.property_cache,
                                     None if dry_run else state.save_property_cache):
            return _sync(config, jira, programme, state, only=only, dry_run=dry_run,
                         force=force, now=now, progress=progress, stop=stop or Stop(),
                         full=full, lease=lease)


def _sync(config: Config, jira: SyncJira, programme: Programme, state: StateDir, *,
          only: Sequence[str], dry_run: bool, force: bool, now: datetime,
          progress: Callable[[str], None], stop: Stop, full: bool,
          lease: Lease) -> SyncResult:
    releases, broken = select(programme, only)
    confirmed = trust.confirmed_before(lease, state, LEASE_FILE, dry_run=dry_run)
    users, scope, (observer, ledger, plan, seen) = first_look(
        config, jira, state, now, releases, force=force, full=full,
        confirmed=confirmed or frozenset(),
        defer=trust.looks_again(lease, state, LEASE_FILE, dry_run=dry_run))
    if dry_run:
        return SyncResult(plan, tuple(preview(plan)), tuple(broken), dry_run=True)
    writes = plan_writes(plan)
    if writes and lease.real:
        lease.last = _last_term(state)
    again = False
    # Held as a write: a stop asked for meanwhile still lets the lease be released.
    with stop.writing(), lease.held() if writes else contextlib.nullcontext():
        if writes and lease.real and not lease.undisturbed:
            # another run held the lease since this host's last: read again, then write
            observer, ledger, plan, seen = look(config, jira, state, now, scope)
            again = True
        lease.confirm()
        if writes and observer.found_in_flight:
            ledger.settle(observer.found_in_flight.items())
        record = _Record(ledger, observer, lease)
        ctx = Context(issue_types=config.jira.issue_types, keys=observer.keys(seen),
                      extra_fields=config.jira.fields, recover=observer.recover,
                      progress=progress, stop=stop, record=record)
        with stop.writing():
            outcomes = apply_plan(plan, jira, ctx)
            record.finish()
    _keep(config, state, now, observer, users, plan, outcomes)
    if lease.taken_as is not None:
        # ``confirmed`` is kept whatever the Jira: only Data Center's re-read makes use
        # of it, and on Cloud it costs a few packed runs of keys (see trust).
        written = [o.key for o in outcomes
                   if o.key and o.verb in ("created", "updated", "tagged")]
        state.write_json(LEASE_FILE, {
            "term": lease.taken_as[0], "run": lease.taken_as[1],
            "confirmed": trust.confirmed_after(
                lease, confirmed, looked_again=again, inferred=observer.inferred,
                read=observer.read_now() & {s.key for s in seen}, written=written)})
    elif writes and lease.real:     # written without the lease: nothing confirmed
        state.write_json(LEASE_FILE, {})
    return SyncResult(plan, tuple(outcomes), tuple(broken))


LEASE_FILE = "sync-lease.json"


def _last_term(state: StateDir) -> tuple[int, str] | None:
    """The sync lease's term this host's last writing run took, and its id: if the lease
    is taken right after it, no other run can have written since, and the one look this
    run made before taking it is as fresh as a second (one observation per run)."""
    data = state.read_json(LEASE_FILE)
    if isinstance(data, dict) and isinstance(data.get("term"), int) \
            and isinstance(data.get("run"), str):
        return data["term"], data["run"]
    return None


def _keep(config: Config, state: StateDir, now: datetime, observer: Observer,
          users: owners.Owners, plan: Plan, outcomes: Sequence[Outcome]) -> None:
    """What the next run may trust instead of asking Jira: this run's creates and what it
    found past the highest key (read by key), owners' ids, and what it searched."""
    created = [o for o in outcomes if o.verb == "created" and o.identity]
    _remember(state, now, {**{f"found:{key}": (key, issue_id)
                              for key, issue_id in observer.beyond_index.items()},
                           **{str(o.identity): (o.key, o.id) for o in created}})
    owners.save(state, users, scope=owners.scope_of(config), now=now)
    incremental.save(state, observer, scope=incremental.scope_of(config), now=now,
                     previous=observer.snapshot
                     if isinstance(observer, incremental.IncrementalObserver) else None,
                     dirty=_property_only(plan), created=[o.key for o in created if o.key],
                     jira_at=observer.jira.server_time,
                     written=[o.key for o in outcomes if o.key and o.verb != "created"])


@dataclass(frozen=True, kw_only=True)
class SyncOptions:
    """``sync``'s own options: ``only`` these releases (all when empty), ``force`` the
    file over Jira on a conflict, a ``full`` read of Jira, and the ``programme`` read
    already (else ``prepare`` reads it)."""

    only: Sequence[str] = ()
    force: bool = False
    full: bool = False
    programme: Programme | None = None


def _prepare(run: Run) -> Run:
    options = run.options_as(SyncOptions)
    if options.programme is not None:
        return run
    programme = read_programme(run.config, options.only)
    return replace(run, options=replace(options, programme=programme))


def _work(run: Run) -> SyncResult:
    o = run.options_as(SyncOptions)
    return sync(run.config, run.opened(), state=run.state, only=o.only, dry_run=run.dry_run,
                force=o.force, now=run.now, progress=run.progress, programme=o.programme,
                stop=run.stop, full=o.full, lease=run.lease)


JOB = Job("sync", _work, prepare=_prepare)


class _Record:
    """Around the run's bulk creates: one in-flight mark in Jira before the first (two
    writes per chunk would double a big first sync's requests), then the keys made,
    recorded once after the last. A run killed in between leaves the mark, and the next
    run reads every key above it until more are missing in a row than a chunk and a
    margin: the mark's count is a chunk's, never the run's, so a crash early in a big run
    costs a few reads, not thousands."""

    def __init__(self, ledger: Ledger, observer: Observer, lease: Lease):
        self.ledger, self.observer, self.lease = ledger, observer, lease
        self.flight: InFlight | None = None
        self.made: list[tuple[str, str]] = []

    def before(self, count: int) -> InFlight:
        self.lease.renew()
        if self.flight is None:
            self.flight = self.ledger.begin(self.observer.high_water, max(count, BULK_LIMIT))
        return self.flight

    def after(self, flight: InFlight, made: Sequence[tuple[str, str]]) -> None:
        self.observer.created(key for key, _ in made)
        self.made.extend(made)

    def finish(self) -> None:
        """Replace the mark by the keys made; left in place if Jira refuses (the next run
        then reads past it)."""
        if self.flight is None:
            return
        with contextlib.suppress(JiraError):
            self.ledger.done(self.flight, self.made)


def _remember(state: StateDir, now: datetime, made: dict[str, tuple[str | None, str | None]]
              ) -> None:
    """Keep in the state folder, as recent creates the next runs read by key, this run's
    creates and what it found past the highest key the index knows."""
    state.remember_creates({name: {"key": key, "id": issue_id, "at": now.isoformat()}
                            for name, (key, issue_id) in made.items()}, now)


def _property_only(plan: Plan) -> list[str]:
    """Issues whose only write is jirasync's property: SyncJira may keep their ``updated``."""
    return [u.key for u in plan.of(Update)
            if not u.fields and not u.add_labels and not u.remove_labels]

