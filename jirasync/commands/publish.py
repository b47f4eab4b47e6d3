"""jirasync publish RELEASE | --programme [--dry-run] [--force] [--today DATE]"""
from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import UTC, datetime

from jirasync.commands.base import Command, load, open_jira, plural
from jirasync.commands.reporting import one_release, today_of
from jirasync.commands.running import exit_code, start_here
from jirasync.confluence.connect import open_until, open_wiki
from jirasync.console import Console
from jirasync.errors import AuthError, ConfigError
from jirasync.publish.job import PublishResult
from jirasync.publish.run import PublishOptions, publish_job
from jirasync.stopping import Stop, on_signals


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("release", nargs="?", metavar="RELEASE", help="the release id, e.g. 4.2")
    p.add_argument("--programme", action="store_true",
                   help="every release's page and the programme page")
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    p.add_argument("--force", action="store_true",
                   help="replace edits people made inside the part jirasync keeps")
    p.add_argument("--today", metavar="DATE",
                   help="figures as of this date (YYYY-MM-DD); default today")


def run(args: argparse.Namespace, console: Console) -> int:
    release = one_release(args)
    config = load(args)
    today = today_of(args, config)
    with on_signals(Stop()) as stop:
        options = PublishOptions(release=release, today=today, force=args.force,
                                 wiki=open_wiki(config, sleep=stop.sleep, clock=stop.clock))
        jira = open_jira(config, sleep=stop.sleep, clock=stop.clock)
        try:
            result = start_here(publish_job(open_until), jira, config, now=datetime.now(UTC),
                                stop=stop, dry_run=args.dry_run, options=options,
                                console=console)
        except AuthError as e:
            if e.status != 401 or config.confluence is None:
                raise
            raise ConfigError([config.confluence.auth.refused(config.confluence.url)]) \
                from None
    wiki = options.wiki
    assert wiki is not None
    report(result, console, wiki.stats)
    return exit_code(result, stop, console)


# A dry run's lines say what a real run would do, not what was done.
WOULD = {"created": "to create", "updated": "to update"}


def report(result: PublishResult, console: Console, stats: Mapping[str, int]) -> None:
    for o in result.outcomes:
        verb = WOULD.get(o.verb, o.verb) if result.dry_run else o.verb
        line = "  ".join(p for p in (f"{verb:<9}", o.page, o.address,
                                     f"{o.attached} files attached" if o.attached else "",
                                     o.detail) if p)
        (console.error if o.verb in ("conflict", "foreign", "failed") else console.say)(line)
    counts = result.counts()
    summary = ", ".join(f"{v} {k}" for k, v in counts.items() if v or k in ("created",
                                                                           "updated"))
    requests = sum(v for k, v in stats.items() if k not in ("retries", "rate-limited"))
    if result.dry_run:      # its own requests, reads only: a real run's are more
        console.say(f"dry run, nothing written; a real run would report: {summary} "
                    f"(this dry run read Confluence {plural(requests, 'time')})")
    else:
        console.say(f"publish: {summary} ({requests} Confluence requests)")
    console.emit({"dry_run": result.dry_run, "counts": counts,
                  "pages": [{"verb": o.verb, "page": o.page, "address": o.address,
                             "detail": o.detail} for o in result.outcomes]})


COMMAND = Command("publish", "the Lessons Report as Confluence pages: one per release and "
                  "the programme's, updated in place", arguments, run)
