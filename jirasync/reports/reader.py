"""The programme as Jira holds it: one reader shared by every report.

One paged search finds the managed issues by jirasync's labels (the JQL family sync
uses), a second the lessons people made by hand under a release issue that sync has not
tagged yet. Identities come from the issue property ``jirasync``, the chase record from
``jirasync.chase``; Cloud's search returns both. Data Center's cannot: there they come
from the property cache of the state folder (read by key when stale), the identities
through the search sync makes and the chase records through the search chase makes (its
unresolved actions), so that the caches those jobs keep serve a report whole.
A release's name and live date are on its release issue; a release issue that sync has
not yet given them falls back to its release file, and the programme says which
releases neither could date.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

from jirasync.config import Config
from jirasync.gateway.protocol import Jira
from jirasync.gateway.types import JiraIssue
from jirasync.model import CHASE_PROPERTY, SYNC_PROPERTY as IDENTITY_PROPERTY, Labels
from jirasync.reports.programme import (
    PROPERTIES,
    ActionIssue,
    Chased,
    FileDates,
    Item,
    LessonIssue,
    Person,
    Programme,
    ReleaseIssue,
    assemble,
    identity_of,
    keys,
    local_day,
)
from jirasync.state import StateDir


def read_programme(jira: Jira, config: Config, *, state: StateDir | None = None,
                   file_dates: FileDates | None = None) -> Programme:
    """The programme as Jira holds it. ``state`` (a StateDir) lends Data Center's
    property cache; ``file_dates`` dates a release whose issue lacks its live date
    (default: the release files of ``config``)."""
    labels = Labels(**config.jira.labels)
    lend = jira.keeping_properties(state.property_cache, state.save_property_cache) \
        if state is not None else contextlib.nullcontext()
    project = config.jira.project
    with lend:
        if jira.flavour == "cloud":
            issues = list(_managed(jira, project, labels, PROPERTIES))
        else:
            issues = _with_chase_records(jira, project, labels,
                                         list(_managed(jira, project, labels,
                                                       (IDENTITY_PROPERTY,))))
        issues += _untagged_lessons(jira, project, labels, issues)
    return assemble(issues, labels=labels, project=config.jira.project,
                    url=jira.url,
                    zone=ZoneInfo(config.timezone),
                    file_dates=file_dates or release_files_dates(config))


def _managed(jira: Jira, project: str, labels: Labels,
             properties: Sequence[str]) -> Iterator[JiraIssue]:
    marks = ", ".join(f'"{label}"' for label in labels.marks)
    jql = f'project = "{project}" AND labels in ({marks}) ORDER BY key'
    return jira.search(jql, properties=properties)


def _with_chase_records(jira: Jira, project: str, labels: Labels,
                        issues: list[JiraIssue]) -> list[JiraIssue]:
    """Data Center: ``issues`` with the chase records of the unresolved actions, read
    through the cache exactly as chase reads them (so a cache chase and sync keep serves
    every record); a resolved action's record (its rung) is shown by no report."""
    jql = (f'project = "{project}" AND labels = "{labels.action}" AND '
           'resolution = Unresolved ORDER BY key')
    records = {i.key: i.properties for i in jira.search(jql, properties=(CHASE_PROPERTY,))}
    return [replace(i, properties={**i.properties, **records[i.key]})
            if i.key in records else i for i in issues]


def _untagged_lessons(jira: Jira, project: str, labels: Labels,
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
