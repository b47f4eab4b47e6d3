"""The reads the jobs make, each tried once by ``check --online``: a key listing, a search
with the fields and properties sync asks for, an issue read with its properties, the
project's properties. A read that fails here would fail at the first tick; each failure is
named with what the job reads that way and what to check."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jirasync.config import Config
from jirasync.errors import JiraError, Problem
from jirasync.gateway.protocol import Jira
from jirasync.model import CHASE_PROPERTY, SYNC_PROPERTY, Labels

BROWSE = "check that the bot has 'Browse projects' in project {project}"


def probe_reads(config: Config, jira: Jira) -> tuple[list[str], list[Problem]]:
    """(a line per probe made, the problems found). Reads only."""
    project = config.jira.project
    marks = ", ".join(f'"{label}"' for label in Labels(**config.jira.labels).marks)
    jql = f'project = "{project}" AND labels in ({marks}) ORDER BY key'
    lines: list[str] = []
    problems: list[Problem] = []

    def probe(what: str, why: str, read: Callable[[], Any], said: Callable[[Any], str]) -> Any:
        try:
            found = read()
        except JiraError as e:
            lines.append(f"{what}: failed (below)")
            problems.append(Problem(str(config.path), None, "jira",
                                    f"{what} failed: {e}; {why}, so it would fail too; "
                                    + BROWSE.format(project=project)))
            return None
        lines.append(f"{what}: ok ({said(found)})")
        return found

    keys = probe("key listing", "sync lists the programme's issues this way",
                 lambda: list(jira.keys(jql)), lambda k: f"{len(k)} issues of the programme")
    probe("search with sync's fields and properties",
          "sync and chase search the programme's issues this way",
          lambda: list(jira.search(jql, properties=(SYNC_PROPERTY,), limit=1)),
          lambda found: f"read {found[0].key}" if found else "nothing to read yet")
    if keys:
        probe("issue read with its properties",
              "sync and chase read an issue and the record jirasync keeps on it this way",
              lambda: jira.get_issue(keys[0], properties=(SYNC_PROPERTY, CHASE_PROPERTY)),
              lambda issue: keys[0] if issue else f"{keys[0]} is gone")
    else:
        lines.append("issue read with its properties: not tried (no issue of the programme "
                     "yet)")
    probe("project properties", "the lease that keeps two hosts' runs apart is read this way",
          lambda: (jira.project_property_keys(project),
                   jira.get_project_property("jirasync.lease.sync", project)),
          lambda got: f"{len(got[0])} listed, the sync lease's read")
    return lines, problems
