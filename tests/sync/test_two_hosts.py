"""Two hosts (two state folders, one Jira) syncing at once make no duplicate, and a
state folder deleted under a running sync does not let a second run in (SPEC §5)."""
from __future__ import annotations

import re
import shutil

import pytest

from jirasync.cli import main
from jirasync.sandbox import Sandbox
from tests.processes import Child
from tests.sync.conftest import (
    IDENTITIES,
    TOKEN_ENV,
    TOKENS,
    Programme,
    copies,
    release_yaml,
)

# Forked children talk to the sandbox, so it listens on a real port.
pytestmark = pytest.mark.over_http

ONE_EACH = dict.fromkeys(IDENTITIES, 1)


def sync_child(p: Programme) -> Child:
    return Child(["sync", "--config", str(p.config_path)], {TOKEN_ENV: TOKENS[p.sb.flavour]})


def second_release(p: Programme) -> None:
    p.write(release_yaml(rid="4.3", name="DCR Release 4.3"), "4.3.yaml")


@pytest.mark.parametrize("lag", [False, True], ids=["no-lag", "lag"])
@pytest.mark.parametrize("flavour", ["cloud", "datacenter"])
def test_two_hosts_syncing_at_once_make_each_issue_once(tmp_path, monkeypatch, flavour, lag):
    monkeypatch.setenv(TOKEN_ENV, TOKENS[flavour])
    for attempt in range(3):
        with Sandbox(flavour, latency_s=0.002) as sb:
            sb.faults.search_lag(on=lag)
            hosts = [Programme(sb, tmp_path / f"{attempt}-{name}") for name in "ab"]
            runs = [sync_child(p) for p in hosts]
            codes = [run.go() and None for run in runs] and [run.wait() for run in runs]
            assert dict(copies(sb)) == ONE_EACH, (attempt, codes)
            assert 0 in codes and set(codes) <= {0, 1}
            for p in hosts:
                second_release(p)
            runs = [sync_child(p) for p in reversed(hosts)]
            codes = [run.go() and None for run in runs] and [run.wait() for run in runs]
            for p in hosts:                       # whoever was refused catches up
                assert main(["-q", "sync", "--config", str(p.config_path)]) == 0
            assert set(copies(sb).values()) == {1} and len(copies(sb)) == 2 * len(IDENTITIES)


def test_a_deleted_state_folder_does_not_unlock_a_running_sync(programme, monkeypatch,
                                                               capsys):
    monkeypatch.setenv(TOKEN_ENV, TOKENS[programme.sb.flavour])
    sb = programme.sb
    sb.faults.search_lag(on=True)
    with Sandbox(sb.flavour) as rehearsal:                  # where the lease is taken
        rehearsal.faults.search_lag(on=True)
        warm = Programme(rehearsal, programme.root / "warm")
        assert main(["-q", "sync", "--config", str(warm.config_path)]) == 0
        taken = next(i for i, r in enumerate(rehearsal.requests, 1)
                     if r.method == "PUT" and re.search(r"jirasync\.lease\.sync\.\d+$", r.path))
    second = []

    def meanwhile():          # the first run holds the lease: rm -rf .jirasync, run again
        shutil.rmtree(programme.root / ".jirasync", ignore_errors=True)
        second.append(main(["sync", "--config", str(programme.config_path)]))
    sb.reset_log()
    first = sync_child(programme)
    sb.faults.after_requests(taken, meanwhile)
    assert first.go().wait() == 0
    assert second == [1] and "holds the sync lease in Jira" in capsys.readouterr().err
    assert dict(copies(sb)) == ONE_EACH
