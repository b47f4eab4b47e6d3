"""One JQL condition, ``field operator value``: checked against Jira's rules, then run."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from jirasync.sandbox.jql_fields import EQUALITY, Field, find_field
from jirasync.sandbox.jql_lex import JqlError
from jirasync.sandbox.jql_values import (
    EMPTY,
    Call,
    Empty,
    Fixed,
    Resolvable,
    ValueList,
    compile_call,
)

if TYPE_CHECKING:
    from jirasync.sandbox.jql import JqlContext
    from jirasync.sandbox.jql_parse import Operand, Value

# NOT is pushed down onto the operator, as Jira does: NOT a = b is a != b, so it skips
# issues where a is empty, and NOT due < x is due >= x.
_FLIPPED = {"=": "!=", "!=": "=", "in": "not in", "not in": "in", "is": "is not",
            "is not": "is", "<": ">=", ">=": "<", ">": "<=", "<=": ">", "~": "!~", "!~": "~"}
_NEGATIVE = frozenset({"!=", "not in", "!~"})
_LISTS = frozenset({"in", "not in"})
_IS = frozenset({"is", "is not"})
_COMPARE = {"<": lambda p: p < 0, "<=": lambda p: p <= 0,
            ">": lambda p: p > 0, ">=": lambda p: p >= 0}


@dataclass(frozen=True)
class Clause:
    """A checked condition; ``values`` are compiled and resolved only when matching."""

    field: Field
    op: str
    values: tuple[Resolvable, ...]
    # =, !=, IN and NOT IN of fixed values: one set lookup a row (see Kind.lookup)
    lookup: Callable[[list[Any]], bool] | None = dataclasses.field(
        default=None, compare=False)

    def negated(self) -> Clause:
        """This clause under NOT."""
        return replace(self, op=_FLIPPED[self.op])

    def matches(self, row: dict[str, Any], ctx: JqlContext) -> bool:
        """Whether the issue ``row`` satisfies the clause at ``ctx.now``."""
        kind = self.field.kind
        items = kind.items(row, ctx)
        if self.op in _IS:
            return (not items) == (self.op == "is")
        if self.lookup is not None:
            found = self.lookup(items)
            return bool(items) and not found if self.op in _NEGATIVE else found
        wanted = [plain for value in self.values for plain in value.resolve(ctx)]
        if self.op in _COMPARE:
            return any(_holds(self.op, kind.position(item, plain))
                       for item in items for plain in wanted)
        found = any(kind.hit(items, plain) for plain in wanted)
        if self.op in _NEGATIVE:
            # currentUser() for an anonymous search leaves nothing wanted: no match either way
            return bool(items) and bool(wanted) and not found
        return found


def _holds(op: str, position: int | None) -> bool:
    return position is not None and _COMPARE[op](position)


def compile_clause(name: str, op: str, operand: Operand) -> Clause:
    """Check ``name op operand`` as Jira validates it and compile its values."""
    field = find_field(name)
    if op not in field.operators:
        raise JqlError(f"The operator '{op}' is not supported by the '{name}' field.")
    items = _operand_items(name, op, operand)
    values = tuple(_value(field, name, op, item) for item in items)
    fixed = [value.value for value in values if isinstance(value, Fixed)]
    lookup = field.kind.lookup(fixed) if op in EQUALITY and len(fixed) == len(values) else None
    return Clause(field, op, values, lookup)


def _operand_items(name: str, op: str, operand: Operand) -> tuple[Value, ...]:
    listed = isinstance(operand, ValueList)
    # Jira lets IN take a function (membersOf(..) returns a list), so calls pass here.
    if op in _LISTS and not listed and not isinstance(operand, Call):
        raise JqlError(f"The operator '{op}' does not support the non-list value '{operand}' "
                       f"for field '{name}'.")
    if listed and op not in _LISTS:
        raise JqlError(f"The operator '{op}' does not support the list value '{operand}' "
                       f"for field '{name}'.")
    if op in _IS and operand is not EMPTY:
        raise JqlError(f"The operator '{op}' only supports EMPTY or NULL for field '{name}', "
                       f"not '{operand}'.")
    return operand.items if isinstance(operand, ValueList) else (operand,)


def _value(field: Field, name: str, op: str, item: Value) -> Resolvable:
    if isinstance(item, Call):
        return compile_call(item, field=name, accepts=field.functions)
    value = item if isinstance(item, Empty) else field.kind.coerce(item, name)
    if value is not EMPTY:
        return value
    if not field.operators & _IS:
        raise JqlError(f"The field '{name}' does not support searching for EMPTY values.")
    if op in _COMPARE or op in ("~", "!~"):
        raise JqlError(f"The operator '{op}' does not support searching for EMPTY values "
                       f"(field '{name}').")
    return EMPTY
