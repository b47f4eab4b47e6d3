"""``-o`` replaces only a regular file (or creates a new one), atomically; a device, a
FIFO or a symlink is written through and stays what it was."""
from __future__ import annotations

import os
import stat
import threading

import pytest

from jirasync.errors import UsageError
from jirasync.reports.output import check_writable, write_atomically


def read_fifo(path, into: list[bytes]) -> threading.Thread:
    def reader():
        with open(path, "rb") as f:
            into.append(f.read())
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    return t


def test_a_fifo_is_written_through_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = read_fifo(fifo, got)
    check_writable(fifo)
    write_atomically(fifo, "rows\n")
    reader.join(5)
    assert got == [b"rows\n"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_private_null_device_stays_a_device(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    check_writable(null)
    write_atomically(null, b"x" * 6921)
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_a_symlink_to_a_file_keeps_the_link_and_replaces_the_file(tmp_path):
    real = tmp_path / "reports" / "export.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    check_writable(link)
    write_atomically(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new" and not list(real.parent.glob(".*.tmp"))


def test_a_symlink_to_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out"
    link.symlink_to(fifo)
    got: list[bytes] = []
    reader = read_fifo(fifo, got)
    write_atomically(link, "deck")
    reader.join(5)
    assert got == [b"deck"] and link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_dangling_symlink_is_written_through_to_its_target(tmp_path):
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "made.md")
    check_writable(link)
    write_atomically(link, "agenda")
    assert link.is_symlink() and (tmp_path / "made.md").read_text() == "agenda"


def test_a_regular_file_is_replaced_atomically(tmp_path):
    path = tmp_path / "deck.html"
    path.write_text("old")
    write_atomically(path, "new")
    assert path.read_text() == "new" and sorted(os.listdir(tmp_path)) == ["deck.html"]


def test_a_socket_is_refused_before_jira_is_read(tmp_path):
    import socket
    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    try:
        with pytest.raises(UsageError, match="socket"):
            check_writable(path)
    finally:
        s.close()
