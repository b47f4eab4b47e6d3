"""jirasync check [--online] [--strict]"""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from jirasync.check.files import CheckReport, check
from jirasync.commands.base import Command, open_jira, plural, said, shown
from jirasync.config import existing_config
from jirasync.console import Console
from jirasync.errors import ConfigError, InputError

if TYPE_CHECKING:
    from jirasync.check.online import Online
    from jirasync.config import Config
    from jirasync.model import Release


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--online", action="store_true",
                   help="also check Jira, reading only: credentials, project, issue "
                        "types, required fields, the permissions each job needs, each "
                        "kind of read the jobs make, owners")
    p.add_argument("--strict", action="store_true", help="treat lint warnings as errors")


def run(args: argparse.Namespace, console: Console) -> int:
    try:
        report = check(existing_config(args.config))
    except ConfigError:
        if args.online:
            console.say(SKIPPED)
        raise
    for warning in (*report.notices, *report.warnings):
        console.warn(said(warning))
    online = None
    if args.online and not report.errors:
        from jirasync.check.online import check_online  # the Jira client: only online
        config = report.config
        online = check_online(config, open_jira(config), report.programme.releases)
        if config.confluence is not None:       # publish's Confluence, read only
            _confluence(config, online)
        for warning in online.warnings:
            console.warn(said(warning))
    problems = [*report.errors, *(online.problems if online else ())]
    warnings = [*report.warnings, *(online.warnings if online else ())]
    strict = args.strict and bool(warnings)
    _print(report, console, online, ok=not problems and not strict)
    if args.online and report.errors:       # else silence reads as "Jira is fine"
        console.say(SKIPPED)
    if problems:
        raise InputError(problems)
    if strict:
        console.error(f"{plural(len(warnings), 'warning')} and --strict")
        return 2
    return 0


# The errors themselves follow, on stderr, when the command ends.
SKIPPED = "online checks skipped: fix the errors below first, then run check --online again"


def _confluence(config: Config, online: Online) -> None:
    from jirasync.confluence.connect import open_wiki
    from jirasync.publish.probe import probe_confluence
    c = config.confluence
    assert c is not None      # asked only when the config has a confluence: section
    probes, problems = probe_confluence(str(config.path), c.url, c.space, c.parent_page,
                                        open_wiki(config))
    online.probes += probes
    online.problems += problems


def _print(report: CheckReport, console: Console, online: Online | None, *, ok: bool) -> None:
    config = report.config
    runs = ", ".join(f"{job} {when}" for job, when in config.schedule.items()) or "no job"
    console.say(f"config {shown(config.path)}: ok (project {config.jira.project}; "
                f"jirasync run: {runs})")
    for release in report.programme.releases:
        actions = sum(len(lesson.actions) for lesson in release.lessons)
        console.say(f"release {release.id} ({shown(_file(release))}): ok, "
                    f"{plural(len(release.lessons), 'lesson')}, {plural(actions, 'action')}")
    for file in report.programme.broken:
        console.say(f"{shown(file)}: has errors (below); it will not be synced")
    if online is not None:
        state = "has problems (below)" if online.problems else "ok"
        console.say(f"jira {config.jira.url}: {state}")
        for probe in online.probes:
            console.say(f"  {probe}")
    console.emit({"ok": ok,
                  "errors": [said(p) for p in (*report.errors,
                                               *(online.problems if online else ()))],
                  "warnings": [said(p) for p in (*report.notices, *report.warnings,
                                                 *(online.warnings if online else ()))],
                  "probes": online.probes if online else [],
                  "releases": [{"id": r.id, "file": shown(_file(r)), "lessons": len(r.lessons)}
                               for r in report.programme.releases]})



def _file(release: Release) -> str:
    assert release.where is not None        # read from its file, so it has one
    return release.where.file


COMMAND = Command("check", "validate config, release files and templates; lint the lessons",
                  arguments, run)
