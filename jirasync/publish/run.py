"""``publish`` as the command and the service run it: the programme read from Jira once,
the decks built as ``deck`` builds them, the pages published."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from jirasync.lease import NO_LEASE, Lease
from jirasync.publish.job import PublishResult, PublishRun, decks_for, publish
from jirasync.publish.port import Confluence
from jirasync.reports.deckjob import deck_of, release_files, render_deck
from jirasync.reports.reader import read_programme
from jirasync.reports.slides import Deck


def publish_programme(config: Any, jira: Any, wiki: Confluence, *, release: str | None,
                      today: date, dry_run: bool = False, force: bool = False,
                      lease: Lease = NO_LEASE, state: Any = None,
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

    c = config.confluence
    run = PublishRun(wiki, c.space, c.parent_page, render, lease, progress)
    return publish(programme, decks, run, dry_run=dry_run, force=force)
