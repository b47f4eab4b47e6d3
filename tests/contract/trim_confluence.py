"""Atlassian's Confluence contract, trimmed to what jirasync uses, and the check that the
repository's shapes and quotes say no more than it. Standard library only.

    python3 tests/contract/trim_confluence.py trim  V2.json V1.json OUT.json
    python3 tests/contract/trim_confluence.py check V2.json V1.json

V2.json: Atlassian's "The Confluence Cloud REST API v2" (openapi-v2.v3.json); V1.json:
"The Confluence Cloud REST API" (swagger.v3.json). See README.md for where they are
published and the copies this was run on.

``trim`` writes one document: the operations of ``confluence_shapes.OPS`` (v2 paths under
``/wiki/api/v2``, v1 as published) with the closure of the components they name.

``check`` fails (exit 1, one line per problem) unless:
- every operation, status and query parameter in ``confluence_shapes`` is the document's
  (``UNDECLARED`` statuses and ``DC_ONLY`` parameters are named as such);
- every property of every shape is a property of the document's schema, of its type,
  every enum within its enum, and every property the document requires is required;
- every quote of tests/conformance/test_confluence_conformance.py whose source is a
  contract operation appears, whitespace aside, in that operation's text.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.contract.confluence_shapes import OPS, UNDECLARED, Op

V2_PREFIX = "/wiki/api/v2"


def _docs(v2: str, v1: str) -> dict[str, dict[str, Any]]:
    return {"v2": json.loads(Path(v2).read_text(encoding="utf-8")),
            "v1": json.loads(Path(v1).read_text(encoding="utf-8"))}


def _ref(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        found: Any = doc
        for part in parts:
            found = found[part]
        node = found
    return node


def _merged(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The schema with its $refs and allOf resolved one level (properties merged)."""
    node = _ref(doc, node)
    if "allOf" in node:
        out: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in node["allOf"]:
            part = _merged(doc, part)
            for name, prop in part.get("properties", {}).items():
                if name in out["properties"]:
                    prop = {"allOf": [out["properties"][name], prop]}
                out["properties"][name] = prop
            out["required"] += part.get("required", [])
        return out
    return node


def _alternatives(doc: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _merged(doc, node)
    for key in ("oneOf", "anyOf"):
        if key in node:
            return [a for alt in node[key] for a in _alternatives(doc, alt)]
    return [node]


def _compare(doc: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any],
             where: str) -> list[str]:
    """Ours says no more than theirs (one of theirs, for oneOf)."""
    tries = [_compare_one(doc, ours, alt, where) for alt in _alternatives(doc, theirs)]
    return min(tries, key=len)


def _compare_one(doc: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any],
                 where: str) -> list[str]:
    problems: list[str] = []
    if not ours:
        return problems                              # ANY: anything theirs allows
    kind = theirs.get("type") or ("object" if "properties" in theirs else None)
    if kind and ours.get("type") != kind:
        problems.append(f"{where}: ours is {ours.get('type')}, the contract's {kind}")
        return problems
    if "enum" in ours and "enum" in theirs and set(ours["enum"]) - set(theirs["enum"]):
        problems.append(f"{where}: {sorted(set(ours['enum']) - set(theirs['enum']))} not "
                        "in the contract's enum")
    if ours.get("nullable") and not theirs.get("nullable"):
        problems.append(f"{where}: ours is nullable, the contract's is not")
    if ours.get("type") == "array":
        items = theirs.get("items") or {}
        problems += _compare(doc, ours["items"], items, where + "[]")
    if ours.get("type") == "object":
        props = theirs.get("properties", {})
        for name, schema in ours.get("properties", {}).items():
            if name not in props:
                # A free-form object (no properties named) or one that says it takes
                # more (additionalProperties: true) allows it.
                if props and theirs.get("additionalProperties") is not True:
                    problems.append(f"{where}.{name}: not a property of the contract's")
                continue
            problems += _compare(doc, schema, props[name], f"{where}.{name}")
        missing = set(theirs.get("required", [])) - set(ours.get("required", []))
        if missing:
            problems.append(f"{where}: the contract requires {sorted(missing)}")
    return problems


def _operation(docs: dict[str, dict[str, Any]], op: Op) -> dict[str, Any] | None:
    return docs[op.doc]["paths"].get(op.path, {}).get(op.method)


