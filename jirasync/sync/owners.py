"""Owners as written in the release files -> SyncJira user ids, remembered between runs.

Resolving fifty owners costs a sync two requests (the project's assignable users: Cloud
filters a page after paging, so a short page is not the last) to learn, most runs, what
the last run learnt. The state folder keeps each id found, for a day (``owners.json``). A
sync plans with the ids it remembers; when that plan writes anything, every remembered
owner is resolved again before a write is made, and if one's answer changed (the person
left, or the email now names someone else) the run reads and plans again on the fresh
answers (``job``). So:

- a write (a create, an assignee pushed, any other write) is never made on a remembered
  id: the run that writes resolves every owner as a run without the file would;
- an owner Jira no longer knows is reported ``failed`` as before by every run that writes,
  and by every run once the day is over; only a run that writes nothing, within the day,
  still counts that action as unchanged;
- an owner not remembered (new in the file, changed, the state folder lost, another Jira
  or project, ``--full``) is resolved as before; a failure is never remembered.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from jirasync.config import Config
from jirasync.errors import UserNotFound
from jirasync.model import Release
from jirasync.state import StateDir
from jirasync.sync.port import SyncJira

FILE = "owners.json"
VERSION = 1
KEEP_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Owners:
    """Each owner as written -> SyncJira user id, or the error to report for that item."""

    ids: Mapping[str, str | Exception]
    # owner -> when it was resolved, for those answered from the state folder
    remembered: Mapping[str, str] = field(default_factory=dict)


def owners_of(releases: Sequence[Release]) -> set[str]:
    return {a.owner for r in releases for lesson in r.lessons for a in lesson.actions
            if a.owner}


def resolve_owners(owners: Iterable[str], jira: SyncJira) -> dict[str, str | Exception]:
    """Each owner -> SyncJira user id, or the error to report for that item, asked of Jira."""
    out: dict[str, str | Exception] = {}
    wanted = sorted(set(owners))
    jira.preload_users(wanted)
    for owner in wanted:
        try:
            out[owner] = jira.find_user(owner).id
        except UserNotFound as e:
            out[owner] = e
    return out


def scope_of(config: Config) -> str:
    """What a remembered id is valid for: the Jira and the project (assignable users)."""
    return json.dumps([config.jira.url, config.jira.project])


def resolve(releases: Sequence[Release], jira: SyncJira, state: StateDir, *, scope: str,
            now: datetime, fresh: bool = False) -> Owners:
    """The owners of ``releases``: remembered ids where the state folder has them from
    the last day (unless ``fresh``), the others asked of Jira."""
    owners = owners_of(releases)
    known = {} if fresh else {o: e for o, e in _load(state, scope, now).items() if o in owners}
    ids: dict[str, str | Exception] = {o: e[0] for o, e in known.items()}
    ids.update(resolve_owners(owners - set(known), jira))
    return Owners(ids, {o: e[1] for o, e in known.items()})


def confirm(owners: Owners, jira: SyncJira) -> tuple[Owners, bool]:
    """Before a write: the remembered owners asked of Jira again; and whether any answer
    differs from what was remembered."""
    if not owners.remembered:
        return owners, False
    again = resolve_owners(owners.remembered, jira)
    changed = any(again[o] != owners.ids[o] for o in again)
    return Owners({**owners.ids, **again}), changed


def save(state: StateDir, owners: Owners, *, scope: str, now: datetime) -> None:
    """Keep the ids found (an id remembered keeps the time it was resolved at, so that
    it is asked again within a day), and those of owners of releases not synced now."""
    kept = _load(state, scope, now)
    kept.update({o: (i, owners.remembered.get(o, now.isoformat()))
                 for o, i in owners.ids.items() if isinstance(i, str)})
    kept = {o: e for o, e in kept.items() if not isinstance(owners.ids.get(o), Exception)}
    state.write_json(FILE, {"v": VERSION, "scope": scope,
                            "owners": {o: {"id": i, "at": at}
                                       for o, (i, at) in sorted(kept.items())}})


def _load(state: StateDir, scope: str, now: datetime) -> dict[str, tuple[str, str]]:
    """owner -> (id, when resolved), for the entries of this scope from the last day."""
    data = state.read_json(FILE)
    if not isinstance(data, dict) or data.get("v") != VERSION or data.get("scope") != scope:
        return {}
    entries = data.get("owners")
    out: dict[str, tuple[str, str]] = {}
    for owner, entry in (entries.items() if isinstance(entries, dict) else ()):
        if isinstance(entry, dict) and _fresh(entry.get("at"), now) \
                and isinstance(entry.get("id"), str) and entry["id"]:
            out[str(owner)] = (entry["id"], entry["at"])
    return out


def _fresh(at: object, now: datetime) -> bool:
    try:
        when = datetime.fromisoformat(str(at))
        return when <= now and now - when <= KEEP_FOR
    except (TypeError, ValueError):          # a time without its offset too
        return False
