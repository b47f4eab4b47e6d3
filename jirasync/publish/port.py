"""The Confluence operations publish uses, declared by publish itself (the gateway in
``jirasync.confluence`` offers them; a test may offer them too), and what it asks of Jira:
the programme, read as the reports read it."""
from __future__ import annotations

from typing import Protocol

from jirasync.confluence.types import Bot, Found, Page, Property, Space
from jirasync.json_values import ToJSON
from jirasync.reports.port import ReportsJira


class PublishJira(ReportsJira, Protocol):
    """Jira as publish sees it: it reads the programme (``reports.reader``) and writes
    nothing there."""


class Confluence(Protocol):
    @property
    def stats(self) -> dict[str, int]: ...

    def space(self, key: str) -> Space: ...

    def may_not(self, space: Space) -> list[str] | None: ...

    def me(self) -> Bot: ...

    def titled(self, space: Space, title: str) -> Found | None: ...

    def labelled(self, space: Space, label: str) -> list[Found]: ...

    def page(self, page_id: str) -> Page: ...

    def create(self, space: Space, parent_id: str, title: str, body: str) -> str: ...

    def update(self, page_id: str, title: str, body: str, version: int) -> int: ...

    def set_identity(self, page_id: str, value: ToJSON, current: Property | None) -> None: ...

    def add_labels(self, page_id: str, labels: list[str]) -> None: ...

    def attach(self, page_id: str, name: str, data: bytes, media_type: str,
               attachment_id: str | None, *, new: bool = False) -> str: ...

    def address(self, space_key: str, page_id: str) -> str: ...
