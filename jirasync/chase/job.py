"""``jirasync chase``: prompts before the review, digests, escalation (README "5. Chase").
The actions are read, a pure planner (``plan``) says what is due, and ``_Sender`` carries
it out.

Exactly once: a comment prompt or an escalation is ONE edit request that adds the
comment, the labels and the updated record (property ``jirasync.chase``) together, so
Jira holds either all of it or none of it. A digest is a Jira notification, which cannot
carry a record: the record is written first, marking the digest pending, and the
notification sent second (the state folder notes it sent), so a crash between the two
leaves that digest unsent rather than sent twice, and the next run (and ``status``)
reports it by owner and cycle.

Jira Cloud's search index lags behind writes, so a run soon after another may read the
records as they were before it. On Cloud, the actions found due are read again with
``reconcileIssues`` (consistent) before anything is sent.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from jirasync.config import Config
from jirasync.gateway import Jira, JiraIssue
from jirasync.gateway.limits import RECONCILE_LIMIT
from jirasync.model import CHASE_PROPERTY as PROPERTY
from jirasync.errors import JiraError, UserNotFound
from jirasync.chase.escalation import Rung
from jirasync.chase.messages import Texts
from jirasync.chase.plan import (
    ClearLabels,
    Escalate,
    ReportNobodyToEscalate,
    ReportUnconfirmed,
    ReportUnowned,
    Rules,
    SendDigest,
    SendPrompt,
    Step,
    plan_chase,
)
from jirasync.chase.reminders import ChaseRecord, OpenAction
from jirasync.chase.review import ReviewCycle
from jirasync.lease import NO_LEASE, Lease
from jirasync.state import StateDir
from jirasync.stopping import Stop



KINDS = ("prompt", "digest", "escalation", "cleared", "unowned", "unconfirmed", "failed")
NOUNS = ("prompt", "digest", "escalation")      # the others read as adjectives: 1 failed


@dataclass(frozen=True)
class Sent:
    """One line of the chase report: ``kind`` prompt/digest/escalation/cleared/unowned/failed."""

    kind: str
    key: str
    to: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class ChaseResult:
    cycle: ReviewCycle | None
    next_meeting: datetime
    sent: tuple[Sent, ...]
    dry_run: bool = False
    open_actions: int = 0

    def count(self, kind: str) -> int:
        return sum(1 for s in self.sent if s.kind == kind)

    def counts(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in KINDS}

    def failure(self) -> str:
        """What failed, in one sentence for the journal."""
        failed = self.count("failed")
        return f"{failed} item{'' if failed == 1 else 's'} failed"

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0


def fetch_actions(jira: Jira, config: Config, cycle: ReviewCycle | None) -> list[OpenAction]:
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
    return [_action(i) for i in jira.search(jql, properties=(PROPERTY,))]


def _action(issue: JiraIssue) -> OpenAction:
    return OpenAction(key=issue.key, summary=issue.summary or "", owner=issue.assignee,
                      due=issue.due, owner_name=issue.assignee_name,
                      resolved=issue.resolution is not None, labels=frozenset(issue.labels),
                      record=ChaseRecord.from_json(issue.properties.get(PROPERTY)),
                      id=issue.id)


def reread(jira: Jira, actions: list[OpenAction], keys: set[str], *,
           undisturbed: bool = False) -> list[OpenAction]:
    """``actions`` with those in ``keys`` read again consistently, just before sending:
    on Cloud through ``reconcileIssues``, on Data Center by key (its records come from a
    cache that a property-only write, such as a digest's record, does not invalidate)
    unless this run's search already read it by key and no other run can have written
    since (``undisturbed``: the lease went from free to this run). One that Jira no
    longer has is dropped."""
    wanted = [a for a in actions if a.key in keys]
    fresh: dict[str, OpenAction] = {}
    if jira.flavour != "cloud":
        # A record this run read by key (the cache missed) while nobody else could write
        # is as fresh as a re-read.
        done = jira.read_by_key if undisturbed else set()
        fresh.update((a.key, a) for a in wanted if a.key in done)
        again = [jira.get_issue(a.key, properties=(PROPERTY,))
                 for a in wanted if a.key not in done]
        fresh.update((i.key, _action(i)) for i in again if i is not None)
        wanted = []
    for start in range(0, len(wanted), RECONCILE_LIMIT):
        chunk = wanted[start:start + RECONCILE_LIMIT]
        jql = f"key in ({', '.join(a.key for a in chunk)}) ORDER BY key"
        try:
            issues = list(jira.search(jql, properties=(PROPERTY,),
                                      reconcile=[a.id for a in chunk if a.id]))
        except JiraError:   # one key deleted since the index saw it fails the whole query
            read = [jira.get_issue(a.key, properties=(PROPERTY,)) for a in chunk]
            issues = [i for i in read if i is not None]
        fresh.update((i.key, _action(i)) for i in issues)
    return [fresh[a.key] if a.key in keys else a for a in actions
            if a.key not in keys or a.key in fresh]


def chase_rules(config: Config) -> Rules:
    labels = config.jira.labels
    return Rules(digest=config.review.reminder == "digest", ladder=config.review.ladder,
                 overdue_label=labels["overdue"], escalated_label=labels["escalated"])


def chase(config: Config, jira: Jira, *, state: StateDir, now: datetime, texts: Texts,
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
        if jira.flavour != "cloud":     # only Data Center may trust a read made before it
            lease.look()

        def take_lease() -> Lease:
            if dry_run:
                return NO_LEASE
            # Held as a write: a stop asked for meanwhile still lets the lease be released.
            held.enter_context(stop.writing())
            held.enter_context(lease.held())
            return lease
        return _chase(config, jira, state, now=now, texts=texts, dry_run=dry_run,
                      progress=progress, stop=stop, take_lease=take_lease)


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


def _chase(config: Config, jira: Jira, state: StateDir, *, now: datetime, texts: Texts,
           dry_run: bool, progress: Callable[[str], None], stop: Stop,
           take_lease: Callable[[], Lease]) -> ChaseResult:
    now = now.astimezone(ZoneInfo(config.timezone))
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
    sender = _Sender(jira, config, texts, now, dry_run, state.digest_sent)
    steps = plan.steps
    for done, step in enumerate(steps, 1):
        if stop():                  # a signal: the steps left wait for the next run
            break
        with stop.writing():
            sender.send(step)
        holding.renew()             # a long chase keeps its lease past its first expiry
        if len(steps) >= LONG_RUN:
            progress(f"sent {done} of {len(steps)} items")
    upcoming = config.review.calendar.upcoming(now)
    return ChaseResult(cycle, upcoming.meeting, tuple(sender.sent), dry_run,
                       sum(1 for a in actions if not a.resolved))


class _Sender:
    """Carries out a chase plan step by step: renders the texts, finds the people a rung
    names, writes to Jira, and keeps each action's record as Jira now holds it."""

    def __init__(self, jira: Jira, config: Config, texts: Texts, now: datetime,
                 dry_run: bool, sent_digest: Callable[[str, str], None]):
        self.jira, self.config, self.texts = jira, config, texts
        self.sent_digest = sent_digest
        self.now, self.dry_run = now, dry_run
        self.records: dict[str, ChaseRecord] = {}
        self.people: dict[str, tuple[str, str] | str] = {}   # role -> (id, name) or why not
        self.sent: list[Sent] = []

    def record(self, action: OpenAction) -> ChaseRecord:
        return self.records.get(action.key, action.record)

    def send(self, step: Step) -> None:
        """Carry out one step; a failure is a report line, and a step that surely did not
        reach Jira gives way to its fallback (a folded prompt sent on its own)."""
        try:
            self._carry_out(step)
        except JiraError as e:
            self.sent.append(Sent("failed", step.key, (), str(e)))
            fallback = step.fallback if isinstance(step, Escalate) else None
            if fallback is not None and not e.maybe_applied:
                self.send(fallback)

    def _carry_out(self, step: Step) -> None:
        match step:
            case SendPrompt():
                self._prompt(step)
            case SendDigest():
                self._digest(step)
            case Escalate():
                self._escalate(step)
            case ClearLabels():
                self._clear(step)
            case ReportUnowned():
                self._unowned(step)
            case ReportNobodyToEscalate():
                self._nobody(step)
            case ReportUnconfirmed():
                self._unconfirmed(step)

    def _unowned(self, step: ReportUnowned) -> None:
        self.sent.append(Sent("unowned", step.key, (),
                              "unresolved action has no assignee: nobody to prompt"))

    def _nobody(self, step: ReportNobodyToEscalate) -> None:
        item = step.escalation
        self.sent.append(Sent("unowned", step.key, (),
                              f"{item.days_overdue} days overdue, no assignee: rung "
                              f"{item.rung.after_days} names only the owner; assign it"))

    def _prompt(self, step: SendPrompt) -> None:
        a, cycle = step.prompt.action, step.prompt.cycle
        owner = step.prompt.owner
        record = step.record(self.record(a))
        body = self.texts.prompt(a, cycle, self.jira.mention(owner))
        if not self.dry_run:
            self.jira.edit_issue(a.key, comment=body, properties={PROPERTY: record.to_json()})
        self.records[a.key] = record
        self.sent.append(Sent("prompt", a.key, (a.owner_name or owner,),
                              f"review {cycle.name}, due {a.due or 'not set'}"))

    def _digest(self, step: SendDigest) -> None:
        """Record first, with the digest marked pending, then notify; the state folder
        notes it sent. A run that stops in between leaves the mark unsettled, and the
        next run reports that digest (a lost state folder: reported, to be safe)."""
        item = step.digest
        anchor = item.anchor
        was = self.record(anchor)
        sending = was.sending(item.cycle.name, item.owner)
        subject, text, html = self.texts.digest(item.actions, item.cycle)
        if not self.dry_run:
            self.jira.set_property(anchor.key, PROPERTY, sending.to_json())
            self.records[anchor.key] = sending
            try:
                self.jira.notify(anchor.key, subject=subject, text=text, html=html,
                                 to_users=(item.owner,))
            except JiraError as e:
                if not e.maybe_applied:      # surely not sent: the next run sends it
                    self.jira.set_property(anchor.key, PROPERTY, was.to_json())
                    self.records[anchor.key] = was
                raise
            self.sent_digest(anchor.key, f"{item.cycle.name} {item.owner}")
        self.records[anchor.key] = sending
        keys = ", ".join(a.key for a in item.actions)
        self.sent.append(Sent("digest", anchor.key, (anchor.owner_name or item.owner,),
                              f"{len(item.actions)} action(s): {keys}"))

    def _unconfirmed(self, step: ReportUnconfirmed) -> None:
        a = step.action
        record = step.record(self.record(a))
        if not self.dry_run:
            self.jira.set_property(a.key, PROPERTY, record.to_json())
        self.records[a.key] = record
        for entry in a.record.pending:
            cycle, _, owner = entry.partition(" ")
            name = a.owner_name if owner == a.owner and a.owner_name else owner
            self.sent.append(Sent("unconfirmed", a.key, (name,),
                                  f"the digest of review {cycle} may not have reached "
                                  "them: a run stopped between recording and sending it; "
                                  "it is not resent, so check with them"))

    def _escalate(self, step: Escalate) -> None:
        item, folded = step.escalation, step.folded
        a, rung = item.action, item.rung
        people = self._people(rung, a)     # UserNotFound: not sent, nor recorded
        record = step.record(self.record(a))
        meeting = self.config.review.calendar.upcoming(self.now)
        owner = self.jira.mention(a.owner) if a.owner else None
        body = self.texts.escalation(a, item, [self.jira.mention(u) for u in people], meeting,
                                     owner=owner)
        if not self.dry_run:
            self.jira.edit_issue(a.key, comment=body, add_labels=step.add_labels,
                                 properties={PROPERTY: record.to_json()})
        self.records[a.key] = record
        if folded is not None:
            self.sent.append(Sent("prompt", a.key, (a.owner_name or folded.owner,),
                                  f"review {folded.cycle.name}: in the escalation comment"))
        days = f"{item.days_overdue} day{'' if item.days_overdue == 1 else 's'}"
        self.sent.append(Sent("escalation", a.key, tuple(people.values()),
                              f"{days} overdue (rung {rung.after_days}); "
                              f"+{', '.join(sorted(step.add_labels))}"))

    def _people(self, rung: Rung, action: OpenAction) -> dict[str, str]:
        """User id -> name to show, of everyone ``rung`` names for ``action``;
        UserNotFound if a role in config ``people`` names nobody Jira knows."""
        out: dict[str, str] = {}
        for who in rung.notify:
            if who != "owner":
                out.setdefault(*self._role(who))
            elif action.owner:
                out.setdefault(action.owner, action.owner_name or action.owner)
        return out

    def _role(self, who: str) -> tuple[str, str]:
        if who not in self.people:
            self.people[who] = self._find_role(who)
        found = self.people[who]
        if isinstance(found, str):
            raise UserNotFound(found)
        return found

    def _find_role(self, who: str) -> tuple[str, str] | str:
        email = self.config.people.get(who)
        if not email:
            return (f"escalation not sent: the ladder names {who}, who is not under people "
                    "in the config; add them")
        try:
            user = self.jira.find_user(email)
        except UserNotFound as e:
            return f"escalation not sent: people.{who}: {e}; correct it in the config"
        return (user.id, user.display_name or user.id)

    def _clear(self, step: ClearLabels) -> None:
        action = step.action
        record = step.record(self.record(action))
        if not self.dry_run:
            self.jira.edit_issue(action.key, remove_labels=step.remove,
                                 properties={PROPERTY: record.to_json()})
        self.records[action.key] = record
        self.sent.append(Sent("cleared", action.key, (),
                              f"due {action.due or 'not set'} is no longer past; -"
                              + ", ".join(sorted(step.remove))))
