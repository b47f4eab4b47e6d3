"""Saving a sandbox's issues to a JSON file and reading them back, so that
``jirasync sandbox --data DIR`` keeps what a user practised with between restarts.

JSON rather than pickle: the file is a user's to read, and loading it runs no code.
Keys, ids and comment ids carry on from where they stopped, as a real Jira's would.
"""
from __future__ import annotations

import json
import os
from dataclasses import fields
from datetime import date, datetime
from itertools import count
from pathlib import Path
from typing import Any

from .instance import Instance
from .model import Comment, Issue
from .store import FIRST_ID

VERSION = 1
DATES = {"created", "updated", "resolutiondate"}


class SavedSandboxError(ValueError):
    """The saved file cannot be read back (damaged, or another version's)."""


def save(inst: Instance, path: Path) -> None:
    """Write every issue and counter of ``inst`` atomically, readable by the owner only."""
    store = inst.store
    data = {"version": VERSION, "flavour": inst.flavour, "project": inst.project_key,
            "numbers": dict(store._numbers), "next_id": store._next_id,
            "issues": [_issue_json(i) for i in sorted(store.issues(), key=lambda i: i.id)],
            "notifications": inst.notifications, "wiki": inst.wiki.to_json()}
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, default=str, ensure_ascii=False)
    os.replace(tmp, path)


def load(inst: Instance, path: Path) -> int:
    """Put the issues saved in ``path`` into the empty ``inst``; returns how many."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION or data.get("flavour") != inst.flavour:
            raise SavedSandboxError(f"{path} was saved by a {data.get('flavour')} sandbox "
                                    f"(version {data.get('version')}); use another --data "
                                    "folder or give that --flavour")
        issues = [_issue(raw) for raw in data["issues"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        if isinstance(e, SavedSandboxError):
            raise
        raise SavedSandboxError(f"{path} cannot be read back ({type(e).__name__}); "
                                "move it away to start an empty sandbox") from None
    store = inst.store
    for issue in issues:
        store.add(issue)
    store._numbers.update({k: int(v) for k, v in data["numbers"].items()})
    store._next_id = max(int(data["next_id"]), FIRST_ID)
    last_comment = max((c.id for i in issues for c in i.comments), default=FIRST_ID - 1)
    inst._comment_ids = count(last_comment + 1)
    inst.notifications.extend(data.get("notifications", []))
    inst.wiki.load(data.get("wiki", {}))
    store.catch_up()
    return len(issues)


def _issue_json(issue: Issue) -> dict[str, Any]:
    out = {f.name: getattr(issue, f.name) for f in fields(Issue)}
    out["comments"] = [{f.name: getattr(c, f.name) for f in fields(Comment)}
                       for c in issue.comments]
    out["labels"] = list(issue.labels)
    return out


def _issue(raw: dict[str, Any]) -> Issue:
    values = dict(raw)
    for name in DATES:
        if values.get(name):
            values[name] = datetime.fromisoformat(values[name])
    if values.get("duedate"):
        values["duedate"] = date.fromisoformat(values["duedate"])
    values["labels"] = tuple(values.get("labels", ()))
    values["comments"] = tuple(
        Comment(c["id"], c["author"], c["body"], datetime.fromisoformat(c["created"]),
                datetime.fromisoformat(c["updated"])) for c in values.get("comments", ()))
    return Issue(**values)
