"""The garbage collector around a sync's bulk: off while it is built, what was built left
out of its walks until the run ends, and everything as it was after."""
from __future__ import annotations

import gc

from jirasync.bulk import bulk_run, paused_gc


def test_the_collector_is_off_while_the_bulk_is_built_and_on_again_after():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():                  # inside another: the outer one switches it on
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0      # outside a sync run nothing is set apart


def test_within_a_run_the_bulk_is_set_apart_until_the_run_ends():
    with bulk_run():
        with paused_gc():
            bulk = [[n] for n in range(10_000)]
        assert gc.isenabled() and gc.get_freeze_count() >= len(bulk)
    assert gc.get_freeze_count() == 0


def test_a_failing_block_leaves_the_collector_as_it_was():
    try:
        with bulk_run(), paused_gc():
            raise ValueError("a file that does not parse")
    except ValueError:
        pass
    assert gc.isenabled() and gc.get_freeze_count() == 0
