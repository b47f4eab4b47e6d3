"""What a person does in the Jira UI, for setting up tests without HTTP.

The same validation as the REST API applies (a person cannot save a label with a space
either), except that the UI fills Data Center's Epic Name from the summary and the
screen requirements added with ``require_field`` are taken as filled in.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from .api_activity import add_comment_to
from .catalog import EPIC_LINK, EPIC_NAME, status
from .instance import Instance
from .model import Issue
from .replies import ApiError
from .writes import moved, plan_create, plan_edit

TIMESTAMPS = ("created", "updated", "resolutiondate")


class SandboxError(ValueError):
    """A test helper was asked for something Jira would refuse."""


def create_issue(inst: Instance, issue_type: str, summary: str, *, parent: str | None,
                 labels: Any, assignee: str | None, duedate: date | str | None,
                 description: str, properties: dict[str, Any] | None, reporter: str | None,
                 fields: dict[str, Any] | None) -> str:
    itype = inst.catalog.issue_type(name=issue_type)
    if itype is None:
        raise SandboxError(f"no issue type {issue_type!r} in the sandbox")
    values: dict[str, Any] = {"project": {"key": inst.project_key},
                              "issuetype": {"id": itype.id}, "summary": summary,
                              "labels": list(labels), "description": description or None}
    if parent is not None:
        fid = _parent_field(inst, itype.name)
        values[fid] = _api_value(inst, fid, parent)
    if not inst.cloud and itype.name == "Epic":
        values[EPIC_NAME] = summary
    extra = {"assignee": assignee, "reporter": reporter, "duedate": duedate, **(fields or {})}
    values.update(_api_fields(inst, {k: v for k, v in extra.items() if v is not None}))
    props = [{"key": k, "value": v} for k, v in (properties or {}).items()]
    actor = inst.user_id(_user(inst, reporter)) if reporter else inst.user_id(inst.bot)
    issue = _attempt(plan_create, inst, {"fields": values, "properties": props}, actor,
                     screen_required=False)
    inst.store.add(issue)
    return issue.key


def edit(inst: Instance, key: str, changes: dict[str, Any]) -> None:
    """Set fields by id or name; ``created``/``updated``/``resolutiondate`` (datetimes)
    are set as given, which no person could do but aged test data needs."""
    issue = _issue(inst, key)
    stamps = {k: changes.pop(k) for k in TIMESTAMPS if k in changes}
    if any(v is not None and v.tzinfo is None for v in stamps.values()):
        raise SandboxError("timestamps need a timezone, e.g. datetime(..., tzinfo=UTC)")
    if "parent" in changes:
        changes[_parent_field(inst, issue.issue_type)] = changes.pop("parent")
    body = {"fields": _api_fields(inst, changes)}
    edited = _attempt(plan_edit, inst, issue, body, inst.user_id(inst.bot)) if changes else issue
    if stamps:
        edited = edited.but(**stamps)
    if edited is not issue:
        inst.store.replace(edited)


def transition(inst: Instance, key: str, status_name: str) -> None:
    issue = _issue(inst, key)
    target = status(status_name)
    if target.name != issue.status:
        inst.store.replace(moved(inst, issue, target))


def add_comment(inst: Instance, key: str, body: str, author: str | None) -> None:
    user = _user(inst, author) if author else inst.bot
    add_comment_to(inst, _issue(inst, key), body, inst.user_id(user))


def require_field(inst: Instance, issue_type: str, field_name: str) -> None:
    field = inst.catalog.field(field_name)
    itype = inst.catalog.issue_type(name=issue_type)
    if field is None or itype is None or field.id not in inst.catalog.create_screen(itype.name):
        raise SandboxError(f"{field_name!r} is not on the create screen of {issue_type!r}")
    inst.extra_required[itype.name].add(field.id)


def _parent_field(inst: Instance, issue_type: str) -> str:
    """Data Center puts a story under its epic with Epic Link, not with parent."""
    itype = inst.catalog.type_of(issue_type)
    return "parent" if inst.cloud or itype.subtask else EPIC_LINK


def _api_fields(inst: Instance, changes: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in changes.items():
        field = inst.catalog.field(name)
        if field is None:
            raise SandboxError(f"no field {name!r} in the sandbox")
        out[field.id] = _api_value(inst, field.id, value)
    return out


def _api_value(inst: Instance, fid: str, value: Any) -> Any:
    if value is None:
        return None
    if fid in ("assignee", "reporter"):
        user = _user(inst, value)
        return {"accountId": user.account_id} if inst.cloud else {"name": user.name}
    if fid == "parent":
        return {"key": value}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return sorted(value)
    return value


def _user(inst: Instance, ref: str) -> Any:
    user = inst.directory.find(ref)
    if user is None:
        raise SandboxError(f"no sandbox user {ref!r}")
    return user


def _issue(inst: Instance, key: str) -> Issue:
    issue = inst.store.get(key)
    if issue is None:
        raise KeyError(f"no issue {key} in the sandbox")
    return issue


def _attempt(plan: Callable[..., Issue], *args: Any, **kwargs: Any) -> Issue:
    try:
        return plan(*args, **kwargs)
    except ApiError as e:
        raise SandboxError(str(e)) from None
