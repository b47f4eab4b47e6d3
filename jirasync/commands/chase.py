"""jirasync chase [--today DATE] [--dry-run]"""
from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from jirasync.chase.job import KINDS, ChaseOptions, ChaseResult
from jirasync.chase.messages import Texts, when
from jirasync.commands.base import Command, load, open_jira, parse_date, plural
from jirasync.commands.reporting import NOTHING_SYNCED
from jirasync.commands.running import exit_code, start_here
from jirasync.console import Console
from jirasync.errors import UsageError
from jirasync.model import counted
from jirasync.notify.job import chase_then_tell
from jirasync.stopping import Stop, on_signals

if TYPE_CHECKING:
    from jirasync.config import Config


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", metavar="DATE",
                   help="rehearse a date (YYYY-MM-DD), as if run at the start of that day")
    p.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")
    p.add_argument("--yes", action="store_true",
                   help="with a --today after today: really send that day's prompts now")


def real_now() -> datetime:
    """The wall clock (tests pin it: what 'today' is decides what --today may write)."""
    return datetime.now(UTC)


def now_for(args: argparse.Namespace, config: Config,
            console: Console | None = None) -> datetime:
    """The clock, or --today at 00:00 in the config's timezone. Time does not run
    backwards in Jira, so an earlier day is refused unless it is a dry run; a later day
    spends that cycle's prompts early, so it needs --yes (SPEC §4)."""
    zone = ZoneInfo(config.timezone)
    if not args.today:
        return real_now()
    day = parse_date(args.today, "--today")
    today = real_now().astimezone(zone).date()
    if day < today and not args.dry_run:
        raise UsageError(
            f"--today {day} is before today ({today}): a real run on a past date would "
            "undo escalations in Jira and send them again later; add --dry-run to see what "
            "it would have sent")
    if day > today and not args.dry_run:
        if not args.yes:
            raise UsageError(
                f"--today {day} is after today ({today}): a real run sends that day's "
                "prompts and escalations now and they are not sent again on the day; add "
                "--yes to do that, or --dry-run to see them")
        if console is not None:
            console.warn(f"rehearsing {day} for real: its prompts and escalations are sent "
                         "now, and the cycle's prompts are spent early")
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def run(args: argparse.Namespace, console: Console) -> int:
    config = load(args)
    now = now_for(args, config, console)
    texts = Texts(config.templates_dir, config.jira.url)
    with on_signals(Stop()) as stop:
        jira = open_jira(config, sleep=stop.sleep, clock=stop.clock)
        # The channel's lines are printed after chase's report.
        heard: list[tuple[Callable[[str], None], str]] = []
        job = chase_then_tell(say=lambda text: heard.append((console.say, text)),
                              warn=lambda text: heard.append((console.warn, text)))
        result = start_here(job, jira, config, now=now, stop=stop, dry_run=args.dry_run,
                            options=ChaseOptions(texts=texts), console=console)
    report(result, console)
    for say, text in heard:
        say(text)
    return exit_code(result, stop, console)


# The summary line's counts: what chase sent and the answers it applied (the channel's
# say their own line after it).
SUMMED = (*KINDS, "answers", "refused")


def report(result: ChaseResult, console: Console) -> None:
    if not result.synced:
        console.say(NOTHING_SYNCED)
    if result.cycle is not None:
        console.say(f"review {result.cycle.name}: prompt window open until "
                    f"{when(result.cycle.meeting)}")
    else:
        console.say(f"no prompt window open; next review {when(result.next_meeting)}")
    for s in result.sent:
        to = f"to {', '.join(s.to)}" if s.to else ""
        console.say("  ".join(p for p in (f"{s.kind:<10}", f"{s.key:<9}", to, s.detail) if p))
    counts = result.counts()
    head = "dry run, nothing sent: " if result.dry_run else "chase: "
    console.say(head + f"{plural(result.open_actions, 'open action')}; " +
                ", ".join(counted(v, k) for k, v in counts.items()
                          if k in SUMMED and (v or k == "prompt")))
    console.emit({"dry_run": result.dry_run, "synced": result.synced,
                  "cycle": result.cycle.name if result.cycle else None,
                  "next_meeting": result.next_meeting.isoformat(), "counts": counts,
                  "sent": [{"kind": s.kind, "key": s.key, "to": list(s.to), "detail": s.detail}
                           for s in result.sent]})


COMMAND = Command("chase", "send the prompts and escalations that are due", arguments, run)
