"""Deterministic trouble on demand: rate limits, server errors, lost answers, index lag.

Every knob counts requests rather than time, so tests never sleep.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .replies import ApiError

FAIL_STATUSES = (500, 502, 503, 504)
CREATE_KINDS = ("create", "bulk-create")


@dataclass
class _Rule:
    status: int
    remaining: int
    method: str | None
    path: re.Pattern[str] | None

    def matches(self, method: str, path: str) -> bool:
        return (self.method in (None, method)) and (self.path is None or bool(self.path.search(path)))


class Faults:
    """The fault knobs of one sandbox (``sb.faults``)."""

    def __init__(self, on_search_lag: Callable[[bool], None]):
        self._lock = threading.Lock()
        self._limited = 0
        self._limit_status = 429
        self._retry_after = 1
        self._rules: list[_Rule] = []
        self._drops = 0
        self._drop_kinds: tuple[str, ...] = CREATE_KINDS
        self._on_search_lag = on_search_lag
        self._after: tuple[int, Callable[[], None]] | None = None

    def rate_limit(self, count: int, retry_after: int = 1, status: int = 429) -> None:
        """The next ``count`` requests answer ``status`` (429 or 503) with Retry-After."""
        if status not in (429, 503):
            raise ValueError("rate limits answer 429 or 503")
        with self._lock:
            self._limited, self._retry_after, self._limit_status = count, retry_after, status

    def fail(self, status: int, count: int = 1, method: str | None = None,
             path: str | None = None) -> None:
        """The next ``count`` requests matching ``method`` and ``path`` (a regex searched
        in the request path) answer ``status`` without being processed."""
        if status not in FAIL_STATUSES:
            raise ValueError(f"fail() answers one of {FAIL_STATUSES}")
        rule = _Rule(status, count, method.upper() if method else None,
                     re.compile(path) if path else None)
        with self._lock:
            self._rules.append(rule)

    def drop_after_create(self, count: int = 1) -> None:
        """The next ``count`` create and bulk-create requests are processed (the issues
        exist) and then the connection is closed without an answer."""
        self.drop_after(CREATE_KINDS, count)

    def drop_after(self, kinds: tuple[str, ...], count: int = 1) -> None:
        """The next ``count`` successful requests of these kinds (``edit``, ``notify``,
        ``property``, ...: the sandbox's request log names them) are processed, and then
        the connection is closed without an answer: Jira did the work, the answer is lost."""
        with self._lock:
            self._drops, self._drop_kinds = count, tuple(kinds)

    def clear(self) -> None:
        """No more trouble: rate limits, failures, lost answers and hooks all off."""
        with self._lock:
            self._limited, self._rules, self._drops, self._after = 0, [], 0, None

    def after_requests(self, count: int, action: Callable[[], None]) -> None:
        """Once the ``count``-th request from now is processed, call ``action`` before
        answering it (say, SIGKILL the client: Jira did the work, the client is gone)."""
        with self._lock:
            self._after = (count, action)

    def processed(self) -> None:
        """Called by the front door after each request, before its answer goes out."""
        with self._lock:
            if self._after is None:
                return
            left, action = self._after[0] - 1, self._after[1]
            self._after = None if left <= 0 else (left, action)
        if left <= 0:
            action()

    def search_lag(self, on: bool = True) -> None:
        """Cloud's lagging index: issues written from now on are invisible or stale in
        ``/search/jql`` until ``sb.index_catch_up()``, unless reconciled by id."""
        self._on_search_lag(on)

    def before(self, method: str, path: str) -> ApiError | None:
        """The error to answer instead of processing this request, if any."""
        with self._lock:
            if self._limited > 0:
                self._limited -= 1
                return ApiError(self._limit_status, "Rate limit exceeded.",
                                headers=(("Retry-After", str(self._retry_after)),))
            rule = next((r for r in self._rules if r.matches(method, path)), None)
            if rule is None:
                return None
            rule.remaining -= 1
            if rule.remaining <= 0:
                self._rules.remove(rule)
        return ApiError(rule.status, f"The sandbox was told to fail this request ({rule.status}).")

    def drop(self, kind: str) -> bool:
        """Whether to close the connection instead of answering this processed request."""
        with self._lock:
            if kind in self._drop_kinds and self._drops > 0:
                self._drops -= 1
                return True
            return False
