"""A reverse proxy in front of the sandbox that answers one path with an error whose body
quotes the request's Authorization header (raw, JSON-escaped, decoded) and a terminal
escape: what a misconfigured proxy or a debug page sends back."""
from __future__ import annotations

import base64
import json
import re
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TRAP = re.compile(r"/rest/api/\d+/project/")


class EchoProxy:
    def __init__(self, upstream: str, trap: re.Pattern = TRAP):
        proxy = self
        self.upstream, self.trap, self.trapped = upstream.rstrip("/"), trap, 0

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.trap.search(self.path):
                    proxy.trapped += 1
                    return self._echo()
                request = urllib.request.Request(proxy.upstream + self.path, data=body or None,
                                                 method=self.command)
                for name in ("Authorization", "Content-Type", "Accept"):
                    if self.headers.get(name):
                        request.add_header(name, self.headers[name])
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        status, data, kind = answer.status, answer.read(), answer.headers
                except urllib.error.HTTPError as e:
                    status, data, kind = e.code, e.read(), e.headers
                self._reply(status, data, kind.get("Content-Type", "application/json"))

            def _echo(self) -> None:
                header = self.headers.get("Authorization", "")
                value = header.split()[-1] if header else ""
                decoded = base64.b64decode(value).decode() if header.startswith("Basic") \
                    else value
                page = {"errorMessages": [(f"bad request \x1b]0;PWNED\x07 seen headers: "
                                           f"Authorization: {header}")],
                        "errors": {"auth": value, "user": decoded}}
                text = json.dumps(page).replace("/", "\\/")     # as some servers escape
                self._reply(400, text.encode(), "application/json")

            def _reply(self, status: int, data: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _any

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
