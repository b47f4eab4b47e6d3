"""Finding owners' answers since the last run and carrying them out, at the start of every
``chase`` (before prompts and escalations, so an extension or a block stops today's
escalation and a done action is not prompted). Here they are found; ``carry.py`` carries
them out.

Cheap: one search for the actions *updated* since the last read began (less the margin
Cloud's index lag needs; with no state folder, ``answers.look_back_days``), asking for
their ``comment`` field only. Most runs find no answer there and stop. The few actions
with an answer not yet seen are read again consistently (Cloud: ``reconcileIssues``; Data
Center: by key) with their record, under the chase lease, and only then written.

Exactly once: each answer is applied and acknowledged by ONE request (an edit, or a
transition, carrying the reply comment and the action's record ``jirasync.answers`` naming
the comment as answered), which Jira keeps whole or not at all. A crash or a lost answer
leaves either nothing (the next run does it) or everything (the next run sees the comment
in the record and does nothing). Two hosts are kept apart by the chase lease.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta

from jirasync.answers.carry import MARK, Answers, Carrier, Found
from jirasync.answers.port import AnswersJira as Jira
from jirasync.answers.words import read
from jirasync.config import Config
from jirasync.gateway.types import Comment, JiraIssue
from jirasync.lease_types import Lease
from jirasync.model import ANSWERS_PROPERTY as PROPERTY
from jirasync.model import CHASE_PROPERTY
from jirasync.records import AnswersRecord, answers_record_of
from jirasync.state import StateDir

Words = Mapping[str, tuple[str, ...]]
REPLIED = re.compile(r"focusedCommentId=(\d+)")
FILE = "answers.json"
MARGIN = timedelta(minutes=15)       # Cloud's index lag, as sync's window allows
RECORDS = (CHASE_PROPERTY, PROPERTY)      # as chase reads them: one cache entry serves both


def read_answers(config: Config, jira: Jira, state: StateDir, *, now: datetime,
                 dry_run: bool, take_lease: Callable[[], Lease]) -> Answers:
    """Apply every answer given since the last run; nothing is written on a dry run."""
    out = Answers([], [])
    if not config.answers.enabled:
        return out
    began_jira = jira.server_time
    minutes = _window(config, jira, state, now)
    # Comments made in the window, by the earlier of the two clocks (the safe side).
    since = min(t for t in (began_jira, now) if t is not None) - timedelta(minutes=minutes)
    found = _candidates(config, jira, minutes, since)
    if found:
        holding = take_lease()
        found = _fresh(config, jira, found, since)
        holding.confirm()
        Carrier(config, jira, now.date(), dry_run, out, holding).run(found)
    if not dry_run and not out.failed:
        # The next window starts at this run's start: an answer made while it ran is seen.
        state.write_json(FILE, {"at": now.isoformat(),
                                "jira_at": began_jira.isoformat() if began_jira else None})
    return out


def _window(config: Config, jira: Jira, state: StateDir, now: datetime) -> int:
    """Minutes to look back: since the last read began, less the margin, counted on the
    longer of the host's clock and Jira's; ``look_back_days`` without a state folder."""
    mark = state.read_json(FILE)
    fallback = config.answers.look_back_days * 24 * 60
    if not isinstance(mark, dict):      # no folder, or a file that is not ours
        return fallback
    try:
        at = datetime.fromisoformat(mark["at"])
        elapsed = now - at
        jira_at = mark.get("jira_at")
        if jira_at and jira.server_time is not None:
            elapsed = max(elapsed, jira.server_time - datetime.fromisoformat(jira_at))
    except (TypeError, KeyError, ValueError):
        return fallback
    if elapsed < timedelta(0):      # the clock went back: look as far as a lost folder
        return fallback
    return min(fallback, math.ceil((elapsed + MARGIN).total_seconds() / 60))


def _scope(config: Config) -> str:
    label = config.jira.labels["action"]
    return (f'project = "{config.jira.project}" AND labels = "{label}" '
            "AND resolution = Unresolved")


def _candidates(config: Config, jira: Jira, minutes: int, since: datetime) -> list[Found]:
    """The changed actions with a comment whose first line is an answer (one search)."""
    jql = f'{_scope(config)} AND updated >= "-{minutes}m" ORDER BY key'
    issues = jira.search(jql, fields=("comment",), properties=(), read_properties=False)
    words = config.answers.words
    return [f for f in (_found(jira, i, words, since) for i in issues) if f is not None]


def _found(jira: Jira, issue: JiraIssue, words: Words, since: datetime, *,
           record: AnswersRecord | None = None) -> Found | None:
    """The issue with its comments that start with an answer's words, made since
    ``since`` and not yet answered (``record``); None when it has none."""
    comments = jira.comments(issue)
    # Without the record (the first search reads none), a reply naming the comment
    # says it was answered (a reply and its record are one request); with it, the record.
    done = record.answered if record else _replied(comments)
    said = tuple(c for c in comments if c.id not in done and read(c.body, words) is not None
                 and (c.created is None or c.created >= since))
    return Found(issue, said) if said else None


def _replied(comments: Iterable[Comment]) -> set[str]:
    """The comment ids jirasync's replies name (``focusedCommentId=ID``)."""
    return {m for c in comments if MARK in c.body for m in REPLIED.findall(c.body)}


def _fresh(config: Config, jira: Jira, found: list[Found], since: datetime) -> list[Found]:
    """The candidates read again consistently with their records, just before writing:
    Cloud's search lags behind writes (another run's reply may not show yet); Data
    Center's property cache may hold a record another run rewrote since, so each is read
    by key there."""
    issues = jira.reread({f.issue.key: f.issue.id for f in found}, fields=("comment",),
                         properties=RECORDS, by_key=True)
    words = config.answers.words
    fresh = (_found(jira, i, words, since, record=answers_record_of(i.properties))
             for i in issues if i.resolution is None)
    return [f for f in fresh if f is not None]
