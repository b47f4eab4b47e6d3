"""A project never synced: chase, status and agenda say so above their empty tables
(issue 20 point 4), rather than a bare "0 open actions" that reads like good news."""
from __future__ import annotations

import json

import pytest

from jirasync.cli import main
from tests.chase.conftest import TEAM, TOKEN_ENV, TOKENS, config_yaml, midnight, release_yaml
from tests.helpers import write_programme

LINE = "nothing synced yet: run `jirasync sync`"


@pytest.fixture
def unsynced(sandbox, tmp_path, monkeypatch, clock):
    monkeypatch.setenv(TOKEN_ENV, TOKENS[sandbox.flavour])
    monkeypatch.setattr("jirasync.commands.chase.real_now", clock)
    clock.now = midnight("2026-11-24")
    return str(write_programme(tmp_path, config=config_yaml(sandbox),
                               releases={"4.2.yaml": release_yaml(TEAM)}))


@pytest.mark.parametrize("command", [["chase"], ["chase", "--dry-run"], ["status"]])
def test_the_line_comes_first_and_the_exit_code_stays_0(unsynced, capsys, command):
    assert main([*command, "--config", unsynced]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == LINE and LINE not in lines[1:], lines


def test_the_agenda_says_it_on_stderr_and_stays_markdown(unsynced, capsys):
    assert main(["agenda", "--config", unsynced, "--today", "2026-11-24"]) == 0
    out, err = capsys.readouterr()
    assert LINE in err.splitlines() and LINE not in out
    assert out.startswith("#")


@pytest.mark.parametrize("command", [["chase"], ["status"]])
def test_json_says_synced_false(unsynced, capsys, command):
    assert main(["--json", *command, "--config", unsynced]) == 0
    assert json.loads(capsys.readouterr().out)["synced"] is False


def test_after_a_sync_the_line_is_gone(unsynced, capsys):
    assert main(["sync", "--config", unsynced]) == 0
    capsys.readouterr()
    for command in (["chase"], ["status"]):
        assert main([*command, "--config", unsynced]) == 0
        assert LINE not in capsys.readouterr().out
