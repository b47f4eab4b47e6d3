"""status, export and agenda on the CLI, against the history of each flavour: the right
keys and numbers, Jira text shown as data, and no write request."""
from __future__ import annotations

import csv
import io
import json

from tests.helpers import closed_port
from tests.reports.conftest import FORMULA, SCRIPT, SCRIPT_ACTION


def test_status_per_release_owner_overdue_and_last_runs(history, cli):
    code, out, err = cli("status", "--today", "2026-12-10")
    assert code == 0, err
    lines = out.splitlines()
    assert "4.1      2026-06-02        2        2     1     1        1" in lines
    assert "4.2      2026-10-14        3        3     2     1        1" in lines
    k = history.keys
    overdue = [line.split()[:3] for line in lines if line.startswith("DCR-")]
    assert overdue == [[k["act-open"], "100", "+30d"], [k["act-late"], "9", "+0d"]]
    assert any(line.startswith("chase ") and "ok" in line for line in lines)
    assert "\033[" not in out                     # not a terminal: no colour
    assert history.sb.count(write=True) == 0


def test_status_json_has_the_same_content(history, cli):
    _code, out, _ = cli("status", "--today", "2026-12-10", "--json", "--release", "4.2")
    data = json.loads(out)
    assert [r["release"] for r in data["releases"]] == ["4.2"]
    assert data["releases"][0] | {} == data["releases"][0]
    assert (data["releases"][0]["open"], data["releases"][0]["overdue"]) == (2, 1)
    owners = {o["owner"]: (o["open"], o["overdue"]) for o in data["owners"]}
    assert owners == {"Priya Shah": (1, 1), "Tom Okafor": (1, 0)}
    assert [r["key"] for r in data["overdue"]] == [history.keys["act-late"]]
    assert {r["job"] for r in data["last_runs"]} >= {"sync", "chase"}


def test_export_csv_columns_keys_and_safe_cells(history, cli):
    code, out, err = cli("export", "--today", "2026-12-10")
    assert code == 0, err
    assert out.startswith("\ufeff") and "\r\n" in out
    table = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    assert list(table[0]) == ["type", "key", "release", "lesson", "action", "kind", "theme",
                              "title", "status", "status_category", "resolution", "owner",
                              "due", "created", "resolved", "days_overdue", "parent", "url",
                              "extensions", "blocked"]      # owners' answers, appended
    by_key = {row["key"]: row for row in table}
    k = history.keys
    assert len(table) == 2 + 5 + 5
    assert by_key[k["again"]]["title"] == "'" + FORMULA
    assert by_key[k["script"]]["title"] == SCRIPT
    assert by_key[k["act-script"]]["title"] == SCRIPT_ACTION
    assert by_key[k["act-open"]]["days_overdue"] == "100"
    closed = by_key[k["act-closed"]]
    assert (closed["status_category"], closed["resolved"], closed["owner"]) == (
        "Done", "2026-11-01", "Priya Shah")
    hand = by_key[history.hand_made]
    assert (hand["type"], hand["lesson"], hand["release"], hand["parent"]) == (
        "lesson", "", "4.2", k["4.2"])
    assert history.sb.count(write=True) == 0


def test_export_json_to_a_file(history, cli, tmp_path):
    target = tmp_path / "out.json"
    code, _, err = cli("export", "--format", "json", "-o", str(target), "--release", "4.1")
    assert code == 0, err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["project"] == "DCR"
    assert [r["key"] for r in doc["rows"]][:1] == [history.keys["4.1"]]
    assert {r["release"] for r in doc["rows"]} == {"4.1"} and len(doc["rows"]) == 5


def test_export_json_flag_gives_json_unless_a_format_is_named(history, cli):
    """`--json` (machine-readable output on stdout, as every command's help says) is the
    JSON export; an explicit `--format csv` still wins."""
    code, out, err = cli("export", "--json", "--release", "4.1", "--today", "2026-12-10")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["project"] == "DCR" and {r["release"] for r in doc["rows"]} == {"4.1"}
    code, out, _ = cli("export", "--json", "--format", "csv", "--release", "4.1")
    assert code == 0 and out.startswith("\ufefftype,key,")


