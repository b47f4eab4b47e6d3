"""What a command prints: plain lines for people, or one JSON document with --json. Every
line and document goes out through ``jirasync.outward`` (printable, no secret)."""
from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from jirasync import outward


@dataclass
class Console:
    json: bool = False
    quiet: bool = False
    verbose: bool = False
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    emitted: bool = False

    def say(self, text: str = "") -> None:
        """A line of the human report (silent with --json or -q)."""
        if not (self.json or self.quiet):
            self._print(text, "out")

    def progress(self, text: str) -> None:
        """Progress on long runs: stderr, so it never mixes with --json output."""
        if not self.quiet:
            self._print(text, "err")

    def warn(self, text: str) -> None:
        if not self.quiet:
            self._print(f"warning: {text}", "err")

    def error(self, text: str) -> None:
        self._print(f"error: {text}", "err")

    def emit(self, data: object) -> None:
        """The machine-readable result (only with --json)."""
        if self.json:
            self._print(outward.dumps(data, indent=2, ensure_ascii=False), "out", raw=True)
            self.emitted = True

    def meter(self, clock: Callable[[], float] = time.monotonic) -> Meter:
        """A progress callback for one long job (see ``Meter``), started now."""
        return Meter(self, clock)

    def _print(self, text: str, which: str, end: str = "\n", *, raw: bool = False) -> None:
        """A reader that went away (``| head``) is not an error: the job goes on, and
        what it would have printed there is dropped. ``raw``: ``text`` has been made safe
        already (with escapes of our own, say)."""
        stream = getattr(self, which)
        if not raw:
            text = outward.line(text)
        try:
            print(text, file=stream, flush=True, end=end)
        except BrokenPipeError:
            setattr(self, which, silence(stream))

    def fail(self, errors: list[str]) -> None:
        """Errors that end the command: stderr, and the JSON document if none was given."""
        for text in errors:
            self.error(text)
        if not self.emitted:
            self.emit({"ok": False, "errors": errors})


def silence(stream: TextIO) -> TextIO:
    """A stream whose reader is gone, pointed at the null device (also the process's own
    file descriptor, so that Python's final flush does not complain either)."""
    # SIM115: the sink must outlive this function
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    try:
        os.dup2(sink.fileno(), stream.fileno())
    except (OSError, ValueError):      # not a real file (a test's StringIO)
        pass
    return sink


class Meter:
    """Progress of one long job on stderr. On a terminal, one line kept up to date;
    otherwise (a log, a pipe) a line every few seconds, so that a long run is visibly
    alive without a line per item. A line reading ``... N of TOTAL ...`` gets the rate
    since the job started; the first and the last (N = TOTAL) are always shown."""

    TERMINAL_EVERY_S = 0.2
    LOG_EVERY_S = 5.0

    def __init__(self, console: Console, clock: Callable[[], float]):
        self.console, self.clock = console, clock
        self.started = clock()
        self.last: float | None = None
        self.open_line = False
        try:
            self.terminal = console.err.isatty()
        except (AttributeError, ValueError):
            self.terminal = False
        self.every = self.TERMINAL_EVERY_S if self.terminal else self.LOG_EVERY_S

    def __call__(self, text: str) -> None:
        now = self.clock()
        count = re.search(r"(\d+) of (\d+)", text)
        final = count is not None and count.group(1) == count.group(2)
        if not final and self.last is not None and now - self.last < self.every:
            return
        self.last = now
        if count and not final and now > self.started:
            text += f" ({int(count.group(1)) / (now - self.started):.1f}/s)"
        if not self.terminal:
            self.console.progress(text)
        elif not self.console.quiet:
            self.console._print(f"\r{outward.line(text)}\x1b[K", "err",
                                end="\n" if final else "", raw=True)
            self.open_line = not final

    def close(self) -> None:
        """End a terminal line a job left open (it failed before its last item)."""
        if self.open_line:
            self.console._print("", "err")
            self.open_line = False
