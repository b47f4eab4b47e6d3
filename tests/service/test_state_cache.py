"""Every file in the state folder is a cache: one that cannot be read is set aside with
one warning naming it, and the run goes on from Jira; a folder that cannot be used stops
the run before it writes; a full disk is a warning and the run's report still lists what
it did."""
from __future__ import annotations

import errno
import json

import pytest

from jirasync.cli import main
from jirasync.state import StateDir
from tests.service.conftest import PROMPT_DAY, TOKENS

GOOD = json.dumps({"job": "sync", "started": "2026-11-24T08:00:00+00:00",
                   "finished": "2026-11-24T08:00:01+00:00", "seconds": 1.0, "ok": True,
                   "counts": {}, "error": None}).encode() + b"\n"

CORRUPT = {
    "journal-not-utf8": ("runs.jsonl", GOOD + b'{"job": "sync", "error": "caf\xe9"}\n' + GOOD),
    "journal-job-a-list": ("runs.jsonl", GOOD + json.dumps(
        {"job": ["sync"], "started": "2026-11-24T08:00:00+00:00"}).encode() + b"\n"),
    "journal-seconds-text": ("runs.jsonl", json.dumps(
        {"job": "sync", "started": "2026-11-24T08:00:00+00:00", "seconds": "long",
         "ok": True}).encode() + b"\n"),
    "journal-torn-line": ("runs.jsonl", GOOD + b'{"job": "chase", "sta'),
    "digests-not-utf8": ("digests.txt", b"DCR-4 2026-12-01 \xff\xfe\n"),
    "created-a-list": ("created.json", b"[1, 2, 3]"),
    "created-not-utf8": ("created.json", b'{"\xc3\x28": {}}'),
    "properties-not-utf8": ("properties.json", b"\x80\x81"),
    "seen-not-json": ("seen.json", b"{not json"),
    "owners-not-utf8": ("owners.json", b"\xff"),
}


@pytest.mark.parametrize("case", sorted(CORRUPT), ids=sorted(CORRUPT))
def test_a_corrupt_file_is_set_aside_with_one_warning_and_the_run_goes_on(site, once, case,
                                                                          capsys):
    name, content = CORRUPT[case]
    s = site()
    if name == "properties.json" and s.sb.flavour == "cloud":
        pytest.skip("only Data Center keeps a property cache")
    state = s.root / "state"
    state.mkdir()
    (state / name).write_bytes(content)
    code, err = once(s, PROMPT_DAY)
    assert code == 0, err
    warned = [line for line in err.splitlines() if name in line]
    assert len(warned) == 1, err
    assert "cannot be read" in warned[0] or "not a run" in warned[0], err
    assert (state / f"{name}.bad").exists()
    assert len(s.sb.issues()) == 5 and sorted(s.comments().values()) == [1, 1]
    assert {r["job"] for r in s.journal()} == {"sync", "chase"}
    code = main(["status", "--config", str(s.config)])
    assert code == 0 and name not in capsys.readouterr().err     # set aside: no warning


def test_a_dangling_symlink_as_state_folder_stops_before_anything_is_written(
        site, once, monkeypatch, capsys):
    s = site()
    (s.root / "state").symlink_to(s.root / "gone")
    code, err = once(s, PROMPT_DAY)
    assert code == 1
    lines = [line for line in err.splitlines() if "state" in line]
    assert lines and all("is a symlink to" in line and "gone" in line and
                         "nothing was written" in line for line in lines), err
    assert s.sb.issues() == []
    monkeypatch.setenv("JIRASYNC_SERVICE_TOKEN", TOKENS[s.sb.flavour])
    code = main(["sync", "--config", str(s.config)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "is a symlink to" in err
    assert s.sb.issues() == []


def test_a_full_disk_warns_and_the_report_lists_what_was_written(site, monkeypatch,
                                                                 capsys):
    s = site()
    StateDir(s.root / "state").lock("warm-up").__enter__()    # the folder and a lock exist

    def full(self, name, text, *, append=False):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(StateDir, "_write", full)
    monkeypatch.setenv("JIRASYNC_SERVICE_TOKEN", TOKENS[s.sb.flavour])
    code = main(["sync", "--config", str(s.config)])
    out, err = capsys.readouterr()
    assert code == 0
    assert "No space left on device" in err and "runs.jsonl" in err
    for issue in s.sb.issues():
        assert issue.key in out                   # each issue created is listed
    assert len(s.sb.issues()) == 5
