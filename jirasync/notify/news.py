"""What the day's message says, as plain data: pure, no I/O; the day is a parameter.

Every text that came from Jira (summaries, names, reasons) is kept apart from jirasync's
own words, so each payload can escape it for its service (``slack``, ``teams``)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from urllib.parse import quote

from jirasync.records import Sent

SUMMARY_CHARS = 160      # a summary is cut here (with …) in the message; Jira has it whole
NOTE_CHARS = 120         # and who was told, how late


class Applied(Protocol):
    """One answer chase applied (``answers``): the issue, one sentence of what changed,
    and its kind (done, extended, blocked, not needed)."""

    @property
    def key(self) -> str: ...

    @property
    def change(self) -> str: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Item:
    """One action in a list: ``text`` and ``note`` are data from Jira."""

    key: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Part:
    """A list in the message: its title (ours), the items shown, how many there are in
    all, and where the rest can be seen (a Jira search), if anywhere."""

    title: str
    items: tuple[Item, ...]
    total: int
    rest: str | None = None

    def shown(self, limit: int) -> tuple[Item, ...]:
        return self.items[:limit]


@dataclass(frozen=True)
class DayNews:
    day: date
    project: str
    jira_url: str
    parts: tuple[Part, ...]
    open_actions: int
    overdue: int
    failed: int = 0

    @property
    def message_id(self) -> str:
        """Names the message in its footer: a copy posted twice shows the same id."""
        return f"{self.project}-{self.day.isoformat()}"

    def link(self, key: str) -> str:
        return f"{self.jira_url.rstrip('/')}/browse/{quote(key)}"

    def headline(self) -> str:
        """One line (ours alone, no text from Jira): the day in numbers. What was sent and
        applied is this run's (the day's message is posted by its first chase that can, which
        may follow earlier runs: "0 prompts sent" alone read as a quiet day); blocked and
        overdue are the programme as it stands."""
        counts = {p.title: p.total for p in self.parts}
        words = [f"{counts.get(t, 0)} {w}" for t, w in
                 ((PROMPTS, "prompts sent"), (ESCALATIONS, "escalations"),
                  (ANSWERS, "answers applied"))]
        words[0] = f"this run: {words[0]}"
        words.append(f"now: {counts.get(BLOCKED, 0)} blocked")
        words.append(f"{self.overdue} overdue of {self.open_actions} open actions")
        if self.failed:
            words.append(f"{self.failed} items failed (see the run's output)")
        return " · ".join(words)


PROMPTS, ESCALATIONS, ANSWERS, BLOCKED, OVERDUE = (
    "Prompts sent", "Escalations sent", "Answers applied", "Blocked", "Overdue")


@dataclass(frozen=True)
class OpenOne:
    """An open action as chase read it (``chase.reminders.OpenAction``'s fields)."""

    key: str
    summary: str
    due: date | None
    owner_name: str | None = None
    labels: frozenset[str] = frozenset()


def day_news(*, day: date, project: str, jira_url: str, sent: Sequence[Sent],
             actions: Sequence[OpenOne], answers: Iterable[Applied] = (),
             blocked_label: str, overdue_label: str, action_label: str) -> DayNews:
    """The day's news from what chase sent, the open actions it read and the answers it
    applied."""
    summaries = {a.key: a.summary for a in actions}

    def item(s: Sent) -> Item:
        # A prompt's detail (the review, the due date) is the comment's business; a rung's
        # says how late the action is and who else heard.
        to = f"to {', '.join(s.to)}" if s.to else ""
        detail = s.detail if s.kind == "escalation" else ""
        return Item(s.key, clip(summaries.get(s.key, "")),
                    clip("; ".join(p for p in (to, detail) if p), NOTE_CHARS))

    prompts = tuple(item(s) for s in sent if s.kind in ("prompt", "digest"))
    rungs = tuple(item(s) for s in sent if s.kind == "escalation")
    applied = tuple(Item(a.key, clip(a.change), clip(a.kind, NOTE_CHARS)) for a in answers)
    blocked = tuple(Item(a.key, clip(a.summary), clip(a.owner_name or "", NOTE_CHARS))
                    for a in actions if blocked_label in a.labels)
    late = sorted((a for a in actions if a.due is not None and a.due < day),
                  key=lambda a: (a.due, a.key))
    overdue = tuple(Item(a.key, clip(a.summary), _late(a, day)) for a in late)
    base = f'project = "{project}" AND labels = "{action_label}" AND resolution = Unresolved'
    search = f"{jira_url.rstrip('/')}/issues/?jql="
    parts = (
        Part(PROMPTS, prompts, len(prompts)),
        Part(ESCALATIONS, rungs, len(rungs),
             search + quote(f'{base} AND labels = "{overdue_label}" ORDER BY duedate')),
        Part(ANSWERS, applied, len(applied)),
        Part(BLOCKED, blocked, len(blocked),
             search + quote(f'{base} AND labels = "{blocked_label}" ORDER BY key')),
        Part(OVERDUE, overdue, len(overdue),
             search + quote(f'{base} AND duedate < "{day.isoformat()}" ORDER BY duedate')),
    )
    failed = sum(1 for s in sent if s.kind == "failed")
    return DayNews(day, project, jira_url, tuple(p for p in parts if p.total), len(actions),
                   len(overdue), failed)


def _late(a: OpenOne, day: date) -> str:
    days = (day - a.due).days if a.due else 0
    who = f"{a.owner_name}, " if a.owner_name else ""
    return f"{who}overdue by {days} day{'' if days == 1 else 's'}"


def clip(text: str, limit: int = SUMMARY_CHARS) -> str:
    """``text`` on one line, cut at ``limit`` characters (… marks the cut)."""
    line = "".join(c for c in " ".join(str(text).split()) if c.isprintable())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"
