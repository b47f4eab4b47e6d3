"""One module per command: its arguments, and a ``run`` that calls one use-case and
prints the result."""
from __future__ import annotations

from jirasync.commands import chase, check, demo, run, sync

COMMANDS = (check.COMMAND, sync.COMMAND, chase.COMMAND, demo.COMMAND, run.COMMAND)
