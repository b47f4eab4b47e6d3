"""Where a report goes: stdout, or a file named with ``-o``, after checking up front that
it can be written at all, so a bad ``-o`` fails before Jira is read and leaves nothing
behind. Text reports pass ``outward.file_text`` on the way (Jira's text is shown, never
obeyed). A regular file (or a new name) is written atomically: a temporary file beside it,
renamed into place. Anything else the name may be — a device such as ``/dev/null``, a FIFO,
a symlink to either — is written through, never replaced by a file of its own."""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from jirasync import outward
from jirasync.errors import UsageError


def check_writable(path: Path) -> None:
    """UsageError (exit 2) naming why ``path`` cannot be written; nothing is created."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"-o {path}: is a folder; give a file name")
    if path.exists() and not _regular(path):
        if not os.access(path, os.W_OK):
            raise UsageError(f"-o {path}: cannot be written (permission denied)")
        if stat.S_ISSOCK(os.stat(path).st_mode):
            raise UsageError(f"-o {path}: is a socket; give a file name")
        return                                  # a device or a FIFO: written through
    if path.is_symlink():
        folder = Path(os.path.realpath(path)).parent
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


def encoded(content: str | bytes) -> bytes:
    """A report's bytes: text made printable (``outward.file_text``) and UTF-8."""
    return content if isinstance(content, bytes) else \
        outward.file_text(content).encode("utf-8")


def to_stdout(content: str | bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(encoded(content))
    sys.stdout.flush()


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path``: a regular file or a new name is replaced in one
    rename (a reader sees the old file or the new one, never half of it); a symlink to a
    regular file keeps the link and replaces what it points to; a device or a FIFO (or a
    link to one, or a dangling link) is written through."""
    data = encoded(content)
    if path.is_symlink() and _regular(path):
        path = Path(os.path.realpath(path))
    elif os.path.lexists(path) and not _regular(path, follow=False):
        with open(path, "wb") as f:             # /dev/null, a FIFO, /proc/self/fd/1
            f.write(data)
        return
    _replace(path, data)


def _regular(path: Path, *, follow: bool = True) -> bool:
    try:
        mode = os.stat(path).st_mode if follow else os.lstat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode)


def _replace(path: Path, data: bytes) -> None:
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
