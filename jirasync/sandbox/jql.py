"""The sandbox Jira's JQL: the subset jirasync searches with, with Jira's semantics.

``parse(text)`` reads a query in two passes, as Jira does: syntax first (any syntax
error wins), then every clause is checked against its field and all problems are
reported together. The result matches issue rows and sorts them::

    q = parse("project = DCR AND labels = ll-action AND duedate < startOfDay() ORDER BY key")
    hits = q.sort([row for row in rows if q.matches(row, JqlContext(now=now))])

Where the sandbox has to choose, it follows Jira:

- ``!=``, ``NOT IN`` and ``!~`` never match an empty field, and ``NOT`` is pushed down
  onto the operators beneath it, so ``NOT labels = x`` skips issues without labels.
- Keys compare numerically within one project (``key > DCR-4`` finds DCR-10); a number
  where a key is expected is an issue id.
- Dates and date-times in a query are read in ``ctx.now``'s timezone, and a date field
  such as duedate counts as midnight of its day there: ``duedate < now()`` includes
  today, ``duedate < startOfDay()`` does not.
- ORDER BY puts empty values last ascending and first descending; ties and queries
  without ORDER BY fall back to key order (project, then number).

The grammar is in :mod:`jirasync.sandbox.jql_parse`, the fields in ``jql_fields``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from jirasync.sandbox.jql_clause import compile_clause
from jirasync.sandbox.jql_fields import FIELDS, find_field, split_key
from jirasync.sandbox.jql_lex import JqlError
from jirasync.sandbox.jql_parse import And, Node, Not, Or, read
from jirasync.sandbox.jql_values import Literal, ValueList

__all__ = ["JqlContext", "JqlError", "Query", "parse"]


@dataclass(frozen=True)
class JqlContext:
    """What a search depends on besides the issues: the clock and who is asking."""

    now: datetime
    current_user: str | None = None


class Matcher(Protocol):
    """A compiled condition: a clause, or And/Or of them."""

    def matches(self, row: dict[str, Any], ctx: JqlContext) -> bool: ...


@dataclass(frozen=True)
class Query:
    """A parsed query: ``matches`` filters issue rows, ``sort`` orders them."""

    where: Matcher | None
    order_by: tuple[tuple[str, bool], ...] = ()

    def matches(self, row: dict[str, Any], ctx: JqlContext) -> bool:
        """Whether the issue ``row`` is found; a query without conditions finds all."""
        return self.where is None or self.where.matches(row, ctx)

    def sort(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """``rows`` in ORDER BY order; empty values last ascending, first descending.

        Ties, and queries without ORDER BY, fall back to key order: project, then number.
        """
        ordered = sorted(rows, key=_by_key)
        for name, descending in reversed(self.order_by):
            kind = find_field(name).kind
            ordered.sort(key=lambda row: _empty_last(kind.sort_key(row)), reverse=descending)
        return ordered


def _empty_last(value: object) -> tuple[bool, Any]:
    return (True, 0) if value is None else (False, value)


def _by_key(row: dict[str, Any]) -> tuple[bool, Any]:
    return _empty_last(FIELDS["key"].kind.sort_key(row))


def parse(text: str) -> Query:
    """Parse JQL ``text``; JqlError with Jira's wording when it is wrong or unsupported."""
    where, order_by = read(text)
    problems: list[str] = []
    compiled = _compile(where, negated=False, problems=problems) if where else None
    order_by = tuple(_sort_field(name, descending, problems) for name, descending in order_by)
    if problems:
        raise JqlError(*dict.fromkeys(problems))
    return Query(compiled, order_by)


def named_issues(text: str) -> tuple[tuple[str, str], ...]:
    """(field, key) of every issue key a query names for key, issuekey or parent: Jira
    refuses the whole query if one of them does not exist (a deleted issue, say)."""
    where, _ = read(text)
    out: list[tuple[str, str]] = []
    pending = [where] if where is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node, (And, Or)):
            pending.extend(node.parts)
        elif isinstance(node, Not):
            pending.append(node.part)
        elif node.field.casefold() in ("key", "issuekey", "parent"):
            values = node.operand.items if isinstance(node.operand, ValueList) else \
                (node.operand,)
            out += [(node.field, v.text) for v in values
                    if isinstance(v, Literal) and split_key(v.text) is not None]
    return tuple(out)


def _compile(node: Node, *, negated: bool, problems: list[str]) -> Any:
    # And/Or of clauses; a Condition whose problems are reported (the query is refused)
    if isinstance(node, Not):
        return _compile(node.part, negated=not negated, problems=problems)
    if isinstance(node, (And, Or)):
        parts = tuple(_compile(part, negated=negated, problems=problems) for part in node.parts)
        flip = {And: Or, Or: And} if negated else {And: And, Or: Or}
        return flip[type(node)](parts)
    try:
        clause = compile_clause(node.field, node.op, node.operand)
    except JqlError as error:
        problems.extend(error.messages)
        return node
    return clause.negated() if negated else clause


def _sort_field(name: str, descending: bool, problems: list[str]) -> tuple[str, bool]:
    try:
        field = find_field(name)
    except JqlError as error:
        problems.extend(error.messages)
        return name, descending
    if not field.kind.sortable:
        problems.append(f"Field '{name}' does not support sorting.")
    return field.name, descending
