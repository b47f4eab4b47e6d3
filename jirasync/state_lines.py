"""The state folder's files as text (see state): why one cannot be read, for its
warning, and the run journal's lines (``runs.jsonl``): which are runs, and what is kept
when it is trimmed."""
from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any

# What ``parse`` raises on a file that is not what jirasync wrote (a wrong shape among them).
UNREADABLE = (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError)


def unreadable(e: Exception, *, lines: bool = False) -> str:
    """Why a state file was set aside, for its warning. Read by ``lines``, a position is
    a line's (the whole file's is not known)."""
    if isinstance(e, UnicodeDecodeError):
        return f"not UTF-8 at byte {e.start}" + (" of a line" if lines else "")
    if isinstance(e, json.JSONDecodeError):
        return f"not JSON: {e.msg}" + ("" if lines else f" at line {e.lineno}")
    return f"not what jirasync writes there: {e or type(e).__name__}"


def json_object(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    return data


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
