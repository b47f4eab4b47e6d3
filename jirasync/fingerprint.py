"""The fields jirasync owns of an issue, and how it compares them with what it last wrote
(``records.Memory``, kept on the issue itself in property ``jirasync``): sync plans by it,
and the reports and sync infer an identity by it (``infer.py``).

Text is kept as a fingerprint of its normalised form: the property stays small (Jira
allows 32,768 characters) and line-ending or trailing-space changes Jira makes never
count as edits.
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

FIELDS = ("summary", "description", "assignee", "due")


def normalise(text: str | None) -> str:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


class Digest(str):
    """A text known by its fingerprint alone (the state folder keeps no more of a text
    that is what jirasync last wrote: see seen_file); ``fingerprint`` gives it back."""

    __slots__ = ()


def fingerprint(name: str, value: Any) -> str:
    """A short, stable stand-in for a field value as jirasync compares it."""
    if name in ("summary", "description"):
        if isinstance(value, Digest):
            return str(value)
        return hashlib.sha256(normalise(value).encode()).hexdigest()[:16]
    if isinstance(value, date):
        return value.isoformat()
    return value or ""
