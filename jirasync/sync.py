"""``jirasync sync``: release files -> Jira, planned then applied (SPEC §3)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Sequence

from jirasync.apply import Context, Outcome, apply_plan
from jirasync.config import Config
from jirasync.errors import InputError, Problem, UserNotFound
from jirasync.model import Release
from jirasync.observe import Observer
from jirasync.plan import Plan, plan_sync
from jirasync.releases import Programme, load_programme
from jirasync.state import StateDir
from jirasync.wanted import Labels, wanted_issues


@dataclass(frozen=True)
class SyncResult:
    plan: Plan
    outcomes: tuple[Outcome, ...] = ()
    broken: tuple[Problem, ...] = ()
    dry_run: bool = False
    requests: dict = field(default_factory=dict)

    def count(self, verb: str) -> int:
        if verb in ("created", "updated", "tagged", "failed"):
            failed_plan = len(self.plan.reports("failed")) if verb == "failed" else 0
            return sum(1 for o in self.outcomes if o.verb == verb) + failed_plan
        return len(self.plan.reports(verb))

    @property
    def failed(self) -> bool:
        return bool(self.broken) or self.count("failed") > 0


def labels_of(config: Config) -> Labels:
    return Labels(**config.jira.labels)


def select(programme: Programme, only: Sequence[str]) -> tuple[list[Release], list[Problem]]:
    """The releases to sync (all, or those named by --release) and the broken files."""
    broken = list(programme.problems)
    if not only:
        return list(programme.releases), broken
    known = {r.id: r for r in programme.releases}
    missing = [rid for rid in only if rid not in known]
    if missing and not broken:
        raise InputError([Problem("--release", None, "", f"no release file has id '{rid}' "
                                  f"(known: {', '.join(sorted(known)) or 'none'})")
                          for rid in missing])
    return [known[rid] for rid in only if rid in known], broken


def resolve_owners(releases: Sequence[Release], jira) -> dict[str, str | Exception]:
    """Each owner as written -> Jira user id, or the error to report for that item."""
    owners = {a.owner for r in releases for lesson in r.lessons for a in lesson.actions
              if a.owner}
    out: dict[str, str | Exception] = {}
    jira.preload_users(sorted(owners))
    for owner in sorted(owners):
        try:
            out[owner] = jira.find_user(owner).id
        except UserNotFound as e:
            out[owner] = e
    return out


def sync(config: Config, jira, *, only: Sequence[str] = (), dry_run: bool = False,
         force: bool = False, now: datetime, progress: Callable[[str], None] = print
         ) -> SyncResult:
    """Plan the sync of the selected releases and, unless ``dry_run``, apply it."""
    programme = load_programme(config.releases_dir, config.templates_dir, config.people)
    if not programme.releases and not programme.broken:
        raise InputError([Problem(str(config.releases_dir), None, "releases_dir",
                                  "no release files found (*.yaml)")])
    releases, broken = select(programme, only)
    state = StateDir(config.state_dir)
    labels = labels_of(config)
    users = resolve_owners(releases, jira)
    wanted = [w for r in releases for w in wanted_issues(r, labels, users)]
    observer = Observer(jira, config.jira.project, labels, state.recent_creates(now))
    seen = observer.seen()
    plan = plan_sync(wanted, seen, labels=labels, loaded={r.id for r in releases},
                     force=force)
    if dry_run:
        return SyncResult(plan, broken=tuple(broken), dry_run=True)
    ctx = Context(issue_types=config.jira.issue_types, keys=observer.keys(seen),
                  extra_fields=config.jira.fields, recover=observer.recover,
                  progress=progress)
    outcomes = apply_plan(plan, jira, ctx)
    state.remember_creates({str(o.identity): {"key": o.key, "id": o.id, "at": now.isoformat()}
                            for o in outcomes if o.verb == "created" and o.identity}, now)
    return SyncResult(plan, tuple(outcomes), tuple(broken))

