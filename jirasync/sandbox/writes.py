"""Creating and editing issues: everything is validated first, then applied at once.

A request either changes nothing (400 with every problem found) or makes one new issue
version holding all its changes: fields, ``update`` operations, comments and properties.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import fields as F
from .catalog import IssueTypeDef, StatusDef
from .instance import PROJECT_ID
from .model import Comment, Issue
from .replies import NOT_ON_SCREEN, bad_request, invalid_payload

if TYPE_CHECKING:
    from .instance import Instance

PLAIN = ("summary", "description", "labels", "duedate", "assignee", "reporter", "parent")
MAX_PROPERTY = 32768
NO_PARENT = "Issue type is a sub-task but parent issue key or id not specified."
BAD_HIERARCHY = "Given parent work item does not belong to appropriate hierarchy."


def plan_create(inst: Instance, body: Any, actor: str | None, *, screen_required: bool = True) -> Issue:
    """The issue a create request describes (not yet stored), or ApiError 400."""
    body = _object(body)
    fields = _object(body.get("fields"))
    itype = _issue_type(inst, fields)
    screen = inst.catalog.create_screen(itype.name)
    draft: dict[str, Any] = {f: None for f in PLAIN} | {"labels": (), "reporter": actor}
    errors: dict[str, str] = {}
    _set_fields(inst, draft, {k: v for k, v in fields.items()
                              if k not in ("project", "issuetype")}, screen, errors)
    bodies = _apply_updates(inst, draft, body.get("update"), screen, errors)
    props = plan_properties(body.get("properties"), errors)
    required = inst.required(itype.name) if screen_required else inst.catalog.required[itype.name]
    _check_required(inst, draft, required, errors)
    _check_parent(inst, itype, draft, None, errors)
    if errors:
        raise bad_request(errors=errors)
    issue_id, key = inst.store.allocate(inst.project_key)
    now = inst.now()
    issue = Issue(issue_id, key, inst.project_key, itype.name, draft["summary"], now, now,
                  creator=actor, properties=props, comments=_comments(inst, bodies, actor))
    return _with_draft(issue, draft)


def plan_edit(inst: Instance, issue: Issue, body: Any, actor: str | None) -> Issue:
    """The new version of ``issue`` an edit request describes, or ApiError 400."""
    body = _object(body)
    fields = _object(body.get("fields", {}))
    update = body.get("update", {})
    screen = inst.catalog.edit_screen(issue.issue_type)
    draft = _draft_of(issue)
    errors = {f: f"Field '{f}' cannot be set and updated in the same request."
              for f in set(fields) & set(update if isinstance(update, dict) else {})}
    _set_fields(inst, draft, fields, screen, errors)
    bodies = _apply_updates(inst, draft, update, screen, errors)
    props = plan_properties(body.get("properties"), errors)
    touched = set(fields) | set(update if isinstance(update, dict) else {})
    required = [f for f in inst.catalog.required[issue.issue_type] if f in touched]
    _check_required(inst, draft, required, errors)
    _check_parent(inst, inst.catalog.type_of(issue.issue_type), draft, issue, errors)
    if errors:
        raise bad_request(errors=errors)
    changed = bool(bodies) or _draft_of(issue) != _draft_of(_with_draft(issue, draft))
    if not changed and not props:
        return issue
    # Like Jira, a change of properties alone leaves the issue's updated time alone.
    edited = _with_draft(issue, draft).but(properties={**issue.properties, **props},
                                           comments=issue.comments + _comments(inst, bodies, actor))
    return edited.but(updated=inst.now()) if changed else edited


def plan_comments(inst: Instance, update: Any, actor: str | None,
                  errors: dict[str, Any]) -> tuple[Comment, ...]:
    """The comments an ``update`` that may only add comments asks for (transitions)."""
    return _comments(inst, _apply_updates(inst, {}, update, (), errors), actor)


def moved(inst: Instance, issue: Issue, target: StatusDef, resolution: str = "Done") -> Issue:
    """``issue`` in status ``target``; Done resolves it, leaving Done unresolves it."""
    now = inst.now()
    done = target.category == "done"
    return issue.but(status=target.name, resolution=resolution if done else None,
                     resolutiondate=now if done else None, updated=now)


def property_error(key: Any, value: Any) -> str | None:
    """Why Jira would refuse this issue property, or None."""
    if not isinstance(key, str) or not 0 < len(key) <= 255:
        return "The property key must be between 1 and 255 characters long."
    if len(json.dumps(value)) > MAX_PROPERTY:
        return f"The property value must not exceed {MAX_PROPERTY} characters."
    return None


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid_payload()
    return value


def _issue_type(inst: Instance, fields: dict[str, Any]) -> IssueTypeDef:
    project = fields.get("project")
    errors = {}
    if not isinstance(project, dict) or (project.get("id") != PROJECT_ID
                                         and project.get("key") != inst.project_key):
        errors["project"] = "Specify a valid project ID or key"
    ref = fields.get("issuetype")
    itype = None
    if isinstance(ref, dict):
        itype = inst.catalog.issue_type(id=ref.get("id"), name=ref.get("name"))
    if itype is None:
        errors["issuetype"] = "Specify a valid issue type"
    if errors:
        raise bad_request(errors=errors)
    assert itype is not None            # else errors named it
    return itype


def _set_fields(inst: Instance, draft: dict[str, Any], fields: dict[str, Any], screen: tuple[str, ...],
                errors: dict[str, Any]) -> None:
    for fid, raw in fields.items():
        if fid not in screen:
            errors[fid] = NOT_ON_SCREEN.format(fid)
            continue
        try:
            draft[fid] = F.convert(inst, fid, raw)
        except F.FieldError as e:
            errors[fid] = str(e)


def _apply_updates(inst: Instance, draft: dict[str, Any], update: Any, screen: tuple[str, ...],
                   errors: dict[str, Any]) -> list[str]:
    """Apply ``update`` operations to ``draft``; return the bodies of comments to add."""
    if update is None:
        return []
    comments: list[str] = []
    for fid, ops in _object(update).items():
        if fid != "comment" and fid not in screen:
            errors[fid] = NOT_ON_SCREEN.format(fid)
            continue
        try:
            for verb, value in _operations(ops):
                if fid == "comment":
                    comments.append(_comment_body(verb, value))
                else:
                    draft[fid] = _apply(inst, fid, verb, value, draft[fid])
        except F.FieldError as e:
            errors[fid] = str(e)
    return comments


def _operations(ops: Any) -> list[tuple[str, Any]]:
    if not isinstance(ops, list) or not all(isinstance(op, dict) and len(op) == 1
                                            for op in ops):
        raise F.FieldError("Each update operation must be an object with one operation.")
    return [next(iter(op.items())) for op in ops]


def _apply(inst: Instance, fid: str, verb: str, value: Any, current: Any) -> Any:
    if fid == "labels" and verb == "add":
        return F.tidy_labels((*current, F.label(value)))
    if fid == "labels" and verb == "remove":
        return tuple(x for x in current if x != value)
    if verb == "set":
        return F.convert(inst, fid, value)
    raise F.FieldError(f"Field '{fid}' does not support operation '{verb}'.")


def _comment_body(verb: str, value: Any) -> str:
    if verb != "add":
        raise F.FieldError(f"Field 'comment' does not support operation '{verb}' here.")
    body = value.get("body") if isinstance(value, dict) else None
    if not isinstance(body, str) or not body.strip():
        raise F.FieldError("Comment body can not be empty!")
    return body


def plan_properties(raw: Any, errors: dict[str, Any]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, list) or not all(isinstance(p, dict) and "key" in p for p in raw):
        errors["properties"] = "Properties must be a list of objects with a key and a value."
        return {}
    for prop in raw:
        if problem := property_error(prop["key"], prop.get("value")):
            errors["properties"] = problem
    return {p["key"]: p.get("value") for p in raw}


def _check_required(inst: Instance, draft: dict[str, Any], required: Any, errors: dict[str, Any]) -> None:
    for fid in required:
        if fid in errors or draft.get(fid) not in (None, "", ()):
            continue
        if fid == "summary":
            errors[fid] = "You must specify a summary of the issue."
        elif fid == "parent":
            errors[fid] = NO_PARENT
        else:
            errors[fid] = f"{inst.catalog.known_field(fid).name} is required."


def _check_parent(inst: Instance, itype: IssueTypeDef, draft: dict[str, Any], issue: Issue | None,
                  errors: dict[str, Any]) -> None:
    key = draft.get("parent")
    if key is None or "parent" in errors:
        return
    parent = inst.store.known(key)      # fields.parent found it
    parent_type = inst.catalog.type_of(parent.issue_type)
    if issue is not None and parent.key == issue.key:
        errors["parent"] = "An issue cannot be its own parent."
    elif itype.subtask and parent_type.subtask:
        errors["parent"] = "The parent of a sub-task cannot itself be a sub-task."
    elif not itype.subtask and parent_type.level != itype.level + 1:
        errors["parent"] = BAD_HIERARCHY


def _draft_of(issue: Issue) -> dict[str, Any]:
    return {f: getattr(issue, f) for f in PLAIN} | issue.custom


def _with_draft(issue: Issue, draft: dict[str, Any]) -> Issue:
    custom = {k: v for k, v in draft.items() if k.startswith("customfield_") and v is not None}
    return issue.but(custom=custom, **{f: draft[f] for f in PLAIN})


def _comments(inst: Instance, bodies: list[str], actor: str | None) -> tuple[Comment, ...]:
    now = inst.now()
    return tuple(Comment(inst.next_comment_id(), actor, b, now, now) for b in bodies)
