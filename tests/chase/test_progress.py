"""A long chase is never silent: progress on stderr while it sends."""
from __future__ import annotations

from jirasync.cli import main
from tests.chase.conftest import Act, midnight


def test_a_long_chase_shows_progress_on_stderr(programme, capsys):
    p = programme(tuple(Act(f"a{i}") for i in range(60)))
    p.clock.now = midnight("2026-11-24")          # run on the day it rehearses
    assert main(["chase", "--config", str(p.config.path), "--today", "2026-11-24"]) == 0
    out, err = capsys.readouterr()
    assert "chase: 60 open actions; 60 prompts" in out
    assert "sent 1 of 60 items" in err and err.splitlines()[-1] == "sent 60 of 60 items"
