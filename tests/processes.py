"""Runs of ``jirasync`` in a child process that can really be killed (SIGKILL): no
``finally``, no lease released, no journal line. The child is forked from the test
process (everything is imported already, so a run costs what the run costs) and talks
to the sandbox the test process serves."""
from __future__ import annotations

import os
import signal
import warnings
from collections.abc import Sequence


class Child:
    """``jirasync *argv`` in a forked process, held until ``go()``."""

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None):
        start_r, self._start = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # fork with server threads
            self.pid = os.fork()
        if self.pid == 0:                                          # the child
            os.close(self._start)
            os.read(start_r, 1)
            _run(list(argv), env or {})
        os.close(start_r)
        self.code: int | None = None

    def go(self) -> Child:
        os.write(self._start, b"x")
        os.close(self._start)
        return self

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def wait(self) -> int:
        """The exit code; -9 when killed."""
        if self.code is None:
            _, status = os.waitpid(self.pid, 0)
            self.code = os.waitstatus_to_exitcode(status)
        return self.code


def _run(argv: list[str], env: dict[str, str]) -> None:
    code = 70
    try:
        os.environ.update(env)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        from jirasync.cli import main
        code = main(argv)
    finally:
        os._exit(code)
