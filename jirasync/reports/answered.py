"""What owners' answers show in the reports (docs/answers.md): blocked actions listed
first, and apart from the overdue ones (blocked, not overdue, until it moves); each
action's extensions ("extended 3×, last: waiting for partner sign-off")."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from jirasync.model import printable
from jirasync.reports.programme import ActionIssue


@dataclass(frozen=True)
class BlockedRow:
    key: str
    title: str
    owner: str | None
    due: date | None
    reason: str
    extended: str
    url: str = ""


def open_actions(actions: Iterable[ActionIssue], scope: Sequence[str] = ()) -> list[ActionIssue]:
    return [a for a in actions if not a.done and (not scope or a.release in scope)]


def blocked_rows(actions: Iterable[ActionIssue], scope: Sequence[str] = ()) -> list[BlockedRow]:
    """The open actions carrying the blocked label, in key order as read."""
    return [BlockedRow(a.key, a.title, a.owner.name if a.owner else None, a.due,
                       a.answered.blocked_reason, a.answered.extended(), a.url)
            for a in open_actions(actions, scope) if a.answered.blocked]


def extensions(actions: Iterable[ActionIssue], scope: Sequence[str] = ()) -> dict[str, str]:
    """Key -> "extended N×, last: reason", for every action of the scope extended."""
    return {a.key: a.answered.extended() for a in actions
            if a.answered.extensions and (not scope or a.release in scope)}


def with_answers(data: dict[str, Any], actions: Sequence[ActionIssue]) -> dict[str, Any]:
    """``status``'s data with the blocked actions (taken out of the overdue list) and
    each action's extensions."""
    blocked = blocked_rows(actions)
    keys = {b.key for b in blocked}
    extended = extensions(open_actions(actions))
    data["blocked"] = [{"key": b.key, "owner": b.owner, "due": b.due.isoformat()
                        if b.due else None, "reason": b.reason, "extended": b.extended,
                        "title": b.title} for b in blocked]
    data["overdue"] = [{**r, "extended": extended.get(r["key"], "")}
                       for r in data.get("overdue", []) if r["key"] not in keys]
    data["extended"] = [{"key": k, "extended": v} for k, v in extended.items()]
    return data


def blocked_lines(data: dict[str, Any], paint: Callable[[str, str], str] = lambda text, code: text,
                  bold: str = "") -> list[str]:
    """``status``'s lines for the blocked actions (first), or none."""
    rows = data.get("blocked") or []
    if not rows:
        return []
    out = [paint(f"blocked ({len(rows)}), not counted as overdue until it moves", bold)]
    for r in rows:
        extra = f"; {r['extended']}" if r["extended"] else ""
        out.append(printable(f"  {r['key']}  {r['owner'] or '(unassigned)'}  due "
                             f"{r['due'] or '?'}: {r['reason'] or 'no reason given'}{extra}"))
    return out + [""]


def extended_lines(data: dict[str, Any]) -> list[str]:
    rows = data.get("extended") or []
    if not rows:
        return []
    return ["", f"extended ({len(rows)})"] + [printable(f"  {r['key']}  {r['extended']}")
                                             for r in rows]
