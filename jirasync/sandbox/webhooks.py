"""The PMO's channel in the sandbox: a Teams Workflows webhook and a Slack incoming webhook,
served beside the sandbox Jira, that keep what they took so tests and the demo show it.

- ``POST /webhooks/teams/<id>``: a Workflows trigger. A body over 28,000 bytes answers
  413 (Teams: "Request Entity Too Large" past about 28 KB); a body that is not a message
  carrying an Adaptive Card answers 400; otherwise 202 Accepted, empty, as Workflows does.
- ``POST /webhooks/slack/<id>``: an incoming webhook. Slack answers errors as a short
  text: 400 ``invalid_payload`` (not JSON), ``no_text`` (neither text nor blocks),
  ``invalid_blocks`` (more than 50 blocks, a section's text over 3,000 characters, a
  header over 150...); otherwise 200 ``ok``.
- ``GET /webhooks``: every message received, as JSON (``{"messages": [...]}``).

Stricter than the services where they are vague (a card Teams would take and then fail to
post answers 400 here), never kinder. ``fail_next`` makes the next posts fail, with or
without the message kept first (a service that took it and still answered 5xx).
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jirasync.notify.slack import problems as slack_problems
from jirasync.notify.teams import problems as teams_problems

TEAMS_LIMIT = 28_000


@dataclass(frozen=True)
class Received:
    channel: str            # teams | slack
    hook: str               # the webhook's id (the secret part of its address)
    payload: Any
    status: int


@dataclass
class _Fault:
    status: int
    accepted: bool
    body: str
    retry_after: str | None
    channel: str | None


@dataclass
class Webhooks:
    received: list[Received] = field(default_factory=list)     # kept: the channel shows them
    answered: list[int] = field(default_factory=list)          # every status, in order
    _faults: list[_Fault] = field(default_factory=list)
    _then: Callable[[], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int = 500, *, times: int = 1, accepted: bool = False,
                  body: str = "rollup_error", retry_after: str | None = None,
                  channel: str | None = None) -> None:
        """The next ``times`` posts (to ``channel``, or any) answer ``status``; with
        ``accepted`` the message is kept first (it is in the channel all the same)."""
        with self._lock:
            self._faults += [_Fault(status, accepted, body, retry_after, channel)] * times

    def then(self, action: Callable[[], None]) -> None:
        """Once the next message is kept, call ``action`` before answering (say, SIGKILL
        the poster: the message is in the channel, the poster never hears so)."""
        self._then = action

    def messages(self, channel: str | None = None) -> list[Any]:
        """The payloads the channel shows (those kept), oldest first."""
        return [r.payload for r in self.received if channel in (None, r.channel)]

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, list[tuple[str, str]],
                                                                      bytes]:
        parts = path.strip("/").split("/")
        if method == "GET" and parts == ["webhooks"]:
            listing = [{"channel": r.channel, "payload": r.payload} for r in self.received]
            return _json(200, {"messages": listing})
        if method != "POST" or len(parts) != 3 or parts[1] not in ("teams", "slack"):
            return _text(404, "no_service")
        channel, hook = parts[1], parts[2]
        with self._lock:
            fault = next((f for f in self._faults if f.channel in (None, channel)), None)
            if fault is not None:
                self._faults.remove(fault)
        status, payload, answer = (self._teams if channel == "teams" else self._slack)(body)
        if fault is not None:
            if fault.accepted and status < 300:
                self._keep(channel, hook, payload, fault.status)
            headers = [("Retry-After", fault.retry_after)] if fault.retry_after else []
            self.answered.append(fault.status)
            return fault.status, [("Content-Type", "text/plain"), *headers], \
                fault.body.encode()
        if status < 300:
            self._keep(channel, hook, payload, status)
        self.answered.append(status)
        return answer

    def _keep(self, channel: str, hook: str, payload: Any, status: int) -> None:
        with self._lock:
            self.received.append(Received(channel, hook, payload, status))
            action, self._then = self._then, None
        if action is not None:
            action()

    def _teams(self, body: bytes) -> tuple[int, Any, tuple[int, list[tuple[str, str]], bytes]]:
        if len(body) > TEAMS_LIMIT:
            return 413, None, _json(413, {"error": {"code": "RequestEntityTooLarge",
                                                    "message": "Request Entity Too Large"}})
        payload = _parse(body)
        why = teams_problems(payload) if payload is not None else ["the body is not JSON"]
        if why:
            return 400, None, _json(400, {"error": {"code": "InvalidRequestContent",
                                                    "message": "; ".join(why)}})
        return 202, payload, (202, [], b"")

    def _slack(self, body: bytes) -> tuple[int, Any, tuple[int, list[tuple[str, str]], bytes]]:
        payload = _parse(body)
        if not isinstance(payload, dict):
            return 400, None, _text(400, "invalid_payload")
        why = slack_problems(payload)
        if why:
            return 400, None, _text(400, why[0].split(":")[0])
        return 200, payload, _text(200, "ok")


def _parse(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def _text(status: int, text: str) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "text/html")], text.encode()


def _json(status: int, data: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "application/json")], \
        json.dumps(data, ensure_ascii=False).encode("utf-8")
