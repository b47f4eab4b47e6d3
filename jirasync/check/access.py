"""The permissions each job needs of Jira, asked in one ``GET /mypermissions``.

Each need quotes what the contract requires of the operations a job sends: *Create issues*
for creates, *Edit issues* for edits and issue properties, *Add comments* for comments,
*Administer Projects* (or *Administer Jira*) to write the project properties the lease and
the record of recent creates live in, *Browse users and groups* for user searches ("calls
by users without the required permission return empty search results": every owner would
look unknown), *Transition issues* for chase to move an action its owner answered "done"
(or the release manager "not needed") through its workflow. Pure: the answer is given,
the problems are returned.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jirasync.errors import Problem


@dataclass(frozen=True)
class Need:
    keys: tuple[str, ...]       # Jira's permission keys; holding any one is enough
    name: str                   # as Jira's permission scheme names it
    jobs: str                   # which jobs need it, and for what
    scope: str = "project"      # project permission or global permission


NEEDS = (
    Need(("BROWSE_PROJECTS",), "Browse projects",
         "every job needs it to find the programme's issues"),
    Need(("CREATE_ISSUES",), "Create issues",
         "sync needs it to create the releases, lessons and actions"),
    Need(("EDIT_ISSUES",), "Edit issues",
         "sync needs it to update and tag issues and keep their identity on them, chase "
         "to label actions and record what it sent"),
    Need(("ASSIGN_ISSUES",), "Assign issues",
         "sync needs it to make each action's owner its assignee"),
    Need(("ADD_COMMENTS",), "Add comments",
         "chase needs it to prompt owners and escalate in comments"),
    Need(("TRANSITION_ISSUES",), "Transition issues",
         "chase needs it to close an action its owner answered done (docs/answers.md)"),
    Need(("USER_PICKER",), "Browse users and groups",
         "sync, chase and agenda need it to find the owners and the people of the "
         "escalation ladder (without it Jira finds nobody)", scope="global"),
)
# Without it the jobs still run, each host on its own lock: a warning, not an error.
LEASE = Need(("ADMINISTER_PROJECTS", "ADMINISTER"), "Administer projects",
             "sync and chase need it to write the project properties that keep two hosts' "
             "runs apart (the lease) and record recent creates; without it they run, but "
             "only one host may run jirasync")
ASKED = tuple(dict.fromkeys(k for need in (*NEEDS, LEASE) for k in need.keys))


@dataclass(frozen=True)
class Access:
    held: tuple[str, ...]              # the names of the needs met
    problems: tuple[Problem, ...]      # needs unmet: errors
    warnings: tuple[Problem, ...]      # the lease's need unmet


def judge(answer: Mapping[str, bool], *, file: str, project: str, bot: str) -> Access:
    """Which needs Jira's ``{key: havePermission}`` meets, each unmet one named with the
    job that needs it and what to do. A key Jira did not report on counts as not held."""
    held: list[str] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for need in (*NEEDS, LEASE):
        if any(answer.get(k) for k in need.keys):
            held.append(need.name)
            continue
        where = f"in project {project}" if need.scope == "project" else "(a global permission)"
        grant = ("ask a Jira administrator to grant it to the bot in the project's permission "
                 "scheme" if need.scope == "project" else
                 "ask a Jira administrator to grant it to the bot under global permissions")
        problem = Problem(file, None, "jira.auth",
                          f"the bot ({bot}) lacks Jira's '{need.name}' permission {where}: "
                          f"{need.jobs}; {grant}")
        (warnings if need is LEASE else problems).append(problem)
    return Access(tuple(held), tuple(problems), tuple(warnings))
