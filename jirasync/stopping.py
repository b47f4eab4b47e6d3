"""Stopping a run cleanly on SIGTERM, SIGINT or SIGHUP (README "8. Run it as a service";
SIGHUP: the terminal or SSH session went away): the request in flight is finished, no item
is left half written, and what was done is reported and journaled.

A ``Stop`` is a flag. The writers (sync's applier, chase's sender) look at it between
items and leave the rest for the next run. While nothing is being written, waiting is
between requests is where a run may end at once: ``Stop.clock`` and ``Stop.sleep``
(the gateway's clock and its pacing and retry waits) raise ``Interrupted`` once a stop
is asked for, since no request is in flight then.
A second signal is the operator insisting. Before anything was written it interrupts at
once, like Ctrl-C always did. Once the run has written, it cuts short every wait for Jira
(a retry, the pacing): the item waiting fails (``Hurried``) and is left for the next run,
so the run still ends through its report and its journal entry, with the counts of what it
did. A third signal interrupts at once, whatever the cost to the report.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType

from jirasync.errors import JiraError

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """A stop was asked for while nothing was being written: the run ends here."""


class Hurried(JiraError):
    """A wait for Jira cut short by a second signal: the item waiting fails, as if Jira
    had not answered, and is left for the next run."""


class Stop:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._hurry = threading.Event()
        self._hurried = False
        self._writing = 0
        self._asked = False         # set at once by a signal; the events follow (see ask)
        self.wrote = False          # a writing block was entered: the run may have written
        self.reason = ""

    def __call__(self) -> bool:
        """Whether a stop was asked for (the writers' check between items)."""
        return self._asked or self._event.is_set()

    def request(self, reason: str = "stop requested") -> None:
        self.reason = self.reason or reason
        self._event.set()

    def ask(self, reason: str) -> None:
        """``request`` from a signal handler. The handler runs on the main thread between
        two of its steps, perhaps while that thread holds an Event's own lock inside
        ``Event.wait``; setting the Event there would wait for that lock forever. So the
        stop is noted here at once and the waits are woken from a thread of their own."""
        self.reason = self.reason or reason
        self._asked = True
        threading.Thread(target=self._event.set, name="stop", daemon=True).start()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """A block that writes item by item: waits inside it are never cut short."""
        self._writing += 1
        self.wrote = True
        try:
            yield
        finally:
            self._writing -= 1

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``; outside ``writing``, a stop ends the wait with Interrupted."""
        if self._writing:
            # A retry in the middle of an item: finish the item, unless told twice.
            if self._hurry.wait(seconds) or self.hurried:
                raise Hurried(f"not sent: {self.reason}, then again, while it waited for "
                              "Jira; left for the next run", retryable=True)
            return
        if self._event.wait(seconds) or self():
            raise Interrupted(self.reason)

    def clock(self) -> float:
        """The gateway's clock, which it reads before each request and after each answer:
        outside ``writing``, a stop ends the run there, with no request in flight."""
        if self() and not self._writing:
            raise Interrupted(self.reason)
        return time.monotonic()

    def hurry(self) -> None:
        """Cut short every wait from now on (a second signal once the run has written;
        called from its handler, hence the thread, as in ``ask``)."""
        self._hurried = True
        threading.Thread(target=self._hurry.set, name="hurry", daemon=True).start()

    @property
    def hurried(self) -> bool:
        return self._hurried or self._hurry.is_set()

    def wait(self, seconds: float) -> bool:
        """Idle for up to ``seconds``; True if a stop was asked for meanwhile."""
        return self._event.wait(seconds) or self()


def never() -> bool:
    """The stop check of a run nobody can stop (tests, the demo)."""
    return False


@contextlib.contextmanager
def on_signals(stop: Stop) -> Iterator[Stop]:
    """Turn SIGTERM, SIGINT and SIGHUP into ``stop.request`` for the block; a second one
    raises KeyboardInterrupt before the run wrote anything and hurries it after, a third
    raises it. Only the main thread may do this; elsewhere it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        if not stop():
            stop.ask(f"stopped by {signal.Signals(signum).name}")
        elif stop.wrote and not stop.hurried:
            stop.hurry()
        else:
            raise KeyboardInterrupt

    previous = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield stop
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
