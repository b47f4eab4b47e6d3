"""`jirasync check`: the shipped programme passes; each broken input exits 2 with one
line naming file, line and key, and writes nothing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from jirasync.cli import main
from jirasync.paths import sample_programme
from tests.helpers import CONFIG, RELEASE, files_under, write_programme

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
    (RELEASE.replace("theme:", "thme:"), "4.2.yaml:10: lessons[feeds-off].thme: unknown key; did you mean 'theme'?"),
    (RELEASE.replace("id: rehearsal", "id: feeds-off"), "4.2.yaml:16: lessons[1].id: 'feeds-off' is used twice"),
    (RELEASE.replace("kind: keep", "kind: good"), "4.2.yaml:17: lessons[rehearsal].kind: 'good' is not one of"),
    (RELEASE.replace("due: 2026-12-01", "due: 2026-13-01"), "4.2.yaml:15: lessons[feeds-off].actions[feeds-checklist].due: '2026-13-01' is not a day of the calendar"),
    (RELEASE.replace("lessons:", "extends: gone\nlessons:"), "4.2.yaml:4: extends: release template 'gone' not found"),
    (RELEASE.replace("title: Two", "title: Two {{ releas.id }}"), "4.2.yaml:18: lessons[rehearsal].title: Jinja expression uses an undefined name"),
    (RELEASE.replace("sam.jones@example.org", "sam.jones@example"), "4.2.yaml:14: lessons[feeds-off].actions[feeds-checklist].owner: 'sam.jones@example' is not an email address; name the owner by email, by Jira account id (Cloud) or by username (Data Center)"),
], ids=["yaml-syntax", "unknown-key", "duplicate-lesson-id", "bad-kind", "bad-date",
        "missing-template", "undefined-jinja", "owner-not-an-email"])
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
    assert "error: releases/4.3.yaml:15: lessons[feeds-off].actions[feeds-checklist].due:" in err


MORE_BROKEN = {
    "blank-title": (RELEASE.replace("title: Two data-migration rehearsals before go-live",
                                    "title:"),
                    "4.2.yaml:18: lessons[rehearsal].title: is empty; give it a value"),
    "blank-kind": (RELEASE.replace("kind: keep", "kind: ' '"),
                   "4.2.yaml:17: lessons[rehearsal].kind: is blank"),
    "jinja-raises": (RELEASE.replace("title: Two", "title: Two {{ 1/0 }}"),
                     "4.2.yaml:18: lessons[rehearsal].title: Jinja expression failed: ZeroDivisionError"),
    "jinja-huge-range": (RELEASE.replace("title: Two", "title: Two {{ range(10**12)|list }}"),
                         "4.2.yaml:18: lessons[rehearsal].title: Jinja expression failed"),
    "date-past-9999": (RELEASE.replace("live_date: 2026-10-14", "live_date: 9999-12-20")
                       .replace("due: 2026-12-01", "due: +30d"),
                       "4.2.yaml:15: lessons[feeds-off].actions[feeds-checklist].due: '+30d' after 9999-12-20 is past"),
    "impossible-live-date": (RELEASE.replace("live_date: 2026-10-14", "live_date: 2026-09-31")
                             .replace("due: 2026-12-01", "due: +30d"),
                             "4.2.yaml:3: live_date: '2026-09-31' is not a day of the calendar"),
    "not-utf8": (None, "4.2.yaml:2: byte 0xe9 is not UTF-8 text; save the file as UTF-8"),
    "unquoted-jinja": (RELEASE.replace("name: DCR Release 4.2 — social care feeds",
                                       "name: {{ release.id }}"),
                       "4.2.yaml:2: a value that starts with {{ or {% must be in quotes"),
    "yaml-tag": (RELEASE.replace('id: "4.2"', "id: !!float 4.2"),
                 "4.2.yaml:1: the YAML tag !!float is not used here"),
    "tabs": (RELEASE.replace("  - id: rehearsal", "\t- id: rehearsal"),
             "4.2.yaml:16: YAML syntax error: found character '\\t' that cannot start any "
             + "token; indent with spaces, not tabs"),
    "extends-a-path": (RELEASE.replace("lessons:", "extends: ../../etc/passwd\nlessons:"),
                       "4.2.yaml:4: extends: '../../etc/passwd' must be a template's name"),
    "action-without-title": (RELEASE.replace(
        "        title: Add feed shutdown (T-5 days) to the drop checklist\n", ""),
        "4.2.yaml:12: lessons[feeds-off].actions[feeds-checklist].title: is required and missing"),
    "long-release-name": (RELEASE.replace("name: DCR Release 4.2 — social care feeds",
                                          "name: " + "x" * 240),
                          "4.2.yaml:2: name: is 240 characters as Jira counts them"),
    "emoji-title-too-long": (RELEASE.replace("title: Two", "title: " + "🚀" * 125 + " Two"),
                             "4.2.yaml:18: lessons[rehearsal].title: is 295 characters as Jira counts"),
    "description-too-long": (RELEASE.replace("      Two partners were still sending",
                                             "      " + "x" * 32001 + " Two partners"),
                             "4.2.yaml:8: lessons[feeds-off].description: is 32061 characters; Jira "
                             + "keeps at most 32000"),
    "theme-without-words": (RELEASE.replace("theme: partner-comms", "theme: \"🚀\""),
                            "4.2.yaml:10: lessons[feeds-off].theme: '🚀' has no letter or digit"),
}


@pytest.mark.parametrize("text,expected", MORE_BROKEN.values(), ids=MORE_BROKEN.keys())
def test_odd_input_is_one_clear_error_never_a_crash_or_a_dropped_lesson(tmp_path, capsys,
                                                                      monkeypatch, text,
                                                                      expected):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    config = write_programme(tmp_path, releases={"4.2.yaml": text or ""})
    if text is None:
        (tmp_path / "releases" / "4.2.yaml").write_bytes(b'id: "4.2"\nname: caf\xe9\n')
    code, _, err = run(capsys, "check", "--config", str(config))
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 2 and "unexpected" not in err
    assert len(errors) == 1 and expected in errors[0], err


def test_release_ids_that_share_a_label_are_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    config = write_programme(tmp_path, releases={
        "4.2.yaml": RELEASE, "4-2.yaml": RELEASE.replace('id: "4.2"', 'id: "4-2"')})
    code, _, err = run(capsys, "check", "--config", str(config))
    assert code == 2
    assert "4.2.yaml:1: id: release id '4.2' gives the same label as '4-2'" in err


def test_hidden_files_in_the_releases_folder_are_not_releases(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    config = write_programme(tmp_path, releases={"4.2.yaml": RELEASE,
                                                 ".4.2.yaml": RELEASE + "oops: [\n"})
    code, out, err = run(capsys, "check", "--config", str(config))
    assert code == 0, err
    assert "release 4.2" in out


def test_a_broken_template_is_named_once(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    extended = RELEASE.replace("lessons:", "extends: house\nlessons:")
    config = write_programme(tmp_path, releases={"4.2.yaml": extended,
                                                 "4.3.yaml": extended.replace('"4.2"', '"4.3"')},
                             templates={"releases/house.yaml": "lessons:\n  - id: x\n"
                                                               "    kind: keep\n"})
    code, _, err = run(capsys, "check", "--config", str(config))
    assert code == 2
    assert err.count("house.yaml:2: lessons[x].title: is required and missing") == 1, err


def test_a_broken_chase_template_of_the_user_fails_check(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    config = write_programme(tmp_path, templates={
        "chase/prompt.jira.j2": "{{ mention }} please update {{ action.title }} by {{ meeting }}"})
    code, _, err = run(capsys, "check", "--config", str(config))
    assert code == 2
    assert "chase/prompt.jira.j2: undefined name" in err and "title" in err


def test_a_token_file_others_can_read_fails_check_as_it_fails_sync(tmp_path, capsys):
    text = CONFIG.replace("token_env: JIRASYNC_TEST_TOKEN", "token_file: token")
    config = write_programme(tmp_path, config=text)
    (tmp_path / "token").write_text("s3cret")
    (tmp_path / "token").chmod(0o644)
    code, _, err = run(capsys, "check", "--config", str(config))
    assert code == 2 and "can be read by other users; run: chmod 600" in err
    assert run(capsys, "sync", "--config", str(config))[0] == 2
    (tmp_path / "token").chmod(0o600)
    assert run(capsys, "check", "--config", str(config))[2] == ""


@pytest.mark.parametrize("argv,ok,code", [
    (["check", "--strict"], False, 2),
    (["check"], True, 0),
], ids=["strict-with-warnings", "warnings-only"])
def test_json_ok_agrees_with_the_exit_code(tmp_path, capsys, monkeypatch, argv, ok, code):
    monkeypatch.setenv("JIRASYNC_TEST_TOKEN", "x")
    text = RELEASE.replace("        owner: sam.jones@example.org\n", "")
    config = write_programme(tmp_path, releases={"4.2.yaml": text})
    got, out, _ = run(capsys, "--json", *argv, "--config", str(config))
    assert got == code and json.loads(out)["ok"] is ok


def test_json_reports_a_broken_config_too(tmp_path, capsys):
    config = write_programme(tmp_path, config="jira:\n  urll: x\n")
    code, out, _ = run(capsys, "--json", "check", "--config", str(config))
    data = json.loads(out)
    assert code == 2 and data["ok"] is False
    assert any("jira.urll: unknown key" in e for e in data["errors"])


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


def test_strict_lints_release_files_on_a_machine_without_the_token(tmp_path, capsys,
                                                                   monkeypatch):
    monkeypatch.delenv("JIRASYNC_TEST_TOKEN", raising=False)
    config = write_programme(tmp_path)
    code, _, err = run(capsys, "check", "--strict", "--config", str(config))
    assert code == 0 and "JIRASYNC_TEST_TOKEN is not set" in err

SKIPPED = "online checks skipped: fix the errors below first, then run check --online again"


def test_online_checks_skipped_for_a_broken_config_say_so(tmp_path, capsys):
    config = write_programme(tmp_path, config="jira:\n  url: https://x.example.org\n"
                                              "nonsense: 1\n")
    assert main(["check", "--online", "--config", str(config)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [SKIPPED]
    assert "nonsense" in err
