"""Building tens of thousands of small objects at once (the last run's view of Jira, the
release files' parse, the wanted issues, the plan) with the garbage collector paused.

Python's collector runs every few hundred new objects and, as they pile up, walks every
object the process holds: a 50,000-issue re-sync spent about a second of its CPU there
finding nothing to free, since these objects live until the run ends. Only pure
computation is paused (never a request to Jira, whose answers may leave cycles behind);
reference counting still frees whatever is let go meanwhile."""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The block with the cyclic garbage collector off, as it was after it (a block
    inside another, or in another thread, leaves it to the outer one)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
