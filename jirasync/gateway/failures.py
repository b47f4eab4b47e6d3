"""Turning Jira's failures into jirasync errors a PMO can act on.

Messages name the request and the issue key, carry Jira's own errorMessages, and never
include headers, tokens or request bodies.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from jirasync.errors import AuthError, JiraError
from jirasync.netloc import on_this_machine


def never_sent(exc: Exception) -> bool:
    """Whether a failed request certainly never reached the server, Jira's or a webhook's
    (so resending is harmless): no connection was opened."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    first = exc.args[0] if exc.args else None
    return isinstance(first, NewConnectionError) or (
        isinstance(first, MaxRetryError) and isinstance(first.reason, NewConnectionError))


REASONS = {429: "Too Many Requests", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout"}


@dataclass(frozen=True)
class Call:
    """One logical request: its stats bucket, how messages name it, whether it may be resent.

    ``safe`` requests (reads, searches, PUTs that set a value) may be resent after a lost
    connection or a 502/504; unsafe ones (creates, comments, notifications) may already
    have happened then and are never resent. ``allow`` lists statuses the caller handles.
    """

    kind: str
    what: str
    safe: bool
    issue: str | None = None
    allow: tuple[int, ...] = ()
    connect_tries: int | None = None     # None: Pacing.max_connection_tries


@dataclass(frozen=True)
class Service:
    """Whom a failure names and where it sends the user: the same transport serves Jira
    and the Confluence that publish writes to, whose mistakes are mended elsewhere."""

    name: str
    key: str               # the config section: its url and auth keys are named
    auth: str              # what to check when the credentials are refused
    scope: str             # where the bot's permissions are set
    missing: str = ""      # what to check when an address answers 404


JIRA = Service("Jira", "jira", "the email and the token (jira.auth and the token it names)",
               "project")
CONFLUENCE = Service("Confluence", "confluence",
                     "the email and the token (confluence.auth, on Cloud jira.auth unless "
                     "given, and the token it names)",
                     "space", "; check confluence.url (Confluence Cloud's is the site's "
                              "address followed by /wiki)")


def public_url(url: str) -> str:
    """The URL without any user:password@ a user may have pasted into it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def jira_detail(response: requests.Response) -> str:
    """Jira's errorMessages and field errors joined, or '' when the body says nothing useful."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        # An HTML error page from a proxy is noise in a one-line message.
        return "" if text.startswith("<") else text[:200]
    return error_text(body)


def error_text(body: Any) -> str:
    """Jira's ErrorCollection (errorMessages, field errors) as one line; '' for anything
    else. Best effort: an error is being reported already, its details must not fail."""
    if not isinstance(body, dict):
        return ""
    messages = body.get("errorMessages")
    parts = [str(m) for m in messages] if isinstance(messages, list) else \
        [str(messages)] if isinstance(messages, str) else []
    errors = body.get("errors")
    if isinstance(errors, dict):
        parts += [f"{field}: {msg}" for field, msg in errors.items()]
    for key in ("message", "errorMessage"):
        if body.get(key):
            parts.append(str(body[key]))
    return "; ".join(parts)


def error_for(call: Call, response: requests.Response, url: str,
              service: Service = JIRA) -> JiraError:
    """The error for a final non-2xx answer."""
    name = service.name
    status, issue = response.status_code, call.issue
    detail = jira_detail(response)
    tail = f": {detail}" if detail else ""
    if status == 401:
        return AuthError(
            f"{name} did not accept the credentials for {public_url(url)} (401): "
            f"check {service.auth}", status=401, issue=issue)
    if status == 403:
        return AuthError(
            f"{name} refused {call.what} to the bot (403 Forbidden){tail}; check "
            f"the bot's permissions in the {service.scope}", status=403, issue=issue)
    if status == 400:
        return JiraError(f"{name} rejected {call.what} (400){tail}",
                             status=400, issue=issue)
    if status == 404 and issue:
        return JiraError(f"Jira has no issue {issue}, or the bot cannot see it "
                             f"(404, during {call.what}){tail}", status=404, issue=issue)
    reason = response.reason or REASONS.get(status, "")
    if status == 404:
        tail += service.missing
    # A 5xx on a write may come after Jira did the work (a proxy timing out, say).
    maybe = not call.safe and status >= 500
    return JiraError(f"{name} answered {status} {reason} to {call.what}{tail}",
                         status=status, retryable=status >= 500 and not maybe, issue=issue,
                         maybe_applied=maybe)


def connection_error(call: Call, exc: Exception, url: str, *, sent: bool,
                     service: Service = JIRA) -> JiraError:
    """The error for a request that got no answer."""
    why, name, key = type(exc).__name__, service.name, service.key
    if sent and not call.safe:
        return JiraError(
            f"lost the connection to {name} during {call.what} ({why}); {name} may "
            "have done it, so it was not sent again: search before retrying",
            status=0, retryable=False, issue=call.issue, maybe_applied=True)
    # On this machine it is most often the sandbox, not running (or on another port).
    hint = f"is `jirasync sandbox` running? check {key}.url" if on_this_machine(url) \
        else f"check {key}.url and the network"
    return JiraError(f"could not reach {name} at {public_url(url)} during "
                     f"{call.what} ({why}); {hint}",
                     status=0, retryable=True, issue=call.issue)


def gave_up(call: Call, outcome: object, url: str, max_retry_s: float,
            service: Service = JIRA) -> JiraError:
    """The error once retrying would exceed ``max_retry_s``."""
    name = service.name
    if isinstance(outcome, requests.Response):
        status = outcome.status_code
        if status == 429:
            return JiraError(
                f"{name} kept answering 429 Too Many Requests for {max_retry_s:g} s; "
                "try again later or lower jira.max_requests_per_s",
                status=429, retryable=True, issue=call.issue)
        return JiraError(
            f"{name} kept answering {status} {REASONS.get(status, '')} to "
            f"{call.what} for {max_retry_s:g} s; try again later",
            status=status, retryable=True, issue=call.issue)
    assert isinstance(outcome, Exception)     # retried: an answer or a lost connection
    return connection_error(call, outcome, url, sent=False, service=service)


def retry_after_s(response: requests.Response, now: datetime | None = None) -> float | None:
    """Seconds Jira asked us to wait (``Retry-After`` as seconds or an HTTP date), if any."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
