"""jirasync sync [--release ID]... [--dry-run] [--force] [--full]"""
from __future__ import annotations

import argparse
from datetime import UTC, datetime

from jirasync.commands.base import Command, item_line, load, open_jira, said
from jirasync.commands.running import exit_code, start_here
from jirasync.console import Console
from jirasync.stopping import Stop, on_signals
from jirasync.sync.job import JOB, SyncOptions, SyncResult, read_programme
from jirasync.sync.plan import Report


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--release", action="append", default=[], metavar="ID",
                   help="sync only this release (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    p.add_argument("--force", action="store_true",
                   help="on a conflict, push the file's value over Jira's")
    p.add_argument("--full", action="store_true",
                   help="read every managed issue from Jira, not only what changed since "
                        "the last run")


def run(args: argparse.Namespace, console: Console) -> int:
    config = load(args)
    programme = read_programme(config, args.release)
    with on_signals(Stop()) as stop:
        jira = open_jira(config, sleep=stop.sleep, clock=stop.clock)
        options = SyncOptions(only=args.release, force=args.force, full=args.full,
                              programme=programme)
        result = start_here(JOB, jira, config, now=datetime.now(UTC), stop=stop,
                            dry_run=args.dry_run, options=options, console=console)
    report(result, console)
    return exit_code(result, stop, console)


def lines(result: SyncResult, *, verbose: bool = False) -> list[str]:
    """The report: what was done (or, in a dry run, what would be), then the reports."""
    return [line for _, line in _items(result, verbose)]


def _items(result: SyncResult, verbose: bool) -> list[tuple[str, str]]:
    out = [(o.verb, item_line(o.verb, o.key, o.identity, o.detail)) for o in result.outcomes]
    for r in result.plan.steps:
        if isinstance(r, Report) and r.kind and (r.kind != "unchanged" or verbose):
            out.append((r.kind, item_line(r.kind, r.key, r.identity, r.detail)))
    return out


def report(result: SyncResult, console: Console) -> None:
    for problem in result.broken:
        console.error(f"{said(problem)} (release not synced)")
    failures = [o for o in result.outcomes if o.verb == "failed"] + \
        [r for r in result.plan.reports("failed")]
    for f in failures:
        # A failed item sets the exit code, so it is an error: shown even with -q,
        # as a sentence ("error: action 4.2/… (DCR-31) not synced: …").
        what = f"{f.identity.level} {f.identity}" if f.identity is not None else "an item"
        console.error(f"{what}{f' ({f.key})' if f.key else ''} not synced: {f.detail}")
    for verb, line in _items(result, console.verbose):
        if verb != "failed":
            console.say(line)
    c = result.counts()
    summary = ", ".join(f"{v} {k}" for k, v in c.items() if v or k in ("created", "updated"))
    console.say(("dry run, nothing written; a real run would report: " if result.dry_run
                 else "sync: ") + summary)
    console.emit({"dry_run": result.dry_run, "counts": c, "lines": lines(result),
                  "broken": [said(p) for p in result.broken]})


COMMAND = Command("sync", "create, update and tag the lessons-learnt issues in Jira",
                  arguments, run)