def _parameters(doc: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    return {p["name"]: p for p in (_ref(doc, p) for p in operation.get("parameters", []))}


def _body(doc: dict[str, Any], operation: dict[str, Any], kind: str) -> dict[str, Any]:
    body = _ref(doc, operation.get("requestBody") or {})
    return (body.get("content", {}).get(kind) or {}).get("schema") or {}


def check_shapes(docs: dict[str, dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    for op in OPS:
        where = f"{op.method.upper()} {op.path} ({op.doc})"
        operation = _operation(docs, op)
        if operation is None:
            problems.append(f"{where}: not an operation of the contract")
            continue
        doc = docs[op.doc]
        declared = {int(s) for s in operation["responses"] if s.isdigit()}
        extra = set(op.answers) - declared
        if extra:
            problems.append(f"{where}: statuses {sorted(extra)} not declared")
        allowed = UNDECLARED.get((op.doc, op.method, op.path), set())
        if allowed & declared:
            problems.append(f"{where}: {sorted(allowed & declared)} is declared after all")
        params = _parameters(doc, operation)
        for name in op.query - set(params) - op.dc_only:
            problems.append(f"{where}: query parameter {name} not declared")
        for name, values in op.enums.items():
            schema = _ref(doc, params.get(name, {}).get("schema", {}))
            theirs = schema.get("enum") or (["true", "false"] if schema.get("type") ==
                                            "boolean" else None)
            if theirs is None or set(values) - set(theirs):
                problems.append(f"{where}: {name} values {values} beyond {theirs}")
        for status, shape in op.answers.items():
            if shape is None:
                continue
            content = operation["responses"].get(str(status), {}).get("content") or {}
            schema = (content.get("application/json") or {}).get("schema")
            if schema is None:
                problems.append(f"{where} {status}: the contract declares no JSON answer")
                continue
            problems += _compare(doc, shape, schema, f"{where} {status}")
        if op.body is not None:
            problems += _compare(doc, op.body, _body(doc, operation, "application/json"),
                                 f"{where} request")
        if op.multipart:
            from tests.contract.confluence_shapes import UPLOAD_FIELDS, UPLOAD_OPTIONAL
            form = _ref(doc, _body(doc, operation, "multipart/form-data"))
            if set(form.get("required", [])) != set(UPLOAD_FIELDS):
                problems.append(f"{where}: the upload requires {form.get('required')}")
            for name in (*UPLOAD_FIELDS, *UPLOAD_OPTIONAL):
                if name not in form.get("properties", {}):
                    problems.append(f"{where}: the upload has no field {name}")
    return problems


def _text(node: Any) -> str:
    """Every description of an operation, its parameters, bodies and answers."""
    if isinstance(node, dict):
        return " ".join(_text(v) for k, v in node.items() if k != "$ref") + \
            " " + str(node.get("description", ""))
    if isinstance(node, list):
        return " ".join(_text(v) for v in node)
    return ""


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_quotes(docs: dict[str, dict[str, Any]]) -> list[str]:
    from tests.conformance.test_confluence_conformance import ROWS, Contract
    problems: list[str] = []
    for row in ROWS:
        if not isinstance(row.source, Contract):
            continue
        src = row.source
        doc = docs[src.doc]
        operation = doc["paths"][src.path][src.method]
        words = _text(_deep(doc, operation))
        if _flat(row.quote) not in _flat(words):
            problems.append(f"{row.operation}: {row.quote!r} is not in "
                            f"{src.method.upper()} {src.path}")
    return problems


def _deep(doc: dict[str, Any], node: Any, seen: tuple[str, ...] = ()) -> Any:
    """The node with its $refs inlined, a $ref already being inlined above left as is."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref is not None:
            return node if ref in seen else _deep(doc, _ref(doc, node), (*seen, ref))
        return {k: _deep(doc, v, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [_deep(doc, v, seen) for v in node]
    return node


def trim(docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The operations jirasync uses, their $refs kept and the closure of the components
    they name copied (v1's renamed ``v1.Name``: both documents have a ``Version``)."""
    out: dict[str, Any] = {"openapi": "3.0.3",
                           "info": {"title": "Confluence Cloud REST API v2 and v1: the "
                                             "operations jirasync uses",
                                    "version": "trimmed"},
                           "paths": {}, "components": {}}
    for op in OPS:
        doc, rename = docs[op.doc], (lambda r: r) if op.doc == "v2" else \
            (lambda r: re.sub(r"(#/components/[^/]+/)", r"\1v1.", r))
        path = V2_PREFIX + op.path if op.doc == "v2" else op.path
        todo = [_operation(docs, op)]
        out["paths"].setdefault(path, {})[op.method] = _renamed(todo[0], rename)
        while todo:
            for ref in _refs(todo.pop()):
                kind, name = ref.split("/")[2:4]
                target = out["components"].setdefault(kind, {})
                ours = name if op.doc == "v2" else "v1." + name
                if ours not in target:
                    node = doc["components"][kind][name]
                    target[ours] = _renamed(node, rename)
                    todo.append(node)
    return out


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _renamed(node: Any, rename: Any) -> Any:
    if isinstance(node, dict):
        return {k: rename(v) if k == "$ref" else _renamed(v, rename) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, rename) for v in node]
    return node


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] in ("trim", "check"):
        docs = _docs(argv[1], argv[2])
        if argv[0] == "trim":
            Path(argv[3]).write_text(json.dumps(trim(docs), indent=1, sort_keys=True),
                                     encoding="utf-8")
            return 0
        problems = check_shapes(docs) + check_quotes(docs)
        for p in problems:
            print(p)
        print(f"{len(OPS)} operations, {len(problems)} problems")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
