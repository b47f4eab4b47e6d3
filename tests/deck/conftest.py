"""The demo's programme lived through in a sandbox Jira of each flavour, read by the deck
as a PMO would: the sample release files synced, actions and lessons closed over the
months, and a lesson someone typed by hand in Jira whose summary holds markup.

Built once per module and flavour (the deck only reads Jira): each test gets the config
and the sandbox, and runs ``jirasync deck`` against it.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from jirasync.commands.demo_deck import SandboxClock, history_start, play_history
from jirasync.config import Config, load_config
from jirasync.gateway.connect import connect
from jirasync.paths import sample_programme
from jirasync.reports import figures as figures_of
from jirasync.reports.reader import read_programme
from jirasync.sandbox import Sandbox
from jirasync.state import StateDir
from jirasync.sync.job import sync
from tests.conftest import FLAVOURS, checked_sandbox

TODAY = date(2026, 11, 24)             # the demo's rehearsal day
NEXT_REVIEW = "2026-12-01"
TOKENS = {"cloud": "sandbox-token", "datacenter": "sandbox-pat"}
HAND_MADE = '<script>window.pwned = 1</script> Vendors were told of the "freeze" & late'
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "deck"


@dataclass(frozen=True)
class Lived:
    """A sample programme in a sandbox Jira, as of ``TODAY``."""

    sb: Sandbox
    config: Config
    root: Path
    hand_made: str                      # the key of the hand-made lesson (release 4.3)

    @property
    def config_path(self) -> Path:
        return self.config.path

    def jira(self):
        auth = ({"email": "pmo-bot@example.org"} if self.sb.flavour == "cloud"
                else {"auth_type": "pat"})
        return connect(self.sb.url, token=TOKENS[self.sb.flavour], project="DCR",
                       max_requests_per_s=1000, sleep=lambda s: None, **auth)

    def figures(self, release: str | None):
        """The figures the reports compute, as the deck's own check."""
        programme = read_programme(self.jira(), self.config)
        review = datetime.fromisoformat(f"{NEXT_REVIEW}T10:00:00+00:00")
        return programme, figures_of.compute(
            programme, today=TODAY, releases=(release,) if release else (),
            next_review=review)


def config_text(sb: Sandbox, token_file: Path) -> str:
    auth = ("    email: pmo-bot@example.org\n" if sb.flavour == "cloud" else "    type: pat\n")
    return (f"jira:\n  url: {sb.url}\n  auth:\n{auth}    token_file: {token_file}\n"
            "  project: DCR\n  max_requests_per_s: 1000\n"
            "releases_dir: releases\nstate_dir: state\ntimezone: Europe/London\n"
            "people:\n  release_manager: jodie.crowfoot@example.org\n"
            "  pmo_lead: pmo@example.org\n")


def live_through(sb: Sandbox, clock: SandboxClock, root: Path) -> Lived:
    shutil.copytree(sample_programme() / "releases", root / "releases")
    token = root / "token"
    token.write_text(TOKENS[sb.flavour])
    token.chmod(0o600)      # jirasync refuses a token file others can read
    (root / "jirasync.yaml").write_text(config_text(sb, token))
    config = load_config(root / "jirasync.yaml")
    lived = Lived(sb, config, root, "")
    jira = lived.jira()
    result = sync(config, jira, state=StateDir(config.state_dir), now=clock.now,
                  progress=lambda text: None)
    assert not result.failed
    play_history(sb, jira, config, clock, date(2026, 11, 18))
    release = next(o.key for o in result.outcomes if str(o.identity) == "4.3")
    clock.now = datetime.combine(date(2026, 11, 20), time(11), UTC)
    key = sb.create_issue("Task", HAND_MADE, parent=release, labels=["ll-improve"])
    clock.now = datetime.combine(TODAY, time(9), UTC)
    return replace(lived, hand_made=key)


@pytest.fixture(scope="module", params=FLAVOURS, ids=FLAVOURS)
def lived(request, contract, tmp_path_factory):
    """The sample programme lived through, in a sandbox of each flavour."""
    clock = SandboxClock(history_start([date(2026, 7, 8)]))
    with checked_sandbox(contract, request.param, clock=clock) as sb:
        yield live_through(sb, clock, tmp_path_factory.mktemp(f"deck-{request.param}"))


@pytest.fixture(scope="module")
def lived_cloud(contract, tmp_path_factory):
    clock = SandboxClock(history_start([date(2026, 7, 8)]))
    with checked_sandbox(contract, "cloud", clock=clock) as sb:
        yield live_through(sb, clock, tmp_path_factory.mktemp("deck-cloud"))
