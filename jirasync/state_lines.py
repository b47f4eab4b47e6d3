"""The state folder's files as text (see state): why one cannot be read, for its
warning, and the JSON object most of them hold. The run journal's lines are journal's."""
from __future__ import annotations

import json
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
