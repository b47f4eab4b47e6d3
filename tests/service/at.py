"""Run ``jirasync`` in a child process as if the clock read a given moment, then moving
on in real time: ``python -m tests.service.at 2026-11-24T09:00:00+00:00 run ...``.
The daemon's scenarios need a fixed calendar (a review window), not a wait."""
from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta

import jirasync.commands.run as run_command
from jirasync.cli import main

if __name__ == "__main__":
    start, t0 = datetime.fromisoformat(sys.argv[1]), time.monotonic()
    run_command.clock = lambda: start + timedelta(seconds=time.monotonic() - t0)
    sys.exit(main(sys.argv[2:]))
