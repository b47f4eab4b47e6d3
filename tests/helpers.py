"""Small builders shared by the tests: a programme folder written from strings."""
from __future__ import annotations

import socket
import textwrap
from pathlib import Path

CONFIG = """\
jira:
  url: https://example.atlassian.net
  auth:
    email: pmo-bot@example.org
    token_env: JIRASYNC_TEST_TOKEN
  project: DCR
timezone: Europe/London
people:
  release_manager: jodie.crowfoot@example.org
  pmo_lead: pmo@example.org
"""

RELEASE = """\
id: "4.2"
name: DCR Release 4.2 — social care feeds
live_date: 2026-10-14
lessons:
  - id: feeds-off
    kind: improve
    title: Partners turned their feeds off late before the drop
    description: |
      Two partners were still sending messages when the new environment was dropped.
    theme: partner-comms
    actions:
      - id: feeds-checklist
        title: Add feed shutdown (T-5 days) to the drop checklist
        owner: sam.jones@example.org
        due: 2026-12-01
  - id: rehearsal
    kind: keep
    title: Two data-migration rehearsals before go-live
"""


def write_programme(root: Path, *, config: str = CONFIG, releases: dict[str, str] | None = None,
                    templates: dict[str, str] | None = None) -> Path:
    """Write jirasync.yaml, releases/<name> and templates/<name>; return the config path."""
    (root / "releases").mkdir(parents=True, exist_ok=True)
    for name, text in (releases if releases is not None else {"4.2.yaml": RELEASE}).items():
        (root / "releases" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for name, text in (templates or {}).items():
        path = root / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    if templates and "templates_dir" not in config:
        config += "templates_dir: templates\n"
    path = root / "jirasync.yaml"
    path.write_text(textwrap.dedent(config), encoding="utf-8")
    return path


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


class FakeTime:
    """An injected clock: sleeping moves time on and records the wait."""

    def __init__(self):
        self.now = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    @property
    def retry_waits(self) -> list[float]:
        """Waits longer than the 1 ms pacing gaps the tests run with (1000 requests/s)."""
        return [w for w in self.waits if w > 0.01]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
