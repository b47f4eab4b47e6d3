"""What the reports ask of Jira, as their own port (the consumer owns the interface, as
jiralert's notifier does), made of the gateway's roles: they read the programme
(searches, reads by key, Data Center's property cache and chase's index of its records
in project properties) and look people up; they write nothing, so no write is in their
port."""
from __future__ import annotations

from typing import Protocol

from jirasync.gateway.protocol import (
    CachedProperties,
    CacheReads,
    People,
    ProjectPropertyReads,
    Search,
    Site,
)


class ReportsJira(Site, Search, CachedProperties, CacheReads, People, ProjectPropertyReads,
                  Protocol):
    """Jira as the reports see it, on Cloud and Data Center alike."""
