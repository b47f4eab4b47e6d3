"""Checks what the sandbox Jira receives and answers against Atlassian's Cloud contract.

``ContractValidator`` is a sandbox observer: every exchange is checked, problems are
collected in ``violations`` (the test fixtures fail the test at teardown). Rules beyond
what openapi-core checks, each because the contract is silent there:

- A status the operation does not declare (429/503 rate limits, injected 5xx, 401 where
  undeclared, Cloud's 410 for ``/search``, DC's 404 for ``/search/jql``) must carry Jira's
  ErrorCollection body.
- A declared status without content must have an empty body when it is a success, and
  an empty or ErrorCollection body when it is an error.
- A request for a path or method outside the contract is a violation.

Data Center is checked against the same contract. Where DC's own request shapes differ,
the request is first rewritten to its Cloud equivalent, so that everything else in it is
still checked; these are the only DC-only shapes let through:

- ``/search`` (GET and POST): ``validateQuery`` as a boolean (jira-python sends ``True``
  or ``true``; the Cloud contract has an enum of strings) and ``"expand": null`` in the
  POST body (jira-python sends it; DC ignores it).
- ``issue/{key}/notify``: recipients named ``{"name": username}`` (DC has no accountId;
  the Cloud contract marks ``name`` read-only there).

DC's ``/search`` answer (startAt, total) is the contract's SearchResults and is checked.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.exceptions import OpenAPIError
from openapi_core.security.factories import SecurityProviderFactory
from openapi_core.security.providers import BaseProvider
from openapi_schema_validator import OAS30Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from jirasync.sandbox import ObservedRequest, ObservedResponse
from tests.contract.confluence_validator import ConfluenceValidator

CONTRACT = Path(__file__).with_name("jira-cloud-trimmed.json")
DC_SEARCH = re.compile(r"^/rest/api/(2|latest)/search$")
DC_NOTIFY = re.compile(r"^/rest/api/(2|latest)/issue/[^/]+/notify$")


class _Anyone(BaseProvider):
    def __call__(self, parameters: RequestParameters) -> None:
        return None


class _NoAuthentication(SecurityProviderFactory):
    """The contract lets every operation be called anonymously (and openapi-core cannot
    evaluate its OAuth2 scheme), so authentication is the sandbox's own check."""

    def create(self, scheme: object) -> _Anyone:
        return _Anyone(scheme)


@lru_cache(maxsize=1)
def load_contract() -> tuple[OpenAPI, dict]:
    """The parsed contract (once per process) and its raw document."""
    document = json.loads(CONTRACT.read_text(encoding="utf-8"))
    config = Config(spec_validator_cls=None, security_provider_factory=_NoAuthentication())
    return OpenAPI.from_dict(document, config=config), document


CONFLUENCE = ("/wiki/", "/confluence/")   # the sandbox's Confluence beside its Jira


class ContractValidator:
    """A sandbox observer that records every contract violation it sees."""

    def __init__(self, contract: tuple[OpenAPI, dict] | None = None):
        self.api, document = contract or load_contract()
        self._operations = _Operations(document)
        self._errors = OAS30Validator(document["components"]["schemas"]["ErrorCollection"])
        self.violations: list[str] = []
        self._lock = threading.Lock()
        self._confluence = ConfluenceValidator()

    def __call__(self, request: ObservedRequest, response: ObservedResponse | None) -> None:
        if request.path.startswith(CONFLUENCE):     # Confluence's own contract
            problems = self._confluence.check(request, response)
        else:
            problems = self.check(request, response)
        with self._lock:
            self.violations.extend(problems)

    def take(self) -> list[str]:
        """The violations recorded so far, forgetting them (for expected violations)."""
        with self._lock:
            taken, self.violations = self.violations, []
        return taken

    def check(self, request: ObservedRequest, response: ObservedResponse | None) -> list[str]:
        """Every way this exchange breaks the contract (empty when it conforms)."""
        where = f"{request.method} {request.path}"
        responses = self._operations.get_responses(request.method, request.path)
        if responses is None:
            return [f"{where}: not an operation of the contract"]
        adapted = _Request(_cloud_equivalent(request))
        problems = [f"{where} request: {p}" for p in self._request(adapted)]
        if response is not None:
            problems += [f"{where} -> {response.status}: {p}"
                         for p in self._response(adapted, response, responses)]
        return problems

    def _request(self, request: _Request) -> list[str]:
        # The contract has no header parameters and one server ("/"), and authentication is
        # the sandbox's own check: method, path, query, content type and body decide.
        key = ("request", request.method, request.path, request.query_string,
               request.content_type, _digest(request.body))
        return verdicts(self.api).get(key, lambda: self._request_errors(request))

    def _request_errors(self, request: _Request) -> list[str]:
        with self._lock:
            return [_describe(e) for e in self.api.iter_request_errors(request)]

    def _response(self, request: _Request, response: ObservedResponse,
                  responses: dict) -> list[str]:
        declared = responses.get(str(response.status), responses.get("default"))
        if declared is None or not declared.get("content"):
            return self._plain(response, success=declared is not None
                               and response.status < 400)
        # The operation (method and path), the status, the headers and the body decide.
        key = ("response", request.method, request.path, response.status, response.headers,
               response.content_type, _digest(response.body))
        return verdicts(self.api).get(key, lambda: self._response_errors(request, response))

    def _response_errors(self, request: _Request, response: ObservedResponse) -> list[str]:
        with self._lock:
            try:
                self.api.validate_response(request, _Response(response))
            except OpenAPIError as e:
                return [_describe(e)]
        return []

    def _plain(self, response: ObservedResponse, *, success: bool) -> list[str]:
        if not response.body:
            return [] if success or response.status < 400 else ["error without a body"]
        if success:
            return ["a body where the contract declares no content"]
        try:
            body = json.loads(response.body)
        except ValueError:
            return ["an error body that is not JSON"]
        return [f"not an ErrorCollection: {e.message}" for e in self._errors.iter_errors(body)]


