"""`jirasync check --online`: what only Jira can tell, each problem named; nothing written."""
from __future__ import annotations

import pytest

from jirasync.cli import main
from tests.helpers import RELEASE, write_programme


def online_config(sb, *, project="DCR", extra="") -> str:
    auth = ("  auth:\n    email: pmo-bot@example.org\n    token_env: JIRASYNC_TEST_TOKEN\n"
            if sb.flavour == "cloud" else
            "  auth:\n    type: pat\n    token_env: JIRASYNC_TEST_TOKEN\n")
    return (f"jira:\n  url: {sb.url}\n{auth}  project: {project}\n{extra}"
            "people:\n  release_manager: jodie.crowfoot@example.org\n"
            "  pmo_lead: pmo@example.org\n")


@pytest.fixture
def token(sandbox, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN",
                       "sandbox-token" if sandbox.flavour == "cloud" else "sandbox-pat")


def run_online(tmp_path, capsys, sb, **kw):
    config = write_programme(tmp_path, config=online_config(sb, **{
        k: v for k, v in kw.items() if k in ("project", "extra")}),
        releases=kw.get("releases"))
    code = main(["check", "--online", "--config", str(config)])
    out, err = capsys.readouterr()
    assert sb.count(write=True) == 0          # --online only reads
    return code, out, err


def test_good_setup_passes(tmp_path, capsys, sandbox, token):
    code, out, err = run_online(tmp_path, capsys, sandbox)
    assert code == 0, err
    assert "credentials, project DCR, issue types, required fields, owners" in out


@pytest.mark.parametrize("kw,expected", [
    ({"project": "NOPE"}, "jira.project: NOPE:"),
    ({"extra": "  issue_types: {lesson: Lesson}\n"},
     "jira.issue_types.lesson: project DCR has no issue type 'Lesson'"),
    ({"extra": "  issue_types: {action: Task}\n"},
     "jira.issue_types.action: 'Task' must be a sub-task type"),
    ({"releases": {"4.2.yaml": RELEASE.replace("sam.jones@example.org",
                                               "nobody@example.org")}},
     "4.2.yaml:14: lessons[feeds-off].actions[feeds-checklist].owner: no Jira user matches"),
    ({"extra": "  fields: {Colour: red}\n"}, "jira.fields.Colour: Jira has no field named"),
], ids=["unknown-project", "unknown-issue-type", "action-type-not-subtask", "unknown-owner",
        "unknown-extra-field"])
def test_each_problem_is_named_and_exits_2(tmp_path, capsys, sandbox, token, kw, expected):
    code, _, err = run_online(tmp_path, capsys, sandbox, **kw)
    assert code == 2
    assert expected in err, err


def test_required_field_on_create_screen_is_named_until_config_fills_it(tmp_path, capsys,
                                                                        sandbox, token):
    sandbox.require_field("Task", "Team")
    code, _, err = run_online(tmp_path, capsys, sandbox)
    assert code == 2 and "the Task create screen requires 'Team'" in err
    code, _, err = run_online(tmp_path / "b", capsys, sandbox,
                              extra='  fields: {"Team": "PMO"}\n')
    assert code == 0, err


def test_wrong_token_is_an_authentication_message_without_traceback(tmp_path, capsys,
                                                                    sandbox, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "tok3n-jira-refuses")
    code, _, err = run_online(tmp_path, capsys, sandbox)
    assert code == 2
    assert "credentials" in err and "Traceback" not in err and "tok3n-jira-refuses" not in err
