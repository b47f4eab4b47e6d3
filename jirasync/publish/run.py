"""``publish`` as the command and the service run it: the programme read from Jira once,
the decks built as ``deck`` builds them, the pages published. ``JOB`` is publish as every
runner starts it (``jobs.start``): its ``prepare`` opens Confluence, so a config without a
``confluence:`` section or an unreadable token fails the run before Jira is opened."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from jirasync.config import Config
from jirasync.config.confluence import ConfluenceConfig
from jirasync.errors import ConfigError, Problem
from jirasync.jobs import Job, Run
from jirasync.lease_types import NO_LEASE, Lease
from jirasync.publish.job import PublishResult, PublishRun, decks_for, publish
from jirasync.publish.port import Confluence, PublishJira
from jirasync.reports.deckjob import deck_of, release_files, render_deck
from jirasync.reports.reader import read_programme
from jirasync.reports.slides import Deck
from jirasync.state import StateDir


def publish_programme(config: Config, jira: PublishJira, wiki: Confluence, *,
                      release: str | None, today: date, dry_run: bool = False,
                      force: bool = False, lease: Lease = NO_LEASE,
                      state: StateDir | None = None,
                      progress: Callable[[str], Any] = lambda line: None) -> PublishResult:
    """Publish ``release``'s page (None: every release's) and the programme page."""
    programme = read_programme(jira, config, state=state)
    meeting = config.review.calendar.upcoming(
        datetime.combine(today, time(0), ZoneInfo(config.timezone))).meeting
    decks = decks_for(programme, release, today=today, deck_of=deck_of,
                      next_review=meeting, files=release_files(config))

    def render(deck: Deck, fmt: str) -> bytes:
        return render_deck(deck, fmt, templates_dir=config.templates_dir,
                           pptx_template=config.deck.pptx_template).bytes()

    c = confluence_of(config)
    run = PublishRun(wiki, c.space, c.parent_page, render, lease, progress)
    return publish(programme, decks, run, dry_run=dry_run, force=force)


@dataclass(frozen=True, kw_only=True)
class PublishOptions:
    """``publish``'s own options. ``release`` None: every release's page; ``today`` None:
    the run's day in the config's timezone; ``wiki`` None: ``prepare`` opens it."""

    release: str | None = None
    today: date | None = None
    force: bool = False
    wiki: Confluence | None = None


def confluence_of(config: Config) -> ConfluenceConfig:
    """The config's ``confluence:`` section; a ConfigError saying so when it has none."""
    if config.confluence is None:
        raise ConfigError([Problem(str(config.path), None, "confluence",
                                   "publish needs a confluence: section (url, space, "
                                   "parent_page); see docs/configure.md")])
    return config.confluence


def open_wiki(config: Config, **options: Any) -> Confluence:
    """The Confluence gateway for this config (the token read now, never printed)."""
    from jirasync.confluence.client import connect_wiki
    from jirasync.gateway.types import Pacing
    c = confluence_of(config)
    exposed = c.auth.exposed()
    if exposed:
        raise ConfigError([exposed])
    j = config.jira         # Confluence is paced and retried as jira: says for Jira
    pacing = Pacing(timeout_s=j.timeout_s, max_requests_per_s=j.max_requests_per_s,
                    max_retry_s=j.max_retry_s)
    wiki: Confluence = connect_wiki(c.url, flavour=c.flavour, email=c.auth.email,
                                    token=c.auth.token(), pacing=pacing,
                                    allow_insecure_http=c.allow_insecure_http, **options)
    return wiki


def _prepare(run: Run) -> Run:
    options = run.options_as(PublishOptions)
    if options.wiki is not None:
        return run
    wiki = open_wiki(run.config, sleep=run.stop.sleep, clock=run.stop.clock)
    return replace(run, options=replace(options, wiki=wiki))


def _work(run: Run) -> PublishResult:
    options = run.options_as(PublishOptions)
    if options.wiki is None:
        raise RuntimeError("publish ran before Confluence was opened")
    today = options.today or run.now.astimezone(ZoneInfo(run.config.timezone)).date()
    return publish_programme(run.config, run.opened(), options.wiki, release=options.release,
                             today=today, dry_run=run.dry_run, force=options.force,
                             state=run.state, lease=run.lease, progress=run.progress)


def _details(run: Run) -> dict[str, Any]:
    wiki = run.options_as(PublishOptions).wiki
    return {"confluence_requests": dict(wiki.stats)} if wiki is not None else {}


JOB = Job("publish", _work, prepare=_prepare, details=_details)
