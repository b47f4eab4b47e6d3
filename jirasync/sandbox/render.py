"""Issues, comments and their parts as Jira's REST API v2 shows them.

Times inside issue ``fields`` use Jira's own ``+0000`` offsets (the contract leaves
fields untyped); properties the contract types as ``date-time`` (comment times, server
time) use RFC 3339 offsets, which is what that format requires.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .catalog import CATEGORIES, LINK_TYPES, RESOLUTION_DONE, RESOLUTIONS, IssueTypeDef, status
from .model import Comment, Issue

if TYPE_CHECKING:
    from .instance import Instance

EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"


def jira_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}" \
        + value.strftime("%z")


def rfc3339(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds")


def select_fields(inst: Instance, values: list[str], default: str) -> tuple[str, ...]:
    """Field ids a ``fields`` parameter asks for: ids, ``*all``, ``*navigable``, ``-id``."""
    tokens = [t.strip() for v in values for t in v.split(",") if t.strip()] or [default]
    known = [f.id for f in inst.catalog.fields]
    navigable = [f.id for f in inst.catalog.fields if f.navigable]
    chosen: list[str] = []
    for token in tokens:
        if token == "*all":
            chosen += known
        elif token == "*navigable":
            chosen += navigable
        elif token in known:
            chosen.append(token)
    excluded = {t[1:] for t in tokens if t.startswith("-")}
    return tuple(dict.fromkeys(f for f in chosen if f not in excluded))


class Renderer:
    """Turns stored issues into the JSON the API answers with."""

    def __init__(self, inst: Instance):
        self.inst = inst

    def issue(self, issue: Issue, fields: tuple[str, ...], properties: tuple[str, ...] = (),
              ) -> dict[str, Any]:
        body: dict[str, Any] = {"expand": EXPAND, "id": str(issue.id),
                                "self": self.inst.url(f"issue/{issue.id}"), "key": issue.key}
        if fields:
            body["fields"] = {f: self.field(issue, f) for f in fields}
        if properties:
            keys = tuple(issue.properties) if "*all" in properties else properties
            body["properties"] = {k: issue.properties[k] for k in keys if k in issue.properties}
        return body

    def field(self, issue: Issue, fid: str) -> Any:
        special = getattr(self, f"_f_{fid}", None)
        if special is not None:
            return special(issue)
        if fid.startswith("customfield_"):
            return issue.custom.get(fid)
        if fid in ("assignee", "reporter", "creator"):
            return self.user(getattr(issue, fid))
        if fid in ("created", "updated", "resolutiondate"):
            return jira_time(getattr(issue, fid))
        return getattr(issue, fid)

    def user(self, user_id: str | None) -> dict[str, Any] | None:
        user = self.inst.directory.get(user_id)
        return None if user is None else self.inst.directory.details_json(user, self.inst.base_url)

    def issue_type(self, itype: IssueTypeDef) -> dict[str, Any]:
        """IssueTypeDetails (no description: the contract's schema has none)."""
        body = {"self": self.inst.url(f"issuetype/{itype.id}"), "id": itype.id,
                "iconUrl": f"{self.inst.base_url}/images/icons/issuetypes/{itype.id}.svg",
                "name": itype.name, "subtask": itype.subtask, "avatarId": int(itype.id)}
        if self.inst.cloud:
            body["hierarchyLevel"] = itype.level
        return body

    def status(self, name: str) -> dict[str, Any]:
        s = status(name)
        cat_id, cat_name, colour = CATEGORIES[s.category]
        return {"self": self.inst.url(f"status/{s.id}"), "description": "", "name": s.name,
                "iconUrl": f"{self.inst.base_url}/images/icons/status_generic.gif", "id": s.id,
                "statusCategory": {"self": self.inst.url(f"statuscategory/{cat_id}"),
                                   "id": cat_id, "key": s.category, "colorName": colour,
                                   "name": cat_name}}

    def comment(self, issue: Issue, comment: Comment) -> dict[str, Any]:
        author = self.user(comment.author)
        body: dict[str, Any] = {"self": self.inst.url(f"issue/{issue.id}/comment/{comment.id}"),
                "id": str(comment.id), "body": comment.body,
                "created": rfc3339(comment.created), "updated": rfc3339(comment.updated)}
        if author is not None:
            body.update(author=author, updateAuthor=author)
        return body

    def comments_page(self, issue: Issue, comments: list[Comment], start: int, size: int) -> dict[str, Any]:
        return {"comments": [self.comment(issue, c) for c in comments[start:start + size]],
                "maxResults": size, "total": len(comments), "startAt": start}

    def ref(self, issue: Issue) -> dict[str, Any]:
        """An issue as another issue's parent, sub-task or link shows it."""
        itype = self.inst.catalog.type_of(issue.issue_type)
        return {"id": str(issue.id), "key": issue.key, "self": self.inst.url(f"issue/{issue.id}"),
                "fields": {"summary": issue.summary, "status": self.status(issue.status),
                           "issuetype": self.issue_type(itype)}}

    def _f_issuetype(self, issue: Issue) -> dict[str, Any]:
        return self.issue_type(self.inst.catalog.type_of(issue.issue_type))

    def _f_project(self, issue: Issue) -> dict[str, Any]:
        return {"self": self.inst.url(f"project/{self.inst.project_key}"), "id": "10000",
                "key": issue.project, "name": self.inst.project_name,
                "projectTypeKey": "software", "simplified": False}

    def _f_status(self, issue: Issue) -> dict[str, Any]:
        return self.status(issue.status)

    def _f_resolution(self, issue: Issue) -> dict[str, Any] | None:
        if issue.resolution is None:
            return None
        found = next((r for r in RESOLUTIONS if r["name"] == issue.resolution), RESOLUTION_DONE)
        return {"self": self.inst.url(f"resolution/{found['id']}"), **found}

    def _f_duedate(self, issue: Issue) -> str | None:
        return None if issue.duedate is None else issue.duedate.isoformat()

    def _f_labels(self, issue: Issue) -> list[str]:
        return list(issue.labels)

    def _f_parent(self, issue: Issue) -> dict[str, Any] | None:
        parent = self.inst.store.get(issue.parent) if issue.parent else None
        return None if parent is None else self.ref(parent)

    def _f_subtasks(self, issue: Issue) -> list[dict[str, Any]]:
        return [self.ref(c) for c in self.inst.store.children(issue.key)
                if self.inst.catalog.type_of(c.issue_type).subtask]

    def _f_comment(self, issue: Issue) -> dict[str, Any]:
        comments = list(issue.comments)
        return self.comments_page(issue, comments, 0, max(len(comments), 1))

    def _f_issuelinks(self, issue: Issue) -> list[dict[str, Any]]:
        links = []
        for link in self.inst.store.links(issue.key):
            type_id, name, inward, outward = next(t for t in LINK_TYPES if t[0] == link.type_id)
            other, side = ((link.outward, "outwardIssue") if link.inward == issue.key
                           else (link.inward, "inwardIssue"))
            links.append({"id": str(link.id), "self": self.inst.url(f"issueLink/{link.id}"),
                          "type": {"id": type_id, "name": name, "inward": inward,
                                   "outward": outward,
                                   "self": self.inst.url(f"issueLinkType/{type_id}")},
                          side: self.ref(self.inst.store.known(other))})
        return links
