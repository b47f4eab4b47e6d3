"""Shared benchmark pieces: a sandbox Jira in a child process (so the client's memory is
measured alone), a programme generator, and figures printed as a table."""
from __future__ import annotations

import multiprocessing as mp
import resource
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

from jirasync.sandbox import DEFAULT_USERS, Sandbox, SandboxUser

LATENCY_S = 0.02
EMAIL, TOKEN = "pmo-bot@example.org", "sandbox-token"
DC_TOKEN = "sandbox-pat"


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
