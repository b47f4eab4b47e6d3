"""The state folder (docs/choices.md): only what can
be rebuilt or lost safely, since what jirasync did lives in Jira itself — the run
journal, the keys of recent creates (for Jira Cloud's lagging search), the issue
properties Data Center's search cannot return (a cache), the last sync's view of Jira
(for an incremental re-sync), the owners' Jira ids (for a day), and job locks.
Everything in it is readable by its owner only.

Every file in it is read as a cache: one that cannot be read (not UTF-8, not JSON, the
wrong shape, a folder, no permission) is set aside as ``<name>.bad`` with one warning
naming it, and the run goes on from Jira; a journal keeps its good lines. A file that
cannot be written (a full disk) is a warning too: what the run did is in Jira, and the run
goes on to report it. Only the lock is needed to start: a folder that cannot be created
(a symlink to nowhere) or locked stops the run before it writes anything (StateError)."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jirasync import outward, property_file
from jirasync.bulk import paused_gc
from jirasync.errors import LockedError, StateError
from jirasync.journal import JournalMemo, journal_lines, trimmed
from jirasync.property_file import PropertyFile
from jirasync.state_lines import UNREADABLE, json_object, unreadable

LOG = logging.getLogger("jirasync.state")

RECENT_FOR = timedelta(days=2)
# The journal's bound: past JOURNAL_TRIM_BYTES it is cut to its last JOURNAL_KEEP runs
# (a few weeks of a 15-minute schedule), so it never grows without end; each job's latest
# run is kept however old (a weekly chase among a 5-minute sync's runs), since when a job
# is next due counts from it.
JOURNAL_KEEP = 1000
JOURNAL_TRIM_BYTES = 1_000_000


class StateDir:
    def __init__(self, path: Path):
        self.path = path
        self._journal = JournalMemo()       # the daemon reads the journal at each wake-up

    def _ensure(self) -> None:
        try:
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except FileExistsError:
            target = os.readlink(self.path) if self.path.is_symlink() else ""
            raise StateError(str(self.path), f"is a symlink to {target}, which does not "
                             "exist; create that folder or change state_dir" if target else
                             "is a file, not a folder; move it away or change state_dir") \
                from None
        except OSError as e:
            raise StateError(str(self.path), f"cannot be created ({e.strerror})") from None

    def _write(self, name: str, text: str, *, append: bool = False) -> None:
        self._ensure()
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
        fd = os.open(self.path / name, flags, 0o600)
        with os.fdopen(fd, "a" if append else "w", encoding="utf-8") as f:
            f.write(text)

    def _keep(self, name: str, write: Callable[[], None]) -> bool:
        """Run ``write`` (of the file ``name``); a failure is one warning, not the run's
        end: the folder only caches what Jira holds. Whether it was written."""
        try:
            write()
            return True
        except (OSError, StateError) as e:
            why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            LOG.warning("%s could not be written (%s); the run goes on, and what it did "
                        "is in Jira", self.path / name, why)
            with contextlib.suppress(OSError):
                (self.path / f"{name}.tmp").unlink(missing_ok=True)
            return False

    def _read(self, name: str, parse: Callable[[str], Any]) -> Any:
        """``parse`` of the file's text, or None if it is missing; a file that cannot be
        read or parsed (``parse`` raising ValueError, TypeError, KeyError or
        AttributeError: a wrong shape) is set aside, with one warning."""
        path = self.path / name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            if e.errno == errno.ENOTDIR:            # the state folder itself is a file
                return None
            self._set_aside(name, e.strerror or str(e))
            return None
        try:
            with paused_gc():
                return parse(raw.decode("utf-8"))
        except UNREADABLE as e:
            self._set_aside(name, unreadable(e))
        return None

    def read_lines(self, name: str, parse: Callable[[Iterator[str]], Any]) -> Any:
        """``parse`` of the file's lines, read as it asks for them (a large file is never
        held whole), or None if it is missing; set aside as ``_read`` says. ``parse`` may
        stop early: the rest is not read."""
        path = self.path / name
        try:
            f = open(path, encoding="utf-8", newline="\n")     # noqa: SIM115 (closed below)
        except FileNotFoundError:
            return None
        except OSError as e:
            if e.errno == errno.ENOTDIR:
                return None
            self._set_aside(name, e.strerror or str(e))
            return None
        try:
            with f:
                return parse(iter(f))
        except StopIteration:
            self._set_aside(name, "empty")
        except UNREADABLE as e:
            self._set_aside(name, unreadable(e, lines=True))
        except OSError as e:
            self._set_aside(name, e.strerror or str(e))
        return None

    def lines_now(self, name: str) -> Generator[str, None, None]:
        """The lines of ``name`` as it is now, read as asked for, for a writer that copies
        some of them; none past what cannot be read (nothing is set aside)."""
        try:
            with open(self.path / name, encoding="utf-8", newline="\n") as f:
                yield from f
        except (OSError, ValueError):
            return

    def write_lines(self, name: str, lines: Iterable[str]) -> None:
        """Replace ``name`` whole with ``lines``, written as they are made (write, then
        rename): a crash leaves the old one."""
        def write() -> None:
            self._ensure()
            fd = os.open(self.path / f"{name}.tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                         0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.writelines(lines)
            os.replace(self.path / f"{name}.tmp", self.path / name)
        self._keep(name, write)

    def _set_aside(self, name: str, why: str) -> None:
        path = self.path / name
        try:
            os.replace(path, self.path / f"{name}.bad")
            done = f"set aside as {name}.bad"
        except OSError as e:
            done = f"ignored (it could not be set aside: {e.strerror})"
        LOG.warning("%s cannot be read (%s): %s; the run goes on from Jira", path, why, done)

    @contextlib.contextmanager
    def lock(self, job: str) -> Iterator[None]:
        """Hold ``<job>.lock`` for the block; another holder raises LockedError at once."""
        self._ensure()
        path = self.path / f"{job}.lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise StateError(str(self.path), f"{path.name} cannot be opened "
                             f"({e.strerror})") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
                raise LockedError(str(path), outward.text(holder)) from None
            with contextlib.suppress(OSError):     # who holds it: for people, if it fits
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
            yield
        finally:
            os.close(fd)

    def record_run(self, entry: dict[str, Any]) -> None:
        """Append one run (job, times, counts, errors) to the journal, and trim it to its
        last JOURNAL_KEEP runs, and each job's latest, once it passes JOURNAL_TRIM_BYTES
        (write, then rename). A journal that cannot be written is a warning: the run is
        done, and at worst runs again (which is safe)."""
        def write() -> None:
            with self._journal_lock():
                self._write("runs.jsonl", outward.dumps(entry) + "\n", append=True)
                path = self.path / "runs.jsonl"
                if path.stat().st_size > JOURNAL_TRIM_BYTES:
                    lines = path.read_bytes().decode("utf-8", "replace")
                    self._write("runs.jsonl.tmp",
                                "".join(trimmed(lines.splitlines(keepends=True), JOURNAL_KEEP)))
                    os.replace(self.path / "runs.jsonl.tmp", path)
        self._keep("runs.jsonl", write)

    @contextlib.contextmanager
    def _journal_lock(self) -> Iterator[None]:
        # Each job holds its own lock, so a sync and a chase may finish together.
        self._ensure()
        fd = os.open(self.path / "journal.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def last_runs(self) -> dict[str, dict[str, Any]]:
        """The last journaled run of each job."""
        return {run["job"]: run for run in self.runs(last=None)}

    def runs(self, last: int | None = 10) -> list[dict[str, Any]]:
        """The journal's last ``last`` runs, oldest first (all of it, at most about
        JOURNAL_TRIM_BYTES, with None). Lines that are not runs (not UTF-8, not JSON, a
        field of the wrong type: a torn write or a hand edit) are moved to
        ``runs.jsonl.bad`` with one warning; the others are kept."""
        try:
            raw = (self.path / "runs.jsonl").read_bytes()
        except OSError:
            return []
        runs, bad = self._journal.read(raw)
        if bad:
            self._set_lines_aside(bad)
        return runs[-last:] if last else runs

    def _set_lines_aside(self, count: int) -> None:
        name, path = "runs.jsonl", self.path / "runs.jsonl"

        def move() -> None:
            with self._journal_lock():        # as it is now: a run may have ended since
                good, bad = journal_lines(path.read_bytes())
                fd = os.open(self.path / f"{name}.bad", os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                             0o600)
                with os.fdopen(fd, "ab") as f:
                    f.write(b"".join(bad))
                self._write(f"{name}.tmp", "".join(line for _, line in good))
                os.replace(self.path / f"{name}.tmp", path)
        kept = self._keep(f"{name}.bad", move)
        LOG.warning("%s: %d line%s that %s not a run (not UTF-8, not JSON, or a field of "
                    "the wrong type) %s; the other runs are kept", path, count,
                    "" if count == 1 else "s", "is" if count == 1 else "are",
                    f"moved to {name}.bad" if kept else "ignored")

    def recent_creates(self, now: datetime) -> dict[str, dict[str, Any]]:
        """Issues created in the last two days: identity -> {key, id, at}."""
        data = self._read("created.json", json_object) or {}
        cutoff = (now - RECENT_FOR).isoformat()
        return {k: v for k, v in data.items()
                if isinstance(v, dict) and str(v.get("at", "")) >= cutoff}

    def property_cache(self) -> PropertyFile:
        """Issue properties read by key on Data Center, with the ``updated`` they were
        read at; empty if missing, unreadable or cut short (it is only a cache). Each
        entry is parsed when asked for (see property_file)."""
        found = self.read_lines("properties.json", property_file.read)
        return found if isinstance(found, PropertyFile) else PropertyFile()

    def save_property_cache(self, cache: Mapping[str, dict[str, Any]]) -> None:
        """Replace the cache whole (write, then rename: a crash leaves the old one) if an
        entry changed; the entries not changed are written back as they were read."""
        kept = cache if isinstance(cache, PropertyFile) else PropertyFile(cache, changed=True)
        if kept.changed:
            self.write_lines("properties.json", kept.lines())

    def sent_digests(self) -> frozenset[str]:
        """Digests this folder saw Jira accept, as ``<key> <cycle> <owner>`` (what
        settles the pending mark a digest's record carries in Jira)."""
        text = self._read("digests.txt", str) or ""
        return frozenset(line for line in text.splitlines() if line)

    def digest_sent(self, key: str, entry: str) -> None:
        self._keep("digests.txt",
                   lambda: self._write("digests.txt", f"{key} {entry}\n", append=True))

    def read_json(self, name: str) -> object:
        """A JSON file of the folder, or None if missing or unreadable (caches only: the
        caller checks its shape)."""
        return self._read(name, json.loads)

    def write_json(self, name: str, data: object) -> None:
        """Replace ``name`` whole (write, then rename): a crash leaves the old one."""
        def write() -> None:
            self._write(f"{name}.tmp", json.dumps(data, separators=(",", ":")))
            os.replace(self.path / f"{name}.tmp", self.path / name)
        self._keep(name, write)

    def remember_creates(self, created: dict[str, dict[str, Any]], now: datetime) -> None:
        if not created:         # nothing new: the file's old entries age out on reading
            return
        data = self.recent_creates(now)
        data.update(created)
        self.write_json("created.json", data)