class Verdicts:
    """What openapi-core said of an exchange, kept by everything that decided it.

    Tests send the same requests and get the same answers thousands of times (each test's
    fresh sandbox numbers its issues from DCR-1 again), and checking them is most of the
    contract check's cost. A key holds every input the verdict depends on, so a kept
    verdict, pass or failure, is the one a fresh check would give: every repeat of a
    violation is still reported, with the same words. Bodies are keyed by their digest."""

    def __init__(self, size: int = 20_000):
        self._kept: OrderedDict[Hashable, list[str]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, check: Callable[[], list[str]]) -> list[str]:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return list(kept)
        verdict = check()
        with self._lock:
            self._kept[key] = list(verdict)
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return verdict


_VERDICTS: weakref.WeakKeyDictionary[OpenAPI, Verdicts] = weakref.WeakKeyDictionary()
_VERDICTS_LOCK = threading.Lock()


def verdicts(api: OpenAPI) -> Verdicts:
    """The verdicts kept for this contract (a test may check against another one)."""
    with _VERDICTS_LOCK:
        kept = _VERDICTS.get(api)
        if kept is None:
            kept = _VERDICTS[api] = Verdicts()
        return kept


def _digest(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=20).digest()


class _Operations:
    """The contract's operations by method and path template, to look up responses."""

    def __init__(self, document: dict):
        self._paths = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), ops)
                       for p, ops in document["paths"].items()]
        # A literal path ("/issue/bulk") wins over a template ("/issue/{issueIdOrKey}").
        self._paths.sort(key=lambda entry: entry[0].pattern.count("[^/]+"))

    def get_responses(self, method: str, path: str) -> dict | None:
        for pattern, ops in self._paths:
            if pattern.match(path) and method.lower() in ops:
                return ops[method.lower()].get("responses", {})
        return None


def _cloud_equivalent(request: ObservedRequest) -> ObservedRequest:
    """A Data Center request with its DC-only shapes (module docstring) in Cloud's form."""
    if request.flavour != "datacenter":
        return request
    body = _json_or_none(request.body)
    if DC_SEARCH.match(request.path):
        query = urlencode([(k, v.lower() if k == "validateQuery" else v)
                           for k, v in parse_qsl(request.query, keep_blank_values=True)])
        if isinstance(body, dict):
            if isinstance(body.get("validateQuery"), bool):
                body["validateQuery"] = str(body["validateQuery"]).lower()
            if body.get("expand", "") is None:
                del body["expand"]
        return replace(request, query=query, body=_bytes(body, request.body))
    if DC_NOTIFY.match(request.path) and isinstance(body, dict):
        for user in (body.get("to") or {}).get("users") or []:
            if isinstance(user, dict) and "name" in user:
                user["accountId"] = user.pop("name")
        return replace(request, body=_bytes(body, request.body))
    return request


def _json_or_none(data: bytes) -> object:
    try:
        return json.loads(data) if data else None
    except ValueError:
        return None


def _bytes(body: object, original: bytes) -> bytes:
    return original if body is None else json.dumps(body).encode()


class _Request:
    """An ObservedRequest in the shape openapi-core reads."""

    def __init__(self, seen: ObservedRequest):
        headers = Headers(list(seen.headers))
        self.host_url = seen.host_url
        self.path = seen.path
        self.method = seen.method.lower()
        self.body = seen.body
        self.content_type = (headers.get("Content-Type") or "application/json").lower()
        self.query_string = seen.query
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(seen.query, keep_blank_values=True)),
            header=headers)


class _Response:
    """An ObservedResponse in the shape openapi-core reads."""

    def __init__(self, seen: ObservedResponse):
        self.status_code = seen.status
        self.headers = Headers(list(seen.headers))
        self.content_type = seen.content_type.lower()
        self.data = seen.body


def _describe(error: Exception) -> str:
    """The exception and the schema errors openapi-core hides in its causes."""
    parts = [f"{type(error).__name__}: {error}"]
    cause = error.__cause__ or error.__context__
    while cause is not None:
        for schema_error in getattr(cause, "schema_errors", ()):
            parts.append(getattr(schema_error, "message", str(schema_error)))
        cause = cause.__cause__ or cause.__context__
    return "; ".join(dict.fromkeys(parts))
