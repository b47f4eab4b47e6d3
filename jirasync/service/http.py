"""``--listen HOST:PORT``: ``/healthz`` and ``/metrics`` over plain HTTP, in one thread.
Nothing listens unless asked; the address is the operator's choice (loopback is the safe
one: neither page needs a password, and neither shows a secret).

The listener must never hurt the jobs beside it, whoever connects: it is one thread with
at most ``max_connections`` open connections (the oldest is closed to make room for a new
one, so idle or trickling clients cannot lock a probe out), each given ``timeout_s`` to
send its request and take its answer, and no more file descriptors than a quarter of the
process's limit, so the jobs always have theirs. A client that goes away is one log line.
"""
from __future__ import annotations

import errno
import ipaddress
import json
import logging
import resource
import selectors
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from jirasync import outward
from jirasync.errors import UsageError
from jirasync.service.health import Health
from jirasync.stopping import SIGNALS

LOG = logging.getLogger("jirasync.service")
MAX_CONNECTIONS = 64
TIMEOUT_S = 5.0
MAX_REQUEST_BYTES = 8192
GONE_LOGGED_PER_MINUTE = 10


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:9090`` for IPv6); UsageError naming the option otherwise."""
    host, sep, port = text.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise UsageError(f"--listen {text!r} is not HOST:PORT, e.g. 127.0.0.1:9090")
    return host, int(port)


def shown_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class Pages:
    """What the server shows: the health verdict and the metrics text."""

    def __init__(self, health: Callable[[], Health], metrics: Callable[[], bytes],
                 content_type: str):
        self.health, self.metrics, self.content_type = health, metrics, content_type

    def answer(self, method: str, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for one request."""
        if method not in ("GET", "HEAD"):
            return 405, "text/plain", b"only GET\n"
        path = path.split("?")[0]
        if path == "/healthz":
            try:
                verdict = self.health().to_json()
            except Exception as e:  # noqa: BLE001 - a probe must get an answer, with why
                verdict = {"ok": False, "reason": f"cannot judge health: {e}"}
            body = outward.data(verdict, clean=outward.public)
            return (200 if verdict["ok"] else 503, "application/json",
                    json.dumps(body, indent=1).encode())
        if path == "/metrics":
            return 200, self.content_type, outward.text(self.metrics().decode()).encode()
        return 404, "text/plain", b"not found: try /healthz or /metrics\n"


def serve(host: str, port: int, pages: Pages, *, max_connections: int = MAX_CONNECTIONS,
          timeout_s: float = TIMEOUT_S) -> Listener:
    """Start serving in a daemon thread; ``shutdown()`` the result to stop. UsageError
    (exit 2), naming the address, if it cannot be listened on."""
    where = shown_address(host, port)
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                    flags=socket.AI_PASSIVE)[0][0]
        sock = socket.create_server((host, port), family=family, backlog=128)
    except socket.gaierror:
        raise UsageError(f"--listen {where}: no such address on this machine; "
                         "give an IP address such as 127.0.0.1 or [::1]") from None
    except OSError as e:
        why = {errno.EADDRINUSE: "the address is already in use (another process listens "
                                 "there); choose another port or stop that process",
               errno.EADDRNOTAVAIL: "not an address of this machine",
               errno.EACCES: "permission denied (ports below 1024 need privileges)"}
        raise UsageError(f"--listen {where}: {why.get(e.errno or 0, e.strerror or str(e))}") \
            from None
    server = Listener(sock, pages, max_connections=_affordable(max_connections),
                      timeout_s=timeout_s)
    threading.Thread(target=_serve_deaf, args=(server,), name="jirasync-http",
                     daemon=True).start()
    where = shown_address(host, server.server_address[1])
    LOG.info("serving /healthz and /metrics on http://%s%s", where,
             "" if is_loopback(host) else " (not loopback: reachable from other hosts)",
             extra={"listen": where})
    return server


def _serve_deaf(server: Listener) -> None:
    """Serve with SIGTERM, SIGINT and SIGHUP blocked in this thread, so that the kernel
    hands them to the main thread. One handed to this thread would have Python run the
    handler only once the main thread next runs Python code; a daemon idling in its stop
    event's wait (up to 30 s) would go on sleeping, and not stop, until then."""
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    server.serve_forever()


