"""The daemon as a child process: it runs its jobs, answers /healthz and /metrics, and on
SIGTERM stops cleanly — also in the middle of a long sync or chase, leaving nothing half
done, duplicated or lost for the next run."""
from __future__ import annotations

import json
import signal
import socket
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest

from jirasync.sandbox import Sandbox
from tests.conftest import FLAVOURS
from tests.service.conftest import PROMPT_DAY, Site, release_yaml

# The daemon runs in a child process that talks to the sandbox over HTTP.
pytestmark = pytest.mark.over_http


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(check, timeout: float = 60.0):
    """Poll (not sleep a fixed time) until ``check()`` is truthy."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def stop(proc, sig=signal.SIGTERM) -> tuple[int, float, str]:
    """Send ``sig``: exit code, seconds it took to exit, stderr."""
    start = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=10)
    return proc.returncode, time.monotonic() - start, err


def test_daemon_runs_jobs_serves_health_and_metrics_and_stops_on_sigterm(site):
    s = site()
    port = free_port()
    proc = s.child(PROMPT_DAY, "--listen", f"127.0.0.1:{port}", "--log-format", "json")
    try:
        until(lambda: len(s.journal()) >= 2)
        status, body = until(lambda: _answer(port, "/healthz"))
        assert status == 200 and json.loads(body)["ok"] is True
        status, metrics = get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        assert 'jirasync_job_runs_total{job="sync"} 1.0' in metrics
        assert 'jirasync_issues_total{action="created"} 5.0' in metrics
        assert 'jirasync_prompts_sent_total{kind="prompt"} 2.0' in metrics
        assert "jirasync_jira_requests_total" in metrics
    finally:
        code, seconds, err = stop(proc)
    assert code == 0 and seconds < 10
    lines = [json.loads(line) for line in err.splitlines()]
    assert any(e.get("job") == "sync" and e.get("ok") for e in lines)
    assert "sandbox-token" not in err and "sandbox-pat" not in err


def _answer(port: int, path: str):
    try:
        return get(f"http://127.0.0.1:{port}{path}")
    except OSError:
        return None


def test_health_is_503_with_the_reason_when_a_job_failed(site):
    s = site()
    s.env["JIRASYNC_SERVICE_TOKEN"] = "wrong-token"
    port = free_port()
    proc = s.child(PROMPT_DAY, "--listen", f"127.0.0.1:{port}")
    try:
        until(lambda: len(s.journal()) >= 2)
        status, body = until(lambda: _answer(port, "/healthz"))
    finally:
        code, _, err = stop(proc)
    verdict = json.loads(body)
    assert status == 503 and verdict["ok"] is False
    assert verdict["jobs"]["sync"]["reason"].startswith("last run failed")
    assert code == 0 and "wrong-token" not in err


@pytest.fixture(params=FLAVOURS, ids=FLAVOURS)
def big(request, tmp_path):
    """A sandbox answering after 4 ms, so a signal lands mid-run. Its exchanges are not
    checked against the contract (other scenarios do that): at this size the checking
    would be most of the test's time."""
    with Sandbox(request.param, latency_s=0.004) as sb:
        def make(schedule: str, release: str) -> Site:
            return Site(sb, tmp_path, schedule, release)
        yield make


def test_sigterm_mid_sync_then_mid_chase_loses_and_repeats_nothing(big):
    # 1 release + 1,499 lessons + 500 actions = 2,000 issues; 500 actions to prompt.
    release = release_yaml(lessons=1498, actions=0).replace("lessons:\n",
                                                           "lessons:\n" + _actions(500))
    s = big("  sync: every 15 minutes\n", release)
    proc = s.child(PROMPT_DAY)
    until(lambda: s.sb.count("bulk-create") >= 6)
    code, seconds, err = stop(proc)
    assert code == 0 and seconds < 10, err
    (run,) = s.journal()
    assert run["ok"] is False and run["interrupted"] and "interrupted" in run["error"]
    made = len(s.sb.issues())
    assert 0 < made < 2000 and run["counts"]["created"] == made   # journaled what it did
    again = s.child(PROMPT_DAY, "--once")
    assert again.wait(timeout=120) == 0
    assert len(s.sb.issues()) == 2000 and _no_duplicates(s)
    assert s.journal()[-1]["counts"]["created"] == 2000 - made

    s.config.write_text(s.config.read_text().replace("  sync: every 15 minutes\n",
                                                     "  chase: every day at 09:00\n"))
    proc = s.child(PROMPT_DAY)
    until(lambda: s.sb.count("edit") >= 50 or proc.poll() is not None)
    assert proc.poll() is None, proc.communicate()
    code, seconds, err = stop(proc)
    assert code == 0 and seconds < 10, err
    run = s.journal()[-1]
    assert run["job"] == "chase" and run["interrupted"]
    prompted = sum(s.comments().values())
    assert 0 < prompted < 500 and run["counts"]["prompt"] == prompted
    again = s.child(PROMPT_DAY, "--once")
    assert again.wait(timeout=120) == 0
    assert Counter(s.comments().values()) == {1: 500}       # every action once, none twice


def _actions(count: int) -> str:
    owners = ("sam.jones@example.org", "priya.shah@example.org", "tom.okafor@example.org")
    lines = ["  - id: big", "    kind: improve", "    title: The lesson with many actions",
             "    actions:"]
    lines += [f"      - {{id: a{n}, title: Action {n}, owner: {owners[n % 3]}, due: 2027-01-15}}"
              for n in range(count)]
    return "\n".join(lines) + "\n"


def _no_duplicates(s) -> bool:
    ids = Counter(json.dumps(i.properties.get("jirasync"), sort_keys=True)
                  for i in s.sb.issues())
    return all(n == 1 for n in ids.values())
