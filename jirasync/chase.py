"""``jirasync chase``: prompts before the review, digests, escalation (SPEC §5).

Exactly once: a comment prompt or an escalation is ONE edit request that adds the
comment, the labels and the updated record (property ``jirasync.chase``) together, so
Jira holds either all of it or none of it. A digest is a Jira notification, which cannot
carry a record: the record is written first and the notification sent second, so a crash
between the two leaves that digest unsent rather than sent twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from jirasync.config import Config
from jirasync.errors import JiraError, UserNotFound
from jirasync.reminders import (PROPERTY, ChaseRecord, Digest, Escalation, OpenAction, Prompt,
                                Unowned, due_digests, due_escalations, due_prompts,
                                no_longer_overdue)
from jirasync.review import ReviewCycle

FIELDS = ("summary", "assignee", "duedate", "resolution", "labels")


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


def fetch_actions(jira, config: Config, cycle: ReviewCycle | None) -> list[OpenAction]:
    """One paged search: unresolved actions (and, for digests, those resolved in the
    window, whose records still count)."""
    label = config.jira.labels["action"]
    scope = "resolution = Unresolved"
    if config.review.reminder == "digest" and cycle is not None:
        scope = f'(resolution = Unresolved OR resolved >= "{cycle.prompt_from.date()}")'
    jql = f'project = "{config.jira.project}" AND labels = "{label}" AND {scope} ORDER BY key'
    return [OpenAction(key=i.key, summary=i.summary or "", owner=i.assignee, due=i.due,
                       owner_name=i.assignee_name,
                       resolved=i.resolution is not None, labels=frozenset(i.labels),
                       record=ChaseRecord.from_json(i.properties.get(PROPERTY)))
            for i in jira.search(jql, fields=FIELDS, properties=(PROPERTY,))]


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


def chase(config: Config, jira, *, now: datetime, texts, dry_run: bool = False,
          progress: Callable[[str], None] = print) -> ChaseResult:
    """Send what is due at ``now``; ``texts`` renders the messages (see messages.py)."""
    now = now.astimezone(ZoneInfo(config.timezone))
    cycle = config.review.calendar.cycle_at(now)
    actions = fetch_actions(jira, config, cycle)
    reminders, escalations, cleared = plan_chase(actions, config, cycle, now)
    sender = _Sender(jira, config, texts, now, dry_run)
    escalating = {e.action.key for e in escalations}
    for item in reminders:
        if isinstance(item, Prompt) and item.action.key in escalating:
            sender.fold(item)    # one comment, not two: the escalation asks the same
        else:
            sender.send(item)
    for item in escalations:
        sender.send(item)
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
        self.people: dict[str, tuple[str, str] | None] = {}
        self.sent: list[Sent] = []

    def record(self, action: OpenAction) -> ChaseRecord:
        return self.records.get(action.key, action.record)

    def send(self, item) -> None:
        handler = {Prompt: self._prompt, Digest: self._digest, Escalation: self._escalate,
                   Unowned: self._unowned}[type(item)]
        try:
            handler(item)
        except JiraError as e:
            key = item.anchor.key if isinstance(item, Digest) else item.action.key
            self.sent.append(Sent("failed", key, (), str(e)))

    def fold(self, item: Prompt) -> None:
        """Record the prompt with the escalation that is about to be sent for the action."""
        a = item.action
        self.records[a.key] = self.record(a).with_prompt(item.cycle.name)
        self.sent.append(Sent("prompt", a.key, (a.owner_name or a.owner,),
                              f"review {item.cycle.name}: in the escalation comment"))

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
        record = self.record(anchor).with_digest(item.cycle.name)
        subject, text, html = self.texts.digest(item.actions, item.cycle)
        if not self.dry_run:
            self.jira.set_property(anchor.key, PROPERTY, record.to_json())
            self.records[anchor.key] = record
            self.jira.notify(anchor.key, subject=subject, text=text, html=html,
                             to_users=(item.owner,))
        keys = ", ".join(a.key for a in item.actions)
        self.sent.append(Sent("digest", anchor.key, (anchor.owner_name or item.owner,),
                              f"{len(item.actions)} action(s): {keys}"))

    def _escalate(self, item: Escalation) -> None:
        a, rung = item.action, item.rung
        people = {}
        for who in rung.notify:
            person = self._person(who, a)
            if person is not None:
                people.setdefault(person[0], person[1])
        record = self.record(a).with_rung(a.due, rung)
        labels = self.config.jira.labels
        add = {labels["overdue"]} | ({labels["escalated"]} if rung.escalates else set())
        meeting = self.config.review.calendar.upcoming(self.now)
        body = self.texts.escalation(a, item, [self.jira.mention(u) for u in people], meeting)
        if not self.dry_run:
            self.jira.update_issue(a.key, comment=body, add_labels=add,
                                   properties={PROPERTY: record.to_json()})
        self.records[a.key] = record
        self.sent.append(Sent("escalation", a.key, tuple(people.values()),
                              f"{item.days_overdue} days overdue (rung {rung.after_days}); "
                              f"+{', '.join(sorted(add))}"))

    def _person(self, who: str, action: OpenAction) -> tuple[str, str] | None:
        """(user id, name to show) of ``owner`` or a role from config ``people``."""
        if who == "owner":
            return (action.owner, action.owner_name or action.owner) if action.owner else None
        if who not in self.people:
            try:
                user = self.jira.find_user(self.config.people[who])
                self.people[who] = (user.id, user.display_name or user.id)
            except UserNotFound as e:
                self.people[who] = None
                self.sent.append(Sent("failed", action.key, (), f"{who}: {e}"))
        return self.people[who]

    def clear(self, action: OpenAction) -> None:
        labels = self.config.jira.labels
        remove = action.labels & {labels["overdue"], labels["escalated"]}
        try:
            if not self.dry_run:
                self.jira.update_issue(action.key, remove_labels=remove)
        except JiraError as e:
            self.sent.append(Sent("failed", action.key, (), str(e)))
            return
        self.sent.append(Sent("cleared", action.key, (),
                              f"due {action.due or 'not set'} is no longer past: removed "
                              + ", ".join(sorted(remove))))
