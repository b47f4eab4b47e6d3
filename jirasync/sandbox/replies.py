"""Answers the sandbox sends, and Jira's error envelope."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

JSON = "application/json;charset=UTF-8"
NOT_ON_SCREEN = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."
NO_ISSUE = "Issue does not exist or you do not have permission to see it."


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: ``body`` None means no content (204 and friends)."""

    status: int
    body: Any = None
    headers: tuple[tuple[str, str], ...] = ()

    def encode(self) -> tuple[bytes, tuple[tuple[str, str], ...]]:
        if self.body is None:
            return b"", self.headers
        data = json.dumps(self.body, separators=(",", ":")).encode()
        return data, (("Content-Type", JSON), *self.headers)


def error_body(messages: list[str] | tuple[str, ...] = (), errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """Jira's ErrorCollection: general messages plus messages per field id."""
    return {"errorMessages": list(messages), "errors": dict(errors or {})}


class ApiError(Exception):
    """Ends a request with a Jira error answer."""

    def __init__(self, status: int, *messages: str, errors: dict[str, Any] | None = None,
                 headers: tuple[tuple[str, str], ...] = ()):
        super().__init__("; ".join([*messages, *(errors or {}).values()]))
        self.status = status
        self.messages = messages
        self.errors = dict(errors or {})
        self.headers = headers

    def reply(self) -> Reply:
        return Reply(self.status, error_body(self.messages, self.errors), self.headers)


def bad_request(*messages: str, errors: dict[str, Any] | None = None) -> ApiError:
    return ApiError(400, *messages, errors=errors)


def not_found(message: str = NO_ISSUE) -> ApiError:
    return ApiError(404, message)


def invalid_payload() -> ApiError:
    return bad_request("Invalid request payload. Refer to the REST API documentation and "
                       "try again.")
