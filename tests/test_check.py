"""`jirasync check`: the shipped programme passes; each broken input exits 2 with one
line naming file, line and key, and writes nothing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from jirasync.cli import main
from jirasync.paths import sample_programme
from tests.helpers import RELEASE, files_under, write_programme

REPO = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sample_programme_checks_clean(capsys, monkeypatch):
    monkeypatch.setenv("JIRA_API_TOKEN", "x")
    code, out, err = run(capsys, "check", "--config", str(sample_programme() / "jirasync.yaml"))
    assert code == 0, err
    assert "release 4.2" in out and "error" not in err


def test_example_config_checks_with_warnings_only(capsys, monkeypatch):
    monkeypatch.delenv("JIRA_API_TOKEN", raising=False)
    code, _, err = run(capsys, "check", "--config", str(REPO / "config.example.yaml"))
    assert code == 0, err
    assert "JIRA_API_TOKEN is not set" in err        # a warning: files checked without secrets


@pytest.mark.parametrize("text,expected", [
    (RELEASE + "  - [oops\n", "4.2.yaml:19: YAML syntax error"),
    (RELEASE.replace("theme:", "thme:"), "4.2.yaml:10: lessons[0].thme: unknown key; did you mean 'theme'?"),
    (RELEASE.replace("id: rehearsal", "id: feeds-off"), "4.2.yaml:16: lessons[1].id: 'feeds-off' is used twice"),
    (RELEASE.replace("kind: keep", "kind: good"), "4.2.yaml:17: lessons[1].kind: 'good' is not one of"),
    (RELEASE.replace("due: 2026-12-01", "due: 2026-13-01"), "4.2.yaml:15: lessons[0].actions[0].due: '2026-13-01' is not a date"),
    (RELEASE.replace("lessons:", "extends: gone\nlessons:"), "4.2.yaml:4: extends: release template 'gone' not found"),
    (RELEASE.replace("title: Two", "title: Two {{ releas.id }}"), "4.2.yaml:18: lessons[1].title: Jinja expression uses an undefined name"),
], ids=["yaml-syntax", "unknown-key", "duplicate-lesson-id", "bad-kind", "bad-date",
        "missing-template", "undefined-jinja"])
def test_broken_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch,
                                                                text, expected):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    config = write_programme(tmp_path, releases={"4.2.yaml": text})
    before = files_under(tmp_path)
    code, _, err = run(capsys, "check", "--config", str(config))
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 2
    assert len(errors) == 1 and expected in errors[0], err
    assert files_under(tmp_path) == before


def test_files_are_named_as_typed_from_the_programme_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    write_programme(tmp_path, releases={"4.2.yaml": RELEASE,
                                        "4.3.yaml": RELEASE.replace('"4.2"', '"4.3"').replace(
                                            "due: 2026-12-01", "due: 2026-13-01")})
    monkeypatch.chdir(tmp_path)

    code, out, err = run(capsys, "check")

    assert code == 2
    assert "config jirasync.yaml: ok" in out and "release 4.2 (releases/4.2.yaml): ok" in out
    assert "error: releases/4.3.yaml:15: lessons[0].actions[0].due:" in err


def test_broken_config_exits_2_naming_key(tmp_path, capsys):
    config = write_programme(tmp_path, config="jira:\n  urll: x\n")
    code, _, err = run(capsys, "check", "--config", str(config))
    assert code == 2
    assert "jirasync.yaml:2: jira.urll: unknown key; did you mean 'url'?" in err


def test_lint_warnings_pass_unless_strict(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    text = RELEASE.replace("        owner: sam.jones@example.org\n", "").replace(
        "due: 2026-12-01", "due: 2026-10-01")
    config = write_programme(tmp_path, releases={"4.2.yaml": text})
    code, _, err = run(capsys, "check", "--config", str(config))
    assert code == 0
    assert "action has no owner" in err and "is before the live date" in err
    assert run(capsys, "check", "--strict", "--config", str(config))[0] == 2


def test_global_options_work_after_the_command_and_json_is_parseable(tmp_path, capsys,
                                                                     monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    config = write_programme(tmp_path)
    code, out, _ = run(capsys, "check", "--json", "--config", str(config))
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True and data["releases"][0]["id"] == "4.2"
