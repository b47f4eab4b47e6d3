"""Reading an answer: the first line of a comment, its first words matched in any case
against the config's words (``answers.words``)."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Said:
    """What a comment's first line says: ``kind`` done/extend/blocked/not_needed, the
    ``text`` after the words (a note or a reason), the new date of an ``extend``, and
    ``problem``, why it cannot be applied as written (None: it can)."""

    kind: str
    text: str = ""
    to: date | None = None
    problem: str | None = None
    line: str = ""


def first_line(body: str) -> str:
    return next((line.strip() for line in body.splitlines() if line.strip()), "")


def read(body: str, words: Mapping[str, tuple[str, ...]]) -> Said | None:
    """The answer ``body`` gives, or None when its first line starts with no answer's
    words (an ordinary comment: left alone)."""
    line = first_line(body)
    low = line.lower().replace("\u2019", "'")
    found = sorted(((w, kind) for kind, ws in words.items() for w in ws),
                   key=lambda x: -len(x[0]))
    for word, kind in found:
        if low.startswith(word) and (len(low) == len(word) or not low[len(word)].isalnum()):
            rest = line[len(word):].strip()
            return _said(kind, rest, line)
    return None


PAIRS = {"(": ")", "[": "]"}


def _unbracketed(note: str) -> str:
    """The note without one pair of brackets the author typed around it: the reply and
    the report put their own brackets round it, and ``done (sent)`` must not read
    ``done ((sent))``. Brackets inside the note, like ``(a) and (b)``, stay."""
    close = PAIRS.get(note[:1])
    if close is None or not note.endswith(close) or len(note) < 2:
        return note
    inner = note[1:-1]
    depth = 0
    for ch in inner:      # "(a) and (b)": the first "(" closes early, not round the note
        depth += (ch == note[0]) - (ch == close)
        if depth < 0:
            return note
    return inner.strip()


def _said(kind: str, rest: str, line: str) -> Said:
    if kind == "done":
        return Said(kind, _unbracketed(rest.lstrip(":-–— ,.").strip()), line=line)
    if kind == "extend":
        return _extend(rest, line)
    reason = rest.lstrip(":-–— ").strip()
    if not reason:
        return Said(kind, problem="give the reason after a colon", line=line)
    return Said(kind, reason, line=line)


def _extend(rest: str, line: str) -> Said:
    head, _, reason = rest.partition(":")
    token = head.strip()
    if not DATE.fullmatch(token):
        return Said("extend", reason.strip(), problem=f"'{token or '(nothing)'}' is not a "
                    "date I can read; write the new date as YYYY-MM-DD", line=line)
    try:
        to = date.fromisoformat(token)
    except ValueError:
        return Said("extend", reason.strip(), problem=f"'{token}' is not a date in the "
                    "calendar", line=line)
    if not reason.strip():
        return Said("extend", "", to, problem="give the reason after a colon", line=line)
    return Said("extend", reason.strip(), to, line=line)
