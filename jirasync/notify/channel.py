"""After chase, the day's message to each configured channel (docs/channel.md).

Once a day per channel across restarts and hosts (``record``). A channel that fails (no
connection, 5xx, 429) is retried with backoff inside the run (RETRIES attempts), then
left for the next run that day; it is reported (a line, the journal's counts) and never
fails or holds up chase, whose work is done before this starts.

A 5xx is retried: Slack and Teams answer 5xx when they did not take the message, and
neither offers a way to post idempotently. If a service took it and still answered 5xx,
the retry posts it twice; both copies carry the same message id in their footer.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jirasync.config.notify import NotifyConfig, Webhook
from jirasync.errors import JirasyncError
from jirasync.gateway.webhook import Delivery, post_json
from jirasync.lease_types import ProjectProperties
from jirasync.notify.news import DayNews
from jirasync.notify.record import DayRecord
from jirasync.notify.slack import slack_message
from jirasync.notify.teams import teams_message
from jirasync.secret import Secret, redact

LOG = logging.getLogger("jirasync.notify")
RETRIES = 3                    # attempts inside one run
BACKOFF_S = (2.0, 8.0)         # waits between them
MAX_WAIT_S = 60.0              # a longer Retry-After leaves the post to the next run
Post = Callable[[Secret, dict[str, Any]], Delivery]


@dataclass(frozen=True)
class Posting:
    """One channel's outcome this run: ``outcome`` is posted, already (sent earlier that
    day), busy (another run is posting it), unconfirmed (a run stopped between posting
    and recording), failed, or dry-run."""

    channel: str
    outcome: str
    detail: str = ""

    def line(self) -> str:
        return f"channel {self.channel}: {self.outcome}" + \
            (f" — {self.detail}" if self.detail else "")


def counts(postings: Iterable[Posting]) -> dict[str, int]:
    """The journal's counts for the channel: posted, failed, unconfirmed."""
    done = list(postings)
    if not done:
        return {}
    return {f"channel_{o}": sum(1 for p in done if p.outcome == o)
            for o in ("posted", "failed", "unconfirmed")}


def payload(channel: str, news: DayNews, items: int) -> dict[str, Any]:
    return teams_message(news, items=items) if channel == "teams" else \
        slack_message(news, items=items)


def tell(config: NotifyConfig, news: DayNews, jira: ProjectProperties, record: DayRecord, *,
         dry_run: bool = False, post: Post = post_json,
         sleep: Callable[[float], None] = time.sleep,
         stopped: Callable[[], bool] = lambda: False) -> list[Posting]:
    """Post the day's message to each channel that has not had it today."""
    out = []
    for hook in config.webhooks:
        if stopped():
            break
        try:
            out.append(_tell_one(hook, news, record, items=config.items, dry_run=dry_run,
                                 post=post, sleep=sleep, stopped=stopped))
        except JirasyncError as e:
            out.append(Posting(hook.channel, "failed", f"{redact(str(e))}; the next chase "
                               "run today tries again"))
        except Exception as e:    # chase's work is done: a bug here must not undo its exit
            LOG.debug("the channel failed", exc_info=True)
            out.append(Posting(hook.channel, "failed", f"unexpected {type(e).__name__}; "
                               "the next chase run today tries again"))
    if dry_run:                     # a dry run writes nothing, not even housekeeping
        return out
    try:
        record.tidy(news.day)
    except JirasyncError as e:      # housekeeping: the next day's run removes them
        LOG.debug("old channel records not removed: %s", e)
    return out


def _tell_one(hook: Webhook, news: DayNews, record: DayRecord, *, items: int,
              dry_run: bool, post: Post, sleep: Callable[[float], None],
              stopped: Callable[[], bool]) -> Posting:
    message = payload(hook.channel, news, items)
    look = record.look(hook.channel, news.day)
    if look.state == "sent":
        return Posting(hook.channel, "already", f"the message for {news.day} was posted "
                       "earlier today")
    if look.state == "busy":
        return Posting(hook.channel, "busy", "another run is posting today's message")
    if look.state == "unconfirmed":
        at = (look.value or {}).get("at", "?")
        return Posting(hook.channel, "unconfirmed", f"a run claimed today's message at {at} "
                       "and stopped before recording whether it was posted; it is not "
                       "posted again today (check the channel)")
    if dry_run:
        return Posting(hook.channel, "dry-run", f"would post the message for {news.day} "
                       f"({news.headline()})")
    url = hook.url()                       # a missing address fails this channel only
    attempt = look.attempt + 1
    if not record.claim(hook.channel, news.day, attempt, news.message_id):
        return Posting(hook.channel, "busy", "another run is posting today's message")
    delivery, tries = _post_with_retries(url, message, post, sleep, stopped)
    if delivery.accepted:
        done = f"the message for {news.day} ({news.headline()})"
        try:
            record.settle(hook.channel, news.day, attempt, sent=True, tries=tries)
        except JirasyncError as e:
            return Posting(hook.channel, "posted", f"{done}; but Jira did not keep the record "
                           f"({redact(str(e))}), so the next run today reports it unconfirmed")
        return Posting(hook.channel, "posted", done)
    why = _why(hook.name, delivery, tries)
    record.settle(hook.channel, news.day, attempt, sent=False, why=why, tries=tries)
    return Posting(hook.channel, "failed", f"{why}; the next chase run today tries again")


def _post_with_retries(url: Secret, message: dict[str, Any], post: Post,
                       sleep: Callable[[float], None],
                       stopped: Callable[[], bool]) -> tuple[Delivery, int]:
    delivery = Delivery(0, "not tried")
    for tries in range(1, RETRIES + 1):
        delivery = post(url, message)
        if delivery.accepted or not _retryable(delivery) or tries == RETRIES:
            return delivery, tries
        wait = BACKOFF_S[min(tries, len(BACKOFF_S)) - 1]
        if delivery.retry_after is not None:
            if delivery.retry_after > MAX_WAIT_S:
                return delivery, tries
            wait = max(wait, delivery.retry_after)
        sleep(wait)
        if stopped():
            return delivery, tries
    return delivery, RETRIES


def _retryable(d: Delivery) -> bool:
    return d.status == 0 or d.status == 429 or d.status >= 500


def _why(name: str, d: Delivery, tries: int) -> str:
    times = f" ({tries} tries)" if tries > 1 else ""
    if d.status == 0:
        return f"{name} could not be reached: {d.why}{times}"
    said = f": {d.why}" if d.why else ""
    return f"{name} answered {d.status}{said}{times}"
