"""The conformance table: one row per documented sentence jirasync relies on.

Each row names the operation and the parameter, quotes the words Atlassian publishes for
them, and checks that the sandbox does what the words say — not more. The quotes of rows
from the Cloud contract are checked against ``tests/contract/jira-cloud-trimmed.json``, so
a row cannot quote what the contract does not say. Data Center has no usable published
contract (see tests/contract/README.md): its rows quote Atlassian's Data Center REST
documentation where it says something, and name their source either way.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jirasync.sandbox import Sandbox

CLOUD, DATACENTER = "cloud", "datacenter"
BOTH = (CLOUD, DATACENTER)
CONTRACT = "contract"             # tests/contract/jira-cloud-trimmed.json
DC_DOCS = "Jira Data Center REST API reference (docs.atlassian.com/software/jira/docs/api/REST)"
# Where Atlassian's Data Center reference gives no sentence to quote, the row states what
# the sandbox's Data Center mode does in its own words, and says so.
DC_READING = "jirasync's reading of Data Center's behaviour (no sentence to quote)"


@dataclass(frozen=True)
class Row:
    """``operation`` is the contract's method and path (``POST /rest/api/2/search/jql``),
    ``parameter`` the parameter, body field or response the sentence is about
    (``(operation)`` for the operation's own description)."""

    operation: str
    parameter: str
    quote: str
    check: Callable[[Sandbox], None]
    flavours: tuple[str, ...] = BOTH
    source: str = CONTRACT

    @property
    def id(self) -> str:
        method, path = self.operation.split(" ", 1)
        short = path.removeprefix("/rest/api/2/")
        return f"{method} {short} {self.parameter}: {self.quote[:40]}"


def rows() -> list[Row]:
    """Every row, from each operation group's module."""
    from tests.conformance import (
        rows_answers,
        rows_issues,
        rows_meta,
        rows_permissions,
        rows_properties,
        rows_search,
        rows_users,
    )
    return [*rows_search.ROWS, *rows_issues.ROWS, *rows_properties.ROWS, *rows_meta.ROWS,
            *rows_users.ROWS, *rows_permissions.ROWS, *rows_answers.ROWS]
