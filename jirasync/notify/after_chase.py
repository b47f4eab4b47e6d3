"""Where chase's run ends and the PMO's channel hears of it: ``tell_channels`` takes
chase's result, posts the day's message (``channel.tell``), says one line per channel and
returns the result with the channel's counts for the journal. Called by ``jirasync chase``
and the service's chase run, inside the job's lock, after chase's own work is done."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from jirasync.chase.job import ChaseResult
from jirasync.config import Config
from jirasync.lease_types import ProjectProperties
from jirasync.notify.channel import Post, Posting, counts, tell
from jirasync.notify.news import Applied, DayNews, OpenOne, day_news
from jirasync.notify.record import DayRecord
from jirasync.state import StateDir
from jirasync.stopping import Interrupted

BLOCKED = "ll-blocked"   # the label an answered "blocked:" puts on an action (answers)


def news_of(config: Config, result: ChaseResult, now: datetime,
            answers: Iterable[Applied] = ()) -> DayNews:
    labels = config.jira.labels
    day = now.astimezone(ZoneInfo(config.timezone)).date()     # the config's day, not UTC's
    actions = [OpenOne(a.key, a.summary, a.due, a.owner_name, a.labels) for a in result.actions]
    return day_news(day=day, project=config.jira.project, jira_url=config.jira.url,
                    sent=result.sent, actions=actions, answers=answers,
                    blocked_label=labels.get("blocked", BLOCKED),
                    overdue_label=labels["overdue"], action_label=labels["action"])


def tell_channels(config: Config, jira: ProjectProperties, state: StateDir,
                  result: ChaseResult, *, now: datetime, say: Callable[[str], None],
                  warn: Callable[[str], None], answers: Iterable[Applied] = (),
                  post: Post | None = None, sleep: Callable[[float], None] = time.sleep,
                  stopped: Callable[[], bool] = lambda: False,
                  clock: Callable[[], datetime] | None = None) -> ChaseResult:
    """``result`` with the channel's counts, once each configured channel was told (or
    not: every outcome is one line through ``say``, a failure through ``warn``). Nothing
    when no channel is configured or chase was stopped."""
    if not config.notify.webhooks or stopped():
        return result
    news = news_of(config, result, now, answers)

    def nap(seconds: float) -> None:
        # A stop during a backoff ends the wait; the post is then left for the next run.
        with contextlib.suppress(Interrupted):
            sleep(seconds)

    record = DayRecord(jira, state, now=clock or (lambda: datetime.now(now.tzinfo)),
                       warn=warn)
    postings: list[Posting] = tell(config.notify, news, jira, record,
                                   dry_run=result.dry_run, sleep=nap, stopped=stopped,
                                   **({"post": post} if post else {}))
    for p in postings:
        (warn if p.outcome in ("failed", "unconfirmed") else say)(p.line())
    return replace(result, channel=counts(postings))
