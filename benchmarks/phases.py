"""Where a sync run's memory goes, phase by phase (``sync_scale.py --trace``): the run's
main steps are wrapped, and tracemalloc tells, for each, the memory it kept (allocated
and not freed when it returned) and its peak above what was held when it began. Tracing
slows the run two to three times: its CPU time is not the run's (see ``--profile``)."""
from __future__ import annotations

import functools
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MB = 1024 * 1024


class Phases:
    def __init__(self) -> None:
        self.rows: dict[str, list[float]] = {}     # name -> [calls, kept, peak above, s]
        self._stack: list[list[float]] = []         # [start, peak seen so far] per open

    def wrap(self, owner: Any, attribute: str, name: str | None = None) -> None:
        """Trace ``owner.attribute`` (a module's function or a class's method)."""
        function = getattr(owner, attribute)
        label = name or attribute

        @functools.wraps(function)
        def traced(*args: Any, **kw: Any) -> Any:
            with self.phase(label):
                return function(*args, **kw)
        setattr(owner, attribute, traced)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        if not tracemalloc.is_tracing():
            yield
            return
        current, peak = tracemalloc.get_traced_memory()
        if self._stack:                  # the enclosing phase's peak so far
            self._stack[-1][1] = max(self._stack[-1][1], peak)
        tracemalloc.reset_peak()
        self._stack.append([current, current])
        began = time.perf_counter()
        try:
            yield
        finally:
            start, seen = self._stack.pop()
            now, peak = tracemalloc.get_traced_memory()
            peak = max(peak, seen)
            row = self.rows.setdefault(name, [0, 0.0, 0.0, 0.0])
            row[0] += 1
            row[1] += (now - start) / MB
            row[2] = max(row[2], (peak - start) / MB)
            row[3] += time.perf_counter() - began
            if self._stack:
                self._stack[-1][1] = max(self._stack[-1][1], peak)
            tracemalloc.reset_peak()

    def report(self) -> list[tuple[str, object]]:
        rows = [(name, (f"{int(calls)} call(s): kept {kept:+.1f} MB, peak +{peak:.1f} MB "
                       f"above its start, {seconds:.1f} s traced"))
                for name, (calls, kept, peak, seconds) in self.rows.items()]
        self.rows = {}
        return rows


def traced_sync(phases: Phases) -> None:
    """Wrap sync's phases (``Phases.phase`` traces only while tracemalloc runs: the
    benchmark starts it for each run, in the client's process alone)."""
    from jirasync import parsed
    from jirasync.state import StateDir
    from jirasync.sync import incremental, job, look, observe
    phases.wrap(job, "read_programme", "read the release files (parse cache)")
    phases.wrap(parsed, "load_release", "parse a changed release file")
    phases.wrap(look.owners, "resolve", "owners")
    phases.wrap(look, "scope_of_releases", "wanted issues")
    phases.wrap(incremental, "previous", "read seen.json")
    phases.wrap(observe.Observer, "seen", "observe (search, remember)")
    phases.wrap(look, "plan_sync", "plan")
    phases.wrap(job, "apply_plan", "apply")
    phases.wrap(incremental, "save", "save seen.json")
    phases.wrap(StateDir, "property_cache", "read properties.json (Data Center)")
    phases.wrap(StateDir, "save_property_cache", "save properties.json (Data Center)")
