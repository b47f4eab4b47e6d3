"""Jira JSON <-> the gateway's dataclasses, for both flavours. Pure functions."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from jirasync.gateway.failures import error_text
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


def user_from_json(data: Mapping[str, Any], flavour: str) -> User:
    user_id = data.get("accountId") if flavour == "cloud" else data.get("name")
    return User(id=str(user_id or data.get("key") or ""),
                display_name=data.get("displayName") or str(user_id or ""),
                email=data.get("emailAddress") or None)


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


def _date(value: Any) -> date | None:
    stamp = _datetime(value)
    return stamp.date() if stamp else None


def _datetime(value: Any) -> datetime | None:
    if not value:
        return None
    # Jira writes "2026-01-05T10:00:00.000+0000" (fromisoformat reads it since 3.11)
    # for date-times and "2026-12-01" for date fields.
    return datetime.fromisoformat(str(value))


def _name(value: Any) -> str | None:
    return value.get("name") if isinstance(value, Mapping) else None


def _parent_key(fields: Mapping[str, Any], epic_link: str | None) -> str | None:
    parent = fields.get("parent")
    if isinstance(parent, Mapping) and parent.get("key"):
        return str(parent["key"])
    link = fields.get(epic_link) if epic_link else None
    return link if isinstance(link, str) and link else None


def _parent_summary(fields: Mapping[str, Any]) -> str | None:
    parent = fields.get("parent")
    inner = parent.get("fields") if isinstance(parent, Mapping) else None
    summary = inner.get("summary") if isinstance(inner, Mapping) else None
    return summary if isinstance(summary, str) else None


def issue_from_json(data: Mapping[str, Any], *, flavour: str, epic_link: str | None = None,
                    extra: Mapping[str, str] | None = None) -> JiraIssue:
    """A search result as a JiraIssue. ``extra`` maps requested names to their field ids."""
    fields = data.get("fields") or {}
    owner = user_from_json(fields["assignee"], flavour) if fields.get("assignee") else None
    due = fields.get("duedate")
    return JiraIssue(
        key=data["key"], id=str(data["id"]),
        issue_type=_name(fields.get("issuetype")) or "",
        summary=fields.get("summary") or "",
        description=fields.get("description") or "",
        labels=tuple(fields.get("labels") or ()),
        parent=_parent_key(fields, epic_link),
        parent_summary=_parent_summary(fields),
        assignee=owner.id if owner else None,
        assignee_name=owner.display_name if owner else None,
        due=date.fromisoformat(due) if due else None,
        status=_name(fields.get("status")) or "",
        resolution=_name(fields.get("resolution")),
        resolved=_date(fields.get("resolutiondate")),
        created=_date(fields.get("created")),
        updated=_datetime(fields.get("updated")),
        properties=dict(data.get("properties") or {}),
        extra={name: fields.get(fid) for name, fid in (extra or {}).items()},
        status_category=_category(fields.get("status")),
        created_at=_datetime(fields.get("created")),
        resolved_at=_datetime(fields.get("resolutiondate")),
    )


def _category(status: Any) -> str:
    category = status.get("statusCategory") if isinstance(status, Mapping) else None
    return str(category.get("key") or "") if isinstance(category, Mapping) else ""


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


def bulk_results(body: Mapping[str, Any], *, start: int, count: int) -> list[CreateResult]:
    """Results in input order from a bulk create's answer.

    Jira lists the created issues in request order, skipping the failed elements, which
    it reports separately by ``failedElementNumber`` (0-based within the request).
    """
    failed = {}
    for err in body.get("errors") or ():
        detail = error_text(err.get("elementErrors") or {})
        failed[err.get("failedElementNumber")] = detail or f"failed ({err.get('status')})"
    created = iter(body.get("issues") or ())
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
            results.append(CreateResult(index=start + i, key=issue.get("key"),
                                        id=str(issue.get("id"))))
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
