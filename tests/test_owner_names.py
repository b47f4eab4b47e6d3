"""An owner named by email, Cloud account id or Data Center username; an owner whose email
Jira Cloud keeps hidden is named by account id, and the error for the email says so."""
from __future__ import annotations

import pytest

from jirasync.cli import main
from jirasync.sandbox import SandboxUser
from tests.helpers import RELEASE, write_programme
from tests.test_check_online import online_config

NINA = SandboxUser("5b10ac8d82e05b22cc7d4e55", "nina.patel", "nina.patel@example.org",
                   "Nina Patel", email_hidden=True)


@pytest.fixture
def programme(tmp_path, sandbox, monkeypatch):
    """Write the programme with the action owned by ``owner``; returns the config path."""
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN",
                       "sandbox-token" if sandbox.flavour == "cloud" else "sandbox-pat")
    sandbox.add_user(NINA)

    def write(owner: str):
        return write_programme(tmp_path, config=online_config(sandbox),
                               releases={"4.2.yaml": RELEASE.replace("sam.jones@example.org",
                                                                     owner)})
    return write


def _assignee(sandbox) -> str | None:
    (action,) = [i for i in sandbox.issues() if i.fields["issuetype"]["name"] == "Sub-task"]
    who = action.fields["assignee"] or {}
    return who.get("accountId") if sandbox.flavour == "cloud" else who.get("name")


@pytest.mark.parametrize("sandbox", ["cloud"], indirect=True)
def test_a_hidden_email_is_not_found_and_the_error_says_to_use_the_account_id(
        programme, sandbox, capsys):
    code = main(["check", "--online", "--config", str(programme("nina.patel@example.org"))])
    err = capsys.readouterr().err
    assert code == 2
    assert ("4.2.yaml:14: lessons[feeds-off].actions[feeds-checklist].owner: no Jira user "
            "matches 'nina.patel@example.org'; check the address: if it is right, the person "
            "may keep it hidden") in err, err
    assert "name them by their Jira account id" in err


@pytest.mark.parametrize("sandbox", ["cloud"], indirect=True)
def test_an_owner_named_by_account_id_checks_and_is_assigned(programme, sandbox, capsys):
    config = programme(NINA.account_id)
    assert main(["check", "--online", "--config", str(config)]) == 0, capsys.readouterr().err
    assert main(["sync", "--config", str(config)]) == 0, capsys.readouterr().err
    assert _assignee(sandbox) == NINA.account_id


@pytest.mark.parametrize("sandbox", ["datacenter"], indirect=True)
def test_an_owner_named_by_username_checks_and_is_assigned(programme, sandbox, capsys):
    config = programme("nina.patel")
    assert main(["check", "--online", "--config", str(config)]) == 0, capsys.readouterr().err
    assert main(["sync", "--config", str(config)]) == 0, capsys.readouterr().err
    assert _assignee(sandbox) == "nina.patel"


@pytest.mark.parametrize("sandbox", ["datacenter"], indirect=True)
def test_data_center_shows_every_email_so_its_error_says_to_check_it(programme, sandbox,
                                                                    capsys):
    code = main(["check", "--online", "--config", str(programme("nina@example.org"))])
    err = capsys.readouterr().err
    assert code == 2
    assert ("no Jira user matches 'nina@example.org'; check the address, or name them by "
            "their Jira username instead") in err, err


def test_a_sync_names_the_owner_it_cannot_find_and_what_to_do(programme, sandbox, capsys):
    config = programme("nina.p@example.org")
    assert main(["sync", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    hint = "account id" if sandbox.flavour == "cloud" else "username"
    assert "no Jira user matches 'nina.p@example.org'" in err and hint in err, err
    types = sorted(i.fields["issuetype"]["name"] for i in sandbox.issues())
    assert types == ["Epic", "Task", "Task"]         # the action alone failed, unmade
