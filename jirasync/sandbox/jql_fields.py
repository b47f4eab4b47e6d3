"""The fields the sandbox can search: their operators, how values read, how rows compare.

Jira's rule for negative operators holds for every field: ``!=``, ``NOT IN`` and ``!~``
never match an issue whose field is empty (``labels != x`` skips issues without labels).
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from jirasync.sandbox.jql_lex import JqlError
from jirasync.sandbox.jql_text import compile_text
from jirasync.sandbox.jql_values import EMPTY, Fixed, Literal, Resolvable, date_value

if TYPE_CHECKING:
    from jirasync.sandbox.jql import JqlContext

EQUALITY = frozenset({"=", "!=", "in", "not in"})
_IS = frozenset({"is", "is not"})
_ORDERING = frozenset({"<", "<=", ">", ">="})
_TEXT = frozenset({"~", "!~"})
# Bounded digits: int() refuses very long numbers, and no real issue number is that big.
_ISSUE_KEY = re.compile(r"([A-Za-z][A-Za-z0-9_]*)-([0-9]{1,18})")
_ISSUE_ID = re.compile(r"[0-9]{1,18}")
# Status categories answer to their name, their key and their id alike.
_CATEGORIES = {"new": "to do", "2": "to do", "indeterminate": "in progress",
               "4": "in progress", "3": "done", "undefined": "no category", "1": "no category"}


@dataclass(frozen=True)
class IssueRef:
    """An issue named by key (``project`` set) or by id (``project`` None)."""

    project: str | None
    number: int


def split_key(key: str | None) -> IssueRef | None:
    """``"dcr-12"`` -> IssueRef("DCR", 12); None for anything else."""
    match = _ISSUE_KEY.fullmatch(key or "")
    return IssueRef(match.group(1).upper(), int(match.group(2))) if match else None


def _key_order(key: str | None) -> tuple[str, int] | None:
    ref = split_key(key)
    return (ref.project or "", ref.number) if ref else None     # a key has a project


def _sign(difference: float) -> int:
    return (difference > 0) - (difference < 0)


class Kind(ABC):
    """How a field reads a row, turns a literal into a value and compares the two."""

    sortable = True

    @abstractmethod
    def items(self, row: dict[str, Any], ctx: JqlContext) -> list[Any]:
        """The field's values in ``row`` (several for labels, none when empty)."""

    def coerce(self, literal: Literal, field: str) -> Resolvable:
        return Fixed(literal.text)

    def hit(self, items: list[Any], value: Any) -> bool:
        if value is EMPTY:
            return not items
        return any(self.position(item, value) == 0 for item in items)

    def position(self, item: Any, value: Any) -> int | None:
        """Below zero when ``item`` sorts before ``value``; None when they do not compare."""
        return None

    def lookup(self, values: Sequence[Any]) -> Callable[[list[Any]], bool] | None:
        """Whether any of a row's items equals one of ``values``, as a set lookup: what
        ``hit`` answers one value at a time, for a field whose equality is exact (None:
        compare one by one). A search for 50 keys over 50,000 issues asks it 50,000
        times."""
        return None

    @abstractmethod
    def sort_key(self, row: dict[str, Any]) -> Any:
        """What ORDER BY compares; None for an empty value."""


class Name(Kind):
    """A single name compared case-insensitively: project, status, assignee, ..."""

    def __init__(self, key: str, aliases: dict[str, str] | None = None):
        self.key, self.aliases = key, aliases or {}

    def _fold(self, text: str) -> str:
        return self.aliases.get(text.casefold(), text.casefold())

    def items(self, row: dict[str, Any], ctx: JqlContext) -> list[Any]:
        return [row[self.key]] if row.get(self.key) else []

    def position(self, item: Any, value: Any) -> int | None:
        return 0 if self._fold(item) == self._fold(value) else None

    def lookup(self, values: Sequence[Any]) -> Callable[[list[Any]], bool] | None:
        folded = frozenset(self._fold(value) for value in values)
        return lambda items: any(self._fold(item) in folded for item in items)

    def sort_key(self, row: dict[str, Any]) -> Any:
        return self._fold(row[self.key]) if row.get(self.key) else None


class Resolution(Name):
    """Resolution, where ``Unresolved`` means EMPTY."""

    def coerce(self, literal: Literal, field: str) -> Resolvable:
        return EMPTY if literal.text.casefold() == "unresolved" else Fixed(literal.text)


class Labels(Name):
    """Labels: several per issue; case-insensitive as in Jira since 7.10."""

    sortable = False

    def items(self, row: dict[str, Any], ctx: JqlContext) -> list[Any]:
        return list(row.get("labels") or [])


class IssueKey(Kind):
    """key, issuekey, id: a key, or a number meaning the issue id; ``<`` within a project."""

    def items(self, row: dict[str, Any], ctx: JqlContext) -> list[Any]:
        return [(split_key(row.get("key")), row.get("id"))]

    def coerce(self, literal: Literal, field: str) -> Resolvable:
        if _ISSUE_ID.fullmatch(literal.text):
            return Fixed(IssueRef(None, int(literal.text)))
        return Fixed(_issue_ref(literal, field))

    def position(self, item: Any, value: Any) -> int | None:
        ref, issue_id = item
        if value.project is None:
            return None if issue_id is None else _sign(issue_id - value.number)
        if ref is None or ref.project != value.project:
            return None
        return _sign(ref.number - value.number)

    def lookup(self, values: Sequence[Any]) -> Callable[[list[Any]], bool] | None:
        ids = frozenset(value.number for value in values if value.project is None)
        refs = frozenset(value for value in values if value.project is not None)
        return lambda items: any(ref in refs or (issue_id is not None and issue_id in ids)
                                 for ref, issue_id in items)

    def sort_key(self, row: dict[str, Any]) -> Any:
        return _key_order(row.get("key"))


