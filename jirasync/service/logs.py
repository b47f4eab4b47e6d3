"""The service's logs: one line per event on stderr, as text or (``--log-format json``)
one JSON object a line for log shippers. Every record goes out through ``jirasync.outward``:
never a secret (the tokens read, in any encoding, and anything that looks like an
Authorization header or a cookie), never a control character from Jira."""
from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from jirasync import outward
from jirasync.secret import MASK, remember

__all__ = ["LOG", "MASK", "Redact", "to_stderr"]

LOG = logging.getLogger("jirasync.service")
FIELDS = ("job", "ok", "counts", "error", "seconds", "requests", "path", "listen", "client")


class Redact(logging.Filter):
    """Passes every record through ``jirasync.outward``: secrets masked, Jira's text
    printable (``add`` names more secrets; the tokens jirasync reads are known already)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        """Mask these values too."""
        for value in secrets:
            remember(value)

    def clean(self, text: str) -> str:
        return outward.text(text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.clean(record.getMessage()), None
        for name in FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, (str, dict, list)):
                setattr(record, name, outward.data(value))
        record.exc_info = record.exc_text = None       # a traceback may quote a header
        record.stack_info = None
        return True


class TextFormat(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")
        text = " ".join(record.getMessage().split("\n"))
        return f"{when} {record.levelname} {text}"


class CommandFormat(logging.Formatter):
    """A command's own lines: ``warning: ...`` like the console's; with -v, the rest
    named by where it came from."""

    def format(self, record: logging.LogRecord) -> str:
        text = " ".join(record.getMessage().split("\n"))
        if record.levelno >= logging.WARNING:
            return f"{record.levelname.lower()}: {text}"
        return f"{record.levelname} {record.name}: {text}"


class JsonFormat(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
            "level": record.levelname.lower(), "logger": record.name,
            "message": record.getMessage()}
        data.update((k, getattr(record, k)) for k in FIELDS if hasattr(record, k))
        return json.dumps(data, default=str, ensure_ascii=False)


@contextlib.contextmanager
def to_stderr(fmt: str, *, verbose: bool = False, stream: TextIO | None = None,
              level: int | None = None) -> Iterator[Redact]:
    """For the block, send every log record to stderr in ``fmt`` (text | json | command),
    secrets masked, from ``level`` (INFO, or DEBUG with ``verbose``); the logging set up
    before is put back afterwards."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter({"json": JsonFormat(), "command": CommandFormat()}.get(fmt,
                                                                              TextFormat()))
    redact = Redact()
    handler.addFilter(redact)
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    for old in before[0]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level if level is not None else logging.DEBUG if verbose else logging.INFO)
    quiet = [logging.getLogger(name) for name in ("urllib3", "requests")]
    levels = [q.level for q in quiet]
    for q in quiet:               # their debug lines quote headers
        q.setLevel(logging.WARNING)
    try:
        yield redact
    finally:
        root.removeHandler(handler)
        for old in before[0]:
            root.addHandler(old)
        root.setLevel(before[1])
        for q, was in zip(quiet, levels):
            q.setLevel(was)
