"""What a command prints: plain lines for people, or one JSON document with --json."""
from __future__ import annotations

import json
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
            print(text, file=self.out, flush=True)

    def progress(self, text: str) -> None:
        """Progress on long runs: stderr, so it never mixes with --json output."""
        if not self.quiet:
            print(text, file=self.err, flush=True)

    def warn(self, text: str) -> None:
        if not self.quiet:
            print(f"warning: {text}", file=self.err, flush=True)

    def error(self, text: str) -> None:
        print(f"error: {text}", file=self.err, flush=True)

    def emit(self, data) -> None:
        """The machine-readable result (only with --json)."""
        if self.json:
            print(json.dumps(data, indent=2, default=str, ensure_ascii=False), file=self.out,
                  flush=True)
            self.emitted = True

    def fail(self, errors: list[str]) -> None:
        """Errors that end the command: stderr, and the JSON document if none was given."""
        for text in errors:
            self.error(text)
        if not self.emitted:
            self.emit({"ok": False, "errors": errors})
