"""Where a report goes: stdout, or a file written atomically (a temporary file beside it,
renamed into place), after checking up front that it can be written at all, so a bad
``-o`` fails before Jira is read and leaves nothing behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jirasync.errors import UsageError


def check_writable(path: Path) -> None:
    """UsageError (exit 2) naming why ``path`` cannot be written; nothing is created."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"-o {path}: is a folder; give a file name")
    if not folder.is_dir():
        raise UsageError(f"-o {path}: folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"-o {path}: cannot write in folder {folder} (permission denied)")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"-o {path}: the file is read-only")


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: a reader sees the old file or the
    new one, never half of it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
