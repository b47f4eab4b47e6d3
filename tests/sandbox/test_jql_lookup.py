"""The sandbox's set lookup for ``=``/``!=``/``IN``/``NOT IN`` of fixed values against
comparing every value one by one, on random queries over random issues: keys and ids,
case, labels, aliases of status categories, EMPTY and functions in a list, NOT, and
fields left empty."""
from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from jirasync.sandbox.jql import JqlContext, JqlError, parse
from jirasync.sandbox.jql_fields import FIELDS, Kind

NOW = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)
KEYS = ["DCR-1", "DCR-3", "DCR-10", "OPS-2", "OPS-3"]
STATUSES = [("To Do", "To Do"), ("Backlog", "To Do"), ("In Progress", "In Progress"),
            ("Done", "Done")]
# What a query may name, in every spelling Jira accepts; None stands for EMPTY and
# "currentUser()" for the function.
VALUES = {
    "project": ["DCR", "dcr", "Ops", "XYZ", None],
    "key": ["DCR-3", "dcr-03", "OPS-2", "10003", "20002", "99999", "DCR-99"],
    "issuekey": ["DCR-1", "ops-3", "10010", "20003"],
    "id": ["10001", "20002", "DCR-10", "1"],
    "issuetype": ["Task", "task", "Sub-task", "Epic", None],
    "parent": KEYS + ["dcr-1", "ABC-1"],
    "epic link": KEYS + ["dcr-10", None],
    "cf[10014]": ["DCR-1", "OPS-2", None],
    "labels": ["ll-action", "LL-Action", "lessons-learnt", "Lessons-Learnt", "other", None],
    "status": ["done", "To Do", "in progress", "BACKLOG", "Closed"],
    "statuscategory": ["2", "4", "3", "1", "new", "indeterminate", "undefined", "done",
                       "To Do", "In Progress", "no category"],
    "resolution": ["Done", "done", "Won't Do", "Unresolved", None],
    "assignee": ["sam", "SAM", "priya", "currentUser()", None],
    "reporter": ["pmo", "Sam", "currentUser()", None],
}
OPERATORS = ["=", "!=", "in", "not in"]


def random_row(rng: random.Random, n: int) -> dict:
    key = f"{rng.choice(['DCR', 'OPS'])}-{n}"
    status, category = rng.choice(STATUSES)
    labels = rng.sample(["ll-action", "Lessons-Learnt", "lessons-learnt", "LL-ACTION",
                         "other"], rng.randint(0, 3))

    def maybe(*choices):
        return rng.choice([None, *choices])

    return {"project": key.split("-")[0], "key": key, "id": 10000 + n,
            "issuetype": rng.choice(["Task", "Sub-task", "Epic"]), "parent": maybe(*KEYS),
            "epic link": maybe(*KEYS), "labels": labels, "status": status,
            "statuscategory": category, "resolution": maybe("Done", "Won't Do"),
            "assignee": maybe("sam", "Priya", "SAM"), "reporter": maybe("pmo", "sam"),
            "duedate": None, "created": NOW, "updated": NOW, "resolutiondate": None,
            "summary": "a row", "description": None}


def _value(value: str | None) -> str:
    if value is None:
        return "EMPTY"
    return value if value.endswith("()") else f'"{value}"'


def random_clause(rng: random.Random) -> str:
    field = rng.choice(sorted(VALUES))
    op = rng.choice(OPERATORS)
    named = f'"{field}"' if " " in field or "[" in field else field
    if op in ("in", "not in"):
        listed = rng.sample(VALUES[field], rng.randint(1, min(4, len(VALUES[field]))))
        clause = f"{named} {op} ({', '.join(_value(v) for v in listed)})"
    else:
        clause = f"{named} {op} {_value(rng.choice(VALUES[field]))}"
    return f"NOT {clause}" if rng.random() < 0.2 else clause


def random_query(rng: random.Random) -> str:
    clauses = [random_clause(rng) for _ in range(rng.randint(1, 3))]
    text = clauses[0]
    for clause in clauses[1:]:
        text = f"({text}) {rng.choice(['AND', 'OR'])} {clause}"
    return f"NOT ({text})" if rng.random() < 0.1 else text


def found(jql: str, rows: list[dict], user: str | None) -> str:
    """The keys found, or Jira's refusal."""
    try:
        query = parse(jql)
    except JqlError as error:
        return f"refused: {error}"
    ctx = JqlContext(now=NOW, current_user=user)
    return " ".join(row["key"] for row in query.sort(r for r in rows if query.matches(r, ctx)))


@pytest.mark.parametrize("seed", range(20))
def test_random_queries_find_the_same_with_and_without_the_set_lookup(seed, monkeypatch):
    rng = random.Random(seed)
    rows = [random_row(rng, n) for n in range(1, 40)]
    queries = [(random_query(rng), rng.choice(["sam", "priya", None])) for _ in range(150)]
    with_lookup = [found(jql, rows, user) for jql, user in queries]
    monkeypatch.setattr(Kind, "lookup", lambda self, values: None)
    for kind in {field.kind.__class__ for field in FIELDS.values()}:
        monkeypatch.setattr(kind, "lookup", lambda self, values: None, raising=False)
    one_by_one = [found(jql, rows, user) for jql, user in queries]
    for (jql, user), got, want in zip(queries, with_lookup, one_by_one, strict=True):
        assert got == want, (jql, user)
    # the queries exercise both answers, not only refusals or nothing found
    assert sum(bool(w) and not w.startswith("refused") for w in one_by_one) > 50
