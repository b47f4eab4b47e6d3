"""Checks what the sandbox Confluence receives and answers against the operations of
``confluence_shapes`` (Atlassian's contract, held to the documents by
``trim_confluence.py check``). Installed with the Jira contract's observer: every test
on a checked sandbox fails at teardown on a violation.

- A path or method that is no operation jirasync uses is a violation.
- A query parameter the operation does not declare, or a value outside its enum.
- A request body (JSON, or the multipart fields of an upload) not of the operation's
  shape.
- A status the operation does not declare (``UNDECLARED`` lists where the contract is
  silent and Confluence answers all the same; 429 and 5xx are allowed anywhere).
- A success answer not of the operation's shape: a property the contract does not name,
  a wrong type, a required property missing.

The pages a person reads (``/wiki/spaces/…``, ``viewpage.action``, downloads) are not
REST and are not checked."""
from __future__ import annotations

import json
import re
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs

from jsonschema import Draft7Validator

from jirasync.sandbox import ObservedRequest, ObservedResponse
from tests.contract.confluence_shapes import ANYWHERE, OPS, UNDECLARED, Op

REST = (("/wiki/api/v2", "v2", ""), ("/wiki/rest/api", "v1", "/wiki/rest/api"),
        ("/confluence/rest/api", "v1", "/wiki/rest/api"))


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")


_OPS = [(op, _pattern(op.path)) for op in OPS]


def _nullable(schema):
    """The contract's OpenAPI ``nullable`` as JSON Schema."""
    if isinstance(schema, dict):
        out = {k: _nullable(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable"):
            return {"anyOf": [out, {"type": "null"}]}
        return out
    if isinstance(schema, list):
        return [_nullable(v) for v in schema]
    return schema


def find(method: str, path: str, flavour: str) -> tuple[Op | None, str | None]:
    """The operation of a sandbox request (None when it is none), and its document path;
    (None, None) when the path is not Confluence's REST API."""
    for prefix, doc, under in REST:
        if path.startswith(prefix + "/"):
            rest = under + path[len(prefix):]
            for op, pattern in _OPS:
                if op.doc == doc and op.method == method.lower() and \
                        flavour in op.flavours and pattern.match(rest):
                    return op, rest
            return None, rest
    return None, None


class ConfluenceValidator:
    """Checks one exchange; ``check`` returns its violations (empty when it conforms)."""

    def check(self, request: ObservedRequest,
              response: ObservedResponse | None) -> list[str]:
        op, rest = find(request.method, request.path, request.flavour)
        if rest is None:
            return []
        where = f"{request.method} {request.path}"
        if op is None:
            return [(f"{where}: not an operation jirasync uses of the contract "
                    f"({request.flavour})")]
        problems = [f"{where} request: {p}" for p in self._request(op, request)]
        if response is not None:
            problems += [f"{where} -> {response.status}: {p}"
                         for p in self._response(op, response)]
        return problems

    def _request(self, op: Op, request: ObservedRequest) -> list[str]:
        problems = []
        for name, values in parse_qs(request.query, keep_blank_values=True).items():
            if name not in op.query:
                problems.append(f"query parameter {name!r} is not the operation's")
            elif name in op.enums and any(v not in op.enums[name] for v in values):
                problems.append(f"{name}={values} is not one of {list(op.enums[name])}")
        if op.multipart:
            problems += _multipart(request)
        elif op.body is not None:
            try:
                body = json.loads(request.body or b"null")
            except ValueError:
                return problems + ["a body that is not JSON"]
            problems += _errors(op.body, body)
        return problems

    def _response(self, op: Op, response: ObservedResponse) -> list[str]:
        status = response.status
        declared = status in op.answers or status in ANYWHERE or \
            status in UNDECLARED.get((op.doc, op.method, op.path), ())
        if not declared:
            return [f"status {status} is not declared by the operation"]
        shape = op.answers.get(status)
        if shape is None:
            return []
        try:
            body = json.loads(response.body)
        except ValueError:
            return ["an answer that is not JSON"]
        return _errors(shape, body)


def _errors(schema: dict, value: object) -> list[str]:
    validator = Draft7Validator(_nullable(schema))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message}"
            for e in validator.iter_errors(value)]


def _multipart(request: ObservedRequest) -> list[str]:
    from tests.contract.confluence_shapes import UPLOAD_FIELDS, UPLOAD_OPTIONAL
    ctype = next((v for k, v in request.headers if k.lower() == "content-type"), "")
    if not ctype.startswith("multipart/form-data"):
        return [f"an upload that is not multipart/form-data ({ctype})"]
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {ctype}\r\n\r\n".encode() + request.body)
    names = {str(p.get_param("name", header="content-disposition"))
             for p in message.iter_parts()}
    problems = [f"the upload has no {n!r} part" for n in UPLOAD_FIELDS if n not in names]
    extra = names - set(UPLOAD_FIELDS) - set(UPLOAD_OPTIONAL)
    return problems + [f"the upload's part {n!r} is not the operation's" for n in sorted(extra)]
