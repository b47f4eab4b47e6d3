"""The config file: defaults, validation of every key, all problems at once, secrets."""
from __future__ import annotations

from pathlib import Path

import pytest

from jirasync.config import find_config, load_config
from jirasync.errors import ConfigError
from tests.helpers import CONFIG, write_programme

REPO = Path(__file__).resolve().parent.parent


def test_example_config_loads_with_documented_defaults():
    config = load_config(REPO / "config.example.yaml")
    assert config.jira.project == "DCR"
    assert config.jira.issue_types == {"release": "Epic", "lesson": "Task", "action": "Sub-task"}
    assert config.jira.labels["overdue"] == "ll-overdue"
    assert config.review.reminder == "comment"
    assert [r.after_days for r in config.review.ladder.rungs] == [0, 14, 30]
    assert config.schedule == {"sync": "every 15 minutes", "chase": "every day at 09:00"}
    assert config.releases_dir == REPO / "releases"


def test_minimal_config_gets_defaults_and_paths_relative_to_its_folder(tmp_path):
    config = load_config(write_programme(tmp_path / "pmo"))
    assert config.releases_dir == tmp_path / "pmo" / "releases"
    assert config.state_dir == tmp_path / "pmo" / ".jirasync"
    assert config.templates_dir is None
    assert config.jira.timeout_s == 30 and config.jira.max_retry_s == 300
    assert config.review.prompt_days_before == 7


@pytest.mark.parametrize("option,env,expected", [
    ("given.yaml", "env.yaml", "given.yaml"),
    (None, "env.yaml", "env.yaml"),
    (None, None, "jirasync.yaml"),
], ids=["option-wins", "env-next", "default"])
def test_config_search_order(option, env, expected):
    environ = {"JIRASYNC_CONFIG": env} if env else {}
    assert find_config(option, environ) == Path(expected)


def problems_of(tmp_path, config_text):
    with pytest.raises(ConfigError) as info:
        load_config(write_programme(tmp_path, config=config_text))
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("bad,expected", [
    (CONFIG.replace("project: DCR", "projcet: DCR"),
     ["jirasync.yaml:6: jira.projcet: unknown key; did you mean 'project'?"]),
    (CONFIG + "timezone_name: x\n", ["jirasync.yaml:11: timezone_name: unknown key; did you mean 'timezone'?"]),
    (CONFIG.replace("Europe/London", "Mars/Olympus"), ["jirasync.yaml:7: timezone:"]),
    (CONFIG + "review:\n  reminder: email\n", ["jirasync.yaml:12: review.reminder: 'email' is not one of: comment, digest"]),
    (CONFIG + "review:\n  rule: FREQ=SOMETIMES\n", ["jirasync.yaml:12: review.rule:"]),
    (CONFIG + "review:\n  time: '25:00'\n", ["jirasync.yaml:12: review.time:"]),
    (CONFIG + "review:\n  escalation:\n    - {after_days: 5, notify: [owner, sponsor]}\n",
     ["review.escalation[0].notify: 'sponsor' is neither 'owner' nor a role under people"]),
    (CONFIG.replace("token_env: JIRASYNC_TEST_TOKEN", "token_env: abc123 secret"),
     ["jira.auth.token_env: 'abc123 secret' is not an environment variable name"]),
    (CONFIG.replace("    email: pmo-bot@example.org\n", ""), ["jira.auth.email: is required with type basic"]),
    (CONFIG + "schedule:\n  sync: sometimes\n", ["schedule.sync: 'sometimes' is not a schedule"]),
    (CONFIG + "schedule:\n  deploy: every day at 09:00\n", ["schedule.deploy: unknown key"]),
    (CONFIG.replace("https://example.atlassian.net", "example"), ["jira.url: 'example' is not a web address"]),
    (CONFIG + "jira_labels: {}\n", ["unknown key"]),
], ids=["typo-with-suggestion", "unknown-top-key", "bad-timezone", "bad-reminder", "bad-rule",
        "bad-time", "unknown-role", "token-in-file", "basic-without-email", "bad-schedule",
        "unknown-job", "bad-url", "unknown-section"])
def test_each_bad_config_is_named_with_file_line_and_key(tmp_path, bad, expected):
    found = problems_of(tmp_path, bad)
    for piece in expected:
        assert any(piece in line for line in found), (piece, found)


def test_a_misspelt_required_key_is_named_once_at_its_own_line(tmp_path):
    found = problems_of(tmp_path, CONFIG.replace("project: DCR", "projcet: DCR"))
    assert len(found) == 1, found
    assert found[0].endswith("jirasync.yaml:6: jira.projcet: unknown key; did you mean 'project'?")


def test_a_required_key_left_out_is_still_named(tmp_path):
    found = problems_of(tmp_path, CONFIG.replace("  project: DCR\n", ""))
    assert any("jira.project: is required and missing" in line for line in found), found


