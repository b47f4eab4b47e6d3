"""Planning a chase: a pure function turns the actions Jira holds, the review cycle and
``now`` into the steps to carry out, in the order the report lists them. Nothing here
reads Jira or the clock; ``job`` carries the plan out.

Each step says how it changes the action's record (``ChaseRecord``). The sender applies
that change to the record as it stands when the step runs, so a step that failed before
it reached Jira leaves nothing behind for a later step on the same action to write.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from jirasync.chase.reminders import (
    Digest,
    Escalation,
    Held,
    OpenAction,
    Prompt,
    Unowned,
    due_digests,
    due_escalations,
    due_prompts,
    first_told,
    no_longer_overdue,
)
from jirasync.escalation import OWNER, Ladder
from jirasync.records import ChaseRecord
from jirasync.review import ReviewCycle


@dataclass(frozen=True)
class Rules:
    """What the config says about chasing: ``digest`` (one notification per owner) or
    comment prompts, the ladder, and the two labels jirasync puts on overdue actions."""

    digest: bool
    ladder: Ladder
    overdue_label: str
    escalated_label: str
    grace_days: int = 7
    blocked_label: str = ""     # an owner answered "blocked": not escalated until it moves

    @property
    def flags(self) -> frozenset[str]:
        return frozenset((self.overdue_label, self.escalated_label))


@dataclass(frozen=True)
class SendPrompt:
    """A comment asking the owner to update the action before the review."""

    prompt: Prompt

    @property
    def key(self) -> str:
        return self.prompt.action.key

    def record(self, was: ChaseRecord) -> ChaseRecord:
        return was.with_prompt(self.prompt.cycle.name).with_told(self.prompt.on,
                                                                 self.prompt.owner)


@dataclass(frozen=True)
class SendDigest:
    """One notification listing every open action of an owner; the record goes on the
    digest's anchor."""

    digest: Digest

    @property
    def key(self) -> str:
        return self.digest.anchor.key

    def record(self, was: ChaseRecord) -> ChaseRecord:
        return was.with_digest(self.digest.cycle.name, self.digest.owner).with_told(
            self.digest.on, self.digest.owner)


@dataclass(frozen=True)
class Escalate:
    """An escalation comment that adds ``add_labels``. ``folded`` is the cycle's prompt
    for the same action, asked in the escalation's comment rather than in a second one;
    should the escalation surely fail (Jira cannot have applied it), the prompt is sent on
    its own, since the owner is still due it and the escalation is tried again next run."""

    escalation: Escalation
    add_labels: frozenset[str]
    folded: Prompt | None = None

    @property
    def key(self) -> str:
        return self.escalation.action.key

    @property
    def fallback(self) -> SendPrompt | None:
        return SendPrompt(self.folded) if self.folded is not None else None

    def record(self, was: ChaseRecord) -> ChaseRecord:
        if self.folded is not None:
            was = was.with_prompt(self.folded.cycle.name)
        item = self.escalation
        action = item.action
        assert action.due is not None    # only a dated action is overdue
        if OWNER in item.rung.notify or item.owner_first:
            was = was.with_told(item.on, action.owner)
        if item.owner_first:
            # Not the rung (that still fires after the grace), but the ladder is now being
            # climbed for this due date: an earlier clock must not clear its label.
            return replace(was, due=action.due.isoformat(), rungs=was.fired(action.due))
        return was.with_rung(action.due, item.rung)


@dataclass(frozen=True)
class ClearLabels:
    """An action no longer overdue because its due date moved: remove ``remove`` and
    forget the ladder climbed for the old date (the new one starts it again). A clock
    that is merely behind never clears (``no_longer_overdue``)."""

    action: OpenAction
    remove: frozenset[str]

    @property
    def key(self) -> str:
        return self.action.key

    def record(self, was: ChaseRecord) -> ChaseRecord:
        return replace(was, due=None, rungs=())


@dataclass(frozen=True)
class ReportUnowned:
    """An unresolved action nobody can be prompted for: reported, nothing sent."""

    action: OpenAction

    @property
    def key(self) -> str:
        return self.action.key


