"""The PMO's vocabulary as frozen data: releases, lessons, actions, identities."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

KINDS = ("keep", "improve")
# The issue properties jirasync keeps in Jira: a synced issue's identity and what it
# last wrote, and what chase has sent about an action (both encoded in ``records.py``).
SYNC_PROPERTY = "jirasync"
ANSWERS_PROPERTY = "jirasync.answers"     # owners' answers applied (docs/answers.md)
CHASE_PROPERTY = "jirasync.chase"


# C0 and C1 controls but tab and line breaks (the callers fold those), the bidi marks,
# embeddings, overrides and isolates, the Unicode line separators, and lone surrogates
# (which no output encoding accepts).
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                      "\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """Jira text for a terminal or a Markdown file: shown, never obeyed. A summary may hold
    an escape sequence (``ESC ]0;...``: the terminal retitles, hides or recolours text, or
    writes the clipboard) or a right-to-left override that reorders the line around it;
    each such character is shown as U+FFFD, and a tab as a space."""
    return CONTROLS.sub("\ufffd", text.replace("\t", " "))


def counted(n: int, kind: str) -> str:
    """A run's count as words: prompts, digests and escalations are things ("8 prompts");
    the other counts read as what was done ("35 created", "1 failed"); the PMO's channel's
    as its messages ("2 channel messages posted")."""
    if kind.startswith("channel_"):
        return f"{n} channel message{'' if n == 1 else 's'} {kind.removeprefix('channel_')}"
    if kind == "answers":           # owners' answers applied
        return f"{n} answer{'' if n == 1 else 's'}"
    return f"{n} {kind}{'s' if kind in ('prompt', 'digest', 'escalation') and n != 1 else ''}"


def slug(value: str) -> str:
    """Lower-case; runs of anything but letters and digits (any script) become one '-',
    trimmed: '4.2' -> '4-2', 'Qualité & Sécurité' -> 'qualité-sécurité'."""
    return re.sub(r"[\W_]+", "-", str(value).casefold()).strip("-")


def jira_length(text: str) -> int:
    """Length as Jira counts it (UTF-16 code units): an emoji counts two."""
    return len(text.encode("utf-16-le")) // 2


RELEASE_LABEL, THEME_LABEL = "release-", "theme-"     # then the id's or theme's slug


@dataclass(frozen=True)
class Labels:
    """The label names jirasync puts on issues (config ``jira.labels``), with their
    defaults."""

    all: str = "lessons-learnt"
    keep: str = "ll-keep"
    improve: str = "ll-improve"
    action: str = "ll-action"
    overdue: str = "ll-overdue"
    escalated: str = "ll-escalated"
    not_reviewed: str = "ll-not-reviewed"     # a template lesson the release never answered
    blocked: str = "ll-blocked"     # its owner answered "blocked" (docs/answers.md)

    @property
    def marks(self) -> tuple[str, ...]:
        """Labels only jirasync's issues carry: any one of them finds an issue in a search."""
        return (self.all, self.keep, self.improve, self.action)

    @staticmethod
    def release(release_id: str) -> str:
        return f"{RELEASE_LABEL}{slug(release_id)}"

    @staticmethod
    def theme(theme: str) -> str:
        return f"{THEME_LABEL}{slug(theme)}"

    @staticmethod
    def themes(labels: Iterable[str]) -> list[str]:
        """The themes (their slugs) an issue's labels name, sorted."""
        return sorted(x.removeprefix(THEME_LABEL) for x in labels if x.startswith(THEME_LABEL))

    @staticmethod
    def release_label(labels: Iterable[str]) -> str | None:
        """The first (sorted) release label among an issue's labels, if any."""
        return next((x for x in sorted(labels) if x.startswith(RELEASE_LABEL)), None)


@dataclass(frozen=True)
class Where:
    """Where a value came from, for messages: file and line."""

    file: str
    line: int | None = None
    keys: tuple[tuple[str, int], ...] = ()     # line of each key in the block

    def line_of(self, key: str) -> int | None:
        return dict(self.keys).get(key, self.line)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    description: str = ""
    owner: str | None = None
    due: date | None = None
    where: Where | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Lesson:
    id: str
    kind: str
    title: str
    description: str = ""
    theme: str | None = None
    raised_by: str | None = None
    actions: tuple[Action, ...] = ()
    where: Where | None = field(default=None, compare=False)
    # False: a lesson of the release template that the release file does not list, a
    # question the release never answered. It goes to Jira labelled not reviewed (never
    # keep or improve) and `check` warns of it.
    answered: bool = True
    cause: str = ""                   # why it happened (the Lessons Report's "cause")
    effect: str = ""                  # what it did to the release


@dataclass(frozen=True)
class Release:
    id: str
    name: str
    live_date: date
    lessons: tuple[Lesson, ...] = ()
    extends: str | None = None
    where: Where | None = field(default=None, compare=False)
    # What the PMO measured of the release (planned and actual live date, defects...),
    # as (name, value) in the file's order, each shown as written.
    measures: tuple[tuple[str, str], ...] = ()

    @property
    def slug(self) -> str:
        return slug(self.id)


@dataclass(frozen=True, order=True, slots=True)
class Identity:
    """Who a managed issue is: release id + lesson id (+ action id).

    Stored on the issue itself (issue property ``jirasync``), never only locally.
    """

    release: str
    lesson: str | None = None
    action: str | None = None

    @property
    def level(self) -> str:
        if self.action is not None:
            return "action"
        return "lesson" if self.lesson is not None else "release"

    @property
    def parent(self) -> Identity | None:
        if self.action is not None:
            return Identity(self.release, self.lesson)
        if self.lesson is not None:
            return Identity(self.release)
        return None

    def __str__(self) -> str:
        return "/".join(p for p in (self.release, self.lesson, self.action) if p is not None)


def key_order(key: str) -> tuple[str, int]:
    """Sort issue keys as Jira does: by project, then number (DCR-9 before DCR-10)."""
    project, _, number = key.rpartition("-")
    return (project, int(number) if number.isdigit() else 0)
