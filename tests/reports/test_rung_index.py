"""A report read cold on Data Center (no state folder: a laptop that never synced) takes
each action's chase record from chase's index of its records (project properties
``jirasync.rungs``, docs/reports.md) rather than reading it by key; an index it cannot
trust, or an entry of an older version than the issue's, sends it back to the read by key,
and the rungs shown are the records' all the same."""
from __future__ import annotations

import shutil

import pytest

from jirasync import rung_index
from jirasync.reports.reader import read_programme
from jirasync.state import StateDir
from tests.reports.conftest import at
from tests.reports.test_reader import keys_read

RUNGS = {"act-open": 30, "act-late": 0, "act-script": None}


def cold(history):
    """The programme read with no state folder, the log started empty."""
    shutil.rmtree(history.config.state_dir, ignore_errors=True)
    history.sb.reset_log()
    return read_programme(history.gateway(), history.config,
                          state=StateDir(history.config.state_dir))


def rungs(programme) -> dict[str, int | None]:
    return {a.action: a.rung for a in programme.actions if not a.done}


def overdue(history) -> list[str]:
    return sorted(history.keys[a] for a in ("act-open", "act-late"))


def test_a_cold_report_reads_the_index_and_no_record_by_key(history):
    p = cold(history)
    assert rungs(p) == RUNGS
    if history.sb.flavour == "cloud":      # its search returns the records: no index kept
        assert not any(k.startswith(rung_index.HEAD) for k in history.sb.project_properties())
        assert history.sb.count("get") == 0
        return
    # by key only the hand-made lesson sync has not tagged (no file vouches for it)
    assert keys_read(history.sb) == [history.hand_made]
    reads = [r for r in history.sb.requests if r.kind == "project-property"]
    assert [r.path.rsplit("/", 1)[-1] for r in reads] == ["jirasync.rungs", "jirasync.rungs.2"]
    assert history.sb.count(write=True) == 0
    # what the index gave is kept in the new state folder: the next report reads neither
    history.sb.reset_log()
    again = read_programme(history.gateway(), history.config,
                           state=StateDir(history.config.state_dir))
    assert rungs(again) == RUNGS
    assert history.sb.count("project-property") == 0 and keys_read(history.sb) == []


def _datacenter(history) -> None:
    if history.sb.flavour != "datacenter":
        pytest.skip("Cloud's search returns the records: no index")


def _index_head(history) -> dict:
    return dict(history.sb.project_properties()[rung_index.HEAD])


@pytest.mark.parametrize("harm", ["marked-writing", "part-missing", "part-of-another-write",
                                  "no-index"])
def test_an_index_not_to_be_trusted_sends_the_report_to_reads_by_key(history, harm):
    _datacenter(history)
    head = _index_head(history)
    jira = history.gateway()
    if harm == "marked-writing":           # a chase cut off between its first write and
        history.sb.set_project_property(rung_index.HEAD, {**head, "writing": True})  # last
    elif harm == "part-missing":
        jira.delete_project_property(rung_index.part_name(2), "DCR")
    elif harm == "part-of-another-write":  # a part a later write rewrote, its head not yet
        part = history.sb.project_properties()[rung_index.part_name(2)]
        history.sb.set_project_property(rung_index.part_name(2), {**part, "write": "later"})
    else:
        jira.delete_project_property(rung_index.HEAD, "DCR")

    p = cold(history)

    assert rungs(p) == RUNGS
    assert sorted(keys_read(history.sb)) == sorted([*overdue(history), history.hand_made])


def test_a_record_rewritten_since_the_index_is_read_by_key(history):
    """An older jirasync (or anything else) edited the action after the index was
    written: its entry is of an older version, so the report reads that one by key."""
    _datacenter(history)
    late = history.keys["act-late"]
    record = dict(history.sb.issue(late).properties["jirasync.chase"])
    record["rungs"] = [0, 14]
    history.clock.now = at("2026-12-10", 11)
    history.gateway().edit_issue(late, comment="Escalated: rung 14",
                                 properties={"jirasync.chase": record})

    p = cold(history)

    assert rungs(p) == {**RUNGS, "act-late": 14}
    assert sorted(keys_read(history.sb)) == sorted([late, history.hand_made])


def test_an_action_the_index_lacks_is_read_by_key(history):
    _datacenter(history)
    late = history.keys["act-late"]
    part = history.sb.project_properties()[rung_index.part_name(2)]
    entries = {k: v for k, v in part["entries"].items() if k != late}
    history.sb.set_project_property(rung_index.part_name(2), {**part, "entries": entries})

    p = cold(history)

    assert rungs(p) == RUNGS
    assert sorted(keys_read(history.sb)) == sorted([late, history.hand_made])
