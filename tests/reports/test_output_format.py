"""Honest edges of the report commands: the format written is the one -o's extension
names when --format is not given, a contradiction between them is refused before Jira
is read (exit 2, nothing written), and a deck of a project where nothing is synced says
so in one line (exit 2) instead of reporting that all is on track."""
from __future__ import annotations

import json

import pytest

from jirasync.cli import main
from jirasync.errors import UsageError
from jirasync.reports.output import format_of
from tests.conftest import checked_sandbox
from tests.helpers import write_programme
from tests.reports.conftest import TOKEN_ENV, TOKENS, _config

DECK = ("html", "md", "pptx")


@pytest.mark.parametrize("name,given,formats,default,expected", [
    ("extension alone", None, DECK, "html", {"d.pptx": "pptx", "d.MD": "md", "d.htm": "html"}),
    ("no extension", None, DECK, "html", {"deck": "html", "deck.txt": "html"}),
    ("both agree", "pptx", DECK, "html", {"d.pptx": "pptx"}),
    ("format alone", "md", DECK, "html", {"deck": "md"}),
    ("export", None, ("csv", "json"), "csv", {"x.json": "json", "x.csv": "csv", "x": "csv"}),
], ids=lambda v: v if isinstance(v, str) else None)
def test_the_format_follows_the_extension(name, given, formats, default, expected, tmp_path):
    for file, fmt in expected.items():
        assert format_of(tmp_path / file, given, formats=formats, default=default) == fmt


@pytest.mark.parametrize("given,file,formats,says", [
    ("html", "guess.pptx", DECK, "names a pptx file but --format is html"),
    ("csv", "x.json", ("csv", "json"), "names a json file but --format is csv"),
    (None, "x.pptx", ("csv", "json"), "this command writes csv or json, not pptx"),
    (None, "agenda.pptx", ("md", "html"), "this command writes md or html, not pptx"),
])
def test_a_contradiction_is_refused(given, file, formats, says, tmp_path):
    with pytest.raises(UsageError, match=says):
        format_of(tmp_path / file, given, formats=formats, default=formats[0])


def test_the_commands_write_what_the_extension_says(history, cli, tmp_path):
    deck = tmp_path / "guess.pptx"
    code, _, err = cli("deck", "4.2", "-o", str(deck), "--today", "2026-12-10")
    assert code == 0, err
    assert deck.read_bytes()[:2] == b"PK"                  # a zip: PowerPoint, not HTML
    rows = tmp_path / "x.json"
    assert cli("export", "-o", str(rows), "--today", "2026-12-10")[0] == 0
    assert json.loads(rows.read_text("utf-8"))["project"] == "DCR"
    agenda = tmp_path / "agenda.html"
    assert cli("agenda", "-o", str(agenda), "--today", "2026-12-10")[0] == 0
    assert agenda.read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    wrong = tmp_path / "wrong.pptx"
    code, _, err = cli("deck", "4.2", "--format", "html", "-o", str(wrong))
    assert code == 2 and "names a pptx file but --format is html" in err
    assert not wrong.exists()
    code, _, err = cli("export", "--format", "csv", "-o", str(tmp_path / "y.json"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert history.sb.count(write=True) == 0


@pytest.mark.parametrize("args", [["--programme"], ["4.2"]], ids=["programme", "release"])
def test_a_deck_with_nothing_synced_says_so_and_exits_2(args, contract, tmp_path,
                                                        monkeypatch, capsys):
    monkeypatch.setenv(TOKEN_ENV, TOKENS["cloud"])
    with checked_sandbox(contract, "cloud") as sb:
        config = write_programme(tmp_path, config=_config(sb))
        out = tmp_path / "deck.html"
        code = main(["--config", str(config), "deck", *args, "-o", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.splitlines() == [err.splitlines()[0]] and \
        "nothing synced yet in Jira project DCR: run `jirasync sync`" in err
    assert not out.exists()
