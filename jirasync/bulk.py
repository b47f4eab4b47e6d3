"""Building tens of thousands of small objects at once (the last run's view of Jira, the
release files' parse, the wanted issues, the plan) without the garbage collector.

Python's collector runs every few hundred new objects and, as they pile up, walks every
object the process holds: a 50,000-issue re-sync spent a third of its CPU there finding
nothing to free, since these objects live until the run ends (and hold no cycles:
reference counting frees them). So the collector is paused while they are built and,
within a sync run (``bulk_run``), what is alive then is set apart from its walks
(``gc.freeze``) until the run ends. Only pure computation is paused, never a request."""
from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_runs = 0          # bulk runs under way: while any is, what is built is kept from walks


@contextlib.contextmanager
def bulk_run() -> Iterator[None]:
    """A run (a sync) whose bulk objects live until it ends: at its end, what was set
    apart is walked again (a daemon's next run, or another job, starts even)."""
    global _runs
    with _lock:
        _runs += 1
    try:
        yield
    finally:
        with _lock:
            _runs -= 1
            if not _runs:
                gc.unfreeze()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The block with the cyclic garbage collector off; then, within a ``bulk_run``,
    everything alive is left out of its walks until the run ends (a block inside
    another, or in another thread, leaves switching it on again to the outer one)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if _runs:
                gc.freeze()
            gc.enable()
