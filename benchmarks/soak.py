"""Soak: the daemon (``jirasync run``) for N minutes with a 1-second schedule against a
sandbox Jira that throws 429 storms and 5xx answers, while the release file keeps
changing. Prints runs, failures, Jira requests, retries and 429s, the daemon's memory,
threads and open files at start and end, how it stopped, and any duplicate issue or
repeated prompt.

    python benchmarks/soak.py [--minutes 10] [--flavour cloud|datacenter]

It asserts nothing: it measures (targets: flat memory, no leaked threads or files,
zero duplicates).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import DC_TOKEN, EMAIL, TOKEN, table
from jirasync.sandbox import DEFAULT_USERS, Sandbox

REPO = Path(__file__).resolve().parent.parent
OWNERS = ("sam.jones@example.org", "priya.shah@example.org", "tom.okafor@example.org")


def _trouble(sb: Sandbox, stop: threading.Event, seen: Counter) -> None:
    """Every few seconds: a storm (every request answered 429 for 1 to 8 s), or a burst
    of 500/502/503/504 answers to the next few requests. A burst is only added once the
    last one was met: the sandbox queues them, and a daemon backing off would otherwise
    meet nothing but old bursts."""
    rng, served = random.Random(7), 0
    while not stop.wait(rng.uniform(3, 10)):
        if rng.random() < 0.5:
            sb.faults.rate_limit(1_000_000, retry_after=1)
            stop.wait(rng.uniform(1, 8))
            sb.faults.rate_limit(0)
            seen["429 storms"] += 1
        elif len(sb.requests) > served:
            served = len(sb.requests) + 3
            sb.faults.fail(rng.choice((500, 502, 503, 504)), count=rng.randint(1, 3))
            seen["5xx bursts"] += 1


def _serve(flavour: str, pipe) -> None:
    with Sandbox(flavour, users=DEFAULT_USERS) as sb:
        sb.latency_s = 0.005
        stop, seen = threading.Event(), Counter()
        threading.Thread(target=_trouble, args=(sb, stop, seen), daemon=True).start()
        pipe.send(sb.url)
        pipe.recv()                                 # the soak is over
        stop.set()
        pipe.send(_report(sb, seen))
        pipe.recv()


def _report(sb: Sandbox, seen: Counter) -> dict:
    issues = sb.issues()
    identities = Counter(json.dumps(i.properties.get("jirasync"), sort_keys=True)
                         for i in issues if i.properties.get("jirasync"))
    prompts = Counter()
    for issue in issues:
        for comment in issue.comments:
            if "review" in comment["body"].lower():
                prompts[issue.key] += 1
    answers = Counter(r.status for r in sb.requests)
    return {"requests Jira received": sum(answers.values()),
            "of which 429": answers[429],
            "of which 5xx": sum(n for status, n in answers.items() if status >= 500),
            "issues": len(issues), "duplicate issues": sum(n - 1 for n in identities.values()),
            "actions prompted": len(prompts),
            "actions prompted more than once a cycle": sum(1 for n in prompts.values() if n > 1),
            **seen}


def _config(root: Path, url: str, flavour: str) -> Path:
    auth = f"email: {EMAIL}" if flavour == "cloud" else "type: pat"
    (root / "releases").mkdir(parents=True)
    path = root / "jirasync.yaml"
    # A review every day at 23:59 with the window open all day: one prompt per action a day.
    path.write_text(f"""\
jira:
  url: {url}
  auth: {{{auth}, token_env: JIRASYNC_SOAK_TOKEN}}
  project: DCR
  max_requests_per_s: 50
  max_retry_s: 60
timezone: UTC
review: {{rule: "FREQ=DAILY", time: "23:59", prompt_days_before: 1}}
people: {{release_manager: jodie.crowfoot@example.org, pmo_lead: pmo@example.org}}
schedule: {{sync: every 1 second, chase: every 1 second}}
""", encoding="utf-8")
    return path


def _release(root: Path, version: int) -> None:
    """Release 4.2 grows by a lesson every version, and one action's title changes."""
    lines = ['id: "4.2"', "name: Release 4.2", "live_date: 2026-10-14", "lessons:"]
    for n in range(20 + version):
        lines += [f"  - id: l{n}", "    kind: improve", f"    title: Lesson {n}",
                  "    actions:",
                  (f"      - {{id: a, title: Action of lesson {n} v{version if n == 0 else 0}, "
                  f"owner: {OWNERS[n % 3]}, due: 2099-01-15}}")]
    tmp = root / "releases" / "4.2.yaml.tmp"
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(root / "releases" / "4.2.yaml")


