"""Tokens never reach exception messages, tracebacks, reprs or logs (urllib3's included)."""
from __future__ import annotations

import base64
import json
import logging
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jirasync.errors import AuthError, JiraError
from jirasync.gateway.connect import connect

from .conftest import TOKEN, FakeTime

EMAIL = "pmo-bot@example.org"
SERVER_INFO = {"baseUrl": "", "version": "9.12.0", "versionNumbers": [9, 12, 0],
               "deploymentType": "Server"}


def secrets_in(text: str) -> list[str]:
    basic = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
    return [s for s in (TOKEN, basic, "Authorization", "Bearer") if s in text]


class FakeJira(BaseHTTPRequestHandler):
    """Loopback Jira: serverInfo answers (unless the class says 401), every other call 500."""

    reject_all = False

    def _answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.reject_all:
            status, body = 401, {"errorMessages": ["Client must be authenticated"]}
        elif self.path.endswith("/serverInfo"):
            status, body = 200, SERVER_INFO
        else:
            status, body = 500, {"errorMessages": ["Internal server error"]}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_jira():
    def serve(reject_all: bool):
        handler = type("Handler", (FakeJira,), {"reject_all": reject_all})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"
    servers: list[ThreadingHTTPServer] = []
    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def everything_said(exc: BaseException, caplog) -> str:
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc), caplog.text])


def test_rejected_basic_auth_leaks_nothing(fake_jira, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    url = fake_jira(reject_all=True)
    fake = FakeTime()
    with pytest.raises(AuthError) as caught:
        connect(url, email=EMAIL, token=TOKEN, sleep=fake.sleep, clock=fake.clock)
    assert "urllib3" in caplog.text   # the debug logs were really captured
    assert secrets_in(everything_said(caught.value, caplog)) == []


def test_failing_write_with_a_pat_leaks_nothing(fake_jira, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    fake = FakeTime()
    gw = connect(fake_jira(reject_all=False), auth_type="pat", token=TOKEN, sleep=fake.sleep,
                 clock=fake.clock)
    with pytest.raises(JiraError) as caught:
        gw.edit_issue("DCR-1", add_labels=["ll-keep"], comment="hello")
    assert "500" in str(caught.value) and caught.value.issue == "DCR-1"
    assert secrets_in(everything_said(caught.value, caplog) + repr(gw) + str(vars(gw))) == []
