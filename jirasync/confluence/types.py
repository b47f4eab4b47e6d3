"""What the Confluence gateway answers with: plain frozen data, no HTTP."""
from __future__ import annotations

from dataclasses import dataclass

from jirasync.json_values import JSON


@dataclass(frozen=True)
class Space:
    id: str          # Cloud's numeric id (v2 wants it); on Data Center the key again
    key: str


@dataclass(frozen=True)
class Bot:
    """Who the credentials sign in as: ``id`` as page authors are named (accountId on
    Cloud, username on Data Center), ``name`` as people know it."""

    id: str
    name: str


@dataclass(frozen=True)
class Found:
    """A page a search or a title look-up found: enough to decide whether to read it."""

    id: str
    title: str
    author: str = ""            # who created it (accountId on Cloud, username on DC)
    parent_id: str | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Property:
    """A content property: its value and version (an update gives the version plus one)."""

    key: str
    value: JSON                 # as Confluence gives it back: narrowed before use
    version: int
    id: str = ""


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    version: int
    body: str                   # storage format
    identity: Property | None   # jirasync's content property, None on a page not ours
    parent_id: str | None = None
