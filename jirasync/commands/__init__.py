"""One module per command: its arguments, and a ``run`` that calls one use-case and
prints the result. The top layer: it may import everything below it, and it is where the
real gateway, the state folder and the clock are made."""
from __future__ import annotations

from jirasync.commands import (agenda, chase, check, deck, demo, export, init, run, sandbox,
                               status, sync)

COMMANDS = (check.COMMAND, sync.COMMAND, chase.COMMAND, status.COMMAND, export.COMMAND,
            agenda.COMMAND, deck.COMMAND, demo.COMMAND, sandbox.COMMAND, init.COMMAND,
            run.COMMAND)
