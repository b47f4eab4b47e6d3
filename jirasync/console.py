"""What a command prints: plain lines for people, or one JSON document with --json."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from typing import TextIO


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

    def emit(self, data) -> None:
        """The machine-readable result (only with --json)."""
        if self.json:
            self._print(json.dumps(data, indent=2, default=str, ensure_ascii=False), "out")
            self.emitted = True

    def _print(self, text: str, which: str) -> None:
        """A reader that went away (``| head``) is not an error: the job goes on, and
        what it would have printed there is dropped."""
        stream = getattr(self, which)
        try:
            print(text, file=stream, flush=True)
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
    sink = open(os.devnull, "w", encoding="utf-8")
    try:
        os.dup2(sink.fileno(), stream.fileno())
    except (OSError, ValueError):      # not a real file (a test's StringIO)
        pass
    return sink
