"""The state folder (README "Choices where the specification is silent"): only what can
be rebuilt or lost safely, since what jirasync did lives in Jira itself — the run
journal, the keys of recent creates (for Jira Cloud's lagging search), the issue
properties Data Center's search cannot return (a cache), the last sync's view of Jira
(for an incremental re-sync), the owners' Jira ids (for a day), and job locks.
Everything in it is readable by its owner only."""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from jirasync import outward
from jirasync.errors import LockedError

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

    def _ensure(self) -> None:
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _write(self, name: str, text: str, *, append: bool = False) -> None:
        self._ensure()
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
        fd = os.open(self.path / name, flags, 0o600)
        with os.fdopen(fd, "a" if append else "w", encoding="utf-8") as f:
            f.write(text)

    @contextlib.contextmanager
    def lock(self, job: str) -> Iterator[None]:
        """Hold ``<job>.lock`` for the block; another holder raises LockedError at once."""
        self._ensure()
        path = self.path / f"{job}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip()
                raise LockedError(str(path), holder) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
            yield
        finally:
            os.close(fd)

    def record_run(self, entry: dict) -> None:
        """Append one run (job, times, counts, errors) to the journal, and trim it to its
        last JOURNAL_KEEP runs, and each job's latest, once it passes JOURNAL_TRIM_BYTES
        (write, then rename)."""
        with self._journal_lock():
            self._write("runs.jsonl", outward.dumps(entry) + "\n", append=True)
            path = self.path / "runs.jsonl"
            if path.stat().st_size > JOURNAL_TRIM_BYTES:
                lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
                self._write("runs.jsonl.tmp", "".join(_trimmed(lines)))
                os.replace(self.path / "runs.jsonl.tmp", path)

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

    def last_runs(self) -> dict[str, dict]:
        """The last journaled run of each job."""
        return {run["job"]: run for run in self.runs(last=None)
                if isinstance(run, dict) and "job" in run}

    def runs(self, last: int | None = 10) -> list[dict]:
        """The journal's last ``last`` runs, oldest first (all of it, at most about
        JOURNAL_TRIM_BYTES, with None)."""
        try:
            lines = (self.path / "runs.jsonl").read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        out = []
        for line in lines[-last:] if last else lines:
            with contextlib.suppress(ValueError):
                out.append(json.loads(line))
        return out

    def recent_creates(self, now: datetime) -> dict[str, dict]:
        """Issues created in the last two days: identity -> {key, id, at}."""
        try:
            data = json.loads((self.path / "created.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        cutoff = (now - RECENT_FOR).isoformat()
        return {k: v for k, v in data.items()
                if isinstance(v, dict) and str(v.get("at", "")) >= cutoff}

    def property_cache(self) -> dict[str, dict]:
        """Issue properties read by key on Data Center, with the ``updated`` they were
        read at; empty if missing or unreadable (it is only a cache)."""
        try:
            data = json.loads((self.path / "properties.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, dict)} \
            if isinstance(data, dict) else {}

    def save_property_cache(self, cache: dict[str, dict]) -> None:
        """Replace the cache whole (write, then rename): a crash leaves the old one."""
        self._write("properties.json.tmp", json.dumps(cache, separators=(",", ":")))
        os.replace(self.path / "properties.json.tmp", self.path / "properties.json")

    def sent_digests(self) -> frozenset[str]:
        """Digests this folder saw Jira accept, as ``<key> <cycle> <owner>`` (what
        settles the pending mark a digest's record carries in Jira)."""
        try:
            text = (self.path / "digests.txt").read_text(encoding="utf-8")
        except OSError:
            return frozenset()
        return frozenset(line for line in text.splitlines() if line)

    def digest_sent(self, key: str, entry: str) -> None:
        self._write("digests.txt", f"{key} {entry}\n", append=True)

    def read_json(self, name: str):
        """A JSON file of the folder, or None if missing or unreadable (caches only)."""
        try:
            return json.loads((self.path / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write_json(self, name: str, data) -> None:
        """Replace ``name`` whole (write, then rename): a crash leaves the old one."""
        self._write(f"{name}.tmp", json.dumps(data, separators=(",", ":")))
        os.replace(self.path / f"{name}.tmp", self.path / name)

    def remember_creates(self, created: dict[str, dict], now: datetime) -> None:
        if not created:         # nothing new: the file's old entries age out on reading
            return
        data = self.recent_creates(now)
        data.update(created)
        self._write("created.json", json.dumps(data, indent=0))


def _trimmed(lines: list[str]) -> list[str]:
    """The last JOURNAL_KEEP lines, after the latest line of each job not among them."""
    kept, older = lines[-JOURNAL_KEEP:], lines[:-JOURNAL_KEEP]
    latest: dict[str, str] = {}
    for line in older:
        with contextlib.suppress(ValueError, AttributeError):
            latest[str(json.loads(line).get("job"))] = line
    for line in kept:
        with contextlib.suppress(ValueError, AttributeError):
            latest.pop(str(json.loads(line).get("job")), None)
    return [line for line in older if line in latest.values()] + kept
