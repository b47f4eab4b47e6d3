"""A programme synced into the sandbox whose config has a ``notify:`` section pointing at
the sandbox's own Teams and Slack webhooks (their addresses in environment variables)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest

from jirasync.config import load_config
from jirasync.state import StateDir
from jirasync.sync.job import sync
from tests.chase import conftest as chase_scenarios
from tests.chase.conftest import (
    TEAM,
    TOKEN_ENV,
    TOKENS,
    Programme,
    config_yaml,
    gateway,
    release_yaml,
)
from tests.helpers import write_programme

# The chase scenarios' fixtures: a sandbox of each flavour on the scenario's clock.
sandbox, clock = chase_scenarios.sandbox, chase_scenarios.clock
SLACK_ENV, TEAMS_ENV = "JIRASYNC_TEST_SLACK_WEBHOOK", "JIRASYNC_TEST_TEAMS_WEBHOOK"


@dataclass
class Hooks:
    slack: str          # the webhooks' addresses: secrets, never to be shown
    teams: str


@pytest.fixture
def hooks(sandbox, monkeypatch) -> Hooks:
    made = Hooks(f"{sandbox.url}/webhooks/slack/{secrets.token_urlsafe(24)}",
                 f"{sandbox.url}/webhooks/teams/{secrets.token_urlsafe(24)}")
    monkeypatch.setenv(SLACK_ENV, made.slack)
    monkeypatch.setenv(TEAMS_ENV, made.teams)
    return made


NOTIFY = f"notify:\n  slack_webhook_env: {SLACK_ENV}\n  teams_webhook_env: {TEAMS_ENV}\n"


@pytest.fixture
def channel_programme(sandbox, hooks, tmp_path, clock, monkeypatch):
    """``channel_programme(actions=TEAM, notify=NOTIFY)``: synced, the logs empty."""
    monkeypatch.setenv(TOKEN_ENV, TOKENS[sandbox.flavour])
    monkeypatch.setattr("jirasync.commands.chase.real_now", clock)

    def make(actions=TEAM, notify: str = NOTIFY) -> Programme:
        path = write_programme(tmp_path, config=config_yaml(sandbox) + notify,
                               releases={"4.2.yaml": release_yaml(actions)})
        config = load_config(path)
        created = sync(config, gateway(sandbox), state=StateDir(config.state_dir),
                       now=clock.now, progress=lambda text: None)
        assert not created.failed
        keys = {o.identity.action: o.key for o in created.outcomes
                if o.identity is not None and o.identity.level == "action"}
        sandbox.reset_log()
        return Programme(sandbox, config, clock, keys)

    return make
