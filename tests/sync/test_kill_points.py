"""The kill-point sweep: a first sync of a small programme is SIGKILLed just after Jira
processed each of its requests in turn (Jira did the work; the process is gone: no
lease released, no state written after that point), on both flavours, with and without
Cloud's search lagging, with the state folder kept and deleted. The rerun, made while
the index still lags, succeeds and leaves exactly one issue per item.
"""
from __future__ import annotations

import shutil

import pytest

from jirasync.cli import main
from jirasync.sandbox import Sandbox
from tests.conftest import checked_sandbox
from tests.processes import Child
from tests.sync.conftest import TOKEN_ENV, TOKENS, Act, Les, Programme, copies, release_yaml

# Forked children talk to the sandbox, so it listens on a real port.
pytestmark = pytest.mark.over_http

SMALL = (Les("feeds-off", "Partners turned their feeds off late before the drop",
             actions=(Act("checklist", "Add feed shutdown to the drop checklist"),)),)
ONE_EACH = {"4.2": 1, "4.2/feeds-off": 1, "4.2/feeds-off/checklist": 1}


def small_programme(sb, root) -> Programme:
    p = Programme(sb, root)
    p.write(release_yaml(lessons=SMALL))
    return p


def sync_child(p: Programme) -> Child:
    return Child(["sync", "--config", str(p.config_path)], {TOKEN_ENV: TOKENS[p.sb.flavour]})


def first_sync_requests(contract, flavour: str, root, lag: bool) -> int:
    """How many requests a whole first sync makes (run here: it also warms up this
    process, so each forked child starts with everything loaded)."""
    with checked_sandbox(contract, flavour) as sb:
        sb.faults.search_lag(on=lag)
        p = small_programme(sb, root)
        assert main(["-q", "sync", "--config", str(p.config_path)]) == 0
        assert dict(copies(sb)) == ONE_EACH
        return sb.count()


@pytest.mark.parametrize("state", ["kept", "deleted"])
@pytest.mark.parametrize("lag", [False, True], ids=["no-lag", "lag"])
@pytest.mark.parametrize("flavour", ["cloud", "datacenter"])
def test_a_sync_killed_at_any_request_leaves_one_issue_per_item(contract, tmp_path,
                                                               monkeypatch, flavour, lag,
                                                               state):
    monkeypatch.setenv(TOKEN_ENV, TOKENS[flavour])
    total = first_sync_requests(contract, flavour, tmp_path / "count", lag)
    outcomes = {}
    for point in range(1, total + 1):
        # Unchecked sandboxes: the contract is checked by the run above and elsewhere;
        # here it would only double the sweep's time.
        with Sandbox(flavour) as sb:
            sb.faults.search_lag(on=lag)
            p = small_programme(sb, tmp_path / str(point))
            child = sync_child(p)
            sb.faults.after_requests(point, child.kill)
            code = child.go().wait()
            if state == "deleted":
                shutil.rmtree(p.root / ".jirasync", ignore_errors=True)
            rerun = main(["-q", "sync", "--config", str(p.config_path)])
            outcomes[point] = (code, rerun, dict(copies(sb)))
    wrong = {k: v for k, v in outcomes.items() if v[1] != 0 or v[2] != ONE_EACH}
    assert not wrong, wrong
    assert any(code == -9 for code, _, _ in outcomes.values())
