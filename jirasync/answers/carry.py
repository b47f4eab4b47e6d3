"""Carrying out the answers ``job.py`` found, each in ONE request that applies it and
acknowledges it (an edit, or a transition, with the reply comment and the action's record
``jirasync.answers`` naming the comment answered), so Jira holds all of it or none."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from jirasync.answers.decide import Action, Outcome, decide, refuse
from jirasync.answers.port import AnswersJira as Jira
from jirasync.answers.words import read
from jirasync.config import Config
from jirasync.errors import JiraError, UserNotFound
from jirasync.gateway.types import Comment, JiraIssue, Transition
from jirasync.lease_types import NO_LEASE, Lease
from jirasync.model import ANSWERS_PROPERTY as PROPERTY
from jirasync.records import Sent, answers_record_of
from jirasync.render import wiki_text

MARK = "jirasync:"
DONE_WORDS = ("done", "fixed", "resolved", "complete", "completed")
WONT_WORDS = ("won't do", "won't fix", "wont do", "wont fix", "not needed", "obsolete",
              "cancelled", "canceled", "declined", "rejected")


@dataclass(frozen=True)
class Applied:
    """One answer applied, for the run's report and the PMO's channel: the action, what
    changed in one sentence, and the kind (done, extend, blocked, not_needed)."""

    key: str
    change: str
    kind: str


@dataclass
class Answers:
    applied: list[Applied]
    lines: list[Sent]

    @property
    def failed(self) -> bool:
        return any(s.kind == "failed" for s in self.lines)


@dataclass(frozen=True)
class Found:
    issue: JiraIssue
    comments: tuple[Comment, ...]       # those with an answer's words, oldest first


class Carrier:
    """Carries out the answers found, one request each (apply and acknowledge together)."""

    def __init__(self, config: Config, jira: Jira, today: date, dry_run: bool, out: Answers,
                 lease: Lease = NO_LEASE):
        self.config, self.jira, self.today, self.dry_run = config, jira, today, dry_run
        self.out, self.lease = out, lease
        self.blocked_label = config.jira.labels["blocked"]
        self._me: str | None = None
        self._people: dict[str, str | None] = {}

    def run(self, found: Iterable[Found]) -> None:
        for f in found:
            issue = f.issue
            action = Action(key=issue.key, owner=issue.assignee, due=issue.due,
                            labels=frozenset(issue.labels), status=issue.status,
                            record=answers_record_of(issue.properties))
            for comment in f.comments:
                action = self._answer(action, comment)
                self.lease.renew()

    def _answer(self, action: Action, comment: Comment) -> Action:
        said = read(comment.body, self.config.answers.words)
        if said is None or comment.author is None or comment.author == self._bot():
            return action
        try:
            outcome = decide(action, said, comment.id, self._role(action, comment.author),
                             self.today, self.blocked_label, quote=wiki_text)
            return self._carry_out(action, comment, outcome)
        except JiraError as e:
            self.out.lines.append(Sent("failed", action.key, (), f"answer {comment.id}: {e}"))
            return action

    def _carry_out(self, action: Action, comment: Comment, outcome: Outcome) -> Action:
        transition = None
        if outcome.transition:
            transition = self._pick(action, outcome)
            if transition is None:
                outcome = replace(outcome, transition=None, kind="recorded", reply=(
                    f"{outcome.reply}: recorded, but the workflow offers no move to a done "
                    f"status from {action.status or 'here'}; please close it in Jira"),
                    change=f"{outcome.change} (recorded; no done transition offered)")
        resolution = None
        if transition is not None:
            resolution = self._resolution(transition, outcome.transition or "done")
            named = f", resolution {resolution}" if resolution else ""
            outcome = replace(outcome, reply=f"{outcome.reply}: moved to {transition.to}"
                              f"{named}")
        body = self._reply(action.key, comment, outcome)
        props = {PROPERTY: outcome.record.to_json()}
        if not self.dry_run:
            if transition is not None:
                try:
                    self.jira.transition_issue(action.key, transition.id,
                                               resolution=resolution, comment=body,
                                               properties=props)
                except JiraError as e:
                    if e.maybe_applied:
                        raise
                    why = f"Jira refused to move it to {transition.to}: {e}"
                    outcome = refuse(action, comment.id, why, wiki_text(why))
                    transition = None
                    body = self._reply(action.key, comment, outcome)
                    props = {PROPERTY: outcome.record.to_json()}
            if transition is None:
                self.jira.edit_issue(action.key, fields=outcome.fields or None,
                                     add_labels=outcome.add_labels,
                                     remove_labels=outcome.remove_labels,
                                     comment=body, properties=props)
        self._report(action, comment, outcome, transition)
        labels = (action.labels | outcome.add_labels) - outcome.remove_labels
        due = outcome.fields.get("due", action.due)
        return replace(action, record=outcome.record, labels=labels,
                       due=due if isinstance(due, date) else action.due)

    def _report(self, action: Action, comment: Comment, outcome: Outcome,
                transition: Transition | None) -> None:
        who = (comment.author_name or comment.author or "",)
        change = outcome.change
        if transition is not None:
            change += f"; moved to {transition.to}"
        if outcome.kind == "refused":
            self.out.lines.append(Sent("refused", action.key, who, change))
            return
        self.out.lines.append(Sent("answer", action.key, who, change))
        if outcome.applied:
            kind = "done" if outcome.kind == "recorded" else outcome.kind
            self.out.applied.append(Applied(action.key, f"{action.key}: {change}", kind))

    def _reply(self, key: str, comment: Comment, outcome: Outcome) -> str:
        """The acknowledgement: the author, what changed, who else is told, and a link to
        the comment answered (which also tells the next run's search it was)."""
        told = [self.jira.mention(u) for u in (self._person(r) for r in outcome.tell) if u]
        also = f" {' '.join(told)}: for your attention." if told else ""
        author = self.jira.mention(comment.author) if comment.author else ""
        link = f"{self.jira.url}/browse/{key}?focusedCommentId={comment.id}"
        return f"{author} {MARK} {outcome.reply}{also} ([your answer|{link}])".strip()

    def _pick(self, action: Action, outcome: Outcome) -> Transition | None:
        """A transition into the Done category; for won't do, one whose resolutions
        include a won't-do value if any does."""
        offered = [t for t in self.jira.transitions(action.key) if t.category == "done"]
        if outcome.transition == "wont":
            fitting = [t for t in offered if _choose(t.resolutions, WONT_WORDS)]
        else:
            fitting = [t for t in offered if not t.required]
        return next(iter(fitting or offered), None)

    def _resolution(self, t: Transition, why: str) -> str | None:
        if not t.resolution:
            return None          # not on the screen: Jira refuses it; the workflow sets one
        words = WONT_WORDS if why == "wont" else DONE_WORDS
        return _choose(t.resolutions, words) or (t.resolutions[0] if t.resolutions else None)

    def _role(self, action: Action, author: str) -> str | None:
        if author == action.owner:
            return "owner"
        for role in ("release_manager", "pmo_lead"):
            if self._person(role) == author:
                return role
        return None

    def _person(self, role: str) -> str | None:
        if role not in self._people:
            email = self.config.people.get(role)
            try:
                self._people[role] = self.jira.find_user(email).id if email else None
            except UserNotFound:
                self._people[role] = None
        return self._people[role]

    def _bot(self) -> str:
        if self._me is None:
            self._me = self.jira.myself().id
        return self._me


def _choose(names: tuple[str, ...], words: tuple[str, ...]) -> str | None:
    low = {n.lower().replace("\u2019", "'"): n for n in names}
    return next((low[w] for w in words if w in low), None)
