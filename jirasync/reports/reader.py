"""The programme as Jira holds it: one reader shared by every report.

One paged search finds the managed issues by jirasync's labels (the JQL family sync
uses), a second the lessons people made by hand under a release issue that sync has not
tagged yet. Identities come from the issue property ``jirasync``, the chase record from
``jirasync.chase``; Cloud's search returns both, Data Center's cannot, so there they
come from the property cache sync keeps in the state folder (read by key when stale).
A release's name and live date are on its release issue; a release issue that sync has
not yet given them falls back to its release file, and the programme says which
releases neither could date.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from jirasync.config import Config
from jirasync.gateway.protocol import Jira
from jirasync.gateway.types import JiraIssue
from jirasync.model import Labels
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
    with lend:
        issues = list(_managed(jira, config.jira.project, labels))
        issues += _untagged_lessons(jira, config.jira.project, labels, issues)
    return assemble(issues, labels=labels, project=config.jira.project,
                    url=getattr(jira, "url", config.jira.url),
                    zone=ZoneInfo(config.timezone),
                    file_dates=file_dates or release_files_dates(config))


def _managed(jira: Jira, project: str, labels: Labels) -> Iterator[JiraIssue]:
    marks = ", ".join(f'"{label}"' for label in labels.marks)
    jql = f'project = "{project}" AND labels in ({marks}) ORDER BY key'
    return jira.search(jql, properties=PROPERTIES)


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
