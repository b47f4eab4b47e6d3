"""What reading owners' answers asks of Jira, as its own port: the actions changed since
the last read (searches, reads by key, Data Center's property cache), their comments, the
transitions their workflow offers, one edit or transition per answer, the people who
answered, and the bot itself (its own replies are not answers)."""
from __future__ import annotations

from typing import Protocol

from jirasync.gateway.protocol import (
    CachedProperties,
    IssueWrites,
    People,
    Search,
    Site,
    Workflows,
)
from jirasync.gateway.types import User


class AnswersJira(Site, Search, CachedProperties, IssueWrites, People, Workflows, Protocol):
    """Jira as the answers see it, on Cloud and Data Center alike."""

    def myself(self) -> User:
        """The user jirasync runs as."""
        ...
