"""Lint of a release's lessons: what a PMO would chase before the session closes."""
from __future__ import annotations

from jirasync.errors import Problem
from jirasync.model import Action, Release


def lint_release(release: Release) -> list[Problem]:
    """Warnings: template lessons the release never answered, an improvement without an
    action, an action without owner or due date, a due date before the release went live."""
    findings = _unanswered(release)
    for lesson in release.lessons:
        if not lesson.answered:
            continue
        where = lesson.where
        assert where is not None        # read from a file, so it has a place
        if lesson.kind == "improve" and not lesson.actions:
            findings.append(Problem(where.file, where.line, f"lessons[{lesson.id}]",
                                    "improvement has no action; agree one with an owner "
                                    "and a due date"))
        for action in lesson.actions:
            findings.extend(_lint_action(release, lesson.id, action))
    return findings


def _lint_action(release: Release, lesson_id: str, action: Action) -> list[Problem]:
    where, key = action.where, f"lessons[{lesson_id}].actions[{action.id}]"
    assert where is not None            # read from a file, so it has a place
    out = []
    if not action.owner:
        out.append(Problem(where.file, where.line, key, "action has no owner"))
    if action.due is None:
        out.append(Problem(where.file, where.line, key, "action has no due date"))
    elif action.due < release.live_date:
        out.append(Problem(where.file, where.line_of("due"), key,
                           f"due date {action.due} is before the live date "
                           f"{release.live_date}"))
    return out


def _unanswered(release: Release) -> list[Problem]:
    """One warning a release, at its ``extends``: the template's lessons it does not list
    go to Jira as "not reviewed", never as a keep the board would read as an answer."""
    ids = [lesson.id for lesson in release.lessons if not lesson.answered]
    if not ids:
        return []
    where = release.where
    line = where.line_of("extends") if where else None
    some = "lesson" if len(ids) == 1 else "lessons"
    return [Problem(where.file if where else "", line, "extends",
                    f"{len(ids)} {some} of template '{release.extends}' not answered "
                    f"({', '.join(ids)}): list each under lessons with its kind (keep or "
                    "improve) and what happened; until then each goes to Jira as not "
                    "reviewed")]
