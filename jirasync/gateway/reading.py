"""Reading Jira's JSON answers by type: the one place the gateway looks inside them.

Each value is read as the contract types it. One that is missing or null where it is
needed, or of another type, raises UnexpectedAnswer naming the request and the value
(``issues[2].key``): nothing Jira sends ends in a KeyError or a TypeError.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal, overload

from jirasync.errors import UnexpectedAnswer
from jirasync.gateway.failures import Call


def kind_of(value: Any) -> str:
    """What Jira sent, by its type only: the value itself is Jira's data, not for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text" if value.strip() else "empty text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def unexpected(call: Call, missing: str, *, value: Any = ..., hint: str = "") -> UnexpectedAnswer:
    """The error for an answer to ``call`` without ``missing``. A request that is not
    safe to resend (a create, a comment) was done by Jira if it answered at all."""
    return UnexpectedAnswer(call.what, missing, sent="" if value is ... else kind_of(value),
                            hint=hint, issue=call.issue, maybe_applied=not call.safe)


class Answer:
    """A JSON object Jira sent, read value by value; ``where`` is its place in the answer."""

    __slots__ = ("call", "data", "where")

    def __init__(self, data: Mapping[str, Any], call: Call, where: str = ""):
        self.data, self.call, self.where = data, call, where

    def __repr__(self) -> str:
        return f"Answer({self.where or 'answer'} to {self.call.what})"

    @classmethod
    def of(cls, body: Any, call: Call, where: str = "") -> Answer:
        """``body`` (a decoded answer or a part of one), which must be a JSON object."""
        if not isinstance(body, Mapping):
            raise unexpected(call, f"{where} as an object" if where else "a JSON object",
                             value=body)
        return cls(body, call, where)

    @classmethod
    def items(cls, body: Any, call: Call, where: str = "") -> list[Answer]:
        """``body``, which must be a JSON list of objects, one Answer each."""
        if not isinstance(body, list):
            raise unexpected(call, f"{where} as a list" if where else "a JSON list", value=body)
        return [cls.of(item, call, f"{where}[{i}]") for i, item in enumerate(body)]

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def lacks(self, key: str) -> UnexpectedAnswer:
        """The error for this answer without ``key``, for a caller to raise."""
        return unexpected(self.call, self._at(key))

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def get(self, key: str) -> Any:
        """The value as it came (any JSON; None when absent): for data jirasync does not
        interpret here, such as property values and the extra fields a caller asked for."""
        return self.data.get(key)

    def present(self, key: str) -> Any:
        """The value, which must be there (it may be null)."""
        if key not in self.data:
            raise unexpected(self.call, self._at(key))
        return self.data[key]

    def _typed(self, key: str, types: tuple[type, ...], kind: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None or (value == "" and required):
            if required:
                raise unexpected(self.call, self._at(key),
                                 value=... if key not in self.data else value)
            return None
        if not isinstance(value, types) or isinstance(value, bool) and bool not in types:
            raise unexpected(self.call, f"{self._at(key)} as {kind}", value=value)
        return value

    # ``required=True`` never returns None (it raises instead): the overloads tell mypy.
    @overload
    def text(self, key: str, *, required: Literal[True]) -> str: ...
    @overload
    def text(self, key: str, *, required: bool = False) -> str | None: ...

    def text(self, key: str, *, required: bool = False) -> str | None:
        value: str | None = self._typed(key, (str,), "text", required)
        return value

    @overload
    def ident(self, key: str, *, required: Literal[True]) -> str: ...
    @overload
    def ident(self, key: str, *, required: bool = False) -> str | None: ...

    def ident(self, key: str, *, required: bool = False) -> str | None:
        """An id: the contract's strings, though some Jira answers write numbers."""
        value = self._typed(key, (str, int), "an id", required)
        return None if value is None else str(value)

    @overload
    def number(self, key: str, *, required: Literal[True]) -> int: ...
    @overload
    def number(self, key: str, *, required: bool = False) -> int | None: ...

    def number(self, key: str, *, required: bool = False) -> int | None:
        value: int | None = self._typed(key, (int,), "a whole number", required)
        return value

    def flag(self, key: str) -> bool:
        """A boolean; absent or null is False."""
        return bool(self._typed(key, (bool,), "true or false", False))

    def time(self, key: str) -> datetime | None:
        """A date-time as Jira writes them ("2026-01-05T10:00:00.000+0000")."""
        value = self._typed(key, (str,), "a date-time", False)
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
        raise unexpected(self.call, f"{self._at(key)} as a date-time", value=value)

    def day(self, key: str) -> date | None:
        """A date ("2026-12-01"); a date-time is read as its date."""
        value = self._typed(key, (str,), "a date", False)
        if not value:
            return None
        try:
            return date.fromisoformat(value) if len(value) == 10 \
                else datetime.fromisoformat(value).date()
        except ValueError:
            pass
        raise unexpected(self.call, f"{self._at(key)} as a date", value=value)

    def obj(self, key: str, *, required: bool = False) -> Answer | None:
        value = self._typed(key, (Mapping,), "an object", required)
        return None if value is None else Answer(value, self.call, self._at(key))

    def section(self, key: str) -> Answer:
        """An object that may be absent or null (read as empty), like an issue's fields."""
        return self.obj(key) or Answer({}, self.call, self._at(key))

    def objects(self, key: str, *, required: bool = False) -> list[Answer]:
        """A list of objects; absent or null is empty unless ``required``."""
        value = self._typed(key, (list,), "a list", required)
        return [] if value is None else Answer.items(value, self.call, self._at(key))

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of text; absent or null is empty."""
        value = self._typed(key, (list,), "a list", False) or []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise unexpected(self.call, f"{self._at(key)}[{i}] as text", value=item)
        return tuple(value)

    def mapping(self, key: str) -> dict[str, Any]:
        """An object of any values (issue properties, say); absent or null is empty."""
        return dict(self._typed(key, (Mapping,), "an object", False) or {})
