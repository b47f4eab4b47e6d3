"""``export``: one row per release issue, lesson and action with its Jira state (README
"7. Reports"), as CSV a spreadsheet opens right (RFC 4180, UTF-8 with a byte-order mark, no cell that
starts a formula) or as JSON with the same names."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime

from jirasync import outward
from jirasync.model import key_order
from jirasync.reports.figures import days_overdue
from jirasync.reports.programme import ActionIssue, Item, LessonIssue, Programme

COLUMNS = ("type", "key", "release", "lesson", "action", "kind", "theme", "title", "status",
           "status_category", "resolution", "owner", "due", "created", "resolved",
           "days_overdue", "parent", "url",
           # appended after SPEC §6's fixed columns: owners' answers (docs/answers.md)
           "extensions", "blocked")
# OWASP CSV injection: a cell starting with one of these is read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Row = dict[str, str | int | None]       # a column of COLUMNS -> its value


def rows(programme: Programme, *, today: date, releases: Sequence[str] = ()) -> list[Row]:
    """The rows, releases first (in live-date order), then lessons and actions in key
    order; only ``releases`` (ids) when given."""
    def chosen(item: Item) -> bool:
        return not releases or item.release in releases
    out = [_row(r, "release", today) for r in programme.releases if chosen(r)]
    items = [i for i in (*programme.lessons, *programme.actions) if chosen(i)]
    for item in sorted(items, key=lambda i: key_order(i.key)):
        out.append(_row(item, "lesson" if isinstance(item, LessonIssue) else "action", today))
    return out


def _row(item: Item, kind: str, today: date) -> Row:
    lesson = item if isinstance(item, LessonIssue) else None
    action = item if isinstance(item, ActionIssue) else None
    late = days_overdue(action, today) if action else None
    return {"type": kind, "key": item.key, "release": item.release or "",
            "lesson": (lesson.lesson if lesson else action.lesson if action else None) or "",
            "action": (action.action if action else None) or "",
            "kind": _kind(lesson.kind if lesson else None),
            "theme": (lesson.theme if lesson else None) or "", "title": item.title,
            "status": item.status, "status_category": item.status_category,
            "resolution": item.resolution or "",
            "owner": action.owner.name if action and action.owner else "",
            "due": _iso(action.due if action else None), "created": _iso(item.created),
            "resolved": _iso(item.resolved), "days_overdue": late,
            "parent": item.parent or "", "url": item.url,
            "extensions": item.answered.extensions if isinstance(item, ActionIssue) else "",
            "blocked": "yes" if isinstance(item, ActionIssue) and item.answered.blocked
            else ""}


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading formula character gets a ``'``."""
    text = "" if value is None else outward.file_text(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(table: Sequence[Row]) -> bytes:
    """RFC 4180 (CRLF, quotes doubled), UTF-8 with a byte-order mark."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow([safe_cell(row[c]) for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(table: Sequence[Row], *, project: str, exported_at: datetime) -> bytes:
    doc = {"project": project, "exported_at": exported_at.isoformat(timespec="seconds"),
           "rows": [{c: row[c] for c in COLUMNS} for row in table]}
    doc = outward.data(doc, clean=outward.file_text)
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _kind(kind: str | None) -> str:
    """keep, improve or empty (SPEC §6): a template lesson not reviewed has no kind yet."""
    return kind if kind in ("keep", "improve") else ""
