"""One observation per writing run: a run takes the sync lease after its look, and reads
Jira again before writing only when another run held the lease since this host's last
(the term it took is kept in the state folder); the look it made is otherwise as fresh
as a second would be, since no other run can have written meanwhile (SPEC §5)."""
from __future__ import annotations

from datetime import timedelta

from jirasync.config import load_config
from jirasync.lease import JiraLease
from jirasync.state import StateDir
from jirasync.sync.job import sync
from tests.sync.conftest import LESSONS, NOW, Les, copies

LEDGER = "properties/jirasync.sync"


def looks(sb) -> int:
    """Observations made: each begins by reading sync's record of creates."""
    return sum(1 for r in sb.requests if r.method == "GET" and r.path.endswith(LEDGER))


def run(p, host: str = "host-a", minutes: int = 0):
    config = load_config(p.config_path)
    jira = p.gateway()
    return sync(config, jira, state=StateDir(config.state_dir),
                now=NOW + timedelta(minutes=minutes), progress=lambda text: None,
                lease=JiraLease(jira, "sync", host=host))


def reword(p, title: str) -> None:
    first, second = LESSONS
    p.lessons(first, Les(second.id, title, kind="keep"))


def test_a_writing_run_right_after_this_host_s_last_looks_once(programme):
    first = run(programme)
    assert first.count("created") > 0 and not first.failed
    reword(programme, "Three data-migration rehearsals")
    programme.sb.reset_log()

    result = run(programme, minutes=10)

    assert result.count("updated") == 1 and not result.failed
    assert looks(programme.sb) == 1
    assert programme.sb.issue(programme.key("4.2/rehearsal")).summary == \
        "Three data-migration rehearsals"
    assert max(copies(programme.sb).values()) == 1


def test_another_host_s_run_in_between_means_a_second_look(programme):
    """Host b held the lease since host a's last run: it may have written after host a
    looked, so host a reads again once it holds the lease."""
    run(programme)
    with JiraLease(programme.gateway(), "sync", host="host-b").held():
        pass
    reword(programme, "Three data-migration rehearsals")
    programme.sb.reset_log()

    result = run(programme, minutes=10)

    assert looks(programme.sb) == 2 and result.count("updated") == 1
    programme.sb.reset_log()
    reword(programme, "Four data-migration rehearsals")

    assert run(programme, minutes=20).count("updated") == 1
    assert looks(programme.sb) == 1          # host a's own run was the last: once again


def test_a_lost_state_folder_means_a_second_look(programme):
    run(programme)
    (load_config(programme.config_path).state_dir / "sync-lease.json").unlink()
    reword(programme, "Three data-migration rehearsals")
    programme.sb.reset_log()

    assert run(programme, minutes=10).count("updated") == 1
    assert looks(programme.sb) == 2
