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


# What a file's extension says it holds, for the report commands' -o.
EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md",
              ".pptx": "pptx", ".csv": "csv", ".json": "json"}


def format_of(path: Path | None, given: str | None, *, formats: tuple[str, ...],
              default: str) -> str:
    """The format to write: ``--format`` if given, else the one ``-o``'s extension names,
    else ``default``. UsageError when the two disagree, or the extension names a format
    this command does not write (a file called .pptx holding HTML helps nobody)."""
    named = EXTENSIONS.get(path.suffix.lower()) if path is not None else None
    if named is not None and named not in formats:
        raise UsageError(f"-o {path}: this command writes {' or '.join(formats)}, not "
                         f"{named}; name the file .{formats[0]} or choose another command")
    if given is not None and named is not None and given != named:
        raise UsageError(f"-o {path} names a {named} file but --format is {given}: "
                         f"drop --format or name the file .{given}")
    return given or named or default


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
