"""The programme as Jira holds it: one reader shared by every report.

One paged search finds the managed issues by jirasync's labels (the JQL family sync
uses), a second the lessons people made by hand under a release issue that sync has not
tagged yet. Identities come from the issue property ``jirasync``, the chase record from
``jirasync.chase``; Cloud's search returns both. Data Center's cannot: there they come
from the property cache of the state folder, the identities through the search sync makes
and the chase records through the search chase makes (its unresolved actions), so that
the caches those jobs keep serve a report whole. An identity the cache does not hold is
inferred from the release files as sync infers it (``identify``), and read by key only
where that is not unique; a chase record the cache lacks is read by key only for an
action labelled overdue (the only kind that has a rung to show), and only when chase's
index of its records (project properties, see rung_index.py) does not hold it at the
version found: a laptop that never synced reads the index, in a request per 32,000
characters, and by key only what the index lacks or holds of an older version.
A release's name and live date are on its release issue; a release issue that sync has
not yet given them falls back to its release file, and the programme says which
releases neither could date.
"""
from __future__ import annotations

import contextlib
from collections.abc import MutableMapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from jirasync import rung_index
from jirasync.config import Config
from jirasync.errors import JirasyncError
from jirasync.gateway.types import JiraIssue
from jirasync.infer import infer
from jirasync.model import ANSWERS_PROPERTY, CHASE_PROPERTY, Labels
from jirasync.model import SYNC_PROPERTY as IDENTITY_PROPERTY
from jirasync.parsed import load_programme_kept
from jirasync.reports.assemble import PROPERTIES, FileDates, assemble, identity_of, local_day
from jirasync.reports.port import ReportsJira
from jirasync.reports.programme import (
    ActionIssue,
    Chased,
    Item,
    LessonIssue,
    Person,
    Programme,
    ReleaseIssue,
    keys,
)
from jirasync.seen import to_seen
from jirasync.state import StateDir
from jirasync.wanted import Wanted, wanted_issues


def read_programme(jira: ReportsJira, config: Config, *, state: StateDir | None = None,
                   file_dates: FileDates | None = None) -> Programme:
    """The programme as Jira holds it. ``state`` (a StateDir) lends Data Center's
    property cache; ``file_dates`` dates a release whose issue lacks its live date
    (default: the release files of ``config``)."""
    labels = Labels(**config.jira.labels)
    known: set[str] = set()          # issues whose properties the cache held, at any version

    def cached() -> MutableMapping[str, Any]:
        assert state is not None
        entries = state.property_cache()
        known.update(entries)
        return entries
    lend = jira.keeping_properties(cached, state.save_property_cache) \
        if state is not None else contextlib.nullcontext()
    project = config.jira.project
    marks = ", ".join(f'"{label}"' for label in labels.marks)
    # Data Center: the chase records and answers through the search chase makes (its
    # unresolved actions), so that the cache chase keeps serves every one; a resolved
    # action's record (its rung) is shown by no report. A record the cache does not hold
    # for the version found is read by key for an action labelled overdue, escalated or
    # blocked: the rung a report shows is fired by the very edit that adds the overdue
    # label (one atomic PUT, see chase/send.py), an answered block by the edit that adds
    # the blocked label, so an action without them has nothing of that to show, and no
    # search can return the record (JRASERVER-62898). It is read too for an action whose
    # properties the cache held at another version (``known``): on the host that chases,
    # a record chase rewrote, which may hold a digest recorded and not known sent. A laptop
    # that never chased reads the flagged actions' alone, and those only where chase's
    # index does not hold them at the version found (docs/reports.md).
    flags = {labels.overdue, labels.escalated, labels.blocked}
    actions = (f'project = "{project}" AND labels = "{labels.action}" AND '
               'resolution = Unresolved ORDER BY key')
    with lend:
        issues = jira.read_programme(
            f'project = "{project}" AND labels in ({marks}) ORDER BY key',
            properties=PROPERTIES, later={CHASE_PROPERTY: actions, ANSWERS_PROPERTY: actions},
            identify=lambda found: identify(jira, found, config, labels, state),
            worth_reading=lambda action: bool(flags & set(action.labels))
            or action.key in known,
            index=lambda: rung_index.read(lambda name: jira.get_project_property(name,
                                                                                 project)))
        issues += _untagged_lessons(jira, project, labels, issues)
    return assemble(issues, labels=labels, project=config.jira.project,
                    url=jira.url,
                    zone=ZoneInfo(config.timezone),
                    file_dates=file_dates or release_files_dates(config))


