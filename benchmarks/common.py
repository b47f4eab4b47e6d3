"""Shared benchmark pieces: a sandbox Jira in a child process (so the client's memory is
measured alone), the options and setup every benchmark of a programme's size takes (its
arguments, the bot's token, the gateway, a release of actions to seed), a config, and
figures printed as a table."""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import resource
import textwrap
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Self

from jirasync.gateway.client import Gateway
from jirasync.gateway.connect import connect
from jirasync.sandbox import DEFAULT_USERS, Sandbox, SandboxUser

LATENCY_S = 0.02
EMAIL, TOKEN = "pmo-bot@example.org", "sandbox-token"
DC_TOKEN = "sandbox-pat"


ACTION_LABELS = ("lessons-learnt", "release-9-9", "ll-action")


def programme_arguments(*, flavours: tuple[str, ...] = ("cloud", "datacenter"),
                        default: str = "cloud") -> argparse.ArgumentParser:
    """The options of a benchmark over a programme: its size and Jira's flavour."""
    args = argparse.ArgumentParser()
    args.add_argument("--releases", type=int, default=200)
    args.add_argument("--lessons", type=int, default=25)
    args.add_argument("--actions", type=int, default=2)
    args.add_argument("--flavour", choices=flavours, default=default)
    return args


def use_token(flavour: str) -> None:
    """The bot's token for ``flavour``, where the benchmark's config reads it."""
    os.environ["JIRASYNC_BENCH_TOKEN"] = TOKEN if flavour == "cloud" else DC_TOKEN


def gateway(url: str, flavour: str, rate: float) -> Gateway:
    """The gateway to the sandbox as the bot of ``flavour``, paced at ``rate`` a second.
    It waits two minutes for an answer, not Jira's 30 s: on a shared machine the sandbox,
    which evaluates each search in Python, can take longer than that over 50,000 issues
    (a search for the children of 658 releases did), and a retry only adds to its work."""
    auth = {"email": EMAIL, "token": TOKEN} if flavour == "cloud" else \
        {"auth_type": "pat", "token": DC_TOKEN}
    return connect(url, **auth, project="DCR", max_requests_per_s=rate, timeout_s=120)


def seed_actions(sb: Sandbox, actions: int, people: list[SandboxUser],
                 due: Callable[[int], date]) -> None:
    """One release of ``actions`` actions, 50 to a lesson, owned in turn by ``people``;
    action ``n`` falls due on ``due(n)``."""
    epic = sb.create_issue("Epic", "Lessons learnt: Release 9.9", labels=ACTION_LABELS[:2])
    lesson = None
    for n in range(actions):
        if n % 50 == 0:
            lesson = sb.create_issue("Task", f"Lesson {n // 50}", parent=epic,
                                     labels=ACTION_LABELS[:2] + ("ll-improve",))
        sb.create_issue("Sub-task", f"Action {n}", parent=lesson, labels=ACTION_LABELS,
                        assignee=people[n % len(people)].email, duedate=due(n))


def owners(count: int) -> list[SandboxUser]:
    return [SandboxUser(f"5c{n:022x}", f"owner{n}", f"owner{n}@example.org", f"Owner {n}")
            for n in range(count)]


def _serve(flavour, users, latency_s, seed, pipe, offset) -> None:
    def clock() -> datetime:
        return datetime.now(UTC) + timedelta(seconds=offset.value)
    with Sandbox(flavour, users=users, clock=clock) as sb:
        if seed is not None:
            seed(sb)
        sb.latency_s = latency_s
        pipe.send(sb.url)
        while (message := pipe.recv()) != "stop":      # (function, args): act on Jira
            function, args = message
            pipe.send(function(sb, *args))


class SandboxProcess:
    """A sandbox Jira served from a child process; ``seed(sb)`` fills it before serving.
    Its clock runs ``later()`` ahead of the real one, and ``act`` changes Jira in it."""

    def __init__(self, *, flavour="cloud", users=(), latency_s=LATENCY_S, seed=None):
        self._pipe, child = mp.Pipe()
        self._offset = mp.get_context("fork").Value("d", 0.0)
        everyone = tuple(DEFAULT_USERS) + tuple(users)
        self._proc = mp.get_context("fork").Process(
            target=_serve, args=(flavour, everyone, latency_s, seed, child, self._offset),
            daemon=True)

    def __enter__(self) -> Self:
        self._proc.start()
        self.url = self._pipe.recv()
        return self

    def __exit__(self, *exc) -> None:
        self._pipe.send("stop")
        self._proc.join(timeout=30)

    def now(self) -> datetime:
        """The sandbox's time, for the client's runs."""
        return datetime.now(UTC) + timedelta(seconds=self._offset.value)

    def later(self, delta: timedelta) -> None:
        """Move Jira's clock (and ``now``) on, as if ``delta`` passed."""
        self._offset.value += delta.total_seconds()

    def act(self, function, *args):
        """Run ``function(sandbox, *args)`` in the sandbox process; its result."""
        self._pipe.send((function, args))
        return self._pipe.recv()


_PEAKS: list[float] = []        # each run's, since ``reset_peak_rss`` resets the process's


def peak_rss_mb() -> float:
    """Peak resident memory of this process (the client) so far, in MB."""
    return max([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, *_PEAKS])


def reset_peak_rss() -> bool:
    """Start the peak (``VmHWM``) again from the memory held now, so ``peak_since_mb``
    measures one run alone (``peak_rss_mb`` keeps the one before); False where the
    system cannot (not Linux)."""
    _PEAKS.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_since_mb() -> float | None:
    """Peak resident memory since ``reset_peak_rss`` (Linux), in MB; None elsewhere."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def write_config(root: Path, url: str, *, reminder: str = "comment",
                 max_requests_per_s: int = 100, flavour: str = "cloud") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "releases").mkdir(exist_ok=True)
    path = root / "jirasync.yaml"
    auth = f"email: {EMAIL}" if flavour == "cloud" else "type: pat"
    path.write_text(textwrap.dedent(f"""\
        jira:
          url: {url}
          auth: {{{auth}, token_env: JIRASYNC_BENCH_TOKEN}}
          project: DCR
          max_requests_per_s: {max_requests_per_s}
        timezone: Europe/London
        review: {{rule: "FREQ=MONTHLY;BYDAY=1TU", time: "10:00", reminder: {reminder}}}
        people: {{release_manager: jodie.crowfoot@example.org, pmo_lead: pmo@example.org}}
        """), encoding="utf-8")
    return path


def table(title: str, rows: list[tuple[str, object]]) -> None:
    print(f"\n{title}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def request_log(sb) -> dict[str, int]:
    """The requests the sandbox answered since the last call, by method and path (issue
    keys and property terms folded), most first; the log is emptied. Pass it to
    ``SandboxProcess.act``."""
    paths = Counter(f"{r.method} " + re.sub(r"\.\d+(?=$|/|\.)", ".N",
                                            re.sub(r"[A-Z]+-\d+", "KEY",
                                                   re.sub(r"claimant\.\w+", "claimant.ID",
                                                          r.path)))
                    for r in sb.requests)
    sb.reset_log()
    return dict(paths.most_common())
