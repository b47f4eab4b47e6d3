"""A token pasted where a name belongs is never printed back (stderr, check --json)."""
from __future__ import annotations

import json

import pytest

from jirasync.cli import main
from tests.helpers import CONFIG, write_programme

CLOUD_TOKEN = "ATATT3xFfGF0T4pQ9zKvYb1sLmN7rW2eXcD5hJ8uI0oP6aS3dF"
OLD_TOKEN = "aB3dE5gH7jK9mN1pQ3rS5tU7"        # an old Cloud token: a valid variable name
PAT = "NjM4OTg2NzE5NTQ2OkUbQ+x2kP/9fLr4Tz3Vw8YcHn0="

PLACES = {
    "token_env": lambda t: CONFIG.replace("token_env: JIRASYNC_TEST_TOKEN", f"token_env: '{t}'"),
    "email": lambda t: CONFIG.replace("email: pmo-bot@example.org", f"email: '{t}'"),
    "url": lambda t: CONFIG.replace("url: https://example.atlassian.net", f"url: '{t}'"),
    "project": lambda t: CONFIG.replace("project: DCR", f"project: '{t}'"),
}


@pytest.mark.parametrize("token", [CLOUD_TOKEN, OLD_TOKEN, PAT], ids=["cloud", "old", "pat"])
@pytest.mark.parametrize("place", ["token_env", "email", "url", "project"])
@pytest.mark.parametrize("command", [["check"], ["check", "--json"], ["sync"]])
def test_a_pasted_token_is_never_repeated(tmp_path, capsys, monkeypatch, token, place, command):
    monkeypatch.setenv(token if token.isidentifier() else "UNUSED", "x")
    config = write_programme(tmp_path, config=PLACES[place](token))
    code = main([*command, "--config", str(config)])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert token not in out + err
    assert token[:12] not in out + err
    if "--json" in command:
        json.loads(out)
    if place == "token_env":
        assert "looks like a token" in out + err


def test_a_variable_name_is_still_named(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("JIRASYNC_TEST_TOKEN", raising=False)
    code = main(["sync", "--config", str(write_programme(tmp_path))])
    _, err = capsys.readouterr()
    assert code == 2 and "JIRASYNC_TEST_TOKEN is not set" in err


@pytest.mark.parametrize("key", ["token", "api_token", "password"])
def test_a_token_pasted_under_its_own_key_is_one_line_that_says_move_it_and_revoke_it(
        tmp_path, capsys, key):
    config = write_programme(tmp_path, config=CONFIG.replace(
        "token_env: JIRASYNC_TEST_TOKEN", f"{key}: '{CLOUD_TOKEN}'"))
    code = main(["check", "--config", str(config)])
    out, err = capsys.readouterr()
    assert code == 2
    (line,) = err.splitlines()
    assert f"jira.auth.{key}: a token never goes in this file" in line
    assert "token_env" in line and "revoke" in line
    assert CLOUD_TOKEN[:12] not in out + err