class Link(Kind):
    """parent and Epic Link: the key of another issue, compared for equality only."""

    def __init__(self, key: str):
        self.key = key

    def items(self, row: dict[str, Any], ctx: JqlContext) -> list[Any]:
        ref = split_key(row.get(self.key))
        return [ref] if ref else []

    def coerce(self, literal: Literal, field: str) -> Resolvable:
        return Fixed(_issue_ref(literal, field))

    def position(self, item: Any, value: Any) -> int | None:
        return 0 if item == value else None

    def lookup(self, values: Sequence[Any]) -> Callable[[list[Any]], bool] | None:
        wanted = frozenset(values)
        return lambda items: any(item in wanted for item in items)

    def sort_key(self, row: dict[str, Any]) -> Any:
        return _key_order(row.get(self.key))


def _issue_ref(literal: Literal, field: str) -> IssueRef:
    ref = split_key(literal.text)
    if ref is None:
        raise JqlError(f"The issue key '{literal.text}' for field '{field}' is invalid.")
    return ref


class When(Kind):
    """Dates and date-times; a date counts as its midnight in ``ctx.now``'s timezone."""

    def __init__(self, key: str):
        self.key = key

    def items(self, row: dict[str, Any], ctx: JqlContext) -> list[Any]:
        value = row.get(self.key)
        if value is None:
            return []
        if not isinstance(value, datetime):
            return [datetime.combine(value, time(), ctx.now.tzinfo)]
        return [value if value.tzinfo else value.replace(tzinfo=ctx.now.tzinfo)]

    def coerce(self, literal: Literal, field: str) -> Resolvable:
        return date_value(literal, field)

    def position(self, item: Any, value: Any) -> int | None:
        return _sign((item - value).total_seconds())

    def sort_key(self, row: dict[str, Any]) -> Any:
        value = row.get(self.key)
        if isinstance(value, datetime):
            return value.timestamp()
        return value.toordinal() if isinstance(value, date) else None


class Words(Kind):
    """summary, description and text (both): searched with ``~``, not compared."""

    def __init__(self, *keys: str, sortable: bool = True):
        self.keys, self.sortable = keys, sortable

    def items(self, row: dict[str, Any], ctx: JqlContext) -> list[Any]:
        return [row[key] for key in self.keys if row.get(key)]

    def coerce(self, literal: Literal, field: str) -> Resolvable:
        return compile_text(literal.text, field)

    def hit(self, items: list[Any], value: Any) -> bool:
        return not items if value is EMPTY else value.found_in(items)

    def sort_key(self, row: dict[str, Any]) -> Any:
        return row[self.keys[0]].casefold() if row.get(self.keys[0]) else None


@dataclass(frozen=True)
class Field:
    """A searchable field: canonical name, kind, operators and functions it accepts."""

    name: str
    kind: Kind
    operators: frozenset[str]
    functions: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def _when(key: str) -> Field:
    return Field(key, When(key), EQUALITY | _IS | _ORDERING,
                 frozenset({"now", "startofday", "endofday"}))


def _person(key: str) -> Field:
    return Field(key, Name(key), EQUALITY | _IS, frozenset({"currentuser"}))


FIELDS = {field.name: field for field in (
    Field("project", Name("project"), EQUALITY | _IS),
    Field("key", IssueKey(), EQUALITY | _ORDERING),
    Field("issuetype", Name("issuetype"), EQUALITY | _IS),
    Field("parent", Link("parent"), EQUALITY),
    Field("epic link", Link("epic link"), EQUALITY | _IS),
    Field("labels", Labels("labels"), EQUALITY | _IS),
    Field("status", Name("status"), EQUALITY),
    Field("statuscategory", Name("statuscategory", _CATEGORIES), EQUALITY),
    Field("resolution", Resolution("resolution"), EQUALITY | _IS),
    _person("assignee"), _person("reporter"),
    _when("duedate"), _when("created"), _when("updated"), _when("resolutiondate"),
    Field("summary", Words("summary"), _TEXT),
    Field("description", Words("description", sortable=False), _TEXT | _IS),
    Field("text", Words("summary", "description", sortable=False), frozenset({"~"})),
)}
_ALIASES = {"issuekey": "key", "id": "key", "issue": "key", "type": "issuetype",
            "cf[10014]": "epic link", "due": "duedate", "resolved": "resolutiondate",
            "createddate": "created", "updateddate": "updated"}


def find_field(name: str) -> Field:
    """The field a query names, in any case or alias; JqlError if the sandbox lacks it."""
    folded = name.strip().lower()
    field = FIELDS.get(_ALIASES.get(folded, folded))
    if field is None:
        raise JqlError(f"Field '{name}' does not exist or you do not have permission to "
                       "view it.")
    return field
