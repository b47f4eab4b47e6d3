"""A programme for the service scenarios: config with a ``schedule``, release files, a
sandbox Jira of each flavour, and ``run`` driven in-process (injected clock) or as a
child process (``tests.service.at``)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import jirasync.commands.run as run_command
from jirasync.cli import main
from jirasync.sandbox import Sandbox
from tests.helpers import write_programme

ROOT = Path(__file__).resolve().parents[2]
TOKEN_ENV = "JIRASYNC_SERVICE_TOKEN"
TOKENS = {"cloud": "sandbox-token", "datacenter": "sandbox-pat"}
PROMPT_DAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)     # review 1 Dec, window open
OWNERS = ("sam.jones@example.org", "priya.shah@example.org", "tom.okafor@example.org")


def config_yaml(sb: Sandbox, schedule: str) -> str:
    auth = ("    email: pmo-bot@example.org\n" if sb.flavour == "cloud" else "    type: pat\n")
    return (f"jira:\n  url: {sb.url}\n  auth:\n{auth}    token_env: {TOKEN_ENV}\n"
            "  project: DCR\n  max_requests_per_s: 1000\n  max_retry_s: 5\n"
            "timezone: Europe/London\nstate_dir: state\n"
            "review: {rule: FREQ=MONTHLY;BYDAY=1TU, time: '10:00', prompt_days_before: 7}\n"
            "people: {release_manager: jodie.crowfoot@example.org, pmo_lead: pmo@example.org}\n"
            f"schedule:\n{schedule}")


def release_yaml(lessons: int = 2, actions: int = 1, rid: str = "4.2") -> str:
    """One release; each lesson has ``actions`` actions owned in turn, due after the review."""
    out = [f'id: "{rid}"', f"name: Release {rid}", "live_date: 2026-10-14", "lessons:"]
    for n in range(lessons):
        out += [f"  - id: l{n}", "    kind: improve", f"    title: Lesson {n}"]
        if actions:
            out.append("    actions:")
        out += [f"      - {{id: a{a}, title: Action {a} of lesson {n}, "
                f"owner: {OWNERS[(n + a) % 3]}, due: 2027-01-15}}" for a in range(actions)]
    return "\n".join(out) + "\n"


class Site:
    """The PMO's folder, its sandbox, and ways to run and look."""

    def __init__(self, sb: Sandbox, root: Path, schedule: str, release: str):
        self.sb, self.root = sb, root
        self.config = write_programme(root, config=config_yaml(sb, schedule),
                                      releases={"4.2.yaml": release})
        self.env = {**os.environ, TOKEN_ENV: TOKENS[sb.flavour], "PYTHONPATH": str(ROOT)}

    def journal(self) -> list[dict]:
        path = self.root / "state" / "runs.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] \
            if path.exists() else []

    def comments(self) -> dict[str, int]:
        """Action key -> how many comments it carries."""
        return {i.key: len(i.comments) for i in self.sb.issues()
                if "ll-action" in i.labels}

    def child(self, now: datetime, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.service.at", now.isoformat(), "run",
             "--config", str(self.config), *args],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def site(sandbox, tmp_path):
    def make(schedule: str = "  sync: every 15 minutes\n  chase: every day at 09:00\n",
             release: str | None = None) -> Site:
        return Site(sandbox, tmp_path, schedule, release or release_yaml())
    return make


@pytest.fixture
def once(monkeypatch, capsys):
    """``jirasync run --once`` in-process at ``now``: (exit code, stderr)."""
    def run(site: Site, now: datetime, *args: str, token: str | None = None):
        monkeypatch.setenv(TOKEN_ENV, token or TOKENS[site.sb.flavour])
        monkeypatch.setattr(run_command, "clock", lambda: now)
        code = main(["run", "--once", "--config", str(site.config), *args])
        return code, capsys.readouterr().err
    return run