def test_agenda_markdown(history, cli):
    code, out, err = cli("agenda", "--review", "2026-12-01", "--today", "2026-12-10")
    assert code == 0, err
    k = history.keys
    assert "Tuesday 1 December 2026" in out and "10:00 (Europe/London)" in out
    assert "Room 4.12" in out
    overdue = out.split("## 1.")[1].split("## 2.")[0]
    assert k["act-open"] in overdue and "100 days overdue" in overdue and "+30d" in overdue
    assert k["act-late"] in overdue
    assert k["act-script"] in out.split("## 2.")[1].split("## 3.")[0]
    assert k["act-ontime"] in out.split("## 3.")[1].split("## 4.")[0]
    assert history.hand_made in out.split("## 4.")[1].split("## 5.")[0]
    assert "<script>" not in out and r"\<script\>" in out
    assert "Tom Okafor (owner of 1 open action)" in out
    assert "Jodie Crowfoot (release manager)" in out and "jodie.crowfoot@" not in out
    assert history.sb.count(write=True) == 0


def test_agenda_html_is_one_escaped_page(history, cli, tmp_path):
    target = tmp_path / "agenda.html"
    code, _, err = cli("agenda", "--review", "2026-12-01", "--today", "2026-12-10",
                       "--format", "html", "-o", str(target))
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<link" not in page and "src=" not in page and "@media print" in page
    assert history.keys["act-late"] in page
    assert history.sb.count(write=True) == 0


def test_agenda_to_a_file_with_json_says_what_it_wrote(history, cli, tmp_path):
    target = tmp_path / "agenda.md"
    code, out, err = cli("agenda", "--review", "2026-12-01", "--today", "2026-12-10",
                         "-o", str(target), "--json")
    assert code == 0, err
    assert json.loads(out) == {"ok": True, "file": str(target), "format": "md",
                               "review": "2026-12-01"}
    assert "Tuesday 1 December 2026" in target.read_text(encoding="utf-8")


def test_agenda_json_is_the_agenda_as_data(history, cli):
    code, out, err = cli("agenda", "--review", "2026-12-01", "--today", "2026-12-10", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["ok"] is True and data["review"] == "2026-12-01"
    agenda = data["agenda"]
    assert agenda["meeting"].startswith("2026-12-01T10:00")
    overdue = {a["key"] for owner in agenda["overdue"] for a in owner["actions"]}
    assert {history.keys["act-open"], history.keys["act-late"]} <= overdue
    assert history.keys["act-ontime"] in {a["key"] for a in agenda["done_since"]}


def test_agenda_template_overridden_by_name(history, cli):
    folder = history.config_path.parent / "templates" / "agenda"
    folder.mkdir(parents=True)
    (folder / "agenda.md.j2").write_text("Review {{ agenda.meeting.date() }}: "
                                         "{{ agenda.overdue | length }} owners late\n")
    with history.config_path.open("a") as f:
        f.write("templates_dir: templates\n")
    code, out, _ = cli("agenda", "--review", "2026-12-01", "--today", "2026-12-10")
    assert (code, out) == (0, "Review 2026-12-01: 2 owners late\n")


def test_bad_input_is_one_line_exit_2_nothing_written(history, cli, tmp_path):
    cases = [(("status", "--release", "9.9"), ("--release 9.9: no such release in Jira; "
                                              "known: 4.1, 4.2")),
             (("agenda", "--review", "2026-12-02"), ("meetings near it: 2026-11-03, "
                                                    "2026-12-01, 2027-01-05")),
             (("export", "-o", str(tmp_path / "missing" / "x.csv")), "does not exist")]
    for args, said in cases:
        code, _out, err = cli(*args)
        assert code == 2, (args, err)
        assert len(err.strip().splitlines()) == 1 and said in err, err
    assert not (tmp_path / "missing").exists()
    assert history.sb.count(write=True) == 0


def test_status_with_jira_unreachable_still_shows_the_last_runs(history, cli):
    assert cli("status", "--today", "2026-12-10")[0] == 0
    config = history.config_path
    text = config.read_text()
    config.write_text(text.replace(history.sb.url, f"http://127.0.0.1:{closed_port()}"))
    code, out, err = cli("status")
    assert code == 1 and "could not reach Jira" in err
    assert any(line.startswith("chase ") and " ok " in line for line in out.splitlines()), out
    code, out, err = cli("status", "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and "could not reach Jira" in data["errors"][0]
    assert {r["job"] for r in data["last_runs"]} >= {"sync", "chase"}


def test_status_of_an_earlier_day_says_its_last_runs_are_the_clocks(history, cli):
    """``--today`` before the journaled runs: the figures are of that day, the last runs
    of the clock, and the reader is told, not left to wonder at a run 'in the future'."""
    _code, later, _ = cli("status", "--today", "2099-12-31")
    assert "the last runs are the clock's" not in later
    code, out, err = cli("status", "--today", "2000-01-03")
    assert code == 0, err
    assert out.splitlines()[-1] == ("(the last runs are the clock's; the figures above are "
                                    "as of 2000-01-03)")
