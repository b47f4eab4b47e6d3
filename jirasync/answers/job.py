"""Finding owners' answers since the last run and carrying them out, at the start of every
``chase`` (before prompts and escalations, so an extension or a block stops today's
escalation and a done action is not prompted).

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
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from jirasync.answers.decide import Action, Outcome, decide, refuse
from jirasync.answers.port import AnswersJira as Jira
from jirasync.answers.record import AnswersRecord
from jirasync.answers.words import read
from jirasync.chase.send import Sent
from jirasync.config import Config
from jirasync.errors import JiraError, UserNotFound
from jirasync.gateway import JiraIssue
from jirasync.gateway.failures import Call
from jirasync.gateway.limits import RECONCILE_LIMIT
from jirasync.gateway.workflow import Comment, Transition, comment_page
from jirasync.lease_types import NO_LEASE, Lease
from jirasync.model import ANSWERS_PROPERTY as PROPERTY
from jirasync.model import CHASE_PROPERTY
from jirasync.render import wiki_text
from jirasync.state import StateDir

Words = Mapping[str, tuple[str, ...]]
MARK = "jirasync:"
REPLIED = re.compile(r"focusedCommentId=(\d+)")
FILE = "answers.json"
MARGIN = timedelta(minutes=15)       # Cloud's index lag, as sync's window allows
DONE_WORDS = ("done", "fixed", "resolved", "complete", "completed")
WONT_WORDS = ("won't do", "won't fix", "wont do", "wont fix", "not needed", "obsolete",
              "cancelled", "canceled", "declined", "rejected")
READ = Call("search", "reading answers", safe=True)
RECORDS = (CHASE_PROPERTY, PROPERTY)      # as chase reads them: one cache entry serves both


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
    comments, partial = comment_page(issue.extra.get("comment"), READ, jira.flavour)
    if partial:
        comments = jira.comments(issue.key)
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
    Cloud's search lags behind writes (another run's reply may not show yet)."""
    out: list[JiraIssue] = []
    if jira.flavour != "cloud":
        read = (jira.get_issue(f.issue.key, fields=("comment",), properties=RECORDS)
                for f in found)
        out = [i for i in read if i is not None]
    for start in range(0, len(found) if jira.flavour == "cloud" else 0, RECONCILE_LIMIT):
        chunk = found[start:start + RECONCILE_LIMIT]
        jql = f"key in ({', '.join(f.issue.key for f in chunk)}) ORDER BY key"
        try:
            out += jira.search(jql, fields=("comment",), properties=RECORDS,
                               reconcile=[f.issue.id for f in chunk if f.issue.id])
        except JiraError:       # one key deleted since: read the others by key
            read = (jira.get_issue(f.issue.key, fields=("comment",), properties=RECORDS)
                    for f in chunk)
            out += [i for i in read if i is not None]
    words = config.answers.words
    fresh = (_found(jira, i, words, since,
                    record=AnswersRecord.from_json(i.properties.get(PROPERTY)))
             for i in out if i.resolution is None)
    return [f for f in fresh if f is not None]


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
                            record=AnswersRecord.from_json(issue.properties.get(PROPERTY)))
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
