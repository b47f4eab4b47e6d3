"""A signal noted while the main thread is inside a wait: the run stops, it never hangs."""
from __future__ import annotations

from jirasync.stopping import Stop


def test_a_stop_asked_for_while_the_waits_own_lock_is_held_is_seen_and_wakes_the_wait():
    stop = Stop()
    # A signal handler runs on the main thread between two of its steps, which may be
    # inside Event.wait with the Event's lock held; asking there must not wait for it.
    with stop._event._cond:
        stop.ask("stopped by SIGTERM")
        assert stop()
    assert stop.wait(5)
    assert stop.reason == "stopped by SIGTERM"


def test_hurrying_from_a_handler_is_seen_at_once():
    stop = Stop()
    with stop._hurry._cond:
        stop.hurry()
        assert stop.hurried