@dataclass(frozen=True)
class ReportNobodyToEscalate:
    """An overdue action whose rung names only the owner, and it has none. The rung is
    not fired, so the next rung still will be."""

    escalation: Escalation

    @property
    def key(self) -> str:
        return self.escalation.action.key


@dataclass(frozen=True)
class ReportHeld:
    """A rung naming others that waits for the owner's grace: reported, nothing sent."""

    held: Held

    @property
    def key(self) -> str:
        return self.held.action.key


@dataclass(frozen=True)
class ReportUnconfirmed:
    """Digests an earlier run recorded on this action but stopped before it knew them
    sent (a crash, a lost answer): reported by owner and cycle, never resent (that could
    send one twice), and the record settled so they are reported once."""

    action: OpenAction

    @property
    def key(self) -> str:
        return self.action.key

    def record(self, was: ChaseRecord) -> ChaseRecord:
        return was.settled()


Step = (SendPrompt | SendDigest | Escalate | ClearLabels | ReportUnowned
        | ReportNobodyToEscalate | ReportHeld | ReportUnconfirmed)


@dataclass(frozen=True)
class ChasePlan:
    """The steps of a chase in report order: reminders (prompts, digests, unowned), then
    escalations, then label clears."""

    steps: tuple[Step, ...] = ()

    def of(self, kind: type[Step]) -> list[Step]:
        return [s for s in self.steps if isinstance(s, kind)]

    def keys_to_confirm(self, actions: Sequence[OpenAction]) -> set[str]:
        """The actions whose records decide what is sent, to read again before sending:
        each prompted, escalated or cleared action, and every action of an owner due a
        digest (any of them may anchor an earlier one)."""
        owners = {s.digest.owner for s in self.steps if isinstance(s, SendDigest)}
        keys = {s.key for s in self.steps
                if isinstance(s, SendPrompt | Escalate | ReportNobodyToEscalate | ClearLabels
                              | ReportUnconfirmed)}
        return keys | {a.key for a in actions if a.owner in owners}


def plan_chase(actions: Sequence[OpenAction], rules: Rules, cycle: ReviewCycle | None,
               now: datetime) -> ChasePlan:
    """What is due at ``now`` (in the config's timezone), as steps."""
    reminders: Sequence[Prompt | Digest | Unowned]
    if rules.digest:
        reminders = due_digests(actions, cycle, now)
    else:
        reminders = due_prompts(actions, cycle, now)
    climbing = [a for a in actions if not rules.blocked_label
                or rules.blocked_label not in a.labels]
    due = due_escalations(climbing, rules.ladder, now.date(), grace_days=rules.grace_days,
                          told=first_told(actions, digest=rules.digest))
    escalations = [e for e in due if isinstance(e, Escalation)]
    held = [ReportHeld(h) for h in due if isinstance(h, Held)]
    # One comment, not two, when an action is due both: the escalation asks the same.
    escalated = {e.action.key for e in escalations}
    folded = {r.action.key: r for r in reminders
              if isinstance(r, Prompt) and r.action.key in escalated}
    steps: list[Step] = [_remind(r) for r in reminders
                         if not (isinstance(r, Prompt) and r.action.key in folded)]
    steps += [_escalate(e, rules, folded.get(e.action.key)) for e in escalations]
    steps += held
    steps += [ClearLabels(a, a.labels & rules.flags)
              for a in no_longer_overdue(actions, now.date(), rules.flags)]
    steps += [ReportUnconfirmed(a) for a in actions if a.record.pending]
    return ChasePlan(tuple(steps))


def _remind(item: Prompt | Digest | Unowned) -> Step:
    if isinstance(item, Prompt):
        return SendPrompt(item)
    if isinstance(item, Digest):
        return SendDigest(item)
    return ReportUnowned(item.action)


def _escalate(item: Escalation, rules: Rules, folded: Prompt | None) -> Step:
    if not item.action.owner and all(who == OWNER for who in item.rung.notify):
        return ReportNobodyToEscalate(item)
    escalates = item.rung.escalates and not item.owner_first
    add = {rules.overdue_label} | ({rules.escalated_label} if escalates else set())
    return Escalate(item, frozenset(add), folded)