def test_every_problem_is_reported_at_once(tmp_path):
    bad = CONFIG.replace("project: DCR", "project: dcr").replace("Europe/London", "Nowhere")
    bad += "review:\n  reminder: fax\n  prompt_days_before: soon\n"
    found = problems_of(tmp_path, bad)
    assert len(found) == 4, found


NO_PEOPLE = CONFIG[:CONFIG.index("people:")]


@pytest.mark.parametrize("bad,expected", [
    (NO_PEOPLE, [("jirasync.yaml:1: review.escalation: the default ladder notifies pmo_lead and "
                 "release_manager; add them under people")]),
    (CONFIG + "review:\n  escalation:\n    - {after_days: 0, notify: [owner]}\n"
              "    - {after_days: 30}\n    - {after_days: 30, notify: [owner]}\n",
     ["jirasync.yaml:14: review.escalation[1].notify: is required",
      "jirasync.yaml:15: review.escalation[2].after_days: 30 is used twice (first on line 14)"]),
    (CONFIG + "review:\n  escalation:\n    - {after_days: x, notify: [owner]}\n"
              "    - {after_days: 0, notify: [owner]}\n",
     ["jirasync.yaml:13: review.escalation[0].after_days: 'x' must be a whole number"]),
    (CONFIG + "review:\n  escalation:\n    - {id: first, after_days: 0, notify: [owner]}\n",
     ["jirasync.yaml:13: review.escalation[0].id: unknown key"]),
    (CONFIG + "review:\n  prompt_days_before: 99999999999\n",
     ["review.prompt_days_before: '99999999999' must be a whole number from 0 to 90"]),
    (CONFIG.replace("project: DCR", "project: DCR\n  labels: {all: '', keep: ll, improve: ll}"),
     ["jira.labels.all: is blank", "jira.labels.improve: 'll' is also the keep label"]),
    (CONFIG.replace("project: DCR", "project: DCR\n  labels: {keep: 'll\"x'}"),
     ["jira.labels.keep: 'll\"x': a label cannot contain spaces (Jira) or quotes"]),
    (CONFIG.replace("project: DCR", "project: DCR\n  issue_types: {release: ''}"),
     ["jira.issue_types.release: is blank"]),
    (CONFIG + "review:\n  time: '25:00'\n" + "releases_dir: [releases]\n",
     ["review.time:", "releases_dir: must be a single line of text"]),
    (CONFIG + "review:\n  prompt_days_before: 0\n  time: '00:00'\n",
     ["review.prompt_days_before: 0 with a meeting at 00:00 leaves no time"]),
], ids=["default-ladder-needs-people", "rung-problems-at-their-lines", "bad-after-days-alone",
        "a-rung-is-not-named-by-an-unknown-id", "huge-number", "blank-and-shared-labels", "quote-in-label", "blank-issue-type",
        "paths-checked-too", "empty-prompt-window"])
def test_ladder_labels_and_bounds_are_checked_where_they_are_written(tmp_path, bad, expected):
    found = problems_of(tmp_path, bad)
    for piece in expected:
        assert any(piece in line for line in found), (piece, found)
    assert not any("used twice" in line for line in found if "'x'" in bad)


def test_timezone_time_and_rule_are_each_reported(tmp_path):
    bad = CONFIG.replace("Europe/London", "Nowhere") + "review:\n  time: '25:00'\n  rule: X\n"
    found = problems_of(tmp_path, bad)
    assert [line.split(": ")[1] for line in found] == ["timezone", "review.time", "review.rule"]


def test_token_comes_from_the_environment_and_never_prints(tmp_path):
    config = load_config(write_programme(tmp_path))
    token = config.jira.auth.token({"JIRASYNC_TEST_TOKEN": "s3cr3t-value"})
    assert token.reveal() == "s3cr3t-value"
    for shown in (str(token), repr(token), f"{token}", repr(config)):
        assert "s3cr3t-value" not in shown


def test_a_token_pasted_with_a_newline_still_works(tmp_path):
    config = load_config(write_programme(tmp_path))
    assert config.jira.auth.token({"JIRASYNC_TEST_TOKEN": "s3cr3t\n"}).reveal() == "s3cr3t"


def test_unset_token_variable_names_the_variable(tmp_path):
    config = load_config(write_programme(tmp_path))
    with pytest.raises(ConfigError, match="JIRASYNC_TEST_TOKEN is not set"):
        config.jira.auth.token({})


def test_token_file_is_read_relative_to_the_config(tmp_path):
    text = CONFIG.replace("token_env: JIRASYNC_TEST_TOKEN", "token_file: secrets/jira")
    path = write_programme(tmp_path, config=text)
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "jira").write_text("from-file\n")
    assert load_config(path).jira.auth.token({}).reveal() == "from-file"
