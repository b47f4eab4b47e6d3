"""What one answer does, decided from the action as Jira holds it, who wrote it and the
day: a pure function (``job`` carries it out). Nothing here reads Jira or the clock."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from jirasync.answers.words import Said
from jirasync.records import AnswersRecord, Extension

DECIDERS = ("release_manager", "pmo_lead")     # may resolve an action as won't do


@dataclass(frozen=True)
class Action:
    key: str
    owner: str | None
    due: date | None
    labels: frozenset[str]
    record: AnswersRecord
    status: str = ""


@dataclass(frozen=True)
class Outcome:
    """``kind``: done, extend, blocked, not_needed (applied); request (an owner's not
    needed, passed on); refused (nothing changed). ``reply`` the acknowledgement's text;
    ``change`` one sentence for the run's report; ``transition`` "done" or "wont" when the
    action must move into the Done category (the job finds the transition); ``tell`` the
    roles the reply mentions besides the author."""

    kind: str
    reply: str
    change: str
    record: AnswersRecord
    fields: dict[str, date] = field(default_factory=dict)     # the due date, when it moves
    add_labels: frozenset[str] = frozenset()
    remove_labels: frozenset[str] = frozenset()
    transition: str | None = None
    tell: tuple[str, ...] = ()

    @property
    def applied(self) -> bool:
        return self.kind not in ("refused", "request")


def refuse(action: Action, comment: str, why: str, shown: str | None = None) -> Outcome:
    """Nothing changes; the comment is recorded as answered. ``shown``: ``why`` as the
    reply writes it (the author's words quoted safely), if it differs."""
    return Outcome("refused", f"{shown or why}; nothing changed.", why,
                   action.record.answering(comment))


def decide(action: Action, said: Said, comment: str, role: str | None, today: date,
           blocked_label: str, quote: Callable[[str], str] = str) -> Outcome:
    """``role``: "owner", "release_manager" or "pmo_lead" for the author, None for anyone
    else. ``quote`` makes the author's words safe in the reply (Jira wiki markup)."""
    if role is None:
        return refuse(action, comment, "only the action's owner, the release manager or "
                                       "the PMO lead can answer for it")
    if said.problem:
        return refuse(action, comment, f"'{said.line}': {said.problem}",
                      f"'{quote(said.line)}': {quote(said.problem)}")
    q = quote(said.text)
    record = action.record.answering(comment)
    unblock = frozenset({blocked_label}) & action.labels
    unblocked = replace(record, blocked=None, blocked_on=None) if unblock else record
    match said.kind:
        case "done":
            note = f" ({said.text})" if said.text else ""
            return Outcome("done", f"done ({q})" if said.text else "done",
                           f"done{note}",
                           replace(unblocked, done=today.isoformat()),
                           remove_labels=unblock, transition="done")
        case "extend":
            assert said.to is not None
            if said.to < today:
                return refuse(action, comment, f"{said.to} is in the past; give a date "
                                               "from today on")
            if action.due is not None and said.to == action.due:
                return refuse(action, comment, f"the action is already due on {said.to}")
            ext = Extension(to=said.to.isoformat(), reason=said.text, on=today.isoformat(),
                            was=action.due.isoformat() if action.due else None)
            new = replace(unblocked, extensions=(*unblocked.extensions, ext))
            n = len(new.extensions)
            was = f"from {action.due} " if action.due else ""
            text = (f"due date moved {was}to {said.to} (extension {n}: {q}); "
                    "the reminders start again from the new date")
            return Outcome("extend", text, f"due {was}to {said.to}, extended {n}×: "
                           f"{said.text}", new, fields={"due": said.to}, remove_labels=unblock)
        case "blocked":
            again = blocked_label in action.labels
            new = replace(record, blocked=said.text,
                          blocked_on=record.blocked_on if again else today.isoformat())
            tell = () if again else ("release_manager",)
            text = (f"marked blocked: {q}. It is listed as blocked, not overdue, "
                    "until it moves (a later done or extend to answer, or the label "
                    f"{blocked_label} removed)")
            return Outcome("blocked", text, f"blocked: {said.text}", new,
                           add_labels=frozenset({blocked_label}), tell=tell)
        case _:
            if role not in DECIDERS:
                text = (f"your request to drop this action ({q}) is passed on: only "
                        "the release manager or the PMO lead can resolve it as won't do, "
                        "by answering not needed: reason here")
                return Outcome("request", text, f"not needed asked by the owner: {said.text}",
                               record, tell=DECIDERS)
            return Outcome("not_needed", f"resolved as not needed: {q}",
                           f"resolved as won't do: {said.text}", unblocked,
                           remove_labels=unblock, transition="wont")
