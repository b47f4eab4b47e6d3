"""jirasync check [--online] [--strict]"""
from __future__ import annotations

from jirasync.check import CheckReport, check
from jirasync.commands.base import Command, open_jira, plural, said, shown
from jirasync.config import find_config
from jirasync.errors import InputError
from jirasync.online import check_online


def arguments(p) -> None:
    p.add_argument("--online", action="store_true",
                   help="also check Jira: credentials, project, issue types, required "
                        "fields, owners")
    p.add_argument("--strict", action="store_true", help="treat lint warnings as errors")


def run(args, console) -> int:
    report = check(find_config(args.config))
    for warning in report.warnings:
        console.warn(said(warning))
    _print(report, console)
    if report.errors:
        raise InputError(report.errors)
    if args.online:
        _online(report, console)
    if args.strict and report.warnings:
        console.error(f"{len(report.warnings)} warning(s) and --strict")
        return 2
    return 0


def _online(report: CheckReport, console) -> None:
    config = report.config
    problems = check_online(config, open_jira(config), report.programme.releases)
    if problems:
        raise InputError(problems)
    console.say(f"jira {config.jira.url}: ok (credentials, project {config.jira.project}, "
                "issue types, required fields, owners)")


def _print(report: CheckReport, console) -> None:
    console.say(f"config {shown(report.config.path)}: ok (project {report.config.jira.project})")
    for release in report.programme.releases:
        actions = sum(len(lesson.actions) for lesson in release.lessons)
        console.say(f"release {release.id} ({shown(release.where.file)}): ok, "
                    f"{plural(len(release.lessons), 'lesson')}, {plural(actions, 'action')}")
    for file in report.programme.broken:
        console.say(f"{shown(file)}: has errors (below); it will not be synced")
    console.emit({"ok": not report.errors,
                  "errors": [said(p) for p in report.errors],
                  "warnings": [said(p) for p in report.warnings],
                  "releases": [{"id": r.id, "file": shown(r.where.file), "lessons": len(r.lessons)}
                               for r in report.programme.releases]})


COMMAND = Command("check", "validate config, release files and templates; lint the lessons",
                  arguments, run)
