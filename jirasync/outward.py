"""The one door every text jirasync shows or keeps goes out through: the terminal, logs,
``--json``, the journal, ``/healthz``, ``/metrics`` and report files.

Two rules, applied here and nowhere else: text from Jira is shown, never obeyed (control
characters, escape sequences, bidi overrides and lone surrogates each become U+FFFD;
``model.CONTROLS``), and no secret leaves (``secret.redact``: the tokens this process
held, in any encoding, and anything shaped like a credential header). Each format keeps
its own escaping on top: HTML's, CSV's formula guard, JSON's.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from jirasync.model import CONTROLS
from jirasync.secret import redact

REPLACEMENT = "\ufffd"
# An absolute path: a '/' that no word, host or port precedes (so not a URL's path), then
# folders, then the last part.
_PATH = re.compile(r"(?<![\w.:/~-])/(?:[^\s/'\"(),;]+/)+([^\s/'\"(),;]+)")


def text(value: str) -> str:
    """A message, log line or journal field: printable, secrets masked (newlines kept)."""
    return redact(CONTROLS.sub(REPLACEMENT, value))


def line(value: str) -> str:
    """A line for a terminal: as ``text``, and a carriage return (which would let the
    rest of the line overwrite what came before) shown as U+FFFD too."""
    return text(value).replace("\r", REPLACEMENT)


def public(value: str) -> str:
    """For a page anyone who reaches the port may read (``/healthz``): as ``text``, and
    an absolute path shown by its last part (the host's layout is nobody's business)."""
    return _PATH.sub(lambda m: m.group(1), text(value))


def data(value: Any, clean: Callable[[str], str] | None = None) -> Any:
    """A JSON-ready value with every string (keys too) passed through ``clean``
    (default ``text``); anything else JSON cannot hold becomes its ``str``."""
    clean = clean or text
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k if isinstance(k, (int, float)) else clean(str(k)): data(v, clean)
                for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [data(v, clean) for v in value]
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return clean(str(value))


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` of ``data(value)``."""
    return json.dumps(data(value), **options)


def file_text(value: str) -> str:
    """A report file (HTML, Markdown, CSV, JSON): printable, tabs and line ends kept. No
    redaction: a report shows Jira's text as Jira holds it."""
    return CONTROLS.sub(REPLACEMENT, value)
