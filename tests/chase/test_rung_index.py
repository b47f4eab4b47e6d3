"""Chase's index of its records (project properties ``jirasync.rungs``, docs/chase.md):
kept on Data Center only, whose search returns no record; written by a run that writes a
record, never by one that writes none or by a dry run; sharded under Jira's limit on a
property value, and read back whole by a report read cold."""
from __future__ import annotations

import pytest

from jirasync import rung_index
from jirasync.records import ChaseRecord
from jirasync.reports.reader import read_programme
from tests.chase.conftest import PRIYA, SAM, Act, at, gateway

LATE = tuple(Act(f"late-{n}", SAM, "2026-11-04") for n in range(3))
LATER = tuple(Act(f"fine-{n}", PRIYA, "2027-03-31") for n in range(7))


def index_of(sb) -> rung_index.Index | None:
    held = sb.project_properties()
    return rung_index.read(held.get)


def index_writes(sb) -> int:
    return sb.count(kind="project-property", write=True)


def test_a_chase_that_writes_records_writes_them_to_the_index_on_data_center(programme):
    p = programme(LATE + LATER)
    result = p.chase(at("2026-11-05"))
    assert result.count("escalation") == 3 and result.count("failed") == 0
    index = index_of(p.sb)
    if p.sb.flavour == "cloud":
        assert index is None and index_writes(p.sb) == 0
        return
    assert index is not None
    # every open action with a record (the others have none to show), at its version
    late = {p.key(a.id) for a in LATE}
    assert set(index) == late
    for key in late:
        record = p.sb.issue(key).properties["jirasync.chase"]
        assert ChaseRecord.from_json(index[key].properties["jirasync.chase"]) == \
            ChaseRecord.from_json(record) and record["rungs"] == [0]
        assert index[key].updated == p.jira.get_issue(key).updated.isoformat()
    # the head marked, the one part, the head cleared
    assert index_writes(p.sb) == 3


def test_a_chase_that_writes_no_record_leaves_the_index_alone(programme):
    p = programme(LATE + LATER)
    p.chase(at("2026-11-05"))
    before = p.sb.project_properties()
    p.sb.reset_log()
    assert p.chase(at("2026-11-06")).sent == ()
    assert index_writes(p.sb) == 0 and p.sb.project_properties() == before


def test_a_dry_run_writes_no_index(programme):
    p = programme(LATE + LATER)
    result = p.chase(at("2026-11-05"), dry_run=True)
    assert result.count("escalation") == 3
    assert index_writes(p.sb) == 0 and index_of(p.sb) is None


def test_many_actions_are_indexed_over_several_parts_and_read_back_cold(programme,
                                                                         monkeypatch):
    """120 overdue actions, parts of at most 2,000 characters (32,000 in use): a report
    read cold takes every rung from the parts and reads no action by key."""
    many = tuple(Act(f"many-{n}", (SAM, PRIYA)[n % 2], "2026-11-04") for n in range(120))
    p = programme(many)
    if p.sb.flavour == "cloud":
        pytest.skip("Cloud's search returns the records: no index")
    monkeypatch.setattr(rung_index, "PART_LIMIT", 2000)
    assert p.chase(at("2026-11-05")).count("escalation") == 120
    held = p.sb.project_properties()
    parts = held[rung_index.HEAD]["parts"]
    assert parts > 5 and all(rung_index.size(held[rung_index.part_name(n)]) <= 2000
                             for n in range(2, parts + 1))
    p.sb.reset_log()

    report = read_programme(gateway(p.sb), p.config)   # no state folder

    assert {a.key: a.rung for a in report.actions} == {k: 0 for k in p.keys.values()}
    assert p.sb.count(kind="get") == 0
    assert p.sb.count(kind="project-property") == parts


def test_a_smaller_index_removes_the_parts_a_larger_one_left(programme, monkeypatch):
    p = programme(LATE + LATER)
    if p.sb.flavour == "cloud":
        pytest.skip("Cloud's search returns the records: no index")
    monkeypatch.setattr(rung_index, "PART_LIMIT", 260)   # an entry a part
    p.chase(at("2026-11-05"))
    assert p.sb.project_properties()[rung_index.HEAD]["parts"] > 2
    monkeypatch.setattr(rung_index, "PART_LIMIT", 32000)
    p.chase(at("2026-11-19"))                  # rung 14 fires: records written again
    held = p.sb.project_properties()
    assert held[rung_index.HEAD]["parts"] == 2
    assert sorted(k for k in held if k.startswith(rung_index.HEAD)) == [
        rung_index.HEAD, rung_index.part_name(2)]
