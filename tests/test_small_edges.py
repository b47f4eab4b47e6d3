"""Small edges from an adversarial run: a token file that is a folder or not ours, and
/healthz, which anyone who reaches the port may read, without the host's paths."""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import pytest

from jirasync.cli import main
from jirasync.service.health import health
from jirasync.service.http import Pages
from jirasync.service.timetable import parse_schedule
from tests.helpers import CONFIG, write_programme


def token_file_config(tmp_path, path) -> str:
    text = CONFIG.replace("token_env: JIRASYNC_TEST_TOKEN", f"token_file: {path}")
    return str(write_programme(tmp_path, config=text))


def test_a_token_file_that_is_a_folder_says_so(tmp_path, capsys):
    (tmp_path / "token").mkdir(mode=0o755)
    config = token_file_config(tmp_path, "token")
    for command in ("check", "sync"):
        assert main([command, "--config", config]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is a folder" in err and "other users" not in err


@pytest.mark.skipif(os.geteuid() != 0 and not os.path.exists("/etc/passwd"),
                    reason="needs a world-readable file of another user")
def test_no_chmod_advice_for_a_file_jirasync_does_not_own(tmp_path, capsys, monkeypatch):
    target = "/etc/passwd"
    if os.stat(target).st_uid == os.geteuid():      # root owns it: be someone else
        monkeypatch.setattr(os, "geteuid", lambda: 4242)
    config = token_file_config(tmp_path, target)
    assert main(["sync", "--config", config]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "chmod 600 /etc/passwd" not in err
    assert "belongs to another user" in err and "a file of your own" in err


def test_healthz_shows_no_absolute_path(tmp_path):
    lock = tmp_path / "state" / "sync.lock"
    config = tmp_path / "etc" / "jirasync.yaml"
    run = {"job": "sync", "started": "2026-11-24T08:00:00+00:00", "ok": False,
           "error": f"{config}:3: jira.url: broken; another jirasync run is using {lock}"}
    pages = Pages(lambda: health({"sync": parse_schedule("every 15 minutes")}, {"sync": run},
                                 datetime(2026, 11, 24, 8, 5, tzinfo=UTC)),
                  lambda: b"", "text/plain")
    status, _, body = pages.answer("GET", "/healthz")
    text = body.decode()
    assert status == 503 and str(tmp_path) not in text
    reason = json.loads(text)["jobs"]["sync"]["reason"]
    assert "jirasync.yaml:3: jira.url: broken" in reason and "using sync.lock" in reason
