"""``jirasync check --online``: what only Jira can tell — credentials, project, issue
types, fields the create screens require, the permissions each job needs, each kind of
read the jobs make, owners. Reads only; writes nothing."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jirasync.check.access import ASKED, judge
from jirasync.check.reads import probe_reads
from jirasync.config import Config
from jirasync.errors import AuthError, ConfigError, JiraError, Problem, UserNotFound
from jirasync.gateway.protocol import Jira
from jirasync.gateway.types import CreateField, ProjectInfo
from jirasync.model import Release

# Fields jirasync fills itself on every create.
FILLED = {"summary", "issuetype", "project", "reporter", "parent", "description", "labels",
          "assignee", "duedate"}


@dataclass
class Online:
    """What Jira said: a line per probe made, the problems (errors) and the warnings."""

    probes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def check_online(config: Config, jira: Jira, releases: Sequence[Release]) -> Online:
    """Every problem Jira would raise on the first runs, named by file, line and key."""
    file, key = str(config.path), config.jira.project
    out = Online()
    me = jira.myself()                  # raises AuthError with a clear message
    out.probes.append(f"credentials: ok (the bot is {me.display_name})")
    try:
        project = jira.project(key)
    except JiraError as e:
        out.problems.append(Problem(file, None, "jira.project", f"{key}: {e}"))
        return out
    out.probes.append(f"project {key}: ok ({project['name']})")
    out.problems += _issue_types(config, project, file)
    if not out.problems:
        out.probes.append(f"issue types: ok ({', '.join(config.jira.issue_types.values())})")
        fields = _required_fields(config, jira, file)
        out.problems += fields
        out.probes.append("create screens: " + ("required fields missing (below)" if fields
                                                else "ok (jirasync fills what they require)"))
    users = _permissions(config, jira, out, bot=me.display_name)
    reads, problems = probe_reads(config, jira)
    out.probes += reads
    out.problems += problems
    if users:
        _look_up_people(config, jira, releases, out)
    else:
        out.probes.append("owners: not looked up (the bot cannot browse users)")
    return out


def _look_up_people(config: Config, jira: Jira, releases: Sequence[Release],
                    out: Online) -> None:
    """Owners as sync finds them: the project's assignable users listed first (when there
    are several owners), then a user search for each owner the list did not settle."""
    people = _people(config, releases)
    try:
        jira.preload_users(people)
    except JiraError as e:
        out.problems.append(Problem(str(config.path), None, "jira",
                                    f"the list of assignable users failed: {e}; sync finds "
                                    "owners this way, so it would fail too; check that the bot "
                                    "has 'Assign issues' or 'Browse users and groups'"))
    owners = _owners(config, jira, releases)
    out.problems += owners
    found = sum(1 for who in people if _found(jira, who))     # answered from the cache
    out.probes.append(f"owners and people: {found} of {len(people)} found")


def _permissions(config: Config, jira: Jira, out: Online, *, bot: str) -> bool:
    """Ask Jira which permissions the bot holds; False when it may not browse users."""
    try:
        answer = jira.my_permissions(ASKED, project=config.jira.project)
    except JiraError as e:
        # Not the PMO's doing, most likely (a Jira that knows other permission keys): the
        # reads below still show what the bot may do.
        out.probes.append("permissions: not checked (below)")
        out.warnings.append(Problem(str(config.path), None, "jira.auth",
                                    f"Jira did not say which permissions the bot holds ({e}); "
                                    "the reads below were tried, the writes were not"))
        return True
    access = judge(answer, file=str(config.path), project=config.jira.project, bot=bot)
    out.problems += access.problems
    out.warnings += access.warnings
    state = "lacking some (below)" if access.problems or access.warnings else "ok"
    out.probes.append(f"permissions: {state} (held: {', '.join(access.held) or 'none'})")
    return bool(answer.get("USER_PICKER"))


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
        for meta in jira.create_fields(config.jira.project, type_name):
            if (meta["required"] and not meta["has_default"] and meta["id"] not in FILLED
                    and meta["id"] not in given and not _filled_by_jirasync(meta, role)):
                problems.append(Problem(file, None, "jira.fields",
                                        f"the {type_name} create screen requires "
                                        f"'{meta['name']}' ({meta['id']}); give it a value "
                                        f"under jira.fields, e.g. \"{meta['name']}\": ..."))
    return problems


def _filled_by_jirasync(field: CreateField, role: str) -> bool:
    """Data Center's Epic Name (filled from the release name) and Epic Link."""
    return field["name"] in ("Epic Name", "Epic Link") and role in ("release", "lesson")


def _people(config: Config, releases: Sequence[Release]) -> set[str]:
    owners = {a.owner for r in releases for lesson in r.lessons for a in lesson.actions}
    return {*config.people.values(), *filter(None, owners)}


def _found(jira: Jira, who: str) -> bool:
    try:
        jira.find_user(who)
    except UserNotFound:
        return False
    return True


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
                    assert where is not None        # read from a file: it has a place
                    problems.append(Problem(where.file, where.line_of("owner"),
                                            f"lessons[{lesson.id}].actions[{action.id}].owner",
                                            str(e)))
    return problems
