"""The sandbox does what Atlassian's words say, row by row; and the table covers every
operation the gateway sends."""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from tests.conformance.table import CONTRACT, Row, rows

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_FILE = ROOT / "tests" / "contract" / "jira-cloud-trimmed.json"
GATEWAY = ROOT / "jirasync" / "gateway"
# Requests the gateway makes through the ``jira`` library rather than its own transport.
LIBRARY_CALLS = {("GET", "/rest/api/2/serverInfo")}
CASES = [(row, flavour) for row in rows() for flavour in row.flavours]


@pytest.mark.parametrize("row, flavour", CASES,
                         ids=[f"{flavour}: {row.id}" for row, flavour in CASES])
def test_the_sandbox_does_what_the_words_say(row: Row, flavour: str, make_sandbox) -> None:
    row.check(make_sandbox(flavour))


@cache
def _spec() -> dict:
    return json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))


def _plain(text: str) -> str:
    """Markdown links reduced to their words, whitespace to single spaces."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


def _schema_words(schema: dict, spec: dict, depth: int = 0) -> list[str]:
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    words = [schema.get("description", "")]
    for prop in schema.get("properties", {}).values():
        words.append(prop.get("description", ""))
        if depth < 1:
            words += _schema_words(prop, spec, depth + 1) if "$ref" in prop else []
    return words


def _words_of(operation: str) -> str:
    """Every description the contract gives an operation: its own, its parameters', its
    request body's and its answers' (with their schemas' properties)."""
    spec = _spec()
    method, path = operation.split(" ", 1)
    op = spec["paths"][path][method.lower()]
    words = [op.get("description", ""), op.get("summary", "")]
    words += [p.get("description", "") for p in op.get("parameters", [])]
    words.append(op.get("requestBody", {}).get("description", ""))
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
    words += _schema_words(body.get("schema", {}), spec) if body else []
    for answer in op.get("responses", {}).values():
        words.append(answer.get("description", ""))
        content = answer.get("content", {}).get("application/json", {})
        words += _schema_words(content.get("schema", {}), spec) if content else []
    return _plain(" ".join(words))


@pytest.mark.parametrize("row", [r for r in rows() if r.source == CONTRACT],
                         ids=lambda r: r.id)
def test_each_quote_is_the_contracts_own_words(row: Row) -> None:
    assert _plain(row.quote) in _words_of(row.operation)


CALL = re.compile(r'"(GET|POST|PUT|DELETE)",\s*f?"([^"]+)"')
PROPERTY_READ = re.compile(r'property_value\(\s*[\w.]+,\s*call,\s*f?"([^"]+)"')


def gateway_operations() -> set[tuple[str, str]]:
    """(method, contract path) of every request in the gateway's source."""
    found = set(LIBRARY_CALLS)
    for source in GATEWAY.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        calls = CALL.findall(text) + [("GET", p) for p in PROPERTY_READ.findall(text)]
        found |= {(method, _contract_path(method, path)) for method, path in calls}
    return found


def _contract_path(method: str, path: str) -> str:
    sample = "/rest/api/2/" + re.sub(r"\{[^}]*\}", "X", path)
    for candidate, ops in _spec()["paths"].items():
        pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(candidate))
        if method.lower() in ops and re.fullmatch(pattern, sample):
            return candidate
    raise AssertionError(f"the gateway calls {method} {path}, which the contract lacks")


def test_every_operation_the_gateway_sends_has_rows() -> None:
    covered = {tuple(r.operation.split(" ", 1)) for r in rows()}
    missing = sorted(f"{m} {p}" for m, p in gateway_operations() if (m, p) not in covered)
    assert not missing, "operations without a row in the conformance table: " + ", ".join(
        missing)


def test_the_scan_finds_the_gateway_calls() -> None:
    """The scan itself must see the calls, or the coverage test above proves nothing."""
    ops = gateway_operations()
    assert ("POST", "/rest/api/2/search/jql") in ops and ("POST", "/rest/api/2/issue/bulk") in ops
    assert ("GET", "/rest/api/2/issue/{issueIdOrKey}/properties/{propertyKey}") in ops
    assert len(ops) >= 15
