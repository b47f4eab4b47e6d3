"""One module per command: its arguments, and a ``run`` that calls one use-case and
prints the result."""
from __future__ import annotations

from jirasync.commands import agenda, chase, check, demo, export, init, sandbox, status, sync

COMMANDS = (check.COMMAND, sync.COMMAND, chase.COMMAND, status.COMMAND, export.COMMAND,
            agenda.COMMAND, demo.COMMAND, sandbox.COMMAND, init.COMMAND)
