"""``jirasync check --online``: what only Jira can tell — credentials, project, issue
types, fields the create screens require, owners. Reads only; writes nothing."""
from __future__ import annotations

from collections.abc import Sequence

from jirasync.config import Config
from jirasync.errors import AuthError, ConfigError, JiraError, Problem, UserNotFound
from jirasync.gateway import CreateField, Jira, ProjectInfo
from jirasync.model import Release

# Fields jirasync fills itself on every create.
FILLED = {"summary", "issuetype", "project", "reporter", "parent", "description", "labels",
          "assignee", "duedate"}


def check_online(config: Config, jira: Jira, releases: Sequence[Release]) -> list[Problem]:
    """Every problem Jira would raise on the first sync, named by file, line and key."""
    file = str(config.path)
    jira.myself()                       # raises AuthError with a clear message
    try:
        project = jira.project(config.jira.project)
    except JiraError as e:
        return [Problem(file, None, "jira.project", f"{config.jira.project}: {e}")]
    problems = _issue_types(config, project, file)
    if not problems:
        problems += _required_fields(config, jira, file)
    return problems + _owners(config, jira, releases)


def require_project(config: Config, jira: Jira) -> None:
    """One request proving the project exists and the bot can browse it, made before
    anything is planned: a mistyped key must not look like an empty programme.
    ConfigError (exit 2) when Jira has no such project for the bot; a Jira failure is
    raised as it is (exit 1)."""
    key = config.jira.project
    try:
        jira.project(key)
    except AuthError:
        raise
    except JiraError as e:
        if e.status != 404:
            raise
        raise ConfigError([Problem(str(config.path), config.jira.project_line, "jira.project",
                                   f"{key}: Jira at {jira.url} has no such project, or the "
                                   "bot cannot browse it; check the key (as in issue keys "
                                   f"like {key}-1) and the bot's Browse Projects "
                                   "permission")]) \
            from None


def _issue_types(config: Config, project: ProjectInfo, file: str) -> list[Problem]:
    problems = []
    for role, name in config.jira.issue_types.items():
        if name not in project["issue_types"]:
            problems.append(Problem(file, None, f"jira.issue_types.{role}",
                                    f"project {project['key']} has no issue type '{name}' "
                                    f"(it has: {', '.join(project['issue_types'])})"))
        elif (role == "action") != (name in project["subtask_types"]):
            want = "a sub-task type" if role == "action" else "not a sub-task type"
            problems.append(Problem(file, None, f"jira.issue_types.{role}",
                                    f"'{name}' must be {want} in project {project['key']}"))
    return problems


def _required_fields(config: Config, jira: Jira, file: str) -> list[Problem]:
    given = set()
    for name in config.jira.fields:
        try:
            given.add(jira.field_id(name))
        except JiraError as e:
            return [Problem(file, None, f"jira.fields.{name}", str(e))]
    problems = []
    for role, type_name in config.jira.issue_types.items():
        for field in jira.create_fields(config.jira.project, type_name):
            if (field["required"] and not field["has_default"] and field["id"] not in FILLED
                    and field["id"] not in given and not _filled_by_jirasync(field, role)):
                problems.append(Problem(file, None, "jira.fields",
                                        f"the {type_name} create screen requires "
                                        f"'{field['name']}' ({field['id']}); give it a value "
                                        f"under jira.fields, e.g. \"{field['name']}\": ..."))
    return problems


def _filled_by_jirasync(field: CreateField, role: str) -> bool:
    """Data Center's Epic Name (filled from the release name) and Epic Link."""
    return field["name"] in ("Epic Name", "Epic Link") and role in ("release", "lesson")


def _owners(config: Config, jira: Jira, releases: Sequence[Release]) -> list[Problem]:
    problems = []
    file = str(config.path)
    for role, who in config.people.items():
        try:
            jira.find_user(who)
        except UserNotFound as e:
            problems.append(Problem(file, None, f"people.{role}", str(e)))
    for release in releases:
        for lesson in release.lessons:
            for action in lesson.actions:
                if not action.owner:
                    continue
                try:
                    jira.find_user(action.owner)
                except UserNotFound as e:
                    where = action.where
                    problems.append(Problem(where.file, where.line_of("owner"),
                                            f"lessons[{lesson.id}].actions[{action.id}].owner",
                                            str(e)))
    return problems
