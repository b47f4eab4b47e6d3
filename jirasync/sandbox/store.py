"""Every issue of a sandbox, indexed, with Cloud's lagging search index.

Issues are immutable: a write stores a new version. While search lag is on, the first
write to an issue since the last catch-up keeps the version the index last saw (None
for an issue created since), and searches see that version unless the issue is
reconciled by id. That costs nothing per search beyond one dict lookup per issue.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .model import Issue, Link

FIRST_ID = 10000


class IssueStore:
    """The issues, links and search-index state of one sandbox; callers hold its lock."""

    def __init__(self) -> None:
        self._by_id: dict[int, Issue] = {}
        self._ids: dict[str, int] = {}
        self._children: dict[str, list[int]] = defaultdict(list)
        self._numbers: dict[str, int] = defaultdict(int)
        self._next_id = FIRST_ID
        self._links: dict[str, list[Link]] = defaultdict(list)
        self._link_count = 0
        self._lag = False
        self._stale: dict[int, Issue | None] = {}
        self._ghosts: dict[int, Issue] = {}     # deleted, still in the lagging index
        self.generation = 0

    def allocate(self, project: str) -> tuple[int, str]:
        """The id and key the next issue of ``project`` gets: 10000, DCR-1, ..."""
        self._numbers[project] += 1
        self._next_id += 1
        return self._next_id - 1, f"{project}-{self._numbers[project]}"

    def add(self, issue: Issue) -> None:
        self._remember(issue.id, None)
        self._by_id[issue.id] = issue
        self._ids[issue.key] = issue.id
        self._index(issue)
        self.generation += 1

    def replace(self, issue: Issue) -> None:
        old = self._by_id[issue.id]
        self._remember(issue.id, old)
        if old.parent != issue.parent:
            self._unindex(old)
            self._index(issue)
        self._by_id[issue.id] = issue
        self.generation += 1

    def remove(self, issue: Issue) -> None:
        """Delete an issue: its key is never given again, leaving a gap in the numbers."""
        del self._by_id[issue.id], self._ids[issue.key]
        seen = self._stale.pop(issue.id, issue)
        if self._lag and seen is not None:
            self._ghosts[issue.id] = seen
        self._unindex(issue)
        self.generation += 1

    def get(self, ref: str | int) -> Issue | None:
        """An issue by key (any case) or numeric id."""
        text = str(ref)
        if text.isdigit():
            return self._by_id.get(int(text))
        issue_id = self._ids.get(text.upper())
        return None if issue_id is None else self._by_id[issue_id]

    def known(self, ref: str | int) -> Issue:
        """An issue the caller knows is here (a key the store gave, a parent found)."""
        issue = self.get(ref)
        if issue is None:
            raise KeyError(f"no issue {ref} in the sandbox")
        return issue

    def issues(self, project: str | None = None) -> list[Issue]:
        return [i for i in self._by_id.values() if project in (None, i.project)]

    def children(self, key: str) -> list[Issue]:
        """Issues whose ``parent`` is ``key``: sub-tasks, and on Cloud epic children."""
        return [self._by_id[i] for i in sorted(self._children.get(key, ()))]

    def add_link(self, type_id: str, inward: str, outward: str) -> Link:
        self._link_count += 1
        link = Link(FIRST_ID + self._link_count - 1, type_id, inward, outward)
        self._links[inward].append(link)
        self._links[outward].append(link)
        return link

    def links(self, key: str) -> list[Link]:
        return list(self._links.get(key, ()))

    def set_lag(self, on: bool) -> None:
        self._lag = on
        self.catch_up()

    def catch_up(self) -> None:
        self._stale.clear()
        self._ghosts.clear()
        self.generation += 1

    def searchable(self, reconcile: frozenset[int] = frozenset()) -> Iterator[Issue]:
        """Each issue as the search index sees it; reconciled ids are always current."""
        stale = self._stale
        for issue in self._by_id.values():
            if issue.id in stale and issue.id not in reconcile:
                old = stale[issue.id]
                if old is not None:
                    yield old
            else:
                yield issue
        yield from (g for g in self._ghosts.values() if g.id not in reconcile)

    def _remember(self, issue_id: int, old: Issue | None) -> None:
        if self._lag and issue_id not in self._stale:
            self._stale[issue_id] = old

    def _index(self, issue: Issue) -> None:
        if issue.parent:
            self._children[issue.parent].append(issue.id)

    def _unindex(self, issue: Issue) -> None:
        if issue.parent:
            self._children[issue.parent].remove(issue.id)