def _proc(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    return {"rss_mb": round(rss, 1), "threads": threads,
            "fds": len(os.listdir(f"/proc/{pid}/fd"))}


def _metrics(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        text = r.read().decode()
    out: Counter = Counter()
    for line in text.splitlines():
        if line.startswith("jirasync_") and "_created" not in line.split()[0]:
            name, value = line.rsplit(" ", 1)
            out[re.sub(r"\{.*\}", "", name)] += float(value)
    return dict(out)


def soak(minutes: float, flavour: str) -> None:
    pipe, child = mp.Pipe()
    server = mp.get_context("fork").Process(target=_serve, args=(flavour, child), daemon=True)
    server.start()
    url = pipe.recv()
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        root = Path(tmp)
        config = _config(root, url, flavour)
        _release(root, 0)
        env = {**os.environ, "JIRASYNC_SOAK_TOKEN": TOKEN if flavour == "cloud" else DC_TOKEN,
               "PYTHONPATH": str(REPO)}
        # SIM115: held open for the daemon's life, closed at the end
        log = open(root / "daemon.log", "w")  # noqa: SIM115
        daemon = subprocess.Popen([sys.executable, "-m", "jirasync", "run", "--config",
                                   str(config), "--listen", f"127.0.0.1:{port}"],
                                  env=env, stderr=log)
        time.sleep(20)                        # the first runs: the programme is made
        start, samples = _proc(daemon.pid), []
        end_at, version = time.monotonic() + minutes * 60, 0
        while time.monotonic() < end_at:
            time.sleep(15)
            version += 1
            _release(root, version)
            samples.append(_proc(daemon.pid))
        end, figures = _proc(daemon.pid), _metrics(port)
        t0 = time.monotonic()
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=60)
        stop_s = time.monotonic() - t0
        log.close()
        pipe.send("report")
        jira = pipe.recv()
        pipe.send("stop")
        server.join(timeout=30)
        errors = [line for line in (root / "daemon.log").read_text().splitlines()
                  if " ERROR " in line]
    rows = [("minutes", minutes), ("flavour", flavour),
            ("runs", int(figures.get("jirasync_job_runs_total", 0))),
            ("failed runs", int(figures.get("jirasync_job_failures_total", 0))),
            ("Jira requests (runs that opened Jira)",
             int(figures.get("jirasync_jira_requests_total", 0))),
            ("retries", int(figures.get("jirasync_jira_retries_total", 0))),
            ("429 answers", int(figures.get("jirasync_jira_rate_limited_total", 0))),
            ("issues created / updated",
             f"{int(figures.get('jirasync_issues_total', 0))} in all"),
            ("prompts sent", int(figures.get("jirasync_prompts_sent_total", 0))),
            ("RSS start -> end (MB)", f"{start['rss_mb']} -> {end['rss_mb']}"),
            ("RSS max during (MB)", max(s["rss_mb"] for s in samples or [end])),
            ("threads start -> end", f"{start['threads']} -> {end['threads']}"),
            ("open fds start -> end", f"{start['fds']} -> {end['fds']}"),
            ("SIGTERM: exit code, seconds", f"{code}, {stop_s:.1f}"),
            ("error log lines", len(errors)),
            *((k, v) for k, v in jira.items())]
    table("soak: jirasync run, schedule every 1 second, 429 storms and 5xx", rows)
    for line in errors[:5]:
        print("  e.g.", line[:160])


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--minutes", type=float, default=10)
    args.add_argument("--flavour", choices=("cloud", "datacenter"), default="cloud")
    opts = args.parse_args()
    soak(opts.minutes, opts.flavour)


if __name__ == "__main__":
    main()
