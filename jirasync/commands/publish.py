"""jirasync publish RELEASE | --programme [--dry-run] [--force] [--today DATE]"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jirasync.commands.base import Command, interrupted, load, open_jira, parse_date
from jirasync.errors import AuthError, ConfigError, Problem, UsageError
from jirasync.jobs import run_job
from jirasync.lease import JiraLease
from jirasync.state import StateDir
from jirasync.stopping import Stop, on_signals


def arguments(p) -> None:
    p.add_argument("release", nargs="?", metavar="RELEASE", help="the release id, e.g. 4.2")
    p.add_argument("--programme", action="store_true",
                   help="every release's page and the programme page")
    p.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    p.add_argument("--force", action="store_true",
                   help="replace edits people made inside the part jirasync keeps")
    p.add_argument("--today", metavar="DATE",
                   help="figures as of this date (YYYY-MM-DD); default today")


def open_wiki(config, **options):
    """The Confluence gateway for this config (the token read now, never printed)."""
    from jirasync.confluence import connect_wiki
    c = config.confluence
    if c is None:
        raise ConfigError([Problem(str(config.path), None, "confluence",
                                   "publish needs a confluence: section (url, space, "
                                   "parent_page); see docs/configure.md")])
    exposed = c.auth.exposed()
    if exposed:
        raise ConfigError([exposed])
    from jirasync.gateway.types import Pacing
    j = config.jira         # Confluence is paced and retried as jira: says for Jira
    pacing = Pacing(timeout_s=j.timeout_s, max_requests_per_s=j.max_requests_per_s,
                    max_retry_s=j.max_retry_s)
    return connect_wiki(c.url, flavour=c.flavour, email=c.auth.email, token=c.auth.token(),
                        pacing=pacing, allow_insecure_http=c.allow_insecure_http, **options)


def run(args, console) -> int:
    if bool(args.release) == bool(args.programme):
        raise UsageError("give a RELEASE id or --programme (one of them)")
    config = load(args)
    today = parse_date(args.today, "--today") if args.today else \
        datetime.now(ZoneInfo(config.timezone)).date()
    state = StateDir(config.state_dir)
    from jirasync.publish.run import publish_programme
    with on_signals(Stop()) as stop:
        wiki = open_wiki(config, sleep=stop.sleep, clock=stop.clock)
        jira = open_jira(config, sleep=stop.sleep, clock=stop.clock)

        def work():
            return publish_programme(config, jira, wiki, release=args.release, today=today,
                                     dry_run=args.dry_run, force=args.force, state=state,
                                     lease=JiraLease(jira, "publish", warn=console.warn))

        def details():
            return {"requests": dict(jira.stats),
                    "confluence_requests": dict(wiki.stats)}
        try:
            result = work() if args.dry_run else run_job("publish", state, work,
                                                         details=details, stop=stop)
        except AuthError as e:
            if e.status != 401:
                raise
            raise ConfigError([config.confluence.auth.refused(config.confluence.url)]) \
                from None
    report(result, console, wiki.stats)
    if stop():
        return interrupted(stop, console)
    return 1 if result.failed else 0


def report(result, console, stats) -> None:
    for o in result.outcomes:
        line = "  ".join(p for p in (f"{o.verb:<9}", o.page, o.address,
                                     f"{o.attached} files attached" if o.attached else "",
                                     o.detail) if p)
        (console.error if o.verb in ("conflict", "foreign", "failed") else console.say)(line)
    counts = result.counts()
    summary = ", ".join(f"{v} {k}" for k, v in counts.items() if v or k in ("created",
                                                                           "updated"))
    requests = sum(v for k, v in stats.items() if k not in ("retries", "rate-limited"))
    console.say(("dry run, nothing written; a real run would report: " if result.dry_run
                 else "publish: ") + summary + f" ({requests} Confluence requests)")
    console.emit({"dry_run": result.dry_run, "counts": counts,
                  "pages": [{"verb": o.verb, "page": o.page, "address": o.address,
                             "detail": o.detail} for o in result.outcomes]})


COMMAND = Command("publish", "the Lessons Report as Confluence pages: one per release and "
                  "the programme's, updated in place", arguments, run)
