"""The sandbox Jira without HTTP: the tests' default way to reach it.

A started sandbox is not served on a port; the requests this process sends to its address
are handed to ``Sandbox.answer`` by a ``requests`` transport adapter instead. The answer
comes from the same front door as over HTTP (latency, injected faults, authentication,
routing, the request log and the contract observer) and is turned into a
``requests.Response`` by the same code ``requests`` uses for an HTTP answer; a lost
answer is the same ``ConnectionError``. What is saved is the sockets, the server's
threads and the HTTP parsing on both sides.

Only this process can reach such a sandbox: a test that forks or starts a child process
that talks to it, or that needs a real port, is marked ``over_http`` (and
``--sandbox-over-http`` runs every test over HTTP). Each address is a loopback port this
module holds bound (and never listens on), so no real server in the process shares it and
a child that tries it anyway is refused at once.
"""
from __future__ import annotations

import io
import os
import socket
import weakref
from email.utils import formatdate
from http import HTTPStatus
from http.client import RemoteDisconnected
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3 import HTTPHeaderDict, HTTPResponse
from urllib3.exceptions import ProtocolError

from jirasync.sandbox import ObservedRequest, Sandbox

# Set before each test (tests/conftest.py): whether a sandbox started now answers in memory.
enabled = True
_routes: dict[str, InMemoryAdapter] = {}          # address -> adapter; replaced, not changed
_held: weakref.WeakKeyDictionary[Sandbox, socket.socket] = weakref.WeakKeyDictionary()
_real_start = Sandbox.start
_real_stop = Sandbox.stop
_real_get_adapter = requests.Session.get_adapter
_SERVER = f"{BaseHTTPRequestHandler.server_version} {BaseHTTPRequestHandler.sys_version}"


class InMemoryAdapter(HTTPAdapter):
    """``requests``' own HTTP adapter, whose connection pool is one sandbox's front door.

    Everything above the pool is requests' code, as over HTTP: its headers, the way an
    answer becomes a ``Response``, a lost answer becoming ``ConnectionError``; and the
    ``responses`` library, which patches ``HTTPAdapter.send``, still sees every request."""

    def __init__(self, sandbox: Sandbox):
        super().__init__()
        self.sandbox = sandbox
        self._pool = _Pool(sandbox)

    def get_connection_with_tls_context(self, request: requests.PreparedRequest,
                                        verify: Any, proxies: Any = None,
                                        cert: Any = None) -> Any:
        return self._pool


class _Pool:
    """Where urllib3's connection pool would be: ``urlopen`` asks the sandbox, in this
    thread, and answers as urllib3 would (a response not yet read, or ProtocolError)."""

    cert_reqs: str | None = None            # set by HTTPAdapter.cert_verify
    ca_certs: str | None = None

    def __init__(self, sandbox: Sandbox):
        self.sandbox = sandbox
        self._pid = os.getpid()

    def urlopen(self, method: str, url: str, body: Any = None, headers: Any = None,
                **_: Any) -> HTTPResponse:
        if os.getpid() != self._pid:
            raise RuntimeError("an in-memory sandbox answers only the process that started "
                               "it: mark the test over_http")
        parts = urlsplit(url)
        sent = dict(headers or {})
        sent.setdefault("Host", urlsplit(self.sandbox.url).netloc)
        seen = ObservedRequest(method, self.sandbox.url, parts.path, parts.query,
                               tuple(sent.items()), _body(body), self.sandbox.flavour)
        answer = self.sandbox.answer(seen)
        if answer is None:                 # the front door closed the connection unanswered
            raise ProtocolError("Connection aborted.", RemoteDisconnected(
                "Remote end closed connection without response"))
        back = [("Server", _SERVER), ("Date", formatdate(usegmt=True)), *answer.headers,
                ("Content-Length", str(len(answer.body)))]
        return HTTPResponse(body=io.BytesIO(answer.body), headers=HTTPHeaderDict(back),
                            status=answer.status, reason=_reason(answer.status),
                            preload_content=False, decode_content=False,
                            request_method=method, request_url=url)


def _body(body: object) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes):
        return body
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return b"".join(bytes(chunk) for chunk in body)  # type: ignore[attr-defined]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _start(sandbox: Sandbox, port: int = 0) -> str:
    if not enabled:
        return _real_start(sandbox, port)
    global _routes
    if sandbox not in _held:        # (the port its address names, held while it runs)
        held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        held.bind(("127.0.0.1", 0))
        _held[sandbox] = held
        sandbox.answer_at(f"http://127.0.0.1:{held.getsockname()[1]}")
        _routes = {**_routes, sandbox.url: InMemoryAdapter(sandbox)}
    return sandbox.url


def _stop(sandbox: Sandbox) -> None:
    global _routes
    held = _held.pop(sandbox, None)
    if held is not None:
        _routes = {url: a for url, a in _routes.items() if a.sandbox is not sandbox}
        held.close()
    _real_stop(sandbox)


def _get_adapter(session: requests.Session, url: str) -> BaseAdapter:
    routes = _routes                        # one read: other threads replace, never change
    if routes:
        parts = urlsplit(url)
        adapter = routes.get(f"{parts.scheme}://{parts.netloc}")
        if adapter is not None:
            return adapter
    return _real_get_adapter(session, url)


def install() -> None:
    """From now on a sandbox started while ``enabled`` answers in memory."""
    Sandbox.start = _start                  # type: ignore[method-assign]
    Sandbox.stop = _stop                    # type: ignore[method-assign]
    requests.Session.get_adapter = _get_adapter  # type: ignore[method-assign]


def routed() -> frozenset[str]:
    """The addresses answered in memory now."""
    return frozenset(_routes)
