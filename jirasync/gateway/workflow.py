"""What owners' answers ask of Jira besides edits: an issue's comments, the transitions its
workflow offers now, and one transition carrying a comment and properties.

Jira applies a transition, the comment in its ``update`` and the ``properties`` in one
request (``POST /issue/{key}/transitions``), as it does an edit: all or nothing. So an
answer applied and acknowledged together is never applied twice nor left unacknowledged.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jirasync.gateway.convert import user_from_json
from jirasync.gateway.failures import Call
from jirasync.gateway.reading import Answer
from jirasync.gateway.transport import Transport
from jirasync.gateway.types import Comment, JiraIssue, Transition
from jirasync.json_values import ToJSON

COMMENT_PAGE = 100
SEARCHED = Call("search", "reading answers", safe=True)     # a search's comment field


def comments_from(page: Answer, flavour: str) -> list[Comment]:
    """The comments of one page (``/comment`` or a search's ``comment`` field)."""
    out = []
    for c in page.objects("comments"):
        author = c.obj("author")
        user = user_from_json(author, flavour) if author is not None else None
        out.append(Comment(id=c.ident("id", required=True), author=user.id if user else None,
                           author_name=user.display_name if user else "",
                           body=c.text("body") or "", created=c.time("created")))
    return out


def comment_page(value: Any, call: Call, flavour: str) -> tuple[list[Comment], bool]:
    """A search's raw ``comment`` field: its comments, and whether Jira left some out
    (``total`` beyond the page), in which case the issue's comments are read by key."""
    if not isinstance(value, Mapping):
        return [], False
    page = Answer.of(value, call, "comment")
    comments = comments_from(page, flavour)
    total = page.number("total")
    return comments, total is not None and total > len(comments)


class Workflow:
    """The requests: reading comments, listing transitions, transitioning."""

    def __init__(self, transport: Transport, flavour: str):
        self._t, self.flavour = transport, flavour

    def comments_of(self, issue: JiraIssue) -> list[Comment]:
        """The comments a search returned in ``issue``'s ``comment`` field; every one of
        them read by key when Jira's page left some out."""
        comments, partial = comment_page(issue.extra.get("comment"), SEARCHED, self.flavour)
        return self.comments(issue.key) if partial else comments

    def comments(self, key: str) -> list[Comment]:
        """Every comment of ``key``, oldest first, page by page."""
        out: list[Comment] = []
        while True:
            call = Call("comment", f"reading the comments of {key}", safe=True, issue=key)
            page = Answer.of(self._t.json(call, "GET", f"issue/{key}/comment", params={
                "startAt": str(len(out)), "maxResults": str(COMMENT_PAGE),
                "orderBy": "created"}), call)
            got = comments_from(page, self.flavour)
            out += got
            total = page.number("total") or 0
            if not got or len(out) >= total:
                return out

    def transitions(self, key: str) -> list[Transition]:
        """The transitions Jira offers the bot on ``key`` now, with their screens' fields."""
        call = Call("transition", f"reading the transitions of {key}", safe=True, issue=key)
        data = Answer.of(self._t.json(call, "GET", f"issue/{key}/transitions",
                                      params={"expand": "transitions.fields"}), call)
        out = []
        for t in data.objects("transitions"):
            to = t.section("to")
            fields = t.section("fields")
            resolution = fields.obj("resolution")
            allowed = tuple(v.text("name") or "" for v in resolution.objects("allowedValues")) \
                if resolution is not None else ()
            out.append(Transition(
                id=t.ident("id", required=True), name=t.text("name") or "",
                to=to.text("name") or "",
                category=to.section("statusCategory").text("key") or "",
                resolution=resolution is not None,
                required=resolution.flag("required") if resolution is not None else False,
                resolutions=tuple(a for a in allowed if a)))
        return out

    def transition(self, key: str, transition: str, *, resolution: str | None = None,
                   comment: str | None = None,
                   properties: Mapping[str, ToJSON] | None = None) -> None:
        """Move ``key`` through ``transition`` with, in the same request, the resolution,
        a comment and properties. Never resent after a lost answer (it may have moved)."""
        body: dict[str, Any] = {"transition": {"id": transition}}
        if resolution:
            body["fields"] = {"resolution": {"name": resolution}}
        if comment:
            body["update"] = {"comment": [{"add": {"body": comment}}]}
        if properties:
            body["properties"] = [{"key": k, "value": v} for k, v in properties.items()]
        call = Call("transition", f"the transition of {key}", safe=False, issue=key)
        self._t.request(call, "POST", f"issue/{key}/transitions", body=body)
