"""`jirasync demo`: the whole flow against the sandbox, as a newcomer first sees it."""
from __future__ import annotations

import json
import re

from jirasync.cli import main


def test_demo_shows_the_tree_a_kept_edit_and_each_reminder_sent_once(tmp_path, capsys,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)

    code = main(["demo", "--out", "programme"])
    out, err = capsys.readouterr()

    assert code == 0, err
    assert (tmp_path / "programme" / "jirasync.yaml").is_file()
    # the owner's extension of a 4.2 action counts in the 4.3 deck's figures to date
    deck = (tmp_path / "programme" / "deck-4.3.md").read_text(encoding="utf-8")
    kpis = deck[deck.index("## Key indicators"):deck.index("## Measurements")]
    this, together = kpis.split("**Releases 4.1 to 4.3**")
    assert "extended" not in this
    assert "open past the target date; 1 due date extended" in together
    assert "check: config ok, 3 release files ok, 0 lint warnings" in out
    assert "sync: 35 created, 0 updated" in out
    assert re.search(r"DCR-\d+ +Epic +Lessons learnt: DCR Release 4\.2", out)
    assert re.search(r" {6}DCR-\d+ +Sub-task .*\(owner Sam Jones, due 2026-12-01\)", out)
    assert "sync again: 0 created, 0 updated, 35 unchanged, 0 write requests" in out
    assert re.search(r"kept +DCR-\d+ +lesson 4\.2/partner-comms +summary changed in Jira", out)
    assert "chase, rehearsed on the prompt day 2026-11-24" in out    # whatever today is
    # a real chase on a past --today is refused, so the demo does not offer it as the command
    assert "jirasync chase --today" not in out
    assert re.search(r"== the prompt comment on DCR-\d+ in the sandbox\n\[~accountid:", out)
    assert "chase again the same day: 0 sent" in out
    # the status it shows lists the sync and the chase it just ran, as a real run's would
    assert "no runs journaled yet" not in out
    # its first chase: the owner of the action 84 days overdue hears first (a prompt)
    assert re.search(r"\nprompt +DCR-\d+ +to Tom Okafor +review 2026-12-01, overdue by 84 "
                     r"days: the owner hears first", out)
    assert "chase: 5 open actions; 5 prompts" in out
    # the last chase, the next morning, applied the owners' answers
    assert re.search(r"\nchase +\d{4}-\d\d-\d\d \d\d:\d\d +ok +1 waiting, 2 answers\n", out)
    assert "channel slack: posted — the message for 2026-11-24" in out
    assert "each channel still has 1 message (one a day)" in out
    assert re.search(r"\nsync +\d{4}-\d\d-\d\d \d\d:\d\d +ok +34 unchanged, 1 kept\n", out)


def test_demo_never_overwrites_a_programme_someone_changed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "demo"]) == 0
    assert main(["-q", "demo"]) == 0                      # its own output: run again freely
    config = tmp_path / "jirasync-demo" / "jirasync.yaml"
    config.write_text(config.read_text().replace("example.atlassian.net", "acme.atlassian.net"))
    capsys.readouterr()

    code = main(["demo"])

    _, err = capsys.readouterr()
    assert code == 2 and "the demo will not overwrite it: give --out" in err
    assert "acme.atlassian.net" in config.read_text()


def test_demo_with_json_prints_one_document(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--json", "demo", "--out", "p"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["releases"] == ["4.1", "4.2", "4.3"]
