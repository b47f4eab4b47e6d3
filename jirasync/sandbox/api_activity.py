"""What people do around an issue: comments, notifications, properties, links."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .catalog import LINK_TYPES
from .model import Comment
from .render import Renderer
from .replies import ApiError, Reply, bad_request, invalid_payload, not_found
from .users import UnknownUser
from .writes import property_error

if TYPE_CHECKING:
    from .instance import Instance
    from .model import Issue
    from .request import ApiRequest


def comments(inst: Instance, req: ApiRequest) -> Reply:
    issue = inst.issue(req.params["issue"])
    listed = list(issue.comments)
    if req.arg("orderBy", "created").startswith("-"):
        listed.reverse()
    start = req.int_arg("startAt", 0)
    size = req.int_arg("maxResults", 5000)
    return Reply(200, Renderer(inst).comments_page(issue, listed, start, size))


def comment(inst: Instance, req: ApiRequest) -> Reply:
    issue = inst.issue(req.params["issue"])
    found = next((c for c in issue.comments if str(c.id) == req.params["comment"]), None)
    if found is None:
        raise not_found(f"Can not find a comment for the id: {req.params['comment']}.")
    return Reply(200, Renderer(inst).comment(issue, found))


def add_comment(inst: Instance, req: ApiRequest) -> Reply:
    """v2 comment bodies are wiki-markup strings."""
    issue = inst.issue(req.params["issue"])
    body = req.json_object().get("body")
    if not isinstance(body, str) or not body.strip():
        raise bad_request(errors={"comment": "Comment body can not be empty!"})
    new = add_comment_to(inst, issue, body, req.actor)
    return Reply(201, Renderer(inst).comment(inst.store.known(issue.key), new))


def add_comment_to(inst: Instance, issue: Issue, body: str, author: str | None) -> Comment:
    now = inst.now()
    new = Comment(inst.next_comment_id(), author, body, now, now)
    inst.store.replace(issue.but(comments=issue.comments + (new,), updated=now))
    return new


def notify(inst: Instance, req: ApiRequest) -> Reply:
    """Record the e-mail Jira would send, with its recipients resolved to user ids."""
    issue = inst.issue(req.params["issue"])
    body = req.json_object()
    to = body.get("to") or {}
    named = _recipients(inst, issue, {"users": to.get("users") or []}) \
        if isinstance(to, dict) else []
    if req.actor in named:
        # The contract's 400: "the recipient is the same as the calling user".
        raise bad_request("The recipient of the notification cannot be the calling user.")
    # Reached as reporter, assignee or watcher, the caller is not mailed about its own act.
    recipients = [r for r in _recipients(inst, issue, to) if r != req.actor]
    if not recipients:
        raise bad_request("No recipients were defined for notification.")
    inst.notifications.append({
        "issue": issue.key, "subject": body.get("subject") or f"{issue.key}: {issue.summary}",
        "textBody": body.get("textBody", ""), "htmlBody": body.get("htmlBody", ""),
        "recipients": recipients})
    return Reply(204)


def _recipients(inst: Instance, issue: Issue, to: Any) -> list[str]:
    if not isinstance(to, dict):
        raise invalid_payload()
    ids: list[str | None] = []
    if to.get("reporter"):
        ids.append(issue.reporter)
    if to.get("assignee"):
        ids.append(issue.assignee)
    if to.get("watchers"):
        # Jira makes the reporter and the creator watch an issue they raise.
        ids += [issue.reporter, issue.creator]
    for ref in to.get("users") or []:
        try:
            ids.append(inst.user_id(inst.directory.from_ref(ref)))
        except UnknownUser as e:
            raise bad_request(str(e)) from None
    for group in to.get("groups") or []:
        name = group.get("name") if isinstance(group, dict) else group
        raise bad_request(f"Group '{name}' does not exist.")
    active = [i for i in ids if i and (user := inst.directory.get(i)) and user.active]
    return list(dict.fromkeys(active))


def property_keys(inst: Instance, req: ApiRequest) -> Reply:
    issue = inst.issue(req.params["issue"])
    return Reply(200, {"keys": [{"self": inst.url(f"issue/{issue.id}/properties/{k}"), "key": k}
                                for k in issue.properties]})


def get_property(inst: Instance, req: ApiRequest) -> Reply:
    issue = inst.issue(req.params["issue"])
    key = req.params["property"]
    if key not in issue.properties:
        raise not_found(f"The property with key '{key}' does not exist.")
    return Reply(200, {"key": key, "value": issue.properties[key]})


def set_property(inst: Instance, req: ApiRequest) -> Reply:
    """201 when the property is new, 200 when it replaced a value."""
    issue = inst.issue(req.params["issue"])
    key, value = req.params["property"], req.json()
    if problem := property_error(key, value):
        raise bad_request(problem)
    inst.store.replace(issue.but(properties={**issue.properties, key: value}))
    return Reply(200 if key in issue.properties else 201)


def link(inst: Instance, req: ApiRequest) -> Reply:
    body = req.json_object()
    raw = body.get("type")
    wanted: dict[str, Any] = raw if isinstance(raw, dict) else {}
    link_type = next((t for t in LINK_TYPES if t[0] == wanted.get("id")
                      or t[1].lower() == str(wanted.get("name", "")).lower()), None)
    if link_type is None:
        raise ApiError(404, f"No issue link type with name '{wanted.get('name')}' found.")
    inward, outward = (_linked(inst, body.get(side)) for side in ("inwardIssue", "outwardIssue"))
    inst.store.add_link(link_type[0], inward.key, outward.key)
    return Reply(201)


def _linked(inst: Instance, ref: Any) -> Issue:
    if not isinstance(ref, dict):
        raise invalid_payload()
    issue = inst.store.get(ref.get("key") or ref.get("id") or "")
    if issue is None:
        raise not_found(f"Issue '{ref.get('key') or ref.get('id')}' does not exist.")
    return issue
