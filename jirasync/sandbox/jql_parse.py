"""Reading JQL: a recursive-descent parser from tokens to a tree of frozen nodes.

Grammar (keywords in any case; NOT binds tighter than AND, AND tighter than OR)::

    query    := [or] [ORDER BY field [ASC|DESC] {, field [ASC|DESC]}]
    or       := and {OR and}
    and      := not {AND not}
    not      := NOT not | ( or ) | field op operand
    field    := word | "quoted name" | cf[number]
    op       := = | != | < | <= | > | >= | ~ | !~ | IN | NOT IN | IS | IS NOT
    operand  := value | ( value {, value} )
    value    := "string" | 'string' | word | EMPTY | NULL | word ( [arg {, arg}] )

Only syntax is checked here; whether a field exists or takes an operator is the next
pass's business, so a query with both kinds of mistake reports the syntax error, as
Jira does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from jirasync.sandbox.jql_lex import JqlError, Token, syntax_error, tokenize
from jirasync.sandbox.jql_values import EMPTY, Call, Empty, Literal, ValueList

if TYPE_CHECKING:
    from jirasync.sandbox.jql import JqlContext

# Words that cannot be a field or a value unless quoted.
_KEYWORDS = frozenset({"and", "or", "not", "in", "is", "order", "by", "empty", "null"})
_OPERATORS = ("'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and "
              "'IS NOT'")
_DEEPEST = 100
SortItem = tuple[str, bool]
# A node of the tree as written; compiling (jql.py) turns its Conditions into clauses.
Node = Union["And", "Or", "Not", "Condition"]
Value = Literal | Call | Empty
Operand = Value | ValueList


@dataclass(frozen=True)
class And:
    """All parts hold."""

    parts: tuple[Any, ...]            # Nodes as parsed, clauses once compiled

    def matches(self, row: dict[str, Any], ctx: JqlContext) -> bool:
        return all(part.matches(row, ctx) for part in self.parts)


@dataclass(frozen=True)
class Or:
    """At least one part holds."""

    parts: tuple[Any, ...]            # Nodes as parsed, clauses once compiled

    def matches(self, row: dict[str, Any], ctx: JqlContext) -> bool:
        return any(part.matches(row, ctx) for part in self.parts)


@dataclass(frozen=True)
class Not:
    """NOT as written; compiling pushes it down onto the clauses beneath."""

    part: Node


@dataclass(frozen=True)
class Condition:
    """``field op operand`` as written, before its field has checked it."""

    field: str
    op: str
    operand: Operand


class _Parser:
    """Recursive descent over the tokens; raises on the first syntax error."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.at = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at = min(self.at + 1, len(self.tokens) - 1)
        return token

    def at_word(self, *words: str) -> bool:
        token = self.peek()
        return token.kind == "word" and token.text.lower() in words

    def expect(self, kind: str, shown: str) -> Token:
        if self.peek().kind != kind:
            raise self.unexpected(shown, self.peek())
        return self.take()

    def unexpected(self, wanted: str, token: Token, hint: str = "") -> JqlError:
        if token.kind == "end":
            return JqlError(f"Error in the JQL Query: Expecting {wanted} before the end of "
                            "the query.")
        return syntax_error(self.text, token.pos,
                            f"Expecting {wanted} but got '{token.text}'.{hint}")

    def query(self) -> tuple[Node | None, tuple[SortItem, ...]]:
        where: Node | None = None
        if self.peek().kind != "end" and not self.at_word("order"):
            where = self.any_of()
        order_by = self.order_by() if self.at_word("order") else ()
        if self.peek().kind != "end":
            raise self.unexpected("either 'OR' or 'AND'", self.peek())
        return where, order_by

    def any_of(self) -> Node:
        parts = [self.all_of()]
        while self.at_word("or"):
            self.take()
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def all_of(self) -> Node:
        parts = [self.negation()]
        while self.at_word("and"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def negation(self) -> Node:
        if not self.at_word("not") and self.peek().kind != "(":
            return self.condition()
        # Each NOT or bracket costs a Python stack frame in every pass that follows.
        self.depth += 1
        if self.depth > _DEEPEST:
            raise syntax_error(self.text, self.peek().pos,
                               f"NOT and brackets nest more than {_DEEPEST} deep.")
        if self.take().kind == "(":
            node = self.any_of()
            self.expect(")", "')'")
        else:
            node = Not(self.negation())
        self.depth -= 1
        return node

    def condition(self) -> Condition:
        field = self.field_name()
        if self.at_word("was", "changed"):
            raise JqlError(f"The operator '{self.peek().text.lower()}' is not supported by "
                           f"the '{field}' field.")
        return Condition(field, self.operator(), self.operand())

    def field_name(self) -> str:
        token = self.peek()
        if token.kind == "string" or (token.kind == "word" and
                                      token.text.lower() not in _KEYWORDS):
            return self.take().text
        raise self.unexpected("a field name", token)

    def operator(self) -> str:
        token = self.take()
        if token.kind == "op" and token.text != "!":
            return token.text
        word = token.text.lower() if token.kind == "word" else ""
        if word in ("is", "not") and self.at_word("not" if word == "is" else "in"):
            return f"{word} {self.take().text.lower()}"
        if word in ("in", "is"):
            return word
        hint = f" The valid operators are {_OPERATORS}."
        raise self.unexpected("operator", token, hint)

    def operand(self) -> Operand:
        if self.peek().kind != "(":
            return self.value()
        self.take()
        items = [self.value()]
        while self.peek().kind == ",":
            self.take()
            items.append(self.value())
        self.expect(")", "')'")
        return ValueList(tuple(items))

    def value(self) -> Value:
        token = self.take()
        word = token.text.lower()
        if token.kind == "string":
            return Literal(token.text)
        if token.kind == "word" and word in ("empty", "null"):
            return EMPTY
        if token.kind == "word" and word not in _KEYWORDS:
            return self.call(token.text) if self.peek().kind == "(" else Literal(token.text)
        hint = f" You must surround '{token.text}' in quotation marks to use it as a value."
        raise self.unexpected("either a value, list or function", token, hint)

    def call(self, name: str) -> Call:
        self.take()
        args = []
        if self.peek().kind != ")":
            args.append(self.argument())
            while self.peek().kind == ",":
                self.take()
                args.append(self.argument())
        self.expect(")", "')'")
        return Call(name, tuple(args))

    def argument(self) -> str:
        token = self.take()
        if token.kind in ("word", "string"):
            return token.text
        raise self.unexpected("a function argument", token)

    def order_by(self) -> tuple[SortItem, ...]:
        self.take()
        if not self.at_word("by"):
            raise self.unexpected("'BY'", self.peek())
        self.take()
        items = [self.sort_item()]
        while self.peek().kind == ",":
            self.take()
            items.append(self.sort_item())
        if self.peek().kind != "end":
            raise self.unexpected("either ',' or the end of the query", self.peek())
        return tuple(items)

    def sort_item(self) -> SortItem:
        name = self.field_name()
        descending = False
        if self.at_word("asc", "desc"):
            descending = self.take().text.lower() == "desc"
        return name, descending


def read(text: str) -> tuple[Node | None, tuple[SortItem, ...]]:
    """The condition tree (None without conditions) and the ORDER BY items of ``text``."""
    return _Parser(text).query()
