"""``--listen HOST:PORT``: ``/healthz`` and ``/metrics`` over plain HTTP, in a thread.
Nothing listens unless asked; the address is the operator's choice (loopback is the safe
one: neither page needs a password, and neither shows a secret)."""
from __future__ import annotations

import ipaddress
import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jirasync import outward
from jirasync.errors import UsageError
from jirasync.service.health import Health

LOG = logging.getLogger("jirasync.service")


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:9090`` for IPv6); UsageError naming the option otherwise."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise UsageError(f"--listen {text!r} is not HOST:PORT, e.g. 127.0.0.1:9090")
    return host, int(port)


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


def serve(host: str, port: int, pages: Pages) -> ThreadingHTTPServer:
    """Start serving in a daemon thread; ``shutdown()`` the result to stop."""
    handler = type("Handler", (_Handler,), {"pages": pages})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="jirasync-http", daemon=True).start()
    where = f"{host}:{server.server_address[1]}"
    LOG.info("serving /healthz and /metrics on http://%s%s", where,
             "" if is_loopback(host) else " (not loopback: reachable from other hosts)",
             extra={"listen": where})
    return server


class _Handler(BaseHTTPRequestHandler):
    pages: Pages

    def do_GET(self) -> None:    # noqa: N802 - the name http.server calls
        path = self.path.split("?")[0]
        if path == "/healthz":
            try:
                verdict = self.pages.health().to_json()
            except Exception as e:  # noqa: BLE001 - a probe must get an answer, with why
                verdict = {"ok": False, "reason": f"cannot judge health: {e}"}
            body = outward.dumps(verdict, indent=1).encode()
            self._send(200 if verdict["ok"] else 503, "application/json", body)
        elif path == "/metrics":
            metrics = outward.text(self.pages.metrics().decode()).encode()
            self._send(200, self.pages.content_type, metrics)
        else:
            self._send(404, "text/plain", b"not found: try /healthz or /metrics\n")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:   # noqa: A002 - http.server's name
        LOG.debug("http: " + format, *args)
