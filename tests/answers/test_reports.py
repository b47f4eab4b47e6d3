"""The PMO sees the answers: ``status`` and the agenda list blocked actions first (not as
overdue) and show each action's extensions; the deck's key indicators count extensions
and blocked actions; the export gains ``extensions`` and ``blocked`` after SPEC §6's
columns; the chase run's journal counts the answers applied."""
from __future__ import annotations

import csv
import io
import json

from jirasync.cli import main
from tests.chase.conftest import SAM, Act, at, midnight

ACTIONS = (Act("checklist", SAM, "2026-11-04"), Act("charter", SAM, "2027-01-31"),
           Act("rota", SAM, "2026-11-10"))


def answered(p) -> None:
    for day, said in [("2026-11-20", {"charter": "extend to 2027-02-28: supplier late"}),
                      ("2026-11-21", {"charter": "extend to 2027-03-31: waiting for "
                                                 "partner sign-off",
                                      "checklist": "blocked: test system down"})]:
        p.clock.now = at(day, 8)
        for action, body in said.items():
            p.sb.add_comment(p.key(action), body, author=SAM)
        p.chase(at(day))


def cli(p, capsys, *args: str) -> list[str]:
    p.clock.now = midnight("2026-11-22")
    assert main([*args, "--config", str(p.config.path), "--today", "2026-11-22"]) == 0
    return capsys.readouterr().out.splitlines()


def test_status_lists_blocked_first_and_shows_extensions(programme, capsys):
    p = programme(ACTIONS)
    answered(p)
    lines = cli(p, capsys, "status")
    blocked = next(i for i, ln in enumerate(lines) if ln.startswith("blocked (1)"))
    overdue = next(i for i, ln in enumerate(lines) if ln.startswith("overdue ("))
    assert blocked < overdue and lines[overdue] == "overdue (1)"
    assert f"{p.key('checklist')}  Sam Jones  due 2026-11-04: test system down" in \
        lines[blocked + 1]
    assert not any(p.key("checklist") in ln for ln in lines[overdue:overdue + 3])
    assert f"  {p.key('charter')}  extended 2×, last: waiting for partner sign-off" in lines
    data = json.loads("\n".join(cli(p, capsys, "status", "--json")))
    assert [b["key"] for b in data["blocked"]] == [p.key("checklist")]
    assert [o["key"] for o in data["overdue"]] == [p.key("rota")]


def test_export_appends_extensions_and_blocked(programme, capsys, tmp_path):
    p = programme(ACTIONS)
    answered(p)
    out = tmp_path / "export.csv"
    cli(p, capsys, "export", "-o", str(out))
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    head = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert head[-3:] == ["url", "extensions", "blocked"]
    by_key = {r["key"]: r for r in table}
    assert (by_key[p.key("charter")]["extensions"], by_key[p.key("charter")]["blocked"]) == (
        "2", "")
    assert by_key[p.key("checklist")]["blocked"] == "yes"


def test_agenda_lists_blocked_first(programme, capsys, tmp_path):
    p = programme(ACTIONS)
    answered(p)
    out = tmp_path / "agenda.md"
    cli(p, capsys, "agenda", "-o", str(out))
    text = out.read_text()
    assert text.index("## Blocked actions") < text.index("## 1. Overdue actions")
    assert "blocked, test system down" in text
    overdue = text[text.index("## 1. Overdue"):text.index("## 2.")]
    assert p.key("checklist") not in overdue and p.key("rota") in overdue
    html = tmp_path / "agenda.html"
    cli(p, capsys, "agenda", "-o", str(html))
    page = html.read_text()
    assert page.index("Blocked actions") < page.index("1. Overdue actions")
    assert "blocked, test system down" in page


def test_deck_indicators_count_extensions_and_blocked(programme, capsys, tmp_path):
    p = programme(ACTIONS)
    answered(p)
    out = tmp_path / "deck.md"
    cli(p, capsys, "deck", "4.2", "-o", str(out))
    text = out.read_text()
    kpis = text[text.index("Key indicators"):]
    assert "open past the target date; 1 blocked; 2 due dates extended" in kpis


def test_the_chase_journal_counts_the_answers(programme, capsys):
    p = programme(ACTIONS)
    p.clock.now = at("2026-11-20", 8)
    p.sb.add_comment(p.key("charter"), "extend to 2027-02-28: supplier late", author=SAM)
    p.clock.now = midnight("2026-11-20")
    assert main(["chase", "--config", str(p.config.path), "--today", "2026-11-20"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(ln.startswith("answer") and p.key("charter") in ln and "extended 1×" in ln
               for ln in lines)
    assert lines[-1].endswith(", 1 answer")
    entry = json.loads(p.config.state_dir.joinpath("runs.jsonl").read_text().splitlines()[-1])
    assert entry["counts"]["answers"] == 1
