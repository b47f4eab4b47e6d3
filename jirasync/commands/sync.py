"""jirasync sync [--release ID]... [--dry-run] [--force]"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from jirasync.commands.base import Command, item_line, load, open_jira
from jirasync.plan import Create, Tag, Update
from jirasync.state import StateDir
from jirasync.sync import SyncResult, sync

COUNTS = ("created", "updated", "unchanged", "kept", "conflict", "orphaned", "duplicate",
          "tagged", "failed")


def arguments(p) -> None:
    p.add_argument("--release", action="append", default=[], metavar="ID",
                   help="sync only this release (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="print the plan; write nothing")
    p.add_argument("--force", action="store_true",
                   help="on a conflict, push the file's value over Jira's")


def run(args, console) -> int:
    config = load(args)
    state = StateDir(config.state_dir)
    started, clock = datetime.now(timezone.utc), time.monotonic()
    jira = open_jira(config)
    if args.dry_run:
        result = _sync(config, jira, args, console, started)
    else:
        with state.lock("sync"):
            result = _sync(config, jira, args, console, started)
            state.record_run({"job": "sync", "started": started.isoformat(),
                              "seconds": round(time.monotonic() - clock, 1),
                              "counts": counts(result), "requests": jira.stats})
    report(result, console)
    return 1 if result.failed else 0


def _sync(config, jira, args, console, now) -> SyncResult:
    return sync(config, jira, only=args.release, dry_run=args.dry_run, force=args.force,
                now=now, progress=console.progress)


def counts(result: SyncResult) -> dict[str, int]:
    return {name: result.count(name) for name in COUNTS}


def lines(result: SyncResult, *, verbose: bool = False) -> list[str]:
    """The report: the plan's lines (dry run) or what was done, then the reports."""
    out = []
    if result.dry_run:
        for step in result.plan.steps:
            if isinstance(step, Create):
                out.append(item_line("create", None, step.wanted.identity, step.wanted.summary))
            elif isinstance(step, Update):
                out.append(item_line("update", step.key, step.identity, ", ".join(step.fields)
                                     or "labels"))
            elif isinstance(step, Tag):
                out.append(item_line("tag", step.key, None, "hand-made lesson: add " +
                                     ", ".join(sorted(step.add_labels))))
    for o in result.outcomes:
        out.append(item_line(o.verb, o.key, o.identity, o.detail))
    for r in result.plan.steps:
        if getattr(r, "kind", None) and (r.kind != "unchanged" or verbose):
            out.append(item_line(r.kind, r.key, r.identity, r.detail))
    return out


def report(result: SyncResult, console) -> None:
    for problem in result.broken:
        console.error(f"{problem} (release not synced)")
    for line in lines(result, verbose=console.verbose):
        console.say(line)
    c = counts(result)
    summary = ", ".join(f"{v} {k}" for k, v in c.items() if v or k in ("created", "updated"))
    console.say(("dry run, nothing written: " if result.dry_run else "sync: ") + summary)
    console.emit({"dry_run": result.dry_run, "counts": c, "lines": lines(result),
                  "broken": [str(p) for p in result.broken]})


COMMAND = Command("sync", "create, update and tag the lessons-learnt issues in Jira",
                  arguments, run)
