"""The HTTP side: a loopback server whose front door applies latency, faults and auth,
routes the request, logs it and shows the exchange to the observer."""
from __future__ import annotations

import base64
import binascii
import json
import selectors
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import confluence_api, permissions
from .faults import Faults
from .instance import Instance
from .model import ObservedRequest, ObservedResponse, RequestLog
from .replies import ApiError, Reply
from .request import NO_BODY, ApiRequest
from .router import kind_of, resolve
from .webhooks import Webhooks

Observer = Callable[[ObservedRequest, "ObservedResponse | None"], None]
NOT_AUTHENTICATED = ("You are not authenticated. Authentication required to perform this "
                     "operation.")


@dataclass(frozen=True)
class Credentials:
    """What the bot presents: Cloud basic auth (e-mail, API token) or a DC bearer PAT."""

    cloud: bool
    email: str
    token: str
    pat: str

    def accepts(self, header: str) -> bool:
        return self.login(header) is not None

    def login(self, header: str) -> str | None:
        """The email the request signs in as, or None if it does not. On Cloud any
        sandbox user signs in with the sandbox's API token (so a PMO can try an owner's
        answer by hand: ``curl -u sam.jones@example.org:sandbox-token``); the bot's is the
        email the config names. Data Center's personal access token is the bot's."""
        scheme, _, value = header.partition(" ")
        if not self.cloud:
            ok = scheme.lower() == "bearer" and value.strip() == self.pat
            return self.email if ok else None
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        email, _, token = decoded.partition(":")
        return email if scheme.lower() == "basic" and token == self.token and email else None


class FrontDoor:
    """Turns raw requests into answers; everything a request goes through in order."""

    def __init__(self, inst: Instance, faults: Faults, credentials: Credentials,
                 observer: Observer | None):
        self.inst = inst
        self.faults = faults
        self.credentials = credentials
        self.observer = observer
        self.latency_s = 0.0
        self.log: list[RequestLog] = []
        self.webhooks = Webhooks()      # the PMO's channel (webhooks.py), beside Jira
        self.errors: list[str] = []
        self._log_lock = threading.Lock()

    def handle(self, seen: ObservedRequest) -> ObservedResponse | None:
        """The answer to send, or None to close the connection without one."""
        if seen.path == "/webhooks" or seen.path.startswith("/webhooks/"):
            status, hook_headers, body = self.webhooks.handle(seen.method, seen.path,
                                                              seen.body)
            return ObservedResponse(status, tuple(hook_headers), body)
        if self.latency_s:
            time.sleep(self.latency_s)
        kind = confluence_api.kind_of(seen.method, seen.path, self.inst.cloud) \
            if confluence_api.serves(seen.path, self.inst.cloud) \
            else kind_of(seen.method, seen.path)
        reply, dropped = self._answer(seen, kind)
        self.faults.processed()
        data, headers = reply.encode()
        answer = None if dropped else ObservedResponse(reply.status, headers, data)
        with self._log_lock:
            self.log.append(RequestLog(seen.method, seen.path, seen.query,
                                       0 if dropped else reply.status, kind))
        if self.observer is not None:
            self._observe(seen, answer)
        return answer

    def _answer(self, seen: ObservedRequest, kind: str) -> tuple[Reply, bool]:
        fault = self.faults.before(seen.method, seen.path)
        if fault is not None:
            return fault.reply(), False
        try:
            request, handler = self._prepare(seen)
            with self.inst.lock:
                reply = permissions.guard(self.inst, request, kind) \
                    or handler(self.inst, request)
            return reply, reply.status < 300 and self.faults.drop(kind)
        except ApiError as e:
            return e.reply(), False
        except Exception:  # noqa: BLE001 -- a sandbox bug: answer 500 as Jira would, keep the trace
            self.errors.append(traceback.format_exc())
            return ApiError(500, "Internal server error").reply(), False

    def _prepare(self, seen: ObservedRequest) -> tuple[ApiRequest, Callable[..., Any]]:
        if confluence_api.serves(seen.path, self.inst.cloud):    # the Confluence beside it
            request, handler, _ = confluence_api.prepare(
                self.inst, seen.method, seen.path, seen.query, dict(seen.headers),
                seen.body, self._authenticate)
            return request, handler
        match = resolve(seen.method, seen.path)
        actor = self._authenticate(dict(seen.headers), match.route.anonymous)
        request = ApiRequest(seen.method, seen.path,
                             parse_qs(seen.query, keep_blank_values=True),
                             _json(seen.body), actor, match.params)
        return request, match.route.handler

    def _authenticate(self, headers: dict[str, str], anonymous: bool) -> str | None:
        header = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        if header is None and anonymous:
            return None
        if header is None:
            raise ApiError(401, NOT_AUTHENTICATED)
        email = self.credentials.login(header)
        user = self.inst.directory.find(email) if email else None
        if user is None:
            raise ApiError(401, NOT_AUTHENTICATED,
                           headers=(("X-Seraph-LoginReason", "AUTHENTICATED_FAILED"),))
        return self.inst.user_id(user)

    def _observe(self, seen: ObservedRequest, response: ObservedResponse | None) -> None:
        observer = self.observer
        assert observer is not None         # called only when there is one
        try:
            observer(seen, response)
        except Exception:  # noqa: BLE001 -- a failing observer must not take the server down
            self.errors.append(traceback.format_exc())


def _json(body: bytes) -> object:
    if not body:
        return NO_BODY
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise ApiError(400, f"Unexpected character in the request body: {e}") from None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, keep-alive clients wait for
    # a delayed ACK (about 40 ms) on every request.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        door = self.server.door
        seen = ObservedRequest(self.command, door.inst.base_url, parts.path, parts.query,
                               tuple(self.headers.items()), body, door.inst.flavour)
        answer = door.handle(seen)
        if answer is None:
            self.close_connection = True
            return
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, door: FrontDoor, port: int = 0):
        super().__init__(("127.0.0.1", port), _Handler)
        self.door = door
        self.connections: set[socket.socket] = set()

    def get_request(self) -> tuple[socket.socket, object]:
        sock, address = super().get_request()
        self.connections.add(sock)
        return sock, address

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        # (a TCP server's requests are its connections' sockets)
        self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket],
                     client_address: Any) -> None:
        # A client that went away mid-request (killed, timed out) is not a sandbox bug.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Listener:
    """Serves a FrontDoor on 127.0.0.1 from a background thread.

    The thread waits on the listening socket and on a wake-up socket together, so ``stop``
    takes effect at once instead of at the next tick of a polling loop (tests start and
    stop thousands of sandboxes)."""

    def __init__(self, door: FrontDoor, port: int = 0):
        self._server = _Server(door, port)
        self._server.timeout = 0                # handle_request: the socket is ready
        self._wake, self._woken = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._server, selectors.EVENT_READ)
            selector.register(self._woken, selectors.EVENT_READ)
            while True:
                ready = {key.fileobj for key, _ in selector.select()}
                if self._woken in ready:
                    return
                self._server.handle_request()

    def stop(self) -> None:
        self._wake.send(b"x")
        if self._thread.is_alive():
            self._thread.join()
        # Keep-alive connections would otherwise hold their threads until the client goes.
        for sock in list(self._server.connections):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()
        self._wake.close()
        self._woken.close()
