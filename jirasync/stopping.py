"""Stopping a run cleanly on SIGTERM or SIGINT (README "8. Run it as a service"): the
request in flight is finished, no item is left half written, and what was done is reported
and journaled.

A ``Stop`` is a flag. The writers (sync's applier, chase's sender) look at it between
items and leave the rest for the next run. While nothing is being written, waiting is
between requests is where a run may end at once: ``Stop.clock`` and ``Stop.sleep``
(the gateway's clock and its pacing and retry waits) raise ``Interrupted`` once a stop
is asked for, since no request is in flight then.
A second signal is the operator insisting: it interrupts at once, like Ctrl-C always did.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator


class Interrupted(KeyboardInterrupt):
    """A stop was asked for while nothing was being written: the run ends here."""


class Stop:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._writing = 0
        self.reason = ""

    def __call__(self) -> bool:
        """Whether a stop was asked for (the writers' check between items)."""
        return self._event.is_set()

    def request(self, reason: str = "stop requested") -> None:
        self.reason = self.reason or reason
        self._event.set()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """A block that writes item by item: waits inside it are never cut short."""
        self._writing += 1
        try:
            yield
        finally:
            self._writing -= 1

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``; outside ``writing``, a stop ends the wait with Interrupted."""
        if self._writing:
            time.sleep(seconds)     # a retry in the middle of an item: finish the item
            return
        if self._event.wait(seconds) or self._event.is_set():
            raise Interrupted(self.reason)

    def clock(self) -> float:
        """The gateway's clock, which it reads before each request and after each answer:
        outside ``writing``, a stop ends the run there, with no request in flight."""
        if self._event.is_set() and not self._writing:
            raise Interrupted(self.reason)
        return time.monotonic()

    def wait(self, seconds: float) -> bool:
        """Idle for up to ``seconds``; True if a stop was asked for meanwhile."""
        return self._event.wait(seconds)


def never() -> bool:
    """The stop check of a run nobody can stop (tests, the demo)."""
    return False


@contextlib.contextmanager
def on_signals(stop: Stop) -> Iterator[Stop]:
    """Turn SIGTERM and SIGINT into ``stop.request`` for the block; a second one raises
    KeyboardInterrupt. Only the main thread may do this; elsewhere it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum, frame) -> None:
        if stop():
            raise KeyboardInterrupt
        stop.request(f"stopped by {signal.Signals(signum).name}")

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
