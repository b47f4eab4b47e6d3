"""Carrying out a chase plan (``plan.plan_chase``): render the texts, find the people a
rung names (``people.py``), write to Jira, keep each action's record as Jira now holds it.

Exactly once: a comment prompt or an escalation is ONE edit request that adds the
comment, the labels and the updated record (property ``jirasync.chase``) together, so
Jira holds either all of it or none of it. A digest is a Jira notification, which cannot
carry a record: the record is written first, marking the digest pending, and the
notification sent second (the state folder notes it sent), so a crash between the two
leaves that digest unsent rather than sent twice, and the next run (and ``status``)
reports it by owner and cycle.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime

from jirasync.chase.messages import Texts, overdue, role_name
from jirasync.chase.people import People
from jirasync.chase.plan import (
    ClearLabels,
    Escalate,
    ReportHeld,
    ReportNobodyToEscalate,
    ReportUnconfirmed,
    ReportUnowned,
    SendDigest,
    SendPrompt,
    Step,
)
from jirasync.chase.port import ChaseJira
from jirasync.chase.reminders import OpenAction
from jirasync.config import Config
from jirasync.errors import JiraError
from jirasync.model import CHASE_PROPERTY as PROPERTY
from jirasync.model import Labels
from jirasync.records import ChaseRecord, Sent


def days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


class Sender:
    """Carries out a chase plan step by step: renders the texts, finds the people a rung
    names, writes to Jira, and keeps each action's record as Jira now holds it."""

    def __init__(self, jira: ChaseJira, config: Config, texts: Texts, now: datetime,
                 dry_run: bool, sent_digest: Callable[[str, str], None], *,
                 releases: Mapping[str, str] | None = None):
        self.jira, self.config, self.texts = jira, config, texts
        self.releases = releases or {}      # release label -> name
        self.sent_digest = sent_digest
        self.now, self.dry_run = now, dry_run
        self.records: dict[str, ChaseRecord] = {}
        self.people = People(jira, config)
        self.sent: list[Sent] = []

    def record(self, action: OpenAction) -> ChaseRecord:
        return self.records.get(action.key, action.record)

    def named(self, action: OpenAction) -> OpenAction:
        """``action`` with its release's name (from its release label) for the texts."""
        label = next((x for x in sorted(action.labels) if x in self.releases), None)
        if label is None:
            label = Labels.release_label(action.labels)
        return replace(action, release=self.releases.get(label or "", label))

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
            case ReportHeld():
                self._held(step)
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
        body = self.texts.prompt(self.named(a), cycle, self.jira.mention(owner), step.prompt.on)
        if not self.dry_run:
            self.jira.edit_issue(a.key, comment=body, properties={PROPERTY: record.to_json()})
        self.records[a.key] = record
        late = overdue(a, step.prompt.on)
        self.sent.append(Sent("prompt", a.key, (a.owner_name or owner,),
                              f"review {cycle.name}, due {a.due or 'not set'}"
                              + (f", overdue by {days(late)}" if late else "")))

    def _digest(self, step: SendDigest) -> None:
        """Record first, with the digest marked pending, then notify; the state folder
        notes it sent. A run that stops in between leaves the mark unsettled, and the
        next run reports that digest (a lost state folder: reported, to be safe)."""
        item = step.digest
        anchor = item.anchor
        was = self.record(anchor)
        sending = was.sending(item.cycle.name, item.owner).with_told(item.on, item.owner)
        subject, text, html = self.texts.digest([self.named(a) for a in item.actions],
                                                item.cycle, item.on)
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
        if item.owner_first:
            self._owner_first(step)
            return
        people, left_out = self.people.named(rung, a)     # UserNotFound: not sent, nor recorded
        record = step.record(self.record(a))
        meeting = self.config.review.calendar.upcoming(self.now)
        owner = self.jira.mention(a.owner) if a.owner else None
        copied = [u for u in people if u != a.owner]
        labels = step.add_labels
        if not copied:      # every other person it names owns the action: not escalated
            labels = labels - {self.config.jira.labels["escalated"]}
        body = self.texts.escalation(self.named(a), item, [self.jira.mention(u) for u in people],
                                     meeting,
                                     owner=owner, copied=[self.jira.mention(u) for u in copied],
                                     left_out=left_out)
        if not self.dry_run:
            self.jira.edit_issue(a.key, comment=body, add_labels=labels,
                                 properties={PROPERTY: record.to_json()})
        self.records[a.key] = record
        if folded is not None:
            self.sent.append(Sent("prompt", a.key, (a.owner_name or folded.owner,),
                                  f"review {folded.cycle.name}: in the escalation comment"))
        not_copied = f"; not copied, being the owner: {' and '.join(left_out)}" if left_out else ""
        self.sent.append(Sent("escalation", a.key, tuple(people.values()),
                              f"overdue by {days(item.days_overdue)} (rung {rung.after_days})"
                              f"{not_copied}; +{', '.join(sorted(labels))}"))

    def _owner_first(self, step: Escalate) -> None:
        """The owner was never told about this action: only they hear now, with who comes
        next and when; the rung waits for the grace (SPEC §5 "The owner hears first").
        A rung whose other people all own the action is no escalation: it goes now."""
        item, a = step.escalation, step.escalation.action
        assert a.owner is not None         # an unowned action has nobody to hear first
        waiting = self.people.next_up(item.rung, a)
        if not waiting:
            self._escalate(replace(step, escalation=replace(item, owner_first=False)))
            return
        record = step.record(self.record(a))
        owner = self.jira.mention(a.owner)
        body = self.texts.escalation(self.named(a), item, [owner],
                                     self.config.review.calendar.upcoming(self.now),
                                     owner=owner, waiting=waiting)
        if not self.dry_run:
            self.jira.edit_issue(a.key, comment=body, add_labels=step.add_labels,
                                 properties={PROPERTY: record.to_json()})
        self.records[a.key] = record
        review = f"review {step.folded.cycle.name}, " if step.folded is not None else ""
        self.sent.append(Sent("prompt", a.key, (a.owner_name or a.owner,),
                              f"{review}overdue by {days(item.days_overdue)}: the owner hears "
                              f"first; rung {item.rung.after_days} waits until "
                              f"{item.held_until}, then goes to {' and '.join(waiting)}; +"
                              + ", ".join(sorted(step.add_labels))))

    def _held(self, step: ReportHeld) -> None:
        h = step.held
        roles = " and ".join(role_name(w) for w in dict.fromkeys(h.rung.notify) if w != "owner")
        who = h.action.owner_name or h.action.owner or "the owner"
        self.sent.append(Sent("waiting", step.key, (),
                              f"overdue by {days(h.days_overdue)}: rung {h.rung.after_days} "
                              f"({roles}) waits until {h.until}; {who} was told on {h.told}"
                              + self._later(h.told)))

    def _later(self, day: date) -> str:
        """A rehearsal (``--today``) of a day before a real run starts from what Jira
        records now, which that day could not have known: said, not hidden."""
        if day <= self.now.date():
            return ""
        return " (after the rehearsed day: a rehearsal starts from what Jira records now)"

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
