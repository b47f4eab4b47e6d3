"""The listener beside the jobs: one thread, a bounded number of connections, each with a
deadline; idle or resetting clients neither lock a probe out nor break the JSON logs; a
busy or foreign address is one line naming it (exit 2); IPv6 in brackets works."""
from __future__ import annotations

import io
import json
import signal
import socket
import struct
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from jirasync.errors import UsageError
from jirasync.service import logs
from jirasync.service.health import Health
from jirasync.service.http import Pages, parse_listen, serve
from tests.service.conftest import PROMPT_DAY


def pages() -> Pages:
    return Pages(lambda: Health(True, {"sync": {"ok": True}}), lambda: b"# metrics\n",
                 "text/plain")


@pytest.fixture
def listening():
    servers = []

    def start(host="127.0.0.1", **options):
        server = serve(host, 0, pages(), **options)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def healthz(host: str, port: int) -> dict:
    with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=5) as answer:
        return json.loads(answer.read())


def test_a_probe_is_answered_among_a_thousand_idle_connections(listening):
    threads = threading.active_count()
    server = listening(max_connections=32)
    port = server.server_address[1]
    idle = []
    try:
        for n in range(1000):
            s = socket.create_connection(("127.0.0.1", port))
            if n % 2:
                s.sendall(b"GET /heal")            # a request that never ends
            idle.append(s)
        started = time.monotonic()
        assert healthz("127.0.0.1", port)["ok"] is True
        assert time.monotonic() - started < 2
        assert len(server._conns) <= 32
        assert threading.active_count() == threads + 1
    finally:
        for s in idle:
            s.close()


def test_a_silent_connection_is_closed_at_its_deadline(listening):
    server = listening(timeout_s=0.3)
    with socket.create_connection(("127.0.0.1", server.server_address[1])) as s:
        s.settimeout(5)
        assert s.recv(10) == b""                   # closed by the server, not the test


def test_resets_are_one_json_line_each_and_nothing_else(listening, capsys):
    out = io.StringIO()
    with logs.to_stderr("json", stream=out):
        server = listening()
        port = server.server_address[1]
        for n in range(20):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /metrics HTTP/1.1\r\n" if n % 2 else
                      b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()                             # RST, before or after the answer
        assert healthz("127.0.0.1", port)["ok"] is True
        server.shutdown()
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines]
    assert any("went away" in json.loads(line)["message"] for line in lines)
    assert capsys.readouterr().err == ""


def test_ipv6_in_brackets(listening):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    host, _ = parse_listen("[::1]:9090")
    try:
        server = listening(host)
    except UsageError as e:
        pytest.skip(f"no IPv6 loopback here: {e}")
    assert host == "::1" and healthz("[::1]", server.server_address[1])["ok"] is True


def test_a_busy_address_is_one_line_naming_it_and_no_job_runs(site, once):
    s = site()
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        code, err = once(s, PROMPT_DAY, "--listen", f"127.0.0.1:{port}")
    assert code == 2
    assert err.strip().splitlines() == [(
        f"error: --listen 127.0.0.1:{port}: the address is already in use (another "
        "process listens there); choose another port or stop that process")]
    assert s.journal() == [] and s.sb.count(write=True) == 0


@pytest.mark.parametrize("limit,most", [(256, 64), (100, 25), (20000, 64)])
def test_connections_never_take_more_than_a_quarter_of_the_file_limit(listening, monkeypatch,
                                                                     limit, most):
    import resource
    monkeypatch.setattr(resource, "getrlimit", lambda which: (limit, limit))
    assert listening().max_connections == most


def test_the_stop_signals_reach_the_main_thread_not_the_listeners(listening):
    """A SIGTERM the kernel handed to the listener's thread would leave the daemon asleep
    in its idle wait (up to 30 s) instead of stopping: the thread blocks them."""
    listening()
    thread = next(t for t in threading.enumerate() if t.name == "jirasync-http")
    blocked = 0
    for _ in range(100):        # the mask is set first thing in the thread: look until it is
        status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
        blocked = int(status.split("SigBlk:")[1].split()[0], 16)
        if blocked:
            break
        time.sleep(0.01)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        assert blocked & (1 << (signum - 1)), signum.name
