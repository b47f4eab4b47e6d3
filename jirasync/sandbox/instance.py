"""The state of one sandbox Jira, shared by its HTTP API and its test helpers."""
from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import count
from typing import Any

from .catalog import catalog_for
from .confluence import Site
from .model import Issue
from .replies import not_found
from .search import SearchIndex
from .store import FIRST_ID, IssueStore
from .users import Directory, SandboxUser
from .workflows import WORKFLOWS, Workflow

PROJECT_ID = "10000"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Instance:
    """Metadata, people, issues and notifications of one sandbox; hold ``lock`` to use it."""

    def __init__(self, flavour: str, *, project: str, project_name: str,
                 users: tuple[SandboxUser, ...] | list[SandboxUser], bot_email: str,
                 clock: Callable[[], datetime] = utc_now):
        self.catalog = catalog_for(flavour)
        self.directory = Directory(users, flavour)
        self.store = IssueStore()
        self.project_key = project
        self.project_name = project_name
        bot = self.directory.find(bot_email)
        if bot is None:
            raise ValueError(f"the bot {bot_email} must be one of the sandbox users")
        self.bot = bot
        self.clock = clock
        self.lock = threading.RLock()
        self.base_url = "http://127.0.0.1"
        self.notifications: list[dict[str, Any]] = []
        self.project_properties: dict[str, object] = {}
        self.workflows: dict[str, str] = {}     # issue key -> workflow name (workflows.py)
        self.withheld: set[str] = set()     # permissions the bot lacks (permissions.py)
        self.extra_required: dict[str, set[str]] = defaultdict(set)
        self._comment_ids = count(FIRST_ID)
        self.search = SearchIndex(self)
        self.wiki = Site()          # the Confluence beside this Jira (confluence.py)

    @property
    def flavour(self) -> str:
        return self.catalog.flavour

    @property
    def cloud(self) -> bool:
        return self.catalog.cloud

    def now(self) -> datetime:
        return self.clock()

    @property
    def bot_administers(self) -> bool:
        """Whether the bot may write project properties (Administer Projects)."""
        return "ADMINISTER_PROJECTS" not in self.withheld

    def next_comment_id(self) -> int:
        return next(self._comment_ids)

    def required(self, type_name: str) -> tuple[str, ...]:
        """Field ids the create screen of ``type_name`` requires."""
        base = self.catalog.required[type_name]
        return base + tuple(sorted(self.extra_required[type_name] - set(base)))

    def issue(self, ref: str) -> Issue:
        """The issue a path names, or Jira's 404."""
        issue = self.store.get(ref)
        if issue is None:
            raise not_found()
        return issue

    def workflow(self, key: str) -> Workflow:
        """The workflow the issue follows (``simple`` unless a test chose another)."""
        return WORKFLOWS[self.workflows.get(key, "simple")]

    def user_id(self, user: SandboxUser) -> str:
        return self.directory.id_of(user)

    def url(self, path: str) -> str:
        return f"{self.base_url}/rest/api/2/{path}"
