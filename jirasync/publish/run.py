"""``publish`` as the command and the service run it: the programme read from Jira once,
the decks built as ``deck`` builds them, the pages published. ``publish_job`` is publish as
every runner starts it (``jobs.start``): its ``prepare`` opens Confluence with the opener
the top level gives (``confluence/connect.py``), so a config without a ``confluence:``
section or an unreadable token fails the run before Jira is opened."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from jirasync.config import Config
from jirasync.config.confluence import confluence_of
from jirasync.jobs import Job, Run
from jirasync.lease_types import NO_LEASE, Lease
from jirasync.publish.job import PublishResult, PublishRun, decks_for, publish
from jirasync.publish.port import Confluence, PublishJira
from jirasync.reports.deckjob import deck_of, release_files, render_deck
from jirasync.reports.reader import read_programme
from jirasync.reports.slides import Deck
from jirasync.state import StateDir
from jirasync.stopping import Stop


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
    the run's day in the config's timezone; ``wiki`` None: the job's ``prepare`` opens it."""

    release: str | None = None
    today: date | None = None
    force: bool = False
    wiki: Confluence | None = None


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


OpenWiki = Callable[[Config, Stop], Confluence]    # (config, the stop its waits obey) -> wiki


def publish_job(open_wiki: OpenWiki) -> Job[PublishResult]:
    """Publish as every runner starts it (``jobs.start``): its ``prepare`` opens Confluence
    with ``open_wiki`` (which the top level gives: publish never opens a client itself)
    unless the options carry it already."""
    def prepare(run: Run) -> Run:
        options = run.options_as(PublishOptions)
        if options.wiki is not None:
            return run
        wiki = open_wiki(run.config, run.stop)
        return replace(run, options=replace(options, wiki=wiki))

    return Job("publish", _work, prepare=prepare, details=_details)
