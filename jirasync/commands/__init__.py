"""One module per command: its arguments, and a ``run`` that calls one use-case and
prints the result."""
from __future__ import annotations

from jirasync.commands import chase, check, deck, demo, sync

COMMANDS = (check.COMMAND, sync.COMMAND, chase.COMMAND, deck.COMMAND, demo.COMMAND)
