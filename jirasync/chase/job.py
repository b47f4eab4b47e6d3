"""``jirasync chase``: prompts before the review, digests, escalation (SPEC §5).

Exactly once: a comment prompt or an escalation is ONE edit request that adds the
comment, the labels and the updated record (property ``jirasync.chase``) together, so
Jira holds either all of it or none of it. A digest is a Jira notification, which cannot
carry a record: the record is written first and the notification sent second, so a crash
between the two leaves that digest unsent rather than sent twice.

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
from jirasync.errors import JiraError, UserNotFound
from jirasync.chase.escalation import Rung
from jirasync.chase.reminders import (
    PROPERTY,
    ChaseRecord,
    Digest,
    Escalation,
    OpenAction,
    Prompt,
    Unowned,
    due_digests,
    due_escalations,
    due_prompts,
    no_longer_overdue,
)
from jirasync.chase.review import ReviewCycle
from jirasync.lease import NO_LEASE, Lease
from jirasync.state import StateDir

FIELDS = ("summary", "assignee", "duedate", "resolution", "labels")
RECONCILE_MAX = 50    # Jira Cloud's cap on reconcileIssues per search


KINDS = ("prompt", "digest", "escalation", "cleared", "unowned", "failed")


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

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0


def fetch_actions(jira, config: Config, cycle: ReviewCycle | None) -> list[OpenAction]:
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
    return [_action(i) for i in jira.search(jql, fields=FIELDS, properties=(PROPERTY,))]


def _action(issue) -> OpenAction:
    return OpenAction(key=issue.key, summary=issue.summary or "", owner=issue.assignee,
                      due=issue.due, owner_name=issue.assignee_name,
                      resolved=issue.resolution is not None, labels=frozenset(issue.labels),
                      record=ChaseRecord.from_json(issue.properties.get(PROPERTY)),
                      id=issue.id)


def reread(jira, actions: list[OpenAction], keys: set[str]) -> list[OpenAction]:
    """``actions`` with those in ``keys`` read again consistently, just before sending:
    on Cloud through ``reconcileIssues``, on Data Center by key (its records come from a
    cache that a property-only write, such as a digest's record, does not invalidate).
    One that Jira no longer has is dropped."""
    wanted = [a for a in actions if a.key in keys]
    fresh: dict[str, OpenAction] = {}
    if getattr(jira, "flavour", None) != "cloud":
        issues = [jira.get_issue(a.key, fields=FIELDS, properties=(PROPERTY,)) for a in wanted]
        fresh.update((i.key, _action(i)) for i in issues if i is not None)
        wanted = []
    for start in range(0, len(wanted), RECONCILE_MAX):
        chunk = wanted[start:start + RECONCILE_MAX]
        jql = f"key in ({', '.join(a.key for a in chunk)}) ORDER BY key"
        try:
            issues = list(jira.search(jql, fields=FIELDS, properties=(PROPERTY,),
                                      reconcile=[a.id for a in chunk if a.id]))
        except JiraError:   # one key deleted since the index saw it fails the whole query
            issues = [i for a in chunk
                      if (i := jira.get_issue(a.key, fields=FIELDS, properties=(PROPERTY,)))]
        fresh.update((i.key, _action(i)) for i in issues)
    return [fresh[a.key] if a.key in keys else a for a in actions
            if a.key not in keys or a.key in fresh]


def _due_keys(actions: list[OpenAction], reminders, escalations) -> set[str]:
    """The actions whose records decide what is sent: each prompted or escalated action,
    and every action of an owner due a digest (any of them may anchor an earlier one)."""
    owners = {d.owner for d in reminders if isinstance(d, Digest)}
    keys = {i.action.key for i in (*reminders, *escalations)
            if isinstance(i, Prompt | Escalation)}
    return keys | {a.key for a in actions if a.owner in owners}


def plan_chase(actions, config: Config, cycle: ReviewCycle | None, now: datetime):
    """What is due at ``now`` (in the config's timezone): prompts or digests,
    escalations, and overdue labels to clear."""
    if config.review.reminder == "digest":
        reminders = due_digests(actions, cycle, now)
    else:
        reminders = due_prompts(actions, cycle, now)
    labels = config.jira.labels
    return (reminders, due_escalations(actions, config.review.ladder, now.date()),
            no_longer_overdue(actions, now.date(), (labels["overdue"], labels["escalated"])))


def chase(config: Config, jira, *, state: StateDir, now: datetime, texts,
          dry_run: bool = False, progress: Callable[[str], None] = print,
          lease: Lease = NO_LEASE) -> ChaseResult:
    """Send what is due at ``now``; ``texts`` renders the messages (see messages.py);
    ``state`` is the state folder whose property cache it reads and keeps. A run with
    something due takes ``lease`` before it reads those actions again and sends."""
    with state.property_cache_of(jira, save=not dry_run), contextlib.ExitStack() as held:
        def take_lease() -> None:
            if not dry_run:
                held.enter_context(lease.held())
        return _chase(config, jira, now=now, texts=texts, dry_run=dry_run,
                      take_lease=take_lease)


def _chase(config: Config, jira, *, now: datetime, texts, dry_run: bool,
           take_lease: Callable[[], None]) -> ChaseResult:
    now = now.astimezone(ZoneInfo(config.timezone))
    cycle = config.review.calendar.cycle_at(now)
    actions = fetch_actions(jira, config, cycle)
    reminders, escalations, cleared = plan_chase(actions, config, cycle, now)
    due = _due_keys(actions, reminders, escalations) | {a.key for a in cleared}
    if due:
        take_lease()
        actions = reread(jira, actions, due)
        reminders, escalations, cleared = plan_chase(actions, config, cycle, now)
    sender = _Sender(jira, config, texts, now, dry_run)
    # One comment, not two, when an action is due both: the escalation asks the same.
    folded = {e.action.key: None for e in escalations}
    for item in reminders:
        if isinstance(item, Prompt) and item.action.key in folded:
            folded[item.action.key] = item
        else:
            sender.send(item)
    for item in escalations:
        sender.send(item, folded=folded[item.action.key])
    for action in cleared:
        sender.clear(action)
    upcoming = config.review.calendar.upcoming(now)
    return ChaseResult(cycle, upcoming.meeting, tuple(sender.sent), dry_run,
                       sum(1 for a in actions if not a.resolved))


class _Sender:
    """Applies chase items one by one, carrying each action's record forward."""

    def __init__(self, jira, config: Config, texts, now: datetime, dry_run: bool):
        self.jira, self.config, self.texts = jira, config, texts
        self.now, self.dry_run = now, dry_run
        self.records: dict[str, ChaseRecord] = {}
        self.people: dict[str, tuple[str, str] | str] = {}   # role -> (id, name) or why not
        self.sent: list[Sent] = []

    def record(self, action: OpenAction) -> ChaseRecord:
        return self.records.get(action.key, action.record)

    def send(self, item, *, folded: Prompt | None = None) -> None:
        """Send one item; ``folded`` is a prompt that an escalation's comment carries."""
        handler = {Prompt: self._prompt, Digest: self._digest, Escalation: self._escalate,
                   Unowned: self._unowned}[type(item)]
        try:
            if folded is None:
                handler(item)
            else:
                handler(item, folded)
        except JiraError as e:
            key = item.anchor.key if isinstance(item, Digest) else item.action.key
            self.sent.append(Sent("failed", key, (), str(e)))
            if folded is not None and not getattr(e, "maybe_applied", False):
                # The escalation was not recorded, so it is tried again on the next run;
                # the owner still gets this cycle's prompt now.
                self.send(folded)

    def _unowned(self, item: Unowned) -> None:
        self.sent.append(Sent("unowned", item.action.key, (),
                              "unresolved action has no assignee: nobody to prompt"))

    def _prompt(self, item: Prompt) -> None:
        a = item.action
        record = self.record(a).with_prompt(item.cycle.name)
        body = self.texts.prompt(a, item.cycle, self.jira.mention(a.owner))
        if not self.dry_run:
            self.jira.update_issue(a.key, comment=body, properties={PROPERTY: record.to_json()})
        self.records[a.key] = record
        self.sent.append(Sent("prompt", a.key, (a.owner_name or a.owner,),
                              f"review {item.cycle.name}, due {a.due or 'not set'}"))

    def _digest(self, item: Digest) -> None:
        anchor = item.anchor
        record = self.record(anchor).with_digest(item.cycle.name, item.owner)
        subject, text, html = self.texts.digest(item.actions, item.cycle)
        if not self.dry_run:
            self.jira.set_property(anchor.key, PROPERTY, record.to_json())
            self.records[anchor.key] = record
            self.jira.notify(anchor.key, subject=subject, text=text, html=html,
                             to_users=(item.owner,))
        keys = ", ".join(a.key for a in item.actions)
        self.sent.append(Sent("digest", anchor.key, (anchor.owner_name or item.owner,),
                              f"{len(item.actions)} action(s): {keys}"))

    def _escalate(self, item: Escalation, folded: Prompt | None = None) -> None:
        a, rung = item.action, item.rung
        people = self._people(rung, a)     # UserNotFound: not sent, nor recorded
        if not people:      # the rung names only the owner, and there is none: not fired,
            self.sent.append(Sent("unowned", a.key, (),     # so the next rung still will
                                  f"{item.days_overdue} days overdue, no assignee: rung "
                                  f"{rung.after_days} names only the owner; assign it"))
            return
        record = self.record(a)
        if folded is not None:
            record = record.with_prompt(folded.cycle.name)
        record = record.with_rung(a.due, rung)
        labels = self.config.jira.labels
        add = {labels["overdue"]} | ({labels["escalated"]} if rung.escalates else set())
        meeting = self.config.review.calendar.upcoming(self.now)
        owner = self.jira.mention(a.owner) if a.owner else None
        body = self.texts.escalation(a, item, [self.jira.mention(u) for u in people], meeting,
                                     owner=owner)
        if not self.dry_run:
            self.jira.update_issue(a.key, comment=body, add_labels=add,
                                   properties={PROPERTY: record.to_json()})
        self.records[a.key] = record
        if folded is not None:
            self.sent.append(Sent("prompt", a.key, (a.owner_name or a.owner,),
                                  f"review {folded.cycle.name}: in the escalation comment"))
        days = f"{item.days_overdue} day{'' if item.days_overdue == 1 else 's'}"
        self.sent.append(Sent("escalation", a.key, tuple(people.values()),
                              f"{days} overdue (rung {rung.after_days}); "
                              f"+{', '.join(sorted(add))}"))

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

    def clear(self, action: OpenAction) -> None:
        """Remove the overdue labels, and forget the ladder climbed: should the due date
        come back to the old one, the ladder starts again from its first rung."""
        labels = self.config.jira.labels
        remove = action.labels & {labels["overdue"], labels["escalated"]}
        record = replace(self.record(action), due=None, rungs=())
        try:
            if not self.dry_run:
                self.jira.update_issue(action.key, remove_labels=remove,
                                       properties={PROPERTY: record.to_json()})
            self.records[action.key] = record
        except JiraError as e:
            self.sent.append(Sent("failed", action.key, (), str(e)))
            return
        self.sent.append(Sent("cleared", action.key, (),
                              f"due {action.due or 'not set'} is no longer past: removed "
                              + ", ".join(sorted(remove))))
