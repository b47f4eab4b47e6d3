"""Display names are Jira's text too: an escalation to a person whose name holds escape
sequences retitles or recolours nobody's terminal, on the lines, under --json, or in the
journal."""
from __future__ import annotations

import json

from jirasync.cli import main
from jirasync.sandbox.users import SandboxUser
from tests.chase.conftest import SAM, Act, midnight

HOSTILE = "\x1b]0;PWNED\x07\x1b[31mEvil\u202eBoss\x00\x9b2J\x1b[0m"
EVIL = "evil.boss@example.org"
RAW = ("\x1b", "\x07", "\x00", "\u202e", "\x9b")


def test_an_escalation_to_a_hostile_name_prints_no_control_character(sandbox, programme,
                                                                      capsys):
    sandbox.add_user(SandboxUser("5b10ac8d82e05b22cc7d4e99", "evil.boss", EVIL, HOSTILE))
    p = programme((Act("checklist", SAM, "2026-12-15"),),
                  people={"release_manager": EVIL, "pmo_lead": EVIL})

    def chase(day: str, *more: str) -> tuple[int, str, str]:
        p.clock.now = midnight(day)
        code = main(["chase", "--config", str(p.config.path), "--today", day, *more])
        out, err = capsys.readouterr()
        return code, out, err

    assert chase("2026-11-24")[0] == 0                     # the owner hears first
    code, out, err = chase("2027-01-30")                   # 46 days overdue
    assert code == 0
    (line,) = [ln for ln in out.splitlines() if ln.startswith("escalation")]
    assert "Evil\ufffdBoss" in line
    assert not any(c in out + err for c in RAW)
    journal = p.config.state_dir.joinpath("runs.jsonl").read_text(encoding="utf-8")
    assert not any(c in journal for c in RAW)
    code, out, err = chase("2027-01-31", "--json", "--dry-run")
    assert code == 0 and not any(c in out + err for c in RAW)
    json.loads(out)
