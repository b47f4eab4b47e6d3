"""A bot without Create issues (which check --online names) creates nothing: sync says
what Jira refused and exits 1; granted, the next sync creates the programme once."""
from __future__ import annotations

from jirasync.cli import main
from tests.helpers import write_programme
from tests.test_check_online import online_config


def test_without_create_issues_sync_creates_nothing_until_it_is_granted(tmp_path, capsys,
                                                                        sandbox, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN",
                       "sandbox-token" if sandbox.flavour == "cloud" else "sandbox-pat")
    config = str(write_programme(tmp_path, config=online_config(sandbox)))
    sandbox.withhold("CREATE_ISSUES")
    assert main(["sync", "--config", config]) == 1
    err = capsys.readouterr().err
    assert "permission to create issues" in err and "Traceback" not in err, err
    assert sandbox.issues() == []
    sandbox.grant("CREATE_ISSUES")
    assert main(["sync", "--config", config]) == 0, capsys.readouterr().err
    assert len(sandbox.issues()) == 4
