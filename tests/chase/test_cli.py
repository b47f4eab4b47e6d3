"""``jirasync chase`` as a PMO runs it: lines with keys and names, --json, --dry-run,
--today (the start of that day in the config's timezone), exit codes."""
from __future__ import annotations

import contextlib
import json
import shutil

import pytest

from jirasync.cli import main
from tests.chase.conftest import PAT, SAM, Act, midnight

HEADER = ("review 2026-12-01: prompt window open until Tuesday 1 December 2026 at 10:00 "
          "(Europe/London)")


def run(p, capsys, *args: str) -> tuple[int, list[str], str]:
    """Run the command as if on the day ``--today`` names (the scenario's clock)."""
    if "--today" in args:
        with contextlib.suppress(ValueError):
            p.clock.now = midnight(args[args.index("--today") + 1])
    code = main(["chase", "--config", str(p.config.path), *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_prompt_day_prints_each_prompt_with_key_and_owner(programme, capsys):
    p = programme()
    code, lines, err = run(p, capsys, "--today", "2026-11-24")
    assert code == 0 and err == ""
    assert lines[0] == HEADER
    for action, name in [("checklist", "Sam Jones"), ("contacts", "Priya Shah"),
                         ("rota", "Tom Okafor")]:
        (line,) = [ln for ln in lines if f" {p.key(action)} " in f"{ln} "]
        assert line.split()[0] == "prompt" and f"to {name}" in line
    assert lines[-1] == "chase: 5 open actions; 5 prompts"
    assert all(len(p.comments(a)) == 1 for a in p.keys)
    (journal,) = p.config.state_dir.joinpath("runs.jsonl").read_text().splitlines()
    entry = json.loads(journal)
    assert entry["counts"]["prompt"] == 5
    assert entry["as_of"] == "2026-11-24T00:00:00+00:00"        # the rehearsed day
    assert not entry["started"].startswith("2026-11-24T00:00")  # when it really ran


@pytest.mark.parametrize("where", ["before", "after"])
def test_json_output_parses(programme, capsys, where):
    p = programme()
    args = ["chase", "--config", str(p.config.path), "--today", "2026-11-24"]
    p.clock.now = midnight("2026-11-24")
    code = main(["--json", *args] if where == "before" else [*args, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["cycle"] == "2026-12-01" and data["dry_run"] is False
    assert data["counts"]["prompt"] == 5 and data["counts"]["failed"] == 0
    assert {s["key"] for s in data["sent"]} == set(p.keys.values())
    assert data["next_meeting"] == "2026-12-01T10:00:00+00:00"


def test_dry_run_writes_nothing_and_prints_what_a_run_would(programme, capsys):
    p = programme()
    code, dry, _ = run(p, capsys, "--today", "2026-11-24", "--dry-run")
    assert code == 0 and p.sb.count(write=True) == 0 and p.all_comments() == {}
    assert dry[-1] == "dry run, nothing sent: 5 open actions; 5 prompts"
    assert not p.config.state_dir.joinpath("runs.jsonl").exists()
    _, real, _ = run(p, capsys, "--today", "2026-11-24")
    assert dry[:-1] == real[:-1]


def test_a_deleted_state_folder_repeats_nothing(programme, capsys):
    p = programme()
    run(p, capsys, "--today", "2026-11-24")
    shutil.rmtree(p.config.state_dir)
    p.sb.reset_log()
    code, lines, _ = run(p, capsys, "--today", "2026-11-25")
    assert code == 0 and lines == [HEADER, "chase: 5 open actions; 0 prompts"]
    assert p.sb.count(write=True) == 0
    assert all(len(p.comments(a)) == 1 for a in p.keys)


@pytest.mark.parametrize("today, prompts", [
    pytest.param("2026-11-23", 0, id="day-before-the-window"),
    pytest.param("2026-11-24", 5, id="window-opens-at-midnight"),
    # --today means 00:00, and the meeting only starts at 10:00: still inside the window.
    pytest.param("2026-12-01", 5, id="meeting-day-start-of-day"),
    pytest.param("2026-12-02", 0, id="day-after-the-meeting"),
])
def test_today_is_the_start_of_that_day(programme, capsys, today, prompts):
    p = programme()
    code, lines, _ = run(p, capsys, "--today", today)
    assert code == 0
    assert sum(len(p.comments(a)) for a in p.keys) == prompts
    if not prompts:
        assert lines[0].startswith("no prompt window open; next review ")
        assert p.sb.count(write=True) == 0


def test_a_role_jira_cannot_find_fails_only_that_item(programme, capsys):
    p = programme((Act("checklist", SAM, "2026-11-04"), Act("charter", SAM, "2026-12-31")),
                  people={"release_manager": "nobody@example.org", "pmo_lead": PAT},
                  escalation="  escalation_grace_days: 0\n")
    code, lines, _ = run(p, capsys, "--today", "2026-11-24")
    assert code == 1
    (failed,) = [ln for ln in lines if ln.startswith("failed")]
    assert p.key("checklist") in failed and "people.release_manager" in failed
    assert "nobody@example.org" in failed
    prompts = [ln for ln in lines if ln.startswith("prompt")]
    assert sorted(ln.split()[1] for ln in prompts) == [p.key("checklist"), p.key("charter")]
    assert lines[-1] == "chase: 2 open actions; 2 prompts, 1 failed"
    assert len(p.comments("charter")) == 1


def test_a_date_that_is_not_a_date_is_a_usage_error(programme, capsys):
    p = programme()
    code, _, err = run(p, capsys, "--today", "24/11/2026")
    assert code == 2 and "--today '24/11/2026' is not a date; write YYYY-MM-DD" in err
    assert p.sb.count() == 0



def run_on_clock(p, capsys, *args: str) -> tuple[int, list[str], str]:
    """Run the command on the scenario's clock as it stands."""
    code = main(["chase", "--config", str(p.config.path), *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_a_past_date_never_writes(programme, capsys):
    p = programme()
    p.clock.now = midnight("2026-11-26")
    code, _, err = run_on_clock(p, capsys, "--today", "2026-11-25", "--yes")
    assert code == 2 and "--today 2026-11-25 is before today (2026-11-26)" in err
    assert "--dry-run" in err and p.sb.count(write=True) == 0 and p.all_comments() == {}
    assert not p.config.state_dir.joinpath("runs.jsonl").exists()
    code, lines, _ = run_on_clock(p, capsys, "--today", "2026-11-25", "--dry-run")
    assert code == 0 and lines[-1] == "dry run, nothing sent: 5 open actions; 5 prompts"
    assert p.sb.count(write=True) == 0


def test_a_future_date_writes_only_with_yes_and_says_what_it_spends(programme, capsys):
    p = programme()
    p.clock.now = midnight("2026-11-20")
    code, _, err = run_on_clock(p, capsys, "--today", "2026-11-24")
    assert code == 2 and "--today 2026-11-24 is after today (2026-11-20)" in err
    assert "--yes" in err and p.sb.count(write=True) == 0
    code, lines, err = run_on_clock(p, capsys, "--today", "2026-11-24", "--yes")
    assert code == 0 and lines[-1] == "chase: 5 open actions; 5 prompts"
    assert "prompts are spent early" in err
    assert all(len(p.comments(a)) == 1 for a in p.keys)
