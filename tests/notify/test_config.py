"""``notify:``: the keys, their validation (file:line, key), and a webhook's address kept
out of the config text and out of every message."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jirasync.chase.job import ChaseResult
from jirasync.cli import main
from jirasync.config import load_config
from jirasync.errors import ConfigError
from jirasync.notify.after_chase import news_of
from tests.helpers import CONFIG, write_programme

REPO = Path(__file__).resolve().parent.parent.parent
ADDRESS = "https://hooks.slack.com/services/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"


def problems(tmp_path: Path, notify: str) -> list[str]:
    with pytest.raises(ConfigError) as e:
        load_config(write_programme(tmp_path, config=CONFIG + notify))
    return [str(p) for p in e.value.problems]


def test_the_example_config_documents_every_notify_key():
    example = (REPO / "config.example.yaml").read_text(encoding="utf-8")
    for key in ("notify", "teams_webhook_env", "teams_webhook_file", "slack_webhook_env",
                "slack_webhook_file", "items"):
        assert f"{key}:" in example, key
    assert load_config(REPO / "config.example.yaml").notify.webhooks == ()
    configure = (REPO / "docs" / "configure.md").read_text(encoding="utf-8")
    assert "teams_webhook_env" in configure and "channel.md" in configure


def test_keys_read_with_files_relative_to_the_config(tmp_path, monkeypatch):
    config = load_config(write_programme(tmp_path, config=CONFIG + (
        "notify:\n  teams_webhook_file: secrets/teams\n  slack_webhook_env: SLACK_HOOK\n"
        "  items: 5\n")))
    teams, slack = config.notify.webhooks
    assert (teams.channel, teams.file, slack.channel, slack.env) == \
        ("teams", tmp_path / "secrets" / "teams", "slack", "SLACK_HOOK")
    assert config.notify.items == 5
    monkeypatch.setenv("SLACK_HOOK", ADDRESS)
    secret = slack.url()
    assert secret.reveal() == ADDRESS and ADDRESS not in f"{secret} {secret!r}"


@pytest.mark.parametrize("notify,expected", [
    ("notify:\n  slack_webhook: X\n",
     "jirasync.yaml:12: notify.slack_webhook: unknown key; did you mean 'slack_webhook_env'?"),
    ("notify:\n  slack_webhook_env: A\n  slack_webhook_file: b\n",
     ("jirasync.yaml:12: notify.slack_webhook_env: give one of slack_webhook_env or "
     "slack_webhook_file, not both")),
    ("notify:\n  teams_webhook_env: my-hook\n",
     "jirasync.yaml:12: notify.teams_webhook_env: 'my-hook' is not an environment variable name"),
    ("notify:\n  items: 100\n  slack_webhook_env: A\n",
     "jirasync.yaml:12: notify.items: '100' must be a whole number from 1 to 40"),
], ids=["unknown", "both", "not-a-name", "items"])
def test_mistakes_name_the_file_line_and_key(tmp_path, notify, expected):
    found = problems(tmp_path, notify)
    assert any(p.endswith(expected) for p in found), found


@pytest.mark.parametrize("key", ["slack_webhook_env", "slack_webhook_file"])
def test_an_address_pasted_into_the_config_is_refused_and_never_repeated(tmp_path, capsys, key):
    path = write_programme(tmp_path, config=CONFIG + f"notify:\n  {key}: {ADDRESS}\n")
    code = main(["check", "--config", str(path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"jirasync.yaml:12: notify.{key}: looks like the webhook's address itself" in err
    assert ADDRESS not in out + err and "q8Zr2XyW7kLm9NpQ4sTv1Ab3" not in out + err


@pytest.mark.parametrize("value,why", [
    ("http://hooks.example.org/x", "does not hold a webhook address"),
    ("", "is not set or empty"),
    (f"{ADDRESS}\n{ADDRESS}", "does not hold a webhook address"),
])
def test_an_address_that_cannot_be_a_webhook_is_one_line_without_it(tmp_path, monkeypatch,
                                                                    value, why):
    config = load_config(write_programme(tmp_path, config=CONFIG + (
        "notify:\n  slack_webhook_env: SLACK_HOOK\n")))
    monkeypatch.setenv("SLACK_HOOK", value)
    with pytest.raises(ConfigError) as e:
        config.notify.webhooks[0].url()
    (problem,) = e.value.problems
    assert why in str(problem) and "hooks.example.org" not in str(problem)
    assert "jirasync.yaml:12: notify.slack_webhook_env: " in str(problem)


def test_a_notify_section_naming_no_channel_says_so(tmp_path):
    assert any("names no channel" in p for p in problems(tmp_path, "notify:\n  items: 3\n"))


def test_check_reads_each_webhook_address_and_posts_nothing(tmp_path, capsys, monkeypatch):
    path = write_programme(tmp_path, config=CONFIG + (
        "notify:\n  slack_webhook_env: SLACK_HOOK\n  teams_webhook_file: teams-hook\n"))
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "t" * 24)
    monkeypatch.setenv("SLACK_HOOK", ADDRESS)
    code = main(["check", "--config", str(path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "notify.teams_webhook_file: cannot read webhook file" in err
    assert "SLACK_HOOK" not in err and ADDRESS not in out + err


def test_the_message_is_for_the_day_in_the_configs_timezone(tmp_path):
    config = load_config(write_programme(tmp_path, config=CONFIG.replace(
        "timezone: Europe/London", "timezone: Pacific/Auckland")))
    now = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)           # 02:00 on the 25th there
    news = news_of(config, ChaseResult(None, now, ()), now)
    assert news.day.isoformat() == "2026-11-25" and news.message_id == "DCR-2026-11-25"


def test_a_misspelt_channel_key_is_one_line_with_the_spelling(tmp_path):
    (problem,) = problems(tmp_path, "notify:\n  teams_webhok_env: TEAMS_HOOK\n")
    assert problem.endswith("jirasync.yaml:12: notify.teams_webhok_env: unknown key; "
                            "did you mean 'teams_webhook_env'?")
