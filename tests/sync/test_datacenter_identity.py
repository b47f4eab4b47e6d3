"""Data Center without a property cache (no state folder): issues whose search result
is exactly what the files want are matched to them; only the others are read by key.
Duplicates are still caught, and nothing is created or written on an inference."""
from __future__ import annotations

from dataclasses import replace

import pytest

from tests.sync.conftest import LESSONS, copies, snapshot

FEEDS, REHEARSAL = LESSONS


@pytest.fixture
def dc(synced):
    if synced.sb.flavour == "cloud":
        pytest.skip("Cloud's search returns issue properties")
    synced.forget_state()
    synced.sb.reset_log()
    return synced


def test_nothing_changed_reads_no_property_by_key(dc):
    result = dc.sync()
    assert result.count("unchanged") == 5 and dc.sb.count(write=True) == 0
    assert dc.sb.count(kind="get") <= 3        # the probe past the highest key only


def test_plans_as_the_full_read_does_and_reads_only_what_differs(dc):
    dc.sb.edit(dc.key("4.2/rehearsal"), summary="Rehearsals: two, on real data")
    dc.lessons(replace(FEEDS, title="Partners kept their feeds on"),
               replace(REHEARSAL, title="Three rehearsals next time"))
    before = snapshot(dc.sb)

    result = dc.sync(dry_run=True)

    assert result.count("updated") == 1 and result.count("conflict") == 1
    assert snapshot(dc.sb) == before
    # the two issues whose fields differ from the files are read by key, and once more
    # before a write is planned; besides them only the probe
    assert dc.sb.count(kind="get") <= 3 + 2 * 2


def test_a_duplicate_is_still_caught(dc):
    original = dc.sb.issue(dc.key("4.2/rehearsal"))
    clone = dc.sb.create_issue("Task", original.summary, parent=dc.key("4.2"),
                               labels=original.labels,
                               properties={"jirasync": original.properties["jirasync"]})

    result = dc.sync()

    (duplicate,) = result.plan.reports("duplicate")
    assert duplicate.key == clone and original.key in duplicate.detail
    assert result.count("created") == 0 and max(copies(dc.sb).values()) == 2


def test_a_look_alike_is_never_made_twice_on_an_inference(dc):
    """An exact look-alike of a lesson that is not jirasync's, the real one deleted: with
    no state folder it is taken for the lesson, the safe side (nothing is created or
    written on an inference); once the file changes that lesson, the look-alike is read
    by key before any write, and the lesson is made again, as the full read decides."""
    original = dc.sb.issue(dc.key("4.2/rehearsal"))
    look_alike = dc.sb.create_issue("Task", original.summary, parent=dc.key("4.2"),
                                    labels=original.labels)
    dc.sb.delete(original.key)
    dc.sb.reset_log()

    result = dc.sync()

    assert result.count("created") == 0 and dc.sb.count(write=True) == 0
    dc.forget_state()
    dc.lessons(FEEDS, replace(REHEARSAL, title="Three rehearsals next time"))

    again = dc.sync()

    assert again.count("created") == 1 and copies(dc.sb)["4.2/rehearsal"] == 1
    assert "jirasync" not in dc.sb.issue(look_alike).properties
    assert dc.sb.issue(look_alike).summary == original.summary


def test_the_daily_full_scan_infers_again_what_was_inferred(dc):
    dc.sb.edit(dc.key("4.2/rehearsal"), summary="Rehearsals: two, on real data")
    dc.sync()                        # no state folder: 4 inferred, the edited one read
    dc.sb.reset_log()

    result = dc.sync(full=True)      # the cache is no longer empty

    assert result.count("unchanged") == 4 and result.count("kept") == 1
    assert dc.sb.count(kind="get") <= 3
