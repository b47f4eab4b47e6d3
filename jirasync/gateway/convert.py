"""Jira JSON <-> the gateway's dataclasses, for both flavours. Pure functions; answers
are read through ``reading.Answer``, so a shape they do not expect is an UnexpectedAnswer."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from jirasync.gateway.failures import error_text
from jirasync.gateway.reading import Answer
from jirasync.gateway.types import CreateResult, JiraIssue, NewIssue, User

# Every field JiraIssue is built from; a search always asks for these.
ISSUE_FIELDS = ("summary", "description", "issuetype", "labels", "parent", "assignee",
                "duedate", "status", "resolution", "resolutiondate", "created", "updated")
# Field ids that need no /field lookup.
SYSTEM_FIELDS = frozenset(ISSUE_FIELDS) | {
    "project", "reporter", "priority", "components", "fixVersions", "versions",
    "environment", "security", "timetracking"}
# Names the dataclasses use for Jira fields.
ALIASES = {"due": "duedate"}


def user_from_json(user: Answer, flavour: str) -> User:
    """A user as Jira describes one: Cloud names it by accountId, Data Center by username
    (an old account may have only its key)."""
    user_id = user.text("accountId", required=True) if flavour == "cloud" \
        else user.text("name") or user.text("key")
    if not user_id:
        raise user.lacks("name")
    return User(id=user_id, display_name=user.text("displayName") or user_id,
                email=user.text("emailAddress") or None)


def user_ref(user_id: str, flavour: str) -> dict[str, str]:
    """How a user is named in a request body: Cloud by accountId, Data Center by username."""
    return {"accountId": user_id} if flavour == "cloud" else {"name": user_id}


def field_value(value: Any) -> Any:
    """A Python value as Jira's JSON wants it (dates as ISO, tuples as lists)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    return value


def _name(value: Answer | None) -> str | None:
    return value.text("name") if value else None


def _parent_key(fields: Answer, epic_link: str | None) -> str | None:
    parent = fields.obj("parent")
    key = parent.text("key") if parent else None
    return key or (fields.text(epic_link) if epic_link else None) or None


def _parent_summary(fields: Answer) -> str | None:
    """The parent's title, as the search already returns it (the lesson an action is of)."""
    parent = fields.obj("parent")
    inner = parent.obj("fields") if parent else None
    return inner.text("summary") if inner else None


def _one(text: Any) -> Any:
    """One copy of a text that recurs across thousands of issues (a label, a status, an
    owner): a 50,000-issue search holds each once, not once an issue."""
    return sys.intern(text) if isinstance(text, str) else text


def issue_from_json(issue: Answer, *, flavour: str, epic_link: str | None = None,
                    extra: Mapping[str, str] | None = None,
                    properties: Mapping[str, Any] | None = None) -> JiraIssue:
    """A search result or an issue read by key as a JiraIssue. ``extra`` maps requested
    names to their field ids; ``properties``, when given, stand for the issue's own
    (Data Center's search returns none)."""
    fields = issue.section("fields")
    assignee = fields.obj("assignee")
    owner = user_from_json(assignee, flavour) if assignee else None
    status = fields.obj("status")
    category = status.obj("statusCategory") if status else None
    created, resolved = fields.time("created"), fields.time("resolutiondate")
    return JiraIssue(
        key=issue.text("key", required=True), id=issue.ident("id", required=True),
        issue_type=_one(_name(fields.obj("issuetype")) or ""),
        summary=fields.text("summary") or "",
        description=fields.text("description") or "",
        labels=tuple(map(_one, fields.texts("labels"))),
        parent=_one(_parent_key(fields, epic_link)),
        parent_summary=_parent_summary(fields),
        assignee=_one(owner.id) if owner else None,
        assignee_name=_one(owner.display_name) if owner else None,
        due=fields.day("duedate"),
        status=_one(_name(status) or ""),
        resolution=_one(_name(fields.obj("resolution"))),
        resolved=resolved.date() if resolved else None,
        created=created.date() if created else None,
        updated=fields.time("updated"),
        properties=dict(properties) if properties is not None else issue.mapping("properties"),
        extra={name: fields.get(fid) for name, fid in (extra or {}).items()},
        status_category=_one((category.text("key") if category else None) or ""),
        created_at=created,
        resolved_at=resolved,
    )


