"""Every re-sync works on a Jira that answers as Atlassian's contract says (the sandbox
answers Cloud's ``/search/jql`` with ids alone unless keys or fields are asked for): with
the state folder kept, without it, in full, as a dry run; and every report after it shows
the programme."""
from __future__ import annotations

import pytest

from tests.sync.conftest import IDENTITIES, LESSONS, copies

FEEDS, REHEARSAL = LESSONS


@pytest.mark.parametrize("how", [("sync",), ("sync", "--full"), ("sync", "--dry-run")],
                         ids=["incremental", "full", "dry-run"])
@pytest.mark.parametrize("state", ["kept", "lost"])
def test_a_re_sync_with_nothing_changed_exits_0_and_writes_nothing(cli, how, state):
    sb = cli.programme.sb
    assert cli("sync")[0] == 0
    if state == "lost":
        cli.programme.forget_state()
    sb.reset_log()

    code, out, err = cli(*how)

    assert (code, err) == (0, ""), out + err
    assert sb.count(write=True) == 0
    assert dict(copies(sb)) == dict.fromkeys(IDENTITIES, 1)
    assert cli("sync")[0] == 0 and sb.count(write=True) == 0


@pytest.mark.parametrize("report", [("status",), ("export",), ("agenda",),
                                    ("deck", "4.2", "--format", "md")],
                         ids=["status", "export", "agenda", "deck"])
def test_every_report_after_a_re_sync_shows_the_programme(cli, report):
    assert cli("sync")[0] == 0
    cli.programme.forget_state()
    assert cli("sync")[0] == 0

    code, out, err = cli(*report)

    assert code == 0, err
    action = FEEDS.actions[0]
    assert action.title in out or cli.programme.key("4.2/feeds-off/checklist") in out, out
