"""``jirasync chase``: prompts before the review, digests, escalation (README "5. Chase").
The actions are read, a pure planner (``plan``) says what is due, and ``send.Sender``
carries it out (exactly once: see there).

Jira Cloud's search index lags behind writes, so a run soon after another may read the
records as they were before it. On Cloud, the actions found due are read again with
``reconcileIssues`` (consistent) before anything is sent; on Data Center by key, unless
this run read them by key itself while no other run held the lease.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from jirasync.answers.carry import Applied
from jirasync.answers.job import read_answers
from jirasync.chase.index import RecordIndex, entries, versions, writes_records
from jirasync.chase.messages import Texts
from jirasync.chase.plan import Rules, plan_chase
from jirasync.chase.port import ChaseJira
from jirasync.chase.reminders import OpenAction
from jirasync.chase.send import Sender
from jirasync.config import Config
from jirasync.errors import JiraError
from jirasync.gateway.types import JiraIssue
from jirasync.jobs import Job, Run
from jirasync.lease_types import NO_LEASE, Lease
from jirasync.model import ANSWERS_PROPERTY, Labels
from jirasync.model import CHASE_PROPERTY as PROPERTY
from jirasync.records import Sent, chase_record_of
from jirasync.releases import load_programme
from jirasync.review import ReviewCycle
from jirasync.state import StateDir
from jirasync.stopping import Stop

# The answers record is read with the chase record, so that Data Center's property cache
# holds both for the reports (which show extensions and blocks).
READ = (PROPERTY, ANSWERS_PROPERTY)
KINDS = ("prompt", "digest", "escalation", "waiting", "cleared", "unowned", "unconfirmed",
         "failed")


@dataclass(frozen=True)
class ChaseResult:
    cycle: ReviewCycle | None
    next_meeting: datetime
    sent: tuple[Sent, ...]
    dry_run: bool = False
    open_actions: int = 0
    synced: bool = True          # False: Jira holds nothing of jirasync's yet
    # The unresolved actions as read (the PMO's channel lists the overdue and blocked),
    # and the channel's counts once it was told (jirasync.notify).
    actions: tuple[OpenAction, ...] = ()
    channel: Mapping[str, int] = field(default_factory=dict)
    # Owners' answers applied at the start of the run (jirasync/answers): each one's issue
    # key, what changed in one sentence and its kind; their report lines are in ``sent``.
    answers: tuple[Applied, ...] = ()

    def count(self, kind: str) -> int:
        return sum(1 for s in self.sent if s.kind == kind)

    def counts(self) -> dict[str, int]:
        return {**{kind: self.count(kind) for kind in KINDS}, "answers": len(self.answers),
                "refused": self.count("refused"), **self.channel}

    def failure(self) -> str:
        """What failed, in one sentence for the journal."""
        failed = self.count("failed")
        return f"{failed} item{'' if failed == 1 else 's'} failed"

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0


def fetch_actions(jira: ChaseJira, config: Config, cycle: ReviewCycle | None) -> list[OpenAction]:
    """One paged search: unresolved actions (and, for digests, those resolved in the
    window, whose records still count)."""
    label = config.jira.labels["action"]
    scope = "resolution = Unresolved"
    if config.review.reminder == "digest" and cycle is not None:
        # Jira reads a JQL date in the bot's own timezone, which may run behind the
        # config's: a day's margin keeps an anchor resolved just after the window opened.
        since = cycle.prompt_from.date() - timedelta(days=1)
        scope = f'(resolution = Unresolved OR resolved >= "{since}")'
    jql = f'project = "{config.jira.project}" AND labels = "{label}" AND {scope} ORDER BY key'
    return [_action(i) for i in jira.search(jql, properties=READ)]


def _open_actions(config: Config) -> str:
    return (f'project = "{config.jira.project}" AND labels = "{config.jira.labels["action"]}" '
            'AND resolution = Unresolved ORDER BY key')


def _action(issue: JiraIssue) -> OpenAction:
    return OpenAction(key=issue.key, summary=issue.summary or "", owner=issue.assignee,
                      due=issue.due, owner_name=issue.assignee_name,
                      resolved=issue.resolution is not None, labels=frozenset(issue.labels),
                      record=chase_record_of(issue.properties),
                      id=issue.id, lesson=issue.parent_summary,
                      version=issue.updated.isoformat() if issue.updated else None,
                      answers=issue.properties.get(ANSWERS_PROPERTY))


def reread(jira: ChaseJira, actions: list[OpenAction], keys: set[str], *,
           undisturbed: bool = False) -> list[OpenAction]:
    """``actions`` with those in ``keys`` read again consistently, just before sending:
    on Cloud through ``reconcileIssues``, on Data Center by key (its records come from a
    cache that a property-only write, such as a digest's record, does not invalidate)
    unless this run's search already read it by key and no other run can have written
    since (``undisturbed``: the lease went from free to this run). One that Jira no
    longer has is dropped."""
    # A record this run read by key (the cache missed) while nobody else could write is
    # as fresh as a re-read.
    issues = jira.reread({a.key: a.id for a in actions if a.key in keys},
                         properties=READ, by_key=True, trust_own_reads=undisturbed)
    fresh = {i.key: _action(i) for i in issues}
    return [fresh[a.key] if a.key in keys else a for a in actions
            if a.key not in keys or a.key in fresh]


def chase_rules(config: Config) -> Rules:
    labels = config.jira.labels
    return Rules(digest=config.review.reminder == "digest", ladder=config.review.ladder,
                 overdue_label=labels["overdue"], escalated_label=labels["escalated"],
                 grace_days=config.review.escalation_grace_days,
                 blocked_label=labels["blocked"])


def chase(config: Config, jira: ChaseJira, *, state: StateDir, now: datetime, texts: Texts,
          dry_run: bool = False,
          progress: Callable[[str], None] = lambda text: None,
          stop: Stop | None = None, lease: Lease = NO_LEASE) -> ChaseResult:
    """Send what is due at ``now``; ``texts`` renders the messages (see messages.py);
    ``state`` is the state folder whose property cache it reads and keeps; ``progress``
    hears ``sent N of TOTAL items`` on long runs. Once ``stop`` is asked for, the steps
    not yet sent are left for the next run. A run with something due takes ``lease``
    before it reads those actions again and sends."""
    with jira.keeping_properties(state.property_cache,
                                 None if dry_run else state.save_property_cache), \
            contextlib.ExitStack() as held:
        stop = stop or Stop()

        if dry_run:
            lease = NO_LEASE
        if jira.trusts_own_reads:     # else every read is re-read: no need to look
            with contextlib.suppress(JiraError):    # not looked: every read is re-read
                lease.look()

        taken: list[Lease] = []

        def take_lease() -> Lease:
            if dry_run:
                return NO_LEASE
            if not taken:       # answers and reminders share one lease, taken once
                # Held as a write: a stop asked for meanwhile still lets it be released.
                held.enter_context(stop.writing())
                held.enter_context(lease.held())
                taken.append(lease)
            return lease
        return _chase(config, jira, state, now=now, texts=texts, dry_run=dry_run,
                      progress=progress, stop=stop, take_lease=take_lease)


@dataclass(frozen=True, kw_only=True)
class ChaseOptions:
    """``chase``'s own options: the ``texts`` its messages are rendered with (else
    ``prepare`` reads the templates the config names)."""

    texts: Texts | None = None


def _prepare(run: Run) -> Run:
    options = run.options_as(ChaseOptions)
    if options.texts is not None:
        return run
    texts = Texts(run.config.templates_dir, run.config.jira.url)
    return replace(run, options=replace(options, texts=texts))


def _work(run: Run) -> ChaseResult:
    texts = run.options_as(ChaseOptions).texts
    if texts is None:
        raise RuntimeError("chase ran before its templates were read")
    return chase(run.config, run.opened(), state=run.state, now=run.now, texts=texts,
                 dry_run=run.dry_run, progress=run.progress, stop=run.stop, lease=run.lease)


def _details(run: Run) -> dict[str, str]:
    return {"as_of": run.now.isoformat()}


JOB = Job("chase", _work, prepare=_prepare, details=_details)


def release_names(config: Config) -> dict[str, str]:
    """Release label -> the release's name, from the release files that read (a broken
    file is sync's and check's to report: its actions are named by their label)."""
    programme = load_programme(config.releases_dir, config.templates_dir, config.people)
    return {Labels.release(r.id): r.name for r in programme.releases}


LONG_RUN = 50      # items to send; below this a run is quick and progress lines are noise


def settle(actions: list[OpenAction], sent: frozenset[str]) -> list[OpenAction]:
    """Actions whose records' pending digests this state folder saw sent: without those
    marks (the next write of the record drops them in Jira too)."""
    out = []
    for a in actions:
        pending = tuple(p for p in a.record.pending if f"{a.key} {p}" not in sent)
        out.append(a if pending == a.record.pending
                   else replace(a, record=replace(a.record, pending=pending)))
    return out


def _chase(config: Config, jira: ChaseJira, state: StateDir, *, now: datetime, texts: Texts,
           dry_run: bool, progress: Callable[[str], None], stop: Stop,
           take_lease: Callable[[], Lease]) -> ChaseResult:
    now = now.astimezone(ZoneInfo(config.timezone))
    # Answers first: an extension or a block stops today's escalation, a done action is
    # not prompted (docs/answers.md).
    answers = read_answers(config, jira, state, now=now, dry_run=dry_run,
                           take_lease=take_lease)
    cycle = config.review.calendar.cycle_at(now)
    rules = chase_rules(config)
    settled = state.sent_digests()
    actions = settle(fetch_actions(jira, config, cycle), settled)
    plan = plan_chase(actions, rules, cycle, now)
    due = plan.keys_to_confirm(actions)
    holding = NO_LEASE
    if due:
        holding = take_lease()
        actions = settle(reread(jira, actions, due, undisturbed=holding.undisturbed),
                         settled)
        plan = plan_chase(actions, rules, cycle, now)
        holding.confirm()
    sender = Sender(jira, config, texts, now, dry_run, state.digest_sent,
                    releases=release_names(config) if plan.steps else {})
    sender.sent += answers.lines
    steps = plan.steps
    # Where a search returns no record, a report read cold takes them from an index that
    # a run writing any record keeps (chase/index.py): marked before the first write.
    index = RecordIndex(jira, config.jira.project) \
        if not (dry_run or jira.searches_properties) and writes_records(steps) else None
    if index is not None:
        with stop.writing():
            index.begin()
    for done, step in enumerate(steps, 1):
        if stop():                  # a signal: the steps left wait for the next run
            break
        with stop.writing():
            sender.send(step)
            holding.renew()         # a long chase keeps its lease past its first expiry
        if len(steps) >= LONG_RUN:
            progress(f"sent {done} of {len(steps)} items")
    if index is not None and index.begun:
        with stop.writing():
            failed = {s.key for s in sender.sent if s.kind == "failed"}
            index.finish(entries(actions, sender.records, failed,
                                 versions(jira, _open_actions(config))))
    upcoming = config.review.calendar.upcoming(now)
    return ChaseResult(cycle, upcoming.meeting, tuple(sender.sent), dry_run,
                       sum(1 for a in actions if not a.resolved),
                       synced=bool(actions) or anything_synced(jira, config),
                       actions=tuple(a for a in actions if not a.resolved),
                       answers=tuple(answers.applied))


def anything_synced(jira: ChaseJira, config: Config) -> bool:
    """Whether Jira holds any issue of jirasync's: asked only when no action was found,
    so that "0 open actions" on a project never synced says why."""
    marks = ", ".join(f'"{m}"' for m in Labels(**config.jira.labels).marks)
    return next(iter(jira.keys(f'project = "{config.jira.project}" AND labels in ({marks})')),
                None) is not None
