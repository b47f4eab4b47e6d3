"""Field values as a request sends them, checked the way Jira checks them.

The published contract leaves ``fields`` untyped, so these rules (labels without spaces,
ISO due dates, users named the flavour's way) are enforced here, with Jira's messages.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from .catalog import EPIC_LINK, EPIC_NAME, TEAM
from .users import UnknownUser

if TYPE_CHECKING:
    from .instance import Instance

MAX_TEXT = 255
MAX_LONG_TEXT = 32767


def java_length(text: str) -> int:
    """Length as Jira (Java) counts it: UTF-16 code units, so an emoji counts two."""
    return len(text.encode("utf-16-le")) // 2
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FieldError(Exception):
    """A value Jira would refuse; the message is the one Jira puts in ``errors``."""


def summary(inst: Instance, raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise FieldError("You must specify a summary of the issue.")
    if "\n" in raw or "\r" in raw:
        raise FieldError("The summary is invalid because it contains newline characters.")
    if java_length(raw) > MAX_TEXT:
        raise FieldError("Summary must be less than 255 characters.")
    return raw


def text(inst: Instance, raw: Any) -> str | None:
    if raw is not None and not isinstance(raw, str):
        raise FieldError("Operation value must be a string")
    if raw is not None and java_length(raw) > MAX_LONG_TEXT:
        raise FieldError("The entered text is too long. It exceeds the allowed limit of "
                         "32,767 characters.")
    return raw


def short_text(inst: Instance, raw: Any) -> str | None:
    value = text(inst, raw)
    if value is not None and java_length(value) > MAX_TEXT:
        raise FieldError("The entered text is too long. It exceeds the allowed limit of 255 "
                         "characters.")
    return value


def label(raw: Any) -> str:
    if not isinstance(raw, str) or not raw:
        raise FieldError("Labels must be non-empty strings.")
    if any(c.isspace() for c in raw):
        raise FieldError(f"The label '{raw}' contains spaces which is invalid.")
    if java_length(raw) > MAX_TEXT:
        raise FieldError("The label exceeds the maximum length of 255 characters.")
    return raw


def labels(inst: Instance, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise FieldError("Labels must be a list of strings.")
    return tidy_labels(label(item) for item in raw)


def tidy_labels(values: Any) -> tuple[str, ...]:
    """Jira keeps labels as a set and lists them sorted."""
    return tuple(sorted(set(values)))


def duedate(inst: Instance, raw: Any) -> date | None:
    if raw is None:
        return None
    try:
        if not isinstance(raw, str) or not DATE.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise FieldError(f"Error parsing date string: {raw}") from None


def assignee(inst: Instance, raw: Any) -> str | None:
    if raw is None:
        return None
    user = _user(inst, raw)
    if not user.active:
        raise FieldError(f"User '{user.display_name}' cannot be assigned issues.")
    return inst.user_id(user)


def reporter(inst: Instance, raw: Any) -> str:
    if raw is None:
        raise FieldError("Reporter is required.")
    return inst.user_id(_user(inst, raw))


def _user(inst: Instance, raw: Any) -> Any:
    try:
        return inst.directory.from_ref(raw)
    except UnknownUser as e:
        raise FieldError(str(e)) from None


def parent(inst: Instance, raw: Any) -> str | None:
    if raw is None:
        return None
    ref = raw.get("key") or raw.get("id") if isinstance(raw, dict) else None
    issue = inst.store.get(ref) if isinstance(ref, str | int) else None
    if issue is None:
        raise FieldError("Could not find issue by id or key.")
    return issue.key


def epic_link(inst: Instance, raw: Any) -> str | None:
    if raw is None:
        return None
    issue = inst.store.get(raw) if isinstance(raw, str) else None
    if issue is None:
        raise FieldError(f"The issue {raw} does not exist.")
    if issue.issue_type != "Epic":
        raise FieldError(f"The issue {issue.key} is not an Epic.")
    return issue.key


CONVERTERS: dict[str, Callable[[Instance, Any], Any]] = {
    "summary": summary,
    "description": text,
    "labels": labels,
    "duedate": duedate,
    "assignee": assignee,
    "reporter": reporter,
    "parent": parent,
    TEAM: short_text,
    EPIC_NAME: short_text,
    EPIC_LINK: epic_link,
}


def convert(inst: Instance, field_id: str, raw: Any) -> Any:
    """The stored value for a field a request sets; raises FieldError."""
    return CONVERTERS[field_id](inst, raw)