def identify(jira: ReportsJira, found: list[JiraIssue], config: Config, labels: Labels,
             state: StateDir | None = None) -> list[JiraIssue]:
    """Data Center: ``found`` with the identity of each issue the cache did not hold,
    inferred as sync infers it (see infer.py: an item looked for under its parent's
    issue, look-alikes told apart by their children), on what a report needs: labels,
    parent and title. A report writes nothing, so the owner, due date and text are not
    compared (a person may have changed them; a release issue's text, which says its live
    date, is). Only where that is not unique is the
    property read by key, parents first."""
    pending = {i.key for i in found if i.key in jira.unread}
    if not pending:
        return found
    wanted = [_bare(w, labels) for w in release_files_wanted(config, labels, state)]
    issues = {i.key: i for i in found}
    while pending:
        known = [to_seen(i) for k, i in issues.items() if k not in pending]
        inferred = infer([_bare(to_seen(issues[k]), labels) for k in sorted(pending)],
                         [_bare(s, labels) for s in known], wanted)
        for key, memory in inferred.items():
            issues[key] = replace(issues[key], properties={
                **issues[key].properties, IDENTITY_PROPERTY: memory.to_json()})
        pending -= set(inferred)
        first = {k for k in pending if issues[k].parent not in pending} or pending
        for key in sorted(first):
            issue = jira.get_issue(key, properties=(IDENTITY_PROPERTY,))
            if issue is None:
                del issues[key]
            else:
                issues[key] = issue
        pending -= first
    return list(issues.values())


def _bare(item: Any, labels: Labels) -> Any:
    """What a report identifies an issue by: a lesson's or action's text, owner and due
    date left out, and chase's labels; a release issue's text kept (it says the live date
    the report shows)."""
    release = not {labels.action, labels.keep, labels.improve} & set(item.labels)
    return replace(item, description=item.description if release else "", assignee=None,
                   due=None, labels=frozenset(item.labels) - {labels.overdue,
                                                                labels.escalated})


def release_files_wanted(config: Config, labels: Labels,
                         state: StateDir | None = None) -> list[Wanted]:
    """What the release files want of Jira (owners not looked up: not compared); the
    files sync parsed and that did not change since are taken from ``state``."""
    from jirasync.releases import load_programme
    try:
        files = load_programme_kept(config.releases_dir, config.templates_dir,
                                    config.people, state) if state is not None else \
            load_programme(config.releases_dir, config.templates_dir, config.people)
    except (OSError, JirasyncError):
        return []
    return [w for r in files.releases for w in wanted_issues(r, labels, {})]


def _untagged_lessons(jira: ReportsJira, project: str, labels: Labels,
                      found: Sequence[JiraIssue]) -> list[JiraIssue]:
    """Lessons made by hand under a release issue that sync has not tagged yet."""
    releases = [i.key for i in found
                if (identity := identity_of(i)) is not None and identity.level == "release"]
    if not releases:
        return []
    known = {i.key for i in found}
    jql = (f'project = "{project}" AND {jira.children_clause(releases)} AND '
           f'(labels is EMPTY OR labels != "{labels.all}") ORDER BY key')
    return [i for i in jira.search(jql, properties=PROPERTIES)
            if i.key not in known]


def release_files_dates(config: Config) -> FileDates:
    """Dates from the release files, read only if some release issue needs them."""
    loaded: list[dict[str, tuple[str, date]]] = []

    def lookup(release_id: str) -> tuple[str, date] | None:
        if not loaded:
            from jirasync.releases import load_programme
            files = load_programme(config.releases_dir, config.templates_dir, config.people)
            loaded.append({r.id: (r.name, r.live_date) for r in files.releases})
        return loaded[0].get(release_id)
    return lookup


__all__ = ["ActionIssue", "Chased", "FileDates", "Item", "LessonIssue", "Person", "Programme",
           "ReleaseIssue", "assemble", "keys", "local_day", "read_programme"]
