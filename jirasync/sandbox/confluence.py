"""The sandbox's Confluence: spaces, pages with their versions, labels, content properties
and attachments, beside its Jira (same process, same lock, same saved file).

Cloud serves it under ``/wiki`` (REST v2 for pages and properties, v1 for labels, CQL
search and attachments, as Confluence Cloud does); Data Center under the context path
``/confluence`` (``/rest/api/content``). The HTTP side is ``confluence_api``."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any

SPACE_KEY = "PMO"
SPACE_NAME = "Programme Management Office"
HOME_TITLE = "Lessons learnt"
FIRST_PAGE_ID = 65537            # Confluence's ids are large numbers, given out in order


@dataclass
class Attachment:
    id: str
    title: str
    media_type: str
    data: bytes
    version: int = 1
    comment: str = ""

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Property:
    id: str
    key: str
    value: Any
    version: int = 1


@dataclass
class WikiPage:
    id: str
    space: str
    title: str
    parent_id: str | None
    author: str               # who created it (accountId on Cloud, username on DC)
    created: datetime
    body: str
    version: int = 1
    editor: str = ""          # who made the current version
    edited: datetime | None = None
    labels: list[str] = field(default_factory=list)
    properties: dict[str, Property] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    history: list[tuple[int, str, str]] = field(default_factory=list)   # (number, by, body)


class Site:
    """Every space and page of one sandbox Confluence; use it holding the Instance's lock."""

    def __init__(self) -> None:
        self.spaces: dict[str, dict[str, str]] = {}
        self.pages: dict[str, WikiPage] = {}
        self.view_only: set[str] = set()    # users who may view but not write (perms)
        self._ids = count(FIRST_PAGE_ID)

    def next_id(self) -> str:
        return str(next(self._ids))

    def ensure_space(self, key: str, name: str, author: str, when: datetime) -> dict[str, str]:
        """The space, made with its home page when missing."""
        if key not in self.spaces:
            home = self.add_page(key, name, None, author, when, f"<p>{name}</p>")
            self.spaces[key] = {"id": self.next_id(), "key": key, "name": name,
                                "homepageId": home.id}
        return self.spaces[key]

    def space_by_id(self, space_id: str) -> dict[str, str] | None:
        return next((s for s in self.spaces.values() if s["id"] == space_id), None)

    def add_page(self, space: str, title: str, parent_id: str | None, author: str,
                 when: datetime, body: str) -> WikiPage:
        page = WikiPage(self.next_id(), space, title, parent_id, author, when, body,
                        editor=author, edited=when)
        page.history.append((1, author, body))
        self.pages[page.id] = page
        return page

    def titled(self, space: str, title: str) -> WikiPage | None:
        """Titles are unique in a space (Confluence refuses a second page of one)."""
        return next((p for p in self.pages.values()
                     if p.space == space and p.title == title), None)

    def edit(self, page: WikiPage, *, by: str, when: datetime, body: str | None = None,
             title: str | None = None) -> None:
        """A new version of the page."""
        page.version += 1
        page.body = page.body if body is None else body
        page.title = page.title if title is None else title
        page.editor, page.edited = by, when
        page.history.append((page.version, by, page.body))

    def attach(self, page: WikiPage, title: str, media_type: str, data: bytes,
               comment: str) -> Attachment:
        found = page.attachments.get(title)
        if found is None:
            found = Attachment(f"att{self.next_id()}", title, media_type, data, 1, comment)
            page.attachments[title] = found
        else:
            found.data, found.media_type, found.comment = data, media_type, comment
            found.version += 1
        return found

    def to_json(self) -> dict[str, Any]:
        return {"spaces": self.spaces, "next_id": next(self._ids),
                "view_only": sorted(self.view_only),
                "pages": [_page_json(p) for p in self.pages.values()]}

    def load(self, data: dict[str, Any]) -> None:
        self.spaces = dict(data.get("spaces", {}))
        self.view_only = set(data.get("view_only", []))
        for raw in data.get("pages", []):
            page = _page(raw)
            self.pages[page.id] = page
        self._ids = count(int(data.get("next_id", FIRST_PAGE_ID)))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _page_json(p: WikiPage) -> dict[str, Any]:
    return {"id": p.id, "space": p.space, "title": p.title, "parent_id": p.parent_id,
            "author": p.author, "created": p.created.isoformat(), "body": p.body,
            "version": p.version, "editor": p.editor,
            "edited": p.edited.isoformat() if p.edited else None, "labels": p.labels,
            "properties": [vars(v) for v in p.properties.values()],
            "attachments": [{**vars(a), "data": a.data.hex()} for a in p.attachments.values()],
            "history": p.history}


def _page(raw: dict[str, Any]) -> WikiPage:
    page = WikiPage(raw["id"], raw["space"], raw["title"], raw["parent_id"], raw["author"],
                    datetime.fromisoformat(raw["created"]), raw["body"], raw["version"],
                    raw["editor"], datetime.fromisoformat(raw["edited"]) if raw["edited"]
                    else None, list(raw["labels"]))
    page.properties = {p["key"]: Property(**p) for p in raw["properties"]}
    page.attachments = {a["title"]: Attachment(**{**a, "data": bytes.fromhex(a["data"])})
                        for a in raw["attachments"]}
    page.history = [tuple(h) for h in raw["history"]]
    return page