def new_issue_entry(new: NewIssue, *, project: str, issue_type: Mapping[str, Any],
                    flavour: str, field_id: Callable[[str], str]) -> dict[str, Any]:
    """One element of a bulk create. ``issue_type`` is the project's type (id, name, subtask)."""
    fields: dict[str, Any] = {"project": {"key": project},
                              "issuetype": {"id": str(issue_type["id"])},
                              "summary": new.summary}
    if new.description:
        fields["description"] = new.description
    if new.labels:
        fields["labels"] = list(new.labels)
    if new.assignee:
        fields["assignee"] = user_ref(new.assignee, flavour)
    if new.due:
        fields["duedate"] = new.due.isoformat()
    if new.parent:
        if issue_type.get("subtask") or flavour == "cloud":
            fields["parent"] = {"key": new.parent}
        else:  # Data Center links a story to its epic through Jira Software's custom field
            fields[field_id("Epic Link")] = new.parent
    if flavour == "datacenter" and _is_epic(new, issue_type):
        # Jira Software on Data Center refuses an Epic without its Epic Name.
        fields[field_id("Epic Name")] = new.epic_name or new.summary
    for name, value in new.fields.items():
        fields[field_id(name)] = field_value(value)
    entry: dict[str, Any] = {"fields": fields}
    if new.properties:
        entry["properties"] = [{"key": k, "value": v} for k, v in new.properties.items()]
    return entry


def _is_epic(new: NewIssue, issue_type: Mapping[str, Any]) -> bool:
    return new.epic_name is not None or str(issue_type.get("name", "")).casefold() == "epic"


def bulk_results(body: Answer, *, start: int, count: int) -> list[CreateResult]:
    """Results in input order from a bulk create's answer.

    Jira lists the created issues in request order, skipping the failed elements, which
    it reports separately by ``failedElementNumber`` (0-based within the request).
    """
    failed = {}
    for err in body.objects("errors"):
        number = err.number("failedElementNumber", required=True)
        detail = error_text(err.get("elementErrors"))
        failed[number] = detail or f"failed ({err.get('status')})"
    created = iter(body.objects("issues", required=True))
    results = []
    for i in range(count):
        if i in failed:
            results.append(CreateResult(index=start + i, error=failed[i]))
            continue
        issue = next(created, None)
        if issue is None:
            results.append(CreateResult(index=start + i,
                                        error="Jira reported neither a key nor an error"))
        else:
            results.append(CreateResult(index=start + i, key=issue.text("key", required=True),
                                        id=issue.ident("id", required=True)))
    return results


def edit_body(fields: Mapping[str, Any], *, add_labels: Iterable[str],
              remove_labels: Iterable[str], comment: str | None,
              properties: Mapping[str, Any] | None, flavour: str,
              field_id: Callable[[str], str]) -> dict[str, Any]:
    """The body of one PUT /issue/{key}; empty when there is nothing to change."""
    body: dict[str, Any] = {}
    if fields:
        body["fields"] = {_field_key(n, field_id): _edit_value(n, v, flavour)
                          for n, v in fields.items()}
    ops = [{"add": label} for label in add_labels]
    ops += [{"remove": label} for label in remove_labels]
    update: dict[str, Any] = {"labels": ops} if ops else {}
    if update and "labels" in body.get("fields", {}):
        # Jira refuses a field that is both set and updated in one request.
        raise ValueError("edit_issue: give labels either in fields or as add/remove")
    if comment:
        update["comment"] = [{"add": {"body": comment}}]
    if update:
        body["update"] = update
    if properties:
        body["properties"] = [{"key": k, "value": v} for k, v in properties.items()]
    return body


def _field_key(name: str, field_id: Callable[[str], str]) -> str:
    name = ALIASES.get(name, name)
    if name in SYSTEM_FIELDS or name.startswith("customfield_"):
        return name
    return field_id(name)


def _edit_value(name: str, value: Any, flavour: str) -> Any:
    if name == "assignee" and isinstance(value, str):
        return user_ref(value, flavour)
    if name == "parent" and isinstance(value, str):
        return {"key": value}
    return field_value(value)
