"""The output edges of the reports: safe CSV cells, atomic files, colour only on a
terminal."""
from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest

from jirasync.commands.status import use_colour
from jirasync.errors import UsageError
from jirasync.reports.export import COLUMNS, safe_cell, to_csv
from jirasync.reports.output import check_writable, write_atomically
from jirasync.reports.status import last_runs, status_lines


@pytest.mark.parametrize("value,cell", [
    ("=1+1", "'=1+1"), ("+44 20 7946 0000", "'+44 20 7946 0000"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=b", "a=b"), ("", ""), (None, ""), (12, "12"),
])
def test_no_cell_starts_a_formula(value, cell):
    assert safe_cell(value) == cell


def test_csv_is_rfc4180_with_a_bom():
    row = dict.fromkeys(COLUMNS, "") | {"title": 'Say "hi",\nthen go', "owner": "Zoë"}
    data = to_csv([row])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8").lstrip("\ufeff")
    assert text.endswith("\r\n") and '"Say ""hi"",\nthen go"' in text
    assert next(iter(csv.DictReader(io.StringIO(text, newline=""))))["owner"] == "Zoë"


def test_an_atomic_write_replaces_the_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize("make,said", [
    (lambda p: p / "no-such-folder" / "x.csv", "does not exist"),
    (lambda p: p, "is a folder"),
])
def test_an_unwritable_path_is_refused_before_anything_is_written(tmp_path, make, said):
    with pytest.raises(UsageError, match=said):
        check_writable(make(tmp_path))


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(Tty()) and not use_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(Tty())


def test_status_lines_paint_overdue_counts_only_when_asked():
    data = {"project": "DCR", "today": "2026-12-10", "undated": [], "last_runs": [],
            "releases": [{"release": "4.2", "live_date": "2026-10-14", "lessons": 2,
                          "actions": 3, "open": 2, "done": 1, "overdue": 1}],
            "owners": [{"owner": "Sam", "open": 2, "overdue": 1}],
            "overdue": [{"key": "DCR-9", "days_overdue": 9, "rung": 0, "due": "2026-12-01",
                         "owner": "Sam", "title": "<b>x</b>"}]}
    plain = status_lines(data)
    assert not any("\033[" in line for line in plain)
    assert "4.2      2026-10-14        2        3     2     1        1" in plain
    assert any("\033[31m" in line for line in status_lines(data, colour=True))


def test_status_names_an_interrupted_run_as_such_not_failed():
    run = {"job": "sync", "started": "2026-12-10T09:00:00+00:00",
           "finished": "2026-12-10T09:00:03+00:00", "ok": False, "counts": {"created": 7},
           "error": "interrupted (stopped by SIGTERM); what was not done is left for the "
                    "next run"}
    data = {"project": "DCR", "today": "2026-12-10", "undated": [], "releases": [],
            "owners": [], "overdue": [],
            "last_runs": last_runs([run, {**run, "job": "chase", "error": "Jira is down"},
                                    {**run, "interrupted": True}])}
    lines = status_lines(data)
    assert any(line.startswith("sync") and " interrupted " in line for line in lines), lines
    assert any(line.startswith("chase") and "FAILED" in line for line in lines), lines


def test_an_owner_who_is_also_on_the_ladder_is_invited_once_with_both_reasons():
    from jirasync.reports.agenda import Person, _invited
    rows = [SimpleNamespace(owner="Jodie Crowfoot", owner_account="acc-jodie"),
            SimpleNamespace(owner="Sam Jones", owner_account="acc-sam"),
            SimpleNamespace(owner="Jodie Crowfoot", owner_account="acc-jodie")]
    people = {"release_manager": Person("Jodie Crowfoot", "acc-jodie"),
              "pmo_lead": "pmo@example.org"}                  # one Jira does not know
    invited = _invited(rows, people, ["release_manager", "pmo_lead", "release_manager"])
    assert [(i.name, i.why) for i in invited] == [
        ("Jodie Crowfoot", "owner of 2 open actions; release manager"),
        ("Sam Jones", "owner of 1 open action"), ("pmo@example.org", "pmo lead")]


def test_two_people_jira_shows_by_the_same_name_are_two_invitees():
    """alex.green owns an action; alex.green2, also "Alex Green" in Jira, is the release
    manager: two people, two lines."""
    from jirasync.reports.agenda import Person, _invited
    rows = [SimpleNamespace(owner="Alex Green", owner_account="acc-alex-1")]
    invited = _invited(rows, {"release_manager": Person("Alex Green", "acc-alex-2")},
                       ["release_manager"])
    assert [(i.name, i.why) for i in invited] == [
        ("Alex Green", "owner of 1 open action"), ("Alex Green", "release manager")]
