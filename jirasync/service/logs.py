"""The service's logs: one line per event on stderr, as text or (``--log-format json``)
one JSON object a line for log shippers. Never a secret: the tokens the config names, and
anything that looks like an Authorization header or a cookie, are masked on the way out."""
from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

LOG = logging.getLogger("jirasync.service")
MASK = "[redacted]"
_HEADERS = re.compile(r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie)"
                      r"(['\"]?\s*[:=]\s*['\"]?)[^,'\"\n}]*")
_SCHEMES = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
FIELDS = ("job", "ok", "counts", "error", "seconds", "requests", "path", "listen")


class Redact(logging.Filter):
    """Masks the given secrets and credential-looking text in every record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: list[str] = []
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        """Mask these values too (a token read when the config was read again)."""
        known = set(self.secrets) | {s for s in secrets if s and len(s) >= 4}
        self.secrets = sorted(known, key=len, reverse=True)

    def clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        text = _HEADERS.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
        return _SCHEMES.sub(lambda m: f"{m.group(1)} {MASK}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.clean(record.getMessage()), None
        if isinstance(getattr(record, "error", None), str):
            record.error = self.clean(record.error)
        record.exc_info = record.exc_text = None       # a traceback may quote a header
        return True


class TextFormat(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")
        text = " ".join(record.getMessage().split("\n"))
        return f"{when} {record.levelname} {text}"


class JsonFormat(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
            "level": record.levelname.lower(), "logger": record.name,
            "message": record.getMessage()}
        data.update((k, getattr(record, k)) for k in FIELDS if hasattr(record, k))
        return json.dumps(data, default=str, ensure_ascii=False)


@contextlib.contextmanager
def to_stderr(fmt: str, *, verbose: bool = False,
              stream: TextIO | None = None) -> Iterator[Redact]:
    """For the block, send every log record to stderr in ``fmt`` (text | json), secrets
    masked; the logging set up before is put back afterwards."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormat() if fmt == "json" else TextFormat())
    redact = Redact()
    handler.addFilter(redact)
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    for old in before[0]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
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
        for q, level in zip(quiet, levels):
            q.setLevel(level)
