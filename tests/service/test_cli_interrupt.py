"""Ctrl-C on ``jirasync sync``: the request in flight finishes, and the report lists what
was written before the run stopped; the journal keeps the same counts."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.service.conftest import ROOT, release_yaml
from tests.service.test_daemon import until

# jirasync runs in a child process that talks to the sandbox over HTTP.
pytestmark = pytest.mark.over_http


def test_an_interrupted_sync_prints_what_it_wrote(site, sandbox):
    sandbox.latency_s = 0.01
    s = site(release=release_yaml(lessons=300, actions=1))      # 601 issues
    proc = subprocess.Popen([sys.executable, "-m", "jirasync", "sync", "--config",
                             str(s.config)], cwd=ROOT, env=s.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    until(lambda: s.sb.count("bulk-create") >= 2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    made = len(s.sb.issues())
    assert proc.returncode == 130 and 0 < made < 601
    created = [line for line in out.splitlines() if line.startswith("created")]
    assert len(created) == made
    assert f"sync: {made} created" in out
    assert "interrupted (stopped by SIGINT): what is listed above was done" in err
    (run,) = s.journal()
    assert run["interrupted"] and run["counts"]["created"] == made


def _sync_child(s):
    return subprocess.Popen([sys.executable, "-m", "jirasync", "sync", "--config",
                             str(s.config)], cwd=ROOT, env=s.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_sighup_stops_like_sigterm_with_a_message_and_a_journal_entry(site, sandbox):
    sandbox.latency_s = 0.01
    s = site(release=release_yaml(lessons=300, actions=1))
    proc = _sync_child(s)
    until(lambda: s.sb.count("bulk-create") >= 2)
    proc.send_signal(signal.SIGHUP)               # the SSH session went away
    _, err = proc.communicate(timeout=10)
    made = len(s.sb.issues())
    assert proc.returncode == 130 and 0 < made < 601
    assert "interrupted (stopped by SIGHUP): what is listed above was done" in err
    (run,) = s.journal()
    assert run["interrupted"] and run["counts"]["created"] == made
    assert "SIGHUP" in run["error"]


def test_a_second_sigterm_keeps_the_counts_of_what_was_written(site, sandbox):
    sandbox.latency_s = 0.01
    s = site(release=release_yaml(lessons=300, actions=1))
    proc = _sync_child(s)

    def insist() -> None:       # while the run waits for Jira's answer to a write
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.2)         # two signals at once would be one for the process
        proc.send_signal(signal.SIGTERM)          # the operator insists
    until(lambda: s.sb.count("bulk-create") >= 2)
    s.sb.faults.after_requests(1, insist)
    out, _ = proc.communicate(timeout=10)
    made = len(s.sb.issues())
    assert proc.returncode == 130 and 0 < made < 601
    (run,) = s.journal()
    assert run["interrupted"] and run["counts"]["created"] == made
    assert len([line for line in out.splitlines() if line.startswith("created")]) == made