def _affordable(wanted: int) -> int:
    """At most a quarter of the file descriptors this process may open."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return max(1, min(wanted, soft // 4)) if soft != resource.RLIM_INFINITY else wanted


@dataclass
class _Conn:
    sock: socket.socket
    client: str
    deadline: float
    data: bytearray = field(default_factory=bytearray)


class Listener:
    """A one-thread HTTP/1.0 server for two read-only pages (see the module's docstring)."""

    def __init__(self, sock: socket.socket, pages: Pages, *, max_connections: int,
                 timeout_s: float, clock: Callable[[], float] = time.monotonic):
        self.sock, self.pages, self.clock = sock, pages, clock
        self.max_connections, self.timeout_s = max_connections, timeout_s
        self.server_address = sock.getsockname()
        sock.setblocking(False)
        self._conns: dict[socket.socket, _Conn] = {}     # oldest first
        self._selector = selectors.DefaultSelector()
        self._selector.register(sock, selectors.EVENT_READ)
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._paused_until = 0.0
        self._gone = [0.0, 0]                 # this minute's start, clients gone in it

    def serve_forever(self) -> None:
        try:
            while not self._stop.is_set():
                self._resume_accepting()
                for key, _ in self._selector.select(timeout=self._wait()):
                    if key.fileobj is self.sock:
                        self._accept()
                    elif key.fileobj in self._conns:
                        self._read(self._conns[key.fileobj])
                self._expire()
        finally:
            for conn in list(self._conns.values()):
                self._close(conn)
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._stopped.wait(5)

    def server_close(self) -> None:
        self._selector.close()
        self.sock.close()

    def _wait(self) -> float:
        soonest = min((c.deadline for c in self._conns.values()), default=None)
        left = 0.2 if soonest is None else soonest - self.clock()
        return max(0.0, min(0.2, left))

    def _accept(self) -> None:
        try:
            sock, address = self.sock.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            # Out of file descriptors (or buffers): stop accepting for a second rather
            # than spin; connections wait in the kernel's backlog meanwhile.
            LOG.warning("http: cannot accept a connection (%s); pausing for 1 s",
                        e.strerror or e)
            self._selector.unregister(self.sock)
            self._paused_until = self.clock() + 1.0
            return
        if len(self._conns) >= self.max_connections:
            self._close(next(iter(self._conns.values())))     # the oldest makes room
        sock.setblocking(False)
        client = shown_address(*address[:2]) if isinstance(address, tuple) else str(address)
        self._conns[sock] = _Conn(sock, client, self.clock() + self.timeout_s)
        self._selector.register(sock, selectors.EVENT_READ)

    def _resume_accepting(self) -> None:
        if self._paused_until and self.clock() >= self._paused_until:
            self._paused_until = 0.0
            self._selector.register(self.sock, selectors.EVENT_READ)

    def _read(self, conn: _Conn) -> None:
        try:
            chunk = conn.sock.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self._went_away(conn, e)
            return
        if not chunk:
            if conn.data:
                self._went_away(conn, ConnectionResetError("closed before the request ended"))
            else:
                self._close(conn)
            return
        conn.data += chunk
        if b"\r\n\r\n" in conn.data or b"\n\n" in conn.data:
            self._respond(conn, *_request_line(bytes(conn.data)))
        elif len(conn.data) > MAX_REQUEST_BYTES:
            self._respond(conn, "", "", status=(431, "text/plain", b"request too large\n"))

    def _respond(self, conn: _Conn, method: str, path: str,
                 status: tuple[int, str, bytes] | None = None) -> None:
        code, kind, body = status or (self.pages.answer(method, path) if method
                                      else (400, "text/plain", b"bad request\n"))
        head = (f"HTTP/1.0 {code} {_REASONS.get(code, '')}\r\nContent-Type: {kind}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        try:
            conn.sock.settimeout(max(0.1, conn.deadline - self.clock()))
            conn.sock.sendall(head + (b"" if method == "HEAD" else body))
        except OSError as e:
            self._went_away(conn, e)
            return
        LOG.debug("http: %s %s %s from %s", method, path, code, conn.client)
        self._close(conn)

    def _expire(self) -> None:
        now = self.clock()
        for conn in [c for c in self._conns.values() if c.deadline <= now]:
            self._close(conn)         # too slow to ask: the probe's timeout is its own

    def _went_away(self, conn: _Conn, e: OSError) -> None:
        self._close(conn)
        now = self.clock()
        if now - self._gone[0] >= 60:
            self._gone = [now, 0]
        self._gone[1] += 1
        if self._gone[1] <= GONE_LOGGED_PER_MINUTE:
            LOG.info("http: client %s went away before its answer (%s)", conn.client,
                     type(e).__name__, extra={"client": conn.client})
        elif self._gone[1] == GONE_LOGGED_PER_MINUTE + 1:
            LOG.info("http: more clients went away this minute; not logged one by one")

    def _close(self, conn: _Conn) -> None:
        self._conns.pop(conn.sock, None)
        try:
            self._selector.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            431: "Request Header Fields Too Large", 503: "Service Unavailable"}


def _request_line(data: bytes) -> tuple[str, str]:
    """(method, path) of an HTTP request, or ("", "") if its first line is not one."""
    first = data.split(b"\n", 1)[0].decode("latin-1").strip().split()
    if len(first) != 3 or not first[2].startswith("HTTP/"):
        return "", ""
    return first[0], first[1]
