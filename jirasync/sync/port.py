"""What sync asks of Jira, as its own port (the consumer owns the interface, as jiralert's
notifier does), made of the gateway's roles: it reads the managed issues (searches, reads
by key, consistent re-reads, Data Center's property cache), creates and edits them, looks
owners up, and keeps its journal of creates in the project's properties."""
from __future__ import annotations

from typing import Protocol

from jirasync.gateway.protocol import (
    CachedProperties,
    CacheReads,
    IssueWrites,
    People,
    ProjectProperties,
    Search,
    Site,
)


class SyncJira(Site, Search, CachedProperties, CacheReads, IssueWrites, People,
               ProjectProperties, Protocol):
    """Jira as sync sees it, on Cloud and Data Center alike."""
