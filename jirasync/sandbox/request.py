"""A request as the API handlers see it: routed, authenticated, body parsed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, overload

from .replies import bad_request, invalid_payload

NO_BODY = object()


@dataclass(frozen=True)
class ApiRequest:
    """``actor`` is the authenticated user's id (None for anonymous); ``params`` the path
    parameters; ``body`` the parsed JSON body, or NO_BODY."""

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    body: Any = NO_BODY
    actor: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    @overload
    def arg(self, name: str, default: str) -> str: ...
    @overload
    def arg(self, name: str, default: None = None) -> str | None: ...

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        """Every value of a repeatable parameter, comma-separated lists split."""
        return [v.strip() for raw in self.query.get(name, []) for v in raw.split(",") if v.strip()]

    def int_arg(self, name: str, default: int) -> int:
        raw = self.arg(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError:
            raise bad_request(f"The '{name}' parameter must be a number, not '{raw}'.") from None

    def json(self) -> Any:
        if self.body is NO_BODY:
            raise invalid_payload()
        return self.body

    def json_object(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise invalid_payload()
        return body
