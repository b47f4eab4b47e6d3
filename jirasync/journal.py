"""The run journal's lines (``runs.jsonl`` in the state folder): which are runs, what is
kept when it is trimmed, and a memory of those already read.

The daemon reads the journal at each wake-up to know what is due, and a journal only
grows between its trims; so the runs of the part read before are kept, with that part's
bytes, and only what was appended since is parsed. Anything else (a trim, a hand edit, a
line set aside) is a journal read afresh."""
from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any


class JournalMemo:
    """The runs of a journal read before, by its bytes."""

    def __init__(self) -> None:
        self._bytes = b""
        self._runs: list[dict[str, Any]] = []

    def read(self, raw: bytes) -> tuple[list[dict[str, Any]], int]:
        """The runs in ``raw``, oldest first (each a new dict), and how many lines are
        not runs."""
        known = len(self._bytes)
        if known and raw[:known] == self._bytes:
            runs, tail = self._runs, raw[known:]
        else:
            runs, tail = [], raw
        good, bad = journal_lines(tail)
        runs = runs + [run for run, _ in good]
        if bad or not raw.endswith(b"\n"):      # read again: set aside, or being written
            self._bytes, self._runs = b"", []
        else:
            self._bytes, self._runs = raw, runs
        return [dict(run) for run in runs], len(bad)


def journal_lines(raw: bytes) -> tuple[list[tuple[dict[str, Any], str]], list[bytes]]:
    """The journal's runs with their lines, and the lines that are not runs."""
    good: list[tuple[dict[str, Any], str]] = []
    bad: list[bytes] = []
    for line in raw.splitlines(keepends=True):
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
            run = json.loads(text)
        except ValueError:
            bad.append(line)
            continue
        if is_run(run):
            good.append((run, text if text.endswith("\n") else text + "\n"))
        else:
            bad.append(line)
    return good, bad


def is_run(run: Any) -> bool:
    """Whether a journal line has the fields every run has, each of its type."""
    if not isinstance(run, dict) or not isinstance(run.get("job"), str):
        return False
    try:
        datetime.fromisoformat(run["started"])
        float(run.get("seconds") or 0)
    except (KeyError, TypeError, ValueError):
        return False
    return isinstance(run.get("counts") or {}, dict) and \
        isinstance(run.get("ok", False), bool) and \
        isinstance(run.get("error") or "", str)


def trimmed(lines: list[str], keep: int) -> list[str]:
    """The last ``keep`` lines, after the latest line of each job not among them."""
    kept, older = lines[-keep:], lines[:-keep]
    latest: dict[str, str] = {}
    for line in older:
        with contextlib.suppress(ValueError, AttributeError):
            latest[str(json.loads(line).get("job"))] = line
    for line in kept:
        with contextlib.suppress(ValueError, AttributeError):
            latest.pop(str(json.loads(line).get("job")), None)
    return [line for line in older if line in latest.values()] + kept
