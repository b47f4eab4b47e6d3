"""The one place where the gateway's HTTP requests are paced, retried and judged.

Rules, for every request:

- It has ``timeout=timeout_s`` (the session's timeout) and waits its turn: at most
  ``max_requests_per_s`` requests start per second.
- 429 and 503 are retried for every request, since Jira refused it without doing it. A
  ``Retry-After`` (seconds or an HTTP date) is the minimum wait; the wait is otherwise
  exponential backoff with full jitter (base 1 s, cap 60 s).
- 502, 504, lost connections and read timeouts are retried only for *safe* requests:
  reads, searches and PUTs that set a value, which are harmless to repeat. Creates,
  comments, notifications and edits that add a comment are never resent, because Jira
  may already have done them; they fail with ``maybe_applied=True`` (as does a 5xx
  answer to them) so that the caller searches before trying again.
  A connection that was never opened (refused, DNS, connect timeout) sent nothing and is
  retried for every request, at most ``max_connection_tries`` times.
- Retrying stops once the time spent would exceed ``max_retry_s``.
- Everything else maps to an error (``failures.error_for``); 401/403 are ``AuthError``.

The ``jira`` library's own retries are switched off (``max_retries=0``), so this policy is
the only one. Its ``JIRAError`` dumps headers and bodies into its message, so it is
caught here, reduced to its response, and never raised or chained.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import requests
from jira.exceptions import JIRAError

from jirasync.errors import JiraError, UnexpectedAnswer
from jirasync.gateway.failures import (
    JIRA,
    Call,
    Service,
    connection_error,
    error_for,
    gave_up,
    never_sent,
    public_url,
    retry_after_s,
)
from jirasync.gateway.types import Pacing

LOG = logging.getLogger("jirasync.gateway")
T = TypeVar("T")
RETRY_ALWAYS = (429, 503)
RETRY_IF_SAFE = (502, 504)


class Transport:
    """Sends requests on the ``jira`` library's session under the rules above."""

    def __init__(self, url: str, pacing: Pacing, *, sleep: Callable[[float], Any],
                 clock: Callable[[], float], rng: Callable[[], float],
                 now: Callable[[], datetime] | None = None, service: Service = JIRA):
        self.url = url.rstrip("/")
        self.service = service
        self.pacing = pacing
        self.session: requests.Session | None = None
        self._sleep, self._clock, self._rng, self._now = sleep, clock, rng, now
        self._counts: Counter[str] = Counter()
        self._next_slot: float | None = None

    def __repr__(self) -> str:
        return f"Transport({self.url!r})"

    @property
    def stats(self) -> dict[str, int]:
        """HTTP requests made, by kind, plus ``retries`` and ``rate-limited`` (429s)."""
        return {"retries": 0, **self._counts}

    def request(self, call: Call, method: str, path: str, *,
                params: dict[str, Any] | None = None, body: Any = None) -> requests.Response:
        """``method`` on ``/rest/api/2/<path>``; the final response, or an error raised."""
        url = f"{self.url}/rest/api/2/{path}"
        data = None if body is None else json.dumps(body)
        session = self.session
        assert session is not None, "connect() lends the session before any request"
        response = self.run(call, lambda: session.request(
            method, url, params=params, data=data))
        LOG.debug("%s /rest/api/2/%s -> %s", method, path, response.status_code)
        return response

    def json(self, call: Call, method: str, path: str, *,
             params: dict[str, Any] | None = None, body: Any = None) -> Any:
        """Like ``request``, returning the decoded body (None when empty)."""
        response = self.request(call, method, path, params=params, body=body)
        return decode(call, response, self.url, self.service)

    def run(self, call: Call, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` (one HTTP exchange) until it succeeds or the rules say stop."""
        started, tries = self._clock(), 0
        while True:
            outcome = self._once(call, attempt)
            wait = self._wait_before_retry(call, outcome, tries)
            if wait is None:
                result: T = self._result(call, outcome)
                return result
            tries += 1
            if self._out_of_budget(call, outcome, started, wait, tries):
                raise gave_up(call, outcome, self.url, self.pacing.max_retry_s,
                              self.service)
            self._counts["retries"] += 1
            LOG.warning("%s: %s during %s; retrying in %.1f s", self.service.name,
                        describe(outcome), call.what, wait)
            self._sleep(wait)

    def _once(self, call: Call, attempt: Callable[[], T]) -> T | requests.Response | Exception:
        self._pace()
        self._counts[call.kind] += 1
        try:
            return attempt()
        except JIRAError as exc:
            if exc.response is not None:
                response: requests.Response = exc.response
                return response
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:   # answer cut off midway
            return exc
        # The library failed without an answer; raised outside the except block so that
        # the JIRAError is not chained.
        raise JiraError(f"{self.service.name} sent no answer to {call.what}",
                        issue=call.issue,
                        retryable=True)

    def _wait_before_retry(self, call: Call, outcome: object, tries: int) -> float | None:
        if isinstance(outcome, Exception):
            return self._backoff(tries) if call.safe or never_sent(outcome) else None
        if not isinstance(outcome, requests.Response):
            return None
        if outcome.status_code == 429:
            self._counts["rate-limited"] += 1     # for the daemon's metrics
        if outcome.status_code in RETRY_ALWAYS:
            now = self._now() if self._now else None
            asked = retry_after_s(outcome, now) or 0.0
            return max(asked, self._backoff(tries))
        if outcome.status_code in RETRY_IF_SAFE and call.safe:
            return self._backoff(tries)
        return None

    def _out_of_budget(self, call: Call, outcome: object, started: float, wait: float,
                       tries: int) -> bool:
        limit = call.connect_tries or self.pacing.max_connection_tries
        if isinstance(outcome, Exception) and tries >= limit:
            return True
        return self._clock() - started + wait > self.pacing.max_retry_s

    def _result(self, call: Call, outcome: Any) -> Any:
        if isinstance(outcome, Exception):
            raise connection_error(call, outcome, self.url, sent=not never_sent(outcome),
                                   service=self.service)
        if isinstance(outcome, requests.Response) and not outcome.ok \
                and outcome.status_code not in call.allow:
            raise error_for(call, outcome, self.url, self.service)
        return outcome

    def _backoff(self, tries: int) -> float:
        ceiling = min(self.pacing.backoff_cap_s, self.pacing.backoff_base_s * 2.0 ** tries)
        return self._rng() * ceiling

    def _pace(self) -> None:
        now = self._clock()
        if self._next_slot is not None and now < self._next_slot:
            self._sleep(self._next_slot - now)
            now = self._next_slot
        self._next_slot = now + 1.0 / self.pacing.max_requests_per_s


def decode(call: Call, response: requests.Response, url: str,
           service: Service = JIRA) -> Any:
    """The JSON body of a response, None when empty; UnexpectedAnswer when it is not JSON
    (an HTML page from a proxy or a login portal, most often)."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        pass
    page = response.text.lstrip()[:1] == "<"
    raise UnexpectedAnswer(call.what, "a JSON body", sent="an HTML page" if page else "text",
                           hint=f"is {service.key}.url ({public_url(url)}) the address of "
                                f"{service.name} itself?",
                           status=response.status_code, issue=call.issue,
                           maybe_applied=not call.safe)


def describe(outcome: object) -> str:
    if isinstance(outcome, requests.Response):
        return f"{outcome.status_code} {outcome.reason or ''}".strip()
    return f"no answer ({type(outcome).__name__})"
